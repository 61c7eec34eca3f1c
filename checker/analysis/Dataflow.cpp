//===- Dataflow.cpp - branch conditions for the dataflow checks -----------===//
#include "analysis/Dataflow.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/Builtins.h"

using namespace clang;

namespace wqcheck {

namespace {

/// A test of a pointer against NULL: Tested is set to the pointer, and the
/// result says whether it is NULL when the condition is true.
std::optional<bool> nullTest(const Expr *Cond, const Expr *&Tested,
                             ASTContext &AST) {
  bool NullWhenTrue = false;
  const Expr *E = Cond;
  while (E) {
    E = E->IgnoreParenImpCasts();
    // likely()/unlikely(): __builtin_expect(!!(x), v)
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (Call->getBuiltinCallee() == Builtin::BI__builtin_expect &&
          Call->getNumArgs() == 2) {
        E = Call->getArg(0);
        continue;
      }
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_LNot) {
      NullWhenTrue = !NullWhenTrue;
      E = U->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE)) {
      const Expr *L = B->getLHS(), *R = B->getRHS();
      auto IsNull = [&](const Expr *X) {
        return X->IgnoreParenCasts()->isNullPointerConstant(
                   AST, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
      };
      const Expr *Ptr = IsNull(R) ? L : IsNull(L) ? R : nullptr;
      if (!Ptr || !Ptr->IgnoreParenImpCasts()->getType()->isPointerType())
        return std::nullopt;
      if (B->getOpcode() == BO_EQ)
        NullWhenTrue = !NullWhenTrue;
      E = Ptr;
      continue;
    }
    break;
  }
  if (!E || !E->getType()->isPointerType())
    return std::nullopt;
  // "p" as a condition: true when p is not NULL.
  Tested = E;
  return NullWhenTrue;
}

} // namespace

std::optional<bool> branchTaken(const CFGBlock &From, const CFGBlock &To) {
  if (From.succ_size() != 2 || !From.getTerminatorCondition())
    return std::nullopt;
  const CFGBlock *True = *From.succ_begin();
  const CFGBlock *False = *(From.succ_begin() + 1);
  if (True == False)
    return std::nullopt;
  if (True == &To)
    return true;
  if (False == &To)
    return false;
  return std::nullopt;
}

const Expr *branchCondition(const CFGBlock &From) {
  const auto *Cond = dyn_cast_or_null<Expr>(From.getTerminatorCondition());
  if (const auto *L = dyn_cast_or_null<BinaryOperator>(
          Cond ? Cond->IgnoreParenImpCasts() : nullptr);
      L && L->isLogicalOp())
    return From.getLastCondition();
  return Cond;
}

std::optional<bool> pointerNullOnEdge(const CFGBlock &From, const CFGBlock &To,
                                      const Expr *&Tested, ASTContext &AST) {
  std::optional<bool> Taken = branchTaken(From, To);
  if (!Taken)
    return std::nullopt;
  std::optional<bool> NullWhenTrue =
      nullTest(dyn_cast<Expr>(From.getTerminatorCondition()), Tested, AST);
  if (!NullWhenTrue)
    return std::nullopt;
  return *Taken == *NullWhenTrue;
}

namespace {

bool isResult(const Expr *E, const Expr *Call, const VarDecl *Var) {
  E = E->IgnoreParenCasts();
  if (Call && E == Call->IgnoreParenCasts())
    return true;
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  return Var && Ref && Ref->getDecl() == Var;
}

} // namespace

std::optional<bool> resultFailsOnEdge(const CFGBlock &From, const CFGBlock &To,
                                      const Expr *Call, const VarDecl *Var,
                                      ASTContext &AST) {
  std::optional<bool> Taken = branchTaken(From, To);
  const Expr *Cond = branchCondition(From);
  if (!Taken || !Cond || (!Call && !Var))
    return std::nullopt;
  // Pointers: NULL.
  const Expr *Tested = nullptr;
  if (std::optional<bool> NullWhenTrue = nullTest(Cond, Tested, AST))
    return isResult(Tested, Call, Var)
               ? std::optional<bool>(*Taken == *NullWhenTrue)
               : std::nullopt;
  // Integers, and IS_ERR(p): true when failed.
  bool FailWhenTrue = true;
  const Expr *E = Cond;
  while (E) {
    E = E->IgnoreParenImpCasts();
    // WARN_ON_ONCE(!ok): ({ int __ret_warn_on = !!(!ok); ...;
    // unlikely(__ret_warn_on); }) -- the value of the last statement.
    if (const auto *SE = dyn_cast<StmtExpr>(E)) {
      const CompoundStmt *Body = SE->getSubStmt();
      E = Body && !Body->body_empty() ? dyn_cast<Expr>(Body->body_back())
                                      : nullptr;
      continue;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (Call->getBuiltinCallee() == Builtin::BI__builtin_expect &&
          Call->getNumArgs() == 2) {
        E = Call->getArg(0);
        continue;
      }
      const FunctionDecl *F = Call->getDirectCallee();
      if (F && F->getIdentifier() &&
          (F->getName() == "IS_ERR" || F->getName() == "IS_ERR_OR_NULL") &&
          Call->getNumArgs() == 1) {
        E = Call->getArg(0);
        break;
      }
      break;
    }
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_LNot) {
      FailWhenTrue = !FailWhenTrue;
      E = U->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E)) {
      const auto *Zero = dyn_cast<IntegerLiteral>(B->getRHS()->IgnoreParenImpCasts());
      if (!Zero || Zero->getValue() != 0)
        return std::nullopt;
      if (B->getOpcode() == BO_EQ)
        FailWhenTrue = !FailWhenTrue;
      else if (B->getOpcode() != BO_NE && B->getOpcode() != BO_LT)
        return std::nullopt;
      E = B->getLHS();
      continue;
    }
    break;
  }
  if (!E || !isResult(E, Call, Var))
    return std::nullopt;
  return *Taken == FailWhenTrue;
}

bool isFailureValue(const Expr *E, ASTContext &AST) {
  if (!E)
    return false;
  E = E->IgnoreParenCasts();
  if (E->getType()->isPointerType() &&
      E->isNullPointerConstant(AST, Expr::NPC_ValueDependentIsNotNull) !=
          Expr::NPCK_NotNull)
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *F = Call->getDirectCallee())
      return F->getIdentifier() && F->getName() == "ERR_PTR";
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    return U->getOpcode() == UO_Minus &&
           isa<IntegerLiteral>(U->getSubExpr()->IgnoreParenImpCasts());
  return false;
}

} // namespace wqcheck
