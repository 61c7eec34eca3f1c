// SPDX-License-Identifier: GPL-2.0-only
/// Find a work item of a freshly allocated object that is queued, flushed
/// or cancelled before INIT_WORK() (or INIT_DELAYED_WORK(), ...) has run
/// on it, within one function.
///
/// kmalloc(), kzalloc() and the other allocators do not initialise a
/// work_struct: zeroed memory has no ->func and an empty ->entry list.
/// Queueing such an item corrupts the worker pool's lists or calls a NULL
/// function; flushing or cancelling it hits WARN_ON(!work->func) in
/// __flush_work(), and CONFIG_DEBUG_OBJECTS_WORK reports "ODEBUG: activate
/// not available".  A typical case is an error path of probe() that
/// cancels a work item which INIT_WORK() only initialises further down.
/// Call INIT_WORK()/INIT_DELAYED_WORK() right after the allocation, before
/// anything can queue, flush or cancel the item.
///
/// A use is reported when one path from the allocation of x reaches
/// queue_*(..., &x->f, ...), mod_delayed_work*(), schedule_*work*(),
/// cancel_*work*() or flush_*work() without passing an INIT_WORK(),
/// INIT_DELAYED_WORK(), INIT_DEFERRABLE_WORK(), their _ONSTACK forms or
/// devm_(delayed_)work_autocancel() of &x->f, or a new assignment of x.
///
//# Intraprocedural, with one exception: a call that passes x to a function
//# of the same file that runs INIT_WORK() (or one of the others above) on
//# a field of a pointer parameter counts as initialising every work item
//# of x.  A helper in another file, a helper that reaches the work item
//# through another object, or one more level of calls, is not seen and
//# gives a false report.  An allocation in another function (open()
//# allocates, write() queues) is not followed.  Only the allocators kmalloc, kzalloc, kcalloc,
//# kvzalloc, devm_kmalloc, devm_kzalloc, kmem_cache_alloc and
//# kmem_cache_zalloc are known, in the forms "x = alloc(...);" and
//# "T *x = alloc(...);".  The work item must be spelled &x->f with a
//# single field name; &x->a.b, a work item embedded through another
//# pointer and work items reached through aliases of x are not followed.
//# A path that stores x in a field of another object (`info->priv = x`)
//# is not followed further: another function, maybe of another file, can
//# reach x from there and initialise it (6.1 fs/ocfs2/quota_local.c); the
//# Clang engine waits for a call to another file after the store.
//# An assignment to ->func does not count as initialisation (INIT_WORK()
//# also sets ->data and ->entry), nor does copying a template object.
//# There is no patch mode: where INIT_WORK() belongs and which handler it
//# names cannot be derived from the use (the fix is usually to move the
//# existing INIT_WORK() up, or to take the error path to a label that
//# skips the cancel).
//# In org mode the brackets of the message are written as "@(" and ")",
//# as in the other kernel scripts, to keep the Org link valid.
//# Report mode prints a use only in a file that initialises some work
//# item (an INIT_*() or devm_*work_autocancel() of any item): a file
//# that initialises none leaves its items to a helper of another file or
//# to a macro, which Coccinelle cannot see (the three reports of 6.1
//# drivers/ before this rule were all of that kind, all false).  Org
//# mode shows those uses too, marked as possible.
//# The Options line has no --include-headers: spatch then neither checks
//# the headers of the directory as files of their own nor reads them in
//# its token scan, which reads every file once per name it looks for
//# (in Linux 6.1 drivers/ the headers are 458 of the 860 MB, and none
//# gave a report).  Pass --include-headers (SPFLAGS= under make
//# coccicheck) to check them too.
//
// Confidence: Moderate
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-uninit
// Options: --no-includes
// Keywords: workqueue

virtual context
virtual org
virtual report

@initialize:python@
@@

import re

# Coccinelle prints a matched expression with spaces around "->".
def wq_spell(e):
	return re.sub(r"\s*(->|\.)\s*", r"\1", e)

def wq_uninit_msg(use, x, f):
	if use.startswith(("queue_", "mod_", "schedule_")):
		verb = "queues"
	else:
		verb = "uses"
	return "'%s' %s work item '%s->%s' before it is initialised [wq-uninit]" \
		% (use, verb, wq_spell(x), f)

# (file, function, object, field, line) of each INIT_*() (rule inits).
wq_inits = set()

# Whether an INIT_*() of x->f comes before the use at p in its function.
def wq_init_before(p, x, f):
	x = wq_spell(x)
	for (fl, fn, ix, fi, line) in wq_inits:
		if fl == p[0].file and fn == p[0].current_element and \
		   ix == x and fi == f and line < int(p[0].line):
			return True
	return False

# Whether the file of p initialises any work item (rule inits).
def wq_file_inits(p):
	for i in wq_inits:
		if i[0] == p[0].file:
			return True
	return False

def wq_possible(p, x, f):
	if wq_init_before(p, x, f):
		return " (possible: an INIT_*() of it comes earlier in the function; check the path)"
	if not wq_file_inits(p):
		return " (possible: this file initialises no work item; check the helpers of other files and the macros)"
	return ""

# Functions of the checked file that initialise a work item of the object
# that a pointer parameter points to (filled by rule initfn).
wq_init_fns = set()

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

//----------------------------------------------------------------------
// Candidates.  r0 and rd0 are r and rd below without the two conditions
// that need other rules (a helper of initfn on the path, a use guarded by
// a test of x): every use that r or rd reports, r0 or rd0 finds.  The
// costly rules (initfn, guarded) depend on them, so they only run in the
// few files that have a candidate.
//
// spatch skips, before parsing, a file that lacks the names the rules
// need (docs/benchmarks.md, "Coccinelle at kernel scale").  It takes no
// name from an identifier list ("identifier alloc = {...}"), so r0 and
// rd0 spell the allocators as a disjunction; report mode also needs an
// INIT_*() in the file (rule inits), and org and context modes a use
// (rule wq_uses).  Report mode's filter is thus "an allocator and an
// INIT_*()": in Linux 6.1 drivers/ 1,294 files, against 1,251 with a use
// as well, and every name costs a pass of spatch's token scan over every
// file and of the matching over every parsed one, so the uses are an
// identifier list there.
//----------------------------------------------------------------------

@r0 exists@
expression x, E, E1, E2;
identifier g;
identifier f;
identifier use = {
// BEGIN wqcheck-local: uses
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
	schedule_delayed_work_on,
	cancel_work,
	cancel_work_sync,
	cancel_delayed_work,
	cancel_delayed_work_sync,
	flush_work,
	flush_delayed_work
// END wqcheck-local: uses
};
@@

x = \(
// BEGIN wqcheck-local: allocators
kmalloc
\|
kzalloc
\|
kcalloc
\|
kvzalloc
\|
devm_kmalloc
\|
devm_kzalloc
\|
kmem_cache_alloc
\|
kmem_cache_zalloc
// END wqcheck-local: allocators
\)(...);
... when != INIT_WORK(&x->f, ...)
    when != INIT_DELAYED_WORK(&x->f, ...)
    when != INIT_DEFERRABLE_WORK(&x->f, ...)
    when != INIT_WORK_ONSTACK(&x->f, ...)
    when != INIT_DELAYED_WORK_ONSTACK(&x->f, ...)
    when != devm_work_autocancel(E1, &x->f, ...)
    when != devm_delayed_work_autocancel(E1, &x->f, ...)
    when != x = E
    when != E2->g = x
use(..., &x->f, ...)

@rd0 exists@
identifier x, g;
expression E, E1, E2;
type T;
identifier f;
identifier use = {
// BEGIN wqcheck-local: uses
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
	schedule_delayed_work_on,
	cancel_work,
	cancel_work_sync,
	cancel_delayed_work,
	cancel_delayed_work_sync,
	flush_work,
	flush_delayed_work
// END wqcheck-local: uses
};
@@

T *x = \(
// BEGIN wqcheck-local: allocators
kmalloc
\|
kzalloc
\|
kcalloc
\|
kvzalloc
\|
devm_kmalloc
\|
devm_kzalloc
\|
kmem_cache_alloc
\|
kmem_cache_zalloc
// END wqcheck-local: allocators
\)(...);
... when != INIT_WORK(&x->f, ...)
    when != INIT_DELAYED_WORK(&x->f, ...)
    when != INIT_DEFERRABLE_WORK(&x->f, ...)
    when != INIT_WORK_ONSTACK(&x->f, ...)
    when != INIT_DELAYED_WORK_ONSTACK(&x->f, ...)
    when != devm_work_autocancel(E1, &x->f, ...)
    when != devm_delayed_work_autocancel(E1, &x->f, ...)
    when != x = E
    when != E2->g = x
use(..., &x->f, ...)

// The names of the uses, for the file filter of org and context modes.
@wq_uses depends on (org || context) && (r0 || rd0)@
expression x;
identifier f;
@@

\(
// BEGIN wqcheck-local: uses
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
\|
cancel_work
\|
cancel_work_sync
\|
cancel_delayed_work
\|
cancel_delayed_work_sync
\|
flush_work
\|
flush_delayed_work
// END wqcheck-local: uses
\)(..., &x->f, ...)

//----------------------------------------------------------------------
// Helpers of this file that initialise a work item of their argument
//----------------------------------------------------------------------

@initfn depends on r0 || rd0@
identifier fn, w, f;
type T;
expression E;
@@

fn(..., T *w, ...)
{
<+...
(
INIT_WORK(&w->f, ...)
|
INIT_DELAYED_WORK(&w->f, ...)
|
INIT_DEFERRABLE_WORK(&w->f, ...)
|
devm_work_autocancel(E, &w->f, ...)
|
devm_delayed_work_autocancel(E, &w->f, ...)
)
...+>
}

@script:python@
fn << initfn.fn;
@@

wq_init_fns.add(fn)

// Every INIT_*() of a work item in the functions with a candidate.  A use
// that comes after one of them in the text of the function, but is
// reached on a path that misses it, is usually on a branch that cannot
// run without the INIT_*() (the same condition tested twice, an error
// status set next to it): possible, not evidence.  Report mode leaves
// those out; org mode shows them, marked (docs/checks/wq-uninit.md).
@inits depends on r0 || rd0@
expression x, E1;
identifier f;
position pi;
@@

(
INIT_WORK@pi(&x->f, ...)
|
INIT_DELAYED_WORK@pi(&x->f, ...)
|
INIT_DEFERRABLE_WORK@pi(&x->f, ...)
|
INIT_WORK_ONSTACK@pi(&x->f, ...)
|
INIT_DELAYED_WORK_ONSTACK@pi(&x->f, ...)
|
devm_work_autocancel@pi(E1, &x->f, ...)
|
devm_delayed_work_autocancel@pi(E1, &x->f, ...)
)

@script:python@
pi << inits.pi;
x << inits.x;
f << inits.f;
@@

wq_inits.add((pi[0].file, pi[0].current_element, wq_spell(x), f,
	int(pi[0].line)))

//----------------------------------------------------------------------
// Uses guarded by a test of the object: an error label reached when the
// allocation failed, e.g. "err: if (x) { cancel_work_sync(&x->f); ... }"
// (drivers/usb/misc/appledisplay.c).  Not reported: the path from a failed
// allocation cannot run them, and Coccinelle does not correlate the test
// with the other paths.
//----------------------------------------------------------------------

@guarded depends on r0 || rd0@
expression x;
identifier f;
identifier use = {
// BEGIN wqcheck-local: uses
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
	schedule_delayed_work_on,
	cancel_work,
	cancel_work_sync,
	cancel_delayed_work,
	cancel_delayed_work_sync,
	flush_work,
	flush_delayed_work
// END wqcheck-local: uses
};
position p;
@@

if (x) { <+... use@p(..., &x->f, ...) ...+> }

//----------------------------------------------------------------------
// Use after the allocation, before the initialisation
//----------------------------------------------------------------------

// Allocation assigned to a variable (x may be any lvalue).
@r depends on r0 exists@
expression x, E, E1, E2;
identifier g;
identifier f;
identifier init : script:python() { init in wq_init_fns };
identifier alloc = {
// BEGIN wqcheck-local: allocators
	kmalloc,
	kzalloc,
	kcalloc,
	kvzalloc,
	devm_kmalloc,
	devm_kzalloc,
	kmem_cache_alloc,
	kmem_cache_zalloc
// END wqcheck-local: allocators
};
identifier use = {
// BEGIN wqcheck-local: uses
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
	schedule_delayed_work_on,
	cancel_work,
	cancel_work_sync,
	cancel_delayed_work,
	cancel_delayed_work_sync,
	flush_work,
	flush_delayed_work
// END wqcheck-local: uses
};
position p != guarded.p;
@@

x = alloc(...);
... when != INIT_WORK(&x->f, ...)
    when != INIT_DELAYED_WORK(&x->f, ...)
    when != INIT_DEFERRABLE_WORK(&x->f, ...)
    when != INIT_WORK_ONSTACK(&x->f, ...)
    when != INIT_DELAYED_WORK_ONSTACK(&x->f, ...)
    when != devm_work_autocancel(E1, &x->f, ...)
    when != devm_delayed_work_autocancel(E1, &x->f, ...)
    when != x = E
    when != E2->g = x
    when != init(..., x, ...)
use@p(..., &x->f, ...)

// Allocation in the initialiser of a declaration.
@rd depends on rd0 exists@
identifier x, g;
expression E, E1, E2;
type T;
identifier f;
identifier init : script:python() { init in wq_init_fns };
identifier alloc = {
// BEGIN wqcheck-local: allocators
	kmalloc,
	kzalloc,
	kcalloc,
	kvzalloc,
	devm_kmalloc,
	devm_kzalloc,
	kmem_cache_alloc,
	kmem_cache_zalloc
// END wqcheck-local: allocators
};
identifier use = {
// BEGIN wqcheck-local: uses
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
	schedule_delayed_work_on,
	cancel_work,
	cancel_work_sync,
	cancel_delayed_work,
	cancel_delayed_work_sync,
	flush_work,
	flush_delayed_work
// END wqcheck-local: uses
};
position p != guarded.p;
@@

T *x = alloc(...);
... when != INIT_WORK(&x->f, ...)
    when != INIT_DELAYED_WORK(&x->f, ...)
    when != INIT_DEFERRABLE_WORK(&x->f, ...)
    when != INIT_WORK_ONSTACK(&x->f, ...)
    when != INIT_DELAYED_WORK_ONSTACK(&x->f, ...)
    when != devm_work_autocancel(E1, &x->f, ...)
    when != devm_delayed_work_autocancel(E1, &x->f, ...)
    when != x = E
    when != E2->g = x
    when != init(..., x, ...)
use@p(..., &x->f, ...)

@depends on context && !org && !report && wq_uses@
identifier r.use;
position r.p;
@@

* use@p(...)

@depends on context && !org && !report && wq_uses@
identifier rd.use;
position rd.p;
@@

* use@p(...)

@script:python depends on org && wq_uses@
p << r.p;
use << r.use;
x << r.x;
f << r.f;
@@

coccilib.org.print_todo(p[0],
	wq_org_safe(wq_uninit_msg(use, x, f) + wq_possible(p, x, f)))

@script:python depends on org && wq_uses@
p << rd.p;
use << rd.use;
x << rd.x;
f << rd.f;
@@

coccilib.org.print_todo(p[0],
	wq_org_safe(wq_uninit_msg(use, x, f) + wq_possible(p, x, f)))

@script:python depends on report && inits@
p << r.p;
use << r.use;
x << r.x;
f << r.f;
@@

if not wq_init_before(p, x, f):
	coccilib.report.print_report(p[0], wq_uninit_msg(use, x, f))

@script:python depends on report && inits@
p << rd.p;
use << rd.use;
x << rd.x;
f << rd.f;
@@

if not wq_init_before(p, x, f):
	coccilib.report.print_report(p[0], wq_uninit_msg(use, x, f))
