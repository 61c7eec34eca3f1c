//===- ToolOptions.cpp ----------------------------------------------------===//
#include "tool/ToolOptions.h"
#include "core/CheckRegistry.h"
#include "clang/Basic/Version.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace wqcheck {

static const char Usage[] =
    R"(usage: wqcheck [options] [compiler flags] file.c
       wqcheck [options] -p BUILD_DIR [file.c...]
       wqcheck report --db=PATH [--checks=GLOBS] [--level=L] [--format=F]
                      [--output=PATH] [--root=DIR] [--werror]
       wqcheck db merge OUT.db IN.db...

Finds Linux-kernel workqueue misuse.  Use it as kbuild's checker:
  make C=2 CHECK=/path/to/wqcheck M=drivers/foo
directly with the flags the file is compiled with, or with -p on the
compile_commands.json of a kernel build (scripts/clang-tools/
gen_compile_commands.py): the files given, or every file in it.

options:
  --checks=GLOBS        checks to run, clang-tidy style: '-*,wq-deprecated'
  --level=LEVEL         evidence (default): findings whose notes name what
                        makes the bug possible; possible: also findings
                        that rest only on what wqcheck could not prove
                        safe (their last note says so; SARIF level "note")
  --list-checks         list the checks and exit
  -p DIR                take files and flags from DIR/compile_commands.json
  --format=FORMAT       text (default: clang-style diagnostics on stderr),
                        json or sarif (SARIF 2.1.0), written to --output or
                        to stdout; findings are also printed on stderr
  --output=PATH         write the report to PATH; a PATH ending in '/' (or
                        an existing directory) gets one report per checked
                        file, for make -j runs (merge: scripts/sarif-merge)
  --baseline=FILE       report only findings that are not in FILE
  --write-baseline=PATH record every finding of this run in PATH (a file,
                        or a directory as for --output)
  --diff=FILE           report only findings on lines that FILE, a unified
                        diff ('git diff -U0'), adds
  --root=DIR            paths in reports, baselines and diffs are relative
                        to DIR (default: the top of the file's git work tree)
  --docs-url=URL        rules' helpUri in SARIF: URL<check-id>.md
  --db=PATH             store this file's cross-file facts in the SQLite
                        database PATH (also WQCHECK_DB=PATH); after the
                        build, 'wqcheck report --db=PATH' prints what
                        only several files together show
  --fix                 apply the fix-its of the findings to the source files
  --full-parse          also parse the bodies of functions defined outside
                        the checked code (the kernel headers' inline
                        functions), which wqcheck skips as nothing reads
                        them; slower, same findings
  --werror              exit with status 1 when findings are reported (for
                        gating; also spelled -Wwqcheck-error, for CHECKFLAGS)
  --help                this text
  --version             print the version

Compiler flags are those of gcc or sparse as kbuild passes them; flags clang
cannot take are dropped.  Exit status: 0 done (findings do not fail unless
--werror), 1 findings reported with --werror, 2 usage or tool error.
)";

static int fail(const Twine &Message) {
  errs() << "wqcheck: error: " << Message << "\n";
  return 2;
}

static std::string absolute(StringRef Path) {
  SmallString<256> P(Path);
  sys::fs::make_absolute(P);
  sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  // Keep a trailing '/': it marks a directory for --output.
  if (Path.ends_with("/") && !P.ends_with("/"))
    P += '/';
  return std::string(P);
}

ToolAction parseToolOptions(int argc, const char **argv, ToolOptions &Opts,
                            int &Status) {
  Status = 0;
  // Options that take a value, spelled --name=VALUE.
  struct Valued {
    const char *Name;
    std::string *Target;
    bool IsPath;
  };
  std::string Format, Checks, Level;
  bool HaveChecks = false;
  Valued WithValue[] = {{"--format", &Format, false},
                        {"--checks", &Checks, false},
                        {"--level", &Level, false},
                        {"--output", &Opts.Output, true},
                        {"--baseline", &Opts.Baseline, true},
                        {"--write-baseline", &Opts.WriteBaseline, true},
                        {"--diff", &Opts.Diff, true},
                        {"--root", &Opts.Root, true},
                        {"--docs-url", &Opts.DocsURL, false},
                        {"--db", &Opts.Analysis.Database, true}};

  for (int I = 1; I < argc; ++I) {
    StringRef A(argv[I]);
    if (A == "--help" || A == "-h") {
      outs() << Usage;
      return ToolAction::Exit;
    }
    if (A == "--version") {
      outs() << "wqcheck " WQCHECK_VERSION " (clang " CLANG_VERSION_STRING
                ")\n";
      return ToolAction::Exit;
    }
    if (A == "--list-checks") {
      for (const CheckInfo &C : allChecks())
        outs() << C.Id << "\t" << C.Summary
               << (C.OnByDefault ? "" : " (opt-in: --checks=" + C.Id.str() + ")")
               << "\n";
      return ToolAction::Exit;
    }
    if (A == "--fix") {
      Opts.Analysis.ApplyFixes = true;
      continue;
    }
    if (A == "--full-parse") {
      Opts.FullParse = true;
      continue;
    }
    if (A == "--werror" || A == "-Wwqcheck-error") {
      Opts.Werror = true;
      continue;
    }
    if (A == "-p" || A.starts_with("-p=")) {
      StringRef Dir = A.drop_front(2);
      if (A == "-p") {
        if (I + 1 == argc) {
          Status = fail("-p needs a directory: -p BUILD_DIR");
          return ToolAction::Exit;
        }
        Dir = argv[++I];
      } else {
        Dir = Dir.drop_front(1);
      }
      if (Dir.empty()) {
        Status = fail("-p needs a directory: -p BUILD_DIR");
        return ToolAction::Exit;
      }
      Opts.CompileDB = absolute(Dir);
      continue;
    }
    bool Matched = false;
    for (Valued &V : WithValue) {
      StringRef Rest = A;
      if (!Rest.consume_front(V.Name) || (!Rest.empty() && Rest[0] != '='))
        continue;
      Matched = true;
      if (!Rest.consume_front("=") || Rest.empty()) {
        Status = fail(Twine(V.Name) + " needs a value: " + V.Name + "=" +
                      (V.IsPath ? "PATH" : StringRef(V.Name) == "--checks"
                                               ? "GLOBS"
                                               : "VALUE"));
        return ToolAction::Exit;
      }
      *V.Target = V.IsPath ? absolute(Rest) : Rest.str();
      HaveChecks |= V.Target == &Checks;
      break;
    }
    if (!Matched)
      Opts.Rest.push_back(A.str());
  }

  if (Opts.Analysis.Database.empty())
    if (std::optional<std::string> Env = sys::Process::GetEnv("WQCHECK_DB"))
      if (!Env->empty())
        Opts.Analysis.Database = absolute(*Env);
  if (HaveChecks) {
    auto Filter = CheckFilter::parse(Checks);
    if (!Filter) {
      Status = fail(toString(Filter.takeError()));
      return ToolAction::Exit;
    }
    Opts.Analysis.Checks = *Filter;
  }
  if (!Level.empty()) {
    auto L = parseReportLevel(Level);
    if (!L) {
      Status = fail("unknown level '" + Level +
                    "' (known: evidence, possible)");
      return ToolAction::Exit;
    }
    Opts.Analysis.Level = *L;
  }
  if (!Format.empty()) {
    auto F = parseReportFormat(Format);
    if (!F) {
      Status = fail("unknown format '" + Format +
                    "' (known: text, json, sarif)");
      return ToolAction::Exit;
    }
    Opts.Format = *F;
  }
  if (!Opts.Root.empty() && !sys::fs::is_directory(Opts.Root)) {
    Status = fail("--root: no such directory: '" + Opts.Root + "'");
    return ToolAction::Exit;
  }
  if (Opts.CompileDB)
    for (const std::string &R : Opts.Rest)
      if (StringRef(R).starts_with("-")) {
        Status = fail("with -p, the flags come from compile_commands.json: "
                      "unknown option '" + R + "' (see 'wqcheck --help')");
        return ToolAction::Exit;
      }
  return ToolAction::Run;
}

} // namespace wqcheck
