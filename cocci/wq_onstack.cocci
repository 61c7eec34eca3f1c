// SPDX-License-Identifier: GPL-2.0-only
/// Find work items on the stack, set up with INIT_WORK_ONSTACK() and its
/// kin, that are not destroyed before a return or still queued at a
/// return.
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
//# A plain INIT_WORK() on a local (the first finding of the Clang check
//# wq-onstack) is not looked for: every file with a work item has
//# INIT_WORK(), so spatch would parse about 1,900 files of drivers/ for it
//# (76 s on 2 cores, above the 60 s the scripts keep to); the token filter
//# here is the _ONSTACK initialisers.
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

def wq_destroy_msg(w):
	return ("on-stack work item '%s' is initialised for the stack here "
		"but not destroyed on every path to a return: call "
		"destroy_work_on_stack() or destroy_delayed_work_on_stack() "
		"first [wq-onstack]" % w)

def wq_queued_msg(w):
	return ("this returns while on-stack work item '%s' may still be "
		"queued or running: wait for it first [wq-onstack]" % w)

// The token filter: a file without an _ONSTACK initialiser is never
// parsed.
@wq_tok@
@@

(
INIT_WORK_ONSTACK(...)
|
INIT_DELAYED_WORK_ONSTACK(...)
|
INIT_DEFERRABLE_WORK_ONSTACK(...)
|
INIT_RCU_WORK_ONSTACK(...)
)

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
		   INIT_DEFERRABLE_WORK_ONSTACK, INIT_RCU_WORK_ONSTACK};
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
