//===- OnStackCheck.cpp - wq-onstack --------------------------------------===//
//
// Work items that live in a function's stack frame (a local work_struct or
// delayed_work, or one inside a local struct):
//   1. initialised with INIT_WORK()/INIT_DELAYED_WORK() instead of the
//      _ONSTACK form: with CONFIG_DEBUG_OBJECTS_WORK, lib/debugobjects.c
//      warns "object ... is on stack ..., but NOT annotated." and the
//      tracking of the item is wrong from then on; fix-it to the _ONSTACK
//      macro;
//   2. initialised with the _ONSTACK form, and a path reaches the
//      function's end without destroy_work_on_stack()/
//      destroy_delayed_work_on_stack(): the debug object of a dead stack
//      slot stays tracked;
//   3. queued, and a path reaches the function's end (or the destroy)
//      with no wait for it since: the worker may run the handler on a dead
//      stack frame (use after return).
// Each finding rests on what the function itself does to its own local:
// the INIT, the queue, the path to the return.  Which call is which comes
// from the table (WQ_WORK_INIT_MARK: the __init_work(work, onstack) call
// every INIT_WORK() expands to, whatever the kernel configuration;
// WQ_ONSTACK_INIT, WQ_WORK_DESTROY_ON_STACK, WQ_QUEUE_WORK, WQ_WORK_STOP,
// WQ_DRAIN_QUEUE, WQ_FLUSH_QUEUE, WQ_COMPLETION_WAIT).  A wait for any
// completion counts as waiting for the item (the usual on-stack pattern:
// the handler completes what the caller waits for), and so does handing
// the item to a function the table does not know.
//
// Docs: docs/checks/wq-onstack.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include <map>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// What a path has done to one on-stack work item.
struct Item {
  SourceLocation Init;       ///< where it was initialised
  bool NeedsDestroy = false; ///< _ONSTACK init, no destroy since
  StringRef Destroy;         ///< the destroy call it needs
  SourceLocation Queued;     ///< queued, no wait since (invalid: none)
  const Decl *Queue = nullptr;
  bool SystemQueue = false;
  bool operator==(const Item &O) const {
    return Init == O.Init && NeedsDestroy == O.NeedsDestroy &&
           Queued == O.Queued && Queue == O.Queue &&
           SystemQueue == O.SystemQueue;
  }
};

struct State {
  bool Reached = false;
  std::map<const VarDecl *, Item> Items;
  bool operator==(const State &O) const {
    return Reached == O.Reached && Items == O.Items;
  }
};

/// Some path: an item initialised, needing a destroy or queued on either
/// side is so after the merge.
State join(const State &A, const State &B) {
  State R = A;
  for (const auto &[V, I] : B.Items) {
    auto [It, New] = R.Items.emplace(V, I);
    if (New)
      continue;
    Item &M = It->second;
    if (M.Init.isInvalid())
      M.Init = I.Init;
    if (!M.NeedsDestroy && I.NeedsDestroy) {
      M.NeedsDestroy = true;
      M.Destroy = I.Destroy;
    }
    if (M.Queued.isInvalid() && I.Queued.isValid()) {
      M.Queued = I.Queued;
      M.Queue = I.Queue;
      M.SystemQueue = I.SystemQueue;
    }
  }
  return R;
}

/// The local variable whose storage holds E's object: `&w`, `&req.work`,
/// `&(&dw)->work`; nothing for what a pointer points to.
const VarDecl *stackObject(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  while (true) {
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      if (!M->isArrow()) {
        E = M->getBase()->IgnoreParenCasts();
        continue;
      }
      // `(&dw)->work`: the arrow through an address-of stays in dw.
      const auto *U = dyn_cast<UnaryOperator>(M->getBase()->IgnoreParenCasts());
      if (U && U->getOpcode() == UO_AddrOf) {
        E = U->getSubExpr()->IgnoreParenCasts();
        continue;
      }
      return nullptr;
    }
    break;
  }
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || V->getType()->isPointerType() ||
      V->getType()->isReferenceType())
    return nullptr;
  return V;
}

/// The declaration a queue argument names (`wq`, `dev->wq`), seen through
/// the temporary of a header macro (WorkFacts::drainedQueue(): 6.1's
/// flush_workqueue(wq) passes `_wq` to __flush_workqueue()).
const Decl *queueDecl(const Expr *E) {
  E = WorkFacts::drainedQueue(E)->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return Ref->getDecl();
  if (const auto *M = dyn_cast<MemberExpr>(E))
    return M->getMemberDecl();
  return nullptr;
}

class OnStackCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void checkFunction(const FunctionDecl *FD, ASTContext &AST);
  void transfer(const Stmt *S, State &St, bool Report);
  void atExit(const FunctionDecl *FD, const CFGBlock &B, const State &St);
  void reportPlainInit(const CallExpr *Init, const VarDecl *V);
  void reportQueuedAtEnd(const FunctionDecl *FD, const VarDecl *V,
                         const Item &I, SourceLocation End, bool AtDestroy);
  /// The user's INIT macro around an __init_work() call, as written.
  StringRef userMacro(SourceLocation InitCall, SourceLocation &At);
  std::string spelled(const Expr *WorkArg, const VarDecl *V);

  std::map<const VarDecl *, std::string> Names;
  std::set<std::pair<const VarDecl *, int>> Reported;
  const FunctionDecl *Current = nullptr;
};

StringRef OnStackCheck::userMacro(SourceLocation InitCall, SourceLocation &At) {
  const SourceManager &SM = Ctx.CI.getSourceManager();
  At = SM.getExpansionLoc(InitCall);
  if (!InitCall.isMacroID())
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(At, At), SM,
                              Ctx.CI.getLangOpts());
}

std::string OnStackCheck::spelled(const Expr *WorkArg, const VarDecl *V) {
  const SourceManager &SM = Ctx.CI.getSourceManager();
  const Expr *E = WorkArg->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM,
      Ctx.CI.getLangOpts());
  StringRef Text = R.isValid() ? Lexer::getSourceText(R, SM, Ctx.CI.getLangOpts())
                               : StringRef();
  if (Text.empty() || Text.contains('\n') || Text.size() > 60)
    return V->getName().str();
  return Text.str();
}

void OnStackCheck::checkTranslationUnit(ASTContext &AST) {
  for (const Decl *D : Ctx.User.topLevelDecls(AST)) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      continue;
    // Only functions that initialise a work item of their own frame.
    bool Local = false;
    forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (Callee && Callee->getIdentifier())
        if (const api::WorkInitMark *M = api::findWorkInitMark(Callee->getName()))
          if (M->WorkArg < Call->getNumArgs() &&
              stackObject(Call->getArg(M->WorkArg)))
            Local = true;
      return !Local;
    });
    if (Local)
      checkFunction(FD, AST);
  }
}

void OnStackCheck::checkFunction(const FunctionDecl *FD, ASTContext &AST) {
  Current = FD;
  solveAndReport<State>(
      FD, AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(St, S, Report); });
        if (Report)
          for (const CFGBlock *Succ : B.succs())
            if (Succ == &B.getParent()->getExit() && !B.hasNoReturnElement())
              atExit(FD, B, S);
      },
      join, State(), [](const CFGBlock &, const CFGBlock &, State &) {});
}

void OnStackCheck::transfer(const Stmt *S, State &St, bool Report) {
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  ASTContext &AST = Ctx.CI.getASTContext();
  auto Arg = [&](int I) -> const Expr * {
    return I >= 0 && unsigned(I) < Call->getNumArgs() ? Call->getArg(I)
                                                       : nullptr;
  };

  if (const api::WorkInitMark *M = api::findWorkInitMark(Name)) {
    const Expr *W = Arg(M->WorkArg);
    const VarDecl *V = W ? stackObject(W) : nullptr;
    const Expr *Flag = Arg(M->OnStackArg);
    Expr::EvalResult R;
    if (!V || !Flag || !Flag->EvaluateAsInt(R, AST))
      return;
    if (!Names.count(V))
      Names[V] = spelled(W, V);
    SourceLocation At;
    StringRef Macro = userMacro(Call->getBeginLoc(), At);
    Item I;
    I.Init = At;
    if (R.Val.getInt().isZero()) {
      if (Report)
        reportPlainInit(Call, V);
    } else if (const api::OnStackInit *Row = api::findOnStackInitFor(Macro)) {
      I.NeedsDestroy = true;
      I.Destroy = Row->Destroy;
    } else {
      I.NeedsDestroy = true;
      I.Destroy = "destroy_work_on_stack";
    }
    St.Items[V] = I;
    return;
  }

  if (int A = api::destroyOnStackArg(Name); A >= 0) {
    const VarDecl *V = Arg(A) ? stackObject(Arg(A)) : nullptr;
    auto It = V ? St.Items.find(V) : St.Items.end();
    if (It == St.Items.end())
      return;
    if (Report && It->second.Queued.isValid())
      reportQueuedAtEnd(Current, V, It->second, Call->getBeginLoc(), true);
    It->second.NeedsDestroy = false;
    It->second.Queued = SourceLocation();
    return;
  }

  if (const api::QueueWork *Q = api::findQueueWork(Name)) {
    const VarDecl *V = Arg(Q->WorkArg) ? stackObject(Arg(Q->WorkArg)) : nullptr;
    auto It = V ? St.Items.find(V) : St.Items.end();
    if (It == St.Items.end())
      return;
    It->second.Queued = Call->getBeginLoc();
    It->second.SystemQueue = Q->QueueArg < 0;
    It->second.Queue = Q->QueueArg < 0 ? nullptr : queueDecl(Arg(Q->QueueArg));
    return;
  }

  if (const api::WorkStop *Stop = api::findWorkStop(Name)) {
    const VarDecl *V = Arg(Stop->WorkArg) ? stackObject(Arg(Stop->WorkArg)) : nullptr;
    auto It = V ? St.Items.find(V) : St.Items.end();
    if (It != St.Items.end() && Stop->Waits)
      It->second.Queued = SourceLocation();
    return;
  }

  // Waits for a whole queue: the items queued on it.
  int QA = api::drainQueueArg(Name);
  if (QA < 0)
    QA = api::flushQueueArg(Name);
  if (QA >= 0 || api::findDeprecatedFlushAll(Name)) {
    const Decl *Q = QA >= 0 && Arg(QA) ? queueDecl(Arg(QA)) : nullptr;
    for (auto &[V, I] : St.Items)
      if (I.Queued.isValid() &&
          (QA >= 0 ? (Q && I.Queue == Q) : I.SystemQueue))
        I.Queued = SourceLocation();
    return;
  }

  // A wait for a completion: what on-stack work items are for.
  if (api::completionWaitArg(Name) >= 0) {
    for (auto &[V, I] : St.Items)
      I.Queued = SourceLocation();
    return;
  }

  // The item handed to a function the table does not know: it may wait.
  for (unsigned I = 0; I < Call->getNumArgs(); ++I)
    if (const VarDecl *V = stackObject(Call->getArg(I)))
      if (auto It = St.Items.find(V); It != St.Items.end())
        It->second.Queued = SourceLocation();
}

void OnStackCheck::atExit(const FunctionDecl *FD, const CFGBlock &B,
                          const State &St) {
  // Where the path leaves: its return statement, else the closing brace.
  SourceLocation End;
  for (auto E = B.rbegin(); E != B.rend(); ++E)
    if (auto CS = E->getAs<CFGStmt>()) {
      if (isa<ReturnStmt>(CS->getStmt()))
        End = CS->getStmt()->getBeginLoc();
      break;
    }
  if (End.isInvalid())
    if (const auto *Body = dyn_cast<CompoundStmt>(FD->getBody()))
      End = Body->getRBracLoc();
  for (const auto &[V, I] : St.Items) {
    if (I.Queued.isValid()) {
      reportQueuedAtEnd(FD, V, I, End, false);
      continue;
    }
    if (!I.NeedsDestroy || !Reported.insert({V, 2}).second)
      continue;
    SourceLocation Loc = Ctx.User.reportLocation(I.Init);
    if (Loc.isInvalid())
      continue;
    const std::string &W = Names[V];
    if (Ctx.Report.warn(
            Id, Loc,
            "on-stack work item '" + W + "' is initialised for the stack "
            "here but not destroyed on every path: with "
            "CONFIG_DEBUG_OBJECTS_WORK its debug object outlives the stack "
            "frame; call " + I.Destroy + "(&" + W + ") before '" +
            FD->getName() + "' returns"))
      Ctx.Report.note(Ctx.User.reportLocation(End),
                      "this path returns without " + I.Destroy.str() +
                          "()");
  }
}

void OnStackCheck::reportPlainInit(const CallExpr *Init, const VarDecl *V) {
  if (!Reported.insert({V, 1}).second)
    return;
  SourceLocation At;
  StringRef Macro = userMacro(Init->getBeginLoc(), At);
  SourceLocation Loc = Ctx.User.reportLocation(At);
  if (Loc.isInvalid())
    return;
  const api::OnStackInit *Row = api::findOnStackInit(Macro);
  std::vector<FixItHint> Fix;
  CharSourceRange Name;
  if (Row && At.isFileID()) {
    Name = CharSourceRange::getTokenRange(At, At);
    Fix.push_back(FixItHint::CreateReplacement(Name, Row->OnStack));
  }
  std::string Written = Macro.empty() ? "INIT_WORK" : Macro.str();
  std::string OnStack = Row ? Row->OnStack.str() : Written + "_ONSTACK";
  std::string Destroy = Row ? Row->Destroy.str() : "destroy_work_on_stack";
  const std::string &W = Names[V];
  if (Ctx.Report.warn(
          Id, Loc,
          "work item '" + W + "' is on the stack of '" +
              Current->getName() + "' but initialised with " + Written +
              "(): with CONFIG_DEBUG_OBJECTS_WORK the kernel warns \"object "
              "is on stack, but NOT annotated\" and tracks it wrongly; use " +
              OnStack + "() and call " + Destroy + "() before it goes out "
              "of scope",
          Name, Fix))
    Ctx.Report.note(V->getLocation(), "'" + V->getName().str() +
                                          "' is a local variable of '" +
                                          Current->getName().str() + "'");
}

void OnStackCheck::reportQueuedAtEnd(const FunctionDecl *FD, const VarDecl *V,
                                     const Item &I, SourceLocation End,
                                     bool AtDestroy) {
  if (!Reported.insert({V, 3}).second)
    return;
  SourceLocation Loc = Ctx.User.reportLocation(End);
  if (Loc.isInvalid())
    return;
  const std::string &W = Names[V];
  if (Ctx.Report.warn(
          Id, Loc,
          "'" + FD->getName() + "' " +
              (AtDestroy ? "destroys on-stack work item '" + W +
                               "' while it may still be queued or running"
                         : "returns while on-stack work item '" + W +
                               "' may still be queued or running") +
              ": the worker would run its handler on a dead stack frame "
              "(use after return); wait for it first (flush_work(), "
              "cancel_work_sync(), or the completion its handler signals)"))
    Ctx.Report.note(Ctx.User.reportLocation(I.Queued),
                    "'" + W + "' is queued here, and nothing waits for it "
                    "on the path that follows");
}

} // namespace

std::unique_ptr<Check> createOnStackCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<OnStackCheck>(Id, Ctx);
}

} // namespace wqcheck
