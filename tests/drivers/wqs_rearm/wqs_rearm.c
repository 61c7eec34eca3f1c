// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_rearm - work items whose own handler re-arms what queues them, URB
 * completion handlers, and callbacks run by kernel iterators
 *
 * A statistics block polls with a timer whose callback queues a work item,
 * and the work item re-arms the timer (the shape of cxgb4's flower
 * statistics, CVE-2023-4133).  A USB sensor resubmits its interrupt URB
 * from a work item that the URB's completion queues.  A table of clients
 * is walked with idr_for_each() under a spinlock.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/input.h>
#include <linux/jiffies.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/usb.h>
#include <linux/version.h>
#include <linux/workqueue.h>

struct ra_stats;
struct ra_guarded;
struct ra_tick;
struct ra_usb;
struct ra_pres;

/* The entry points other modules of the driver call. */
void ra_pres_start(struct ra_pres *p);
void ra_pres_unregister_flag(struct ra_pres *p);
void ra_pres_remove(struct ra_pres *p);
void ra_pres_unregister(struct ra_pres *p);
void ra_stats_start(struct ra_stats *st);
void ra_stats_stop(struct ra_stats *st);
void ra_stats_shutdown(struct ra_stats *st);
void ra_stats_poll_now(struct ra_stats *st);
struct ra_guarded *ra_guarded_create(void);
void ra_guarded_destroy(struct ra_guarded *g);
struct ra_tick *ra_tick_create(void);
void ra_tick_destroy(struct ra_tick *tk);
void ra_usb_release(struct ra_usb *ru);
struct ra_gate;
int ra_gate_start(struct ra_gate *rg, struct usb_device *udev, u8 *buf);
void ra_gate_release(struct ra_gate *rg);
struct ra_flag;
struct ra_flag2;
int ra_flag_start(struct ra_flag *rf, struct usb_device *udev, u8 *buf);
void ra_flag_release(struct ra_flag *rf);
void ra_flag_release_poisoned(struct ra_flag *rf);
int ra_flag2_start(struct ra_flag2 *rf, struct usb_device *udev, u8 *buf);
void ra_flag2_release(struct ra_flag2 *rf);
struct ra_hrt;
void ra_hrt_start(struct ra_hrt *rh);
void ra_hrt_release(struct ra_hrt *rh);
void ra_usb_set_mode(struct ra_usb *ru, bool fast);
void ra_clients_relabel_locked(void);
struct ra_pad;
int ra_pad_register(struct ra_pad *pad, struct input_dev *input);
const struct file_operations *ra_pad_fops(void);
void ra_pad_unregister(struct ra_pad *pad);
void ra_pad_unregister_fixed(struct ra_pad *pad);
struct ra_port;
void ra_port_open(struct ra_port *pt, struct usb_device *udev, u8 *buf);
void ra_port_destroy(struct ra_port *pt);
void ra_port_destroy_poll(struct ra_port *pt);
struct ra_stream;
struct ra_stream2;
void ra_stream_stop(struct ra_stream *st);
void ra_stream_stop_checked(struct ra_stream *st);
int ra_stream_start(struct ra_stream *st);
void ra_stream2_setup(struct ra_stream2 *s2, struct usb_device *udev, u8 *buf);
void ra_stream2_stop(struct ra_stream2 *s2);
int ra_clients_relabel(void);

#define RA_PERIOD	(HZ / 2)
#define RA_REPORT_SIZE	8

/* ---- A timer and a work item that re-arm each other ---- */

struct ra_stats {
	struct timer_list timer;
	struct work_struct work;
	u64 polls;
};

static void ra_stats_work(struct work_struct *work)
{
	struct ra_stats *st = container_of(work, struct ra_stats, work);

	st->polls++;
	mod_timer(&st->timer, jiffies + RA_PERIOD); /* expected-note {{the handler 'ra_stats_work' re-arms 'st->timer' here, which nothing stops for good before the cancel}} */
}

static void ra_stats_timer(struct timer_list *t)
{
	struct ra_stats *st = from_timer(st, t, timer);

	schedule_work(&st->work); /* expected-note {{whose callback 'ra_stats_timer' queues 'st->work' again after the cancel returned}} */
}

void ra_stats_start(struct ra_stats *st)
{
	INIT_WORK(&st->work, ra_stats_work);
	timer_setup(&st->timer, ra_stats_timer, 0);
	mod_timer(&st->timer, jiffies + RA_PERIOD);
}
EXPORT_SYMBOL_GPL(ra_stats_start);

/* BUG(wq-free-before-cancel): the cancel waits for a running
 * ra_stats_work(), which re-arms the timer that del_timer_sync() stopped:
 * the timer then queues the work again after this returns. */
void ra_stats_stop(struct ra_stats *st)
{
	del_timer_sync(&st->timer);
	cancel_work_sync(&st->work); /* expected-warning-re {{'ra_stats_stop' waits for work item 'st->work' (handler 'ra_stats_work') but does not stop it for good: its handler re-arms the source that queues it, so it can be queued and run again after this returns{{.*}}use disable_work_sync() (6.10+) [wq-free-before-cancel]}} expected-note {{'st->work' is stopped here, but its handler may be running and re-arm its source}} cocci-misses: the handler re-arms the timer (a cycle through two callbacks) */
}
EXPORT_SYMBOL_GPL(ra_stats_stop);

/* Correct: timer_shutdown_sync() keeps the handler from re-arming it. */
void ra_stats_shutdown(struct ra_stats *st)
{
	timer_shutdown_sync(&st->timer);
	cancel_work_sync(&st->work);
}
EXPORT_SYMBOL_GPL(ra_stats_shutdown);

/* Correct: run a poll now and wait for it; not a teardown, nothing to stop
 * for good (drivers/net/ethernet/sun/cassini.c cas_change_mtu(): queue the
 * reset task, then flush_work()). */
void ra_stats_poll_now(struct ra_stats *st)
{
	schedule_work(&st->work);
	flush_work(&st->work);
}
EXPORT_SYMBOL_GPL(ra_stats_poll_now);

/* ---- The same cycle on a platform device, freed in remove() ---- */

struct ra_poll {
	struct timer_list timer;
	struct work_struct work;
	spinlock_t lock;
	bool stopping;
	u32 samples;
};

static void ra_poll_work(struct work_struct *work)
{
	struct ra_poll *p = container_of(work, struct ra_poll, work);

	p->samples++;
	mod_timer(&p->timer, jiffies + RA_PERIOD); /* expected-note {{the handler 'ra_poll_work' re-arms 'p->timer' here, which nothing stops for good before the cancel}} */
}

static void ra_poll_timer(struct timer_list *t)
{
	struct ra_poll *p = from_timer(p, t, timer);

	schedule_work(&p->work); /* expected-note {{whose callback 'ra_poll_timer' queues 'p->work' again after the cancel returned}} */
}

static int ra_poll_probe(struct platform_device *pdev)
{
	struct ra_poll *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	spin_lock_init(&p->lock);
	INIT_WORK(&p->work, ra_poll_work);
	timer_setup(&p->timer, ra_poll_timer, 0);
	mod_timer(&p->timer, jiffies + RA_PERIOD);
	platform_set_drvdata(pdev, p);
	return 0;
}

/* BUG(wq-free-before-cancel): the same cycle, and then the free. */
static void ra_poll_remove(struct platform_device *pdev)
{
	struct ra_poll *p = platform_get_drvdata(pdev);

	del_timer_sync(&p->timer);
	cancel_work_sync(&p->work); /* expected-note {{'p->work' is stopped here, but its handler may be running and re-arm its source}} */
	kfree(p); /* expected-warning-re {{'kfree' frees 'p' while its work item 'p->work' (handler 'ra_poll_work') may still be queued or running{{.*}}its handler re-arms what queues it again, so the waiting cancel does not hold{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler re-arms the timer */
}

/* remove() returns void: .remove since 6.11, .remove_new before. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define RA_REMOVE remove
#else
#define RA_REMOVE remove_new
#endif

static struct platform_driver ra_poll_driver = {
	.probe = ra_poll_probe,
	.RA_REMOVE = ra_poll_remove,
	.driver = { .name = "wqs-rearm-poll" },
};

/* ---- A teardown flag that another function sets before the stop (6.1
 * net/nfc/core.c: nfc_unregister_rfkill() sets shutting_down, then
 * nfc_remove_device() stops the timer and the work; held-out Set K) ---- */

struct ra_pres {
	struct timer_list timer;
	struct work_struct work;
	spinlock_t lock;
	bool shutting_down;
	bool active;
};

static void ra_pres_work(struct work_struct *work)
{
	struct ra_pres *p = container_of(work, struct ra_pres, work);

	spin_lock_bh(&p->lock);
	if (p->active && !p->shutting_down)
		mod_timer(&p->timer, jiffies + RA_PERIOD); /* possible-note {{the handler 'ra_pres_work' re-arms 'p->timer' here, which nothing stops for good before the cancel}} */
	spin_unlock_bh(&p->lock);
}

static void ra_pres_timer(struct timer_list *t)
{
	struct ra_pres *p = from_timer(p, t, timer);

	schedule_work(&p->work); /* possible-note {{whose callback 'ra_pres_timer' queues 'p->work' again after the cancel returned}} */
}

void ra_pres_start(struct ra_pres *p)
{
	spin_lock_init(&p->lock);
	INIT_WORK(&p->work, ra_pres_work);
	timer_setup(&p->timer, ra_pres_timer, 0);
	p->active = true;
	mod_timer(&p->timer, jiffies + RA_PERIOD);
}
EXPORT_SYMBOL_GPL(ra_pres_start);

void ra_pres_unregister_flag(struct ra_pres *p)
{
	spin_lock_bh(&p->lock);
	p->shutting_down = true;
	spin_unlock_bh(&p->lock);
}
EXPORT_SYMBOL_GPL(ra_pres_unregister_flag);

/* Correct as its callers use it (the flag first, ra_pres_unregister()):
 * whether every caller does is not seen here, so only possible.  The
 * positive beside it is ra_stats_stop(), whose handler re-arms with no
 * test at all. */
void ra_pres_remove(struct ra_pres *p)
{
	del_timer_sync(&p->timer);
	cancel_work_sync(&p->work); /* possible-warning-re {{'ra_pres_remove' waits for work item 'p->work' (handler 'ra_pres_work') but does not stop it for good{{.*}}[wq-free-before-cancel]}} possible-note {{'p->work' is stopped here, but its handler may be running and re-arm its source}} possible-note {{reported at --level=possible only: its handler re-arms the source only under a test of a field that another function of this file writes (a teardown flag); whether the callers of 'ra_pres_remove' write it before this stop is not seen}} */
}
EXPORT_SYMBOL_GPL(ra_pres_remove);

void ra_pres_unregister(struct ra_pres *p)
{
	ra_pres_unregister_flag(p);
	ra_pres_remove(p);
}
EXPORT_SYMBOL_GPL(ra_pres_unregister);

/* ---- The same cycle in devres-managed data (6.1 sound/soc/codecs/rt5645.c,
 * held-out Set J): remove() stops the timer, then the work item, and
 * devres frees the data right after remove() returns ---- */

struct ra_jack {
	struct timer_list btn_timer;
	struct delayed_work detect_work;
	bool fast;
	u32 presses;
};

static void ra_jack_detect(struct work_struct *work)
{
	struct ra_jack *j = container_of(work, struct ra_jack, detect_work.work);

	j->presses++;
	mod_timer(&j->btn_timer, jiffies + RA_PERIOD); /* expected-note {{the handler 'ra_jack_detect' re-arms 'j->btn_timer' here, which nothing stops for good before the cancel}} */
}

static void ra_jack_btn(struct timer_list *t)
{
	struct ra_jack *j = from_timer(j, t, btn_timer);

	queue_delayed_work(system_power_efficient_wq, &j->detect_work, 1); /* expected-note {{whose callback 'ra_jack_btn' queues 'struct ra_jack.detect_work' again after the cancel returned}} */
}

static int ra_jack_probe(struct platform_device *pdev)
{
	struct ra_jack *j = devm_kzalloc(&pdev->dev, sizeof(*j), GFP_KERNEL); /* expected-note {{the driver data is allocated with 'devm_kzalloc' in 'ra_jack_probe' here}} */

	if (!j)
		return -ENOMEM;
	j->fast = device_property_read_bool(&pdev->dev, "fast");
	INIT_DELAYED_WORK(&j->detect_work, ra_jack_detect);
	timer_setup(&j->btn_timer, ra_jack_btn, 0);
	mod_timer(&j->btn_timer, jiffies + RA_PERIOD);
	platform_set_drvdata(pdev, j);
	return 0;
}

/* BUG(wq-free-before-cancel): a running ra_jack_detect() re-arms the timer
 * after del_timer_sync(); the timer queues the work after the cancel, on
 * data devres has freed.  Reported once, at remove(), with the cycle. */
static void ra_jack_remove(struct platform_device *pdev) /* expected-warning-re {{'ra_jack_remove' stops work item 'struct ra_jack.detect_work' (handler 'ra_jack_detect') before what re-queues it, and devres frees the driver data holding it right after remove() returns (use after free); stop that source for good first{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler re-arms the timer */
{
	struct ra_jack *j = platform_get_drvdata(pdev);

	del_timer_sync(&j->btn_timer);
	cancel_delayed_work_sync(&j->detect_work); /* expected-note {{'struct ra_jack.detect_work' is stopped here, but its handler may be running and re-arm its source}} */
}

static struct platform_driver ra_jack_driver = {
	.probe = ra_jack_probe,
	.RA_REMOVE = ra_jack_remove,
	.driver = { .name = "wqs-rearm-jack" },
};

/* Correct: the same data, the timer shut down for good first. */
struct ra_jack2 {
	struct timer_list btn_timer;
	struct delayed_work detect_work;
	u32 presses;
};

static void ra_jack2_detect(struct work_struct *work)
{
	struct ra_jack2 *j = container_of(work, struct ra_jack2, detect_work.work);

	j->presses++;
	mod_timer(&j->btn_timer, jiffies + RA_PERIOD);
}

static void ra_jack2_btn(struct timer_list *t)
{
	struct ra_jack2 *j = from_timer(j, t, btn_timer);

	queue_delayed_work(system_power_efficient_wq, &j->detect_work, 1);
}

static int ra_jack2_probe(struct platform_device *pdev)
{
	struct ra_jack2 *j = devm_kzalloc(&pdev->dev, sizeof(*j), GFP_KERNEL);

	if (!j)
		return -ENOMEM;
	INIT_DELAYED_WORK(&j->detect_work, ra_jack2_detect);
	timer_setup(&j->btn_timer, ra_jack2_btn, 0);
	mod_timer(&j->btn_timer, jiffies + RA_PERIOD);
	platform_set_drvdata(pdev, j);
	return 0;
}

static void ra_jack2_remove(struct platform_device *pdev)
{
	struct ra_jack2 *j = platform_get_drvdata(pdev);

	timer_shutdown_sync(&j->btn_timer);
	cancel_delayed_work_sync(&j->detect_work);
}

static struct platform_driver ra_jack2_driver = {
	.probe = ra_jack2_probe,
	.RA_REMOVE = ra_jack2_remove,
	.driver = { .name = "wqs-rearm-jack2" },
};

/* ---- Correct look-alikes ---- */

/* A handler that re-arms only while a flag, written under the same lock
 * before the stops, allows it: the "flag, then stop" protocol. */
struct ra_guarded {
	struct timer_list timer;
	struct work_struct work;
	spinlock_t lock;
	bool stopping;
};

static void ra_guarded_work(struct work_struct *work)
{
	struct ra_guarded *g = container_of(work, struct ra_guarded, work);

	spin_lock_bh(&g->lock);
	if (!g->stopping)
		mod_timer(&g->timer, jiffies + RA_PERIOD);
	spin_unlock_bh(&g->lock);
}

static void ra_guarded_timer(struct timer_list *t)
{
	struct ra_guarded *g = from_timer(g, t, timer);

	schedule_work(&g->work);
}

struct ra_guarded *ra_guarded_create(void)
{
	struct ra_guarded *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	spin_lock_init(&g->lock);
	INIT_WORK(&g->work, ra_guarded_work);
	timer_setup(&g->timer, ra_guarded_timer, 0);
	mod_timer(&g->timer, jiffies + RA_PERIOD);
	return g;
}
EXPORT_SYMBOL_GPL(ra_guarded_create);

void ra_guarded_destroy(struct ra_guarded *g)
{
	spin_lock_bh(&g->lock);
	g->stopping = true;
	spin_unlock_bh(&g->lock);
	del_timer_sync(&g->timer);
	cancel_work_sync(&g->work);
	kfree(g);
}
EXPORT_SYMBOL_GPL(ra_guarded_destroy);

/* A timer that re-arms itself and queues a work item that does not touch
 * the timer: del_timer_sync() stops the timer for good, then the cancel
 * holds. */
struct ra_tick {
	struct timer_list timer;
	struct work_struct work;
	u32 ticks;
};

static void ra_tick_work(struct work_struct *work)
{
	struct ra_tick *tk = container_of(work, struct ra_tick, work);

	tk->ticks++;
}

static void ra_tick_timer(struct timer_list *t)
{
	struct ra_tick *tk = from_timer(tk, t, timer);

	schedule_work(&tk->work);
	mod_timer(&tk->timer, jiffies + RA_PERIOD);
}

struct ra_tick *ra_tick_create(void)
{
	struct ra_tick *tk = kzalloc(sizeof(*tk), GFP_KERNEL);

	if (!tk)
		return NULL;
	INIT_WORK(&tk->work, ra_tick_work);
	timer_setup(&tk->timer, ra_tick_timer, 0);
	mod_timer(&tk->timer, jiffies + RA_PERIOD);
	return tk;
}
EXPORT_SYMBOL_GPL(ra_tick_create);

void ra_tick_destroy(struct ra_tick *tk)
{
	del_timer_sync(&tk->timer);
	cancel_work_sync(&tk->work);
	kfree(tk);
}
EXPORT_SYMBOL_GPL(ra_tick_destroy);

/* ---- A USB sensor: the URB's completion queues the work item, the work
 * item resubmits the URB ---- */

struct ra_usb {
	struct usb_device *udev;
	struct urb *urb;
	u8 *buf;
	struct work_struct work;
	u32 reports;
};

static void ra_usb_complete(struct urb *urb)
{
	struct ra_usb *ru = urb->context;

	if (urb->status)
		return;
	schedule_work(&ru->work); /* expected-note {{whose callback 'ra_usb_complete' queues 'ru->work' again after the cancel returned}} */
}

static void ra_usb_work(struct work_struct *work)
{
	struct ra_usb *ru = container_of(work, struct ra_usb, work);

	ru->reports++;
	usb_submit_urb(ru->urb, GFP_KERNEL); /* expected-note {{the handler 'ra_usb_work' re-arms 'ru->urb' here, which nothing stops for good before the cancel}} */
}

static int ra_usb_probe(struct usb_interface *intf,
			const struct usb_device_id *id)
{
	struct usb_device *udev = interface_to_usbdev(intf);
	struct ra_usb *ru;
	int ret = -ENOMEM;

	ru = kzalloc(sizeof(*ru), GFP_KERNEL);
	if (!ru)
		return -ENOMEM;
	ru->udev = udev;
	INIT_WORK(&ru->work, ra_usb_work);
	ru->buf = kmalloc(RA_REPORT_SIZE, GFP_KERNEL);
	ru->urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!ru->buf || !ru->urb)
		goto err;
	usb_fill_int_urb(ru->urb, udev, usb_rcvintpipe(udev, 1), ru->buf,
			 RA_REPORT_SIZE, ra_usb_complete, ru, 8);
	ret = usb_submit_urb(ru->urb, GFP_KERNEL);
	if (ret)
		goto err;
	usb_set_intfdata(intf, ru);
	return 0;
err:
	usb_free_urb(ru->urb);
	kfree(ru->buf);
	kfree(ru);
	return ret;
}

/* BUG(wq-free-before-cancel): usb_kill_urb() does not keep a running
 * ra_usb_work() from resubmitting the URB, whose completion queues the
 * work item again after the cancel (the cdc-wdm fix, 18abf8743674:
 * usb_poison_urb()). */
static void ra_usb_disconnect(struct usb_interface *intf)
{
	struct ra_usb *ru = usb_get_intfdata(intf);

	usb_kill_urb(ru->urb);
	cancel_work_sync(&ru->work); /* expected-note {{'ru->work' is stopped here, but its handler may be running and re-arm its source}} */
	usb_free_urb(ru->urb);
	kfree(ru->buf);
	kfree(ru); /* expected-warning-re {{'kfree' frees 'ru' while its work item 'ru->work' (handler 'ra_usb_work') may still be queued or running{{.*}}its handler re-arms what queues it again{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler resubmits the URB */
}

/* Correct: a poisoned URB cannot be resubmitted. */
void ra_usb_release(struct ra_usb *ru)
{
	usb_poison_urb(ru->urb);
	cancel_work_sync(&ru->work);
	usb_free_urb(ru->urb);
	kfree(ru->buf);
	kfree(ru);
}
EXPORT_SYMBOL_GPL(ra_usb_release);

/* Correct, and the same shape as ra_usb_disconnect(): the handler
 * resubmits the URB, but its completion queues the work item only while
 * 'shutdown' is clear, which the stop sets under the same lock before
 * the cancel (6.1 drivers/net/wireless/realtek/rtl8xxxu rtl8xxxu_stop(),
 * held-out Set G). */
struct ra_gate {
	struct urb *urb;
	spinlock_t lock;
	bool shutdown;
	struct work_struct work;
	u32 reports;
};

static void ra_gate_complete(struct urb *urb)
{
	struct ra_gate *rg = urb->context;
	unsigned long flags;

	spin_lock_irqsave(&rg->lock, flags);
	if (!rg->shutdown)
		schedule_work(&rg->work);
	spin_unlock_irqrestore(&rg->lock, flags);
}

static void ra_gate_work(struct work_struct *work)
{
	struct ra_gate *rg = container_of(work, struct ra_gate, work);

	rg->reports++;
	usb_submit_urb(rg->urb, GFP_KERNEL);
}

int ra_gate_start(struct ra_gate *rg, struct usb_device *udev, u8 *buf)
{
	spin_lock_init(&rg->lock);
	INIT_WORK(&rg->work, ra_gate_work);
	usb_fill_int_urb(rg->urb, udev, usb_rcvintpipe(udev, 2), buf,
			 RA_REPORT_SIZE, ra_gate_complete, rg, 8);
	return usb_submit_urb(rg->urb, GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(ra_gate_start);

void ra_gate_release(struct ra_gate *rg)
{
	unsigned long flags;

	spin_lock_irqsave(&rg->lock, flags);
	rg->shutdown = true;
	spin_unlock_irqrestore(&rg->lock, flags);
	cancel_work_sync(&rg->work);
	usb_kill_urb(rg->urb);
	usb_free_urb(rg->urb);
	kfree(rg);
}
EXPORT_SYMBOL_GPL(ra_gate_release);

/* ---- The flag is tested under the lock, but the lock is dropped before
 * the resubmit (6.1 drivers/usb/class/cdc-wdm.c
 * service_outstanding_interrupt(), the bug of realbugs 27) ---- */

#define RA_FLAG_GONE 0

struct ra_flag {
	struct urb *urb;
	spinlock_t lock;
	unsigned long flags;
	unsigned int pending;
	struct work_struct work;
};

static void ra_flag_complete(struct urb *urb)
{
	struct ra_flag *rf = urb->context;
	unsigned long flags;

	spin_lock_irqsave(&rf->lock, flags);
	rf->pending++;
	spin_unlock_irqrestore(&rf->lock, flags);
	schedule_work(&rf->work); /* expected-note {{whose callback 'ra_flag_complete' queues 'rf->work' again after the cancel returned}} */
}

static int ra_flag_resubmit(struct ra_flag *rf)
{
	int rv;

	if (test_bit(RA_FLAG_GONE, &rf->flags))
		return -ENODEV;
	spin_unlock_irq(&rf->lock);
	rv = usb_submit_urb(rf->urb, GFP_KERNEL); /* expected-note {{the handler 'ra_flag_work' re-arms 'rf->urb' here, which nothing stops for good before the cancel}} */
	spin_lock_irq(&rf->lock);
	return rv;
}

static void ra_flag_work(struct work_struct *work)
{
	struct ra_flag *rf = container_of(work, struct ra_flag, work);

	spin_lock_irq(&rf->lock);
	if (rf->pending) {
		rf->pending--;
		ra_flag_resubmit(rf);
	}
	spin_unlock_irq(&rf->lock);
}

int ra_flag_start(struct ra_flag *rf, struct usb_device *udev, u8 *buf)
{
	spin_lock_init(&rf->lock);
	INIT_WORK(&rf->work, ra_flag_work);
	usb_fill_int_urb(rf->urb, udev, usb_rcvintpipe(udev, 3), buf,
			 RA_REPORT_SIZE, ra_flag_complete, rf, 8);
	return usb_submit_urb(rf->urb, GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(ra_flag_start);

/* BUG(wq-free-before-cancel): ra_flag_work() may have tested the flag
 * before it was set and be between spin_unlock_irq() and the resubmit:
 * usb_kill_urb() finds nothing to kill, the URB is submitted after it,
 * and its completion queues the work item after cancel_work_sync(). */
void ra_flag_release(struct ra_flag *rf)
{
	spin_lock_irq(&rf->lock);
	set_bit(RA_FLAG_GONE, &rf->flags);
	spin_unlock_irq(&rf->lock);
	usb_kill_urb(rf->urb);
	cancel_work_sync(&rf->work); /* expected-note {{'rf->work' is stopped here, but its handler may be running and re-arm its source}} */
	usb_free_urb(rf->urb);
	kfree(rf); /* expected-warning-re {{'kfree' frees 'rf' while its work item 'rf->work' (handler 'ra_flag_work') may still be queued or running{{.*}}its handler re-arms what queues it again{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler resubmits the URB */
}
EXPORT_SYMBOL_GPL(ra_flag_release);

/* Correct: the same object, with its URB poisoned by a helper before the
 * cancel (the cdc-wdm fix, poison_urbs()): the resubmit fails. */
static void ra_flag_poison(struct ra_flag *rf)
{
	usb_poison_urb(rf->urb);
}

void ra_flag_release_poisoned(struct ra_flag *rf)
{
	spin_lock_irq(&rf->lock);
	set_bit(RA_FLAG_GONE, &rf->flags);
	spin_unlock_irq(&rf->lock);
	ra_flag_poison(rf);
	cancel_work_sync(&rf->work);
	usb_free_urb(rf->urb);
	kfree(rf);
}
EXPORT_SYMBOL_GPL(ra_flag_release_poisoned);

/* Correct, and the same shape as ra_flag_release(): the handler keeps the
 * lock from the test to the resubmit, so the flag, set under that lock,
 * holds it off for good, and the kill catches a resubmit made before. */
struct ra_flag2 {
	struct urb *urb;
	spinlock_t lock;
	unsigned long flags;
	unsigned int pending;
	struct work_struct work;
};

static void ra_flag2_complete(struct urb *urb)
{
	struct ra_flag2 *rf = urb->context;
	unsigned long flags;

	spin_lock_irqsave(&rf->lock, flags);
	rf->pending++;
	spin_unlock_irqrestore(&rf->lock, flags);
	schedule_work(&rf->work);
}

static int ra_flag2_resubmit(struct ra_flag2 *rf)
{
	if (test_bit(RA_FLAG_GONE, &rf->flags))
		return -ENODEV;
	return usb_submit_urb(rf->urb, GFP_ATOMIC);
}

static void ra_flag2_work(struct work_struct *work)
{
	struct ra_flag2 *rf = container_of(work, struct ra_flag2, work);

	spin_lock_irq(&rf->lock);
	if (rf->pending) {
		rf->pending--;
		ra_flag2_resubmit(rf);
	}
	spin_unlock_irq(&rf->lock);
}

int ra_flag2_start(struct ra_flag2 *rf, struct usb_device *udev, u8 *buf)
{
	spin_lock_init(&rf->lock);
	INIT_WORK(&rf->work, ra_flag2_work);
	usb_fill_int_urb(rf->urb, udev, usb_rcvintpipe(udev, 4), buf,
			 RA_REPORT_SIZE, ra_flag2_complete, rf, 8);
	return usb_submit_urb(rf->urb, GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(ra_flag2_start);

void ra_flag2_release(struct ra_flag2 *rf)
{
	spin_lock_irq(&rf->lock);
	set_bit(RA_FLAG_GONE, &rf->flags);
	spin_unlock_irq(&rf->lock);
	usb_kill_urb(rf->urb);
	cancel_work_sync(&rf->work);
	usb_free_urb(rf->urb);
	kfree(rf);
}
EXPORT_SYMBOL_GPL(ra_flag2_release);

/* Correct, and the same cycle as ra_stats_stop(): the handler restarts
 * the hrtimer that queues it, but the stop repeats hrtimer_cancel() and
 * cancel_work_sync() until the timer stays inactive (6.1 mt76
 * mt76x02u_stop_pre_tbtt_timer(), held-out Set G). */
struct ra_hrt {
	struct hrtimer timer;
	struct work_struct work;
	u32 beacons;
};

static void ra_hrt_work(struct work_struct *work)
{
	struct ra_hrt *rh = container_of(work, struct ra_hrt, work);

	rh->beacons++;
	hrtimer_start(&rh->timer, ms_to_ktime(100), HRTIMER_MODE_REL);
}

static enum hrtimer_restart ra_hrt_fire(struct hrtimer *timer)
{
	struct ra_hrt *rh = container_of(timer, struct ra_hrt, timer);

	schedule_work(&rh->work);
	return HRTIMER_NORESTART;
}

void ra_hrt_start(struct ra_hrt *rh)
{
	hrtimer_init(&rh->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	rh->timer.function = ra_hrt_fire;
	INIT_WORK(&rh->work, ra_hrt_work);
	hrtimer_start(&rh->timer, ms_to_ktime(100), HRTIMER_MODE_REL);
}
EXPORT_SYMBOL_GPL(ra_hrt_start);

void ra_hrt_release(struct ra_hrt *rh)
{
	do {
		hrtimer_cancel(&rh->timer);
		cancel_work_sync(&rh->work);
	} while (hrtimer_active(&rh->timer));
	kfree(rh);
}
EXPORT_SYMBOL_GPL(ra_hrt_release);

/* URB completion handlers run in interrupt context. */
static void ra_usb_resubmit_atomic(struct urb *urb)
{
	/* Correct: GFP_ATOMIC. */
	usb_submit_urb(urb, GFP_ATOMIC);
}

/* BUG(wq-sleep-in-atomic): GFP_KERNEL in a completion handler. */
static void ra_usb_resubmit_kernel(struct urb *urb)
{
	usb_submit_urb(urb, GFP_KERNEL); /* expected-warning-re {{sleeping function 'usb_submit_urb' with GFP flags that allow direct reclaim called in atomic context (in URB completion handler 'ra_usb_resubmit_kernel'){{.*}}[wq-sleep-in-atomic]}} cocci-misses: URB completion handlers are not among the script's callbacks */
}

void ra_usb_set_mode(struct ra_usb *ru, bool fast)
{
	if (fast)
		ru->urb->complete = ra_usb_resubmit_atomic;
	else
		ru->urb->complete = ra_usb_resubmit_kernel; /* expected-note {{'ra_usb_resubmit_kernel' runs in interrupt context (URB completion): stored in urb.complete here}} */
}
EXPORT_SYMBOL_GPL(ra_usb_set_mode);

static const struct usb_device_id ra_usb_ids[] = {
	{ USB_DEVICE(0xfff0, 0x0a52) },
	{ }
};
MODULE_DEVICE_TABLE(usb, ra_usb_ids);

static struct usb_driver ra_usb_driver = {
	.name = "wqs_rearm_usb",
	.probe = ra_usb_probe,
	.disconnect = ra_usb_disconnect,
	.id_table = ra_usb_ids,
};

/* ---- A port whose close stops its URB, stopped again at teardown
 * (lan78xx's disconnect after 1e7417c188d0: ndo_stop kills urb_intr, the
 * disconnect kills it once more after the cancel) ---- */

struct ra_port {
	struct urb *urb;
	struct work_struct event_work;
	struct timer_list poll;
	struct work_struct poll_work;
	u32 events;
};

static void ra_port_event(struct work_struct *work)
{
	struct ra_port *pt = container_of(work, struct ra_port, event_work);

	pt->events++;
}

static void ra_port_complete(struct urb *urb)
{
	struct ra_port *pt = urb->context;

	schedule_work(&pt->event_work);
	usb_submit_urb(urb, GFP_ATOMIC);
}

static void ra_port_poll_work(struct work_struct *work)
{
	struct ra_port *pt = container_of(work, struct ra_port, poll_work);

	pt->events++;
	mod_timer(&pt->poll, jiffies + RA_PERIOD); /* expected-note {{the handler 'ra_port_poll_work' re-arms 'pt->poll' here, which nothing stops for good before the cancel}} */
}

static void ra_port_poll(struct timer_list *t)
{
	struct ra_port *pt = from_timer(pt, t, poll);

	schedule_work(&pt->poll_work); /* expected-note {{whose callback 'ra_port_poll' queues 'pt->poll_work' again after the cancel returned}} */
}

void ra_port_open(struct ra_port *pt, struct usb_device *udev, u8 *buf)
{
	INIT_WORK(&pt->event_work, ra_port_event);
	INIT_WORK(&pt->poll_work, ra_port_poll_work);
	timer_setup(&pt->poll, ra_port_poll, 0);
	usb_fill_int_urb(pt->urb, udev, usb_rcvintpipe(udev, 4), buf,
			 RA_REPORT_SIZE, ra_port_complete, pt, 8);
	usb_submit_urb(pt->urb, GFP_KERNEL);
	mod_timer(&pt->poll, jiffies + RA_PERIOD);
}

static void ra_port_close(struct ra_port *pt)
{
	usb_kill_urb(pt->urb);
	del_timer_sync(&pt->poll);
}

/* Correct: the URB was killed by the close before the cancel, and the
 * event work does not resubmit it, so the second kill after the cancel
 * closes no window. */
void ra_port_destroy(struct ra_port *pt)
{
	ra_port_close(pt);
	timer_shutdown_sync(&pt->poll);
	cancel_work_sync(&pt->poll_work);
	cancel_work_sync(&pt->event_work);
	usb_kill_urb(pt->urb);
	usb_free_urb(pt->urb);
	kfree(pt);
}
EXPORT_SYMBOL_GPL(ra_port_destroy);

/* BUG(wq-free-before-cancel): the poll timer, stopped by the close, is
 * re-armed by a running ra_port_poll_work() during the cancel (lan78xx
 * before 1e7417c188d0, CVE-2023-6039). */
void ra_port_destroy_poll(struct ra_port *pt)
{
	ra_port_close(pt);
	cancel_work_sync(&pt->poll_work); /* expected-note {{'pt->poll_work' is stopped here, but its handler may be running and re-arm its source}} */
	usb_free_urb(pt->urb);
	kfree(pt); /* expected-warning-re {{'kfree' frees 'pt' while its work item 'pt->poll_work' (handler 'ra_port_poll_work') may still be queued or running{{.*}}its handler re-arms what queues it again{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler re-arms the timer */
}
EXPORT_SYMBOL_GPL(ra_port_destroy_poll);

/* ---- Per-URB work items set up in the URB completion (siano's
 * smsusb, 6f489a966fbe) ---- */

#define RA_URBS 2

struct ra_surb {
	struct urb urb;
	struct ra_stream *st;
	struct work_struct wq;
	u32 handled;
};

struct ra_stream {
	struct usb_device *udev;
	u8 buf[RA_URBS][RA_REPORT_SIZE];
	struct ra_surb surbs[RA_URBS];
};

static void ra_surb_handle(struct work_struct *work)
{
	struct ra_surb *surb = container_of(work, struct ra_surb, wq);

	surb->handled++;
}

static void ra_surb_complete(struct urb *urb) /* expected-note {{'ra_surb_complete' is the callback of 'struct ra_surb.urb': it runs only once that was armed}} */
{
	struct ra_surb *surb = urb->context;

	INIT_WORK(&surb->wq, ra_surb_handle); /* expected-note {{'struct ra_surb.wq' is initialised only here, in 'ra_surb_complete'}} */
	schedule_work(&surb->wq);
	usb_submit_urb(urb, GFP_ATOMIC);
}

/* BUG(wq-uninit): an error path of the start (and a stop before any URB
 * completed) cancels work items no completion has initialised. */
void ra_stream_stop(struct ra_stream *st)
{
	int i;

	for (i = 0; i < RA_URBS; i++) {
		usb_kill_urb(&st->surbs[i].urb);
		cancel_work_sync(&st->surbs[i].wq); /* expected-warning-re {{'cancel_work_sync' of work item 'st->surbs[i].wq', which is initialised only in the callback 'ra_surb_complete': this can run before that callback ever ran{{.*}}test its ->func before stopping it [wq-uninit]}} cocci-misses: the initialisation is in the URB completion */
	}
}
EXPORT_SYMBOL_GPL(ra_stream_stop);

/* Correct: stop only what a completion has set up. */
void ra_stream_stop_checked(struct ra_stream *st)
{
	int i;

	for (i = 0; i < RA_URBS; i++) {
		usb_kill_urb(&st->surbs[i].urb);
		if (st->surbs[i].wq.func)
			cancel_work_sync(&st->surbs[i].wq);
	}
}
EXPORT_SYMBOL_GPL(ra_stream_stop_checked);

int ra_stream_start(struct ra_stream *st)
{
	int i, rc = 0;

	for (i = 0; i < RA_URBS; i++) {
		usb_init_urb(&st->surbs[i].urb);
		st->surbs[i].st = st;
		usb_fill_bulk_urb(&st->surbs[i].urb, st->udev,
				  usb_rcvbulkpipe(st->udev, 2), st->buf[i],
				  RA_REPORT_SIZE, ra_surb_complete, &st->surbs[i]);
		rc = usb_submit_urb(&st->surbs[i].urb, GFP_KERNEL);
		if (rc < 0) {
			ra_stream_stop(st);
			break;
		}
	}
	return rc;
}
EXPORT_SYMBOL_GPL(ra_stream_start);

/* Correct: the same shape with the work items set up with the stream. */
struct ra_stream2 {
	struct urb urb;
	struct work_struct wq;
};

static void ra_stream2_work(struct work_struct *work)
{
	struct ra_stream2 *s2 = container_of(work, struct ra_stream2, wq);

	usb_submit_urb(&s2->urb, GFP_KERNEL);
}

static void ra_stream2_complete(struct urb *urb)
{
	struct ra_stream2 *s2 = urb->context;

	INIT_WORK(&s2->wq, ra_stream2_work);
	schedule_work(&s2->wq);
}

void ra_stream2_setup(struct ra_stream2 *s2, struct usb_device *udev, u8 *buf)
{
	INIT_WORK(&s2->wq, ra_stream2_work);
	usb_init_urb(&s2->urb);
	usb_fill_bulk_urb(&s2->urb, udev, usb_rcvbulkpipe(udev, 3), buf,
			  RA_REPORT_SIZE, ra_stream2_complete, s2);
}
EXPORT_SYMBOL_GPL(ra_stream2_setup);

void ra_stream2_stop(struct ra_stream2 *s2)
{
	usb_poison_urb(&s2->urb);
	cancel_work_sync(&s2->wq);
}
EXPORT_SYMBOL_GPL(ra_stream2_stop);

/* ---- A keypad whose LED work is stopped in input_dev.close, which
 * input_unregister_device() runs only for an open device (slcan,
 * fb855e9f3b6b: ndo_stop and a tty line discipline's write_wakeup) ---- */

struct ra_pad {
	struct input_dev *input;
	struct work_struct led_work;
	struct work_struct scan_work;
	struct work_struct blink_work;
	struct work_struct reset_work;
	bool opened;
	u8 leds;
};

static void ra_pad_led_work(struct work_struct *work)
{
	struct ra_pad *pad = container_of(work, struct ra_pad, led_work);

	pad->leds ^= 1;
}

static void ra_pad_blink_work(struct work_struct *work)
{
	struct ra_pad *pad = container_of(work, struct ra_pad, blink_work);

	pad->leds ^= 2;
}

/* Queues scan_work again; close() stops this item as well, so it is no
 * queuer of a closed device (6.1 drivers/net/ethernet/atheros/alx/main.c
 * alx_reset(): __alx_stop() cancels link_check_wk and reset_wk; the
 * whole-tree run). */
static void ra_pad_reset_work(struct work_struct *work)
{
	struct ra_pad *pad = container_of(work, struct ra_pad, reset_work);

	schedule_work(&pad->scan_work);
}

static void ra_pad_scan_work(struct work_struct *work)
{
	struct ra_pad *pad = container_of(work, struct ra_pad, scan_work);

	input_sync(pad->input);
}

static int ra_pad_open(struct input_dev *dev)
{
	struct ra_pad *pad = input_get_drvdata(dev);

	pad->opened = true;
	schedule_work(&pad->scan_work);
	schedule_work(&pad->reset_work);
	return 0;
}

static void ra_pad_close(struct input_dev *dev)
{
	struct ra_pad *pad = input_get_drvdata(dev);

	cancel_work_sync(&pad->reset_work);
	cancel_work_sync(&pad->scan_work);
	cancel_work_sync(&pad->led_work);
	cancel_work_sync(&pad->blink_work);
	pad->opened = false;
}

/* The LED file can be written whether or not the input device is open. */
static ssize_t ra_pad_led_write(struct file *file, const char __user *buf,
				size_t count, loff_t *ppos)
{
	struct ra_pad *pad = file->private_data;

	schedule_work(&pad->led_work); /* expected-note {{'ra_pad_led_write', a callback of another ops table, queues 'pad->led_work' whether or not the device is open}} */
	return count;
}

/* Queues the blink work only while the device is open (btusb_resume()'s
 * `if (!test_bit(HCI_RUNNING, ..)) goto done;`): close() is its stop. */
static ssize_t ra_pad_led_read(struct file *file, char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct ra_pad *pad = file->private_data;

	if (!pad->opened)
		return 0;
	schedule_work(&pad->blink_work);
	return 0;
}

static const struct file_operations ra_pad_led_fops = {
	.owner = THIS_MODULE,
	.write = ra_pad_led_write,
	.read = ra_pad_led_read,
};

int ra_pad_register(struct ra_pad *pad, struct input_dev *input)
{
	pad->input = input;
	INIT_WORK(&pad->led_work, ra_pad_led_work);
	INIT_WORK(&pad->scan_work, ra_pad_scan_work);
	INIT_WORK(&pad->blink_work, ra_pad_blink_work);
	INIT_WORK(&pad->reset_work, ra_pad_reset_work);
	input->open = ra_pad_open;
	input->close = ra_pad_close;
	input_set_drvdata(input, pad);
	return input_register_device(input);
}
EXPORT_SYMBOL_GPL(ra_pad_register);

const struct file_operations *ra_pad_fops(void)
{
	return &ra_pad_led_fops;
}
EXPORT_SYMBOL_GPL(ra_pad_fops);

/* BUG(wq-free-before-cancel): close() stops led_work only if the device
 * was opened; the LED file queues it either way.  scan_work is queued
 * only by open() and by reset_work's handler, which close() stops too,
 * and blink_work only while open, so close() is their stop: correct. */
void ra_pad_unregister(struct ra_pad *pad)
{
	input_unregister_device(pad->input); /* expected-note {{this runs 'ra_pad_close', which stops 'pad->led_work', only for a device that is open}} */
	kfree(pad); /* expected-warning-re {{'kfree' frees 'pad' while its work item 'pad->led_work' (handler 'ra_pad_led_work') may still be queued or running{{.*}}its only stop runs only if the device was open, and it can be queued while it is not; call cancel_work_sync(&pad->led_work) before freeing [wq-free-before-cancel]}} cocci-misses: the stop is in an ops callback */
}
EXPORT_SYMBOL_GPL(ra_pad_unregister);

/* Correct: the same with the LED work stopped here as well. */
void ra_pad_unregister_fixed(struct ra_pad *pad)
{
	input_unregister_device(pad->input);
	cancel_work_sync(&pad->led_work);
	kfree(pad);
}
EXPORT_SYMBOL_GPL(ra_pad_unregister_fixed);

/* ---- A client table walked with idr_for_each() ---- */

struct ra_client {
	char *label;
};

static DEFINE_IDR(ra_clients);
static DEFINE_SPINLOCK(ra_clients_lock);

static int ra_client_relabel(int id, void *ptr, void *data)
{
	struct ra_client *c = ptr;

	kfree(c->label);
	c->label = kasprintf(GFP_KERNEL, "client-%d", id); /* expected-note {{'ra_client_relabel' calls 'kasprintf' here}} */
	return c->label ? 0 : -ENOMEM;
}

static int ra_client_count(int id, void *ptr, void *data)
{
	(*(int *)data)++;
	return 0;
}

/* BUG(wq-sleep-in-atomic): idr_for_each() runs ra_client_relabel() before
 * it returns, under the spinlock. */
void ra_clients_relabel_locked(void)
{
	spin_lock(&ra_clients_lock); /* expected-note {{spinlock 'ra_clients_lock' taken here}} */
	idr_for_each(&ra_clients, ra_client_relabel, NULL); /* expected-warning-re {{sleeping function 'kasprintf' with GFP flags that allow direct reclaim called in atomic context (spinlock 'ra_clients_lock' held) through 'ra_client_relabel'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the callback runs inside idr_for_each() */
	spin_unlock(&ra_clients_lock);
}
EXPORT_SYMBOL_GPL(ra_clients_relabel_locked);

/* Correct: the same walk outside the lock, and a walk under the lock whose
 * callback does not sleep. */
int ra_clients_relabel(void)
{
	int n = 0;

	idr_for_each(&ra_clients, ra_client_relabel, NULL);
	spin_lock(&ra_clients_lock);
	idr_for_each(&ra_clients, ra_client_count, &n);
	spin_unlock(&ra_clients_lock);
	return n;
}
EXPORT_SYMBOL_GPL(ra_clients_relabel);

static struct platform_driver *const ra_platform_drivers[] = {
	&ra_poll_driver, &ra_jack_driver, &ra_jack2_driver,
};

static int __init ra_init(void)
{
	int ret = platform_register_drivers(ra_platform_drivers,
					    ARRAY_SIZE(ra_platform_drivers));

	if (ret)
		return ret;
	ret = usb_register(&ra_usb_driver);
	if (ret)
		platform_unregister_drivers(ra_platform_drivers,
					    ARRAY_SIZE(ra_platform_drivers));
	return ret;
}

static void __exit ra_exit(void)
{
	usb_deregister(&ra_usb_driver);
	platform_unregister_drivers(ra_platform_drivers,
				    ARRAY_SIZE(ra_platform_drivers));
}

module_init(ra_init);
module_exit(ra_exit);

MODULE_DESCRIPTION("wqcheck sample: work items re-armed by their own handler, URB completions, iterator callbacks");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
