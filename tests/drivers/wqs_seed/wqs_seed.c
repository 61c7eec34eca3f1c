// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_seed - the workqueue chapter's basic examples, as one module
 *
 * The seed chapter (shared/seed-workqueues.md, "Work Queues") as a new
 * user would type it in: "Using System Work Queue", "Delayed Work",
 * "Work Queue from Interrupt", "Canceling Work", "Recurring Work" and
 * "Per-CPU Work".  Each example is kept as written and completed only as
 * far as needed to build as a module: the functions are static and called
 * from module init/exit, the chapter's cancel_work() helper is renamed
 * (the kernel has its own cancel_work() since 6.0), the interrupt's
 * read_hardware() and the IRQ number are filled in, and the generic
 * `work`, `delayed_work` and `wq` of the cancelling and per-CPU snippets
 * are set up in module init.
 *
 * Everything here is correct except flush_scheduled_work() (deprecated).
 * The custom queues are in wqs_seed_wq.c, the deferred-I/O example in
 * wqs_seed_io.c, the Do/Don't lists in wqs_seed_dos.c and the chapter's
 * first Don't as module init in wqs_seed_init.c.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

static int irq = -1;
module_param(irq, int, 0444);
MODULE_PARM_DESC(irq, "interrupt line of the device, -1 = none");

/* ---- Using System Work Queue ---- */

/* Define work structure */
struct my_work_data {
	struct work_struct work;
	int value;
	char buffer[256];
};

/* Work handler */
static void my_work_handler(struct work_struct *work)
{
	struct my_work_data *data = container_of(work,
						 struct my_work_data, work);

	pr_info("Work executing: value=%d\n", data->value);

	/* Can sleep here! */
	msleep(100);

	/* Can do I/O */
	/* ... */
}

/* Initialize and schedule */
static struct my_work_data my_work;

static void start_work(int val)
{
	my_work.value = val;
	INIT_WORK(&my_work.work, my_work_handler);
	schedule_work(&my_work.work);  /* Queue on system workqueue */
}

/* ---- Delayed Work ---- */

struct delayed_work my_delayed_work;

static void delayed_handler(struct work_struct *work)
{
	struct delayed_work *dw = container_of(work,
					       struct delayed_work, work);
	pr_info("Delayed work executing (timer %s)\n",
		timer_pending(&dw->timer) ? "re-armed" : "idle");
}

static void start_delayed_work(void)
{
	INIT_DELAYED_WORK(&my_delayed_work, delayed_handler);

	/* Execute after 2 seconds */
	schedule_delayed_work(&my_delayed_work, 2 * HZ);
}

/* The chapter's cancel_work(): renamed, the kernel has a cancel_work(). */
static void cancel_my_delayed_work(void)
{
	cancel_delayed_work_sync(&my_delayed_work);
}

/* ---- Work Queue from Interrupt ---- */

struct my_device {
	struct work_struct work;
	spinlock_t lock;
	int pending_data;
};

static struct my_device my_dev;
static atomic_t fake_register = ATOMIC_INIT(0);

static int read_hardware(void)
{
	return atomic_inc_return(&fake_register);
}

/* Interrupt handler - queue work */
static irqreturn_t my_irq_handler(int irq, void *data)
{
	struct my_device *dev = data;

	spin_lock(&dev->lock);
	dev->pending_data = read_hardware();
	spin_unlock(&dev->lock);

	/* Queue work for processing */
	schedule_work(&dev->work);

	return IRQ_HANDLED;
}

/* Work handler - process data */
static void process_work(struct work_struct *work)
{
	struct my_device *dev = container_of(work, struct my_device, work);
	int data;

	spin_lock(&dev->lock);
	data = dev->pending_data;
	spin_unlock(&dev->lock);

	/* Heavy processing in process context */
	pr_info("Processing: %d\n", data);
	/* ... can sleep here ... */
	msleep(10);
}

/* ---- Canceling Work, Per-CPU Work: the snippets' own items ---- */

static struct work_struct work;
static struct delayed_work delayed_work;
static struct workqueue_struct *wq;

static void generic_work_fn(struct work_struct *w)
{
	pr_info("generic work on CPU %d\n", raw_smp_processor_id());
}

static void cancel_all(void)
{
	/* Cancel and wait for completion */
	cancel_work_sync(&work);

	/* Cancel delayed work and wait */
	cancel_delayed_work_sync(&delayed_work);

	/* Cancel without waiting */
	cancel_work(&work);
	cancel_delayed_work(&delayed_work);

	/* Flush all pending work on queue */
	flush_workqueue(wq);

	/* Flush system workqueue */
	/* expected-warning-re@+1 {{'flush_scheduled_work' is deprecated{{.*}}[wq-deprecated]}} */
	flush_scheduled_work();
}

static void queue_on_cpu(int cpu)
{
	/* Schedule on specific CPU */
	schedule_work_on(cpu, &work);

	/* Queue on specific CPU */
	queue_work_on(cpu, wq, &work);
}

/* ---- Recurring Work ---- */

static struct delayed_work periodic_work;

static void periodic_handler(struct work_struct *work)
{
	pr_info("Periodic work executing\n");

	/* Do periodic task */
	/* ... */

	/* Reschedule ourselves */
	schedule_delayed_work(&periodic_work, HZ);  /* Every second */
}

static void start_periodic(void)
{
	INIT_DELAYED_WORK(&periodic_work, periodic_handler);
	schedule_delayed_work(&periodic_work, HZ);
}

static void stop_periodic(void)
{
	/* Correct for self-rearming work: the _sync cancel stops the re-arm. */
	cancel_delayed_work_sync(&periodic_work);
}

/* ---- module init/exit ---- */

static int __init my_init(void)
{
	int ret;

	INIT_WORK(&my_dev.work, process_work);
	spin_lock_init(&my_dev.lock);

	INIT_WORK(&work, generic_work_fn);
	INIT_DELAYED_WORK(&delayed_work, generic_work_fn);
	wq = alloc_workqueue("wqs_seed", WQ_MEM_RECLAIM, 0);
	if (!wq)
		return -ENOMEM;

	/* ... request IRQ ... (after INIT_WORK() of what its handler queues) */
	if (irq >= 0) {
		ret = request_irq(irq, my_irq_handler, IRQF_SHARED, "wqs_seed",
				  &my_dev);
		if (ret) {
			destroy_workqueue(wq);
			return ret;
		}
	}

	start_work(42);
	start_delayed_work();
	start_periodic();
	queue_on_cpu(cpumask_first(cpu_online_mask));
	queue_delayed_work(wq, &delayed_work, HZ / 2);
	return 0;
}

static void __exit my_exit(void)
{
	if (irq >= 0)
		free_irq(irq, &my_dev);
	cancel_work_sync(&my_dev.work);
	stop_periodic();
	cancel_my_delayed_work();
	cancel_work_sync(&my_work.work);
	cancel_all();
	destroy_workqueue(wq);
}

module_init(my_init);
module_exit(my_exit);

MODULE_DESCRIPTION("wqcheck sample: the workqueue chapter's basic examples");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
