// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_seed_wq - the workqueue chapter's "Static Initialization",
 * "Creating Custom Work Queue" and "Work Queue Creation Options"
 *
 * The chapter's code as written, completed only as far as needed to build
 * as a module: the static DECLARE_WORK() item is scheduled from module
 * init, queue_my_work() is static and gets a second DECLARE_WORK() item,
 * and the three creation options are the three arms of a helper selected
 * by a module parameter.  The two legacy constructors are what
 * wq-deprecated reports, with a fix-it each (tests/samples/wqs_seed.test
 * applies them); destroy_workqueue() in module exit is correct.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

static int wq_kind = 2;
module_param(wq_kind, int, 0444);
MODULE_PARM_DESC(wq_kind, "creation option: 0 single-threaded, 1 per CPU, 2 flags");

static int max_active = 4;
module_param(max_active, int, 0444);
MODULE_PARM_DESC(max_active, "max_active of the queue with flags");

/* ---- Static Initialization ---- */

static void my_handler(struct work_struct *work);

/* Static work item */
static DECLARE_WORK(my_work, my_handler);
static DECLARE_WORK(my_queued_work, my_handler);

static void my_handler(struct work_struct *work)
{
	pr_info("static work %ps ran\n", work->func);
	msleep(1);
}

/* ---- Creating Custom Work Queue ---- */

static struct workqueue_struct *my_wq;

/* ---- Work Queue Creation Options ---- */

static struct workqueue_struct *wq;

static struct workqueue_struct *create_option(int kind)
{
	struct workqueue_struct *wq;

	switch (kind) {
	case 0:
		/* Single-threaded */
		wq = create_singlethread_workqueue("my_wq"); /* expected-warning-re {{'create_singlethread_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
		break;
	case 1:
		/* Multi-threaded (one per CPU) */
		wq = create_workqueue("my_wq"); /* expected-warning-re {{'create_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
		break;
	default:
		/* With flags */
		wq = alloc_workqueue("my_wq",
				     WQ_HIGHPRI | WQ_MEM_RECLAIM,
				     max_active);
		break;
	}
	return wq;
}

static void queue_my_work(struct work_struct *work)
{
	queue_work(my_wq, work);
}

static int __init my_init(void)
{
	/* Create dedicated workqueue */
	my_wq = create_singlethread_workqueue("my_worker"); /* expected-warning-re {{'create_singlethread_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
	if (!my_wq)
		return -ENOMEM;

	wq = create_option(wq_kind);
	if (!wq) {
		destroy_workqueue(my_wq);
		return -ENOMEM;
	}

	/* Schedule it */
	schedule_work(&my_work);
	queue_my_work(&my_queued_work);
	return 0;
}

static void __exit my_exit(void)
{
	/* my_work runs on the system workqueue: wait for it. */
	cancel_work_sync(&my_work);
	destroy_workqueue(wq);
	destroy_workqueue(my_wq);
}

module_init(my_init);
module_exit(my_exit);

MODULE_DESCRIPTION("wqcheck sample: the workqueue chapter's custom queues");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
