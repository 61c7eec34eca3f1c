//===- Keys.cpp -----------------------------------------------------------===//
#include "db/Keys.h"
#include "api/KernelAPI.h"
#include "core/UserCode.h"
#include "db/Facts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <set>

using namespace clang;

namespace wqcheck {

std::string functionKey(const FunctionDecl *FD, const SourceManager &SM) {
  if (FD->hasExternalFormalLinkage())
    return FD->getName().str();
  return positionOf(SM, FD->getLocation()).File + "#" + FD->getName().str();
}

std::optional<std::string> itemKey(const WorkKey &K) {
  const auto *RD = dyn_cast_or_null<RecordDecl>(K.Root);
  if (!RD || !RD->getIdentifier())
    return std::nullopt;
  std::string Key = RD->getName().str();
  for (const FieldDecl *F : K.Path) {
    if (!F->getIdentifier())
      return std::nullopt;
    Key += "." + F->getName().str();
  }
  return Key;
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
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F || !F->getIdentifier() || F->getBuiltinID())
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

void recordCallGraph(ASTContext &AST, UserCode &User, UnitFacts &Facts) {
  const SourceManager &SM = AST.getSourceManager();
  Edges E(SM, User, Facts);
  // Functions a check recorded already (with more to say about them).
  std::set<std::string> Known;
  for (const FunctionFact &F : Facts.Functions)
    Known.insert(F.Key);
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody() || !FD->getIdentifier() ||
        User.reportLocation(FD->getLocation()).isInvalid())
      continue;
    E.Caller = functionKey(FD, SM);
    E.TraverseStmt(FD->getBody());
    if (!Known.count(E.Caller))
      Facts.Functions.push_back({E.Caller, FD->getName().str(),
                                 FD->hasExternalFormalLinkage(),
                                 positionOf(SM, FD->getLocation()), ""});
  }
}

} // namespace wqcheck
