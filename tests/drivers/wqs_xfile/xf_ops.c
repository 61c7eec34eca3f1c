// SPDX-License-Identifier: GPL-2.0
/* wqs_xfile: restarting through the ops table. */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/slab.h>
#include "xf.h"

static void xf_scan_work_fn(struct work_struct *w)
{
	struct xf_dev *xf = container_of(w, struct xf_dev, scan_work);

	xf->retries++;
}

int xf_restart(struct xf_dev *xf)
{
	return xf->ops->prepare(xf, GFP_KERNEL); /* crossfile-warning-re {{sleeping function 'kzalloc' with GFP flags that allow direct reclaim reached in atomic context (tasklet 'xf_rx_tasklet_fn') from another file; {{.*}}[wq-sleep-in-atomic]}} crossfile-note {{found by 'wqcheck report'}} */
	/* BUG(wq-sleep-in-atomic): the rx tasklet (xf_core.c) restarts the
	 * device, and the ops' prepare allocates with these flags. */
}

/* The same with flags that never sleep (negative). */
int xf_restart_atomic(struct xf_dev *xf)
{
	return xf->ops->prepare(xf, GFP_ATOMIC);
}

/* The scan work is set up when the first scan is asked for. */
void xf_ops_scan(struct xf_dev *xf)
{
	INIT_WORK(&xf->scan_work, xf_scan_work_fn); /* crossfile-note {{'scan_work' is initialised only here (in 'xf_ops_scan'), which probe does not reach}} */
	schedule_work(&xf->scan_work);
}

/* Events are allocated with their work item initialised at once, so every
 * event the remove path walks had its INIT_WORK(): the cross-file wq-uninit
 * rule says nothing about them (negative; the shape of 6.1 mlx4
 * mlx4_en_filter_alloc(), qede qede_rdma_add_event(), held-out Set H). */
static LIST_HEAD(xf_events);
static DEFINE_SPINLOCK(xf_events_lock);

static void xf_event_work_fn(struct work_struct *w)
{
	struct xf_event *ev = container_of(w, struct xf_event, work);

	ev->code = 0;
}

void xf_event_post(int code)
{
	struct xf_event *ev = kzalloc(sizeof(*ev), GFP_ATOMIC);

	if (!ev)
		return;
	ev->code = code;
	INIT_WORK(&ev->work, xf_event_work_fn);
	spin_lock(&xf_events_lock);
	list_add(&ev->node, &xf_events);
	spin_unlock(&xf_events_lock);
	schedule_work(&ev->work);
}

void xf_events_flush(void)
{
	struct xf_event *ev, *tmp;
	LIST_HEAD(done);

	spin_lock(&xf_events_lock);
	list_splice_init(&xf_events, &done);
	spin_unlock(&xf_events_lock);
	list_for_each_entry_safe(ev, tmp, &done, node)
		xf_event_release(ev);
}
