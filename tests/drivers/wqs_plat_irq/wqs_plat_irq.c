// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_plat_irq - platform driver for a (fake) memory-mapped event controller
 *
 * The controller latches 32-bit event words into a data register and
 * raises its "event" interrupt; a second "error" interrupt is handled by
 * a threaded handler.  Event words are pushed into a small FIFO from the
 * hard-IRQ handler and drained by a work item in process context.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

/*
 * No deprecated API here.  Drop the next line once the planted bugs
 * below get -verify directives of their own.
 */

#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/devm-helpers.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#define WQS_REG_STATUS		0x00
#define WQS_REG_ACK		0x04
#define WQS_REG_CTRL		0x08
#define WQS_REG_DATA		0x0c

#define WQS_STATUS_EVENT	BIT(0)
#define WQS_STATUS_ERROR	BIT(1)
#define WQS_CTRL_RESET		BIT(0)
#define WQS_CTRL_IRQ_EN		BIT(1)

#define WQS_FIFO_DEPTH		16
#define WQS_MAX_ERRORS		8

struct wqs_plat {
	struct device *dev;
	void __iomem *base;
	int irq;
	int err_irq;

	spinlock_t lock;		/* protects fifo, head, tail, counters */
	u32 fifo[WQS_FIFO_DEPTH];
	unsigned int head;
	unsigned int tail;
	unsigned long nr_events;
	unsigned long nr_dropped;
	unsigned long nr_errors;

	struct work_struct event_work;	/* drains the FIFO */
	struct work_struct stats_work;	/* dumps the counters */
	struct work_struct recover_work; /* resets the block after errors */
};

/* The block needs 200us after an ACK before it latches the next word. */
static void wqs_plat_hw_settle(struct wqs_plat *priv)
{
	usleep_range(200, 400); /* expected-note {{'wqs_plat_hw_settle' calls 'usleep_range' here}} */
}

static void wqs_plat_ack(struct wqs_plat *priv, u32 status)
{
	writel(status, priv->base + WQS_REG_ACK);
	wqs_plat_hw_settle(priv); /* expected-note {{'wqs_plat_ack' calls 'wqs_plat_hw_settle', which may sleep, here}} */
}

static int wqs_plat_hw_init(struct wqs_plat *priv)
{
	writel(WQS_CTRL_RESET, priv->base + WQS_REG_CTRL);
	msleep(5);
	if (readl(priv->base + WQS_REG_CTRL) & WQS_CTRL_RESET)
		return -ETIMEDOUT;
	writel(WQS_CTRL_IRQ_EN, priv->base + WQS_REG_CTRL);
	return 0;
}

static irqreturn_t wqs_plat_irq_handler(int irq, void *data)
{
	struct wqs_plat *priv = data;
	u32 status;

	status = readl(priv->base + WQS_REG_STATUS);
	if (!(status & WQS_STATUS_EVENT))
		return IRQ_NONE;

	spin_lock(&priv->lock);
	if (priv->head - priv->tail < WQS_FIFO_DEPTH) {
		priv->fifo[priv->head % WQS_FIFO_DEPTH] =
			readl(priv->base + WQS_REG_DATA);
		priv->head++;
	} else {
		priv->nr_dropped++;
	}
	priv->nr_events++;
	spin_unlock(&priv->lock);

	/* BUG(wq-sleep-in-atomic): hard-IRQ handler -> wqs_plat_ack() -> wqs_plat_hw_settle() -> usleep_range() */
	/* expected-warning-re@+1 {{sleeping function 'usleep_range' called in atomic context (in hard-IRQ handler 'wqs_plat_irq_handler') through 'wqs_plat_ack'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	wqs_plat_ack(priv, WQS_STATUS_EVENT);

	/* Queueing work from hard-IRQ context is fine. */
	schedule_work(&priv->event_work); /* expected-note {{'struct wqs_plat.event_work' is queued here}} */
	return IRQ_HANDLED;
}

static irqreturn_t wqs_plat_err_hardirq(int irq, void *data)
{
	struct wqs_plat *priv = data;

	if (!(readl(priv->base + WQS_REG_STATUS) & WQS_STATUS_ERROR))
		return IRQ_NONE;

	/* Mask the error source; the thread acknowledges it. */
	writel(0, priv->base + WQS_REG_CTRL);
	return IRQ_WAKE_THREAD;
}

static irqreturn_t wqs_plat_err_thread(int irq, void *data)
{
	struct wqs_plat *priv = data;
	unsigned long errors;

	/* Threaded handler: sleeping here is allowed. */
	wqs_plat_ack(priv, WQS_STATUS_ERROR);

	spin_lock_irq(&priv->lock);
	errors = ++priv->nr_errors;
	spin_unlock_irq(&priv->lock);

	if (errors > WQS_MAX_ERRORS)
		schedule_work(&priv->recover_work);
	else
		writel(WQS_CTRL_IRQ_EN, priv->base + WQS_REG_CTRL);

	schedule_work(&priv->stats_work);
	return IRQ_HANDLED;
}

static void wqs_plat_event_work(struct work_struct *work)
{
	struct wqs_plat *priv = container_of(work, struct wqs_plat, event_work);
	u32 batch[WQS_FIFO_DEPTH];
	unsigned int n = 0, i;

	spin_lock_irq(&priv->lock);
	while (priv->tail != priv->head && n < WQS_FIFO_DEPTH)
		batch[n++] = priv->fifo[priv->tail++ % WQS_FIFO_DEPTH];
	spin_unlock_irq(&priv->lock);

	for (i = 0; i < n; i++) {
		dev_dbg(priv->dev, "event %#010x\n", batch[i]);
		/* Process context, lock dropped: sleeping is fine. */
		msleep(1);
	}
}

static void wqs_plat_stats_work(struct work_struct *work)
{
	struct wqs_plat *priv = container_of(work, struct wqs_plat, stats_work);
	unsigned long events, dropped, errors;

	spin_lock_irq(&priv->lock);
	events = priv->nr_events;
	dropped = priv->nr_dropped;
	errors = priv->nr_errors;
	spin_unlock_irq(&priv->lock);

	dev_info(priv->dev, "events=%lu dropped=%lu errors=%lu\n",
		 events, dropped, errors);
}

static void wqs_plat_recover(struct work_struct *work)
{
	struct wqs_plat *priv = container_of(work, struct wqs_plat, recover_work);

	dev_warn(priv->dev, "too many errors, resetting controller\n");
	if (wqs_plat_hw_init(priv))
		dev_err(priv->dev, "controller did not come out of reset\n");

	spin_lock_irq(&priv->lock);
	priv->nr_errors = 0;
	priv->head = priv->tail = 0;
	spin_unlock_irq(&priv->lock);
}

static int wqs_plat_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct wqs_plat *priv;
	int ret;

	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL); /* expected-note {{'priv' is allocated here}} */ /* expected-note {{allocated with 'devm_kzalloc' in 'wqs_plat_probe' here}} */
	if (!priv)
		return -ENOMEM;

	priv->dev = dev;
	spin_lock_init(&priv->lock);
	platform_set_drvdata(pdev, priv);

	priv->base = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(priv->base))
		return PTR_ERR(priv->base);

	priv->irq = platform_get_irq(pdev, 0);
	if (priv->irq < 0)
		return priv->irq;
	priv->err_irq = platform_get_irq(pdev, 1);
	if (priv->err_irq < 0)
		return priv->err_irq;

	ret = wqs_plat_hw_init(priv);
	if (ret) {
		dev_err(dev, "reset failed: %d\n", ret);
		/* BUG(wq-uninit): event_work is cancelled here, but INIT_WORK() only runs below */
		/* expected-warning-re@+1 {{'cancel_work_sync' uses work item 'priv->event_work' before it is initialised{{.*}}[wq-uninit]}} */
		cancel_work_sync(&priv->event_work);
		return ret;
	}

	INIT_WORK(&priv->event_work, wqs_plat_event_work); /* expected-note {{'priv->event_work' is initialised only here}} */
	INIT_WORK(&priv->stats_work, wqs_plat_stats_work);
	/* Managed work: cancelled automatically on unbind (correct). */
	ret = devm_work_autocancel(dev, &priv->recover_work, wqs_plat_recover);
	if (ret)
		return ret;

	/* Both IRQs are requested only after their work items are set up. */
	ret = devm_request_irq(dev, priv->irq, wqs_plat_irq_handler, 0, /* expected-note {{'wqs_plat_irq_handler' runs in hard-IRQ context: registered here with 'devm_request_irq'}} */
			       dev_name(dev), priv);
	if (ret)
		return ret;

	ret = devm_request_threaded_irq(dev, priv->err_irq,
					wqs_plat_err_hardirq,
					wqs_plat_err_thread, IRQF_ONESHOT,
					"wqs-plat-err", priv);
	if (ret)
		return ret;

	dev_info(dev, "event controller ready (irq %d, err %d)\n",
		 priv->irq, priv->err_irq);
	return 0;
}

static void wqs_plat_remove(struct platform_device *pdev) /* expected-warning-re {{'wqs_plat_remove' returns while work item 'struct wqs_plat.event_work' (handler 'wqs_plat_event_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: devres frees after remove() returns */
{
	struct wqs_plat *priv = platform_get_drvdata(pdev);

	/*
	 * Quiesce the block and wait for running handlers; the devm IRQs
	 * themselves are only released after we return.
	 */
	writel(0, priv->base + WQS_REG_CTRL);
	disable_irq(priv->irq);
	disable_irq(priv->err_irq);

	/* Nothing can queue stats_work any more: sync cancel (correct). */
	cancel_work_sync(&priv->stats_work);

	dev_info(&pdev->dev, "removed after %lu events\n", priv->nr_events);
	/* BUG(wq-free-before-cancel, reported at wqs_plat_remove): event_work is never cancelled; priv (devm_kzalloc) is freed by devres right after remove() returns */
}

static const struct of_device_id wqs_plat_of_match[] = {
	{ .compatible = "wqcheck,plat-irq" },
	{ }
};
MODULE_DEVICE_TABLE(of, wqs_plat_of_match);

static struct platform_driver wqs_plat_driver = {
	.probe = wqs_plat_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = wqs_plat_remove,
#else
	.remove_new = wqs_plat_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = {
		.name = "wqs-plat-irq",
		.of_match_table = wqs_plat_of_match,
	},
};
module_platform_driver(wqs_plat_driver);

MODULE_DESCRIPTION("wqcheck sample: platform driver queueing work from an IRQ");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
