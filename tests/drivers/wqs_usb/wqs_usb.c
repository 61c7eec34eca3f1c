// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_usb - USB driver for a (fake) vendor-specific status panel
 *
 * The panel reports button/sensor events over an interrupt-IN endpoint.
 * The URB completion handler copies the report and hands it to a work
 * item; a self-rearming delayed work blinks the panel's LED through
 * vendor control requests.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/usb.h>
#include <linux/workqueue.h>

#define WQS_USB_VENDOR_ID	0xfff0
#define WQS_USB_PRODUCT_ID	0x0a51

#define WQS_USB_REPORT_SIZE	8
#define WQS_USB_HISTORY_MAX	32
#define WQS_USB_BLINK_MS	500
#define WQS_USB_CTRL_TIMEOUT	1000	/* ms */

#define WQS_USB_REQ_SET_LED	0x01
#define WQS_USB_REQ_CLEAR_OVF	0x02

#define WQS_USB_EVT_OVERFLOW	0x80

struct wqs_usb_event {
	struct list_head node;
	u8 report[WQS_USB_REPORT_SIZE];
};

struct wqs_usb {
	struct usb_device *udev;
	struct usb_interface *intf;
	struct urb *int_urb;
	u8 *int_buf;
	unsigned int int_pipe;
	int int_interval;

	spinlock_t lock;		/* protects report, history, flags */
	u8 report[WQS_USB_REPORT_SIZE];
	bool report_pending;
	bool disconnected;
	struct list_head history;
	unsigned int nr_history;

	struct mutex io_mutex;		/* serialises control requests */
	bool led_on;

	struct work_struct event_work;
	struct delayed_work led_work;
};

static int wqs_usb_ctrl(struct wqs_usb *dev, u8 request, u16 value)
{
	int ret;

	mutex_lock(&dev->io_mutex);
	ret = usb_control_msg(dev->udev, usb_sndctrlpipe(dev->udev, 0),
			      request, USB_DIR_OUT | USB_TYPE_VENDOR |
			      USB_RECIP_INTERFACE, value,
			      dev->intf->cur_altsetting->desc.bInterfaceNumber,
			      NULL, 0, WQS_USB_CTRL_TIMEOUT);
	mutex_unlock(&dev->io_mutex);
	return ret < 0 ? ret : 0;
}

static void wqs_usb_int_complete(struct urb *urb)
{
	struct wqs_usb *dev = urb->context;
	int ret;

	switch (urb->status) {
	case 0:
		break;
	case -ECONNRESET:
	case -ENOENT:
	case -ESHUTDOWN:
		return;
	default:
		dev_dbg(&dev->intf->dev, "int urb status %d\n", urb->status);
		goto resubmit;
	}

	spin_lock(&dev->lock);
	memcpy(dev->report, dev->int_buf, WQS_USB_REPORT_SIZE);
	dev->report_pending = true;
	spin_unlock(&dev->lock);

	schedule_work(&dev->event_work);

resubmit:
	/* Completion handlers run in atomic context: GFP_ATOMIC (correct). */
	ret = usb_submit_urb(urb, GFP_ATOMIC);
	if (ret && ret != -EPERM)
		dev_err(&dev->intf->dev, "resubmit failed: %d\n", ret);
}

static void wqs_usb_event_work(struct work_struct *work)
{
	struct wqs_usb *dev = container_of(work, struct wqs_usb, event_work);
	struct wqs_usb_event *ev = NULL;
	u8 report[WQS_USB_REPORT_SIZE];
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags); /* expected-note {{spinlock 'dev->lock' taken here}} */
	if (!dev->report_pending) {
		spin_unlock_irqrestore(&dev->lock, flags);
		return;
	}
	memcpy(report, dev->report, sizeof(report));
	dev->report_pending = false;
	if (dev->nr_history < WQS_USB_HISTORY_MAX) {
		/* BUG(wq-sleep-in-atomic): GFP_KERNEL allocation under spin_lock_irqsave(&dev->lock) */
		/* expected-warning-re@+1 {{sleeping function 'kmalloc' with GFP flags that allow direct reclaim called in atomic context (spinlock 'dev->lock' held){{.*}}[wq-sleep-in-atomic]}} */
		ev = kmalloc(sizeof(*ev), GFP_KERNEL);
		if (ev) {
			memcpy(ev->report, report, sizeof(report));
			list_add_tail(&ev->node, &dev->history);
			dev->nr_history++;
		}
	}
	spin_unlock_irqrestore(&dev->lock, flags);

	/* Lock dropped, process context: a sleeping control request is fine. */
	if (report[0] & WQS_USB_EVT_OVERFLOW)
		wqs_usb_ctrl(dev, WQS_USB_REQ_CLEAR_OVF, 0);

	dev_dbg(&dev->intf->dev, "report %*ph\n", WQS_USB_REPORT_SIZE, report);
}

static void wqs_usb_led_work(struct work_struct *work)
{
	struct wqs_usb *dev = container_of(to_delayed_work(work),
					   struct wqs_usb, led_work);
	bool stop;

	dev->led_on = !dev->led_on;
	wqs_usb_ctrl(dev, WQS_USB_REQ_SET_LED, dev->led_on);

	spin_lock_irq(&dev->lock);
	stop = dev->disconnected;
	spin_unlock_irq(&dev->lock);

	if (!stop)
		schedule_delayed_work(&dev->led_work, /* expected-note {{'dev->led_work' is queued here}} */
				      msecs_to_jiffies(WQS_USB_BLINK_MS));
}

static int wqs_usb_probe(struct usb_interface *intf,
			 const struct usb_device_id *id)
{
	struct usb_endpoint_descriptor *ep;
	struct wqs_usb *dev;
	int ret;

	ret = usb_find_int_in_endpoint(intf->cur_altsetting, &ep);
	if (ret)
		return ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL); /* expected-note {{'dev' is allocated here}} */
	if (!dev)
		return -ENOMEM;

	dev->udev = usb_get_dev(interface_to_usbdev(intf));
	dev->intf = intf;
	spin_lock_init(&dev->lock);
	mutex_init(&dev->io_mutex);
	INIT_LIST_HEAD(&dev->history);
	dev->int_pipe = usb_rcvintpipe(dev->udev, ep->bEndpointAddress);
	dev->int_interval = ep->bInterval;

	/* Blink once so the user can see which panel was bound. */
	/* BUG(wq-uninit): led_work is queued here, INIT_DELAYED_WORK() only runs below */
	/* expected-warning-re@+1 {{'schedule_delayed_work' queues work item 'dev->led_work' before it is initialised{{.*}}[wq-uninit]}} */
	schedule_delayed_work(&dev->led_work, msecs_to_jiffies(WQS_USB_BLINK_MS));

	INIT_WORK(&dev->event_work, wqs_usb_event_work);
	INIT_DELAYED_WORK(&dev->led_work, wqs_usb_led_work); /* expected-note {{'dev->led_work' is initialised only here}} */

	dev->int_buf = kmalloc(WQS_USB_REPORT_SIZE, GFP_KERNEL);
	dev->int_urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!dev->int_buf || !dev->int_urb) {
		ret = -ENOMEM;
		goto err_free;
	}

	usb_fill_int_urb(dev->int_urb, dev->udev, dev->int_pipe, dev->int_buf,
			 WQS_USB_REPORT_SIZE, wqs_usb_int_complete, dev,
			 dev->int_interval);

	usb_set_intfdata(intf, dev);

	/* Process context: GFP_KERNEL is fine here. */
	ret = usb_submit_urb(dev->int_urb, GFP_KERNEL);
	if (ret)
		goto err_intfdata;

	dev_info(&intf->dev, "status panel attached\n");
	return 0;

err_intfdata:
	usb_set_intfdata(intf, NULL);
err_free:
	/* Correct: sync cancel before the memory goes away. */
	cancel_delayed_work_sync(&dev->led_work);
	usb_free_urb(dev->int_urb);
	kfree(dev->int_buf);
	usb_put_dev(dev->udev);
	kfree(dev);
	return ret;
}

static void wqs_usb_disconnect(struct usb_interface *intf)
{
	struct wqs_usb *dev = usb_get_intfdata(intf);
	struct wqs_usb_event *ev, *tmp;

	usb_set_intfdata(intf, NULL);

	spin_lock_irq(&dev->lock);
	dev->disconnected = true;
	spin_unlock_irq(&dev->lock);

	/* Stop the URB first so the completion cannot queue event_work again. */
	usb_kill_urb(dev->int_urb);
	/* expected-warning-re@+1 {{'flush_scheduled_work' is deprecated{{.*}}[wq-deprecated]}} */
	flush_scheduled_work();

	list_for_each_entry_safe(ev, tmp, &dev->history, node) {
		list_del(&ev->node);
		kfree(ev);
	}

	usb_free_urb(dev->int_urb);
	kfree(dev->int_buf);
	usb_put_dev(dev->udev);

	cancel_delayed_work(&dev->led_work); /* expected-note {{cancelled here without waiting}} */
	/* BUG(wq-free-before-cancel): led_work only got the non-sync cancel_delayed_work(); a running instance still uses dev */
	/* expected-warning-re@+1 {{'kfree' frees 'dev' while its work item 'dev->led_work' (handler 'wqs_usb_led_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	kfree(dev);

	dev_info(&intf->dev, "status panel detached\n");
}

static const struct usb_device_id wqs_usb_ids[] = {
	{ USB_DEVICE(WQS_USB_VENDOR_ID, WQS_USB_PRODUCT_ID) },
	{ }
};
MODULE_DEVICE_TABLE(usb, wqs_usb_ids);

static struct usb_driver wqs_usb_driver = {
	.name = "wqs_usb",
	.probe = wqs_usb_probe,
	.disconnect = wqs_usb_disconnect,
	.id_table = wqs_usb_ids,
};
module_usb_driver(wqs_usb_driver);

MODULE_DESCRIPTION("wqcheck sample: USB driver queueing work from URB completion");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
