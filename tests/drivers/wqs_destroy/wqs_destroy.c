// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_destroy - a workqueue used after destroy_workqueue() freed it
 * (wq-use-after-destroy), next to the correct code it resembles:
 *
 *  A. probe(): an error path that destroys the queue and jumps to a label
 *     that destroys it again; next to an error path that clears the
 *     pointer after the destroy and a label that tests it.
 *  B. remove(): a last work item queued after the destroy; next to a
 *     queue destroyed, made again and used.
 *  C. A status local: the destroy and the queue on exclusive outcomes of
 *     one test of it.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

struct ud_priv {
	struct workqueue_struct *wq;
	struct workqueue_struct *evt_wq;
	struct work_struct final_work;
	struct work_struct evt_work;
	int ready;
};

static void ud_final_work(struct work_struct *work)
{
	struct ud_priv *priv = container_of(work, struct ud_priv, final_work);

	priv->ready = 0;
}

static void ud_evt_work(struct work_struct *work)
{
	struct ud_priv *priv = container_of(work, struct ud_priv, evt_work);

	priv->ready++;
}

static int ud_setup_hw(struct ud_priv *priv)
{
	return priv->ready ? 0 : -ENODEV;
}

/* BUG(wq-use-after-destroy): the error path destroys wq, then err_wq does it again. */
static int ud_probe(struct platform_device *pdev)
{
	struct ud_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	INIT_WORK(&priv->final_work, ud_final_work);
	INIT_WORK(&priv->evt_work, ud_evt_work);
	priv->wq = alloc_workqueue("wqs_destroy", WQ_MEM_RECLAIM, 0);
	if (!priv->wq)
		return -ENOMEM;
	ret = ud_setup_hw(priv);
	if (ret) {
		destroy_workqueue(priv->wq); /* expected-note {{'priv->wq' is destroyed here}} */
		goto err_wq;
	}
	priv->evt_wq = alloc_workqueue("wqs_destroy_evt", 0, 0);
	if (!priv->evt_wq) {
		ret = -ENOMEM;
		/* Correct: cleared, and the label tests it. */
		destroy_workqueue(priv->wq);
		priv->wq = NULL;
		goto err_evt;
	}
	platform_set_drvdata(pdev, priv);
	return 0;

err_wq:
	destroy_workqueue(priv->wq); /* expected-warning-re {{'destroy_workqueue' destroys workqueue 'priv->wq' a second time after 'destroy_workqueue' freed it on every path to here{{.*}}[wq-use-after-destroy]}} */
	return ret;
err_evt:
	if (priv->wq)
		destroy_workqueue(priv->wq);
	return ret;
}

/* BUG(wq-use-after-destroy): the last work item queued on a freed queue. */
static void ud_remove_impl(struct ud_priv *priv)
{
	cancel_work_sync(&priv->evt_work);
	destroy_workqueue(priv->evt_wq);
	/* Correct: made again before its use. */
	priv->evt_wq = alloc_workqueue("wqs_destroy_evt2", 0, 0);
	if (priv->evt_wq) {
		queue_work(priv->evt_wq, &priv->evt_work);
		flush_workqueue(priv->evt_wq);
		destroy_workqueue(priv->evt_wq);
	}
	destroy_workqueue(priv->wq); /* expected-note {{'priv->wq' is destroyed here}} */
	queue_work(priv->wq, &priv->final_work); /* expected-warning-re {{'queue_work' uses workqueue 'priv->wq' after 'destroy_workqueue' freed it on every path to here{{.*}}[wq-use-after-destroy]}} */
	flush_work(&priv->final_work);
}

/* Correct: the destroy and the queue are on exclusive outcomes of err. */
static void ud_finish(struct ud_priv *priv, int err)
{
	int status = err ? -EIO : 0;

	if (status)
		destroy_workqueue(priv->wq);
	priv->ready = 1;
	if (!status) {
		queue_work(priv->wq, &priv->final_work);
		flush_work(&priv->final_work);
		destroy_workqueue(priv->wq);
	}
}

static void ud_remove(struct platform_device *pdev)
{
	struct ud_priv *priv = platform_get_drvdata(pdev);

	if (priv->ready > 100)
		ud_finish(priv, priv->ready);
	else
		ud_remove_impl(priv);
}

static struct platform_driver ud_driver = {
	.probe = ud_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = ud_remove,
#else
	.remove_new = ud_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = { .name = "wqs_destroy" },
};
module_platform_driver(ud_driver);

MODULE_DESCRIPTION("wqcheck sample: a workqueue used after destroy_workqueue() (wq-use-after-destroy)");
MODULE_LICENSE("GPL");
