// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_deadlock - waits for a work item that cannot end while the waiter
 * waits (wq-flush-deadlock), each next to the correct code it resembles:
 *
 *  A. The handler cancels its own item with the waiting cancel, directly
 *     and through a helper; next to a handler that cancels the other item
 *     of its object, and one whose helper waits only when asked (the
 *     handler asks not to: 6.1 drivers/target/sbp/sbp_target.c
 *     sbp_session_release(sess, false)).
 *  B. The handler flushes the ordered queue its item is only queued on;
 *     next to a handler that flushes another queue.
 *  C. remove() cancels the item while holding the mutex the handler
 *     takes, directly and through helpers on both sides; destroys the
 *     queue under it; next to the cancel after the unlock and a handler
 *     that takes another mutex.
 *  D. An rw_semaphore: the waiter holds it for writing while the handler
 *     reads it; next to both sides reading.
 *  E. A close helper that cancels the send and the receive item only as
 *     its flags ask (`if (rx && !closing && cancel_work_sync(..))`, 6.1
 *     fs/dlm/lowcomms.c close_connection()): the receive worker asks for
 *     the send item only (correct), the send worker for both.
 *  F. A remove helper that cancels the service item unless its mode says
 *     recovery (`if (mode != QEDE_REMOVE_RECOVERY)`, 6.1 qede_main.c
 *     __qede_remove(), called by the service item's recovery path): the
 *     recovery call (correct) and a normal-mode call from the handler.
 *  G. A reset helper that waits for the heartbeat item unless a flag bit,
 *     copied into a local, says the call comes from it (`from_hb =
 *     !!(flags & ..FROM_HB)`, 6.12 drivers/accel/habanalabs/common/
 *     device.c hl_device_reset(), which the heartbeat handler calls with
 *     that bit): the local's test is not evaluated, so the heartbeat's
 *     call is reported at --level=possible only.
 *  H. A handler that drops a reference whose last put destroys the queue
 *     the handler runs on (6.12 drivers/block/nbd.c recv_work() ->
 *     nbd_config_put() -> nbd_put() -> destroy_workqueue()): the handler
 *     may not hold the last reference, so only --level=possible.
 *  I. ndo_stop() runs with RTNL held (6.1 net/core/dev.c
 *     __dev_close_many()): it cancels a work item whose handler takes
 *     rtnl_lock() ("r8169: prevent potential deadlock in rtl8169_close",
 *     91d3d149978b); next to a cancel of an item whose handler does not.
 *     The same in an ethtool_ops callback (every one runs under RTNL).
 *  J. Correct code that resembles C and A (first 6.12 run): a helper that
 *     drops the caller's mutex around its wait (6.12 drivers/media/usb/
 *     hdpvr/hdpvr-video.c hdpvr_stop_streaming()), and a delete helper
 *     that skips the wait when it runs in the item's own handler
 *     (`if (current_work() != &..)`, 6.12 drivers/net/wwan/wwan_hwsim.c);
 *     the lock dropped two calls down (6.12 drivers/net/wireless/broadcom/
 *     b43legacy/main.c b43legacy_switch_phymode() ->
 *     b43legacy_wireless_core_stop(), the second 6.12 sample).
 *  K. Waits under a test of a flag bit (the second 6.12 sample): a deinit
 *     helper cancels two items only while a "firmware reset" bit is clear;
 *     the firmware-down handler sets the bit with test_and_set_bit()
 *     first (6.12 drivers/net/ethernet/pensando/ionic/ionic_lif.c
 *     ionic_lif_handle_fw_down() -> ionic_lif_deinit(): correct), the
 *     link handler does not (a self-wait).  A stop helper cancels the
 *     recovery item only while a "recovery" bit is clear, and every
 *     queueing of that item sets the bit first or runs under a test that
 *     it is set (6.12 drivers/net/wireless/ti/wlcore/main.c
 *     wl12xx_queue_recovery_work(), wl1271_op_resume(): --level=possible
 *     only); the watchdog item, queued with the bit clear, is reported.
 *     A restart helper holds the mutex the firmware handler takes and, on
 *     its error path, calls the deinit helper: its one caller has set the
 *     bit (6.12 ionic_restart_lif() from ionic_lif_handle_fw_up():
 *     --level=possible only); a reconfigure under the same mutex with the
 *     bit clear is reported.  The same with a `bool` field: a suspend
 *     helper cancels two items only while the firmware is marked booted;
 *     the reset handler marks it not booted first (6.12 drivers/gpu/drm/
 *     imagination/pvr_power.c pvr_power_reset(): `booted = false;
 *     pvr_power_device_suspend(..)`), the watchdog handler does not.
 *  L. A helper given a node that waits for the work item of the node's
 *     parent, an object of the same type (6.1 drivers/block/rbd.c
 *     rbd_dev_remove_parent(): `second = first->parent; ...
 *     rbd_dev_image_release(second)`, reached from the child's own work
 *     handlers; the whole-tree run): not the handler's own item; next to
 *     a helper that waits for the node's own item, called from its
 *     handler (reported).
 *  M. A self-wait under a test of a bit that a loop on the way sets
 *     (6.1 e1000_reinit_locked(), the whole-tree run): correct; beside a
 *     loop that only waits for the bit to clear (reported).
 *  N. A reset handler that unplugs the device, whose unplug helper calls
 *     the suspend path (which waits for the reset item) only when power
 *     management is not built in: `if (!IS_ENABLED(CONFIG_PM))`, dead code
 *     in kernels with CONFIG_PM=y, as Debian's (6.12 drivers/gpu/drm/
 *     panthor/panthor_device.c:92 panthor_device_unplug(), the second
 *     held-out corpus): correct; beside the same helper under
 *     `if (IS_ENABLED(CONFIG_PM))` (reported).
 *  O. A resource-control helper that waits for the idle work item only in
 *     the cases of `switch (event)` for a kickoff or a stop; the idle
 *     work's handler calls it with the enter-idle event (6.1
 *     drivers/gpu/drm/msm/disp/dpu1/dpu_encoder.c
 *     dpu_encoder_resource_control(), allmodconfig corpus): correct;
 *     beside a second handler whose event's case falls through into the
 *     stop case (reported).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/platform_device.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

struct dl_con {
	struct work_struct rwork;
	struct work_struct swork;
	bool closing;
	int nodeid;
};

struct dl_node {
	struct dl_node *parent;
	struct work_struct work;	/* L: waits for the parent's */
	struct work_struct kick_work;	/* L: waits for itself */
	int kicks;
};

struct dl_priv {
	struct mutex lock;
	struct mutex stats_lock;
	struct rw_semaphore cfg_sem;
	struct workqueue_struct *wq;
	struct workqueue_struct *aux_wq;
	struct work_struct reset_work;	/* A: cancels itself */
	struct work_struct poll_work;	/* A: cancels reset_work (correct) */
	struct delayed_work retry_work;	/* A: cancels itself via a helper */
	struct work_struct done_work;	/* A: helper waits only when asked */
	struct work_struct flush_work;	/* B: flushes its own queue */
	struct work_struct aux_work;	/* B: flushes another queue (correct) */
	struct work_struct event_work;	/* C: takes lock */
	struct work_struct stats_work;	/* C: takes stats_lock */
	struct work_struct update_work;	/* C: takes lock through a helper */
	struct work_struct cfg_work;	/* D: reads cfg_sem */
	struct dl_con con;
	struct delayed_work sp_task;	/* F */
	struct delayed_work hb_work;	/* G */
	struct work_struct stream_work;	/* J: takes lock */
	struct work_struct del_work;	/* J: current_work() */
	struct workqueue_struct *rx_wq;	/* H */
	struct work_struct rx_work;	/* H */
	refcount_t cfg_refs;		/* H */
	DECLARE_BITMAP(state, 4);	/* K: DL_F_FW_RESET */
	unsigned long flags;		/* K: DL_F_RECOVERY */
	struct work_struct fw_work;	/* K: sets the bit, then deinit */
	struct work_struct link_work;	/* K: deinit with the bit clear */
	struct work_struct rec_work;	/* K: queued with the bit set */
	struct work_struct watch_work;	/* K: queued with the bit clear */
	bool booted;			/* K */
	struct work_struct rearm_work;	/* K: the helper clears the bit itself */
	struct dl_node node;		/* L */
	struct dl_node root;		/* L: node's parent */
	struct work_struct hwreset_work;	/* K: booted = false, then suspend */
	struct work_struct wdog_work;	/* K: suspend while booted */
	int events, stats, updates, retries;
};

/* ---------------------------------------------------------------------
 * A. Waiting for the running item itself.
 */
static void dl_reset_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, reset_work);

	/* BUG(wq-flush-deadlock): waits for the item it is running. */
	cancel_work_sync(&priv->reset_work); /* expected-warning-re {{'cancel_work_sync' in 'dl_reset_work', the handler of work item 'struct dl_priv.reset_work', waits for work item 'priv->reset_work', the very item it is running{{.*}}[wq-flush-deadlock]}} */
	priv->events = 0;
}

/* Correct: another item of the same object. */
static void dl_poll_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, poll_work);

	cancel_work_sync(&priv->reset_work);
	priv->events++;
}

static void dl_retry_stop(struct dl_priv *priv)
{
	cancel_delayed_work_sync(&priv->retry_work); /* expected-note {{'dl_retry_stop' calls 'cancel_delayed_work_sync' here}} */
}

static void dl_retry_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(to_delayed_work(work),
					    struct dl_priv, retry_work);

	if (++priv->retries > 3) {
		/* BUG(wq-flush-deadlock): the helper waits for this very item. */
		dl_retry_stop(priv); /* expected-warning-re {{'cancel_delayed_work_sync' (through 'dl_retry_stop') in 'dl_retry_work', the handler of work item 'struct dl_priv.retry_work', waits for work item 'priv->retry_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
		return;
	}
	queue_delayed_work(priv->wq, &priv->retry_work, HZ);
}

static void dl_done_release(struct dl_priv *priv, bool wait)
{
	bool cancelled;

	if (wait)
		cancel_work_sync(&priv->done_work);
	/* The same as a conditional (6.1 fs/smb/client/file.c
	 * _cifsFileInfo_put(cfile, wait_oplock_handler, ..)). */
	cancelled = wait ? cancel_work_sync(&priv->done_work) : false;
	priv->events = cancelled ? 0 : priv->events;
}

/* Correct: the helper waits only when asked, and the handler does not ask. */
static void dl_done_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, done_work);

	dl_done_release(priv, false);
}

/* ---------------------------------------------------------------------
 * B. Flushing the queue the running item is on.
 */
static void dl_flush_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, flush_work);

	/* BUG(wq-flush-deadlock): flush_work runs only on priv->wq. */
	flush_workqueue(priv->wq); /* expected-warning-re {{'flush_workqueue' in 'dl_flush_work', the handler of work item 'struct dl_priv.flush_work', waits for queue 'priv->wq', the only queue work item 'struct dl_priv.flush_work' runs on{{.*}}[wq-flush-deadlock]}} */
}

/* Correct: aux_work runs on priv->aux_wq and flushes priv->wq. */
static void dl_aux_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, aux_work);

	flush_workqueue(priv->wq);
}

/* ---------------------------------------------------------------------
 * C. Waiting under a mutex the handler takes.
 */
static void dl_event_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, event_work);

	mutex_lock(&priv->lock); /* expected-note 2 {{'dl_event_work' takes it here with 'mutex_lock'}} */
	priv->events++;
	mutex_unlock(&priv->lock);
}

static void dl_stats_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, stats_work);

	mutex_lock(&priv->stats_lock);
	priv->stats++;
	mutex_unlock(&priv->stats_lock);
}

static void dl_apply_update(struct dl_priv *priv)
{
	mutex_lock(&priv->lock); /* expected-note {{'dl_apply_update' takes it here with 'mutex_lock'}} */
	priv->updates++;
	mutex_unlock(&priv->lock);
}

static void dl_update_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, update_work);

	dl_apply_update(priv); /* expected-note {{'dl_update_work' calls 'dl_apply_update', which takes it, here}} */
}

static void dl_sync_update(struct dl_priv *priv)
{
	cancel_work_sync(&priv->update_work); /* expected-note {{'dl_sync_update' calls 'cancel_work_sync' here}} */
}

/* ---------------------------------------------------------------------
 * D. An rw_semaphore.
 */
static void dl_cfg_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, cfg_work);

	down_read(&priv->cfg_sem); /* expected-note {{'dl_cfg_work' takes it here with 'down_read'}} */
	priv->stats = 0;
	up_read(&priv->cfg_sem);
}

/* ---------------------------------------------------------------------
 * E. Cancels chosen by flags.
 */
static void dl_close(struct dl_con *con, bool tx, bool rx)
{
	if (tx && !con->closing && cancel_work_sync(&con->swork)) /* expected-note {{'dl_close' calls 'cancel_work_sync' here}} */
		con->nodeid = -1;
	if (rx && !con->closing && cancel_work_sync(&con->rwork))
		con->nodeid = -1;
}

/* Correct: the receive worker cancels the send item only. */
static void dl_rwork(struct work_struct *work)
{
	struct dl_con *con = container_of(work, struct dl_con, rwork);

	dl_close(con, true, false);
}

/* BUG(wq-flush-deadlock): the send worker cancels its own item too. */
static void dl_swork(struct work_struct *work)
{
	struct dl_con *con = container_of(work, struct dl_con, swork);

	dl_close(con, true, true); /* expected-warning-re {{'cancel_work_sync' (through 'dl_close') in 'dl_swork', the handler of work item 'struct dl_priv.con.swork', waits for work item 'con->swork', the very item it is running{{.*}}[wq-flush-deadlock]}} */
}

/* ---------------------------------------------------------------------
 * F. A cancel skipped in recovery mode.
 */
enum dl_remove_mode { DL_REMOVE_NORMAL, DL_REMOVE_RECOVERY };

static void dl_remove_common(struct dl_priv *priv, enum dl_remove_mode mode)
{
	if (mode != DL_REMOVE_RECOVERY)
		cancel_delayed_work_sync(&priv->sp_task); /* expected-note {{'dl_remove_common' calls 'cancel_delayed_work_sync' here}} */
	priv->events = 0;
}

static void dl_sp_task(struct work_struct *work)
{
	struct dl_priv *priv = container_of(to_delayed_work(work),
					    struct dl_priv, sp_task);

	/* Correct: the recovery mode leaves the running item alone. */
	if (priv->events > 10)
		dl_remove_common(priv, DL_REMOVE_RECOVERY);
	/* BUG(wq-flush-deadlock): the normal mode cancels this very item. */
	if (priv->events < 0)
		dl_remove_common(priv, DL_REMOVE_NORMAL); /* expected-warning-re {{'cancel_delayed_work_sync' (through 'dl_remove_common') in 'dl_sp_task', the handler of work item 'struct dl_priv.sp_task', waits for work item 'priv->sp_task', the very item it is running{{.*}}[wq-flush-deadlock]}} */
}

/* ---------------------------------------------------------------------
 * G. A wait skipped by a flag bit the caller passes.
 */
#define DL_RESET_HARD		0x1
#define DL_RESET_FROM_HB	0x2

static void dl_reset(struct dl_priv *priv, u32 flags)
{
	bool from_hb = !!(flags & DL_RESET_FROM_HB);

	if (!from_hb)
		cancel_delayed_work_sync(&priv->hb_work); /* possible-note {{'dl_reset' calls 'cancel_delayed_work_sync' here}} */
	priv->events = 0;
}

static void dl_hb_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(to_delayed_work(work),
					    struct dl_priv, hb_work);

	/* Correct: the flags say the call comes from the heartbeat item. */
	if (priv->events > 100)
		dl_reset(priv, DL_RESET_HARD | DL_RESET_FROM_HB); /* possible-warning-re {{'cancel_delayed_work_sync' (through 'dl_reset') in 'dl_hb_work', the handler of work item 'struct dl_priv.hb_work', waits for work item 'priv->hb_work', the very item it is running{{.*}}[wq-flush-deadlock]}} possible-note {{reported at --level=possible only: the wait runs only when a test in 'dl_reset'}} cocci-misses: the wait is in a helper */
	queue_delayed_work(priv->aux_wq, &priv->hb_work, HZ);
	queue_work(priv->aux_wq, &priv->stream_work);
	queue_work(priv->aux_wq, &priv->del_work);
	queue_work(priv->rx_wq, &priv->rx_work); /* possible-note {{'struct dl_priv.rx_work' is queued on that queue here}} */
}

/* ---------------------------------------------------------------------
 * H. A wait on the release path of a reference the handler drops.
 */
static void dl_cfg_put(struct dl_priv *priv)
{
	if (refcount_dec_and_test(&priv->cfg_refs))
		destroy_workqueue(priv->rx_wq); /* possible-note {{'dl_cfg_put' calls 'destroy_workqueue' here}} */
}

static void dl_rx_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, rx_work);

	priv->events++;
	dl_cfg_put(priv); /* possible-warning-re {{'destroy_workqueue' (through 'dl_cfg_put') in 'dl_rx_work', the handler of work item 'struct dl_priv.rx_work', waits for queue 'priv->rx_wq', the only queue work item 'struct dl_priv.rx_work' runs on{{.*}}[wq-flush-deadlock]}} possible-note {{reported at --level=possible only: the wait runs only once 'refcount_dec_and_test' in 'dl_cfg_put'}} cocci-misses: the wait is in a helper */
}

/* ---------------------------------------------------------------------
 * J. Correct: the lock dropped around the wait; a current_work() test.
 */
static void dl_stream_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, stream_work);

	mutex_lock(&priv->lock);
	priv->events++;
	mutex_unlock(&priv->lock);
}

static void dl_stop_streaming(struct dl_priv *priv)
{
	mutex_unlock(&priv->lock);
	flush_work(&priv->stream_work);
	mutex_lock(&priv->lock);
}

static void dl_release(struct dl_priv *priv)
{
	mutex_lock(&priv->lock);
	dl_stop_streaming(priv);
	mutex_unlock(&priv->lock);
}

static void dl_switch_mode(struct dl_priv *priv)
{
	dl_stop_streaming(priv);
	priv->events = 1;
}

static void dl_config(struct dl_priv *priv)
{
	mutex_lock(&priv->lock);
	dl_switch_mode(priv);
	mutex_unlock(&priv->lock);
}

static void dl_del(struct dl_priv *priv)
{
	if (current_work() != &priv->del_work)
		cancel_work_sync(&priv->del_work);
	priv->events = 0;
}

static void dl_del_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, del_work);

	dl_del(priv);
}

/* ---------------------------------------------------------------------
 * I. A wait in a callback the kernel calls under RTNL.
 */
static struct dl_net {
	const struct net_device_ops *ops;
	const struct ethtool_ops *eops;
	struct work_struct reset_task;	/* takes RTNL */
	struct work_struct stats_task;	/* does not */
	int resets;
} dl_net_state;

static void dl_net_reset(struct work_struct *work)
{
	rtnl_lock(); /* expected-note 2 {{'dl_net_reset' takes it here with 'rtnl_lock'}} */
	dl_net_state.resets++;
	rtnl_unlock();
}

static void dl_net_stats(struct work_struct *work)
{
	dl_net_state.resets = 0;
}

static int dl_net_open(struct net_device *ndev)
{
	return 0;
}

static int dl_net_stop(struct net_device *ndev) /* expected-note {{'dl_net_stop' is the net_device_ops.ndo_stop callback, which the kernel calls with 'rtnl_mutex' held}} */
{
	/* BUG(wq-flush-deadlock): RTNL is held here and reset_task takes it. */
	cancel_work_sync(&dl_net_state.reset_task); /* expected-warning-re {{'cancel_work_sync' waits for work item 'dl_net_state.reset_task' while 'rtnl_mutex' is held, and the handler 'dl_net_reset' takes the same lock{{.*}}[wq-flush-deadlock]}} cocci-misses: the lock is the caller's */
	/* Correct: stats_task does not take RTNL. */
	cancel_work_sync(&dl_net_state.stats_task);
	return 0;
}

static const struct net_device_ops dl_netdev_ops = {
	.ndo_open = dl_net_open,
	.ndo_stop = dl_net_stop,
};

/* Every ethtool_ops callback runs under RTNL too (6.1 net/ethtool/ioctl.c
 * dev_ethtool()). */
static int dl_set_channels(struct net_device *ndev, struct ethtool_channels *ch) /* expected-note {{'dl_set_channels' is the ethtool_ops.set_channels callback, which the kernel calls with 'rtnl_mutex' held}} */
{
	/* BUG(wq-flush-deadlock): RTNL is held here and reset_task takes it. */
	flush_work(&dl_net_state.reset_task); /* expected-warning-re {{'flush_work' waits for work item 'dl_net_state.reset_task' while 'rtnl_mutex' is held, and the handler 'dl_net_reset' takes the same lock{{.*}}[wq-flush-deadlock]}} cocci-misses: the lock is the caller's */
	/* Correct: stats_task does not take RTNL. */
	flush_work(&dl_net_state.stats_task);
	return 0;
}

static const struct ethtool_ops dl_ethtool_ops = {
	.set_channels = dl_set_channels,
};

/* ---------------------------------------------------------------------
 * K. Waits under a test of a flag bit.
 */
#define DL_F_FW_RESET	1
#define DL_F_RECOVERY	2

static void dl_lif_deinit(struct dl_priv *priv)
{
	priv->events = 0;
	if (!test_bit(DL_F_FW_RESET, priv->state)) {
		cancel_work_sync(&priv->fw_work); /* expected-note {{'dl_lif_deinit' calls 'cancel_work_sync' here}} possible-note {{'dl_lif_deinit' calls 'cancel_work_sync' here}} */
		cancel_work_sync(&priv->link_work); /* expected-note {{'dl_lif_deinit' calls 'cancel_work_sync' here}} */
	}
}

static void dl_fw_down(struct dl_priv *priv)
{
	if (test_and_set_bit(DL_F_FW_RESET, priv->state))
		return;
	mutex_lock(&priv->stats_lock);
	dl_lif_deinit(priv);
	mutex_unlock(&priv->stats_lock);
}

/* Called only once the bit is set (6.12 ionic_restart_lif()). */
static int dl_restart(struct dl_priv *priv)
{
	int err = -EIO;

	mutex_lock(&priv->stats_lock); /* expected-note {{'dl_restart' takes it here with 'mutex_lock'}} possible-note {{'dl_restart' takes it here with 'mutex_lock'}} possible-note {{'priv->stats_lock' taken here}} */
	if (priv->events > 10)
		goto err_deinit;
	mutex_unlock(&priv->stats_lock);
	return 0;

err_deinit:
	/* Only possible: the one caller has set the bit, which the helper
	 * tests. */
	dl_lif_deinit(priv); /* possible-warning-re {{'cancel_work_sync' (through 'dl_lif_deinit') waits for work item 'priv->fw_work' while 'priv->stats_lock' is held, and the handler 'dl_fw_work' takes the same lock{{.*}}[wq-flush-deadlock]}} possible-note {{reported at --level=possible only: the wait runs only while the flag bit tested at line 510 is clear, and it is set at every call of 'dl_restart' in this file (line 548)}} cocci-misses: the wait is in a helper */
	mutex_unlock(&priv->stats_lock);
	return err;
}

static void dl_fw_up(struct dl_priv *priv)
{
	if (!test_bit(DL_F_FW_RESET, priv->state))
		return;
	dl_restart(priv); /* expected-note {{'dl_fw_up' calls 'dl_restart', which takes it, here}} possible-note {{'dl_fw_up' calls 'dl_restart', which takes it, here}} possible-note {{'dl_restart' is called here with the flag bit set}} */
	clear_bit(DL_F_FW_RESET, priv->state);
}

/* BUG(wq-flush-deadlock): the bit is clear here. */
static void dl_reconfig(struct dl_priv *priv)
{
	mutex_lock(&priv->stats_lock); /* expected-note {{'priv->stats_lock' taken here}} */
	dl_lif_deinit(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_lif_deinit') waits for work item 'priv->fw_work' while 'priv->stats_lock' is held, and the handler 'dl_fw_work' takes the same lock{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
	mutex_unlock(&priv->stats_lock);
}

/* Correct: the bit is set on the way to the cancels. */
static void dl_fw_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, fw_work);

	dl_fw_down(priv);
	dl_fw_up(priv); /* expected-note {{'dl_fw_work' calls 'dl_fw_up', which takes it, here}} possible-note {{'dl_fw_work' calls 'dl_fw_up', which takes it, here}} */
}

static void dl_link_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, link_work);

	/* BUG(wq-flush-deadlock): nothing sets the bit: the helper waits. */
	dl_lif_deinit(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_lif_deinit') in 'dl_link_work', the handler of work item 'struct dl_priv.link_work', waits for work item 'priv->link_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

/* The helper clears the bit before its test: the caller's value does not
 * matter. */
static void dl_rearm(struct dl_priv *priv)
{
	clear_bit(DL_F_FW_RESET, priv->state);
	if (!test_bit(DL_F_FW_RESET, priv->state))
		cancel_work_sync(&priv->rearm_work); /* expected-note {{'dl_rearm' calls 'cancel_work_sync' here}} */
}

static void dl_rearm_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, rearm_work);

	set_bit(DL_F_FW_RESET, priv->state);
	/* BUG(wq-flush-deadlock): dl_rearm() clears the bit, then waits. */
	dl_rearm(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_rearm') in 'dl_rearm_work', the handler of work item 'struct dl_priv.rearm_work', waits for work item 'priv->rearm_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

/* ---------------------------------------------------------------------
 * L. A helper that waits for another object's item of the same type.
 */
static void dl_node_release_parent(struct dl_node *node)
{
	struct dl_node *first = node;
	struct dl_node *second = first->parent;

	if (second) {
		cancel_work_sync(&second->work);
		first->parent = NULL;
	}
}

static void dl_node_work(struct work_struct *work)
{
	struct dl_node *node = container_of(work, struct dl_node, work);

	/* Correct: the helper waits for the parent's item. */
	dl_node_release_parent(node);
}

static void dl_node_stop(struct dl_node *node)
{
	cancel_work_sync(&node->kick_work); /* expected-note {{'dl_node_stop' calls 'cancel_work_sync' here}} */
}

static void dl_node_kick_work(struct work_struct *work)
{
	struct dl_node *node = container_of(work, struct dl_node, kick_work);

	/* BUG(wq-flush-deadlock): the helper waits for this very item. */
	if (++node->kicks > 3)
		dl_node_stop(node); /* expected-warning-re {{'cancel_work_sync' (through 'dl_node_stop') in 'dl_node_kick_work', the handler of work item 'struct dl_priv.node.kick_work', waits for work item 'node->kick_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

static void dl_suspend_hw(struct dl_priv *priv)
{
	if (priv->booted) {
		cancel_work_sync(&priv->hwreset_work);
		cancel_work_sync(&priv->wdog_work); /* expected-note {{'dl_suspend_hw' calls 'cancel_work_sync' here}} */
	}
}

/* Correct: the field is false on the way to the cancels. */
static void dl_hwreset_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, hwreset_work);

	priv->booted = false;
	dl_suspend_hw(priv);
	priv->booted = true;
}

static void dl_wdog_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, wdog_work);

	/* BUG(wq-flush-deadlock): the firmware is still marked booted. */
	dl_suspend_hw(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_suspend_hw') in 'dl_wdog_work', the handler of work item 'struct dl_priv.wdog_work', waits for work item 'priv->wdog_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

static void dl_stop_locked(struct dl_priv *priv)
{
	if (!test_bit(DL_F_RECOVERY, &priv->flags)) {
		cancel_work_sync(&priv->rec_work); /* possible-note {{'dl_stop_locked' calls 'cancel_work_sync' here}} */
		cancel_work_sync(&priv->watch_work); /* expected-note {{'dl_stop_locked' calls 'cancel_work_sync' here}} */
	}
}

static void dl_queue_recovery(struct dl_priv *priv)
{
	if (priv->events > 1) {
		set_bit(DL_F_RECOVERY, &priv->flags);
		queue_work(priv->aux_wq, &priv->rec_work); /* possible-note {{'struct dl_priv.rec_work' is queued here with the flag bit set}} */
	}
}

static void dl_resume_recovery(struct dl_priv *priv)
{
	bool pending = test_bit(DL_F_RECOVERY, &priv->flags);

	if (pending)
		queue_work(priv->aux_wq, &priv->rec_work);
}

static void dl_rec_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, rec_work);

	/* Only possible: every queueing set the bit, which the handler
	 * clears after the stop. */
	dl_stop_locked(priv); /* possible-warning-re {{'cancel_work_sync' (through 'dl_stop_locked') in 'dl_rec_work', the handler of work item 'struct dl_priv.rec_work', waits for work item 'priv->rec_work', the very item it is running{{.*}}[wq-flush-deadlock]}} possible-note {{reported at --level=possible only: the wait runs only while the flag bit tested at line 659 is clear, and it is set at every queueing of 'struct dl_priv.rec_work' in this file (line 669)}} cocci-misses: the wait is in a helper */
	clear_bit(DL_F_RECOVERY, &priv->flags);
}

static void dl_watch_work(struct work_struct *work)
{
	struct dl_priv *priv = container_of(work, struct dl_priv, watch_work);

	/* BUG(wq-flush-deadlock): queued with the bit clear. */
	dl_stop_locked(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_stop_locked') in 'dl_watch_work', the handler of work item 'struct dl_priv.watch_work', waits for work item 'priv->watch_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

static int dl_probe(struct platform_device *pdev)
{
	struct dl_priv *priv;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	mutex_init(&priv->lock);
	mutex_init(&priv->stats_lock);
	init_rwsem(&priv->cfg_sem);
	priv->wq = alloc_ordered_workqueue("wqs_deadlock", 0);
	if (!priv->wq)
		return -ENOMEM;
	priv->aux_wq = alloc_workqueue("wqs_deadlock_aux", 0, 0);
	if (!priv->aux_wq) {
		destroy_workqueue(priv->wq);
		return -ENOMEM;
	}
	priv->rx_wq = alloc_workqueue("wqs_deadlock_rx", WQ_UNBOUND, 0);
	if (!priv->rx_wq) {
		destroy_workqueue(priv->aux_wq);
		destroy_workqueue(priv->wq);
		return -ENOMEM;
	}
	refcount_set(&priv->cfg_refs, 2);
	INIT_WORK(&priv->reset_work, dl_reset_work); /* expected-note {{'dl_reset_work' is set up as the handler of 'struct dl_priv.reset_work' here}} */
	INIT_WORK(&priv->poll_work, dl_poll_work);
	INIT_DELAYED_WORK(&priv->retry_work, dl_retry_work); /* expected-note {{'dl_retry_work' is set up as the handler of 'struct dl_priv.retry_work' here}} */
	INIT_WORK(&priv->done_work, dl_done_work);
	INIT_WORK(&priv->flush_work, dl_flush_work); /* expected-note {{'dl_flush_work' is set up as the handler of 'struct dl_priv.flush_work' here}} */
	INIT_WORK(&priv->aux_work, dl_aux_work);
	INIT_WORK(&priv->event_work, dl_event_work);
	INIT_WORK(&priv->stats_work, dl_stats_work);
	INIT_WORK(&priv->update_work, dl_update_work);
	INIT_WORK(&priv->cfg_work, dl_cfg_work);
	INIT_DELAYED_WORK(&priv->sp_task, dl_sp_task); /* expected-note {{'dl_sp_task' is set up as the handler of 'struct dl_priv.sp_task' here}} */
	INIT_WORK(&priv->stream_work, dl_stream_work);
	INIT_WORK(&priv->del_work, dl_del_work);
	INIT_WORK(&priv->rx_work, dl_rx_work); /* possible-note {{'dl_rx_work' is set up as the handler of 'struct dl_priv.rx_work' here}} */
	INIT_DELAYED_WORK(&priv->hb_work, dl_hb_work); /* possible-note {{'dl_hb_work' is set up as the handler of 'struct dl_priv.hb_work' here}} */
	INIT_WORK(&priv->con.rwork, dl_rwork);
	INIT_WORK(&priv->con.swork, dl_swork); /* expected-note {{'dl_swork' is set up as the handler of 'struct dl_priv.con.swork' here}} */
	INIT_WORK(&priv->fw_work, dl_fw_work);
	INIT_WORK(&priv->link_work, dl_link_work); /* expected-note {{'dl_link_work' is set up as the handler of 'struct dl_priv.link_work' here}} */
	INIT_WORK(&priv->rec_work, dl_rec_work); /* possible-note {{'dl_rec_work' is set up as the handler of 'struct dl_priv.rec_work' here}} */
	INIT_WORK(&priv->watch_work, dl_watch_work); /* expected-note {{'dl_watch_work' is set up as the handler of 'struct dl_priv.watch_work' here}} */
	INIT_WORK(&priv->hwreset_work, dl_hwreset_work);
	INIT_WORK(&priv->node.work, dl_node_work);
	INIT_WORK(&priv->node.kick_work, dl_node_kick_work); /* expected-note {{'dl_node_kick_work' is set up as the handler of 'struct dl_priv.node.kick_work' here}} */
	INIT_WORK(&priv->root.work, dl_node_work);
	INIT_WORK(&priv->root.kick_work, dl_node_kick_work);
	priv->node.parent = &priv->root;
	INIT_WORK(&priv->rearm_work, dl_rearm_work); /* expected-note {{'dl_rearm_work' is set up as the handler of 'struct dl_priv.rearm_work' here}} */
	INIT_WORK(&priv->wdog_work, dl_wdog_work); /* expected-note {{'dl_wdog_work' is set up as the handler of 'struct dl_priv.wdog_work' here}} */
	platform_set_drvdata(pdev, priv);
	dl_net_state.ops = &dl_netdev_ops;
	dl_net_state.eops = &dl_ethtool_ops;
	INIT_WORK(&dl_net_state.reset_task, dl_net_reset);
	INIT_WORK(&dl_net_state.stats_task, dl_net_stats);
	schedule_work(&dl_net_state.reset_task);
	schedule_work(&dl_net_state.stats_task);

	queue_work(priv->wq, &priv->reset_work);
	queue_work(priv->wq, &priv->poll_work);
	queue_delayed_work(priv->wq, &priv->retry_work, HZ);
	queue_work(priv->wq, &priv->done_work);
	queue_work(priv->wq, &priv->flush_work); /* expected-note {{'struct dl_priv.flush_work' is queued on that queue here}} */
	queue_work(priv->aux_wq, &priv->aux_work);
	queue_work(priv->wq, &priv->event_work);
	queue_work(priv->wq, &priv->stats_work);
	queue_work(priv->wq, &priv->update_work);
	queue_work(priv->wq, &priv->cfg_work);
	queue_delayed_work(priv->aux_wq, &priv->sp_task, HZ);
	queue_delayed_work(priv->aux_wq, &priv->hb_work, HZ);
	queue_work(priv->aux_wq, &priv->fw_work);
	queue_work(priv->aux_wq, &priv->link_work);
	queue_work(priv->aux_wq, &priv->watch_work);
	queue_work(priv->aux_wq, &priv->hwreset_work);
	queue_work(priv->aux_wq, &priv->rearm_work);
	queue_work(priv->aux_wq, &priv->node.work);
	queue_work(priv->aux_wq, &priv->node.kick_work);
	queue_work(priv->aux_wq, &priv->wdog_work);
	dl_queue_recovery(priv);
	dl_resume_recovery(priv);
	queue_work(priv->aux_wq, &priv->con.rwork);
	queue_work(priv->aux_wq, &priv->con.swork);
	return 0;
}

/* BUG(wq-flush-deadlock): C and D, waits under locks the handlers take. */
static void dl_remove(struct platform_device *pdev)
{
	struct dl_priv *priv = platform_get_drvdata(pdev);

	mutex_lock(&priv->lock); /* expected-note 3 {{'priv->lock' taken here}} */
	cancel_work_sync(&priv->event_work); /* expected-warning-re {{'cancel_work_sync' waits for work item 'priv->event_work' while 'priv->lock' is held, and the handler 'dl_event_work' takes the same lock{{.*}}[wq-flush-deadlock]}} */
	dl_sync_update(priv); /* expected-warning-re {{'cancel_work_sync' (through 'dl_sync_update') waits for work item 'priv->update_work' while 'priv->lock' is held, and the handler 'dl_update_work' takes the same lock{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait and the lock are in helpers */
	/* Correct: stats_work takes stats_lock, not lock. */
	cancel_work_sync(&priv->stats_work);
	destroy_workqueue(priv->wq); /* expected-warning-re {{'destroy_workqueue' waits for queue 'priv->wq' (which runs 'struct dl_priv.event_work') while 'priv->lock' is held, and the handler 'dl_event_work' takes the same lock{{.*}}[wq-flush-deadlock]}} cocci-misses: the queue's items are known from another function */
	mutex_unlock(&priv->lock);

	/* Correct: both sides read. */
	down_read(&priv->cfg_sem);
	flush_work(&priv->cfg_work);
	up_read(&priv->cfg_sem);
	down_write(&priv->cfg_sem); /* expected-note {{'priv->cfg_sem' taken here}} */
	flush_work(&priv->cfg_work); /* expected-warning-re {{'flush_work' waits for work item 'priv->cfg_work' while 'priv->cfg_sem' is held, and the handler 'dl_cfg_work' takes the same lock{{.*}}[wq-flush-deadlock]}} */
	up_write(&priv->cfg_sem);

	/* Correct: the cancels after the unlock. */
	cancel_work_sync(&priv->reset_work);
	cancel_work_sync(&priv->poll_work);
	cancel_delayed_work_sync(&priv->retry_work);
	cancel_work_sync(&priv->done_work);
	cancel_work_sync(&priv->flush_work);
	cancel_work_sync(&priv->aux_work);
	cancel_delayed_work_sync(&priv->sp_task);
	cancel_delayed_work_sync(&priv->hb_work);
	cancel_work_sync(&priv->rx_work);
	dl_cfg_put(priv);
	dl_release(priv);
	dl_config(priv);
	dl_del(priv);
	cancel_work_sync(&dl_net_state.reset_task);
	cancel_work_sync(&dl_net_state.stats_task);
	cancel_work_sync(&priv->con.rwork);
	cancel_work_sync(&priv->con.swork);
	dl_reconfig(priv);
	cancel_work_sync(&priv->fw_work);
	cancel_work_sync(&priv->link_work);
	cancel_work_sync(&priv->rec_work);
	cancel_work_sync(&priv->watch_work);
	cancel_work_sync(&priv->hwreset_work);
	cancel_work_sync(&priv->wdog_work);
	cancel_work_sync(&priv->rearm_work);
	cancel_work_sync(&priv->node.work);
	cancel_work_sync(&priv->node.kick_work);
	cancel_work_sync(&priv->root.work);
	cancel_work_sync(&priv->root.kick_work);
	destroy_workqueue(priv->aux_wq);
}

/* ---------------------------------------------------------------------
 * M. A reset handler that waits for its own item only while a
 * "resetting" bit is clear, after a loop that sets the bit (6.1
 * drivers/net/ethernet/intel/e1000/e1000_main.c e1000_reinit_locked():
 * `while (test_and_set_bit(__E1000_RESETTING, ..)) msleep(1);`, then
 * e1000_down() -> e1000_down_and_stop() cancels reset_task only while the
 * bit is clear; the whole-tree run): correct.  Beside it, a handler whose
 * loop only waits for the bit to clear: the wait then runs.
 */
#define DL_RST_RESETTING 0

struct dl_rst {
	unsigned long flags;
	struct work_struct reset_task;
	struct work_struct reset2_task;
};

void dl_rst_setup(struct dl_rst *r);
void dl_rst_teardown(struct dl_rst *r);

static void dl_rst_down(struct dl_rst *r)
{
	if (!test_bit(DL_RST_RESETTING, &r->flags))
		cancel_work_sync(&r->reset_task);
}

static void dl_rst_reinit(struct dl_rst *r)
{
	while (test_and_set_bit(DL_RST_RESETTING, &r->flags))
		cpu_relax();
	dl_rst_down(r);
	clear_bit(DL_RST_RESETTING, &r->flags);
}

/* Correct: the bit is set on the way to the cancel. */
static void dl_rst_work(struct work_struct *work)
{
	struct dl_rst *r = container_of(work, struct dl_rst, reset_task);

	dl_rst_reinit(r);
}

static void dl_rst_down2(struct dl_rst *r)
{
	if (!test_bit(DL_RST_RESETTING, &r->flags))
		cancel_work_sync(&r->reset2_task); /* expected-note {{'dl_rst_down2' calls 'cancel_work_sync' here}} */
}

static void dl_rst_work2(struct work_struct *work)
{
	struct dl_rst *r = container_of(work, struct dl_rst, reset2_task);

	while (test_bit(DL_RST_RESETTING, &r->flags))
		cpu_relax();
	/* BUG(wq-flush-deadlock): the loop leaves the bit clear. */
	dl_rst_down2(r); /* expected-warning-re {{'cancel_work_sync' (through 'dl_rst_down2') in 'dl_rst_work2', the handler of work item 'struct dl_rst.reset2_task', waits for work item 'r->reset2_task', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

void dl_rst_setup(struct dl_rst *r)
{
	INIT_WORK(&r->reset_task, dl_rst_work);
	INIT_WORK(&r->reset2_task, dl_rst_work2); /* expected-note {{'dl_rst_work2' is set up as the handler of 'struct dl_rst.reset2_task' here}} */
	schedule_work(&r->reset_task);
	schedule_work(&r->reset2_task);
}
EXPORT_SYMBOL_GPL(dl_rst_setup);

void dl_rst_teardown(struct dl_rst *r)
{
	cancel_work_sync(&r->reset_task);
	cancel_work_sync(&r->reset2_task);
}
EXPORT_SYMBOL_GPL(dl_rst_teardown);

/* ---------------------------------------------------------------------
 * N. A suspend path reached only when power management is compiled out.
 */
struct dl_gpu {
	bool unplugged;
	struct work_struct reset_work;
	struct work_struct reset2_work;
};

void dl_gpu_setup(struct dl_gpu *g);
void dl_gpu_teardown(struct dl_gpu *g);

static void dl_gpu_suspend(struct dl_gpu *g)
{
	cancel_work_sync(&g->reset_work);
}

static void dl_gpu_unplug(struct dl_gpu *g)
{
	g->unplugged = true;
	/* Without runtime PM nobody else suspends the GPU. */
	if (!IS_ENABLED(CONFIG_PM))
		dl_gpu_suspend(g);
}

/* Correct: CONFIG_PM=y, so the unplug never reaches the suspend. */
static void dl_gpu_reset_work(struct work_struct *work)
{
	struct dl_gpu *g = container_of(work, struct dl_gpu, reset_work);

	dl_gpu_unplug(g);
}

static void dl_gpu_suspend2(struct dl_gpu *g)
{
	cancel_work_sync(&g->reset2_work); /* expected-note {{'dl_gpu_suspend2' calls 'cancel_work_sync' here}} */
}

static void dl_gpu_unplug2(struct dl_gpu *g)
{
	g->unplugged = true;
	if (IS_ENABLED(CONFIG_PM))
		dl_gpu_suspend2(g); /* expected-note {{'dl_gpu_unplug2' calls 'dl_gpu_suspend2', which waits, here}} */
}

static void dl_gpu_reset2_work(struct work_struct *work)
{
	struct dl_gpu *g = container_of(work, struct dl_gpu, reset2_work);

	/* BUG(wq-flush-deadlock): with CONFIG_PM=y the unplug waits for this item. */
	dl_gpu_unplug2(g); /* expected-warning-re {{'cancel_work_sync' (through 'dl_gpu_unplug2') in 'dl_gpu_reset2_work', the handler of work item 'struct dl_gpu.reset2_work', waits for work item 'g->reset2_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

void dl_gpu_setup(struct dl_gpu *g)
{
	INIT_WORK(&g->reset_work, dl_gpu_reset_work);
	INIT_WORK(&g->reset2_work, dl_gpu_reset2_work); /* expected-note {{'dl_gpu_reset2_work' is set up as the handler of 'struct dl_gpu.reset2_work' here}} */
	schedule_work(&g->reset_work);
	schedule_work(&g->reset2_work);
}
EXPORT_SYMBOL_GPL(dl_gpu_setup);

void dl_gpu_teardown(struct dl_gpu *g)
{
	cancel_work_sync(&g->reset_work);
	cancel_work_sync(&g->reset2_work);
}
EXPORT_SYMBOL_GPL(dl_gpu_teardown);

/* ---------------------------------------------------------------------
 * O. Waits in some cases of a switch on the caller's event.
 */
enum dl_rc_event {
	DL_RC_KICKOFF = 1,
	DL_RC_PREPARE_STOP,
	DL_RC_STOP,
	DL_RC_ENTER_IDLE,
};

struct dl_enc {
	int state;
	struct delayed_work off_work;
	struct delayed_work off2_work;
};

void dl_enc_setup(struct dl_enc *e);
void dl_enc_teardown(struct dl_enc *e);

static void dl_enc_control(struct dl_enc *e, enum dl_rc_event event)
{
	switch (event) {
	case DL_RC_KICKOFF:
		cancel_delayed_work_sync(&e->off_work);
		e->state = 1;
		break;
	case DL_RC_PREPARE_STOP:
		e->state = 2;
		fallthrough;
	case DL_RC_STOP:
		cancel_delayed_work_sync(&e->off2_work); /* expected-note {{'dl_enc_control' calls 'cancel_delayed_work_sync' here}} */
		break;
	case DL_RC_ENTER_IDLE:
		e->state = 0;
		break;
	}
}

/* Correct: the enter-idle case does not wait. */
static void dl_enc_off_work(struct work_struct *work)
{
	struct dl_enc *e = container_of(to_delayed_work(work), struct dl_enc,
					off_work);

	dl_enc_control(e, DL_RC_ENTER_IDLE);
}

static void dl_enc_off2_work(struct work_struct *work)
{
	struct dl_enc *e = container_of(to_delayed_work(work), struct dl_enc,
					off2_work);

	/* BUG(wq-flush-deadlock): the prepare-stop case falls into the wait. */
	dl_enc_control(e, DL_RC_PREPARE_STOP); /* expected-warning-re {{'cancel_delayed_work_sync' (through 'dl_enc_control') in 'dl_enc_off2_work', the handler of work item 'struct dl_enc.off2_work', waits for work item 'e->off2_work', the very item it is running{{.*}}[wq-flush-deadlock]}} cocci-misses: the wait is in a helper */
}

void dl_enc_setup(struct dl_enc *e)
{
	INIT_DELAYED_WORK(&e->off_work, dl_enc_off_work);
	INIT_DELAYED_WORK(&e->off2_work, dl_enc_off2_work); /* expected-note {{'dl_enc_off2_work' is set up as the handler of 'struct dl_enc.off2_work' here}} */
	schedule_delayed_work(&e->off_work, HZ);
	schedule_delayed_work(&e->off2_work, HZ);
}
EXPORT_SYMBOL_GPL(dl_enc_setup);

void dl_enc_teardown(struct dl_enc *e)
{
	dl_enc_control(e, DL_RC_KICKOFF);
	dl_enc_control(e, DL_RC_STOP);
}
EXPORT_SYMBOL_GPL(dl_enc_teardown);

static struct platform_driver dl_driver = {
	.probe = dl_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = dl_remove,
#else
	.remove_new = dl_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = { .name = "wqs_deadlock" },
};
module_platform_driver(dl_driver);

MODULE_DESCRIPTION("wqcheck sample: waits that cannot end (wq-flush-deadlock)");
MODULE_LICENSE("GPL");
