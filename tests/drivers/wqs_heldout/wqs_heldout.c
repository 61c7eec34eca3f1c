// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_heldout - the false positives of wq-free-before-cancel that the
 * held-out Set B corpus of issue 10 showed (docs/evaluation.md), each next
 * to the real bug it resembles.  The negatives are silent by default (L is
 * reported at --level=possible, for its handler frees the session); the
 * positives are reported by default, with the evidence in their notes.
 *
 *  H. A timer set up in a setup helper and armed only on its success path:
 *     stopping it on the error path undoes no cancel, because its callback
 *     never ran (drivers/net/ethernet/intel/i40e/i40e_main.c:15616,
 *     i40e_init_recovery_mode(), and :16243, i40e_probe()), next to a timer
 *     armed before the step that fails and stopped after the cancel.
 *  I. `if (WARN_ON_ONCE(!queue_work(wq, &x->work))) kfree(x);`: on that
 *     edge the call did not queue the fresh work item
 *     (drivers/target/target_core_xcopy.c:910, target_do_xcopy()), next to
 *     a free after a queue that succeeded.
 *  J. A work item queued on a queue held in a local variable that the same
 *     function destroys before it returns: it never outlives the function
 *     (drivers/media/i2c/cx25840/cx25840-core.c:726, the firmware load of
 *     cx25840_init()), next to a work item that remove() leaves queued.
 *  K. cancel_delayed_work() and then destroy_workqueue() of the slot's own
 *     queue, the work item being queued in another file on that queue
 *     (drivers/pci/hotplug/shpchp_core.c:139, cleanup_slots()), next to the
 *     same cancel without the destroy.
 *  L. A release helper that cancels only when its caller says so, every
 *     caller that queued the work item saying so (true), and the work
 *     item's own handler not (drivers/target/sbp/sbp_target.c:230,
 *     sbp_session_release()), next to a caller that queued it and says
 *     false.
 *  M. A flush, then the timer that re-queues the work item stopped, then a
 *     call to another file that takes the struct (it could stop the item,
 *     and does not): the opaque call does not erase the evidence that the
 *     flush was undone (drivers/media/usb/pvrusb2/pvrusb2-hdw.c:2677, a
 *     true finding of the 772-file triage), next to the correct order.
 *  N. A teardown that calls another file first (a guess of a stop, not
 *     evidence), then stops the timer and cancels the work item only if
 *     each was ever set up (`if (pf->service_task.func)`): neither a
 *     guessed stop undone by the timer stop nor the path where the work
 *     item was never initialised is evidence
 *     (drivers/net/ethernet/intel/i40e/i40e_main.c:16394, i40e_remove()),
 *     next to the same guards with the timer stopped after the cancel.
 *
 * From the held-out Set C corpus:
 *  O. Work items allocated element by element in a loop (`dm[i] =
 *     kmalloc(..)`), freed on the allocation-failure unwind or on the
 *     branch that does not queue them (drivers/infiniband/hw/mlx4/main.c:
 *     3022 and :3040), next to a free after the loop that queued them.
 *  P. flush_workqueue() of the only queue a work item runs on, through a
 *     second name of that queue (`pv->wq = demux->wq`, mlx4 mad.c:2052),
 *     before the free, next to a flush of another queue.
 *  Q. wq-sleep-in-atomic: __xa_store(.., GFP_KERNEL) under xa_lock(), which
 *     drops that lock to allocate (lib/xarray.c __xas_nomem(); mlx5 mr.c,
 *     odp.c, vfio_main.c), next to the same call under another spinlock
 *     too.
 *
 * From the held-out Set D corpus:
 *  R. The fault-polling work stopped by `wq = ioc->reset_work_q;
 *     ioc->reset_work_q = NULL; cancel_delayed_work(..);
 *     destroy_workqueue(wq);` before the adapter is freed in a helper
 *     (drivers/message/fusion/mptbase.c:2850, mpt_detach()), next to the
 *     same cancel with the queue left alive.
 *
 * From the held-out Set E corpus:
 *  S. wq-sleep-in-atomic: a helper that sleeps only when a runtime test
 *     says it may (`not_atomic = !in_atomic() && !irqs_disabled()`,
 *     drivers/gpu/drm/i915/gt/uc/intel_guc.h intel_guc_send_busy_loop(),
 *     six findings in intel_guc_submission.c), called under a spinlock,
 *     next to the same helper without the test.
 *  T. wq-sleep-in-atomic: a helper that sleeps only without a flag bit,
 *     called from an hrtimer with `c ? (ASYNC | AUTO) : ASYNC`
 *     (drivers/base/power/runtime.c:1006, pm_suspend_timer_fn() ->
 *     rpm_suspend()), next to a caller whose other arm lacks the bit.
 *
 * From the held-out Set F run:
 *  U. The same suspend, mutually recursive through its idle helper
 *     (rpm_suspend() -> rpm_idle(parent, RPM_ASYNC) -> rpm_suspend(..,
 *     rpmflags | RPM_AUTO), runtime.c:1006 again), next to an idle
 *     called with a synchronous 0.
 *  V. A decision carried in a status local: `status = AE_ERROR` on the
 *     branch that does not initialise the work item and after a failed
 *     queue, the queue skipped and the request freed only `if
 *     (ACPI_FAILURE(status))` (drivers/acpi/osl.c:1125 and :1132,
 *     acpi_os_execute(), held-out Set E), next to the branch that falls
 *     through to the queue uninitialised and a failing step after a
 *     successful queue.
 *
 * From the held-out Set H corpus:
 *  W. A scratch copy of the private struct freed after the live struct's
 *     own work item was queued (drivers/net/ethernet/mellanox/mlx4/
 *     en_netdev.c:2823, mlx4_xdp_set()), next to a queue through a pointer
 *     that may be the copy.
 *  X. The object's own queue, cancelled and destroyed `if (qdev->workqueue)`:
 *     without the queue nothing was queued (drivers/net/ethernet/qlogic/
 *     qla3xxx.c:3919, ql3xxx_remove()), next to the same teardown under a
 *     flag.
 *  Y. A reset task that re-arms the link timer only while a reset is
 *     pending, a flag ndo_stop clears before the cancel (through
 *     unregister_netdev()) (drivers/net/ethernet/sun/sungem.c:2815,
 *     gem_remove_one()), next to one that re-arms it regardless.
 *  Z. wq-sleep-in-atomic through a macro of the driver's own, reported at
 *     the #define with a note at the use under the lock (netxen_nic.h:1716
 *     crb_win_lock(), true), next to a use with no lock held.
 *
 * From the held-out Set I corpus:
 * AA. One object allocated and queued per round of a loop, the fresh one
 *     freed on the next round's error path (amdgpu_dm.c:835,
 *     dm_dmub_outbox1_low_irq()), next to a round that frees the object it
 *     has just queued.
 *
 * From the held-out Set H corpus again:
 * BB. Copies of list entries made under RCU into a local list, walked and
 *     freed (net/bluetooth/6lowpan.c:1244, disconnect_devices()), next to
 *     the same walk over the global list itself.
 *
 * From the held-out Set M corpus:
 * EE. wq-sleep-in-atomic: a dispatch macro that runs an operation under
 *     rcu_read_lock() for queues without a flag bit and under a mutex for
 *     queues with it, the operation running the queue through the macro
 *     again: the inner pass sleeps only for queues with the bit, the outer
 *     one holds RCU only for queues without it (6.1 block/blk-mq.h
 *     __blk_mq_run_dispatch_ops(), blk-mq.c:2851 and :3052), reported at
 *     --level=possible only; next to the same helper under an
 *     rcu_read_lock() of its own, and under a spinlock taken for the
 *     queues that have the bit.
 *
 * From the held-out Set L corpus:
 * FF. wq-uninit: an object published in a field of the caller's struct,
 *     then handed (through that struct) to a function of another file
 *     that sets up its work item, the error path cancelling the item only
 *     after that call succeeded (fs/ocfs2/quota_local.c:781,
 *     ocfs2_local_read_info(): `info->dqi_priv = oinfo`, then
 *     ocfs2_global_read_info() in quota_global.c); next to the same call
 *     made before the object is published, which cannot set it up.
 * GG. A work item queued on the file system's shared queue, the journal
 *     holding it freed by a shutdown function another file calls, the file
 *     flushing that queue in its recovery exit function, which the same
 *     caller runs first (fs/ocfs2/journal.c:1102, ocfs2_journal_shutdown()
 *     and ocfs2_recovery_exit(), both called from super.c), reported at
 *     --level=possible only; next to the same journal whose file never
 *     waits for the queue.
 *
 * From the held-out Set N corpus:
 * HH. wq-sleep-in-atomic: a per-CPU lock helper that saves interrupts with
 *     local_irq_save() and takes the lock with raw_spin_lock(), and an
 *     unlock helper that releases it with raw_spin_unlock_irqrestore(),
 *     which restores interrupts too; the page is allocated between the
 *     two, with interrupts on (kernel/rcu/tree.c:3340, krc_this_cpu_lock()
 *     and krc_this_cpu_unlock() around __get_free_page()); next to the
 *     allocation made before the unlock.
 * II. An entry freed only when an atomic_dec_and_test() drops its last
 *     reference, its stop work queued elsewhere (kernel/bpf/cpumap.c:161,
 *     put_cpu_map_entry(): the thread that the stop work stops holds a
 *     reference), reported at --level=possible only; next to the same
 *     entry freed at once.
 * JJ. wq-sleep-in-atomic: a put whose release path sleeps (a mutex in the
 *     free), called under a spinlock on a link reference that is never the
 *     last one (kernel/events/core.c:2452, :13208, :13687: put_event()
 *     through perf_put_aux_event() under ctx->lock), reported at
 *     --level=possible only; next to the free itself called under the
 *     lock.
 * KK. A free with nothing that waits for a work item whose handler hands
 *     its object to another file (held-out Set O, drivers/media/pci/
 *     saa7164/saa7164-core.c:1536): that call is not a stop "elsewhere",
 *     so the free is reported by default, not as possible; next to a
 *     twin that cancels first.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/platform_device.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/workqueue.h>
#include "wqs_heldout.h"

/* ---------------------------------------------------------------------
 * H. A service timer that queues the service task.
 */
struct ho_pf {
	struct timer_list service_timer;
	struct work_struct service_task;
	int broken;
	unsigned long events;
};

static void ho_service_task(struct work_struct *work)
{
	struct ho_pf *pf = container_of(work, struct ho_pf, service_task);

	pf->events++;
}

static void ho_service_timer(struct timer_list *t)
{
	struct ho_pf *pf = from_timer(pf, t, service_timer);

	mod_timer(&pf->service_timer, jiffies + HZ);
	queue_work(system_wq, &pf->service_task); /* expected-note {{'pf->service_task' is queued here}} */
}

static int ho_hw_init(struct ho_pf *pf)
{
	return pf->broken ? -EIO : 0;
}

/* Correct: the timer is armed only once nothing can fail any more. */
static int ho_init_recovery_mode(struct ho_pf *pf)
{
	int err;

	timer_setup(&pf->service_timer, ho_service_timer, 0);
	INIT_WORK(&pf->service_task, ho_service_task);
	err = ho_hw_init(pf);
	if (err)
		goto fail;
	mod_timer(&pf->service_timer, jiffies + HZ);
	return 0;
fail:
	del_timer_sync(&pf->service_timer);
	kfree(pf);
	return err;
}

static int ho_init_normal_mode(struct ho_pf *pf)
{
	int err;

	timer_setup(&pf->service_timer, ho_service_timer, 0);
	INIT_WORK(&pf->service_task, ho_service_task);
	mod_timer(&pf->service_timer, jiffies + HZ);
	err = ho_hw_init(pf);
	if (err)
		goto fail;
	return 0;
fail:
	cancel_work_sync(&pf->service_task);
	del_timer_sync(&pf->service_timer); /* expected-note {{what re-queues 'pf->service_task' is stopped only here, after the work item was stopped}} */
	/* BUG(wq-free-before-cancel): the armed timer can queue service_task again after the cancel */
	/* expected-warning-re@+1 {{'kfree' frees 'pf' while its work item 'pf->service_task' (handler 'ho_service_task') may still be queued or running: the handler would then use freed memory (ODEBUG 'free active', KASAN use-after-free); it was stopped before what re-queues it; stop the timer or tasklet first, then call cancel_work_sync(&pf->service_task) before freeing [wq-free-before-cancel]}} cocci-misses: the re-queue source is stopped after the cancel */
	kfree(pf);
	return err;
}

static int ho_pf_probe(struct platform_device *pdev)
{
	struct ho_pf *pf = kzalloc(sizeof(*pf), GFP_KERNEL);

	if (!pf)
		return -ENOMEM;
	pf->broken = pdev->id < 0;
	if (pdev->id == 1)
		return ho_init_recovery_mode(pf);
	return ho_init_normal_mode(pf);
}

/* ---------------------------------------------------------------------
 * I. An extended-copy request handed to a work item that frees it.
 */
struct ho_xop {
	struct work_struct work;
	void *cmd;
};

static struct workqueue_struct *ho_xcopy_wq;

static void ho_xop_work(struct work_struct *work)
{
	struct ho_xop *xop = container_of(work, struct ho_xop, work);

	kfree(xop);
}

/* Correct: the free runs only when queue_work() did not queue it. */
static int ho_do_xcopy(void *cmd)
{
	struct ho_xop *xop = kzalloc(sizeof(*xop), GFP_KERNEL);

	if (!xop)
		return -ENOMEM;
	xop->cmd = cmd;
	INIT_WORK(&xop->work, ho_xop_work);
	if (WARN_ON_ONCE(!queue_work(ho_xcopy_wq, &xop->work)))
		goto free;
	return 0;
free:
	kfree(xop);
	return -ENOMEM;
}

/* Correct: the same with a plain test. */
static int ho_do_xcopy2(void *cmd)
{
	struct ho_xop *xop = kzalloc(sizeof(*xop), GFP_KERNEL);

	if (!xop)
		return -ENOMEM;
	xop->cmd = cmd;
	INIT_WORK(&xop->work, ho_xop_work);
	if (!queue_work(ho_xcopy_wq, &xop->work)) {
		kfree(xop);
		return -EBUSY;
	}
	return 0;
}

static int ho_do_xcopy_checked(void *cmd)
{
	struct ho_xop *xop = kzalloc(sizeof(*xop), GFP_KERNEL);

	if (!xop)
		return -ENOMEM;
	xop->cmd = cmd;
	INIT_WORK(&xop->work, ho_xop_work);
	queue_work(ho_xcopy_wq, &xop->work); /* expected-note {{'xop->work' is queued here}} */
	if (!cmd) {
		/* BUG(wq-free-before-cancel): the work was queued, and its handler frees xop too */
		/* expected-warning-re@+1 {{'kfree' frees 'xop' while its work item 'xop->work' (handler 'ho_xop_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
		kfree(xop);
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * J. A firmware load run on a queue of its own, or on the system queue.
 */
struct ho_fw {
	struct work_struct fw_work;
	wait_queue_head_t fw_wait;
	int loaded;
};

static void ho_fw_work(struct work_struct *work)
{
	struct ho_fw *fw = container_of(work, struct ho_fw, fw_work);

	fw->loaded = 1;
	wake_up(&fw->fw_wait);
}

/* Correct: destroy_workqueue(q) waits for the work item before returning. */
static void ho_fw_load(struct ho_fw *fw)
{
	struct workqueue_struct *q;

	INIT_WORK(&fw->fw_work, ho_fw_work);
	init_waitqueue_head(&fw->fw_wait);
	q = alloc_ordered_workqueue("wqs_ho_fw", 0);
	if (q) {
		queue_work(q, &fw->fw_work);
		wait_event_timeout(fw->fw_wait, fw->loaded, HZ);
		destroy_workqueue(q);
	}
}

static int ho_fw_probe(struct platform_device *pdev)
{
	struct ho_fw *fw = devm_kzalloc(&pdev->dev, sizeof(*fw), GFP_KERNEL);

	if (!fw)
		return -ENOMEM;
	ho_fw_load(fw);
	platform_set_drvdata(pdev, fw);
	return 0;
}

static void ho_fw_remove(struct platform_device *pdev)
{
	struct ho_fw *fw = platform_get_drvdata(pdev);

	fw->loaded = 0;
}

struct ho_fw2 {
	struct work_struct fw_work;
	int loaded;
};

static void ho_fw2_work(struct work_struct *work)
{
	struct ho_fw2 *fw = container_of(work, struct ho_fw2, fw_work);

	fw->loaded = 1;
}

static int ho_fw2_probe(struct platform_device *pdev)
{
	struct ho_fw2 *fw = devm_kzalloc(&pdev->dev, sizeof(*fw), GFP_KERNEL); /* expected-note {{allocated with 'devm_kzalloc' in 'ho_fw2_probe' here}} */

	if (!fw)
		return -ENOMEM;
	INIT_WORK(&fw->fw_work, ho_fw2_work);
	schedule_work(&fw->fw_work); /* expected-note {{'struct ho_fw2.fw_work' is queued here, and nothing in this file waits for it before remove()}} */
	platform_set_drvdata(pdev, fw);
	return 0;
}

/* BUG(wq-free-before-cancel): the firmware load may still be queued when devres frees fw */
/* expected-warning-re@+1 {{'ho_fw2_remove' returns while work item 'struct ho_fw2.fw_work' (handler 'ho_fw2_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: devm-allocated data freed after remove() */
static void ho_fw2_remove(struct platform_device *pdev)
{
	struct ho_fw2 *fw = platform_get_drvdata(pdev);

	fw->loaded = 0;
}

/* ---------------------------------------------------------------------
 * K. Hot-plug slots, whose work item wqs_heldout_ctrl.c queues.
 */
static LIST_HEAD(ho_slots);
static LIST_HEAD(ho_slots2);

static void ho_slot_work(struct work_struct *work)
{
	struct ho_slot *slot = container_of(to_delayed_work(work),
					    struct ho_slot, work);

	slot->number++;
}

static int ho_init_slot(struct list_head *slots, int number)
{
	struct ho_slot *slot = kzalloc(sizeof(*slot), GFP_KERNEL);

	if (!slot)
		return -ENOMEM;
	slot->wq = alloc_ordered_workqueue("wqs_ho_slot%d", 0, number);
	if (!slot->wq) {
		kfree(slot);
		return -ENOMEM;
	}
	slot->number = number;
	INIT_DELAYED_WORK(&slot->work, ho_slot_work);
	list_add(&slot->list, slots);
	return 0;
}

/* Correct: the cancel removes the timer, the destroy waits for a handler. */
static void ho_cleanup_slots(void)
{
	struct ho_slot *slot, *next;

	list_for_each_entry_safe(slot, next, &ho_slots, list) {
		list_del(&slot->list);
		cancel_delayed_work(&slot->work);
		destroy_workqueue(slot->wq);
		kfree(slot);
	}
}

static void ho_cleanup_slots2(void)
{
	struct ho_slot *slot, *next;

	list_for_each_entry_safe(slot, next, &ho_slots2, list) {
		list_del(&slot->list);
		cancel_delayed_work(&slot->work); /* expected-note {{cancelled here without waiting}} */
		/* BUG(wq-free-before-cancel): a running handler is not waited for, and the queue stays */
		/* expected-warning-re@+1 {{'kfree' frees 'slot' while its work item 'slot->work' (handler 'ho_slot_work') may still be queued or running{{.*}}the cancel without _sync does not wait for a running handler; use cancel_delayed_work_sync(&slot->work) before freeing [wq-free-before-cancel]}} */
		kfree(slot);
	}
}

/* ---------------------------------------------------------------------
 * L. A login session with a maintenance work item that may end it.
 */
struct ho_sess {
	struct delayed_work maint_work;
	int node_id;
};

static struct ho_sess *ho_current_sess;

static void ho_sess_release(struct ho_sess *sess, bool cancel_work)
{
	if (cancel_work)
		cancel_delayed_work_sync(&sess->maint_work);
	/* possible-warning-re@+2 {{'kfree' frees 'sess' while its work item 'sess->maint_work' (handler 'ho_maint_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@+1 {{reported at --level=possible only: its handler 'ho_maint_work' frees the object itself: the work may own it, and this free may be on a path where it was never queued}} */
	kfree(sess);
}

static void ho_maint_work(struct work_struct *work)
{
	struct ho_sess *sess = container_of(to_delayed_work(work),
					    struct ho_sess, maint_work);

	if (sess->node_id < 0) {
		/* Correct: the handler ends its own session. */
		ho_sess_release(sess, false);
		return;
	}
	schedule_delayed_work(&sess->maint_work, HZ);
}

/* Correct: the caller that queued the work item asks for the cancel. */
static int ho_login(int node)
{
	struct ho_sess *sess = kzalloc(sizeof(*sess), GFP_KERNEL);

	if (!sess)
		return -ENOMEM;
	INIT_DELAYED_WORK(&sess->maint_work, ho_maint_work);
	sess->node_id = node;
	schedule_delayed_work(&sess->maint_work, HZ); /* possible-note {{'sess->maint_work' is queued here}} */
	if (node > 16) {
		ho_sess_release(sess, true);
		return -EINVAL;
	}
	ho_current_sess = sess;
	return 0;
}

struct ho_sess2 {
	struct delayed_work maint_work;
	int node_id;
};

static struct ho_sess2 *ho_current_sess2;

static void ho_sess2_release(struct ho_sess2 *sess, bool cancel_work)
{
	if (cancel_work)
		cancel_delayed_work_sync(&sess->maint_work);
	/* BUG(wq-free-before-cancel): ho_login2() queued the work item and asks for no cancel */
	/* expected-warning-re@+1 {{'kfree' frees 'sess' while its work item 'sess->maint_work' (handler 'ho_maint2_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the cancel depends on the caller's argument */
	kfree(sess);
}

static void ho_maint2_work(struct work_struct *work)
{
	struct ho_sess2 *sess = container_of(to_delayed_work(work),
					     struct ho_sess2, maint_work);

	sess->node_id++;
}

static int ho_login2(int node)
{
	struct ho_sess2 *sess = kzalloc(sizeof(*sess), GFP_KERNEL);

	if (!sess)
		return -ENOMEM;
	INIT_DELAYED_WORK(&sess->maint_work, ho_maint2_work);
	sess->node_id = node;
	schedule_delayed_work(&sess->maint_work, HZ); /* expected-note {{'sess->maint_work' is queued here}} */
	if (node > 16) {
		ho_sess2_release(sess, false);
		return -EINVAL;
	}
	if (node < 0) {
		ho_sess2_release(sess, true);
		return -EINVAL;
	}
	ho_current_sess2 = sess;
	return 0;
}

/* ---------------------------------------------------------------------
 * M. A capture device torn down with a call into its i2c half.
 */
static void ho_hdw_work(struct work_struct *work)
{
	struct ho_hdw *hdw = container_of(work, struct ho_hdw, work);

	hdw->frames++;
}

static void ho_hdw_timeout(struct timer_list *t)
{
	struct ho_hdw *hdw = from_timer(hdw, t, timer);

	schedule_work(&hdw->work); /* expected-note 2 {{'hdw->work' is queued here}} */
}

static struct ho_hdw *ho_hdw_create(void)
{
	struct ho_hdw *hdw = kzalloc(sizeof(*hdw), GFP_KERNEL);

	if (!hdw)
		return NULL;
	INIT_WORK(&hdw->work, ho_hdw_work);
	timer_setup(&hdw->timer, ho_hdw_timeout, 0);
	mod_timer(&hdw->timer, jiffies + HZ);
	return hdw;
}

static void ho_hdw_destroy(struct ho_hdw *hdw)
{
	flush_work(&hdw->work);
	del_timer_sync(&hdw->timer); /* expected-note {{what re-queues 'hdw->work' is stopped only here, after the work item was stopped}} */
	ho_hdw_i2c_done(hdw);
	/* BUG(wq-free-before-cancel): the timer can queue the work again between the flush and del_timer_sync() */
	/* expected-warning-re@+1 {{'kfree' frees 'hdw' while its work item 'hdw->work' (handler 'ho_hdw_work') may still be queued or running{{.*}}it was stopped before what re-queues it{{.*}}[wq-free-before-cancel]}} cocci-misses: the re-queue source is stopped after the flush */
	kfree(hdw);
}

/* Correct: the timer first, then the flush. */
static void ho_hdw_destroy2(struct ho_hdw *hdw)
{
	del_timer_sync(&hdw->timer);
	flush_work(&hdw->work);
	ho_hdw_i2c_done(hdw);
	kfree(hdw);
}

/* Correct: the work item is cancelled after the timer, when it exists. */
static void ho_hdw_remove(struct ho_hdw *hdw)
{
	ho_hdw_i2c_done(hdw);
	if (hdw->timer.function)
		del_timer_sync(&hdw->timer);
	if (hdw->work.func)
		cancel_work_sync(&hdw->work);
	kfree(hdw);
}

static void ho_hdw_remove2(struct ho_hdw *hdw)
{
	if (hdw->work.func)
		cancel_work_sync(&hdw->work);
	if (hdw->timer.function)
		del_timer_sync(&hdw->timer); /* expected-note {{what re-queues 'hdw->work' is stopped only here, after the work item was stopped}} */
	/* BUG(wq-free-before-cancel): the timer can queue the work again after the cancel */
	/* expected-warning-re@+1 {{'kfree' frees 'hdw' while its work item 'hdw->work' (handler 'ho_hdw_work') may still be queued or running{{.*}}it was stopped before what re-queues it{{.*}}[wq-free-before-cancel]}} cocci-misses: the re-queue source is stopped after the cancel */
	kfree(hdw);
}

/* ---------------------------------------------------------------------
 * O. Per-port update requests, queued together or not at all.
 */
static bool ho_going_down;

/* Correct: each element is freed only where nothing queued it. */
static void ho_update_ports(int ports)
{
	struct ho_demux_work **dm;
	int i;

	dm = kcalloc(ports, sizeof(*dm), GFP_KERNEL);
	if (!dm)
		return;
	for (i = 0; i < ports; i++) {
		dm[i] = kmalloc(sizeof(*dm[i]), GFP_KERNEL);
		if (!dm[i]) {
			while (--i >= 0)
				kfree(dm[i]);
			goto out;
		}
		INIT_WORK(&dm[i]->work, wqs_ho_demux_update);
		dm[i]->port = i + 1;
	}
	if (!READ_ONCE(ho_going_down)) {
		for (i = 0; i < ports; i++)
			queue_work(system_wq, &dm[i]->work);
	} else {
		for (i = 0; i < ports; i++)
			kfree(dm[i]);
	}
out:
	kfree(dm);
}

struct ho_demux_work2 {
	struct work_struct work;
	int port;
};

static void ho_demux_update2(struct work_struct *work)
{
	struct ho_demux_work2 *dw = container_of(work, struct ho_demux_work2, work);

	dw->port = 0;
}

static void ho_update_ports2(int ports)
{
	struct ho_demux_work2 **dm;
	int i;

	dm = kcalloc(ports, sizeof(*dm), GFP_KERNEL);
	if (!dm)
		return;
	for (i = 0; i < ports; i++) {
		dm[i] = kmalloc(sizeof(*dm[i]), GFP_KERNEL);
		if (!dm[i])
			break;
		INIT_WORK(&dm[i]->work, ho_demux_update2);
		dm[i]->port = i + 1;
		queue_work(system_wq, &dm[i]->work); /* expected-note {{'dm[i]->work' is queued here}} */
	}
	while (--i >= 0)
		/* BUG(wq-free-before-cancel): every element freed here was queued */
		/* expected-warning-re@+1 {{'kfree' frees 'dm[i]' while its work item 'dm[i]->work' (handler 'ho_demux_update2') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
		kfree(dm[i]);
	kfree(dm);
}

/* ---------------------------------------------------------------------
 * P. A per-port context whose queue is the demultiplexer's.
 */
struct ho_demux {
	struct workqueue_struct *wq;
	struct workqueue_struct *other_wq;
};

struct ho_pv_ctx {
	struct work_struct work;
	struct workqueue_struct *wq;
	int events;
};

static void ho_pv_work(struct work_struct *work)
{
	struct ho_pv_ctx *ctx = container_of(work, struct ho_pv_ctx, work);

	ctx->events++;
}

/* Called from the completion interrupt. */
void wqs_ho_pv_event(struct ho_pv_ctx *ctx)
{
	queue_work(ctx->wq, &ctx->work);
}
EXPORT_SYMBOL_GPL(wqs_ho_pv_event);

struct ho_pv_ctx *wqs_ho_pv_create(struct ho_demux *demux)
{
	struct ho_pv_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	INIT_WORK(&ctx->work, ho_pv_work);
	ctx->wq = demux->wq;
	return ctx;
}
EXPORT_SYMBOL_GPL(wqs_ho_pv_create);

/* Correct: flushing the demultiplexer's queue waits for ctx->work. */
void wqs_ho_pv_destroy(struct ho_demux *demux, struct ho_pv_ctx *ctx)
{
	flush_workqueue(demux->wq);
	kfree(ctx);
}
EXPORT_SYMBOL_GPL(wqs_ho_pv_destroy);

void wqs_ho_pv_destroy2(struct ho_demux *demux, struct ho_pv_ctx *ctx)
{
	queue_work(ctx->wq, &ctx->work); /* expected-note {{'ctx->work' is queued here}} */
	flush_workqueue(demux->other_wq);
	/* BUG(wq-free-before-cancel): the flushed queue is not the one ctx->work runs on */
	/* expected-warning-re@+1 {{'kfree' frees 'ctx' while its work item 'ctx->work' (handler 'ho_pv_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the script takes any queue flush for a stop */
	kfree(ctx);
}
EXPORT_SYMBOL_GPL(wqs_ho_pv_destroy2);

/* ---------------------------------------------------------------------
 * Q. An xarray of cached keys, filled under its own lock.
 */
struct ho_cache {
	struct xarray keys;
	spinlock_t stats_lock;
	unsigned long stores;
};

/* Correct: __xa_store() drops xa_lock around a GFP_KERNEL allocation. */
int wqs_ho_cache_store(struct ho_cache *c, unsigned long index, void *key)
{
	void *old;

	xa_lock(&c->keys);
	old = __xa_store(&c->keys, index, key, GFP_KERNEL);
	xa_unlock(&c->keys);
	return xa_err(old);
}
EXPORT_SYMBOL_GPL(wqs_ho_cache_store);

int wqs_ho_cache_store_counted(struct ho_cache *c, unsigned long index,
			       void *key)
{
	void *old;

	spin_lock(&c->stats_lock); /* expected-note {{spinlock 'c->stats_lock' taken here}} */
	xa_lock(&c->keys);
	/* BUG(wq-sleep-in-atomic): stats_lock stays held while __xa_store() sleeps */
	/* expected-warning-re@+1 {{sleeping function '__xa_store' with GFP flags that allow direct reclaim called in atomic context (spinlock 'c->stats_lock' held){{.*}}[wq-sleep-in-atomic]}} cocci-misses: a gfp_t argument of an unlisted function */
	old = __xa_store(&c->keys, index, key, GFP_KERNEL);
	xa_unlock(&c->keys);
	c->stores++;
	spin_unlock(&c->stats_lock);
	return xa_err(old);
}
EXPORT_SYMBOL_GPL(wqs_ho_cache_store_counted);

/* ---------------------------------------------------------------------
 * R. An adapter whose fault-polling work re-arms itself on its own queue.
 */
struct ho_ioc {
	struct delayed_work fault_reset_work;
	struct workqueue_struct *reset_work_q;
	spinlock_t lock;
	int faults;
};

static void ho_fault_reset_work(struct work_struct *work)
{
	struct ho_ioc *ioc = container_of(to_delayed_work(work), struct ho_ioc,
					  fault_reset_work);
	unsigned long flags;

	ioc->faults++;
	spin_lock_irqsave(&ioc->lock, flags);
	if (ioc->reset_work_q)
		queue_delayed_work(ioc->reset_work_q, &ioc->fault_reset_work, HZ); /* expected-note {{'ioc->fault_reset_work' is queued here}} */
	spin_unlock_irqrestore(&ioc->lock, flags);
}

struct ho_ioc *wqs_ho_ioc_attach(void)
{
	struct ho_ioc *ioc = kzalloc(sizeof(*ioc), GFP_KERNEL);

	if (!ioc)
		return NULL;
	spin_lock_init(&ioc->lock);
	INIT_DELAYED_WORK(&ioc->fault_reset_work, ho_fault_reset_work);
	ioc->reset_work_q = alloc_workqueue("wqs_ho_reset", WQ_MEM_RECLAIM, 0);
	if (!ioc->reset_work_q) {
		kfree(ioc);
		return NULL;
	}
	queue_delayed_work(ioc->reset_work_q, &ioc->fault_reset_work, HZ);
	return ioc;
}
EXPORT_SYMBOL_GPL(wqs_ho_ioc_attach);

static void ho_ioc_dispose(struct ho_ioc *ioc)
{
	kfree(ioc);
}

/* Correct: the timer is cancelled and the destroy waits for a handler. */
void wqs_ho_ioc_detach(struct ho_ioc *ioc)
{
	struct workqueue_struct *wq;
	unsigned long flags;

	spin_lock_irqsave(&ioc->lock, flags);
	wq = ioc->reset_work_q;
	ioc->reset_work_q = NULL;
	spin_unlock_irqrestore(&ioc->lock, flags);
	cancel_delayed_work(&ioc->fault_reset_work);
	destroy_workqueue(wq);
	ho_ioc_dispose(ioc);
}
EXPORT_SYMBOL_GPL(wqs_ho_ioc_detach);

void wqs_ho_ioc_detach2(struct ho_ioc *ioc)
{
	unsigned long flags;

	spin_lock_irqsave(&ioc->lock, flags);
	ioc->reset_work_q = NULL;
	spin_unlock_irqrestore(&ioc->lock, flags);
	cancel_delayed_work(&ioc->fault_reset_work); /* expected-note {{cancelled here without waiting}} */
	/* BUG(wq-free-before-cancel): a running handler is not waited for */
	/* expected-warning-re@+1 {{'kfree' frees 'ioc' while its work item 'ioc->fault_reset_work' (handler 'ho_fault_reset_work') may still be queued or running{{.*}}the cancel without _sync does not wait for a running handler{{.*}}[wq-free-before-cancel]}} */
	kfree(ioc);
}
EXPORT_SYMBOL_GPL(wqs_ho_ioc_detach2);

/* remove() returns void: .remove since 6.11, .remove_new before (6.1's .remove returns int). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define HO_REMOVE remove
#else
#define HO_REMOVE remove_new
#endif

static struct platform_driver ho_pf_driver = {
	.probe = ho_pf_probe,
	.driver = { .name = "wqs-ho-pf" },
};

static struct platform_driver ho_fw_driver = {
	.probe = ho_fw_probe,
	.HO_REMOVE = ho_fw_remove,
	.driver = { .name = "wqs-ho-fw" },
};

static struct platform_driver ho_fw2_driver = {
	.probe = ho_fw2_probe,
	.HO_REMOVE = ho_fw2_remove,
	.driver = { .name = "wqs-ho-fw2" },
};

static struct platform_driver *const ho_drivers[] = {
	&ho_pf_driver, &ho_fw_driver, &ho_fw2_driver,
};

/* Kept so that the copy paths have a caller; a real target would call them. */
int wqs_ho_xcopy(void *cmd, int how)
{
	if (how == 0)
		return ho_do_xcopy(cmd);
	if (how == 1)
		return ho_do_xcopy2(cmd);
	if (how == 3)
		return ho_login(how) ?: ho_login2(how);
	if (how == 4) {
		struct ho_hdw *hdw = ho_hdw_create();

		if (hdw && cmd)
			ho_hdw_destroy(hdw);
		else if (hdw)
			ho_hdw_destroy2(hdw);
		return hdw ? 0 : -ENOMEM;
	}
	if (how == 6) {
		ho_update_ports(how);
		ho_update_ports2(how);
		return 0;
	}
	if (how == 5) {
		struct ho_hdw *hdw = ho_hdw_create();

		if (hdw && cmd)
			ho_hdw_remove(hdw);
		else if (hdw)
			ho_hdw_remove2(hdw);
		return hdw ? 0 : -ENOMEM;
	}
	return ho_do_xcopy_checked(cmd);
}
EXPORT_SYMBOL_GPL(wqs_ho_xcopy);

/* ---------------------------------------------------------------------
 * S. A command channel that busy-waits when called atomically.
 */
struct ho_guc {
	spinlock_t lock;
	int busy;
	int prio;
};

/* Sleeps only when the running context allows it. */
static int ho_guc_send(struct ho_guc *g, bool loop)
{
	bool not_atomic = !in_atomic() && !irqs_disabled();

	might_sleep_if(loop && not_atomic);
	while (READ_ONCE(g->busy) && loop) {
		if (not_atomic)
			msleep(1);
		else
			cpu_relax();
	}
	return 0;
}

/* Correct: ho_guc_send() busy-waits under the lock. */
void wqs_ho_guc_set_prio(struct ho_guc *g, int prio)
{
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags);
	g->prio = prio;
	ho_guc_send(g, true);
	spin_unlock_irqrestore(&g->lock, flags);
}
EXPORT_SYMBOL_GPL(wqs_ho_guc_set_prio);

static int ho_guc_send_sleepy(struct ho_guc *g, bool loop)
{
	while (READ_ONCE(g->busy) && loop)
		msleep(1); /* expected-note {{'ho_guc_send_sleepy' calls 'msleep' here}} */
	return 0;
}

/* BUG(wq-sleep-in-atomic): the same without the runtime test. */
void wqs_ho_guc_set_prio_sleepy(struct ho_guc *g, int prio)
{
	unsigned long flags;

	spin_lock_irqsave(&g->lock, flags); /* expected-note {{spinlock 'g->lock' taken here}} */
	g->prio = prio;
	ho_guc_send_sleepy(g, true); /* expected-warning-re {{sleeping function 'msleep' called in atomic context (spinlock 'g->lock' held) through 'ho_guc_send_sleepy'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is in a helper */
	spin_unlock_irqrestore(&g->lock, flags);
}
EXPORT_SYMBOL_GPL(wqs_ho_guc_set_prio_sleepy);

/* ---------------------------------------------------------------------
 * T. A runtime-PM-like suspend that sleeps only for synchronous callers.
 */
#define HO_RPM_ASYNC	0x1
#define HO_RPM_AUTO	0x2

struct ho_rpm {
	struct hrtimer timer;
	struct hrtimer timer2;
	spinlock_t lock;
	bool autosuspend;
	int busy;
};

static int ho_rpm_suspend(struct ho_rpm *d, int rpmflags)
{
	if (d->busy) {
		if (rpmflags & HO_RPM_ASYNC)
			return -EINPROGRESS;
		spin_unlock_irq(&d->lock);
		schedule(); /* expected-note {{'ho_rpm_suspend' calls 'schedule' here}} */
		spin_lock_irq(&d->lock);
	}
	return 0;
}

/* Correct: both arms pass HO_RPM_ASYNC. */
static enum hrtimer_restart ho_rpm_timer(struct hrtimer *t)
{
	struct ho_rpm *d = container_of(t, struct ho_rpm, timer);
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	ho_rpm_suspend(d, d->autosuspend ? (HO_RPM_ASYNC | HO_RPM_AUTO) :
					   HO_RPM_ASYNC);
	spin_unlock_irqrestore(&d->lock, flags);
	return HRTIMER_NORESTART;
}

/* BUG(wq-sleep-in-atomic): one arm lacks HO_RPM_ASYNC. */
static enum hrtimer_restart ho_rpm_timer2(struct hrtimer *t)
{
	struct ho_rpm *d = container_of(t, struct ho_rpm, timer2);
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	ho_rpm_suspend(d, d->autosuspend ? (HO_RPM_ASYNC | HO_RPM_AUTO) :
					   HO_RPM_AUTO); /* expected-warning-re@-1 {{sleeping function 'schedule' called in atomic context (in hrtimer callback 'ho_rpm_timer2') through 'ho_rpm_suspend'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is in a helper, behind a flag bit */
	spin_unlock_irqrestore(&d->lock, flags);
	return HRTIMER_NORESTART;
}

void wqs_ho_rpm_init(struct ho_rpm *d)
{
	spin_lock_init(&d->lock);
	hrtimer_init(&d->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	d->timer.function = ho_rpm_timer;
	hrtimer_init(&d->timer2, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	d->timer2.function = ho_rpm_timer2; /* expected-note {{'ho_rpm_timer2' runs in hard-IRQ context (hrtimer): stored in hrtimer.function here}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_rpm_init);

/* ---------------------------------------------------------------------
 * U. Suspend and idle calling each other, flags passed down.
 */
#define HO_R_ASYNC	0x01
#define HO_R_AUTO	0x08

struct ho_rdev {
	spinlock_t lock;
	struct hrtimer t, t_sync;
	struct ho_rdev *parent;
	int busy;
};

static int ho_r_suspend(struct ho_rdev *d, int flags);

static int ho_r_idle(struct ho_rdev *d, int flags)
{
	if (d->busy)
		return -EBUSY;
	return ho_r_suspend(d, flags | HO_R_AUTO); /* expected-note {{'ho_r_idle' calls 'ho_r_suspend', which may sleep, here}} */
}

static int ho_r_suspend(struct ho_rdev *d, int flags)
{
	if (d->busy) {
		if (flags & HO_R_ASYNC)
			return -EINPROGRESS;
		spin_unlock_irq(&d->lock);
		schedule(); /* expected-note {{'ho_r_suspend' calls 'schedule' here}} */
		spin_lock_irq(&d->lock);
	}
	if (d->parent)
		ho_r_idle(d->parent, HO_R_ASYNC);
	return 0;
}

/* Correct: asynchronous all the way down. */
static enum hrtimer_restart ho_r_timer(struct hrtimer *t)
{
	struct ho_rdev *d = container_of(t, struct ho_rdev, t);
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	ho_r_suspend(d, HO_R_ASYNC);
	spin_unlock_irqrestore(&d->lock, flags);
	return HRTIMER_NORESTART;
}

/* BUG(wq-sleep-in-atomic): the idle helper called with a synchronous 0. */
static enum hrtimer_restart ho_r_timer_sync(struct hrtimer *t)
{
	struct ho_rdev *d = container_of(t, struct ho_rdev, t_sync);
	unsigned long flags;

	spin_lock_irqsave(&d->lock, flags);
	ho_r_idle(d, 0); /* expected-warning-re {{sleeping function 'schedule' called in atomic context (in hrtimer callback 'ho_r_timer_sync') through 'ho_r_idle'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is two helpers down */
	spin_unlock_irqrestore(&d->lock, flags);
	return HRTIMER_NORESTART;
}

void wqs_ho_rdev_init(struct ho_rdev *d)
{
	spin_lock_init(&d->lock);
	hrtimer_init(&d->t, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	d->t.function = ho_r_timer;
	hrtimer_init(&d->t_sync, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	d->t_sync.function = ho_r_timer_sync; /* expected-note {{'ho_r_timer_sync' runs in hard-IRQ context (hrtimer): stored in hrtimer.function here}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_rdev_init);

/* ---------------------------------------------------------------------
 * V. A decision carried in a status local (drivers/acpi/osl.c:1125 and
 *    :1132, acpi_os_execute()): the branch that does not initialise the
 *    work item sets the status to an error and the queue is skipped on
 *    it; a failed queue sets it too, and only then is the request freed.
 */
#define HO_AE_OK	0
#define HO_AE_ERROR	1
#define HO_AE_BUSY	2
#define HO_FAILURE(s)	(unlikely(s))

struct ho_dpc {
	struct work_struct work;
	void (*function)(void *ctx);
	void *context;
};

static bool ho_dpc_busy;

static void ho_dpc_work(struct work_struct *work)
{
	struct ho_dpc *dpc = container_of(work, struct ho_dpc, work);

	dpc->function(dpc->context);
	kfree(dpc);
}

/* Correct: each error status comes from a path that did not queue. */
int wqs_ho_execute(int type, void (*fn)(void *), void *ctx)
{
	int status = HO_AE_OK;
	struct ho_dpc *dpc;
	bool ret;

	dpc = kzalloc(sizeof(*dpc), GFP_ATOMIC);
	if (!dpc)
		return -ENOMEM;
	dpc->function = fn;
	dpc->context = ctx;
	if (type == 1) {
		INIT_WORK(&dpc->work, ho_dpc_work);
	} else if (type == 2) {
		INIT_WORK(&dpc->work, ho_dpc_work);
	} else {
		pr_err("unsupported type %d\n", type);
		status = HO_AE_ERROR;
	}
	if (HO_FAILURE(status))
		goto err;
	ret = queue_work_on(0, ho_xcopy_wq, &dpc->work);
	if (!ret) {
		pr_err("unable to queue work\n");
		status = HO_AE_ERROR;
	}
err:
	if (HO_FAILURE(status))
		kfree(dpc);
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_execute);

/* BUG(wq-uninit): the unsupported type falls through to the queue. */
int wqs_ho_execute_any(int type, void (*fn)(void *), void *ctx)
{
	int status = HO_AE_OK;
	struct ho_dpc *dpc;

	dpc = kzalloc(sizeof(*dpc), GFP_ATOMIC); /* expected-note {{'dpc' is allocated here}} */
	if (!dpc)
		return -ENOMEM;
	dpc->function = fn;
	dpc->context = ctx;
	if (type == 1) {
		INIT_WORK(&dpc->work, ho_dpc_work); /* expected-note {{'dpc->work' is initialised here, on another path than the one that reaches the use}} */
	} else if (type == 2) {
		INIT_WORK(&dpc->work, ho_dpc_work);
	} else {
		pr_err("unsupported type %d\n", type);
	}
	if (HO_FAILURE(status))
		goto err;
	/* expected-warning-re@+1 {{'queue_work_on' queues work item 'dpc->work' before it is initialised{{.*}}[wq-uninit]}} cocci-misses: the item is initialised on the other branches */
	if (!queue_work_on(0, ho_xcopy_wq, &dpc->work))
		status = HO_AE_ERROR;
err:
	if (HO_FAILURE(status))
		kfree(dpc);
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_execute_any);

/* BUG(wq-free-before-cancel): a step after the queue fails, and the
 * request its handler is running is freed. */
int wqs_ho_execute_late(void (*fn)(void *), void *ctx)
{
	int status = HO_AE_OK;
	struct ho_dpc *dpc;

	dpc = kzalloc(sizeof(*dpc), GFP_ATOMIC);
	if (!dpc)
		return -ENOMEM;
	dpc->function = fn;
	dpc->context = ctx;
	INIT_WORK(&dpc->work, ho_dpc_work);
	if (!queue_work_on(0, ho_xcopy_wq, &dpc->work)) /* expected-note {{'dpc->work' is queued here}} */
		status = HO_AE_ERROR;
	if (READ_ONCE(ho_dpc_busy))
		status = HO_AE_BUSY;
	if (HO_FAILURE(status))
		/* expected-warning-re@+1 {{'kfree' frees 'dpc' while its work item 'dpc->work' (handler 'ho_dpc_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue's result is tested, and the free is under a test of another local */
		kfree(dpc);
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_execute_late);

/* BUG(wq-free-before-cancel): a switch on the status: its cases are not
 * the true and false of a test, and the path with HO_AE_OK frees the
 * request it has just queued. */
int wqs_ho_execute_switch(void (*fn)(void *), void *ctx, bool busy)
{
	int status = HO_AE_BUSY;
	struct ho_dpc *dpc;

	dpc = kzalloc(sizeof(*dpc), GFP_ATOMIC);
	if (!dpc)
		return -ENOMEM;
	dpc->function = fn;
	dpc->context = ctx;
	INIT_WORK(&dpc->work, ho_dpc_work);
	if (!busy) {
		queue_work_on(0, ho_xcopy_wq, &dpc->work); /* expected-note {{'dpc->work' is queued here}} */
		status = HO_AE_OK;
	}
	switch (status) {
	case HO_AE_OK:
		/* expected-warning-re@+1 {{'kfree' frees 'dpc' while its work item 'dpc->work' (handler 'ho_dpc_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
		kfree(dpc);
		break;
	default:
		kfree(dpc); /* cocci-reports(wq-free-before-cancel): the script does not follow the status local into the switch */
		break;
	}
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_execute_switch);

/* ---------------------------------------------------------------------
 * W. A scratch copy of the private struct, allocated, filled and freed in
 *    one function, while the live struct's own work item is queued
 *    (drivers/net/ethernet/mellanox/mlx4/en_netdev.c:2823, mlx4_xdp_set()):
 *    the queue names another object, next to a queue through a pointer
 *    that may be the scratch copy.
 */
struct ho_en_priv {
	struct work_struct restart_task;
	int rings;
	bool up;
};

static void ho_en_restart(struct work_struct *work)
{
	struct ho_en_priv *priv = container_of(work, struct ho_en_priv,
					       restart_task);

	priv->up = true;
}

void wqs_ho_en_init(struct ho_en_priv *priv)
{
	INIT_WORK(&priv->restart_task, ho_en_restart);
}
EXPORT_SYMBOL_GPL(wqs_ho_en_init);

static int ho_en_start(struct ho_en_priv *priv)
{
	return priv->rings ? 0 : -EINVAL;
}

/* Correct: the restart queued is the live struct's, not the copy's. */
int wqs_ho_en_set_rings(struct ho_en_priv *priv, int rings)
{
	struct ho_en_priv *tmp;
	int err;

	tmp = kzalloc(sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	tmp->rings = rings;
	priv->rings = tmp->rings;
	err = ho_en_start(priv);
	if (err)
		queue_work(ho_xcopy_wq, &priv->restart_task);
	kfree(tmp);
	return err;
}
EXPORT_SYMBOL_GPL(wqs_ho_en_set_rings);

/* BUG(wq-free-before-cancel): the restart may be the copy's, set up and
 * queued, and the copy is freed. */
int wqs_ho_en_try_rings(struct ho_en_priv *priv, int rings, bool trial)
{
	struct ho_en_priv *cur = priv;
	struct ho_en_priv *tmp;
	int err;

	tmp = kzalloc(sizeof(*tmp), GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	wqs_ho_en_init(tmp);
	tmp->rings = rings;
	if (trial)
		cur = tmp;
	err = ho_en_start(cur);
	if (err)
		queue_work(ho_xcopy_wq, &cur->restart_task); /* expected-note {{'tmp->restart_task' is queued here}} */
	/* expected-warning-re@+1 {{'kfree' frees 'tmp' while its work item 'tmp->restart_task' (handler 'ho_en_restart') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: queued through another pointer that may be the copy */
	kfree(tmp);
	return err;
}
EXPORT_SYMBOL_GPL(wqs_ho_en_try_rings);

/* ---------------------------------------------------------------------
 * X. The object's own queue, created only when it can be used: the
 *    teardown cancels and destroys it `if (qdev->workqueue)`, and on the
 *    other branch nothing can have been queued on it
 *    (drivers/net/ethernet/qlogic/qla3xxx.c:3919, ql3xxx_remove()), next
 *    to the same teardown guarded by a flag instead.
 */
struct ho_ql {
	struct delayed_work reset_work;
	struct workqueue_struct *wq;
	int resets;
};

struct ho_ql2 {
	struct delayed_work reset_work;
	struct workqueue_struct *wq;
	bool up;
	int resets;
};

static void ho_ql_reset(struct work_struct *work)
{
	struct ho_ql *q = container_of(work, struct ho_ql, reset_work.work);

	q->resets++;
}

static void ho_ql2_reset(struct work_struct *work)
{
	struct ho_ql2 *q = container_of(work, struct ho_ql2, reset_work.work);

	q->resets++;
}

struct ho_ql *wqs_ho_ql_create(void)
{
	struct ho_ql *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	INIT_DELAYED_WORK(&q->reset_work, ho_ql_reset);
	q->wq = alloc_ordered_workqueue("wqs_ho_ql", 0);
	return q;
}
EXPORT_SYMBOL_GPL(wqs_ho_ql_create);

void wqs_ho_ql_error(struct ho_ql *q)
{
	queue_delayed_work(q->wq, &q->reset_work, 0);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql_error);

/* Correct: without a queue nothing was queued. */
void wqs_ho_ql_remove(struct ho_ql *q)
{
	if (q->wq) {
		cancel_delayed_work(&q->reset_work);
		destroy_workqueue(q->wq);
		q->wq = NULL;
	}
	kfree(q);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql_remove);

struct ho_ql2 *wqs_ho_ql2_create(void)
{
	struct ho_ql2 *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	INIT_DELAYED_WORK(&q->reset_work, ho_ql2_reset);
	q->wq = alloc_ordered_workqueue("wqs_ho_ql2", 0);
	return q;
}
EXPORT_SYMBOL_GPL(wqs_ho_ql2_create);

void wqs_ho_ql2_error(struct ho_ql2 *q)
{
	queue_delayed_work(q->wq, &q->reset_work, HZ); /* expected-note {{'q->reset_work' is queued here}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_ql2_error);

/* BUG(wq-free-before-cancel): a device that went down keeps its queue and
 * whatever is pending on it. */
void wqs_ho_ql2_remove(struct ho_ql2 *q)
{
	if (q->up) {
		cancel_delayed_work(&q->reset_work);
		destroy_workqueue(q->wq);
		q->wq = NULL;
	}
	/* expected-warning-re@+1 {{'kfree' frees 'q' while its work item 'q->reset_work' (handler 'ho_ql2_reset') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the stop is under a condition that does not test the queue */
	kfree(q);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql2_remove);

/* X, continued: a delayed work item queued only with a delay of 0 arms no
 * timer, so destroying its queue waits for it (qla3xxx.c:3919 again,
 * `link_state_work`, found after the fix above), next to the same item
 * queued with a real delay, whose timer the destroy does not wait for. */
struct ho_ql3 {
	struct delayed_work link_work;
	struct workqueue_struct *wq;
	int polls;
};

static void ho_ql3_link(struct work_struct *work)
{
	struct ho_ql3 *q = container_of(work, struct ho_ql3, link_work.work);

	q->polls++;
}

struct ho_ql3 *wqs_ho_ql3_create(void)
{
	struct ho_ql3 *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	INIT_DELAYED_WORK(&q->link_work, ho_ql3_link);
	q->wq = alloc_ordered_workqueue("wqs_ho_ql3", 0);
	if (!q->wq) {
		kfree(q);
		return NULL;
	}
	return q;
}
EXPORT_SYMBOL_GPL(wqs_ho_ql3_create);

void wqs_ho_ql3_poll(struct ho_ql3 *q)
{
	queue_delayed_work(q->wq, &q->link_work, 0);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql3_poll);

/* Correct: nothing waits on a timer, and the destroy drains the queue. */
void wqs_ho_ql3_remove(struct ho_ql3 *q)
{
	destroy_workqueue(q->wq);
	kfree(q);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql3_remove);

struct ho_ql4 {
	struct delayed_work link_work;
	struct workqueue_struct *wq;
	int polls;
};

static void ho_ql4_link(struct work_struct *work)
{
	struct ho_ql4 *q = container_of(work, struct ho_ql4, link_work.work);

	q->polls++;
}

struct ho_ql4 *wqs_ho_ql4_create(void)
{
	struct ho_ql4 *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (!q)
		return NULL;
	INIT_DELAYED_WORK(&q->link_work, ho_ql4_link);
	q->wq = alloc_ordered_workqueue("wqs_ho_ql4", 0);
	if (!q->wq) {
		kfree(q);
		return NULL;
	}
	return q;
}
EXPORT_SYMBOL_GPL(wqs_ho_ql4_create);

void wqs_ho_ql4_poll(struct ho_ql4 *q)
{
	queue_delayed_work(q->wq, &q->link_work, HZ); /* expected-note {{'q->link_work' is queued here, and nothing in this file waits for it before the free}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_ql4_poll);

/* BUG(wq-free-before-cancel): destroy_workqueue() does not cancel the
 * armed timer of a delayed work item. */
void wqs_ho_ql4_remove(struct ho_ql4 *q)
{
	destroy_workqueue(q->wq);
	/* expected-warning-re@+1 {{'kfree' frees 'q' while its work item 'q->link_work' (handler 'ho_ql4_link') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the only stop is the destroy of its queue */
	kfree(q);
}
EXPORT_SYMBOL_GPL(wqs_ho_ql4_remove);

/* ---------------------------------------------------------------------
 * Y. A reset task that re-arms the link timer whose callback queues it,
 *    but only while a reset is pending, a flag that ndo_stop clears (and
 *    unregister_netdev() runs ndo_stop before the cancel)
 *    (drivers/net/ethernet/sun/sungem.c:2815, gem_remove_one()), next to a
 *    reset task that re-arms the timer whatever the flag says.
 */
struct ho_gem {
	struct net_device *dev;
	struct timer_list link_timer;
	struct work_struct reset_task;
	int reset_pending;
	int link_bad;
};

static void ho_gem_reset_task(struct work_struct *work)
{
	struct ho_gem *gp = container_of(work, struct ho_gem, reset_task);

	rtnl_lock();
	if (!netif_running(gp->dev) || !gp->reset_pending) {
		rtnl_unlock();
		return;
	}
	gp->link_bad = 0;
	gp->reset_pending = 0;
	mod_timer(&gp->link_timer, jiffies + HZ); /* expected-note {{the handler 'ho_gem_reset_task' re-arms 'gp->link_timer' here, which nothing stops for good before the cancel}} */
	rtnl_unlock();
}

static void ho_gem_link_timer(struct timer_list *t)
{
	struct ho_gem *gp = from_timer(gp, t, link_timer);

	if (gp->reset_pending)
		return;
	if (gp->link_bad) {
		gp->reset_pending = 1;
		schedule_work(&gp->reset_task); /* expected-note {{whose callback 'ho_gem_link_timer' queues 'netdev_priv(dev)->reset_task' again after the cancel returned}} */
		return;
	}
	mod_timer(&gp->link_timer, jiffies + HZ);
}

static int ho_gem_open(struct net_device *dev)
{
	struct ho_gem *gp = netdev_priv(dev);

	mod_timer(&gp->link_timer, jiffies + HZ);
	return 0;
}

static int ho_gem_stop(struct net_device *dev)
{
	struct ho_gem *gp = netdev_priv(dev);

	del_timer_sync(&gp->link_timer);
	gp->reset_pending = 0;
	return 0;
}

static const struct net_device_ops ho_gem_ops = {
	.ndo_open = ho_gem_open,
	.ndo_stop = ho_gem_stop,
};

struct net_device *wqs_ho_gem_create(void)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct ho_gem));
	struct ho_gem *gp;

	if (!dev)
		return NULL;
	gp = netdev_priv(dev);
	gp->dev = dev;
	dev->netdev_ops = &ho_gem_ops;
	timer_setup(&gp->link_timer, ho_gem_link_timer, 0);
	INIT_WORK(&gp->reset_task, ho_gem_reset_task);
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	return dev;
}
EXPORT_SYMBOL_GPL(wqs_ho_gem_create);

/* Correct: ndo_stop cleared reset_pending, so a running reset task does
 * not re-arm the timer. */
void wqs_ho_gem_remove(struct net_device *dev)
{
	struct ho_gem *gp = netdev_priv(dev);

	unregister_netdev(dev);
	cancel_work_sync(&gp->reset_task);
	free_netdev(dev);
}
EXPORT_SYMBOL_GPL(wqs_ho_gem_remove);

/* BUG(wq-free-before-cancel): the cancel comes before unregister_netdev():
 * ndo_stop clears reset_pending only afterwards, so a reset task running
 * during the cancel re-arms the link timer, which can queue it again
 * before ndo_stop stops the timer (drivers/net/ethernet/myricom/myri10ge/
 * myri10ge.c:4000 myri10ge_remove(), a true finding of Set H). */
void wqs_ho_gem_remove_early(struct net_device *dev)
{
	struct ho_gem *gp = netdev_priv(dev);

	cancel_work_sync(&gp->reset_task); /* expected-note {{'netdev_priv(dev)->reset_task' is stopped here, but its handler may be running and re-arm its source}} */
	unregister_netdev(dev);
	/* expected-warning-re@+1 {{'free_netdev' frees 'dev' while its work item 'netdev_priv(dev)->reset_task' (handler 'ho_gem_reset_task') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler re-arms the timer (a cycle through two callbacks) */
	free_netdev(dev);
}
EXPORT_SYMBOL_GPL(wqs_ho_gem_remove_early);

struct ho_gem2 {
	struct net_device *dev;
	struct timer_list link_timer;
	struct work_struct reset_task;
	int reset_pending;
	int link_bad;
};

static void ho_gem2_reset_task(struct work_struct *work)
{
	struct ho_gem2 *gp = container_of(work, struct ho_gem2, reset_task);

	gp->link_bad = 0;
	gp->reset_pending = 0;
	mod_timer(&gp->link_timer, jiffies + HZ); /* expected-note {{the handler 'ho_gem2_reset_task' re-arms 'gp->link_timer' here, which nothing stops for good before the cancel}} */
}

static void ho_gem2_link_timer(struct timer_list *t)
{
	struct ho_gem2 *gp = from_timer(gp, t, link_timer);

	if (gp->link_bad) {
		gp->reset_pending = 1;
		schedule_work(&gp->reset_task); /* expected-note {{whose callback 'ho_gem2_link_timer' queues 'netdev_priv(dev)->reset_task' again after the cancel returned}} */
		return;
	}
	mod_timer(&gp->link_timer, jiffies + HZ);
}

static int ho_gem2_open(struct net_device *dev)
{
	struct ho_gem2 *gp = netdev_priv(dev);

	mod_timer(&gp->link_timer, jiffies + HZ);
	return 0;
}

static int ho_gem2_stop(struct net_device *dev)
{
	struct ho_gem2 *gp = netdev_priv(dev);

	del_timer_sync(&gp->link_timer);
	gp->reset_pending = 0;
	return 0;
}

static const struct net_device_ops ho_gem2_ops = {
	.ndo_open = ho_gem2_open,
	.ndo_stop = ho_gem2_stop,
};

struct net_device *wqs_ho_gem2_create(void)
{
	struct net_device *dev = alloc_etherdev(sizeof(struct ho_gem2));
	struct ho_gem2 *gp;

	if (!dev)
		return NULL;
	gp = netdev_priv(dev);
	gp->dev = dev;
	dev->netdev_ops = &ho_gem2_ops;
	timer_setup(&gp->link_timer, ho_gem2_link_timer, 0);
	INIT_WORK(&gp->reset_task, ho_gem2_reset_task);
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	return dev;
}
EXPORT_SYMBOL_GPL(wqs_ho_gem2_create);

/* BUG(wq-free-before-cancel): a reset task running during the cancel
 * re-arms the timer ndo_stop stopped; the timer queues it again. */
void wqs_ho_gem2_remove(struct net_device *dev)
{
	struct ho_gem2 *gp = netdev_priv(dev);

	unregister_netdev(dev);
	cancel_work_sync(&gp->reset_task); /* expected-note {{'netdev_priv(dev)->reset_task' is stopped here, but its handler may be running and re-arm its source}} */
	/* expected-warning-re@+1 {{'free_netdev' frees 'dev' while its work item 'netdev_priv(dev)->reset_task' (handler 'ho_gem2_reset_task') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the handler re-arms the timer (a cycle through two callbacks) */
	free_netdev(dev);
}
EXPORT_SYMBOL_GPL(wqs_ho_gem2_remove);

/* ---------------------------------------------------------------------
 * Z. wq-sleep-in-atomic through a macro of the driver's own: the report is
 *    where the sleeping helper is spelled (the #define), and a note names
 *    the use under the lock (drivers/net/ethernet/qlogic/netxen/
 *    netxen_nic.h:1716 crb_win_lock(), a true finding of Set H), next to
 *    the same macro used with no lock held.
 */
struct ho_crb {
	rwlock_t crb_lock;
	u32 sem;
	u32 win;
};

static int ho_sem_lock(struct ho_crb *c, int sem)
{
	int timeout = 0;

	while (!READ_ONCE(c->sem)) {
		if (++timeout >= 100)
			return -EIO;
		msleep(1); /* expected-note {{'ho_sem_lock' calls 'msleep' here}} */
	}
	return sem;
}

/* expected-warning-re@+1 {{sleeping function 'msleep' called in atomic context (rwlock (write) 'c->crb_lock' held) through 'ho_sem_lock'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is in a helper spelled in a macro */
#define HO_WIN_LOCK(c)	ho_sem_lock((c), 7)

/* BUG(wq-sleep-in-atomic): the window semaphore may sleep. */
void wqs_ho_crb_write(struct ho_crb *c, u32 win)
{
	unsigned long flags;

	write_lock_irqsave(&c->crb_lock, flags); /* expected-note {{rwlock (write) 'c->crb_lock' taken here}} */
	HO_WIN_LOCK(c); /* expected-note {{in the expansion of macro 'HO_WIN_LOCK' here}} */
	c->win = win;
	write_unlock_irqrestore(&c->crb_lock, flags);
}
EXPORT_SYMBOL_GPL(wqs_ho_crb_write);

/* Correct: no lock held. */
void wqs_ho_crb_probe(struct ho_crb *c)
{
	HO_WIN_LOCK(c);
	c->win = 0;
}
EXPORT_SYMBOL_GPL(wqs_ho_crb_probe);

/* ---------------------------------------------------------------------
 * AA. One object allocated and queued per round of a loop: the free on
 *     the next round's error path is of that round's fresh object, not of
 *     the one queued before (drivers/gpu/drm/amd/display/amdgpu_dm/
 *     amdgpu_dm.c:835, dm_dmub_outbox1_low_irq(), held-out Set I), next to
 *     a round that frees the object it has just queued.
 */
struct ho_note {
	struct work_struct work;
	void *payload;
	int type;
};

static void ho_note_work(struct work_struct *work)
{
	struct ho_note *n = container_of(work, struct ho_note, work);

	kfree(n->payload);
	kfree(n);
}

/* Correct: each round's object is freed only before it is queued. */
void wqs_ho_notes_drain(int count)
{
	struct ho_note *n;

	do {
		n = kzalloc(sizeof(*n), GFP_ATOMIC);
		if (!n)
			return;
		n->payload = kzalloc(16, GFP_ATOMIC);
		if (!n->payload) {
			kfree(n);
			return;
		}
		INIT_WORK(&n->work, ho_note_work);
		queue_work(ho_xcopy_wq, &n->work);
	} while (--count > 0);
}
EXPORT_SYMBOL_GPL(wqs_ho_notes_drain);

/* BUG(wq-free-before-cancel): the round frees the object it queued when
 * the queue was not empty. */
void wqs_ho_notes_drain_bad(int count)
{
	struct ho_note *n;

	do {
		n = kzalloc(sizeof(*n), GFP_ATOMIC);
		if (!n)
			return;
		INIT_WORK(&n->work, ho_note_work);
		queue_work(ho_xcopy_wq, &n->work); /* expected-note {{'n->work' is queued here}} */
		if (count > 8) {
			/* expected-warning-re@+1 {{'kfree' frees 'n' while its work item 'n->work' (handler 'ho_note_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
			kfree(n);
			return;
		}
	} while (--count > 0);
}
EXPORT_SYMBOL_GPL(wqs_ho_notes_drain_bad);

/* ---------------------------------------------------------------------
 * BB. Copies of the entries made under RCU into a local list, then walked
 *     and freed: the copies' work items were never initialised, let alone
 *     queued (net/bluetooth/6lowpan.c:1244, disconnect_devices(), held-out
 *     Set H), next to the same walk over the global list itself.
 */
struct ho_lp {
	struct list_head list;
	struct work_struct delete_work;
	void *netdev;
};

static LIST_HEAD(ho_lp_devices);

static void ho_lp_delete(struct work_struct *work)
{
	struct ho_lp *e = container_of(work, struct ho_lp, delete_work);

	e->netdev = NULL;
}

void wqs_ho_lp_close(struct ho_lp *e)
{
	INIT_WORK(&e->delete_work, ho_lp_delete);
	schedule_work(&e->delete_work); /* expected-note {{'entry->delete_work' is queued here, and nothing in this file waits for it before the free}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_lp_close);

/* Correct: only the copies are freed. */
void wqs_ho_lp_disconnect_all(void)
{
	struct ho_lp *entry, *tmp, *copy;
	LIST_HEAD(devices);

	rcu_read_lock();
	list_for_each_entry_rcu(entry, &ho_lp_devices, list) {
		copy = kmalloc(sizeof(*copy), GFP_ATOMIC);
		if (!copy)
			break;
		copy->netdev = entry->netdev;
		INIT_LIST_HEAD(&copy->list);
		list_add_rcu(&copy->list, &devices);
	}
	rcu_read_unlock();

	list_for_each_entry_safe(entry, tmp, &devices, list)
		kfree(entry);
}
EXPORT_SYMBOL_GPL(wqs_ho_lp_disconnect_all);

/* BUG(wq-free-before-cancel): the entries themselves, whose delete work
 * may be queued. */
void wqs_ho_lp_flush_all(void)
{
	struct ho_lp *entry, *tmp;

	list_for_each_entry_safe(entry, tmp, &ho_lp_devices, list) {
		list_del(&entry->list);
		/* expected-warning-re@+1 {{'kfree' frees 'entry' while its work item 'entry->delete_work' (handler 'ho_lp_delete') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
		kfree(entry);
	}
}
EXPORT_SYMBOL_GPL(wqs_ho_lp_flush_all);

/* ---------------------------------------------------------------------
 * CC. A lock released through an ops table: the helper queues the request
 *     and calls `q->ops->kick_and_unlock(q)`, and the file's only function
 *     for that field drops the lock before the caller waits (6.1
 *     fs/fuse/dev.c queue_request_and_unlock() -> fuse_dev_wake_and_unlock(),
 *     held-out Set L), next to a table whose function keeps it held.
 */
struct ho_iq;

struct ho_iq_ops {
	void (*kick_and_unlock)(struct ho_iq *q);
};

struct ho_iq {
	spinlock_t lock;
	const struct ho_iq_ops *ops;
	wait_queue_head_t waitq;
	unsigned int pending;
	bool answered;
};

static void ho_iq_kick_and_unlock(struct ho_iq *q)
__releases(q->lock)
{
	wake_up(&q->waitq);
	spin_unlock(&q->lock);
}

static const struct ho_iq_ops ho_iq_dev_ops = {
	.kick_and_unlock = ho_iq_kick_and_unlock,
};

static void ho_iq_queue_and_unlock(struct ho_iq *q)
__releases(q->lock)
{
	q->pending++;
	q->ops->kick_and_unlock(q);
}

/* Correct: the ops function dropped the lock before the wait. */
int wqs_ho_iq_send(struct ho_iq *q)
{
	q->ops = &ho_iq_dev_ops;
	spin_lock(&q->lock);
	ho_iq_queue_and_unlock(q);
	return wait_event_interruptible(q->waitq, READ_ONCE(q->answered)); /* cocci-reports(wq-sleep-in-atomic): the unlock is in a helper, through an ops table */
}
EXPORT_SYMBOL_GPL(wqs_ho_iq_send);

struct ho_oq;

struct ho_oq_ops {
	void (*kick)(struct ho_oq *q);
};

struct ho_oq {
	spinlock_t lock;
	const struct ho_oq_ops *ops;
	wait_queue_head_t waitq;
	unsigned int pending;
	bool answered;
};

static void ho_oq_kick(struct ho_oq *q)
{
	wake_up(&q->waitq);
}

static const struct ho_oq_ops ho_oq_dev_ops = {
	.kick = ho_oq_kick,
};

/* BUG(wq-sleep-in-atomic): this table's function keeps the lock held, and
 * the wait happens under it. */
int wqs_ho_oq_send(struct ho_oq *q)
{
	int ret;

	q->ops = &ho_oq_dev_ops;
	spin_lock(&q->lock); /* expected-note {{spinlock 'q->lock' taken here}} */
	q->pending++;
	q->ops->kick(q);
	ret = wait_event_interruptible(q->waitq, READ_ONCE(q->answered)); /* expected-warning-re {{sleeping function 'wait_event_interruptible' called in atomic context (spinlock 'q->lock' held){{.*}}[wq-sleep-in-atomic]}} */
	spin_unlock(&q->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(wqs_ho_oq_send);

/* ---------------------------------------------------------------------
 * DD. An object freed through RCU when its last reference goes, whose
 *     work item holds a reference of its own (6.1 fs/gfs2/glock.c:
 *     __gfs2_glock_queue_work() passes one glock reference to the queue,
 *     glock_work_func() drops it, and gfs2_glock_dealloc(), an RCU
 *     callback, frees the glock; held-out Set L), next to an object freed
 *     at once by its last put while its work may still be queued.
 */
struct ho_glock {
	spinlock_t lock;
	unsigned int count;
	struct delayed_work work;
	struct rcu_head rcu;
};

static struct workqueue_struct *ho_glock_wq;

static void ho_glock_dealloc(struct rcu_head *rcu)
{
	struct ho_glock *gl = container_of(rcu, struct ho_glock, rcu);

	kfree(gl); /* possible-warning-re {{'kfree' frees 'gl' while its work item 'gl->work' (handler 'ho_glock_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	/* possible-note@-1 {{reported at --level=possible only: 'ho_glock_dealloc' is a release callback: it runs when the last reference is dropped, which may come after the work item is done}} */
}

static void ho_glock_put_locked(struct ho_glock *gl)
__releases(gl->lock)
{
	if (--gl->count) {
		spin_unlock(&gl->lock);
		return;
	}
	spin_unlock(&gl->lock);
	call_rcu(&gl->rcu, ho_glock_dealloc);
}

static void ho_glock_work(struct work_struct *work)
{
	struct ho_glock *gl = container_of(to_delayed_work(work),
					   struct ho_glock, work);

	spin_lock(&gl->lock);
	ho_glock_put_locked(gl);
}

/* Correct: the queue passes a reference to the work item. */
void wqs_ho_glock_queue(struct ho_glock *gl, unsigned long delay)
{
	spin_lock(&gl->lock);
	gl->count++;
	if (!queue_delayed_work(ho_glock_wq, &gl->work, delay)) /* possible-note {{'gl->work' is queued here}} */
		gl->count--;
	spin_unlock(&gl->lock);
}
EXPORT_SYMBOL_GPL(wqs_ho_glock_queue);

struct ho_glock *wqs_ho_glock_new(void)
{
	struct ho_glock *gl = kzalloc(sizeof(*gl), GFP_KERNEL);

	if (!gl)
		return NULL;
	spin_lock_init(&gl->lock);
	gl->count = 1;
	INIT_DELAYED_WORK(&gl->work, ho_glock_work);
	return gl;
}
EXPORT_SYMBOL_GPL(wqs_ho_glock_new);

void wqs_ho_glock_put(struct ho_glock *gl)
{
	spin_lock(&gl->lock);
	ho_glock_put_locked(gl);
}
EXPORT_SYMBOL_GPL(wqs_ho_glock_put);

struct ho_plock {
	struct delayed_work work;
	unsigned int hits;
};

static void ho_plock_work(struct work_struct *work)
{
	struct ho_plock *pl = container_of(to_delayed_work(work),
					   struct ho_plock, work);

	pl->hits++;
}

struct ho_plock *wqs_ho_plock_new(void)
{
	struct ho_plock *pl = kzalloc(sizeof(*pl), GFP_KERNEL);

	if (pl)
		INIT_DELAYED_WORK(&pl->work, ho_plock_work);
	return pl;
}
EXPORT_SYMBOL_GPL(wqs_ho_plock_new);

void wqs_ho_plock_kick(struct ho_plock *pl)
{
	queue_delayed_work(ho_glock_wq, &pl->work, HZ); /* expected-note {{'pl->work' is queued here, and nothing in this file waits for it before the free}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_plock_kick);

/* BUG(wq-free-before-cancel): freed at once, with no reference held by the
 * work and no cancel. */
void wqs_ho_plock_free(struct ho_plock *pl)
{
	kfree(pl); /* expected-warning-re {{'kfree' frees 'pl' while its work item 'pl->work' (handler 'ho_plock_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
}
EXPORT_SYMBOL_GPL(wqs_ho_plock_free);

/* ---------------------------------------------------------------------
 * EE. A sleep and a region on the two outcomes of one flag test.
 */
#define HO_BQ_BLOCKING 0

struct ho_bq {
	unsigned long flags;
	struct mutex dispatch_lock;
	spinlock_t lock;
	unsigned int dispatched;
};

#define ho_bq_run_ops(q, ops)					\
do {								\
	if (!test_bit(HO_BQ_BLOCKING, &(q)->flags)) {		\
		rcu_read_lock(); /* possible-note {{RCU read-side critical section here by 'rcu_read_lock'}} */ \
		(ops);						\
		rcu_read_unlock();				\
	} else {						\
		might_sleep(); /* expected-note 2 {{'ho_bq_run' calls 'might_sleep' here}} possible-note {{'ho_bq_run' calls 'might_sleep' here}} */ \
		mutex_lock(&(q)->dispatch_lock);		\
		(ops);						\
		mutex_unlock(&(q)->dispatch_lock);		\
	}							\
} while (0)

static void ho_bq_dispatch(struct ho_bq *q)
{
	q->dispatched++;
}

static void ho_bq_run(struct ho_bq *q)
{
	ho_bq_run_ops(q, ho_bq_dispatch(q)); /* possible-note {{the sleep is reached only when the same test of 'flags' is true}} */
}

static void ho_bq_insert(struct ho_bq *q)
{
	ho_bq_run(q); /* expected-note 2 {{'ho_bq_insert' calls 'ho_bq_run', which may sleep, here}} possible-note {{'ho_bq_insert' calls 'ho_bq_run', which may sleep, here}} */
}

/* Correct: RCU only for queues without the bit, the sleep only for queues
 * with it. */
void wqs_ho_bq_submit(struct ho_bq *q)
{
	/* possible-warning-re@+3 {{sleeping function 'might_sleep' called in atomic context (RCU read-side critical section) through 'ho_bq_insert'{{.*}}[wq-sleep-in-atomic]}} */
	/* possible-note@+2 {{the region is entered only when this test of 'flags' is false}} */
	/* possible-note@+1 {{reported at --level=possible only: the region is entered only on one outcome of a test and the sleep is reached only on the other outcome of the same test}} */
	ho_bq_run_ops(q, ho_bq_insert(q));
}
EXPORT_SYMBOL_GPL(wqs_ho_bq_submit);

/* BUG(wq-sleep-in-atomic): RCU held for every queue. */
void wqs_ho_bq_submit_rcu(struct ho_bq *q)
{
	rcu_read_lock(); /* expected-note {{RCU read-side critical section here by 'rcu_read_lock'}} */
	ho_bq_insert(q); /* expected-warning-re {{sleeping function 'might_sleep' called in atomic context (RCU read-side critical section) through 'ho_bq_insert'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is two helpers down */
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(wqs_ho_bq_submit_rcu);

/* BUG(wq-sleep-in-atomic): a spinlock taken for the queues that have the
 * bit, the very ones whose pass sleeps. */
void wqs_ho_bq_submit_locked(struct ho_bq *q)
{
	if (test_bit(HO_BQ_BLOCKING, &q->flags)) {
		spin_lock(&q->lock); /* expected-note {{spinlock 'q->lock' taken here}} */
		ho_bq_insert(q); /* expected-warning-re {{sleeping function 'might_sleep' called in atomic context (spinlock 'q->lock' held) through 'ho_bq_insert'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is two helpers down */
		spin_unlock(&q->lock);
	}
}
EXPORT_SYMBOL_GPL(wqs_ho_bq_submit_locked);

/* ---------------------------------------------------------------------
 * FF. An object published, then set up by another file.
 */
static int ho_qcheck(struct ho_qinfo *oinfo)
{
	return oinfo->flags ? -EIO : 0;
}

/* Correct: oinfo is reachable from sb when the other file is called. */
int wqs_ho_qread(struct ho_qsb *sb)
{
	struct ho_qinfo *oinfo;
	int global_read = 0, status;

	oinfo = kzalloc(sizeof(*oinfo), GFP_KERNEL);
	if (!oinfo)
		return -ENOMEM;
	sb->priv = oinfo;
	status = wqs_ho_qglobal_read(sb);
	if (status < 0)
		goto out_err;
	global_read = 1;
	status = ho_qcheck(oinfo);
	if (status < 0)
		goto out_err;
	return 0;
out_err:
	if (global_read)
		cancel_delayed_work_sync(&oinfo->sync_work);
	sb->priv = NULL;
	kfree(oinfo);
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_qread);

/* BUG(wq-uninit): the other file is called before oinfo is published, so
 * it cannot set up the work item that the error path cancels. */
int wqs_ho_qread_early(struct ho_qsb *sb)
{
	struct ho_qinfo *oinfo;
	int status;

	oinfo = kzalloc(sizeof(*oinfo), GFP_KERNEL); /* expected-note {{'oinfo' is allocated here}} */
	if (!oinfo)
		return -ENOMEM;
	status = wqs_ho_qglobal_read(sb);
	if (status < 0)
		goto out_err;
	sb->priv = oinfo;
	status = ho_qcheck(oinfo);
	if (status < 0)
		goto out_err;
	return 0;
out_err:
	cancel_delayed_work_sync(&oinfo->sync_work); /* expected-warning-re {{'cancel_delayed_work_sync' uses work item 'oinfo->sync_work' before it is initialised{{.*}}[wq-uninit]}} */
	sb->priv = NULL;
	kfree(oinfo);
	return status;
}
EXPORT_SYMBOL_GPL(wqs_ho_qread_early);

/* ---------------------------------------------------------------------
 * GG. A shared queue flushed by another teardown function of the file.
 */
struct ho_jsuper {
	struct workqueue_struct *wq;
	struct ho_journal *journal;
};

struct ho_journal {
	struct ho_jsuper *osb;
	spinlock_t lock;
	unsigned int pending;
	struct work_struct recovery_work;
};

static void ho_complete_recovery(struct work_struct *work)
{
	struct ho_journal *j = container_of(work, struct ho_journal,
					    recovery_work);

	spin_lock(&j->lock);
	j->pending = 0;
	spin_unlock(&j->lock);
}

int wqs_ho_journal_init(struct ho_jsuper *osb)
{
	struct ho_journal *j = kzalloc(sizeof(*j), GFP_KERNEL);

	if (!j)
		return -ENOMEM;
	spin_lock_init(&j->lock);
	INIT_WORK(&j->recovery_work, ho_complete_recovery);
	j->osb = osb;
	osb->journal = j;
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_ho_journal_init);

void wqs_ho_queue_recovery(struct ho_journal *j)
{
	spin_lock(&j->lock);
	j->pending++;
	queue_work(j->osb->wq, &j->recovery_work); /* possible-note {{'j->recovery_work' is queued here}} */
	spin_unlock(&j->lock);
}
EXPORT_SYMBOL_GPL(wqs_ho_queue_recovery);

/* The caller runs this before wqs_ho_journal_shutdown(). */
void wqs_ho_recovery_exit(struct ho_jsuper *osb)
{
	if (osb->wq)
		flush_workqueue(osb->wq);
}
EXPORT_SYMBOL_GPL(wqs_ho_recovery_exit);

/* Correct when the caller flushed the queue first, as it does. */
void wqs_ho_journal_shutdown(struct ho_jsuper *osb)
{
	struct ho_journal *j = osb->journal;

	if (!j)
		return;
	/* possible-note@+1 {{reported at --level=possible only: the file flushes the queue it runs on in 'wqs_ho_recovery_exit' (flush_workqueue() waits for it)}} */
	kfree(j); /* possible-warning-re {{'kfree' frees 'j' while its work item 'j->recovery_work' (handler 'ho_complete_recovery') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	osb->journal = NULL;
}
EXPORT_SYMBOL_GPL(wqs_ho_journal_shutdown);

struct ho_jsuper2 {
	struct workqueue_struct *wq;
	struct ho_journal2 *journal;
};

struct ho_journal2 {
	struct ho_jsuper2 *osb;
	spinlock_t lock;
	unsigned int pending;
	struct work_struct recovery_work;
};

static void ho_complete_recovery2(struct work_struct *work)
{
	struct ho_journal2 *j = container_of(work, struct ho_journal2,
					     recovery_work);

	spin_lock(&j->lock);
	j->pending = 0;
	spin_unlock(&j->lock);
}

int wqs_ho_journal2_init(struct ho_jsuper2 *osb)
{
	struct ho_journal2 *j = kzalloc(sizeof(*j), GFP_KERNEL);

	if (!j)
		return -ENOMEM;
	spin_lock_init(&j->lock);
	INIT_WORK(&j->recovery_work, ho_complete_recovery2);
	j->osb = osb;
	osb->journal = j;
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_ho_journal2_init);

void wqs_ho_queue_recovery2(struct ho_journal2 *j)
{
	spin_lock(&j->lock);
	j->pending++;
	queue_work(j->osb->wq, &j->recovery_work); /* expected-note {{'j->recovery_work' is queued here, and nothing in this file waits for it before the free}} */
	spin_unlock(&j->lock);
}
EXPORT_SYMBOL_GPL(wqs_ho_queue_recovery2);

/* BUG(wq-free-before-cancel): nothing waits for the recovery work. */
void wqs_ho_journal2_shutdown(struct ho_jsuper2 *osb)
{
	struct ho_journal2 *j = osb->journal;

	if (!j)
		return;
	kfree(j); /* expected-warning-re {{'kfree' frees 'j' while its work item 'j->recovery_work' (handler 'ho_complete_recovery2') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
	osb->journal = NULL;
}
EXPORT_SYMBOL_GPL(wqs_ho_journal2_shutdown);

/* ---------------------------------------------------------------------
 * HH. Interrupts saved by local_irq_save(), restored by the unlock.
 */
struct ho_krc {
	raw_spinlock_t lock;
	void *page;
};

static DEFINE_PER_CPU(struct ho_krc, ho_krc_data) = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(ho_krc_data.lock),
};

static struct ho_krc *ho_krc_lock(unsigned long *flags)
{
	struct ho_krc *k;

	local_irq_save(*flags);
	k = this_cpu_ptr(&ho_krc_data);
	raw_spin_lock(&k->lock); /* expected-note {{spinlock 'k->lock' taken here}} */
	return k;
}

static void ho_krc_unlock(struct ho_krc *k, unsigned long flags)
{
	raw_spin_unlock_irqrestore(&k->lock, flags);
}

/* Correct: the page is allocated between the unlock and the new lock. */
void wqs_ho_krc_add(void)
{
	unsigned long flags;
	struct ho_krc *k = ho_krc_lock(&flags);

	if (!k->page) {
		ho_krc_unlock(k, flags);
		k->page = (void *)__get_free_page(GFP_KERNEL);
		k = ho_krc_lock(&flags);
	}
	ho_krc_unlock(k, flags);
}
EXPORT_SYMBOL_GPL(wqs_ho_krc_add);

/* BUG(wq-sleep-in-atomic): allocated before the unlock. */
void wqs_ho_krc_add_locked(void)
{
	unsigned long flags;
	struct ho_krc *k = ho_krc_lock(&flags);

	if (!k->page)
		k->page = (void *)__get_free_page(GFP_KERNEL); /* expected-warning-re {{sleeping function '__get_free_pages' with GFP flags that allow direct reclaim called in atomic context (spinlock 'k->lock' held){{.*}}[wq-sleep-in-atomic]}} cocci-misses: the lock is taken in a helper */
	ho_krc_unlock(k, flags);
}
EXPORT_SYMBOL_GPL(wqs_ho_krc_add_locked);

/* ---------------------------------------------------------------------
 * II. A free on the last reference.
 */
struct ho_cme {
	atomic_t refcnt;
	int cpu;
	struct work_struct stop_work;
};

static void ho_cme_stop_work(struct work_struct *work)
{
	struct ho_cme *c = container_of(work, struct ho_cme, stop_work);

	WRITE_ONCE(c->cpu, -1);
}

struct ho_cme *wqs_ho_cme_new(void)
{
	struct ho_cme *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (c) {
		atomic_set(&c->refcnt, 2);
		INIT_WORK(&c->stop_work, ho_cme_stop_work);
	}
	return c;
}
EXPORT_SYMBOL_GPL(wqs_ho_cme_new);

void wqs_ho_cme_retire(struct ho_cme *c)
{
	schedule_work(&c->stop_work); /* possible-note {{'c->stop_work' is queued here}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_cme_retire);

/* Correct when the work's side holds a reference, as the caller's does. */
void wqs_ho_cme_put(struct ho_cme *c)
{
	/* possible-warning-re@+2 {{'kfree' frees 'c' while its work item 'c->stop_work' (handler 'ho_cme_stop_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
	if (atomic_dec_and_test(&c->refcnt))
		kfree(c); /* possible-note {{reported at --level=possible only: this free runs only when 'atomic_dec_and_test' drops the last reference}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_cme_put);

struct ho_cme2 {
	int cpu;
	struct work_struct stop_work;
};

static void ho_cme2_stop_work(struct work_struct *work)
{
	struct ho_cme2 *c = container_of(work, struct ho_cme2, stop_work);

	WRITE_ONCE(c->cpu, -1);
}

struct ho_cme2 *wqs_ho_cme2_new(void)
{
	struct ho_cme2 *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (c)
		INIT_WORK(&c->stop_work, ho_cme2_stop_work);
	return c;
}
EXPORT_SYMBOL_GPL(wqs_ho_cme2_new);

void wqs_ho_cme2_retire(struct ho_cme2 *c)
{
	schedule_work(&c->stop_work); /* expected-note {{'c->stop_work' is queued here, and nothing in this file waits for it before the free}} */
}
EXPORT_SYMBOL_GPL(wqs_ho_cme2_retire);

/* BUG(wq-free-before-cancel): no reference, no wait. */
void wqs_ho_cme2_free(struct ho_cme2 *c)
{
	kfree(c); /* expected-warning-re {{'kfree' frees 'c' while its work item 'c->stop_work' (handler 'ho_cme2_stop_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in another function */
}
EXPORT_SYMBOL_GPL(wqs_ho_cme2_free);

/* ---------------------------------------------------------------------
 * JJ. A sleeping release reached only when the last reference goes.
 */
struct ho_pev {
	atomic_long_t refcount;
	struct mutex mmap_mutex;
	spinlock_t lock;
	struct ho_pev *aux;
};

static void ho_pev_free(struct ho_pev *e)
{
	mutex_lock(&e->mmap_mutex); /* expected-note {{'ho_pev_free' calls 'mutex_lock' here}} possible-note {{'ho_pev_free' calls 'mutex_lock' here}} */
	e->aux = NULL;
	mutex_unlock(&e->mmap_mutex);
	kfree(e);
}

static void ho_pev_put(struct ho_pev *e)
{
	if (!atomic_long_dec_and_test(&e->refcount))
		return;
	ho_pev_free(e); /* possible-note {{'ho_pev_put' calls 'ho_pev_free', which may sleep, here}} */
}

/* Correct: the link reference dropped here is never the last one. */
void wqs_ho_pev_detach(struct ho_pev *e)
{
	spin_lock(&e->lock); /* possible-note {{spinlock 'e->lock' taken here}} */
	if (e->aux) {
		/* possible-warning-re@+2 {{sleeping function 'mutex_lock' called in atomic context (spinlock 'e->lock' held) through 'ho_pev_put'{{.*}}[wq-sleep-in-atomic]}} */
		/* possible-note@+1 {{reported at --level=possible only: the sleep is reached only once 'atomic_long_dec_and_test' in 'ho_pev_put' drops the last reference}} */
		ho_pev_put(e->aux);
		e->aux = NULL;
	}
	spin_unlock(&e->lock);
}
EXPORT_SYMBOL_GPL(wqs_ho_pev_detach);

/* BUG(wq-sleep-in-atomic): the free itself, under the lock. */
void wqs_ho_pev_destroy_aux(struct ho_pev *e)
{
	spin_lock(&e->lock); /* expected-note {{spinlock 'e->lock' taken here}} */
	if (e->aux) {
		ho_pev_free(e->aux); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (spinlock 'e->lock' held) through 'ho_pev_free'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: the sleep is in a helper */
		e->aux = NULL;
	}
	spin_unlock(&e->lock);
}
EXPORT_SYMBOL_GPL(wqs_ho_pev_destroy_aux);

/* ---------------------------------------------------------------------
 * KK. A work handler that hands its object to another file (held-out Set
 *     O, 6.1 drivers/media/pci/saa7164/saa7164-core.c:
 *     saa7164_work_cmdhandler() -> saa7164_irq_dequeue(dev)): that call
 *     may stop what it likes, but not the handler's own item before a
 *     free elsewhere.  The teardown frees the object with nothing that
 *     waits for the item (reported); its twin cancels it first.
 */
struct ho_cmddev {
	struct work_struct workcmd;
	int irq;
	int done;
};

static void ho_cmd_work(struct work_struct *work)
{
	struct ho_cmddev *dev = container_of(work, struct ho_cmddev, workcmd);

	wqs_ho_cmd_dequeue(dev);
}

static irqreturn_t ho_cmd_irq(int irq, void *data)
{
	struct ho_cmddev *dev = data;

	schedule_work(&dev->workcmd); /* expected-note {{'dev->workcmd' is queued here, and nothing in this file waits for it before the free}} */
	return IRQ_HANDLED;
}

struct ho_cmddev *wqs_ho_cmd_new(int irq)
{
	struct ho_cmddev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	INIT_WORK(&dev->workcmd, ho_cmd_work);
	dev->irq = irq;
	if (request_irq(irq, ho_cmd_irq, 0, "wqs_ho_cmd", dev)) {
		kfree(dev);
		return NULL;
	}
	return dev;
}

/* BUG(wq-free-before-cancel): nothing waits for workcmd before the free. */
void wqs_ho_cmd_fini(struct ho_cmddev *dev)
{
	free_irq(dev->irq, dev);
	kfree(dev); /* expected-warning-re {{'kfree' frees 'dev' while its work item 'dev->workcmd' (handler 'ho_cmd_work') may still be queued or running{{.*}}nothing in this file waits for it before this free can run{{.*}}[wq-free-before-cancel]}} cocci-misses: the queue is in an IRQ handler, the free in an exported function */
}

/* Correct: the twin device cancels its item first. */
struct ho_cmddev2 {
	struct work_struct workcmd;
	int irq;
};

static void ho_cmd2_work(struct work_struct *work)
{
	struct ho_cmddev2 *dev = container_of(work, struct ho_cmddev2, workcmd);

	wqs_ho_cmd2_dequeue(dev);
}

static irqreturn_t ho_cmd2_irq(int irq, void *data)
{
	struct ho_cmddev2 *dev = data;

	schedule_work(&dev->workcmd);
	return IRQ_HANDLED;
}

struct ho_cmddev2 *wqs_ho_cmd2_new(int irq)
{
	struct ho_cmddev2 *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (!dev)
		return NULL;
	INIT_WORK(&dev->workcmd, ho_cmd2_work);
	dev->irq = irq;
	if (request_irq(irq, ho_cmd2_irq, 0, "wqs_ho_cmd2", dev)) {
		kfree(dev);
		return NULL;
	}
	return dev;
}

void wqs_ho_cmd2_fini(struct ho_cmddev2 *dev)
{
	free_irq(dev->irq, dev);
	cancel_work_sync(&dev->workcmd);
	kfree(dev);
}

/* ---------------------------------------------------------------------
 * ZZ. A work item initialised on first use behind a flag, on an object
 *     from kzalloc(): the flag reads false, so INIT_WORK() runs before the
 *     queue (6.1 drivers/scsi/scsi_debug.c schedule_resp(); the whole-tree
 *     run).  Beside it the same on kmalloc() memory, whose flag may read
 *     true: the queue can come first.
 */
struct ho_lazy {
	bool init_wq;
	struct work_struct work;
	int done;
};

static void ho_lazy_work(struct work_struct *work)
{
	struct ho_lazy *l = container_of(work, struct ho_lazy, work);

	l->done++;
}

/* Correct. */
struct ho_lazy *wqs_ho_lazy_submit(void)
{
	struct ho_lazy *l = kzalloc(sizeof(*l), GFP_ATOMIC);

	if (!l)
		return NULL;
	if (!l->init_wq) {
		l->init_wq = true;
		INIT_WORK(&l->work, ho_lazy_work);
	}
	schedule_work(&l->work);
	return l;
}
EXPORT_SYMBOL_GPL(wqs_ho_lazy_submit);

struct ho_lazy *wqs_ho_lazy_submit_raw(void)
{
	struct ho_lazy *l = kmalloc(sizeof(*l), GFP_ATOMIC); /* expected-note {{'l' is allocated here}} */

	if (!l)
		return NULL;
	if (!l->init_wq) {
		l->init_wq = true;
		INIT_WORK(&l->work, ho_lazy_work); /* expected-note {{'l->work' is initialised here, on another path than the one that reaches the use}} */
	}
	/* BUG(wq-uninit): kmalloc() memory, init_wq may read true. */
	schedule_work(&l->work); /* expected-warning-re {{'schedule_work' queues work item 'l->work' before it is initialised{{.*}}[wq-uninit]}} cocci-misses: the init is on the other branch of a flag test */
	return l;
}
EXPORT_SYMBOL_GPL(wqs_ho_lazy_submit_raw);

static int __init wqs_heldout_init(void)
{
	int err;

	ho_xcopy_wq = alloc_workqueue("wqs_ho_xcopy", WQ_MEM_RECLAIM, 0);
	if (!ho_xcopy_wq)
		return -ENOMEM;
	ho_glock_wq = alloc_workqueue("wqs_ho_glock", WQ_MEM_RECLAIM, 0);
	if (!ho_glock_wq) {
		destroy_workqueue(ho_xcopy_wq);
		return -ENOMEM;
	}
	err = ho_init_slot(&ho_slots, 1);
	if (!err)
		err = ho_init_slot(&ho_slots2, 2);
	if (!err)
		err = platform_register_drivers(ho_drivers, ARRAY_SIZE(ho_drivers));
	if (err) {
		ho_cleanup_slots();
		ho_cleanup_slots2();
		destroy_workqueue(ho_glock_wq);
		destroy_workqueue(ho_xcopy_wq);
	}
	return err;
}

static void __exit wqs_heldout_exit(void)
{
	platform_unregister_drivers(ho_drivers, ARRAY_SIZE(ho_drivers));
	ho_cleanup_slots();
	ho_cleanup_slots2();
	destroy_workqueue(ho_glock_wq);
	destroy_workqueue(ho_xcopy_wq);
}

module_init(wqs_heldout_init);
module_exit(wqs_heldout_exit);

MODULE_DESCRIPTION("wqcheck sample: held-out false positives of wq-free-before-cancel");
MODULE_LICENSE("GPL");
