//===- PerCpuCheck.cpp - wq-percpu ----------------------------------------===//
//
// Where the kernel's headers define WQ_PERCPU (upstream 6.17+, Debian's
// 6.12.118: api/KernelAPI.def WQ_AFFINITY_FLAG), workqueue users are to say
// where their work runs, because alloc_workqueue() is becoming unbound by
// default.  Reports, in the user's code:
//   - a workqueue constructor (WQ_QUEUE_FLAGS rows) whose flags argument is
//     a constant with neither affinity flag (WQ_PERCPU, WQ_UNBOUND) nor an
//     exempt one (WQ_BH, __WQ_LEGACY); flags that are not a constant are
//     not guessed.  alloc_ordered_workqueue() passes WQ_UNBOUND and is never
//     reported.  Fix-it: add WQ_PERCPU, which keeps today's behaviour;
//   - a use of a system workqueue under its old name (WQ_RENAMED rows whose
//     old name is a `struct workqueue_struct *`: system_wq ->
//     system_percpu_wq, system_unbound_wq -> system_dfl_wq) where the
//     headers declare the new one.  Fix-it: the new name.  A flush of a
//     system workqueue is wq-deprecated's finding and is left to it.
// The check is opt-in (Checks.def): it is API hygiene, and a whole 6.12
// tree predates the conversion.
//
// Docs: docs/checks/wq-percpu.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/ApiCalls.h"
#include "analysis/UserCodeVisitor.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

class PerCpuCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

  void checkConstructor(const CallExpr *Call, int FlagsArg);
  void checkOldName(const DeclRefExpr *Ref, const VarDecl *Var);
  /// Loc's token is spelled in the user's code (directly, in a macro
  /// argument, or in a macro of the user's file).
  bool spelledByUser(SourceLocation Loc) const {
    return Ctx.User
        .reportLocation(AST->getSourceManager().getSpellingLoc(Loc))
        .isValid();
  }
  /// A reference that is the queue of a flush (wq-deprecated's finding).
  bool isFlushedQueue(const DeclRefExpr *Ref) const;

  ASTContext *AST = nullptr;
  const EnumConstantDecl *PerCpu = nullptr;
  uint64_t Stated = 0; ///< WQ_AFFINITY_FLAG bits, Explicit or Exempt
  std::set<const DeclRefExpr *> FlushedQueues;
  std::set<SourceLocation> Reported;
};

class Finder : public UserCodeVisitor<Finder> {
public:
  Finder(PerCpuCheck &C, UserCode &User) : UserCodeVisitor(User), C(C) {}

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    StringRef Name = Callee->getName();
    if (int Arg = api::queueFlagsArg(Name); Arg >= 0)
      C.checkConstructor(Call, Arg);
    // A kernel whose flush_workqueue() is a function: its queue argument.
    if (const api::QueueFlush *F = api::findQueueFlush(Name))
      if (F->QueueArg < Call->getNumArgs())
        if (const auto *Ref = dyn_cast<DeclRefExpr>(
                Call->getArg(F->QueueArg)->IgnoreParenImpCasts()))
          C.FlushedQueues.insert(Ref);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    if (Var && Var->hasGlobalStorage() && Var->getIdentifier() &&
        WorkFacts::isQueuePointer(Var->getType()))
      C.checkOldName(Ref, Var);
    return true;
  }

private:
  PerCpuCheck &C;
};

/// The user's text of E as one range of their file, if it is spelled so.
CharSourceRange userRange(const Expr *E, const SourceManager &SM,
                          const LangOptions &LO) {
  return Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
}

void PerCpuCheck::checkConstructor(const CallExpr *Call, int FlagsArg) {
  if (unsigned(FlagsArg) >= Call->getNumArgs())
    return;
  const Expr *Flags = Call->getArg(FlagsArg);
  Expr::EvalResult R;
  if (!Flags->EvaluateAsInt(R, *AST))
    return; // a variable: not guessed
  uint64_t Value = R.Val.getInt().getZExtValue();
  if (Value & Stated)
    return;
  // Flags the user wrote, not a header macro's own (create_workqueue()).
  if (!spelledByUser(Flags->getBeginLoc()))
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;
  const SourceManager &SM = AST->getSourceManager();
  const LangOptions &LO = AST->getLangOpts();
  std::string Api = WorkFacts::calledAs(Call, *AST);
  // Fix-it: WQ_PERCPU added to flags the user spelled in this file.
  std::vector<FixItHint> Fix;
  CharSourceRange Range = userRange(Flags, SM, LO);
  std::string Text;
  if (Range.isValid() && SM.getFileID(Range.getBegin()) == SM.getFileID(Loc)) {
    Text = Lexer::getSourceText(Range, SM, LO).trim().str();
    if (Text == "0")
      Fix.push_back(FixItHint::CreateReplacement(Range, "WQ_PERCPU"));
    else if (!Text.empty() && Text.find_first_of("?,") == std::string::npos)
      Fix.push_back(FixItHint::CreateInsertion(Range.getEnd(), " | WQ_PERCPU"));
  }
  std::string Shown = Text.empty() ? std::to_string(Value) : Text;
  if (Ctx.Report.warn(
          Id, Loc,
          "'" + Api + "' creates a per-CPU workqueue without saying so: its "
              "flags (" + Shown + ") have neither WQ_PERCPU nor WQ_UNBOUND, "
              "and these headers define WQ_PERCPU because alloc_workqueue() "
              "is to become unbound by default; add WQ_PERCPU to keep "
              "per-CPU workers, or WQ_UNBOUND if the work needs no CPU "
              "locality",
          Range.isValid() ? Range : CharSourceRange(), Fix))
    Ctx.Report.note(PerCpu->getLocation(), "WQ_PERCPU is defined here");
}

bool PerCpuCheck::isFlushedQueue(const DeclRefExpr *Ref) const {
  if (FlushedQueues.count(Ref))
    return true;
  // A kernel whose flush_workqueue() is a macro: the reference is an
  // argument of its expansion.
  const SourceManager &SM = AST->getSourceManager();
  for (SourceLocation L = Ref->getLocation(); L.isMacroID();
       L = SM.getImmediateMacroCallerLoc(L))
    if (SM.isMacroArgExpansion(L) &&
        api::findQueueFlush(
            Lexer::getImmediateMacroName(L, SM, AST->getLangOpts())))
      return true;
  return false;
}

void PerCpuCheck::checkOldName(const DeclRefExpr *Ref, const VarDecl *Var) {
  StringRef Old = Var->getName();
  StringRef New = api::newNameOf(Old);
  if (New.empty() || New == Old)
    return;
  // Only where the headers declare the new name.
  const VarDecl *NewVar = fileScopeDecl<VarDecl>(*AST, New);
  // A name the user wrote, not one inside a header macro's body (6.12's
  // flush_workqueue() compares its argument with system_wq itself).
  if (!NewVar || isFlushedQueue(Ref) || !spelledByUser(Ref->getLocation()))
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Ref->getLocation());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;
  const SourceManager &SM = AST->getSourceManager();
  std::vector<FixItHint> Fix;
  CharSourceRange Range = userRange(Ref, SM, AST->getLangOpts());
  if (Range.isValid() && SM.getFileID(Range.getBegin()) == SM.getFileID(Loc))
    Fix.push_back(FixItHint::CreateReplacement(Range, New));
  std::string Message =
      "'" + Old.str() + "' is the old name of '" + New.str() +
      "', which these headers declare; the old name is to be removed: use "
      "'" + New.str() + "'";
  if (Ctx.Report.warn(Id, Loc, Message,
                      Range.isValid() ? Range : CharSourceRange(), Fix))
    Ctx.Report.note(NewVar->getLocation(),
                    "'" + New.str() + "' is declared here");
}

void PerCpuCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  PerCpu = kernelEnumConstant(Context, "WQ_PERCPU");
  if (!PerCpu)
    return; // these headers predate the flag: nothing to say
  for (StringRef F : api::affinityFlags())
    if (const EnumConstantDecl *E = kernelEnumConstant(Context, F))
      Stated |= E->getInitVal().getZExtValue();
  Finder(*this, Ctx.User).traverseUserCode(Context);
}

} // namespace

std::unique_ptr<Check> createPerCpuCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<PerCpuCheck>(Id, Ctx);
}

} // namespace wqcheck
