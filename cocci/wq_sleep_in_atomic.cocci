// SPDX-License-Identifier: GPL-2.0-only
/// Find calls that may sleep made in atomic context, within one function.
///
/// A call may sleep when it is one of the sleeping kernel functions
/// (msleep(), mutex_lock(), wait_event*(), cancel_work_sync(),
/// flush_workqueue(), copy_to_user(), ...), vfree() or kvfree() outside
/// interrupt context, or an allocator called with GFP_KERNEL,
/// GFP_KERNEL_ACCOUNT, GFP_NOIO, GFP_NOFS, GFP_USER, GFP_HIGHUSER or
/// GFP_HIGHUSER_MOVABLE (alone or or-ed with other flags).  It is reported
/// when it can be reached:
///
///  - after a spin_lock*(), raw_spin_lock*(), read_lock*() or write_lock*()
///    (plain, _bh, _irq, _irqsave or _nested) without passing an unlock of
///    the same lock, or on the success branch of a spin_trylock*(),
///    read_trylock() or write_trylock();
///  - after local_irq_disable()/local_irq_save(), local_bh_disable(),
///    preempt_disable()/get_cpu()/get_cpu_var()/get_cpu_ptr() or
///    rcu_read_lock*() without passing a call that ends that region;
///  - anywhere in a function that this file registers as a callback that
///    runs in atomic context: the handler of request_irq() and
///    devm_request_irq(), the primary (hard-IRQ) handler of
///    request_threaded_irq() and devm_request_threaded_irq() (never the
///    thread function), timer_setup() and DEFINE_TIMER() timer callbacks,
///    tasklet_setup(), tasklet_init() and DECLARE_TASKLET*() tasklets,
///    call_rcu() callbacks, netif_napi_add*() NAPI poll functions, hrtimer
///    callbacks (passed to hrtimer_setup(), or an "enum hrtimer_restart
///    fn(struct hrtimer *)" stored into a .function field), and the
///    handler of a work item queued on a BH workqueue (6.9+: system_bh_wq,
///    system_bh_highpri_wq or a WQ_BH queue).
///
/// cancel_work_sync() and disable_work_sync() of a work item queued on a
/// BH workqueue are allowed in atomic context other than hard IRQ (6.10+).
///
/// Sleeping there triggers "BUG: sleeping function called from invalid
/// context" or a deadlock.  Move the call out of the region, defer it to a
/// work item, or use a non-sleeping variant (GFP_ATOMIC, mdelay()).
///
/// Patch mode only replaces GFP_KERNEL by GFP_ATOMIC in an allocation that
/// is reached after a spinlock or rwlock lock and is followed by an unlock
/// of the same lock in the same function.  Nothing else is patched.
///
//# Intraprocedural: a sleep reached through a helper function, a lock taken
//# by the caller or by a helper, or a callback registered in another file
//# is not found.  A lock region ends at an unlock of the same lock
//# expression, spelled the same way: an unlock through an alias, through
//# the driver's own unlock helper or inside a called function is not seen,
//# and a sleep after it is reported.  The other regions (interrupts, bottom
//# halves, preemption, RCU) end at the first call that ends a region of
//# their kind, so a sleep between the inner and the outer end of a nested
//# section is missed.  spin_trylock() and friends are followed in the forms
//# "if (trylock) {...}", "if (!trylock) S ...", "if (unlikely(!trylock))
//# S ..." and "while (!trylock) S ..."; a result stored in a variable first
//# is not followed, and the failure branch is never reported.
//# vfree() and kvfree() are not reported in a callback, in a bottom-half
//# region or after a _bh lock (in_interrupt() is true there: they defer),
//# and cancel_work_sync()/disable_work_sync() of a BH work item only in a
//# hard-IRQ handler or an hrtimer callback.
//# Coccinelle does not evaluate gfp flags: an allocator is reported only
//# when a blocking GFP_* name is spelled in an argument made of flag names
//# or-ed together.  A gfp_t variable, a conditional expression or a mask
//# is never reported, nor is GFP_ATOMIC or GFP_NOWAIT.
//# A callback must be registered in the same file and named directly (or
//# as &fn).  NAPI poll functions and tasklets stored directly into
//# napi_struct.poll or tasklet_struct.func/.callback are not found.  Work
//# items and workqueues are told apart by their last field or variable
//# name (INIT_WORK(&a->rx_work, fn) and queue_work(system_bh_wq,
//# &b->rx_work) are taken to be the same work item).  Names are matched as
//# spelled, with --no-includes: a macro of a listed name (wait_event(),
//# get_user(), ...) is matched like a function call, and calls hidden in
//# other macros are not seen.
//# Each sleeping call is reported once, with the first of these contexts
//# that applies: spinlock or rwlock (including a trylock), interrupts,
//# bottom halves, preemption, RCU, callback.
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
// Comments: check id wq-sleep-in-atomic
// Options: --no-includes
// Keywords: sleep, atomic context, spinlock, interrupt, workqueue

virtual patch
virtual context
virtual org
virtual report

// How it works.  The first rules record, by position, every call that
// may sleep, every call that enters or ends an atomic region, and every
// callback that runs in atomic context.  For each kind of region, a
// "first" rule finds the sleeping calls that come first after a region
// entry, and a "next" rule links each sleeping call to the sleeping calls
// that come first after it; neither passes a call that ends the region.
// Following the links from the first calls reaches exactly the sleeping
// calls that some path from the entry reaches without passing an end.
// (One rule "entry ... when any sleep" would say the same, but its running
// time explodes with the number of sleeping calls in a function.)  Then
// the sleeping calls in the body of each atomic callback are reported.

@initialize:python@
@@

import re

# Output modes in effect (filled by the initializers below).
wq_modes = set()

# Flags that include __GFP_DIRECT_RECLAIM (include/linux/gfp_types.h).
wq_blocking_gfp = ("GFP_KERNEL", "GFP_KERNEL_ACCOUNT", "GFP_NOIO",
	"GFP_NOFS", "GFP_USER", "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE")

# What each region kind is called in the message.
wq_kind_text = {
	"irq": "interrupts disabled",
	"bh": "bottom halves disabled",
	"preempt": "preemption disabled",
	"rcu": "RCU read lock held",
}

# Registration -> context of the callback it registers.  All of them are
# interrupt context (in_interrupt()); the last tuple lists the hard-IRQ
# ones (in_hardirq(); hrtimers are, unless HRTIMER_MODE_SOFT).
wq_reg_context = {
	"request_irq": "hard-IRQ handler",
	"request_threaded_irq": "hard-IRQ handler",
	"devm_request_irq": "hard-IRQ handler",
	"devm_request_threaded_irq": "hard-IRQ handler",
	"timer_setup": "timer callback",
	"init_timer_key": "timer callback",
	"DEFINE_TIMER": "timer callback",
	"timer_list .function": "timer callback",
	"hrtimer_setup": "hrtimer callback",
	"hrtimer .function": "hrtimer callback",
	"tasklet_setup": "tasklet",
	"tasklet_init": "tasklet",
	"DECLARE_TASKLET": "tasklet",
	"call_rcu": "RCU callback",
	"netif_napi_add": "NAPI poll function",
	"netif_napi_add_weight": "NAPI poll function",
	"netif_napi_add_tx": "NAPI poll function",
	"netif_napi_add_tx_weight": "NAPI poll function",
	"BH work": "work item on a BH workqueue",
}
wq_hardirq_context = ("hard-IRQ handler", "hrtimer callback")

# Position key -> (position, name, blocking gfp flag or None, sleeps only
# outside interrupt context).
wq_sleepers = {}
# (file, function) -> keys of the sleeping calls in that function.
wq_sleepers_in_fn = {}
# Position key of a cancel_work_sync()-like call -> (file, work item).
wq_cancel_work = {}
# Position key -> (kind, name) of a region entry.
wq_entries = {}
# (kind, lock, file, function) of every function with a region entry.
wq_region_fns = set()
# (kind, lock) -> {sleeper key: set of the sleeper keys that come next}.
wq_next = {}
# (kind, lock) -> {sleeper key reached in such a region: (entry, its
# position)}.
wq_reached = {}
# (file, function) -> context of an atomic callback registered in file.
wq_callbacks = {}
# (file, name) -> (position, registration) of the functions of the file
# that can be a timer or hrtimer callback (rules wq_hrtimer_fn, wq_timer_fn).
wq_timer_defs = {}
# (file, work item) -> its handlers; (file, work item) of the work items
# queued on a BH workqueue; (file, queue) of the WQ_BH queues.
wq_work_fns = {}
wq_bh_works = set()
wq_bh_queues = set()
# Keys of the calls already reported.
wq_reported = set()

def wq_key(p):
	return (p[0].file, p[0].line, p[0].column)

def wq_fn(p):
	return (p[0].file, p[0].current_element)

# A work item or workqueue by its last field or variable name:
# "&priv->rx_work" -> "rx_work".
def wq_obj(e):
	names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", str(e))
	return names[-1] if names else str(e)

# The blocking flag spelled in a gfp argument made only of flag names,
# or None.  "GFP_KERNEL | __GFP_ZERO" blocks (or-ing cannot clear the
# reclaim bit); "gfp", "x ? GFP_ATOMIC : GFP_KERNEL" and masks are left
# alone.
def wq_gfp_flag(e):
	s = str(e)
	if not re.match(r"^[\sA-Za-z0-9_|()]+$", s):
		return None
	for n in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", s):
		if n in wq_blocking_gfp:
			return n
	return None

def wq_note_sleeper(p, name, flag=None, task_only=False):
	k = wq_key(p)
	if k not in wq_sleepers:
		wq_sleepers[k] = (p, name, flag, task_only)
		wq_sleepers_in_fn.setdefault(wq_fn(p), []).append(k)

def wq_sleeps(p):
	return wq_key(p) in wq_sleepers

def wq_note_callback(p, fn, reg):
	wq_callbacks.setdefault((p[0].file, fn), wq_reg_context[reg])

def wq_note_work_fn(p, work, fn):
	k = (p[0].file, wq_obj(work))
	wq_work_fns.setdefault(k, set()).add(fn)
	if k in wq_bh_works:
		wq_note_callback(p, fn, "BH work")

def wq_note_bh_work(p, work):
	k = (p[0].file, wq_obj(work))
	wq_bh_works.add(k)
	for fn in wq_work_fns.get(k, ()):
		wq_note_callback(p, fn, "BH work")

def wq_note_entry(p, name, kind, lock=None):
	wq_entries.setdefault(wq_key(p), (kind, name))
	kind = "lock" if kind == "try" else kind
	wq_region_fns.add((kind, lock) + wq_fn(p))
	wq_region_fns.add((kind, None) + wq_fn(p))	# any lock


# A sleeping call in a function that enters a region of kind (for "lock":
# a spinlock or rwlock region of lock, or of any lock when lock is None,
# trylocks included).  The region
# rules look at these only: the others cannot be in such a region, and
# leaving them out keeps the rules fast.
def wq_sleeps_in(p, kind, lock=None):
	return wq_key(p) in wq_sleepers and \
		(kind, lock) + wq_fn(p) in wq_region_fns

# Whether the sleeping call k really sleeps where it is: irq is "task",
# "softirq" or "hardirq" (interrupt context: in_interrupt(), in_hardirq()).
def wq_sleeps_here(k, irq):
	p, name, flag, task_only = wq_sleepers[k]
	if task_only and irq != "task":
		return False		# vfree() defers in interrupt context
	w = wq_cancel_work.get(k)
	if w is not None and w in wq_bh_works and irq != "hardirq":
		return False		# BH work: cancel allowed but in hard IRQ
	return True

# Interrupt context of the function containing k, given the region.
def wq_irq(k, bh_region=False):
	cb = wq_callbacks.get(wq_fn(wq_sleepers[k][0]))
	if cb in wq_hardirq_context:
		return "hardirq"
	if cb is not None or bh_region:
		return "softirq"
	return "task"

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

# Report the sleeping call k in context ctx, unless it was reported
# already; sec/secmsg: a related position (the region entry) for org mode.
def wq_emit(k, ctx, sec=None, secmsg=""):
	if k in wq_reported:
		return
	wq_reported.add(k)
	p, name, flag, task_only = wq_sleepers[k]
	what = "'%s'" % name
	if flag:
		what += " (%s)" % flag
	msg = ("sleeping function %s called in atomic context (%s) "
	       "[wq-sleep-in-atomic]" % (what, ctx))
	if "report" in wq_modes:
		coccilib.report.print_report(p[0], msg)
	if "org" in wq_modes:
		coccilib.org.print_todo(p[0], wq_org_safe(msg))
		if sec is not None:
			coccilib.org.print_link(sec[0], wq_org_safe(secmsg),
						"ovl-face2")

# k is in a region of kind entered by entry at p1, and so is every
# sleeping call that comes next after it.  Trylock regions follow the
# links of the plain lock regions.
def wq_reach(kind, lock, k, entry, p1):
	reached = wq_reached.setdefault((kind, lock), {})
	links = wq_next.get(("lock" if kind == "try" else kind, lock), {})
	if kind in wq_kind_text:
		what = wq_kind_text[kind]
	elif "spin" in entry:
		what = "spinlock held"
	else:
		what = "rwlock held"
	ctx = "%s: %s at line %s" % (what, entry, p1[0].line)
	bh = kind == "bh" or entry.endswith("_bh")
	todo = [k]
	while todo:
		k = todo.pop()
		if k in reached:
			continue
		reached[k] = (entry, p1)
		if wq_sleeps_here(k, wq_irq(k, bh)):
			wq_emit(k, ctx, p1, "%s: %s" % (what, entry))
		todo.extend(links.get(k, ()))

def wq_first(kind, lock, p1, entry, p2):
	wq_reach(kind, lock, wq_key(p2), entry, p1)

def wq_link(kind, lock, pa, p2):
	a, b = wq_key(pa), wq_key(p2)
	wq_next.setdefault((kind, lock), {}).setdefault(a, set()).add(b)
	for k in ((kind, "try") if kind == "lock" else (kind,)):
		r = wq_reached.get((k, lock), {})
		if a in r:
			wq_reach(k, lock, b, r[a][0], r[a][1])

# GFP_KERNEL, reached after a (not try-) lock of lock.
def wq_patchable(p, lock):
	k = wq_key(p)
	s = wq_sleepers.get(k)
	return s is not None and s[2] == "GFP_KERNEL" and \
		k in wq_reached.get(("lock", lock), {})

# p is the name of a function definition: if it is an atomic callback,
# report the sleeping calls in its body.
def wq_is_callback(p):
	return wq_fn(p) in wq_callbacks

def wq_emit_callback(p):
	ctx = wq_callbacks[wq_fn(p)]
	irq = "hardirq" if ctx in wq_hardirq_context else "softirq"
	for k in wq_sleepers_in_fn.get(wq_fn(p), ()):
		if wq_sleeps_here(k, irq):
			wq_emit(k, "%s '%s'" % (ctx, p[0].current_element))

@initialize:python depends on report@
@@
wq_modes.add("report")

@initialize:python depends on org@
@@
wq_modes.add("org")

@initialize:python depends on context@
@@
wq_modes.add("context")

//----------------------------------------------------------------------
// What a report needs: an atomic region or a callback registration
//----------------------------------------------------------------------

// spatch skips, before parsing, a file that lacks the names the rules
// need (docs/benchmarks.md, "Coccinelle at kernel scale").  It takes no
// name from an identifier list, so this rule spells the names of the
// region entries (the lists of wq_lock_enter ... wq_rcu_enter) and of the
// registrations of wq_reg1 and wq_reg2 once more as a disjunction, and
// every rule that feeds a report depends on it or on a registration rule
// with names of its own (DEFINE_TIMER, DECLARE_TASKLET, a .function field
// of a timer or hrtimer callback, a BH workqueue).  A file with none of
// these names cannot produce a report and is not parsed.
// The disjunction costs one matching pass per name, more than parsing
// the file, so the most frequent names come first, in rules that each
// run only when the ones before them matched nothing: a file with a
// spin_lock_irqsave() pays for four names (files of drivers/ in 6.1 with
// an entry or registration: 6,272; without one of the four: 2,279;
// without one of the sixteen of the first two rules: 1,078).
@wq_src1@
@@

\(spin_lock_irqsave\|spin_lock\|spin_lock_irq\|spin_lock_bh\)(...)

@wq_src2 depends on !wq_src1@
@@

\(request_irq\|devm_request_irq\|rcu_read_lock\|timer_setup\|
  raw_spin_lock_irqsave\|devm_request_threaded_irq\|local_irq_save\|
  request_threaded_irq\|tasklet_setup\|read_lock\|netif_napi_add\|
  write_lock\)(...)

@wq_atomic_src depends on !wq_src1 && !wq_src2@
@@

\(
// BEGIN wqcheck-local: lock-entries
spin_lock
\|
spin_lock_bh
\|
spin_lock_irq
\|
spin_lock_irqsave
\|
spin_lock_nested
\|
spin_lock_irqsave_nested
\|
spin_lock_nest_lock
\|
raw_spin_lock
\|
raw_spin_lock_bh
\|
raw_spin_lock_irq
\|
raw_spin_lock_irqsave
\|
raw_spin_lock_nested
\|
raw_spin_lock_irqsave_nested
\|
raw_spin_lock_nest_lock
\|
_raw_spin_lock
\|
_raw_spin_lock_bh
\|
_raw_spin_lock_irq
\|
_raw_spin_lock_irqsave
\|
_raw_spin_lock_nested
\|
read_lock
\|
read_lock_bh
\|
read_lock_irq
\|
read_lock_irqsave
\|
_raw_read_lock
\|
_raw_read_lock_bh
\|
_raw_read_lock_irq
\|
_raw_read_lock_irqsave
\|
write_lock
\|
write_lock_bh
\|
write_lock_irq
\|
write_lock_irqsave
\|
write_lock_nested
\|
_raw_write_lock
\|
_raw_write_lock_bh
\|
_raw_write_lock_irq
\|
_raw_write_lock_irqsave
// END wqcheck-local: lock-entries
\|
// BEGIN wqcheck-local: trylock-entries
spin_trylock
\|
spin_trylock_bh
\|
spin_trylock_irq
\|
spin_trylock_irqsave
\|
raw_spin_trylock
\|
raw_spin_trylock_bh
\|
raw_spin_trylock_irq
\|
raw_spin_trylock_irqsave
\|
_raw_spin_trylock
\|
_raw_spin_trylock_bh
\|
read_trylock
\|
_raw_read_trylock
\|
write_trylock
\|
write_trylock_irqsave
\|
_raw_write_trylock
// END wqcheck-local: trylock-entries
\|
// BEGIN wqcheck-local: irq-entries
local_irq_disable
\|
local_irq_save
\|
arch_local_irq_disable
\|
arch_local_irq_save
// END wqcheck-local: irq-entries
\|
// BEGIN wqcheck-local: bh-entries
local_bh_disable
// END wqcheck-local: bh-entries
\|
// BEGIN wqcheck-local: preempt-entries
preempt_disable
\|
preempt_disable_nested
\|
get_cpu
\|
get_cpu_var
\|
get_cpu_ptr
// END wqcheck-local: preempt-entries
\|
// BEGIN wqcheck-local: rcu-entries
rcu_read_lock
\|
rcu_read_lock_bh
\|
rcu_read_lock_sched
// END wqcheck-local: rcu-entries
\|
// BEGIN wqcheck-local: callback-arg2
request_irq
\|
request_threaded_irq
\|
timer_setup
\|
init_timer_key
\|
hrtimer_setup
\|
tasklet_setup
\|
tasklet_init
\|
call_rcu
// END wqcheck-local: callback-arg2
\|
// BEGIN wqcheck-local: callback-arg3
devm_request_irq
\|
devm_request_threaded_irq
\|
netif_napi_add
\|
netif_napi_add_weight
\|
netif_napi_add_tx
\|
netif_napi_add_tx_weight
// END wqcheck-local: callback-arg3
\)(...)

//----------------------------------------------------------------------
// Callbacks that run in atomic context, registered in this file
//----------------------------------------------------------------------

// The callback is the second argument.  Only the first handler of
// request_threaded_irq() is taken: its thread function may sleep.
@wq_reg1 depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier reg = {
// BEGIN wqcheck-local: callback-arg2
	request_irq,
	request_threaded_irq,
	timer_setup,
	init_timer_key,
	hrtimer_setup,
	tasklet_setup,
	tasklet_init,
	call_rcu
// END wqcheck-local: callback-arg2
};
identifier fn;
expression E;
position p;
@@

reg@p(E, \( fn \| &fn \), ...)

@script:python depends on !patch@
p << wq_reg1.p;
reg << wq_reg1.reg;
fn << wq_reg1.fn;
@@

wq_note_callback(p, fn, reg)

// The callback is the third argument.
@wq_reg2 depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier reg = {
// BEGIN wqcheck-local: callback-arg3
	devm_request_irq,
	devm_request_threaded_irq,
	netif_napi_add,
	netif_napi_add_weight,
	netif_napi_add_tx,
	netif_napi_add_tx_weight
// END wqcheck-local: callback-arg3
};
identifier fn;
expression E1, E2;
position p;
@@

reg@p(E1, E2, \( fn \| &fn \), ...)

@script:python depends on !patch@
p << wq_reg2.p;
reg << wq_reg2.reg;
fn << wq_reg2.fn;
@@

wq_note_callback(p, fn, reg)

// Static definitions: DEFINE_TIMER(name, fn), DECLARE_TASKLET(name, fn).
@wq_reg_timer depends on !patch@
declarer name DEFINE_TIMER;
identifier name, fn;
position p;
@@

DEFINE_TIMER@p(name, fn, ...);

@script:python depends on !patch@
p << wq_reg_timer.p;
fn << wq_reg_timer.fn;
@@

wq_note_callback(p, fn, "DEFINE_TIMER")

@wq_reg_tasklet depends on !patch@
declarer name DECLARE_TASKLET, DECLARE_TASKLET_OLD;
identifier name, fn;
position p;
@@

(
DECLARE_TASKLET@p(name, fn, ...);
|
DECLARE_TASKLET_OLD@p(name, fn);
)

@script:python depends on !patch@
p << wq_reg_tasklet.p;
fn << wq_reg_tasklet.fn;
@@

wq_note_callback(p, fn, "DECLARE_TASKLET")

// t.function = fn: a timer or hrtimer callback, told apart by the
// signature of fn (.function is too common a field name to trust alone).
// The definitions come first: matching the headers of the file's
// functions is cheap, and the assignments are looked for only in a file
// that defines such a function (about one parsed file in six).
// (The field is an identifier list: a name spelled here would be a word
// of spatch's file filter, and "function" is in almost every file.)
@wq_hrtimer_fn depends on !patch@
identifier fn, t;
position p;
@@

enum hrtimer_restart fn@p(struct hrtimer *t) { ... }

@script:python depends on !patch@
p << wq_hrtimer_fn.p;
fn << wq_hrtimer_fn.fn;
@@

wq_timer_defs[(p[0].file, fn)] = (p, "hrtimer .function")

@wq_timer_fn depends on !patch@
identifier fn, t;
position p;
@@

void fn@p(struct timer_list *t) { ... }

@script:python depends on !patch@
p << wq_timer_fn.p;
fn << wq_timer_fn.fn;
@@

wq_timer_defs[(p[0].file, fn)] = (p, "timer_list .function")

@wq_fn_field depends on !patch && (wq_hrtimer_fn || wq_timer_fn)@
identifier fn;
identifier fld = {function};
expression E;
position pf;
@@

(
E.fld = fn@pf
|
E->fld = fn@pf
)

@script:python depends on !patch@
pf << wq_fn_field.pf;
fn << wq_fn_field.fn;
@@

if (pf[0].file, fn) in wq_timer_defs:
	p, reg = wq_timer_defs[(pf[0].file, fn)]
	wq_note_callback(p, fn, reg)

// Work items queued on a BH workqueue run in softirq context (6.9+).
@wq_bh_queue depends on !patch@
identifier aw = {alloc_workqueue};	// not a word of the file filter
expression Q, F;
position p;
@@

Q = aw@p(F, <+... WQ_BH ...+>, ...)

@script:python depends on !patch@
p << wq_bh_queue.p;
Q << wq_bh_queue.Q;
@@

wq_bh_queues.add((p[0].file, wq_obj(Q)))

@wq_bh_queued depends on !patch@
identifier qw = {queue_work}, qwo = {queue_work_on};
expression W, C;
position p;
@@

// The rows of WQ_BH_WORKQUEUE in KernelAPI.def, spelled for the file
// filter (and queue_work not: spatch's filter keeps only the words).
(
qw@p(\(system_bh_wq\|system_bh_highpri_wq\), W)
|
qwo@p(C, \(system_bh_wq\|system_bh_highpri_wq\), W)
)

@script:python depends on !patch@
p << wq_bh_queued.p;
W << wq_bh_queued.W;
@@

wq_note_bh_work(p, W)

// ... or on a WQ_BH queue of this file.
@wq_bh_queued_own depends on !patch && wq_bh_queue@
identifier qw = {queue_work}, qwo = {queue_work_on};
expression Q, W, C;
position p;
@@

(
qw@p(Q, W)
|
qwo@p(C, Q, W)
)

@script:python depends on !patch@
p << wq_bh_queued_own.p;
Q << wq_bh_queued_own.Q;
W << wq_bh_queued_own.W;
@@

if (p[0].file, wq_obj(Q)) in wq_bh_queues:
	wq_note_bh_work(p, W)

// Handlers of the work items.
@wq_work_init depends on !patch && (wq_bh_queued || wq_bh_queued_own)@
identifier iw = {INIT_WORK};
identifier fn;
expression W;
position p;
@@

iw@p(W, fn)

@script:python depends on !patch@
p << wq_work_init.p;
W << wq_work_init.W;
fn << wq_work_init.fn;
@@

wq_note_work_fn(p, W, fn)

@wq_work_decl depends on !patch && (wq_bh_queued || wq_bh_queued_own)@
declarer name DECLARE_WORK;
identifier W, fn;
position p;
@@

DECLARE_WORK@p(W, fn);

@script:python depends on !patch@
p << wq_work_decl.p;
W << wq_work_decl.W;
fn << wq_work_decl.fn;
@@

wq_note_work_fn(p, W, fn)

//----------------------------------------------------------------------
// What may sleep
//----------------------------------------------------------------------

@wq_sleep depends on (wq_src1 || wq_src2 || wq_atomic_src ||
	wq_reg_timer || wq_reg_tasklet || wq_fn_field ||
	wq_bh_queued || wq_bh_queue)@
identifier fn = {
// BEGIN wqcheck-api: sleeping-calls
	msleep,
	msleep_interruptible,
	ssleep,
	usleep_range,
	usleep_range_state,
	usleep_idle_range,
	fsleep,
	schedule,
	schedule_timeout,
	schedule_timeout_interruptible,
	schedule_timeout_killable,
	schedule_timeout_uninterruptible,
	schedule_timeout_idle,
	io_schedule,
	io_schedule_timeout,
	yield,
	might_sleep,
	cond_resched,
	mutex_lock,
	mutex_lock_nested,
	mutex_lock_interruptible,
	mutex_lock_interruptible_nested,
	mutex_lock_killable,
	mutex_lock_killable_nested,
	mutex_lock_io,
	down,
	down_interruptible,
	down_killable,
	down_timeout,
	down_read,
	down_read_interruptible,
	down_read_killable,
	down_write,
	down_write_killable,
	wait_for_completion,
	wait_for_completion_timeout,
	wait_for_completion_interruptible,
	wait_for_completion_interruptible_timeout,
	wait_for_completion_killable,
	wait_for_completion_killable_timeout,
	wait_for_completion_io,
	wait_for_completion_io_timeout,
	wait_event,
	wait_event_timeout,
	wait_event_interruptible,
	wait_event_interruptible_timeout,
	wait_event_interruptible_exclusive,
	wait_event_killable,
	wait_event_killable_timeout,
	wait_event_freezable,
	wait_event_freezable_timeout,
	wait_event_idle,
	wait_event_idle_timeout,
	flush_work,
	flush_delayed_work,
	flush_rcu_work,
	cancel_work_sync,
	cancel_delayed_work_sync,
	disable_work_sync,
	disable_delayed_work_sync,
	flush_workqueue,
	__flush_workqueue,
	flush_scheduled_work,
	drain_workqueue,
	destroy_workqueue,
	synchronize_rcu,
	synchronize_rcu_expedited,
	synchronize_srcu,
	synchronize_net,
	rcu_barrier,
	vmalloc,
	vzalloc,
	copy_to_user,
	copy_from_user,
	get_user,
	put_user,
	clear_user,
	strncpy_from_user,
	request_firmware,
	firmware_request_nowarn,
	kthread_stop,
	i2c_transfer,
	i2c_smbus_read_byte_data,
	i2c_smbus_write_byte_data,
	usb_control_msg,
	usb_bulk_msg,
	usb_interrupt_msg
// END wqcheck-api: sleeping-calls
};
position p;
@@

fn@p(...)

@script:python@
p << wq_sleep.p;
fn << wq_sleep.fn;
@@

wq_note_sleeper(p, fn)

// Sleep only outside interrupt context.
@wq_task_sleep depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src ||
	wq_reg_timer || wq_reg_tasklet || wq_fn_field ||
	wq_bh_queued || wq_bh_queue)@
identifier fn = {
// BEGIN wqcheck-api: task-sleeping-calls
	vfree,
	kvfree
// END wqcheck-api: task-sleeping-calls
};
position p;
@@

fn@p(...)

@script:python depends on !patch@
p << wq_task_sleep.p;
fn << wq_task_sleep.fn;
@@

wq_note_sleeper(p, fn, None, True)

// An allocator with a blocking gfp flag spelled in an argument.
@wq_gfp depends on (wq_src1 || wq_src2 || wq_atomic_src ||
	wq_reg_timer || wq_reg_tasklet || wq_fn_field ||
	wq_bh_queued || wq_bh_queue)@
identifier fn = {
// BEGIN wqcheck-api: gfp-allocators
	kmalloc,
	kzalloc,
	kmalloc_node,
	kzalloc_node,
	kcalloc,
	kmalloc_array,
	krealloc,
	kvmalloc,
	kvzalloc,
	kmem_cache_alloc,
	kmem_cache_zalloc,
	kmem_cache_alloc_node,
	kstrdup,
	kstrndup,
	kmemdup,
	kasprintf,
	alloc_pages,
	__get_free_pages,
	get_zeroed_page,
	devm_kmalloc,
	devm_kzalloc,
	devm_kcalloc,
	alloc_skb,
	__netdev_alloc_skb,
	usb_alloc_urb,
	usb_submit_urb,
	mempool_alloc,
	dma_alloc_coherent
// END wqcheck-api: gfp-allocators
};
expression F : script:python() { wq_gfp_flag(F) is not None };
position p;
@@

fn@p(..., F, ...)

@script:python@
p << wq_gfp.p;
fn << wq_gfp.fn;
F << wq_gfp.F;
@@

wq_note_sleeper(p, fn, wq_gfp_flag(F))

// Cancels that may be called in atomic context other than hard IRQ when
// the work item was queued on a BH workqueue (6.10+ kernel-doc); only
// looked for in a file that queues on one.  The
// rows of WQ_CANCEL_OK_ON_BH in KernelAPI.def.
@wq_cancel_bh depends on !patch && (wq_bh_queued || wq_bh_queued_own)@
identifier fn = {
	cancel_work_sync,
	disable_work_sync
};
expression W;
position p;
@@

fn@p(W, ...)

@script:python depends on !patch@
p << wq_cancel_bh.p;
W << wq_cancel_bh.W;
@@

wq_cancel_work[wq_key(p)] = (p[0].file, wq_obj(W))

//----------------------------------------------------------------------
// Where atomic regions begin and end (6.1 include/linux/spinlock.h,
// rwlock.h, irqflags.h, bottom_half.h, preempt.h, smp.h, percpu-defs.h,
// rcupdate.h; SRCU read sections may sleep and are not regions)
//----------------------------------------------------------------------

@wq_lock_enter depends on (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: lock-entries
	spin_lock,
	spin_lock_bh,
	spin_lock_irq,
	spin_lock_irqsave,
	spin_lock_nested,
	spin_lock_irqsave_nested,
	spin_lock_nest_lock,
	raw_spin_lock,
	raw_spin_lock_bh,
	raw_spin_lock_irq,
	raw_spin_lock_irqsave,
	raw_spin_lock_nested,
	raw_spin_lock_irqsave_nested,
	raw_spin_lock_nest_lock,
	_raw_spin_lock,
	_raw_spin_lock_bh,
	_raw_spin_lock_irq,
	_raw_spin_lock_irqsave,
	_raw_spin_lock_nested,
	read_lock,
	read_lock_bh,
	read_lock_irq,
	read_lock_irqsave,
	_raw_read_lock,
	_raw_read_lock_bh,
	_raw_read_lock_irq,
	_raw_read_lock_irqsave,
	write_lock,
	write_lock_bh,
	write_lock_irq,
	write_lock_irqsave,
	write_lock_nested,
	_raw_write_lock,
	_raw_write_lock_bh,
	_raw_write_lock_irq,
	_raw_write_lock_irqsave
// END wqcheck-local: lock-entries
};
expression L;
position p;
@@

fn@p(L, ...)

@script:python@
p << wq_lock_enter.p;
fn << wq_lock_enter.fn;
L << wq_lock_enter.L;
@@

wq_note_entry(p, fn, "lock", L)

// Hold the lock on their success branch only.
@wq_trylock_enter depends on (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: trylock-entries
	spin_trylock,
	spin_trylock_bh,
	spin_trylock_irq,
	spin_trylock_irqsave,
	raw_spin_trylock,
	raw_spin_trylock_bh,
	raw_spin_trylock_irq,
	raw_spin_trylock_irqsave,
	_raw_spin_trylock,
	_raw_spin_trylock_bh,
	read_trylock,
	_raw_read_trylock,
	write_trylock,
	write_trylock_irqsave,
	_raw_write_trylock
// END wqcheck-local: trylock-entries
};
expression L;
position p;
@@

fn@p(L, ...)

@script:python@
p << wq_trylock_enter.p;
fn << wq_trylock_enter.fn;
L << wq_trylock_enter.L;
@@

wq_note_entry(p, fn, "try", L)

@wq_irq_enter depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: irq-entries
	local_irq_disable,
	local_irq_save,
	arch_local_irq_disable,
	arch_local_irq_save
// END wqcheck-local: irq-entries
};
position p;
@@

fn@p(...)

@script:python depends on !patch@
p << wq_irq_enter.p;
fn << wq_irq_enter.fn;
@@

wq_note_entry(p, fn, "irq")

@wq_bh_enter depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: bh-entries
	local_bh_disable
// END wqcheck-local: bh-entries
};
position p;
@@

fn@p(...)

@script:python depends on !patch@
p << wq_bh_enter.p;
fn << wq_bh_enter.fn;
@@

wq_note_entry(p, fn, "bh")

@wq_preempt_enter depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: preempt-entries
	preempt_disable,
	preempt_disable_nested,
	get_cpu,
	get_cpu_var,
	get_cpu_ptr
// END wqcheck-local: preempt-entries
};
position p;
@@

fn@p(...)

@script:python depends on !patch@
p << wq_preempt_enter.p;
fn << wq_preempt_enter.fn;
@@

wq_note_entry(p, fn, "preempt")

@wq_rcu_enter depends on !patch && (wq_src1 || wq_src2 || wq_atomic_src)@
identifier fn = {
// BEGIN wqcheck-local: rcu-entries
	rcu_read_lock,
	rcu_read_lock_bh,
	rcu_read_lock_sched
// END wqcheck-local: rcu-entries
};
position p;
@@

fn@p(...)

@script:python depends on !patch@
p << wq_rcu_enter.p;
fn << wq_rcu_enter.fn;
@@

wq_note_entry(p, fn, "rcu")

//----------------------------------------------------------------------
// Spinlock and rwlock regions, one lock expression at a time
//----------------------------------------------------------------------

@wq_lock_first depends on (wq_sleep || wq_gfp || wq_task_sleep) &&
	wq_lock_enter exists@
expression L;
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: lock-entries
	spin_lock,
	spin_lock_bh,
	spin_lock_irq,
	spin_lock_irqsave,
	spin_lock_nested,
	spin_lock_irqsave_nested,
	spin_lock_nest_lock,
	raw_spin_lock,
	raw_spin_lock_bh,
	raw_spin_lock_irq,
	raw_spin_lock_irqsave,
	raw_spin_lock_nested,
	raw_spin_lock_irqsave_nested,
	raw_spin_lock_nest_lock,
	_raw_spin_lock,
	_raw_spin_lock_bh,
	_raw_spin_lock_irq,
	_raw_spin_lock_irqsave,
	_raw_spin_lock_nested,
	read_lock,
	read_lock_bh,
	read_lock_irq,
	read_lock_irqsave,
	_raw_read_lock,
	_raw_read_lock_bh,
	_raw_read_lock_irq,
	_raw_read_lock_irqsave,
	write_lock,
	write_lock_bh,
	write_lock_irq,
	write_lock_irqsave,
	write_lock_nested,
	_raw_write_lock,
	_raw_write_lock_bh,
	_raw_write_lock_irq,
	_raw_write_lock_irqsave
// END wqcheck-local: lock-entries
};
identifier fx = {
// BEGIN wqcheck-local: lock-exits
	spin_unlock,
	spin_unlock_bh,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock,
	raw_spin_unlock_bh,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	_raw_spin_unlock,
	_raw_spin_unlock_bh,
	_raw_spin_unlock_irq,
	_raw_spin_unlock_irqrestore,
	read_unlock,
	read_unlock_bh,
	read_unlock_irq,
	read_unlock_irqrestore,
	_raw_read_unlock,
	_raw_read_unlock_bh,
	_raw_read_unlock_irq,
	_raw_read_unlock_irqrestore,
	write_unlock,
	write_unlock_bh,
	write_unlock_irq,
	write_unlock_irqrestore,
	_raw_write_unlock,
	_raw_write_unlock_bh,
	_raw_write_unlock_irq,
	_raw_write_unlock_irqrestore
// END wqcheck-local: lock-exits
};
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "lock") };
@@

fe@p1(L, ...)
... when != fx@px(L, ...)
fs@p2(...)

@script:python@
L << wq_lock_first.L;
p1 << wq_lock_first.p1;
fe << wq_lock_first.fe;
p2 << wq_lock_first.p2;
@@

wq_first("lock", L, p1, fe, p2)

@wq_trylock_first depends on (wq_sleep || wq_gfp || wq_task_sleep) &&
	wq_trylock_enter exists@
expression L;
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: trylock-entries
	spin_trylock,
	spin_trylock_bh,
	spin_trylock_irq,
	spin_trylock_irqsave,
	raw_spin_trylock,
	raw_spin_trylock_bh,
	raw_spin_trylock_irq,
	raw_spin_trylock_irqsave,
	_raw_spin_trylock,
	_raw_spin_trylock_bh,
	read_trylock,
	_raw_read_trylock,
	write_trylock,
	write_trylock_irqsave,
	_raw_write_trylock
// END wqcheck-local: trylock-entries
};
identifier fx = {
// BEGIN wqcheck-local: lock-exits
	spin_unlock,
	spin_unlock_bh,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock,
	raw_spin_unlock_bh,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	_raw_spin_unlock,
	_raw_spin_unlock_bh,
	_raw_spin_unlock_irq,
	_raw_spin_unlock_irqrestore,
	read_unlock,
	read_unlock_bh,
	read_unlock_irq,
	read_unlock_irqrestore,
	_raw_read_unlock,
	_raw_read_unlock_bh,
	_raw_read_unlock_irq,
	_raw_read_unlock_irqrestore,
	write_unlock,
	write_unlock_bh,
	write_unlock_irq,
	write_unlock_irqrestore,
	_raw_write_unlock,
	_raw_write_unlock_bh,
	_raw_write_unlock_irq,
	_raw_write_unlock_irqrestore
// END wqcheck-local: lock-exits
};
statement S;
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "lock") };
@@

(
if (fe@p1(L, ...)) {
  ... when != fx@px(L, ...)
  fs@p2(...)
  ... when any
} else S
|
if (fe@p1(L, ...)) {
  ... when != fx@px(L, ...)
  fs@p2(...)
  ... when any
}
|
if (fe@p1(L, ...))
  fs@p2(...);
|
if (!fe@p1(L, ...)) S
... when != fx@px(L, ...)
fs@p2(...)
|
if (unlikely(!fe@p1(L, ...))) S
... when != fx@px(L, ...)
fs@p2(...)
|
while (!fe@p1(L, ...)) S
... when != fx@px(L, ...)
fs@p2(...)
)

@script:python@
L << wq_trylock_first.L;
p1 << wq_trylock_first.p1;
fe << wq_trylock_first.fe;
p2 << wq_trylock_first.p2;
@@

wq_first("try", L, p1, fe, p2)

@wq_lock_next depends on wq_lock_first exists@
expression wq_lock_first.L;
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: lock-exits
	spin_unlock,
	spin_unlock_bh,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock,
	raw_spin_unlock_bh,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	_raw_spin_unlock,
	_raw_spin_unlock_bh,
	_raw_spin_unlock_irq,
	_raw_spin_unlock_irqrestore,
	read_unlock,
	read_unlock_bh,
	read_unlock_irq,
	read_unlock_irqrestore,
	_raw_read_unlock,
	_raw_read_unlock_bh,
	_raw_read_unlock_irq,
	_raw_read_unlock_irqrestore,
	write_unlock,
	write_unlock_bh,
	write_unlock_irq,
	write_unlock_irqrestore,
	_raw_write_unlock,
	_raw_write_unlock_bh,
	_raw_write_unlock_irq,
	_raw_write_unlock_irqrestore
// END wqcheck-local: lock-exits
};
position pa : script:python(L) { wq_sleeps_in(pa, "lock", L) };
position px;
position p2 : script:python(L) { wq_sleeps_in(p2, "lock", L) };
@@

fa@pa(...)
... when != fx@px(L, ...)
fs@p2(...)

@script:python@
L << wq_lock_first.L;
pa << wq_lock_next.pa;
p2 << wq_lock_next.p2;
@@

wq_link("lock", L, pa, p2)

@wq_trylock_next depends on wq_trylock_first exists@
expression wq_trylock_first.L;
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: lock-exits
	spin_unlock,
	spin_unlock_bh,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock,
	raw_spin_unlock_bh,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	_raw_spin_unlock,
	_raw_spin_unlock_bh,
	_raw_spin_unlock_irq,
	_raw_spin_unlock_irqrestore,
	read_unlock,
	read_unlock_bh,
	read_unlock_irq,
	read_unlock_irqrestore,
	_raw_read_unlock,
	_raw_read_unlock_bh,
	_raw_read_unlock_irq,
	_raw_read_unlock_irqrestore,
	write_unlock,
	write_unlock_bh,
	write_unlock_irq,
	write_unlock_irqrestore,
	_raw_write_unlock,
	_raw_write_unlock_bh,
	_raw_write_unlock_irq,
	_raw_write_unlock_irqrestore
// END wqcheck-local: lock-exits
};
position pa : script:python(L) { wq_sleeps_in(pa, "lock", L) };
position px;
position p2 : script:python(L) { wq_sleeps_in(p2, "lock", L) };
@@

fa@pa(...)
... when != fx@px(L, ...)
fs@p2(...)

@script:python@
L << wq_trylock_first.L;
pa << wq_trylock_next.pa;
p2 << wq_trylock_next.p2;
@@

wq_link("lock", L, pa, p2)

//----------------------------------------------------------------------
// Interrupts, bottom halves, preemption and RCU: regions without a lock
//----------------------------------------------------------------------

@wq_irq_first depends on !patch && wq_irq_enter exists@
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: irq-entries
	local_irq_disable,
	local_irq_save,
	arch_local_irq_disable,
	arch_local_irq_save
// END wqcheck-local: irq-entries
};
identifier fx = {
// BEGIN wqcheck-local: irq-exits
	local_irq_enable,
	local_irq_restore,
	arch_local_irq_enable,
	arch_local_irq_restore,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	read_unlock_irq,
	read_unlock_irqrestore,
	write_unlock_irq,
	write_unlock_irqrestore
// END wqcheck-local: irq-exits
};
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "irq") };
@@

fe@p1(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
p1 << wq_irq_first.p1;
fe << wq_irq_first.fe;
p2 << wq_irq_first.p2;
@@

wq_first("irq", None, p1, fe, p2)

@wq_irq_next depends on !patch && wq_irq_first exists@
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: irq-exits
	local_irq_enable,
	local_irq_restore,
	arch_local_irq_enable,
	arch_local_irq_restore,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	read_unlock_irq,
	read_unlock_irqrestore,
	write_unlock_irq,
	write_unlock_irqrestore
// END wqcheck-local: irq-exits
};
position pa : script:python() { wq_sleeps_in(pa, "irq") };
position px;
position p2 : script:python() { wq_sleeps_in(p2, "irq") };
@@

fa@pa(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
pa << wq_irq_next.pa;
p2 << wq_irq_next.p2;
@@

wq_link("irq", None, pa, p2)

@wq_bh_first depends on !patch && wq_bh_enter exists@
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: bh-entries
	local_bh_disable
// END wqcheck-local: bh-entries
};
identifier fx = {
// BEGIN wqcheck-local: bh-exits
	local_bh_enable,
	spin_unlock_bh,
	raw_spin_unlock_bh,
	read_unlock_bh,
	write_unlock_bh,
	rcu_read_unlock_bh
// END wqcheck-local: bh-exits
};
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "bh") };
@@

fe@p1(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
p1 << wq_bh_first.p1;
fe << wq_bh_first.fe;
p2 << wq_bh_first.p2;
@@

wq_first("bh", None, p1, fe, p2)

@wq_bh_next depends on !patch && wq_bh_first exists@
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: bh-exits
	local_bh_enable,
	spin_unlock_bh,
	raw_spin_unlock_bh,
	read_unlock_bh,
	write_unlock_bh,
	rcu_read_unlock_bh
// END wqcheck-local: bh-exits
};
position pa : script:python() { wq_sleeps_in(pa, "bh") };
position px;
position p2 : script:python() { wq_sleeps_in(p2, "bh") };
@@

fa@pa(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
pa << wq_bh_next.pa;
p2 << wq_bh_next.p2;
@@

wq_link("bh", None, pa, p2)

@wq_preempt_first depends on !patch && wq_preempt_enter exists@
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: preempt-entries
	preempt_disable,
	preempt_disable_nested,
	get_cpu,
	get_cpu_var,
	get_cpu_ptr
// END wqcheck-local: preempt-entries
};
identifier fx = {
// BEGIN wqcheck-local: preempt-exits
	preempt_enable,
	preempt_enable_no_resched,
	preempt_enable_nested,
	put_cpu,
	put_cpu_var,
	put_cpu_ptr
// END wqcheck-local: preempt-exits
};
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "preempt") };
@@

fe@p1(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
p1 << wq_preempt_first.p1;
fe << wq_preempt_first.fe;
p2 << wq_preempt_first.p2;
@@

wq_first("preempt", None, p1, fe, p2)

@wq_preempt_next depends on !patch && wq_preempt_first exists@
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: preempt-exits
	preempt_enable,
	preempt_enable_no_resched,
	preempt_enable_nested,
	put_cpu,
	put_cpu_var,
	put_cpu_ptr
// END wqcheck-local: preempt-exits
};
position pa : script:python() { wq_sleeps_in(pa, "preempt") };
position px;
position p2 : script:python() { wq_sleeps_in(p2, "preempt") };
@@

fa@pa(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
pa << wq_preempt_next.pa;
p2 << wq_preempt_next.p2;
@@

wq_link("preempt", None, pa, p2)

@wq_rcu_first depends on !patch && wq_rcu_enter exists@
identifier fs;
identifier fe = {
// BEGIN wqcheck-local: rcu-entries
	rcu_read_lock,
	rcu_read_lock_bh,
	rcu_read_lock_sched
// END wqcheck-local: rcu-entries
};
identifier fx = {
// BEGIN wqcheck-local: rcu-exits
	rcu_read_unlock,
	rcu_read_unlock_bh,
	rcu_read_unlock_sched
// END wqcheck-local: rcu-exits
};
position p1;
position px;
position p2 : script:python() { wq_sleeps_in(p2, "rcu") };
@@

fe@p1(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
p1 << wq_rcu_first.p1;
fe << wq_rcu_first.fe;
p2 << wq_rcu_first.p2;
@@

wq_first("rcu", None, p1, fe, p2)

@wq_rcu_next depends on !patch && wq_rcu_first exists@
identifier fa, fs;
identifier fx = {
// BEGIN wqcheck-local: rcu-exits
	rcu_read_unlock,
	rcu_read_unlock_bh,
	rcu_read_unlock_sched
// END wqcheck-local: rcu-exits
};
position pa : script:python() { wq_sleeps_in(pa, "rcu") };
position px;
position p2 : script:python() { wq_sleeps_in(p2, "rcu") };
@@

fa@pa(...)
... when != fx@px(...)
fs@p2(...)

@script:python depends on !patch@
pa << wq_rcu_next.pa;
p2 << wq_rcu_next.p2;
@@

wq_link("rcu", None, pa, p2)

//----------------------------------------------------------------------
// The sleeping calls in the body of an atomic callback
//----------------------------------------------------------------------

@wq_cb depends on !patch && (wq_reg1 || wq_reg2 || wq_reg_timer ||
		wq_reg_tasklet || wq_fn_field || wq_bh_queued ||
		wq_bh_queued_own)@
identifier f;
position p : script:python() { wq_is_callback(p) };
@@

f@p(...) { ... }

@script:python depends on !patch@
p << wq_cb.p;
@@

wq_emit_callback(p)

//----------------------------------------------------------------------
// Context mode: mark every reported call
//----------------------------------------------------------------------

@depends on context && !patch && !org && !report &&
	(wq_sleep || wq_gfp || wq_task_sleep)@
identifier fs;
position p : script:python() { wq_key(p) in wq_reported };
@@

* fs@p(...)

//----------------------------------------------------------------------
// Patch mode: GFP_KERNEL -> GFP_ATOMIC after a spinlock or rwlock lock and
// before its unlock in the same function; nothing else is mechanical.
//----------------------------------------------------------------------

@depends on patch && !context && !org && !report && wq_lock_first exists@
expression wq_lock_first.L;
identifier fs;
identifier fx = {
// BEGIN wqcheck-local: lock-exits
	spin_unlock,
	spin_unlock_bh,
	spin_unlock_irq,
	spin_unlock_irqrestore,
	raw_spin_unlock,
	raw_spin_unlock_bh,
	raw_spin_unlock_irq,
	raw_spin_unlock_irqrestore,
	_raw_spin_unlock,
	_raw_spin_unlock_bh,
	_raw_spin_unlock_irq,
	_raw_spin_unlock_irqrestore,
	read_unlock,
	read_unlock_bh,
	read_unlock_irq,
	read_unlock_irqrestore,
	_raw_read_unlock,
	_raw_read_unlock_bh,
	_raw_read_unlock_irq,
	_raw_read_unlock_irqrestore,
	write_unlock,
	write_unlock_bh,
	write_unlock_irq,
	write_unlock_irqrestore,
	_raw_write_unlock,
	_raw_write_unlock_bh,
	_raw_write_unlock_irq,
	_raw_write_unlock_irqrestore
// END wqcheck-local: lock-exits
};
position p : script:python(L) { wq_patchable(p, L) };
position px;
@@

fs@p(...,
  <+...
- GFP_KERNEL
+ GFP_ATOMIC
  ...+>
  , ...)
... when any
fx@px(L, ...)

