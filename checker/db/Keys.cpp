//===- Keys.cpp -----------------------------------------------------------===//
#include "db/Keys.h"
#include "api/KernelAPI.h"
#include "core/UserCode.h"
#include "db/Facts.h"
#include "analysis/WorkFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <set>
#include <map>
#include <tuple>

using namespace clang;

namespace wqcheck {

std::string functionKey(const FunctionDecl *FD, const SourceManager &SM) {
  if (FD->hasExternalFormalLinkage())
    return FD->getName().str();
  return positionOf(SM, FD->getLocation()).File + "#" + FD->getName().str();
}

static bool isWorkRecord(const RecordDecl *RD) {
  if (!RD || !RD->getIdentifier())
    return false;
  StringRef N = RD->getName();
  return N == "work_struct" || N == "delayed_work" || N == "rcu_work";
}

std::optional<std::string> itemKey(const WorkKey &K) {
  // Named from the innermost struct that holds the work item, so that
  // `vif->p2p.w` (struct wil6210_vif) and `p2p->w` (struct wil_p2p_info,
  // the type of vif->p2p) in another file are one item.
  size_t First = K.Path.size();
  for (size_t I = 0; I < K.Path.size(); ++I)
    if (isWorkRecord(K.Path[I]->getType()->getAsRecordDecl())) {
      First = I;
      break;
    }
  if (First == K.Path.size())
    return std::nullopt;
  const RecordDecl *RD = K.Path[First]->getParent();
  if (!RD || !RD->getIdentifier() || !isa_and_nonnull<RecordDecl>(K.Root))
    return std::nullopt;
  std::string Key = RD->getName().str();
  for (size_t I = First; I < K.Path.size(); ++I) {
    if (!K.Path[I]->getIdentifier())
      return std::nullopt;
    Key += "." + K.Path[I]->getName().str();
  }
  return Key;
}

std::optional<std::string> rootStruct(const WorkKey &K) {
  const auto *RD = dyn_cast_or_null<RecordDecl>(K.Root);
  if (!RD || !RD->getIdentifier())
    return std::nullopt;
  return RD->getName().str();
}

namespace {

/// The structs a function's pointer parameters point to ("a,b").
std::string pointeeRecords(const FunctionDecl *F) {
  std::string Out;
  for (const ParmVarDecl *P : F->parameters()) {
    QualType T = P->getType();
    if (!T->isPointerType())
      continue;
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    if (RD && RD->getIdentifier())
      Out += (Out.empty() ? "" : ",") + RD->getName().str();
  }
  return Out;
}

struct Edges : RecursiveASTVisitor<Edges> {
  const SourceManager &SM;
  UserCode &User;
  UnitFacts &Facts;
  std::string Caller;
  std::set<std::pair<std::string, std::string>> Seen;
  Edges(const SourceManager &SM, UserCode &User, UnitFacts &Facts)
      : SM(SM), User(User), Facts(Facts) {}
  void indirect(const CallExpr *Call) {
    // Through an ops-table field: its fillers (SlotFact); through another
    // pointer: unknown, given what the arguments point to.
    std::string Callee = "?", Takes;
    if (const auto *M =
            dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParenImpCasts()))
      if (const auto *Field = dyn_cast<FieldDecl>(M->getMemberDecl()))
        if (Field->getIdentifier() && Field->getParent()->getIdentifier())
          Callee = ("slot:" + Field->getParent()->getName() + "." +
                    Field->getName())
                       .str();
    for (const Expr *A : Call->arguments()) {
      QualType T = A->IgnoreParenImpCasts()->getType();
      if (!T->isPointerType())
        continue;
      if (const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl())
        if (RD->getIdentifier())
          Takes += (Takes.empty() ? "" : ",") + RD->getName().str();
    }
    if (Seen.insert({Caller, Callee + "|" + Takes}).second)
      Facts.Edges.push_back({Caller, Callee, Takes});
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F) {
      indirect(Call);
      return true;
    }
    if (!F->getIdentifier() || F->getBuiltinID())
      return true;
    llvm::StringRef Name = F->getName();
    std::string Takes = pointeeRecords(F);
    if (const api::WorkStop *Stop = api::findWorkStop(Name)) {
      // Recorded as a work-item op when it names one (WorkOpFact); a stop
      // of a work item wqcheck cannot name may stop anything.
      std::optional<WorkKey> K;
      if (Stop->WorkArg < Call->getNumArgs())
        K = workKeyOf(Call->getArg(Stop->WorkArg));
      if (K && itemKey(*K))
        return true;
      Takes = "work_struct";
    } else if (api::isKnownCall(Name)) {
      return true; // its effect on work items is a WorkOpFact, if any
    } else if (F->getStorageClass() == SC_Static &&
               User.reportLocation(F->getLocation()).isInvalid()) {
      return true; // a kernel header's inline helper (INIT_WORK's
                   // __init_work()): what matters of it is in the table
    }
    std::string Callee = functionKey(F, SM);
    if (Seen.insert({Caller, Callee}).second)
      Facts.Edges.push_back({Caller, Callee, Takes});
    return true;
  }
};

} // namespace

std::set<const FunctionDecl *> recordedFunctions(ASTContext &AST,
                                                UserCode &User) {
  const SourceManager &SM = AST.getSourceManager();
  std::set<const FunctionDecl *> Out;
  std::vector<const FunctionDecl *> Work;
  std::map<const FunctionDecl *, const FunctionDecl *> Defs;
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() ||
        User.reportLocation(FD->getLocation()).isInvalid())
      continue;
    Defs[FD->getCanonicalDecl()] = FD;
    if (SM.isInMainFile(SM.getExpansionLoc(FD->getLocation())) &&
        Out.insert(FD).second)
      Work.push_back(FD);
  }
  struct Callees : RecursiveASTVisitor<Callees> {
    std::vector<const FunctionDecl *> Found;
    bool VisitCallExpr(CallExpr *C) {
      if (const FunctionDecl *F = C->getDirectCallee())
        Found.push_back(F->getCanonicalDecl());
      return true;
    }
    // Functions named as values (callbacks, ops tables) are called too.
    bool VisitDeclRefExpr(DeclRefExpr *R) {
      if (const auto *F = dyn_cast<FunctionDecl>(R->getDecl()))
        Found.push_back(F->getCanonicalDecl());
      return true;
    }
  };
  // Ops tables and callbacks of the main file's globals.
  for (const Decl *D : AST.getTranslationUnitDecl()->decls())
    if (const auto *VD = dyn_cast<VarDecl>(D))
      if (VD->getInit() &&
          SM.isInMainFile(SM.getExpansionLoc(VD->getLocation()))) {
        Callees C;
        C.TraverseStmt(const_cast<Expr *>(VD->getInit()));
        for (const FunctionDecl *F : C.Found)
          if (auto It = Defs.find(F); It != Defs.end() &&
                                      Out.insert(It->second).second)
            Work.push_back(It->second);
      }
  while (!Work.empty()) {
    const FunctionDecl *FD = Work.back();
    Work.pop_back();
    Callees C;
    C.TraverseStmt(FD->getBody());
    for (const FunctionDecl *F : C.Found)
      if (auto It = Defs.find(F); It != Defs.end() &&
                                  Out.insert(It->second).second)
        Work.push_back(It->second);
  }
  return Out;
}

void recordSlots(ASTContext &AST, UserCode &User, UnitFacts &Facts) {
  const SourceManager &SM = AST.getSourceManager();
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->hasGlobalStorage() || !VD->getInit() ||
        User.reportLocation(VD->getLocation()).isInvalid())
      continue;
    const auto *IL =
        dyn_cast<InitListExpr>(VD->getInit()->IgnoreParenImpCasts());
    if (!IL)
      continue;
    forEachFieldInit(IL, [&](const FieldDecl *Field, const Expr *Init,
                             const std::vector<const FieldDecl *> &) {
      const FunctionDecl *Fn = functionNamedBy(Init);
      const RecordDecl *RD = Field->getParent();
      if (!Fn || !Fn->getIdentifier() || !Field->getIdentifier() ||
          !RD->getIdentifier())
        return;
      Facts.Slots.push_back(
          {(RD->getName() + "." + Field->getName()).str(),
           functionKey(Fn, SM), positionOf(SM, VD->getLocation())});
    });
  }
}

void recordWorkOps(const WorkFacts &W, const SourceManager &SM,
                   UserCode &User, UnitFacts &Facts) {
  if (Facts.WorkOpsRecorded)
    return;
  Facts.WorkOpsRecorded = true;
  auto In = [&](const FunctionDecl *FD, SourceLocation L) {
    SourceLocation B = SM.getExpansionLoc(FD->getBeginLoc());
    SourceLocation E = SM.getExpansionRange(FD->getEndLoc()).getEnd();
    return L.isValid() && SM.isPointWithin(SM.getExpansionLoc(L), B, E);
  };
  std::set<std::tuple<std::string, std::string, std::string>> Seen;
  for (const FunctionDecl *FD : W.functions()) {
    std::string Fn = functionKey(FD, SM);
    auto Add = [&](const WorkKey &K, const char *Op, SourceLocation L) {
      auto Item = itemKey(K);
      if (Item && In(FD, L) && Seen.insert({Fn, *Item, Op}).second)
        Facts.WorkOps.push_back({Fn, *Item, Op,
                                 positionOf(SM, User.reportLocation(L)),
                                 rootStruct(K).value_or("")});
    };
    for (const auto &[K, Locs] : W.Inits)
      for (SourceLocation L : Locs)
        if (!W.OpaqueInits.count(L))
          Add(K, W.ConstructorInits.count(L) ? "construct" : "init", L);
    for (const auto &[K, Uses] : W.Uses)
      for (const WorkUse &U : Uses)
        Add(K, U.Queues ? "queue" : "stop", U.Loc);
  }
}

void recordCallGraph(ASTContext &AST, UserCode &User, UnitFacts &Facts) {
  recordSlots(AST, User, Facts);
  if (!Facts.WorkOpsRecorded) {
    // No check built the unit's work facts: build them (without guesses
    // about other files' functions).
    WorkFacts W(AST, User, /*OpaqueStops=*/false);
    recordWorkOps(W, AST.getSourceManager(), User, Facts);
  }
  const SourceManager &SM = AST.getSourceManager();
  Edges E(SM, User, Facts);
  std::set<const FunctionDecl *> Recorded = recordedFunctions(AST, User);
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || !FD->getIdentifier() ||
        !Recorded.count(FD))
      continue;
    E.Caller = functionKey(FD, SM);
    E.TraverseStmt(FD->getBody());
    Facts.Functions.push_back({E.Caller, FD->getName().str(),
                               FD->hasExternalFormalLinkage(),
                               positionOf(SM, FD->getLocation())});
  }
}

} // namespace wqcheck
