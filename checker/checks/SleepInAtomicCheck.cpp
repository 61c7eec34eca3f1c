//===- SleepInAtomicCheck.cpp - wq-sleep-in-atomic ------------------------===//
//
// Reports a call that may sleep made in atomic context, directly or through
// helper functions defined in the same file.
//
// Atomic context is
//   - a region, tracked as a must-dataflow over each function's CFG: between
//     spin_lock*/read_lock*/write_lock* and their unlocks, local_irq_*,
//     local_bh_*, preempt_*, rcu_read_lock*, get_cpu/put_cpu (rows
//     WQ_ATOMIC_REGION of api/KernelAPI.def).  A trylock holds the lock only
//     on its success edge.  A region is atomic at a point only if it is
//     entered on every path to it, so conditional locking is not reported;
//   - a whole function registered in this file as an atomic callback:
//     hard-IRQ handler, timer, hrtimer, tasklet, RCU callback, NAPI poll, or
//     the handler of a work item queued on a BH workqueue
//     (WQ_ATOMIC_CALLBACK_*, WQ_QUEUE_WORK, WQ_BH_WORKQUEUE).
//
// What sleeps: WQ_SLEEPS, and WQ_SLEEPS_GFP allocators whose gfp flags,
// evaluated as constants, include the kernel's __GFP_DIRECT_RECLAIM bit.
//
// Every function of the file gets a summary, computed to a fixpoint over the
// file's calls: where it may sleep (and which of its caller's regions it
// leaves before that), which gfp parameter makes it sleep, which regions it
// returns holding or releases.  A sleep reached through helpers is reported
// once, at the call made in atomic context, with notes down the chain.  A
// call with constant arguments that the helper branches on
// (`set_rx_mode(dev, false)` with `if (!may_sleep) return;`) uses the
// helper's summary specialised to those values; so does a parameter the
// helper only passes on to one that branches on it, also inside an
// expression (`poll(h, HZ * can_sleep)`, 6.1 drivers/scsi/NCR5380.c).  A
// helper's unlock leaves the caller's region it names, by spelling, by
// its last member (`ha->host->host_lock` for the caller's
// `cmd->device->host->host_lock`) or as the innermost one of its kind.
//
// Docs: docs/checks/wq-sleep-in-atomic.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/ApiCalls.h"
#include "analysis/UserCodeVisitor.h"
#include "analysis/BranchGuards.h"
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkItems.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "db/Facts.h"
#include "db/Keys.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include <map>
#include <optional>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

using api::CallbackContext;
using api::RegionKind;

/// An atomic region entered and not yet left.
struct Held {
  RegionKind Kind;
  std::string Lock;   ///< the lock as the user wrote it; "" for irqs/bh/...
  SourceLocation Loc; ///< where it was entered
  std::string Api;    ///< what entered it: "spin_lock_irqsave"
  /// The tests it was entered under (`if (!blk_queue_has_srcu(q))
  /// rcu_read_lock();`): a sleep reached only on their other outcome is
  /// not in the region (report()).
  std::vector<BranchGuard> Guards;

  bool sameRegion(const Held &O) const {
    return Kind == O.Kind && Lock == O.Lock;
  }
  bool operator==(const Held &O) const {
    return sameRegion(O) && Loc == O.Loc;
  }
};

struct State {
  bool Reached = false;
  std::vector<Held> Regions;  ///< entered on every path, innermost last
  std::vector<Held> Released; ///< caller's regions left on some path

  bool operator==(const State &O) const {
    return Reached == O.Reached && Regions == O.Regions &&
           Released == O.Released;
  }
};

State join(const State &A, const State &B) {
  if (!A.Reached)
    return B;
  if (!B.Reached)
    return A;
  State R;
  R.Reached = true;
  std::vector<bool> Used(B.Regions.size());
  for (const Held &H : A.Regions)
    for (size_t I = 0; I < B.Regions.size(); ++I)
      if (!Used[I] && B.Regions[I].sameRegion(H)) {
        Used[I] = true;
        R.Regions.push_back(H);
        break;
      }
  R.Released = A.Released;
  for (const Held &H : B.Released)
    if (llvm::none_of(R.Released,
                      [&](const Held &X) { return X.sameRegion(H); }))
      R.Released.push_back(H);
  return R;
}

/// The last member named in a lock's spelling: "host_lock" for
/// "cmd->device->host->host_lock", the whole text for a plain variable.
StringRef lastMember(StringRef Lock) {
  size_t Arrow = Lock.rfind("->"), Dot = Lock.rfind('.');
  size_t Cut = StringRef::npos;
  if (Arrow != StringRef::npos)
    Cut = Arrow + 2;
  if (Dot != StringRef::npos && (Cut == StringRef::npos || Dot + 1 > Cut))
    Cut = Dot + 1;
  return Cut == StringRef::npos ? Lock : Lock.drop_front(Cut);
}

/// The region an exit like H leaves, innermost first: the same lock by its
/// spelling; failing that, one whose spelling ends in the same member (a
/// helper's `ioa_cfg->host->host_lock` is its caller's
/// `cmd->device->host->host_lock`, 6.1 drivers/scsi/ipr.c); failing that,
/// the innermost region of the kind (a lock named through a macro's
/// parameter: kfifo_out_locked() takes `lock`, unlocks `&fifo_lock`).
std::optional<size_t> regionLeftBy(const std::vector<Held> &Regions,
                                   const Held &H) {
  auto SameLock = [&](const Held &R) {
    return R.Kind == H.Kind &&
           (H.Lock.empty() || R.Lock.empty() || R.Lock == H.Lock);
  };
  auto SameMember = [&](const Held &R) {
    return R.Kind == H.Kind && lastMember(R.Lock) == lastMember(H.Lock);
  };
  for (int Tier = 0; Tier < 3; ++Tier)
    for (size_t I = Regions.size(); I-- > 0;)
      if (Tier == 0   ? SameLock(Regions[I])
          : Tier == 1 ? SameMember(Regions[I])
                      : Regions[I].Kind == H.Kind)
        return I;
  return std::nullopt;
}

/// Leaves the innermost region like H; if it was entered by the caller,
/// remembers that it was left.
void leave(State &S, const Held &H) {
  if (auto I = regionLeftBy(S.Regions, H)) {
    S.Regions.erase(S.Regions.begin() + *I);
    return;
  }
  if (llvm::none_of(S.Released, [&](const Held &X) { return X.sameRegion(H); }))
    S.Released.push_back(H);
}

/// A place where the function may sleep.
struct SleepSite {
  std::string Api;                   ///< the sleeping call at the chain's end
  std::string Detail;                ///< e.g. "with GFP flags that allow direct reclaim"
  SourceLocation Loc;                ///< the call in this function
  const FunctionDecl *Via = nullptr; ///< the helper called at Loc, if any
  std::vector<Held> ReleasedBefore;  ///< caller's regions left before it
  bool TaskOnly = false; ///< sleeps only outside interrupt context (vfree)
  /// The last member of a lock the sleeping call drops around its sleep
  /// (WQ_GFP_SLEEPS_UNLOCKED: "xa_lock"), or "".
  std::string DropsLock;
  /// The tests the sleep is reached under, here and down the chain.
  std::vector<BranchGuard> Guards;
  /// Set when the sleep is reached only once a reference drop succeeded
  /// (BranchGuards.h callsOnReferenceDrop()): "'put' in 'fn'".
  std::string OnRelease;

  bool operator==(const SleepSite &O) const {
    return Api == O.Api && Loc == O.Loc && Via == O.Via &&
           ReleasedBefore == O.ReleasedBefore && TaskOnly == O.TaskOnly &&
           DropsLock == O.DropsLock && Guards == O.Guards &&
           OnRelease == O.OnRelease;
  }
};

struct Summary {
  std::vector<SleepSite> Sleeps;
  std::map<unsigned, SleepSite> GfpParamSleeps; ///< param index -> site
  std::vector<Held> Acquires; ///< regions it returns holding
  std::vector<Held> Releases; ///< caller's regions it leaves

  bool operator==(const Summary &O) const {
    return Sleeps == O.Sleeps && GfpParamSleeps == O.GfpParamSleeps &&
           Acquires == O.Acquires && Releases == O.Releases;
  }
};

/// Guards A and then those of B not in A, at most 8.
std::vector<BranchGuard> withGuards(const std::vector<BranchGuard> &A,
                                    const std::vector<BranchGuard> &B) {
  std::vector<BranchGuard> R = A;
  for (const BranchGuard &G : B)
    if (R.size() < 8 && !llvm::is_contained(R, G))
      R.push_back(G);
  return R;
}

/// Why a whole function is atomic.
struct CallbackInfo {
  CallbackContext Context;
  SourceLocation Registered; ///< where it was registered (user code)
  std::string How; ///< "registered here with 'timer_setup'", ...
};

/// Known values of some parameters: a specialised analysis.
using Bindings = std::map<const ParmVarDecl *, int64_t>;

const ParmVarDecl *testedParameter(const Expr *E);
std::set<const VarDecl *> fixedLocals(const Stmt *Body);

constexpr size_t MaxSleepSites = 4;
constexpr unsigned MaxRounds = 12;

/// The pointer locals and parameters that each call runs under a test of
/// being non-NULL for: `if (skb) f(skb)`, `if (!skb) ..; else f(skb)`,
/// `if (skb != NULL)`, unless the branch assigns them.
struct NonNullLocals : RecursiveASTVisitor<NonNullLocals> {
  std::vector<const VarDecl *> Known;
  std::map<const CallExpr *, std::set<const VarDecl *>> At;
  std::vector<const CallExpr *> Calls;
  static const VarDecl *pointer(const Expr *E) {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return V && V->hasLocalStorage() && V->getType()->isPointerType() ? V
                                                                      : nullptr;
  }
  static bool assigns(const Stmt *S, const VarDecl *V) {
    bool Found = false;
    forEachSubStmt(S, [&](const Stmt *X) {
      if (const auto *B = dyn_cast<BinaryOperator>(X);
          B && B->isAssignmentOp() && pointer(B->getLHS()) == V)
        Found = true;
      if (const auto *U = dyn_cast<UnaryOperator>(X);
          U && U->getOpcode() == UO_AddrOf && pointer(U->getSubExpr()) == V)
        Found = true;
      return !Found;
    });
    return Found;
  }
  /// The variable Cond tests and whether the then-branch is where it is
  /// non-NULL.
  static std::pair<const VarDecl *, bool> tested(const Expr *Cond) {
    Cond = plainCondition(Cond);
    if (const VarDecl *V = pointer(Cond))
      return {V, true};
    if (const auto *U = dyn_cast<UnaryOperator>(Cond);
        U && U->getOpcode() == UO_LNot)
      if (const VarDecl *V = pointer(U->getSubExpr()))
        return {V, false};
    if (const auto *B = dyn_cast<BinaryOperator>(Cond);
        B && (B->getOpcode() == BO_NE || B->getOpcode() == BO_EQ))
      for (auto [X, Y] : {std::pair(B->getLHS(), B->getRHS()),
                          std::pair(B->getRHS(), B->getLHS())})
        if (const VarDecl *V = pointer(X);
            V && isa<GNUNullExpr, IntegerLiteral>(Y->IgnoreParenCasts()))
          return {V, B->getOpcode() == BO_NE};
    return {nullptr, false};
  }
  void branch(Stmt *S, const VarDecl *V) {
    if (!S)
      return;
    bool Push = V && !assigns(S, V);
    if (Push)
      Known.push_back(V);
    TraverseStmt(S);
    if (Push)
      Known.pop_back();
  }
  bool TraverseIfStmt(IfStmt *If) {
    TraverseStmt(If->getInit());
    TraverseStmt(If->getCond());
    auto [V, InThen] = tested(If->getCond());
    branch(If->getThen(), InThen ? V : nullptr);
    branch(If->getElse(), InThen ? nullptr : V);
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    Calls.push_back(Call);
    if (!Known.empty())
      At[Call].insert(Known.begin(), Known.end());
    return true;
  }
};

class SleepInAtomicCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  friend class CallbackFinder;

  struct FunctionData {
    std::unique_ptr<CFG> Graph;
    std::unique_ptr<ApiCallIndex> Calls;
    /// Locals whose value is their initialiser: never assigned, incremented
    /// or address-taken (fixedLocals()).
    std::set<const VarDecl *> FixedLocals;
  };

  /// What happens when a sleep is reached; the summary phase records it,
  /// the report phase reports it.
  struct Sleep {
    SourceLocation CallLoc;
    std::string Api, Detail;
    const FunctionDecl *Via = nullptr;
    std::vector<Held> ReleasedBefore; // by the callee, before sleeping
    bool TaskOnly = false;
    std::string DropsLock; // SleepSite::DropsLock
    std::vector<BranchGuard> Guards; // SleepSite::Guards of the callee's
    std::string OnRelease;           // SleepSite::OnRelease of the callee's
  };

  void findReclaimBit(ASTContext &AST);
  FunctionData &dataFor(const FunctionDecl *FD);
  Summary analyze(const FunctionDecl *FD, bool Report,
                  const Bindings *Bound = nullptr);
  const Summary &summaryAt(const FunctionDecl *Callee, const CallExpr *Call);
  void transfer(const FunctionDecl *FD, const CallExpr *Call, State &S,
                Summary &Sum, bool Report);
  void onSleep(const FunctionDecl *FD, const Sleep &Z, const State &S,
               Summary &Sum, bool Report, const CallExpr *Call);
  void report(const FunctionDecl *FD, const Sleep &Z,
              const std::vector<Held> &Regions,
              const std::vector<BranchGuard> &Guards,
              const std::string &OnRelease);
  /// "'atomic_dec_and_test' in 'put_event'" when Call runs only once that
  /// reference drop succeeded, else "".
  std::string releaseAt(const FunctionDecl *FD, const Stmt *Call);
  std::map<const FunctionDecl *, std::map<const Stmt *, const CallExpr *>>
      DropsOf;
  /// The tests Call runs under in FD (BranchGuards.h), computed once per
  /// function.
  /// The test a sleeping macro makes of its own condition before it
  /// sleeps, with the outcome that sleeps: wait_event()'s `if (condition)
  /// break;` (false), wait_event_interruptible()'s `if (!(condition))`.
  std::vector<BranchGuard> waitTest(const FunctionDecl *FD, const ApiCall &A);
  const std::vector<BranchGuard> &guardsAt(const FunctionDecl *FD,
                                           const Stmt *Call);
  std::map<const FunctionDecl *, CallGuards> GuardsOfCalls;
  void addChainNotes(const Sleep &Z);
  std::optional<bool> allowsReclaim(const Expr *Gfp) const;
  void kernelGfpCall(const FunctionDecl *FD, const CallExpr *Call,
                     const State &S, Summary &Sum, bool Report);
  std::optional<unsigned> gfpParameter(const Expr *Gfp,
                                       const FunctionDecl *FD) const;
  std::string lockText(const ApiCallIndex &Index, const ApiCall &A,
                       int LockArg) const;
  const FunctionDecl *userDefinition(const FunctionDecl *FD) const;
  bool isBhQueuedWork(const Expr *Work) const;
  void edgeEffect(const CFGBlock *From, const CFGBlock *To,
                  const FunctionDecl *FD, State &S,
                  const Bindings *Bound = nullptr);

  ASTContext *AST = nullptr;
  uint64_t ReclaimBit = 0x400; // 6.1 ___GFP_DIRECT_RECLAIM, if not found
  std::vector<const FunctionDecl *> Functions;
  std::set<const FunctionDecl *> FunctionSet;
  std::map<const FunctionDecl *, FunctionData> Data;
  std::map<const FunctionDecl *, Summary> Summaries;
  /// The file's functions stored in each function-pointer field by its
  /// static initialisers (`.wake_pending_and_unlock = fuse_dev_wake_and_unlock`
  /// in a `static const struct fuse_iqueue_ops`).
  std::map<std::pair<std::string, std::string>,
           std::set<const FunctionDecl *>>
      OpsImpls;
  /// A call through such a field: the regions every one of the file's
  /// functions for it leaves, it leaves.
  void indirectCall(const CallExpr *Call, State &S);
  /// Summaries specialised to constant arguments; cleared when the
  /// unspecialised ones change.
  std::map<std::pair<const FunctionDecl *, Bindings>, Summary> Specialised;
  /// Specialisations being computed: recursion falls back to the
  /// unspecialised summary.
  std::set<std::pair<const FunctionDecl *, Bindings>> InProgress;
  /// Specialisations being computed that a recursion assumed empty, and
  /// the summaries computed under such an assumption (kept until the
  /// outermost analysis ends).
  std::set<std::pair<const FunctionDecl *, Bindings>> Assumed;
  std::map<std::pair<const FunctionDecl *, Bindings>, Summary> Provisional;
  std::map<std::pair<const CallExpr *, Bindings>, Summary> ProvisionalAt;
  const Summary &specialised(const FunctionDecl *Callee, const Bindings &B);
  /// Summaries at calls with a `c ? K1 : K2` argument (summaryAt()).
  std::map<std::pair<const CallExpr *, Bindings>, Summary> EitherAt;
  /// Parameters each function branches on.
  std::map<const FunctionDecl *, std::set<const ParmVarDecl *>> GuardParams;
  std::map<const FunctionDecl *, CallbackInfo> Callbacks;
  std::set<WorkKey> BhQueuedWork;
  /// The bindings of the analysis running now (a specialisation), so that
  /// arguments computed from bound parameters are known in its calls.
  const Bindings *CurBound = nullptr;
  /// The call being transferred is under a test of the running context
  /// (WQ_CONTEXT_TEST): its sleeps are not recorded.
  bool ContextGuarded = false;
  /// The calls of each function under such a test (ContextGuardedCalls).
  std::map<const FunctionDecl *, std::set<const CallExpr *>> GuardedCalls;
  /// Pointer locals known non-NULL at each call (NonNullLocals).
  std::map<const CallExpr *, std::set<const VarDecl *>> NonNullAtCall;
  const std::set<const CallExpr *> &contextGuarded(const FunctionDecl *FD);
  void addForwardedGuards();

  // Cross-file facts (Ctx.Facts, --db): db/Facts.h.
  std::string keyOf(const FunctionDecl *FD) const;
  Position where(SourceLocation Loc) const;
  void recordCall(const FunctionDecl *FD, const CallExpr *Call,
                  const ApiCall *A, const State &S);
  void recordFacts();
  /// Callbacks registered here whose function is defined in another file.
  std::vector<CallbackFact> ForeignCallbacks;
  /// The functions whose facts are recorded (db/Keys.h).
  std::set<const FunctionDecl *> Recorded;
  /// Parts of each function that run only as a test of one of its
  /// parameters decides (FactRanges), for SleepFact/CallFact::Under.
  struct ParamRange {
    SourceLocation Begin, End;
    unsigned Param;
  };
  std::map<const FunctionDecl *, std::vector<ParamRange>> ParamRanges;
  std::string underParams(const FunctionDecl *FD, SourceLocation Loc);
};

//===----------------------------------------------------------------------===//
// Finding functions, callbacks and BH work
//===----------------------------------------------------------------------===//

StringRef recordName(const FieldDecl *FD) {
  const RecordDecl *RD = FD->getParent();
  return RD->getIdentifier() ? RD->getName() : StringRef();
}

class CallbackFinder : public UserCodeVisitor<CallbackFinder> {
public:
  CallbackFinder(SleepInAtomicCheck &C, ASTContext &AST)
      : UserCodeVisitor(C.Ctx.User), C(C), AST(AST) {
    if (const EnumConstantDecl *E = kernelEnumConstant(AST, "WQ_BH"))
      WqBh = E->getInitVal().getZExtValue();
  }


  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Callee->getIdentifier())
      return true;
    StringRef Name = Callee->getName();
    if (const api::CallbackArg *R = api::findCallbackArg(Name))
      if (R->ArgIndex < Call->getNumArgs())
        addCallback(functionNamedBy(Call->getArg(R->ArgIndex)), R->Context,
                    Call->getBeginLoc(), "");
    // Which queues are BH is known only after the whole file is seen.
    if (const api::QueueWork *Q = api::findQueueWork(Name))
      if (Q->QueueArg >= 0 && unsigned(Q->QueueArg) < Call->getNumArgs() &&
          Q->WorkArg < Call->getNumArgs())
        if (auto Key = workKeyOf(Call->getArg(Q->WorkArg)))
          Queued.push_back({Call->getArg(Q->QueueArg), *Key,
                            Call->getBeginLoc()});
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() != BO_Assign)
      return true;
    const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
    const auto *Field = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
    if (Field && Field->getIdentifier()) {
      if (const api::CallbackField *R =
              api::findCallbackField(recordName(Field), Field->getName()))
        addCallback(functionNamedBy(B->getRHS()), R->Context, B->getBeginLoc(),
                    ("stored in " + R->Struct + "." + R->Field + " here").str());
      // INIT_WORK(w, fn) ends with (w)->func = (fn).
      if (recordName(Field) == "work_struct" && Field->getName() == "func")
        if (auto Key = workKeyOf(M->getBase()))
          if (const FunctionDecl *Fn = functionNamedBy(B->getRHS()))
            Handlers.emplace(*Key, Fn);
    }
    // wq = alloc_workqueue(..., WQ_BH, ...)
    if (isBhAllocation(B->getRHS()))
      if (auto Key = workKeyOf(B->getLHS()))
        BhQueues.insert(*Key);
    return true;
  }

  bool VisitVarDecl(VarDecl *VD) {
    const Expr *Init = VD->getInit();
    if (!Init)
      return true;
    if (isBhAllocation(Init) && VD->hasGlobalStorage())
      BhQueues.insert(WorkKey{VD->getCanonicalDecl(), {}});
    if (const auto *IL = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts()))
      scanInitializer(IL, VD);
    return true;
  }

  /// Static initialisers: DEFINE_TIMER, DECLARE_TASKLET, DECLARE_WORK.
  void scanInitializer(const InitListExpr *IL, const VarDecl *VD) {
    forEachFieldInit(IL, [&](const FieldDecl *Field, const Expr *Init,
                             const std::vector<const FieldDecl *> &Path) {
      if (const FunctionDecl *Fn = C.userDefinition(functionNamedBy(Init)))
        C.OpsImpls[{recordName(Field).str(), Field->getName().str()}].insert(
            Fn);
      if (const api::CallbackField *R =
              api::findCallbackField(recordName(Field), Field->getName()))
        addCallback(functionNamedBy(Init), R->Context, VD->getLocation(),
                    ("set as " + R->Struct + "." + R->Field + " of " +
                     VD->getName() + " here")
                        .str());
      if (recordName(Field) == "work_struct" && Field->getName() == "func" &&
          VD->hasGlobalStorage())
        if (const FunctionDecl *Fn = functionNamedBy(Init))
          Handlers.emplace(WorkKey{VD->getCanonicalDecl(), Path}, Fn);
    });
  }

  /// After the traversal: handlers of work queued on BH workqueues.
  void finish() {
    for (const QueueCall &Q : Queued)
      if (isBhQueue(Q.Queue) && C.BhQueuedWork.insert(Q.Work).second)
        QueuedAt.emplace(Q.Work, Q.Loc);
    for (const WorkKey &K : C.BhQueuedWork) {
      auto Range = Handlers.equal_range(K);
      for (auto It = Range.first; It != Range.second; ++It)
        addCallback(It->second, CallbackContext::BhWork,
                    QueuedAt.find(K)->second,
                    "its work item is queued on a BH workqueue here");
    }
  }

private:
  bool isBhQueue(const Expr *Q) const {
    Q = Q->IgnoreParenCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(Q))
      if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl()))
        if (VD->getIdentifier() && api::isBhWorkqueue(VD->getName()))
          return true;
    auto Key = workKeyOf(Q);
    return Key && BhQueues.count(*Key);
  }

  bool isBhAllocation(const Expr *E) const {
    if (!WqBh)
      return false;
    const CallExpr *Call = callThroughHooks(E);
    const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
    if (!Callee || !Callee->getIdentifier() ||
        api::canonicalName(Callee->getName()) != "alloc_workqueue" ||
        Call->getNumArgs() < 2)
      return false;
    Expr::EvalResult R;
    return Call->getArg(1)->EvaluateAsInt(R, AST) &&
           (R.Val.getInt().getZExtValue() & *WqBh);
  }

  /// How is the note's phrase; "" for a registration call, named by its
  /// spelling ("registered here with 'timer_setup'").
  void addCallback(const FunctionDecl *Fn, CallbackContext Context,
                   SourceLocation Where, std::string How) {
    if (!Fn)
      return;
    const FunctionDecl *Def = C.userDefinition(Fn);
    SourceLocation Loc = C.Ctx.User.reportLocation(Where);
    if (How.empty() && Loc.isValid())
      How = "registered here with '" +
            Lexer::getSourceText(CharSourceRange::getTokenRange(Loc, Loc),
                                 AST.getSourceManager(), AST.getLangOpts())
                .str() +
            "'";
    if (!Def) {
      // Defined in another file: the summary database may know it.
      if (C.Ctx.Facts && Loc.isValid() && Fn->getIdentifier() &&
          Fn->hasExternalFormalLinkage())
        C.ForeignCallbacks.push_back({Fn->getName().str(),
                                      api::describe(Context).str(),
                                      C.where(Loc), How});
      return;
    }
    C.Callbacks.try_emplace(Def, CallbackInfo{Context, Loc, How});
  }

  struct QueueCall {
    const Expr *Queue;
    WorkKey Work;
    SourceLocation Loc;
  };

  SleepInAtomicCheck &C;
  ASTContext &AST;
  std::optional<uint64_t> WqBh;
  std::vector<QueueCall> Queued;
  std::multimap<WorkKey, const FunctionDecl *> Handlers;
  std::map<WorkKey, SourceLocation> QueuedAt;
  std::set<WorkKey> BhQueues;
};

//===----------------------------------------------------------------------===//
// The analysis
//===----------------------------------------------------------------------===//

const FunctionDecl *
SleepInAtomicCheck::userDefinition(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  return Def && FunctionSet.count(Def) ? Def : nullptr;
}

void SleepInAtomicCheck::findReclaimBit(ASTContext &AST) {
  // The kernel's own definition: gfpflags_allow_blocking() returns
  // !!(gfp_flags & __GFP_DIRECT_RECLAIM) (6.1 include/linux/gfp.h).
  const IdentifierInfo &II = AST.Idents.get("gfpflags_allow_blocking");
  for (const NamedDecl *ND : AST.getTranslationUnitDecl()->lookup(&II)) {
    const auto *FD = dyn_cast<FunctionDecl>(ND);
    const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
    if (!Def || !Def->getBody())
      continue;
    struct Finder : RecursiveASTVisitor<Finder> {
      ASTContext &AST;
      std::optional<uint64_t> Bit;
      explicit Finder(ASTContext &AST) : AST(AST) {}
      bool VisitBinaryOperator(BinaryOperator *B) {
        if (B->getOpcode() != BO_And || Bit)
          return true;
        for (const Expr *Side : {B->getRHS(), B->getLHS()}) {
          Expr::EvalResult R;
          if (Side->EvaluateAsInt(R, AST)) {
            Bit = R.Val.getInt().getZExtValue();
            break;
          }
        }
        return true;
      }
    } F(AST);
    F.TraverseStmt(Def->getBody());
    if (F.Bit && *F.Bit)
      ReclaimBit = *F.Bit;
  }
}

SleepInAtomicCheck::FunctionData &
SleepInAtomicCheck::dataFor(const FunctionDecl *FD) {
  FunctionData &D = Data[FD];
  if (!D.Calls) {
    D.Calls = std::make_unique<ApiCallIndex>(*AST, api::isContextApiName);
    D.Calls->index(FD->getBody());
    CFG::BuildOptions Options;
    D.Graph = CFG::buildCFG(FD, FD->getBody(), AST, Options);
    D.FixedLocals = fixedLocals(FD->getBody());
    if (D.Graph)
      for (const CFGBlock *B : *D.Graph)
        if (const auto *Cond =
                dyn_cast_or_null<Expr>(B->getTerminatorCondition()))
          if (const ParmVarDecl *P = testedParameter(Cond))
            if (P->getDeclContext() == FD)
              GuardParams[FD].insert(P);
    NonNullLocals Finder;
    Finder.TraverseStmt(FD->getBody());
    for (auto &[Call, Vars] : Finder.At)
      NonNullAtCall[Call] = std::move(Vars);
    // A parameter handed on unchanged to a parameter its callee branches
    // on is one this function branches on too, so that the value of the
    // caller's argument reaches the test (chtls_send_reset(.., skb) ->
    // chtls_send_abort(.., skb): `if (!skb) skb = alloc_ctrl_skb(..)`).
    for (const CallExpr *Call : Finder.Calls) {
      const FunctionDecl *Def = userDefinition(Call->getDirectCallee());
      if (!Def || Def == FD)
        continue;
      for (unsigned I = 0; I < Call->getNumArgs() && I < Def->getNumParams();
           ++I) {
        const auto *Ref =
            dyn_cast<DeclRefExpr>(Call->getArg(I)->IgnoreParenImpCasts());
        const auto *P = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
        if (!P || P->getDeclContext() != FD)
          continue;
        dataFor(Def);
        if (GuardParams[Def].count(Def->getParamDecl(I)))
          GuardParams[FD].insert(P);
      }
    }
  }
  return D;
}

std::optional<bool>
SleepInAtomicCheck::allowsReclaim(const Expr *Gfp) const {
  Expr::EvalResult R;
  if (!Gfp->EvaluateAsInt(R, *AST))
    return std::nullopt;
  return (R.Val.getInt().getZExtValue() & ReclaimBit) != 0;
}

std::optional<unsigned>
SleepInAtomicCheck::gfpParameter(const Expr *Gfp,
                                 const FunctionDecl *FD) const {
  Gfp = Gfp->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(Gfp))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
      if (P->getDeclContext() == FD)
        return P->getFunctionScopeIndex();
  // gfp | __GFP_ZERO
  if (const auto *B = dyn_cast<BinaryOperator>(Gfp))
    if (B->getOpcode() == BO_Or) {
      if (auto P = gfpParameter(B->getLHS(), FD))
        return P;
      return gfpParameter(B->getRHS(), FD);
    }
  return std::nullopt;
}

std::string SleepInAtomicCheck::lockText(const ApiCallIndex &Index,
                                         const ApiCall &A, int LockArg) const {
  if (LockArg < 0)
    return "";
  std::string T = Index.argumentText(A, LockArg);
  StringRef S(T);
  S = S.trim();
  S.consume_front("&");
  while (S.starts_with("(") && S.ends_with(")"))
    S = S.drop_front().drop_back().trim();
  return S.str();
}

/// The trylock call that decides the branch at the end of From, if any;
/// Negated when the condition is its negation.
const CallExpr *trylockCondition(const CFGBlock *From,
                                 const ApiCallIndex &Index, bool &Negated) {
  const Stmt *Cond = From->getTerminatorCondition();
  const auto *E = dyn_cast_or_null<Expr>(Cond);
  Negated = false;
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_LNot) {
      Negated = !Negated;
      E = U->getSubExpr();
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // likely()/unlikely(): __builtin_expect(!!(x), v)
      if (Call->getBuiltinCallee() == Builtin::BI__builtin_expect &&
          Call->getNumArgs() > 0) {
        E = Call->getArg(0);
        continue;
      }
      const ApiCall *A = Index.lookup(Call);
      const api::RegionOp *R = A ? api::findRegionOp(A->Name) : nullptr;
      return R && R->Effect == api::RegionEffect::TryEnter ? Call : nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

/// The parameter a condition tests, if it tests one: `p`, `!p`, `p == C`.
const ParmVarDecl *testedParameter(const Expr *E) {
  E = plainCondition(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot)
    return testedParameter(U->getSubExpr());
  // `p == C`, `p != C`, and flag bits: `p & C` (runtime.c rpm_suspend():
  // `if (rpmflags & RPM_ASYNC)`).
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE ||
            B->getOpcode() == BO_And)) {
    if (const ParmVarDecl *P = testedParameter(B->getLHS()))
      return P;
    return testedParameter(B->getRHS());
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<ParmVarDecl>(Ref->getDecl());
  return nullptr;
}

/// The parameter whose field a condition compares, if it compares one:
/// `p->f == X`, `p->a.b != X`.
const ParmVarDecl *comparedParameterField(const Expr *E) {
  E = plainCondition(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot)
    return comparedParameterField(U->getSubExpr());
  const auto *B = dyn_cast<BinaryOperator>(E);
  if (!B || (B->getOpcode() != BO_EQ && B->getOpcode() != BO_NE))
    return nullptr;
  for (const Expr *Side : {B->getLHS(), B->getRHS()}) {
    const Expr *X = Side->IgnoreParenCasts();
    bool Field = false;
    while (const auto *M = dyn_cast<MemberExpr>(X)) {
      Field = true;
      X = M->getBase()->IgnoreParenCasts();
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(X); Field && Ref)
      if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
        return P;
  }
  return nullptr;
}

/// The locals of Body that keep the value they were declared with: an
/// initialiser, and no assignment, increment, decrement, `&` or inline asm
/// output after it.
/// A poll macro's `unsigned long __sleep_us = (sleep_us);` is one
/// (include/linux/iopoll.h read_poll_timeout()).
std::set<const VarDecl *> fixedLocals(const Stmt *Body) {
  auto Local = [](const Expr *E) -> const VarDecl * {
    const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *VD = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    return VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) ? VD : nullptr;
  };
  std::set<const VarDecl *> Initialised, Written;
  forEachSubStmt(Body, [&](const Stmt *S) {
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->hasLocalStorage() && VD->hasInit() &&
            VD->getType()->isIntegralOrEnumerationType())
          Initialised.insert(VD);
    if (const Expr *W = writtenOperand(S))
      if (const VarDecl *VD = Local(W))
        Written.insert(VD);
    // An inline asm output writes without an assignment.
    if (const auto *A = dyn_cast<AsmStmt>(S))
      for (unsigned I = 0; I < A->getNumOutputs(); ++I)
        if (const VarDecl *VD = Local(A->getOutputExpr(I)))
          Written.insert(VD);
    return true;
  });
  std::set<const VarDecl *> Out;
  for (const VarDecl *VD : Initialised)
    if (!Written.count(VD))
      Out.insert(VD);
  return Out;
}

/// The value of a condition under Bound, when it only tests bound
/// parameters, constants and Fixed locals (their initialisers).
std::optional<int64_t> evaluate(const Expr *E, const Bindings &Bound,
                                const ASTContext &AST,
                                const std::set<const VarDecl *> *Fixed) {
  // Conditions are short; a generated chain of thousands of operands is
  // left unknown rather than walked to the bottom.
  static thread_local unsigned Depth = 0;
  if (Depth > 64)
    return std::nullopt;
  struct Nest {
    unsigned &D;
    ~Nest() { --D; }
  } Guard{++Depth};
  E = plainCondition(E);
  {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, AST))
      return R.Val.getInt().getExtValue();
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
        VD && Fixed && Fixed->count(VD)) {
      // One level: an initialiser naming another fixed local is left
      // unknown, which also ends `int x = x;`.
      return evaluate(VD->getInit(), Bound, AST, nullptr);
    }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl())) {
      auto It = Bound.find(P);
      if (It == Bound.end())
        return std::nullopt;
      return It->second;
    }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_LNot) {
    auto V = evaluate(U->getSubExpr(), Bound, AST, Fixed);
    return V ? std::optional<int64_t>(!*V) : std::nullopt;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_Minus) {
    auto V = evaluate(U->getSubExpr(), Bound, AST, Fixed);
    return V ? std::optional<int64_t>(-*V) : std::nullopt;
  }
  // Arithmetic on bound parameters: a time-out `HZ * can_sleep` is 0 when
  // can_sleep is (6.1 drivers/scsi/NCR5380.c).
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    auto L = evaluate(B->getLHS(), Bound, AST, Fixed);
    auto R = evaluate(B->getRHS(), Bound, AST, Fixed);
    switch (B->getOpcode()) {
    case BO_Mul:
    case BO_And:
      if ((L && !*L) || (R && !*R))
        return 0;
      break;
    case BO_LAnd:
      if ((L && !*L) || (R && !*R))
        return 0;
      if (L && R)
        return 1;
      return std::nullopt;
    case BO_LOr:
      if ((L && *L) || (R && *R))
        return 1;
      if (L && R)
        return 0;
      return std::nullopt;
    default:
      break;
    }
    if (!L || !R)
      return std::nullopt;
    switch (B->getOpcode()) {
    case BO_EQ: return *L == *R;
    case BO_NE: return *L != *R;
    case BO_LT: return *L < *R;
    case BO_GT: return *L > *R;
    case BO_LE: return *L <= *R;
    case BO_GE: return *L >= *R;
    case BO_Mul: return int64_t(uint64_t(*L) * uint64_t(*R));
    case BO_Add: return int64_t(uint64_t(*L) + uint64_t(*R));
    case BO_Sub: return int64_t(uint64_t(*L) - uint64_t(*R));
    case BO_And: return *L & *R;
    case BO_Or: return *L | *R;
    case BO_Xor: return *L ^ *R;
    case BO_Div: return *R ? std::optional<int64_t>(*L / *R) : std::nullopt;
    case BO_Shl:
      return *R >= 0 && *R < 63
                 ? std::optional<int64_t>(int64_t(uint64_t(*L) << *R))
                 : std::nullopt;
    case BO_Shr:
      return *R >= 0 && *R < 63 ? std::optional<int64_t>(*L >> *R)
                                : std::nullopt;
    default:
      break;
    }
  }
  return std::nullopt;
}

/// Whether S begins where its first child does, which is looked at next:
/// getBeginLoc() of a left-deep chain `a * b * c ...` walks down to its
/// first operand, and asking it at every level was quadratic (a condition
/// of 2^18 factors from an exponential macro ran for minutes: bench/fuzz).
bool beginsAtFirstChild(const Stmt *S) {
  if (const auto *U = dyn_cast<UnaryOperator>(S))
    return U->isPostfix();
  return isa<BinaryOperator, ConditionalOperator, ArraySubscriptExpr>(S);
}

/// Whether S tests the running context (WQ_CONTEXT_TEST): a call or macro
/// expansion of one, or a local variable initialised from one.
bool testsContext(const Stmt *S, const ASTContext &AST, unsigned Depth = 0) {
  if (!S || Depth > 2)
    return false;
  const SourceManager &SM = AST.getSourceManager();
  if (!beginsAtFirstChild(S))
    for (SourceLocation L = S->getBeginLoc(); L.isMacroID();
         L = SM.getImmediateMacroCallerLoc(L))
      if (api::isContextTest(
              Lexer::getImmediateMacroName(L, SM, AST.getLangOpts())))
        return true;
  if (const auto *C = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *F = C->getDirectCallee();
        F && F->getIdentifier() && api::isContextTest(F->getName()))
      return true;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(S))
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
        V && V->isLocalVarDecl() && V->getInit())
      if (testsContext(V->getInit(), AST, Depth + 1))
        return true;
  for (const Stmt *Child : S->children())
    if (testsContext(Child, AST, Depth))
      return true;
  return false;
}

/// The calls of a function that sit in a branch of an `if`, `?:` or loop
/// whose condition tests the running context (`if (!in_atomic())
/// msleep(1); else cpu_relax();`, might_sleep_if(not_atomic)).
struct ContextGuardedCalls : RecursiveASTVisitor<ContextGuardedCalls> {
  const ASTContext &AST;
  unsigned Depth = 0;
  std::set<const CallExpr *> Calls;
  explicit ContextGuardedCalls(const ASTContext &AST) : AST(AST) {}
  bool guardedBranches(Stmt *Cond, std::initializer_list<Stmt *> Branches) {
    TraverseStmt(Cond);
    bool G = testsContext(Cond, AST);
    Depth += G;
    for (Stmt *B : Branches)
      TraverseStmt(B);
    Depth -= G;
    return true;
  }
  bool TraverseIfStmt(IfStmt *If) {
    TraverseStmt(If->getInit());
    return guardedBranches(If->getCond(), {If->getThen(), If->getElse()});
  }
  bool TraverseWhileStmt(WhileStmt *W) {
    return guardedBranches(W->getCond(), {W->getBody()});
  }
  bool TraverseConditionalOperator(ConditionalOperator *C) {
    return guardedBranches(C->getCond(), {C->getTrueExpr(), C->getFalseExpr()});
  }
  bool VisitCallExpr(CallExpr *Call) {
    if (Depth)
      Calls.insert(Call);
    return true;
  }
};

const std::set<const CallExpr *> &
SleepInAtomicCheck::contextGuarded(const FunctionDecl *FD) {
  auto It = GuardedCalls.find(FD);
  if (It != GuardedCalls.end())
    return It->second;
  ContextGuardedCalls Finder(*AST);
  Finder.TraverseStmt(FD->getBody());
  return GuardedCalls.emplace(FD, std::move(Finder.Calls)).first->second;
}

void SleepInAtomicCheck::edgeEffect(const CFGBlock *From, const CFGBlock *To,
                                    const FunctionDecl *FD, State &S,
                                    const Bindings *Bound) {
  // Under known arguments, a branch on them can be infeasible; so can a
  // branch on a local that keeps its initial value (a poll macro with
  // sleep_us 0 busy-waits: `might_sleep_if((__sleep_us) != 0)`).
  // The operand this block tests (branchCondition(): `b` of `a && b`, not
  // the whole chain, which would make a long chain quadratic).
  static const Bindings NoBindings;
  if (From->succ_size() == 2)
    if (const Expr *Cond = branchCondition(*From))
      if (auto V = evaluate(Cond, Bound ? *Bound : NoBindings, *AST,
                            &dataFor(FD).FixedLocals)) {
        bool TrueEdge = *From->succ_begin() == To;
        if (TrueEdge != (*V != 0)) {
          S.Reached = false;
          return;
        }
      }
  const ApiCallIndex &Index = *dataFor(FD).Calls;
  bool Negated = false;
  const CallExpr *Try = trylockCondition(From, Index, Negated);
  if (!Try || From->succ_size() != 2)
    return;
  bool TrueEdge = *From->succ_begin() == To;
  if (TrueEdge == Negated)
    return; // the trylock failed on this edge
  const ApiCall *A = Index.lookup(Try);
  const api::RegionOp *R = api::findRegionOp(A->Name);
  S.Regions.push_back({R->Kind, lockText(Index, *A, R->LockArg),
                       Ctx.User.reportLocation(A->NameLoc), A->Name.str(),
                       {}});
}

Summary SleepInAtomicCheck::analyze(const FunctionDecl *FD, bool Report,
                                    const Bindings *Bound) {
  Summary Sum;
  FunctionData &D = dataFor(FD);
  if (!D.Graph)
    return Sum;
  Summary Scratch; // what the iterations record is not final
  auto Transfer = [&](Summary &Into, bool Rep) {
    return [&, Rep](const CFGBlock &B, State &S) {
      forEachStmt(B, [&](const Stmt *St) {
        if (const auto *Call = dyn_cast<CallExpr>(St))
          transfer(FD, Call, S, Into, Rep);
      });
    };
  };
  auto Edge = [&](const CFGBlock &From, const CFGBlock &To, State &S) {
    edgeEffect(&From, &To, FD, S, Bound);
  };
  struct RestoreBound {
    const Bindings *&Slot, *Saved;
    ~RestoreBound() { Slot = Saved; }
  } Restore{CurBound, CurBound};
  CurBound = Bound;
  ForwardDataflow<State> Flow(*D.Graph, State(), Transfer(Scratch, false),
                              join, Edge);
  // One pass over the solution records the summary, or reports.
  auto Final = Transfer(Sum, Report);
  for (const CFGBlock *B : Flow.order()) {
    State S = Flow.in(*B, join, Edge);
    if (S.Reached)
      Final(*B, S);
  }
  State Exit = Flow.in(D.Graph->getExit(), join, Edge);
  Sum.Acquires = Exit.Regions;
  Sum.Releases = Exit.Released;
  return Sum;
}

void SleepInAtomicCheck::transfer(const FunctionDecl *FD, const CallExpr *Call,
                                  State &S, Summary &Sum, bool Report) {
  const ApiCallIndex &Index = *dataFor(FD).Calls;
  const ApiCall *A = Index.lookup(Call);
  if (Report && Ctx.Facts)
    recordCall(FD, Call, A, S);
  if (!A) {
    if (!Call->getDirectCallee())
      indirectCall(Call, S);
    return;
  }
  SourceLocation Here = A->NameLoc;

  if (const api::RegionOp *R = api::findRegionOp(A->Name)) {
    Held H{R->Kind, lockText(Index, *A, R->LockArg),
           Ctx.User.reportLocation(Here), A->Name.str(), guardsAt(FD, Call)};
    if (R->Effect == api::RegionEffect::Enter) {
      S.Regions.push_back(H);
    } else if (R->Effect == api::RegionEffect::Exit) {
      // spin_unlock_irqrestore() of a lock taken with plain spin_lock()
      // after local_irq_save() (or of the caller's lock, in an unlock
      // helper) also ends the interrupts-off region (6.1 kernel/rcu/tree.c
      // krc_this_cpu_unlock(), held-out Set N).
      bool AlsoIrqs = false;
      if (api::unlockRestoresIrqs(A->Name)) {
        auto I = regionLeftBy(S.Regions, H);
        AlsoIrqs = !I || !StringRef(S.Regions[*I].Api).contains("irq");
      }
      leave(S, H);
      if (AlsoIrqs)
        leave(S, Held{RegionKind::IrqsOff, "", H.Loc, A->Name.str(), {}});
    }
    return; // TryEnter: on the success edge only (edgeEffect)
  }

  // A sleep the author guarded with a test of the running context.
  struct Suppress {
    bool &Flag;
    bool Old;
    Suppress(bool &F, bool V) : Flag(F), Old(F) { Flag = V || F; }
    ~Suppress() { Flag = Old; }
  } Guard(ContextGuarded, contextGuarded(FD).count(Call) > 0);

  if (api::sleepsInTask(A->Name)) {
    onSleep(FD, {Here, A->Name.str(), "", nullptr, {}, /*TaskOnly=*/true, "", {}},
            S, Sum, Report, Call);
    return;
  }

  if (api::sleepsAlways(A->Name)) {
    // cancel_work_sync() on a work item queued on a BH workqueue may run in
    // atomic context other than hard IRQ (6.10+ kernel-doc).
    if (const api::CancelOkOnBh *OK = api::findCancelOkOnBh(A->Name)) {
      auto CB = Callbacks.find(FD);
      bool HardIrq = CB != Callbacks.end() &&
                     CB->second.Context == CallbackContext::HardIrq;
      if (!HardIrq && OK->WorkArg < Call->getNumArgs() &&
          isBhQueuedWork(Call->getArg(OK->WorkArg)))
        return;
    }
    onSleep(FD,
            {Here, A->Name.str(), "", nullptr, {}, false, "", waitTest(FD, *A)},
            S, Sum, Report, Call);
    return;
  }

  int GfpArg = api::sleepingGfpArg(A->Name);
  if (GfpArg >= 0 && unsigned(GfpArg) < Call->getNumArgs() && !A->FromMacro) {
    const Expr *Gfp = Call->getArg(GfpArg);
    std::optional<bool> Reclaim = allowsReclaim(Gfp);
    std::string Detail = "with GFP flags that allow direct reclaim";
    std::string Drops = api::gfpSleepDropsLock(A->Name).str();
    if (Reclaim && *Reclaim) {
      onSleep(FD, {Here, A->Name.str(), Detail, nullptr, {}, false, Drops, {}}, S,
              Sum, Report, Call);
    } else if (!Reclaim) {
      if (auto P = gfpParameter(Gfp, FD))
        if (!ContextGuarded)
          Sum.GfpParamSleeps.try_emplace(
            *P, SleepSite{A->Name.str(), Detail, Ctx.User.reportLocation(Here),
                          nullptr, S.Released, false, Drops,
                          guardsAt(FD, Call), releaseAt(FD, Call)});
    }
    return;
  }

  const FunctionDecl *Callee = userDefinition(Call->getDirectCallee());
  if (!Callee) {
    // idr_for_each(.., fn, ..): a kernel iterator calls the file's fn
    // before it returns, under what is held here (WQ_SYNC_CALLBACK_WORD).
    if (api::callsBackAtOnce(A->Name))
      for (const Expr *Arg : Call->arguments())
        if (const FunctionDecl *Fn = userDefinition(functionNamedBy(Arg)))
          for (const SleepSite &Site : Summaries[Fn].Sleeps)
            onSleep(FD,
                    {Here, Site.Api, Site.Detail, Fn, Site.ReleasedBefore,
                     Site.TaskOnly, Site.DropsLock, Site.Guards, Site.OnRelease},
                    S, Sum, Report, Call);
    kernelGfpCall(FD, Call, S, Sum, Report);
    return;
  }
  const Summary &C = summaryAt(Callee, Call);
  for (const SleepSite &Site : C.Sleeps)
    onSleep(FD,
            {Here, Site.Api, Site.Detail, Callee, Site.ReleasedBefore,
             Site.TaskOnly, Site.DropsLock, Site.Guards, Site.OnRelease},
            S, Sum, Report, Call);
  for (const auto &[Param, Site] : C.GfpParamSleeps) {
    if (Param >= Call->getNumArgs())
      continue;
    const Expr *Gfp = Call->getArg(Param);
    std::optional<bool> Reclaim = allowsReclaim(Gfp);
    if (Reclaim && *Reclaim)
      onSleep(FD,
              {Here, Site.Api, Site.Detail, Callee, Site.ReleasedBefore,
               false, Site.DropsLock, Site.Guards, Site.OnRelease},
              S, Sum, Report, Call);
    else if (!Reclaim)
      if (auto P = gfpParameter(Gfp, FD))
        if (!ContextGuarded)
          Sum.GfpParamSleeps.try_emplace(
            *P, SleepSite{Site.Api, Site.Detail, Ctx.User.reportLocation(Here),
                          Callee, S.Released, false, Site.DropsLock,
                          withGuards(guardsAt(FD, Call), Site.Guards),
                          Site.OnRelease.empty() ? releaseAt(FD, Call)
                                                 : Site.OnRelease});
  }
  for (const Held &H : C.Releases)
    leave(S, H);
  for (const Held &H : C.Acquires)
    S.Regions.push_back(H);
}

void SleepInAtomicCheck::indirectCall(const CallExpr *Call, State &S) {
  // `fiq->ops->wake_pending_and_unlock(fiq)` (6.1 fs/fuse/dev.c, held-out
  // Set L): the file's only function for that field drops the lock its
  // caller holds.  Only what every one of them leaves is left; what they
  // sleep on or take is not assumed of an unknown pointer.
  const auto *M = dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts());
  const auto *Field = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
  if (!Field)
    return;
  auto It = OpsImpls.find({recordName(Field).str(), Field->getName().str()});
  if (It == OpsImpls.end() || It->second.empty())
    return;
  std::optional<std::vector<Held>> Common;
  for (const FunctionDecl *Fn : It->second) {
    const Summary &Sum = summaryAt(Fn, Call);
    if (!Common) {
      Common = Sum.Releases;
      continue;
    }
    std::vector<Held> Both;
    for (const Held &H : *Common)
      if (llvm::any_of(Sum.Releases,
                       [&](const Held &X) { return X.sameRegion(H); }))
        Both.push_back(H);
    Common = std::move(Both);
  }
  for (const Held &H : *Common)
    leave(S, H);
}

/// A kernel function the table does not list, passed flags that allow
/// direct reclaim in a gfp_t parameter, allocates with them and may sleep
/// (WQ_GFP_NO_SLEEP says which do not).
void SleepInAtomicCheck::kernelGfpCall(const FunctionDecl *FD,
                                       const CallExpr *Call, const State &S,
                                       Summary &Sum, bool Report) {
  const FunctionDecl *Kernel = Call->getDirectCallee();
  if (!Kernel || !Kernel->getIdentifier() ||
      api::gfpNeverSleeps(Kernel->getName()))
    return;
  auto IsGfp = [](QualType T) {
    const auto *TT = T->getAs<TypedefType>();
    return TT && TT->getDecl()->getName() == "gfp_t";
  };
  QualType Ret = Kernel->getReturnType();
  if (Ret->isBooleanType() || IsGfp(Ret))
    return; // a predicate or a computation on the flags
  for (const ParmVarDecl *P : Kernel->parameters()) {
    unsigned I = P->getFunctionScopeIndex();
    if (!IsGfp(P->getType()) || I >= Call->getNumArgs())
      continue;
    const Expr *Gfp = Call->getArg(I);
    std::optional<bool> Reclaim = allowsReclaim(Gfp);
    std::string Detail = "with GFP flags that allow direct reclaim";
    SourceLocation Here = Call->getBeginLoc();
    std::string Drops = api::gfpSleepDropsLock(Kernel->getName()).str();
    if (Reclaim && *Reclaim) {
      onSleep(FD,
              {Here, Kernel->getName().str(), Detail, nullptr, {}, false,
               Drops, {}},
              S, Sum, Report, Call);
      return;
    }
    if (!Reclaim)
      if (auto Param = gfpParameter(Gfp, FD))
        if (!ContextGuarded)
          Sum.GfpParamSleeps.try_emplace(
            *Param,
            SleepSite{Kernel->getName().str(), Detail,
                      Ctx.User.reportLocation(Here), nullptr, S.Released,
                      false, Drops, guardsAt(FD, Call), releaseAt(FD, Call)});
    return;
  }
}

const Summary &SleepInAtomicCheck::summaryAt(const FunctionDecl *Callee,
                                            const CallExpr *Call) {
  dataFor(Callee);
  Bindings Bound;
  static const Bindings NoBindings;
  const Bindings &Caller = CurBound ? *CurBound : NoBindings;
  // One argument `c ? K1 : K2` with both arms known: the callee runs with
  // either value, so its summary is the union of both specialisations
  // (runtime.c pm_suspend_timer_fn(): `c ? (RPM_ASYNC | RPM_AUTO) :
  // RPM_ASYNC`).
  const ParmVarDecl *Either = nullptr;
  int64_t Arms[2] = {0, 0};
  for (const ParmVarDecl *P : GuardParams[Callee]) {
    unsigned I = P->getFunctionScopeIndex();
    if (I >= Call->getNumArgs())
      continue;
    // A constant, or computed from the caller's bound parameters.
    if (auto V = evaluate(Call->getArg(I), Caller, *AST, nullptr)) {
      Bound[P] = *V;
      continue;
    }
    // A pointer the call runs under a non-NULL test of: the callee's
    // `if (!p)` branch is not taken (chtls_cm.c chtls_abort_conn(): `if
    // (abort_skb) chtls_send_reset(sk, mode, abort_skb)`).
    if (auto NN = NonNullAtCall.find(Call);
        NN != NonNullAtCall.end() && P->getType()->isPointerType())
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(Call->getArg(I)->IgnoreParenImpCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
            V && NN->second.count(V)) {
          Bound[P] = 1;
          continue;
        }
    const auto *C = dyn_cast<ConditionalOperator>(
        Call->getArg(I)->IgnoreParenImpCasts());
    if (!C || Either)
      continue;
    auto T = evaluate(C->getTrueExpr(), Caller, *AST, nullptr);
    auto F = evaluate(C->getFalseExpr(), Caller, *AST, nullptr);
    if (T && F) {
      Either = P;
      Arms[0] = *T;
      Arms[1] = *F;
    }
  }
  if (InProgress.empty()) {
    Provisional.clear();
    ProvisionalAt.clear();
  }
  if (Either) {
    auto Cached = EitherAt.find({Call, Bound});
    if (Cached != EitherAt.end())
      return Cached->second;
    Summary Merged;
    for (int64_t V : Arms) {
      Bindings B = Bound;
      B[Either] = V;
      const Summary &S = specialised(Callee, B);
      for (const SleepSite &Site : S.Sleeps)
        if (!llvm::is_contained(Merged.Sleeps, Site))
          Merged.Sleeps.push_back(Site);
      for (const auto &[Param, Site] : S.GfpParamSleeps)
        Merged.GfpParamSleeps.try_emplace(Param, Site);
      if (Merged.Acquires.empty())
        Merged.Acquires = S.Acquires;
      if (Merged.Releases.empty())
        Merged.Releases = S.Releases;
    }
    // Computed under an assumption of an analysis still running: not kept.
    if (!Assumed.empty())
      return ProvisionalAt[{Call, Bound}] = std::move(Merged);
    return EitherAt.emplace(std::make_pair(Call, Bound), std::move(Merged))
        .first->second;
  }
  if (Bound.empty())
    return Summaries[Callee];
  return specialised(Callee, Bound);
}

const Summary &SleepInAtomicCheck::specialised(const FunctionDecl *Callee,
                                               const Bindings &Bound) {
  auto Key = std::make_pair(Callee, Bound);
  if (auto It = Specialised.find(Key); It != Specialised.end())
    return It->second;
  constexpr size_t MaxDepth = 8;
  // The same specialisation again (rpm_suspend(ASYNC) -> rpm_idle(parent,
  // ASYNC) -> rpm_suspend(ASYNC | AUTO) -> rpm_idle(parent, ASYNC)): what
  // it reaches is what the analysis in progress finds, so nothing more;
  // the plain summary would bring back the sleeps the bindings ruled out
  // (runtime.c:1006, Set F).  What is computed under that assumption is
  // kept only until the outermost analysis ends (Provisional): cached, it
  // could miss sleeps at other call sites.  A chain too deep uses the
  // plain summary.
  static const Summary Nothing;
  if (InProgress.count(Key)) {
    Assumed.insert(Key);
    return Nothing;
  }
  if (InProgress.size() >= MaxDepth)
    return Summaries[Callee];
  InProgress.insert(Key);
  Summary S = analyze(Callee, false, &Bound);
  InProgress.erase(Key);
  Assumed.erase(Key);
  if (!Assumed.empty())
    return Provisional[Key] = std::move(S);
  return Specialised.emplace(Key, std::move(S)).first->second;
}

std::vector<BranchGuard> SleepInAtomicCheck::waitTest(const FunctionDecl *FD,
                                                      const ApiCall &A) {
  if (!A.FromMacro || !A.Call || !FD->getBody())
    return {};
  const SourceManager &SM = Ctx.CI.getSourceManager();
  SourceLocation Expansion = SM.getExpansionLoc(A.Call->getBeginLoc());
  std::optional<BranchGuard> Test;
  bool Done = false;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (Done)
      return false;
    const auto *If = dyn_cast<IfStmt>(S);
    if (!If)
      return true;
    SourceLocation L = If->getIfLoc();
    // An `if` of the macro's own body, in this expansion: not one of a
    // macro it uses (might_sleep()), nor one the user wrote in the
    // condition.
    if (!L.isMacroID() || SM.getExpansionLoc(L) != Expansion ||
        Lexer::getImmediateMacroName(L, SM, Ctx.CI.getLangOpts()) != A.Name)
      return true;
    Done = true;
    Test = guardOf(If->getCond(), !isa<BreakStmt>(If->getThen()));
    return false;
  });
  if (!Test)
    return {};
  Test->Loc = A.NameLoc;
  Test->OfWait = true;
  return {*Test};
}

const std::vector<BranchGuard> &
SleepInAtomicCheck::guardsAt(const FunctionDecl *FD, const Stmt *Call) {
  static const std::vector<BranchGuard> None;
  auto It = GuardsOfCalls.find(FD);
  if (It == GuardsOfCalls.end())
    It = GuardsOfCalls.emplace(FD, guardsOfCalls(FD->getBody())).first;
  auto G = It->second.find(Call);
  return G == It->second.end() ? None : G->second;
}

void SleepInAtomicCheck::onSleep(const FunctionDecl *FD, const Sleep &Z,
                                 const State &S, Summary &Sum, bool Report,
                                 const CallExpr *Call) {
  if (ContextGuarded)
    return;
  // Interrupt callbacks are not task context: vfree() defers there.
  if (Z.TaskOnly && Callbacks.count(FD))
    return;
  // Regions still entered when the sleep happens: the callee may have left
  // some of them first, naming them as it does (regionLeftBy()).
  std::vector<Held> Regions = S.Regions;
  for (const Held &R : Z.ReleasedBefore)
    if (auto I = regionLeftBy(Regions, R))
      Regions.erase(Regions.begin() + *I);
  // __xa_store() with GFP_KERNEL under xa_lock(): it drops that lock to
  // allocate.
  if (!Z.DropsLock.empty())
    llvm::erase_if(Regions, [&](const Held &H) {
      return !H.Lock.empty() && lastMember(H.Lock) == Z.DropsLock;
    });
  // With bottom halves off in_interrupt() is true: vfree() defers too.
  if (Z.TaskOnly && llvm::any_of(Regions, [](const Held &H) {
        return H.Kind == RegionKind::BhOff || api::disablesBh(H.Api);
      }))
    return;

  std::vector<BranchGuard> Guards = withGuards(guardsAt(FD, Call), Z.Guards);
  std::string OnRelease =
      Z.OnRelease.empty() ? releaseAt(FD, Call) : Z.OnRelease;
  if (Report) {
    if (!Regions.empty() || Callbacks.count(FD))
      report(FD, Z, Regions, Guards, OnRelease);
    return;
  }
  SleepSite Site{Z.Api, Z.Detail, Ctx.User.reportLocation(Z.CallLoc), Z.Via,
                 S.Released, Z.TaskOnly, Z.DropsLock, Guards, OnRelease};
  for (const Held &H : Z.ReleasedBefore)
    if (llvm::none_of(Site.ReleasedBefore,
                      [&](const Held &X) { return X.sameRegion(H); }))
      Site.ReleasedBefore.push_back(H);
  // Keep a few sites, preferring those that sleep with everything the
  // caller holds still held.
  if (llvm::is_contained(Sum.Sleeps, Site))
    return;
  if (Sum.Sleeps.size() < MaxSleepSites) {
    Sum.Sleeps.push_back(Site);
  } else if (Site.ReleasedBefore.empty()) {
    for (SleepSite &Old : Sum.Sleeps)
      if (!Old.ReleasedBefore.empty() ||
          (!Old.Guards.empty() && Site.Guards.empty())) {
        Old = Site;
        break;
      }
  }
}

bool SleepInAtomicCheck::isBhQueuedWork(const Expr *Work) const {
  auto Key = workKeyOf(Work);
  return Key && BhQueuedWork.count(*Key);
}

std::string quoted(StringRef S) { return ("'" + S + "'").str(); }

std::string SleepInAtomicCheck::releaseAt(const FunctionDecl *FD,
                                          const Stmt *Call) {
  auto [It, New] = DropsOf.try_emplace(FD);
  if (New)
    It->second = callsOnReferenceDrop(FD->getBody());
  auto D = It->second.find(Call);
  if (D == It->second.end())
    return "";
  return "'" + D->second->getDirectCallee()->getName().str() + "' in '" +
         FD->getName().str() + "'";
}

void SleepInAtomicCheck::report(const FunctionDecl *FD, const Sleep &Z,
                                const std::vector<Held> &Regions,
                                const std::vector<BranchGuard> &Guards,
                                const std::string &OnRelease) {
  SourceLocation Loc = Ctx.User.reportLocation(Z.CallLoc);
  if (Loc.isInvalid())
    return;
  std::string Reason, Fix;
  const CallbackInfo *CB = nullptr;
  if (!Regions.empty()) {
    const Held &H = Regions.back();
    if (!H.Lock.empty())
      Reason = (api::describe(H.Kind) + " " + quoted(H.Lock) + " held").str();
    else
      Reason = api::describe(H.Kind).str();
    Fix = H.Lock.empty() ? "call it outside the region"
                         : "call it after the unlock";
    Fix += ", use a non-sleeping variant (GFP_ATOMIC, mdelay()), or defer "
           "the work to a work item";
  } else {
    CB = &Callbacks.find(FD)->second;
    Reason = ("in " + api::describe(CB->Context) + " " + quoted(FD->getName()))
                 .str();
    Fix = CB->Context == CallbackContext::HardIrq
              ? "move it to a threaded IRQ handler (request_threaded_irq()) "
                "or a work item, or use a non-sleeping variant"
              : "defer it to a work item on a regular workqueue, or use a "
                "non-sleeping variant (GFP_ATOMIC, mdelay())";
  }
  std::string Message = "sleeping function " + quoted(Z.Api);
  if (!Z.Detail.empty())
    Message += " " + Z.Detail;
  Message += " called in atomic context (" + Reason + ")";
  if (Z.Via)
    Message += " through " + quoted(Z.Via->getName());
  Message += "; sleeping there is a bug (\"BUG: sleeping function called "
             "from invalid context\"); " +
             Fix;
  // Every region entered only on one outcome of a test, the sleep reached
  // only on the other: the same test of the same field, maybe through
  // another pointer to the object (6.1 block/blk-mq.h
  // __blk_mq_run_dispatch_ops(): rcu_read_lock() when the queue has no
  // SRCU, might_sleep() in the branch for queues that have it).  Unless
  // the two pointers name different objects, the sleep is not in the region.
  // The path to a wait passes the wait's own test with the opposite
  // outcome before it: a wait_event() whose condition the path found true
  // just before (6.1
  // drivers/block/amiflop.c fd_motor_off(): `if (!try_fdc(drive)) {
  // re-arm; return; }`, then get_fdc() -> wait_event(fdc_wait,
  // try_fdc(drive)); third held-out corpus).  It sleeps only if something
  // else changed the outcome in between.
  const BranchGuard *Held1 = nullptr, *Held2 = nullptr;
  for (size_t I = 0; I < Guards.size() && !Held1; ++I)
    for (size_t J = I + 1; J < Guards.size(); ++J)
      if (Guards[I].contradicts(Guards[J]) &&
          (Guards[I].OfWait || Guards[J].OfWait)) {
        Held1 = &Guards[I];
        Held2 = &Guards[J];
        break;
      }
  const BranchGuard *RegionTest = nullptr, *SleepTest = nullptr;
  for (const Held &H : Regions) {
    RegionTest = contradiction(H.Guards, Guards);
    if (!RegionTest)
      break;
    SleepTest = contradiction(Guards, H.Guards);
  }
  auto LineOf = [&](SourceLocation L) {
    L = Ctx.User.reportLocation(L);
    return L.isValid() ? std::to_string(
                             Ctx.CI.getSourceManager().getSpellingLineNumber(L))
                       : std::string("?");
  };
  if (Held1) {
    if (!Ctx.Report.possible(
            Id, Loc, Message,
            "the path to the wait passes the same test of " +
                quoted(Held1->Field) + " twice with opposite outcomes (lines " +
                LineOf(Held1->Loc) + " and " + LineOf(Held2->Loc) +
                "): a wait whose condition held just before sleeps only if "
                "another context changed it in between"))
      return;
  } else if (RegionTest) {
    if (!Ctx.Report.possible(
            Id, Loc, Message,
            "the region is entered only on one outcome of a test and the "
            "sleep is reached only on the other outcome of the same test "
            "(of the same field), so the two are exclusive unless the test "
            "reads two different objects"))
      return;
  } else if (!OnRelease.empty()) {
    // 6.1 kernel/events/core.c put_event(): the free path sleeps, and the
    // put under ctx->lock drops a link reference, never the last one.
    if (!Ctx.Report.possible(
            Id, Loc, Message,
            "the sleep is reached only once " + OnRelease +
                " drops the last reference; a caller that holds another "
                "reference never gets there"))
      return;
  } else if (!Ctx.Report.warn(Id, Loc, Message)) {
    return;
  }
  std::string Macro;
  if (SourceLocation Use = Ctx.User.macroUse(Z.CallLoc, Macro); Use.isValid())
    Ctx.Report.note(Use, "in the expansion of macro " + quoted(Macro) +
                             " here");
  if (!Regions.empty()) {
    const Held &H = Regions.back();
    if (H.Loc.isValid())
      Ctx.Report.note(H.Loc, H.Lock.empty()
                                 ? (api::describe(H.Kind) + " here by " +
                                    quoted(H.Api))
                                       .str()
                                 : (api::describe(H.Kind) + " " +
                                    quoted(H.Lock) + " taken here")
                                       .str());
  } else if (CB && CB->Registered.isValid()) {
    Ctx.Report.note(CB->Registered, quoted(FD->getName()) + " runs in " +
                                        api::describeContext(CB->Context) +
                                        ": " + CB->How);
  }
  addChainNotes(Z);
  if (RegionTest) {
    auto Outcome = [](bool B) { return B ? "true" : "false"; };
    SourceLocation R = Ctx.User.reportLocation(RegionTest->Loc);
    SourceLocation T = Ctx.User.reportLocation(SleepTest->Loc);
    if (R.isValid())
      Ctx.Report.note(R, "the region is entered only when this test of " +
                             quoted(RegionTest->Field) + " is " +
                             Outcome(RegionTest->Outcome));
    if (T.isValid())
      Ctx.Report.note(T, "the sleep is reached only when the same test of " +
                             quoted(SleepTest->Field) + " is " +
                             Outcome(SleepTest->Outcome));
  }
}

void SleepInAtomicCheck::addChainNotes(const Sleep &Z) {
  const FunctionDecl *F = Z.Via;
  std::set<const FunctionDecl *> Seen;
  while (F && Seen.insert(F).second) {
    const Summary &S = Summaries[F];
    const SleepSite *Next = nullptr;
    for (const SleepSite &Site : S.Sleeps)
      if (Site.Api == Z.Api && (!Next || (Next->Via && !Site.Via)))
        Next = &Site;
    if (!Next)
      for (const auto &[P, Site] : S.GfpParamSleeps)
        if (Site.Api == Z.Api)
          Next = &Site;
    if (!Next || Next->Loc.isInvalid())
      return;
    Ctx.Report.note(Next->Loc,
                    quoted(F->getName()) + " calls " +
                        quoted(Next->Via ? Next->Via->getName()
                                         : StringRef(Next->Api)) +
                        (Next->Via ? ", which may sleep," : "") + " here");
    F = Next->Via;
  }
}

/// A parameter passed on, alone or in an expression, as an argument that a
/// callee branches on is one its function branches on too: the constant
/// `can_sleep` of NCR5380_transfer_pio(.., 0) reaches the `if (!wait)` of
/// NCR5380_poll_politely2() through NCR5380_poll_politely(.., HZ *
/// can_sleep) (6.1 drivers/scsi/NCR5380.c).
void SleepInAtomicCheck::addForwardedGuards() {
  struct Uses : RecursiveASTVisitor<Uses> {
    const FunctionDecl *FD;
    std::set<const ParmVarDecl *> Params;
    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl()))
        if (P->getDeclContext() == FD)
          Params.insert(P);
      return true;
    }
  };
  struct Calls : RecursiveASTVisitor<Calls> {
    std::vector<const CallExpr *> Found;
    bool VisitCallExpr(CallExpr *Call) {
      Found.push_back(Call);
      return true;
    }
  };
  std::map<const FunctionDecl *, std::vector<const CallExpr *>> CallsIn;
  for (const FunctionDecl *FD : Functions) {
    dataFor(FD);
    Calls C;
    C.TraverseStmt(FD->getBody());
    CallsIn[FD] = std::move(C.Found);
  }
  for (unsigned Round = 0; Round < MaxRounds; ++Round) {
    bool Changed = false;
    for (const FunctionDecl *FD : Functions)
      for (const CallExpr *Call : CallsIn[FD]) {
        const FunctionDecl *Callee = userDefinition(Call->getDirectCallee());
        if (!Callee || Callee == FD)
          continue;
        auto It = GuardParams.find(Callee);
        if (It == GuardParams.end())
          continue;
        for (const ParmVarDecl *P : std::vector<const ParmVarDecl *>(
                 It->second.begin(), It->second.end())) {
          unsigned I = P->getFunctionScopeIndex();
          if (I >= Call->getNumArgs())
            continue;
          Uses U;
          U.FD = FD;
          U.TraverseStmt(const_cast<Expr *>(Call->getArg(I)));
          for (const ParmVarDecl *Q : U.Params)
            Changed |= GuardParams[FD].insert(Q).second;
        }
      }
    if (!Changed)
      break;
  }
}

void SleepInAtomicCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  findReclaimBit(Context);
  for (const Decl *D : Ctx.User.topLevelDecls(Context)) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      continue;
    Functions.push_back(FD);
    FunctionSet.insert(FD);
  }
  if (Ctx.Facts)
    Recorded = recordedFunctions(Context, Ctx.User);
  CallbackFinder Finder(*this, Context);
  Finder.traverseUserCode(Context);
  Finder.finish();
  addForwardedGuards();

  // Summaries to a fixpoint over the file's calls.
  for (unsigned Round = 0; Round < MaxRounds; ++Round) {
    bool Changed = false;
    for (const FunctionDecl *FD : Functions) {
      Summary S = analyze(FD, /*Report=*/false);
      if (!(S == Summaries[FD])) {
        Summaries[FD] = std::move(S);
        Changed = true;
      }
    }
    if (!Changed)
      break;
    Specialised.clear();
    EitherAt.clear();
    Provisional.clear();
    ProvisionalAt.clear();
  }
  for (const FunctionDecl *FD : Functions)
    analyze(FD, /*Report=*/true);
  if (Ctx.Facts)
    recordFacts();
}

//===----------------------------------------------------------------------===//
// Cross-file facts
//===----------------------------------------------------------------------===//

std::string SleepInAtomicCheck::keyOf(const FunctionDecl *FD) const {
  return functionKey(FD, AST->getSourceManager());
}

Position SleepInAtomicCheck::where(SourceLocation Loc) const {
  return positionOf(AST->getSourceManager(), Loc);
}

bool isGfpType(QualType T) {
  while (const auto *TT = T->getAs<TypedefType>()) {
    if (TT->getDecl()->getName() == "gfp_t")
      return true;
    T = TT->getDecl()->getUnderlyingType();
  }
  return false;
}

/// A call another file's summary may decide: of a function of the user's
/// (defined here or elsewhere), or through an ops-table pointer.
void SleepInAtomicCheck::recordCall(const FunctionDecl *FD,
                                    const CallExpr *Call, const ApiCall *A,
                                    const State &S) {
  // After the function left a region its caller holds, what it calls does
  // not run under it: no evidence either way.
  if (!S.Released.empty() || (A && A->FromMacro) || !Recorded.count(FD))
    return;
  CallFact F;
  F.Caller = keyOf(FD);
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee) {
    if (!Callee->getIdentifier())
      return;
    StringRef Name = Callee->getName();
    if (api::findRegionOp(Name) || api::sleepsInTask(Name) ||
        api::sleepsAlways(Name) || api::sleepingGfpArg(Name) >= 0)
      return;
    if (const FunctionDecl *Def = userDefinition(Callee))
      F.Callee = keyOf(Def);
    else if (!Callee->getDefinition() && Callee->hasExternalFormalLinkage())
      F.Callee = Name.str();
    else
      return; // a kernel header's inline function
  } else {
    const auto *M =
        dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts());
    const auto *Field = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
    if (!Field || !Field->getIdentifier() || recordName(Field).empty())
      return;
    F.Slot = (recordName(Field) + "." + Field->getName()).str();
  }
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (Loc.isInvalid())
    return;
  F.Where = where(Loc);
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    const Expr *Arg = Call->getArg(I);
    bool Gfp = isGfpType(Arg->getType()) ||
               isGfpType(Arg->IgnoreParenImpCasts()->getType()) ||
               (Callee && I < Callee->getNumParams() &&
                isGfpType(Callee->getParamDecl(I)->getType()));
    std::string Kind;
    if (Gfp) {
      if (auto R = allowsReclaim(Arg))
        Kind = *R ? "R" : "N";
      else if (auto P = gfpParameter(Arg, FD))
        Kind = "p" + std::to_string(*P);
    } else if (Arg->getType()->isIntegralOrEnumerationType() &&
               Arg->isEvaluatable(*AST)) {
      Kind = "c";
    }
    if (!Kind.empty())
      F.Args += (F.Args.empty() ? "" : ",") + std::to_string(I) + "=" + Kind;
  }
  if (!S.Regions.empty()) {
    const Held &H = S.Regions.back();
    F.Atomic = H.Lock.empty()
                   ? api::describe(H.Kind).str()
                   : (api::describe(H.Kind) + " " + quoted(H.Lock) + " held")
                         .str();
    F.AtomicWhere = where(H.Loc);
  }
  F.ContextGuarded = ContextGuarded || contextGuarded(FD).count(Call);
  F.Under = underParams(FD, Call->getBeginLoc());
  Ctx.Facts->Calls.push_back(std::move(F));
}

/// The parameters whose test decides whether Loc runs: Loc is in a branch
/// of an if/?:/switch whose condition reads one (`p`, `p->flags & X`,
/// `test_bit(B, &p->flags)`, `f(p)`), or after an `if` that returns or
/// jumps away on a test of one as a flag or value (`!p`, `p & X`,
/// `p == K`).  Loop conditions are not such a test (they decide how often,
/// not whether).
std::string SleepInAtomicCheck::underParams(const FunctionDecl *FD,
                                            SourceLocation Loc) {
  auto [It, New] = ParamRanges.try_emplace(FD);
  std::vector<ParamRange> &Ranges = It->second;
  const SourceManager &SM = AST->getSourceManager();
  if (New) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const FunctionDecl *FD;
      const SourceManager &SM;
      std::vector<ParamRange> &Out;
      Finder(const FunctionDecl *FD, const SourceManager &SM,
             std::vector<ParamRange> &Out)
          : FD(FD), SM(SM), Out(Out) {}
      std::set<unsigned> read(const Stmt *Cond) const {
        struct Refs : RecursiveASTVisitor<Refs> {
          const FunctionDecl *FD;
          std::set<unsigned> Found;
          bool VisitDeclRefExpr(DeclRefExpr *R) {
            if (const auto *P = dyn_cast<ParmVarDecl>(R->getDecl()))
              if (P->getDeclContext() == FD)
                Found.insert(P->getFunctionScopeIndex());
            return true;
          }
        } R;
        R.FD = FD;
        if (Cond)
          R.TraverseStmt(const_cast<Stmt *>(Cond));
        return R.Found;
      }
      void add(SourceLocation B, SourceLocation E,
               const std::set<unsigned> &Params) {
        for (unsigned P : Params)
          Out.push_back({B, E, P});
      }
      void add(const Stmt *S, const std::set<unsigned> &Params) {
        if (S)
          add(SM.getExpansionLoc(S->getBeginLoc()),
              SM.getExpansionRange(S->getEndLoc()).getEnd(), Params);
      }
      static bool leaves(const Stmt *S) {
        if (const auto *C = dyn_cast_or_null<CompoundStmt>(S))
          return !C->body_empty() && leaves(C->body_back());
        return isa_and_nonnull<ReturnStmt>(S) || isa_and_nonnull<GotoStmt>(S);
      }
      bool VisitIfStmt(IfStmt *If) {
        std::set<unsigned> P = read(If->getCond());
        add(If->getThen(), P);
        add(If->getElse(), P);
        return true;
      }
      bool VisitConditionalOperator(ConditionalOperator *C) {
        std::set<unsigned> P = read(C->getCond());
        add(C->getTrueExpr(), P);
        add(C->getFalseExpr(), P);
        return true;
      }
      bool VisitSwitchStmt(SwitchStmt *Sw) {
        add(Sw->getBody(), read(Sw->getCond()));
        return true;
      }
      bool VisitCompoundStmt(CompoundStmt *C) {
        // `if (!may_sleep) return;`, `if (flags & NB) return ..;` decide
        // about the rest of the block.  A check that only validates an
        // argument (`if (sched > SCTP_SS_MAX) return -EINVAL;`, 6.1
        // sctp_sched_set_sched(), real-bug set 25) does not: only a
        // parameter tested as a flag or a value (testedParameter()).
        for (auto I = C->body_begin(), E = C->body_end(); I != E; ++I) {
          const auto *If = dyn_cast<IfStmt>(*I);
          if (!If || !leaves(If->getThen()) || std::next(I) == E)
            continue;
          const auto *Cond = dyn_cast_or_null<Expr>(If->getCond());
          const ParmVarDecl *P = Cond ? testedParameter(Cond) : nullptr;
          // Or a field of one compared (`if (entry->ih == &adev->irq.ih)
          // { amdgpu_irq_delegate(..); return 1; }`, 6.1 gmc_v10_0.c
          // gmc_v10_0_process_interrupt(): the rest runs only for entries
          // of another ring, processed in a work item; held-out Set I).
          if (!P && Cond)
            P = comparedParameterField(Cond);
          if (!P || P->getDeclContext() != FD)
            continue;
          add(SM.getExpansionLoc((*std::next(I))->getBeginLoc()),
              SM.getExpansionRange(C->getEndLoc()).getEnd(),
              {P->getFunctionScopeIndex()});
        }
        return true;
      }
    } F(FD, SM, Ranges);
    F.TraverseStmt(FD->getBody());
  }
  std::set<unsigned> Params;
  SourceLocation At = SM.getExpansionLoc(Loc);
  for (const ParamRange &R : Ranges)
    if (SM.isPointWithin(At, R.Begin, R.End))
      Params.insert(R.Param);
  std::string Out;
  for (unsigned P : Params)
    Out += (Out.empty() ? "" : ",") + std::to_string(P);
  return Out;
}

void SleepInAtomicCheck::recordFacts() {
  UnitFacts &U = *Ctx.Facts;
  for (const FunctionDecl *FD : Functions) {
    if (!Recorded.count(FD))
      continue;
    // Sleeps with all of the caller's regions still held; a task-only
    // sleep (vfree) or one that drops a lock depends on the caller.
    auto Plain = [](const SleepSite &Site) {
      return Site.ReleasedBefore.empty() && !Site.TaskOnly &&
             Site.DropsLock.empty() && Site.Loc.isValid();
    };
    const Summary &Sum = Summaries[FD];
    for (const SleepSite &Site : Sum.Sleeps)
      if (Plain(Site))
        U.Sleeps.push_back({keyOf(FD), where(Site.Loc), Site.Api, Site.Detail,
                            Site.Via ? keyOf(Site.Via) : "", -1,
                            underParams(FD, Site.Loc)});
    for (const auto &[Param, Site] : Sum.GfpParamSleeps)
      if (Plain(Site))
        U.Sleeps.push_back({keyOf(FD), where(Site.Loc), Site.Api, Site.Detail,
                            Site.Via ? keyOf(Site.Via) : "", int(Param),
                            underParams(FD, Site.Loc)});
  }
  for (const FunctionDecl *FD : Functions) {
    auto It = Callbacks.find(FD);
    if (It != Callbacks.end() && It->second.Registered.isValid())
      U.Callbacks.push_back({keyOf(FD), api::describe(It->second.Context).str(),
                             where(It->second.Registered), It->second.How});
  }
  for (const CallbackFact &C : ForeignCallbacks)
    U.Callbacks.push_back(C);
}

} // namespace

std::unique_ptr<Check> createSleepInAtomicCheck(StringRef Id,
                                                CheckContext &Ctx) {
  return std::make_unique<SleepInAtomicCheck>(Id, Ctx);
}

} // namespace wqcheck
