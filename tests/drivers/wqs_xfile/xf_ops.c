// SPDX-License-Identifier: GPL-2.0
/* wqs_xfile: restarting through the ops table. */
#include <linux/gfp.h>
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
