/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of the wqs_xfile sample (see Kbuild). */
#ifndef WQS_XFILE_H
#define WQS_XFILE_H

#include <linux/interrupt.h>
#include <linux/pci.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

struct xf_dev;

struct xf_ops {
	int (*prepare)(struct xf_dev *xf, gfp_t gfp);
	void (*reset)(struct xf_dev *xf);
};

struct xf_dev {
	spinlock_t lock;
	struct mutex io_lock;
	struct timer_list poll_timer;
	struct timer_list retry_timer;
	struct tasklet_struct rx_tasklet;
	const struct xf_ops *ops;
	void *buf;
	int retries;
	struct work_struct event_work;
	struct work_struct reset_work;
	struct work_struct scan_work;	/* set up on the first scan */
	struct work_struct sync_work;	/* set up by probe */
	struct urb *status_urb;
	unsigned int hard_pipe;
};

/* Events, each with its own work item, created on demand (xf_ops.c). */
struct xf_event {
	struct list_head node;
	struct work_struct work;
	int code;
};

/* xf_transport.c */
void xf_transport_sync(struct xf_dev *xf);
void xf_transport_poll(struct xf_dev *xf, bool may_sleep);
void xf_transport_note(struct xf_dev *xf);
int xf_transport_fill(struct xf_dev *xf, gfp_t gfp);
void xf_transport_start(struct xf_dev *xf);
void xf_transport_shutdown(struct xf_dev *xf);
void xf_transport_release(struct xf_dev *xf);
void xf_event_release(struct xf_event *ev);
void xf_transport_reset_hw(struct xf_dev *xf);
extern const struct xf_ops xf_default_ops;

/* xf_ops.c */
void xf_event_post(int code);
void xf_events_flush(void);
int xf_restart(struct xf_dev *xf);
void xf_ops_scan(struct xf_dev *xf);
void xf_transport_teardown(struct xf_dev *xf);
void xf_transport_maybe_flush(struct xf_dev *xf);
int xf_restart_atomic(struct xf_dev *xf);

/* sub/xf_sub.c */
extern struct pci_driver xf_sub_driver;

/* xf_core.c */
void xf_retry_fn(struct timer_list *t);
struct usb_device;
void xf_status_setup(struct xf_dev *xf, struct usb_device *udev, void *buf);

/* wqs_xfile_lib.c, another module */
void xf_lib_wait_ready(void);
void xf_lib_kick(void);

#endif
