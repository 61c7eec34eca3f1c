/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BH workqueues for kernels older than 6.9.
 *
 * Linux 6.9 added workqueues whose work items run in softirq context:
 * the WQ_BH flag and the system_bh_wq/system_bh_highpri_wq queues
 * (include/linux/workqueue.h: "BH work items cannot sleep").  The test
 * machine builds against 6.1 headers, so this header declares them the way
 * 6.9 does -- WQ_BH is bit 0 of the WQ_* enum, unused in 6.1 -- and the
 * queues as weak symbols so the module still links.  The module is only
 * built and analysed, never loaded on a 6.1 kernel.
 */
#ifndef WQS_BH_COMPAT_H
#define WQS_BH_COMPAT_H

#include <linux/version.h>
#include <linux/workqueue.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
enum {
	WQ_BH = 1 << 0,
};
extern struct workqueue_struct *system_bh_wq __weak;
extern struct workqueue_struct *system_bh_highpri_wq __weak;
#endif

#endif
