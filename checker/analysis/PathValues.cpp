//===- PathValues.cpp - constant values of status locals along paths ------===//
#include "analysis/PathValues.h"
#include "analysis/Dataflow.h"
#include "analysis/StmtWalk.h"
#include "api/KernelAPI.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/Builtins.h"
#include <algorithm>
#include <tuple>

using namespace clang;

namespace wqcheck {

std::optional<int64_t> LocalValues::get(const void *V) const {
  auto It = std::lower_bound(
      Known.begin(), Known.end(), V,
      [](const auto &P, const void *X) { return P.first < X; });
  if (It != Known.end() && It->first == V)
    return It->second;
  return std::nullopt;
}

void LocalValues::set(const void *V, std::optional<int64_t> Value) {
  auto It = std::lower_bound(
      Known.begin(), Known.end(), V,
      [](const auto &P, const void *X) { return P.first < X; });
  bool Present = It != Known.end() && It->first == V;
  if (!Value) {
    if (Present)
      Known.erase(It);
  } else if (Present) {
    It->second = *Value;
  } else {
    Known.insert(It, {V, *Value});
  }
}

LocalValues LocalValues::common(const LocalValues &O) const {
  LocalValues R;
  for (const auto &P : Known)
    if (O.get(P.first) == P.second)
      R.Known.push_back(P);
  return R;
}

namespace {

const VarDecl *refVar(const Expr *E) {
  if (!E)
    return nullptr;
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    return dyn_cast<VarDecl>(Ref->getDecl());
  return nullptr;
}

/// Every variable referenced under S.
void collectRefs(const Stmt *S, std::set<const VarDecl *> &Out) {
  forEachSubStmt(S, [&](const Stmt *X) {
    if (const auto *Ref = dyn_cast<DeclRefExpr>(X))
      if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
        Out.insert(V);
    return true;
  });
}

/// The base variable and the field path of `v->a.b` / `v.a.b`.
std::pair<const VarDecl *, std::string> fieldPath(const Expr *E) {
  std::string Path;
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  while (const auto *M = dyn_cast_or_null<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
    if (!F || !F->getIdentifier())
      return {nullptr, ""};
    Path = Path.empty() ? F->getName().str() : F->getName().str() + "." + Path;
    E = M->getBase()->IgnoreParenImpCasts();
  }
  const VarDecl *V = refVar(E);
  if (!V || Path.empty() || !V->isLocalVarDeclOrParm() || V->isStaticLocal())
    return {nullptr, ""};
  return {V, Path};
}

/// Strips `!` (counting them) off a condition.
const Expr *stripNot(const Expr *E, bool &Positive) {
  Positive = true;
  E = E->IgnoreParenImpCasts();
  while (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() != UO_LNot)
      break;
    Positive = !Positive;
    E = U->getSubExpr()->IgnoreParenImpCasts();
  }
  return E;
}

std::string lastField(const std::string &Path) {
  return Path.substr(Path.rfind('.') + 1);
}

bool trackableType(const VarDecl *V) {
  QualType T = V->getType();
  return V->isLocalVarDeclOrParm() && !V->isStaticLocal() &&
         !T.isVolatileQualified() && T->isIntegralOrEnumerationType();
}

} // namespace

PathValues::PathValues(const FunctionDecl *FD, const CFG &G, ASTContext &AST,
                       bool SplitFields)
    : AST(AST) {
  if (SplitFields) {
    std::map<std::string, unsigned> Tests;
    std::map<std::string, FieldPath> Parts;
    for (const CFGBlock *B : G) {
      const auto *Cond =
          B ? dyn_cast_or_null<Expr>(B->getTerminatorCondition()) : nullptr;
      if (!Cond || B->succ_size() != 2)
        continue;
      bool Positive;
      auto [V, Path] = fieldPath(stripNot(Cond, Positive));
      if (!V)
        continue;
      std::string Key = std::to_string(reinterpret_cast<uintptr_t>(V)) + ":" +
                        Path;
      ++Tests[Key];
      Parts[Key] = {V, Path, lastField(Path)};
    }
    for (const auto &[Key, N] : Tests)
      if (N >= 2) {
        const std::string *K = &*FieldKeys.insert(Key).first;
        FieldOf[K] = Parts[Key];
      }
  }
  std::set<const VarDecl *> ConstAssigned, Escaped, InConditions;
  // One walk of the body: constant assignments, and what escapes.
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S);
        B && B->getOpcode() == BO_Assign)
      if (const VarDecl *V = refVar(B->getLHS());
          V && trackableType(V) && !B->getRHS()->isValueDependent() &&
          B->getRHS()->getIntegerConstantExpr(AST))
        ConstAssigned.insert(V);
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->getOpcode() == UO_AddrOf)
      if (const VarDecl *V = refVar(U->getSubExpr()))
        Escaped.insert(V);
    // Counters (`i++`, `n += k`) are not decisions: following them only
    // multiplies the paths.
    if (const auto *U = dyn_cast<UnaryOperator>(S);
        U && U->isIncrementDecrementOp())
      if (const VarDecl *V = refVar(U->getSubExpr()))
        Escaped.insert(V);
    if (const auto *B = dyn_cast<CompoundAssignOperator>(S))
      if (const VarDecl *V = refVar(B->getLHS()))
        Escaped.insert(V);
    if (const auto *For = dyn_cast<ForStmt>(S))
      collectRefs(For->getInit(), Escaped);
    if (isa<AsmStmt>(S))
      collectRefs(S, Escaped);
    return true;
  });
  if (ConstAssigned.empty())
    return; // (field paths, if any, are tracked already)
  for (const CFGBlock *B : G)
    if (B)
      collectRefs(B->getTerminatorCondition(), InConditions);
  for (const VarDecl *V : ConstAssigned)
    if (!Escaped.count(V) && InConditions.count(V))
      Tracked.insert(V);
}

const VarDecl *PathValues::trackedRef(const Expr *E) const {
  const VarDecl *V = refVar(E);
  return V && Tracked.count(V) ? V : nullptr;
}

void PathValues::transfer(const CFGBlock &B, LocalValues &V) const {
  forEachStmt(B, [&](const Stmt *S) {
    if (!FieldKeys.empty())
      forgetFields(S, V);
    if (const auto *D = dyn_cast<DeclStmt>(S)) {
      for (const Decl *X : D->decls())
        if (const auto *Var = dyn_cast<VarDecl>(X); Var && Tracked.count(Var))
          V.set(Var, Var->getInit() ? eval(Var->getInit(), V) : std::nullopt);
      return;
    }
    // Tracked locals are never compound-assigned, incremented or taken
    // the address of (the constructor leaves those out): a plain
    // assignment is their only write.
    if (const auto *Bin = dyn_cast<BinaryOperator>(S);
        Bin && Bin->getOpcode() == BO_Assign)
      if (const VarDecl *Var = trackedRef(Bin->getLHS()))
        V.set(Var, eval(Bin->getRHS(), V));
  });
}

bool PathValues::feasible(const CFGBlock &From, const CFGBlock &To,
                          const LocalValues &V) const {
  if (V.Known.empty())
    return true;
  const Stmt *Term = From.getTerminatorStmt();
  // A switch: its successors are its cases (and the default, or the
  // block after it when there is none).
  if (const auto *Sw = dyn_cast_or_null<SwitchStmt>(Term)) {
    std::optional<int64_t> Value = eval(Sw->getCond(), V);
    if (!Value)
      return true;
    auto Matches = [&](const CaseStmt *C) {
      std::optional<llvm::APSInt> Lo =
          C->getLHS() ? C->getLHS()->getIntegerConstantExpr(AST) : std::nullopt;
      if (!Lo || Lo->getBitWidth() > 64)
        return true; // unknown: keep the edge
      std::optional<llvm::APSInt> Hi =
          C->getRHS() ? C->getRHS()->getIntegerConstantExpr(AST) : Lo;
      if (!Hi || Hi->getBitWidth() > 64)
        return true;
      return Lo->getExtValue() <= *Value && *Value <= Hi->getExtValue();
    };
    if (const auto *C = dyn_cast_or_null<CaseStmt>(To.getLabel()))
      return Matches(C);
    bool AnyCase = false;
    for (const SwitchCase *C = Sw->getSwitchCaseList(); C;
         C = C->getNextSwitchCase())
      if (const auto *Case = dyn_cast<CaseStmt>(C))
        AnyCase |= Matches(Case);
    return !AnyCase; // the default, or past the switch
  }
  // Otherwise only two-way branches.
  if (!Term || !(isa<IfStmt>(Term) || isa<WhileStmt>(Term) ||
                 isa<DoStmt>(Term) || isa<ForStmt>(Term) ||
                 isa<AbstractConditionalOperator>(Term) ||
                 isa<BinaryOperator>(Term)))
    return true;
  std::optional<bool> Taken = branchTaken(From, To);
  const auto *Cond = dyn_cast_or_null<Expr>(From.getTerminatorCondition());
  if (!Taken || !Cond)
    return true;
  bool Positive;
  if (const std::string *K = testedField(Cond, Positive)) {
    std::optional<int64_t> Truth = V.get(K);
    return !Truth || ((*Truth != 0) == Positive) == *Taken;
  }
  std::optional<int64_t> Value = eval(Cond, V);
  return !Value || (*Value != 0) == *Taken;
}

const std::string *PathValues::testedField(const Expr *Cond,
                                           bool &Positive) const {
  if (FieldKeys.empty() || !Cond)
    return nullptr;
  auto [Var, Path] = fieldPath(stripNot(Cond, Positive));
  if (!Var)
    return nullptr;
  auto It = FieldKeys.find(std::to_string(reinterpret_cast<uintptr_t>(Var)) +
                           ":" + Path);
  return It == FieldKeys.end() ? nullptr : &*It;
}

void PathValues::learn(const CFGBlock &From, const CFGBlock &To,
                       LocalValues &V) const {
  if (FieldKeys.empty() || From.succ_size() != 2)
    return;
  std::optional<bool> Taken = branchTaken(From, To);
  bool Positive;
  const std::string *K = testedField(
      dyn_cast_or_null<Expr>(From.getTerminatorCondition()), Positive);
  if (Taken && K)
    V.set(K, *Taken == Positive ? 1 : 0);
}

bool PathValues::writesField(const FunctionDecl *FD, llvm::StringRef Field,
                             unsigned Depth) const {
  const FunctionDecl *Def = FD ? FD->getDefinition() : nullptr;
  if (!Def || !Def->hasBody())
    return Depth == 0; // handed the object and not seen: it may
  auto Key = std::make_pair(Def, Field.str());
  if (auto It = Writes.find(Key); It != Writes.end())
    return It->second;
  Writes[Key] = false; // while recursing
  bool Found = false;
  forEachSubStmt(Def->getBody(), [&](const Stmt *S) {
    const Expr *Target = writtenOperand(S);
    if (const auto *C = dyn_cast<CallExpr>(S))
      Found |= writesField(C->getDirectCallee(), Field, Depth + 1);
    if (const auto *M =
            Target ? dyn_cast<MemberExpr>(Target->IgnoreParenImpCasts()) : nullptr)
      if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
          F && F->getIdentifier() && F->getName() == Field)
        Found = true;
    return !Found;
  });
  return Writes[Key] = Found;
}

void PathValues::forgetFields(const Stmt *S, LocalValues &V) const {
  auto Forget = [&](auto Pred) {
    for (const auto &[K, Part] : FieldOf)
      if (Pred(Part))
        V.set(K, std::nullopt);
  };
  if (const Expr *Target = writtenOperand(S)) {
    Target = Target->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MemberExpr>(Target)) {
      // A field of that name written through any variable.
      if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
          F && F->getIdentifier())
        Forget([&](const FieldPath &P) { return P.Last == F->getName(); });
    } else if (const VarDecl *Base = refVar(Target)) {
      Forget([&](const FieldPath &P) { return P.Base == Base; });
    }
    return;
  }
  const auto *Call = dyn_cast<CallExpr>(S);
  if (!Call)
    return;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (Callee && Callee->getIdentifier() &&
      !api::publishArgs(Callee->getName()).empty())
    return;
  for (const Expr *A : Call->arguments()) {
    A = A->IgnoreParenCasts();
    const VarDecl *Base = refVar(A);
    std::string Under; // `&v->lock`: only what is under `lock`
    if (!Base)
      if (const auto *U = dyn_cast<UnaryOperator>(A);
          U && U->getOpcode() == UO_AddrOf)
        std::tie(Base, Under) = fieldPath(U->getSubExpr());
    if (!Base)
      continue;
    Forget([&](const FieldPath &P) {
      bool Reached = Under.empty() ||
                     (P.Path.compare(0, Under.size(), Under) == 0 &&
                      (P.Path.size() == Under.size() ||
                       P.Path[Under.size()] == '.'));
      return P.Base == Base && Reached && writesField(Callee, P.Last, 0);
    });
  }
}

std::optional<int64_t> PathValues::eval(const Expr *E,
                                        const LocalValues &V) const {
  if (!E || E->isValueDependent())
    return std::nullopt;
  E = E->IgnoreParens();
  if (const VarDecl *Var = trackedRef(E))
    return V.get(Var);
  if (E->getType()->isIntegralOrEnumerationType())
    if (std::optional<llvm::APSInt> C = E->getIntegerConstantExpr(AST))
      return C->getBitWidth() <= 64 ? std::optional<int64_t>(C->getExtValue())
                                    : std::nullopt;
  if (const auto *Cast = dyn_cast<CastExpr>(E)) {
    std::optional<int64_t> Sub = eval(Cast->getSubExpr(), V);
    if (!Sub)
      return std::nullopt;
    switch (Cast->getCastKind()) {
    case CK_IntegralToBoolean:
      return *Sub != 0;
    case CK_IntegralCast: {
      QualType T = Cast->getType();
      if (!T->isIntegralOrEnumerationType())
        return std::nullopt;
      unsigned W = AST.getIntWidth(T);
      if (W == 0 || W > 64)
        return std::nullopt;
      llvm::APSInt X(llvm::APInt(64, static_cast<uint64_t>(*Sub), true),
                     false);
      X = X.trunc(W);
      X.setIsUnsigned(T->isUnsignedIntegerOrEnumerationType());
      return X.getBitWidth() <= 64 ? std::optional<int64_t>(
                                         X.isUnsigned()
                                             ? static_cast<int64_t>(
                                                   X.getZExtValue())
                                             : X.getSExtValue())
                                   : std::nullopt;
    }
    case CK_NoOp:
    case CK_LValueToRValue:
      return Sub;
    default:
      return std::nullopt;
    }
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (Call->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        Call->getNumArgs() == 2)
      return eval(Call->getArg(0), V);
    return std::nullopt;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    std::optional<int64_t> Sub = eval(U->getSubExpr(), V);
    if (!Sub)
      return std::nullopt;
    switch (U->getOpcode()) {
    case UO_LNot:
      return *Sub == 0;
    case UO_Minus:
      return -*Sub;
    case UO_Plus:
      return *Sub;
    default:
      return std::nullopt;
    }
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    std::optional<int64_t> Test = eval(C->getCond(), V);
    if (!Test)
      return std::nullopt;
    return eval(*Test ? C->getTrueExpr() : C->getFalseExpr(), V);
  }
  const auto *B = dyn_cast<BinaryOperator>(E);
  if (!B)
    return std::nullopt;
  std::optional<int64_t> L = eval(B->getLHS(), V);
  if (B->getOpcode() == BO_LAnd || B->getOpcode() == BO_LOr) {
    bool IsAnd = B->getOpcode() == BO_LAnd;
    if (L && (*L != 0) != IsAnd)
      return IsAnd ? 0 : 1; // decided by the left operand
    std::optional<int64_t> R = eval(B->getRHS(), V);
    if (R && (*R != 0) != IsAnd)
      return IsAnd ? 0 : 1;
    if (L && R)
      return IsAnd ? 1 : 0;
    return std::nullopt;
  }
  std::optional<int64_t> R = eval(B->getRHS(), V);
  if (!L || !R)
    return std::nullopt;
  bool Unsigned =
      B->getLHS()->getType()->isUnsignedIntegerOrEnumerationType() ||
      B->getRHS()->getType()->isUnsignedIntegerOrEnumerationType();
  uint64_t UL = static_cast<uint64_t>(*L), UR = static_cast<uint64_t>(*R);
  switch (B->getOpcode()) {
  case BO_EQ:
    return *L == *R;
  case BO_NE:
    return *L != *R;
  case BO_LT:
    return Unsigned ? UL < UR : *L < *R;
  case BO_GT:
    return Unsigned ? UL > UR : *L > *R;
  case BO_LE:
    return Unsigned ? UL <= UR : *L <= *R;
  case BO_GE:
    return Unsigned ? UL >= UR : *L >= *R;
  case BO_And:
    return *L & *R;
  case BO_Or:
    return *L | *R;
  case BO_Xor:
    return *L ^ *R;
  default:
    return std::nullopt;
  }
}

} // namespace wqcheck
