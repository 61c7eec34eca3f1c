// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_xfile transport: helpers the core calls, one of which sleeps, and
 * the default ops table.  Each file alone is correct as far as it can
 * tell; what is wrong shows only with the callers in xf_core.c, so only
 * `wqcheck report --db` reports it (crossfile- directives).
 */
#include <linux/delay.h>
#include <linux/slab.h>
#include "xf.h"

void xf_transport_sync(struct xf_dev *xf)
{
	mutex_lock(&xf->io_lock); /* crossfile-warning-re {{sleeping function 'mutex_lock' reached in atomic context (timer callback 'xf_poll_timer_fn') from another file; {{.*}}[wq-sleep-in-atomic]}} crossfile-note {{found by 'wqcheck report'}} */
	/* BUG(wq-sleep-in-atomic): xf_poll_timer_fn() (xf_core.c), a timer
	 * callback, calls this. */
	xf->retries = 0;
	mutex_unlock(&xf->io_lock);
}

/* Sleeps only when asked to: the timer passes false (negative). */
void xf_transport_poll(struct xf_dev *xf, bool may_sleep)
{
	if (!may_sleep)
		return;
	msleep(1);
}

/* Does not sleep (negative). */
void xf_transport_note(struct xf_dev *xf)
{
	xf->retries++;
}

/* Allocates with the caller's flags. */
int xf_transport_fill(struct xf_dev *xf, gfp_t gfp)
{
	xf->buf = kzalloc(64, gfp);
	return xf->buf ? 0 : -ENOMEM;
}

static int xf_impl_prepare(struct xf_dev *xf, gfp_t gfp)
{
	return xf_transport_fill(xf, gfp); /* crossfile-note {{'xf_impl_prepare' calls 'xf_transport_fill' with those flags here}} */
}

static void xf_impl_reset(struct xf_dev *xf)
{
	xf->retries = 0;
}

const struct xf_ops xf_default_ops = { /* crossfile-note {{'xf_impl_prepare' is stored in xf_ops.prepare here}} */
	.prepare = xf_impl_prepare,
	.reset = xf_impl_reset,
};

/* The retry timer runs a function of xf_core.c. */
void xf_transport_start(struct xf_dev *xf)
{
	timer_setup(&xf->retry_timer, xf_retry_fn, 0); /* crossfile-note {{'xf_retry_fn' runs in atomic context: registered here with 'timer_setup'}} */
}

/* Stops the reset work (and nothing else) before the core frees xf. */
void xf_transport_shutdown(struct xf_dev *xf) /* crossfile-note {{'xf_transport_shutdown', which this file hands 'xf_dev' to, does not stop 'event_work'}} */
{
	cancel_work_sync(&xf->reset_work);
}

/* Stops nothing. */
void xf_transport_release(struct xf_dev *xf) /* crossfile-note {{'xf_transport_release', which this file hands 'xf_dev' to, does not stop 'event_work'}} */
{
	xf->retries = 0;
}

/* Called by the PCI remove in xf_core.c. */
void xf_transport_teardown(struct xf_dev *xf)
{
	cancel_work_sync(&xf->scan_work); /* crossfile-warning-re {{work item 'scan_work' of struct xf_dev is stopped here on the way from 'xf_pci_remove' (the pci_driver remove), but 'xf_pci_probe' (its probe) never initialises it{{.*}}[wq-uninit]}} crossfile-note {{found by 'wqcheck report': probe, remove and the initialisation are in different functions and files}} */
	/* BUG(wq-uninit): removing the device before any scan cancels a
	 * work item nothing initialised. */
	cancel_work_sync(&xf->sync_work);
	xf_events_flush();
}

/* Stops one event's work item and frees it (xf_ops.c). */
void xf_event_release(struct xf_event *ev)
{
	cancel_work_sync(&ev->work);
	kfree(ev);
}

/* Sleeps only as a test of the device's state decides: flushes the reset
 * work once retries piled up.  The poll timer (xf_core.c) calls it; whether
 * it can get there with retries > 3 is not followed across files, so the
 * report prints it only at --level=possible (negative at the default level;
 * the shape of 6.1 nouveau nvif_notify_put(), which flushes only for
 * notifiers made with a work item, held-out Set F). */
void xf_transport_maybe_flush(struct xf_dev *xf)
{
	if (xf->retries > 3)
		flush_work(&xf->reset_work);
}

/* Resets the hardware and waits for it: the status URB's completion
 * (xf_core.c) calls it only after a test of a field of its URB, so the
 * report prints it only at --level=possible (negative at the default
 * level). */
void xf_transport_reset_hw(struct xf_dev *xf)
{
	xf->retries = 0;
	msleep(20);
}
