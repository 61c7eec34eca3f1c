// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_poller - polled sensor with a watchdog timer
 *
 * A self-rearming delayed work on a private workqueue samples a
 * (simulated) slow sensor every poll_ms milliseconds.  A kernel timer acts as a watchdog: when no
 * sample has arrived for a while it kicks a recovery work item.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

static unsigned int poll_ms = 200;
module_param(poll_ms, uint, 0644);
MODULE_PARM_DESC(poll_ms, "sensor poll interval in milliseconds");

#define WQS_POLLER_RING		32
#define WQS_POLLER_WDOG_MS	1000

struct wqs_poller {
	struct mutex cfg_lock;		/* protects gain and offset */
	int gain;
	int offset;

	spinlock_t lock;		/* protects ring and last_sample */
	int ring[WQS_POLLER_RING];
	unsigned int pos;
	unsigned long last_sample;
	unsigned long nr_kicks;
	bool running;

	struct workqueue_struct *wq;	/* runs poll_work */
	struct delayed_work poll_work;
	struct work_struct kick_work;
	struct timer_list watchdog;
};

static struct wqs_poller *poller;

/* The sensor needs a conversion delay before the result is valid. */
static int wqs_poller_read_sensor(struct wqs_poller *p)
{
	usleep_range(500, 1000); /* expected-note {{'wqs_poller_read_sensor' calls 'usleep_range' here}} */
	return (int)(jiffies & 0x3ff) - 512;
}

static void wqs_poller_sample(struct wqs_poller *p)
{
	unsigned long flags;
	int raw = wqs_poller_read_sensor(p); /* expected-note {{'wqs_poller_sample' calls 'wqs_poller_read_sensor', which may sleep, here}} */

	spin_lock_irqsave(&p->lock, flags);
	p->ring[p->pos++ % WQS_POLLER_RING] = raw;
	p->last_sample = jiffies;
	spin_unlock_irqrestore(&p->lock, flags);
}

static void wqs_poller_poll_work(struct work_struct *work)
{
	struct wqs_poller *p = container_of(to_delayed_work(work),
					    struct wqs_poller, poll_work);

	/* Work handler: the sensor helper and the mutex may sleep (correct). */
	wqs_poller_sample(p);

	mutex_lock(&p->cfg_lock);
	if (p->gain > 1)
		msleep(1);	/* extra settling time at high gain */
	mutex_unlock(&p->cfg_lock);

	if (READ_ONCE(p->running))
		queue_delayed_work(p->wq, &p->poll_work,
				   msecs_to_jiffies(poll_ms));
}

static void wqs_poller_kick_work(struct work_struct *work)
{
	struct wqs_poller *p = container_of(work, struct wqs_poller, kick_work);

	pr_warn("wqs_poller: sensor stalled, restarting the poll loop\n");
	mutex_lock(&p->cfg_lock);
	p->offset = 0;
	mutex_unlock(&p->cfg_lock);

	/* mod_delayed_work() re-arms the poller immediately. */
	mod_delayed_work(p->wq, &p->poll_work, 0);
}

static void wqs_poller_watchdog(struct timer_list *t)
{
	struct wqs_poller *p = from_timer(p, t, watchdog);
	unsigned long flags, last;
	bool low_gain;

	spin_lock_irqsave(&p->lock, flags);
	last = p->last_sample;
	spin_unlock_irqrestore(&p->lock, flags);

	/* BUG(wq-sleep-in-atomic): mutex_lock() in a timer callback */
	/* expected-warning-re@+1 {{sleeping function 'mutex_lock' called in atomic context (in timer callback 'wqs_poller_watchdog'){{.*}}[wq-sleep-in-atomic]}} */
	mutex_lock(&p->cfg_lock);
	low_gain = p->gain == 0;
	mutex_unlock(&p->cfg_lock);

	if (time_after(jiffies, last + msecs_to_jiffies(WQS_POLLER_WDOG_MS))) {
		p->nr_kicks++;
		/* Timer callback: queueing work is fine. */
		queue_work(system_highpri_wq, &p->kick_work);
	} else if (low_gain) {
		/* BUG(wq-sleep-in-atomic): timer callback -> wqs_poller_sample() -> wqs_poller_read_sensor() -> usleep_range() */
		/* expected-warning-re@+1 {{sleeping function 'usleep_range' called in atomic context (in timer callback 'wqs_poller_watchdog') through 'wqs_poller_sample'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
		wqs_poller_sample(p);
	}

	mod_timer(&p->watchdog, jiffies + msecs_to_jiffies(WQS_POLLER_WDOG_MS));
}

static void wqs_poller_start(struct wqs_poller *p)
{
	WRITE_ONCE(p->running, true);
	p->last_sample = jiffies;
	queue_delayed_work(p->wq, &p->poll_work, 0);
	mod_timer(&p->watchdog, jiffies + msecs_to_jiffies(WQS_POLLER_WDOG_MS));
}

static void wqs_poller_stop(struct wqs_poller *p)
{
	WRITE_ONCE(p->running, false);
	/* Self-rearming delayed work: cancel_delayed_work_sync() handles it. */
	cancel_delayed_work_sync(&p->poll_work);
	cancel_work_sync(&p->kick_work);
	/* The watchdog is stopped only now, after the cancels above. */
	del_timer_sync(&p->watchdog);
}

static int __init wqs_poller_init(void)
{
	struct wqs_poller *p;

	if (!poll_ms)
		return -EINVAL;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;

	p->wq = create_workqueue("wqs_poller"); /* expected-warning-re {{'create_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
	if (!p->wq) {
		kfree(p);
		return -ENOMEM;
	}

	mutex_init(&p->cfg_lock);
	spin_lock_init(&p->lock);
	p->gain = 1;
	INIT_DELAYED_WORK(&p->poll_work, wqs_poller_poll_work);
	INIT_WORK(&p->kick_work, wqs_poller_kick_work);
	timer_setup(&p->watchdog, wqs_poller_watchdog, 0); /* expected-note 2 {{'wqs_poller_watchdog' runs in softirq context (timer): registered here with 'timer_setup'}} */

	poller = p;
	wqs_poller_start(p);
	pr_info("wqs_poller: polling every %u ms\n", poll_ms);
	return 0;
}

static void __exit wqs_poller_exit(void)
{
	struct wqs_poller *p = poller;

	wqs_poller_stop(p);
	destroy_workqueue(p->wq);
	pr_info("wqs_poller: %lu watchdog kicks\n", p->nr_kicks);
	/* KNOWN MISS(wq-free-before-cancel, docs/checks/wq-free-before-cancel.md): the watchdog can re-queue kick_work (on system_highpri_wq) between cancel_work_sync() and del_timer_sync() in wqs_poller_stop() */
	kfree(p);
}

module_init(wqs_poller_init);
module_exit(wqs_poller_exit);

MODULE_DESCRIPTION("wqcheck sample: timer plus self-rearming delayed work poller");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
