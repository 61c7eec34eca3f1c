// SPDX-License-Identifier: GPL-2.0
/* wqs_xfile_lib: a sibling module exporting helpers to wqs_xfile. */
#include <linux/delay.h>
#include <linux/module.h>
#include "xf.h"

void xf_lib_wait_ready(void)
{
	msleep(5); /* crossfile-warning-re {{sleeping function 'msleep' reached in atomic context (spinlock 'xf->lock' held) from another file; {{.*}}[wq-sleep-in-atomic]}} crossfile-note {{found by 'wqcheck report'}} */
	/* BUG(wq-sleep-in-atomic): xf_kick() (xf_core.c) calls this with
	 * xf->lock held. */
}
EXPORT_SYMBOL_GPL(xf_lib_wait_ready);

/* Does not sleep (negative). */
void xf_lib_kick(void)
{
	udelay(5);
}
EXPORT_SYMBOL_GPL(xf_lib_kick);

MODULE_DESCRIPTION("wqcheck sample: helpers of wqs_xfile");
MODULE_LICENSE("GPL");
