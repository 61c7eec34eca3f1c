// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_seed_io - the workqueue chapter's "Complete Example: Deferred I/O"
 *
 * The chapter's complete module as written.  Completed only as far as
 * needed to build warning-free as a module: <linux/delay.h> for msleep(),
 * submit_io_request() is static (6.8+ warns about a global function
 * without a prototype) and module init submits one request so that it is
 * used.  Every request owns itself: its handler frees it (a "Do" of the
 * chapter), and destroy_workqueue() in module exit waits for the requests
 * still queued.  The whole file must stay silent.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */
/* expected-no-diagnostics */

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/workqueue.h>
#include <linux/slab.h>

struct io_request {
	struct work_struct work;
	void *buffer;
	size_t size;
	loff_t offset;
	void (*callback)(struct io_request *, int result);
};

static struct workqueue_struct *io_wq;

static void io_work_handler(struct work_struct *work)
{
	struct io_request *req = container_of(work, struct io_request, work);
	int result;

	pr_info("Processing I/O request: offset=%lld, size=%zu\n",
		req->offset, req->size);

	/* Simulate I/O (can sleep!) */
	msleep(50);
	result = 0;  /* Success */

	/* Call completion callback */
	if (req->callback)
		req->callback(req, result);

	kfree(req);
}

static int submit_io_request(void *buffer, size_t size, loff_t offset,
			     void (*callback)(struct io_request *, int))
{
	struct io_request *req;

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;

	req->buffer = buffer;
	req->size = size;
	req->offset = offset;
	req->callback = callback;

	INIT_WORK(&req->work, io_work_handler);
	queue_work(io_wq, &req->work);

	return 0;  /* Request queued */
}

static char io_buffer[512];

static void io_done(struct io_request *req, int result)
{
	pr_info("I/O request at %lld done: %d\n", req->offset, result);
}

static int __init io_init(void)
{
	int ret;

	io_wq = alloc_workqueue("io_worker", WQ_MEM_RECLAIM, 4);
	if (!io_wq)
		return -ENOMEM;

	ret = submit_io_request(io_buffer, sizeof(io_buffer), 0, io_done);
	if (ret)
		destroy_workqueue(io_wq);
	return ret;
}

static void __exit io_exit(void)
{
	destroy_workqueue(io_wq);
}

module_init(io_init);
module_exit(io_exit);
MODULE_LICENSE("GPL");
