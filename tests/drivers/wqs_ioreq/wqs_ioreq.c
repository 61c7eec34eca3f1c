// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_ioreq - deferred I/O requests on a private workqueue
 *
 * Follows the "Deferred I/O" and "Recurring Work" patterns of the
 * workqueue tutorial: every request is a kmalloc()ed struct io_request
 * with an embedded work_struct; its handler performs the (simulated)
 * I/O, calls the completion callback and frees the request.  A periodic
 * delayed work reports progress and submits a keep-alive request.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

static unsigned int periodic_ms = 1000;
module_param(periodic_ms, uint, 0444);
MODULE_PARM_DESC(periodic_ms, "progress report interval in ms, 0 = off");

static unsigned int nr_selftest = 8;
module_param(nr_selftest, uint, 0444);
MODULE_PARM_DESC(nr_selftest, "requests submitted at load time");

#define IOREQ_BUF_SIZE		4096
#define IOREQ_DUMP_EVERY	16

struct io_request {
	struct work_struct work;
	struct list_head node;		/* on ioreq_pending until it runs */
	void *buffer;
	size_t size;
	loff_t offset;
	unsigned int seq;
	void (*callback)(struct io_request *req, int result);
};

struct ioreq_stats {
	struct work_struct dump_work;
	atomic_long_t completed;
	atomic_long_t failed;
};

static struct workqueue_struct *io_wq;
static struct workqueue_struct *io_done_wq;
static struct ioreq_stats *ioreq_stats;
static DEFINE_SPINLOCK(ioreq_lock);	/* protects ioreq_pending, ioreq_seq */
static LIST_HEAD(ioreq_pending);
static unsigned int ioreq_seq;
static struct delayed_work periodic_work;
static u8 ioreq_buf[IOREQ_BUF_SIZE];

static void io_work_handler(struct work_struct *work)
{
	struct io_request *req = container_of(work, struct io_request, work);
	int result = 0;

	spin_lock(&ioreq_lock);
	list_del_init(&req->node);
	spin_unlock(&ioreq_lock);

	pr_debug("wqs_ioreq: request %u: offset=%lld, size=%zu\n",
		 req->seq, req->offset, req->size);

	/* Simulate I/O: a work handler may sleep. */
	msleep(50);
	if (req->offset + req->size > IOREQ_BUF_SIZE)
		result = -EINVAL;

	if (req->callback)
		req->callback(req, result);

	/* The request owns itself: freeing it here is correct. */
	kfree(req);
}

static void ioreq_dump_stats(struct work_struct *work)
{
	struct ioreq_stats *st = container_of(work, struct ioreq_stats,
					      dump_work);

	pr_info("wqs_ioreq: %ld completed, %ld failed\n",
		atomic_long_read(&st->completed), atomic_long_read(&st->failed));
}

static void ioreq_complete(struct io_request *req, int result)
{
	long done;

	if (result)
		atomic_long_inc(&ioreq_stats->failed);
	done = atomic_long_inc_return(&ioreq_stats->completed);
	if (done % IOREQ_DUMP_EVERY == 0)
		queue_work(io_done_wq, &ioreq_stats->dump_work);
}

static void ioreq_fill(struct io_request *req, void *buffer, size_t size,
		       loff_t offset,
		       void (*callback)(struct io_request *, int))
{
	req->buffer = buffer;
	req->size = size;
	req->offset = offset;
	req->callback = callback;
	INIT_WORK(&req->work, io_work_handler);
}

static int submit_io_request(void *buffer, size_t size, loff_t offset,
			     void (*callback)(struct io_request *, int))
{
	struct io_request *req;

	spin_lock(&ioreq_lock); /* expected-note {{spinlock 'ioreq_lock' taken here}} */
	/* BUG(wq-sleep-in-atomic): GFP_KERNEL allocation under ioreq_lock */
	/* expected-warning-re@+1 {{sleeping function 'kmalloc' with GFP flags that allow direct reclaim called in atomic context (spinlock 'ioreq_lock' held){{.*}}[wq-sleep-in-atomic]}} */
	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req) {
		spin_unlock(&ioreq_lock);
		return -ENOMEM;
	}
	req->seq = ++ioreq_seq;
	list_add_tail(&req->node, &ioreq_pending);
	spin_unlock(&ioreq_lock);

	ioreq_fill(req, buffer, size, offset, callback);
	queue_work(io_wq, &req->work); /* possible-note {{'req->work' is queued here}} */
	return 0;	/* request queued */
}

/* Same as submit_io_request() for callers that must not sleep. */
static int submit_io_request_nowait(void *buffer, size_t size, loff_t offset,
				    void (*callback)(struct io_request *, int))
{
	struct io_request *req;

	spin_lock(&ioreq_lock);
	/* GFP_ATOMIC under the spinlock is correct. */
	req = kmalloc(sizeof(*req), GFP_ATOMIC);
	if (!req) {
		spin_unlock(&ioreq_lock);
		return -ENOMEM;
	}
	req->seq = ++ioreq_seq;
	list_add_tail(&req->node, &ioreq_pending);
	spin_unlock(&ioreq_lock);

	ioreq_fill(req, buffer, size, offset, callback);
	queue_work(io_wq, &req->work);
	return 0;
}

static void periodic_handler(struct work_struct *work)
{
	unsigned int pending = 0;
	struct io_request *req;

	spin_lock(&ioreq_lock);
	list_for_each_entry(req, &ioreq_pending, node)
		pending++;
	spin_unlock(&ioreq_lock);

	pr_info("wqs_ioreq: %u requests pending\n", pending);
	if (submit_io_request_nowait(ioreq_buf, 64, 0, ioreq_complete))
		pr_warn("wqs_ioreq: keep-alive request failed\n");

	/* Reschedule ourselves. */
	schedule_delayed_work(&periodic_work, msecs_to_jiffies(periodic_ms));
}

static void start_periodic(void)
{
	INIT_DELAYED_WORK(&periodic_work, periodic_handler);
	schedule_delayed_work(&periodic_work, msecs_to_jiffies(periodic_ms));
}

static void stop_periodic(void)
{
	/* Correct for a self-rearming delayed work. */
	cancel_delayed_work_sync(&periodic_work);
}

static int __init io_init(void)
{
	unsigned int i;

	io_wq = alloc_workqueue("io_worker", WQ_MEM_RECLAIM, 4);
	if (!io_wq)
		return -ENOMEM;

	io_done_wq = create_singlethread_workqueue("io_done"); /* expected-warning-re {{'create_singlethread_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
	if (!io_done_wq)
		goto err_io_wq;

	ioreq_stats = kzalloc(sizeof(*ioreq_stats), GFP_KERNEL);
	if (!ioreq_stats)
		goto err_done_wq;
	INIT_WORK(&ioreq_stats->dump_work, ioreq_dump_stats);

	if (periodic_ms)
		start_periodic();

	for (i = 0; i < nr_selftest; i++)
		if (submit_io_request(ioreq_buf, 512, i * 512, ioreq_complete))
			break;
	return 0;

err_done_wq:
	destroy_workqueue(io_done_wq);
err_io_wq:
	destroy_workqueue(io_wq);
	return -ENOMEM;
}

static void __exit io_exit(void)
{
	struct io_request *req, *tmp;

	/* KNOWN MISS(wq-uninit): periodic_work is only INIT_DELAYED_WORK()ed when periodic_ms != 0 (io_init), stop_periodic() cancels it unconditionally; wqcheck does not follow module_init into module_exit (docs/checks/wq-uninit.md) */
	stop_periodic();

	/* Drop the requests that have not started yet. */
	spin_lock(&ioreq_lock);
	list_for_each_entry_safe(req, tmp, &ioreq_pending, node) {
		list_del(&req->node);
		/* BUG(wq-free-before-cancel): req->work is still queued on io_wq, destroy_workqueue() below will run it.  Reported at --level=possible only: the handler frees requests itself, and that the pending list holds queued ones is not visible to wqcheck */
		/* possible-warning-re@+2 {{'kfree' frees 'req' while its work item 'req->work' (handler 'io_work_handler') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
		/* possible-note@+1 {{reported at --level=possible only: its handler 'io_work_handler' frees the object itself}} */
		kfree(req);
	}
	spin_unlock(&ioreq_lock);

	/* No handler can queue dump_work once io_wq is gone. */
	destroy_workqueue(io_wq);
	/* Cancel before freeing the container (correct). */
	cancel_work_sync(&ioreq_stats->dump_work);
	destroy_workqueue(io_done_wq);
	kfree(ioreq_stats);
}

module_init(io_init);
module_exit(io_exit);

MODULE_DESCRIPTION("wqcheck sample: deferred I/O requests and recurring work");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
