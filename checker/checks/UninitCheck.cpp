//===- UninitCheck.cpp - wq-uninit ----------------------------------------===//
//
// Reports a work item queued, flushed or cancelled before it is
// initialised (INIT_WORK(), INIT_DELAYED_WORK(), DECLARE_WORK(), ...):
//
//  1. in one function, for an object allocated there (kmalloc/kzalloc/
//     devm_kzalloc/..., or a struct on the stack): a path from the
//     allocation reaches the use without an initialisation of that work
//     item -- queue before init, or an error path that cancels a work item
//     INIT_WORK() has not reached yet.  A must-dataflow over the CFG; calls
//     to the file's functions that initialise it count;
//  2. across the file: a work item that is a global of this file or a field
//     of a struct defined in this file is queued, flushed or cancelled but
//     initialised nowhere in the file.  Fields of structs from headers may be
//     initialised in other files: not guessed;
//  4. (publication, rule 4, and a reference put on a fresh object, rule 5:
//     see publish() and putReference());
//  6. across the file: a work item of a struct defined in this file whose
//     every initialisation is in a callback of a timer, tasklet or URB
//     (it is set up on demand, when that callback first runs), cancelled or
//     flushed in another function with no test of its ->func: that stop can
//     run before the callback ever did (siano smsusb_stop_streaming(),
//     6f489a966fbe);
//  3. in the module's init function (module_init(fn)): a global work item
//     of this file without a static initialiser is zero when the module is
//     loaded, so a path from the entry of fn that queues, flushes or
//     cancels it before its INIT_WORK() is a use before initialisation.
//
// kzalloc() does not initialise a work item; an assignment to ->func in the
// user's code does not either (INIT_WORK() also sets ->data and ->entry).
// Runtime symptoms: "ODEBUG: activate not available" with
// CONFIG_DEBUG_OBJECTS_WORK, WARN_ON(!work->func) in __flush_work().
//
// Docs: docs/checks/wq-uninit.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/BranchGuards.h"
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "db/Keys.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include <algorithm>
#include <map>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// An object allocated in the function, and what of it is initialised on
/// every path since.
/// A callback made callable (WQ_PUBLISH_ARG/WQ_PUBLISH_OPS) while a work
/// item it queues or cancels was not initialised yet.
struct Publication {
  const CallExpr *Call = nullptr; ///< request_irq(), input_register_device()
  const FunctionDecl *Callback = nullptr;
  /// Each place where the callback uses the item (directly, or by calling
  /// a function of the file that does), with the tests it runs under
  /// (conditionsOf()): the field tests of the published object that need
  /// a field non-zero, and whether any other test decides too (Opaque: a
  /// register read, a field of another object, a loop).  Derived from
  /// Call, Callback and the item, so not compared.
  struct Place {
    std::vector<FieldGate> Gates;
    bool Opaque = false;
  };
  std::vector<Place> Places;
  bool operator==(const Publication &O) const {
    return Call == O.Call && Callback == O.Callback;
  }
};

struct Fresh {
  SourceLocation Allocated;
  std::set<WorkKey> Initialised;
  /// Work items (not initialised on some path) that a published callback
  /// uses: a later INIT of one is an initialisation after publication.
  std::map<WorkKey, Publication> Published;
  /// Its address was stored where other code can reach it (`info->dqi_priv
  /// = oinfo`): a function of another file called since may have set up
  /// its work items (transfer()).
  bool Stored = false;
  /// From a zeroing allocator (WQ_ZEROING_ALLOCATOR), and the fields
  /// written since on some path: the others still read as zero.
  bool Zeroed = false;
  std::set<const FieldDecl *> Written;
  bool operator==(const Fresh &O) const {
    return Allocated == O.Allocated && Initialised == O.Initialised &&
           Published == O.Published && Stored == O.Stored &&
           Zeroed == O.Zeroed && Written == O.Written;
  }
};

/// The object variable and field of `v->f`, or none.
std::pair<const VarDecl *, const FieldDecl *> fieldOf(const Expr *E) {
  const auto *M = E ? dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()) : nullptr;
  if (!M)
    return {nullptr, nullptr};
  const auto *Ref = dyn_cast<DeclRefExpr>(M->getBase()->IgnoreParenImpCasts());
  return {Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr,
          dyn_cast<FieldDecl>(M->getMemberDecl())};
}

struct State {
  bool Reached = false;
  std::map<const VarDecl *, Fresh> Objects;
  bool operator==(const State &O) const {
    return Reached == O.Reached && Objects == O.Objects;
  }
};

State join(const State &A, const State &B) {
  State R = A;
  for (const auto &[V, F] : B.Objects) {
    auto It = R.Objects.find(V);
    if (It == R.Objects.end()) {
      R.Objects.emplace(V, F);
      continue;
    }
    std::set<WorkKey> Both;
    for (const WorkKey &K : It->second.Initialised)
      if (F.Initialised.count(K))
        Both.insert(K);
    It->second.Initialised = std::move(Both);
    It->second.Published.insert(F.Published.begin(), F.Published.end());
    It->second.Stored = It->second.Stored || F.Stored;
    It->second.Zeroed = It->second.Zeroed && F.Zeroed;
    It->second.Written.insert(F.Written.begin(), F.Written.end());
  }
  return R;
}

/// In module init: the work items (by key) initialised on every path from
/// the entry.
struct GlobalState {
  bool Reached = false;
  std::set<WorkKey> Initialised;
  bool operator==(const GlobalState &O) const {
    return Reached == O.Reached && Initialised == O.Initialised;
  }
};

GlobalState joinGlobal(const GlobalState &A, const GlobalState &B) {
  GlobalState R;
  R.Reached = A.Reached || B.Reached;
  for (const WorkKey &K : A.Initialised)
    if (B.Initialised.count(K))
      R.Initialised.insert(K);
  return R;
}

bool isNamedRecord(const Decl *D, StringRef Name) {
  const auto *RD = dyn_cast_or_null<RecordDecl>(D);
  return RD && RD->getIdentifier() && RD->getName() == Name;
}

/// Whether K is the work of a delayed_work (also a global `struct
/// delayed_work dw`, whose key is just dw . work).
bool isDelayedItem(const WorkKey &K) {
  return !K.Path.empty() &&
         isNamedRecord(K.Path.back()->getParent(), "delayed_work");
}

/// How messages name K with no base variable: `dw` for a global delayed
/// work (WorkFacts::spell() would say `dw.work`), else WorkFacts::spell().
std::string itemName(const WorkKey &K) {
  const auto *VD = dyn_cast_or_null<VarDecl>(K.Root);
  if (VD && K.Path.size() == 1 && isDelayedItem(K))
    return VD->getName().str();
  return WorkFacts::spell(K, nullptr);
}

class UninitCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void checkFunction(const FunctionDecl *FD);
  /// The function checkFunction() is solving.
  const FunctionDecl *Solving = nullptr;
  void transfer(const Stmt *S, State &St, bool Report);
  void publish(const CallExpr *Call, StringRef Name, State &St);
  std::vector<Publication::Place> places(const FunctionDecl *Fn,
                                        const WorkKey &K,
                                        const RecordDecl *RD);
  void putReference(const CallExpr *Call, StringRef Name, const State &St,
                    bool Report);
  void initialise(const VarDecl *V, const WorkKey &K, const Stmt *Init,
                  State &St, bool Report);
  void assign(const VarDecl *V, const Expr *Value, State &St);
  void checkFileWide();
  void checkInitOnlyInCallback();
  void checkModuleInit(const FunctionDecl *Init);
  void transferGlobal(const Stmt *S, GlobalState &St, bool Report,
                      const FunctionDecl *Init);
  std::vector<const FunctionDecl *> moduleInitFunctions() const;
  bool definedInMainFile(const WorkKey &K) const;
  bool initialisedIn(const std::set<WorkKey> &Set, const WorkKey &K) const;
  void gatherPossibleInits();
  std::vector<WorkKey> opaqueWorkArgs(const CallExpr *Call) const;

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  std::set<WorkKey> ReportedKeys;
  /// Publications reported (call, work item), once each.
  std::set<std::pair<const CallExpr *, WorkKey>> ReportedPublications;
  /// Work items handed by address to a function of another file that takes
  /// a work pointer (`lib_setup_work(&w)`): it may initialise them.
  std::set<WorkKey> OpaqueWorkInits;
  /// The same, per function that makes the call.
  std::map<const FunctionDecl *, std::set<WorkKey>> OpaqueWorkInitsIn;
  /// Global work items set up by a static initialiser (DECLARE_WORK()).
  std::set<WorkKey> StaticInits;
};

void UninitCheck::assign(const VarDecl *V, const Expr *Value, State &St) {
  if (const CallExpr *Alloc = WorkFacts::allocationIn(Value)) {
    Fresh &F = St.Objects[V] =
        Fresh{Ctx.User.reportLocation(Alloc->getBeginLoc()), {}, {}};
    if (const FunctionDecl *Fn = Alloc->getDirectCallee())
      F.Zeroed = Fn->getIdentifier() && api::isZeroingAllocator(Fn->getName());
  } else
    St.Objects.erase(V);
}

void UninitCheck::transfer(const Stmt *S, State &St, bool Report) {
  // What the zeroed fields of a fresh object are no more: `p->f = ..`,
  // `p->f++`, `&p->f` or `p` itself handed to a call.
  auto Write = [&](const Expr *E) {
    auto [V, F] = fieldOf(E);
    if (auto It = V ? St.Objects.find(V) : St.Objects.end();
        It != St.Objects.end() && F)
      It->second.Written.insert(F);
  };
  if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
    Write(B->getLHS());
  if (const auto *U = dyn_cast<UnaryOperator>(S)) {
    if (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf)
      Write(U->getSubExpr());
  }
  // A call that takes the object may write any field; one that only hands
  // it to a callback as its data (request_irq(.., dev_id), the
  // WQ_PUBLISH_ARG rows) does not.
  const auto *C = dyn_cast<CallExpr>(S);
  const FunctionDecl *CF = C ? C->getDirectCallee() : nullptr;
  bool OnlyPublishes = CF && CF->getIdentifier() &&
                       !api::publishArgs(CF->getName()).empty();
  if (C && !OnlyPublishes)
    for (const Expr *A : C->arguments())
      if (const auto *Ref = dyn_cast<DeclRefExpr>(A->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
          if (auto It = St.Objects.find(V); It != St.Objects.end())
            It->second.Zeroed = false;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D)) {
        if (V->getInit())
          assign(V, V->getInit(), St);
        else if (V->getType()->isRecordType() && !V->hasGlobalStorage() &&
                 !WorkFacts::workItemsIn(V->getType()->getAsRecordDecl())
                      .empty())
          St.Objects[V] = Fresh{Ctx.User.reportLocation(V->getLocation()), {}, {}};
      }
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->getOpcode() != BO_Assign)
      return;
    const auto *Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts());
    if (const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr)
      assign(V, B->getRHS(), St);
    // The object stored in a field of another, or in a global: published.
    if (const auto *R = dyn_cast<DeclRefExpr>(B->getRHS()->IgnoreParenCasts()))
      if (const auto *Obj = dyn_cast<VarDecl>(R->getDecl()))
        if (auto It = St.Objects.find(Obj); It != St.Objects.end()) {
          const auto *To = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
          bool Local = To && !To->hasGlobalStorage();
          if (!Local && WorkFacts::baseVar(B->getLHS()) != Obj)
            It->second.Stored = true;
        }
    // INIT_WORK()'s store to ->func.
    const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
    if (M && M->getMemberDecl()->getIdentifier() &&
        M->getMemberDecl()->getName() == "func")
      if (auto K = workKeyOf(M->getBase()))
        if (Facts->Inits.count(*K))
          if (const VarDecl *V = WorkFacts::baseVar(M->getBase()))
            if (St.Objects.count(V))
              for (const SourceLocation &L : Facts->Inits[*K])
                if (L == Ctx.User.reportLocation(B->getBeginLoc())) {
                  initialise(V, *K, B, St, Report);
                  break;
                }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();

  // request_irq(), input_register_device(): callbacks callable from now on.
  publish(Call, Name, St);
  // A function of another file that takes the struct may initialise it
  // (bq27xxx_battery_setup(di) in bq27xxx_battery.c).
  if (std::vector<WorkKey> Opaque = Facts->opaqueKeys(Call);
      !Opaque.empty()) {
    for (const Expr *Arg : Call->arguments())
      if (const VarDecl *V = WorkFacts::baseVar(Arg)) {
        auto It = St.Objects.find(V);
        if (It != St.Objects.end())
          It->second.Initialised.insert(Opaque.begin(), Opaque.end());
      }
    return;
  }
  // oinfo published in `info->dqi_priv`, then a function of another file
  // called with a pointer (6.1 fs/ocfs2/quota_local.c, held-out Set L: the
  // call reaches oinfo through the super block and sets its work up).
  if (Facts->opaqueCall(Call))
    for (auto &[V, F] : St.Objects)
      if (F.Stored)
        if (const RecordDecl *RD = V->getType()->isPointerType()
                                       ? V->getType()->getPointeeType()
                                             ->getAsRecordDecl()
                                       : nullptr)
          for (const WorkKey &K : WorkFacts::workItemsIn(RD))
            F.Initialised.insert(K);
  // A file function called with the object initialises what it initialises.
  if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
    for (const Expr *Arg : Call->arguments())
      if (const VarDecl *V = WorkFacts::baseVar(Arg)) {
        auto It = St.Objects.find(V);
        if (It == St.Objects.end())
          continue;
        for (const WorkKey &K : Facts->InitsBy[Def])
          initialise(V, K, Call, St, Report);
        if (auto K = workKeyOf(Arg))
          if (Facts->InitsParam[Def].size())
            initialise(V, *K, Call, St, Report);
      }
    return;
  }
  int InitArg = api::workInitArg(Name);
  if (InitArg >= 0 && unsigned(InitArg) < Call->getNumArgs()) {
    if (auto K = workKeyOf(Call->getArg(InitArg)))
      if (const VarDecl *V = WorkFacts::baseVar(Call->getArg(InitArg)))
        initialise(V, *K, Call, St, Report);
    return;
  }
  // kobject_put(&obj->kobj) on an error path: the release runs now.
  putReference(Call, Name, St, Report);

  // A use: queue, flush or cancel.
  int WorkArg = -1;
  if (const api::QueueWork *Q = api::findQueueWork(Name))
    WorkArg = Q->WorkArg;
  else if (const api::WorkStop *W = api::findWorkStop(Name))
    WorkArg = W->WorkArg;
  if (WorkArg < 0 || unsigned(WorkArg) >= Call->getNumArgs() || !Report)
    return;
  const Expr *Work = Call->getArg(WorkArg);
  auto K = workKeyOf(Work);
  const VarDecl *V = WorkFacts::baseVar(Work);
  if (!K || !V)
    return;
  auto It = St.Objects.find(V);
  if (It == St.Objects.end() || holdsAlias(It->second.Initialised, *K))
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (Loc.isInvalid())
    return;
  std::string Item = WorkFacts::spell(*K, V);
  bool Queues = api::findQueueWork(Name) != nullptr;
  bool Delayed = WorkFacts::syncCancelFor(*K) == "cancel_delayed_work_sync";
  std::string Init = Delayed ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
  if (!Ctx.Report.warn(
          Id, Loc,
          "'" + Name + "' " + (Queues ? "queues" : "uses") + " work item '" +
              Item + "' before it is initialised: on this path '" +
              V->getName() + "' comes from the allocation and no " + Init +
              " has run (allocators do not initialise work items; ODEBUG "
              "reports 'activate not available', flush/cancel hit "
              "WARN_ON(!work->func)); call " + Init + " right after the "
              "allocation, before anything can queue, flush or cancel it"))
    return;
  ReportedKeys.insert(*K);
  Ctx.Report.note(It->second.Allocated, "'" + V->getName() +
                                            "' is allocated here");
  // Where the function does initialise it: after the use, or on another
  // path than this one.  An INIT in another function says nothing here.
  const SourceManager &SM = AST->getSourceManager();
  SourceRange Body = Solving && Solving->getBody()
                         ? Solving->getBody()->getSourceRange()
                         : SourceRange();
  const SourceLocation *Before = nullptr;
  for (const SourceLocation &L : Facts->Inits[*K]) {
    if (L.isInvalid() || Body.isInvalid() ||
        SM.isBeforeInTranslationUnit(L, Body.getBegin()) ||
        SM.isBeforeInTranslationUnit(Body.getEnd(), L) ||
        Facts->OpaqueInits.count(L))
      continue;
    if (SM.isBeforeInTranslationUnit(Loc, L)) {
      Ctx.Report.note(L, "'" + Item + "' is initialised only here");
      return;
    }
    if (!Before)
      Before = &L;
  }
  if (Before)
    Ctx.Report.note(*Before, "'" + Item + "' is initialised here, on "
                             "another path than the one that reaches the use");
}

void UninitCheck::publish(const CallExpr *Call, StringRef Name, State &St) {
  // The callbacks this call makes callable at once.
  std::vector<const FunctionDecl *> Callbacks;
  for (const api::PublishArg &P : api::publishArgs(Name)) {
    if (unsigned(P.FnArg) >= Call->getNumArgs())
      continue;
    if (P.IrqFlagsArg >= 0 && unsigned(P.IrqFlagsArg) < Call->getNumArgs()) {
      // IRQF_NO_AUTOEN (include/linux/interrupt.h): off until enable_irq().
      Expr::EvalResult Flags;
      if (Call->getArg(P.IrqFlagsArg)
              ->EvaluateAsInt(Flags, *AST) &&
          (Flags.Val.getInt().getZExtValue() & 0x00080000u))
        continue;
    }
    if (const FunctionDecl *Fn =
            Facts->userDefinition(functionNamedBy(Call->getArg(P.FnArg))))
      Callbacks.push_back(Fn);
  }
  for (const api::OpsField &Slot : api::publishOps(Name)) {
    auto It = Facts->OpsFunctions.find({Slot.Struct.str(), Slot.Field.str()});
    if (It != Facts->OpsFunctions.end())
      Callbacks.insert(Callbacks.end(), It->second.begin(), It->second.end());
  }
  if (Callbacks.empty())
    return;
  // A callback that initialises the item itself (open() doing INIT_WORK)
  // orders its own uses.
  std::set<WorkKey> InitByCallbacks;
  for (const FunctionDecl *Fn : Callbacks)
    InitByCallbacks.insert(Facts->InitsBy[Fn].begin(), Facts->InitsBy[Fn].end());
  for (auto &[V, Obj] : St.Objects) {
    QualType T = V->getType();
    if (T->isPointerType())
      T = T->getPointeeType();
    const RecordDecl *RD = T->getAsRecordDecl();
    if (!RD)
      continue;
    std::vector<WorkKey> Items = WorkFacts::workItemsIn(RD);
    std::set<WorkKey> Own(Items.begin(), Items.end());
    for (const FunctionDecl *Fn : Callbacks)
      for (const std::set<WorkKey> *Used : {&Facts->QueuesBy[Fn],
                                            &Facts->StopsBy[Fn]})
        for (const WorkKey &K : *Used)
          if (holdsAlias(Own, K) && !holdsAlias(Obj.Initialised, K) &&
              !holdsAlias(InitByCallbacks, K) && !Obj.Published.count(K))
            Obj.Published.emplace(K, Publication{Call, Fn, places(Fn, K, RD)});

  }
}

/// Publication::Places of callback Fn's uses of K; a field test of another
/// object than RD's counts as Opaque.
std::vector<Publication::Place>
UninitCheck::places(const FunctionDecl *Fn, const WorkKey &K,
                    const RecordDecl *RD) {
  const Stmt *Body = Fn->getBody();
  if (!Body)
    return {};
  std::set<SourceLocation> Direct;
  for (const auto &[UK, Uses] : Facts->Uses)
    if (holdsAlias(std::set<WorkKey>{UK}, K))
      for (const WorkUse &U : Uses)
        Direct.insert(U.Loc);
  std::vector<Publication::Place> Out;
  forEachSubStmt(Body, [&](const Stmt *S) {
    const auto *C = dyn_cast<CallExpr>(S);
    if (!C)
      return true;
    bool Uses = Direct.count(Ctx.User.reportLocation(C->getBeginLoc())) != 0;
    if (!Uses)
      if (const FunctionDecl *Callee = Facts->userDefinition(C->getDirectCallee()))
        Uses = holdsAlias(Facts->QueuesBy[Callee], K) ||
               holdsAlias(Facts->StopsBy[Callee], K);
    if (!Uses)
      return true;
    CallConditions Cond = conditionsOf(Body, C, *AST);
    Publication::Place P;
    P.Opaque = Cond.Opaque;
    for (const FieldGate &G : Cond.Gates) {
      if (llvm::all_of(G, [&](const FieldDecl *F) { return F->getParent() == RD; }))
        P.Gates.push_back(G);
      else
        P.Opaque = true;
    }
    Out.push_back(std::move(P));
    return true;
  });
  return Out;
}

/// Evidence that the callback can reach the item before the INIT: a place
/// that runs under no test but field tests of Obj, each with a field
/// written since the allocation (`udc->qwork = ..` before `if
/// (udc->qwork) queue_work(..)`).  No place found (a use through a
/// function pointer): the old rule, the order alone.
static bool reachesBeforeInit(const Publication &Pub, const Fresh &Obj) {
  if (Pub.Places.empty())
    return true;
  return llvm::any_of(Pub.Places, [&](const Publication::Place &P) {
    return !P.Opaque && llvm::all_of(P.Gates, [&](const FieldGate &G) {
      return llvm::any_of(G, [&](const FieldDecl *F) {
        return Obj.Written.count(F) != 0;
      });
    });
  });
}

/// The callback cannot reach the item yet: every place where it uses it
/// needs a field of Obj non-zero that is still zero (Publication::Places).
/// Returns those fields ("'a' or 'b'"), or "" when it can.
static std::string gatedShut(const Publication &Pub, const Fresh &Obj) {
  if (Pub.Places.empty() || !Obj.Zeroed)
    return "";
  std::set<std::string> Names;
  for (const Publication::Place &Place : Pub.Places) {
    auto Shut = llvm::find_if(Place.Gates, [&](const FieldGate &G) {
      return llvm::none_of(G, [&](const FieldDecl *F) {
        return Obj.Written.count(F) != 0;
      });
    });
    if (Shut == Place.Gates.end())
      return "";
    for (const FieldDecl *F : *Shut)
      Names.insert("'" + F->getName().str() + "'");
  }
  std::string Out;
  for (const std::string &N : Names)
    Out += (Out.empty() ? "" : " or ") + N;
  return Out;
}

/// Where Fn's body uses K directly (queue, flush or cancel), if it does.
static const WorkUse *useInside(const WorkFacts &Facts, const FunctionDecl *Fn,
                                const WorkKey &K, const SourceManager &SM) {
  SourceRange Body = Fn->getSourceRange();
  for (const auto &[UK, Uses] : Facts.Uses)
    if (holdsAlias(std::set<WorkKey>{UK}, K))
      for (const WorkUse &U : Uses)
        if (U.Loc.isValid() &&
            !SM.isBeforeInTranslationUnit(U.Loc, Body.getBegin()) &&
            !SM.isBeforeInTranslationUnit(Body.getEnd(), U.Loc))
          return &U;
  return nullptr;
}

void UninitCheck::putReference(const CallExpr *Call, StringRef Name,
                               const State &St, bool Report) {
  // A reference counter embedded in an object allocated in this function
  // (`kobject_put(&slave->kobj)`): the object's only reference, so the put
  // runs its release callback now.  A release that cancels or queues a
  // work item of the object that this path has not initialised is a use
  // before initialisation (bonding: slave_kobj_release()'s
  // cancel_delayed_work_sync() before INIT_DELAYED_WORK(), 35d96e631860).
  int ObjArg = api::referencePutArg(Name);
  if (!Report || ObjArg < 0 || unsigned(ObjArg) >= Call->getNumArgs())
    return;
  const Expr *Counter = Call->getArg(ObjArg)->IgnoreParenImpCasts();
  const auto *Addr = dyn_cast<UnaryOperator>(Counter);
  if (!Addr || Addr->getOpcode() != UO_AddrOf ||
      !isa<MemberExpr>(Addr->getSubExpr()->IgnoreParenImpCasts()))
    return;
  const VarDecl *V = WorkFacts::baseVar(Counter);
  auto It = V ? St.Objects.find(V) : St.Objects.end();
  if (It == St.Objects.end())
    return;
  QualType T = V->getType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD)
    return;
  std::vector<WorkKey> Items = WorkFacts::workItemsIn(RD);
  std::set<WorkKey> Own(Items.begin(), Items.end());
  // kref_put(.., release) names its release; kobject_put()/put_device()
  // run the one stored in a WQ_RELEASE_FIELD slot.
  std::set<const FunctionDecl *> Releases;
  int FnArg = api::releaseCallbackArg(Name);
  if (FnArg >= 0 && unsigned(FnArg) < Call->getNumArgs()) {
    if (const FunctionDecl *Fn =
            Facts->userDefinition(functionNamedBy(Call->getArg(FnArg))))
      Releases.insert(Fn);
  } else {
    for (const auto &[Slot, Fns] : Facts->OpsFunctions)
      if (api::isReleaseField(Slot.first, Slot.second))
        Releases.insert(Fns.begin(), Fns.end());
  }
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (Loc.isInvalid())
    return;
  const SourceManager &SM = AST->getSourceManager();
  for (const FunctionDecl *Fn : Releases)
    for (const std::set<WorkKey> *Used :
         {&Facts->StopsBy[Fn], &Facts->QueuesBy[Fn]})
      for (const WorkKey &K : *Used) {
        if (!holdsAlias(Own, K) || holdsAlias(It->second.Initialised, K) ||
            !ReportedPublications.insert({Call, K}).second)
          continue;
        std::string Item = WorkFacts::spell(K, V);
        bool Delayed =
            WorkFacts::syncCancelFor(K) == "cancel_delayed_work_sync";
        std::string Init = Delayed ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
        bool Queues = Used == &Facts->QueuesBy[Fn];
        if (!Ctx.Report.warn(
                Id, Loc,
                "'" + Name.str() + "' drops the reference to '" +
                    V->getName().str() + "' that its allocation made, so "
                    "its release '" + Fn->getName().str() + "' runs and " +
                    (Queues ? "queues" : "cancels or flushes") +
                    " work item '" + Item + "', which no " + Init +
                    " has initialised on this path (ODEBUG reports "
                    "'activate not available', flush/cancel hit "
                    "WARN_ON(!work->func)); call " + Init +
                    " right after the allocation, before the first step "
                    "that can fail"))
          continue;
        ReportedKeys.insert(K);
        Ctx.Report.note(It->second.Allocated,
                        "'" + V->getName().str() + "' is allocated here");
        if (const WorkUse *U = useInside(*Facts, Fn, K, SM))
          Ctx.Report.note(U->Loc, "the release '" + Fn->getName().str() +
                                      "' " + (Queues ? "queues" : "uses") +
                                      " '" + Item + "' here ('" + U->Api +
                                      "')");
        else
          Ctx.Report.note(Ctx.User.reportLocation(Fn->getLocation()),
                          "the release '" + Fn->getName().str() + "' " +
                              (Queues ? "queues" : "uses") + " '" + Item +
                              "' through the file's calls");
        for (const SourceLocation &L : Facts->Inits[K])
          if (L.isValid() && SM.isBeforeInTranslationUnit(Loc, L)) {
            Ctx.Report.note(L, "'" + Item + "' is initialised only here");
            break;
          }
      }
}

void UninitCheck::initialise(const VarDecl *V, const WorkKey &K,
                             const Stmt *Init, State &St, bool Report) {
  auto It = St.Objects.find(V);
  if (It == St.Objects.end())
    return;
  It->second.Initialised.insert(K);
  auto P = std::find_if(
      It->second.Published.begin(), It->second.Published.end(),
      [&](const auto &Entry) { return namesSameItem(Entry.first, K); });
  if (P == It->second.Published.end())
    return;
  Publication Pub = P->second;
  WorkKey Used = P->first;
  It->second.Published.erase(P);
  std::string ShutBy = gatedShut(Pub, It->second);
  bool Evidence = reachesBeforeInit(Pub, It->second);
  if (!Report || !ReportedPublications.insert({Pub.Call, Used}).second)
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Pub.Call->getBeginLoc());
  if (Loc.isInvalid())
    return;
  // Where the callback uses it (directly), else the callback itself.
  const WorkUse *Use =
      useInside(*Facts, Pub.Callback, Used, AST->getSourceManager());
  const FunctionDecl *Callee = Pub.Call->getDirectCallee();
  std::string Item = WorkFacts::spell(Used, V);
  bool Delayed = WorkFacts::syncCancelFor(Used) == "cancel_delayed_work_sync";
  std::string InitName = Delayed ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
  bool Queues = Facts->QueuesBy[Pub.Callback].count(Used) != 0;
  std::string Message =
      "'" + Callee->getName().str() + "' makes '" +
      Pub.Callback->getName().str() + "' callable, which " +
      (Queues ? "queues" : "cancels or flushes") + " work item '" + Item +
      "', before " + InitName + " initialises it (ODEBUG reports 'activate "
      "not available', flush/cancel hit WARN_ON(!work->func)); call " +
      InitName + " before '" + Callee->getName().str() + "'";
  std::string Basis =
      !ShutBy.empty()
          ? "'" + Pub.Callback->getName().str() + "' reaches '" + Item +
                "' only when " + ShutBy + " of '" + V->getName().str() +
                "' is non-zero, and it is still zero here (a zeroing "
                "allocation, not written since)"
          : "'" + Pub.Callback->getName().str() + "' reaches '" + Item +
                "' only past tests of what the device reports or of state "
                "not set before the INIT; whether it can pass them before "
                "the INIT is not seen";
  if (!(Evidence ? Ctx.Report.warn(Id, Loc, Message)
                 : Ctx.Report.possible(Id, Loc, Message, Basis)))
    return;
  ReportedKeys.insert(Used);
  if (Use)
    Ctx.Report.note(Use->Loc, "'" + Pub.Callback->getName().str() + "' " +
                                  (Queues ? "queues" : "uses") + " '" + Item +
                                  "' here ('" + Use->Api + "')");
  else
    Ctx.Report.note(Ctx.User.reportLocation(Pub.Callback->getLocation()),
                    "'" + Pub.Callback->getName().str() + "' " +
                        (Queues ? "queues" : "uses") + " '" + Item +
                        "' through the file's calls");
  Ctx.Report.note(Ctx.User.reportLocation(Init->getBeginLoc()),
                  "'" + Item + "' is initialised only here, after it");
}

void UninitCheck::checkFunction(const FunctionDecl *FD) {
  Solving = FD;
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(St, S, Report); });
      },
      join, State(),
      [&](const CFGBlock &From, const CFGBlock &To, State &S) {
        // A field of a zeroed object that nothing wrote reads as zero: the
        // edge where it is non-zero is not taken for that object (`if
        // (!p->init_wq) { p->init_wq = true; INIT_WORK(..); }` on kzalloc()
        // memory, 6.1 drivers/scsi/scsi_debug.c schedule_resp(); the
        // whole-tree run).
        if (std::optional<bool> Taken = branchTaken(From, To)) {
          const Expr *Cond = branchCondition(From);
          bool NonZeroWhenTrue = true;
          while (Cond) {
            Cond = Cond->IgnoreParenImpCasts();
            const auto *U = dyn_cast<UnaryOperator>(Cond);
            if (!U || U->getOpcode() != UO_LNot)
              break;
            NonZeroWhenTrue = !NonZeroWhenTrue;
            Cond = U->getSubExpr();
          }
          auto [V, F] = fieldOf(Cond);
          if (auto It = V ? S.Objects.find(V) : S.Objects.end();
              It != S.Objects.end() && F && It->second.Zeroed &&
              !It->second.Written.count(F) && *Taken == NonZeroWhenTrue)
            S.Objects.erase(It);
        }
        // Where the allocation failed there is no object to use:
        // `if (!p) goto err; ... err: if (p) cancel_work_sync(&p->w);`
        const Expr *Tested = nullptr;
        std::optional<bool> Null = pointerNullOnEdge(From, To, Tested, *AST);
        if (!Null || !*Null)
          return;
        if (const auto *Ref = dyn_cast<DeclRefExpr>(Tested->IgnoreParenCasts()))
          if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
            S.Objects.erase(V);
      },
      // Paths kept apart by field tests too: INIT and use under two tests
      // of one unchanged field (6.1 anx7625.c:2772, tc358743.c:2184,
      // allmodconfig corpus).
      /*SplitFields=*/true);
}

bool UninitCheck::definedInMainFile(const WorkKey &K) const {
  const SourceManager &SM = AST->getSourceManager();
  const Decl *Root = K.Root;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(Root)) {
    // `static struct work_struct w;` is a tentative definition: C's
    // getDefinition() does not return it, getActingDefinition() does.
    const VarDecl *Def = VD->getDefinition();
    if (!Def)
      Def = VD->getActingDefinition();
    if (!Def || Def->hasExternalStorage())
      return false;
    Root = Def;
  }
  if (const auto *RD = dyn_cast_or_null<RecordDecl>(Root))
    if (const RecordDecl *Def = RD->getDefinition())
      Root = Def;
  return Root &&
         SM.getFileID(SM.getExpansionLoc(Root->getLocation())) ==
             SM.getMainFileID();
}

bool UninitCheck::initialisedIn(const std::set<WorkKey> &Set,
                                const WorkKey &K) const {
  // holdsAlias() without the names rooted at the work types themselves:
  // `struct delayed_work` . `work` names every delayed work item of the
  // kernel, so INIT_DELAYED_WORK(&a) must not count for `b`.
  for (const WorkKey &A : aliasesOf(K)) {
    if (isNamedRecord(A.Root, "work_struct") ||
        isNamedRecord(A.Root, "delayed_work") ||
        isNamedRecord(A.Root, "rcu_work"))
      continue;
    if (Set.count(A))
      return true;
  }
  return false;
}

std::vector<WorkKey> UninitCheck::opaqueWorkArgs(const CallExpr *Call) const {
  std::vector<WorkKey> Keys;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier() || Facts->userDefinition(Callee) ||
      Callee->getBuiltinID() || api::isKnownCall(Callee->getName()))
    return Keys;
  for (unsigned I = 0; I < Callee->getNumParams() && I < Call->getNumArgs();
       ++I) {
    QualType T = Callee->getParamDecl(I)->getType();
    if (!T->isPointerType() || !isWorkType(T))
      continue;
    if (auto K = workKeyOf(Call->getArg(I)))
      Keys.push_back(*K);
  }
  return Keys;
}

void UninitCheck::gatherPossibleInits() {
  // A function of another file handed the work item itself may set it up
  // (WorkFacts::opaqueKeys() covers a pointer to the struct holding it).
  struct Visitor : RecursiveASTVisitor<Visitor> {
    UninitCheck &C;
    std::set<WorkKey> *Into = nullptr;
    explicit Visitor(UninitCheck &C) : C(C) {}
    bool VisitCallExpr(CallExpr *Call) {
      for (const WorkKey &K : C.opaqueWorkArgs(Call))
        for (const WorkKey &A : aliasesOf(K)) {
          C.OpaqueWorkInits.insert(A);
          Into->insert(A);
        }
      return true;
    }
    // `static DECLARE_WORK(w, fn);` inside a function (kernfs_notify()):
    // WorkFacts only reads the initialisers of file-scope variables.
    bool VisitVarDecl(VarDecl *VD) {
      if (VD->isStaticLocal())
        Statics.push_back(VD);
      return true;
    }
    std::vector<const VarDecl *> Statics;
  } V(*this);
  for (const FunctionDecl *FD : Facts->functions()) {
    V.Into = &OpaqueWorkInitsIn[FD];
    V.TraverseStmt(FD->getBody());
  }
  // DECLARE_WORK() and friends: a static initialiser storing ->func.
  std::vector<const VarDecl *> Vars = V.Statics;
  for (const Decl *D : AST->getTranslationUnitDecl()->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D))
      Vars.push_back(VD);
  for (const VarDecl *VD : Vars) {
    if (!VD->getInit())
      continue;
    const auto *IL =
        dyn_cast<InitListExpr>(VD->getInit()->IgnoreParenImpCasts());
    if (!IL)
      continue;
    forEachFieldInit(IL, [&](const FieldDecl *F, const Expr *Init,
                             const std::vector<const FieldDecl *> &P) {
      if (isNamedRecord(F->getParent(), "work_struct") && F->getIdentifier() &&
          F->getName() == "func" &&
          !Init->isNullPointerConstant(*AST,
                                       Expr::NPC_ValueDependentIsNotNull))
        StaticInits.insert(WorkKey{VD->getCanonicalDecl(), P});
    });
  }
}

void UninitCheck::checkFileWide() {
  if (Facts->UnresolvedInit)
    return;
  // Every name of every initialised item: INIT_WORK(&led.work) also
  // initialises what `struct dled *d; d->work` names, and a helper's
  // INIT_WORK(&k->ws) on the inner struct what `mg->k.ws` names.
  std::set<WorkKey> Initialised;
  for (const auto &[K, Locs] : Facts->Inits)
    for (const WorkKey &A : aliasesOf(K))
      Initialised.insert(A);
  for (const auto &[K, Uses] : Facts->Uses) {
    if (initialisedIn(Initialised, K) || initialisedIn(OpaqueWorkInits, K) ||
        initialisedIn(StaticInits, K) || ReportedKeys.count(K) || !definedInMainFile(K) || Uses.empty())
      continue;
    const WorkUse &First = Uses.front();
    if (First.Loc.isInvalid())
      continue;
    std::string Item = itemName(K);
    bool Delayed = isDelayedItem(K);
    std::string Init = Delayed ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
    if (!Ctx.Report.warn(
            Id, First.Loc,
            "work item '" + Item + "' is " +
                (First.Queues ? "queued" : "flushed or cancelled") +
                " here but never initialised in this file: no " + Init +
                ", DECLARE_WORK() or static initialiser sets it up "
                "(ODEBUG: 'activate not available'; flush/cancel hit "
                "WARN_ON(!work->func)); initialise it with " + Init +
                " where the object is set up"))
      continue;
    ReportedKeys.insert(K);
    // Where the item is defined: the global, or the struct's field.
    SourceLocation Defined;
    if (const auto *VD = dyn_cast_or_null<VarDecl>(K.Root)) {
      const VarDecl *Def = VD->getDefinition();
      if (!Def)
        Def = VD->getActingDefinition();
      if (Def)
        Defined = Ctx.User.reportLocation(Def->getLocation());
    } else if (!K.Path.empty()) {
      Defined = Ctx.User.reportLocation(K.Path.front()->getLocation());
    }
    if (Defined.isValid())
      Ctx.Report.note(Defined,
                      std::string(isa_and_nonnull<VarDecl>(K.Root)
                                      ? "'" + Item + "' is defined here "
                                                     "without an initialiser"
                                      : "'" + Item + "' is declared here") +
                          "; nothing in this file initialises it");
    for (size_t I = 1; I < Uses.size() && I < 4; ++I)
      if (Uses[I].Loc.isValid())
        Ctx.Report.note(Uses[I].Loc, "'" + Item + "' is also used here by '" +
                                         Uses[I].Api + "'");
  }
}

namespace {
/// The stops (WQ_WORK_STOP) of K in a function, through none of its calls,
/// that no test of K's ->func guards (`if (w->func) cancel_work_sync(w)`,
/// `if (!w->func) return;`).
struct UnguardedStops : RecursiveASTVisitor<UnguardedStops> {
  const WorkKey &K;
  unsigned Guards = 0;
  std::vector<const CallExpr *> Found;
  explicit UnguardedStops(const WorkKey &K) : K(K) {}
  /// Whether Cond reads K's ->func.
  bool testsFunc(const Stmt *Cond) const {
    if (!Cond)
      return false;
    if (const auto *M = dyn_cast<MemberExpr>(Cond))
      if (M->getMemberDecl()->getIdentifier() &&
          M->getMemberDecl()->getName() == "func")
        if (auto B = workKeyOf(M->getBase()))
          for (const WorkKey &A : aliasesOf(*B))
            if (A == K)
              return true;
    for (const Stmt *C : Cond->children())
      if (testsFunc(C))
        return true;
    return false;
  }
  static bool exits(const Stmt *S) {
    if (!S)
      return false;
    if (isa<ReturnStmt>(S) || isa<GotoStmt>(S) || isa<ContinueStmt>(S) ||
        isa<BreakStmt>(S))
      return true;
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      return !CS->body_empty() && exits(CS->body_back());
    return false;
  }
  bool TraverseIfStmt(IfStmt *If) {
    bool G = testsFunc(If->getCond());
    Guards += G;
    TraverseStmt(If->getThen());
    TraverseStmt(If->getElse());
    Guards -= G;
    return true;
  }
  bool TraverseCompoundStmt(CompoundStmt *CS) {
    unsigned Pushed = 0;
    for (Stmt *C : CS->body()) {
      TraverseStmt(C);
      if (const auto *If = dyn_cast<IfStmt>(C);
          If && !If->getElse() && exits(If->getThen()) &&
          testsFunc(If->getCond())) {
        ++Guards;
        ++Pushed;
      }
    }
    Guards -= Pushed;
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (Guards || !F || !F->getIdentifier())
      return true;
    const api::WorkStop *W = api::findWorkStop(F->getName());
    if (!W || W->WorkArg >= Call->getNumArgs())
      return true;
    if (auto U = workKeyOf(Call->getArg(W->WorkArg)))
      for (const WorkKey &A : aliasesOf(*U))
        if (A == K) {
          Found.push_back(Call);
          break;
        }
    return true;
  }
};
} // namespace

void UninitCheck::checkInitOnlyInCallback() {
  // Callbacks of timers, tasklets and URBs: they run only once their
  // source was armed, never before the object is set up.
  std::set<const FunctionDecl *> Callbacks;
  for (const auto &[Source, Fn] : Facts->CallbackOf)
    Callbacks.insert(Fn);
  if (Callbacks.empty())
    return;
  // Work items handed to a function of another file outside those
  // callbacks, which may initialise them (INIT_WORK()'s own __init_work()
  // call is inside the callback).
  std::set<WorkKey> Elsewhere;
  for (const auto &[FD, Keys] : OpaqueWorkInitsIn)
    if (!Callbacks.count(FD))
      Elsewhere.insert(Keys.begin(), Keys.end());
  for (const auto &[K, Locs] : Facts->Inits) {
    if (ReportedKeys.count(K) || !definedInMainFile(K) ||
        initialisedIn(Elsewhere, K) || initialisedIn(StaticInits, K))
      continue;
    // Every function that initialises K (through its calls) is a callback.
    const FunctionDecl *InitIn = nullptr;
    bool OnlyCallbacks = true;
    for (const auto &[FD, Keys] : Facts->InitsBy)
      if (initialisedIn(Keys, K)) {
        if (!Callbacks.count(FD)) {
          OnlyCallbacks = false;
          break;
        }
        InitIn = FD;
      }
    if (!OnlyCallbacks || !InitIn)
      continue;
    auto Handlers = Facts->handlersOf(K);
    for (const FunctionDecl *FD : Facts->functions()) {
      if (Callbacks.count(FD) ||
          std::find(Handlers.begin(), Handlers.end(), FD) != Handlers.end())
        continue;
      UnguardedStops Finder(K);
      Finder.TraverseStmt(FD->getBody());
      if (Finder.Found.empty())
        continue;
      const CallExpr *Stop = Finder.Found.front();
      SourceLocation Loc = Ctx.User.reportLocation(Stop->getBeginLoc());
      if (Loc.isInvalid())
        continue;
      std::string Item = itemName(K);
      std::string Api = Stop->getDirectCallee()->getName().str();
      if (const api::WorkStop *W = api::findWorkStop(Api))
        if (auto Text = WorkFacts::writtenAs(Stop->getArg(W->WorkArg), *AST))
          Item = *Text;
      std::string Init = isDelayedItem(K) ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
      if (!Ctx.Report.warn(
              Id, Loc,
              "'" + Api + "' of work item '" + Item +
                  "', which is initialised only in the callback '" +
                  InitIn->getName().str() +
                  "': this can run before that callback ever ran, on a work "
                  "item no " + Init + " has set up (WARN_ON(!work->func) in "
                  "__flush_work(), ODEBUG); initialise it where the object "
                  "is set up, or test its ->func before stopping it"))
        break;
      ReportedKeys.insert(K);
      if (!Locs.empty() && Locs.front().isValid())
        Ctx.Report.note(Locs.front(), "'" + itemName(K) + "' is initialised "
                                      "only here, in '" +
                                      InitIn->getName().str() + "'");
      for (const auto &[Source, Fn] : Facts->CallbackOf)
        if (Fn == InitIn) {
          if (!Source.Path.empty())
            Ctx.Report.note(
                Ctx.User.reportLocation(InitIn->getLocation()),
                "'" + InitIn->getName().str() + "' is the callback of '" +
                    WorkFacts::spell(Source, nullptr) +
                    "': it runs only once that was armed");
          break;
        }
      break;
    }
  }
}

std::vector<const FunctionDecl *> UninitCheck::moduleInitFunctions() const {
  // module_init(fn) in a module: `int init_module(void)
  // __attribute__((alias("fn")))`; built in (without PREL32 relocations):
  // `static initcall_t __initcall_fn6 __section(".initcall6.init") = fn`.
  std::vector<const FunctionDecl *> Out;
  auto Add = [&](const FunctionDecl *FD) {
    if (const FunctionDecl *Def = Facts->userDefinition(FD))
      if (std::find(Out.begin(), Out.end(), Def) == Out.end())
        Out.push_back(Def);
  };
  for (const Decl *D : AST->getTranslationUnitDecl()->decls()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      const auto *Alias = FD->getAttr<AliasAttr>();
      if (!Alias || !FD->getIdentifier() || FD->getName() != "init_module")
        continue;
      for (const FunctionDecl *Cand : Facts->functions())
        if (Cand->getIdentifier() && Cand->getName() == Alias->getAliasee())
          Add(Cand);
      continue;
    }
    const auto *VD = dyn_cast<VarDecl>(D);
    const auto *Sec = VD ? VD->getAttr<SectionAttr>() : nullptr;
    if (Sec && Sec->getName().starts_with(".initcall") && VD->getInit())
      Add(functionNamedBy(VD->getInit()));
  }
  return Out;
}

void UninitCheck::transferGlobal(const Stmt *S, GlobalState &St, bool Report,
                                 const FunctionDecl *InitFn) {
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    // INIT_WORK()'s store to ->func (the one WorkFacts counted).
    const auto *M = B->getOpcode() == BO_Assign
                        ? dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts())
                        : nullptr;
    if (M && M->getMemberDecl()->getIdentifier() &&
        M->getMemberDecl()->getName() == "func")
      if (auto K = workKeyOf(M->getBase())) {
        auto It = Facts->Inits.find(*K);
        if (It != Facts->Inits.end())
          for (const SourceLocation &L : It->second)
            if (L == Ctx.User.reportLocation(B->getBeginLoc()))
              St.Initialised.insert(*K);
      }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return;
  StringRef Name = Callee->getName();
  for (const WorkKey &K : Facts->opaqueKeys(Call))
    St.Initialised.insert(K);
  for (const WorkKey &K : opaqueWorkArgs(Call))
    St.Initialised.insert(K);
  if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
    auto It = Facts->InitsBy.find(Def);
    if (It != Facts->InitsBy.end())
      St.Initialised.insert(It->second.begin(), It->second.end());
    auto P = Facts->InitsParam.find(Def);
    if (P != Facts->InitsParam.end())
      for (unsigned I : P->second)
        if (I < Call->getNumArgs())
          if (auto K = workKeyOf(Call->getArg(I)))
            St.Initialised.insert(*K);
    return;
  }
  int InitArg = api::workInitArg(Name);
  if (InitArg >= 0 && unsigned(InitArg) < Call->getNumArgs()) {
    if (auto K = workKeyOf(Call->getArg(InitArg)))
      St.Initialised.insert(*K);
    return;
  }
  int WorkArg = -1;
  if (const api::QueueWork *Q = api::findQueueWork(Name))
    WorkArg = Q->WorkArg;
  else if (const api::WorkStop *W = api::findWorkStop(Name))
    WorkArg = W->WorkArg;
  if (WorkArg < 0 || unsigned(WorkArg) >= Call->getNumArgs() || !Report)
    return;
  auto K = workKeyOf(Call->getArg(WorkArg));
  // Only the file's own globals: anything else may have been set up before
  // the module was loaded.
  const auto *Root = K ? dyn_cast_or_null<VarDecl>(K->Root) : nullptr;
  if (!Root || !definedInMainFile(*K) || ReportedKeys.count(*K) ||
      initialisedIn(StaticInits, *K) || initialisedIn(St.Initialised, *K))
    return;
  // Initialised nowhere: rule 2 says so, once.
  std::set<WorkKey> Anywhere;
  for (const auto &[I, Locs] : Facts->Inits)
    for (const WorkKey &A : aliasesOf(I))
      Anywhere.insert(A);
  if (!initialisedIn(Anywhere, *K) && !initialisedIn(OpaqueWorkInits, *K))
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Call->getBeginLoc());
  if (Loc.isInvalid())
    return;
  std::string Item = itemName(*K);
  bool Queues = api::findQueueWork(Name) != nullptr;
  bool Delayed = isDelayedItem(*K);
  std::string Init = Delayed ? "INIT_DELAYED_WORK()" : "INIT_WORK()";
  if (!Ctx.Report.warn(
          Id, Loc,
          "'" + Name + "' " + (Queues ? "queues" : "uses") + " work item '" +
              Item + "' before it is initialised: on this path from the "
              "start of module init '" + InitFn->getName() + "' no " + Init +
              " has run, and a global work item is all zeroes until then "
              "(ODEBUG reports 'activate not available', flush/cancel hit "
              "WARN_ON(!work->func)); call " + Init + " first, before "
              "anything can queue, flush or cancel it"))
    return;
  ReportedKeys.insert(*K);
  bool Noted = false;
  for (const auto &[I, Locs] : Facts->Inits) {
    std::vector<WorkKey> Names = aliasesOf(I);
    if (Noted || !initialisedIn(std::set<WorkKey>(Names.begin(), Names.end()),
                                *K))
      continue;
    for (const SourceLocation &L : Locs)
      if (L.isValid()) {
        Ctx.Report.note(L, "'" + Item + "' is initialised here");
        Noted = true;
        break;
      }
  }
}

void UninitCheck::checkModuleInit(const FunctionDecl *InitFn) {
  solveAndReport<GlobalState>(
      InitFn, *AST,
      [&](const CFGBlock &B, GlobalState &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) {
          transferGlobal(St, S, Report, InitFn);
        });
      },
      joinGlobal);
}

void UninitCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
  if (Ctx.Facts) // the cross-file summaries (--db)
    recordWorkOps(*Facts, Context.getSourceManager(), Ctx.User, *Ctx.Facts);
  gatherPossibleInits();
  for (const FunctionDecl *FD : Facts->functions())
    checkFunction(FD);
  if (!Facts->UnresolvedInit)
    for (const FunctionDecl *FD : moduleInitFunctions())
      checkModuleInit(FD);
  checkFileWide();
  checkInitOnlyInCallback();
}

} // namespace

std::unique_ptr<Check> createUninitCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<UninitCheck>(Id, Ctx);
}

} // namespace wqcheck
