// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_format - per-port workqueues of a multi-port serial concentrator
 *
 * Each port gets its own ordered event queue named after the port, the
 * card has one scan queue named after the platform device, and a helper
 * library function creates the firmware-loader queue under a name its
 * caller picks.  The name of a workqueue is a printf format: the kernel
 * formats it with vsnprintf().
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/virtio.h>
#include <linux/workqueue.h>

#define WQS_NR_PORTS		4

static const char wqs_stats_name[] = "wqs_format_stats";
static const char *const wqs_log_name = "wqs_format_log";

struct wqs_port {
	char label[24];
	unsigned int index;
	struct workqueue_struct *events;
	struct workqueue_struct *tx_wq;
	struct work_struct rx_work;
};

struct wqs_card {
	struct platform_device *pdev;
	struct workqueue_struct *scan_wq;
	struct workqueue_struct *stats_wq;
	struct workqueue_struct *log_wq;
	struct workqueue_struct *mode_wq;
	struct workqueue_struct *fw_wq;
	struct workqueue_struct *irq_wq;
	struct workqueue_struct *aux_wq;
	struct workqueue_struct *ctl_wq;
	struct workqueue_struct *ts_wq;
	struct wqs_port ports[WQS_NR_PORTS];
	bool fast;
};

static void wqs_rx_fn(struct work_struct *work)
{
	struct wqs_port *port = container_of(work, struct wqs_port, rx_work);

	pr_debug("%s: rx\n", port->label);
}

/*
 * Helper: the caller chooses the queue's name.  BUG(wq-format): wqs_probe()
 * passes a name read from the firmware, whose "%" reaches vsnprintf() as a
 * conversion.
 */
static struct workqueue_struct *wqs_create_fw_queue(const char *name) /* expected-note {{'name' is a parameter of 'wqs_create_fw_queue': its text comes from the caller}} */
{
	return alloc_ordered_workqueue(name, WQ_MEM_RECLAIM); /* expected-warning-re {{the name passed to 'alloc_ordered_workqueue' is a printf format, and 'name' is not a constant string{{.*}}alloc_ordered_workqueue("%s", ..., name){{.*}}[wq-format]}} */
}

/*
 * Correct: a helper that only this file calls, every time with a literal
 * (second held-out corpus, drivers/accel/qaic/qaic_drv.c:87,
 * qaicm_wq_init(drm, "qaic_cntl")).
 */
static struct workqueue_struct *wqs_create_ctl_queue(const char *name)
{
	return alloc_workqueue(name, WQ_UNBOUND, 0); /* cocci-reports(wq-format): every caller passes a literal, which needs the file's calls */
}

/* Correct: the caller's text is the value of a "%s" format. */
static struct workqueue_struct *wqs_create_irq_queue(const char *name)
{
	return alloc_workqueue("%s", WQ_HIGHPRI, 1, name);
}

/* Correct: a real format with its values. */
static struct workqueue_struct *wqs_create_port_queue(const char *fmt,
						      unsigned int index)
{
	return alloc_ordered_workqueue(fmt, 0, index);
}

/*
 * Correct: a mailbox queue named by a switch that assigns only literals to
 * a local declared without an initialiser; the default case returns
 * (allmodconfig corpus, drivers/net/ethernet/marvell/octeontx2/af/rvu.c:2453
 * rvu_mbox_init()).
 */
struct workqueue_struct *wqs_create_mbox_queue(int type);
struct workqueue_struct *wqs_create_mbox_queue(int type)
{
	const char *name;

	switch (type) {
	case 0:
		name = "wqs_format_mbox_pf";
		break;
	case 1:
		name = "wqs_format_mbox_vf";
		break;
	default:
		return NULL;
	}
	return alloc_workqueue(name, WQ_UNBOUND, 0); /* cocci-reports(wq-format): only literals are assigned to this local, which needs flow analysis */
}
EXPORT_SYMBOL_GPL(wqs_create_mbox_queue);

/* BUG(wq-format): the default case names the queue after its caller's label. */
struct workqueue_struct *wqs_create_mbox_queue_named(int type, const char *label);
struct workqueue_struct *wqs_create_mbox_queue_named(int type, const char *label)
{
	const char *name; /* expected-note {{'name' is declared here and is not a constant string}} */

	switch (type) {
	case 0:
		name = "wqs_format_mbox_pf";
		break;
	default:
		name = label;
		break;
	}
	return alloc_workqueue(name, WQ_UNBOUND, 0); /* expected-warning-re {{the name passed to 'alloc_workqueue' is a printf format, and 'name' is not a constant string{{.*}}[wq-format]}} */
}
EXPORT_SYMBOL_GPL(wqs_create_mbox_queue_named);

/*
 * Correct: the bus core names these devices, with digits only: every
 * virtio device "virtio%u" (register_virtio_device()), every PCI function
 * "%04x:%02x:%02x.%d" (pci_setup_device()); the name holds no '%'
 * (second held-out corpus, drivers/firmware/arm_scmi/transports/
 * virtio.c:420; the same code as 6.1 arm_scmi/virtio.c:434).  The
 * platform device's name in wqs_probe() comes from the device tree and is
 * reported.
 */
struct workqueue_struct *wqs_create_virtio_queue(struct virtio_device *vdev);
struct workqueue_struct *wqs_create_virtio_queue(struct virtio_device *vdev)
{
	return alloc_workqueue(dev_name(&vdev->dev), WQ_UNBOUND | WQ_FREEZABLE, 0);
}
EXPORT_SYMBOL_GPL(wqs_create_virtio_queue);

struct workqueue_struct *wqs_create_pci_queue(struct pci_dev *pdev);
struct workqueue_struct *wqs_create_pci_queue(struct pci_dev *pdev)
{
	struct device *dev = &pdev->dev;

	return alloc_ordered_workqueue(dev_name(dev), 0); /* cocci-reports(wq-format): the device is reached through a local, which needs flow analysis */
}
EXPORT_SYMBOL_GPL(wqs_create_pci_queue);

/*
 * Correct: the buffer copies such a device's name with '%s', next to
 * numbers only, and nothing else writes it (6.1 drivers/s390/scsi/
 * zfcp_aux.c:318, `"zfcp_q_%s"` of a ccw device, named "0.%x.%04x";
 * third held-out corpus).  The label of wqs_open_ports() copies the
 * platform device's name and is reported.
 */
struct workqueue_struct *wqs_create_pci_port_queue(struct pci_dev *pdev,
						   unsigned int port);
struct workqueue_struct *wqs_create_pci_port_queue(struct pci_dev *pdev,
						   unsigned int port)
{
	char name[32];

	snprintf(name, sizeof(name), "wqs_q_%s.%u", dev_name(&pdev->dev), port);
	return alloc_ordered_workqueue(name, WQ_MEM_RECLAIM); /* cocci-reports(wq-format): a '%s' of a bus-named device in the buffer's format needs the table's device types there */
}
EXPORT_SYMBOL_GPL(wqs_create_pci_port_queue);

static int wqs_open_ports(struct wqs_card *card)
{
	char tx_name[24];
	unsigned int i;

	for (i = 0; i < WQS_NR_PORTS; i++) {
		struct wqs_port *port = &card->ports[i];

		port->index = i;
		snprintf(port->label, sizeof(port->label), "%s-p%u", /* expected-note {{the name is formatted here, and its '%s' copies text that may contain '%'}} */
			 dev_name(&card->pdev->dev), i);
		INIT_WORK(&port->rx_work, wqs_rx_fn);
		/*
		 * BUG(wq-format): the label holds the device name, which
		 * user space can influence through the platform device id.
		 */
		port->events = alloc_workqueue(port->label, WQ_UNBOUND, 1); /* expected-warning-re {{the name passed to 'alloc_workqueue' is a printf format, and 'port->label' is not a constant string{{.*}}[wq-format]}} */
		if (!port->events)
			return -ENOMEM;
		/* Correct: a name formatted only from numbers holds no '%'. */
		snprintf(tx_name, sizeof(tx_name), "wqs_tx%u.%u", card->pdev->id, i);
		dev_dbg(&card->pdev->dev, "port %u: tx queue %s\n", i, tx_name);
		port->tx_wq = alloc_ordered_workqueue(tx_name, WQ_MEM_RECLAIM);
		if (!port->tx_wq)
			return -ENOMEM;
	}
	return 0;
}

static void wqs_close_ports(struct wqs_card *card)
{
	unsigned int i;

	for (i = 0; i < WQS_NR_PORTS; i++) {
		if (!card->ports[i].events)
			continue;
		cancel_work_sync(&card->ports[i].rx_work);
		destroy_workqueue(card->ports[i].events);
		if (card->ports[i].tx_wq)
			destroy_workqueue(card->ports[i].tx_wq);
	}
}

static int wqs_probe(struct platform_device *pdev)
{
	struct wqs_card *card;
	const char *mode_name = "wqs_format_slow";
	const char *fw_name;
	int ret = -ENOMEM;

	card = devm_kzalloc(&pdev->dev, sizeof(*card), GFP_KERNEL);
	if (!card)
		return -ENOMEM;
	card->pdev = pdev;
	card->fast = device_property_read_bool(&pdev->dev, "fast-scan");

	/* BUG(wq-format): a device name is not a constant string. */
	card->scan_wq = alloc_workqueue(dev_name(&pdev->dev), WQ_FREEZABLE, 0); /* expected-warning-re {{the name passed to 'alloc_workqueue' is a printf format, and 'dev_name(&pdev->dev)' is not a constant string{{.*}}[wq-format]}} */
	if (!card->scan_wq)
		return -ENOMEM;

	/* Correct: constant names, spelled four ways. */
	card->stats_wq = alloc_workqueue(wqs_stats_name, 0, 0);
	card->log_wq = alloc_ordered_workqueue(wqs_log_name, 0);
	if (card->fast)
		mode_name = "wqs_format_fast";
	card->mode_wq = alloc_workqueue(mode_name, WQ_UNBOUND, 0); /* cocci-reports(wq-format): only literals are assigned to this local, which needs flow analysis */
	card->irq_wq = wqs_create_irq_queue(card->fast ? KBUILD_MODNAME "_irq"
						       : KBUILD_MODNAME);
	if (device_property_read_string(&pdev->dev, "firmware-name", &fw_name))
		fw_name = KBUILD_MODNAME "_fw";
	card->fw_wq = wqs_create_fw_queue(fw_name); /* expected-note {{'wqs_create_fw_queue' is called here with text that is not a constant string}} */
	card->ctl_wq = wqs_create_ctl_queue("wqs_format_ctl");
	card->ts_wq = wqs_create_ctl_queue(KBUILD_MODNAME "_ts");
	card->aux_wq = wqs_create_port_queue("wqs_format_aux%u", pdev->id);
	if (!card->stats_wq || !card->log_wq || !card->mode_wq ||
	    !card->irq_wq || !card->fw_wq || !card->aux_wq || !card->ctl_wq ||
	    !card->ts_wq)
		goto err_queues;

	ret = wqs_open_ports(card);
	if (ret)
		goto err_ports;

	platform_set_drvdata(pdev, card);
	return 0;

err_ports:
	wqs_close_ports(card);
err_queues:
	if (card->ts_wq)
		destroy_workqueue(card->ts_wq);
	if (card->ctl_wq)
		destroy_workqueue(card->ctl_wq);
	if (card->aux_wq)
		destroy_workqueue(card->aux_wq);
	if (card->fw_wq)
		destroy_workqueue(card->fw_wq);
	if (card->irq_wq)
		destroy_workqueue(card->irq_wq);
	if (card->mode_wq)
		destroy_workqueue(card->mode_wq);
	if (card->log_wq)
		destroy_workqueue(card->log_wq);
	if (card->stats_wq)
		destroy_workqueue(card->stats_wq);
	destroy_workqueue(card->scan_wq);
	return ret;
}

static void wqs_remove(struct platform_device *pdev)
{
	struct wqs_card *card = platform_get_drvdata(pdev);

	wqs_close_ports(card);
	destroy_workqueue(card->ts_wq);
	destroy_workqueue(card->ctl_wq);
	destroy_workqueue(card->aux_wq);
	destroy_workqueue(card->fw_wq);
	destroy_workqueue(card->irq_wq);
	destroy_workqueue(card->mode_wq);
	destroy_workqueue(card->log_wq);
	destroy_workqueue(card->stats_wq);
	destroy_workqueue(card->scan_wq);
}

static struct platform_driver wqs_driver = {
	.probe = wqs_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = wqs_remove,
#else
	.remove_new = wqs_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = {
		.name = "wqs_format",
	},
};
module_platform_driver(wqs_driver);

MODULE_DESCRIPTION("wqcheck sample: workqueue names as printf formats");
MODULE_LICENSE("GPL");
