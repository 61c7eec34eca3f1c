// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_onstack - synchronous mailbox requests run on a worker
 *
 * A register-mailbox driver runs each request on a work item that lives
 * in the caller's stack frame: the caller queues it, waits for it and
 * returns the result (as work_on_cpu(), dm-snapshot's chunk reads and the
 * PCI DOE mailbox do).  A work item on the stack must be set up with the
 * _ONSTACK initialisers, destroyed before the frame goes away, and never
 * left queued when the function returns.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/completion.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct wqs_mbox_req {
	struct work_struct work;
	struct completion done;
	u32 cmd;
	u32 result;
};

struct wqs_mbox_poll {
	struct delayed_work dwork;
	u32 status;
};

static struct workqueue_struct *wqs_mbox_wq;

static void wqs_mbox_run(struct work_struct *work)
{
	struct wqs_mbox_req *req = container_of(work, struct wqs_mbox_req, work);

	req->result = req->cmd ^ 0x5a5a5a5a;
	complete(&req->done);
}

static void wqs_mbox_poll_fn(struct work_struct *work)
{
	struct wqs_mbox_poll *p = container_of(to_delayed_work(work),
					       struct wqs_mbox_poll, dwork);

	p->status = 1;
}

/* Correct: the usual on-stack request, waited for through its completion. */
static int wqs_mbox_call(u32 cmd, u32 *result)
{
	struct wqs_mbox_req req = { .cmd = cmd };

	init_completion(&req.done);
	INIT_WORK_ONSTACK(&req.work, wqs_mbox_run);
	queue_work(wqs_mbox_wq, &req.work);
	wait_for_completion(&req.done);
	destroy_work_on_stack(&req.work);
	*result = req.result;
	return 0;
}

/* Correct: flush_work() waits; the delayed item is cancelled and destroyed. */
static u32 wqs_mbox_call_flush(u32 cmd)
{
	struct wqs_mbox_req req = { .cmd = cmd };
	struct wqs_mbox_poll poll = { };
	u32 result;

	init_completion(&req.done);
	INIT_WORK_ONSTACK(&req.work, wqs_mbox_run);
	INIT_DELAYED_WORK_ONSTACK(&poll.dwork, wqs_mbox_poll_fn);
	schedule_work(&req.work);
	queue_delayed_work(wqs_mbox_wq, &poll.dwork, HZ);
	flush_work(&req.work);
	cancel_delayed_work_sync(&poll.dwork);
	result = req.result;
	destroy_delayed_work_on_stack(&poll.dwork);
	destroy_work_on_stack(&req.work);
	return result;
}

/* Correct: flushing the queue it was queued on waits for it too. */
static u32 wqs_mbox_call_queue_flush(u32 cmd)
{
	struct wqs_mbox_req req = { .cmd = cmd };

	init_completion(&req.done);
	INIT_WORK_ONSTACK(&req.work, wqs_mbox_run);
	queue_work(wqs_mbox_wq, &req.work);
	flush_workqueue(wqs_mbox_wq);
	destroy_work_on_stack(&req.work);
	return req.result;
}

/* Correct: a request on the heap is no on-stack item. */
static int wqs_mbox_call_async(u32 cmd)
{
	struct wqs_mbox_req *req = kzalloc(sizeof(*req), GFP_KERNEL);

	if (!req)
		return -ENOMEM;
	req->cmd = cmd;
	init_completion(&req->done);
	INIT_WORK(&req->work, wqs_mbox_run);
	queue_work(wqs_mbox_wq, &req->work);
	wait_for_completion(&req->done);
	kfree(req);
	return 0;
}

/*
 * BUG(wq-onstack): the request lives on the stack but is set up with
 * INIT_WORK(); with CONFIG_DEBUG_OBJECTS_WORK the kernel warns.
 */
static u32 wqs_mbox_call_plain(u32 cmd)
{
	struct wqs_mbox_req req = { .cmd = cmd }; /* expected-note {{'req' is a local variable of 'wqs_mbox_call_plain'}} */

	init_completion(&req.done);
	INIT_WORK(&req.work, wqs_mbox_run); /* expected-warning-re {{work item 'req.work' is on the stack of 'wqs_mbox_call_plain' but initialised with INIT_WORK(){{.*}}use INIT_WORK_ONSTACK() and call destroy_work_on_stack() before it goes out of scope [wq-onstack]}} cocci-misses: the script looks only at _ONSTACK items (its file filter) */
	queue_work(wqs_mbox_wq, &req.work);
	wait_for_completion(&req.done);
	return req.result;
}

/*
 * BUG(wq-onstack): the error return skips destroy_work_on_stack() (the
 * PCI DOE mailbox bug, upstream abf04be0e707 "PCI/DOE: Fix memory leak
 * with CONFIG_DEBUG_OBJECTS=y").
 */
static int wqs_mbox_call_checked(u32 cmd, u32 *result)
{
	struct wqs_mbox_req req = { .cmd = cmd };

	if (!wqs_mbox_wq)
		return -ENODEV;
	init_completion(&req.done);
	INIT_WORK_ONSTACK(&req.work, wqs_mbox_run); /* expected-warning-re {{on-stack work item 'req.work' is initialised for the stack here but not destroyed on every path{{.*}}call destroy_work_on_stack(&req.work) before 'wqs_mbox_call_checked' returns [wq-onstack]}} */
	queue_work(wqs_mbox_wq, &req.work);
	wait_for_completion(&req.done);
	if (req.result == 0)
		return -EIO; /* expected-note {{this path returns without destroy_work_on_stack()}} */
	destroy_work_on_stack(&req.work);
	*result = req.result;
	return 0;
}

/*
 * BUG(wq-onstack): a pending signal returns before the flush, while the
 * request may still be queued: the handler then writes into a dead frame.
 */
static int wqs_mbox_call_interruptible(u32 cmd, u32 *result)
{
	struct wqs_mbox_req req = { .cmd = cmd };

	init_completion(&req.done);
	INIT_WORK_ONSTACK(&req.work, wqs_mbox_run); /* cocci-reports(wq-onstack): the EINTR path also lacks the destroy; the Clang check reports it as the use after return below */
	queue_work(wqs_mbox_wq, &req.work); /* expected-note {{'req.work' is queued here, and nothing waits for it on the path that follows}} */
	if (signal_pending(current))
		return -EINTR; /* expected-warning-re {{'wqs_mbox_call_interruptible' returns while on-stack work item 'req.work' may still be queued or running: the worker would run its handler on a dead stack frame{{.*}}[wq-onstack]}} */
	flush_work(&req.work);
	destroy_work_on_stack(&req.work);
	*result = req.result;
	return 0;
}

static int __init wqs_onstack_init(void)
{
	u32 r = 0;
	int ret;

	wqs_mbox_wq = alloc_workqueue("wqs_mbox", WQ_UNBOUND, 1);
	if (!wqs_mbox_wq)
		return -ENOMEM;
	ret = wqs_mbox_call(1, &r);
	if (!ret)
		ret = wqs_mbox_call_checked(r, &r);
	if (!ret)
		ret = wqs_mbox_call_interruptible(r, &r);
	if (!ret)
		ret = wqs_mbox_call_async(r);
	r += wqs_mbox_call_flush(r) + wqs_mbox_call_queue_flush(r) +
	     wqs_mbox_call_plain(r);
	pr_debug("wqs_onstack: %u\n", r);
	if (ret)
		destroy_workqueue(wqs_mbox_wq);
	return ret;
}

static void __exit wqs_onstack_exit(void)
{
	destroy_workqueue(wqs_mbox_wq);
}

module_init(wqs_onstack_init);
module_exit(wqs_onstack_exit);

MODULE_DESCRIPTION("wqcheck sample: work items on the stack");
MODULE_LICENSE("GPL");
