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
//     initialised in other files: not guessed.
//
// kzalloc() does not initialise a work item; an assignment to ->func in the
// user's code does not either (INIT_WORK() also sets ->data and ->entry).
// Runtime symptoms: "ODEBUG: activate not available" with
// CONFIG_DEBUG_OBJECTS_WORK, WARN_ON(!work->func) in __flush_work().
//
// Docs: docs/checks/wq-uninit.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/Dataflow.h"
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include <map>
#include <set>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// An object allocated in the function, and what of it is initialised on
/// every path since.
struct Fresh {
  SourceLocation Allocated;
  std::set<WorkKey> Initialised;
  bool operator==(const Fresh &O) const {
    return Allocated == O.Allocated && Initialised == O.Initialised;
  }
};

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
  }
  return R;
}

class UninitCheck : public Check {
public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;

private:
  void checkFunction(const FunctionDecl *FD);
  void transfer(const Stmt *S, State &St, bool Report);
  void assign(const VarDecl *V, const Expr *Value, State &St);
  void checkFileWide();
  bool definedInMainFile(const WorkKey &K) const;

  ASTContext *AST = nullptr;
  std::unique_ptr<WorkFacts> Facts;
  std::set<WorkKey> ReportedKeys;
};

void UninitCheck::assign(const VarDecl *V, const Expr *Value, State &St) {
  if (const CallExpr *Alloc = WorkFacts::allocationIn(Value))
    St.Objects[V] = Fresh{Ctx.User.reportLocation(Alloc->getBeginLoc()), {}};
  else
    St.Objects.erase(V);
}

void UninitCheck::transfer(const Stmt *S, State &St, bool Report) {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D)) {
        if (V->getInit())
          assign(V, V->getInit(), St);
        else if (V->getType()->isRecordType() && !V->hasGlobalStorage() &&
                 !WorkFacts::workItemsIn(V->getType()->getAsRecordDecl())
                      .empty())
          St.Objects[V] = Fresh{Ctx.User.reportLocation(V->getLocation()), {}};
      }
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->getOpcode() != BO_Assign)
      return;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts()))
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        assign(V, B->getRHS(), St);
    // INIT_WORK()'s store to ->func.
    const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
    if (M && M->getMemberDecl()->getIdentifier() &&
        M->getMemberDecl()->getName() == "func")
      if (auto K = workKeyOf(M->getBase()))
        if (Facts->Inits.count(*K))
          if (const VarDecl *V = WorkFacts::baseVar(M->getBase())) {
            auto It = St.Objects.find(V);
            if (It != St.Objects.end())
              for (const SourceLocation &L : Facts->Inits[*K])
                if (L == Ctx.User.reportLocation(B->getBeginLoc()))
                  It->second.Initialised.insert(*K);
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
  // A file function called with the object initialises what it initialises.
  if (const FunctionDecl *Def = Facts->userDefinition(Callee)) {
    for (const Expr *Arg : Call->arguments())
      if (const VarDecl *V = WorkFacts::baseVar(Arg)) {
        auto It = St.Objects.find(V);
        if (It == St.Objects.end())
          continue;
        for (const WorkKey &K : Facts->InitsBy[Def])
          It->second.Initialised.insert(K);
        if (auto K = workKeyOf(Arg))
          if (Facts->InitsParam[Def].size())
            It->second.Initialised.insert(*K);
      }
    return;
  }
  int InitArg = api::workInitArg(Name);
  if (InitArg >= 0 && unsigned(InitArg) < Call->getNumArgs()) {
    if (auto K = workKeyOf(Call->getArg(InitArg)))
      if (const VarDecl *V = WorkFacts::baseVar(Call->getArg(InitArg)))
        if (St.Objects.count(V))
          St.Objects[V].Initialised.insert(*K);
    return;
  }

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
  for (const SourceLocation &L : Facts->Inits[*K])
    if (L.isValid() && AST->getSourceManager().isBeforeInTranslationUnit(
                           Loc, L)) {
      Ctx.Report.note(L, "'" + Item + "' is initialised only here");
      break;
    }
}

void UninitCheck::checkFunction(const FunctionDecl *FD) {
  solveAndReport<State>(
      FD, *AST,
      [&](const CFGBlock &B, State &S, bool Report) {
        forEachStmt(B, [&](const Stmt *St) { transfer(St, S, Report); });
      },
      join, State(),
      [&](const CFGBlock &From, const CFGBlock &To, State &S) {
        // Where the allocation failed there is no object to use:
        // `if (!p) goto err; ... err: if (p) cancel_work_sync(&p->w);`
        const Expr *Tested = nullptr;
        std::optional<bool> Null = pointerNullOnEdge(From, To, Tested, *AST);
        if (!Null || !*Null)
          return;
        if (const auto *Ref = dyn_cast<DeclRefExpr>(Tested->IgnoreParenCasts()))
          if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
            S.Objects.erase(V);
      });
}

bool UninitCheck::definedInMainFile(const WorkKey &K) const {
  const SourceManager &SM = AST->getSourceManager();
  const Decl *Root = K.Root;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(Root)) {
    const VarDecl *Def = VD->getDefinition();
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
    if (holdsAlias(Initialised, K) || ReportedKeys.count(K) ||
        !definedInMainFile(K) || Uses.empty())
      continue;
    const WorkUse &First = Uses.front();
    if (First.Loc.isInvalid())
      continue;
    std::string Item = WorkFacts::spell(K, nullptr);
    bool Delayed = WorkFacts::syncCancelFor(K) == "cancel_delayed_work_sync";
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
    for (size_t I = 1; I < Uses.size() && I < 4; ++I)
      if (Uses[I].Loc.isValid())
        Ctx.Report.note(Uses[I].Loc, "'" + Item + "' is also used here by '" +
                                         Uses[I].Api + "'");
  }
}

void UninitCheck::checkTranslationUnit(ASTContext &Context) {
  AST = &Context;
  Facts = std::make_unique<WorkFacts>(Context, Ctx.User);
  for (const FunctionDecl *FD : Facts->functions())
    checkFunction(FD);
  checkFileWide();
}

} // namespace

std::unique_ptr<Check> createUninitCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<UninitCheck>(Id, Ctx);
}

} // namespace wqcheck
