//===- FreeBeforeCancelCheck.cpp - wq-free-before-cancel ------------------===//
//
// Reports freeing an object that holds a live work item that was not
// stopped with a waiting call (cancel_work_sync(), cancel_delayed_work_sync(),
// flush_work(), disable_work_sync(), or destroying the only queue it runs
// on) on every path to the free, and queueing a work item after its
// container was freed.  When the handler runs after the free, it uses freed
// memory: "ODEBUG: free active ... object type: work_struct", KASAN.
//
// Live: for an object allocated in the function, queued earlier in it (or
// through a helper); for any other object (a parameter, drvdata, a list
// entry), queued anywhere in the file.  A work handler that frees its own
// container is correct and never reported.  A stop that comes before the
// timer or tasklet that re-queues the work item is stopped does not count.
//
// Driver teardown: a remove()/disconnect() callback whose driver data was
// allocated with devm_kzalloc() in probe() must stop the work items it
// holds (itself, through a helper, or through devm_work_autocancel() /
// a devm action), because devres frees the data right after the callback
// returns.
//
// Frees: WQ_FREE and WQ_FREE_PRIVATE (free_netdev() and netdev_priv()).
// Docs: docs/checks/wq-free-before-cancel.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/Dataflow.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <map>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

template <typename K, typename V>
void mergeFirst(std::map<K, V> &Into, const std::map<K, V> &From) {
  for (const auto &[Key, Value] : From)
    Into.emplace(Key, Value);
}

struct State {
  bool Reached = false;
  std::set<WorkKey> Stopped;                  ///< on every path
  std::map<WorkKey, SourceLocation> Async;    ///< non-waiting cancel, some path
  std::map<WorkKey, SourceLocation> Queued;   ///< queued here, some path
  std::map<const VarDecl *, SourceLocation> Fresh; ///< allocated here
  std::map<const VarDecl *, SourceLocation> Freed;

  bool operator==(const State &O) const {
    return Reached == O.Reached && Stopped == O.Stopped && Async == O.Async &&
           Queued == O.Queued && Fresh == O.Fresh && Freed == O.Freed;
  }
};

State join(const State &A, const State &B) {
  State R = A;
  std::set<WorkKey> Both;
  for (const WorkKey &K : A.Stopped)
    if (B.Stopped.count(K))
      Both.insert(K);
  R.Stopped = std::move(Both);
  mergeFirst(R.Async, B.Async);
  mergeFirst(R.Queued, B.Queued);
  mergeFirst(R.Fresh, B.Fresh);
  mergeFirst(R.Freed, B.Freed);
  return R;
}

const RecordDecl *pointee(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T->getAsRecordDecl();
}

const VarDecl *plainVar(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

class FreeBeforeCancelCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void checkFunction(const FunctionDecl *FD);
  void transfer(const FunctionDecl *FD, const Stmt *S, State &St,
                bool Report);
  void onFree(const FunctionDecl *FD, const CallExpr *Call, StringRef Name,
              const Expr *Obj, std::vector<const RecordDecl *> Types,
              State &St, bool Report);
  void checkTeardown();
  bool queuedInFile(const WorkKey &K) const;
  const WorkUse *firstQueue(const WorkKey &K) const;
  std::string handlerText(const WorkKey &K) const;

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  /// Types of netdev_priv() results: what free_netdev() frees with it.
  std::vector<const RecordDecl *> PrivateTypes;
};

bool FreeBeforeCancelCheck::queuedInFile(const WorkKey &K) const {
  return firstQueue(K) != nullptr;
}

const WorkUse *FreeBeforeCancelCheck::firstQueue(const WorkKey &K) const {
  auto It = Facts->Uses.find(K);
  if (It == Facts->Uses.end())
    return nullptr;
  for (const WorkUse &U : It->second)
    if (U.Queues)
      return &U;
  return nullptr;
}

std::string FreeBeforeCancelCheck::handlerText(const WorkKey &K) const {
  auto It = Facts->Handlers.find(K);
  return It == Facts->Handlers.end()
             ? std::string()
             : " (handler '" + It->second->getName().str() + "')";
}

void FreeBeforeCancelCheck::transfer(const FunctionDecl *FD, const Stmt *S,
                                     State &St, bool Report) {
  auto Assign = [&](const VarDecl *V, const Expr *Value) {
    St.Freed.erase(V);
    if (const CallExpr *Call = WorkFacts::allocationIn(Value))
      St.Fresh[V] = Ctx.User.reportLocation(Call->getBeginLoc());
    else
      St.Fresh.erase(V);
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit())
        Assign(V, V->getInit());
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->getOpcode() == BO_Assign)
      if (const VarDecl *V = plainVar(B->getLHS()))
        Assign(V, B->getRHS());
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  SourceLocation Here = Ctx.User.reportLocation(Call->getBeginLoc());

  if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
    for (const WorkKey &K : Facts->StopsBy[Def]) {
      St.Stopped.insert(K);
      St.Async.erase(K);
    }
    for (const WorkKey &K : Facts->QueuesBy[Def]) {
      St.Queued.emplace(K, Here);
      St.Stopped.erase(K);
    }
    return;
  }
  if (const api::OpsCall *Ops = api::findOpsCall(Name)) {
    auto It = Facts->OpsFunctions.find({Ops->Struct.str(), Ops->Field.str()});
    if (It != Facts->OpsFunctions.end())
      for (const FunctionDecl *Fn : It->second)
        for (const WorkKey &K : Facts->StopsBy[Fn]) {
          St.Stopped.insert(K);
          St.Async.erase(K);
        }
    return;
  }
  if (const api::QueueWork *Q = api::findQueueWork(Name)) {
    if (Q->WorkArg >= Call->getNumArgs())
      return;
    const Expr *Work = Call->getArg(Q->WorkArg);
    auto K = workKeyOf(Work);
    if (!K)
      return;
    St.Queued.emplace(*K, Here);
    St.Stopped.erase(*K);
    const VarDecl *V = WorkFacts::baseVar(Work);
    auto Freed = V ? St.Freed.find(V) : St.Freed.end();
    if (Report && Freed != St.Freed.end() && Here.isValid() &&
        Ctx.Report.warn(Id, Here,
                        "'" + Name + "' queues work item '" +
                            WorkFacts::spell(*K, V) + "' after '" +
                            V->getName() +
                            "' was freed: the handler will run on freed "
                            "memory; queue it before the free, or do not "
                            "free the object while its work can run"))
      Ctx.Report.note(Freed->second,
                      "'" + V->getName() + "' is freed here");
    return;
  }
  if (const api::WorkStop *W = api::findWorkStop(Name)) {
    if (W->WorkArg >= Call->getNumArgs())
      return;
    if (auto K = workKeyOf(Call->getArg(W->WorkArg))) {
      if (W->Waits) {
        St.Stopped.insert(*K);
        St.Async.erase(*K);
      } else {
        St.Async.emplace(*K, Here);
      }
    }
    return;
  }
  int Drain = api::drainQueueArg(Name);
  if (Drain >= 0 && unsigned(Drain) < Call->getNumArgs()) {
    auto Queue = workKeyOf(Call->getArg(Drain));
    if (!Queue)
      return;
    // Every non-delayed work item queued only on this queue is done.
    for (const auto &[K, On] : Facts->QueuedOn)
      if (On.size() == 1 && *On.begin() == Queue &&
          WorkFacts::syncCancelFor(K) == "cancel_work_sync")
        St.Stopped.insert(K);
    return;
  }
  int CbArg = api::callbackStopArg(Name);
  if (CbArg >= 0 && unsigned(CbArg) < Call->getNumArgs()) {
    // Until the timer/tasklet is stopped it could queue its work items
    // again: a stop of those before this point does not count.
    if (auto T = workKeyOf(Call->getArg(CbArg))) {
      auto It = Facts->CallbackOf.find(*T);
      if (It != Facts->CallbackOf.end())
        for (const WorkKey &K : Facts->QueuesBy[It->second])
          St.Stopped.erase(K);
    }
    return;
  }
  int FreedArg = api::freedArg(Name);
  if (FreedArg >= 0 && unsigned(FreedArg) < Call->getNumArgs()) {
    const Expr *Obj = Call->getArg(FreedArg);
    onFree(FD, Call, Name, Obj, {pointee(Obj)}, St, Report);
    return;
  }
  if (const api::FreePrivate *P = api::findFreePrivate(Name))
    if (P->ObjArg < Call->getNumArgs())
      onFree(FD, Call, Name, Call->getArg(P->ObjArg), PrivateTypes, St,
             Report);
}

void FreeBeforeCancelCheck::onFree(const FunctionDecl *FD,
                                   const CallExpr *Call, StringRef Name,
                                   const Expr *Obj,
                                   std::vector<const RecordDecl *> Types,
                                   State &St, bool Report) {
  const VarDecl *V = plainVar(Obj);
  SourceLocation Here = Ctx.User.reportLocation(Call->getBeginLoc());
  bool Fresh = V && St.Fresh.count(V);
  // A work handler that frees an object it did not allocate or queue was
  // handed it (by the producer, after that object's own work ran).
  bool InHandler = false;
  for (const auto &[K, H] : Facts->Handlers)
    InHandler |= H == FD;
  const WorkKey *Victim = nullptr;
  std::vector<WorkKey> Keys;
  for (const RecordDecl *T : Types)
    for (WorkKey &K : WorkFacts::workItemsIn(T))
      Keys.push_back(std::move(K));
  for (const WorkKey &K : Keys) {
    auto H = Facts->Handlers.find(K);
    if (H != Facts->Handlers.end() && H->second == FD)
      continue; // the handler frees its own container
    bool Live = Fresh || InHandler ? St.Queued.count(K) > 0 : queuedInFile(K);
    if (!Live || St.Stopped.count(K))
      continue;
    // Prefer the one with a non-waiting cancel: the message can say more.
    if (!Victim || (St.Async.count(K) && !St.Async.count(*Victim)))
      Victim = &K;
  }
  if (V) {
    St.Freed[V] = Here;
    St.Fresh.erase(V);
  }
  if (!Report || !Victim || Here.isInvalid())
    return;
  const WorkKey &K = *Victim;
  bool Private = api::findFreePrivate(Name) != nullptr;
  std::string Item = WorkFacts::spell(K, Private ? nullptr
                                                 : WorkFacts::baseVar(Obj));
  if (Private && V)
    if (const api::FreePrivate *P = api::findFreePrivate(Name))
      Item = (P->Accessor + "(" + V->getName() + ")->").str() +
             Item.substr(Item.find('.') + 1);
  std::string What = V ? "'" + V->getName().str() + "'" : "the object";
  std::string Fix = WorkFacts::syncCancelFor(K).str() + "(&" + Item + ")";
  auto Async = St.Async.find(K);
  std::string Message =
      "'" + Name.str() + "' frees " + What + " while its work item '" + Item +
      "'" + handlerText(K) +
      " may still be queued or running: the handler would then use freed "
      "memory (ODEBUG 'free active', KASAN use-after-free); ";
  if (Async != St.Async.end())
    Message += "the cancel without _sync does not wait for a running "
               "handler; use " + Fix + " before freeing";
  else
    Message += "call " + Fix + " before freeing it (after stopping what "
               "re-queues it)";
  if (!Ctx.Report.warn(Id, Here, Message))
    return;
  if (Async != St.Async.end())
    Ctx.Report.note(Async->second, "cancelled here without waiting");
  auto Queued = St.Queued.find(K);
  if (Queued != St.Queued.end())
    Ctx.Report.note(Queued->second, "'" + Item + "' is queued here");
  else if (const WorkUse *U = firstQueue(K); U && U->Loc.isValid())
    Ctx.Report.note(U->Loc, "'" + Item + "' is queued here");
}

void FreeBeforeCancelCheck::checkFunction(const FunctionDecl *FD) {
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(FD, St, S, Report); });
      },
      join);
}

/// remove() of a driver whose probe() allocated the data with devm_*.
void FreeBeforeCancelCheck::checkTeardown() {
  for (const Decl *D : AST->getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    const RecordDecl *RD = VD ? VD->getType()->getAsRecordDecl() : nullptr;
    if (!RD || !RD->getIdentifier() || !VD->getInit() ||
        Ctx.User.reportLocation(VD->getLocation()).isInvalid())
      continue;
    const auto *IL = dyn_cast<InitListExpr>(VD->getInit()->IgnoreParenImpCasts());
    if (!IL)
      continue;
    if (IL->isSyntacticForm() && IL->getSemanticForm())
      IL = IL->getSemanticForm();
    for (const api::DriverTeardown &T : api::driverTeardowns()) {
      if (RD->getName() != T.Struct)
        continue;
      const FunctionDecl *Probe = nullptr, *Remove = nullptr;
      unsigned I = 0;
      for (const FieldDecl *F : RD->fields()) {
        if (I >= IL->getNumInits())
          break;
        const Expr *Init = IL->getInit(I++)->IgnoreParenCasts();
        const auto *Ref = dyn_cast<DeclRefExpr>(Init);
        const auto *Fn = Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
        if (!Fn || !F->getIdentifier())
          continue;
        if (F->getName() == T.Probe)
          Probe = Facts->userDefinition(Fn);
        if (F->getName() == T.Remove)
          Remove = Facts->userDefinition(Fn);
      }
      if (!Probe || !Remove)
        continue;
      // Driver data allocated with devm_* in probe().
      struct Finder : RecursiveASTVisitor<Finder> {
        std::vector<std::pair<const CallExpr *, const RecordDecl *>> Found;
        void note(const RecordDecl *Data, const Expr *Value) {
          bool Managed = false;
          const CallExpr *Call = WorkFacts::allocationIn(Value, &Managed);
          if (Call && Managed && Data)
            Found.push_back({Call, Data});
        }
        bool VisitBinaryOperator(BinaryOperator *B) {
          if (B->getOpcode() == BO_Assign)
            note(pointee(B->getLHS()), B->getRHS());
          return true;
        }
        bool VisitVarDecl(VarDecl *V) {
          if (V->getInit() && V->getType()->isPointerType())
            note(V->getType()->getPointeeType()->getAsRecordDecl(),
                 V->getInit());
          return true;
        }
      } Find;
      Find.TraverseStmt(Probe->getBody());
      for (const auto &[Alloc, Data] : Find.Found)
        for (const WorkKey &K : WorkFacts::workItemsIn(Data)) {
          if (!queuedInFile(K) || Facts->StopsBy[Remove].count(K) ||
              Facts->DevmStopped.count(K))
            continue;
          std::string Item = WorkFacts::spell(K, nullptr);
          SourceLocation Loc = Ctx.User.reportLocation(Remove->getLocation());
          if (Loc.isInvalid() ||
              !Ctx.Report.warn(
                  Id, Loc,
                  "'" + Remove->getName() + "' returns while work item '" +
                      Item + "'" + handlerText(K) +
                      " may still be queued or running, and devres frees "
                      "the driver data holding it right after " +
                      T.Remove + "() returns (use after free); call " +
                      WorkFacts::syncCancelFor(K) + "() on it in " +
                      Remove->getName() +
                      "(), or set it up with devm_work_autocancel()"))
            continue;
          Ctx.Report.note(Ctx.User.reportLocation(Alloc->getBeginLoc()),
                          "allocated with '" +
                              Alloc->getDirectCallee()->getName() +
                              "' in '" + Probe->getName() + "' here");
          if (const WorkUse *U = firstQueue(K); U && U->Loc.isValid())
            Ctx.Report.note(U->Loc, "'" + Item + "' is queued here");
        }
    }
  }
}

void FreeBeforeCancelCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
  // What free_netdev() frees along with the net_device.
  struct PrivFinder : RecursiveASTVisitor<PrivFinder> {
    std::set<const RecordDecl *> Types;
    void consider(QualType T, const Expr *Init) {
      const auto *Call =
          Init ? dyn_cast<CallExpr>(Init->IgnoreParenCasts()) : nullptr;
      const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
      if (!F || !F->getIdentifier() || !api::isPrivateAccessor(F->getName()) ||
          !T->isPointerType())
        return;
      if (const RecordDecl *R = T->getPointeeType()->getAsRecordDecl())
        Types.insert(R);
    }
    bool VisitVarDecl(VarDecl *V) {
      consider(V->getType(), V->getInit());
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *B) {
      if (B->getOpcode() == BO_Assign)
        consider(B->getLHS()->getType(), B->getRHS());
      return true;
    }
  } Priv;
  for (const FunctionDecl *FD : Facts->functions())
    Priv.TraverseStmt(FD->getBody());
  PrivateTypes.assign(Priv.Types.begin(), Priv.Types.end());

  for (const FunctionDecl *FD : Facts->functions())
    checkFunction(FD);
  checkTeardown();
}

} // namespace

std::unique_ptr<Check> createFreeBeforeCancelCheck(StringRef Id,
                                                   CheckContext &Ctx) {
  return std::make_unique<FreeBeforeCancelCheck>(Id, Ctx);
}

} // namespace wqcheck
