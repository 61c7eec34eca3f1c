// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_heldout_ctrl - the event half of the slot driver of wqs_heldout.c:
 * it queues the slot's work item on the slot's own queue, which the other
 * file destroys (drivers/pci/hotplug/shpchp_ctrl.c).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */
/* expected-no-diagnostics */

#include <linux/module.h>
#include <linux/slab.h>
#include "wqs_heldout.h"

void ho_slot_press(struct ho_slot *slot)
{
	queue_delayed_work(slot->wq, &slot->work, 5 * HZ);
}
EXPORT_SYMBOL_GPL(ho_slot_press);

void ho_hdw_i2c_done(struct ho_hdw *hdw)
{
	hdw->frames = 0;
}
EXPORT_SYMBOL_GPL(ho_hdw_i2c_done);

void wqs_ho_demux_update(struct work_struct *work)
{
	struct ho_demux_work *dw = container_of(work, struct ho_demux_work, work);

	kfree(dw);
}
EXPORT_SYMBOL_GPL(wqs_ho_demux_update);

static void ho_qsync(struct work_struct *work)
{
	struct ho_qinfo *oinfo = container_of(to_delayed_work(work),
					      struct ho_qinfo, sync_work);

	oinfo->flags = 0;
}

/* Sets up the sync work of the quota info the caller published in sb. */
int wqs_ho_qglobal_read(struct ho_qsb *sb)
{
	struct ho_qinfo *oinfo = sb->priv;

	if (!oinfo)
		return -EINVAL;
	INIT_DELAYED_WORK(&oinfo->sync_work, ho_qsync);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_ho_qglobal_read);

MODULE_DESCRIPTION("wqcheck sample: slot events for wqs_heldout");
MODULE_LICENSE("GPL");

/* KK: the command queue of the other file, opaque to it. */
void wqs_ho_cmd_dequeue(struct ho_cmddev *dev)
{
}
EXPORT_SYMBOL_GPL(wqs_ho_cmd_dequeue);

void wqs_ho_cmd2_dequeue(struct ho_cmddev2 *dev)
{
}
EXPORT_SYMBOL_GPL(wqs_ho_cmd2_dequeue);
