// SPDX-License-Identifier: GPL-2.0-only
/// Find workqueue CPU affinity left implicit, for trees whose headers
/// define WQ_PERCPU (upstream 6.17+, Debian's 6.12.118).
///
/// alloc_workqueue() is to become unbound by default (upstream 6.17
/// "workqueue: Add new WQ_PERCPU flag"): a queue whose flags name neither
/// WQ_PERCPU nor WQ_UNBOUND is per-CPU today only by default.  Patch mode
/// adds WQ_PERCPU, which keeps today's behaviour (use WQ_UNBOUND instead
/// where the work needs no CPU locality).  system_wq and system_unbound_wq
/// are the old names of system_percpu_wq and system_dfl_wq; patch mode
/// writes the new ones.
///
//# Run it only on a tree whose include/linux/workqueue.h defines
//# WQ_PERCPU: with --no-includes the script cannot see the headers (the
//# Clang check wq-percpu asks them and is silent on older kernels).
//# Flags are reported only when they are written as WQ_* names and
//# numbers or-ed together; a variable or another macro is not guessed
//# (the Clang check evaluates constant macros too).  A queue with WQ_BH
//# (per-CPU by construction, refuses WQ_PERCPU) or __WQ_LEGACY
//# (create_*workqueue(), see wq_deprecated.cocci) is left alone, and so is
//# system_wq in flush_workqueue(), which wq_deprecated.cocci reports.
//
// Confidence: High
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-percpu (opt-in)
// Options: --no-includes --include-headers
// Keywords: workqueue

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@

import re

wq_affinity = {"WQ_PERCPU", "WQ_UNBOUND", "WQ_BH", "__WQ_LEGACY"}

def wq_implicit(f):
	"""Flags of WQ_* names and numbers or-ed together, none of which
	states the affinity."""
	tokens = re.findall(r"[A-Za-z_]\w*|\d\w*|\S", f)
	names = set()
	for t in tokens:
		if t in "|()":
			continue
		if re.match(r"\d", t):
			continue
		if not re.match(r"_*WQ_[A-Z0-9_]+$", t):
			return False
		names.add(t)
	return tokens != [] and not (names & wq_affinity)

def wq_flags_msg(f):
	return ("alloc_workqueue() flags '%s' name neither WQ_PERCPU nor "
		"WQ_UNBOUND: the queue is per-CPU only by default, and "
		"alloc_workqueue() is to become unbound by default; add WQ_PERCPU "
		"to keep per-CPU workers, or WQ_UNBOUND [wq-percpu]" %
		re.sub(r"\s+", " ", f))

def wq_name_msg(old):
	new = {"system_wq": "system_percpu_wq",
	       "system_unbound_wq": "system_dfl_wq"}[old]
	return ("'%s' is the old name of '%s', which is to replace it: use "
		"'%s' [wq-percpu]" % (old, new, new))

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

@fl@
symbol system_wq, system_unbound_wq;
position p;
@@

(
flush_workqueue(system_wq@p)
|
flush_workqueue(system_unbound_wq@p)
)

@r depends on !patch@
expression N, M;
expression F : script:python() { wq_implicit(F) };
position p;
@@

alloc_workqueue(N, F@p, M, ...)

@s1 depends on !patch@
symbol system_wq;
position p != fl.p;
@@

system_wq@p

@s2 depends on !patch@
symbol system_unbound_wq;
position p != fl.p;
@@

system_unbound_wq@p

@depends on context && !patch && !org && !report@
expression r.F;
position r.p;
@@

* F@p

@depends on context && !patch && !org && !report@
symbol system_wq;
position s1.p;
@@

* system_wq@p

@depends on context && !patch && !org && !report@
symbol system_unbound_wq;
position s2.p;
@@

* system_unbound_wq@p

@script:python depends on org@
p << r.p;
F << r.F;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_flags_msg(F)))

@script:python depends on report@
p << r.p;
F << r.F;
@@

coccilib.report.print_report(p[0], wq_flags_msg(F))

@script:python depends on org@
p << s1.p;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_name_msg("system_wq")))

@script:python depends on report@
p << s1.p;
@@

coccilib.report.print_report(p[0], wq_name_msg("system_wq"))

@script:python depends on org@
p << s2.p;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_name_msg("system_unbound_wq")))

@script:python depends on report@
p << s2.p;
@@

coccilib.report.print_report(p[0], wq_name_msg("system_unbound_wq"))

// Patch mode: WQ_PERCPU spelled out (0 becomes WQ_PERCPU), new names.
@depends on patch && !context && !org && !report@
expression N, M;
@@

alloc_workqueue(N,
- 0
+ WQ_PERCPU
, M, ...)

@depends on patch && !context && !org && !report@
expression N, M;
expression F : script:python() { wq_implicit(F) and F.strip() != "0" };
@@

alloc_workqueue(N,
- F
+ F | WQ_PERCPU
, M, ...)

@depends on patch && !context && !org && !report@
symbol system_wq, system_unbound_wq, system_percpu_wq, system_dfl_wq;
position p != fl.p;
@@

(
- system_wq@p
+ system_percpu_wq
|
- system_unbound_wq@p
+ system_dfl_wq
)
