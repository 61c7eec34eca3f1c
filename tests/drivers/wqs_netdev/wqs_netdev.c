// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_netdev - virtual loopback Ethernet device
 *
 * Frames handed to ndo_start_xmit are queued on a software TX ring and
 * "completed" by a tasklet that loops them back into the stack.  Link
 * state, TX-timeout recovery and periodic statistics are handled by work
 * items that live in the netdev_priv() area.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define WQS_NET_TXQ_LEN		64
#define WQS_NET_BUDGET		16
#define WQS_NET_DROP_LOG_MAX	128
#define WQS_NET_STATS_INTERVAL	(2 * HZ)

struct wqs_net_drop {
	struct list_head node;
	unsigned int len;
};

struct wqs_net_priv {
	struct net_device *ndev;
	spinlock_t lock;		/* protects txq and the drop log */
	struct sk_buff_head txq;
	struct list_head drops;
	unsigned int nr_drops;
	struct tasklet_struct tx_tasklet;
	struct mutex cfg_mutex;		/* protects coalesce */
	unsigned int coalesce;
	struct workqueue_struct *wq;	/* ordered queue for resets */
	struct work_struct reset_work;
	struct delayed_work link_work;
	struct delayed_work stats_work;
};

static struct net_device *wqs_net_dev;

/* Caller holds priv->lock. */
static void wqs_net_log_drop(struct wqs_net_priv *priv, unsigned int len,
			     gfp_t gfp)
{
	struct wqs_net_drop *d;

	if (priv->nr_drops >= WQS_NET_DROP_LOG_MAX)
		return;
	d = kzalloc(sizeof(*d), gfp); /* expected-note {{'wqs_net_log_drop' calls 'kzalloc' here}} */
	if (!d)
		return;
	d->len = len;
	list_add_tail(&d->node, &priv->drops);
	priv->nr_drops++;
}

static void wqs_net_free_drops(struct wqs_net_priv *priv)
{
	struct wqs_net_drop *d, *tmp;

	list_for_each_entry_safe(d, tmp, &priv->drops, node) {
		list_del(&d->node);
		kfree(d);
	}
}

static void wqs_net_update_coalesce(struct wqs_net_priv *priv,
				    unsigned int backlog)
{
	mutex_lock(&priv->cfg_mutex); /* expected-note {{'wqs_net_update_coalesce' calls 'mutex_lock' here}} */
	priv->coalesce = clamp_t(unsigned int, backlog, 1, WQS_NET_BUDGET);
	mutex_unlock(&priv->cfg_mutex);
}

static void wqs_net_tx_tasklet(struct tasklet_struct *t)
{
	struct wqs_net_priv *priv = from_tasklet(priv, t, tx_tasklet);
	struct net_device *ndev = priv->ndev;
	unsigned int done = 0, backlog, len;
	struct sk_buff *skb;

	while (done < WQS_NET_BUDGET) {
		spin_lock(&priv->lock);
		skb = __skb_dequeue(&priv->txq);
		spin_unlock(&priv->lock);
		if (!skb)
			break;

		len = skb->len;
		skb->protocol = eth_type_trans(skb, ndev);
		if (netif_rx(skb) == NET_RX_SUCCESS) {
			ndev->stats.tx_packets++;
			ndev->stats.tx_bytes += len;
		} else {
			ndev->stats.tx_dropped++;
			spin_lock(&priv->lock);
			/* Softirq context, spinlock held: GFP_ATOMIC (correct). */
			wqs_net_log_drop(priv, len, GFP_ATOMIC);
			spin_unlock(&priv->lock);
		}
		done++;
	}

	spin_lock(&priv->lock);
	backlog = skb_queue_len(&priv->txq);
	spin_unlock(&priv->lock);

	if (backlog) {
		/* BUG(wq-sleep-in-atomic): tasklet -> wqs_net_update_coalesce() -> mutex_lock(&priv->cfg_mutex) */
		/* expected-warning-re@+1 {{sleeping function 'mutex_lock' called in atomic context (in tasklet 'wqs_net_tx_tasklet') through 'wqs_net_update_coalesce'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
		wqs_net_update_coalesce(priv, backlog);
		tasklet_schedule(&priv->tx_tasklet);
	} else if (netif_queue_stopped(ndev)) {
		netif_wake_queue(ndev);
	}
}

static netdev_tx_t wqs_net_start_xmit(struct sk_buff *skb,
				      struct net_device *ndev)
{
	struct wqs_net_priv *priv = netdev_priv(ndev);

	spin_lock(&priv->lock); /* expected-note {{spinlock 'priv->lock' taken here}} */
	if (skb_queue_len(&priv->txq) >= WQS_NET_TXQ_LEN) {
		/* BUG(wq-sleep-in-atomic): wqs_net_log_drop() called with GFP_KERNEL under priv->lock */
		/* expected-warning-re@+1 {{sleeping function 'kzalloc' with GFP flags that allow direct reclaim called in atomic context (spinlock 'priv->lock' held) through 'wqs_net_log_drop'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
		wqs_net_log_drop(priv, skb->len, GFP_KERNEL);
		spin_unlock(&priv->lock);
		netif_stop_queue(ndev);
		ndev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	__skb_queue_tail(&priv->txq, skb);
	spin_unlock(&priv->lock);

	tasklet_schedule(&priv->tx_tasklet);
	return NETDEV_TX_OK;
}

static void wqs_net_link_work(struct work_struct *work)
{
	struct wqs_net_priv *priv = container_of(to_delayed_work(work),
						 struct wqs_net_priv, link_work);

	netif_carrier_on(priv->ndev);
}

static void wqs_net_reset_work(struct work_struct *work)
{
	struct wqs_net_priv *priv = container_of(work, struct wqs_net_priv,
						 reset_work);

	netif_tx_disable(priv->ndev);
	tasklet_disable(&priv->tx_tasklet);

	spin_lock_bh(&priv->lock);
	__skb_queue_purge(&priv->txq);
	spin_unlock_bh(&priv->lock);

	/* Work handler: process context, taking the mutex is fine. */
	wqs_net_update_coalesce(priv, 1);

	tasklet_enable(&priv->tx_tasklet);
	netif_wake_queue(priv->ndev);
}

static void wqs_net_stats_work(struct work_struct *work)
{
	struct wqs_net_priv *priv = container_of(to_delayed_work(work),
						 struct wqs_net_priv, stats_work);

	netdev_dbg(priv->ndev, "tx %lu packets, %u logged drops\n",
		   priv->ndev->stats.tx_packets, READ_ONCE(priv->nr_drops));
	schedule_delayed_work(&priv->stats_work, WQS_NET_STATS_INTERVAL); /* expected-note {{'netdev_priv(ndev)->stats_work' is queued here}} */
}

static int wqs_net_open(struct net_device *ndev)
{
	struct wqs_net_priv *priv = netdev_priv(ndev);

	netif_carrier_off(ndev);
	netif_start_queue(ndev);
	queue_delayed_work(system_power_efficient_wq, &priv->link_work,
			   msecs_to_jiffies(100));
	return 0;
}

static int wqs_net_stop(struct net_device *ndev)
{
	struct wqs_net_priv *priv = netdev_priv(ndev);

	netif_stop_queue(ndev);
	netif_carrier_off(ndev);
	cancel_delayed_work_sync(&priv->link_work);
	/* Own ordered queue: waiting for a pending reset is fine. */
	flush_workqueue(priv->wq);
	tasklet_kill(&priv->tx_tasklet);
	/* xmit is stopped and the tasklet is dead: no lock needed. */
	__skb_queue_purge(&priv->txq);
	return 0;
}

static void wqs_net_tx_timeout(struct net_device *ndev, unsigned int txqueue)
{
	struct wqs_net_priv *priv = netdev_priv(ndev);

	netdev_warn(ndev, "tx timeout on queue %u, scheduling reset\n", txqueue);
	queue_work(priv->wq, &priv->reset_work);
}

static const struct net_device_ops wqs_net_ops = {
	.ndo_open		= wqs_net_open,
	.ndo_stop		= wqs_net_stop,
	.ndo_start_xmit		= wqs_net_start_xmit,
	.ndo_tx_timeout		= wqs_net_tx_timeout,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static int __init wqs_net_init(void)
{
	struct wqs_net_priv *priv;
	struct net_device *ndev;
	int ret;

	ndev = alloc_etherdev(sizeof(*priv));
	if (!ndev)
		return -ENOMEM;

	priv = netdev_priv(ndev);
	priv->ndev = ndev;
	priv->coalesce = 1;
	spin_lock_init(&priv->lock);
	skb_queue_head_init(&priv->txq);
	INIT_LIST_HEAD(&priv->drops);
	mutex_init(&priv->cfg_mutex);
	tasklet_setup(&priv->tx_tasklet, wqs_net_tx_tasklet); /* expected-note {{'wqs_net_tx_tasklet' runs in softirq context (tasklet): registered here with 'tasklet_setup'}} */
	INIT_WORK(&priv->reset_work, wqs_net_reset_work);
	INIT_DELAYED_WORK(&priv->link_work, wqs_net_link_work);
	INIT_DELAYED_WORK(&priv->stats_work, wqs_net_stats_work);

	priv->wq = alloc_ordered_workqueue("wqs_net_reset", WQ_MEM_RECLAIM);
	if (!priv->wq) {
		ret = -ENOMEM;
		goto err_free;
	}

	ndev->netdev_ops = &wqs_net_ops;
	ndev->watchdog_timeo = 2 * HZ;
	eth_hw_addr_random(ndev);

	ret = register_netdev(ndev);
	if (ret)
		goto err_wq;

	schedule_delayed_work(&priv->stats_work, WQS_NET_STATS_INTERVAL);
	wqs_net_dev = ndev;
	return 0;

err_wq:
	destroy_workqueue(priv->wq);
err_free:
	/* Nothing has been queued yet: freeing here is fine. */
	free_netdev(ndev);
	return ret;
}

static void __exit wqs_net_exit(void)
{
	struct net_device *ndev = wqs_net_dev;
	struct wqs_net_priv *priv = netdev_priv(ndev);

	unregister_netdev(ndev);	/* runs ndo_stop if the device is up */
	cancel_work_sync(&priv->reset_work);
	destroy_workqueue(priv->wq);
	wqs_net_free_drops(priv);

	/* Make sure the statistics work has finished before freeing. */
	/* expected-warning-re@+1 {{flushing the system-wide workqueue 'system_wq' is deprecated{{.*}}[wq-deprecated]}} */
	flush_workqueue(system_wq);
	/* BUG(wq-free-before-cancel): stats_work re-arms itself and is never cancelled; free_netdev() frees netdev_priv() */
	/* expected-warning-re@+1 {{'free_netdev' frees 'ndev' while its work item 'netdev_priv(ndev)->stats_work' (handler 'wqs_net_stats_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: the work item is in netdev_priv(), freed by free_netdev() */
	free_netdev(ndev);
}

module_init(wqs_net_init);
module_exit(wqs_net_exit);

MODULE_DESCRIPTION("wqcheck sample: virtual netdev with work in netdev_priv()");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
