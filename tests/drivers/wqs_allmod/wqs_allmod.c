// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_allmod: the false positives of the fresh held-out corpus of
 * 2026-12-07 (docs/evaluation.md: the 654 drivers/ files that x86_64
 * allmodconfig with COMPILE_TEST builds and Debian's configuration does
 * not, and that use the workqueue API), each beside the real bug it
 * resembles.
 *
 *  A. wq-free-before-cancel: per-request messages whose work item gets a
 *     handler the code computes (`msg->fn = fn; INIT_WORK(&msg->work,
 *     msg->fn)`), each handler freeing its own message as its last action
 *     (drivers/net/wireless/microchip/wilc1000/hif.c:371 and seven more,
 *     wilc_enqueue_work()); next to a caller that frees the message after
 *     queueing it.
 *  B. wq-sleep-in-atomic: a register poll with sleep_us 0 under a
 *     spinlock, which busy-waits (`readl_poll_timeout(.., 0, ..)`:
 *     `might_sleep_if((__sleep_us) != 0)`; drivers/clk/ingenic/cgu.c:225,
 *     drivers/i3c/master/svc-i3c-master.c:1323 and six more); next to the
 *     same poll with a sleep between reads, and a delay that starts at 0
 *     but is then written by inline asm.
 *  C. wq-free-before-cancel: one port allocated per round of a loop, its
 *     work item queued through `priv = netdev_priv(dev)` on success and the
 *     next round's fresh port freed on its error path
 *     (drivers/staging/octeon/ethernet.c:906 and :910, cvm_oct_probe());
 *     next to a round that frees the port it has just queued.
 *  D. wq-free-before-cancel: a suspend callback (dev_pm_ops) that waits
 *     for a work item whose handler re-arms the timer that queues it: the
 *     device stays, nothing is freed (drivers/staging/gdm724x/
 *     gdm_usb.c:934, gdm_usb_suspend()); next to a stop function whose
 *     caller frees the device.
 *  E. wq-free-before-cancel: a non-waiting cancel of a cached entry, then
 *     a fresh entry allocated into the same variable and freed on an
 *     error path before its work item was ever queued
 *     (drivers/media/platform/nvidia/tegra-vde/dmabuf-cache.c:153); next
 *     to the cached entry freed after the same cancel.
 *  F. wq-reinit-pending: a statistics poller that initialises and starts
 *     its self-re-queueing work item in a function only another file
 *     calls, once from probe (drivers/net/ethernet/microchip/lan966x/
 *     lan966x_ethtool.c:722, sparx5/sparx5_ethtool.c:1259), reported at
 *     --level=possible only; next to a restart that the file runs again
 *     whenever the interval changes.
 *  G. wq-sleep-in-atomic: a send helper that allocates its buffer with
 *     GFP_KERNEL only when the caller passes none, called under a spinlock
 *     with a buffer the caller allocated with GFP_ATOMIC and tested
 *     (drivers/net/ethernet/chelsio/inline_crypto/chtls/chtls_cm.c:387 and
 *     :1507, chtls_send_reset() -> chtls_send_abort()); next to the same
 *     helper called under the lock without a buffer.
 *  H. wq-free-before-cancel: the stop of section D on per-CPU data and on
 *     a global: the handler re-arms the timer after the cancel, but nothing
 *     frees a static object (net/core/drop_monitor.c:1103,
 *     net_dm_hw_monitor_stop(), once its handler became known: the code
 *     computes it, `INIT_WORK(&hw_data->dm_alert_work,
 *     ops->hw_work_item_func)`); next to section D's stop of an object its
 *     caller frees.
 *  I. wq-uninit: a work item initialised under `if (b->pdata.irq)` and
 *     queued later under the same test, nothing writing the field in
 *     between (drivers/gpu/drm/bridge/analogix/anx7625.c:2772,
 *     drivers/media/i2c/tc358743.c:2184); next to a queue under another
 *     field's test, and to a helper that sets the field in between.
 *  J. wq-uninit (second held-out corpus, drivers new in 6.12): an IRQ
 *     requested before INIT_WORK() whose handler queues the work item only
 *     while PPS or periodic output is on, two fields still zero from
 *     devm_kzalloc() (drivers/net/ethernet/ti/icssg/icss_iep.c:861,
 *     icss_iep_cap_cmp_irq(); the PTP ops that set them are registered
 *     later), reported at --level=possible only; next to the same probe
 *     that switches PPS on first, and to a handler that queues on every
 *     interrupt.
 *  K. wq-uninit (both held-out corpora): an IRQ requested before
 *     INIT_WORK() whose handler queues only past a test of what the device
 *     reports (`if (!(readl(..) & BIT(3))) return IRQ_NONE;`): whether the
 *     device can raise it before the INIT is not seen, so --level=possible
 *     only (6.1 renesas_usb3.c:2840, trf7970a.c:2058, 6.12
 *     tegra-xudc.c:3800: the hardware is not started yet; also two
 *     latent TRUE ones, mt6359-accdet.c:969 and fsl_esai.c:1010); next to
 *     a handler gated by a field the probe sets before the request, which
 *     is evidence (6.1 drivers/usb/gadget/udc/mv_udc_core.c:2272, TRUE:
 *     `udc->qwork` is stored before INIT_WORK()).
 *  L. wq-free-before-cancel (arm-only files; table family
 *     WQ_REQUEST_DRAIN): a request-serving device whose subsystem drains
 *     every request before the cancel -- crypto_engine_exit() before the
 *     cancel of a work item a devm IRQ queues at the end of a request
 *     (6.12 drivers/crypto/omap-aes.c:1259, omap-des.c:1086), and
 *     mmc_remove_host() before the cancel of a work item whose handler
 *     re-arms the request timer (atmel-mci.c:2596): --level=possible only,
 *     the drain named; next to the cancel before mmc_remove_host() of a
 *     work item whose handler re-arms a cover poll (6.12
 *     drivers/mmc/host/omap.c:1367, TRUE), which is still reported.
 *  M. wq-sleep-in-atomic (third held-out corpus: 6.1 files only other
 *     architectures build): a timer callback that tests a controller
 *     semaphore (`if (!try_fdc(drive)) { re-arm; return; }`) and then
 *     takes it with a helper whose wait_event() has that same condition,
 *     which holds, so the wait does not sleep (drivers/block/amiflop.c:501,
 *     :503, :1379, m68k): --level=possible only; next to a timer callback
 *     that takes it without the test, which sleeps in softirq context
 *     whenever another unit holds it (amiflop.c:1381, TRUE).
 *  N. wq-free-before-cancel, the levels: a remove() that returns while
 *     two work items of its devm data may be queued, one that another
 *     function of the file waits for (--level=possible on its own) and
 *     one nothing waits for (default).  At --level=possible the default
 *     finding is the one printed there, not hidden behind the other
 *     (6.1 drivers/gpu/drm/bridge/ite-it6505.c:3345, TRUE, was missing
 *     from --level=possible output).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <crypto/engine.h>
#include <linux/etherdevice.h>
#include <linux/mmc/host.h>
#include <linux/interrupt.h>
#include <linux/skbuff.h>
#include <linux/iopoll.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

/* ---------------------------------------------------------------------
 * A. Messages with a computed handler.
 */
struct am_msg {
	void (*fn)(struct work_struct *work);
	struct work_struct work;
	int arg;
};

int wqs_am_set(int arg);
int wqs_am_get(int arg);
int wqs_am_set_now(int arg);
struct am_pll;
int wqs_am_pll_enable(struct am_pll *p);
int wqs_am_pll_enable_slow(struct am_pll *p);
int wqs_am_pll_settle(struct am_pll *p);
int wqs_am_ports_probe(int n, bool fail);
int wqs_am_ports_probe_late(int n);
void wqs_am_ports_remove(void);
struct am_timed;
void wqs_am_timed_stop(struct am_timed *t);
int wqs_am_map(int key, bool fail);
void wqs_am_unmap(int key);
void wqs_am_evict(int key);
struct am_stats;
int wqs_am_stats_init(struct am_stats *st);
void wqs_am_stats_set_interval(struct am_stats *st, unsigned int ms);
struct am_conn;
void wqs_am_conn_abort(struct am_conn *c);
void wqs_am_conn_abort_nobuf(struct am_conn *c);
void wqs_am_pcpu_stop(void);
void wqs_am_global_stop(void);
int wqs_am_bridge_probe(struct platform_device *pdev);
int wqs_am_bridge_probe_hpd(struct platform_device *pdev);
int wqs_am_bridge_probe_fixup(struct platform_device *pdev);
int wqs_am_iep_probe(struct platform_device *pdev);
int wqs_am_iep_probe_pps(struct platform_device *pdev);
int wqs_am_iep_probe_always(struct platform_device *pdev);
int wqs_am_udc_probe(struct platform_device *pdev);
int wqs_am_udc_probe_vbus(struct platform_device *pdev);

static struct workqueue_struct *am_wq;
static int am_last;

static int am_enqueue(struct am_msg *msg)
{
	INIT_WORK(&msg->work, msg->fn);
	if (!am_wq)
		return -EINVAL;
	if (!queue_work(am_wq, &msg->work))
		return -EINVAL;
	return 0;
}

static struct am_msg *am_msg_new(void (*fn)(struct work_struct *), int arg)
{
	struct am_msg *msg = kzalloc(sizeof(*msg), GFP_KERNEL);

	if (!msg)
		return NULL;
	msg->fn = fn;
	msg->arg = arg;
	return msg;
}

/* Correct: the handler frees its own message as its last action. */
static void am_handle_set(struct work_struct *work)
{
	struct am_msg *msg = container_of(work, struct am_msg, work);

	am_last = msg->arg;
	kfree(msg);
}

/* Correct: the same, on every path. */
static void am_handle_get(struct work_struct *work)
{
	struct am_msg *msg = container_of(work, struct am_msg, work);

	if (msg->arg < 0)
		goto out;
	am_last += msg->arg;
out:
	kfree(msg);
}

/* Correct: the caller frees the message only when it was not queued. */
int wqs_am_set(int arg)
{
	struct am_msg *msg = am_msg_new(am_handle_set, arg);
	int err;

	if (!msg)
		return -ENOMEM;
	err = am_enqueue(msg);
	if (err)
		kfree(msg);
	return err;
}
EXPORT_SYMBOL_GPL(wqs_am_set);

int wqs_am_get(int arg)
{
	struct am_msg *msg = am_msg_new(am_handle_get, arg);
	int err;

	if (!msg)
		return -ENOMEM;
	err = am_enqueue(msg);
	if (err)
		kfree(msg);
	return err;
}
EXPORT_SYMBOL_GPL(wqs_am_get);

/* BUG(wq-free-before-cancel): the message is freed after it was queued. */
int wqs_am_set_now(int arg)
{
	struct am_msg *msg = am_msg_new(am_handle_set, arg);
	int err;

	if (!msg)
		return -ENOMEM;
	err = am_enqueue(msg); /* expected-note {{'msg->work' is queued here}} */
	kfree(msg); /* expected-warning-re {{'kfree' frees 'msg' while its work item 'msg->work' (handler 'am_handle_set') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in a helper */
	return err;
}
EXPORT_SYMBOL_GPL(wqs_am_set_now);

/* ---------------------------------------------------------------------
 * B. Register polls under a spinlock.
 */
struct am_pll {
	spinlock_t lock;
	void __iomem *base;
};

static int am_pll_wait_stable(struct am_pll *p)
{
	u32 v;

	return readl_poll_timeout(p->base, v, v & 1, 0, 1000);
}

static int am_pll_wait_slow(struct am_pll *p)
{
	u32 v;

	return readl_poll_timeout(p->base, v, v & 1, 10, 1000); /* expected-note {{'am_pll_wait_slow' calls 'might_sleep' here}} */
}

/* Correct: sleep_us 0 busy-waits. */
int wqs_am_pll_enable(struct am_pll *p)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&p->lock, flags);
	writel(1, p->base);
	ret = am_pll_wait_stable(p);
	spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(wqs_am_pll_enable);

/* BUG(wq-sleep-in-atomic): the poll sleeps between reads. */
int wqs_am_pll_enable_slow(struct am_pll *p)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&p->lock, flags); /* expected-note {{spinlock 'p->lock' taken here}} */
	writel(1, p->base);
	ret = am_pll_wait_slow(p); /* expected-warning-re {{sleeping function 'might_sleep' called in atomic context (spinlock 'p->lock' held) through 'am_pll_wait_slow'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the poll is a macro in a helper */
	spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(wqs_am_pll_enable_slow);

/* BUG(wq-sleep-in-atomic): the delay is 0 only until the asm writes it. */
int wqs_am_pll_settle(struct am_pll *p)
{
	unsigned long flags;
	unsigned long delay_us = 0;

	spin_lock_irqsave(&p->lock, flags); /* expected-note {{spinlock 'p->lock' taken here}} */
	asm volatile("" : "=r"(delay_us) : "0"((unsigned long)readl(p->base)));
	if (delay_us)
		usleep_range(delay_us, 2 * delay_us); /* expected-warning-re {{sleeping function 'usleep_range' called in atomic context (spinlock 'p->lock' held){{.*}}[wq-sleep-in-atomic]}} */
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_pll_settle);

/* ---------------------------------------------------------------------
 * C. One port per round of a loop.
 */
struct am_port {
	struct delayed_work periodic;
	int polls;
};

#define AM_PORTS 4
static struct net_device *am_ports[AM_PORTS];

static void am_port_periodic(struct work_struct *work)
{
	struct am_port *priv = container_of(to_delayed_work(work),
					    struct am_port, periodic);

	priv->polls++;
	schedule_delayed_work(&priv->periodic, HZ);
}

/* Correct: a round frees only the port it allocated, never queued. */
int wqs_am_ports_probe(int n, bool fail)
{
	int i;

	for (i = 0; i < n && i < AM_PORTS; i++) {
		struct am_port *priv;
		struct net_device *dev = alloc_etherdev(sizeof(struct am_port));

		if (!dev)
			continue;
		priv = netdev_priv(dev);
		INIT_DELAYED_WORK(&priv->periodic, am_port_periodic);
		if (fail) {
			free_netdev(dev);
		} else if (register_netdev(dev) < 0) {
			free_netdev(dev);
		} else {
			am_ports[i] = dev;
			schedule_delayed_work(&priv->periodic, HZ);
		}
	}
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_ports_probe);

/* BUG(wq-free-before-cancel): the port is queued, then freed. */
int wqs_am_ports_probe_late(int n)
{
	int i;

	for (i = 0; i < n && i < AM_PORTS; i++) {
		struct am_port *priv;
		struct net_device *dev = alloc_etherdev(sizeof(struct am_port));

		if (!dev)
			continue;
		priv = netdev_priv(dev);
		INIT_DELAYED_WORK(&priv->periodic, am_port_periodic);
		schedule_delayed_work(&priv->periodic, HZ); /* expected-note {{'netdev_priv(dev)->periodic' is queued here}} */
		if (register_netdev(dev) < 0)
			free_netdev(dev); /* expected-warning-re {{'free_netdev' frees 'dev' while its work item 'netdev_priv(dev)->periodic' (handler 'am_port_periodic') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the item is reached through netdev_priv() */
		else
			am_ports[i] = dev;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_ports_probe_late);

void wqs_am_ports_remove(void)
{
	int i;

	for (i = 0; i < AM_PORTS; i++) {
		struct net_device *dev = am_ports[i];
		struct am_port *priv;

		if (!dev)
			continue;
		priv = netdev_priv(dev);
		cancel_delayed_work_sync(&priv->periodic);
		unregister_netdev(dev);
		free_netdev(dev);
		am_ports[i] = NULL;
	}
}
EXPORT_SYMBOL_GPL(wqs_am_ports_remove);

/* ---------------------------------------------------------------------
 * D. A timer and a work item that re-arm each other, stopped in suspend.
 */
struct am_timed {
	struct timer_list poll;
	struct work_struct rx;
	int frames;
};

static void am_timed_rx(struct work_struct *work)
{
	struct am_timed *t = container_of(work, struct am_timed, rx);

	t->frames++;
	mod_timer(&t->poll, jiffies + HZ); /* expected-note {{the handler 'am_timed_rx' re-arms 't->poll' here, which nothing stops for good before the cancel}} */
}

static void am_timed_poll(struct timer_list *tl)
{
	struct am_timed *t = from_timer(t, tl, poll);

	schedule_work(&t->rx); /* expected-note {{whose callback 'am_timed_poll' queues 't->rx' again after the cancel returned}} */
}

/* Correct: the device is only suspended; it stays in memory. */
static int am_timed_suspend(struct device *dev)
{
	struct am_timed *t = dev_get_drvdata(dev);

	cancel_work_sync(&t->rx);
	return 0;
}

static int am_timed_resume(struct device *dev)
{
	struct am_timed *t = dev_get_drvdata(dev);

	schedule_work(&t->rx);
	return 0;
}

static SIMPLE_DEV_PM_OPS(am_timed_pm, am_timed_suspend, am_timed_resume);

/* BUG(wq-free-before-cancel): the caller frees the object after this. */
void wqs_am_timed_stop(struct am_timed *t)
{
	cancel_work_sync(&t->rx); /* expected-warning-re {{'wqs_am_timed_stop' waits for work item 't->rx' (handler 'am_timed_rx') but does not stop it for good{{.*}}[wq-free-before-cancel]}} expected-note {{'t->rx' is stopped here, but its handler may be running and re-arm its source}} cocci-misses: the re-arm is in the handler */
}
EXPORT_SYMBOL_GPL(wqs_am_timed_stop);

static int am_timed_probe(struct platform_device *pdev)
{
	struct am_timed *t = devm_kzalloc(&pdev->dev, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	timer_setup(&t->poll, am_timed_poll, 0);
	INIT_WORK(&t->rx, am_timed_rx);
	platform_set_drvdata(pdev, t);
	mod_timer(&t->poll, jiffies + HZ);
	return 0;
}

static void am_timed_remove(struct platform_device *pdev)
{
	struct am_timed *t = platform_get_drvdata(pdev);

	timer_shutdown_sync(&t->poll);
	cancel_work_sync(&t->rx);
}

/* remove() returns void: .remove since 6.11, .remove_new before (6.1's .remove returns int). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define AM_REMOVE remove
#else
#define AM_REMOVE remove_new
#endif

static struct platform_driver am_timed_driver = {
	.probe = am_timed_probe,
	.AM_REMOVE = am_timed_remove,
	.driver = {
		.name = "wqs_allmod_timed",
		.pm = &am_timed_pm,
	},
};

/* ---------------------------------------------------------------------
 * E. A cache of mapped entries, each unmapped by a delayed work item.
 */
struct am_entry {
	struct delayed_work dwork;
	struct list_head list;
	int key;
	int refcnt;
};

static LIST_HEAD(am_entries);
static DEFINE_MUTEX(am_map_lock);

static void am_entry_unmap(struct work_struct *work)
{
	struct am_entry *entry = container_of(work, struct am_entry,
					      dwork.work);

	mutex_lock(&am_map_lock);
	list_del(&entry->list);
	mutex_unlock(&am_map_lock);
	kfree(entry);
}

/* Correct: the freed entry is the fresh one, never queued. */
int wqs_am_map(int key, bool fail)
{
	struct am_entry *entry;

	mutex_lock(&am_map_lock);
	list_for_each_entry(entry, &am_entries, list) {
		if (entry->key != key)
			continue;
		/* Being unmapped: cannot be reused; map a new entry. */
		if (!cancel_delayed_work(&entry->dwork))
			continue;
		goto ref;
	}
	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		goto unlock;
	if (fail)
		goto err_free;
	INIT_DELAYED_WORK(&entry->dwork, am_entry_unmap);
	entry->key = key;
	list_add(&entry->list, &am_entries);
ref:
	entry->refcnt++;
	mutex_unlock(&am_map_lock);
	return 0;
err_free:
	kfree(entry);
unlock:
	mutex_unlock(&am_map_lock);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(wqs_am_map);

void wqs_am_unmap(int key)
{
	struct am_entry *entry;

	mutex_lock(&am_map_lock);
	list_for_each_entry(entry, &am_entries, list)
		if (entry->key == key && --entry->refcnt == 0)
			schedule_delayed_work(&entry->dwork, 5 * HZ); /* expected-note {{'entry->dwork' is queued here}} */
	mutex_unlock(&am_map_lock);
}
EXPORT_SYMBOL_GPL(wqs_am_unmap);

/* BUG(wq-free-before-cancel): the cancel does not wait for a running unmap. */
void wqs_am_evict(int key)
{
	struct am_entry *entry, *tmp;

	mutex_lock(&am_map_lock);
	list_for_each_entry_safe(entry, tmp, &am_entries, list) {
		if (entry->key != key)
			continue;
		cancel_delayed_work(&entry->dwork); /* expected-note {{cancelled here without waiting}} */
		list_del(&entry->list);
		kfree(entry); /* expected-warning-re {{'kfree' frees 'entry' while its work item 'entry->dwork' (handler 'am_entry_unmap') may still be queued or running{{.*}}the cancel without _sync does not wait for a running handler{{.*}}[wq-free-before-cancel]}} */
	}
	mutex_unlock(&am_map_lock);
}
EXPORT_SYMBOL_GPL(wqs_am_evict);

/* ---------------------------------------------------------------------
 * F. A statistics poller that keeps itself queued.
 */
struct am_stats {
	struct delayed_work poll;
	unsigned int interval_ms;
	u64 packets;
};

static void am_stats_poll(struct work_struct *work)
{
	struct am_stats *st = container_of(to_delayed_work(work),
					   struct am_stats, poll);

	st->packets++;
	queue_delayed_work(am_wq, &st->poll, /* possible-note {{its handler 'am_stats_poll' queues it again here}} expected-note {{its handler 'am_stats_poll' queues it again here}} */
			   msecs_to_jiffies(st->interval_ms));
}

/* Correct as far as this file shows: another file calls it once, from probe. */
int wqs_am_stats_init(struct am_stats *st)
{
	st->interval_ms = 1000;
	INIT_DELAYED_WORK(&st->poll, am_stats_poll); /* possible-warning-re {{'wqs_am_stats_init' re-initialises work item 'st->poll' and queues it, but its handler 'am_stats_poll' queues it again and nothing in this file stops it{{.*}}[wq-reinit-pending]}} possible-note {{reported at --level=possible only: nothing in this file calls 'wqs_am_stats_init' or hands it out; whether it runs more than once per object is not seen}} cocci-misses: the handler's re-queue is in another function */
	queue_delayed_work(am_wq, &st->poll, 0); /* possible-note {{'st->poll' is queued here}} */
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_stats_init);

static void am_stats_restart(struct am_stats *st)
{
	INIT_DELAYED_WORK(&st->poll, am_stats_poll); /* expected-warning-re {{'am_stats_restart' re-initialises work item 'st->poll' and queues it, but its handler 'am_stats_poll' queues it again and nothing in this file stops it{{.*}}[wq-reinit-pending]}} cocci-misses: the handler's re-queue is in another function */
	queue_delayed_work(am_wq, &st->poll, 0); /* expected-note {{'st->poll' is queued here}} */
}

/* BUG(wq-reinit-pending): every change of the interval re-initialises the live item. */
void wqs_am_stats_set_interval(struct am_stats *st, unsigned int ms)
{
	st->interval_ms = ms;
	am_stats_restart(st);
}
EXPORT_SYMBOL_GPL(wqs_am_stats_set_interval);

/* ---------------------------------------------------------------------
 * G. An abort message sent with the caller's buffer, or a new one.
 */
struct am_conn {
	spinlock_t lock;
	int state;
	struct sk_buff_head txq;
};

static void am_conn_send_abort(struct am_conn *c, struct sk_buff *skb)
{
	if (!skb)
		skb = alloc_skb(64, GFP_KERNEL); /* expected-note {{'am_conn_send_abort' calls 'alloc_skb' here}} */
	if (!skb)
		return;
	skb_queue_tail(&c->txq, skb);
}

static void am_conn_reset(struct am_conn *c, int mode, struct sk_buff *skb)
{
	c->state = mode;
	am_conn_send_abort(c, skb); /* expected-note {{'am_conn_reset' calls 'am_conn_send_abort', which may sleep, here}} */
}

/* Correct: the buffer is allocated before the lock and passed on. */
void wqs_am_conn_abort(struct am_conn *c)
{
	struct sk_buff *skb = alloc_skb(64, GFP_ATOMIC);

	spin_lock_bh(&c->lock);
	if (skb)
		am_conn_reset(c, 1, skb);
	spin_unlock_bh(&c->lock);
}
EXPORT_SYMBOL_GPL(wqs_am_conn_abort);

/* BUG(wq-sleep-in-atomic): without a buffer the helper allocates one. */
void wqs_am_conn_abort_nobuf(struct am_conn *c)
{
	spin_lock_bh(&c->lock); /* expected-note {{spinlock 'c->lock' taken here}} */
	am_conn_reset(c, 1, NULL); /* expected-warning-re {{sleeping function 'alloc_skb' with GFP flags that allow direct reclaim called in atomic context (spinlock 'c->lock' held) through 'am_conn_reset'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the allocation is two helpers down */
	spin_unlock_bh(&c->lock);
}
EXPORT_SYMBOL_GPL(wqs_am_conn_abort_nobuf);

/* ---------------------------------------------------------------------
 * H. Section D's timer and work item in static storage.
 */
static DEFINE_PER_CPU(struct am_timed, am_pcpu_timed);
static struct am_timed am_global_timed;

/* Correct: per-CPU data is never freed. */
void wqs_am_pcpu_stop(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct am_timed *t = &per_cpu(am_pcpu_timed, cpu);

		cancel_work_sync(&t->rx);
	}
}
EXPORT_SYMBOL_GPL(wqs_am_pcpu_stop);

/* Correct: neither is a global. */
void wqs_am_global_stop(void)
{
	cancel_work_sync(&am_global_timed.rx);
}
EXPORT_SYMBOL_GPL(wqs_am_global_stop);

/* ---------------------------------------------------------------------
 * I. A bridge whose hot-plug work exists only when it has an IRQ.
 */
struct am_bridge {
	struct am_pdata {
		int irq;
		bool hpd;
	} pdata;
	int mode;
	struct mutex lock;
	struct work_struct work;
};

static int am_default_irq;

static void am_bridge_work(struct work_struct *work)
{
	struct am_bridge *b = container_of(work, struct am_bridge, work);

	b->mode++;
}

static irqreturn_t am_bridge_irq(int irq, void *data)
{
	struct am_bridge *b = data;

	schedule_work(&b->work);
	return IRQ_HANDLED;
}

static void am_bridge_setup(struct am_bridge *b)
{
	b->mode = 1;
}

static void am_bridge_fixup(struct am_bridge *b)
{
	if (!b->pdata.irq)
		b->pdata.irq = am_default_irq;
}

/* Correct: INIT and queue under the same test of the same field. */
int wqs_am_bridge_probe(struct platform_device *pdev)
{
	struct am_bridge *b = devm_kzalloc(&pdev->dev, sizeof(*b), GFP_KERNEL);
	int ret;

	if (!b)
		return -ENOMEM;
	b->pdata.irq = platform_get_irq(pdev, 0);
	mutex_init(&b->lock);
	if (b->pdata.irq) {
		INIT_WORK(&b->work, am_bridge_work);
		ret = devm_request_irq(&pdev->dev, b->pdata.irq, am_bridge_irq,
				       0, "wqs_allmod_bridge", b);
		if (ret)
			return ret;
	}
	am_bridge_setup(b);
	if (b->pdata.irq)
		schedule_work(&b->work);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_bridge_probe);

/* BUG(wq-uninit): the queue is under another field's test. */
int wqs_am_bridge_probe_hpd(struct platform_device *pdev)
{
	struct am_bridge *b = devm_kzalloc(&pdev->dev, sizeof(*b), GFP_KERNEL); /* expected-note {{'b' is allocated here}} */
	int ret;

	if (!b)
		return -ENOMEM;
	b->pdata.irq = platform_get_irq(pdev, 0);
	b->pdata.hpd = device_property_read_bool(&pdev->dev, "hpd");
	if (b->pdata.irq) {
		INIT_WORK(&b->work, am_bridge_work); /* expected-note {{'b->work' is initialised here, on another path than the one that reaches the use}} */
		ret = devm_request_irq(&pdev->dev, b->pdata.irq, am_bridge_irq,
				       0, "wqs_allmod_bridge", b);
		if (ret)
			return ret;
	}
	if (b->pdata.hpd)
		schedule_work(&b->work); /* expected-warning-re {{'schedule_work' queues work item 'b->work' before it is initialised{{.*}}[wq-uninit]}} cocci-misses: the INIT is on another branch */
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_bridge_probe_hpd);

/* BUG(wq-uninit): a helper gives the bridge an IRQ after the INIT was skipped. */
int wqs_am_bridge_probe_fixup(struct platform_device *pdev)
{
	struct am_bridge *b = devm_kzalloc(&pdev->dev, sizeof(*b), GFP_KERNEL); /* expected-note {{'b' is allocated here}} */

	if (!b)
		return -ENOMEM;
	b->pdata.irq = platform_get_irq(pdev, 0);
	if (b->pdata.irq)
		INIT_WORK(&b->work, am_bridge_work); /* expected-note {{'b->work' is initialised here, on another path than the one that reaches the use}} */
	am_bridge_fixup(b);
	if (b->pdata.irq)
		schedule_work(&b->work); /* expected-warning-re {{'schedule_work' queues work item 'b->work' before it is initialised{{.*}}[wq-uninit]}} cocci-misses: the INIT is on another branch */
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_bridge_probe_fixup);

/* ---------------------------------------------------------------------
 * J. A compare IRQ requested before its work item is initialised.
 */
struct am_iep {
	int irq;
	bool pps_enabled;
	bool perout_enabled;
	unsigned int events;
	struct work_struct work;
};

static void am_iep_work(struct work_struct *work)
{
	struct am_iep *iep = container_of(work, struct am_iep, work);

	iep->events++;
}

static irqreturn_t am_iep_irq(int irq, void *data)
{
	struct am_iep *iep = data;

	if (iep->pps_enabled || iep->perout_enabled)
		schedule_work(&iep->work); /* possible-note {{'am_iep_irq' queues 'iep->work' here ('schedule_work')}} expected-note {{'am_iep_irq' queues 'iep->work' here ('schedule_work')}} */
	return IRQ_HANDLED;
}

static irqreturn_t am_iep_irq_always(int irq, void *data)
{
	struct am_iep *iep = data;

	schedule_work(&iep->work); /* expected-note {{'am_iep_irq_always' queues 'iep->work' here ('schedule_work')}} */
	return IRQ_HANDLED;
}

/*
 * Correct by default: the handler queues only once PPS or periodic output
 * is on, and both are zero until the PTP ops registered later set them.
 */
int wqs_am_iep_probe(struct platform_device *pdev)
{
	struct am_iep *iep = devm_kzalloc(&pdev->dev, sizeof(*iep), GFP_KERNEL);
	int ret;

	if (!iep)
		return -ENOMEM;
	iep->irq = platform_get_irq(pdev, 0);
	ret = devm_request_irq(&pdev->dev, iep->irq, am_iep_irq, 0, /* possible-warning-re {{'devm_request_irq' makes 'am_iep_irq' callable, which queues work item 'iep->work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} possible-note {{reported at --level=possible only: 'am_iep_irq' reaches 'iep->work' only when 'perout_enabled' or 'pps_enabled' of 'iep' is non-zero, and it is still zero here (a zeroing allocation, not written since)}} */
			       "wqs_allmod_iep", iep);
	if (ret)
		return ret;
	INIT_WORK(&iep->work, am_iep_work); /* possible-note {{'iep->work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, iep);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_iep_probe);

/* BUG(wq-uninit): PPS is on before the IRQ is requested. */
int wqs_am_iep_probe_pps(struct platform_device *pdev)
{
	struct am_iep *iep = devm_kzalloc(&pdev->dev, sizeof(*iep), GFP_KERNEL);
	int ret;

	if (!iep)
		return -ENOMEM;
	iep->irq = platform_get_irq(pdev, 0);
	iep->pps_enabled = device_property_read_bool(&pdev->dev, "pps");
	ret = devm_request_irq(&pdev->dev, iep->irq, am_iep_irq, 0, /* expected-warning-re {{'devm_request_irq' makes 'am_iep_irq' callable, which queues work item 'iep->work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} cocci-misses: the use is in the handler */
			       "wqs_allmod_iep", iep);
	if (ret)
		return ret;
	INIT_WORK(&iep->work, am_iep_work); /* expected-note {{'iep->work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, iep);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_iep_probe_pps);

/* BUG(wq-uninit): this handler queues on every interrupt. */
int wqs_am_iep_probe_always(struct platform_device *pdev)
{
	struct am_iep *iep = devm_kzalloc(&pdev->dev, sizeof(*iep), GFP_KERNEL);
	int ret;

	if (!iep)
		return -ENOMEM;
	iep->irq = platform_get_irq(pdev, 0);
	ret = devm_request_irq(&pdev->dev, iep->irq, am_iep_irq_always, 0, /* expected-warning-re {{'devm_request_irq' makes 'am_iep_irq_always' callable, which queues work item 'iep->work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} cocci-misses: the use is in the handler */
			       "wqs_allmod_iep", iep);
	if (ret)
		return ret;
	INIT_WORK(&iep->work, am_iep_work); /* expected-note {{'iep->work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, iep);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_iep_probe_always);

/* ---------------------------------------------------------------------
 * K. VBUS IRQs requested before the work item is initialised.
 */
struct am_udc {
	void __iomem *base;
	struct workqueue_struct *qwork;
	unsigned int changes;
	struct work_struct vbus_work;
};

static void am_udc_vbus_work(struct work_struct *work)
{
	struct am_udc *u = container_of(work, struct am_udc, vbus_work);

	u->changes++;
}

static irqreturn_t am_udc_status_irq(int irq, void *data)
{
	struct am_udc *u = data;
	u32 status = readl(u->base);

	if (!(status & BIT(3)))
		return IRQ_NONE;
	schedule_work(&u->vbus_work); /* possible-note {{'am_udc_status_irq' queues 'u->vbus_work' here ('schedule_work')}} */
	return IRQ_HANDLED;
}

static irqreturn_t am_udc_vbus_irq(int irq, void *data)
{
	struct am_udc *u = data;

	if (u->qwork)
		queue_work(u->qwork, &u->vbus_work); /* expected-note {{'am_udc_vbus_irq' queues 'u->vbus_work' here ('queue_work')}} */
	return IRQ_HANDLED;
}

/* Not evidence: the handler queues only when the device reports VBUS. */
int wqs_am_udc_probe(struct platform_device *pdev)
{
	struct am_udc *u = devm_kzalloc(&pdev->dev, sizeof(*u), GFP_KERNEL);
	int ret;

	if (!u)
		return -ENOMEM;
	u->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(u->base))
		return PTR_ERR(u->base);
	ret = devm_request_irq(&pdev->dev, platform_get_irq(pdev, 0), /* possible-warning-re {{'devm_request_irq' makes 'am_udc_status_irq' callable, which queues work item 'u->vbus_work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} possible-note {{reported at --level=possible only: 'am_udc_status_irq' reaches 'u->vbus_work' only past tests of what the device reports or of state not set before the INIT; whether it can pass them before the INIT is not seen}} */
			       am_udc_status_irq, 0, "wqs_allmod_udc", u);
	if (ret)
		return ret;
	INIT_WORK(&u->vbus_work, am_udc_vbus_work); /* possible-note {{'u->vbus_work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, u);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_udc_probe);

/* BUG(wq-uninit): the queue is set before the request, the item after. */
int wqs_am_udc_probe_vbus(struct platform_device *pdev)
{
	struct am_udc *u = devm_kzalloc(&pdev->dev, sizeof(*u), GFP_KERNEL);
	int ret;

	if (!u)
		return -ENOMEM;
	u->qwork = alloc_ordered_workqueue("wqs_allmod_udc", 0);
	if (!u->qwork)
		return -ENOMEM;
	ret = devm_request_irq(&pdev->dev, platform_get_irq(pdev, 0), /* expected-warning-re {{'devm_request_irq' makes 'am_udc_vbus_irq' callable, which queues work item 'u->vbus_work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} cocci-misses: the use is in the handler */
			       am_udc_vbus_irq, 0, "wqs_allmod_udc", u);
	if (ret) {
		destroy_workqueue(u->qwork);
		return ret;
	}
	INIT_WORK(&u->vbus_work, am_udc_vbus_work); /* expected-note {{'u->vbus_work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, u);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_udc_probe_vbus);

/* ---------------------------------------------------------------------
 * L. Request-serving devices whose subsystem drains every request.
 */
struct am_aes {
	struct crypto_engine *engine;
	struct work_struct done;
	void __iomem *base;
	int total;
};

static irqreturn_t am_aes_irq(int irq, void *data)
{
	struct am_aes *a = data;

	writel(0, a->base); /* interrupt off until the next request */
	if (!--a->total)
		schedule_work(&a->done); /* possible-note {{'struct am_aes.done' can be queued again here, with no test of a flag that am_aes_remove() sets}} */
	return IRQ_HANDLED;
}

static void am_aes_done(struct work_struct *work)
{
	struct am_aes *a = container_of(work, struct am_aes, done);

	a->total = 0; /* finalizes the request; the engine pumps the next */
}

static int am_aes_probe(struct platform_device *pdev)
{
	struct am_aes *a = devm_kzalloc(&pdev->dev, sizeof(*a), GFP_KERNEL); /* possible-note {{the driver data is allocated with 'devm_kzalloc' in 'am_aes_probe' here}} */
	int ret;

	if (!a)
		return -ENOMEM;
	a->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(a->base))
		return PTR_ERR(a->base);
	INIT_WORK(&a->done, am_aes_done);
	a->engine = crypto_engine_alloc_init(&pdev->dev, true);
	if (!a->engine)
		return -ENOMEM;
	ret = devm_request_irq(&pdev->dev, platform_get_irq(pdev, 0), /* possible-note {{'am_aes_irq' is registered here; devres releases it only after remove() returns}} */
			       am_aes_irq, 0, "wqs_allmod_aes", a);
	if (ret) {
		crypto_engine_exit(a->engine);
		return ret;
	}
	platform_set_drvdata(pdev, a);
	return crypto_engine_start(a->engine);
}

/* Correct: no request is in flight once the engine is stopped. */
static void am_aes_remove(struct platform_device *pdev) /* possible-warning-re {{'am_aes_remove' stops work item 'struct am_aes.done' (handler 'am_aes_done'), but 'am_aes_irq', registered with 'devm_request_irq', stays live{{.*}}[wq-free-before-cancel]}} possible-note {{reported at --level=possible only: 'crypto_engine_exit()' at line 1035 returns only when no request is in flight and starts no new one; whether the source that re-queues the work item serves only requests is not seen}} */
{
	struct am_aes *a = platform_get_drvdata(pdev);

	crypto_engine_exit(a->engine);
	cancel_work_sync(&a->done);
}

static struct platform_driver am_aes_driver = {
	.probe = am_aes_probe,
	.AM_REMOVE = am_aes_remove,
	.driver = {
		.name = "wqs_allmod_aes",
	},
};

struct am_mmc {
	struct mmc_host *mmc;
	struct timer_list timer;
	struct work_struct bh;
	int pending;
};

static void am_mmc_bh(struct work_struct *work)
{
	struct am_mmc *h = container_of(work, struct am_mmc, bh);

	if (h->pending) /* the next command of the request */
		mod_timer(&h->timer, jiffies + HZ); /* expected-note {{the handler 'am_mmc_bh' re-arms 'h->timer' here, which nothing stops for good before the cancel}} possible-note {{the handler 'am_mmc_bh' re-arms 'h->timer' here, which nothing stops for good before the cancel}} */
}

static void am_mmc_timeout(struct timer_list *t)
{
	struct am_mmc *h = from_timer(h, t, timer);

	schedule_work(&h->bh); /* expected-note {{whose callback 'am_mmc_timeout' queues 'h->bh' again after the cancel returned}} possible-note {{whose callback 'am_mmc_timeout' queues 'h->bh' again after the cancel returned}} */
}

int wqs_am_mmc_setup(struct am_mmc *h, struct device *dev);
void wqs_am_mmc_remove(struct am_mmc *h);
void wqs_am_mmc_remove_slot(struct am_mmc *h);

int wqs_am_mmc_setup(struct am_mmc *h, struct device *dev)
{
	h->mmc = mmc_alloc_host(0, dev);
	if (!h->mmc)
		return -ENOMEM;
	timer_setup(&h->timer, am_mmc_timeout, 0);
	INIT_WORK(&h->bh, am_mmc_bh);
	return mmc_add_host(h->mmc);
}
EXPORT_SYMBOL_GPL(wqs_am_mmc_setup);

/* Correct as far as the host goes: no request is left to time out. */
void wqs_am_mmc_remove(struct am_mmc *h)
{
	mmc_remove_host(h->mmc);
	del_timer_sync(&h->timer);
	cancel_work_sync(&h->bh); /* possible-warning-re {{'wqs_am_mmc_remove' waits for work item 'h->bh' (handler 'am_mmc_bh') but does not stop it for good{{.*}}[wq-free-before-cancel]}} possible-note {{reported at --level=possible only: 'mmc_remove_host()' at line 1087 returns only when no request is in flight and starts no new one; whether the source that re-queues the work item serves only requests is not seen}} possible-note {{'h->bh' is stopped here, but its handler may be running and re-arm its source}} */
	mmc_free_host(h->mmc);
}
EXPORT_SYMBOL_GPL(wqs_am_mmc_remove);

/* BUG(wq-free-before-cancel): the cover poll re-arms after the cancel. */
void wqs_am_mmc_remove_slot(struct am_mmc *h)
{
	cancel_work_sync(&h->bh); /* expected-warning-re {{'wqs_am_mmc_remove_slot' waits for work item 'h->bh' (handler 'am_mmc_bh') but does not stop it for good{{.*}}[wq-free-before-cancel]}} expected-note {{'h->bh' is stopped here, but its handler may be running and re-arm its source}} cocci-misses: the re-arm is in the handler */
	del_timer_sync(&h->timer);
	mmc_remove_host(h->mmc);
	mmc_free_host(h->mmc);
}
EXPORT_SYMBOL_GPL(wqs_am_mmc_remove_slot);

/* ---------------------------------------------------------------------
 * M. A controller semaphore taken from timer callbacks.
 */
static int am_ctl_owner = -1;
static DECLARE_WAIT_QUEUE_HEAD(am_ctl_wait);
static struct timer_list am_motor_timer, am_flush_timer;

static int am_ctl_free(int unit)
{
	return am_ctl_owner < 0 || am_ctl_owner == unit;
}

static void am_ctl_get(int unit)
{
	wait_event(am_ctl_wait, am_ctl_free(unit)); /* expected-note {{'am_ctl_get' calls 'wait_event' here}} possible-note {{'am_ctl_get' calls 'wait_event' here}} */
	am_ctl_owner = unit;
}

static void am_ctl_put(void)
{
	am_ctl_owner = -1;
	wake_up(&am_ctl_wait);
}

static int am_unit_of(struct timer_list *t)
{
	return t == &am_motor_timer ? 0 : 1;
}

/* Correct: the controller was found free just before the wait. */
static void am_motor_off(struct timer_list *t)
{
	int unit = am_unit_of(t);

	if (!am_ctl_free(unit)) {
		mod_timer(t, jiffies + 1); /* try again later */
		return;
	}
	am_ctl_get(unit); /* possible-warning-re {{sleeping function 'wait_event' called in atomic context (in timer callback 'am_motor_off') through 'am_ctl_get'{{.*}}[wq-sleep-in-atomic]}} possible-note {{reported at --level=possible only: the path to the wait passes the same test of 'am_ctl_free' twice with opposite outcomes (lines 1138 and 1118): a wait whose condition held just before sleeps only if another context changed it in between}} */
	am_ctl_put();
}

/* BUG(wq-sleep-in-atomic): the wait sleeps while the other unit holds it. */
static void am_flush(struct timer_list *t)
{
	am_ctl_get(am_unit_of(t)); /* expected-warning-re {{sleeping function 'wait_event' called in atomic context (in timer callback 'am_flush') through 'am_ctl_get'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is in a helper */
	am_ctl_put();
}

int wqs_am_ctl_setup(void);
int wqs_am_ctl_setup(void)
{
	timer_setup(&am_motor_timer, am_motor_off, 0); /* possible-note {{'am_motor_off' runs in softirq context (timer): registered here with 'timer_setup'}} */
	timer_setup(&am_flush_timer, am_flush, 0); /* expected-note {{'am_flush' runs in softirq context (timer): registered here with 'timer_setup'}} */
	mod_timer(&am_motor_timer, jiffies + HZ);
	mod_timer(&am_flush_timer, jiffies + HZ);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_am_ctl_setup);

/* ---------------------------------------------------------------------
 * N. Two work items left at remove(): one stopped elsewhere, one never.
 */
struct am_hdcp {
	struct work_struct extcon_work;
	struct delayed_work hdcp_work;
	int events;
};

static void am_hdcp_extcon(struct work_struct *work)
{
	struct am_hdcp *h = container_of(work, struct am_hdcp, extcon_work);

	h->events++;
}

static void am_hdcp_auth(struct work_struct *work)
{
	struct am_hdcp *h = container_of(work, struct am_hdcp, hdcp_work.work);

	h->events++;
}

void wqs_am_hdcp_detach(struct am_hdcp *h);
void wqs_am_hdcp_detach(struct am_hdcp *h)
{
	cancel_work_sync(&h->extcon_work);
}
EXPORT_SYMBOL_GPL(wqs_am_hdcp_detach);

static int am_hdcp_probe(struct platform_device *pdev)
{
	struct am_hdcp *h = devm_kzalloc(&pdev->dev, sizeof(*h), GFP_KERNEL); /* expected-note {{allocated with 'devm_kzalloc' in 'am_hdcp_probe' here}} */

	if (!h)
		return -ENOMEM;
	INIT_WORK(&h->extcon_work, am_hdcp_extcon);
	INIT_DELAYED_WORK(&h->hdcp_work, am_hdcp_auth);
	platform_set_drvdata(pdev, h);
	schedule_work(&h->extcon_work);
	schedule_delayed_work(&h->hdcp_work, HZ); /* expected-note {{'struct am_hdcp.hdcp_work' is queued here, and nothing in this file waits for it before remove()}} */
	return 0;
}

/* BUG(wq-free-before-cancel): nothing waits for hdcp_work. */
static void am_hdcp_remove(struct platform_device *pdev) /* expected-warning-re {{'am_hdcp_remove' returns while work item 'struct am_hdcp.hdcp_work' (handler 'am_hdcp_auth') may still be queued or running, and devres frees the driver data holding it{{.*}}[wq-free-before-cancel]}} cocci-misses: the item is never cancelled in remove(), which needs the driver's probe and remove paired */
{
	struct am_hdcp *h = platform_get_drvdata(pdev);

	dev_info(&pdev->dev, "%d events\n", h->events);
}

static struct platform_driver am_hdcp_driver = {
	.probe = am_hdcp_probe,
	.AM_REMOVE = am_hdcp_remove,
	.driver = {
		.name = "wqs_allmod_hdcp",
	},
};

static int __init wqs_allmod_init(void)
{
	int err;

	am_wq = alloc_workqueue("wqs_allmod", WQ_MEM_RECLAIM, 0);
	if (!am_wq)
		return -ENOMEM;
	err = platform_driver_register(&am_timed_driver);
	if (err)
		goto out_wq;
	err = platform_driver_register(&am_aes_driver);
	if (err)
		goto out_timed;
	err = platform_driver_register(&am_hdcp_driver);
	if (err)
		goto out_aes;
	return 0;
out_aes:
	platform_driver_unregister(&am_aes_driver);
out_timed:
	platform_driver_unregister(&am_timed_driver);
out_wq:
	destroy_workqueue(am_wq);
	return err;
}

static void __exit wqs_allmod_exit(void)
{
	platform_driver_unregister(&am_hdcp_driver);
	platform_driver_unregister(&am_aes_driver);
	platform_driver_unregister(&am_timed_driver);
	destroy_workqueue(am_wq);
}

module_init(wqs_allmod_init);
module_exit(wqs_allmod_exit);

MODULE_DESCRIPTION("wqcheck sample: false positives of the allmodconfig held-out corpus");
MODULE_LICENSE("GPL");
