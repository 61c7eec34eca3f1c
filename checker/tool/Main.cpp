//===- Main.cpp - the wqcheck command-line tool ---------------------------===//
//
//   wqcheck [wqcheck options] [compiler flags] file.c
//
// A drop-in $(CHECK) for kbuild (make C=1/C=2 CHECK=wqcheck): it takes
// sparse's CHECKFLAGS and gcc's c_flags, keeps what clang understands, parses
// the file with clang as the kernel would be compiled and prints findings as
// "file:line:col: warning: ... [wq-id]" with notes.  Exit status: 0 (also
// with findings, unless --werror), 1 findings with --werror, 2 usage or
// tool error.  See docs/usage.md.
//
//===----------------------------------------------------------------------===//
#include "core/CheckRegistry.h"
#include "core/Consumer.h"
#include "core/Options.h"
#include "tool/CompilerArgs.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace wqcheck;
using llvm::StringRef;

namespace {

enum ExitCode { ExitOK = 0, ExitFindings = 1, ExitError = 2 };

const char Usage[] =
    R"(usage: wqcheck [options] [compiler flags] file.c

Finds Linux-kernel workqueue misuse.  Use it as kbuild's checker:
  make C=2 CHECK=/path/to/wqcheck M=drivers/foo
or directly with the flags the file is compiled with.

options:
  --checks=GLOBS   checks to run, clang-tidy style: '-*,wq-deprecated'
  --list-checks    list the checks and exit
  --fix            apply the fix-its of the findings to the source files
  --werror         exit with status 1 when there are findings (for gating;
                   also spelled -Wwqcheck-error, usable in CHECKFLAGS)
  --help           this text
  --version        print the version

Compiler flags are those of gcc or sparse as kbuild passes them; flags clang
cannot take are dropped.  Exit status: 0 done (findings do not fail unless
--werror), 1 findings with --werror, 2 usage or tool error.
)";

int fail(const llvm::Twine &Message) {
  llvm::errs() << "wqcheck: error: " << Message << "\n";
  return ExitError;
}

/// Parses one file and prints the findings on stderr.
class CheckAction : public ASTFrontendAction {
public:
  CheckAction(const Options &Opts, AnalysisResult &Result, bool &ParseFailed)
      : Opts(Opts), Result(Result), ParseFailed(ParseFailed) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    // Findings get their own diagnostics engine: the compile itself runs
    // with -w (clang's warnings about kernel code are not ours to print).
    auto DiagOpts = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
    DiagOpts->ShowColors = llvm::sys::Process::StandardErrHasColors();
    Printer = new TextDiagnosticPrinter(llvm::errs(), DiagOpts.get());
    Out = std::make_unique<DiagnosticsEngine>(
        llvm::makeIntrusiveRefCnt<DiagnosticIDs>(), DiagOpts, Printer,
        /*ShouldOwnClient=*/true);
    Out->setSourceManager(&CI.getSourceManager());
    Printer->BeginSourceFile(CI.getLangOpts(), &CI.getPreprocessor());
    return createAnalysisConsumer(CI, Opts, *Out, &Result);
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
  TextDiagnosticPrinter *Printer = nullptr; // owned by Out
  std::unique_ptr<DiagnosticsEngine> Out;
};

} // namespace

int main(int argc, const char **argv) {
  llvm::InitLLVM Init(argc, argv);

  Options Opts;
  bool Werror = false;
  std::vector<std::string> CompilerFlags;
  for (int I = 1; I < argc; ++I) {
    StringRef A(argv[I]);
    if (A == "--help" || A == "-h") {
      llvm::outs() << Usage;
      return ExitOK;
    }
    if (A == "--version") {
      llvm::outs() << "wqcheck " WQCHECK_VERSION " (clang " CLANG_VERSION_STRING
                      ")\n";
      return ExitOK;
    }
    if (A == "--list-checks") {
      for (const CheckInfo &C : allChecks())
        llvm::outs() << C.Id << "\t" << C.Summary << "\n";
      return ExitOK;
    }
    if (A == "--fix") {
      Opts.ApplyFixes = true;
      continue;
    }
    if (A == "--werror" || A == "-Wwqcheck-error") {
      Werror = true;
      continue;
    }
    if (A.consume_front("--checks=")) {
      auto Filter = CheckFilter::parse(A);
      if (!Filter)
        return fail(llvm::toString(Filter.takeError()));
      Opts.Checks = *Filter;
      continue;
    }
    if (A == "--checks")
      return fail("--checks needs a value: --checks=GLOBS");
    CompilerFlags.push_back(A.str());
  }

  CompilerArgs Args = filterCompilerArgs(CompilerFlags);
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

  int Status = ExitOK;
  unsigned Findings = 0;
  for (const std::string &File : Args.Inputs) {
    if (!llvm::sys::fs::exists(File)) {
      Status = fail("no such file: '" + File + "'");
      continue;
    }
    std::vector<std::string> CommandLine = {
        "clang", "-fsyntax-only", "-w",
        "-resource-dir=" WQCHECK_CLANG_RESOURCE_DIR};
    CommandLine.insert(CommandLine.end(), Args.Args.begin(), Args.Args.end());
    CommandLine.push_back(File);

    AnalysisResult Result;
    bool ParseFailed = false;
    llvm::IntrusiveRefCntPtr<FileManager> Files(
        new FileManager(FileSystemOptions()));
    tooling::ToolInvocation Invocation(
        CommandLine, std::make_unique<CheckAction>(Opts, Result, ParseFailed),
        Files.get());
    bool Ran = Invocation.run();
    if (!Ran || ParseFailed) {
      Status = fail("clang could not parse '" + File +
                    "' (see the errors above); nothing was checked");
      continue;
    }
    if (Result.FixFailed)
      Status = fail("could not apply the fix-its to '" + File + "'");
    else if (Result.FixesApplied)
      llvm::errs() << "wqcheck: applied " << Result.FixesApplied
                   << " fix-it(s) for '" << File << "'\n";
    Findings += Result.Findings;
  }
  if (Status == ExitOK && Werror && Findings)
    Status = ExitFindings;
  return Status;
}
