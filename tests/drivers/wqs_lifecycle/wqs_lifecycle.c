// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_lifecycle - small drivers whose work-item lifecycle is correct in
 * ways that a careless lifecycle check gets wrong, next to the real bugs
 * they resemble.
 *
 * Every negative case here was a false positive of wq-free-before-cancel
 * or wq-uninit on Linux 6.1 drivers (docs/evaluation.md names the file and
 * line it was found at).  The stop or the initialisation happens:
 *  - in an ops callback that a subsystem's unregister call runs
 *    (input_dev.close, hci_dev.close, component_ops.unbind), or that devres
 *    runs when it unregisters a devm input device before the driver data;
 *  - before the last kref_put() that runs a release callback;
 *  - in every caller of a static destructor helper;
 *  - in a sibling module (wqs_lifecycle_core.c) that owns the work item;
 *  - by destroying the only workqueue a work item runs on, behind a NULL
 *    check or in a helper;
 * or the object was never live: it came from a constructor in this file,
 * through a cast, or into a field, and is freed on an error path before
 * anything could queue it.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/component.h>
#include <linux/input.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/tty_port.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <net/bluetooth/bluetooth.h>
#include <net/bluetooth/hci_core.h>
#include "wqs_lifecycle.h"

/* ---------------------------------------------------------------------
 * 1. A button whose input_dev.close cancels the work item.
 *    input_unregister_device() calls ->close() (drivers/input/input.c,
 *    input_disconnect_device -> input_close_device).
 *    Found at drivers/input/misc/max8997_haptic.c:365.
 */
struct lc_btn {
	struct input_dev *idev;
	int irq;
	struct work_struct press_work;
};

static void lc_btn_press(struct work_struct *work)
{
	struct lc_btn *b = container_of(work, struct lc_btn, press_work);

	input_report_key(b->idev, KEY_POWER, 1);
	input_sync(b->idev);
}

static irqreturn_t lc_btn_irq(int irq, void *data)
{
	struct lc_btn *b = data;

	schedule_work(&b->press_work);
	return IRQ_HANDLED;
}

static int lc_btn_open(struct input_dev *idev)
{
	struct lc_btn *b = input_get_drvdata(idev);

	enable_irq(b->irq);
	return 0;
}

static void lc_btn_close(struct input_dev *idev)
{
	struct lc_btn *b = input_get_drvdata(idev);

	disable_irq(b->irq);
	cancel_work_sync(&b->press_work);
}

static int lc_btn_probe(struct platform_device *pdev)
{
	struct lc_btn *b;
	int err;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	INIT_WORK(&b->press_work, lc_btn_press);
	b->irq = platform_get_irq(pdev, 0);
	b->idev = input_allocate_device();
	if (b->irq < 0 || !b->idev) {
		err = -ENODEV;
		goto err_free;
	}
	b->idev->name = "wqs-lc-button";
	b->idev->open = lc_btn_open;
	b->idev->close = lc_btn_close;
	input_set_capability(b->idev, EV_KEY, KEY_POWER);
	input_set_drvdata(b->idev, b);
	err = request_irq(b->irq, lc_btn_irq, IRQF_NO_AUTOEN, "wqs-lc-btn", b);
	if (err)
		goto err_free;
	err = input_register_device(b->idev);
	if (err)
		goto err_irq;
	platform_set_drvdata(pdev, b);
	return 0;

err_irq:
	free_irq(b->irq, b);
err_free:
	input_free_device(b->idev);
	kfree(b);
	return err;
}

static void lc_btn_remove(struct platform_device *pdev)
{
	struct lc_btn *b = platform_get_drvdata(pdev);

	input_unregister_device(b->idev);	/* ->close() cancels press_work */
	free_irq(b->irq, b);
	kfree(b);
}

/*
 * The same shape, but ->close() only masks the interrupt: the work item
 * queued just before may still run when remove() frees the object.
 */
struct lc_sw {
	struct input_dev *idev;
	int irq;
	struct work_struct toggle_work;
};

static void lc_sw_toggle(struct work_struct *work)
{
	struct lc_sw *s = container_of(work, struct lc_sw, toggle_work);

	input_report_switch(s->idev, SW_LID, 1);
	input_sync(s->idev);
}

static irqreturn_t lc_sw_irq(int irq, void *data)
{
	struct lc_sw *s = data;

	schedule_work(&s->toggle_work); /* expected-note {{'s->toggle_work' is queued here}} */
	return IRQ_HANDLED;
}

static void lc_sw_close(struct input_dev *idev)
{
	struct lc_sw *s = input_get_drvdata(idev);

	disable_irq(s->irq);
}

static int lc_sw_probe(struct platform_device *pdev)
{
	struct lc_sw *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	INIT_WORK(&s->toggle_work, lc_sw_toggle);
	s->irq = platform_get_irq(pdev, 0);
	s->idev = input_allocate_device();
	if (s->irq < 0 || !s->idev) {
		input_free_device(s->idev);
		kfree(s);
		return -ENODEV;
	}
	s->idev->close = lc_sw_close;
	input_set_capability(s->idev, EV_SW, SW_LID);
	input_set_drvdata(s->idev, s);
	err = request_irq(s->irq, lc_sw_irq, IRQF_NO_AUTOEN, "wqs-lc-sw", s);
	if (err) {
		input_free_device(s->idev);
		kfree(s);
		return err;
	}
	err = input_register_device(s->idev);
	if (err) {
		free_irq(s->irq, s);
		input_free_device(s->idev);
		kfree(s);
		return err;
	}
	enable_irq(s->irq);
	platform_set_drvdata(pdev, s);
	return 0;
}

static void lc_sw_remove(struct platform_device *pdev)
{
	struct lc_sw *s = platform_get_drvdata(pdev);

	free_irq(s->irq, s);
	input_unregister_device(s->idev);
	/* BUG(wq-free-before-cancel): ->close() does not cancel toggle_work */
	kfree(s); /* expected-warning-re {{'kfree' frees 's' while its work item 's->toggle_work' (handler 'lc_sw_toggle') may still be queued or running{{.*}}call cancel_work_sync(&s->toggle_work) before freeing it{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
}

/* ---------------------------------------------------------------------
 * 2. A touchscreen with devm driver data and a devm input device
 *    allocated after it: devres releases in reverse order, so the input
 *    device is unregistered (->close() cancels the work) before the data
 *    is freed.  remove() need not cancel.
 *    Found at drivers/input/touchscreen/stmpe-ts.c:353.
 */
struct lc_ts {
	struct input_dev *idev;
	struct delayed_work sample_work;
	unsigned int samples;
};

static void lc_ts_sample(struct work_struct *work)
{
	struct lc_ts *ts = container_of(to_delayed_work(work), struct lc_ts,
					sample_work);

	ts->samples++;
	schedule_delayed_work(&ts->sample_work, HZ / 100);
}

static int lc_ts_open(struct input_dev *idev)
{
	struct lc_ts *ts = input_get_drvdata(idev);

	schedule_delayed_work(&ts->sample_work, 0);
	return 0;
}

static void lc_ts_close(struct input_dev *idev)
{
	struct lc_ts *ts = input_get_drvdata(idev);

	cancel_delayed_work_sync(&ts->sample_work);
}

static int lc_ts_probe(struct platform_device *pdev)
{
	struct lc_ts *ts;

	ts = devm_kzalloc(&pdev->dev, sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	INIT_DELAYED_WORK(&ts->sample_work, lc_ts_sample);
	ts->idev = devm_input_allocate_device(&pdev->dev);
	if (!ts->idev)
		return -ENOMEM;
	ts->idev->name = "wqs-lc-ts";
	ts->idev->open = lc_ts_open;
	ts->idev->close = lc_ts_close;
	input_set_capability(ts->idev, EV_KEY, BTN_TOUCH);
	input_set_drvdata(ts->idev, ts);
	platform_set_drvdata(pdev, ts);
	return input_register_device(ts->idev);
}

/* The same with the input device set up by a helper (wm97xx-core.c:759). */
static int lc_ts_register_input(struct lc_ts *ts, struct device *dev)
{
	ts->idev = devm_input_allocate_device(dev);
	if (!ts->idev)
		return -ENOMEM;
	ts->idev->name = "wqs-lc-ts2";
	ts->idev->open = lc_ts_open;
	ts->idev->close = lc_ts_close;
	input_set_capability(ts->idev, EV_KEY, BTN_TOUCH);
	input_set_drvdata(ts->idev, ts);
	return input_register_device(ts->idev);
}

static int lc_ts2_probe(struct platform_device *pdev)
{
	struct lc_ts *ts;

	ts = devm_kzalloc(&pdev->dev, sizeof(*ts), GFP_KERNEL);
	if (!ts)
		return -ENOMEM;
	INIT_DELAYED_WORK(&ts->sample_work, lc_ts_sample);
	platform_set_drvdata(pdev, ts);
	return lc_ts_register_input(ts, &pdev->dev);
}

static void lc_ts_remove(struct platform_device *pdev)
{
	struct lc_ts *ts = platform_get_drvdata(pdev);

	dev_info(&pdev->dev, "%u samples\n", ts->samples);
}

/* ---------------------------------------------------------------------
 * 3. A charger that is a component: component_del() unbinds it, and the
 *    unbind callback cancels the periodic work (drivers/base/component.c,
 *    take_down_aggregate_device -> component_unbind -> ops->unbind).
 *    Found at drivers/power/supply/ab8500_chargalg.c:1827.
 */
struct lc_chg {
	struct delayed_work periodic_work;
	int level;
};

static void lc_chg_periodic(struct work_struct *work)
{
	struct lc_chg *chg = container_of(to_delayed_work(work), struct lc_chg,
					  periodic_work);

	chg->level++;
	schedule_delayed_work(&chg->periodic_work, 10 * HZ);
}

static int lc_chg_bind(struct device *dev, struct device *master, void *data)
{
	struct lc_chg *chg = dev_get_drvdata(dev);

	schedule_delayed_work(&chg->periodic_work, 0);
	return 0;
}

static void lc_chg_unbind(struct device *dev, struct device *master,
			  void *data)
{
	struct lc_chg *chg = dev_get_drvdata(dev);

	cancel_delayed_work_sync(&chg->periodic_work);
}

static const struct component_ops lc_chg_component_ops = {
	.bind = lc_chg_bind,
	.unbind = lc_chg_unbind,
};

static int lc_chg_probe(struct platform_device *pdev)
{
	struct lc_chg *chg;
	int err;

	chg = kzalloc(sizeof(*chg), GFP_KERNEL);
	if (!chg)
		return -ENOMEM;
	INIT_DELAYED_WORK(&chg->periodic_work, lc_chg_periodic);
	platform_set_drvdata(pdev, chg);
	err = component_add(&pdev->dev, &lc_chg_component_ops);
	if (err)
		kfree(chg);
	return err;
}

static void lc_chg_remove(struct platform_device *pdev)
{
	struct lc_chg *chg = platform_get_drvdata(pdev);

	component_del(&pdev->dev, &lc_chg_component_ops);
	kfree(chg);
}

/* ---------------------------------------------------------------------
 * 4. A Bluetooth controller: hci_unregister_dev() closes the device
 *    (net/bluetooth/hci_core.c, hci_dev_do_close -> hci_dev_close_sync ->
 *    hdev->close), and ->close() cancels the receive work.
 *    Found at drivers/bluetooth/btusb.c:4297.
 */
struct lc_bt {
	struct hci_dev *hdev;
	struct sk_buff_head rxq;
	struct work_struct rx_work;
};

static void lc_bt_rx(struct work_struct *work)
{
	struct lc_bt *bt = container_of(work, struct lc_bt, rx_work);
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&bt->rxq)))
		hci_recv_frame(bt->hdev, skb);
}

static int lc_bt_open(struct hci_dev *hdev)
{
	return 0;
}

static int lc_bt_close(struct hci_dev *hdev)
{
	struct lc_bt *bt = hci_get_drvdata(hdev);

	cancel_work_sync(&bt->rx_work);
	skb_queue_purge(&bt->rxq);
	return 0;
}

static int lc_bt_send(struct hci_dev *hdev, struct sk_buff *skb)
{
	struct lc_bt *bt = hci_get_drvdata(hdev);

	/* loopback: the controller answers everything */
	skb_queue_tail(&bt->rxq, skb);
	schedule_work(&bt->rx_work);
	return 0;
}

static int lc_bt_probe(struct platform_device *pdev)
{
	struct lc_bt *bt;
	int err;

	bt = kzalloc(sizeof(*bt), GFP_KERNEL);
	if (!bt)
		return -ENOMEM;
	skb_queue_head_init(&bt->rxq);
	INIT_WORK(&bt->rx_work, lc_bt_rx);
	bt->hdev = hci_alloc_dev();
	if (!bt->hdev) {
		kfree(bt);
		return -ENOMEM;
	}
	hci_set_drvdata(bt->hdev, bt);
	bt->hdev->open = lc_bt_open;
	bt->hdev->close = lc_bt_close;
	bt->hdev->send = lc_bt_send;
	err = hci_register_dev(bt->hdev);
	if (err < 0) {
		hci_free_dev(bt->hdev);
		kfree(bt);
		return err;
	}
	platform_set_drvdata(pdev, bt);
	return 0;
}

static void lc_bt_remove(struct platform_device *pdev)
{
	struct lc_bt *bt = platform_get_drvdata(pdev);

	hci_unregister_dev(bt->hdev);	/* ->close() cancels rx_work */
	hci_free_dev(bt->hdev);
	kfree(bt);
}

/* ---------------------------------------------------------------------
 * 5. Reference-counted requests.  The release callback frees the request
 *    when the last reference goes; the file cancels the work item before
 *    it drops the reference it holds for it.
 *    Found at drivers/hid/hid-logitech-dj.c:617 (also hso.c:2610,
 *    power_supply_core.c:1103, md.c:3687).
 */
struct lc_req {
	struct kref ref;
	struct work_struct done_work;
	int status;
};

static void lc_req_release(struct kref *ref)
{
	struct lc_req *req = container_of(ref, struct lc_req, ref);

	kfree(req);
}

static void lc_req_done(struct work_struct *work)
{
	struct lc_req *req = container_of(work, struct lc_req, done_work);

	req->status = 0;
}

static struct lc_req *lc_req_start(void)
{
	struct lc_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return NULL;
	kref_init(&req->ref);
	INIT_WORK(&req->done_work, lc_req_done);
	schedule_work(&req->done_work);
	return req;
}

static void lc_req_abort(struct lc_req *req)
{
	cancel_work_sync(&req->done_work);
	kref_put(&req->ref, lc_req_release);
}

/* The same through a helper of the release callback (hso.c:2610). */
static void lc_req_destroy(struct lc_req *req)
{
	req->status = -ESHUTDOWN;
	kfree(req);
}

static void lc_req_release_quiet(struct kref *ref)
{
	lc_req_destroy(container_of(ref, struct lc_req, ref));
}

static void lc_req_abort_quiet(struct lc_req *req)
{
	cancel_work_sync(&req->done_work);
	kref_put(&req->ref, lc_req_release_quiet);
}

/*
 * Events use the same scheme, and nothing in this file ever waits for
 * their work item: but the work holds a reference of its own (taken
 * before the queue, dropped by the handler), so the release can only run
 * after the handler.  Found as a false positive at
 * drivers/infiniband/core/multicast.c:194 (FP-14, issue 10); reported at
 * --level=possible only.
 */
struct lc_evt {
	struct kref ref;
	struct work_struct notify_work;
};

static void lc_evt_release(struct kref *ref)
{
	struct lc_evt *evt = container_of(ref, struct lc_evt, ref);

	/* possible-warning-re@+2 {{'kfree' frees 'evt' while its work item 'evt->notify_work' (handler 'lc_evt_notify') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: its handler 'lc_evt_notify' drops a reference}} */
	kfree(evt);
}

static void lc_evt_notify(struct work_struct *work)
{
	struct lc_evt *evt = container_of(work, struct lc_evt, notify_work);

	kref_put(&evt->ref, lc_evt_release);
}

static void lc_evt_fire(struct lc_evt *evt)
{
	kref_get(&evt->ref);
	if (!schedule_work(&evt->notify_work)) /* possible-note {{'evt->notify_work' is queued here}} */
		kref_put(&evt->ref, lc_evt_release);
}

/*
 * The real bug it resembles: a release callback that stops the work item
 * without waiting, so a handler already running uses the freed object.
 */
struct lc_evt2 {
	struct kref ref;
	struct work_struct notify_work;
	int hits;
};

static void lc_evt2_notify(struct work_struct *work)
{
	struct lc_evt2 *evt = container_of(work, struct lc_evt2, notify_work);

	evt->hits++;
}

static void lc_evt2_release(struct kref *ref)
{
	struct lc_evt2 *evt = container_of(ref, struct lc_evt2, ref);

	cancel_work(&evt->notify_work); /* expected-note {{cancelled here without waiting}} */
	/* BUG(wq-free-before-cancel): cancel_work() does not wait for a running handler */
	/* expected-warning-re@+1 {{'kfree' frees 'evt' while its work item 'evt->notify_work' (handler 'lc_evt2_notify') may still be queued or running{{.*}}the cancel without _sync does not wait{{.*}}[wq-free-before-cancel]}} */
	kfree(evt);
}

static struct lc_evt2 *lc_evt2_new(void)
{
	struct lc_evt2 *evt = kzalloc(sizeof(*evt), GFP_KERNEL);

	if (!evt)
		return NULL;
	kref_init(&evt->ref);
	INIT_WORK(&evt->notify_work, lc_evt2_notify);
	schedule_work(&evt->notify_work); /* expected-note {{'evt->notify_work' is queued here}} */
	return evt;
}

static struct lc_evt *lc_evt_new(void)
{
	struct lc_evt *evt = kzalloc(sizeof(*evt), GFP_KERNEL);

	if (!evt)
		return NULL;
	kref_init(&evt->ref);
	INIT_WORK(&evt->notify_work, lc_evt_notify);
	return evt;
}

/*
 * A child device freed by its device_type's release callback; remove
 * cancels the work item before it drops the device
 * (drivers/hid/intel-ish-hid/ishtp/bus.c:401).
 */
struct lc_child {
	struct device dev;
	struct work_struct event_work;
	int events;
};

static void lc_child_event(struct work_struct *work)
{
	struct lc_child *child = container_of(work, struct lc_child,
					      event_work);

	child->events++;
}

static void lc_child_release(struct device *dev)
{
	kfree(container_of(dev, struct lc_child, dev));
}

static const struct device_type lc_child_type = {
	.name = "wqs-lc-child",
	.release = lc_child_release,
};

static struct lc_child *lc_child_add(struct device *parent)
{
	struct lc_child *child = kzalloc(sizeof(*child), GFP_KERNEL);

	if (!child)
		return NULL;
	INIT_WORK(&child->event_work, lc_child_event);
	device_initialize(&child->dev);
	child->dev.parent = parent;
	child->dev.type = &lc_child_type;
	return child;
}

static void lc_child_notify(struct lc_child *child)
{
	schedule_work(&child->event_work);
}

static void lc_child_remove(struct lc_child *child)
{
	cancel_work_sync(&child->event_work);
	put_device(&child->dev);
}

/*
 * A tty port freed by its tty_port_operations.destruct, which the last
 * tty_port_put() runs (drivers/tty/tty_port.c, tty_port_destructor());
 * the owner cancels first (drivers/usb/class/cdc-acm.c:749,
 * drivers/tty/hvc/hvc_console.c:262).
 */
struct lc_tty {
	struct tty_port port;
	struct work_struct hangup_work;
};

static void lc_tty_hangup(struct work_struct *work)
{
	struct lc_tty *t = container_of(work, struct lc_tty, hangup_work);

	tty_port_tty_hangup(&t->port, false);
}

static void lc_tty_destruct(struct tty_port *port)
{
	kfree(container_of(port, struct lc_tty, port));
}

static const struct tty_port_operations lc_tty_port_ops = {
	.destruct = lc_tty_destruct,
};

static struct lc_tty *lc_tty_new(void)
{
	struct lc_tty *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	tty_port_init(&t->port);
	t->port.ops = &lc_tty_port_ops;
	INIT_WORK(&t->hangup_work, lc_tty_hangup);
	return t;
}

static void lc_tty_carrier_lost(struct lc_tty *t)
{
	schedule_work(&t->hangup_work);
}

static void lc_tty_del(struct lc_tty *t)
{
	cancel_work_sync(&t->hangup_work);
	tty_port_put(&t->port);
}

/* ---------------------------------------------------------------------
 * 6. A destructor helper: its callers are the timeout handler (which
 *    owns the item) and lc_item_cancel(), which waits for the work first.
 *    Found at drivers/infiniband/core/mad_rmpp.c:84 and cm.c:887.
 */
struct lc_item {
	struct delayed_work timeout_work;
	int id;
};

static void lc_item_destroy(struct lc_item *item)
{
	kfree(item);
}

static void lc_item_timeout(struct work_struct *work)
{
	struct lc_item *item = container_of(to_delayed_work(work),
					    struct lc_item, timeout_work);

	lc_item_destroy(item);
}

static struct lc_item *lc_item_new(int id)
{
	struct lc_item *item = kzalloc(sizeof(*item), GFP_KERNEL);

	if (!item)
		return NULL;
	item->id = id;
	INIT_DELAYED_WORK(&item->timeout_work, lc_item_timeout);
	schedule_delayed_work(&item->timeout_work, 5 * HZ);
	return item;
}

static void lc_item_cancel(struct lc_item *item)
{
	if (cancel_delayed_work_sync(&item->timeout_work))
		lc_item_destroy(item);
}

/*
 * A destructor helper called by the destructor after it stopped the work
 * item, and by the constructor's error path before anything queued it
 * (drivers/md/dm-cache-target.c:1993, dm-mpath.c:270, dm-raid1.c:941).
 */
struct lc_cache {
	struct delayed_work waker;
	int blocks;
};

static void lc_cache_do_waker(struct work_struct *work)
{
	struct lc_cache *c = container_of(to_delayed_work(work),
					  struct lc_cache, waker);

	c->blocks++;
}

static void lc_cache_free(struct lc_cache *c)
{
	kfree(c);
}

static struct lc_cache *lc_cache_create(int blocks)
{
	struct lc_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	INIT_DELAYED_WORK(&c->waker, lc_cache_do_waker);
	if (blocks < 0) {
		lc_cache_free(c);
		return NULL;
	}
	c->blocks = blocks;
	schedule_delayed_work(&c->waker, HZ);
	return c;
}

static void lc_cache_dtr(struct lc_cache *c)
{
	cancel_delayed_work_sync(&c->waker);
	lc_cache_free(c);
}

/*
 * A timeout cancelled without waiting, then its only queue destroyed:
 * destroy_workqueue() waits for a handler the cancel missed
 * (drivers/infiniband/core/cm.c:4545).
 */
struct lc_tw {
	struct workqueue_struct *wq;
	struct delayed_work timeout;
	int expired;
};

static void lc_tw_timeout(struct work_struct *work)
{
	struct lc_tw *tw = container_of(to_delayed_work(work), struct lc_tw,
					timeout);

	tw->expired = 1;
}

static struct lc_tw *lc_tw_start(void)
{
	struct lc_tw *tw = kzalloc(sizeof(*tw), GFP_KERNEL);

	if (!tw)
		return NULL;
	tw->wq = alloc_ordered_workqueue("wqs-lc-tw", 0);
	if (!tw->wq) {
		kfree(tw);
		return NULL;
	}
	INIT_DELAYED_WORK(&tw->timeout, lc_tw_timeout);
	queue_delayed_work(tw->wq, &tw->timeout, HZ);
	return tw;
}

static void lc_tw_stop(struct lc_tw *tw)
{
	cancel_delayed_work(&tw->timeout);
	destroy_workqueue(tw->wq);
	kfree(tw);
}

/* ---------------------------------------------------------------------
 * 7. Ports made by a constructor in this file.  An error right after it
 *    frees a port that nothing has queued yet: not live.
 *    Found at drivers/net/usb/hso.c:2571, hid-wiimote-core.c:1850.
 */
struct lc_port {
	struct work_struct tx_work;
	int index;
};

static void lc_port_tx(struct work_struct *work)
{
	struct lc_port *port = container_of(work, struct lc_port, tx_work);

	port->index++;
}

static struct lc_port *lc_port_create(int index)
{
	struct lc_port *port = kzalloc(sizeof(*port), GFP_KERNEL);

	if (!port)
		return NULL;
	port->index = index;
	INIT_WORK(&port->tx_work, lc_port_tx);
	return port;
}

static int lc_port_check(struct platform_device *pdev, int index)
{
	return index < 4 ? 0 : -EINVAL;
}

static int lc_port_probe(struct platform_device *pdev)
{
	struct lc_port *port;
	int err;

	port = lc_port_create(pdev->id);
	if (!port)
		return -ENOMEM;
	err = lc_port_check(pdev, port->index);
	if (err) {
		kfree(port);	/* nothing queued tx_work yet */
		return err;
	}
	schedule_work(&port->tx_work);
	platform_set_drvdata(pdev, port);
	return 0;
}

/* A constructor that also starts the work: the error path races it. */
static struct lc_port *lc_port_create_started(int index)
{
	struct lc_port *port = lc_port_create(index);

	if (port)
		schedule_work(&port->tx_work);
	return port;
}

static int lc_port_probe_started(struct platform_device *pdev)
{
	struct lc_port *port;
	int err;

	port = lc_port_create_started(pdev->id); /* expected-note {{'port->tx_work' is queued here}} */
	if (!port)
		return -ENOMEM;
	err = lc_port_check(pdev, port->index);
	if (err) {
		/* BUG(wq-free-before-cancel): the constructor queued tx_work */
		kfree(port); /* expected-warning-re {{'kfree' frees 'port' while its work item 'port->tx_work' (handler 'lc_port_tx') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in the constructor */
		return err;
	}
	platform_set_drvdata(pdev, port);
	return 0;
}

static void lc_port_remove(struct platform_device *pdev)
{
	struct lc_port *port = platform_get_drvdata(pdev);

	cancel_work_sync(&port->tx_work);
	kfree(port);
}

/* ---------------------------------------------------------------------
 * 8. usbnet-style private data kept as an unsigned long in the glue
 *    struct, and a backlight allocated into a field: both freed on an
 *    error path before anything queues their work.
 *    Found at drivers/net/usb/smsc75xx.c:1512, drivers/hid/hid-corsair.c:460.
 */
struct lc_glue {
	unsigned long data[2];
	int (*reset)(struct lc_glue *glue);
};

struct lc_glue_priv {
	struct work_struct set_multicast;
	u32 mc_filter;
};

static void lc_glue_set_multicast(struct work_struct *work)
{
	struct lc_glue_priv *pdata = container_of(work, struct lc_glue_priv,
						  set_multicast);

	pdata->mc_filter = 0;
}

static void lc_glue_set_rx_mode(struct lc_glue *glue)
{
	struct lc_glue_priv *pdata = (struct lc_glue_priv *)(glue->data[0]);

	schedule_work(&pdata->set_multicast);
}

static int lc_glue_bind(struct lc_glue *glue)
{
	struct lc_glue_priv *pdata;
	int ret;

	glue->data[0] = (unsigned long)kzalloc(sizeof(struct lc_glue_priv),
					       GFP_KERNEL);
	pdata = (struct lc_glue_priv *)(glue->data[0]);
	if (!pdata)
		return -ENOMEM;
	INIT_WORK(&pdata->set_multicast, lc_glue_set_multicast);
	ret = glue->reset ? glue->reset(glue) : 0;
	if (ret)
		goto free_pdata;
	lc_glue_set_rx_mode(glue);
	return 0;

free_pdata:
	kfree(pdata);
	glue->data[0] = 0;
	return ret;
}

static void lc_glue_unbind(struct lc_glue *glue)
{
	struct lc_glue_priv *pdata = (struct lc_glue_priv *)(glue->data[0]);

	cancel_work_sync(&pdata->set_multicast);
	kfree(pdata);
	glue->data[0] = 0;
}

struct lc_backlight {
	struct work_struct work;
	int brightness;
};

struct lc_kbd {
	struct lc_backlight *backlight;
	struct platform_device *pdev;
};

static void lc_backlight_work(struct work_struct *work)
{
	struct lc_backlight *bl = container_of(work, struct lc_backlight, work);

	bl->brightness = !bl->brightness;
}

static int lc_backlight_register(struct lc_kbd *kbd)
{
	return kbd->pdev->id < 0 ? -ENODEV : 0;
}

static int lc_kbd_probe(struct platform_device *pdev)
{
	struct lc_kbd *kbd;
	int ret;

	kbd = devm_kzalloc(&pdev->dev, sizeof(*kbd), GFP_KERNEL);
	if (!kbd)
		return -ENOMEM;
	kbd->pdev = pdev;
	kbd->backlight = kzalloc(sizeof(*kbd->backlight), GFP_KERNEL);
	if (!kbd->backlight)
		return -ENOMEM;
	INIT_WORK(&kbd->backlight->work, lc_backlight_work);
	ret = lc_backlight_register(kbd);
	if (ret) {
		kfree(kbd->backlight);	/* never queued */
		kbd->backlight = NULL;
		return ret;
	}
	platform_set_drvdata(pdev, kbd);
	return 0;
}

static void lc_kbd_flash(struct lc_kbd *kbd)
{
	if (!kbd->backlight)
		return;
	schedule_work(&kbd->backlight->work); /* expected-note {{'kbd->backlight->work' is queued here}} */
	if (kbd->pdev->id > 8) {
		/* BUG(wq-free-before-cancel): freed right after queueing */
		kfree(kbd->backlight); /* expected-warning-re {{'kfree' frees 'kbd->backlight' while its work item 'kbd->backlight->work' (handler 'lc_backlight_work') may still be queued or running{{.*}}cancel_work_sync(&kbd->backlight->work){{.*}}[wq-free-before-cancel]}} */
		kbd->backlight = NULL;
	}
}

static void lc_kbd_remove(struct platform_device *pdev)
{
	struct lc_kbd *kbd = platform_get_drvdata(pdev);

	lc_kbd_flash(kbd);	/* a goodbye blink */
	if (kbd->backlight) {
		cancel_work_sync(&kbd->backlight->work);
		kfree(kbd->backlight);
	}
}

/* ---------------------------------------------------------------------
 * 9. Two error paths, one before INIT_DELAYED_WORK and one after the
 *    work is cancelled: no path reaches the free with the work live.
 *    Found at drivers/net/usb/r8152.c:9951.
 */
struct lc_nic {
	struct delayed_work schedule_work;
	int version;
};

static void lc_nic_schedule(struct work_struct *work)
{
	struct lc_nic *nic = container_of(to_delayed_work(work), struct lc_nic,
					  schedule_work);

	nic->version++;
}

static int lc_nic_probe(struct platform_device *pdev)
{
	struct lc_nic *nic;
	int ret = -ENODEV;

	nic = kzalloc(sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return -ENOMEM;
	nic->version = pdev->id;
	if (nic->version < 0)
		goto out;
	INIT_DELAYED_WORK(&nic->schedule_work, lc_nic_schedule);
	schedule_delayed_work(&nic->schedule_work, 0);
	if (nic->version > 8) {
		cancel_delayed_work_sync(&nic->schedule_work);
		goto out;
	}
	platform_set_drvdata(pdev, nic);
	return 0;

out:
	kfree(nic);
	return ret;
}

static void lc_nic_remove(struct platform_device *pdev)
{
	struct lc_nic *nic = platform_get_drvdata(pdev);

	cancel_delayed_work_sync(&nic->schedule_work);
	kfree(nic);
}

/* ---------------------------------------------------------------------
 * 10. A battery whose bus glue leaves the work item to the core module
 *     (wqs_lifecycle_core.c): the core initialises it in
 *     wqs_lc_core_setup() and cancels it in wqs_lc_core_teardown().
 *     Found at drivers/power/supply/bq27xxx_battery_i2c.c:188 (wq-uninit)
 *     and :219 (wq-free-before-cancel).
 */
static int lc_bat_probe(struct platform_device *pdev)
{
	struct wqs_lc_core *core;
	int ret;

	core = devm_kzalloc(&pdev->dev, sizeof(*core), GFP_KERNEL);
	if (!core)
		return -ENOMEM;
	ret = wqs_lc_core_setup(core);
	if (ret)
		return ret;
	mod_delayed_work(system_wq, &core->poll_work, 60 * HZ); /* cocci-reports(wq-uninit): the script cannot know what wqs_lc_core_setup() of the other module does */
	platform_set_drvdata(pdev, core);
	return 0;
}

static void lc_bat_remove(struct platform_device *pdev)
{
	struct wqs_lc_core *core = platform_get_drvdata(pdev);

	wqs_lc_core_teardown(core);
}

/* ---------------------------------------------------------------------
 * 11. A pool with its own workqueue.  Destroying the workqueue waits for
 *     the non-delayed work items queued only on it; the pointer check
 *     only skips a queue that was never created.
 *     Found at drivers/md/dm-thin.c:2911, drivers/platform/x86/asus-wmi.c:3899,
 *     drivers/hid/hid-nintendo.c:2323.
 */
struct lc_pool {
	struct workqueue_struct *wq;
	struct work_struct worker;
	unsigned long jobs;
};

static void lc_pool_do_worker(struct work_struct *work)
{
	struct lc_pool *pool = container_of(work, struct lc_pool, worker);

	pool->jobs++;
}

static void lc_pool_wake(struct lc_pool *pool)
{
	queue_work(pool->wq, &pool->worker);
}

static struct lc_pool *lc_pool_create(void)
{
	struct lc_pool *pool = kzalloc(sizeof(*pool), GFP_KERNEL);

	if (!pool)
		return NULL;
	INIT_WORK(&pool->worker, lc_pool_do_worker);
	pool->wq = alloc_ordered_workqueue("wqs-lc-pool", WQ_MEM_RECLAIM);
	return pool;
}

static void lc_pool_destroy(struct lc_pool *pool)
{
	if (pool->wq)
		destroy_workqueue(pool->wq);
	kfree(pool);
}

static void lc_pool_exit_queue(struct lc_pool *pool)
{
	if (pool->wq)
		destroy_workqueue(pool->wq);
	pool->wq = NULL;
}

static void lc_pool_release(struct lc_pool *pool)
{
	lc_pool_exit_queue(pool);
	kfree(pool);
}

struct lc_rumble {
	struct workqueue_struct *rumble_queue;
	struct work_struct rumble_worker;
	int strength;
};

static void lc_rumble_work(struct work_struct *work)
{
	struct lc_rumble *r = container_of(work, struct lc_rumble,
					   rumble_worker);

	r->strength = 0;
}

static void lc_rumble_play(struct lc_rumble *r, int strength)
{
	r->strength = strength;
	queue_work(r->rumble_queue, &r->rumble_worker);
}

static int lc_rumble_probe(struct platform_device *pdev)
{
	struct lc_rumble *r;

	r = devm_kzalloc(&pdev->dev, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->rumble_queue = alloc_workqueue("wqs-lc-rumble", WQ_FREEZABLE, 0);
	if (!r->rumble_queue)
		return -ENOMEM;
	INIT_WORK(&r->rumble_worker, lc_rumble_work);
	platform_set_drvdata(pdev, r);
	lc_rumble_play(r, 1);
	return 0;
}

static void lc_rumble_remove(struct platform_device *pdev)
{
	struct lc_rumble *r = platform_get_drvdata(pdev);

	destroy_workqueue(r->rumble_queue);
}

/* ---------------------------------------------------------------------
 * 12. One work item, two handlers: either frees its own container.
 *     Found at drivers/md/bcache/super.c:2525.
 */
struct lc_reg_args {
	int is_cache;
	struct delayed_work reg_work;
};

static void lc_register_bdev_worker(struct work_struct *work)
{
	struct lc_reg_args *args = container_of(to_delayed_work(work),
						struct lc_reg_args, reg_work);

	kfree(args);
}

static void lc_register_cache_worker(struct work_struct *work)
{
	struct lc_reg_args *args = container_of(to_delayed_work(work),
						struct lc_reg_args, reg_work);

	kfree(args);
}

static int lc_register_async(int is_cache)
{
	struct lc_reg_args *args = kzalloc(sizeof(*args), GFP_KERNEL);

	if (!args)
		return -ENOMEM;
	args->is_cache = is_cache;
	if (is_cache)
		INIT_DELAYED_WORK(&args->reg_work, lc_register_cache_worker);
	else
		INIT_DELAYED_WORK(&args->reg_work, lc_register_bdev_worker);
	queue_delayed_work(system_wq, &args->reg_work, 10);
	return 0;
}

/* ---------------------------------------------------------------------
 * 13. A completion queue whose work item sits in an anonymous union.
 *     Messages must name it 'cq->work'.
 *     Found at drivers/infiniband/core/cq.c:280 (message printed 'cq->.work').
 */
struct lc_cq {
	int poll_ctx;
	union {
		struct work_struct work;
		struct list_head free_entry;
	};
};

static void lc_cq_poll_work(struct work_struct *work)
{
	struct lc_cq *cq = container_of(work, struct lc_cq, work);

	cq->poll_ctx = 1;
}

static void lc_cq_arm(struct lc_cq *cq)
{
	queue_work(system_unbound_wq, &cq->work);
}

static struct lc_cq *lc_cq_alloc(void)
{
	struct lc_cq *cq = kzalloc(sizeof(*cq), GFP_KERNEL);

	if (cq)
		INIT_WORK(&cq->work, lc_cq_poll_work);
	return cq;
}

static void lc_cq_free(struct lc_cq *cq)
{
	/* BUG(wq-free-before-cancel): the poll work may still be queued */
	kfree(cq); /* expected-warning-re {{'kfree' frees 'cq' while its work item 'cq->work' (handler 'lc_cq_poll_work'){{.*}}call cancel_work_sync(&cq->work) before freeing it{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
}

/* ---------------------------------------------------------------------
 * 14. wq-uninit look-alikes.
 *  a) The error label cancels only when the allocation succeeded, and the
 *     only jump to it before INIT_DELAYED_WORK is the failed allocation.
 *     Found at drivers/usb/misc/appledisplay.c:314.
 */
struct lc_disp {
	struct delayed_work work;
	int brightness;
};

static void lc_disp_work(struct work_struct *work)
{
	struct lc_disp *disp = container_of(to_delayed_work(work),
					    struct lc_disp, work);

	disp->brightness = 0;
}

static int lc_disp_probe(struct platform_device *pdev)
{
	struct lc_disp *disp;
	int retval;

	disp = kzalloc(sizeof(*disp), GFP_KERNEL);
	if (!disp) {
		retval = -ENOMEM;
		goto error;
	}
	INIT_DELAYED_WORK(&disp->work, lc_disp_work);
	retval = pdev->id < 0 ? -ENODEV : 0;
	if (retval)
		goto error;
	schedule_delayed_work(&disp->work, 0);
	platform_set_drvdata(pdev, disp);
	return 0;

error:
	if (disp) {
		cancel_delayed_work_sync(&disp->work);
		kfree(disp);
	}
	return retval;
}

/*
 *  b) A work item in a global struct, initialised through '.' and used
 *     through a pointer.  Found at drivers/platform/x86/hp/hp_accel.c:57.
 */
struct lc_led {
	struct work_struct work;
	int status;
};

static void lc_led_worker(struct work_struct *work)
{
	struct lc_led *led = container_of(work, struct lc_led, work);

	led->status = !led->status;
}

static void lc_led_set(struct lc_led *led, int status)
{
	led->status = status;
	schedule_work(&led->work);
}

static struct lc_led lc_hdd_led;

/*
 *  c) A work item in an inner struct, initialised by a helper that takes
 *     the inner struct.  Found at drivers/md/dm-cache-target.c:1595.
 */
struct lc_continuation {
	struct work_struct ws;
	int input;
};

struct lc_migration {
	struct lc_continuation k;
	int sectors;
};

static void lc_migration_done(struct work_struct *ws)
{
	struct lc_migration *mg = container_of(ws, struct lc_migration, k.ws);

	kfree(mg);
}

static void lc_init_continuation(struct lc_continuation *k, work_func_t fn)
{
	INIT_WORK(&k->ws, fn);
	k->input = 0;
}

static int lc_migrate(int sectors)
{
	struct lc_migration *mg = kzalloc(sizeof(*mg), GFP_KERNEL);

	if (!mg)
		return -ENOMEM;
	mg->sectors = sectors;
	lc_init_continuation(&mg->k, lc_migration_done);
	queue_work(system_unbound_wq, &mg->k.ws);
	return 0;
}

/* ---------------------------------------------------------------------
 * Registration: one platform driver per sub-device; the object helpers
 * above are exercised from a misc probe so that every function is used.
 */
static int lc_misc_probe(struct platform_device *pdev)
{
	struct lc_req *req = lc_req_start();
	struct lc_evt *evt = lc_evt_new();
	struct lc_evt2 *evt2 = lc_evt2_new();
	struct lc_item *item = lc_item_new(pdev->id);
	struct lc_pool *pool = lc_pool_create();
	struct lc_pool *pool2 = lc_pool_create();
	struct lc_cq *cq = lc_cq_alloc();
	struct lc_child *child = lc_child_add(&pdev->dev);
	struct lc_cache *cache = lc_cache_create(pdev->id);
	struct lc_tw *tw = lc_tw_start();
	struct lc_tty *tty = lc_tty_new();
	struct lc_glue glue = { };

	if (req && pdev->id)
		lc_req_abort(req);
	else if (req)
		lc_req_abort_quiet(req);
	if (evt) {
		lc_evt_fire(evt);
		kref_put(&evt->ref, lc_evt_release);
	}
	if (evt2)
		kref_put(&evt2->ref, lc_evt2_release);
	if (item)
		lc_item_cancel(item);
	if (pool) {
		lc_pool_wake(pool);
		lc_pool_destroy(pool);
	}
	if (pool2) {
		lc_pool_wake(pool2);
		lc_pool_release(pool2);
	}
	if (cq) {
		lc_cq_arm(cq); /* expected-note {{'cq->work' is queued here}} */
		lc_cq_free(cq);
	}
	if (child) {
		lc_child_notify(child);
		lc_child_remove(child);
	}
	if (cache)
		lc_cache_dtr(cache);
	if (tw)
		lc_tw_stop(tw);
	if (tty) {
		lc_tty_carrier_lost(tty);
		lc_tty_del(tty);
	}
	if (!lc_glue_bind(&glue))
		lc_glue_unbind(&glue);
	lc_register_async(pdev->id);
	lc_migrate(8);
	return 0;
}


/* remove() returns void: .remove since 6.11, .remove_new before (6.1's .remove returns int). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define LC_REMOVE remove
#else
#define LC_REMOVE remove_new
#endif

#define LC_DRIVER(_var, _name, _probe, _remove)			\
	static struct platform_driver _var = {			\
		.probe = _probe,				\
		.LC_REMOVE = _remove,			\
		.driver = { .name = "wqs-lc-" _name },		\
	}

LC_DRIVER(lc_btn_driver, "btn", lc_btn_probe, lc_btn_remove);
LC_DRIVER(lc_sw_driver, "sw", lc_sw_probe, lc_sw_remove);
LC_DRIVER(lc_ts_driver, "ts", lc_ts_probe, lc_ts_remove);
LC_DRIVER(lc_ts2_driver, "ts2", lc_ts2_probe, lc_ts_remove);
LC_DRIVER(lc_chg_driver, "chg", lc_chg_probe, lc_chg_remove);
LC_DRIVER(lc_bt_driver, "bt", lc_bt_probe, lc_bt_remove);
LC_DRIVER(lc_port_driver, "port", lc_port_probe, lc_port_remove);
LC_DRIVER(lc_port2_driver, "port2", lc_port_probe_started, lc_port_remove);
LC_DRIVER(lc_kbd_driver, "kbd", lc_kbd_probe, lc_kbd_remove);
LC_DRIVER(lc_nic_driver, "nic", lc_nic_probe, lc_nic_remove);
LC_DRIVER(lc_bat_driver, "bat", lc_bat_probe, lc_bat_remove);
LC_DRIVER(lc_rumble_driver, "rumble", lc_rumble_probe, lc_rumble_remove);
LC_DRIVER(lc_disp_driver, "disp", lc_disp_probe, NULL);
LC_DRIVER(lc_misc_driver, "misc", lc_misc_probe, NULL);

static struct platform_driver * const lc_drivers[] = {
	&lc_btn_driver, &lc_sw_driver, &lc_ts_driver, &lc_ts2_driver,
	&lc_chg_driver,
	&lc_bt_driver, &lc_port_driver, &lc_port2_driver, &lc_kbd_driver,
	&lc_nic_driver, &lc_bat_driver, &lc_rumble_driver, &lc_disp_driver,
	&lc_misc_driver,
};

static int __init wqs_lifecycle_init(void)
{
	int err;

	INIT_WORK(&lc_hdd_led.work, lc_led_worker);
	lc_led_set(&lc_hdd_led, 1);
	err = platform_register_drivers(lc_drivers, ARRAY_SIZE(lc_drivers));
	if (err)
		cancel_work_sync(&lc_hdd_led.work);
	return err;
}

static void __exit wqs_lifecycle_exit(void)
{
	platform_unregister_drivers(lc_drivers, ARRAY_SIZE(lc_drivers));
	cancel_work_sync(&lc_hdd_led.work);
}

module_init(wqs_lifecycle_init);
module_exit(wqs_lifecycle_exit);

MODULE_DESCRIPTION("wqcheck sample: work-item lifecycle look-alikes");
MODULE_LICENSE("GPL");
