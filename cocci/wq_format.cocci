// SPDX-License-Identifier: GPL-2.0-only
/// Find workqueue names that are not constant strings passed as the printf
/// format of alloc_workqueue() and alloc_ordered_workqueue().
///
/// The name of a workqueue is a format: kernel/workqueue.c formats it with
/// vsnprintf().  A name that is not a constant string (a device or
/// interface name, a buffer, a caller's parameter) and is passed with no
/// values turns any '%' it contains into a conversion that reads arguments
/// that were never passed.  Kernel builds use -Wno-format-security, so the
/// compiler does not warn.  The fix passes the name as the value of a "%s"
/// format: alloc_workqueue("%s", flags, max_active, name).
///
//# A buffer filled by snprintf()/scnprintf()/sprintf() with a literal
//# format whose conversions all print numbers, and written by no string
//# function (strcpy(), memcpy(), another format, ...) before the
//# alloc_*workqueue() call, holds no '%' and is not reported.  Unlike the
//# Clang check, a '%s' of a bus-named device's dev_name() in that format
//# is reported.
//# dev_name(&v->dev) of a device whose bus core names it with digits only
//# (struct virtio_device: "virtio%u", struct pci_dev: "%04x:%02x:%02x.%d",
//# struct ccw_device: "0.%x.%04x";
//# the WQ_FIXED_DEVICE_NAME rows of the table) holds no '%' and is not
//# reported; through a local "struct device *dev = &pdev->dev" it is
//# (the Clang check follows such a local).
//# Constant strings are string literals, their concatenation with
//# upper-case macros (KBUILD_MODNAME, DRV_NAME: the kernel's convention
//# for constants), __func__, conditionals between those, and names
//# declared in the file as "const char name[] = <literal>" or
//# "const char *const name = <literal>".  Unlike the Clang check
//# (wq-format), a local pointer variable that is only ever assigned
//# literals is reported: following its assignments needs flow analysis.
//# A call through a wrapper macro of the checked file is found in the
//# macro body.
//# In org mode the brackets of the message are written as "@(" and ")",
//# as in the other kernel scripts, to keep the Org link valid.
//
// Confidence: High
// Copyright: (C) 2026 the wqcheck authors.  GPL-2.0
// Comments: check id wq-format
// Options: --no-includes --include-headers
// Keywords: workqueue

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@

import re

# Names declared in the current file as constant strings (rule wq_cn).
wq_const_names = set()

wq_const_token = re.compile(
	r'\s*(L?"(?:[^"\\]|\\.)*"|[A-Z][A-Z0-9_]*|__func__|__FUNCTION__)')

def wq_split_conditional(e):
	"""(condition, then, else) of a top-level ?: in e, or None."""
	depth, quote, q = 0, False, -1
	for i, ch in enumerate(e):
		if quote:
			if ch == '"' and e[i - 1] != '\\':
				quote = False
			continue
		if ch == '"':
			quote = True
		elif ch in "([{":
			depth += 1
		elif ch in ")]}":
			depth -= 1
		elif depth == 0 and ch == '?' and q < 0:
			q = i
		elif depth == 0 and ch == ':' and q >= 0:
			return e[:q], e[q + 1:i], e[i + 1:]
	return None

def wq_constant(e):
	e = e.strip()
	while e.startswith("(") and e.endswith(")"):
		e = e[1:-1].strip()
	cond = wq_split_conditional(e)
	if cond:
		return wq_constant(cond[1]) and wq_constant(cond[2])
	if e in wq_const_names:
		return True
	pos = 0
	while pos < len(e):
		m = wq_const_token.match(e, pos)
		if not m:
			return False
		pos = m.end()
	return pos > 0

wq_conversion = re.compile(r"%[-+ #0-9.*hlLzjt]*(.?)")

def wq_numbers_only(c):
	"""A literal format whose conversions all print numbers: no '%' out."""
	c = c.strip()
	if not c.startswith('"'):
		return False
	return all(m.group(1) in ("d", "i", "o", "u", "x", "X") and m.group(1)
		   for m in wq_conversion.finditer(c[1:-1]))

def wq_needs_format(e):
	return not wq_constant(e)

def wq_compact(e):
	"""spatch prints "dev_name ( & pdev -> dev )": print it as written."""
	e = re.sub(r"\s*(->|\.)\s*", r"\1", e)
	e = re.sub(r"([(\[&!~])\s+", r"\1", e)
	e = re.sub(r"(\w)\s+\(", r"\1(", e)
	return re.sub(r"\s+([)\],])", r"\1", e)

def wq_msg(e):
	e = wq_compact(e)
	return ("the workqueue name '%s' is passed as a printf format but is "
		"not a constant string: a '%%' in it reads arguments that were "
		"never passed; pass it as the value of a \"%%s\" format "
		"[wq-format]" % e)

def wq_org_safe(msg):
	return msg.replace("[", "@(").replace("]", ")")

// The names of the table, spelled as calls: spatch takes its file filter
// from these tokens, so a file without any of them is never parsed.
@wq_fa@
@@

(
// BEGIN wqcheck-api: queue-alloc
alloc_workqueue(...)
|
alloc_workqueue_lockdep_map(...)
|
alloc_ordered_workqueue(...)
|
alloc_ordered_workqueue_lockdep_map(...)
// END wqcheck-api: queue-alloc
)

@script:python depends on wq_fa@
@@

wq_const_names.clear()

@wq_cn depends on wq_fa@
identifier n;
constant char[] C;
@@

(
static const char n[] = C;
|
const char n[] = C;
|
static const char *const n = C;
|
const char *const n = C;
)

@script:python depends on wq_cn@
n << wq_cn.n;
@@

wq_const_names.add(n)

// A buffer formatted only from numbers right before the call holds no '%'
// ("ib_mad%u").
@wq_num depends on wq_fa@
expression B, S;
constant char[] C : script:python() { wq_numbers_only(C) };
expression list ES;
identifier w = {strcpy, strscpy, strlcpy, strncpy, strcat, strlcat, strncat,
		memcpy, memmove, memset, sprintf, snprintf, scnprintf, vsprintf,
		vsnprintf, vscnprintf};
position p;
@@

(
snprintf(B, S, C, ES);
|
scnprintf(B, S, C, ES);
|
sprintf(B, C, ES);
)
... when != w(B, ...)
(
alloc_workqueue(B@p, ...)
|
alloc_workqueue_lockdep_map(B@p, ...)
|
alloc_ordered_workqueue(B@p, ...)
|
alloc_ordered_workqueue_lockdep_map(B@p, ...)
)

// dev_name() of a device that its bus core names with digits only
// ("virtio%u", PCI "%04x:%02x:%02x.%d") holds no '%'.  The position is on
// the callee: one on the argument does not exclude it in the rules below.
@wq_fixed depends on wq_fa@
{
// BEGIN wqcheck-api: fixed-device-name
struct virtio_device *,
struct pci_dev *,
struct ccw_device *
// END wqcheck-api: fixed-device-name
} V;
identifier a = {alloc_workqueue, alloc_workqueue_lockdep_map,
		alloc_ordered_workqueue, alloc_ordered_workqueue_lockdep_map};
position q;
@@

a@q(dev_name(&V->dev), ...)

@r depends on wq_fa && !patch@
expression E : script:python() { wq_needs_format(E) };
expression F, M, L;
position p != wq_num.p;
position q != wq_fixed.q;
@@

(
alloc_workqueue@q(E@p, F, M)
|
alloc_workqueue_lockdep_map@q(E@p, F, M, L)
|
alloc_ordered_workqueue@q(E@p, F)
|
alloc_ordered_workqueue_lockdep_map@q(E@p, F, L)
)

@depends on context && !patch && !org && !report@
expression r.E;
position r.p;
@@

* E@p

@script:python depends on org@
p << r.p;
E << r.E;
@@

coccilib.org.print_todo(p[0], wq_org_safe(wq_msg(E)))

@script:python depends on report@
p << r.p;
E << r.E;
@@

coccilib.report.print_report(p[0], wq_msg(E))

@depends on wq_fa && patch && !context && !org && !report@
expression E : script:python() { wq_needs_format(E) };
expression F, M, L;
position p != wq_num.p;
position q != wq_fixed.q;
@@

(
  alloc_workqueue@q(
- E@p
+ "%s"
  , F, M
+ , E
  )
|
  alloc_workqueue_lockdep_map@q(
- E@p
+ "%s"
  , F, M, L
+ , E
  )
|
  alloc_ordered_workqueue@q(
- E@p
+ "%s"
  , F
+ , E
  )
|
  alloc_ordered_workqueue_lockdep_map@q(
- E@p
+ "%s"
  , F, L
+ , E
  )
)
