// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_seed_dos - the workqueue chapter's "Best Practices": Do and Don't
 *
 * Both lists of the seed chapter in one module, as a reader would try
 * them.  The "Do"s are what the module does: jobs that free themselves in
 * their handler (on a private queue, destroyed in module exit), and a kept
 * object stopped with cancel_work_sync() before kfree().  The "Don't"s are
 * separate functions on separate objects, run only when the write-only
 * parameter `dont` is set (1: queue an uninitialised work item, 2: free
 * the object while its work may run, then queue it), so that each is
 * reported where it is and nothing else is.
 *
 * Completed only as far as needed to build as a module: struct my_data,
 * the handlers' bodies, the allocation and INIT_WORK() of the objects and
 * the parameter.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct my_data {
	struct work_struct work;
	int value;
};

static struct workqueue_struct *my_wq;

/* ---- Do ---- */

/* DO: Free resources in work handler */
static void cleanup_work(struct work_struct *work)
{
	struct my_data *data = container_of(work, struct my_data, work);
	/* ... process ... */
	pr_info("job %d done\n", data->value);
	kfree(data);
}

/* A job that owns itself: queued and forgotten, its handler frees it. */
static int start_job(int value)
{
	struct my_data *job = kzalloc(sizeof(*job), GFP_KERNEL);

	if (!job)
		return -ENOMEM;
	job->value = value;
	INIT_WORK(&job->work, cleanup_work);
	queue_work(my_wq, &job->work);
	return 0;
}

/* A kept object: its handler does not free it. */
static void process_data(struct work_struct *work)
{
	struct my_data *data = container_of(work, struct my_data, work);

	data->value++;
	msleep(10);
}

static void destroy_data(struct my_data *data)
{
	/* DO: Check if work is pending before freeing */
	cancel_work_sync(&data->work);
	kfree(data);
}

/* ---- Don't ---- */

static struct work_struct work; /* expected-note {{'work' is defined here without an initialiser; nothing in this file initialises it}} */
static struct my_data *data;

static void dont_use_uninitialized(void)
{
	/* DON'T: Use uninitialized work */
	/* BUG(wq-uninit): `work` is never initialised in this file */
	/* expected-warning-re@+1 {{work item 'work' is queued here but never initialised in this file{{.*}}[wq-uninit]}} cocci-misses: never initialised anywhere in the file */
	schedule_work(&work);  /* Crash! Not initialized */
}

static void dont_free_while_running(void)
{
	/* DON'T: Free while work is running */
	/* BUG(wq-free-before-cancel): data->work was queued in module init and may still run */
	/* The evidence: module init queues data->work through the same global pointer, and nothing waits for it through 'data'. */
	/* expected-warning-re@+1 {{'kfree' frees 'data' while its work item 'data->work' (handler 'cleanup_work') may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: queued in another function */
	kfree(data);  /* Work might still be using it! */
	/* BUG(wq-free-before-cancel): queueing the work item of the object just freed */
	/* expected-warning-re@+2 {{'schedule_work' queues work item 'data->work' after 'data' was freed{{.*}}[wq-free-before-cancel]}} */
	/* expected-note@-3 {{'data' is freed here}} */
	schedule_work(&data->work);
}

static int dont_set(const char *val, const struct kernel_param *kp)
{
	int which;
	int ret = kstrtoint(val, 0, &which);

	if (ret)
		return ret;
	switch (which) {
	case 1:
		dont_use_uninitialized();
		return 0;
	case 2:
		dont_free_while_running();
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct kernel_param_ops dont_ops = {
	.set = dont_set,
};
module_param_cb(dont, &dont_ops, NULL, 0200);
MODULE_PARM_DESC(dont, "run one of the chapter's Don'ts (1 or 2)");

/* ---- module init/exit ---- */

static int __init my_init(void)
{
	int i;

	my_wq = alloc_workqueue("wqs_seed_dos", WQ_MEM_RECLAIM, 0);
	if (!my_wq)
		return -ENOMEM;

	data = kzalloc(sizeof(*data), GFP_KERNEL);
	if (!data) {
		destroy_workqueue(my_wq);
		return -ENOMEM;
	}
	INIT_WORK(&data->work, process_data);
	schedule_work(&data->work); /* expected-note {{'data->work' is queued here, and nothing in this file waits for it through 'data'}} */

	for (i = 0; i < 4; i++)
		if (start_job(i))
			break;
	return 0;
}

static void __exit my_exit(void)
{
	destroy_data(data);
	/* Waits for the self-freeing jobs still queued. */
	destroy_workqueue(my_wq);
}

module_init(my_init);
module_exit(my_exit);

MODULE_DESCRIPTION("wqcheck sample: the workqueue chapter's Do and Don't lists");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
