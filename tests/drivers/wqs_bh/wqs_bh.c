// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_bh - packet classifier that does its fast path on BH workqueues
 *
 * Received descriptors are classified by a work item on system_bh_wq (it
 * runs in softirq context right after the IRQ, like a tasklet), and
 * statistics are folded by a work item on a private WQ_BH queue.  Slow
 * work (firmware reloads) goes to an ordinary workqueue, where sleeping is
 * fine.  Needs Linux 6.9+ at run time; wqs_bh_compat.h lets it build
 * against older headers.
 *
 * Part of the wqcheck test corpus: wq-sleep-in-atomic for BH work items,
 * and the cancel_work_sync() exception for them.
 */

#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "wqs_bh_compat.h"

struct classifier {
	spinlock_t lock;
	struct mutex rules_mutex;
	unsigned int nr_rules;
	unsigned long hits, misses;
	struct work_struct rx_work;	/* on system_bh_wq */
	struct work_struct stats_work;	/* on stats_wq (WQ_BH) */
	struct work_struct reload_work;	/* on system_wq */
	struct timer_list gc_timer;
	struct workqueue_struct *stats_wq;
};

static struct classifier *cls;

static void cls_rx_work_fn(struct work_struct *work)
{
	struct classifier *c = container_of(work, struct classifier, rx_work);

	spin_lock(&c->lock);
	c->hits++;
	spin_unlock(&c->lock);
	/* BUG: BH work items run in softirq context. */
	mutex_lock(&c->rules_mutex); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (in work item on a BH workqueue 'cls_rx_work_fn'){{.*}}[wq-sleep-in-atomic]}} */
	c->nr_rules++;
	mutex_unlock(&c->rules_mutex);
}

static void cls_stats_work_fn(struct work_struct *work)
{
	struct classifier *c = container_of(work, struct classifier,
					    stats_work);
	unsigned long *snap;

	/* BUG: GFP_KERNEL in a work item of a WQ_BH queue. */
	snap = kmalloc(2 * sizeof(*snap), GFP_KERNEL); /* expected-warning-re {{sleeping function 'kmalloc' with GFP flags that allow direct reclaim called in atomic context (in work item on a BH workqueue 'cls_stats_work_fn'){{.*}}[wq-sleep-in-atomic]}} */
	if (!snap)
		return;
	snap[0] = c->hits;
	snap[1] = c->misses;
	kfree(snap);
}

/* On system_wq: process context, sleeping is fine. */
static void cls_reload_work_fn(struct work_struct *work)
{
	struct classifier *c = container_of(work, struct classifier,
					    reload_work);

	mutex_lock(&c->rules_mutex);
	msleep(10);
	c->nr_rules = 0;
	mutex_unlock(&c->rules_mutex);
}

static void cls_gc_timer_fn(struct timer_list *t)
{
	struct classifier *c = from_timer(c, t, gc_timer);

	/*
	 * Correct since 6.10: a work item last queued on a BH workqueue may
	 * be cancelled from non-hardirq atomic context.
	 */
	cancel_work_sync(&c->rx_work);
	/* BUG: reload_work runs on system_wq; this waits for it. */
	cancel_work_sync(&c->reload_work); /* expected-warning-re {{sleeping function 'cancel_work_sync' called in atomic context (in timer callback 'cls_gc_timer_fn'){{.*}}[wq-sleep-in-atomic]}} */
	mod_timer(&c->gc_timer, jiffies + HZ);
}

static irqreturn_t cls_irq(int irq, void *data)
{
	struct classifier *c = data;

	queue_work(system_bh_wq, &c->rx_work); /* expected-note {{'cls_rx_work_fn' runs in softirq context (BH workqueue): its work item is queued on a BH workqueue here}} */
	queue_work(c->stats_wq, &c->stats_work); /* expected-note {{'cls_stats_work_fn' runs in softirq context (BH workqueue): its work item is queued on a BH workqueue here}} */
	if (!(c->hits % 4096)) {
		/* BUG: the BH exception does not cover hard-IRQ context. */
		cancel_work_sync(&c->rx_work); /* expected-warning-re {{sleeping function 'cancel_work_sync' called in atomic context (in hard-IRQ handler 'cls_irq'){{.*}}[wq-sleep-in-atomic]}} */
		schedule_work(&c->reload_work);
	}
	return IRQ_HANDLED;
}

static int cls_irq_nr = -1;
module_param(cls_irq_nr, int, 0444);

static int __init cls_init(void)
{
	int ret;

	cls = kzalloc(sizeof(*cls), GFP_KERNEL);
	if (!cls)
		return -ENOMEM;
	spin_lock_init(&cls->lock);
	mutex_init(&cls->rules_mutex);
	INIT_WORK(&cls->rx_work, cls_rx_work_fn);
	INIT_WORK(&cls->stats_work, cls_stats_work_fn);
	INIT_WORK(&cls->reload_work, cls_reload_work_fn);
	cls->stats_wq = alloc_workqueue("wqs_bh_stats", WQ_BH, 0);
	if (!cls->stats_wq) {
		kfree(cls);
		return -ENOMEM;
	}
	timer_setup(&cls->gc_timer, cls_gc_timer_fn, 0); /* expected-note {{'cls_gc_timer_fn' runs in softirq context (timer): registered here with 'timer_setup'}} */
	if (cls_irq_nr >= 0) {
		ret = request_irq(cls_irq_nr, cls_irq, IRQF_SHARED, "wqs_bh", /* expected-note {{'cls_irq' runs in hard-IRQ context: registered here with 'request_irq'}} */
				  cls);
		if (ret) {
			destroy_workqueue(cls->stats_wq);
			kfree(cls);
			return ret;
		}
	}
	mod_timer(&cls->gc_timer, jiffies + HZ);
	return 0;
}

static void __exit cls_exit(void)
{
	if (cls_irq_nr >= 0)
		free_irq(cls_irq_nr, cls);
	del_timer_sync(&cls->gc_timer);
	cancel_work_sync(&cls->rx_work);
	cancel_work_sync(&cls->stats_work);
	cancel_work_sync(&cls->reload_work);
	destroy_workqueue(cls->stats_wq);
	kfree(cls);
}

module_init(cls_init);
module_exit(cls_exit);

MODULE_DESCRIPTION("wqcheck sample: BH workqueues");
MODULE_LICENSE("GPL");
