// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_seed_init - the chapter's first "Don't" as a new user tries it
 *
 * Issue 16: `static struct work_struct work;` queued from module init and
 * initialised nowhere (the chapter's "DON'T: Use uninitialized work"),
 * and the same chapter's examples with two lines swapped, as a reader
 * gets them wrong: the "Recurring Work" item scheduled in module init
 * before its INIT_DELAYED_WORK(), and an error path of module init that
 * cancels a work item before INIT_WORK() has reached it.  A global work
 * item is all zeroes until its INIT_WORK(), so each of these is a real
 * use before initialisation.  Beside them, the correct orders: INIT then
 * queue, DECLARE_WORK() items (also of function scope), a helper that
 * initialises before the queueing, a queue only after the initialising
 * helper.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/workqueue.h>

static bool fail_early;
module_param(fail_early, bool, 0444);
MODULE_PARM_DESC(fail_early, "fail module init (tests the error path)");

static struct work_struct work; /* expected-note {{'work' is defined here without an initialiser; nothing in this file initialises it}} */

static void seed_fn(struct work_struct *w)
{
	pr_info("wqs_seed_init: %ps ran\n", w->func);
}

static void periodic_handler(struct work_struct *work);
static struct delayed_work periodic_work;
static struct work_struct reset_work;
static struct work_struct ready_work;
static DECLARE_WORK(static_work, seed_fn);
static struct work_struct helper_work;
static struct workqueue_struct *seed_wq;

static void periodic_handler(struct work_struct *work)
{
	schedule_delayed_work(&periodic_work, HZ);
}

static void setup_helper_work(void)
{
	INIT_WORK(&helper_work, seed_fn);
}

static void kick_helper_work(void)
{
	schedule_work(&helper_work);
}

/*
 * Correct: a DECLARE_WORK() item of function scope is initialised at load
 * time too (found reported on Linux 6.1, fs/kernfs/file.c:998,
 * kernfs_notify()).
 */
static void kick_local_work(void)
{
	static DECLARE_WORK(local_work, seed_fn);

	schedule_work(&local_work);
}

static int __init seed_init(void)
{
	/* DON'T: Use uninitialized work */
	/* BUG(wq-uninit): `work` is never initialised in this file */
	/* expected-warning-re@+1 {{work item 'work' is queued here but never initialised in this file{{.*}}[wq-uninit]}} cocci-misses: never initialised anywhere in the file */
	schedule_work(&work);

	/* BUG(wq-uninit): queued before the INIT_DELAYED_WORK() below */
	/* expected-warning-re@+1 {{'schedule_delayed_work' queues work item 'periodic_work' before it is initialised: on this path from the start of module init 'seed_init' no INIT_DELAYED_WORK() has run{{.*}}[wq-uninit]}} cocci-misses: a global, not an allocation */
	schedule_delayed_work(&periodic_work, HZ);
	INIT_DELAYED_WORK(&periodic_work, periodic_handler); /* expected-note {{'periodic_work' is initialised here}} */

	/* Correct: INIT_WORK() first, then queue. */
	INIT_WORK(&ready_work, seed_fn);
	schedule_work(&ready_work);
	/* Correct: a DECLARE_WORK() item is initialised at load time. */
	schedule_work(&static_work);
	/* Correct: the helper initialises it before the other one queues it. */
	setup_helper_work();
	kick_helper_work();
	kick_local_work();

	seed_wq = alloc_workqueue("wqs_seed_init", 0, 0);
	if (!seed_wq || fail_early)
		goto err;
	INIT_WORK(&reset_work, seed_fn); /* expected-note {{'reset_work' is initialised here}} */
	queue_work(seed_wq, &reset_work);
	return 0;

err:
	/* BUG(wq-uninit): on this path INIT_WORK(&reset_work) has not run */
	/* expected-warning-re@+1 {{'cancel_work_sync' uses work item 'reset_work' before it is initialised: on this path from the start of module init 'seed_init' no INIT_WORK() has run{{.*}}[wq-uninit]}} cocci-misses: a global, not an allocation */
	cancel_work_sync(&reset_work);
	cancel_delayed_work_sync(&periodic_work);
	cancel_work_sync(&ready_work);
	cancel_work_sync(&static_work);
	cancel_work_sync(&helper_work);
	if (seed_wq)
		destroy_workqueue(seed_wq);
	return -ENOMEM;
}

static void __exit seed_exit(void)
{
	cancel_work_sync(&work); /* expected-note {{'work' is also used here by 'cancel_work_sync'}} */
	cancel_delayed_work_sync(&periodic_work);
	cancel_work_sync(&ready_work);
	cancel_work_sync(&static_work);
	cancel_work_sync(&helper_work);
	destroy_workqueue(seed_wq);
}

module_init(seed_init);
module_exit(seed_exit);

MODULE_DESCRIPTION("wqcheck sample: the chapter's first Don't, in module init");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
