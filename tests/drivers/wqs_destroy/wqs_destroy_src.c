// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_destroy_src - a workqueue destroyed while a source that queues on it
 * is still live (wq-use-after-destroy, second form), next to the correct
 * code it resembles:
 *
 *  D. remove() destroys the queue, then stops the timer whose callback
 *     queues on it.
 *  E. remove() destroys the queue, then frees the IRQ whose handler
 *     queues on it.
 *  F. Correct: the timer callback queues only while a "stopping" field is
 *     clear, and remove() sets it before the destroy.
 *  G. Correct: probe()'s error path destroys the queue before it stops
 *     the timer it has just set up and never armed (a setup function).
 *  H. Correct: remove() stops a timer, then destroys the queue it queues
 *     on.
 *  I. The D order for a timer that shutdown() stops too: remove() may run
 *     after it, so only --level=possible (6.12 drivers/bus/mhi/ep/main.c
 *     mhi_ep_unregister_controller(), whose callers power down first).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

struct us_priv {
	struct workqueue_struct *wq;	/* D: the timer queues on it */
	struct workqueue_struct *irq_wq;	/* E: the IRQ handler queues on it */
	struct workqueue_struct *gated_wq;	/* F */
	struct work_struct poll_work;
	struct work_struct irq_work;
	struct work_struct gated_work;
	struct timer_list poll_timer;
	struct timer_list gated_timer;
	struct workqueue_struct *late_wq;	/* H */
	struct work_struct late_work;
	struct timer_list late_timer;
	struct workqueue_struct *alt_wq;	/* I */
	struct work_struct alt_work;
	struct timer_list alt_timer;
	bool stopping;
	int irq;
	int events;
};

static void us_poll_work(struct work_struct *work)
{
	struct us_priv *priv = container_of(work, struct us_priv, poll_work);

	priv->events++;
}

static void us_irq_work(struct work_struct *work)
{
	struct us_priv *priv = container_of(work, struct us_priv, irq_work);

	priv->events++;
}

static void us_late_work(struct work_struct *work)
{
	struct us_priv *priv = container_of(work, struct us_priv, late_work);

	priv->events++;
}

static void us_alt_work(struct work_struct *work)
{
	struct us_priv *priv = container_of(work, struct us_priv, alt_work);

	priv->events++;
}

static void us_late_timer(struct timer_list *t)
{
	struct us_priv *priv = from_timer(priv, t, late_timer);

	queue_work(priv->late_wq, &priv->late_work);
}

static void us_alt_timer(struct timer_list *t)
{
	struct us_priv *priv = from_timer(priv, t, alt_timer);

	queue_work(priv->alt_wq, &priv->alt_work); /* possible-note {{'us_alt_timer' queues on 'priv->alt_wq' here}} */
}

static void us_gated_work(struct work_struct *work)
{
	struct us_priv *priv = container_of(work, struct us_priv, gated_work);

	priv->events++;
}

static void us_poll_timer(struct timer_list *t)
{
	struct us_priv *priv = from_timer(priv, t, poll_timer);

	queue_work(priv->wq, &priv->poll_work); /* expected-note {{'us_poll_timer' queues on 'priv->wq' here}} */
	mod_timer(&priv->poll_timer, jiffies + HZ);
}

static void us_gated_timer(struct timer_list *t)
{
	struct us_priv *priv = from_timer(priv, t, gated_timer);

	if (priv->stopping)
		return;
	queue_work(priv->gated_wq, &priv->gated_work);
	mod_timer(&priv->gated_timer, jiffies + HZ);
}

static irqreturn_t us_irq(int irq, void *data)
{
	struct us_priv *priv = data;

	queue_work(priv->irq_wq, &priv->irq_work); /* expected-note {{'us_irq' queues on 'priv->irq_wq' here}} */
	return IRQ_HANDLED;
}

static int us_probe(struct platform_device *pdev)
{
	struct us_priv *priv;
	int ret;

	priv = devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL); /* expected-note {{the driver data is allocated with 'devm_kzalloc' in 'us_probe' here}} */
	if (!priv)
		return -ENOMEM;
	INIT_WORK(&priv->poll_work, us_poll_work);
	INIT_WORK(&priv->irq_work, us_irq_work);
	INIT_WORK(&priv->gated_work, us_gated_work);
	INIT_WORK(&priv->late_work, us_late_work);
	INIT_WORK(&priv->alt_work, us_alt_work);
	priv->wq = alloc_workqueue("us_poll", 0, 0);
	if (!priv->wq)
		return -ENOMEM;
	priv->irq_wq = alloc_workqueue("us_irq", 0, 0);
	priv->gated_wq = alloc_workqueue("us_gated", 0, 0);
	priv->late_wq = alloc_workqueue("us_late", 0, 0);
	priv->alt_wq = alloc_workqueue("us_alt", 0, 0);
	timer_setup(&priv->late_timer, us_late_timer, 0);
	timer_setup(&priv->alt_timer, us_alt_timer, 0);
	timer_setup(&priv->poll_timer, us_poll_timer, 0);
	timer_setup(&priv->gated_timer, us_gated_timer, 0);
	priv->irq = platform_get_irq(pdev, 0);
	ret = request_irq(priv->irq, us_irq, 0, "wqs_destroy_src", priv);
	if (ret) {
		/* Correct (G): the timer was never armed. */
		destroy_workqueue(priv->wq);
		del_timer_sync(&priv->poll_timer);
		return ret;
	}
	mod_timer(&priv->poll_timer, jiffies + HZ);
	mod_timer(&priv->gated_timer, jiffies + HZ);
	mod_timer(&priv->late_timer, jiffies + HZ);
	mod_timer(&priv->alt_timer, jiffies + HZ);
	platform_set_drvdata(pdev, priv);
	return 0;
}

/* BUG(wq-use-after-destroy): D and E, each queue destroyed before its source is stopped. */
static void us_remove(struct platform_device *pdev) /* expected-warning-re {{'us_remove' stops work item 'struct us_priv.poll_work' (handler 'us_poll_work') before what re-queues it, and devres frees the driver data holding it right after remove() returns{{.*}}[wq-free-before-cancel]}} cocci-misses: the source is a timer the file sets up */
{
	struct us_priv *priv = platform_get_drvdata(pdev);

	priv->stopping = true;
	/* Correct (F): the timer queues only while stopping is false. */
	destroy_workqueue(priv->gated_wq);
	del_timer_sync(&priv->gated_timer);

	destroy_workqueue(priv->wq); /* expected-warning-re {{'destroy_workqueue' frees workqueue 'priv->wq' while the timer callback 'us_poll_timer', which queues on it, can still run: 'us_remove' stops the timer only later{{.*}}[wq-use-after-destroy]}} cocci-misses: no Coccinelle counterpart (docs/checks/wq-use-after-destroy.md) */
	del_timer_sync(&priv->poll_timer); /* expected-note {{the timer is stopped only here, after the destroy}} expected-note {{what re-queues 'struct us_priv.poll_work' is stopped only here, after the work item was stopped}} */

	destroy_workqueue(priv->irq_wq); /* expected-warning-re {{'destroy_workqueue' frees workqueue 'priv->irq_wq' while the IRQ handler 'us_irq', which queues on it, can still run: 'us_remove' stops the IRQ only later{{.*}}[wq-use-after-destroy]}} cocci-misses: no Coccinelle counterpart */
	free_irq(priv->irq, priv); /* expected-note {{the IRQ is stopped only here, after the destroy}} */

	/* Correct (H): the timer is stopped first. */
	del_timer_sync(&priv->late_timer);
	destroy_workqueue(priv->late_wq);

	/* Only possible (I): shutdown() stops the timer too. */
	destroy_workqueue(priv->alt_wq); /* possible-warning-re {{'destroy_workqueue' frees workqueue 'priv->alt_wq' while the timer callback 'us_alt_timer', which queues on it, can still run: 'us_remove' stops the timer only later{{.*}}[wq-use-after-destroy]}} possible-note {{reported at --level=possible only: the timer is also stopped in 'us_shutdown' (line 197), which may run first}} cocci-misses: no Coccinelle counterpart */
	del_timer_sync(&priv->alt_timer); /* possible-note {{the timer is stopped only here, after the destroy}} */
}

/* I: stops the alt timer (and nothing else) at shutdown. */
static void us_shutdown(struct platform_device *pdev)
{
	struct us_priv *priv = platform_get_drvdata(pdev);

	del_timer_sync(&priv->alt_timer);
}

static struct platform_driver us_driver = {
	.probe = us_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = us_remove,
#else
	.remove_new = us_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.shutdown = us_shutdown,
	.driver = { .name = "wqs_destroy_src" },
};
module_platform_driver(us_driver);

MODULE_DESCRIPTION("wqcheck sample: a workqueue destroyed while its source is live (wq-use-after-destroy)");
MODULE_LICENSE("GPL");
