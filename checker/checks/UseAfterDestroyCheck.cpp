//===- UseAfterDestroyCheck.cpp - wq-use-after-destroy ---------------------===//
//
// Reports a workqueue used after destroy_workqueue() freed it on every path
// of the same function that reaches the use: queue_work()/queue_delayed_work()/mod_delayed_work()
// on it (WQ_QUEUE_WORK rows with a queue argument), flush_workqueue(),
// drain_workqueue(), or a second destroy_workqueue() (WQ_FLUSH_QUEUE,
// WQ_DRAIN_QUEUE), typically an error path that destroys the queue and
// then jumps to a label that destroys it again.
//
// The queue is named by its field or global and the variable it is reached
// from (`priv->wq` with priv): a new value stored in either (`priv->wq =
// NULL`, `priv->wq = alloc_workqueue(..)`, `priv = next`) ends the fact.
// A must-analysis over the CFG, split by status locals (PathValues.h): a
// use reached also by a path without the destroy (`if (err)
// destroy_workqueue(wq); ... if (!err) queue_work(wq, ..)`) is not
// reported, whether or not that path can run.  The note shows the destroy.
//
// Docs: docs/checks/wq-use-after-destroy.md.
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
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// A queue destroyed on some path to here.
struct Dead {
  WorkKey Queue;
  const VarDecl *Base = nullptr; ///< the variable it is reached from
  SourceLocation Loc;            ///< the destroy
  std::string Text;
  bool same(const Dead &O) const {
    return Queue == O.Queue && Base == O.Base;
  }
  bool operator==(const Dead &O) const { return same(O) && Loc == O.Loc; }
};

struct State {
  bool Reached = false;
  std::vector<Dead> Destroyed;
  bool operator==(const State &O) const {
    return Reached == O.Reached && Destroyed == O.Destroyed;
  }
};

/// Destroyed on every path: a use after it is evidence, not a guess about
/// which paths can run together.
State join(const State &A, const State &B) {
  State R;
  R.Reached = true;
  for (const Dead &D : A.Destroyed)
    if (llvm::any_of(B.Destroyed, [&](const Dead &X) { return X.same(D); }))
      R.Destroyed.push_back(D);
  return R;
}

class UseAfterDestroyCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void transfer(const Stmt *S, State &St, bool Report);

  ASTContext *AST = nullptr;
  std::set<SourceLocation> Reported;
};



void UseAfterDestroyCheck::transfer(const Stmt *S, State &St, bool Report) {
  // A new value in the queue's slot or in the variable it is reached from.
  auto Kill = [&](const Expr *LHS) {
    const Expr *L = LHS->IgnoreParenCasts();
    auto K = workKeyOf(L);
    const VarDecl *Base = WorkFacts::rootVar(L);
    const auto *Ref = dyn_cast<DeclRefExpr>(L);
    const VarDecl *Whole = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    llvm::erase_if(St.Destroyed, [&](const Dead &D) {
      return (K && D.Queue == *K && D.Base == Base) ||
             (Whole && D.Base == Whole);
    });
  };
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->isAssignmentOp())
      Kill(B->getLHS());
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        llvm::erase_if(St.Destroyed,
                       [&](const Dead &X) { return X.Base == V; });
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  int QArg = -1;
  if (const api::QueueWork *Q = api::findQueueWork(Name))
    QArg = Q->QueueArg;
  if (QArg < 0)
    QArg = api::flushQueueArg(Name);
  if (QArg < 0)
    QArg = api::drainQueueArg(Name);
  if (QArg < 0 || unsigned(QArg) >= Call->getNumArgs())
    return;
  const Expr *Q = WorkFacts::drainedQueue(Call->getArg(QArg));
  auto K = workKeyOf(Q);
  if (!K)
    return;
  const VarDecl *Base = WorkFacts::rootVar(Q);
  if (Report)
    for (const Dead &D : St.Destroyed) {
      if (!(D.Queue == *K && D.Base == Base))
        continue;
      SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
      if (Loc.isInvalid() || !Reported.insert(Loc).second)
        break;
      std::string Api = WorkFacts::calledAs(Call, *AST);
      bool Again = api::queueDestroyArg(Name) >= 0;
      std::string Message =
          "'" + Api + "' " +
          (Again ? std::string("destroys workqueue '") + D.Text +
                       "' a second time"
                 : std::string("uses workqueue '") + D.Text + "'") +
          " after 'destroy_workqueue' freed it on every path to here (use "
          "after free of the workqueue_struct); " +
          (Again ? "destroy it once, on the path that owns it, or clear "
                   "the pointer after the destroy and test it"
                 : "destroy the queue only after its last use, or clear "
                   "the pointer after the destroy and test it");
      if (Ctx.Report.warn(Id, Loc, Message))
        Ctx.Report.note(D.Loc, "'" + D.Text + "' is destroyed here");
      break;
    }
  if (api::queueDestroyArg(Name) >= 0) {
    Dead D{*K, Base, Ctx.User.reportLocation(Call->getBeginLoc()), WorkFacts::spelledAs(Q, *AST)};
    llvm::erase_if(St.Destroyed, [&](const Dead &X) { return X.same(D); });
    St.Destroyed.push_back(D);
  }
}

void UseAfterDestroyCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  for (const Decl *D : Context.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        Ctx.User.reportLocation(FD->getLocation()).isInvalid())
      continue;
    // Only functions that destroy a queue.
    bool Destroys = false;
    forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (Callee && Callee->getIdentifier() &&
          api::queueDestroyArg(Callee->getName()) >= 0)
        Destroys = true;
      return !Destroys;
    });
    if (!Destroys)
      continue;
    solveAndReport<State>(
        FD, Context,
        [&](const CFGBlock &B, State &S, bool Report) {
          forEachStmt(B, [&](const Stmt *St) { transfer(St, S, Report); });
        },
        join);
  }
}

} // namespace

std::unique_ptr<Check> createUseAfterDestroyCheck(StringRef Id,
                                                  CheckContext &Ctx) {
  return std::make_unique<UseAfterDestroyCheck>(Id, Ctx);
}

} // namespace wqcheck
