// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_percpu - workqueue CPU affinity left implicit (wq-percpu, opt-in),
 * next to the code that states it.  The headers of upstream 6.17+ and of
 * Debian's 6.12.118 define WQ_PERCPU, system_percpu_wq and system_dfl_wq:
 * there the check speaks; against 6.1's headers the same code is silent
 * (the expectations say kernel>=6.12).
 *
 *  A. alloc_workqueue() with constant flags that name neither WQ_PERCPU
 *     nor WQ_UNBOUND (0, WQ_MEM_RECLAIM | WQ_HIGHPRI); next to WQ_UNBOUND,
 *     alloc_ordered_workqueue() (unbound by construction), a WQ_BH queue
 *     (per-CPU by construction, and WQ_PERCPU is refused there), WQ_PERCPU
 *     itself, and flags from a module parameter (not guessed).
 *  B. system_wq and system_unbound_wq, the old names of system_percpu_wq
 *     and system_dfl_wq; next to the new names, schedule_work(), whose
 *     header body picks the queue, and flush_workqueue() of the driver's
 *     own queue, whose 6.12 macro body names system_wq (reported by the
 *     first version of the check on 6.12 habanalabs device.c).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/module.h>
#include <linux/version.h>
#include <linux/workqueue.h>

static unsigned int rx_flags = WQ_MEM_RECLAIM;
module_param(rx_flags, uint, 0444);

static struct workqueue_struct *evt_wq, *rx_wq, *scan_wq, *log_wq, *cfg_wq;
static struct workqueue_struct *var_wq, *bh_wq, *pinned_wq;
static struct work_struct poll_work, stats_work, flush_work_item;
static struct delayed_work age_work;

static void pc_poll(struct work_struct *work) { }
static void pc_stats(struct work_struct *work) { }
static void pc_flush(struct work_struct *work) { }
static void pc_age(struct work_struct *work) { }

static int pc_alloc_queues(void)
{
	/* BUG(wq-percpu): per-CPU only by today's default. */
	evt_wq = alloc_workqueue("wqs_pc_evt", 0, 0); /* expected-warning-re {{'alloc_workqueue' creates a per-CPU workqueue without saying so: its flags (0) have neither WQ_PERCPU nor WQ_UNBOUND{{.*}}[wq-percpu]}} kernel>=6.12 */
	/* BUG(wq-percpu): the same, with other flags. */
	rx_wq = alloc_workqueue("wqs_pc_rx", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0); /* expected-warning-re {{its flags (WQ_MEM_RECLAIM | WQ_HIGHPRI) have neither WQ_PERCPU nor WQ_UNBOUND{{.*}}[wq-percpu]}} kernel>=6.12 */
	scan_wq = alloc_workqueue("wqs_pc_scan", WQ_UNBOUND | WQ_FREEZABLE, 0);
	log_wq = alloc_ordered_workqueue("wqs_pc_log", WQ_MEM_RECLAIM);
	cfg_wq = alloc_ordered_workqueue("wqs_pc_cfg", 0);
	/* Flags in a variable: what they hold is not guessed. */
	var_wq = alloc_workqueue("wqs_pc_var", rx_flags, 0);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	bh_wq = alloc_workqueue("wqs_pc_bh", WQ_BH, 0);
	pinned_wq = alloc_workqueue("wqs_pc_pinned", WQ_PERCPU | WQ_MEM_RECLAIM, 0);
#endif
	return evt_wq && rx_wq && scan_wq && log_wq && cfg_wq && var_wq ? 0 : -ENOMEM;
}

static void pc_kick(void)
{
	/* BUG(wq-percpu): the old name of system_percpu_wq. */
	queue_work(system_wq, &poll_work); /* expected-warning-re {{'system_wq' is the old name of 'system_percpu_wq', which these headers declare{{.*}}[wq-percpu]}} kernel>=6.12 */
	/* BUG(wq-percpu): the old name of system_dfl_wq. */
	queue_delayed_work(system_unbound_wq, &age_work, HZ); /* expected-warning-re {{'system_unbound_wq' is the old name of 'system_dfl_wq'{{.*}}use 'system_dfl_wq' [wq-percpu]}} kernel>=6.12 */
	schedule_work(&stats_work);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	queue_work(system_percpu_wq, &flush_work_item);
	mod_delayed_work(system_dfl_wq, &age_work, 2 * HZ);
#endif
}

static int __init pc_init(void)
{
	int ret;

	INIT_WORK(&poll_work, pc_poll);
	INIT_WORK(&stats_work, pc_stats);
	INIT_WORK(&flush_work_item, pc_flush);
	INIT_DELAYED_WORK(&age_work, pc_age);
	ret = pc_alloc_queues();
	if (ret)
		return ret;
	pc_kick();
	return 0;
}

static void __exit pc_exit(void)
{
	cancel_work_sync(&poll_work);
	cancel_work_sync(&stats_work);
	cancel_work_sync(&flush_work_item);
	cancel_delayed_work_sync(&age_work);
	/* Correct: 6.12's flush_workqueue() macro compares its argument with
	 * system_wq itself; that name is the header's, not this file's. */
	flush_workqueue(scan_wq);
	destroy_workqueue(evt_wq);
	destroy_workqueue(rx_wq);
	destroy_workqueue(scan_wq);
	destroy_workqueue(log_wq);
	destroy_workqueue(cfg_wq);
	destroy_workqueue(var_wq);
	if (bh_wq)
		destroy_workqueue(bh_wq);
	if (pinned_wq)
		destroy_workqueue(pinned_wq);
}

module_init(pc_init);
module_exit(pc_exit);
MODULE_DESCRIPTION("wqcheck sample: workqueue CPU affinity left implicit");
MODULE_LICENSE("GPL");
