//===- Main.cpp - the wqcheck command-line tool ---------------------------===//
//
//   wqcheck [wqcheck options] [compiler flags] file.c
//   wqcheck [wqcheck options] -p BUILD_DIR [file.c...]
//
// A drop-in $(CHECK) for kbuild (make C=1/C=2 CHECK=wqcheck): it takes
// sparse's CHECKFLAGS and gcc's c_flags, keeps what clang understands, parses
// the file with clang as the kernel would be compiled and prints findings as
// "file:line:col: warning: ... [wq-id]" with notes.  With -p, the files and
// their flags come from a compile_commands.json.  Findings can be filtered
// against a baseline or a diff and written as JSON or SARIF.  Exit status: 0
// (also with findings, unless --werror), 1 findings with --werror, 2 usage
// or tool error.  See docs/usage.md.
//
//===----------------------------------------------------------------------===//
#include "core/Consumer.h"
#include "core/Report.h"
#include "db/CrossFile.h"
#include "db/SummaryDB.h"
#include "tool/Baseline.h"
#include "tool/ChangedLines.h"
#include "tool/CompileDatabase.h"
#include "tool/CompilerArgs.h"
#include "tool/LargeStack.h"
#include "tool/ToolOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <set>
#include <tuple>

using namespace clang;
using namespace wqcheck;
using llvm::StringRef;

namespace {

enum ExitCode { ExitOK = 0, ExitFindings = 1, ExitError = 2 };

int fail(const llvm::Twine &Message) {
  llvm::errs() << "wqcheck: error: " << Message << "\n";
  return ExitError;
}

/// Parses one file and prints the findings (on stderr, or into Text).
class CheckAction : public ASTFrontendAction {
public:
  CheckAction(const Options &Opts, AnalysisResult &Result, bool &ParseFailed,
              FindingReview Review, llvm::raw_ostream &Text, bool Colors,
              BodySkipping Skip)
      : Opts(Opts), Result(Result), ParseFailed(ParseFailed),
        Review(std::move(Review)), Text(Text), Colors(Colors), Skip(Skip) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    // Findings get their own diagnostics engine: the compile itself runs
    // with -w (clang's warnings about kernel code are not ours to print).
    auto DiagOpts = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
    DiagOpts->ShowColors = Colors;
    Printer = new TextDiagnosticPrinter(Text, DiagOpts.get());
    Out = std::make_unique<DiagnosticsEngine>(
        llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), DiagOpts, Printer,
        /*ShouldOwnClient=*/true);
    Out->setSourceManager(&CI.getSourceManager());
    Printer->BeginSourceFile(CI.getLangOpts(), &CI.getPreprocessor());
    // Let the parser ask the consumer which bodies it may skip (read by
    // ASTFrontendAction::ExecuteAction, after this).
    CI.getFrontendOpts().SkipFunctionBodies = Skip != BodySkipping::None;
    return createAnalysisConsumer(CI, Opts, *Out, &Result, Review, Skip);
  }

  void EndSourceFileAction() override {
    ParseFailed |= getCompilerInstance().getDiagnostics().hasErrorOccurred();
    if (Printer)
      Printer->EndSourceFile();
  }

private:
  const Options &Opts;
  AnalysisResult &Result;
  bool &ParseFailed;
  FindingReview Review;
  llvm::raw_ostream &Text;
  bool Colors;
  BodySkipping Skip;
  TextDiagnosticPrinter *Printer = nullptr; // owned by Out
  std::unique_ptr<DiagnosticsEngine> Out;
};

/// One translation unit to check: the file, the clang flags, where to run.
struct Job {
  std::string Directory; ///< empty: where wqcheck was started
  std::vector<std::string> Args;
  std::string File;
};

/// Runs the jobs and produces every output the options ask for.
class Driver {
public:
  explicit Driver(const ToolOptions &Opts) : Opts(Opts) {}

  /// Loads the baseline and the diff; false (error printed) when unusable.
  bool init() {
    if (!Opts.Baseline.empty()) {
      auto B = Baseline::read(Opts.Baseline);
      if (!B) {
        fail(llvm::toString(B.takeError()));
        return false;
      }
      Known = std::move(*B);
    }
    if (!Opts.Diff.empty()) {
      auto D = ChangedLines::read(Opts.Diff);
      if (!D) {
        fail(llvm::toString(D.takeError()));
        return false;
      }
      Changed = std::move(*D);
    }
    return true;
  }

  /// Checks one file; records findings and errors.
  void run(const Job &J);

  /// Writes the whole-run outputs; returns the exit status.
  int finish();

  void error(const llvm::Twine &Message) { Status = fail(Message); }

private:
  bool perFile(const std::string &Path) const {
    return !Path.empty() && isReportDirectory(Path);
  }
  std::string render(const std::vector<Finding> &Findings) const;
  void write(const std::string &Path, StringRef Contents);

  const ToolOptions &Opts;
  std::optional<Baseline> Known;
  std::optional<ChangedLines> Changed;
  std::vector<Finding> All;      ///< every finding (for --write-baseline)
  std::vector<Finding> Reported; ///< kept by the filters (for the reports)
  std::string Text;              ///< --format=text --output=FILE
  unsigned ReportedCount = 0;
  int Status = ExitOK;
};

std::string Driver::render(const std::vector<Finding> &Findings) const {
  std::string S;
  llvm::raw_string_ostream OS(S);
  if (Opts.Format == ReportFormat::Json) {
    OS << llvm::formatv("{0:2}", jsonReport(Findings)) << "\n";
  } else {
    SarifOptions SO;
    SO.Root = Opts.Root;
    SO.DocsURL = Opts.DocsURL;
    SO.AgainstBaseline = Known.has_value();
    OS << llvm::formatv("{0:2}", sarifReport(Findings, SO)) << "\n";
  }
  return S;
}

void Driver::write(const std::string &Path, StringRef Contents) {
  if (llvm::Error E = writeFileAtomically(Path, Contents))
    error(llvm::toString(std::move(E)));
}

void Driver::run(const Job &J) {
  llvm::SmallString<256> StartDir;
  llvm::sys::fs::current_path(StartDir);
  if (!J.Directory.empty())
    if (std::error_code EC = llvm::sys::fs::set_current_path(J.Directory)) {
      error("cannot run in '" + J.Directory + "' for '" + J.File +
            "': " + EC.message());
      return;
    }
  auto Restore = llvm::make_scope_exit([&] {
    if (!J.Directory.empty())
      llvm::sys::fs::set_current_path(StartDir);
  });

  if (!llvm::sys::fs::exists(J.File)) {
    error("no such file: '" + J.File + "'");
    return;
  }
  std::vector<std::string> CommandLine = {
      "clang", "-fsyntax-only", "-w",
      "-resource-dir=" WQCHECK_CLANG_RESOURCE_DIR};
  CommandLine.insert(CommandLine.end(), J.Args.begin(), J.Args.end());
  CommandLine.push_back(J.File);

  std::vector<Finding> Findings;
  FindingReview Review = [&](std::vector<Finding> &Fs) {
    computeFingerprints(Fs, Opts.Root);
    for (Finding &F : Fs)
      if ((Known && Known->contains(F)) || (Changed && !Changed->contains(F)))
        F.Reported = false;
    Findings = Fs;
  };

  // Text goes to stderr, unless --format=text --output=PATH.
  bool TextToFile = Opts.Format == ReportFormat::Text && !Opts.Output.empty();
  std::string TUText;
  llvm::raw_string_ostream TextBuffer(TUText);
  llvm::raw_ostream &TextOut =
      TextToFile ? static_cast<llvm::raw_ostream &>(TextBuffer) : llvm::errs();
  bool Colors = !TextToFile && llvm::sys::Process::StandardErrHasColors();

  // The bodies of functions outside user code are skipped, unless a skipped
  // body turns out to hold user-written tokens: then the file is parsed
  // again in full (nothing was checked or printed the first time).
  AnalysisResult Result;
  bool ParseFailed = false;
  for (BodySkipping Skip : {BodySkipping::OutsideUserCode, BodySkipping::None}) {
    if (Skip != BodySkipping::None && Opts.FullParse)
      continue;
    Result = AnalysisResult();
    ParseFailed = false;
    llvm::IntrusiveRefCntPtr<FileManager> Files(
        new FileManager(FileSystemOptions()));
    tooling::ToolInvocation Invocation(
        CommandLine,
        std::make_unique<CheckAction>(Opts.Analysis, Result, ParseFailed,
                                      Review, TextOut, Colors, Skip),
        Files.get());
    // On a thread with a large stack: clang and the checks recurse once per
    // level of nesting (tool/LargeStack.h).
    bool Ran = false;
    runWithLargeStack(
        [&] {
          llvm::PrettyStackTraceFormat Checking("wqcheck: checking '%s'",
                                                J.File.c_str());
          Ran = Invocation.run();
        },
        "the code of '" + J.File + "' nests too deeply: parsing or checking "
        "it ran out of stack (" + std::to_string(largeStackMiB()) +
        " MiB; WQCHECK_STACK_MB sets it); nothing was checked");
    TextBuffer.flush();
    if (Result.DatabaseFailed) {
      error("the facts of '" + J.File + "' were not stored (see above)");
      return;
    }
    if (!Ran || ParseFailed) {
      error("clang could not parse '" + J.File +
            "' (see the errors above); nothing was checked");
      return;
    }
    if (!Result.NeedsFullParse)
      break;
  }
  if (Result.FixFailed)
    error("could not apply the fix-its to '" + J.File + "'");
  else if (Result.FixesApplied)
    llvm::errs() << "wqcheck: applied " << Result.FixesApplied
                 << " fix-it(s) for '" << J.File << "'\n";
  ReportedCount += Result.Findings;

  std::vector<Finding> Kept;
  for (const Finding &F : Findings)
    if (F.Reported)
      Kept.push_back(F);
  if (perFile(Opts.Output))
    write(reportFileIn(Opts.Output, J.File, extensionOf(Opts.Format)),
          Opts.Format == ReportFormat::Text ? StringRef(TUText)
                                            : StringRef(render(Kept)));
  else if (TextToFile)
    Text += TUText;
  if (perFile(Opts.WriteBaseline))
    write(reportFileIn(Opts.WriteBaseline, J.File, "baseline"),
          Baseline::render(Findings));
  All.insert(All.end(), Findings.begin(), Findings.end());
  Reported.insert(Reported.end(), Kept.begin(), Kept.end());
}

int Driver::finish() {
  // A header's finding reached from several files is reported once.
  std::set<std::tuple<std::string, std::string, unsigned, unsigned>> Seen;
  std::vector<Finding> Unique;
  for (const Finding &F : Reported)
    if (Seen.insert({F.Fingerprint, F.Where.File, F.Where.Line,
                     F.Where.Column})
            .second)
      Unique.push_back(F);

  if (!perFile(Opts.Output)) {
    if (Opts.Format == ReportFormat::Text) {
      if (!Opts.Output.empty())
        write(Opts.Output, Text);
    } else if (Opts.Output.empty()) {
      llvm::outs() << render(Unique);
    } else {
      write(Opts.Output, render(Unique));
    }
  }
  if (!Opts.WriteBaseline.empty() && !perFile(Opts.WriteBaseline))
    write(Opts.WriteBaseline, Baseline::render(All));

  if (Status == ExitOK && Opts.Werror && ReportedCount)
    Status = ExitFindings;
  return Status;
}

/// File as printed: relative to the current directory when below it.
std::string printedPath(StringRef File) {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return File.str();
  return relativeTo(File, Cwd);
}

/// `wqcheck report --db=PATH ...`: the findings several files show
/// together (db/CrossFile.h).
int report(int argc, const char **argv) {
  ToolOptions Opts;
  int Status;
  if (parseToolOptions(argc, argv, Opts, Status) == ToolAction::Exit)
    return Status;
  if (!Opts.Rest.empty())
    return fail("report: unexpected argument '" + Opts.Rest.front() +
                "' (usage: wqcheck report --db=PATH [--checks=GLOBS] "
                "[--level=L] [--format=F] [--output=PATH] [--root=DIR] "
                "[--werror])");
  if (Opts.Analysis.Database.empty())
    return fail("report: no database: pass --db=PATH (or set WQCHECK_DB)");
  auto Units = loadUnits(Opts.Analysis.Database);
  if (!Units)
    return fail(llvm::toString(Units.takeError()));
  std::vector<Finding> Findings =
      crossFileFindings(*Units, Opts.Analysis.Checks, Opts.Analysis.Level);
  if (!Opts.Root.empty())
    for (Finding &F : Findings)
      F.Path = relativeTo(F.Where.File, Opts.Root);
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  if (Opts.Format == ReportFormat::Text) {
    for (const Finding &F : Findings) {
      OS << printedPath(F.Where.File) << ":" << F.Where.Line << ":"
         << F.Where.Column << ": warning: " << F.Message << " [" << F.CheckId
         << "]\n";
      for (const FindingNote &N : F.Notes)
        OS << printedPath(N.Where.File) << ":" << N.Where.Line << ":"
           << N.Where.Column << ": note: " << N.Message << "\n";
    }
    OS << Findings.size() << " cross-file finding"
       << (Findings.size() == 1 ? "" : "s") << " in " << Units->size()
       << " file" << (Units->size() == 1 ? "" : "s") << "\n";
  } else if (Opts.Format == ReportFormat::Json) {
    OS << llvm::formatv("{0:2}", jsonReport(Findings)) << "\n";
  } else {
    SarifOptions SO;
    SO.Root = Opts.Root;
    SO.DocsURL = Opts.DocsURL;
    OS << llvm::formatv("{0:2}", sarifReport(Findings, SO)) << "\n";
  }
  OS.flush();
  if (Opts.Output.empty())
    llvm::outs() << Out;
  else if (llvm::Error E = writeFileAtomically(Opts.Output, Out))
    return fail(llvm::toString(std::move(E)));
  return Opts.Werror && !Findings.empty() ? ExitFindings : ExitOK;
}

/// `wqcheck db merge OUT IN...`: one database from several (CI shards).
int database(int argc, const char **argv) {
  if (argc < 2 || StringRef(argv[1]) != "merge" || argc < 4)
    return fail("usage: wqcheck db merge OUT.db IN.db...");
  std::vector<std::string> Inputs(argv + 3, argv + argc);
  if (llvm::Error E = mergeDatabases(argv[2], Inputs))
    return fail(llvm::toString(std::move(E)));
  return ExitOK;
}

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);

  if (argc > 1 && StringRef(argv[1]) == "report")
    return report(argc - 1, argv + 1);
  if (argc > 1 && StringRef(argv[1]) == "db")
    return database(argc - 1, argv + 1);

  ToolOptions Opts;
  int Status;
  if (parseToolOptions(argc, argv, Opts, Status) == ToolAction::Exit)
    return Status;

  Driver D(Opts);
  if (!D.init())
    return ExitError;

  if (Opts.CompileDB) {
    auto Entries = loadCompileEntries(*Opts.CompileDB, Opts.Rest);
    if (!Entries)
      return fail(llvm::toString(Entries.takeError()));
    llvm::StringSet<> Warned; // unknown flags: warn once per run
    for (const CompileEntry &E : *Entries) {
      CompilerArgs Args = filterCompilerArgs(E.Flags);
      if (!Args.Error.empty()) {
        D.error("'" + E.File + "': " + Args.Error);
        continue;
      }
      for (const std::string &U : Args.Unknown)
        if (Warned.insert(U).second)
          llvm::errs() << "wqcheck: warning: ignoring '" << U
                       << "', which clang does not know\n";
      // The file as the command spells it (relative to the directory),
      // so that findings read like the build's own diagnostics.
      std::string File = Args.Inputs.size() == 1 ? Args.Inputs[0] : E.File;
      D.run({E.Directory, Args.Args, File});
    }
    return D.finish();
  }

  CompilerArgs Args = filterCompilerArgs(Opts.Rest);
  if (!Args.Error.empty())
    return fail(Args.Error);
  for (const std::string &U : Args.Unknown) {
    // A double-dash option is meant for wqcheck (a typo) or for sparse.
    if (StringRef(U).starts_with("--"))
      return fail("unknown option '" + U + "' (see 'wqcheck --help')");
    llvm::errs() << "wqcheck: warning: ignoring '" << U
                 << "', which clang does not know\n";
  }
  if (Args.Inputs.empty())
    return fail("no input file (see 'wqcheck --help')");
  for (const std::string &File : Args.Inputs)
    D.run({"", Args.Args, File});
  return D.finish();
}
