/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wqs_lifecycle.h - what wqs_lifecycle.c shares with its core module
 * wqs_lifecycle_core.c, the way bq27xxx_battery_i2c.c shares
 * struct bq27xxx_device_info with bq27xxx_battery.c.
 */
#ifndef WQS_LIFECYCLE_H
#define WQS_LIFECYCLE_H

#include <linux/workqueue.h>

struct wqs_lc_core {
	int interval_ms;
	struct delayed_work poll_work;	/* set up and stopped by the core */
};

int wqs_lc_core_setup(struct wqs_lc_core *core);
void wqs_lc_core_teardown(struct wqs_lc_core *core);
void wqs_lc_core_kick(struct wqs_lc_core *core);

#endif
