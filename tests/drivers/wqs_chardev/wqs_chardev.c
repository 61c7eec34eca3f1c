// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_chardev - misc device that offloads writes to a workqueue
 *
 * Every write() becomes a job that is processed asynchronously on a
 * module-wide freezable workqueue (jobs must not run while the system is
 * suspending).  A few ioctls report statistics, wait for the file's jobs
 * and ask for a notification once they are done.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/ioctl.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define WQS_CDEV_MAX_JOB	4096

struct wqs_cdev_stats {
	__u64 jobs_queued;
	__u64 jobs_done;
	__u64 bytes;
};

#define WQS_CDEV_IOC_MAGIC	'q'
#define WQS_CDEV_IOC_GET_STATS	_IOR(WQS_CDEV_IOC_MAGIC, 1, struct wqs_cdev_stats)
#define WQS_CDEV_IOC_INFLIGHT	_IOR(WQS_CDEV_IOC_MAGIC, 2, __u32)
#define WQS_CDEV_IOC_DRAIN	_IO(WQS_CDEV_IOC_MAGIC, 3)
#define WQS_CDEV_IOC_NOTIFY	_IO(WQS_CDEV_IOC_MAGIC, 4)

/* Per open file. */
struct wqs_cdev_ctx {
	spinlock_t lock;		/* protects stats */
	struct wqs_cdev_stats stats;
	atomic_t inflight;
	struct work_struct notify_work; /* expected-note {{'struct wqs_cdev_ctx.notify_work' is declared here; nothing in this file initialises it}} */
};

struct wqs_cdev_job {
	struct work_struct work;
	struct wqs_cdev_ctx *ctx;
	size_t len;
	u8 data[];
};

/*
 * One queue shared by all open files, one job at a time, so jobs run in
 * submission order.  This used to be create_workqueue(); the jobs now
 * have to stop while the system freezes.
 */
static struct workqueue_struct *wqs_cdev_wq;

/* Global, so that a finishing job never touches its ctx after the count. */
static DECLARE_WAIT_QUEUE_HEAD(wqs_cdev_idle_wq);

static void wqs_cdev_job_fn(struct work_struct *work)
{
	struct wqs_cdev_job *job = container_of(work, struct wqs_cdev_job, work);
	struct wqs_cdev_ctx *ctx = job->ctx;
	u32 csum = 0;
	size_t i;

	for (i = 0; i < job->len; i++)
		csum = (csum << 1) ^ job->data[i];
	/* Pretend the "device" takes a while: fine in a work handler. */
	msleep(2);
	pr_debug("wqs_chardev: job of %zu bytes, csum %08x\n", job->len, csum);

	spin_lock(&ctx->lock);
	ctx->stats.jobs_done++;
	ctx->stats.bytes += job->len;
	spin_unlock(&ctx->lock);

	/* The job owns itself: freeing it at the end of its handler is fine. */
	kfree(job);

	/* Last access to ctx: release() may free it once this reaches 0. */
	if (atomic_dec_and_test(&ctx->inflight))
		wake_up_all(&wqs_cdev_idle_wq);
}

static void wqs_cdev_notify_fn(struct work_struct *work)
{
	struct wqs_cdev_ctx *ctx = container_of(work, struct wqs_cdev_ctx,
						notify_work);

	/* Queued behind this file's jobs, so those have all run by now. */
	pr_info("wqs_chardev: jobs done, %d queued since\n",
		atomic_read(&ctx->inflight));
}

static int wqs_cdev_open(struct inode *inode, struct file *file)
{
	struct wqs_cdev_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;

	spin_lock_init(&ctx->lock);
	atomic_set(&ctx->inflight, 0);
	ctx->notify_work.func = wqs_cdev_notify_fn;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static ssize_t wqs_cdev_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct wqs_cdev_ctx *ctx = file->private_data;
	struct wqs_cdev_job *job;

	if (!count)
		return 0;
	count = min_t(size_t, count, WQS_CDEV_MAX_JOB);

	/* Process context, no locks held: GFP_KERNEL is fine. */
	job = kmalloc(struct_size(job, data, count), GFP_KERNEL);
	if (!job)
		return -ENOMEM;
	if (copy_from_user(job->data, buf, count)) {
		kfree(job);
		return -EFAULT;
	}
	job->ctx = ctx;
	job->len = count;

	spin_lock(&ctx->lock);
	ctx->stats.jobs_queued++;
	spin_unlock(&ctx->lock);

	atomic_inc(&ctx->inflight);
	INIT_WORK(&job->work, wqs_cdev_job_fn);
	queue_work(wqs_cdev_wq, &job->work);
	return count;
}

static long wqs_cdev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct wqs_cdev_ctx *ctx = file->private_data;
	void __user *argp = (void __user *)arg;
	long ret = 0;
	u32 inflight;

	switch (cmd) {
	case WQS_CDEV_IOC_GET_STATS:
		spin_lock(&ctx->lock); /* expected-note {{spinlock 'ctx->lock' taken here}} */
		/* BUG(wq-sleep-in-atomic): copy_to_user() may fault and sleep; called under ctx->lock */
		/* expected-warning-re@+1 {{sleeping function 'copy_to_user' called in atomic context (spinlock 'ctx->lock' held){{.*}}[wq-sleep-in-atomic]}} */
		if (copy_to_user(argp, &ctx->stats, sizeof(ctx->stats)))
			ret = -EFAULT;
		spin_unlock(&ctx->lock);
		break;
	case WQS_CDEV_IOC_INFLIGHT:
		/* Snapshot under the lock, copy out after unlocking (correct). */
		spin_lock(&ctx->lock);
		inflight = ctx->stats.jobs_queued - ctx->stats.jobs_done;
		spin_unlock(&ctx->lock);
		if (put_user(inflight, (__u32 __user *)argp))
			ret = -EFAULT;
		break;
	case WQS_CDEV_IOC_DRAIN:
		/* Flushing the module's own queue is fine. */
		flush_workqueue(wqs_cdev_wq);
		break;
	case WQS_CDEV_IOC_NOTIFY:
		/* BUG(wq-uninit): notify_work was never INIT_WORK()ed; open() kzalloc()s ctx and only assigns ->func */
		/* expected-warning-re@+1 {{work item 'struct wqs_cdev_ctx.notify_work' is queued here but never initialised in this file{{.*}}[wq-uninit]}} cocci-misses: never initialised anywhere in the file */
		queue_work(wqs_cdev_wq, &ctx->notify_work); /* expected-note {{'ctx->notify_work' is queued here}} */
		break;
	default:
		ret = -ENOTTY;
	}
	return ret;
}

static int wqs_cdev_release(struct inode *inode, struct file *file)
{
	struct wqs_cdev_ctx *ctx = file->private_data;

	/* Jobs free themselves; wait until the last one has run. */
	wait_event(wqs_cdev_idle_wq, atomic_read(&ctx->inflight) == 0);
	/* BUG(wq-free-before-cancel): notify_work may still be queued or running on wqs_cdev_wq */
	/* expected-warning-re@+1 {{'kfree' frees 'ctx' while its work item 'ctx->notify_work' may still be queued or running{{.*}}[wq-free-before-cancel]}} cocci-misses: queued in another function */
	kfree(ctx);
	return 0;
}

static const struct file_operations wqs_cdev_fops = {
	.owner		= THIS_MODULE,
	.open		= wqs_cdev_open,
	.release	= wqs_cdev_release,
	.write		= wqs_cdev_write,
	.unlocked_ioctl	= wqs_cdev_ioctl,
};

static struct miscdevice wqs_cdev_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "wqs_chardev",
	.fops	= &wqs_cdev_fops,
};

static int __init wqs_cdev_init(void)
{
	int ret;

	wqs_cdev_wq = create_freezable_workqueue("wqs_chardev"); /* expected-warning-re {{'create_freezable_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
	if (!wqs_cdev_wq)
		return -ENOMEM;

	ret = misc_register(&wqs_cdev_misc);
	if (ret) {
		destroy_workqueue(wqs_cdev_wq);
		return ret;
	}
	return 0;
}

static void __exit wqs_cdev_exit(void)
{
	misc_deregister(&wqs_cdev_misc);
	destroy_workqueue(wqs_cdev_wq);
}

module_init(wqs_cdev_init);
module_exit(wqs_cdev_exit);

MODULE_DESCRIPTION("wqcheck sample: misc device offloading writes to a workqueue");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
