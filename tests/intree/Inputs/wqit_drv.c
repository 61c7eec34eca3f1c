// SPDX-License-Identifier: GPL-2.0
/*
 * Input of tests/intree/: a small driver placed into the configured kernel
 * tree (drivers/wqcheck_test/<test>/) and built there with make C=1/C=2.
 * Two findings: wq-deprecated (with a fix-it) and wq-sleep-in-atomic (with
 * a note).  The tests FileCheck the exact lines.
 */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

static struct workqueue_struct *wqit_wq;
static DEFINE_SPINLOCK(wqit_lock);

static void wqit_poll(void)
{
	spin_lock(&wqit_lock);
	msleep(10);
	spin_unlock(&wqit_lock);
}

static int __init wqit_init(void)
{
	wqit_wq = create_workqueue("wqit");
	if (!wqit_wq)
		return -ENOMEM;
	wqit_poll();
	return 0;
}

static void __exit wqit_exit(void)
{
	destroy_workqueue(wqit_wq);
}

module_init(wqit_init);
module_exit(wqit_exit);

MODULE_DESCRIPTION("wqcheck in-tree test input");
MODULE_LICENSE("GPL");
