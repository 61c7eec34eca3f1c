// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_xfile, a second PCI function driven from a subdirectory: its remove
 * also reaches the stop of scan_work (xf_transport.c), which its probe
 * never initialises either -- but the stop and the INIT are outside this
 * driver's directory: a subsystem's work item, which the subsystem's own
 * set-up may initialise through calls the checked files do not show
 * (mac80211's ieee80211_alloc_hw(), an inline wrapper in a kernel header,
 * held-out Set G).  wqcheck report stays silent for this table (negative).
 */
#include <linux/pci.h>
#include "../xf.h"

static int xf_sub_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	return 0;
}

static void xf_sub_remove(struct pci_dev *pdev)
{
	struct xf_dev *xf = pci_get_drvdata(pdev);

	xf_transport_teardown(xf);
}

static const struct pci_device_id xf_sub_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10fe) },
	{ }
};

struct pci_driver xf_sub_driver = {
	.name = "wqs_xfile_sub",
	.id_table = xf_sub_ids,
	.probe = xf_sub_probe,
	.remove = xf_sub_remove,
};
