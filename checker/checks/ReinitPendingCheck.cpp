//===- ReinitPendingCheck.cpp - wq-reinit-pending --------------------------===//
//
// Reports INIT_WORK()/INIT_DELAYED_WORK() (every INIT macro calls
// __init_work() first: WQ_WORK_INIT_MARK) on a work item that may still be
// pending.  INIT rewrites work->data (the PENDING bit and the pool) and
// work->entry, and INIT_DELAYED_WORK the timer: on a queued item that
// corrupts the worklist or the timer wheel ("ODEBUG: init active object",
// list_add corruption; 2021 usb-otg-fsm "Fix hrtimer list corruption",
// 2024 iwlwifi "init vif works only once").  Two forms, each on evidence:
//
//  1. In one function, a path from a queue of the item (WQ_QUEUE_WORK) to
//     its INIT with no waiting stop (WQ_WORK_STOP that waits) of it in
//     between, on the same object (no new value in the variable it is
//     reached from).  The note shows the queue.
//  2. A function that runs again and again -- a hard-IRQ handler, timer,
//     hrtimer, tasklet or NAPI poll registered in this file
//     (WQ_ATOMIC_CALLBACK_ARG/FIELD rows) -- initialises an item of an
//     object that outlives the call (a global, or an object reached from a
//     parameter, not one it allocates) and then queues it: the next run
//     re-initialises it while the first queueing may still be pending
//     (6.1 drivers/scsi/aha152x.c intr()).  The notes show the
//     registration and the queue.  The same in the handler of another work
//     item is --level=possible: a work handler runs again only when queued
//     again, which the file may serialise.
// Not reported: an item stopped by a waiting cancel before the INIT on
// every path; a function that tests the PENDING bit (work_pending(),
// delayed_work_pending()), calls work_busy(), or keeps its IRQ off until
// the work runs (disable_irq_nosync(); WQ_REINIT_GUARD rows); an RCU
// callback or URB completion (run once per call_rcu()/submission); the
// handler's own item (re-targeting a running item, not a pending one).
//
// Docs: docs/checks/wq-reinit-pending.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/UserCodeVisitor.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include <functional>
#include <map>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// A work item of one object: its key and the variable it is reached
/// from (null for a global).
struct Item {
  WorkKey Key;
  const VarDecl *Base = nullptr;
  bool operator==(const Item &O) const {
    return Base == O.Base && namesSameItem(Key, O.Key);
  }
};

struct Event {
  Item It;
  SourceLocation Loc;
  std::string Text;
  bool Delayed = false; ///< queued with a delay argument: a delayed work
  /// The item was initialised earlier on the path to the queue.
  bool AfterInit = false;
  bool operator==(const Event &O) const { return It == O.It && Loc == O.Loc; }
};

struct State {
  bool Reached = false;
  std::vector<Event> Queued;  ///< queued on some path, not waited for since
  std::vector<Event> Inited;  ///< initialised on some path (form 2)
  std::vector<Item> Stopped;  ///< waited for on every path
  std::vector<Item> SeenInit; ///< initialised on some path
  std::vector<Item> InitedAll; ///< initialised on every path (form 3)
  bool operator==(const State &O) const {
    return Reached == O.Reached && Queued == O.Queued && Inited == O.Inited &&
           Stopped == O.Stopped && SeenInit == O.SeenInit &&
           InitedAll == O.InitedAll;
  }
};

State join(const State &A, const State &B) {
  State R = A;
  R.Reached = true;
  for (const Event &E : B.Queued)
    if (!llvm::is_contained(R.Queued, E))
      R.Queued.push_back(E);
  for (const Event &E : B.Inited)
    if (!llvm::is_contained(R.Inited, E))
      R.Inited.push_back(E);
  llvm::erase_if(R.Stopped, [&](const Item &I) {
    return !llvm::is_contained(B.Stopped, I);
  });
  if (!A.Reached)
    R.InitedAll = B.InitedAll;
  else if (B.Reached)
    llvm::erase_if(R.InitedAll, [&](const Item &I) {
      return !llvm::is_contained(B.InitedAll, I);
    });
  for (const Item &I : B.SeenInit)
    if (!llvm::is_contained(R.SeenInit, I))
      R.SeenInit.push_back(I);
  return R;
}

/// Why a function runs again and again.
struct Repeats {
  std::string What;      ///< "a hard-IRQ handler", "the handler of 'x'"
  SourceLocation Where;  ///< its registration
  std::string How;       ///< "registered here with 'request_irq'"
  bool Evidence = true;  ///< false: a work handler (--level=possible)
  std::vector<WorkKey> Own; ///< the items it is the handler of
};

class ReinitPendingCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

  void addRepeating(const FunctionDecl *Fn, api::CallbackContext C,
                    SourceLocation Where);

private:
  void analyse(const FunctionDecl *FD);
  void transfer(const FunctionDecl *FD, const Stmt *S, State &St, bool Report);
  bool persistent(const FunctionDecl *FD, const Item &I) const;
  /// The file initialises K at a place other than Here (an INIT, a
  /// static initialiser, a helper that initialises it).
  bool initialisedElsewhere(const WorkKey &K, SourceLocation Here) const;
  bool sameLine(SourceLocation A, SourceLocation B) const;
  bool guarded(const FunctionDecl *FD);
  std::string initName(const CallExpr *Init) const;
  void reportQueuedBefore(const CallExpr *Init, const Event &Q);
  void reportRepeating(const FunctionDecl *FD, const Event &Init,
                       const Event &Queue, const Repeats &R);
  /// Form 3: K's own handler queues it again, and nothing in the file
  /// stops it (no waiting or non-waiting cancel or flush of it, no stop
  /// through a call): once queued it may be pending at any time.
  const FunctionDecl *selfRequeuingNeverStopped(const WorkKey &K) const;
  void reportRestart(const FunctionDecl *FD, const Event &Init,
                     const Event &Queue, const FunctionDecl *Handler);

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  std::map<const FunctionDecl *, Repeats> Repeating;
  std::map<const FunctionDecl *, bool> Guarded;
  std::set<SourceLocation> Reported;
};

/// Callbacks registered in the user's code that run again and again.
class RepeatFinder : public UserCodeVisitor<RepeatFinder> {
public:
  RepeatFinder(ReinitPendingCheck &C, UserCode &User)
      : UserCodeVisitor(User), C(C) {}
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    if (const api::CallbackArg *R = api::findCallbackArg(Callee->getName()))
      if (R->ArgIndex < Call->getNumArgs())
        C.addRepeating(functionNamedBy(Call->getArg(R->ArgIndex)), R->Context,
                       Call->getBeginLoc());
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() != BO_Assign)
      return true;
    const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
    const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
    const RecordDecl *RD = F ? F->getParent() : nullptr;
    if (F && F->getIdentifier() && RD && RD->getIdentifier())
      if (const api::CallbackField *R =
              api::findCallbackField(RD->getName(), F->getName()))
        C.addRepeating(functionNamedBy(B->getRHS()), R->Context,
                       B->getBeginLoc());
    return true;
  }

private:
  ReinitPendingCheck &C;
};

void ReinitPendingCheck::addRepeating(const FunctionDecl *Fn,
                                      api::CallbackContext C,
                                      SourceLocation Where) {
  // Once per call_rcu() or URB submission: the callback itself is what
  // re-arms it, so it cannot overlap its own queueing.  A mailbox rx
  // callback runs once per message, and the message may be the object it
  // reaches (6.1 mtk-mdp3-cmdq.c mdp_handle_cmdq_callback(): each command
  // packet completes once, `cmd = container_of(data->pkt, ..)`): whether
  // it runs again for the same object is not seen.
  if (!Fn || C == api::CallbackContext::RcuCallback ||
      C == api::CallbackContext::UrbComplete ||
      C == api::CallbackContext::MboxRx)
    return;
  const FunctionDecl *Def = Facts->userDefinition(Fn);
  if (!Def)
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Where);
  std::string How;
  if (Loc.isValid())
    How = "'" + Def->getName().str() + "' is registered here as a " +
          api::describe(C).str() + ", which runs again on every event";
  Repeating.try_emplace(Def, Repeats{"a " + api::describe(C).str(), Loc, How,
                                     true, {}});
}

bool ReinitPendingCheck::guarded(const FunctionDecl *FD) {
  auto [It, New] = Guarded.try_emplace(FD, false);
  if (!New)
    return It->second;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (const NamedDecl *D = Ref->getDecl(); D && D->getIdentifier() &&
                                               api::isReinitGuard(D->getName()))
        It->second = true;
    return !It->second;
  });
  return It->second;
}

/// The object outlives a call of FD: a global, or reached from a
/// parameter or a local that is not set from an allocation in FD.
bool ReinitPendingCheck::persistent(const FunctionDecl *FD,
                                    const Item &I) const {
  if (!I.Base)
    return isa_and_nonnull<VarDecl>(I.Key.Root); // a global's item
  if (isa<ParmVarDecl>(I.Base))
    return I.Base->getType()->isPointerType();
  if (!I.Base->getType()->isPointerType())
    return I.Base->hasGlobalStorage(); // a struct on the stack is fresh
  bool Fresh = false;
  // Filled in by a call (`accept(l, &new_obj)`): an object from
  // elsewhere, maybe a new one each time (6.1 net/smc/af_smc.c
  // smc_tcp_listen_work()).
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->getOpcode() == UO_AddrOf)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenCasts());
          Ref && Ref->getDecl() == I.Base)
        Fresh = true;
    return !Fresh;
  });
  if (Fresh)
    return false;
  auto FromAllocation = [&](const Expr *E) {
    return E && Facts->freshAllocation(E->IgnoreParenCasts());
  };
  if (FromAllocation(I.Base->getInit()))
    return false;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S);
        B && B->getOpcode() == BO_Assign)
      if (const auto *Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts());
          Ref && Ref->getDecl() == I.Base && FromAllocation(B->getRHS()))
        Fresh = true;
    return !Fresh;
  });
  return !Fresh;
}

/// The INIT macro's store and its __init_work() call are reported at
/// different columns of one line.
bool ReinitPendingCheck::sameLine(SourceLocation A, SourceLocation B) const {
  const SourceManager &SM = AST->getSourceManager();
  return A.isValid() && B.isValid() && SM.getFileID(A) == SM.getFileID(B) &&
         SM.getSpellingLineNumber(A) == SM.getSpellingLineNumber(B);
}

bool ReinitPendingCheck::initialisedElsewhere(const WorkKey &K,
                                              SourceLocation Here) const {
  for (const auto &[Key, Locs] : Facts->Inits)
    if (namesSameItem(Key, K))
      for (SourceLocation L : Locs)
        if (!sameLine(L, Here) && !Facts->OpaqueInits.count(L))
          return true;
  return false;
}

std::string ReinitPendingCheck::initName(const CallExpr *Init) const {
  const SourceManager &SM = AST->getSourceManager();
  SourceLocation At = SM.getExpansionLoc(Init->getBeginLoc());
  StringRef Name = Lexer::getSourceText(CharSourceRange::getTokenRange(At, At),
                                        SM, AST->getLangOpts());
  return Name.starts_with("INIT_") ? Name.str() : "INIT_WORK";
}

/// `&work[n].work` with n a variable (6.1/6.12 drivers/rapidio/rio.c
/// rio_init_mports(), first 6.12 run): one key, many items.
bool variableIndex(const Expr *E, const ASTContext &AST) {
  bool Found = false;
  forEachSubStmt(E, [&](const Stmt *S) {
    Expr::EvalResult R;
    if (const auto *A = dyn_cast<ArraySubscriptExpr>(S))
      if (!A->getIdx()->EvaluateAsInt(R, AST))
        Found = true;
    return !Found;
  });
  return Found;
}

void ReinitPendingCheck::transfer(const FunctionDecl *FD, const Stmt *S,
                                  State &St, bool Report) {
  auto Forget = [&](const VarDecl *V) {
    llvm::erase_if(St.Queued, [&](const Event &E) { return E.It.Base == V; });
    llvm::erase_if(St.Inited, [&](const Event &E) { return E.It.Base == V; });
    llvm::erase_if(St.Stopped, [&](const Item &I) { return I.Base == V; });
    llvm::erase_if(St.SeenInit, [&](const Item &I) { return I.Base == V; });
  };
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->isAssignmentOp())
      if (const auto *Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
          Forget(V);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D))
        Forget(V);
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  // `smc_clcsock_accept(lsmc, &new_smc)` (6.1 net/smc/af_smc.c
  // smc_tcp_listen_work()): a new object in the variable.
  for (const Expr *A : Call->arguments())
    if (const auto *U = dyn_cast<UnaryOperator>(A->IgnoreParenCasts());
        U && U->getOpcode() == UO_AddrOf)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
            V && V->getType()->isPointerType())
          Forget(V);
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  auto ItemOf = [&](unsigned Arg) -> std::optional<Item> {
    if (Arg >= Call->getNumArgs())
      return std::nullopt;
    const Expr *E = Call->getArg(Arg);
    auto K = workKeyOf(E);
    if (!K || variableIndex(E, *AST))
      return std::nullopt;
    return Item{*K, WorkFacts::baseVar(E)};
  };
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (const api::QueueWork *Q = api::findQueueWork(Name)) {
    auto I = ItemOf(Q->WorkArg);
    if (!I || Loc.isInvalid())
      return;
    Event E{*I, Loc, WorkFacts::spelledAs(Call->getArg(Q->WorkArg), *AST),
            Q->DelayArg >= 0, llvm::is_contained(St.SeenInit, *I)};
    if (Report)
      if (auto R = Repeating.find(FD); R != Repeating.end())
        for (const Event &Init : St.Inited)
          if (Init.It == *I)
            reportRepeating(FD, Init, E, R->second);
    // Form 3: initialised on every path here, before the queue, in a
    // function that is no setup code, of an item that keeps itself
    // queued and that nothing stops (6.1 drivers/usb/common/usb-otg-fsm.c
    // otg_start_hnp_polling(), bf88fef0b6f1, bench/realbugs 34).
    if (Report && !Repeating.count(FD) && llvm::is_contained(St.InitedAll, *I) &&
        !Facts->SetupFunctions.count(FD) && !Facts->Constructors.count(FD))
      if (const FunctionDecl *H = selfRequeuingNeverStopped(I->Key))
        for (const Event &Init : St.Inited)
          if (Init.It == *I)
            reportRestart(FD, Init, E, H);
    if (!llvm::is_contained(St.Queued, E))
      St.Queued.push_back(E);
    return;
  }
  if (const api::WorkStop *W = api::findWorkStop(Name); W && W->Waits) {
    auto I = ItemOf(W->WorkArg);
    if (!I)
      return;
    llvm::erase_if(St.Queued, [&](const Event &E) {
      return namesSameItem(E.It.Key, I->Key);
    });
    if (!llvm::is_contained(St.Stopped, *I))
      St.Stopped.push_back(*I);
    return;
  }
  if (const api::WorkInitMark *M = api::findWorkInitMark(Name)) {
    auto I = ItemOf(M->WorkArg);
    if (!I || Loc.isInvalid())
      return;
    // A re-initialisation: the item was initialised before the queue on
    // this path, or the file initialises it somewhere else too.  Else
    // this INIT is its first one, and the queue before it is wq-uninit's
    // finding (6.1 wqs_usb, wqs_seed: queue, then the only INIT).
    if (Report)
      for (const Event &Q : St.Queued)
        if (Q.It == *I && (Q.AfterInit || initialisedElsewhere(I->Key, Loc))) {
          reportQueuedBefore(Call, Q);
          break;
        }
    if (!llvm::is_contained(St.SeenInit, *I))
      St.SeenInit.push_back(*I);
    if (!llvm::is_contained(St.InitedAll, *I))
      St.InitedAll.push_back(*I);
    // Form 2 needs an object that outlives the call and no wait before.
    if (!llvm::is_contained(St.Stopped, *I) && persistent(FD, *I) &&
        !Facts->ConstructorInits.count(Loc)) {
      Event E{*I, Loc, WorkFacts::spelledAs(Call->getArg(M->WorkArg), *AST)};
      if (!llvm::is_contained(St.Inited, E))
        St.Inited.push_back(E);
    }
    llvm::erase_if(St.Queued, [&](const Event &E) { return E.It == *I; });
  }
}

void ReinitPendingCheck::reportQueuedBefore(const CallExpr *Init,
                                            const Event &Q) {
  SourceLocation Loc = Ctx.User.reportLocation(Init->getBeginLoc());
  if (Loc.isInvalid() || !Reported.insert(Loc).second)
    return;
  std::string Api = initName(Init);
  if (Ctx.Report.warn(
          Id, Loc,
          "'" + Api + "' re-initialises work item '" + Q.Text +
              "', which may still be pending: it is queued earlier on a path "
              "to here, and nothing waits for it in between; INIT on a "
              "queued item corrupts the worklist (and, for a delayed work, "
              "the armed timer); initialise it once where its object is set "
              "up, or stop it with " +
              (Q.Delayed ? "cancel_delayed_work_sync"
                         : WorkFacts::syncCancelFor(Q.It.Key).str()) +
              "() first"))
    Ctx.Report.note(Q.Loc, "'" + Q.Text + "' is queued here");
}

void ReinitPendingCheck::reportRepeating(const FunctionDecl *FD,
                                         const Event &Init, const Event &Queue,
                                         const Repeats &R) {
  if (llvm::any_of(R.Own, [&](const WorkKey &K) {
        return namesSameItem(K, Init.It.Key);
      }))
    return; // a handler re-targeting its own, running, item
  if (guarded(FD) || !Reported.insert(Init.Loc).second)
    return;
  std::string Message =
      "'" + FD->getName().str() + "' runs again and again as " + R.What +
      ", and re-initialises work item '" + Queue.Text +
      "' of an object that outlives the call before queueing it: a run "
      "that comes before the work has run re-initialises a pending item "
      "(worklist or timer corruption); initialise it once where its object "
      "is set up (probe, init), and only queue it here";
  bool Shown =
      R.Evidence
          ? Ctx.Report.warn(Id, Init.Loc, Message)
          : Ctx.Report.possible(
                Id, Init.Loc, Message,
                "a work handler runs again only when its own item is queued "
                "again, which the file may order after this work has run");
  if (!Shown)
    return;
  if (R.Where.isValid())
    Ctx.Report.note(R.Where, R.How);
  Ctx.Report.note(Queue.Loc, "'" + Queue.Text + "' is queued here");
}

const FunctionDecl *
ReinitPendingCheck::selfRequeuingNeverStopped(const WorkKey &K) const {
  for (const WorkKey &A : aliasesOf(K))
    if (auto U = Facts->Uses.find(A); U != Facts->Uses.end())
      for (const WorkUse &Use : U->second)
        if (!Use.Queues)
          return nullptr;
  // A function of another file given the struct may stop it; a static
  // inline wrapper of a header (`otg_drv_vbus(fsm, 1)` -> fsm->ops, whose
  // body the checker skips) is taken not to.
  bool OpaqueStop = false;
  for (const FunctionDecl *F : Facts->functions())
    forEachSubStmt(F->getBody(), [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = Call->getDirectCallee();
            Callee && !Callee->isInlineSpecified())
          for (const WorkKey &O : Facts->opaqueKeys(Call))
            OpaqueStop |= namesSameItem(O, K);
      return !OpaqueStop;
    });
  if (OpaqueStop)
    return nullptr;
  // A handler that re-initialises the item on its way to the re-queue
  // re-targets its own, running, item: a step of a state machine, not a
  // pending item (6.1 drivers/block/rbd.c rbd_img_schedule(), reached
  // from rbd_img_handle_request_work(); the whole-tree files).
  // So a re-queue counts only in a function (the handler or one it calls)
  // that does not itself initialise the item.
  std::set<const FunctionDecl *> Seen;
  std::function<bool(const FunctionDecl *)> RequeuesBare =
      [&](const FunctionDecl *G) {
        if (!G || !G->getBody() || !Seen.insert(G).second)
          return false;
        bool Inits = false, Queues = false, Deeper = false;
        std::vector<const FunctionDecl *> Callees;
        forEachSubStmt(G->getBody(), [&](const Stmt *S) {
          const auto *Call = dyn_cast<CallExpr>(S);
          const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
          if (!F || !F->getIdentifier())
            return true;
          if (const FunctionDecl *Def = Facts->userDefinition(F)) {
            Callees.push_back(Def);
            return true;
          }
          if (const api::WorkInitMark *M = api::findWorkInitMark(F->getName()))
            if (M->WorkArg < Call->getNumArgs())
              if (auto W = workKeyOf(Call->getArg(M->WorkArg)))
                Inits |= namesSameItem(*W, K);
          if (const api::QueueWork *Q = api::findQueueWork(F->getName()))
            if (Q->WorkArg < Call->getNumArgs())
              if (auto W = workKeyOf(Call->getArg(Q->WorkArg)))
                Queues |= namesSameItem(*W, K);
          return true;
        });
        if (Queues && !Inits)
          return true;
        for (const FunctionDecl *C : Callees)
          Deeper |= RequeuesBare(C);
        return Deeper;
      };
  for (const FunctionDecl *H : Facts->handlersOf(K))
    if (const FunctionDecl *Def = Facts->userDefinition(H);
        Def && RequeuesBare(Def))
      return H;
  return nullptr;
}

void ReinitPendingCheck::reportRestart(const FunctionDecl *FD,
                                       const Event &Init, const Event &Queue,
                                       const FunctionDecl *Handler) {
  if (guarded(FD) || !persistent(FD, Init.It) ||
      !Reported.insert(Init.Loc).second)
    return;
  std::string Message =
      "'" + FD->getName().str() + "' re-initialises work item '" +
      Queue.Text + "' and queues it, but its handler '" +
      Handler->getName().str() + "' queues it again and nothing in this "
      "file stops it: once started it may be pending whenever '" +
      FD->getName().str() + "' runs again, and the INIT then corrupts the "
      "worklist (and, for a delayed work, the armed timer); initialise it "
      "once where its object is set up, and only queue it here";
  // That FD runs again is the evidence: the file calls it or hands it out
  // (a state machine step, an ops callback).  A function only other files
  // call may run once per object, as a second step of its setup (6.1
  // lan966x_stats_init() and sparx_stats_init(), called once from probe in
  // another file; allmodconfig corpus): only possible.
  bool Printed =
      Facts->referencedInFile(FD)
          ? Ctx.Report.warn(Id, Init.Loc, Message)
          : Ctx.Report.possible(
                Id, Init.Loc, Message,
                "nothing in this file calls '" + FD->getName().str() +
                    "' or hands it out; whether it runs more than once "
                    "per object is not seen");
  if (!Printed)
    return;
  Ctx.Report.note(Queue.Loc, "'" + Queue.Text + "' is queued here");
  for (const WorkKey &A : aliasesOf(Init.It.Key))
    if (auto U = Facts->Uses.find(A); U != Facts->Uses.end())
      for (const WorkUse &Use : U->second)
        if (Use.Queues && Use.Loc.isValid() &&
            Handler->getSourceRange().fullyContains(Use.Loc)) {
          Ctx.Report.note(Use.Loc, "its handler '" +
                                       Handler->getName().str() +
                                       "' queues it again here");
          return;
        }
}

void ReinitPendingCheck::analyse(const FunctionDecl *FD) {
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(FD, St, S, Report); });
      },
      join);
}

void ReinitPendingCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
  RepeatFinder(*this, Ctx.User).traverseUserCode(Context);
  // Work handlers run again when their item is queued again.
  for (const auto &[K, Hs] : Facts->Handlers)
    for (const FunctionDecl *H : Hs)
      if (const FunctionDecl *Def = Facts->userDefinition(H)) {
        auto [It, New] = Repeating.try_emplace(
            Def, Repeats{"the handler of work item '" +
                             WorkFacts::spell(K, nullptr) + "'",
                         SourceLocation(), "", false, {}});
        It->second.Own.push_back(K);
      }
  for (const FunctionDecl *FD : Facts->functions()) {
    // Only functions that initialise a work item.
    bool Inits = false;
    forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
      if (Callee && Callee->getIdentifier() &&
          api::findWorkInitMark(Callee->getName()))
        Inits = true;
      return !Inits;
    });
    if (Inits)
      analyse(FD);
  }
}

} // namespace

std::unique_ptr<Check> createReinitPendingCheck(StringRef Id,
                                                CheckContext &Ctx) {
  return std::make_unique<ReinitPendingCheck>(Id, Ctx);
}

} // namespace wqcheck
