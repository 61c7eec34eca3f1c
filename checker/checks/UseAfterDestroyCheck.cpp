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
// Second form, a queue destroyed while a source that queues on it is live:
// the function destroys the queue on every path to a later stop of a
// timer, hrtimer, tasklet or URB (WQ_CALLBACK_STOP) whose callback queues
// on that queue, or of IRQs (WQ_SOURCE_STOP rows of Source Irq) while one
// of the file's hard-IRQ handlers queues on it: the function itself says
// the source runs until that stop, and a queue_work() in between uses the
// freed queue.  Not reported: a stop of the same source before the
// destroy, a callback that queues only under a test of a field the
// destroying function writes (a "stopping" flag), and setup functions
// (their stops are error paths of sources that may never have run).
//
// Docs: docs/checks/wq-use-after-destroy.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkItems.h"
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
  /// Sources stopped before the destroy (on some path: a later stop of
  /// one of them is not evidence), and whether IRQs were.
  std::set<WorkKey> StoppedBefore;
  bool IrqStoppedBefore = false;
  bool same(const Dead &O) const {
    return Queue == O.Queue && Base == O.Base;
  }
  bool operator==(const Dead &O) const { return same(O) && Loc == O.Loc; }
};

struct State {
  bool Reached = false;
  std::vector<Dead> Destroyed;
  /// Callback sources (timers, tasklets, URBs) stopped on some path, and
  /// IRQs.
  std::set<WorkKey> SourcesStopped;
  bool IrqStopped = false;
  bool operator==(const State &O) const {
    return Reached == O.Reached && Destroyed == O.Destroyed &&
           SourcesStopped == O.SourcesStopped && IrqStopped == O.IrqStopped;
  }
};

/// Destroyed on every path: a use after it is evidence, not a guess about
/// which paths can run together.
State join(const State &A, const State &B) {
  State R;
  R.Reached = true;
  for (const Dead &D : A.Destroyed)
    for (const Dead &X : B.Destroyed)
      if (X.same(D)) {
        Dead M = D;
        M.StoppedBefore.insert(X.StoppedBefore.begin(), X.StoppedBefore.end());
        M.IrqStoppedBefore |= X.IrqStoppedBefore;
        R.Destroyed.push_back(M);
        break;
      }
  R.SourcesStopped = A.SourcesStopped;
  R.SourcesStopped.insert(B.SourcesStopped.begin(), B.SourcesStopped.end());
  R.IrqStopped = A.IrqStopped || B.IrqStopped;
  return R;
}

class UseAfterDestroyCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void transfer(const FunctionDecl *FD, const Stmt *S, State &St,
                bool Report);
  /// Where Fn, or a function of the file it calls, queues on queue Q
  /// outside a test of a field that Stopper writes; invalid if nowhere.
  SourceLocation queuesOn(const FunctionDecl *Fn, const WorkKey &Q,
                          const FunctionDecl *Stopper);
  /// The fields Fn writes, directly or through the file's functions.
  const std::set<const ValueDecl *> &fieldsWritten(const FunctionDecl *Fn);
  /// Source: "timer", "IRQ", ...; Runs: what runs ("timer callback").
  void reportLiveSource(const FunctionDecl *FD, const Dead &D,
                        const FunctionDecl *Callback, SourceLocation QueueAt,
                        const std::string &Source, const std::string &Runs,
                        SourceLocation Stop, const WorkKey &SourceKey);

  ASTContext *AST = nullptr;
  std::set<SourceLocation> Reported;
  /// Built for units that destroy a queue.
  std::unique_ptr<WorkFacts> Facts;
  /// The file's hard-IRQ handlers (WQ_ATOMIC_CALLBACK_ARG, HardIrq).
  std::vector<const FunctionDecl *> IrqHandlers;
  std::map<const FunctionDecl *, std::set<const ValueDecl *>> Written;
  /// Destroys reported in the second form (one finding per destroy).
  std::set<SourceLocation> LiveReported;
  /// Where each callback source (by key), and IRQs (by an empty key), are
  /// stopped in the file's functions other than setup functions.
  std::map<WorkKey, std::vector<std::pair<const FunctionDecl *, SourceLocation>>>
      StopSites;
};

/// The fields read in the conditions of the `if`s and `?:`s of Body that
/// start before Before (an early `if (priv->stopping) return;` or an
/// enclosing `if (!priv->dead)`).
void fieldsTestedBefore(const Stmt *Body, SourceLocation Before,
                        const SourceManager &SM,
                        std::set<const ValueDecl *> &Out) {
  forEachSubStmt(Body, [&](const Stmt *S) {
    const Expr *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(S))
      Cond = If->getCond();
    else if (const auto *C = dyn_cast<ConditionalOperator>(S))
      Cond = C->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(S))
      Cond = W->getCond();
    if (Cond && SM.isBeforeInTranslationUnit(S->getBeginLoc(), Before))
      forEachSubStmt(Cond, [&](const Stmt *X) {
        if (const auto *M = dyn_cast<MemberExpr>(X))
          Out.insert(M->getMemberDecl());
        return true;
      });
    return true;
  });
}

const std::set<const ValueDecl *> &
UseAfterDestroyCheck::fieldsWritten(const FunctionDecl *Fn) {
  auto [It, New] = Written.try_emplace(Fn);
  if (!New)
    return It->second;
  std::set<const ValueDecl *> Out;
  std::set<const FunctionDecl *> Seen{Fn};
  std::vector<const FunctionDecl *> Work{Fn};
  while (!Work.empty()) {
    const FunctionDecl *F = Work.back();
    Work.pop_back();
    forEachSubStmt(F->getBody(), [&](const Stmt *S) {
      auto FieldOf = [&](const Expr *E) {
        E = E->IgnoreParenCasts();
        if (const auto *U = dyn_cast<UnaryOperator>(E);
            U && U->getOpcode() == UO_AddrOf)
          E = U->getSubExpr()->IgnoreParenCasts();
        if (const auto *M = dyn_cast<MemberExpr>(E))
          Out.insert(M->getMemberDecl());
      };
      if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
        FieldOf(B->getLHS());
      if (const auto *U = dyn_cast<UnaryOperator>(S);
          U && U->isIncrementDecrementOp())
        FieldOf(U->getSubExpr());
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        const FunctionDecl *C = Call->getDirectCallee();
        if (C && C->getIdentifier()) {
          // set_bit(F, &x->flags), atomic_set(&x->stopping, 1).
          int A = api::flagWriteArg(C->getName());
          if (A >= 0 && unsigned(A) < Call->getNumArgs())
            FieldOf(Call->getArg(A));
          if (const api::BitOp *B = api::findBitOp(C->getName());
              B && B->Effect != api::BitEffect::None && Call->getNumArgs() > 1)
            FieldOf(Call->getArg(1));
        }
        if (const FunctionDecl *D = C ? Facts->userDefinition(C) : nullptr)
          if (Seen.insert(D).second)
            Work.push_back(D);
      }
      return true;
    });
  }
  It = Written.find(Fn);
  It->second = std::move(Out);
  return It->second;
}

SourceLocation UseAfterDestroyCheck::queuesOn(const FunctionDecl *Fn,
                                              const WorkKey &Q,
                                              const FunctionDecl *Stopper) {
  const SourceManager &SM = AST->getSourceManager();
  const auto &Writes = fieldsWritten(Stopper);
  std::set<const FunctionDecl *> Seen{Fn};
  std::vector<const FunctionDecl *> Work{Fn};
  while (!Work.empty()) {
    const FunctionDecl *F = Work.back();
    Work.pop_back();
    SourceLocation Found;
    forEachSubStmt(F->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *C = Call ? Call->getDirectCallee() : nullptr;
      if (!C || Found.isValid())
        return Found.isInvalid();
      if (const FunctionDecl *D = Facts->userDefinition(C)) {
        if (Seen.insert(D).second)
          Work.push_back(D);
        return true;
      }
      const api::QueueWork *QW =
          C->getIdentifier() ? api::findQueueWork(C->getName()) : nullptr;
      if (!QW || QW->QueueArg < 0 || unsigned(QW->QueueArg) >= Call->getNumArgs())
        return true;
      auto K = workKeyOf(WorkFacts::drainedQueue(Call->getArg(QW->QueueArg)));
      if (!K || !(*K == Q))
        return true;
      // Gated by a flag the stopping function writes: not evidence.
      std::set<const ValueDecl *> Tested;
      fieldsTestedBefore(F->getBody(), Call->getBeginLoc(), SM, Tested);
      if (llvm::any_of(Tested, [&](const ValueDecl *V) { return Writes.count(V); }))
        return true;
      Found = Call->getBeginLoc();
      return false;
    });
    if (Found.isValid())
      return Found;
  }
  return {};
}

void UseAfterDestroyCheck::reportLiveSource(const FunctionDecl *FD,
                                            const Dead &D,
                                            const FunctionDecl *Callback,
                                            SourceLocation QueueAt,
                                            const std::string &Source,
                                            const std::string &Runs,
                                            SourceLocation Stop,
                                            const WorkKey &SourceKey) {
  if (!LiveReported.insert(D.Loc).second || Reported.count(D.Loc))
    return;
  // The source is also stopped by another function of the file (an
  // ndo_stop, a power-down the caller runs first: 6.12 drivers/bus/mhi/ep/
  // main.c mhi_ep_power_down()): the stop here may come after it is
  // already quiet.  Possible, not evidence.
  const std::pair<const FunctionDecl *, SourceLocation> *Other = nullptr;
  for (const auto &Site : StopSites[SourceKey])
    if (Site.first != FD) {
      Other = &Site;
      break;
    }
  std::string Message =
      "'destroy_workqueue' frees workqueue '" + D.Text + "' while the " +
      Runs + " '" + Callback->getName().str() +
      "', which queues on it, can still run: '" + FD->getName().str() +
      "' stops the " + Source +
      " only later, and a queue_work() in between uses the freed "
      "workqueue_struct (use after free); stop the " + Source +
      " before destroying the queue";
  if (!(Other ? Ctx.Report.possible(
                    Id, D.Loc, Message,
                    "the " + Source + " is also stopped in '" +
                        Other->first->getName().str() + "' (line " +
                        std::to_string(AST->getSourceManager()
                                           .getPresumedLoc(Other->second)
                                           .getLine()) +
                        "), which may run first")
              : Ctx.Report.warn(Id, D.Loc, Message)))
    return;
  Ctx.Report.note(Ctx.User.reportLocation(QueueAt),
                  "'" + Callback->getName().str() + "' queues on '" + D.Text +
                      "' here");
  Ctx.Report.note(Stop, "the " + Source + " is stopped only here, after the "
                                          "destroy");
}



void UseAfterDestroyCheck::transfer(const FunctionDecl *FD, const Stmt *S,
                                    State &St, bool Report) {
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
  // A source stopped after the destroy: it ran until here.
  bool Setup = Facts && Facts->SetupFunctions.count(FD);
  int CbArg = api::callbackStopArg(Name);
  if (CbArg >= 0 && unsigned(CbArg) < Call->getNumArgs()) {
    if (auto T = workKeyOf(Call->getArg(CbArg))) {
      auto Cb = Facts ? Facts->CallbackOf.find(*T) : decltype(Facts->CallbackOf.find(*T))();
      if (Report && !Setup && Facts && Cb != Facts->CallbackOf.end() && Cb->second)
        for (const Dead &D : St.Destroyed)
          if (!D.StoppedBefore.count(*T))
            if (SourceLocation Q = queuesOn(Cb->second, D.Queue, FD);
                Q.isValid())
            {
              std::string Src = Name.contains("urb")       ? "URB"
                                : Name.contains("tasklet") ? "tasklet"
                                : Name.contains("hrtimer") ? "hrtimer"
                                                           : "timer";
              reportLiveSource(FD, D, Cb->second, Q, Src,
                               Src == "URB" ? "URB completion handler"
                                            : Src + " callback",
                               Ctx.User.reportLocation(Call->getBeginLoc()), *T);
            }
      St.SourcesStopped.insert(*T);
    }
    return;
  }
  if (api::isIrqStop(Name)) {
    if (Report && !Setup && Facts)
      for (const Dead &D : St.Destroyed)
        if (!D.IrqStoppedBefore)
          for (const FunctionDecl *H : IrqHandlers)
            if (SourceLocation Q = queuesOn(H, D.Queue, FD); Q.isValid()) {
              reportLiveSource(FD, D, H, Q, "IRQ", "IRQ handler",
                               Ctx.User.reportLocation(Call->getBeginLoc()),
                               WorkKey{});
              break;
            }
    St.IrqStopped = true;
    return;
  }
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
    Dead D{*K, Base, Ctx.User.reportLocation(Call->getBeginLoc()),
           WorkFacts::spelledAs(Q, *AST), St.SourcesStopped, St.IrqStopped};
    llvm::erase_if(St.Destroyed, [&](const Dead &X) { return X.same(D); });
    St.Destroyed.push_back(D);
  }
}

void UseAfterDestroyCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  for (const Decl *D : Ctx.User.topLevelDecls(Context)) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
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
    if (!Facts) {
      Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
      for (const FunctionDecl *F : Facts->functions())
        forEachSubStmt(F->getBody(), [&](const Stmt *S) {
          const auto *Call = dyn_cast<CallExpr>(S);
          const FunctionDecl *C = Call ? Call->getDirectCallee() : nullptr;
          const api::CallbackArg *CB =
              C && C->getIdentifier() ? api::findCallbackArg(C->getName())
                                      : nullptr;
          if (C && C->getIdentifier() && !Facts->SetupFunctions.count(F)) {
            SourceLocation L = Ctx.User.reportLocation(Call->getBeginLoc());
            int Arg = api::callbackStopArg(C->getName());
            if (Arg >= 0 && unsigned(Arg) < Call->getNumArgs()) {
              if (auto T = workKeyOf(Call->getArg(Arg)))
                StopSites[*T].push_back({F, L});
            } else if (api::isIrqStop(C->getName())) {
              StopSites[WorkKey{}].push_back({F, L});
            }
          }
          if (CB && CB->Context == api::CallbackContext::HardIrq &&
              CB->ArgIndex < Call->getNumArgs())
            if (const FunctionDecl *H =
                    Facts->userDefinition(functionNamedBy(Call->getArg(CB->ArgIndex))))
              if (!llvm::is_contained(IrqHandlers, H))
                IrqHandlers.push_back(H);
          return true;
        });
    }
    solveAndReport<State>(
        FD, Context,
        [&](const CFGBlock &B, State &S, bool Report) {
          forEachStmt(B, [&](const Stmt *St) { transfer(FD, St, S, Report); });
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
