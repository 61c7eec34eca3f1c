// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_atomic - sensor hub with every kind of atomic context
 *
 * A platform driver for a sensor hub that samples from a hard-IRQ handler,
 * an hrtimer, a legacy timer and a tasklet, keeps its configuration under an
 * rwlock and its statistics under per-CPU and RCU protection.  Each atomic
 * context below has one sleeping call that is a bug (annotated with the
 * diagnostic it must produce) and the correct variant next to it.
 *
 * Part of the wqcheck test corpus: wq-sleep-in-atomic positives for each
 * lock family and context, and the negatives a precise tool must accept.
 */

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/kfifo.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/version.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

struct hub_cfg {
	struct rcu_head rcu;
	unsigned int rate_hz;
	char label[16];
};

struct hub {
	struct device *dev;
	int irq;
	spinlock_t lock;		/* protects samples and head */
	rwlock_t cfg_lock;		/* protects label */
	struct mutex fw_mutex;		/* serialises firmware commands */
	struct hub_cfg __rcu *cfg;
	struct hrtimer sample_timer;
	struct tasklet_struct rx_tasklet;
	struct work_struct reload_work;
	const char *label;
	u32 samples[64];
	unsigned int head;
	void *trace_buf;		/* vmalloc'ed */
};

static struct hub *the_hub;

static DEFINE_SPINLOCK(hub_fifo_lock);
static DEFINE_KFIFO(hub_fifo, u32, 64);

/*
 * Correct: kfifo_out_locked() takes and drops the lock inside the macro,
 * where it is spelled 'lock', not 'hub_fifo_lock' (a false positive found on
 * 6.1 drivers, now a negative case).
 */
static ssize_t hub_read_sample(u32 __user *buf)
{
	u32 v;

	if (!kfifo_out_locked(&hub_fifo, &v, 1, &hub_fifo_lock))
		return 0;
	if (put_user(v, buf))
		return -EFAULT;
	return sizeof(v);
}

/* Talks to the hub's firmware: sleeps on the mutex and for the reply. */
static int hub_fw_command(struct hub *h, u8 cmd)
{
	mutex_lock(&h->fw_mutex); /* expected-note 4 {{'hub_fw_command' calls 'mutex_lock' here}} */
	usleep_range(100, 200);
	mutex_unlock(&h->fw_mutex);
	return cmd;
}

/* Two levels down: hub_resync() -> hub_fw_command() -> mutex_lock(). */
static void hub_resync(struct hub *h)
{
	hub_fw_command(h, 0x10); /* expected-note {{'hub_resync' calls 'hub_fw_command', which may sleep, here}} */
}

/*
 * Sleeps only when the caller says it may: 6.1's kaweth_async_set_rx_mode()
 * (drivers/net/usb/kaweth.c) has this shape and is called with false under
 * a spinlock.  wqcheck follows constant arguments into the helper.
 */
static void hub_apply_filter(struct hub *h, bool may_sleep)
{
	h->head = 0;
	if (!may_sleep)
		return;
	hub_fw_command(h, 0x50); /* expected-note {{'hub_apply_filter' calls 'hub_fw_command', which may sleep, here}} */
}

/* Returns with h->lock held; hub_unlock() drops it. */
static void hub_lock(struct hub *h)
{
	spin_lock_bh(&h->lock); /* expected-note {{spinlock 'h->lock' taken here}} */
}

static void hub_unlock(struct hub *h)
{
	spin_unlock_bh(&h->lock);
}

/* Called with h->lock held: drops it around the sleep (correct). */
static void hub_wait_idle_locked(struct hub *h)
{
	spin_unlock(&h->lock);
	msleep(2);
	spin_lock(&h->lock);
}

static irqreturn_t hub_irq(int irq, void *data)
{
	struct hub *h = data;

	spin_lock(&h->lock);
	h->samples[h->head++ % 64] = irq;
	spin_unlock(&h->lock);
	mdelay(1);	/* busy-waits: fine in hard-IRQ context */
	hub_apply_filter(h, false);	/* fine: returns before sleeping */
	if (h->head % 1024 == 0)
		/* BUG: resynchronising sleeps two helpers down. */
		/* expected-warning-re@+1 {{sleeping function 'mutex_lock' called in atomic context (in hard-IRQ handler 'hub_irq') through 'hub_resync'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
		hub_resync(h);
	return IRQ_WAKE_THREAD;
}

/* The threaded half runs in a kernel thread: sleeping is fine here. */
static irqreturn_t hub_irq_thread(int irq, void *data)
{
	struct hub *h = data;

	hub_resync(h);
	msleep(1);
	return IRQ_HANDLED;
}

static enum hrtimer_restart hub_sample_timer_fn(struct hrtimer *t)
{
	struct hub *h = container_of(t, struct hub, sample_timer);

	/* BUG: hrtimer callbacks run in hard-IRQ context. */
	hub_fw_command(h, 0x20); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (in hrtimer callback 'hub_sample_timer_fn') through 'hub_fw_command'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	hrtimer_forward_now(t, ms_to_ktime(10));
	return HRTIMER_RESTART;
}

static void hub_rx_tasklet_fn(struct tasklet_struct *t)
{
	struct hub *h = from_tasklet(h, t, rx_tasklet);
	u32 *copy;

	/* Correct: GFP_ATOMIC in softirq context. */
	copy = kmemdup(h->samples, sizeof(h->samples), GFP_ATOMIC);
	kfree(copy);
	/* Correct: vfree() defers itself when called from interrupt context. */
	vfree(h->trace_buf);
	h->trace_buf = NULL;
}

static void hub_cfg_free_rcu(struct rcu_head *head)
{
	struct hub_cfg *cfg = container_of(head, struct hub_cfg, rcu);

	/* BUG: RCU callbacks run in softirq context. */
	msleep(1); /* expected-warning-re {{sleeping function 'msleep' called in atomic context (in RCU callback 'hub_cfg_free_rcu'){{.*}}[wq-sleep-in-atomic]}} */
	kfree(cfg);
}

static void hub_watchdog_fn(struct timer_list *t);
static DEFINE_TIMER(hub_watchdog, hub_watchdog_fn); /* expected-note {{'hub_watchdog_fn' runs in softirq context (timer): set as timer_list.function of hub_watchdog here}} */

static void hub_watchdog_fn(struct timer_list *t)
{
	if (!the_hub)
		return;
	/* BUG: a timer (from DEFINE_TIMER) must not sleep. */
	ssleep(1); /* expected-warning-re {{sleeping function 'ssleep' called in atomic context (in timer callback 'hub_watchdog_fn'){{.*}}[wq-sleep-in-atomic]}} */
}

static void hub_reload_work_fn(struct work_struct *work)
{
	struct hub *h = container_of(work, struct hub, reload_work);
	struct hub_cfg *new_cfg, *old_cfg;

	/* Process context: sleeping and GFP_KERNEL are fine. */
	new_cfg = kzalloc(sizeof(*new_cfg), GFP_KERNEL);
	if (!new_cfg)
		return;
	hub_fw_command(h, 0x30);
	new_cfg->rate_hz = 100;

	spin_lock(&h->lock);
	old_cfg = rcu_dereference_protected(h->cfg, lockdep_is_held(&h->lock));
	rcu_assign_pointer(h->cfg, new_cfg);
	spin_unlock(&h->lock);
	if (old_cfg)
		call_rcu(&old_cfg->rcu, hub_cfg_free_rcu); /* expected-note {{'hub_cfg_free_rcu' runs in softirq context (RCU callback): registered here with 'call_rcu'}} */
}

/* The lock families, irqs, bottom halves and RCU. */
static void hub_set_label(struct hub *h, const char *label)
{
	unsigned long flags;
	struct hub_cfg *cfg;
	const char *copy;

	write_lock_bh(&h->cfg_lock); /* expected-note {{rwlock (write) 'h->cfg_lock' taken here}} */
	/* BUG: GFP_KERNEL under a write lock. */
	copy = kstrdup(label, GFP_KERNEL); /* expected-warning-re {{sleeping function 'kstrdup' with GFP flags that allow direct reclaim called in atomic context (rwlock (write) 'h->cfg_lock' held){{.*}}[wq-sleep-in-atomic]}} */
	write_unlock_bh(&h->cfg_lock);

	read_lock(&h->cfg_lock); /* expected-note {{rwlock (read) 'h->cfg_lock' taken here}} */
	if (copy && strcmp(copy, h->label))
		/* BUG: a firmware command under the read lock. */
		hub_fw_command(h, 0x40); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (rwlock (read) 'h->cfg_lock' held) through 'hub_fw_command'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	read_unlock(&h->cfg_lock);
	kfree(copy);

	local_irq_save(flags); /* expected-note {{interrupts disabled here by 'local_irq_save'}} */
	h->head = 0;
	/* BUG: waiting with interrupts off. */
	usleep_range(10, 20); /* expected-warning-re {{sleeping function 'usleep_range' called in atomic context (interrupts disabled){{.*}}[wq-sleep-in-atomic]}} */
	local_irq_restore(flags);

	local_bh_disable(); /* expected-note {{bottom halves disabled here by 'local_bh_disable'}} */
	/* BUG: a mutex with bottom halves disabled. */
	mutex_lock(&h->fw_mutex); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (bottom halves disabled){{.*}}[wq-sleep-in-atomic]}} */
	mutex_unlock(&h->fw_mutex);
	local_bh_enable();

	rcu_read_lock(); /* expected-note {{RCU read-side critical section here by 'rcu_read_lock'}} */
	cfg = rcu_dereference(h->cfg);
	if (cfg && !cfg->rate_hz)
		/* BUG: waiting for a grace period inside a read-side section. */
		synchronize_rcu(); /* expected-warning-re {{sleeping function 'synchronize_rcu' called in atomic context (RCU read-side critical section){{.*}}[wq-sleep-in-atomic]}} */
	rcu_read_unlock();
}

/* A lock taken by a helper, trylock, and a helper that drops the lock. */
static void hub_flush_samples(struct hub *h)
{
	hub_lock(h);
	h->head = 0;
	/* BUG: hub_lock() returned with h->lock held. */
	msleep(1); /* expected-warning-re {{sleeping function 'msleep' called in atomic context (spinlock 'h->lock' held){{.*}}[wq-sleep-in-atomic]}} cocci-misses: the lock is taken by a helper */
	hub_unlock(h);
	msleep(1);	/* correct: hub_unlock() dropped it */

	if (spin_trylock(&h->lock)) { /* expected-note {{spinlock 'h->lock' taken here}} */
		/* BUG: the trylock succeeded, the lock is held. */
		msleep(1); /* expected-warning-re {{sleeping function 'msleep' called in atomic context (spinlock 'h->lock' held){{.*}}[wq-sleep-in-atomic]}} */
		spin_unlock(&h->lock);
	}
	if (!spin_trylock(&h->lock)) {
		msleep(1);	/* correct: the trylock failed, nothing is held */
		return;
	}
	hub_wait_idle_locked(h);	/* correct: drops h->lock to sleep */
	spin_unlock(&h->lock);
	vfree(h->trace_buf);	/* correct: process context, no lock */
	h->trace_buf = NULL;
}

static void hub_drop_trace(struct hub *h)
{
	spin_lock(&h->lock); /* expected-note 2 {{spinlock 'h->lock' taken here}} */
	/* BUG: asked to sleep under the lock. */
	hub_apply_filter(h, true); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (spinlock 'h->lock' held) through 'hub_apply_filter'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	/* BUG: vfree() may sleep in process context. */
	vfree(h->trace_buf); /* expected-warning-re {{sleeping function 'vfree' called in atomic context (spinlock 'h->lock' held){{.*}}[wq-sleep-in-atomic]}} */
	h->trace_buf = NULL;
	spin_unlock(&h->lock);
}

/*
 * Correct: with bottom halves off in_interrupt() is true, and 6.1's
 * vfree() defers instead of sleeping (mm/vmalloc.c: might_sleep_if(
 * !in_interrupt())).  A false positive of issue 10's triage; the real bug
 * it resembles is vfree() under spin_lock() in hub_drop_trace() above.
 */
static void hub_drop_trace_bh(struct hub *h)
{
	spin_lock_bh(&h->lock);
	vfree(h->trace_buf);
	h->trace_buf = NULL;
	spin_unlock_bh(&h->lock);
}

/*
 * A kernel function that takes a gfp_t allocates with it, listed in the
 * table or not (issue 10): kmemdup_nul() with GFP_KERNEL under a spinlock
 * may sleep; with GFP_ATOMIC it does not, and a predicate on the flags
 * never does.
 */
static char *hub_copy_label(struct hub *h, bool atomic)
{
	char *copy;

	spin_lock(&h->lock); /* expected-note {{spinlock 'h->lock' taken here}} */
	if (atomic && gfpflags_allow_blocking(GFP_KERNEL))	/* correct: a predicate */
		copy = kmemdup_nul(h->label, 8, GFP_ATOMIC);	/* correct: GFP_ATOMIC */
	else
		/* BUG: GFP_KERNEL under a spinlock, through a gfp_t parameter */
		copy = kmemdup_nul(h->label, 8, GFP_KERNEL); /* expected-warning-re {{sleeping function 'kmemdup_nul' with GFP flags that allow direct reclaim called in atomic context (spinlock 'h->lock' held){{.*}}[wq-sleep-in-atomic]}} cocci-misses: the script knows the table's allocators only */
	spin_unlock(&h->lock);
	return copy;
}

/*
 * Polls, sleeping between reads only when given a time-out: 6.1's
 * NCR5380_poll_politely2() (drivers/scsi/NCR5380.c:207) returns on !wait
 * before schedule_timeout_uninterruptible().
 */
static int hub_poll_wait(struct hub *h, unsigned long wait)
{
	if (READ_ONCE(h->head))
		return 0;
	if (!wait)
		return -ETIMEDOUT;
	schedule_timeout_uninterruptible(1); /* expected-note {{'hub_poll_wait' calls 'schedule_timeout_uninterruptible' here}} */
	return READ_ONCE(h->head) ? 0 : -ETIMEDOUT;
}

/* A pass-through, like the inline NCR5380_poll_politely() (NCR5380.h:295). */
static inline int hub_poll(struct hub *h, unsigned long wait)
{
	return hub_poll_wait(h, wait); /* expected-note {{'hub_poll' calls 'hub_poll_wait', which may sleep, here}} */
}

/*
 * can_sleep scales the time-out, as in NCR5380_transfer_pio() and
 * do_abort() (NCR5380.c:1257, 1407): HZ * can_sleep.
 */
static int hub_transfer(struct hub *h, unsigned int can_sleep)
{
	return hub_poll(h, HZ * can_sleep); /* expected-note {{'hub_transfer' calls 'hub_poll', which may sleep, here}} */
}

/*
 * Sends a command and sleeps until it completes, dropping the hub's lock
 * that its caller holds; the caller names the lock differently, as 6.1's
 * ipr_send_blocking_cmd() (drivers/scsi/ipr.c:1068) drops
 * ioa_cfg->host->host_lock that __ipr_eh_dev_reset()'s caller took as
 * cmd->device->host->host_lock (ipr.c:5409).
 */
static void hub_send_blocking(struct hub *hub)
{
	spin_unlock_irq(&hub->lock);
	msleep(1); /* expected-note {{'hub_send_blocking' calls 'msleep' here}} */
	spin_lock_irq(&hub->lock);
}

static void hub_sync_fw(struct hub *h)
{
	/* Correct: polling without a time-out does not sleep (NCR5380.c:1201). */
	spin_lock_irq(&h->lock);
	hub_transfer(h, 0);
	hub_poll(h, 0);	/* correct: NCR5380_reselect() (NCR5380.c:2062) */
	spin_unlock_irq(&h->lock);

	spin_lock_irq(&h->lock); /* expected-note {{spinlock 'h->lock' taken here}} */
	/* BUG: asked to sleep under the lock. */
	hub_transfer(h, 1); /* expected-warning-re {{sleeping function 'schedule_timeout_uninterruptible' called in atomic context (spinlock 'h->lock' held) through 'hub_transfer'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	/* Correct: hub_send_blocking() drops this lock to sleep (ipr.c:5410). */
	hub_send_blocking(h);
	spin_unlock_irq(&h->lock);

	spin_lock_irq(&h->lock);
	spin_lock(&hub_fifo_lock); /* expected-note {{spinlock 'hub_fifo_lock' taken here}} */
	/*
	 * BUG: hub_send_blocking() drops h->lock only; it sleeps with
	 * hub_fifo_lock held, as ipr_ata_post_internal() (ipr.c:6839) does
	 * with hrrq->_lock.
	 */
	hub_send_blocking(h); /* expected-warning-re {{sleeping function 'msleep' called in atomic context (spinlock 'hub_fifo_lock' held) through 'hub_send_blocking'{{.*}}[wq-sleep-in-atomic]}} cocci-misses: through a helper */
	spin_unlock(&hub_fifo_lock);
	spin_unlock_irq(&h->lock);
}

static int hub_probe(struct platform_device *pdev)
{
	struct hub *h;
	int ret;

	h = devm_kzalloc(&pdev->dev, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->dev = &pdev->dev;
	h->label = "hub";
	spin_lock_init(&h->lock);
	rwlock_init(&h->cfg_lock);
	mutex_init(&h->fw_mutex);
	INIT_WORK(&h->reload_work, hub_reload_work_fn);
	tasklet_setup(&h->rx_tasklet, hub_rx_tasklet_fn);
	h->trace_buf = vmalloc(PAGE_SIZE);

	h->irq = platform_get_irq(pdev, 0);
	if (h->irq < 0)
		return h->irq;
	ret = devm_request_threaded_irq(&pdev->dev, h->irq, hub_irq, /* expected-note {{'hub_irq' runs in hard-IRQ context: registered here with 'devm_request_threaded_irq'}} */
					hub_irq_thread, IRQF_ONESHOT,
					"wqs_atomic", h);
	if (ret)
		return ret;

	hrtimer_init(&h->sample_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	h->sample_timer.function = hub_sample_timer_fn; /* expected-note {{'hub_sample_timer_fn' runs in hard-IRQ context (hrtimer): stored in hrtimer.function here}} */
	hrtimer_start(&h->sample_timer, ms_to_ktime(10), HRTIMER_MODE_REL);

	hub_set_label(h, "sensor-hub");
	hub_flush_samples(h);
	hub_drop_trace(h);
	hub_drop_trace_bh(h);
	kfree(hub_copy_label(h, false));
	hub_sync_fw(h);
	msleep(5);	/* correct: probe runs in process context */
	schedule_work(&h->reload_work);
	the_hub = h;
	mod_timer(&hub_watchdog, jiffies + HZ);
	platform_set_drvdata(pdev, h);
	return 0;
}

static void hub_remove(struct platform_device *pdev)
{
	struct hub *h = platform_get_drvdata(pdev);

	del_timer_sync(&hub_watchdog);
	hrtimer_cancel(&h->sample_timer);
	tasklet_kill(&h->rx_tasklet);
	cancel_work_sync(&h->reload_work);
	rcu_barrier();
	hub_read_sample(NULL);
	the_hub = NULL;
}

static struct platform_driver hub_driver = {
	.probe = hub_probe,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
	.remove = hub_remove,
#else
	.remove_new = hub_remove,	/* void remove(); 6.1's .remove returns int */
#endif
	.driver = {
		.name = "wqs_atomic",
	},
};
module_platform_driver(hub_driver);

MODULE_DESCRIPTION("wqcheck sample: atomic contexts");
MODULE_LICENSE("GPL");
