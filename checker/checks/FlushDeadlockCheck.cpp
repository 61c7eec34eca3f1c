//===- FlushDeadlockCheck.cpp - wq-flush-deadlock --------------------------===//
//
// Reports a wait for a work item that cannot end while the waiter waits:
//
//  1. Self-wait: a work item's handler, or a helper it hands its own object
//     to, waits for that same item (WQ_WORK_STOP rows that wait:
//     cancel_work_sync(), flush_work(), cancel_delayed_work_sync(), ...),
//     or flushes, drains or destroys a queue the item is only ever queued on
//     (WQ_FLUSH_QUEUE, WQ_DRAIN_QUEUE).  The running handler is one of the
//     works waited for: it waits for itself.  "Its own object" is evidence,
//     not a guess: the waited item is reached from the handler's work
//     pointer (container_of(work, ..), to_delayed_work(work)), or the queue
//     is a global.
//  2. Lock held: a wait for an item, directly or through the file's
//     functions, while a mutex or rw_semaphore (WQ_SLEEPING_LOCK) is held
//     that the item's handler also takes, directly or through the file's
//     functions: the handler blocks on the lock, the waiter on the handler.
//     The lock is the same one by the object, not only by its class: a
//     global lock, or a field of the struct that holds the item, taken in
//     the waiter on the same variable the waited item is reached from, and
//     in the handler on the object its work pointer leads to.  Both sides
//     taking it shared (down_read()) is not reported.  A spinlock held over
//     a wait is wq-sleep-in-atomic's finding.
//
// lockdep reports both at run time, when the paths run, as a
// (work_completion) or (wq_completion) dependency.
//
// Docs: docs/checks/wq-flush-deadlock.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/ApiCalls.h"
#include "analysis/BitFacts.h"
#include "analysis/BranchGuards.h"
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

constexpr size_t MaxPerFunction = 16;

/// Where a function does something: the call in it, and the helper called
/// there when it happens further down.
struct Site {
  SourceLocation Loc;
  const FunctionDecl *Via = nullptr;
  std::string Api; ///< the kernel call at the end of the chain
};

/// A test of a parameter that a statement runs under: `p`, `!p`,
/// `p == C`, `p != C`.
struct ParamTest {
  int Param = -1;
  enum Kind { NonZero, Zero, Equal, NotEqual } K = NonZero;
  int64_t Value = 0;
  bool operator==(const ParamTest &O) const {
    return Param == O.Param && K == O.K && Value == O.Value;
  }
  ParamTest negated() const {
    ParamTest N = *this;
    N.K = K == NonZero ? Zero : K == Zero ? NonZero : K == Equal ? NotEqual
                                                                 : Equal;
    return N;
  }
  /// Whether the test holds when the parameter is V.
  bool holds(int64_t V) const {
    switch (K) {
    case NonZero: return V != 0;
    case Zero: return V == 0;
    case Equal: return V == Value;
    case NotEqual: return V != Value;
    }
    return true;
  }
};

/// A wait a function makes, directly or through the file's functions.
struct Wait {
  bool Queue = false; ///< Key is a queue (flush/drain/destroy), else an item
  WorkKey Key;
  int Param = -1; ///< the parameter the object waited on comes from
  Site At;
  /// The wait happens only when this test of a parameter holds:
  /// `if (cancel_work) cancel_delayed_work_sync(..)`, 6.1
  /// drivers/target/sbp/sbp_target.c sbp_session_release(), which the
  /// work item's own handler calls with false.
  ParamTest Guard;
  std::string Text; ///< how the wait names the item or queue
  /// The wait runs only under a test that wqcheck does not evaluate of a
  /// value computed from a parameter (`if (!from_watchdog_thread)` with
  /// `from_watchdog_thread = !!(flags & HL_DRV_RESET_FROM_WD_THR)`, 6.12
  /// drivers/accel/habanalabs/common/device.c hl_device_reset()): the
  /// handler's arguments may rule it out.  Such a finding is
  /// --level=possible; Unresolved is where the test is.
  SourceLocation Unresolved;
  std::string UnresolvedIn; ///< the function making that test
  /// Or: the wait runs only once a reference drop in UnresolvedIn
  /// succeeded (BranchGuards.h callsOnReferenceDrop(); 6.12 nbd.c
  /// recv_work() -> nbd_config_put() -> nbd_put() -> destroy_workqueue()):
  /// the handler may not hold the last reference.  The drop's name.
  std::string OnReferenceDrop;
  /// Where the wait was taken from: its index in Waits[At.Via] (the chain
  /// of notes follows it).
  int From = -1;
  /// The wait runs only when the running work is not the waited item
  /// (`if (current_work() != &port->del_work) cancel_work_sync(..)`, 6.12
  /// drivers/net/wwan/wwan_hwsim.c): never a self-wait.
  bool NotSelf = false;
  /// The wait runs only when a flag bit has this value (`if
  /// (!test_bit(F, &x->flags)) cancel_work_sync(..)`), and no function on
  /// the way down from here sets or tests it (BitFacts.h).  A caller whose
  /// path has F the other way cannot reach the wait (6.12 ionic_lif.c).
  std::optional<BitValue> BitGuard;
  /// The queueings of the waited item that leave BitGuard unmet: the
  /// wait in its own handler rests on the bit being changed in between.
  SourceLocation QueuedWithBit;
  bool same(const Wait &O) const {
    return Queue == O.Queue && Key == O.Key && Param == O.Param &&
           Guard == O.Guard && Unresolved.isValid() == O.Unresolved.isValid() &&
           BitGuard.has_value() == O.BitGuard.has_value() &&
           (!BitGuard || *BitGuard == *O.BitGuard);
  }
};

/// A sleeping lock a function takes, directly or through its calls.
struct Take {
  WorkKey Lock;
  api::LockMode Mode;
  int Param = -1;
  Site At;
  bool same(const Take &O) const {
    return Lock == O.Lock && Mode == O.Mode && Param == O.Param;
  }
};

/// A lock held at a point of the function being checked.
struct Held {
  WorkKey Lock;
  api::LockMode Mode;
  SourceLocation Loc;
  const VarDecl *Base = nullptr; ///< the variable it is reached from
  std::string Text;
  /// For a lock the caller holds (WQ_LOCKED_CALLBACK): the note at Loc.
  std::string HeldBy;
  bool operator==(const Held &O) const {
    return Lock == O.Lock && Loc == O.Loc;
  }
};

struct State {
  bool Reached = false;
  std::vector<Held> Locks; ///< held on every path, innermost last
  bool operator==(const State &O) const {
    return Reached == O.Reached && Locks == O.Locks;
  }
};

State join(const State &A, const State &B) {
  State R;
  R.Reached = true;
  for (const Held &H : A.Locks)
    if (llvm::any_of(B.Locks, [&](const Held &X) { return X.Lock == H.Lock; }))
      R.Locks.push_back(H);
  return R;
}

/// A global variable's item or queue, or a kernel-wide lock
/// (WQ_GLOBAL_SLEEPING_LOCK, keyed by the function that takes it).
bool isGlobal(const WorkKey &K) {
  return isa_and_nonnull<VarDecl>(K.Root) ||
         isa_and_nonnull<FunctionDecl>(K.Root);
}

std::string quoted(StringRef S) { return ("'" + S + "'").str(); }

/// "flag bit" or "field 'booted'", and its value in words.
std::string flagName(const BitValue &V) {
  return V.Ref.isField() ? "field " + quoted(V.Ref.Bitmap->getName())
                         : std::string("flag bit");
}
std::string flagValue(const BitValue &V, bool Set) {
  if (V.Ref.isField())
    return Set ? "true" : "false";
  return Set ? "set" : "clear";
}
std::string flagState(const BitValue &V, bool Set) {
  return (V.Ref.isField() ? quoted(V.Ref.Bitmap->getName()) + " "
                          : std::string("the flag bit ")) +
         flagValue(V, Set);
}


class FlushDeadlockCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  /// The parameter of FD that E is computed from, directly or through
  /// locals assigned from it; -1 if none.
  int paramOf(const FunctionDecl *FD, const Expr *E);
  void derive(const FunctionDecl *FD);
  const FunctionDecl *callee(const CallExpr *Call) const;
  void summarise(const FunctionDecl *FD);
  void checkSelfWaits();
  void checkLockedWaits(const FunctionDecl *FD);
  void transfer(const FunctionDecl *FD, const CallExpr *Call, State &S,
                bool Report);
  void reportLocked(const FunctionDecl *FD, const Held &H, const Wait &W,
                    const WorkKey &Item, const Take &T,
                    const FunctionDecl *Handler, SourceLocation At);
  void waitChain(const Wait &W);
  std::string unresolvedBasis(const Wait &W) const;
  /// The lock a WQ_SLEEPING_LOCK call takes or releases, and in *E the
  /// expression naming it (null for a kernel-wide lock).
  std::optional<WorkKey> lockOf(const api::SleepingLockOp &L,
                                const CallExpr *Call, const Expr **E);
  /// The key of kernel-wide lock Global: the declaration of the function
  /// that takes it, if this unit declares it.
  std::optional<WorkKey> globalLock(StringRef Global);
  void takeChain(const Take &T, const FunctionDecl *Handler);
  /// The innermost test of a parameter (`if (p)`, `if (!p)`) each call of
  /// FD is under.
  const std::map<const Stmt *, ParamTest> &
  paramGuards(const FunctionDecl *FD);
  std::map<const FunctionDecl *, std::map<const Stmt *, ParamTest>>
      ParamGuards;
  /// The calls of each function that run under a test of a scalar
  /// parameter, or of a scalar local computed from one, that ParamTest
  /// cannot express (`if (!from_thread)`, `if (flags & F)`): where it is.
  std::map<const FunctionDecl *, std::map<const Stmt *, SourceLocation>>
      UnresolvedGuards;
  /// The calls of each function under a test of current_work()
  /// (WQ_CURRENT_WORK): they do not run in the waited item's own handler.
  std::map<const FunctionDecl *, std::set<const Stmt *>> CurrentWorkGuarded;
  /// callsOnReferenceDrop() of each function.
  std::map<const FunctionDecl *, std::map<const Stmt *, const CallExpr *>>
      DropsOf;
  /// Whether condition C of FD reads a scalar parameter or a scalar local
  /// computed from one (pointers are objects, not the caller's choices).
  bool testsScalarParam(const FunctionDecl *FD, const Expr *C);

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  std::unique_ptr<BitFacts> Bits;
  /// Where every queueing of Item in the file leaves bit B the other way
  /// than Needed (a `set_bit(F)` before it, or a test of F around it);
  /// invalid if one does not, or none is seen.
  SourceLocation queuedAgainst(const WorkKey &Item, const BitValue &Needed);
  /// Where every call of Fn in the file has bit B the other way than
  /// Needed; invalid if one does not, or none is seen.
  SourceLocation calledAgainst(const FunctionDecl *Fn, const BitValue &Needed);
  /// The first of the calls IsSite picks, if every one of them has bit B
  /// the other way than Needed.
  SourceLocation sitesAgainst(
      const BitValue &Needed,
      llvm::function_ref<bool(const FunctionDecl *, const CallExpr *)> IsSite);
  /// Why a wait under a flag bit that every queueing (or call) leaves the
  /// other way is only possible; Site is that queueing or call.
  std::string bitBasis(const Wait &W, SourceLocation Site,
                       const std::string &Sites) const;
  std::map<const FunctionDecl *, std::map<const VarDecl *, int>> Derived;
  std::map<const FunctionDecl *, std::vector<Wait>> Waits;
  std::map<const FunctionDecl *, std::vector<Take>> Takes;
  /// Functions that release a sleeping lock they did not take, or one
  /// wqcheck cannot name: the caller's locks are not known held after.
  std::map<const FunctionDecl *, std::set<WorkKey>> Releases;
  std::set<const FunctionDecl *> ReleasesUnknown;
  std::set<SourceLocation> Reported;
};

const FunctionDecl *
FlushDeadlockCheck::callee(const CallExpr *Call) const {
  const FunctionDecl *FD = Call->getDirectCallee();
  return FD ? Facts->userDefinition(FD) : nullptr;
}

/// The parameter of FD that E names, directly or through a local of D
/// (locals assigned from parameters); -1 if none.
int paramIn(const FunctionDecl *FD, const Expr *E,
            const std::map<const VarDecl *, int> &D) {
  int P = -1;
  forEachSubStmt(E, [&](const Stmt *S) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      if (const auto *Parm = dyn_cast<ParmVarDecl>(Ref->getDecl());
          Parm && Parm->getDeclContext() == FD)
        P = Parm->getFunctionScopeIndex();
      else if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        if (auto It = D.find(V); It != D.end())
          P = It->second;
    }
    return P < 0;
  });
  return P;
}

/// E reaches another object of the type its base points to: a link
/// between objects of one type (`first->parent`, `node->next`).  What it
/// leads to is not the object the base is (6.1 drivers/block/rbd.c
/// rbd_dev_remove_parent(): `second = first->parent;
/// rbd_dev_image_release(second)`, from the child's own work handlers).
bool sameTypeLink(const Expr *E) {
  const auto *M = dyn_cast<MemberExpr>(E->IgnoreParenCasts());
  if (!M || !M->getType()->isPointerType())
    return false;
  QualType Base = M->getBase()->getType();
  if (M->isArrow() && Base->isPointerType())
    Base = Base->getPointeeType();
  QualType To = M->getType()->getPointeeType();
  return !Base.isNull() && !To.isNull() && To->getAsRecordDecl() &&
         To->getAsRecordDecl() == Base->getAsRecordDecl();
}

void FlushDeadlockCheck::derive(const FunctionDecl *FD) {
  auto &D = Derived[FD];
  auto From = [&](const Expr *E) {
    return sameTypeLink(E) ? -1 : paramIn(FD, E, D);
  };
  for (int Round = 0; Round < 3; ++Round)
    forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *Dc : DS->decls())
          if (const auto *V = dyn_cast<VarDecl>(Dc))
            if (V->getInit() && !V->hasGlobalStorage())
              if (int P = From(V->getInit()); P >= 0)
                D.emplace(V, P);
      } else if (const auto *B = dyn_cast<BinaryOperator>(S);
                 B && B->getOpcode() == BO_Assign) {
        if (const auto *Ref =
                dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts()))
          if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl());
              V && !V->hasGlobalStorage() && !isa<ParmVarDecl>(V))
            if (int P = From(B->getRHS()); P >= 0)
              D.emplace(V, P);
      }
      return true;
    });
}

int FlushDeadlockCheck::paramOf(const FunctionDecl *FD, const Expr *E) {
  if (!Derived.count(FD))
    derive(FD);
  return paramIn(FD, E, Derived[FD]);
}


/// C calls current_work() (WQ_CURRENT_WORK).
bool callsCurrentWork(const Expr *C) {
  bool Found = false;
  forEachSubStmt(C, [&](const Stmt *S) {
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *F = Call->getDirectCallee();
          F && F->getIdentifier() && api::isCurrentWork(F->getName()))
        Found = true;
    return !Found;
  });
  return Found;
}

bool FlushDeadlockCheck::testsScalarParam(const FunctionDecl *FD,
                                          const Expr *C) {
  if (!Derived.count(FD))
    derive(FD);
  const auto &D = Derived[FD];
  bool Found = false;
  forEachSubStmt(C, [&](const Stmt *S) {
    const auto *Ref = dyn_cast<DeclRefExpr>(S);
    const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    auto Scalar = [](QualType T) {
      return T->isScalarType() && !T->isPointerType();
    };
    if (!V || !Scalar(V->getType()))
      return true;
    if (isa<ParmVarDecl>(V) && V->getDeclContext() == FD)
      Found = true;
    // A local computed from a scalar parameter (`from_wd = !!(flags &
    // ..)`), not from an object a pointer parameter leads to
    // (`use_interleaving = hci_is_adv_monitoring(hdev) && ..`, 6.12
    // net/bluetooth/hci_sync.c: the object's state).
    else if (auto It = D.find(V); It != D.end() && It->second >= 0 &&
                                  unsigned(It->second) < FD->getNumParams())
      Found = Scalar(FD->getParamDecl(It->second)->getType());
    return !Found;
  });
  return Found;
}

const std::map<const Stmt *, ParamTest> &
FlushDeadlockCheck::paramGuards(const FunctionDecl *FD) {
  auto [It, New] = ParamGuards.try_emplace(FD);
  if (!New)
    return It->second;
  auto &Out = It->second;
  // The test C makes of a parameter, for C true; `mode !=
  // QEDE_REMOVE_RECOVERY` (6.1 qede_main.c __qede_remove(), called with
  // that constant by the recovery path of the item's own handler).
  std::function<std::optional<ParamTest>(const Expr *)> Tested =
      [&](const Expr *C) -> std::optional<ParamTest> {
    C = C->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(C);
        U && U->getOpcode() == UO_LNot) {
      if (auto T = Tested(U->getSubExpr()))
        return T->negated();
      return std::nullopt;
    }
    auto ParamOf = [](const Expr *E) -> const ParmVarDecl * {
      const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
    };
    if (const ParmVarDecl *P = ParamOf(C))
      return ParamTest{int(P->getFunctionScopeIndex()), ParamTest::NonZero, 0};
    if (const auto *B = dyn_cast<BinaryOperator>(C);
        B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE)) {
      for (auto [L, R] : {std::make_pair(B->getLHS(), B->getRHS()),
                          std::make_pair(B->getRHS(), B->getLHS())}) {
        Expr::EvalResult V;
        if (const ParmVarDecl *P = ParamOf(L);
            P && R->EvaluateAsInt(V, *AST))
          return ParamTest{int(P->getFunctionScopeIndex()),
                           B->getOpcode() == BO_EQ ? ParamTest::Equal
                                                   : ParamTest::NotEqual,
                           V.Val.getInt().getExtValue()};
      }
    }
    return std::nullopt;
  };
  // A test of a parameter among the operands of `&&`: `rx && !closing`
  // (6.1 fs/dlm/lowcomms.c close_connection(): `if (rx && !closing &&
  // cancel_work_sync(&con->rwork))`).
  // Memoised: the walk below asks it of every `&&` of a chain, each of
  // which would descend the chain again (quadratic on long conditions,
  // bench/fuzz).
  std::map<const Expr *, std::optional<ParamTest>> ConjMemo;
  std::function<std::optional<ParamTest>(const Expr *)> Conj =
      [&](const Expr *E) -> std::optional<ParamTest> {
    if (auto It = ConjMemo.find(E); It != ConjMemo.end())
      return It->second;
    std::optional<ParamTest> R = Tested(E);
    if (!R)
      if (const auto *B = dyn_cast<BinaryOperator>(E->IgnoreParenImpCasts());
          B && B->getOpcode() == BO_LAnd) {
        R = Conj(B->getLHS());
        if (!R)
          R = Conj(B->getRHS());
      }
    ConjMemo[E] = R;
    return R;
  };
  auto &Unresolved = UnresolvedGuards[FD];
  // Every call under S runs only under a test made at Loc.
  std::function<void(const Stmt *, SourceLocation)> MarkUnder =
      [&](const Stmt *S, SourceLocation Loc) {
        if (!S)
          return;
        if (isa<CallExpr>(S))
          Unresolved.emplace(S, Loc);
        for (const Stmt *C : S->children())
          MarkUnder(C, Loc);
      };
  std::function<void(const Stmt *, std::optional<ParamTest>)> Walk =
      [&](const Stmt *S, std::optional<ParamTest> G) {
        if (!S)
          return;
        if (const auto *If = dyn_cast<IfStmt>(S)) {
          if (auto T = Tested(If->getCond())) {
            Walk(If->getThen(), *T);
            Walk(If->getElse(), T->negated());
            return;
          }
          if (auto C = Conj(If->getCond())) {
            Walk(If->getCond(), G);
            Walk(If->getThen(), C);
            Walk(If->getElse(), G);
            return;
          }
          if (callsCurrentWork(If->getCond()))
            forEachSubStmt(If->getThen(), [&](const Stmt *C) {
              if (isa<CallExpr>(C))
                CurrentWorkGuarded[FD].insert(C);
              return true;
            });
          if (testsScalarParam(FD, If->getCond())) {
            SourceLocation Loc =
                Ctx.User.reportLocation(If->getCond()->getBeginLoc());
            MarkUnder(If->getThen(), Loc);
            MarkUnder(If->getElse(), Loc);
          }
        }
        // `wait ? cancel_work_sync(..) : false` (6.1 fs/smb/client/file.c
        // _cifsFileInfo_put(), called by the item's own handler with
        // false, held-out Set M).
        if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
          if (auto T = Tested(CO->getCond())) {
            Walk(CO->getCond(), G);
            Walk(CO->getTrueExpr(), *T);
            Walk(CO->getFalseExpr(), T->negated());
            return;
          }
        }
        if (const auto *B = dyn_cast<BinaryOperator>(S);
            B && B->getOpcode() == BO_LAnd) {
          Walk(B->getLHS(), G);
          auto C = Conj(B->getLHS());
          Walk(B->getRHS(), C ? C : G);
          return;
        }
        // `switch (event) { case KICKOFF: .. cancel_delayed_work_sync(..);
        // break; case ENTER_IDLE: .. }`: a statement of a case that only
        // one label enters, and that the case before does not fall into,
        // runs only when the parameter is that label's value (6.1
        // drivers/gpu/drm/msm/disp/dpu1/dpu_encoder.c
        // dpu_encoder_resource_control(), which the item's own handler
        // calls with DPU_ENC_RC_EVENT_ENTER_IDLE; allmodconfig corpus).
        if (const auto *Sw = dyn_cast<SwitchStmt>(S);
            Sw && !G && !Sw->getInit() && !Sw->getConditionVariable()) {
          const auto *Ref =
              dyn_cast<DeclRefExpr>(Sw->getCond()->IgnoreParenImpCasts());
          const auto *P = Ref ? dyn_cast<ParmVarDecl>(Ref->getDecl()) : nullptr;
          const auto *Body = dyn_cast_or_null<CompoundStmt>(Sw->getBody());
          if (P && Body) {
            Walk(Sw->getCond(), G);
            std::optional<ParamTest> Cur;
            bool Ended = true; // the statement before cannot fall through
            for (const Stmt *St : Body->body()) {
              if (const auto *Case = dyn_cast<CaseStmt>(St)) {
                Expr::EvalResult V;
                bool One = !Case->caseStmtIsGNURange() &&
                           !isa<SwitchCase>(Case->getSubStmt()) &&
                           Case->getLHS()->EvaluateAsInt(V, *AST);
                Cur = One && Ended
                          ? std::optional<ParamTest>(ParamTest{
                                int(P->getFunctionScopeIndex()),
                                ParamTest::Equal, V.Val.getInt().getExtValue()})
                          : std::nullopt;
                St = Case->getSubStmt();
              } else if (const auto *D = dyn_cast<DefaultStmt>(St)) {
                Cur = std::nullopt;
                St = D->getSubStmt();
              }
              Walk(St, Cur);
              Ended = isa<BreakStmt>(St) || isa<ReturnStmt>(St) ||
                      isa<GotoStmt>(St) || isa<ContinueStmt>(St);
            }
            return;
          }
        }
        if (isa<CallExpr>(S) && G)
          Out[S] = *G;
        for (const Stmt *C : S->children())
          Walk(C, G);
      };
  Walk(FD->getBody(), std::nullopt);
  return Out;
}


template <typename T> bool addOnce(std::vector<T> &V, T X) {
  if (V.size() >= MaxPerFunction ||
      llvm::any_of(V, [&](const T &Y) { return Y.same(X); }))
    return false;
  V.push_back(std::move(X));
  return true;
}

/// One round: FD's waits and takes, direct and through its callees'
/// summaries as they stand.
void FlushDeadlockCheck::summarise(const FunctionDecl *FD) {
  paramGuards(FD); // also fills UnresolvedGuards[FD]
  auto [DropIt, NewDrops] = DropsOf.try_emplace(FD);
  if (NewDrops)
    DropIt->second = callsOnReferenceDrop(FD->getBody());
  const auto &Drops = DropIt->second;
  // A wait made at Call runs only once a reference drop succeeded.
  auto OnDrop = [&](Wait &W, const CallExpr *Call) {
    if (W.Unresolved.isValid())
      return;
    auto D = Drops.find(Call);
    if (D == Drops.end())
      return;
    W.Unresolved = Ctx.User.reportLocation(D->second->getBeginLoc());
    W.UnresolvedIn = FD->getName().str();
    W.OnReferenceDrop = WorkFacts::calledAs(D->second, *AST);
  };
  forEachLiveSubStmt(FD->getBody(), *AST, [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *Direct = Call ? Call->getDirectCallee() : nullptr;
    if (!Direct || !Direct->getIdentifier())
      return true;
    StringRef Name = Direct->getName();
    SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
    std::string Api = WorkFacts::calledAs(Call, *AST);
    auto Arg = [&](unsigned I) -> const Expr * {
      return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
    };
    auto Guarded = [&](Wait W) {
      auto G = paramGuards(FD).find(Call);
      if (G != paramGuards(FD).end()) {
        W.Guard = G->second;
      }
      if (auto U = UnresolvedGuards[FD].find(Call);
          U != UnresolvedGuards[FD].end()) {
        W.Unresolved = U->second;
        W.UnresolvedIn = FD->getName().str();
      }
      OnDrop(W, Call);
      if (CurrentWorkGuarded[FD].count(Call))
        W.NotSelf = true;
      W.BitGuard = Bits->guardOf(Call);
      return W;
    };
    if (const api::WorkStop *W = api::findWorkStop(Name); W && W->Waits) {
      if (const Expr *E = Arg(W->WorkArg))
        if (auto K = workKeyOf(E))
          addOnce(Waits[FD], Guarded(Wait{false, *K, paramOf(FD, E),
                                          {Loc, nullptr, Api}, {},
                                          WorkFacts::spelledAs(E, *AST), {}, {}, {}, -1, false}));
      return true;
    }
    int QArg = api::drainQueueArg(Name);
    if (QArg < 0)
      QArg = api::flushQueueArg(Name);
    if (QArg >= 0) {
      if (const Expr *E = Arg(QArg)) {
        const Expr *Q = WorkFacts::drainedQueue(E);
        if (auto K = workKeyOf(Q))
          addOnce(Waits[FD], Guarded(Wait{true, *K, paramOf(FD, Q),
                                          {Loc, nullptr, Api}, {},
                                          WorkFacts::spelledAs(Q, *AST), {}, {}, {}, -1, false}));
      }
      return true;
    }
    if (const api::SleepingLockOp *L = api::findSleepingLockOp(Name)) {
      const Expr *E = nullptr;
      auto K = lockOf(*L, Call, &E);
      if (L->Effect == api::RegionEffect::Enter && K)
        addOnce(Takes[FD], Take{*K, L->Mode, E ? paramOf(FD, E) : -1,
                                {Loc, nullptr, Api}});
      return true;
    }
    const FunctionDecl *G = callee(Call);
    if (!G || G == FD)
      return true;
    auto Mapped = [&](int P) {
      const Expr *E = P >= 0 ? Arg(unsigned(P)) : nullptr;
      return E ? paramOf(FD, E) : -1;
    };
    const std::vector<Wait> Callee = Waits[G];
    for (size_t WI = 0; WI < Callee.size(); ++WI) {
      const Wait &W = Callee[WI];
      Wait Through{W.Queue, W.Key, Mapped(W.Param), {Loc, G, W.At.Api},
                   {}, W.Text, W.Unresolved, W.UnresolvedIn,
                   W.OnReferenceDrop, int(WI),
                   W.NotSelf || CurrentWorkGuarded[FD].count(Call) > 0,
                   W.BitGuard};
      // The callee waits only with a flag bit one way; this function's
      // path to the call has it the other way (written or tested before
      // it): no wait here.  The same way: the test is met.
      bool RuledOut = false;
      if (Through.BitGuard)
        for (const BitValue &K : Bits->knownAt(Call))
          if (K.Ref == Through.BitGuard->Ref) {
            RuledOut = K.Set != Through.BitGuard->Set;
            Through.BitGuard.reset();
          }
      if (RuledOut)
        continue;
      if (!Through.BitGuard)
        Through.BitGuard = Bits->guardOf(Call);
      if (W.Guard.Param >= 0) {
        // A constant argument that fails the callee's test: no wait here.
        const Expr *E = Arg(unsigned(W.Guard.Param));
        Expr::EvalResult R;
        if (E && E->EvaluateAsInt(R, *AST)) {
          if (!W.Guard.holds(R.Val.getInt().getExtValue()))
            continue;
        } else if (const auto *Ref = E ? dyn_cast<DeclRefExpr>(
                                            E->IgnoreParenImpCasts())
                                      : nullptr) {
          if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl())) {
            Through.Guard = W.Guard;
            Through.Guard.Param = P->getFunctionScopeIndex();
          }
        }
        // A value computed from this function's parameters
        // (`cleanup_resources(hdev, hard_reset, ..)` with `hard_reset =
        // !!(flags & HL_DRV_RESET_HARD)`): the test is not evaluated.
        if (Through.Guard.Param < 0 && Through.Unresolved.isInvalid() && E &&
            !E->EvaluateAsInt(R, *AST) && testsScalarParam(FD, E)) {
          Through.Unresolved = Loc;
          Through.UnresolvedIn = FD->getName().str();
        }
      }
      // Under a test of this function's own parameter, the call's guard.
      if (Through.Guard.Param < 0)
        if (auto G2 = paramGuards(FD).find(Call); G2 != paramGuards(FD).end())
          Through.Guard = G2->second;
      if (Through.Unresolved.isInvalid())
        if (auto U = UnresolvedGuards[FD].find(Call);
            U != UnresolvedGuards[FD].end()) {
          Through.Unresolved = U->second;
          Through.UnresolvedIn = FD->getName().str();
        }
      OnDrop(Through, Call);
      addOnce(Waits[FD], Through);
    }
    for (const Take &T : std::vector<Take>(Takes[G]))
      addOnce(Takes[FD], Take{T.Lock, T.Mode, Mapped(T.Param), {Loc, G, T.At.Api}});
    return true;
  });
}

std::optional<WorkKey> FlushDeadlockCheck::globalLock(StringRef Global) {
  StringRef Taker = api::globalLockTaker(Global);
  if (Taker.empty())
    return std::nullopt;
  if (const auto *F = fileScopeDecl<FunctionDecl>(*AST, Taker))
    return WorkKey{F->getCanonicalDecl(), {}};
  return std::nullopt;
}

std::optional<WorkKey> FlushDeadlockCheck::lockOf(const api::SleepingLockOp &L,
                                                  const CallExpr *Call,
                                                  const Expr **E) {
  *E = nullptr;
  if (!L.Global.empty())
    return globalLock(L.Global);
  if (L.LockArg >= Call->getNumArgs())
    return std::nullopt;
  *E = Call->getArg(L.LockArg);
  return workKeyOf(*E);
}

void FlushDeadlockCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
  const auto &Functions = Facts->functions();
  // What each path of each function knows of flag bits.
  Bits = std::make_unique<BitFacts>(Context);
  Bits->analyse(Functions);
  // What each function releases without taking it first (unlock
  // helpers, and helpers that drop the caller's lock around a wait:
  // 6.12 drivers/media/usb/hdpvr/hdpvr-video.c hdpvr_stop_streaming()).
  // In source order: the walk below visits statements in no fixed order.
  // A call of one of the file's functions carries that function's
  // releases one level up per round (6.12 drivers/net/wireless/broadcom/
  // b43legacy/main.c: b43legacy_switch_phymode() ->
  // b43legacy_wireless_core_stop(), which drops wl->mutex).
  const SourceManager &SM = Context.getSourceManager();
  struct LockCall {
    SourceLocation Loc;
    const api::SleepingLockOp *L = nullptr; ///< or a call of Callee
    std::optional<WorkKey> K;
    const FunctionDecl *Callee = nullptr;
  };
  std::map<const FunctionDecl *, std::vector<LockCall>> OpsOf;
  for (const FunctionDecl *FD : Functions) {
    std::vector<LockCall> &Ops = OpsOf[FD];
    forEachLiveSubStmt(FD->getBody(), Context, [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      const FunctionDecl *Direct = Call ? Call->getDirectCallee() : nullptr;
      if (!Direct || !Direct->getIdentifier())
        return true;
      SourceLocation Loc = SM.getExpansionLoc(Call->getBeginLoc());
      const api::SleepingLockOp *L = api::findSleepingLockOp(Direct->getName());
      if (!L) {
        if (const FunctionDecl *G = callee(Call); G && G != FD)
          Ops.push_back({Loc, nullptr, std::nullopt, G});
        return true;
      }
      const Expr *E = nullptr;
      auto K = lockOf(*L, Call, &E);
      if (!K && L->Global.empty() && L->LockArg >= Call->getNumArgs())
        return true;
      Ops.push_back({Loc, L, K, nullptr});
      return true;
    });
    llvm::sort(Ops, [&](const LockCall &A, const LockCall &B) {
      return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
    });
  }
  for (unsigned Round = 0; Round < 4; ++Round) {
    bool Grew = false;
    for (const FunctionDecl *FD : Functions) {
      std::set<WorkKey> Taken;
      for (const LockCall &Op : OpsOf[FD]) {
        if (Op.Callee) {
          for (const WorkKey &K : std::set<WorkKey>(Releases[Op.Callee]))
            if (!Taken.count(K))
              Grew |= Releases[FD].insert(K).second;
          continue;
        }
        if (Op.L->Effect == api::RegionEffect::Exit) {
          if (!Op.K)
            ReleasesUnknown.insert(FD);
          else if (!Taken.count(*Op.K))
            Grew |= Releases[FD].insert(*Op.K).second;
        } else if (Op.K) {
          Taken.insert(*Op.K);
        }
      }
    }
    if (!Grew)
      break;
  }
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *FD : Functions) {
      size_t W = Waits[FD].size(), T = Takes[FD].size();
      summarise(FD);
      Changed |= Waits[FD].size() != W || Takes[FD].size() != T;
    }
  }
  checkSelfWaits();
  for (const FunctionDecl *FD : Functions)
    if (!Waits[FD].empty())
      checkLockedWaits(FD);
}

void FlushDeadlockCheck::checkSelfWaits() {
  for (const auto &[K, Hs] : Facts->Handlers)
    for (const FunctionDecl *H : Hs) {
      if (H->getNumParams() < 1 || !Facts->userDefinition(H))
        continue;
      H = Facts->userDefinition(H);
      // Evidence first: a wait reported as such is not reported again as
      // a possible one.
      // A wait under a flag bit that every queueing of the item leaves the
      // other way (6.12 wlcore main.c: wl12xx_queue_recovery_work() sets
      // WL1271_FLAG_RECOVERY_IN_PROGRESS before queueing recovery_work,
      // whose handler cancels it only while the bit is clear) rests on
      // another context changing the bit in between: possible.
      std::map<const Wait *, SourceLocation> QueuedAgainst;
      for (const Wait &W : Waits[H])
        if (W.BitGuard && !W.Queue)
          QueuedAgainst[&W] = queuedAgainst(K, *W.BitGuard);
      auto Possible = [&](const Wait &W) {
        auto Q = QueuedAgainst.find(&W);
        return W.Unresolved.isValid() ||
               (Q != QueuedAgainst.end() && Q->second.isValid());
      };
      std::vector<const Wait *> Order;
      for (const Wait &W : Waits[H])
        if (!Possible(W))
          Order.push_back(&W);
      for (const Wait &W : Waits[H])
        if (Possible(W))
          Order.push_back(&W);
      for (const Wait *WP : Order) {
        const Wait &W = *WP;
        bool Self;
        std::string What;
        if (W.NotSelf)
          continue;
        if (!W.Queue) {
          Self = W.Param == 0 && namesSameItem(W.Key, K);
          What = "waits for work item " + quoted(W.Text) +
                 ", the very item it is running";
        } else {
          std::vector<WorkKey> Only = Facts->itemsQueuedOnlyOn(W.Key);
          Self = (W.Param == 0 || isGlobal(W.Key)) &&
                 llvm::any_of(Only, [&](const WorkKey &X) {
                   return namesSameItem(X, K);
                 });
          What = "waits for queue " + quoted(W.Text) +
                 ", the only queue work item " +
                 quoted(WorkFacts::spell(K, nullptr)) +
                 " runs on, so for the very item it is running";
        }
        if (!Self || W.At.Loc.isInvalid() || !Reported.insert(W.At.Loc).second)
          continue;
        std::string Message =
            quoted(W.At.Api) + (W.At.Via ? " (through " +
                                               quoted(W.At.Via->getName()) + ")"
                                         : std::string()) +
            " in " + quoted(H->getName()) + ", the handler of work item " +
            quoted(WorkFacts::spell(K, nullptr)) + ", " + What +
            ": a handler cannot finish while it waits for itself (deadlock; "
            "lockdep reports the (work_completion) recursion); do not wait "
            "here: use the non-waiting cancel_work()/cancel_delayed_work(), "
            "or leave the wait to the teardown";
        std::string Basis;
        if (W.Unresolved.isValid()) {
          Basis = unresolvedBasis(W);
        } else if (Possible(W)) {
          Basis = bitBasis(W, QueuedAgainst[&W],
                           "every queueing of " +
                               quoted(WorkFacts::spell(K, nullptr)));
        }
        if (!(!Basis.empty() ? Ctx.Report.possible(Id, W.At.Loc, Message, Basis)
                             : Ctx.Report.warn(Id, W.At.Loc, Message)))
          continue;
        // Where the handler is set up: an INIT, not a call of another
        // file that may do one (OpaqueInits).
        if (auto Init = Facts->Inits.find(K); Init != Facts->Inits.end())
          for (SourceLocation L : Init->second)
            if (!Facts->OpaqueInits.count(L)) {
              Ctx.Report.note(Ctx.User.reportLocation(L),
                              quoted(H->getName()) +
                                  " is set up as the handler of " +
                                  quoted(WorkFacts::spell(K, nullptr)) +
                                  " here");
              break;
            }
        if (auto Q = QueuedAgainst.find(&W);
            W.Unresolved.isInvalid() && Q != QueuedAgainst.end() &&
            Q->second.isValid())
          Ctx.Report.note(Ctx.User.reportLocation(Q->second),
                          quoted(WorkFacts::spell(K, nullptr)) +
                              " is queued here with " +
                              flagState(*W.BitGuard, !W.BitGuard->Set));
        if (W.Queue)
          if (auto U = Facts->Uses.find(K); U != Facts->Uses.end())
            for (const WorkUse &Use : U->second)
              if (Use.Queues && Use.Loc.isValid()) {
                Ctx.Report.note(Ctx.User.reportLocation(Use.Loc),
                                quoted(WorkFacts::spell(K, nullptr)) +
                                             " is queued on that queue here");
                break;
              }
        waitChain(W);
      }
    }
}

SourceLocation FlushDeadlockCheck::sitesAgainst(
    const BitValue &Needed,
    llvm::function_ref<bool(const FunctionDecl *, const CallExpr *)> IsSite) {
  SourceLocation First;
  bool Unmet = false;
  for (const FunctionDecl *FD : Facts->functions())
    forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
      const auto *Call = dyn_cast<CallExpr>(S);
      if (!Call || !IsSite(FD, Call))
        return true;
      if (llvm::any_of(Bits->knownAt(Call), [&](const BitValue &V) {
            return V.Ref == Needed.Ref && V.Set != Needed.Set;
          })) {
        if (First.isInvalid() ||
            AST->getSourceManager().isBeforeInTranslationUnit(
                Call->getBeginLoc(), First))
          First = Call->getBeginLoc();
      } else {
        Unmet = true;
      }
      return true;
    });
  return Unmet ? SourceLocation() : First;
}

SourceLocation FlushDeadlockCheck::queuedAgainst(const WorkKey &Item,
                                                const BitValue &Needed) {
  return sitesAgainst(Needed, [&](const FunctionDecl *, const CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F || !F->getIdentifier())
      return false;
    const api::QueueWork *QW = api::findQueueWork(F->getName());
    if (!QW || QW->WorkArg >= Call->getNumArgs())
      return false;
    auto K = workKeyOf(Call->getArg(QW->WorkArg));
    return K && namesSameItem(*K, Item);
  });
}

SourceLocation FlushDeadlockCheck::calledAgainst(const FunctionDecl *Fn,
                                                const BitValue &Needed) {
  // Callers in other files, or through a pointer, are not seen: what the
  // file's own callers show makes the finding possible, not gone.
  return sitesAgainst(Needed, [&](const FunctionDecl *, const CallExpr *Call) {
    return callee(Call) == Fn;
  });
}

std::string FlushDeadlockCheck::bitBasis(const Wait &W, SourceLocation Site,
                                         const std::string &Sites) const {
  const SourceManager &SM = AST->getSourceManager();
  auto Line = [&](SourceLocation L) {
    return std::to_string(
        SM.getPresumedLoc(Ctx.User.reportLocation(L)).getLine());
  };
  const BitValue &G = *W.BitGuard;
  return "the wait runs only while the " + flagName(G) + " tested at line " +
         Line(G.Loc) + " is " + flagValue(G, G.Set) + ", and it is " +
         flagValue(G, !G.Set) + " at " + Sites + " in this file (line " +
         Line(Site) + "): it waits only if the " +
         (G.Ref.isField() ? "field" : "bit") +
         " changes in between, or on a path this file does not show";
}

std::string FlushDeadlockCheck::unresolvedBasis(const Wait &W) const {
  std::string Where = "line " + std::to_string(AST->getSourceManager()
                                                   .getPresumedLoc(W.Unresolved)
                                                   .getLine());
  if (!W.OnReferenceDrop.empty())
    return "the wait runs only once " + quoted(W.OnReferenceDrop) + " in " +
           quoted(W.UnresolvedIn) + " (" + Where +
           ") dropped the last reference, and wqcheck does not know that the "
           "handler holds it";
  return "the wait runs only when a test in " + quoted(W.UnresolvedIn) +
         " (" + Where +
         ") of a value computed from its arguments holds, and wqcheck does "
         "not evaluate it for the arguments the handler passes";
}

void FlushDeadlockCheck::waitChain(const Wait &W) {
  // Follow the waits the reported one was built from, so the notes show
  // the path that was found, not another path to the same item.
  const FunctionDecl *F = W.At.Via;
  int Index = W.From;
  std::set<const FunctionDecl *> Seen;
  while (F && Seen.insert(F).second && Index >= 0 &&
         size_t(Index) < Waits[F].size()) {
    const Wait &Next = Waits[F][Index];
    if (Next.At.Loc.isInvalid())
      return;
    Ctx.Report.note(Next.At.Loc,
                    quoted(F->getName()) + " calls " +
                        quoted(Next.At.Via ? Next.At.Via->getName()
                                           : StringRef(Next.At.Api)) +
                        (Next.At.Via ? ", which waits," : "") + " here");
    F = Next.At.Via;
    Index = Next.From;
  }
}

void FlushDeadlockCheck::takeChain(const Take &T, const FunctionDecl *Handler) {
  const Take *Cur = &T;
  const FunctionDecl *F = Handler;
  std::set<const FunctionDecl *> Seen;
  while (Cur && F && Seen.insert(F).second) {
    if (Cur->At.Loc.isValid())
      Ctx.Report.note(Cur->At.Loc,
                      quoted(F->getName()) +
                          (Cur->At.Via ? " calls " + quoted(Cur->At.Via->getName()) +
                                             ", which takes it, here"
                                       : " takes it here with " +
                                             quoted(Cur->At.Api)));
    F = Cur->At.Via;
    const Take *Next = nullptr;
    if (F)
      for (const Take &X : Takes[F])
        if (X.Lock == T.Lock && (!Next || !X.At.Via))
          Next = &X;
    Cur = Next;
  }
}

void FlushDeadlockCheck::checkLockedWaits(const FunctionDecl *FD) {
  // A callback the kernel calls with a global lock held
  // (WQ_LOCKED_CALLBACK: net_device_ops.ndo_stop under RTNL) starts with
  // it held.
  State Entry;
  for (const auto &[Slot, Fns] : Facts->OpsFunctions) {
    if (!Fns.count(FD))
      continue;
    StringRef Lock = api::lockHeldAround(Slot.first, Slot.second);
    auto K = Lock.empty() ? std::nullopt : globalLock(Lock);
    if (!K || llvm::any_of(Entry.Locks,
                           [&](const Held &H) { return H.Lock == *K; }))
      continue;
    Entry.Locks.push_back(
        {*K, api::LockMode::Exclusive,
         Ctx.User.reportLocation(FD->getLocation()), nullptr, Lock.str(),
         quoted(FD->getName()) + " is the " + Slot.first + "." +
             Slot.second + " callback, which the kernel calls with " +
             quoted(Lock) + " held"});
  }
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) {
          if (const auto *Call = dyn_cast<CallExpr>(St))
            transfer(FD, Call, S, Report);
        });
      },
      join, Entry,
      [](const CFGBlock &, const CFGBlock &, State &) {});
}

void FlushDeadlockCheck::transfer(const FunctionDecl *FD, const CallExpr *Call,
                                  State &S, bool Report) {
  const FunctionDecl *Direct = Call->getDirectCallee();
  if (!Direct || !Direct->getIdentifier())
    return;
  StringRef Name = Direct->getName();
  std::string Api = WorkFacts::calledAs(Call, *AST);
  auto Arg = [&](unsigned I) -> const Expr * {
    return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
  };
  if (const api::SleepingLockOp *L = api::findSleepingLockOp(Name)) {
    const Expr *E = nullptr;
    auto K = lockOf(*L, Call, &E);
    if (L->Effect == api::RegionEffect::Enter && K)
      S.Locks.push_back({*K, L->Mode, Ctx.User.reportLocation(Call->getBeginLoc()),
                         E ? WorkFacts::rootVar(E) : nullptr,
                         E ? WorkFacts::spelledAs(E, *AST) : L->Global.str(),
                         ""});
    else if (L->Effect == api::RegionEffect::Exit) {
      if (!K)
        S.Locks.clear();
      else
        for (size_t I = S.Locks.size(); I-- > 0;)
          if (S.Locks[I].Lock == *K) {
            S.Locks.erase(S.Locks.begin() + I);
            break;
          }
    }
    return;
  }
  const FunctionDecl *G = callee(Call);
  if (G && ReleasesUnknown.count(G))
    S.Locks.clear();
  if (G)
    llvm::erase_if(S.Locks, [&](const Held &H) {
      return Releases[G].count(H.Lock) > 0;
    });
  if (!Report || S.Locks.empty())
    return;

  // The waits made here: the call itself, or the callee's.
  struct Here {
    Wait W;
    const Expr *Object; ///< what the waited item or queue is reached from
  };
  std::vector<Here> Made;
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (const api::WorkStop *W = api::findWorkStop(Name); W && W->Waits) {
    if (const Expr *E = Arg(W->WorkArg))
      if (auto K = workKeyOf(E))
        Made.push_back({Wait{false, *K, -1, {Loc, nullptr, Api}, {},
                             WorkFacts::spelledAs(E, *AST), {}, {}, {}, -1, false,
                             Bits->guardOf(Call)},
                        E});
  } else if (int QArg = api::drainQueueArg(Name) >= 0 ? api::drainQueueArg(Name)
                                                      : api::flushQueueArg(Name);
             QArg >= 0) {
    if (const Expr *E = Arg(unsigned(QArg))) {
      const Expr *Q = WorkFacts::drainedQueue(E);
      if (auto K = workKeyOf(Q))
        Made.push_back({Wait{true, *K, -1, {Loc, nullptr, Api}, {},
                             WorkFacts::spelledAs(Q, *AST), {}, {}, {}, -1, false,
                             Bits->guardOf(Call)},
                        Q});
    }
  } else if (G) {
    for (size_t WI = 0; WI < Waits[G].size(); ++WI) {
      const Wait &W = Waits[G][WI];
      if (W.BitGuard && llvm::any_of(Bits->knownAt(Call), [&](const BitValue &K) {
            return K.Ref == W.BitGuard->Ref && K.Set != W.BitGuard->Set;
          }))
        continue; // the path here has the bit the other way
      Made.push_back({Wait{W.Queue, W.Key, W.Param, {Loc, G, W.At.Api}, {},
                           W.Text, W.Unresolved, W.UnresolvedIn,
                           W.OnReferenceDrop, int(WI), W.NotSelf, W.BitGuard},
                      W.Param >= 0 ? Arg(unsigned(W.Param)) : nullptr});
      Wait &Last = Made.back().W;
      if (Last.BitGuard && llvm::is_contained(Bits->knownAt(Call), *Last.BitGuard))
        Last.BitGuard.reset(); // the path here meets the test
      if (!Last.BitGuard)
        Last.BitGuard = Bits->guardOf(Call);
    }
  }
  for (const Here &M : Made) {
    std::vector<WorkKey> Items;
    if (M.W.Queue)
      Items = Facts->itemsQueuedOnlyOn(M.W.Key);
    else
      Items.push_back(M.W.Key);
    const VarDecl *Base = M.Object ? WorkFacts::rootVar(M.Object) : nullptr;
    for (const WorkKey &K : Items)
      for (const FunctionDecl *Hd : Facts->handlersOf(K)) {
        Hd = Facts->userDefinition(Hd);
        if (!Hd)
          continue;
        for (const Held &H : S.Locks) {
          // The same lock: a global, or the waited item's own object's.
          bool Same = isGlobal(H.Lock) ||
                      (H.Lock.Root == K.Root && Base && H.Base == Base);
          if (!Same)
            continue;
          for (const Take &T : Takes[Hd]) {
            if (!(T.Lock == H.Lock) ||
                (T.Mode == api::LockMode::Shared &&
                 H.Mode == api::LockMode::Shared))
              continue;
            if (!isGlobal(T.Lock) && T.Param != 0)
              continue; // taken on another object than the handler's own
            reportLocked(FD, H, M.W, K, T, Hd, Loc);
            return;
          }
        }
      }
  }
}

void FlushDeadlockCheck::reportLocked(const FunctionDecl *FD, const Held &H,
                                      const Wait &W, const WorkKey &Item,
                                      const Take &T,
                                      const FunctionDecl *Handler,
                                      SourceLocation At) {
  if (At.isInvalid() || !Reported.insert(At).second)
    return;
  std::string Kind = H.Mode == api::LockMode::Shared ? "rw_semaphore" : "lock";
  std::string ItemText = WorkFacts::spell(Item, nullptr);
  std::string Waited =
      W.Queue ? "queue " + quoted(W.Text) + " (which runs " +
                    quoted(ItemText) + ")"
              : "work item " + quoted(W.Text);
  std::string Message =
      quoted(W.At.Api) +
      (W.At.Via ? " (through " + quoted(W.At.Via->getName()) + ")"
                : std::string()) +
      " waits for " + Waited + " while " + quoted(H.Text) +
      " is held, and the handler " + quoted(Handler->getName()) +
      " takes the same lock: the handler blocks on the lock and the wait "
      "on the handler (deadlock; lockdep: possible circular locking "
      "dependency through (work_completion)); release " + quoted(H.Text) +
      " before waiting, or do not take it in the handler";
  // A wait under a flag bit that every call of this function in the file
  // has the other way (6.12 ionic_lif.c: ionic_restart_lif(), called by
  // ionic_lif_handle_fw_up() only once IONIC_LIF_F_FW_RESET is set).
  SourceLocation Against;
  if (W.Unresolved.isInvalid() && W.BitGuard)
    Against = calledAgainst(FD, *W.BitGuard);
  std::string Basis =
      W.Unresolved.isValid()
          ? unresolvedBasis(W)
          : Against.isValid()
                ? bitBasis(W, Against,
                           "every call of " + quoted(FD->getName()))
                : std::string();
  if (!(!Basis.empty() ? Ctx.Report.possible(Id, At, Message, Basis)
                       : Ctx.Report.warn(Id, At, Message)))
    return;
  Ctx.Report.note(H.Loc, H.HeldBy.empty() ? quoted(H.Text) + " taken here"
                                          : H.HeldBy);
  if (Against.isValid())
    Ctx.Report.note(Ctx.User.reportLocation(Against),
                    quoted(FD->getName()) + " is called here with " +
                        flagState(*W.BitGuard, !W.BitGuard->Set));
  waitChain(W);
  takeChain(T, Handler);
}

} // namespace

std::unique_ptr<Check> createFlushDeadlockCheck(StringRef Id,
                                                CheckContext &Ctx) {
  return std::make_unique<FlushDeadlockCheck>(Id, Ctx);
}

} // namespace wqcheck
