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
// Not live, so not reported: an object that is NULL on this path (kfree of
// NULL); an object from the file's constructor or stored into a field and
// freed before anything queued it; a free in a kref/device release callback
// when the file stops the work item somewhere (the final put comes after the
// stop); a free in a static helper whose every caller has stopped the work
// item (or is its handler).  Stops also come from ops callbacks a subsystem
// call runs (WQ_OPS_CALL: input_unregister_device -> input_dev.close), from
// destroying the only queue a work item runs on (also behind `if (wq)` or in
// a helper), and from a function of another file that takes the struct.
//
// Frees: WQ_FREE and WQ_FREE_PRIVATE (free_netdev() and netdev_priv()).
// Docs: docs/checks/wq-free-before-cancel.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/BitFacts.h"
#include "analysis/BranchGuards.h"
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkFacts.h"
#include <functional>
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "db/Facts.h"
#include "db/Keys.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include <algorithm>
#include <map>
#include <optional>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// The fields a function writes, and for those it writes only through bit
/// operations of constant bits (`set_bit(WDM_DISCONNECTING, &d->flags)`),
/// which bits: a guard that tests another bit of the same field
/// (`test_bit(WDM_WWAN_IN_USE, &d->flags)`) does not read the write.
struct FieldWrites {
  std::set<const FieldDecl *> Fields;
  std::map<const FieldDecl *, std::set<int64_t>> Bits;
  void plain(const FieldDecl *F) {
    Fields.insert(F);
    Bits.erase(F);
  }
  void bit(const FieldDecl *F, int64_t B) {
    bool Known = Fields.count(F);
    Fields.insert(F);
    if (!Known || Bits.count(F))
      Bits[F].insert(B);
  }
  void merge(const FieldWrites &O) {
    for (const FieldDecl *F : O.Fields) {
      auto B = O.Bits.find(F);
      if (B == O.Bits.end()) {
        plain(F);
        continue;
      }
      for (int64_t Bit : B->second)
        bit(F, Bit);
    }
  }
  bool empty() const { return Fields.empty(); }
};

template <typename K, typename V>
void mergeFirst(std::map<K, V> &Into, const std::map<K, V> &From) {
  for (const auto &[Key, Value] : From)
    Into.emplace(Key, Value);
}

std::string keyText(const std::pair<const std::string, SourceLocation> &E) {
  return E.first;
}
std::string keyText(const std::string &S) { return S; }

/// An object named by an access path: a local variable and the fields and
/// constant indices below it ("12ab@p->bl", "12ab@glue->data[0]").
std::string varPath(const VarDecl *V) {
  return std::to_string(reinterpret_cast<uintptr_t>(V)) + "@" +
         V->getName().str();
}

/// AnyIndex: a variable index names every element ("[*]"), for what is
/// allocated or freed element by element in a loop (`dm[i] = kmalloc(..)`,
/// mlx4 main.c).
std::optional<std::string> pathOf(const Expr *E, bool AnyIndex = false) {
  E = E->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
    if (!V)
      return std::nullopt;
    return varPath(V);
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    auto Base = pathOf(M->getBase(), AnyIndex);
    if (!Base)
      return std::nullopt;
    return *Base + (M->isArrow() ? "->" : ".") +
           std::to_string(reinterpret_cast<uintptr_t>(M->getMemberDecl()));
  }
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
    auto Base = pathOf(A->getBase(), AnyIndex);
    const auto *Index =
        dyn_cast<IntegerLiteral>(A->getIdx()->IgnoreParenImpCasts());
    if (Base && !Index && AnyIndex)
      return *Base + "[*]";
    if (!Base || !Index)
      return std::nullopt;
    return *Base + "[" + std::to_string(Index->getValue().getZExtValue()) +
           "]";
  }
  return std::nullopt;
}

/// Whether Path is P or below it.
bool isUnder(const std::string &Path, const std::string &P) {
  if (Path.compare(0, P.size(), P) != 0)
    return false;
  return Path.size() == P.size() || Path[P.size()] == '-' ||
         Path[P.size()] == '.' || Path[P.size()] == '[';
}

template <typename Map> void eraseUnder(Map &M, const std::string &P) {
  for (auto It = M.begin(); It != M.end();)
    if (isUnder(keyText(*It), P))
      It = M.erase(It);
    else
      ++It;
}

struct State {
  bool Reached = false;
  std::set<WorkKey> Stopped;                  ///< on every path
  std::map<WorkKey, SourceLocation> Async;    ///< non-waiting cancel, some path
  std::map<WorkKey, SourceLocation> Queued;   ///< queued here, some path
  std::set<WorkKey> Live;   ///< queued here and not stopped since, some path
  /// Queued only through a helper that queues it on some of its own paths
  /// (not MustQueuesBy), and not stopped since, some path: the helper that
  /// may have queued it.
  std::map<WorkKey, const FunctionDecl *> MaybeLive;
  /// Queued by a helper that queues it on every path it returns success
  /// on (and returns a failure value on others), and not yet tested: the
  /// call, and the variable its result went to.  On the edge where the
  /// result is tested as a failure, the helper did not queue it.
  std::map<WorkKey, std::pair<const CallExpr *, const VarDecl *>> SuccessOf;
  /// Queued by a direct queue_work() (or the like) while not live before,
  /// and its result not yet tested: the call, the variable holding the
  /// result (or its negation: WARN_ON_ONCE(!queue_work(..)) stores
  /// `!!(!queue_work(..))`), and whether it is negated.  On the edge where
  /// it returned false, this call did not queue it (`if (!queue_work(wq,
  /// &x->work)) kfree(x);`, target_core_xcopy.c target_do_xcopy()).
  struct QueueTest {
    const CallExpr *Call;
    const VarDecl *Var;
    bool Negated;
    bool operator==(const QueueTest &O) const {
      return Call == O.Call && Var == O.Var && Negated == O.Negated;
    }
  };
  std::map<WorkKey, QueueTest> QueueResult;
  /// The non-waiting cancel (`cancel_delayed_work()`) whose result is
  /// still to be tested: on the edge where it returned true, the item was
  /// pending and is removed (`if (!cancel_delayed_work(&g->w)) { ..;
  /// return; } kfree(g);`, 6.1 drivers/infiniband/hw/mlx4/mcg.c
  /// release_group(): the handler, still to run, does the release).
  std::map<WorkKey, QueueTest> CancelResult;
  /// Stopped, then the timer/tasklet that re-queues it was stopped only
  /// later (here): the stop did not hold, some path.
  std::map<WorkKey, SourceLocation> Requeued;
  /// Timers and tasklets set up on every path (init_timer_key(),
  /// tasklet_setup()) and armed on none since: their callbacks have not
  /// run, so stopping them undoes no stop (a probe error path).
  std::set<WorkKey> Dormant;
  /// Stopped on every path only by a guess: a call to a function of
  /// another file that takes the struct (opaque).  A late source stop
  /// undoes such a stop without being evidence that it was undone.
  std::set<WorkKey> Guessed;
  /// Callback sources stopped for good on every path (WQ_SOURCE_SHUTDOWN:
  /// timer_shutdown_sync(), usb_poison_urb()): nothing re-arms them.
  std::set<WorkKey> Shutdown;
  /// Work items in Requeued because their own handler re-arms a source
  /// that queues them (a waiting cancel does not hold: the cxgb4
  /// flower-stats cycle), some path.
  std::set<WorkKey> Rearmed;
  /// Timers, tasklets and URBs stopped (WQ_CALLBACK_STOP) on every path,
  /// here, in a helper, or in an ops callback a subsystem call runs
  /// (unregister_netdev() -> ndo_stop), and not armed again since.
  std::set<WorkKey> SourcesStopped;
  /// Stopped only by an ops callback a subsystem call runs for an open
  /// object (WQ_OPS_CALL), while a callback of another ops table queues
  /// it whether or not the object is open: the call, and that queuer.
  std::map<WorkKey, std::pair<SourceLocation, const FunctionDecl *>> OpenOnly;
  /// Queued on a queue held in a local variable, some path: destroying
  /// that queue waits for it.
  std::map<WorkKey, const VarDecl *> OnLocalQueue;
  /// Local variables holding a copy of a queue field (`wq =
  /// ioc->reset_work_q; ...; destroy_workqueue(wq);`, mptbase.c
  /// mpt_detach()): destroying the copy destroys that queue.
  std::map<const VarDecl *, WorkKey> QueueCopies;
  /// The variables each live work item was queued through, when the
  /// item is a field of the variable's own struct (`&priv->w`), some path;
  /// nullptr: through another expression.
  std::map<WorkKey, std::set<const VarDecl *>> QueuedVia;
  std::map<std::string, SourceLocation> Fresh; ///< allocated here (by path)
  std::set<std::string> Null;                 ///< NULL on every path
  std::map<const VarDecl *, SourceLocation> Freed;

  bool operator==(const State &O) const {
    return Reached == O.Reached && Stopped == O.Stopped && Async == O.Async &&
           Queued == O.Queued && Live == O.Live && MaybeLive == O.MaybeLive &&
           SuccessOf == O.SuccessOf && QueueResult == O.QueueResult &&
           CancelResult == O.CancelResult &&
           Requeued == O.Requeued && Dormant == O.Dormant &&
           OnLocalQueue == O.OnLocalQueue && Guessed == O.Guessed &&
           Shutdown == O.Shutdown && Rearmed == O.Rearmed &&
           SourcesStopped == O.SourcesStopped && OpenOnly == O.OpenOnly &&
           QueueCopies == O.QueueCopies && QueuedVia == O.QueuedVia &&
           Fresh == O.Fresh &&
           Null == O.Null && Freed == O.Freed;
  }
};

template <typename T> std::set<T> intersect(const std::set<T> &A,
                                            const std::set<T> &B) {
  std::set<T> R;
  for (const T &X : A)
    if (B.count(X))
      R.insert(X);
  return R;
}

State join(const State &A, const State &B) {
  State R = A;
  R.Stopped = intersect(A.Stopped, B.Stopped);
  R.Null = intersect(A.Null, B.Null);
  R.Dormant = intersect(A.Dormant, B.Dormant);
  R.Shutdown = intersect(A.Shutdown, B.Shutdown);
  R.SourcesStopped = intersect(A.SourcesStopped, B.SourcesStopped);
  mergeFirst(R.OpenOnly, B.OpenOnly);
  R.Rearmed.insert(B.Rearmed.begin(), B.Rearmed.end());
  // A guess on one path and a real stop on the other: still a guess.
  R.Guessed = A.Guessed;
  R.Guessed.insert(B.Guessed.begin(), B.Guessed.end());
  R.Guessed = intersect(R.Guessed, R.Stopped);
  R.Live.insert(B.Live.begin(), B.Live.end());
  mergeFirst(R.MaybeLive, B.MaybeLive);
  mergeFirst(R.SuccessOf, B.SuccessOf);
  mergeFirst(R.QueueResult, B.QueueResult);
  mergeFirst(R.CancelResult, B.CancelResult);
  mergeFirst(R.Async, B.Async);
  mergeFirst(R.Queued, B.Queued);
  mergeFirst(R.Requeued, B.Requeued);
  mergeFirst(R.OnLocalQueue, B.OnLocalQueue);
  // A copy on every path, of the same queue.
  for (auto It = R.QueueCopies.begin(); It != R.QueueCopies.end();) {
    auto Other = B.QueueCopies.find(It->first);
    if (Other == B.QueueCopies.end() || !(Other->second == It->second))
      It = R.QueueCopies.erase(It);
    else
      ++It;
  }
  for (const auto &[K, Vs] : B.QueuedVia)
    R.QueuedVia[K].insert(Vs.begin(), Vs.end());
  mergeFirst(R.Fresh, B.Fresh);
  mergeFirst(R.Freed, B.Freed);
  return R;
}

void eraseAliases(std::set<WorkKey> &S, const WorkKey &K) {
  for (const WorkKey &A : aliasesOf(K))
    S.erase(A);
}

/// K stops on this path: a waiting cancel, a drain, a helper.
void stop(State &St, const WorkKey &K) {
  St.Stopped.insert(K);
  St.Guessed.erase(K);
  St.OnLocalQueue.erase(K);
  St.Async.erase(K);
  St.Requeued.erase(K);
  St.Rearmed.erase(K);
  St.OpenOnly.erase(K);
  eraseAliases(St.Live, K);
  for (auto It = St.Live.begin(); It != St.Live.end();)
    if (holdsAlias(std::set<WorkKey>{K}, *It))
      It = St.Live.erase(It);
    else
      ++It;
  for (auto It = St.MaybeLive.begin(); It != St.MaybeLive.end();)
    if (namesSameItem(K, It->first))
      It = St.MaybeLive.erase(It);
    else
      ++It;
  St.SuccessOf.erase(K);
  St.QueueResult.erase(K);
  St.CancelResult.erase(K);
}

void queue(State &St, const WorkKey &K, SourceLocation Here) {
  St.Queued.emplace(K, Here);
  St.Live.insert(K);
  eraseAliases(St.Stopped, K);
}

/// How messages name a teardown slot: 6.1's void .remove_new is the same
/// callback as .remove.
StringRef removeCallbackName(StringRef Field) {
  return Field == "remove_new" ? StringRef("remove") : Field;
}

/// Through Helper, which queues K only on some of its paths.
void maybeQueue(State &St, const WorkKey &K, SourceLocation Here,
                const FunctionDecl *Helper) {
  St.Queued.emplace(K, Here);
  St.MaybeLive.emplace(K, Helper);
  eraseAliases(St.Stopped, K);
}

/// The helper that may have queued K on this path (MaybeLive), if any.
const FunctionDecl *maybeQueuedBy(const State &St, const WorkKey &K) {
  for (const auto &[M, Helper] : St.MaybeLive)
    if (holdsAlias(std::set<WorkKey>{M}, K) ||
        holdsAlias(std::set<WorkKey>{K}, M))
      return Helper;
  return nullptr;
}

const RecordDecl *pointee(const Expr *E) {
  QualType T = E->IgnoreParenImpCasts()->getType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T->getAsRecordDecl();
}

/// The struct a variable is, or points to.
const RecordDecl *ownRecord(const VarDecl *V) {
  QualType T = V->getType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T->getAsRecordDecl();
}

const VarDecl *plainVar(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  return Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
}

/// In State::QueuedVia: queued through a variable that has since been
/// given a fresh object, so through another object than the one it holds
/// now.  A tag, never dereferenced.
const VarDecl *otherObject() {
  static const char Tag = 0;
  return reinterpret_cast<const VarDecl *>(&Tag);
}

/// Whether V names an object with static storage: a global, or a local
/// that keeps the value it was initialised with, the address of a global
/// (`hw_data = &per_cpu(dm_hw_cpu_data, cpu)`, 6.1 net/core/
/// drop_monitor.c).
bool staticObject(const FunctionDecl *FD, const VarDecl *V) {
  if (!V)
    return false;
  if (V->hasGlobalStorage())
    return true;
  const Expr *Init = V->getInit();
  if (!Init || !V->getType()->isPointerType() || !keepsValue(FD, V))
    return false;
  bool Global = false, Other = false;
  // The macro's own temporaries (`__vpp_verify`, `__ptr`) are not inputs.
  std::set<const VarDecl *> Inner;
  forEachSubStmt(Init, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *X = dyn_cast<VarDecl>(D))
          Inner.insert(X);
    return true;
  });
  forEachSubStmt(Init, [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
      if (const auto *G = dyn_cast<VarDecl>(Ref->getDecl());
          G && !Inner.count(G)) {
        if (G->hasGlobalStorage() && G->getType()->isRecordType())
          Global = true;
        else if (G->getType()->isPointerType())
          Other = true; // a pointer could lead anywhere
      }
    if (const auto *C = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *F = C->getDirectCallee();
      // per_cpu() adds the CPU's offset through inline helpers and
      // builtins; any other call may return any object.
      if (!F || !(F->getBuiltinID() || F->isInlined()))
        Other = true;
    }
    return true;
  });
  return Global && !Other;
}

/// Whether local B only ever holds values computed from V: it is declared
/// or assigned only from expressions that name V, and its address is never
/// taken (`priv = netdev_priv(dev)`).
bool takenOnlyFrom(const FunctionDecl *FD, const VarDecl *B, const VarDecl *V) {
  if (!B->hasLocalStorage() || isa<ParmVarDecl>(B))
    return false;
  auto Names = [&](const Expr *E) {
    bool Found = false;
    forEachSubStmt(E, [&](const Stmt *S) {
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
        Found |= Ref->getDecl() == V;
      return !Found;
    });
    return Found;
  };
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl *B;
    std::function<bool(const Expr *)> Names;
    unsigned Values = 0;
    bool Other = false;
    bool VisitBinaryOperator(BinaryOperator *Op) {
      if (Op->isAssignmentOp() && plainVar(Op->getLHS()) == B) {
        ++Values;
        Other |= Op->getOpcode() != BO_Assign || !Names(Op->getRHS());
      }
      return !Other;
    }
    bool VisitUnaryOperator(UnaryOperator *U) {
      Other |= (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf) &&
               plainVar(U->getSubExpr()) == B;
      return !Other;
    }
  } F;
  F.B = B;
  F.Names = Names;
  if (const Expr *Init = B->getInit()) {
    ++F.Values;
    F.Other = !Names(Init);
  }
  if (!F.Other)
    F.TraverseStmt(FD->getBody());
  return !F.Other && F.Values > 0;
}

/// Whether every queue of live item K on the path went through a variable
/// other than V that held its object before V was allocated here (a
/// parameter or a local set once, declared before the allocation and not
/// from V): V, fresh, is another object (mlx4 en_netdev.c
/// mlx4_xdp_set(): `priv->restart_task` queued, the scratch `tmp` freed).
bool queuedOnlyOnOthers(const FunctionDecl *FD, const State &St,
                        const WorkKey &K, const VarDecl *V,
                        const std::optional<std::string> &P) {
  if (!V || !P)
    return false;
  auto Alloc = St.Fresh.find(*P);
  auto Via = St.QueuedVia.find(K);
  if (Alloc == St.Fresh.end() || Alloc->second.isInvalid() ||
      Via == St.QueuedVia.end() || Via->second.empty())
    return false;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  for (const VarDecl *B : Via->second) {
    if (B == otherObject())
      continue;
    if (!B || B == V || !keepsValue(FD, B))
      return false;
    if (isa<ParmVarDecl>(B))
      continue;
    const Expr *Init = B->getInit();
    if (!Init || !SM.isBeforeInTranslationUnit(B->getLocation(),
                                               Alloc->second))
      return false;
    bool NamesV = false;
    forEachSubStmt(Init, [&](const Stmt *S) {
      if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
        NamesV |= Ref->getDecl() == V;
      return !NamesV;
    });
    if (NamesV)
      return false;
  }
  return true;
}

/// What free_netdev() frees along with a net_device: the struct types the
/// private accessor's results (`netdev_priv()`) are stored as; with Dev
/// set, only those taken from that variable.
struct PrivateTypeFinder : RecursiveASTVisitor<PrivateTypeFinder> {
  const VarDecl *Dev = nullptr;
  std::set<const RecordDecl *> Types;
  void consider(QualType T, const Expr *Init) {
    const auto *Call =
        Init ? dyn_cast<CallExpr>(Init->IgnoreParenCasts()) : nullptr;
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    if (!F || !F->getIdentifier() || !api::isPrivateAccessor(F->getName()) ||
        !T->isPointerType())
      return;
    if (Dev && (Call->getNumArgs() < 1 || plainVar(Call->getArg(0)) != Dev))
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
};

/// The types FD itself takes the private area of Dev as
/// (`struct foo *gp = netdev_priv(dev);`): what free_netdev(dev) frees
/// there, when a file has several kinds of net_device.
std::vector<const RecordDecl *> privateTypesIn(const FunctionDecl *FD,
                                               const VarDecl *Dev) {
  if (!Dev || !FD->getBody())
    return {};
  PrivateTypeFinder Finder;
  Finder.Dev = Dev;
  Finder.TraverseStmt(const_cast<Stmt *>(FD->getBody()));
  return {Finder.Types.begin(), Finder.Types.end()};
}

/// The local `struct list_head` L that E is (`L`, `&L`), if any.
const VarDecl *localListHead(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!V || !V->hasLocalStorage() || isa<ParmVarDecl>(V))
    return nullptr;
  const RecordDecl *R = V->getType()->getAsRecordDecl();
  return R && R->getIdentifier() && R->getName() == "list_head" ? V : nullptr;
}

/// Calls Fn(call, name) for each call to a function of another file in
/// Root and in the file's functions it calls, each body once.
void forEachKernelCall(
    const WorkFacts &Facts, const FunctionDecl *Root,
    llvm::function_ref<void(const CallExpr *, StringRef)> Fn) {
  struct Walker : RecursiveASTVisitor<Walker> {
    const WorkFacts &Facts;
    llvm::function_ref<void(const CallExpr *, StringRef)> Fn;
    std::set<const FunctionDecl *> Seen;
    Walker(const WorkFacts &Facts,
           llvm::function_ref<void(const CallExpr *, StringRef)> Fn)
        : Facts(Facts), Fn(Fn) {}
    bool VisitCallExpr(CallExpr *Call) {
      const FunctionDecl *F = Call->getDirectCallee();
      if (!F || !F->getIdentifier())
        return true;
      if (const FunctionDecl *Def = Facts.userDefinition(F)) {
        if (Seen.insert(Def).second)
          TraverseStmt(Def->getBody());
        return true;
      }
      Fn(Call, F->getName());
      return true;
    }
  } W(Facts, Fn);
  W.Seen.insert(Root);
  W.TraverseStmt(Root->getBody());
}

class FreeBeforeCancelCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void checkFunction(const FunctionDecl *FD, State Entry);
  std::map<const FunctionDecl *, std::set<SourceLocation>> UntilQuiet;
  const std::set<SourceLocation> &repeatedUntilQuiet(const FunctionDecl *FD);
  /// Cb queues K only under a test of a field Stopper writes (its ops
  /// callbacks count when run before Before).
  bool queueGated(const FunctionDecl *Stopper, const FunctionDecl *Cb,
                  const WorkKey &K, SourceLocation Before);
  /// Cross-file facts (Ctx.Facts, --db): what each function does to work
  /// items, and the findings the opaque calls' guessed stops hid.
  void recordFacts();
  /// The check run again with opaque calls stopping nothing (recordFacts).
  bool WithoutOpaque = false;
  /// While capturing: the item of each finding at a free.
  std::vector<std::pair<std::string, WorkKey>> CapturedItems;
  /// Fn, a callback that queues work items, could run until Here (its
  /// timer stopped, its power supply unregistered only now): a stop of
  /// what it queues before this point does not count.
  void sourceStoppedLate(State &St, const FunctionDecl *Fn,
                         SourceLocation Here,
                         const WorkKey *Source = nullptr);
  /// The sources Fn names, itself or through the file's calls, in the
  /// argument ArgOf gives of each kernel call (memoised in Cache).
  const std::set<WorkKey> &
  sourcesIn(const FunctionDecl *Fn, int (*ArgOf)(StringRef),
            std::map<const FunctionDecl *, std::set<WorkKey>> &Cache);
  /// The callback sources Fn stops (WQ_CALLBACK_STOP).
  const std::set<WorkKey> &sourceStopsIn(const FunctionDecl *Fn) {
    return sourcesIn(Fn, api::callbackStopArg, SourceStopsIn);
  }
  std::map<const FunctionDecl *, std::set<WorkKey>> SourceStopsIn;
  /// The sources Fn shuts down for good (WQ_SOURCE_SHUTDOWN).
  const std::set<WorkKey> &sourceShutdownsIn(const FunctionDecl *Fn) {
    return sourcesIn(Fn, api::sourceShutdownArg, SourceShutdownsIn);
  }
  std::map<const FunctionDecl *, std::set<WorkKey>> SourceShutdownsIn;
  /// A function stored in a slot of an ops table other than Struct that
  /// queues K (through the file's calls), if any: it can run whether or
  /// not a Struct object is open.  The handler of a work item that
  /// Stopper (the Struct callback that stops K) stops too is no such
  /// function: it runs only while its own item is live.
  const FunctionDecl *queuedByOtherOps(const WorkKey &K, StringRef Struct,
                                       const FunctionDecl *Stopper);
  std::map<WorkKey, const FunctionDecl *> OpenOnlyQueuer;
  /// Whether a handler of K re-arms source T (WQ_SOURCE_ARM), guarded or
  /// not.
  bool handlerRearms(const WorkKey &K, const WorkKey &T);
  /// St.Dormant after Call.
  void trackDormant(State &St, const CallExpr *Call, StringRef Name) const;
  /// A waiting stop of K at Here, in FD, that K's own handler undoes: it
  /// re-arms a timer/URB/tasklet (not shut down on this path) whose
  /// callback queues K again.  Moves K to St.Requeued and St.Rearmed.
  void rearmedByHandler(const FunctionDecl *FD, State &St, const WorkKey &K,
                        SourceLocation Here, const Expr *WorkArg);
  /// The arm (WQ_SOURCE_ARM) in a handler of K, through the file's calls,
  /// of a source whose callback queues K, that no condition testing a
  /// field FD writes guards; with the source and its callback.
  struct Rearm {
    const CallExpr *Arm = nullptr;
    const FunctionDecl *Handler = nullptr;
    WorkKey Source;
    const FunctionDecl *Callback = nullptr;
    std::string Spelled; ///< the work item as the stop names it
    /// The stop names an object with static storage (a global, or a local
    /// set once to the address of one: `&per_cpu(dm_hw_cpu_data, cpu)`):
    /// nothing frees it.
    bool Static = false;
  };
  std::optional<Rearm> rearmOf(const FunctionDecl *FD, const WorkKey &K,
                               const State &St, SourceLocation Before);
  /// The re-arm of K that FD's cancel does not hold against is under a
  /// test of a field another function of the file writes.
  bool rearmGatedElsewhere(const FunctionDecl *FD, const WorkKey &K);
  /// A WQ_REQUEST_DRAIN call (crypto_engine_exit(), mmc_remove_host())
  /// that FD makes, itself or through the file's functions, before Before
  /// (anywhere when Before is invalid): the basis text of a finding whose
  /// evidence is a request-serving source still live or re-armed.
  std::optional<std::string> drainedBefore(const FunctionDecl *FD,
                                           SourceLocation Before);
  /// Whether Fn calls a WQ_REQUEST_DRAIN function, through the file's
  /// functions; its name.
  std::optional<std::string> drainIn(const FunctionDecl *Fn);
  std::map<const FunctionDecl *, std::optional<std::string>> DrainIn;
  /// The fields each function writes, through the file's calls, and the
  /// ops callbacks its own subsystem calls run (with the calls' places).
  std::map<const FunctionDecl *,
           std::pair<FieldWrites,
                     std::vector<std::pair<SourceLocation,
                                           const FunctionDecl *>>>>
      WrittenBy;
  /// The fields FD writes, itself or through the file's functions it
  /// calls (TeardownEffects), and those written by the ops callbacks that
  /// its subsystem calls before Before run (cached in WrittenBy).
  FieldWrites writtenBy(const FunctionDecl *FD,
                                        SourceLocation Before);
  /// Whether FD links only objects it allocates itself into its local
  /// list L: every call given &L passes no other list node than
  /// `&X->member` of an X that FD assigns a fresh allocation, and &L is
  /// not otherwise stored.
  bool freshOnlyList(const FunctionDecl *FD, const VarDecl *L);
  std::map<const VarDecl *, bool> FreshOnlyLists;
  /// The places freshListEntry() gives: the local lists' declarations.
  std::set<SourceLocation> ListWalks;
  /// Where Value, a walk of such a list (`container_of(L.next)`, or of an
  /// entry's `member.next` when that entry is fresh), says the object it
  /// names was allocated; nullopt when it is no such walk.
  std::optional<SourceLocation> freshListEntry(const FunctionDecl *FD,
                                               const Expr *Value,
                                               const State &St);
  /// The Rearm found for each (function, work item) while solving.
  std::map<std::pair<const FunctionDecl *, WorkKey>, Rearm> Rearms;
  /// The variable each non-waiting cancel (State::Async) went through.
  std::map<SourceLocation, const VarDecl *> AsyncVia;
  /// Work items a function returns with, stopped and re-armed by their
  /// own handler (Rearmed), and where they were stopped.
  std::map<const FunctionDecl *, std::map<WorkKey, SourceLocation>>
      RearmedAtExit;
  /// Work items already reported at a free in each function.
  std::set<std::pair<const FunctionDecl *, WorkKey>> ReportedAtFree;
  void reportRearmedAtExit();
  /// The notes of a Rearmed finding: the stop, the handler's re-arm, the
  /// callback's queue.
  /// Where Fn queues K itself, or else Fn.
  SourceLocation queueIn(const WorkKey &K, const FunctionDecl *Fn);
  void rearmNotes(const FunctionDecl *FD, const WorkKey &K,
                  const std::string &Item, SourceLocation Stopped);
  void transfer(const FunctionDecl *FD, const Stmt *S, State &St,
                bool Report);
  void onEdge(const CFGBlock &From, const CFGBlock &To, State &St);
  void onFree(const FunctionDecl *FD, const CallExpr *Call, StringRef Name,
              const Expr *Obj, std::vector<const RecordDecl *> Types,
              State &St, bool Report);
  void computeEntryStates();
  void computeMustQueues();
  void checkTeardown();
  struct DevmSource {
    const CallExpr *Registration; ///< in probe() or a helper it calls
    const FunctionDecl *Callback;
  };
  /// remove() stops K, but a devres-registered callback of probe() that
  /// queues K stays live until after remove() returns.
  void checkDevmRequeue(const FunctionDecl *Probe, const FunctionDecl *Remove,
                        StringRef RemoveField, const CallExpr *Alloc,
                        const WorkKey &K,
                        const std::vector<DevmSource> &Sources);
  bool queuedInFile(const WorkKey &K) const;
  const WorkUse *firstQueue(const WorkKey &K) const;
  std::string handlerText(const WorkKey &K) const;
  /// Why K's lifetime may be owned by something that outlives its handler
  /// (a reference its handler drops, a handler that frees the container,
  /// machinery that owns the item), or nullopt.
  std::optional<std::string> ownership(const WorkKey &K) const;
  /// Where the file stops K with a waiting call: "in 'foo_close'".
  std::string stopText(const WorkKey &K) const;
  void findHandlerFrees();

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  /// Types of netdev_priv() results: what free_netdev() frees with it.
  std::vector<const RecordDecl *> PrivateTypes;
  /// Queues and waiting stops through a global pointer (`data->work` with
  /// `static struct my_data *data`): the same object wherever it is used.
  std::map<const VarDecl *,
           std::map<WorkKey, std::vector<std::pair<SourceLocation,
                                                   const FunctionDecl *>>>>
      GlobalQueues;
  std::map<const VarDecl *, std::set<WorkKey>> GlobalStops;
  void findGlobalUses();
  /// Work items whose handler frees their container (the work owns it).
  std::map<WorkKey, const FunctionDecl *> HandlerFrees;
  /// Work items some function of the file stops with a waiting call.
  std::set<WorkKey> StoppedSomewhere;
  /// Per function, the calls under the success of a reference drop.
  std::map<const FunctionDecl *, std::map<const Stmt *, const CallExpr *>>
      DropGuarded;
  const CallExpr *referenceDropGuarding(const FunctionDecl *FD,
                                        const CallExpr *Call);
  /// The same, without the setup functions (WorkFacts::SetupFunctions):
  /// stops that can be on a teardown.
  std::set<WorkKey> StoppedOnTeardown;
  /// The same, without module exit (WorkFacts::ExitFunctions): stops that
  /// can come before a free outside module exit.
  std::set<WorkKey> StoppedBeforeExit;
  /// Work items known stopped when a static helper is entered: stopped at
  /// every call site (or the caller is their handler).
  std::map<const FunctionDecl *, std::set<WorkKey>> EntryStopped;
  /// While computing EntryStopped: the first pass records call sites.
  bool Collecting = false;
  std::map<const FunctionDecl *, std::set<WorkKey>> AtCalls;
  /// Work items of the objects a call hands to a static helper that are
  /// queued on the caller's path and not stopped (some call site), and
  /// where: the helper starts with them live.
  std::map<const FunctionDecl *, std::map<WorkKey, SourceLocation>> LiveAtCalls;
  std::map<const FunctionDecl *, std::map<WorkKey, SourceLocation>> EntryLive;
  /// For those work items: the constant each parameter gets at every call
  /// site that hands the item over live (nullopt: not a constant, or not
  /// the same one).  `sbp_session_release(sess, true)` after queueing, and
  /// `if (cancel_work) cancel_delayed_work_sync(..)` in the helper: the
  /// path where the parameter is false is not one where the item is live
  /// (sbp_target.c:230).
  using ArgConstants = std::vector<std::optional<llvm::APSInt>>;
  std::map<const FunctionDecl *, std::map<WorkKey, ArgConstants>> LiveArgs;
  /// The function being solved (onEdge).
  const FunctionDecl *Solving = nullptr;
  /// keepsValue(), per parameter.
  std::map<const ParmVarDecl *, bool> KeepsValue;
  /// The same for MaybeLive.
  std::map<const FunctionDecl *, std::map<WorkKey, const FunctionDecl *>>
      MaybeAtCalls, EntryMaybe;
  /// Work items a function queues on every path through it (directly or
  /// through such helpers) and does not stop after: after a call to it,
  /// the work item was queued.  QueuesBy minus these: queued only on some
  /// of its paths (a branch, a failure return), which is no evidence that
  /// the caller's path queued it.
  std::map<const FunctionDecl *, std::set<WorkKey>> MustQueuesBy;
  /// Functions with a return of a failure value (isFailureValue, or a
  /// pointer that is NULL on that path): MustQueuesBy counts only their
  /// other returns.
  std::set<const FunctionDecl *> FailureExits;
  /// Per function: work items whose waiting stop a later unregistration
  /// of their re-queue source undid, on some path to its return.
  std::map<const FunctionDecl *, std::map<WorkKey, SourceLocation>>
      RequeuedAtExit;
};

bool FreeBeforeCancelCheck::queuedInFile(const WorkKey &K) const {
  // Queued only on a local queue destroyed before its function returns:
  // never live outside that function (and stopped there on the path).
  if (holdsAlias(Facts->SelfDrained, K))
    return false;
  return firstQueue(K) != nullptr;
}

const WorkUse *FreeBeforeCancelCheck::firstQueue(const WorkKey &K) const {
  for (const WorkKey &A : aliasesOf(K)) {
    auto It = Facts->Uses.find(A);
    if (It == Facts->Uses.end())
      continue;
    for (const WorkUse &U : It->second)
      if (U.Queues)
        return &U;
  }
  return nullptr;
}

std::string FreeBeforeCancelCheck::handlerText(const WorkKey &K) const {
  auto Handlers = Facts->handlersOf(K);
  return Handlers.empty()
             ? std::string()
             : " (handler '" + Handlers.front()->getName().str() + "')";
}

std::optional<std::string>
FreeBeforeCancelCheck::ownership(const WorkKey &K) const {
  for (const WorkKey &A : aliasesOf(K))
    for (const FieldDecl *F : A.Path)
      if (F->getIdentifier() && F->getParent()->getIdentifier() &&
          api::isOwnedWork(F->getParent()->getName(), F->getName()))
        return "'" + F->getParent()->getName().str() + "." +
               F->getName().str() +
               "' is queued by its own machinery, which runs the object's "
               "last step";
  for (const FunctionDecl *H : Facts->handlersOf(K))
    if (Facts->DropsReference.count(H))
      return "its handler '" + H->getName().str() +
             "' drops a reference: the free may be the release of the "
             "last one, after the handler ran";
  for (const WorkKey &A : aliasesOf(K))
    if (Facts->RefHandedOver.count(A))
      return "its queue hands the work a reference ('if (!queue_work(...)) "
             "..._put(...)'), which the handler drops: the free may be the "
             "release of the last one, after the handler ran";
  for (const WorkKey &A : aliasesOf(K))
    if (auto It = HandlerFrees.find(A); It != HandlerFrees.end())
      return "its handler '" + It->second->getName().str() +
             "' frees the object itself: the work may own it, and this "
             "free may be on a path where it was never queued";
  return std::nullopt;
}

std::string FreeBeforeCancelCheck::stopText(const WorkKey &K) const {
  for (bool InExit : {false, true})
    for (const FunctionDecl *FD : Facts->functions())
      if (auto It = Facts->StopsBy.find(FD);
          !Facts->SetupFunctions.count(FD) &&
          Facts->ExitFunctions.count(FD) == InExit &&
          It != Facts->StopsBy.end() && holdsAlias(It->second, K) &&
          !llvm::is_contained(Facts->handlersOf(K), FD))
        return "in '" + FD->getName().str() + "'";
  return "by devres";
}

void FreeBeforeCancelCheck::findGlobalUses() {
  struct Finder : RecursiveASTVisitor<Finder> {
    FreeBeforeCancelCheck &C;
    const FunctionDecl *In = nullptr;
    explicit Finder(FreeBeforeCancelCheck &C) : C(C) {}
    bool VisitCallExpr(CallExpr *Call) {
      const FunctionDecl *F = Call->getDirectCallee();
      if (!F || !F->getIdentifier())
        return true;
      unsigned Arg = 0;
      bool Queues = false;
      if (const api::QueueWork *Q = api::findQueueWork(F->getName())) {
        Arg = Q->WorkArg;
        Queues = true;
      } else if (const api::WorkStop *W = api::findWorkStop(F->getName());
                 W && W->Waits) {
        Arg = W->WorkArg;
      } else {
        return true;
      }
      if (Arg >= Call->getNumArgs())
        return true;
      const Expr *Work = Call->getArg(Arg);
      const VarDecl *G = WorkFacts::rootVar(Work);
      auto K = workKeyOf(Work);
      if (!G || !G->hasGlobalStorage() || !G->getType()->isPointerType() || !K)
        return true;
      if (Queues)
        C.GlobalQueues[G][*K].push_back(
            {C.Ctx.User.reportLocation(Call->getBeginLoc()), In});
      else
        C.GlobalStops[G].insert(*K);
      return true;
    }
  } Find(*this);
  for (const FunctionDecl *FD : Facts->functions()) {
    Find.In = FD;
    Find.TraverseStmt(FD->getBody());
  }
}

/// Handlers that free the struct holding their work item (directly or
/// through the file's functions): the work item owns that object.
void FreeBeforeCancelCheck::findHandlerFrees() {
  for (const auto &[K, Hs] : Facts->Handlers)
    for (const FunctionDecl *H : Hs) {
      std::set<const RecordDecl *> Freed;
      forEachKernelCall(*Facts, H, [&](const CallExpr *Call, StringRef Name) {
        int Arg = api::freedArg(Name);
        if (Arg >= 0 && unsigned(Arg) < Call->getNumArgs())
          if (const RecordDecl *RD = pointee(Call->getArg(Arg)))
            Freed.insert(RD);
      });
      for (const RecordDecl *RD : Freed)
        for (const WorkKey &Item : WorkFacts::workItemsIn(RD))
          if (holdsAlias(std::set<WorkKey>{Item}, K) ||
              holdsAlias(std::set<WorkKey>{K}, Item))
            for (const WorkKey &A : aliasesOf(K))
              HandlerFrees.emplace(A, H);
    }
}

void FreeBeforeCancelCheck::onEdge(const CFGBlock &From, const CFGBlock &To,
                                   State &St) {
  // A parameter tested against the constant every live call site passes.
  if (auto Args = Solving ? LiveArgs.find(Solving) : LiveArgs.end();
      Args != LiveArgs.end() && !Collecting)
    for (const auto &[K, Consts] : Args->second) {
      if (holdsAlias(Facts->QueuesBy[Solving], K) || !holdsAlias(St.Live, K))
        continue;
      for (unsigned I = 0; I < Consts.size() && I < Solving->getNumParams();
           ++I) {
        const ParmVarDecl *P = Solving->getParamDecl(I);
        auto Keeps = KeepsValue.find(P);
        if (Keeps == KeepsValue.end())
          Keeps = KeepsValue.emplace(P, keepsValue(Solving, P)).first;
        if (!Consts[I] || !Keeps->second)
          continue;
        std::optional<bool> NonZero =
            resultFailsOnEdge(From, To, nullptr, P, *AST);
        if (NonZero && *NonZero != !Consts[I]->isZero())
          eraseAliases(St.Live, K);
      }
    }
  // `if (helper(r) < 0) goto fail;`: the helper queued only on success.
  for (auto It = St.SuccessOf.begin(); It != St.SuccessOf.end();) {
    std::optional<bool> Fails = resultFailsOnEdge(
        From, To, It->second.first, It->second.second, *AST);
    if (!Fails) {
      ++It;
      continue;
    }
    if (*Fails)
      eraseAliases(St.Live, It->first);
    It = St.SuccessOf.erase(It);
  }
  // Whether the call's result (or the variable holding it) is non-zero
  // along this edge.
  auto NonZeroOnEdge = [&](const State::QueueTest &T) {
    std::optional<bool> NonZero =
        resultFailsOnEdge(From, To, T.Call, nullptr, *AST);
    if (!NonZero && T.Var) {
      NonZero = resultFailsOnEdge(From, To, nullptr, T.Var, *AST);
      if (NonZero && T.Negated)
        NonZero = !*NonZero;
    }
    return NonZero;
  };
  // `if (!queue_work(..))`: not queued by that call on the true edge.
  // Kept after the test: WARN_ON_ONCE() tests its variable twice, and the
  // paths between the two tests join.
  for (const auto &[K, T] : St.QueueResult)
    if (std::optional<bool> NonZero = NonZeroOnEdge(T); NonZero && !*NonZero)
      eraseAliases(St.Live, K);
  // `if (!cancel_delayed_work(..)) return;`: on the edge where it
  // returned true, nothing of that item is left to run, unless its
  // handler queues it again (6.1 kernel/workqueue.c, cancel_delayed_work():
  // "The work callback function may still be running on return, unless
  // it returns %true and the work doesn't re-arm itself").
  auto RequeuesItself = [&](const WorkKey &K) {
    for (const FunctionDecl *H : Facts->handlersOf(K))
      if (auto Q = Facts->QueuesBy.find(H);
          Q != Facts->QueuesBy.end() && holdsAlias(Q->second, K))
        return true;
    return false;
  };
  std::vector<WorkKey> Cancelled;
  for (const auto &[K, T] : St.CancelResult)
    if (std::optional<bool> NonZero = NonZeroOnEdge(T);
        NonZero && *NonZero && !RequeuesItself(K))
      Cancelled.push_back(K);
  for (const WorkKey &K : Cancelled)
    stop(St, K);
  const Expr *Tested = nullptr;
  std::optional<bool> Null = pointerNullOnEdge(From, To, Tested, *AST);
  if (!Null)
    return;
  bool IsNull = *Null;
  if (auto P = pathOf(Tested)) {
    if (IsNull)
      St.Null.insert(*P);
    else
      St.Null.erase(*P);
  }
  // `if (f->wq) destroy_workqueue(f->wq)`: with no queue, nothing was
  // queued on it, delayed or not (qla3xxx.c ql3xxx_remove()).
  if (IsNull)
    if (auto Q = workKeyOf(Tested))
      for (const WorkKey &K : Facts->itemsQueuedOnlyOn(*Q))
        stop(St, K);
  // `if (pf->service_task.func) cancel_work_sync(..)`: a work item with no
  // handler was never initialised, so never queued; a timer with no
  // function was never set up, so never armed (i40e_main.c i40e_remove()).
  const auto *M = dyn_cast<MemberExpr>(Tested->IgnoreParenCasts());
  const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
  if (IsNull && F && F->getIdentifier())
    if (auto K = workKeyOf(M->getBase())) {
      QualType Base = M->getBase()->getType();
      if (M->isArrow() && Base->isPointerType())
        Base = Base->getPointeeType();
      if (F->getName() == "func" && isWorkType(Base))
        stop(St, *K);
      if (F->getName() == "function" && Facts->CallbackOf.count(*K)) {
        // Never set up: nothing can re-arm it either.
        St.Dormant.insert(*K);
        St.Shutdown.insert(*K);
      }
    }
}

void FreeBeforeCancelCheck::sourceStoppedLate(State &St,
                                              const FunctionDecl *Fn,
                                              SourceLocation Here,
                                              const WorkKey *Source) {
  // A source stopped before on this path (ndo_stop killed the URB) that
  // the item's handler does not re-arm could not queue it in between.
  bool Earlier = Source && holdsAlias(St.SourcesStopped, *Source);
  for (const WorkKey &K : Facts->QueuesBy[Fn]) {
    if (Earlier && !handlerRearms(K, *Source))
      continue;
    // The source queues it only under a flag the stopping function writes
    // (`if (!rg->shutdown) schedule_work(..)`): stopping the source late
    // does not undo the stop (6.1 rtl8xxxu_stop(), held-out Set G).
    if (Solving && queueGated(Solving, Fn, K, Here))
      continue;
    if (holdsAlias(St.Stopped, K) && !holdsAlias(St.Guessed, K))
      St.Requeued.emplace(K, Here);
    eraseAliases(St.Guessed, K);
    eraseAliases(St.Stopped, K);
    if (St.Queued.count(K))
      St.Live.insert(K);
  }
}

void FreeBeforeCancelCheck::trackDormant(State &St, const CallExpr *Call,
                                         StringRef Name) const {
  if (const FunctionDecl *Def = Facts->userDefinition(Call->getDirectCallee())) {
    if (auto It = Facts->ArmsBy.find(Def); It != Facts->ArmsBy.end())
      for (const WorkKey &K : It->second)
        eraseAliases(St.Dormant, K);
    return;
  }
  if (auto T = WorkFacts::sourceSetUpBy(Call, Name)) {
    St.Dormant.insert(*T);
    return;
  }
  for (const WorkKey &K : WorkFacts::armedBy(Call, Name))
    eraseAliases(St.Dormant, K);
}

void FreeBeforeCancelCheck::transfer(const FunctionDecl *FD, const Stmt *S,
                                     State &St, bool Report) {
  auto Assign = [&](std::optional<std::string> P, const VarDecl *V,
                    const Expr *Value) {
    if (V) {
      St.Freed.erase(V);
      St.QueueCopies.erase(V);
      if (WorkFacts::localQueue(Value) == nullptr && V->hasLocalStorage() &&
          !isa<ParmVarDecl>(V) && WorkFacts::isQueuePointer(V->getType()))
        if (auto Q = workKeyOf(Value))
          St.QueueCopies.emplace(V, *Q);
      // ok = queue_work(..); int __ret_warn_on = !!(!queue_work(..));
      bool Negated = false;
      const Expr *Inner = Value->IgnoreParenCasts();
      while (const auto *U = dyn_cast<UnaryOperator>(Inner)) {
        if (U->getOpcode() != UO_LNot)
          break;
        Negated = !Negated;
        Inner = U->getSubExpr()->IgnoreParenCasts();
      }
      for (auto *Results : {&St.QueueResult, &St.CancelResult})
        for (auto &[K, T] : *Results)
          if (T.Call == Inner) {
            T.Var = V;
            T.Negated = Negated;
          } else if (T.Var == V) {
            T.Var = nullptr;
          }
      const auto *C = dyn_cast<CallExpr>(Value->IgnoreParenCasts());
      for (auto It = St.SuccessOf.begin(); It != St.SuccessOf.end();)
        if (C && It->second.first == C) {
          It->second.second = V;
          ++It;
        } else if (It->second.second == V) {
          It = St.SuccessOf.erase(It);
        } else {
          ++It;
        }
    }
    if (!P)
      return;
    eraseUnder(St.Fresh, *P);
    eraseUnder(St.Null, *P);
    if (const CallExpr *Call = Facts->freshAllocation(Value)) {
      St.Fresh[*P] = Ctx.User.reportLocation(Call->getBeginLoc());
      // What was queued through V belongs to the object V held before (a
      // loop that allocates one per round: amdgpu_dm.c
      // dm_dmub_outbox1_low_irq()).
      // So does what was queued through a variable only ever taken from
      // V (`priv = netdev_priv(dev)`, 6.1 drivers/staging/octeon/
      // ethernet.c cvm_oct_probe()).
      // A non-waiting cancel through V stopped (not) the object V held
      // before (6.1 tegra-vde/dmabuf-cache.c tegra_vde_dmabuf_cache_map():
      // a cached entry's cancel, then a fresh entry freed on an error
      // path).
      if (V)
        for (auto It = St.Async.begin(); It != St.Async.end();) {
          auto Via = AsyncVia.find(It->second);
          if (Via != AsyncVia.end() && Via->second == V)
            It = St.Async.erase(It);
          else
            ++It;
        }
      if (V)
        for (auto &[K, Vs] : St.QueuedVia) {
          std::vector<const VarDecl *> Old;
          for (const VarDecl *B : Vs)
            if (B == V || (B && B != otherObject() && takenOnlyFrom(FD, B, V)))
              Old.push_back(B);
          for (const VarDecl *B : Old)
            Vs.erase(B);
          if (!Old.empty())
            Vs.insert(otherObject());
        }
      return;
    }
    // An entry of a local list into which this function links only
    // objects it allocated (6lowpan.c disconnect_devices(): copies made
    // under RCU, walked and freed after): another fresh object.
    if (auto Loc = freshListEntry(FD, Value, St)) {
      St.Fresh[*P] = *Loc;
      return;
    }
    // pdata = (struct priv *)dev->data[0]: the same object.
    if (auto From = pathOf(Value)) {
      auto It = St.Fresh.find(*From);
      if (It != St.Fresh.end())
        St.Fresh[*P] = It->second;
      if (St.Null.count(*From))
        St.Null.insert(*P);
    }
  };
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit())
        Assign(varPath(V), V, V->getInit());
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->getOpcode() == BO_Assign) {
      auto P = pathOf(B->getLHS());
      Assign(P ? P : pathOf(B->getLHS(), /*AnyIndex=*/true),
             plainVar(B->getLHS()), B->getRHS());
    }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  SourceLocation Here = Ctx.User.reportLocation(Call->getBeginLoc());
  trackDormant(St, Call, Name);
  if (!Facts->userDefinition(Callee))
    for (const WorkKey &T : WorkFacts::armedBy(Call, Name))
      eraseAliases(St.SourcesStopped, T);

  if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
    if (Collecting && Report) {
      // What is stopped here, for the callee's entry state.
      std::set<WorkKey> Here = St.Stopped;
      // A release callback runs after the stops the file does (onFree).
      if (Facts->ReleaseCallbacks.count(FD))
        Here.insert(StoppedSomewhere.begin(), StoppedSomewhere.end());
      for (const auto &[K, Hs] : Facts->Handlers)
        if (std::find(Hs.begin(), Hs.end(), FD) != Hs.end())
          for (const WorkKey &A : aliasesOf(K))
            Here.insert(A);
      // An object allocated here and not queued on this path: nothing to
      // stop (a constructor's error path calling the destructor).
      for (const Expr *Arg : Call->arguments())
        if (auto P = pathOf(Arg); P && St.Fresh.count(*P))
          for (const WorkKey &K : WorkFacts::workItemsIn(pointee(Arg)))
            if (!holdsAlias(St.Live, K))
              Here.insert(K);
      auto [It, New] = AtCalls.emplace(Def, Here);
      if (!New)
        It->second = intersect(It->second, Here);
      // The caller queued the work item of an object it hands over.
      for (const Expr *Arg : Call->arguments())
        for (const WorkKey &K : WorkFacts::workItemsIn(pointee(Arg)))
          for (const WorkKey &A : aliasesOf(K))
            if (St.Live.count(A)) {
              ArgConstants Consts;
              for (const Expr *E : Call->arguments()) {
                Expr::EvalResult R;
                if (E->EvaluateAsInt(R, *AST))
                  Consts.push_back(R.Val.getInt());
                else
                  Consts.push_back(std::nullopt);
              }
              auto [Known, First] = LiveArgs[Def].emplace(K, Consts);
              if (!First)
                for (size_t I = 0; I < Known->second.size(); ++I)
                  if (I >= Consts.size() || !Known->second[I] || !Consts[I] ||
                      llvm::APSInt::compareValues(*Known->second[I],
                                                  *Consts[I]) != 0)
                    Known->second[I] = std::nullopt;
              auto Q = St.Queued.find(A);
              LiveAtCalls[Def].emplace(
                  K, Q != St.Queued.end() ? Q->second
                                          : Ctx.User.reportLocation(
                                                Call->getBeginLoc()));
              break;
            }
      for (const Expr *Arg : Call->arguments())
        for (const WorkKey &K : WorkFacts::workItemsIn(pointee(Arg)))
          if (const FunctionDecl *Helper = maybeQueuedBy(St, K))
            MaybeAtCalls[Def].emplace(K, Helper);
    }
    for (const WorkKey &K : Facts->StopsBy[Def])
      stop(St, K);
    for (const WorkKey &T : sourceStopsIn(Def))
      St.SourcesStopped.insert(T);
    // A helper that poisons the URBs (cdc-wdm poison_urbs()): nothing
    // re-arms them after it.
    for (const WorkKey &T : sourceShutdownsIn(Def))
      St.Shutdown.insert(T);
    if (auto A = Facts->ArmsBy.find(Def); A != Facts->ArmsBy.end())
      for (const WorkKey &T : A->second)
        eraseAliases(St.SourcesStopped, T);
    const std::set<WorkKey> &Must = MustQueuesBy[Def];
    for (const WorkKey &K : Facts->QueuesBy[Def])
      if (Must.count(K)) {
        if (FailureExits.count(Def) && !holdsAlias(St.Live, K))
          St.SuccessOf[K] = {Call, nullptr};
        queue(St, K, Here);
      } else {
        maybeQueue(St, K, Here, Def);
      }
    return;
  }
  if (const api::OpsCall *Ops = api::findOpsCall(Name)) {
    auto It = Facts->OpsFunctions.find({Ops->Struct.str(), Ops->Field.str()});
    if (It != Facts->OpsFunctions.end())
      for (const FunctionDecl *Fn : It->second) {
        for (const WorkKey &K : Facts->StopsBy[Fn]) {
          const FunctionDecl *Other = queuedByOtherOps(K, Ops->Struct, Fn);
          if (!Other) {
            stop(St, K);
            continue;
          }
          // Not a stop when the object was never opened.
          if (!holdsAlias(St.Stopped, K))
            St.OpenOnly.emplace(K, std::make_pair(Here, Fn));
          OpenOnlyQueuer[K] = Other;
        }
        for (const WorkKey &T : sourceStopsIn(Fn))
          St.SourcesStopped.insert(T);
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
    bool WasLive = holdsAlias(St.Live, *K) || maybeQueuedBy(St, *K);
    queue(St, *K, Here);
    {
      // Through which object: `&priv->w` names priv's own item.
      const VarDecl *Base = WorkFacts::rootVar(Work);
      const RecordDecl *Own = Base ? ownRecord(Base) : nullptr;
      if (!Own || Own->getCanonicalDecl() != K->Root)
        Base = nullptr;
      St.QueuedVia[*K].insert(Base);
    }
    if (!WasLive)
      St.QueueResult[*K] = {Call, nullptr, false};
    else
      St.QueueResult.erase(*K); // false: it was pending, so still live
    if (Q->QueueArg >= 0 && unsigned(Q->QueueArg) < Call->getNumArgs())
      if (const VarDecl *Local =
              WorkFacts::localQueue(Call->getArg(Q->QueueArg));
          Local && WorkFacts::syncCancelFor(*K) == "cancel_work_sync")
        St.OnLocalQueue[*K] = Local;
    const VarDecl *V = WorkFacts::rootVar(Work);
    auto Freed = V ? St.Freed.find(V) : St.Freed.end();
    if (Report && !Collecting && Freed != St.Freed.end() && Here.isValid() &&
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
        stop(St, *K);
        if (!api::disablesWork(Name))
          rearmedByHandler(FD, St, *K, Here, Call->getArg(W->WorkArg));
      } else {
        St.Async.emplace(*K, Here);
        AsyncVia[Here] = WorkFacts::rootVar(Call->getArg(W->WorkArg));
        St.CancelResult[*K] = {Call, nullptr, false};
      }
    }
    return;
  }
  int Wait = api::completionWaitArg(Name);
  if (Wait >= 0 && unsigned(Wait) < Call->getNumArgs()) {
    // The handler completes it: waiting for it waits for the handler.
    if (auto C = workKeyOf(Call->getArg(Wait)))
      for (const WorkKey &K : Facts->itemsCompletedBy(*C))
        stop(St, K);
    return;
  }
  int Drain = api::drainQueueArg(Name);
  if (Drain < 0)
    Drain = api::flushQueueArg(Name); // a stop on this path (WQ_FLUSH_QUEUE)
  if (Drain >= 0 && unsigned(Drain) < Call->getNumArgs()) {
    const Expr *Drained = WorkFacts::drainedQueue(Call->getArg(Drain));
    const VarDecl *Local = WorkFacts::localQueue(Drained);
    if (Local) {
      std::vector<WorkKey> Done;
      for (const auto &[K, On] : St.OnLocalQueue)
        if (On == Local)
          Done.push_back(K);
      for (const WorkKey &K : Done)
        stop(St, K);
    }
    std::optional<WorkKey> Queue = workKeyOf(Drained);
    if (!Queue && Local)
      if (auto Copy = St.QueueCopies.find(Local); Copy != St.QueueCopies.end())
        Queue = Copy->second;
    if (Queue) {
      for (const WorkKey &K : Facts->itemsDrainedBy(*Queue))
        stop(St, K);
      // cancel_delayed_work() then destroy_workqueue(): the timer is gone
      // and the destroy waits for a handler the cancel missed.
      std::vector<WorkKey> Done;
      for (const auto &[K, On] : Facts->QueuedOn)
        if (On.size() == 1 && *On.begin() == Queue && St.Async.count(K))
          Done.push_back(K);
      // The same for a work item queued only in another file, on a queue
      // of its own object: cancel_delayed_work(&slot->work);
      // destroy_workqueue(slot->wq) (shpchp_core.c cleanup_slots()).
      for (const auto &[K, Loc] : St.Async) {
        bool QueuedHere = false;
        for (const WorkKey &A : aliasesOf(K))
          QueuedHere |= Facts->QueuedOn.count(A) > 0;
        if (!QueuedHere && K.Root == Queue->Root)
          Done.push_back(K);
      }
      for (const WorkKey &K : Done)
        stop(St, K);
    }
    return;
  }
  int Down = api::sourceShutdownArg(Name);
  if (Down >= 0 && unsigned(Down) < Call->getNumArgs())
    if (auto T = workKeyOf(Call->getArg(Down)))
      St.Shutdown.insert(*T);
  int CbArg = api::callbackStopArg(Name);
  if (CbArg >= 0 && unsigned(CbArg) < Call->getNumArgs()) {
    // Until the timer/tasklet is stopped it could queue its work items
    // again: a stop of those before this point does not count.
    if (auto T = workKeyOf(Call->getArg(CbArg))) {
      auto It = Facts->CallbackOf.find(*T);
      if (It != Facts->CallbackOf.end() && !holdsAlias(St.Dormant, *T))
        sourceStoppedLate(St, It->second, Here, &*T);
      St.SourcesStopped.insert(*T);
    }
    return;
  }
  // power_supply_unregister(): its callbacks could queue until now.
  std::vector<api::OpsField> Slots = api::sourceUnregisterOps(Name);
  for (const api::OpsField &Slot : Slots) {
    auto It = Facts->OpsFunctions.find({Slot.Struct.str(), Slot.Field.str()});
    if (It == Facts->OpsFunctions.end())
      continue;
    for (const FunctionDecl *Fn : It->second)
      sourceStoppedLate(St, Fn, Here);
  }
  if (!Slots.empty())
    return;
  int FreedArg = api::freedArg(Name);
  if (FreedArg >= 0 && unsigned(FreedArg) < Call->getNumArgs()) {
    const Expr *Obj = Call->getArg(FreedArg);
    onFree(FD, Call, Name, Obj, {pointee(Obj)}, St, Report);
    return;
  }
  if (const api::FreePrivate *P = api::findFreePrivate(Name)) {
    if (P->ObjArg < Call->getNumArgs()) {
      const Expr *Obj = Call->getArg(P->ObjArg);
      std::vector<const RecordDecl *> Own = privateTypesIn(FD, plainVar(Obj));
      onFree(FD, Call, Name, Obj, Own.empty() ? PrivateTypes : Own, St,
             Report);
    }
    return;
  }
  // A function of another file that takes the struct: it may stop it.
  // Not evidence against a stop already undone on this path (Requeued):
  // that evidence is what the code shows, the opaque stop only a guess
  // (pvrusb2-hdw.c:2677, whose pvr2_i2c_core_done() stops nothing).
  for (const WorkKey &K : Facts->opaqueKeys(Call))
    if (!St.Requeued.count(K)) {
      bool Real = holdsAlias(St.Stopped, K) && !St.Guessed.count(K);
      stop(St, K);
      if (!Real)
        St.Guessed.insert(K);
    }
}

/// The reference drop (WQ_REF_PUT) whose success a call of FD runs after
/// (BranchGuards.h callsOnReferenceDrop()).
const CallExpr *
FreeBeforeCancelCheck::referenceDropGuarding(const FunctionDecl *FD,
                                             const CallExpr *Call) {
  auto [It, New] = DropGuarded.try_emplace(FD);
  if (New)
    It->second = callsOnReferenceDrop(FD->getBody());
  auto F = It->second.find(Call);
  return F == It->second.end() ? nullptr : F->second;
}

/// Why a free may run while K is queued or running, best evidence first.
enum class Basis {
  None,
  Async,       ///< the only stop on the path does not wait
  Requeued,    ///< stopped, then its re-queue source was stopped later
  OpenOnly,    ///< stopped only if the object was open; queued regardless
  PathQueued,  ///< queued on this path and not stopped since
  GlobalQueued,///< queued through the same global pointer, never stopped
               ///< through it
  NeverStopped,///< queued in the file, waited for nowhere in it
  Possible,    ///< queued in the file; only "not proven stopped here"
};

void FreeBeforeCancelCheck::onFree(const FunctionDecl *FD,
                                   const CallExpr *Call, StringRef Name,
                                   const Expr *Obj,
                                   std::vector<const RecordDecl *> Types,
                                   State &St, bool Report) {
  const VarDecl *V = plainVar(Obj);
  auto P = pathOf(Obj);
  auto AnyElement = pathOf(Obj, /*AnyIndex=*/true);
  SourceLocation Here = Ctx.User.reportLocation(Call->getBeginLoc());
  bool Fresh = (P && St.Fresh.count(*P)) ||
               (!P && AnyElement && St.Fresh.count(*AnyElement));
  bool IsNull = P && St.Null.count(*P);
  // A work handler that frees an object it did not allocate or queue was
  // handed it (by the producer, after that object's own work ran).
  bool InHandler = false;
  for (const auto &[K, Hs] : Facts->Handlers)
    InHandler |= std::find(Hs.begin(), Hs.end(), FD) != Hs.end();
  // A release callback, or a free under `if (atomic_dec_and_test(..))`
  // (WQ_REF_PUT): it runs when the last reference goes (6.1
  // kernel/bpf/cpumap.c put_cpu_map_entry(), held-out Set N).
  const CallExpr *Drop = referenceDropGuarding(FD, Call);
  bool Release = Facts->ReleaseCallbacks.count(FD) > 0 || Drop;
  const WorkKey *Victim = nullptr;
  Basis Best = Basis::None;
  std::string Why; // for Basis::Possible
  std::vector<std::tuple<const WorkKey *, Basis, std::string>> Candidates;
  std::vector<WorkKey> Keys;
  for (const RecordDecl *T : Types)
    for (WorkKey &K : WorkFacts::workItemsIn(T))
      Keys.push_back(std::move(K));
  for (const WorkKey &K : Keys) {
    auto Hs = Facts->handlersOf(K);
    // The handler frees its own container: correct, unless it queued the
    // work item again on this path and did not take it back.  A work item
    // never runs twice at once, so in its own handler cancel_work() is
    // enough (core-cdev.c iso_resource_work()).
    if (std::find(Hs.begin(), Hs.end(), FD) != Hs.end() &&
        (!holdsAlias(St.Live, K) || St.Async.count(K)))
      continue;
    if (IsNull || holdsAlias(St.Stopped, K))
      continue;
    Basis B = Basis::None;
    std::string KWhy;
    if (St.Async.count(K))
      B = Basis::Async;
    else if (auto Rq = St.Requeued.find(K); Rq != St.Requeued.end()) {
      B = Basis::Requeued;
      // The re-queue source serves requests that a subsystem drain before
      // the stop has ended (WQ_REQUEST_DRAIN).
      if (auto Drain = drainedBefore(FD, Rq->second)) {
        B = Basis::Possible;
        KWhy = *Drain;
      }
    }
    else if (St.OpenOnly.count(K))
      B = Basis::OpenOnly;
    else if (holdsAlias(St.Live, K) &&
             !(Fresh && queuedOnlyOnOthers(FD, St, K, V, P)))
      B = Basis::PathQueued;
    else if (V && V->hasGlobalStorage() && GlobalQueues[V].count(K) &&
             !GlobalStops[V].count(K) && !Facts->SetupFunctions.count(FD))
      B = Basis::GlobalQueued;
    else if (const FunctionDecl *Helper = maybeQueuedBy(St, K);
             Helper && (Fresh || InHandler)) {
      B = Basis::Possible;
      KWhy = "'" + Helper->getName().str() +
             "' queues it on some of its paths only; wqcheck cannot tell "
             "whether it did on this one";
    } else if (Fresh || InHandler || !queuedInFile(K))
      B = Basis::None; // allocated (or handed over) here and not queued
    else if (Release && holdsAlias(StoppedSomewhere, K))
      B = Basis::None; // the last reference goes after the file's stop
    else if (auto Owner = ownership(K)) {
      B = Basis::Possible;
      KWhy = *Owner;
    } else if (Release) {
      B = Basis::Possible;
      KWhy = Drop ? "this free runs only when '" +
                        Drop->getDirectCallee()->getName().str() +
                        "' drops the last reference, which may come after "
                        "the work item is done"
                  : "'" + FD->getName().str() +
                        "' is a release callback: it runs when the last "
                        "reference is dropped, which may come after the "
                        "work item is done";
    } else if (Facts->SetupFunctions.count(FD)) {
      B = Basis::Possible;
      KWhy = "'" + FD->getName().str() +
             "' sets the object up: this free is on one of its error paths, "
             "and nothing queued the work item on this path";
    } else if (!holdsAlias(Facts->ExitFunctions.count(FD) ? StoppedOnTeardown
                                                          : StoppedBeforeExit,
                           K)) {
      B = Basis::NeverStopped;
      // The file flushes the queue it runs on in another function: the
      // teardown that frees it may well run that first (6.1
      // fs/ocfs2/journal.c, ocfs2_recovery_exit() before
      // ocfs2_journal_shutdown(), both called from super.c).
      if (auto Fl = Facts->QueueFlushedBy.find(K);
          Fl != Facts->QueueFlushedBy.end() && Fl->second != FD) {
        B = Basis::Possible;
        KWhy = "the file flushes the queue it runs on in '" +
               Fl->second->getName().str() +
               "' (flush_workqueue() waits for it); wqcheck cannot tell "
               "whether that runs before this free";
      }
    } else {
      B = Basis::Possible;
      KWhy = "the file stops it with a waiting call elsewhere (" +
             stopText(K) + "); wqcheck cannot tell whether that runs before "
             "this free";
    }
    if (B == Basis::None)
      continue;
    Candidates.push_back({&K, B, KWhy});
    if (!Victim || B < Best) {
      Victim = &K;
      Best = B;
      Why = KWhy;
    }
  }
  if (V)
    St.Freed[V] = Here;
  if (P)
    eraseUnder(St.Fresh, *P);
  if (!Report || Collecting || !Victim || Here.isInvalid())
    return;
  // Reports K; Best and Why are its basis.
  auto ReportOne = [&](const WorkKey &K, Basis Best, const std::string &Why) {
  bool Private = api::findFreePrivate(Name) != nullptr;
  std::string Item = Private ? WorkFacts::spell(K, nullptr)
                             : WorkFacts::spellThrough(K, Obj, *AST);
  if (Private)
    if (const api::FreePrivate *FP = api::findFreePrivate(Name)) {
      // `netdev_priv(net)->wq`, `netdev_priv(sl->dev)->tx_work`.
      std::optional<std::string> Dev =
          V ? std::optional<std::string>(V->getName().str())
            : WorkFacts::writtenAs(Obj, *AST);
      if (Dev)
        Item = (FP->Accessor + "(" + *Dev + ")->").str() +
               Item.substr(Item.find('.') + 1);
    }
  if (V && V->hasGlobalStorage() && llvm::StringRef(Item).starts_with("struct "))
    Item = WorkFacts::spell(K, V); // `data->work` for a global pointer
  std::string What = "the object";
  if (V)
    What = "'" + V->getName().str() + "'";
  else if (auto Text = Private ? WorkFacts::writtenAs(Obj, *AST) : std::nullopt)
    What = "'" + *Text + "'";
  else if (!Private && Item.rfind("->") != std::string::npos &&
           !isa<DeclRefExpr>(Obj->IgnoreParenCasts()))
    What = "'" + Item.substr(0, Item.rfind("->")) + "'"; // `kbd->backlight`
  std::string Fix = WorkFacts::syncCancelFor(K).str() + "(&" + Item + ")";
  // An object wqcheck cannot name (a container_of() result): say which
  // field, not "cancel_work_sync(&struct foo.work)", which is not C.
  if (llvm::StringRef(Item).starts_with("struct "))
    Fix = WorkFacts::syncCancelFor(K).str() + "() on its '" +
          Item.substr(Item.find('.') + 1) + "'";
  std::string Message =
      "'" + Name.str() + "' frees " + What + " while its work item '" + Item +
      "'" + handlerText(K) +
      " may still be queued or running: the handler would then use freed "
      "memory (ODEBUG 'free active', KASAN use-after-free); ";
  if (Best == Basis::Async)
    Message += "the cancel without _sync does not wait for a running "
               "handler; use " + Fix + " before freeing";
  else if (Best == Basis::Requeued && St.Rearmed.count(K))
    Message += "its handler re-arms what queues it again, so the waiting "
               "cancel does not hold; stop that source for good first "
               "(timer_shutdown_sync(), usb_poison_urb()) or use "
               "disable_work_sync() (6.10+) before freeing";
  else if (Best == Basis::Requeued)
    Message += "it was stopped before what re-queues it; stop the timer or "
               "tasklet first, then call " + Fix + " before freeing";
  else if (Best == Basis::OpenOnly)
    Message += "its only stop runs only if the device was open, and it can "
               "be queued while it is not; call " + Fix + " before freeing";
  else if (Best == Basis::NeverStopped)
    Message += "nothing in this file waits for it before this free can "
               "run; call " + Fix +
               " before freeing it (after stopping what re-queues it)";
  else
    Message += "call " + Fix + " before freeing it (after stopping what "
               "re-queues it)";
  bool Printed =
      Best == Basis::Possible
          ? Ctx.Report.possible(Id, Here, Message, Why)
          : Ctx.Report.warn(Id, Here, Message);
  if (!Printed)
    return;
  if (Ctx.Report.capturing())
    CapturedItems.push_back({Message, K});
  if (auto Async = St.Async.find(K); Best == Basis::Async)
    Ctx.Report.note(Async->second, "cancelled here without waiting");
  if (Best == Basis::Requeued)
    ReportedAtFree.insert({FD, K});
  if (auto O = St.OpenOnly.find(K); Best == Basis::OpenOnly) {
    const auto &[Call, Stopper] = O->second;
    Ctx.Report.note(Call, "this runs '" + Stopper->getName().str() +
                              "', which stops '" + Item +
                              "', only for a device that is open");
    if (const FunctionDecl *Q = OpenOnlyQueuer[K]) {
      // A work handler is in the ops tables as work_struct.func.
      std::string What = "a callback of another ops table,";
      for (const auto &[W, Hs] : Facts->Handlers)
        if (std::find(Hs.begin(), Hs.end(), Q) != Hs.end()) {
          What = "the handler of '" + WorkFacts::spell(W, nullptr) +
                 "', which '" + Stopper->getName().str() +
                 "' does not stop,";
          break;
        }
      Ctx.Report.note(queueIn(K, Q),
                      "'" + Q->getName().str() + "', " + What + " queues '" +
                          Item + "' whether or not the device is open");
    }
    return;
  }
  if (auto Req = St.Requeued.find(K);
      Best == Basis::Requeued && St.Rearmed.count(K))
    return rearmNotes(FD, K, Item, Req->second);
  else if (Best == Basis::Requeued)
    Ctx.Report.note(Req->second,
                    "what re-queues '" + Item +
                        "' is stopped only here, after the work item was "
                        "stopped");
  auto Queued = St.Queued.find(K);
  const WorkUse *U = firstQueue(K);
  std::string QueuedText = "'" + Item + "' is queued here";
  if (Best == Basis::NeverStopped)
    QueuedText += ", and nothing in this file waits for it before the free";
  if (Best == Basis::GlobalQueued) {
    // A queue in another function: one in this one may come after the free.
    const auto &Sites = GlobalQueues[V][K];
    SourceLocation At = Sites.front().first;
    for (const auto &[Loc, In] : Sites)
      if (In != FD) {
        At = Loc;
        break;
      }
    Ctx.Report.note(At,
                    "'" + Item + "' is queued here, and nothing in this file "
                    "waits for it through '" + V->getName().str() + "'");
  } else if (Queued != St.Queued.end())
    Ctx.Report.note(Queued->second, QueuedText);
  else if (U && U->Loc.isValid())
    Ctx.Report.note(U->Loc, QueuedText);
  };
  // Asked what it would report (the cross-file summaries' pending
  // findings, recordFacts()): every item that may be live, not only the
  // best one, as other files' facts may clear some.
  if (Ctx.Report.capturing()) {
    for (const auto &[CK, CB, CW] : Candidates)
      if (CB != Basis::Possible)
        ReportOne(*CK, CB, CW);
    return;
  }
  ReportOne(*Victim, Best, Why);
}

void FreeBeforeCancelCheck::checkFunction(const FunctionDecl *FD,
                                          State Entry) {
  Solving = FD;
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(FD, St, S, Report); });
        // What leaves the function with its stop undone (a remove() whose
        // re-queue source is unregistered after the cancel).
        if (Report && !Collecting)
          for (const CFGBlock *Succ : B.succs())
            if (Succ == &B.getParent()->getExit()) {
              mergeFirst(RequeuedAtExit[FD], S.Requeued);
              for (const WorkKey &K : S.Rearmed)
                if (auto R = S.Requeued.find(K); R != S.Requeued.end())
                  RearmedAtExit[FD].emplace(K, R->second);
            }
      },
      join, std::move(Entry),
      [&](const CFGBlock &From, const CFGBlock &To, State &S) {
        onEdge(From, To, S);
      });
}

/// Static helpers called only directly: what every call site has stopped.
void FreeBeforeCancelCheck::computeEntryStates() {
  std::set<const FunctionDecl *> Helpers;
  for (const FunctionDecl *FD : Facts->functions())
    if (!FD->isExternallyVisible() && !Facts->AddressTaken.count(FD) &&
        !Facts->ReleaseCallbacks.count(FD))
      Helpers.insert(FD);
  if (Helpers.empty())
    return;
  Collecting = true;
  for (const FunctionDecl *FD : Facts->functions())
    checkFunction(FD, State());
  Collecting = false;
  for (const auto &[FD, Stopped] : AtCalls)
    if (Helpers.count(FD) && !Stopped.empty())
      EntryStopped[FD] = Stopped;
  for (const auto &[FD, Live] : LiveAtCalls)
    if (Helpers.count(FD))
      EntryLive[FD] = Live;
  for (const auto &[FD, Maybe] : MaybeAtCalls)
    if (Helpers.count(FD))
      EntryMaybe[FD] = Maybe;
}

/// MustQueuesBy: a forward "on every path" analysis per function that
/// queues anything, repeated until the helpers' summaries settle.
void FreeBeforeCancelCheck::computeMustQueues() {
  struct Must {
    bool Reached = false;
    std::set<WorkKey> Queued;
    bool operator==(const Must &O) const {
      return Reached == O.Reached && Queued == O.Queued;
    }
  };
  auto Join = [](const Must &A, const Must &B) {
    Must R = A;
    R.Queued = intersect(A.Queued, B.Queued);
    return R;
  };
  auto NoEdge = [](const CFGBlock &, const CFGBlock &, Must &) {};
  auto Kill = [](Must &S, const WorkKey &K) {
    for (const WorkKey &A : aliasesOf(K))
      S.Queued.erase(A);
  };
  std::map<const FunctionDecl *, std::unique_ptr<CFG>> Graphs;
  for (const FunctionDecl *FD : Facts->functions())
    if (!Facts->QueuesBy[FD].empty()) {
      CFG::BuildOptions Options;
      if (auto G = CFG::buildCFG(FD, FD->getBody(), AST, Options))
        Graphs.emplace(FD, std::move(G));
    }
  for (unsigned Round = 0; Round < 4; ++Round) {
    bool Changed = false;
    for (const auto &[FD, G] : Graphs) {
      auto Transfer = [&](const CFGBlock &B, Must &S) {
        forEachStmt(B, [&](const Stmt *St) {
          const auto *Call = dyn_cast<CallExpr>(St);
          const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
          if (!Callee || !Callee->getIdentifier())
            return;
          StringRef Name = Callee->getName();
          if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
            for (const WorkKey &K : Facts->StopsBy[Def])
              Kill(S, K);
            for (const WorkKey &K : MustQueuesBy[Def])
              S.Queued.insert(K);
          } else if (const api::QueueWork *Q = api::findQueueWork(Name)) {
            if (Q->WorkArg < Call->getNumArgs())
              if (auto K = workKeyOf(Call->getArg(Q->WorkArg)))
                S.Queued.insert(*K);
          } else if (const api::WorkStop *W = api::findWorkStop(Name);
                     W && W->Waits && W->WorkArg < Call->getNumArgs()) {
            if (auto K = workKeyOf(Call->getArg(W->WorkArg)))
              Kill(S, *K);
          }
        });
      };
      ForwardDataflow<Must> Flow(*G, Must(), Transfer, Join, NoEdge);
      // Every path that reaches a return, one edge at a time, so that a
      // return of a failure value (`return NULL;`, `return -EINVAL;`, or
      // `if (p) queue_work(..); return p;` with p NULL) does not count.
      std::optional<std::set<WorkKey>> Acc;
      for (const CFGBlock *R : G->getExit().preds()) {
        if (!R)
          continue;
        const ReturnStmt *Ret = nullptr;
        for (const CFGElement &E : *R)
          if (auto CS = E.getAs<CFGStmt>())
            if (const auto *RS = dyn_cast<ReturnStmt>(CS->getStmt()))
              Ret = RS;
        const Expr *Value = Ret ? Ret->getRetValue() : nullptr;
        const VarDecl *ValueVar = Value ? plainVar(Value) : nullptr;
        auto Contribute = [&](Must S) {
          if (!S.Reached)
            return;
          Transfer(*R, S);
          Acc = Acc ? intersect(*Acc, S.Queued) : S.Queued;
        };
        if (Value && isFailureValue(Value, *AST)) {
          FailureExits.insert(FD);
          continue;
        }
        if (R->pred_empty()) {
          Contribute(Flow.in(*R, Join, NoEdge));
          continue;
        }
        for (const CFGBlock *P : R->preds()) {
          if (!P)
            continue;
          if (ValueVar && resultFailsOnEdge(*P, *R, nullptr, ValueVar, *AST)
                              .value_or(false)) {
            FailureExits.insert(FD);
            continue;
          }
          Contribute(Flow.out(*P));
        }
      }
      std::set<WorkKey> Result = Acc ? *Acc : std::set<WorkKey>();
      if (Result != MustQueuesBy[FD]) {
        MustQueuesBy[FD] = std::move(Result);
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
}

/// remove() of a driver whose probe() allocated the data with devm_*.
void FreeBeforeCancelCheck::checkTeardown() {
  for (const Decl *D : Ctx.User.topLevelDecls(*AST)) {
    const auto *VD = dyn_cast<VarDecl>(D);
    const RecordDecl *RD = VD ? VD->getType()->getAsRecordDecl() : nullptr;
    if (!RD || !RD->getIdentifier() || !VD->getInit())
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
      // The members of anonymous structs and unions are the struct's own
      // (6.11+ platform_driver: union { remove; remove_new; }).
      std::function<void(const RecordDecl *, const InitListExpr *)> Walk =
          [&](const RecordDecl *R, const InitListExpr *L) {
            if (L->isSyntacticForm() && L->getSemanticForm())
              L = L->getSemanticForm();
            auto Visit = [&](const FieldDecl *F, const Expr *E) {
              E = E->IgnoreParenCasts();
              if (F->isAnonymousStructOrUnion()) {
                if (const auto *Sub = dyn_cast<InitListExpr>(E))
                  if (const RecordDecl *SR = F->getType()->getAsRecordDecl())
                    Walk(SR, Sub);
                return;
              }
              const auto *Ref = dyn_cast<DeclRefExpr>(E);
              const auto *Fn =
                  Ref ? dyn_cast<FunctionDecl>(Ref->getDecl()) : nullptr;
              if (!Fn || !F->getIdentifier())
                return;
              if (F->getName() == T.Probe)
                Probe = Facts->userDefinition(Fn);
              if (F->getName() == T.Remove)
                Remove = Facts->userDefinition(Fn);
            };
            if (R->isUnion()) {
              if (const FieldDecl *F = L->getInitializedFieldInUnion())
                if (L->getNumInits() == 1)
                  Visit(F, L->getInit(0));
              return;
            }
            unsigned I = 0;
            for (const FieldDecl *F : R->fields()) {
              if (I >= L->getNumInits())
                break;
              Visit(F, L->getInit(I++));
            }
          };
      Walk(RD, IL);
      if (!Probe || !Remove)
        continue;
      // Driver data allocated with devm_* in probe().
      struct Finder : RecursiveASTVisitor<Finder> {
        const WorkFacts &Facts;
        explicit Finder(const WorkFacts &Facts) : Facts(Facts) {}
        std::vector<std::pair<const CallExpr *, const RecordDecl *>> Found;
        /// Devm objects with release callbacks, by the call in probe()
        /// that allocates them (itself, or a helper that does:
        /// wm97xx_register_touch()).
        std::vector<std::pair<const CallExpr *, api::OpsField>> DevmOps;
        const CallExpr *InProbe = nullptr; ///< set inside a helper
        std::set<const FunctionDecl *> Seen;
        /// Callbacks probe() registers with devres (WQ_DEVM_SOURCE_*).
        std::vector<DevmSource> Sources;
        bool VisitCallExpr(CallExpr *Call) {
          const FunctionDecl *F = Call->getDirectCallee();
          if (F && F->getIdentifier())
            if (auto Slot = api::devmOpsOf(F->getName()))
              DevmOps.push_back({InProbe ? InProbe : Call, *Slot});
          if (F && F->getIdentifier()) {
            for (int A : api::devmSourceArgs(F->getName()))
              if (unsigned(A) < Call->getNumArgs())
                if (const FunctionDecl *Fn = Facts.userDefinition(
                        functionNamedBy(Call->getArg(A))))
                  Sources.push_back({Call, Fn});
            for (const api::OpsField &Slot : api::devmSourceOps(F->getName())) {
              auto It = Facts.OpsFunctions.find(
                  {Slot.Struct.str(), Slot.Field.str()});
              if (It != Facts.OpsFunctions.end())
                for (const FunctionDecl *Fn : It->second)
                  Sources.push_back({Call, Fn});
            }
          }
          const FunctionDecl *Def = Facts.userDefinition(F);
          if (Def && Seen.insert(Def).second) {
            const CallExpr *Outer = InProbe;
            if (!InProbe)
              InProbe = Call;
            TraverseStmt(Def->getBody());
            InProbe = Outer;
          }
          return true;
        }
        void note(const RecordDecl *Data, const Expr *Value) {
          if (InProbe)
            return; // driver data allocated in probe() itself
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
      } Find(*Facts);
      Find.Seen.insert(Probe);
      Find.TraverseStmt(Probe->getBody());
      for (const auto &[Alloc, Data] : Find.Found) {
        // Devres objects allocated after the data are released before it:
        // the callbacks their release runs (input_dev.close) stop first.
        std::set<WorkKey> StoppedByDevres = Facts->DevmStopped;
        for (const auto &[Call, Slot] : Find.DevmOps) {
          if (!AST->getSourceManager().isBeforeInTranslationUnit(
                  Alloc->getBeginLoc(), Call->getBeginLoc()))
            continue;
          auto It = Facts->OpsFunctions.find(
              {Slot.Struct.str(), Slot.Field.str()});
          if (It != Facts->OpsFunctions.end())
            for (const FunctionDecl *Fn : It->second)
              StoppedByDevres.insert(Facts->StopsBy[Fn].begin(),
                                     Facts->StopsBy[Fn].end());
        }
        for (const WorkKey &K : WorkFacts::workItemsIn(Data)) {
          if (!queuedInFile(K) || holdsAlias(StoppedByDevres, K))
            continue;
          if (holdsAlias(Facts->StopsBy[Remove], K)) {
            auto Undone = RequeuedAtExit[Remove].find(K);
            if (Undone == RequeuedAtExit[Remove].end()) {
              checkDevmRequeue(Probe, Remove, T.Remove, Alloc, K,
                               Find.Sources);
              continue;
            }
            std::string Item = WorkFacts::spell(K, nullptr);
            SourceLocation Loc =
                Ctx.User.reportLocation(Remove->getLocation());
            std::string RemoveName = removeCallbackName(T.Remove).str();
            // Undone by the item's own handler re-arming its source: the
            // notes show that cycle, and the report at the cancel would
            // repeat this finding.
            auto Rearmed = RearmedAtExit[Remove].find(K);
            bool ByRearm = Rearmed != RearmedAtExit[Remove].end();
            std::string Fix =
                ByRearm ? "stop that source for good first "
                          "(timer_shutdown_sync(), usb_poison_urb()) or use "
                          "disable_work_sync() (6.10+)"
                        : "stop the source first, then call " +
                              WorkFacts::syncCancelFor(K).str() + "() on it";
            std::string Message =
                "'" + Remove->getName().str() + "' stops work item '" +
                Item + "'" + handlerText(K) +
                " before what re-queues it, and devres frees the driver "
                "data holding it right after " + RemoveName +
                "() returns (use after free); " + Fix;
            std::optional<std::string> Drain = drainedBefore(
                Remove, ByRearm ? Rearmed->second : Undone->second);
            if (Loc.isInvalid() ||
                !(Drain ? Ctx.Report.possible(Id, Loc, Message, *Drain)
                        : Ctx.Report.warn(Id, Loc, Message)))
              continue;
            if (ByRearm) {
              ReportedAtFree.insert({Remove, K});
              rearmNotes(Remove, K, Item, Rearmed->second);
            } else {
              Ctx.Report.note(Undone->second,
                              "what re-queues '" + Item +
                                  "' is stopped only here, after the work "
                                  "item was stopped");
            }
            Ctx.Report.note(Ctx.User.reportLocation(Alloc->getBeginLoc()),
                            "the driver data is allocated with '" +
                                Alloc->getDirectCallee()->getName() +
                                "' in '" + Probe->getName() + "' here");
            continue;
          }
          std::string Item = WorkFacts::spell(K, nullptr);
          SourceLocation Loc = Ctx.User.reportLocation(Remove->getLocation());
          std::string Message =
              "'" + Remove->getName().str() + "' returns while work item '" +
              Item + "'" + handlerText(K) +
              " may still be queued or running, and devres frees "
              "the driver data holding it right after " + T.Remove.str() +
              "() returns (use after free); call " +
              WorkFacts::syncCancelFor(K).str() + "() on it in " +
              Remove->getName().str() +
              "(), or set it up with devm_work_autocancel()";
          // Evidence: nothing in the file ever waits for it.  Otherwise the
          // stop elsewhere (close, suspend) may well run first.
          std::optional<std::string> Why = ownership(K);
          if (!Why && holdsAlias(StoppedBeforeExit, K))
            Why = "the file stops it with a waiting call elsewhere (" +
                  stopText(K) + "); wqcheck cannot tell whether that runs "
                  "before " + T.Remove.str() + "() returns";
          if (Loc.isInvalid() ||
              !(Why ? Ctx.Report.possible(Id, Loc, Message, *Why)
                    : Ctx.Report.warn(Id, Loc, Message)))
            continue;
          Ctx.Report.note(Ctx.User.reportLocation(Alloc->getBeginLoc()),
                          "allocated with '" +
                              Alloc->getDirectCallee()->getName() +
                              "' in '" + Probe->getName() + "' here");
          if (const WorkUse *U = firstQueue(K); U && U->Loc.isValid())
            Ctx.Report.note(U->Loc, Why ? "'" + Item + "' is queued here"
                                        : "'" + Item +
                                              "' is queued here, and "
                                              "nothing in this file waits "
                                              "for it before remove()");
        }
      }
    }
  }
}

namespace {
/// Fields that an expression reads (`bigben->removed`, `&priv->flags`).
void fieldsIn(const Stmt *S, std::set<const FieldDecl *> &Out) {
  if (!S)
    return;
  if (const auto *M = dyn_cast<MemberExpr>(S))
    if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
      Out.insert(F);
  for (const Stmt *C : S->children())
    fieldsIn(C, Out);
}

bool exits(const Stmt *S) {
  if (!S)
    return false;
  if (isa<ReturnStmt>(S) || isa<GotoStmt>(S))
    return true;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && exits(CS->body_back());
  return false;
}

/// What a teardown function does, through the file's calls: the fields
/// it writes (assignments, WQ_FLAG_WRITE) and whether it stops a
/// callback source (WQ_SOURCE_STOP).
struct TeardownEffects : RecursiveASTVisitor<TeardownEffects> {
  const WorkFacts &Facts;
  std::set<const FunctionDecl *> Seen;
  FieldWrites Written;
  bool StopsSource = false;
  /// Hands the struct holding Item to a function of another file, which
  /// may stop its sources too (WorkFacts::opaqueKeys).
  const WorkKey *Item = nullptr;
  bool Opaque = false;
  /// Ops callbacks that the function's own subsystem calls run, and where.
  std::vector<std::pair<SourceLocation, const FunctionDecl *>> OpsRun;
  unsigned Depth = 0;
  explicit TeardownEffects(const WorkFacts &Facts) : Facts(Facts) {}
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->isAssignmentOp()) {
      const Expr *L = B->getLHS();
      // WRITE_ONCE(x->f, v): *(volatile typeof(x->f) *)&x->f = v
      while (true) {
        L = L->IgnoreParenCasts();
        if (const auto *U = dyn_cast<UnaryOperator>(L)) {
          L = U->getSubExpr();
          continue;
        }
        break;
      }
      if (const auto *M = dyn_cast<MemberExpr>(L))
        if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
          Written.plain(F);
    }
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F || !F->getIdentifier())
      return true;
    if (const FunctionDecl *Def = Facts.userDefinition(F)) {
      if (Seen.insert(Def).second) {
        ++Depth;
        TraverseStmt(Def->getBody());
        --Depth;
      }
      return true;
    }
    StopsSource |= api::isSourceStop(F->getName());
    // unregister_netdev() runs ndo_stop: the callbacks such a call of the
    // function itself runs (FreeBeforeCancelCheck::writtenBy() takes
    // their writes when the call comes before the stop in question).
    if (Depth == 0)
      if (const api::OpsCall *Ops = api::findOpsCall(F->getName()))
        if (auto It = Facts.OpsFunctions.find(
                {Ops->Struct.str(), Ops->Field.str()});
            It != Facts.OpsFunctions.end())
          for (const FunctionDecl *Cb : It->second)
            OpsRun.push_back({Call->getBeginLoc(), Cb});
    if (Item)
      for (const WorkKey &O : Facts.opaqueKeys(Call))
        Opaque |= holdsAlias(std::set<WorkKey>{O}, *Item) ||
                  holdsAlias(std::set<WorkKey>{*Item}, O);
    int Flag = api::flagWriteArg(F->getName());
    if (Flag >= 0 && unsigned(Flag) < Call->getNumArgs()) {
      std::optional<BitCall> B = bitCallOf(Call, Facts.ast());
      const auto *Field =
          B ? dyn_cast_or_null<FieldDecl>(B->Ref.Bitmap) : nullptr;
      if (Field && !B->Ref.isField()) {
        Written.bit(Field, B->Ref.Bit);
      } else {
        std::set<const FieldDecl *> Fs;
        fieldsIn(Call->getArg(Flag), Fs);
        for (const FieldDecl *Fd : Fs)
          Written.plain(Fd);
      }
    }
    return true;
  }
};

/// Walks a callback and the file's functions it calls, keeping the fields
/// each enclosing condition reads (`if (!d->removed) ...`, and the rest of a
/// block after `if (d->removed) return;`): Derived::visitCall() sees each
/// call to a function of another file, and guarded() says whether one of
/// those conditions reads a field of Written (the "flag, then stop"
/// protocol of a teardown that writes it before its stop).
template <typename Derived>
struct GuardedWalk : RecursiveASTVisitor<Derived> {
  using Base = RecursiveASTVisitor<Derived>;
  const WorkFacts &Facts;
  const FieldWrites &Written;
  /// An enclosing condition: the fields it reads (with the constant bits
  /// it tests of each, or BitAny), and whether a lock was released since
  /// it was tested (LockDropEndsGuards).
  static constexpr int64_t BitAny = INT64_MIN;
  struct Guard {
    std::map<const FieldDecl *, std::set<int64_t>> Fields;
    int HeldAtTest = 0;
    bool Dropped = false;
  };
  std::vector<Guard> Guards;
  /// Locks taken minus locks released by the statements walked so far
  /// (negative inside a helper that drops its caller's lock).
  int Held = 0;
  std::set<const FunctionDecl *> Seen;
  const CallExpr *Found = nullptr;
  /// Any enclosing condition guards, whatever it reads.
  bool AnyGuard = false;
  /// A condition stops guarding once a lock held when it was tested is
  /// released (`if (test_bit(DISCONNECTING, ..)) goto
  /// out; spin_unlock_irq(&d->lock); usb_submit_urb(..)`): the writer can
  /// set the flag and stop the source in that window, and the arm that
  /// follows undoes the stop (6.1 cdc-wdm service_outstanding_interrupt(),
  /// the bug 18abf8743674 fixed with usb_poison_urb()).
  bool LockDropEndsGuards = false;
  GuardedWalk(const WorkFacts &Facts, const FieldWrites &Written)
      : Facts(Facts), Written(Written) {}
  /// The fields a condition reads, and which bits of each it tests.
  void readIn(const Stmt *S, Guard &G) const {
    if (!S)
      return;
    if (const auto *E = dyn_cast<Expr>(S))
      if (std::optional<BitCall> B = bitCallOf(E, Facts.ast());
          B && B->Op->Tests && !B->Ref.isField())
        if (const auto *F = dyn_cast_or_null<FieldDecl>(B->Ref.Bitmap)) {
          G.Fields[F].insert(B->Ref.Bit);
          return;
        }
    if (const auto *M = dyn_cast<MemberExpr>(S))
      if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
        G.Fields[F].insert(BitAny);
    for (const Stmt *C : S->children())
      readIn(C, G);
  }
  /// Whether a guard reading F (the bits Tested) reads what Written holds.
  bool readsWrite(const FieldDecl *F, const std::set<int64_t> &Tested) const {
    if (!Written.Fields.count(F))
      return false;
    auto Bits = Written.Bits.find(F);
    if (Bits == Written.Bits.end() || Tested.count(BitAny))
      return true;
    for (int64_t B : Tested)
      if (Bits->second.count(B))
        return true;
    return false;
  }
  bool guarded() const {
    for (const Guard &G : Guards) {
      if (G.Dropped)
        continue;
      if (AnyGuard)
        return true;
      for (const auto &[F, Tested] : G.Fields)
        if (readsWrite(F, Tested))
          return true;
    }
    return false;
  }
  std::vector<bool> dropped() const {
    std::vector<bool> D;
    for (const Guard &G : Guards)
      D.push_back(G.Dropped);
    return D;
  }
  void setDropped(const std::vector<bool> &D) {
    for (size_t I = 0; I < D.size() && I < Guards.size(); ++I)
      Guards[I].Dropped = D[I];
  }
  bool TraverseIfStmt(IfStmt *If) {
    Base::TraverseStmt(If->getCond());
    Guard G;
    readIn(If->getCond(), G);
    G.HeldAtTest = Held;
    Guards.push_back(G);
    std::vector<bool> Before = dropped();
    int HeldBefore = Held;
    Base::TraverseStmt(If->getThen());
    std::vector<bool> AfterThen = dropped();
    setDropped(Before);
    Held = HeldBefore;
    Base::TraverseStmt(If->getElse());
    std::vector<bool> After = dropped();
    // A branch that leaves (`{ spin_unlock(..); return; }`) releases
    // nothing for the code after the if.
    if (!exits(If->getThen()))
      for (size_t I = 0; I < After.size() && I < AfterThen.size(); ++I)
        After[I] = After[I] || AfterThen[I];
    Guards.pop_back();
    After.pop_back();
    setDropped(After);
    return true;
  }
  /// +1 for a statement that takes a lock (spinlock, rwlock, mutex,
  /// rwsem), -1 for one that releases one, else 0.
  static int lockEffect(const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    if (!F || !F->getIdentifier())
      return 0;
    if (const api::RegionOp *R = api::findRegionOp(F->getName());
        R && R->LockArg >= 0)
      return R->Effect == api::RegionEffect::Exit ? -1 : 1;
    if (const api::SleepingLockOp *L = api::findSleepingLockOp(F->getName()))
      return L->Effect == api::RegionEffect::Exit ? -1 : 1;
    return 0;
  }
  bool TraverseCompoundStmt(CompoundStmt *CS) {
    size_t Pushed = 0;
    for (Stmt *C : CS->body()) {
      Base::TraverseStmt(C);
      if (LockDropEndsGuards) {
        Held += lockEffect(C);
        // Only a lock the walk saw taken before the test: a test made
        // under no lock (or under the caller's) ends with no unlock.
        for (Guard &G : Guards)
          if (G.HeldAtTest > 0 && Held < G.HeldAtTest)
            G.Dropped = true;
      }
      // `if (d->removed) return;`: the rest of the block is guarded.
      if (const auto *If = dyn_cast<IfStmt>(C); If && !If->getElse() &&
                                                 exits(If->getThen())) {
        Guard G;
        readIn(If->getCond(), G);
        G.HeldAtTest = Held;
        Guards.push_back(G);
        ++Pushed;
      }
    }
    while (Pushed--)
      Guards.pop_back();
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (Found || !F || !F->getIdentifier())
      return true;
    if (const FunctionDecl *Def = Facts.userDefinition(F)) {
      if (Seen.insert(Def).second)
        Base::TraverseStmt(Def->getBody());
      return true;
    }
    static_cast<Derived *>(this)->visitCall(Call, F->getName());
    return true;
  }
};

/// The first queue of K reachable from a callback that no enclosing
/// condition guards with a field in Written (`if (!d->removed)
/// schedule_work(&d->work)` with remove() setting d->removed before it
/// cancels).
struct UnguardedQueue : GuardedWalk<UnguardedQueue> {
  const WorkKey &K;
  UnguardedQueue(const WorkFacts &Facts, const WorkKey &K,
                 const FieldWrites &Written)
      : GuardedWalk(Facts, Written), K(K) {}
  void visitCall(const CallExpr *Call, StringRef Name) {
    if (const api::QueueWork *Q = api::findQueueWork(Name))
      if (Q->WorkArg < Call->getNumArgs())
        if (auto W = workKeyOf(Call->getArg(Q->WorkArg)))
          if ((holdsAlias(std::set<WorkKey>{*W}, K) ||
               holdsAlias(std::set<WorkKey>{K}, *W)) &&
              !guarded())
            Found = Call;
  }
};
} // namespace

namespace {
/// The first call in a handler (through the file's calls) that arms a
/// source (WQ_SOURCE_ARM) whose callback queues K, with no enclosing
/// condition testing a field in Written (`if (!priv->stopping)
/// mod_timer(..)`), and not shut down (Shutdown).
struct UnguardedRearm : GuardedWalk<UnguardedRearm> {
  const WorkKey &K;
  const std::set<WorkKey> &Shutdown;
  WorkKey Source;
  const FunctionDecl *Callback = nullptr;
  /// Only this source, if set.
  const WorkKey *Only = nullptr;
  UnguardedRearm(const WorkFacts &Facts, const WorkKey &K,
                 const FieldWrites &Written,
                 const std::set<WorkKey> &Shutdown)
      : GuardedWalk(Facts, Written), K(K), Shutdown(Shutdown) {
    LockDropEndsGuards = true;
  }
  void visitCall(const CallExpr *Call, StringRef Name) {
    int Arg = api::sourceArmArg(Name);
    if (Arg < 0 || unsigned(Arg) >= Call->getNumArgs() || guarded())
      return;
    auto T = workKeyOf(Call->getArg(Arg));
    if (!T || holdsAlias(Shutdown, *T))
      return;
    if (Only && !holdsAlias(std::set<WorkKey>{*Only}, *T) &&
        !holdsAlias(std::set<WorkKey>{*T}, *Only))
      return;
    for (const WorkKey &A : aliasesOf(*T)) {
      auto CB = Facts.CallbackOf.find(A);
      if (CB == Facts.CallbackOf.end())
        continue;
      auto Q = Facts.QueuesBy.find(CB->second);
      if (Q == Facts.QueuesBy.end() || !holdsAlias(Q->second, K))
        continue;
      Found = Call;
      Source = *T;
      Callback = CB->second;
      return;
    }
  }
};
} // namespace

const std::set<WorkKey> &FreeBeforeCancelCheck::sourcesIn(
    const FunctionDecl *Fn, int (*ArgOf)(StringRef),
    std::map<const FunctionDecl *, std::set<WorkKey>> &Cache) {
  auto It = Cache.find(Fn);
  if (It != Cache.end())
    return It->second;
  std::set<WorkKey> Keys;
  forEachKernelCall(*Facts, Fn, [&](const CallExpr *Call, StringRef Name) {
    int Arg = ArgOf(Name);
    if (Arg >= 0 && unsigned(Arg) < Call->getNumArgs())
      if (auto T = workKeyOf(Call->getArg(Arg)))
        Keys.insert(*T);
  });
  return Cache.emplace(Fn, std::move(Keys)).first->second;
}

bool FreeBeforeCancelCheck::handlerRearms(const WorkKey &K, const WorkKey &T) {
  static const FieldWrites NoFields;
  static const std::set<WorkKey> NoSources;
  for (const FunctionDecl *H : Facts->handlersOf(K)) {
    UnguardedRearm Finder(*Facts, K, NoFields, NoSources);
    Finder.Only = &T;
    Finder.Seen.insert(H);
    Finder.TraverseStmt(H->getBody());
    if (Finder.Found)
      return true;
  }
  return false;
}

const FunctionDecl *
FreeBeforeCancelCheck::queuedByOtherOps(const WorkKey &K, StringRef Struct,
                                        const FunctionDecl *Stopper) {
  auto Hs = Facts->handlersOf(K);
  // 6.1 alx: ndo_stop (__alx_stop()) cancels link_check_wk and reset_wk,
  // whose handler alx_reset() queues link_check_wk: not a queuer of a
  // closed device (whole-tree run, alx/main.c:1905).
  auto HandlerOfStopped = [&](const FunctionDecl *Fn) {
    auto Stops = Facts->StopsBy.find(Stopper);
    if (Stops == Facts->StopsBy.end())
      return false;
    for (const auto &[W, WHs] : Facts->Handlers)
      if (std::find(WHs.begin(), WHs.end(), Fn) != WHs.end() &&
          holdsAlias(Stops->second, W))
        return true;
    return false;
  };
  for (const auto &[Slot, Fns] : Facts->OpsFunctions) {
    if (Slot.first == Struct)
      continue;
    for (const FunctionDecl *Fn : Fns) {
      if (std::find(Hs.begin(), Hs.end(), Fn) != Hs.end() ||
          HandlerOfStopped(Fn))
        continue;
      auto Q = Facts->QueuesBy.find(Fn);
      if (Q == Facts->QueuesBy.end() || !holdsAlias(Q->second, K))
        continue;
      // A queue under no condition at all: a test of the device's state
      // (btusb_resume()'s `if (!test_bit(HCI_RUNNING, ..)) goto done;`)
      // may be what keeps it to an open device.
      static const FieldWrites NoFields;
      UnguardedQueue Walk(*Facts, K, NoFields);
      Walk.AnyGuard = true;
      Walk.Seen.insert(Fn);
      Walk.TraverseStmt(Fn->getBody());
      if (Walk.Found)
        return Fn;
    }
  }
  return nullptr;
}

bool FreeBeforeCancelCheck::freshOnlyList(const FunctionDecl *FD,
                                          const VarDecl *L) {
  auto Cached = FreshOnlyLists.find(L);
  if (Cached != FreshOnlyLists.end())
    return Cached->second;
  // The variables FD assigns a fresh allocation.
  std::set<const VarDecl *> Allocated;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S);
        B && B->getOpcode() == BO_Assign && Facts->freshAllocation(B->getRHS()))
      if (const VarDecl *X = plainVar(B->getLHS()))
        Allocated.insert(X);
    if (const auto *D = dyn_cast<DeclStmt>(S))
      for (const Decl *X : D->decls())
        if (const auto *XV = dyn_cast<VarDecl>(X);
            XV && XV->getInit() && Facts->freshAllocation(XV->getInit()))
          Allocated.insert(XV);
    return true;
  });
  bool Ok = true;
  // Every use of &L: a call argument beside fresh nodes only, a member
  // read (`(&L)->next`) or a comparison (`&pos->member == &L`).
  std::vector<std::pair<const Stmt *, const Stmt *>> Walk{{FD->getBody(), nullptr}};
  while (!Walk.empty() && Ok) {
    auto [S, Parent] = Walk.back();
    Walk.pop_back();
    if (!S)
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      bool TakesL = false;
      for (const Expr *A : Call->arguments())
        TakesL |= localListHead(A) == L;
      const FunctionDecl *Callee = Call->getDirectCallee();
      // Only the calls that link nodes into it (WQ_LIST_LINK); a call of
      // the file's own that takes the head could do anything.
      if (TakesL && Callee && Callee->getIdentifier() &&
          Facts->userDefinition(Callee))
        Ok = false;
      if (TakesL && Callee && Callee->getIdentifier() &&
          api::linksListNodes(Callee->getName()))
        for (const Expr *A : Call->arguments()) {
          if (localListHead(A) == L)
            continue;
          QualType T = A->IgnoreParenImpCasts()->getType();
          const RecordDecl *R =
              T->isPointerType() ? T->getPointeeType()->getAsRecordDecl()
                                 : nullptr;
          if (!R || !R->getIdentifier() || R->getName() != "list_head")
            continue; // not a list node
          const auto *U = dyn_cast<UnaryOperator>(A->IgnoreParenCasts());
          const auto *M = U && U->getOpcode() == UO_AddrOf
                              ? dyn_cast<MemberExpr>(
                                    U->getSubExpr()->IgnoreParenCasts())
                              : nullptr;
          const VarDecl *X = M ? plainVar(M->getBase()) : nullptr;
          Ok &= X && Allocated.count(X);
        }
    }
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->getOpcode() == UO_AddrOf && localListHead(U) == L) {
      bool Allowed = Parent && (isa<CallExpr>(Parent) ||
                                isa<MemberExpr>(Parent) ||
                                isa<ParenExpr>(Parent) ||
                                isa<ImplicitCastExpr>(Parent) ||
                                isa<InitListExpr>(Parent) ||
                                (isa<BinaryOperator>(Parent) &&
                                 cast<BinaryOperator>(Parent)
                                     ->isComparisonOp()));
      Ok &= Allowed;
    }
    for (const Stmt *C : S->children())
      Walk.push_back({C, S});
  }
  FreshOnlyLists[L] = Ok;
  return Ok;
}

std::optional<SourceLocation>
FreeBeforeCancelCheck::freshListEntry(const FunctionDecl *FD,
                                      const Expr *Value, const State &St) {
  std::optional<SourceLocation> Found;
  forEachSubStmt(Value, [&](const Stmt *S) {
    if (Found)
      return false;
    if (const auto *M = dyn_cast<MemberExpr>(S);
        M && M->getMemberDecl()->getIdentifier() &&
        (M->getMemberDecl()->getName() == "next" ||
         M->getMemberDecl()->getName() == "prev")) {
      const Expr *Base = M->getBase()->IgnoreParenCasts();
      if (const VarDecl *L = localListHead(Base)) {
        if (freshOnlyList(FD, L)) {
          Found = Ctx.User.reportLocation(L->getLocation());
          ListWalks.insert(*Found);
        }
      } else if (const auto *Node = dyn_cast<MemberExpr>(Base)) {
        // `pos->member.next`: the entry after an entry of such a list
        // (not after any fresh object: one linked into another list has
        // that list's entries after it).
        if (auto From = pathOf(Node->getBase()))
          if (auto It = St.Fresh.find(*From);
              It != St.Fresh.end() && ListWalks.count(It->second))
            Found = It->second;
      }
      return false; // not below the list link it reads
    }
    return true;
  });
  return Found;
}

FieldWrites
FreeBeforeCancelCheck::writtenBy(const FunctionDecl *FD, SourceLocation Before) {
  auto Written = WrittenBy.find(FD);
  if (Written == WrittenBy.end()) {
    TeardownEffects Effects(*Facts);
    Effects.TraverseStmt(FD->getBody());
    Written = WrittenBy
                  .emplace(FD, std::make_pair(std::move(Effects.Written),
                                              std::move(Effects.OpsRun)))
                  .first;
  }
  FieldWrites Out = Written->second.first;
  // What the ops callbacks that FD's subsystem calls run write, for the
  // calls before Before (unregister_netdev() -> ndo_stop clears a flag
  // before the cancel: sungem.c gem_remove_one(); after the cancel it
  // gates nothing: myri10ge.c myri10ge_remove()).
  if (Before.isValid())
    for (const auto &[Where, Cb] : Written->second.second)
      if (AST->getSourceManager().isBeforeInTranslationUnit(Where, Before)) {
        Out.merge(writtenBy(Cb, {}));
      }
  return Out;
}

bool FreeBeforeCancelCheck::queueGated(const FunctionDecl *Stopper,
                                       const FunctionDecl *Cb,
                                       const WorkKey &K,
                                       SourceLocation Before) {
  const FieldWrites Written = writtenBy(Stopper, Before);
  if (Written.empty())
    return false;
  UnguardedQueue Queue(*Facts, K, Written);
  Queue.Seen.insert(Cb);
  Queue.TraverseStmt(Cb->getBody());
  return !Queue.Found;
}

bool FreeBeforeCancelCheck::rearmGatedElsewhere(const FunctionDecl *FD,
                                                const WorkKey &K) {
  auto R = Rearms.find({FD, K});
  if (R == Rearms.end() || !R->second.Handler)
    return false;
  const std::vector<const FunctionDecl *> Handlers = Facts->handlersOf(K);
  // The ops callbacks FD itself runs (unregister_netdev() -> ndo_stop)
  // are in order: before the stop their writes already counted, after it
  // they come too late (6.1 myri10ge_remove(): the cancel, then
  // unregister_netdev(); sample wqs_heldout Y).
  writtenBy(FD, {});
  std::set<const FunctionDecl *> RunByFD;
  if (auto W = WrittenBy.find(FD); W != WrittenBy.end())
    for (const auto &[Where, Cb] : W->second.second)
      RunByFD.insert(Cb);
  FieldWrites Elsewhere;
  for (const FunctionDecl *F : Facts->functions()) {
    // Nor is the source's own callback a teardown (sungem's link timer
    // sets reset_pending before it queues the reset task).
    // A setup function's or constructor's writes (`gp->dev = dev`) are
    // no teardown flag either.
    if (F == FD || RunByFD.count(F) || F == R->second.Callback ||
        Facts->SetupFunctions.count(F) || Facts->Constructors.count(F) ||
        std::find(Handlers.begin(), Handlers.end(), F) != Handlers.end())
      continue;
    Elsewhere.merge(writtenBy(F, {}));
  }
  if (Elsewhere.empty())
    return false;
  const std::set<WorkKey> None;
  UnguardedRearm Finder(*Facts, K, Elsewhere, None);
  Finder.Only = &R->second.Source;
  Finder.Seen.insert(R->second.Handler);
  Finder.TraverseStmt(R->second.Handler->getBody());
  return !Finder.Found;
}

std::optional<std::string>
FreeBeforeCancelCheck::drainIn(const FunctionDecl *Fn) {
  if (auto It = DrainIn.find(Fn); It != DrainIn.end())
    return It->second;
  DrainIn[Fn] = std::nullopt; // recursion
  std::optional<std::string> Found;
  forEachSubStmt(Fn->getBody(), [&](const Stmt *S) {
    if (Found)
      return false;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *F = Call->getDirectCallee();
          F && F->getIdentifier()) {
        if (const FunctionDecl *Def = Facts->userDefinition(F))
          Found = drainIn(Def);
        else if (api::isRequestDrain(F->getName()))
          Found = F->getName().str();
      }
    return true;
  });
  DrainIn[Fn] = Found;
  return Found;
}

std::optional<std::string>
FreeBeforeCancelCheck::drainedBefore(const FunctionDecl *FD,
                                     SourceLocation Before) {
  if (!FD->getBody())
    return std::nullopt;
  const SourceManager &SM = AST->getSourceManager();
  std::optional<std::string> Basis;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (Basis)
      return false;
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
    if (!F || !F->getIdentifier())
      return true;
    SourceLocation At = Ctx.User.reportLocation(Call->getBeginLoc());
    if (Before.isValid() && !SM.isBeforeInTranslationUnit(At, Before))
      return true;
    std::optional<std::string> Drain;
    std::string Via;
    if (const FunctionDecl *Def = Facts->userDefinition(F)) {
      Drain = drainIn(Def);
      Via = " (through '" + F->getName().str() + "')";
    } else if (api::isRequestDrain(F->getName())) {
      Drain = F->getName().str();
    }
    if (Drain)
      Basis = "'" + *Drain + "()'" + Via + " at line " +
              std::to_string(SM.getSpellingLineNumber(At)) +
              " returns only when no request is in flight and starts no "
              "new one; whether the source that re-queues the work item "
              "serves only requests is not seen";
    return true;
  });
  return Basis;
}

std::optional<FreeBeforeCancelCheck::Rearm>
FreeBeforeCancelCheck::rearmOf(const FunctionDecl *FD, const WorkKey &K,
                               const State &St, SourceLocation Before) {
  // Only work items that a timer, tasklet or URB callback queues.
  bool FromSource = false;
  for (const auto &[T, Cb] : Facts->CallbackOf)
    if (auto Q = Facts->QueuesBy.find(Cb);
        Q != Facts->QueuesBy.end() && holdsAlias(Q->second, K))
      FromSource = true;
  if (!FromSource)
    return std::nullopt;
  const FieldWrites Written = writtenBy(FD, Before);
  for (const FunctionDecl *H : Facts->handlersOf(K)) {
    if (H == FD)
      continue;
    UnguardedRearm Finder(*Facts, K, Written, St.Shutdown);
    Finder.Seen.insert(H);
    Finder.TraverseStmt(H->getBody());
    if (!Finder.Found || holdsAlias(St.Dormant, Finder.Source))
      continue;
    // The re-armed source queues the item only under a flag this stop
    // writes (`if (!priv->shutdown) schedule_work(..)`, set under the lock
    // before the cancel): the cycle is cut there (6.1 rtl8xxxu_stop(),
    // held-out Set G).
    if (Finder.Callback && queueGated(FD, Finder.Callback, K, Before))
      continue;
    return Rearm{Finder.Found, H, Finder.Source, Finder.Callback};
  }
  return std::nullopt;
}

/// Places of the calls of FD repeated until a source is quiet: in the body
/// of a loop whose condition tests one (WQ_SOURCE_ACTIVE_TEST).
const std::set<SourceLocation> &
FreeBeforeCancelCheck::repeatedUntilQuiet(const FunctionDecl *FD) {
  auto [It, New] = UntilQuiet.try_emplace(FD);
  if (!New)
    return It->second;
  struct Finder : RecursiveASTVisitor<Finder> {
    FreeBeforeCancelCheck &C;
    std::set<SourceLocation> &Out;
    Finder(FreeBeforeCancelCheck &C, std::set<SourceLocation> &Out)
        : C(C), Out(Out) {}
    static bool testsSource(const Stmt *S) {
      if (!S)
        return false;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *F = Call->getDirectCallee())
          if (F->getIdentifier() && api::isSourceActiveTest(F->getName()))
            return true;
      for (const Stmt *Child : S->children())
        if (testsSource(Child))
          return true;
      return false;
    }
    void collect(const Stmt *Body) {
      struct Calls : RecursiveASTVisitor<Calls> {
        FreeBeforeCancelCheck &C;
        std::set<SourceLocation> &Out;
        Calls(FreeBeforeCancelCheck &C, std::set<SourceLocation> &Out)
            : C(C), Out(Out) {}
        bool VisitCallExpr(CallExpr *Call) {
          Out.insert(C.Ctx.User.reportLocation(Call->getBeginLoc()));
          return true;
        }
      } K(C, Out);
      K.TraverseStmt(const_cast<Stmt *>(Body));
    }
    bool VisitDoStmt(DoStmt *D) {
      if (testsSource(D->getCond()))
        collect(D->getBody());
      return true;
    }
    bool VisitWhileStmt(WhileStmt *W) {
      if (testsSource(W->getCond()))
        collect(W->getBody());
      return true;
    }
  } F(*this, It->second);
  F.TraverseStmt(FD->getBody());
  return It->second;
}

void FreeBeforeCancelCheck::rearmedByHandler(const FunctionDecl *FD,
                                             State &St, const WorkKey &K,
                                             SourceLocation Here,
                                             const Expr *WorkArg) {
  // Cancelled again until the source stays quiet: nothing is left to
  // re-arm it.
  if (repeatedUntilQuiet(FD).count(Here))
    return;
  std::optional<Rearm> R = rearmOf(FD, K, St, Here);
  if (!R)
    return;
  if (!Collecting) {
    R->Static = staticObject(FD, WorkFacts::rootVar(WorkArg));
    if (auto Text = WorkFacts::writtenAs(WorkArg, *AST))
      R->Spelled = *Text;
    Rearms.emplace(std::make_pair(FD, K), *R);
  }
  eraseAliases(St.Stopped, K);
  St.Requeued.emplace(K, Here);
  St.Rearmed.insert(K);
  if (St.Queued.count(K))
    St.Live.insert(K);
}

SourceLocation FreeBeforeCancelCheck::queueIn(const WorkKey &K,
                                             const FunctionDecl *Fn) {
  SourceLocation At = Ctx.User.reportLocation(Fn->getLocation());
  const SourceManager &SM = AST->getSourceManager();
  SourceRange Body = Fn->getSourceRange();
  for (const WorkKey &A : aliasesOf(K))
    for (const WorkUse &U : Facts->Uses[A])
      if (U.Queues && U.Loc.isValid() &&
          !SM.isBeforeInTranslationUnit(U.Loc, Body.getBegin()) &&
          !SM.isBeforeInTranslationUnit(Body.getEnd(), U.Loc))
        At = U.Loc;
  return At;
}

void FreeBeforeCancelCheck::rearmNotes(const FunctionDecl *FD,
                                       const WorkKey &K,
                                       const std::string &Item,
                                       SourceLocation Stopped) {
  auto It = Rearms.find({FD, K});
  Ctx.Report.note(Stopped, "'" + Item + "' is stopped here, but its handler "
                           "may be running and re-arm its source");
  if (It == Rearms.end())
    return;
  const Rearm &R = It->second;
  std::string Source = R.Source.describe();
  int ArmArg = R.Arm->getDirectCallee()
                   ? api::sourceArmArg(R.Arm->getDirectCallee()->getName())
                   : -1;
  if (ArmArg >= 0 && unsigned(ArmArg) < R.Arm->getNumArgs())
    if (auto Text = WorkFacts::writtenAs(R.Arm->getArg(ArmArg), *AST))
      Source = *Text;
  SourceLocation Queues = queueIn(K, R.Callback);
  Ctx.Report.note(Ctx.User.reportLocation(R.Arm->getBeginLoc()),
                  "the handler '" + R.Handler->getName().str() +
                      "' re-arms '" + Source +
                      "' here, which nothing stops for good before the "
                      "cancel");
  Ctx.Report.note(Queues,
                  "whose callback '" + R.Callback->getName().str() +
                      "' queues '" + Item + "' again after the cancel "
                      "returned");
}

void FreeBeforeCancelCheck::reportRearmedAtExit() {
  for (const auto &[FD, Keys] : RearmedAtExit) {
    // A suspend callback: the object stays; a re-armed item runs on live
    // memory (gdm_usb.c gdm_usb_suspend(), fresh held-out corpus).
    if (Facts->SetupFunctions.count(FD) || Facts->QuiesceFunctions.count(FD))
      continue;
    for (const auto &[K, Stopped] : Keys) {
      if (ReportedAtFree.count({FD, K}))
        continue;
      // A function that queues the item itself and then waits for it
      // runs it synchronously; it is no teardown (cassini.c
      // cas_change_mtu(): schedule_work(), then flush_work()).
      if (holdsAlias(Facts->QueuesBy[FD], K))
        continue;
      if (auto It = Rearms.find({FD, K}); It != Rearms.end() && It->second.Static)
        continue; // nothing frees a static object (drop_monitor.c)
      std::string Item = WorkFacts::spell(K, nullptr);
      if (auto It = Rearms.find({FD, K}); It != Rearms.end() &&
                                          !It->second.Spelled.empty())
        Item = It->second.Spelled;
      std::string Message =
          "'" + FD->getName().str() + "' waits for work item '" + Item + "'" +
          handlerText(K) +
          " but does not stop it for good: its handler re-arms the source "
          "that queues it, so it can be queued and run again after this "
          "returns, on an object its caller may free (KASAN "
          "use-after-free); stop that source for good before the cancel "
          "(timer_shutdown_sync(), usb_poison_urb()) or use "
          "disable_work_sync() (6.10+)";
      // The handler re-arms only under a test of a field that another
      // function of this file writes: a teardown flag whose writer the
      // callers of FD run first or not (6.1 net/nfc/core.c
      // nfc_remove_device(): both callers run nfc_unregister_rfkill(),
      // which sets shutting_down, before it; held-out Set K).  This
      // function frees nothing itself, so the evidence is in callers it
      // does not see: only possible.
      std::optional<std::string> Drain = drainedBefore(FD, Stopped);
      bool Printed = Drain ? Ctx.Report.possible(Id, Stopped, Message, *Drain)
                     : rearmGatedElsewhere(FD, K)
                         ? Ctx.Report.possible(
                               Id, Stopped, Message,
                               "its handler re-arms the source only under a "
                               "test of a field that another function of "
                               "this file writes (a teardown flag); whether "
                               "the callers of '" + FD->getName().str() +
                                   "' write it before this stop is not seen")
                         : Ctx.Report.warn(Id, Stopped, Message);
      if (Printed)
        rearmNotes(FD, K, Item, Stopped);
    }
  }
}

void FreeBeforeCancelCheck::checkDevmRequeue(
    const FunctionDecl *Probe, const FunctionDecl *Remove,
    StringRef RemoveField, const CallExpr *Alloc, const WorkKey &K,
    const std::vector<DevmSource> &Sources) {
  RemoveField = removeCallbackName(RemoveField);
  TeardownEffects Effects(*Facts);
  Effects.Item = &K;
  Effects.Seen.insert(Remove);
  Effects.TraverseStmt(Remove->getBody());
  if (Effects.StopsSource || Effects.Opaque)
    return;
  for (const DevmSource &Src : Sources) {
    if (!holdsAlias(Facts->QueuesBy[Src.Callback], K))
      continue;
    UnguardedQueue Q(*Facts, K, Effects.Written);
    Q.Seen.insert(Src.Callback);
    Q.TraverseStmt(Src.Callback->getBody());
    if (!Q.Found)
      continue;
    std::string Item = WorkFacts::spell(K, nullptr);
    std::string Cb = Src.Callback->getName().str();
    std::string Reg = Src.Registration->getDirectCallee()->getName().str();
    SourceLocation Loc = Ctx.User.reportLocation(Remove->getLocation());
    std::string Message =
        "'" + Remove->getName().str() + "' stops work item '" + Item + "'" +
        handlerText(K) + ", but '" + Cb + "', registered with '" + Reg +
        "', stays live until devres releases it after " + RemoveField.str() +
        "() returns and can queue it again; devres then frees the driver "
        "data holding it (use after free); stop the source in " +
        Remove->getName().str() +
        "() before the cancel (free or disable the IRQ, unregister the "
        "device), or have every queuer test a flag that " +
        Remove->getName().str() + "() sets before it cancels";
    std::optional<std::string> Drain = drainedBefore(Remove, {});
    if (Loc.isInvalid() ||
        !(Drain ? Ctx.Report.possible(Id, Loc, Message, *Drain)
                : Ctx.Report.warn(Id, Loc, Message)))
      return;
    Ctx.Report.note(Ctx.User.reportLocation(Src.Registration->getBeginLoc()),
                    "'" + Cb + "' is registered here; devres releases it "
                    "only after " + RemoveField.str() + "() returns");
    Ctx.Report.note(Ctx.User.reportLocation(Q.Found->getBeginLoc()),
                    "'" + Item + "' can be queued again here, with no test "
                    "of a flag that " + Remove->getName().str() + "() sets");
    Ctx.Report.note(Ctx.User.reportLocation(Alloc->getBeginLoc()),
                    "the driver data is allocated with '" +
                        Alloc->getDirectCallee()->getName() + "' in '" +
                        Probe->getName() + "' here");
    return;
  }
}

void FreeBeforeCancelCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User, !WithoutOpaque);
  // What free_netdev() frees along with the net_device.
  PrivateTypeFinder Priv;
  for (const FunctionDecl *FD : Facts->functions())
    Priv.TraverseStmt(FD->getBody());
  PrivateTypes.assign(Priv.Types.begin(), Priv.Types.end());

  for (const FunctionDecl *FD : Facts->functions())
    StoppedSomewhere.insert(Facts->StopsBy[FD].begin(),
                            Facts->StopsBy[FD].end());
  StoppedSomewhere.insert(Facts->DevmStopped.begin(), Facts->DevmStopped.end());
  for (const FunctionDecl *FD : Facts->functions()) {
    if (Facts->SetupFunctions.count(FD))
      continue;
    for (const WorkKey &K : Facts->StopsBy[FD]) {
      // A stop in the item's own handler (a call of another file that
      // takes the struct, guessed as a stop) does not wait for the item
      // before a free elsewhere: the handler is the item (6.1
      // drivers/media/pci/saa7164/saa7164-core.c, held-out Set O:
      // saa7164_work_cmdhandler() -> saa7164_irq_dequeue(dev)).
      if (llvm::is_contained(Facts->handlersOf(K), FD))
        continue;
      StoppedOnTeardown.insert(K);
      if (!Facts->ExitFunctions.count(FD))
        StoppedBeforeExit.insert(K);
    }
  }
  for (auto *S : {&StoppedOnTeardown, &StoppedBeforeExit})
    S->insert(Facts->DevmStopped.begin(), Facts->DevmStopped.end());
  findHandlerFrees();
  findGlobalUses();
  computeMustQueues();
  computeEntryStates();
  for (const FunctionDecl *FD : Facts->functions()) {
    State Entry;
    auto It = EntryStopped.find(FD);
    if (It != EntryStopped.end())
      Entry.Stopped = It->second;
    if (auto L = EntryLive.find(FD); L != EntryLive.end())
      for (const auto &[K, Loc] : L->second)
        if (!Entry.Stopped.count(K)) {
          Entry.Live.insert(K);
          Entry.Queued.emplace(K, Loc);
        }
    if (auto M = EntryMaybe.find(FD); M != EntryMaybe.end())
      for (const auto &[K, Helper] : M->second)
        if (!Entry.Stopped.count(K) && !Entry.Live.count(K))
          Entry.MaybeLive.emplace(K, Helper);
    checkFunction(FD, std::move(Entry));
  }
  checkTeardown();
  reportRearmedAtExit();
  if (Ctx.Facts && !WithoutOpaque)
    recordFacts();
}

void FreeBeforeCancelCheck::recordFacts() {
  UnitFacts &U = *Ctx.Facts;
  recordWorkOps(*Facts, AST->getSourceManager(), Ctx.User, U);
  // Calls that hand a struct holding work items to a function of another
  // file: the check took them for stops.  Run again without that guess,
  // what it then reports is pending on the other files' summaries.
  // Only frees become pending (onFree()): a file without one, or without
  // such a call, has nothing to ask.
  struct Calls : RecursiveASTVisitor<Calls> {
    const WorkFacts &F;
    bool Opaque = false, Free = false;
    explicit Calls(const WorkFacts &F) : F(F) {}
    bool VisitCallExpr(CallExpr *C) {
      Opaque |= !F.opaqueKeys(C).empty();
      if (const FunctionDecl *Callee = C->getDirectCallee())
        if (Callee->getIdentifier())
          Free |= api::freedArg(Callee->getName()) >= 0 ||
                  api::findFreePrivate(Callee->getName()) != nullptr;
      return !(Opaque && Free);
    }
  } Has(*Facts);
  for (const FunctionDecl *FD : Facts->functions())
    if (!(Has.Opaque && Has.Free))
      Has.TraverseStmt(FD->getBody());
  if (!(Has.Opaque && Has.Free))
    return;
  FreeBeforeCancelCheck Again(Id, Ctx);
  Again.WithoutOpaque = true;
  Ctx.Report.beginCapture();
  Again.checkTranslationUnit(*AST);
  std::vector<Finding> Found = Ctx.Report.endCapture(AST);
  {
    for (Finding &F : Found) {
      const WorkKey *K = nullptr;
      for (const auto &[Message, Item] : Again.CapturedItems)
        if (Message == F.Message)
          K = &Item;
      std::optional<std::string> Item = K ? itemKey(*K) : std::nullopt;
      if (!Item)
        continue;
      std::set<std::string> Opaque;
      for (const auto &[Callee, Keys] : Again.Facts->IgnoredOpaque)
        for (const WorkKey &O : Keys)
          if (holdsAlias(std::set<WorkKey>{O}, *K) ||
              holdsAlias(std::set<WorkKey>{*K}, O))
            Opaque.insert(Callee);
      if (Opaque.empty())
        continue;
      // Those the free's own function calls come first, marked '*': the
      // report names them in notes, the others in a count.
      std::set<std::string> Direct;
      for (const FunctionDecl *FD : Facts->functions())
        if (FD->getName() == F.Function) {
          struct Names : RecursiveASTVisitor<Names> {
            std::set<std::string> &Out;
            explicit Names(std::set<std::string> &Out) : Out(Out) {}
            bool VisitCallExpr(CallExpr *C) {
              if (const FunctionDecl *Callee = C->getDirectCallee())
                if (Callee->getIdentifier())
                  Out.insert(Callee->getName().str());
              return true;
            }
          } N(Direct);
          N.TraverseStmt(FD->getBody());
        }
      std::vector<std::string> Names;
      for (const std::string &O : Opaque)
        if (Direct.count(O))
          Names.push_back("*" + O);
      for (const std::string &O : Opaque)
        if (!Direct.count(O))
          Names.push_back(O);
      U.Pending.push_back({std::move(F), *Item,
                           rootStruct(*K).value_or(""), std::move(Names)});
    }
  }
}

} // namespace

std::unique_ptr<Check> createFreeBeforeCancelCheck(StringRef Id,
                                                   CheckContext &Ctx) {
  return std::make_unique<FreeBeforeCancelCheck>(Id, Ctx);
}

} // namespace wqcheck
