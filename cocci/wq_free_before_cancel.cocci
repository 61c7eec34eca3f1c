// SPDX-License-Identifier: GPL-2.0-only
/// Find an object that is freed while a work item embedded in it may still
/// be pending or running, within one function:
///
///  - cancel_work(&x->f) or cancel_delayed_work(&x->f) followed by
///    kfree(x), kvfree(x), kfree_sensitive(x) or kmem_cache_free(C, x)
///    with no cancel_work_sync()/cancel_delayed_work_sync() of x->f on the
///    way.  The non-waiting cancels only remove a pending item: an instance
///    that is already running keeps using x after the free;
///  - a work item queued (queue_*work*(), mod_delayed_work*(),
///    schedule_*work*()) after x was freed, with no new assignment of x in
///    between;
///  - a work item queued in the function and x freed later on the same
///    path without cancel_work_sync(), cancel_delayed_work_sync(),
///    flush_work(), flush_delayed_work(), disable_work_sync(),
///    disable_delayed_work_sync() of x->f, or a flush, drain or destruction
///    of a workqueue, on the way.
///
/// Each is a use after free when the handler runs.  Stop the work item
/// with a waiting call (cancel_work_sync(), cancel_delayed_work_sync(), or
/// disable_work_sync() on 6.10+) after the last thing that can queue it
/// and before the free.
///
/// In patch mode the non-waiting cancel of the first case is replaced by
/// its _sync variant.  The other two cases are reported only.
///
//# Intraprocedural: a work item queued in one function and freed in
//# another (the usual probe()/remove() split), a free through a helper or
//# a release callback, devres (devm_kzalloc memory freed after remove())
//# and free_netdev() of netdev_priv() memory are not seen.  The work item
//# must be spelled &x->f with a single field name, and the free must name
//# the same expression x; aliases of x are not followed.  Only
//# statement-level calls are matched for the first two cases (a cancel
//# whose result is tested, as in "if (cancel_work(...))", is not).  Any
//# flush_workqueue(), drain_workqueue(), destroy_workqueue() or
//# flush_scheduled_work() on the way is taken as waiting for the item,
//# whatever the queue.  The first case is not reported inside a work
//# handler (a function whose only parameter is a struct work_struct *):
//# a handler that cancels its own item and frees its container must not
//# wait for itself.  Paths are not checked for feasibility: a queue and
//# a free on branches of correlated conditions can be reported.  A new assignment of x (x = E, &x passed to a
//# function, or x as an argument of a loop iterator macro such as
//# list_for_each_entry_safe()) ends the search in the last two cases.
//# In the third case a queue whose result is tested ("if (!queue_work(..."
//# or "ret = queue_work(...)") is not followed (the free is usually on the
//# branch where nothing was queued), and a wait_for_completion*() on the
//# way counts as a stop (usually a completion the handler signals last).
//# The patch can be wrong when the cancel runs in atomic context (under a
//# spinlock, in an interrupt handler) or in the work item's own handler:
//# the _sync variants sleep, and waiting for oneself deadlocks.  Review
//# each change.
//# In org mode the brackets of the message are written as "@(" and ")",
//# as in the other kernel scripts, to keep the Org link valid.
//# The Options line has no --include-headers: spatch then neither checks
//# the headers of the directory as files of their own nor reads them in
//# its token scan, which reads every file once per name it looks for
//# (in Linux 6.1 drivers/ the headers are 458 of the 860 MB, and none
//# gave a report).  Pass --include-headers (SPFLAGS= under make
//# coccicheck) to check them too.
//
// Confidence: Moderate
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-free-before-cancel
// Options: --no-includes
// Keywords: workqueue

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@

import re

# Coccinelle prints a matched expression with spaces around "->".
def wq_spell(e):
	return re.sub(r"\s*(->|\.)\s*", r"\1", e)

def wq_nosync_msg(fr, x, f, cancel):
	x = wq_spell(x)
	return ("'%s' frees '%s' while work item '%s->%s' may still be "
		"running: '%s' does not wait; use %s_sync() "
		"[wq-free-before-cancel]" % (fr, x, x, f, cancel, cancel))

def wq_queue_after_free_msg(q, x, f):
	x = wq_spell(x)
	return ("'%s' queues work item '%s->%s' after '%s' was freed "
		"[wq-free-before-cancel]" % (q, x, f, x))

def wq_queued_free_msg(fr, x, f, line):
	x = wq_spell(x)
	return ("'%s' frees '%s' while work item '%s->%s' queued here may "
		"still be pending (queued at line %s) [wq-free-before-cancel]"
		% (fr, x, x, f, line))

# (file, function) of the work handlers of the checked file (rule hnd).
wq_handlers = set()

def wq_in_handler(p):
	return (p[0].file, p[0].current_element) in wq_handlers

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

//----------------------------------------------------------------------
// Candidates.  nc0, qa0 and qf0 are the rules nc, qa and qf below, with
// the function names spelled out as disjunctions instead of identifier
// lists and without nc's test of the enclosing function.  spatch 1.1.1
// takes no tokens from "identifier fr = {...}": a script made of such
// rules runs on, and makes spatch parse, every file it is given.  With the
// names spelled out, spatch skips every file that does not contain a free
// and a cancel or a queue before parsing it.  The rules below depend on
// these, so they (and the handler scan hnd) only run where a candidate
// was found; each finds a subset of its candidate's matches.
//----------------------------------------------------------------------

@nc0 exists@
expression x, C, E;
identifier f;
@@

\(
// BEGIN wqcheck-local: cancels
cancel_work
\|
cancel_delayed_work
// END wqcheck-local: cancels
\)(&x->f);
... when != cancel_work_sync(&x->f)
    when != cancel_delayed_work_sync(&x->f)
    when != flush_work(&x->f)
    when != flush_delayed_work(&x->f)
    when != disable_work_sync(&x->f)
    when != disable_delayed_work_sync(&x->f)
    when != flush_workqueue(...)
    when != drain_workqueue(...)
    when != destroy_workqueue(...)
    when != flush_scheduled_work()
    when != x = E
(
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(x);
|
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(C, x);
)

@qa0 depends on !patch exists@
expression x, C, E;
identifier f;
iterator I;
statement S;
@@

(
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(x);
|
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(C, x);
)
... when != x = E
    when != &x
    when != I(..., x, ...) S
\(
// BEGIN wqcheck-local: queues
queue_work
\|
queue_work_on
\|
queue_work_node
\|
queue_delayed_work
\|
queue_delayed_work_on
\|
mod_delayed_work
\|
mod_delayed_work_on
\|
schedule_work
\|
schedule_work_on
\|
schedule_delayed_work
\|
schedule_delayed_work_on
// END wqcheck-local: queues
\)(..., &x->f, ...)

@qf0 depends on !patch exists@
expression x, C, E;
identifier f;
iterator I;
statement S;
@@

\(
// BEGIN wqcheck-local: queues
queue_work
\|
queue_work_on
\|
queue_work_node
\|
queue_delayed_work
\|
queue_delayed_work_on
\|
mod_delayed_work
\|
mod_delayed_work_on
\|
schedule_work
\|
schedule_work_on
\|
schedule_delayed_work
\|
schedule_delayed_work_on
// END wqcheck-local: queues
\)(..., &x->f, ...)
... when != cancel_work_sync(&x->f)
    when != cancel_delayed_work_sync(&x->f)
    when != flush_work(&x->f)
    when != flush_delayed_work(&x->f)
    when != disable_work_sync(&x->f)
    when != disable_delayed_work_sync(&x->f)
    when != cancel_work(&x->f)
    when != cancel_delayed_work(&x->f)
    when != flush_workqueue(...)
    when != drain_workqueue(...)
    when != destroy_workqueue(...)
    when != flush_scheduled_work()
    when != x = E
    when != &x
    when != I(..., x, ...) S
(
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(x);
|
\(
// BEGIN wqcheck-local: frees
kfree
\|
kvfree
\|
kfree_sensitive
\|
kmem_cache_free
// END wqcheck-local: frees
\)(C, x);
)

//----------------------------------------------------------------------
// 1. Non-waiting cancel, then free
//----------------------------------------------------------------------

// Work handlers: a handler that cancels its own work item and frees the
// object must not wait for itself (cancel_*_sync() would deadlock).
@hnd depends on nc0@
identifier fn, w;
position p;
@@

fn@p(struct work_struct *w)
{
...
}

@script:python@
fn << hnd.fn;
p << hnd.p;
@@

wq_handlers.add((p[0].file, fn))

@nc depends on nc0 exists@
expression x, C, E;
identifier f;
identifier cancel = {
// BEGIN wqcheck-local: cancels
	cancel_work,
	cancel_delayed_work
// END wqcheck-local: cancels
};
identifier fr = {
// BEGIN wqcheck-local: frees
	kfree,
	kvfree,
	kfree_sensitive,
	kmem_cache_free
// END wqcheck-local: frees
};
position p1 : script:python() { not wq_in_handler(p1) };
position p2;
@@

cancel@p1(&x->f);
... when != cancel_work_sync(&x->f)
    when != cancel_delayed_work_sync(&x->f)
    when != flush_work(&x->f)
    when != flush_delayed_work(&x->f)
    when != disable_work_sync(&x->f)
    when != disable_delayed_work_sync(&x->f)
    when != flush_workqueue(...)
    when != drain_workqueue(...)
    when != destroy_workqueue(...)
    when != flush_scheduled_work()
    when != x = E
(
fr@p2(x);
|
fr@p2(C, x);
)

@depends on patch && !context && !org && !report@
expression x;
identifier f;
position nc.p1;
@@

(
- cancel_work@p1(&x->f);
+ cancel_work_sync(&x->f);
|
- cancel_delayed_work@p1(&x->f);
+ cancel_delayed_work_sync(&x->f);
)

@depends on context && !patch && !org && !report@
identifier nc.cancel, nc.fr;
position nc.p1, nc.p2;
@@

(
* cancel@p1(...)
|
* fr@p2(...)
)

@script:python depends on org@
p2 << nc.p2;
fr << nc.fr;
x << nc.x;
f << nc.f;
cancel << nc.cancel;
@@

coccilib.org.print_todo(p2[0], wq_org_safe(wq_nosync_msg(fr, x, f, cancel)))

@script:python depends on report@
p2 << nc.p2;
fr << nc.fr;
x << nc.x;
f << nc.f;
cancel << nc.cancel;
@@

coccilib.report.print_report(p2[0], wq_nosync_msg(fr, x, f, cancel))

//----------------------------------------------------------------------
// 2. Queued after the free
//----------------------------------------------------------------------

@qa depends on !patch && qa0 exists@
expression x, C, E;
identifier f;
identifier fr = {
// BEGIN wqcheck-local: frees
	kfree,
	kvfree,
	kfree_sensitive,
	kmem_cache_free
// END wqcheck-local: frees
};
identifier q = {
// BEGIN wqcheck-local: queues
	queue_work,
	queue_work_on,
	queue_work_node,
	queue_delayed_work,
	queue_delayed_work_on,
	mod_delayed_work,
	mod_delayed_work_on,
	schedule_work,
	schedule_work_on,
	schedule_delayed_work,
	schedule_delayed_work_on
// END wqcheck-local: queues
};
position p1, p2;
iterator I;
statement S;
@@

(
fr@p1(x);
|
fr@p1(C, x);
)
... when != x = E
    when != &x
    when != I(..., x, ...) S
q@p2(..., &x->f, ...)

@depends on context && !patch && !org && !report@
identifier qa.fr, qa.q;
position qa.p1, qa.p2;
@@

(
* fr@p1(...)
|
* q@p2(...)
)

@script:python depends on org@
p2 << qa.p2;
q << qa.q;
x << qa.x;
f << qa.f;
@@

coccilib.org.print_todo(p2[0], wq_org_safe(wq_queue_after_free_msg(q, x, f)))

@script:python depends on report@
p2 << qa.p2;
q << qa.q;
x << qa.x;
f << qa.f;
@@

coccilib.report.print_report(p2[0], wq_queue_after_free_msg(q, x, f))

//----------------------------------------------------------------------
// 3. Queued here, then freed without a waiting stop
//----------------------------------------------------------------------

// A queue whose result the function tests (if (!queue_work(...)) kfree(x);
// ret = queue_work(...); if (!ret) ...): the free usually sits on the
// branch where nothing was queued, which Coccinelle cannot tell from the
// other.  Not evidence: not reported (drivers/target/target_core_xcopy.c,
// drivers/acpi/osl.c, mediatek/mdp3/mtk-mdp3-cmdq.c in Linux 6.1).
@qtested depends on !patch && qf0@
identifier q = {
// BEGIN wqcheck-local: queues
	queue_work,
	queue_work_on,
	queue_work_node,
	queue_delayed_work,
	queue_delayed_work_on,
	mod_delayed_work,
	mod_delayed_work_on,
	schedule_work,
	schedule_work_on,
	schedule_delayed_work,
	schedule_delayed_work_on
// END wqcheck-local: queues
};
position p;
expression R;
statement S1, S2;
@@

(
if (<+... q@p(...) ...+>) S1 else S2
|
if (<+... q@p(...) ...+>) S1
|
R = q@p(...)
)

@qf depends on !patch && qf0 exists@
expression x, C, E;
identifier f;
identifier fr = {
// BEGIN wqcheck-local: frees
	kfree,
	kvfree,
	kfree_sensitive,
	kmem_cache_free
// END wqcheck-local: frees
};
identifier q = {
// BEGIN wqcheck-local: queues
	queue_work,
	queue_work_on,
	queue_work_node,
	queue_delayed_work,
	queue_delayed_work_on,
	mod_delayed_work,
	mod_delayed_work_on,
	schedule_work,
	schedule_work_on,
	schedule_delayed_work,
	schedule_delayed_work_on
// END wqcheck-local: queues
};
position p1 != qtested.p;
position p2;
identifier wfc = {wait_for_completion, wait_for_completion_timeout,
	wait_for_completion_interruptible,
	wait_for_completion_interruptible_timeout,
	wait_for_completion_killable, wait_for_completion_killable_timeout,
	wait_for_completion_io, wait_for_completion_io_timeout};
iterator I;
statement S;
@@

q@p1(..., &x->f, ...)
... when != cancel_work_sync(&x->f)
    when != cancel_delayed_work_sync(&x->f)
    when != flush_work(&x->f)
    when != flush_delayed_work(&x->f)
    when != disable_work_sync(&x->f)
    when != disable_delayed_work_sync(&x->f)
    when != cancel_work(&x->f)
    when != cancel_delayed_work(&x->f)
    when != flush_workqueue(...)
    when != drain_workqueue(...)
    when != destroy_workqueue(...)
    when != flush_scheduled_work()
    when != wfc(...)
    when != x = E
    when != &x
    when != I(..., x, ...) S
(
fr@p2(x);
|
fr@p2(C, x);
)

@depends on context && !patch && !org && !report@
identifier qf.fr, qf.q;
position qf.p1, qf.p2;
@@

(
* q@p1(...)
|
* fr@p2(...)
)

@script:python depends on org@
p1 << qf.p1;
p2 << qf.p2;
fr << qf.fr;
x << qf.x;
f << qf.f;
@@

coccilib.org.print_todo(p2[0],
	wq_org_safe(wq_queued_free_msg(fr, x, f, p1[0].line)))

@script:python depends on report@
p1 << qf.p1;
p2 << qf.p2;
fr << qf.fr;
x << qf.x;
f << qf.f;
@@

coccilib.report.print_report(p2[0],
	wq_queued_free_msg(fr, x, f, p1[0].line))
