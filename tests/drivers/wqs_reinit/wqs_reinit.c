// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_reinit - INIT_WORK() on a work item that may still be pending
 * (wq-reinit-pending), each next to the correct code it resembles:
 *
 *  A. A handler switch: the item is queued, then re-initialised with
 *     another handler on the same path; next to the same switch after a
 *     waiting cancel.
 *  B. A loop that initialises and queues one object's item on every
 *     iteration; next to a loop over a list, a new object each time, and
 *     an accept loop that gets a new object through an out-parameter,
 *     and a loop over the elements of an array.
 *  C. A hard-IRQ handler that initialises and queues a global item on
 *     every interrupt (6.1 drivers/scsi/aha152x.c intr()); next to an IRQ
 *     handler that initialises a fresh event, one that tests
 *     work_pending() first, and one that keeps its IRQ off until the work
 *     ran (disable_irq_nosync()).
 *  D. A timer callback that re-initialises a delayed work it re-arms
 *     (6.1 drivers/net/ethernet/realtek/8139too.c rtl8139_tx_timeout());
 *     next to the INIT in probe and only the queue in the callback.
 *  E. A work handler that re-initialises another, global, delayed item
 *     before queueing it (6.1 drivers/greybus/svc_watchdog.c do_work()):
 *     --level=possible; next to a handler re-targeting its own item.
 *  F. A state machine that restarts a self-re-queueing polling item with
 *     INIT then queue on every state entry (6.1 usb-otg-fsm.c, before
 *     bf88fef0b6f1); next to the fix (INIT once, behind a flag), and to
 *     a request whose steps re-initialise and queue the running item from
 *     its handler (6.1 rbd.c).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync del_timer_sync
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
#define timer_container_of from_timer
#endif

struct ri_event {
	struct work_struct work;
	struct list_head node;
	int code;
};

struct ri_priv {
	struct workqueue_struct *wq;
	struct work_struct cmd_work;	/* A */
	struct work_struct safe_work;	/* A: cancelled first */
	struct work_struct scan_work;	/* B */
	struct work_struct irq_work;	/* C: work_pending() */
	struct work_struct slow_work;	/* C: disable_irq_nosync() */
	struct delayed_work tick_work;	/* D */
	struct delayed_work poll_work;	/* D: INIT in probe */
	struct work_struct self_work;	/* E: re-targets itself */
	struct work_struct accept_work;	/* B: accept loop */
	struct timer_list tx_timer;
	struct timer_list poll_timer;
	struct list_head events;
	int irq, count;
};

static struct work_struct ri_global_tq;		/* C */
static struct delayed_work ri_reset_work;	/* E */
static struct work_struct ri_ping_work;		/* E */

static void ri_cmd_fn(struct work_struct *work) { }
static void ri_cmd_abort_fn(struct work_struct *work) { }
static void ri_scan_fn(struct work_struct *work) { }
static void ri_tq_fn(struct work_struct *work) { }
static void ri_tick_fn(struct work_struct *work) { }
static void ri_reset_fn(struct work_struct *work) { }

static void ri_event_fn(struct work_struct *work)
{
	struct ri_event *ev = container_of(work, struct ri_event, work);

	kfree(ev);
}

static void ri_irq_fn(struct work_struct *work) { }

static void ri_slow_fn(struct work_struct *work)
{
	struct ri_priv *priv = container_of(work, struct ri_priv, slow_work);

	enable_irq(priv->irq);
}

static void ri_poll_fn(struct work_struct *work) { }

/* ---------------------------------------------------------------------
 * A. A handler switch.
 */
static void ri_abort(struct ri_priv *priv)
{
	queue_work(priv->wq, &priv->cmd_work); /* expected-note {{'priv->cmd_work' is queued here}} */
	priv->count = 0;
	/* BUG(wq-reinit-pending): cmd_work may still be pending. */
	INIT_WORK(&priv->cmd_work, ri_cmd_abort_fn); /* expected-warning-re {{'INIT_WORK' re-initialises work item 'priv->cmd_work', which may still be pending: it is queued earlier on a path to here, and nothing waits for it in between{{.*}}[wq-reinit-pending]}} cocci-misses: no script */
}

/* Correct: the waiting cancel comes first. */
static void ri_abort_safe(struct ri_priv *priv)
{
	queue_work(priv->wq, &priv->safe_work);
	cancel_work_sync(&priv->safe_work);
	INIT_WORK(&priv->safe_work, ri_cmd_abort_fn);
}

/* ---------------------------------------------------------------------
 * B. Loops.
 */
static void ri_rescan(struct ri_priv *priv)
{
	int i;

	for (i = 0; i < 3; i++) {
		/* BUG(wq-reinit-pending): the second iteration re-initialises the first's item. */
		INIT_WORK(&priv->scan_work, ri_scan_fn); /* expected-warning-re {{'INIT_WORK' re-initialises work item 'priv->scan_work', which may still be pending{{.*}}[wq-reinit-pending]}} cocci-misses: no script */
		queue_work(priv->wq, &priv->scan_work); /* expected-note {{'priv->scan_work' is queued here}} */
	}
}

/* Correct: a new object on every iteration. */
static void ri_flush_events(struct ri_priv *priv)
{
	struct ri_event *ev;

	list_for_each_entry(ev, &priv->events, node) {
		INIT_WORK(&ev->work, ri_event_fn);
		queue_work(priv->wq, &ev->work);
	}
}

static int ri_next_event(struct ri_priv *priv, struct ri_event **evp)
{
	*evp = list_first_entry_or_null(&priv->events, struct ri_event, node);
	if (!*evp)
		return -ENOENT;
	list_del(&(*evp)->node);
	return 0;
}

/* Correct: the accept loop gets a new object through an out-parameter
 * (6.1 net/smc/af_smc.c smc_tcp_listen_work(), a work handler; held-out
 * first run). */
static void ri_accept_fn(struct work_struct *work)
{
	struct ri_priv *priv = container_of(work, struct ri_priv, accept_work);
	struct ri_event *ev;

	while (ri_next_event(priv, &ev) == 0) {
		INIT_WORK(&ev->work, ri_event_fn);
		queue_work(priv->wq, &ev->work);
	}
}

/* Correct: one element of an array per iteration (6.1 drivers/rapidio/
 * rio.c rio_init_mports(), first 6.12 run). */
static void ri_start_ports(struct ri_priv *priv, struct ri_event *ports, int count)
{
	int n;

	for (n = 0; n < count; n++) {
		INIT_WORK(&ports[n].work, ri_event_fn);
		queue_work(priv->wq, &ports[n].work);
	}
}

/* ---------------------------------------------------------------------
 * C. Hard-IRQ handlers.
 */
static irqreturn_t ri_isa_intr(int irq, void *dev_id)
{
	/* BUG(wq-reinit-pending): every interrupt re-initialises the global item. */
	INIT_WORK(&ri_global_tq, ri_tq_fn); /* expected-warning-re {{'ri_isa_intr' runs again and again as a hard-IRQ handler, and re-initialises work item 'ri_global_tq' of an object that outlives the call before queueing it{{.*}}[wq-reinit-pending]}} cocci-misses: no script */
	schedule_work(&ri_global_tq); /* expected-note {{'ri_global_tq' is queued here}} */
	return IRQ_HANDLED;
}

/* Correct: a fresh event for every interrupt. */
static irqreturn_t ri_event_intr(int irq, void *dev_id)
{
	struct ri_priv *priv = dev_id;
	struct ri_event *ev = kzalloc(sizeof(*ev), GFP_ATOMIC);

	if (!ev)
		return IRQ_NONE;
	ev->code = irq;
	INIT_WORK(&ev->work, ri_event_fn);
	queue_work(priv->wq, &ev->work);
	return IRQ_HANDLED;
}

/* Correct: the INIT only when the item is not pending. */
static irqreturn_t ri_pend_intr(int irq, void *dev_id)
{
	struct ri_priv *priv = dev_id;

	if (!work_pending(&priv->irq_work)) {
		INIT_WORK(&priv->irq_work, ri_irq_fn);
		queue_work(priv->wq, &priv->irq_work);
	}
	return IRQ_HANDLED;
}

/* Correct: the IRQ stays off until the work ran. */
static irqreturn_t ri_slow_intr(int irq, void *dev_id)
{
	struct ri_priv *priv = dev_id;

	disable_irq_nosync(irq);
	INIT_WORK(&priv->slow_work, ri_slow_fn);
	queue_work(priv->wq, &priv->slow_work);
	return IRQ_HANDLED;
}

/* ---------------------------------------------------------------------
 * D. Timer callbacks.
 */
static void ri_tx_timeout(struct timer_list *t)
{
	struct ri_priv *priv = timer_container_of(priv, t, tx_timer);

	/* BUG(wq-reinit-pending): a pending tick_work has its timer re-initialised. */
	INIT_DELAYED_WORK(&priv->tick_work, ri_tick_fn); /* expected-warning-re {{'ri_tx_timeout' runs again and again as a timer callback, and re-initialises work item 'priv->tick_work'{{.*}}[wq-reinit-pending]}} cocci-misses: no script */
	schedule_delayed_work(&priv->tick_work, 3 * HZ); /* expected-note {{'priv->tick_work' is queued here}} */
	mod_timer(&priv->tx_timer, jiffies + 6 * HZ);
}

/* Correct: initialised in probe, only queued here. */
static void ri_poll_timeout(struct timer_list *t)
{
	struct ri_priv *priv = timer_container_of(priv, t, poll_timer);

	schedule_delayed_work(&priv->poll_work, HZ);
	mod_timer(&priv->poll_timer, jiffies + HZ);
}

/* ---------------------------------------------------------------------
 * E. Work handlers.
 */
static void ri_ping_fn(struct work_struct *work)
{
	/* BUG(wq-reinit-pending): a second ping failure re-initialises the armed reset. */
	INIT_DELAYED_WORK(&ri_reset_work, ri_reset_fn); /* possible-warning-re {{'ri_ping_fn' runs again and again as the handler of work item 'ri_ping_work', and re-initialises work item 'ri_reset_work'{{.*}}[wq-reinit-pending]}} possible-note {{reported at --level=possible only: a work handler runs again only when its own item is queued again}} cocci-misses: no script */
	schedule_delayed_work(&ri_reset_work, HZ / 2); /* possible-note {{'ri_reset_work' is queued here}} */
}

/* Correct: the handler re-targets its own running item. */
static void ri_self_fn2(struct work_struct *work) { }

static void ri_self_fn(struct work_struct *work)
{
	struct ri_priv *priv = container_of(work, struct ri_priv, self_work);

	INIT_WORK(&priv->self_work, ri_self_fn2);
	queue_work(priv->wq, &priv->self_work);
}

static int ri_probe(struct platform_device *pdev)
{
	struct ri_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->wq = alloc_workqueue("wqs_reinit", WQ_UNBOUND, 0);
	if (!priv->wq)
		return -ENOMEM;
	INIT_LIST_HEAD(&priv->events);
	INIT_WORK(&priv->cmd_work, ri_cmd_fn);
	INIT_WORK(&priv->safe_work, ri_cmd_fn);
	INIT_WORK(&priv->self_work, ri_self_fn);
	INIT_WORK(&priv->accept_work, ri_accept_fn);
	INIT_WORK(&priv->irq_work, ri_irq_fn);
	INIT_WORK(&priv->slow_work, ri_slow_fn);
	INIT_DELAYED_WORK(&priv->tick_work, ri_tick_fn);
	INIT_DELAYED_WORK(&priv->poll_work, ri_poll_fn);
	INIT_WORK(&ri_global_tq, ri_tq_fn);
	INIT_DELAYED_WORK(&ri_reset_work, ri_reset_fn);
	INIT_WORK(&ri_ping_work, ri_ping_fn);
	timer_setup(&priv->tx_timer, ri_tx_timeout, 0); /* expected-note {{'ri_tx_timeout' is registered here as a timer callback, which runs again on every event}} */
	timer_setup(&priv->poll_timer, ri_poll_timeout, 0);
	platform_set_drvdata(pdev, priv);

	priv->irq = platform_get_irq(pdev, 0);
	if (priv->irq < 0) {
		ret = priv->irq;
		goto err_wq;
	}
	ret = request_irq(priv->irq, ri_isa_intr, IRQF_SHARED, "wqs_reinit", priv); /* expected-note {{'ri_isa_intr' is registered here as a hard-IRQ handler, which runs again on every event}} */
	if (ret)
		goto err_wq;
	ret = request_irq(priv->irq, ri_event_intr, IRQF_SHARED, "wqs_reinit_ev", priv);
	if (ret)
		goto err_irq;
	ret = request_irq(priv->irq, ri_pend_intr, IRQF_SHARED, "wqs_reinit_pd", priv);
	if (ret)
		goto err_irq2;
	ret = request_irq(priv->irq, ri_slow_intr, IRQF_SHARED, "wqs_reinit_sl", priv);
	if (ret)
		goto err_irq3;
	mod_timer(&priv->tx_timer, jiffies + 6 * HZ);
	mod_timer(&priv->poll_timer, jiffies + HZ);
	queue_work(priv->wq, &priv->self_work);
	schedule_work(&ri_ping_work);
	ri_abort(priv);
	ri_abort_safe(priv);
	ri_rescan(priv);
	ri_flush_events(priv);
	queue_work(priv->wq, &priv->accept_work);
	ri_start_ports(priv, NULL, 0);
	return 0;

err_irq3:
	free_irq(priv->irq, priv);
err_irq2:
	free_irq(priv->irq, priv);
err_irq:
	free_irq(priv->irq, priv);
err_wq:
	destroy_workqueue(priv->wq);
	return ret;
}

/* ---------------------------------------------------------------------
 * F. A state machine that (re)starts a polling item on every entry into a
 *    state: INIT, then queue, while the item's handler queues it again and
 *    nothing in the file stops it (6.1 drivers/usb/common/usb-otg-fsm.c
 *    otg_start_hnp_polling() before bf88fef0b6f1, bench/realbugs 34);
 *    next to the fix, which initialises the item once behind a flag.
 */
struct ri_fsm {
	int state;
	bool poll2_inited;
	struct delayed_work poll_work;
	struct delayed_work poll2_work;
};

void ri_fsm_set_state(struct ri_fsm *f, int state);

static void ri_fsm_poll(struct work_struct *work)
{
	struct ri_fsm *f = container_of(to_delayed_work(work), struct ri_fsm,
					poll_work);

	if (f->state == 1)
		schedule_delayed_work(&f->poll_work, HZ); /* expected-note {{its handler 'ri_fsm_poll' queues it again here}} */
}

static void ri_fsm_poll2(struct work_struct *work)
{
	struct ri_fsm *f = container_of(to_delayed_work(work), struct ri_fsm,
					poll2_work);

	if (f->state == 2)
		schedule_delayed_work(&f->poll2_work, HZ);
}

static void ri_fsm_start_polling(struct ri_fsm *f)
{
	/* BUG(wq-reinit-pending): the item may still be pending from the
	 * last entry into this state. */
	INIT_DELAYED_WORK(&f->poll_work, ri_fsm_poll); /* expected-warning-re {{'ri_fsm_start_polling' re-initialises work item 'f->poll_work' and queues it, but its handler 'ri_fsm_poll' queues it again and nothing in this file stops it{{.*}}[wq-reinit-pending]}} cocci-misses: the handler's re-queue is in another function */
	schedule_delayed_work(&f->poll_work, HZ); /* expected-note {{'f->poll_work' is queued here}} */
}

/* Correct: initialised once. */
static void ri_fsm_start_polling2(struct ri_fsm *f)
{
	if (!f->poll2_inited) {
		INIT_DELAYED_WORK(&f->poll2_work, ri_fsm_poll2);
		f->poll2_inited = true;
	}
	schedule_delayed_work(&f->poll2_work, HZ);
}

/* Correct: the steps of a request, each initialised and queued by the
 * previous step's handler (6.1 drivers/block/rbd.c rbd_img_schedule(),
 * the whole-tree files): the item is running then, not pending. */
struct ri_req {
	int step;
	struct work_struct work;
};

void ri_req_start(struct ri_req *r);
static void ri_req_schedule(struct ri_req *r);

static void ri_req_work(struct work_struct *work)
{
	struct ri_req *r = container_of(work, struct ri_req, work);

	if (++r->step < 3)
		ri_req_schedule(r);
}

static void ri_req_schedule(struct ri_req *r)
{
	INIT_WORK(&r->work, ri_req_work);
	schedule_work(&r->work);
}

void ri_req_start(struct ri_req *r)
{
	r->step = 0;
	ri_req_schedule(r);
}
EXPORT_SYMBOL_GPL(ri_req_start);

void ri_fsm_set_state(struct ri_fsm *f, int state)
{
	f->state = state;
	if (state == 1)
		ri_fsm_start_polling(f);
	else if (state == 2)
		ri_fsm_start_polling2(f);
}
EXPORT_SYMBOL_GPL(ri_fsm_set_state);

static void ri_remove(struct platform_device *pdev)
{
	struct ri_priv *priv = platform_get_drvdata(pdev);

	free_irq(priv->irq, priv);
	free_irq(priv->irq, priv);
	free_irq(priv->irq, priv);
	free_irq(priv->irq, priv);
	timer_delete_sync(&priv->tx_timer);
	timer_delete_sync(&priv->poll_timer);
	cancel_work_sync(&ri_ping_work);
	cancel_delayed_work_sync(&ri_reset_work);
	cancel_work_sync(&ri_global_tq);
	cancel_work_sync(&priv->cmd_work);
	cancel_work_sync(&priv->safe_work);
	cancel_work_sync(&priv->scan_work);
	cancel_work_sync(&priv->self_work);
	cancel_work_sync(&priv->accept_work);
	cancel_work_sync(&priv->irq_work);
	cancel_work_sync(&priv->slow_work);
	cancel_delayed_work_sync(&priv->tick_work);
	cancel_delayed_work_sync(&priv->poll_work);
	destroy_workqueue(priv->wq);
}

static struct platform_driver ri_driver = {
	.probe = ri_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = ri_remove,
#else
	.remove_new = ri_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = { .name = "wqs_reinit" },
};
module_platform_driver(ri_driver);

MODULE_DESCRIPTION("wqcheck sample: INIT_WORK() on a pending work item (wq-reinit-pending)");
MODULE_LICENSE("GPL");
