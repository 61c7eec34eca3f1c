// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_custom_wq - checksum-and-commit engine built on private workqueues
 *
 * Buffers submitted to a channel are checksummed on that channel's
 * per-CPU workqueue, then committed in order by a single commit worker.
 * A background scrubber and an index rebuild run on other queues.
 *
 * The driver predates alloc_workqueue(): the channel and commit queues
 * still use the legacy constructors, the newer queues do not.
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md lists the
 * deliberate bugs and the correct look-alikes in this file).
 */

#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#define WQS_NR_CHAN		2
#define WQS_JOB_LEN		512

/* Channel queues: one worker per CPU, as in the old days. */
#define WQS_CHAN_WQ(name)	create_workqueue(name) /* expected-warning-re {{'create_workqueue' is deprecated{{.*}}[wq-deprecated]}} */

struct wqs_chan {
	char name[16];
	struct workqueue_struct *wq;
	spinlock_t lock;		/* protects pending and done */
	struct list_head pending;	/* queued, not yet checksummed */
	struct list_head done;		/* checksummed, waiting for commit */
};

struct wqs_job {
	struct work_struct work;
	struct list_head node;
	struct wqs_chan *chan;
	unsigned int id;
	u32 csum;
	size_t len;
	u8 *buf;
};

static struct wqs_chan wqs_chans[WQS_NR_CHAN];
static struct kmem_cache *wqs_job_cache;
static struct workqueue_struct *wqs_commit_wq;	/* strictly ordered */
static struct workqueue_struct *wqs_scrub_wq;
static struct workqueue_struct *wqs_log_wq;
static DEFINE_SPINLOCK(wqs_commit_lock);
static unsigned long wqs_committed;
static atomic_t wqs_next_id = ATOMIC_INIT(0);

static void wqs_commit_fn(struct work_struct *work);
static void wqs_scrub_fn(struct work_struct *work);
static void wqs_rebuild_fn(struct work_struct *work);
static void wqs_log_fn(struct work_struct *work);

static DECLARE_WORK(wqs_commit_work, wqs_commit_fn);
static DECLARE_WORK(wqs_scrub_work, wqs_scrub_fn);
static DECLARE_WORK(wqs_rebuild_work, wqs_rebuild_fn);
static DECLARE_WORK(wqs_log_work, wqs_log_fn);

static void wqs_job_fn(struct work_struct *work)
{
	struct wqs_job *job = container_of(work, struct wqs_job, work);
	struct wqs_chan *chan = job->chan;
	u32 csum = ~0u;
	size_t i;

	for (i = 0; i < job->len; i++)
		csum = (csum >> 1) ^ (job->buf[i] * 0x9e3779b1u);
	job->csum = csum;

	/* Hand the job over to the commit worker; it frees the job. */
	spin_lock(&chan->lock);
	list_move_tail(&job->node, &chan->done);
	spin_unlock(&chan->lock);

	queue_work(wqs_commit_wq, &wqs_commit_work);
}

static void wqs_commit_fn(struct work_struct *work)
{
	struct wqs_job *job, *tmp;
	LIST_HEAD(batch);
	int i;

	spin_lock(&wqs_commit_lock); /* expected-note {{spinlock 'wqs_commit_lock' taken here}} */
	for (i = 0; i < WQS_NR_CHAN; i++) {
		/* BUG(wq-sleep-in-atomic): flush_workqueue() sleeps; called under wqs_commit_lock */
		/* expected-warning-re@+1 {{sleeping function 'flush_workqueue' called in atomic context (spinlock 'wqs_commit_lock' held){{.*}}[wq-sleep-in-atomic]}} */
		flush_workqueue(wqs_chans[i].wq);

		spin_lock(&wqs_chans[i].lock);
		list_splice_tail_init(&wqs_chans[i].done, &batch);
		spin_unlock(&wqs_chans[i].lock);
	}
	spin_unlock(&wqs_commit_lock);

	list_for_each_entry_safe(job, tmp, &batch, node) {
		pr_debug("wqs_custom_wq: commit %s/%u csum %08x\n",
			 job->chan->name, job->id, job->csum);
		list_del(&job->node);
		kfree(job->buf);
		/* Its handler has finished with it: freeing is fine. */
		kmem_cache_free(wqs_job_cache, job);
		wqs_committed++;
	}
	queue_work(wqs_log_wq, &wqs_log_work);
}

static void wqs_scrub_fn(struct work_struct *work)
{
	pr_debug("wqs_custom_wq: scrub pass\n");
}

static void wqs_rebuild_fn(struct work_struct *work)
{
	pr_info("wqs_custom_wq: index rebuilt\n");
}

static void wqs_log_fn(struct work_struct *work)
{
	pr_debug("wqs_custom_wq: %lu jobs committed\n", wqs_committed);
}

static int wqs_submit(unsigned int ch, const void *data, size_t len)
{
	struct wqs_chan *chan = &wqs_chans[ch];
	struct wqs_job *job;
	u8 *buf;
	int cpu;

	/* No locks, no preemption disabled: GFP_KERNEL is fine here. */
	buf = kmemdup(data, len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	cpu = get_cpu(); /* expected-note {{preemption disabled here by 'get_cpu'}} */
	/* BUG(wq-sleep-in-atomic): GFP_KERNEL allocation between get_cpu() and put_cpu() */
	/* expected-warning-re@+1 {{sleeping function 'kmem_cache_zalloc' with GFP flags that allow direct reclaim called in atomic context (preemption disabled){{.*}}[wq-sleep-in-atomic]}} */
	job = kmem_cache_zalloc(wqs_job_cache, GFP_KERNEL);
	if (!job) {
		put_cpu();
		kfree(buf);
		return -ENOMEM;
	}
	job->chan = chan;
	job->buf = buf;
	job->len = len;
	job->id = atomic_inc_return(&wqs_next_id);
	INIT_WORK(&job->work, wqs_job_fn);

	spin_lock(&chan->lock);
	list_add_tail(&job->node, &chan->pending);
	spin_unlock(&chan->lock);

	/* Checksum on the submitting CPU while the data is cache-hot. */
	queue_work_on(cpu, chan->wq, &job->work); /* possible-note {{'job->work' is queued here}} */
	put_cpu();
	return 0;
}

static void wqs_chan_abort(struct wqs_chan *chan)
{
	struct wqs_job *job, *tmp;

	spin_lock(&chan->lock);
	list_for_each_entry_safe(job, tmp, &chan->pending, node) {
		list_del(&job->node);
		kfree(job->buf);
		/* BUG(wq-free-before-cancel): job->work may still be queued on chan->wq; nothing cancels it before wqs_destroy_queues().  Reported at --level=possible only: that the jobs on the pending list are the queued ones is not visible to wqcheck, and the file does stop job->work elsewhere */
		/* possible-warning-re@+2 {{'kmem_cache_free' frees 'job' while its work item 'job->work' (handler 'wqs_job_fn') may still be queued or running{{.*}}[wq-free-before-cancel]}} */
		/* possible-note@+1 {{reported at --level=possible only: the file stops it with a waiting call elsewhere (in 'wqs_destroy_queues')}} */
		kmem_cache_free(wqs_job_cache, job);
	}
	spin_unlock(&chan->lock);
}

/* Not flush_scheduled_work(): waits only for this driver's own queues. */
static void wqs_flush_scheduled_work_items(void)
{
	int i;

	for (i = 0; i < WQS_NR_CHAN; i++)
		flush_workqueue(wqs_chans[i].wq);
	flush_workqueue(wqs_commit_wq);
	flush_workqueue(wqs_log_wq);
}

static void wqs_destroy_queues(void)
{
	int i;

	for (i = 0; i < WQS_NR_CHAN; i++)
		if (wqs_chans[i].wq)
			destroy_workqueue(wqs_chans[i].wq);
	if (wqs_commit_wq)
		destroy_workqueue(wqs_commit_wq);
	if (wqs_scrub_wq)
		destroy_workqueue(wqs_scrub_wq);
	if (wqs_log_wq)
		destroy_workqueue(wqs_log_wq);
}

static int __init wqs_custom_init(void)
{
	static const u8 pattern[WQS_JOB_LEN] = { 0xa5, 0x5a };
	int i, ret = -ENOMEM;

	wqs_job_cache = KMEM_CACHE(wqs_job, 0);
	if (!wqs_job_cache)
		return -ENOMEM;

	for (i = 0; i < WQS_NR_CHAN; i++) {
		struct wqs_chan *chan = &wqs_chans[i];

		snprintf(chan->name, sizeof(chan->name), "wqs_chan%d", i);
		spin_lock_init(&chan->lock);
		INIT_LIST_HEAD(&chan->pending);
		INIT_LIST_HEAD(&chan->done);
		chan->wq = WQS_CHAN_WQ(chan->name);
		if (!chan->wq)
			goto err;
	}

	wqs_commit_wq = create_singlethread_workqueue("wqs_commit"); /* expected-warning-re {{'create_singlethread_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
	/* New code: no create_workqueue() or create_singlethread_workqueue(). */
	wqs_scrub_wq = alloc_workqueue("wqs_scrub", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	wqs_log_wq = alloc_ordered_workqueue("wqs_%s_log", WQ_MEM_RECLAIM, "custom");
	if (!wqs_commit_wq || !wqs_scrub_wq || !wqs_log_wq)
		goto err;

	pr_info("wqs_custom_wq: scrub queue no longer uses create_workqueue()\n");
	queue_work(wqs_scrub_wq, &wqs_scrub_work);
	/* The index rebuild can take seconds: use the long-running queue. */
	queue_work(system_long_wq, &wqs_rebuild_work);

	for (i = 0; i < WQS_NR_CHAN; i++) {
		ret = wqs_submit(i, pattern, sizeof(pattern));
		if (ret)
			pr_warn("wqs_custom_wq: submit on %d failed\n", i);
	}
	return 0;

err:
	wqs_destroy_queues();
	kmem_cache_destroy(wqs_job_cache);
	return ret;
}

static void __exit wqs_custom_exit(void)
{
	int i;

	for (i = 0; i < WQS_NR_CHAN; i++)
		wqs_chan_abort(&wqs_chans[i]);
	wqs_flush_scheduled_work_items();

	cancel_work_sync(&wqs_scrub_work);
	flush_workqueue(wqs_scrub_wq);
	/* The index rebuild may still be running on system_long_wq. */
	/* expected-warning-re@+1 {{flushing the system-wide workqueue 'system_long_wq' is deprecated{{.*}}[wq-deprecated]}} */
	flush_workqueue(system_long_wq);

	wqs_destroy_queues();
	kmem_cache_destroy(wqs_job_cache);
	pr_info("wqs_custom_wq: %lu jobs committed\n", wqs_committed);
}

module_init(wqs_custom_init);
module_exit(wqs_custom_exit);

MODULE_DESCRIPTION("wqcheck sample: legacy and modern custom workqueues");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
