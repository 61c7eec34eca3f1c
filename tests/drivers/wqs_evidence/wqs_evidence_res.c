// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_evidence_res - the resource table of wqs_evidence.c, in its own
 * module: wqcheck sees one file at a time, so when it checks
 * wqs_evidence.c these functions are only declarations.
 */
/* expected-no-diagnostics */
#include <linux/module.h>
#include "wqs_evidence.h"

static void ev_resource_release(struct kref *kref)
{
	struct ev_resource *res = container_of(kref, struct ev_resource, kref);

	complete(&res->done);
}

void ev_resource_init(struct ev_resource *res)
{
	kref_init(&res->kref);
	init_completion(&res->done);
}
EXPORT_SYMBOL_GPL(ev_resource_init);

void ev_resource_get(struct ev_resource *res)
{
	kref_get(&res->kref);
}
EXPORT_SYMBOL_GPL(ev_resource_get);

void ev_resource_put(struct ev_resource *res)
{
	kref_put(&res->kref, ev_resource_release);
}
EXPORT_SYMBOL_GPL(ev_resource_put);

void ev_resource_remove_and_wait(struct ev_resource *res)
{
	ev_resource_put(res);
	wait_for_completion(&res->done);
}
EXPORT_SYMBOL_GPL(ev_resource_remove_and_wait);

MODULE_DESCRIPTION("wqcheck sample: a reference-counted resource table");
MODULE_LICENSE("GPL");
