//===- WorkFacts.cpp ------------------------------------------------------===//
#include "analysis/WorkFacts.h"
#include "api/KernelAPI.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <functional>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {

static bool isNamed(const RecordDecl *RD, StringRef Name) {
  return RD && RD->getIdentifier() && RD->getName() == Name;
}

const VarDecl *WorkFacts::baseVar(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      E = M->getBase();
      continue;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
      return VD && !VD->hasGlobalStorage() ? VD : nullptr;
    }
    return nullptr;
  }
  return nullptr;
}

const CallExpr *WorkFacts::allocationIn(const Expr *E, bool *Managed) {
  const auto *Call = E ? dyn_cast<CallExpr>(E->IgnoreParenCasts()) : nullptr;
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  std::optional<bool> M = api::allocatorManaged(Callee->getName());
  if (!M)
    return nullptr;
  if (Managed)
    *Managed = *M;
  return Call;
}

std::vector<WorkKey> WorkFacts::workItemsIn(const RecordDecl *RD) {
  std::vector<WorkKey> Keys;
  if (!RD || !(RD = RD->getDefinition()))
    return Keys;
  std::function<void(const RecordDecl *, std::vector<const FieldDecl *>)>
      Walk = [&](const RecordDecl *R, std::vector<const FieldDecl *> Path) {
        for (const FieldDecl *F : R->fields()) {
          const RecordDecl *FR = F->getType()->getAsRecordDecl();
          if (!FR || F->getType()->isPointerType())
            continue;
          auto P = Path;
          P.push_back(F);
          if (isNamed(FR, "work_struct")) {
            Keys.push_back({RD->getCanonicalDecl(), P});
          } else if (isNamed(FR, "delayed_work") || isNamed(FR, "rcu_work")) {
            for (const FieldDecl *W : FR->getDefinition()->fields())
              if (W->getIdentifier() && W->getName() == "work") {
                auto Q = P;
                Q.push_back(W);
                Keys.push_back({RD->getCanonicalDecl(), Q});
              }
          } else if (FR->getDefinition() && P.size() < 4) {
            Walk(FR->getDefinition(), P);
          }
        }
      };
  Walk(RD, {});
  return Keys;
}

StringRef WorkFacts::syncCancelFor(const WorkKey &K) {
  if (K.Path.size() >= 2 && isNamed(K.Path.back()->getParent(), "delayed_work"))
    return "cancel_delayed_work_sync";
  return "cancel_work_sync";
}

std::string WorkFacts::spell(const WorkKey &K, const VarDecl *Base) {
  std::string S;
  size_t N = K.Path.size();
  // Name the delayed_work, not its inner .work.
  if (N >= 2 && isNamed(K.Path.back()->getParent(), "delayed_work"))
    --N;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(K.Root))
    S = VD->getName().str();
  else if (Base)
    S = Base->getName().str() + "->";
  for (size_t I = 0; I < N; ++I) {
    if (I > 0 || isa_and_nonnull<VarDecl>(K.Root))
      S += ".";
    S += K.Path[I]->getName().str();
  }
  if (!Base && !isa_and_nonnull<VarDecl>(K.Root))
    if (const auto *RD = dyn_cast_or_null<RecordDecl>(K.Root))
      S = "struct " + RD->getName().str() + "." + S;
  return S;
}

WorkFacts::WorkFacts(ASTContext &AST, UserCode &User) : AST(AST), User(User) {
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        User.reportLocation(FD->getLocation()).isInvalid())
      continue;
    Functions.push_back(FD);
    FunctionSet.insert(FD);
  }
  // Static initialisers: DECLARE_WORK, DECLARE_DELAYED_WORK.
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->getInit() ||
        User.reportLocation(VD->getLocation()).isInvalid())
      continue;
    const auto *IL = dyn_cast<InitListExpr>(VD->getInit()->IgnoreParenImpCasts());
    if (!IL)
      continue;
    forEachFieldInit(IL, [&](const FieldDecl *F, const Expr *Init,
                             const std::vector<const FieldDecl *> &P) {
      const RecordDecl *RD = F->getParent();
      const FunctionDecl *Fn = functionNamedBy(Init);
      const FunctionDecl *Def = Fn ? userDefinition(Fn) : nullptr;
      if (Def && RD->getIdentifier())
        OpsFunctions[{RD->getName().str(), F->getName().str()}].insert(Def);
      if (isNamed(RD, "work_struct") && F->getName() == "func" &&
          !Init->isNullPointerConstant(AST,
                                       Expr::NPC_ValueDependentIsNotNull)) {
        WorkKey K{VD->getCanonicalDecl(), P};
        if (Def)
          Handlers.emplace(K, Def);
        Inits[K].push_back(VD->getLocation());
      }
    });
  }
  for (const FunctionDecl *FD : Functions)
    gather(FD);
  close();
}

const FunctionDecl *WorkFacts::userDefinition(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  return Def && FunctionSet.count(Def) ? Def : nullptr;
}


void WorkFacts::gather(const FunctionDecl *FD) {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    WorkFacts &F;
    const FunctionDecl *FD;
    Visitor(WorkFacts &F, const FunctionDecl *FD) : F(F), FD(FD) {}

    SourceLocation loc(SourceLocation L) { return F.User.reportLocation(L); }

    bool isInitMacroStore(const BinaryOperator *B) {
      SourceLocation L = B->getOperatorLoc();
      if (!L.isMacroID())
        return false;
      const SourceManager &SM = F.AST.getSourceManager();
      SourceLocation Spelling = SM.getSpellingLoc(L);
      return !F.User.isUserFile(SM.getFileID(Spelling));
    }

    bool VisitBinaryOperator(BinaryOperator *B) {
      if (B->getOpcode() != BO_Assign)
        return true;
      const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
      const auto *Field = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
      // hrtimer.function = fn, timer_list.function = fn
      if (Field && Field->getIdentifier() && Field->getName() == "function")
        if (auto K = workKeyOf(M->getBase()))
          if (const FunctionDecl *Cb = functionNamedBy(B->getRHS()))
            if (const FunctionDecl *Def = F.userDefinition(Cb))
              F.CallbackOf.emplace(*K, Def);
      if (!Field || !Field->getIdentifier() || Field->getName() != "func" ||
          !isNamed(Field->getParent(), "work_struct"))
        return true;
      // Only INIT_WORK() and friends initialise: they also set ->data and
      // the ->entry list.  A store to ->func spelled in the user's code is
      // not an initialisation (the item's list head stays zeroed).
      if (!isInitMacroStore(B))
        return true;
      if (auto K = workKeyOf(M->getBase())) {
        F.Inits[*K].push_back(loc(B->getBeginLoc()));
        F.InitsBy[FD].insert(*K);
        if (const FunctionDecl *H = functionNamedBy(B->getRHS()))
          if (const FunctionDecl *Def = F.userDefinition(H))
            F.Handlers.emplace(*K, Def);
        return true;
      }
      // INIT_WORK(w, fn) on a parameter: the caller's argument is the item.
      if (const VarDecl *V = baseVar(M->getBase()))
        if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
          F.InitsParam[FD].insert(P->getFunctionScopeIndex());
          return true;
        }
      F.UnresolvedInit = true;
      return true;
    }

    bool VisitCallExpr(CallExpr *Call) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee || !Callee->getIdentifier())
        return true;
      StringRef Name = Callee->getName();
      if (const FunctionDecl *Def = F.userDefinition(Callee)) {
        F.Calls[FD].insert(Def);
        return true;
      }
      // timer_setup() -> init_timer_key(timer, fn, ...), tasklet_setup(t, fn)
      if ((Name == "init_timer_key" || Name == "tasklet_setup" ||
           Name == "tasklet_init") &&
          Call->getNumArgs() >= 2)
        if (auto K = workKeyOf(Call->getArg(0)))
          if (const FunctionDecl *Cb = functionNamedBy(Call->getArg(1)))
            if (const FunctionDecl *Def = F.userDefinition(Cb))
              F.CallbackOf.emplace(*K, Def);
      int ActionArg = api::devmActionArg(Name);
      if (ActionArg >= 0 && unsigned(ActionArg) < Call->getNumArgs())
        if (const FunctionDecl *Act = functionNamedBy(Call->getArg(ActionArg)))
          if (const FunctionDecl *Def = F.userDefinition(Act))
            F.DevmActions.insert(Def);
      int InitArg = api::workInitArg(Name);
      if (InitArg >= 0 && unsigned(InitArg) < Call->getNumArgs()) {
        if (auto K = workKeyOf(Call->getArg(InitArg))) {
          F.Inits[*K].push_back(loc(Call->getBeginLoc()));
          F.InitsBy[FD].insert(*K);
          if (unsigned(InitArg + 1) < Call->getNumArgs())
            if (const FunctionDecl *H = functionNamedBy(Call->getArg(InitArg + 1)))
              if (const FunctionDecl *Def = F.userDefinition(H))
                F.Handlers.emplace(*K, Def);
          // devm_*_autocancel also stops it when the device goes away.
          F.DevmStopped.insert(*K);
        } else {
          F.UnresolvedInit = true;
        }
        return true;
      }
      if (const api::QueueWork *Q = api::findQueueWork(Name)) {
        if (Q->WorkArg >= Call->getNumArgs())
          return true;
        auto K = workKeyOf(Call->getArg(Q->WorkArg));
        if (!K)
          return true;
        F.Uses[*K].push_back({loc(Call->getBeginLoc()), Name.str(), true});
        F.QueuesBy[FD].insert(*K);
        std::optional<WorkKey> On;
        if (Q->QueueArg >= 0 && unsigned(Q->QueueArg) < Call->getNumArgs())
          On = workKeyOf(Call->getArg(Q->QueueArg));
        F.QueuedOn[*K].insert(On);
        return true;
      }
      if (const api::WorkStop *S = api::findWorkStop(Name)) {
        if (S->WorkArg >= Call->getNumArgs())
          return true;
        if (auto K = workKeyOf(Call->getArg(S->WorkArg))) {
          F.Uses[*K].push_back({loc(Call->getBeginLoc()), Name.str(), false});
          if (S->Waits)
            F.StopsBy[FD].insert(*K);
        }
      }
      return true;
    }
  } V(*this, FD);
  V.TraverseStmt(FD->getBody());
}

void WorkFacts::close() {
  // Calls to functions that initialise their parameter's work item.
  for (const FunctionDecl *FD : Functions) {
    struct Visitor : RecursiveASTVisitor<Visitor> {
      WorkFacts &F;
      const FunctionDecl *FD;
      Visitor(WorkFacts &F, const FunctionDecl *FD) : F(F), FD(FD) {}
      bool VisitCallExpr(CallExpr *Call) {
        const FunctionDecl *Def = F.userDefinition(Call->getDirectCallee());
        auto It = Def ? F.InitsParam.find(Def) : F.InitsParam.end();
        if (It == F.InitsParam.end())
          return true;
        for (unsigned I : It->second) {
          if (I >= Call->getNumArgs())
            continue;
          if (auto K = workKeyOf(Call->getArg(I))) {
            F.Inits[*K].push_back(F.User.reportLocation(Call->getBeginLoc()));
            F.InitsBy[FD].insert(*K);
          } else if (!isa<ParmVarDecl>(
                         baseVar(Call->getArg(I)) ? baseVar(Call->getArg(I))
                                                  : nullptr)) {
            F.UnresolvedInit = true;
          }
        }
        return true;
      }
    } V(*this, FD);
    V.TraverseStmt(FD->getBody());
  }
  // Devres actions that cancel work items (computed after the closure).
  // Transitive effects over the file's call graph.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *FD : Functions)
      for (const FunctionDecl *G : Calls[FD])
        for (auto *M : {&InitsBy, &QueuesBy, &StopsBy}) {
          auto &Into = (*M)[FD];
          size_t Before = Into.size();
          const auto &From = (*M)[G];
          Into.insert(From.begin(), From.end());
          Changed |= Into.size() != Before;
        }
  }
  for (const FunctionDecl *Act : DevmActions)
    DevmStopped.insert(StopsBy[Act].begin(), StopsBy[Act].end());
}

} // namespace wqcheck
