// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_lifecycle_core - the "core" half of a two-module driver: it owns
 * the poll work item of the struct its bus glue (wqs_lifecycle.c)
 * allocates, sets it up and stops it.  wqcheck sees one file at a time:
 * when it checks the glue, these functions are only declarations.
 */
/* expected-no-diagnostics */
#include <linux/module.h>
#include <linux/workqueue.h>
#include "wqs_lifecycle.h"

static void wqs_lc_core_poll(struct work_struct *work)
{
	struct wqs_lc_core *core = container_of(to_delayed_work(work),
						struct wqs_lc_core, poll_work);

	schedule_delayed_work(&core->poll_work,
			      msecs_to_jiffies(core->interval_ms));
}

int wqs_lc_core_setup(struct wqs_lc_core *core)
{
	core->interval_ms = 500;
	INIT_DELAYED_WORK(&core->poll_work, wqs_lc_core_poll);
	return 0;
}
EXPORT_SYMBOL_GPL(wqs_lc_core_setup);

void wqs_lc_core_kick(struct wqs_lc_core *core)
{
	mod_delayed_work(system_wq, &core->poll_work, 0);
}
EXPORT_SYMBOL_GPL(wqs_lc_core_kick);

void wqs_lc_core_teardown(struct wqs_lc_core *core)
{
	cancel_delayed_work_sync(&core->poll_work);
}
EXPORT_SYMBOL_GPL(wqs_lc_core_teardown);

MODULE_DESCRIPTION("wqcheck sample: core half of a two-module driver");
MODULE_LICENSE("GPL");
