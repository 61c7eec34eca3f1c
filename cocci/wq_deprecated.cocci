// SPDX-License-Identifier: GPL-2.0-only
/// Find uses of deprecated workqueue APIs: the legacy create_*workqueue()
/// wrappers, flush_scheduled_work() and flush_workqueue() on a system-wide
/// workqueue.
///
/// create_workqueue(), create_freezable_workqueue() and
/// create_singlethread_workqueue() are legacy wrappers that are scheduled
/// for removal (Documentation/core-api/workqueue.rst).  They are replaced
/// by the equivalent alloc_workqueue() or alloc_ordered_workqueue() call,
/// with the same flags minus the internal __WQ_LEGACY flag.  When the name
/// is a string literal without a '%', it is used directly as the format
/// string; otherwise the name is passed as the argument of a "%s" format.
///
/// flush_scheduled_work() and flush_workqueue() on a system-wide workqueue
/// (system_wq, system_long_wq, ...) wait for work items queued by unrelated
/// code and can deadlock.  They are being removed from the kernel.  There is
/// no mechanical replacement: cancel or flush the driver's own work items
/// (cancel_work_sync(), flush_work(), ...) or allocate a workqueue of its own.
///
//# Only direct calls are found.  A call through a wrapper macro defined in
//# the checked file is found (and, in patch mode, rewritten) in the macro
//# body, not at the macro's call sites; calls hidden behind function
//# pointers or macros from headers that are not parsed are not found.
//# flush_workqueue() is only reported when its argument is literally the
//# name of a system-wide workqueue, not a variable that points to one.
//# Patch mode changes only the create_*workqueue() calls; the flush cases
//# are reported in report, org and context modes only.
//# In org mode the brackets of the message are written as "@(" and ")",
//# as in the other kernel scripts, to keep the Org link valid.
//
// Confidence: High
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-deprecated
// Options: --no-includes --include-headers
// Keywords: workqueue

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@

# Replacement suggested in the message for each deprecated wrapper.
wq_create_repl = {
	"create_workqueue":
		'alloc_workqueue("%s", WQ_MEM_RECLAIM, 1, name)',
	"create_freezable_workqueue":
		'alloc_workqueue("%s", WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM, 1, name)',
	"create_singlethread_workqueue":
		'alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, name)',
}

def wq_create_msg(fn):
	return "'%s' is deprecated; use %s [wq-deprecated]" % \
		(fn, wq_create_repl[fn])

def wq_flush_scheduled_msg():
	return ("'flush_scheduled_work' is deprecated: it flushes the "
		"system-wide workqueue and can deadlock; cancel or flush your "
		"own work items instead [wq-deprecated]")

def wq_flush_system_msg(q):
	return ("flushing the system-wide workqueue '%s' is deprecated and "
		"can deadlock; flush your own work items or use a workqueue of "
		"your own [wq-deprecated]" % q)

# A plain (not wide) string literal that contains no conversion
# specification can be used as the format string itself.
def wq_plain_name(c):
	return c.startswith('"') and "%" not in c

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

//----------------------------------------------------------------------
// Deprecated create_*workqueue() wrappers
//----------------------------------------------------------------------

// spatch 1.1.1 takes no tokens from an identifier list such as dc's fn:
// a rule made only of one matches in every file, and spatch then parses
// every file it is given.  This rule spells the same names, so that a
// file without any of them is skipped before it is parsed.
@dct depends on !patch@
@@

(
// BEGIN wqcheck-api: deprecated-create
create_workqueue(...)
|
create_singlethread_workqueue(...)
|
create_freezable_workqueue(...)
// END wqcheck-api: deprecated-create
)

@dc depends on dct@
identifier fn = {
// BEGIN wqcheck-api: deprecated-create
	create_workqueue,
	create_singlethread_workqueue,
	create_freezable_workqueue
// END wqcheck-api: deprecated-create
};
expression E;
position p;
@@

fn@p(E)

@depends on context && !patch && !org && !report@
identifier dc.fn;
expression dc.E;
position dc.p;
@@

* fn@p(E)

@script:python depends on org@
p << dc.p;
fn << dc.fn;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_create_msg(fn)))

@script:python depends on report@
p << dc.p;
fn << dc.fn;
@@

coccilib.report.print_report(p[0], wq_create_msg(fn))

// The name is a string literal without '%': use it as the format.
@depends on patch && !context && !org && !report@
constant char[] C : script:python() { wq_plain_name(C) };
@@

(
- create_workqueue(C)
+ alloc_workqueue(C, WQ_MEM_RECLAIM, 1)
|
- create_freezable_workqueue(C)
+ alloc_workqueue(C, WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM, 1)
|
- create_singlethread_workqueue(C)
+ alloc_ordered_workqueue(C, WQ_MEM_RECLAIM)
)

// Any other name: keep the "%s" format of the legacy wrappers.
@depends on patch && !context && !org && !report@
expression E;
@@

(
- create_workqueue(E)
+ alloc_workqueue("%s", WQ_MEM_RECLAIM, 1, E)
|
- create_freezable_workqueue(E)
+ alloc_workqueue("%s", WQ_FREEZABLE | WQ_UNBOUND | WQ_MEM_RECLAIM, 1, E)
|
- create_singlethread_workqueue(E)
+ alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, E)
)

//----------------------------------------------------------------------
// flush_scheduled_work(): no mechanical fix
//----------------------------------------------------------------------

@fs depends on !patch@
position p;
@@

flush_scheduled_work@p()

@depends on context && !patch && !org && !report@
position fs.p;
@@

* flush_scheduled_work@p()

@script:python depends on org@
p << fs.p;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_flush_scheduled_msg()))

@script:python depends on report@
p << fs.p;
@@

coccilib.report.print_report(p[0], wq_flush_scheduled_msg())

//----------------------------------------------------------------------
// flush_workqueue() on a system-wide workqueue: no mechanical fix
//----------------------------------------------------------------------

@fw depends on !patch@
identifier q = {
// BEGIN wqcheck-api: system-workqueues
	system_wq,
	system_highpri_wq,
	system_long_wq,
	system_unbound_wq,
	system_freezable_wq,
	system_power_efficient_wq,
	system_freezable_power_efficient_wq,
	system_percpu_wq,
	system_dfl_wq
// END wqcheck-api: system-workqueues
};
position p;
@@

(
flush_workqueue@p(q)
|
flush_workqueue@p((q))
)

@depends on context && !patch && !org && !report@
position fw.p;
@@

* flush_workqueue@p(...)

@script:python depends on org@
p << fw.p;
q << fw.q;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_flush_system_msg(q)))

@script:python depends on report@
p << fw.p;
q << fw.q;
@@

coccilib.report.print_report(p[0], wq_flush_system_msg(q))
