//===- Plugin.cpp - wqcheck as a clang plugin -----------------------------===//
//
//   clang -fplugin=build/lib/wqcheck.so [-fplugin-arg-wqcheck-checks=GLOBS]
//         [-fplugin-arg-wqcheck-output=PATH [-fplugin-arg-wqcheck-format=F]]
//         [-fplugin-arg-wqcheck-db=PATH]
//
// db= (or WQCHECK_DB=PATH) stores each compiled file's cross-file facts in
// that SQLite database, for `wqcheck report --db=PATH` after the build.
//
// output= also writes each file's findings as a SARIF (format=sarif, the
// default) or JSON (format=json) report to PATH; a PATH ending in '/' gets
// one report per compiled file (make -j), merged with scripts/sarif-merge.
//
// Runs after clang's own action (the compile goes on as usual) and reports
// through the compiler's diagnostics, so findings look like any clang
// warning and work with -verify, -fixit, IDEs and build logs.
//
//===----------------------------------------------------------------------===//
#include "core/Consumer.h"
#include "core/Report.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Process.h"

using namespace clang;

namespace wqcheck {
namespace {

class PluginAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    FindingReview Review;
    if (!Output.empty())
      Review = [&CI, Output = Output, Format = Format](std::vector<Finding> &F) {
        writeReport(CI, Output, Format, F);
      };
    return createAnalysisConsumer(CI, Opts, CI.getDiagnostics(),
                                  /*Result=*/nullptr, std::move(Review));
  }

  /// Writes the findings of the file CI compiles to Output.
  static void writeReport(CompilerInstance &CI, const std::string &Output,
                          ReportFormat Format, std::vector<Finding> &Findings) {
    computeFingerprints(Findings);
    SourceManager &SM = CI.getSourceManager();
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    std::string Path =
        isReportDirectory(Output) && Main
            ? reportFileIn(Output, Main->getName(), extensionOf(Format))
            : Output;
    std::string Text;
    llvm::raw_string_ostream OS(Text);
    if (Format == ReportFormat::Json)
      OS << llvm::formatv("{0:2}", jsonReport(Findings)) << "\n";
    else
      OS << llvm::formatv("{0:2}", sarifReport(Findings, SarifOptions())) << "\n";
    if (llvm::Error E = writeFileAtomically(Path, Text)) {
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "wqcheck: %0"))
          << llvm::toString(std::move(E));
    }
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    unsigned Err = D.getCustomDiagID(DiagnosticsEngine::Error, "wqcheck: %0");
    for (const std::string &Arg : Args) {
      StringRef A(Arg);
      if (A.consume_front("checks=")) {
        auto Filter = CheckFilter::parse(A);
        if (!Filter) {
          D.Report(Err) << llvm::toString(Filter.takeError());
          return false;
        }
        Opts.Checks = *Filter;
        continue;
      }
      if (A.consume_front("level=")) {
        auto L = parseReportLevel(A);
        if (!L) {
          D.Report(Err) << ("unknown level '" + A.str() +
                            "' (known: evidence, possible)");
          return false;
        }
        Opts.Level = *L;
        continue;
      }
      if (A.consume_front("db=") && !A.empty()) {
        llvm::SmallString<256> P(A);
        llvm::sys::fs::make_absolute(P);
        Opts.Database = std::string(P);
        continue;
      }
      if (A.consume_front("output=") && !A.empty()) {
        Output = A.str();
        continue;
      }
      if (A.consume_front("format=")) {
        auto F = parseReportFormat(A);
        if (!F || *F == ReportFormat::Text) {
          D.Report(Err) << ("unknown report format '" + A.str() +
                            "' (known: sarif, json)");
          return false;
        }
        Format = *F;
        continue;
      }
      D.Report(Err) << ("unknown plugin argument '" + Arg +
                        "' (known: checks=GLOBS, level=evidence|possible, db=PATH); report "
                        "arguments: output=PATH, format=sarif|json");
      return false;
    }
    if (Opts.Database.empty())
      if (std::optional<std::string> Env =
              llvm::sys::Process::GetEnv("WQCHECK_DB"))
        if (!Env->empty()) {
          llvm::SmallString<256> P(*Env);
          llvm::sys::fs::make_absolute(P);
          Opts.Database = std::string(P);
        }
    return true;
  }

  ActionType getActionType() override { return AddAfterMainAction; }

private:
  // Copied into the consumer: clang destroys this action first.
  Options Opts;
  std::string Output;
  ReportFormat Format = ReportFormat::Sarif;
};

} // namespace
} // namespace wqcheck

static FrontendPluginRegistry::Add<wqcheck::PluginAction>
    X("wqcheck", "find Linux workqueue misuse");
