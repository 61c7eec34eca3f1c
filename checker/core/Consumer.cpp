//===- Consumer.cpp -------------------------------------------------------===//
#include "core/Consumer.h"
#include "core/CheckRegistry.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "db/Facts.h"
#include "db/Keys.h"
#include "db/SummaryDB.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorLexer.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace wqcheck {
namespace {

/// Kernel functions whose bodies the analysis reads although they are
/// defined outside user code: with body skipping these are still parsed.
/// This is the one list; a check that starts reading the body of a kernel
/// function (FunctionDecl::getBody() of a function that is not the user's,
/// or constant evaluation through it) must add its name here, and
/// tests/cli/skip-bodies.test shows the difference.  (Constant evaluation
/// in C never enters a function body: C has no constexpr functions.)
const char *const KernelBodiesRead[] = {
    // SleepInAtomicCheck::findReclaimBit(): the __GFP_DIRECT_RECLAIM bit is
    // read from the kernel's own definition (include/linux/gfp.h; see
    // WQ_SLEEPS_GFP in api/KernelAPI.def).
    "gfpflags_allow_blocking",
};

class AnalysisConsumer;

/// Records where a kernel header holds the user's tokens
/// (UserCode::noteUserTokensAt()); when they fall in a body being skipped,
/// the file is parsed again in full (AnalysisConsumer::UserTokensSkipped).
class UserTokenWatch : public PPCallbacks {
public:
  explicit UserTokenWatch(AnalysisConsumer &C) : C(C) {}
  void MacroExpands(const Token &Name, const MacroDefinition &MD,
                    SourceRange, const MacroArgs *) override;
  void FileChanged(SourceLocation Loc, FileChangeReason, SrcMgr::CharacteristicKind,
                   FileID) override;

private:
  void noteUserTokensAt(SourceLocation At);

  AnalysisConsumer &C;
  /// Whether each macro expanded so far is defined in user code: a kernel
  /// file expands millions of macros, nearly all of the kernel's.
  llvm::DenseMap<const MacroInfo *, bool> UserDefined;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(CompilerInstance &CI, Options Opts, DiagnosticsEngine &Out,
                   AnalysisResult *Result, FindingReview Review,
                   BodySkipping Skip)
      : CI(CI), Opts(std::move(Opts)), Result(Result ? *Result : OwnResult),
        Report(Out, CI.getSourceManager()),
        User(CI.getSourceManager()),
        Ctx{CI, Report, User, this->Opts.Database.empty() ? nullptr : &Facts},
        Checks(createChecks(this->Opts.Checks, Ctx)),
        Skip(Skip == BodySkipping::OutsideUserCode) {
    Report.setReview(std::move(Review));
    Report.setLevel(this->Opts.Level);
    Preprocessor &PP = CI.getPreprocessor();
    for (auto &C : Checks)
      C->registerPPCallbacks(PP);
    PP.addPPCallbacks(std::make_unique<UserTokenWatch>(*this));
    if (this->Skip) {
      for (const char *Name : KernelBodiesRead)
        KeepBodies.insert(PP.getIdentifierInfo(Name));
    }
  }

  /// Called by the parser (when FrontendOptions::SkipFunctionBodies is set)
  /// at the '{' of each function definition.
  bool shouldSkipFunctionBody(Decl *D) override {
    const FunctionDecl *FD = D ? D->getAsFunction() : nullptr;
    if (!Skip || !FD || KeepBodies.count(FD->getIdentifier()))
      return false;
    // The same test as the checks' own for "a function of the user's"
    // (Check::checkTranslationUnit implementations collect the functions
    // with User.reportLocation(FD->getLocation()).isValid()).
    if (User.reportLocation(FD->getLocation()).isValid())
      return false;
    // The '{' itself must be outside user code too (a kernel header's
    // declarator completed by a body in the user's file).
    if (const PreprocessorLexer *L =
            CI.getPreprocessor().getCurrentFileLexer())
      if (User.isUserFile(L->getFileID()))
        return false;
    InSkippedBody = true;
    ++Result.SkippedBodies;
    return true;
  }

  bool HandleTopLevelDecl(DeclGroupRef) override {
    // A skipped definition is handed over right after its closing '}'.
    InSkippedBody = false;
    return true;
  }

  void HandleTranslationUnit(ASTContext &AST) override {
    // A file clang could not parse has a partial AST: checking it would only
    // produce noise, and the caller reports the parse failure.
    if (CI.getDiagnostics().hasErrorOccurred())
      return;
    if (std::optional<std::string> Stats =
            llvm::sys::Process::GetEnv("WQCHECK_SKIP_STATS"))
      llvm::errs() << "wqcheck: skipped " << Result.SkippedBodies
                   << " function bodies"
                   << (UserTokensSkipped ? ", user tokens in one: parsing again"
                                         : "")
                   << "\n";
    if (UserTokensSkipped) {
      // A skipped body held something the user wrote: what the checks see
      // could differ.  The caller parses the file again, in full.
      Result.NeedsFullParse = true;
      return;
    }
    for (auto &C : Checks)
      C->checkTranslationUnit(AST);
    Report.flush(&AST);
    if (Ctx.Facts) {
      recordCallGraph(AST, User, Facts);
      storeFacts();
    }
    Result.Findings += Report.findingCount();
    Result.Dropped += Report.droppedCount();
    if (Opts.ApplyFixes)
      applyFixes();
  }

private:
  void storeFacts() {
    const SourceManager &SM = CI.getSourceManager();
    Facts.Unit =
        positionOf(SM, SM.getLocForStartOfFile(SM.getMainFileID())).File;
    if (llvm::Error E = storeUnit(Opts.Database, Facts)) {
      DiagnosticsEngine &D = CI.getDiagnostics();
      D.Report(D.getCustomDiagID(DiagnosticsEngine::Error, "wqcheck: %0"))
          << llvm::toString(std::move(E));
      Result.DatabaseFailed = true;
    }
  }

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

  friend class UserTokenWatch;

  CompilerInstance &CI;
  const Options Opts;
  AnalysisResult OwnResult;
  AnalysisResult &Result;
  Reporter Report;
  UserCode User;
  UnitFacts Facts;
  CheckContext Ctx;
  std::vector<std::unique_ptr<Check>> Checks;
  const bool Skip;
  llvm::SmallPtrSet<const IdentifierInfo *, 4> KeepBodies;
  bool InSkippedBody = false;
  bool UserTokensSkipped = false;
};

// Both events count only at a place outside user code.  Between the '{' of
// a skipped body and the consumer's HandleTopLevelDecl of its function, the
// preprocessor produces the body and one token of lookahead after its '}';
// the body's own tokens are outside user code (shouldSkipFunctionBody), so
// an event in user code there is that lookahead.
void UserTokenWatch::MacroExpands(const Token &Name, const MacroDefinition &MD,
                                  SourceRange, const MacroArgs *) {
  const MacroInfo *MI = MD.getMacroInfo();
  if (!MI)
    return;
  const SourceManager &SM = C.CI.getSourceManager();
  auto [It, New] = UserDefined.try_emplace(MI, false);
  if (New)
    It->second = C.User.isUserFile(SM.getFileID(MI->getDefinitionLoc()));
  if (!It->second)
    return;
  // A macro defined in user code puts the user's tokens there.
  SourceLocation At = SM.getExpansionLoc(Name.getLocation());
  if (!C.User.isUserFile(SM.getFileID(At)))
    noteUserTokensAt(At);
}

void UserTokenWatch::FileChanged(SourceLocation Loc, FileChangeReason Reason,
                                 SrcMgr::CharacteristicKind, FileID) {
  if (Reason != EnterFile)
    return;
  const SourceManager &SM = C.CI.getSourceManager();
  FileID Entered = SM.getFileID(Loc);
  // An #include of a user file from a header (a return into a user file
  // at the end of a header is no entry).
  SourceLocation From = SM.getIncludeLoc(Entered);
  if (From.isValid() && C.User.isUserFile(Entered) &&
      !C.User.isUserFile(SM.getFileID(From)))
    noteUserTokensAt(From);
}

void UserTokenWatch::noteUserTokensAt(SourceLocation At) {
  C.User.noteUserTokensAt(At);
  if (C.InSkippedBody)
    C.UserTokensSkipped = true;
}

} // namespace

std::unique_ptr<ASTConsumer> createAnalysisConsumer(CompilerInstance &CI,
                                                    Options Opts,
                                                    DiagnosticsEngine &Out,
                                                    AnalysisResult *Result,
                                                    FindingReview Review,
                                                    BodySkipping Skip) {
  return std::make_unique<AnalysisConsumer>(CI, std::move(Opts), Out, Result,
                                            std::move(Review), Skip);
}

} // namespace wqcheck
