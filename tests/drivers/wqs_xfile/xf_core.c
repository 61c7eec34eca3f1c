// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_xfile core: the atomic callers.  The sleeps they reach are in the
 * other files (see xf_transport.c); the one bug a single file shows is
 * reported by the kbuild pass itself (expected- directives).
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/usb.h>
#include "xf.h"

static struct xf_dev *xf_global;

static void xf_event_work_fn(struct work_struct *w)
{
	struct xf_dev *xf = container_of(w, struct xf_dev, event_work);

	xf->retries++;
}

static void xf_reset_work_fn(struct work_struct *w)
{
	struct xf_dev *xf = container_of(w, struct xf_dev, reset_work);

	xf->retries = 0;
}

static void xf_poll_timer_fn(struct timer_list *t)
{
	struct xf_dev *xf = from_timer(xf, t, poll_timer);

	schedule_work(&xf->event_work); /* crossfile-note {{'xf->event_work' is queued here, and nothing in this file waits for it before the free}} */
	schedule_work(&xf->reset_work);

	xf_transport_sync(xf); /* crossfile-note {{'xf_poll_timer_fn' calls 'xf_transport_sync' here}} */
	xf_transport_poll(xf, false);
	xf_transport_note(xf);
	xf_transport_maybe_flush(xf);
}

/* Registered as a timer in xf_transport.c: its own sleep is news there. */
void xf_retry_fn(struct timer_list *t)
{
	struct xf_dev *xf = from_timer(xf, t, retry_timer);

	xf->retries++;
	msleep(1); /* crossfile-warning-re {{sleeping function 'msleep' reached in atomic context (timer callback 'xf_retry_fn') from another file; {{.*}}[wq-sleep-in-atomic]}} crossfile-note {{found by 'wqcheck report'}} */
	/* BUG(wq-sleep-in-atomic): a timer callback (xf_transport.c) that
	 * sleeps. */
}

/* Completion of the status URB (atomic).  A completion on the hard
 * endpoint is only counted; the hardware reset, which sleeps in another
 * file (xf_transport.c), runs after that return, for the other endpoint, whose URBs a
 * work item completes in the real driver.  At --level=possible only: it
 * depends on a field of the URB, which wqcheck does not follow (the shape
 * of 6.1 gmc_v10_0_process_interrupt(): `if (entry->ih == &adev->irq.ih)
 * { amdgpu_irq_delegate(..); return 1; }`, held-out Set I). */
static void xf_status_complete(struct urb *urb)
{
	struct xf_dev *xf = urb->context;

	if (urb->pipe == xf->hard_pipe) {
		xf->retries++;
		return;
	}
	xf_transport_reset_hw(xf);
}

void xf_status_setup(struct xf_dev *xf, struct usb_device *udev, void *buf)
{
	xf->hard_pipe = usb_rcvintpipe(udev, 1);
	usb_fill_int_urb(xf->status_urb, udev, usb_rcvintpipe(udev, 2), buf, 8,
			 xf_status_complete, xf, 1);
}

static void xf_rx_tasklet_fn(struct tasklet_struct *t)
{
	struct xf_dev *xf = from_tasklet(xf, t, rx_tasklet);

	if (xf->retries > 3)
		xf_restart(xf); /* crossfile-note {{'xf_rx_tasklet_fn' calls 'xf_restart' here}} */
	else
		xf_restart_atomic(xf);
	if (!xf->buf)
		xf_ops_scan(xf);
}

static void xf_sync_work_fn(struct work_struct *w)
{
	struct xf_dev *xf = container_of(w, struct xf_dev, sync_work);

	xf->retries = 0;
}

/* A PCI function of the same device: probe sets up sync_work (its stop in
 * remove is fine), not scan_work (set up on the first scan, xf_ops.c). */
static int xf_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct xf_dev *xf = devm_kzalloc(&pdev->dev, sizeof(*xf), GFP_KERNEL);

	if (!xf)
		return -ENOMEM;
	INIT_WORK(&xf->sync_work, xf_sync_work_fn);
	pci_set_drvdata(pdev, xf);
	return 0;
}

static void xf_pci_remove(struct pci_dev *pdev)
{
	struct xf_dev *xf = pci_get_drvdata(pdev);

	xf_transport_teardown(xf);
}

static const struct pci_device_id xf_pci_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x10ff) },
	{ }
};
MODULE_DEVICE_TABLE(pci, xf_pci_ids);

static struct pci_driver xf_pci_driver = { /* crossfile-note {{probe 'xf_pci_probe' and remove 'xf_pci_remove' are set here}} */
	.name = "wqs_xfile",
	.id_table = xf_pci_ids,
	.probe = xf_pci_probe,
	.remove = xf_pci_remove,
};

static void xf_kick(struct xf_dev *xf)
{
	unsigned long flags;

	spin_lock_irqsave(&xf->lock, flags); /* crossfile-note {{spinlock 'xf->lock' held: entered here}} expected-note {{spinlock 'xf->lock' taken here}} */
	xf_lib_wait_ready(); /* crossfile-note {{'xf_kick' calls 'xf_lib_wait_ready' here}} */
	xf_lib_kick();
	xf_transport_fill(xf, GFP_ATOMIC);
	xf_transport_fill(xf, GFP_KERNEL); /* expected-warning-re {{sleeping function 'xf_transport_fill' with GFP flags that allow direct reclaim called in atomic context (spinlock 'xf->lock' held){{.*}}[wq-sleep-in-atomic]}} */
	/* BUG(wq-sleep-in-atomic): visible in this file (an external
	 * function passed GFP_KERNEL): the kbuild pass reports it, the
	 * report does not repeat it. */
	spin_unlock_irqrestore(&xf->lock, flags);
}

static int __init xf_init(void)
{
	struct xf_dev *xf = kzalloc(sizeof(*xf), GFP_KERNEL);

	if (!xf)
		return -ENOMEM;
	spin_lock_init(&xf->lock);
	mutex_init(&xf->io_lock);
	INIT_WORK(&xf->event_work, xf_event_work_fn);
	INIT_WORK(&xf->reset_work, xf_reset_work_fn);
	xf->ops = &xf_default_ops;
	timer_setup(&xf->poll_timer, xf_poll_timer_fn, 0); /* crossfile-note {{'xf_poll_timer_fn' runs in atomic context: registered here with 'timer_setup'}} */
	tasklet_setup(&xf->rx_tasklet, xf_rx_tasklet_fn); /* crossfile-note {{'xf_rx_tasklet_fn' runs in atomic context: registered here with 'tasklet_setup'}} */
	xf_transport_start(xf);
	/* Process context: the same helpers may sleep here (negative). */
	xf_transport_sync(xf);
	xf_transport_poll(xf, true);
	xf_restart(xf);
	xf_kick(xf);
	xf_global = xf;
	if (pci_register_driver(&xf_sub_driver))
		return -ENODEV;
	return pci_register_driver(&xf_pci_driver);
}

static void __exit xf_exit(void)
{
	struct xf_dev *xf = xf_global;

	pci_unregister_driver(&xf_pci_driver);
	pci_unregister_driver(&xf_sub_driver);
	del_timer_sync(&xf->poll_timer);
	del_timer_sync(&xf->retry_timer);
	tasklet_kill(&xf->rx_tasklet);
	/* The file cannot tell what these two stop: it stays silent, and the
	 * report decides with their summaries (reset_work is stopped). */
	xf_transport_shutdown(xf);
	xf_transport_release(xf);
	kfree(xf->buf);
	kfree(xf); /* crossfile-warning-re {{'kfree' frees 'xf' while its work item 'xf->event_work' (handler 'xf_event_work_fn') may still be queued or running{{.*}}[wq-free-before-cancel]}} crossfile-note {{found by 'wqcheck report': the file's own check took those calls of other files for possible stops}} crossfile-note {{nor do the 11 other function(s) of other files this file hands 'xf_dev' to}} */
	/* BUG(wq-free-before-cancel): nothing waits for event_work, which the
	 * poll timer queued, before the free. */
}

module_init(xf_init);
module_exit(xf_exit);
MODULE_DESCRIPTION("wqcheck sample: a driver split over several files");
MODULE_LICENSE("GPL");
