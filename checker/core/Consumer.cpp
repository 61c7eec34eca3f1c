//===- Consumer.cpp -------------------------------------------------------===//
#include "core/Consumer.h"
#include "core/CheckRegistry.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace wqcheck {
namespace {

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(CompilerInstance &CI, Options Opts, DiagnosticsEngine &Out,
                   AnalysisResult *Result, FindingReview Review)
      : CI(CI), Opts(std::move(Opts)), Result(Result ? *Result : OwnResult),
        Report(Out, CI.getSourceManager()),
        User(CI.getSourceManager()), Ctx{CI, Report, User},
        Checks(createChecks(this->Opts.Checks, Ctx)) {
    Report.setReview(std::move(Review));
    for (auto &C : Checks)
      C->registerPPCallbacks(CI.getPreprocessor());
  }

  void HandleTranslationUnit(ASTContext &AST) override {
    // A file clang could not parse has a partial AST: checking it would only
    // produce noise, and the caller reports the parse failure.
    if (CI.getDiagnostics().hasErrorOccurred())
      return;
    for (auto &C : Checks)
      C->checkTranslationUnit(AST);
    Report.flush(&AST);
    Result.Findings += Report.findingCount();
    Result.Dropped += Report.droppedCount();
    if (Opts.ApplyFixes)
      applyFixes();
  }

private:
  void applyFixes() {
    if (Report.fixes().empty())
      return;
    Rewriter Rewrite(CI.getSourceManager(), CI.getLangOpts());
    for (const FixItHint &F : Report.fixes()) {
      // ReplaceText returns true when the range cannot be rewritten.
      int Size = Rewrite.getRangeSize(F.RemoveRange);
      if (Size < 0 || Rewrite.ReplaceText(F.RemoveRange.getBegin(), Size,
                                          F.CodeToInsert)) {
        Result.FixFailed = true;
        continue;
      }
      ++Result.FixesApplied;
    }
    if (Rewrite.overwriteChangedFiles())
      Result.FixFailed = true;
  }

  CompilerInstance &CI;
  const Options Opts;
  AnalysisResult OwnResult;
  AnalysisResult &Result;
  Reporter Report;
  UserCode User;
  CheckContext Ctx;
  std::vector<std::unique_ptr<Check>> Checks;
};

} // namespace

std::unique_ptr<ASTConsumer> createAnalysisConsumer(CompilerInstance &CI,
                                                    Options Opts,
                                                    DiagnosticsEngine &Out,
                                                    AnalysisResult *Result,
                                                    FindingReview Review) {
  return std::make_unique<AnalysisConsumer>(CI, std::move(Opts), Out, Result,
                                            std::move(Review));
}

} // namespace wqcheck
