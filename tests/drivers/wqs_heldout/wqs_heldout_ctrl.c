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

MODULE_DESCRIPTION("wqcheck sample: slot events for wqs_heldout");
MODULE_LICENSE("GPL");
