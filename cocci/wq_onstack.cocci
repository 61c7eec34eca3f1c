// SPDX-License-Identifier: GPL-2.0-only
/// Find work items on the stack that are initialised without the _ONSTACK
/// form, not destroyed before a return, or still queued at a return.
///
/// A work item in a function's stack frame must be set up with
/// INIT_WORK_ONSTACK() (or INIT_DELAYED_WORK_ONSTACK(), ...): with
/// CONFIG_DEBUG_OBJECTS_WORK the kernel warns "object ... is on stack ...,
/// but NOT annotated." otherwise.  It must be destroyed with
/// destroy_work_on_stack() (destroy_delayed_work_on_stack()) before the
/// frame goes away, and the function must wait for it (flush_work(),
/// cancel_work_sync(), the completion its handler signals) before
/// returning: the worker would otherwise run the handler on a dead frame.
///
//# Only work items of a local variable declared in the function are
//# followed (`struct req r; INIT_WORK_ONSTACK(&r.work, fn);`), not one
//# reached through a pointer to the caller's frame.  Any call that takes
//# the item's address, and any wait for a completion, is taken as waiting
//# for it.  There is no patch mode: the _ONSTACK form also needs a destroy
//# on every path, which the report then asks for.
//# In org mode the brackets of the message are written as "@(" and ")",
//# as in the other kernel scripts, to keep the Org link valid.
//
// Confidence: High
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-onstack
// Options: --no-includes --include-headers
// Keywords: workqueue

virtual context
virtual org
virtual report

@initialize:python@
@@

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

def wq_plain_msg(init, w):
	return ("work item '%s' is on the stack but initialised with %s(): "
		"use %s_ONSTACK() and destroy it before it goes out of scope "
		"[wq-onstack]" % (w, init, init))

def wq_destroy_msg(w):
	return ("on-stack work item '%s' is initialised for the stack here "
		"but not destroyed on every path to a return: call "
		"destroy_work_on_stack() or destroy_delayed_work_on_stack() "
		"first [wq-onstack]" % w)

def wq_queued_msg(w):
	return ("this returns while on-stack work item '%s' may still be "
		"queued or running: wait for it first [wq-onstack]" % w)

// The token filter: a file without an initialiser is never parsed.
@wq_tok@
@@

(
INIT_WORK(...)
|
INIT_DELAYED_WORK(...)
|
INIT_DEFERRABLE_WORK(...)
|
INIT_WORK_ONSTACK(...)
|
INIT_DELAYED_WORK_ONSTACK(...)
|
INIT_DEFERRABLE_WORK_ONSTACK(...)
)

// 1. A local initialised with the plain form.  First the call on a
// variable's own storage (cheap), then whether that variable is a local of
// the function (only where the first matched).
@plain0 depends on wq_tok@
identifier x, fld;
identifier init = {INIT_WORK, INIT_DELAYED_WORK, INIT_DEFERRABLE_WORK,
		   INIT_RCU_WORK};
expression F;
position p;
@@

(
init@p(&x, F);
|
init@p(&x.fld, F);
)

@plain exists@
type T;
identifier plain0.x, plain0.init;
position plain0.p;
position p2;
@@

(
static T x;
... when any
init@p(...);
|
T x;
... when any
init@p@p2(...);
)

@depends on context@
identifier plain0.init;
position plain.p2;
@@

* init@p2(...);

@script:python depends on org@
p << plain.p2;
init << plain0.init;
x << plain0.x;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_plain_msg(init, x)))

@script:python depends on report@
p << plain.p2;
init << plain0.init;
x << plain0.x;
@@

coccilib.report.print_report(p[0], wq_plain_msg(init, x))

// 2. An _ONSTACK item not destroyed on a path to a return.
@nodestroy depends on wq_tok exists@
type T;
identifier x, fld;
identifier init = {INIT_WORK_ONSTACK, INIT_DELAYED_WORK_ONSTACK,
		   INIT_DEFERRABLE_WORK_ONSTACK, INIT_RCU_WORK_ONSTACK};
identifier destroy = {destroy_work_on_stack, destroy_delayed_work_on_stack};
expression F, E;
position p;
@@

T x;
... when any
(
init@p(&x.fld, F);
... when != destroy(&x.fld)
(
return E;
|
return;
)
|
init@p(&x, F);
... when != destroy(&x)
(
return E;
|
return;
)
)

@depends on context@
identifier nodestroy.init;
position nodestroy.p;
@@

* init@p(...);

@script:python depends on org@
p << nodestroy.p;
x << nodestroy.x;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_destroy_msg(x)))

@script:python depends on report@
p << nodestroy.p;
x << nodestroy.x;
@@

coccilib.report.print_report(p[0], wq_destroy_msg(x))

// 3. Queued, and a return before anything waits for it.
@queued depends on wq_tok exists@
type T;
identifier x, fld, f;
identifier init = {INIT_WORK_ONSTACK, INIT_DELAYED_WORK_ONSTACK,
		   INIT_DEFERRABLE_WORK_ONSTACK, INIT_RCU_WORK_ONSTACK,
		   INIT_WORK, INIT_DELAYED_WORK, INIT_DEFERRABLE_WORK,
		   INIT_RCU_WORK};
identifier q = {queue_work, queue_delayed_work, mod_delayed_work,
		queue_work_on, queue_delayed_work_on, queue_rcu_work};
identifier s = {schedule_work, schedule_delayed_work};
identifier wait = {wait_for_completion, wait_for_completion_io,
		   wait_for_completion_interruptible,
		   wait_for_completion_killable,
		   wait_for_completion_timeout,
		   wait_for_completion_interruptible_timeout,
		   wait_for_completion_killable_timeout,
		   flush_workqueue, drain_workqueue, destroy_workqueue,
		   flush_scheduled_work};
expression F, Q, E;
position p;
@@

T x;
... when any
init(&x.fld, F);
... when any
(
q(Q, &x.fld, ...);
|
s(&x.fld, ...);
)
... when != f(..., &x.fld, ...)
    when != wait(...)
(
return@p E;
|
return@p;
)

@depends on context@
position queued.p;
@@

* return@p ...;

@script:python depends on org@
p << queued.p;
x << queued.x;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_queued_msg(x)))

@script:python depends on report@
p << queued.p;
x << queued.x;
@@

coccilib.report.print_report(p[0], wq_queued_msg(x))
