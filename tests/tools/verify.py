#!/usr/bin/env python3
"""Compare wqcheck's diagnostics with the expectations written in the sources.

The sample drivers are their own oracle.  Expectations use clang's -verify
comment syntax, so the same file also works with `clang -Xclang -verify`:

    wq = create_workqueue("x"); /* expected-warning-re {{'create_workqueue' is deprecated{{.*}}[wq-deprecated]}} */
    /* expected-note@-3 {{lock taken here}} */
    /* expected-no-diagnostics */

`expected-KIND[-re][@LINE|@+N|@-N] [COUNT] {{TEXT}}`: KIND is warning or
note; TEXT is a substring of the message, or with -re a literal text whose
`{{...}}` parts are regular expressions.  Warnings must name their check id
(`[wq-...]`) so that each engine can be compared on its own checks.

The output is what a build printed: clang-style `file:line:col: warning:
msg [wq-id]` lines, each followed by its `note:` lines (the CLI, the plugin),
or Coccinelle's `file:line:col-col: msg [wq-id]` report lines (--cocci).
Compiler warnings that are not wqcheck's (no `[wq-...]` suffix) and their
notes are ignored.  Every expected diagnostic must be seen and every seen one
expected; otherwise the differences are printed and the exit status is 1.

`crossfile-KIND[-re]...` is a finding that only `wqcheck report --db=PATH`
prints, from the facts of several files (docs/usage.md): expected only with
--crossfile, which expects nothing else.

`possible-KIND[-re]...` is the same for a finding reported only at
`--level=possible` (docs/usage.md): it is expected only when verify.py runs
with `--level=possible`, and then together with every `expected-` one.  A
possible finding's last note, "reported at --level=possible only: ...",
is a `possible-note` like its other notes.

With --cocci, only warnings are compared, by file, line and check id, and
only for the ids given with --check; expectations whose comment also says
`cocci-misses` are skipped (Coccinelle cannot see them; the check's doc page
says why).  A comment `cocci-reports(wq-id): why` marks a line where the
Coccinelle script reports correct code by design (a limit its doc page
names): only --cocci expects a warning there.

A comment that also says `kernel>=MAJOR.MINOR` holds expectations only for
kernels from that version on (`--kernel`, the version of the headers the
driver was built against): what a check reports can depend on what the
headers define (wq-percpu speaks only where WQ_PERCPU exists).  Coccinelle
reads no headers: with --cocci these expectations hold on every kernel.
"""
import argparse
import os
import re
import sys

DIRECTIVE = re.compile(
    r"(?P<level>expected|possible|crossfile)-(?P<kind>warning|note|no-diagnostics)"
    r"(?P<re>-re)?"
    r"(?:@(?P<line>[+-]?\d+))?\s*(?P<count>\d+)?\s*(?=\{\{|$|\*/|\s)")
ID = re.compile(r"\[(wq-[a-z0-9-]+)\]")
COCCI_REPORTS = re.compile(r"cocci-reports\((wq-[a-z0-9-]+)\):")
KERNEL_SINCE = re.compile(r"kernel>=(\d+)\.(\d+)")
CLANG_DIAG = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<kind>warning|note|error|fatal error): (?P<msg>.*)$")
COCCI_DIAG = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+)-\d+: (?P<msg>.*)$")


class Expectation:
    def __init__(self, path, line, kind, text, is_re, count, comment_line,
                 cocci_misses):
        self.path, self.line, self.kind = path, line, kind
        self.text, self.is_re, self.count = text, is_re, count
        self.comment_line = comment_line
        self.cocci_misses = cocci_misses
        self.cocci_only = False
        self.possible = False
        self.crossfile = False
        self.since = None  # (major, minor): only for kernels from then on
        ids = ID.findall(text)
        self.check_id = ids[-1] if ids else None
        self.pattern = compile_text(text) if is_re else None

    def matches(self, message):
        if self.is_re:
            return self.pattern.search(message) is not None
        return self.text in message

    def __str__(self):
        return "%s:%d: %s%s {{%s}}" % (self.path, self.line, self.kind,
                                       "-re" if self.is_re else "", self.text)


def compile_text(text):
    """clang's -re form: literal text with {{regex}} parts."""
    out, pos = [], 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            out.append(re.escape(text[pos:]))
            break
        end = text.find("}}", start + 2)
        if end < 0:
            raise ValueError("unterminated {{ in %r" % text)
        out.append(re.escape(text[pos:start]))
        out.append("(?:%s)" % text[start + 2:end])
        pos = end + 2
    return re.compile("".join(out))


def braced(text, pos):
    """Returns (content, end) of the {{...}} at pos, nesting like clang."""
    if not text.startswith("{{", pos):
        return None, pos
    depth, i = 1, pos + 2
    while i < len(text):
        if text.startswith("{{", i):
            depth += 1
            i += 2
        elif text.startswith("}}", i):
            depth -= 1
            if depth == 0:
                return text[pos + 2:i], i + 2
            i += 2
        else:
            i += 1
    return None, pos


def comments(source):
    """Yields (line, text) of each comment in C source."""
    i, line, n = 0, 1, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            yield line, source[i:end]
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            yield line, source[i:end]
            line += source.count("\n", i, end)
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and source[j] != c and source[j] != "\n":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
        else:
            if c == "\n":
                line += 1
            i += 1


def parse_expectations(path, errors):
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    found, no_diags = [], False
    for line, comment in comments(source):
        for m in COCCI_REPORTS.finditer(comment):
            at = line + comment.count("\n", 0, m.start())
            e = Expectation(path, at, "warning", "[%s]" % m.group(1), False,
                            1, at, False)
            e.cocci_only = True
            found.append(e)
        for m in DIRECTIVE.finditer(comment):
            kind = m.group("kind")
            possible = m.group("level") == "possible"
            crossfile = m.group("level") == "crossfile"
            if kind == "no-diagnostics" and (possible or crossfile):
                errors.append("%s:%d: possible-no-diagnostics is not a "
                              "directive" % (path, line))
                continue
            if kind == "no-diagnostics":
                no_diags = True
                continue
            text, end = braced(comment, m.end())
            if text is None:
                errors.append("%s:%d: expected-%s without {{...}}" %
                              (path, line, kind))
                continue
            # Line of the directive itself inside a multi-line comment.
            at = line + comment.count("\n", 0, m.start())
            target = at
            spec = m.group("line")
            if spec:
                target = at + int(spec) if spec[0] in "+-" else int(spec)
            e = Expectation(path, target, kind, text, bool(m.group("re")),
                            int(m.group("count") or 1), at,
                            "cocci-misses" in comment)
            e.possible = possible
            e.crossfile = crossfile
            since = KERNEL_SINCE.search(comment)
            if since:
                e.since = (int(since.group(1)), int(since.group(2)))
            if kind == "warning" and not e.check_id:
                errors.append("%s:%d: an expected warning must name its check "
                              "id, e.g. [wq-deprecated]" % (path, at))
                continue
            found.append(e)
    if no_diags and any(not e.cocci_only and not e.possible and
                        not e.crossfile for e in found):
        errors.append("%s: expected-no-diagnostics together with expected "
                      "diagnostics" % path)
    return found, no_diags


class Seen:
    def __init__(self, path, line, kind, message):
        self.path, self.line, self.kind, self.message = path, line, kind, message
        ids = ID.findall(message)
        self.check_id = ids[-1] if ids else None

    def __str__(self):
        return "%s:%d: %s: %s" % (self.path, self.line, self.kind, self.message)


def parse_output(text, cocci):
    seen, in_ours = [], False
    for raw in text.splitlines():
        m = (COCCI_DIAG if cocci else CLANG_DIAG).match(raw.rstrip())
        if not m:
            continue
        kind = "warning" if cocci else m.group("kind")
        msg = m.group("msg")
        if kind == "note":
            if in_ours:
                seen.append(Seen(m.group("file"), int(m.group("line")), kind,
                                 msg))
            continue
        in_ours = kind == "warning" and ID.search(msg) is not None and \
            msg.rstrip().endswith("]")
        if in_ours:
            seen.append(Seen(m.group("file"), int(m.group("line")), kind, msg))
    return seen


def same_file(a, b, base):
    ra = os.path.realpath(os.path.join(base, a))
    rb = os.path.realpath(b)
    if os.path.exists(ra) and os.path.exists(rb):
        return ra == rb
    return os.path.basename(a) == os.path.basename(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("output", help="file holding what the tool printed")
    ap.add_argument("sources", nargs="+", help="annotated source files")
    ap.add_argument("--cocci", action="store_true",
                    help="output is Coccinelle report mode")
    ap.add_argument("--check", action="append", default=[],
                    help="compare only these check ids (default: all)")
    ap.add_argument("--level", choices=("evidence", "possible"),
                    default="evidence",
                    help="the --level the output was made with: possible "
                    "also expects the possible- directives")
    ap.add_argument("--crossfile", action="store_true",
                    help="output is `wqcheck report --db`: expect only the "
                    "crossfile- directives")
    ap.add_argument("--kernel", default=None,
                    help="version of the kernel headers the output was "
                    "made with (e.g. 6.12.118): the kernel>= expectations")
    ap.add_argument("--base", default=os.getcwd(),
                    help="directory relative output paths start from")
    args = ap.parse_args()

    errors, expected, any_directive = [], [], False
    for src in args.sources:
        found, no_diags = parse_expectations(src, errors)
        expected += found
        any_directive |= bool(found) or no_diags
    if errors:
        print("\n".join(errors))
        return 1
    if not any_directive:
        print("error: no expected directives found in %s" %
              " ".join(args.sources))
        return 1
    with open(args.output, encoding="utf-8", errors="replace") as f:
        seen = parse_output(f.read(), args.cocci)

    # Coccinelle runs without the headers: its expectations do not depend
    # on the kernel.
    if any(e.since for e in expected) and not args.cocci:
        if not args.kernel:
            print("error: kernel>= expectations need --kernel VERSION")
            return 1
        kernel = tuple(int(x) for x in
                       re.match(r"(\d+)\.(\d+)", args.kernel).groups())
        expected = [e for e in expected if not e.since or kernel >= e.since]
    if args.cocci or args.level == "evidence":
        expected = [e for e in expected if not e.possible]
    # `wqcheck report` prints only what several files show together.
    expected = [e for e in expected if e.crossfile == args.crossfile]

    def wanted(check_id):
        return not args.check or check_id in args.check

    if args.cocci:
        expected = [e for e in expected
                    if e.kind == "warning" and wanted(e.check_id)
                    and not e.cocci_misses]
    else:
        expected = [e for e in expected
                    if not e.cocci_only and
                    (e.kind == "note" or wanted(e.check_id))]
    seen = [s for s in seen if s.kind == "note" or wanted(s.check_id)]
    # Notes are compared only when their warning is compared.
    sources = [s for s in args.sources]

    unmatched = list(seen)
    missing = []
    for e in expected:
        for _ in range(e.count):
            for s in unmatched:
                if s.kind != e.kind or s.line != e.line or \
                        not same_file(s.path, e.path, args.base):
                    continue
                ok = (s.check_id == e.check_id) if args.cocci else \
                    e.matches(s.message)
                if ok:
                    unmatched.remove(s)
                    break
            else:
                missing.append(e)
    # Diagnostics about files that are not among the sources are not judged.
    extra = [s for s in unmatched
             if any(same_file(s.path, src, args.base) for src in sources)]
    if missing:
        print("error: diagnostics expected but not seen:")
        for e in missing:
            print("  " + str(e))
    if extra:
        print("error: diagnostics seen but not expected:")
        for s in extra:
            print("  " + str(s))
    if missing or extra:
        return 1
    print("verify: %d expected diagnostic(s) seen, none unexpected" %
          sum(e.count for e in expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
