//===- StmtWalk.h - every statement under one ------------------*- C++ -*-===//
//
// A walk of a statement and everything below it, without the callbacks of
// a RecursiveASTVisitor: Fn(const Stmt *) returns whether to look below
// that statement.  Used where a check asks one question of a function body
// or an expression (which variables it assigns, whether it names one).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_STMTWALK_H
#define WQCHECK_ANALYSIS_STMTWALK_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include <vector>

namespace wqcheck {

template <typename F> void forEachSubStmt(const clang::Stmt *Root, F Fn) {
  std::vector<const clang::Stmt *> Work{Root};
  while (!Work.empty()) {
    const clang::Stmt *S = Work.back();
    Work.pop_back();
    if (!S || !Fn(S))
      continue;
    for (const clang::Stmt *C : S->children())
      Work.push_back(C);
  }
}

/// The branch of an `if` that never runs in this build: the one its
/// condition, a constant (`if (!IS_ENABLED(CONFIG_PM))` with CONFIG_PM=y,
/// `if (0 && ..)`), rules out; null when both may run.  The dataflow
/// analyses get this from the CFG (Clang prunes trivially false edges);
/// walks of the AST ask here.
inline const clang::Stmt *deadBranch(const clang::IfStmt *If,
                                     const clang::ASTContext &AST) {
  const clang::Expr *Cond = If->getCond();
  bool Value = false;
  if (!Cond || If->getConditionVariable() || Cond->isValueDependent() ||
      Cond->HasSideEffects(AST) || !Cond->EvaluateAsBooleanCondition(Value, AST))
    return nullptr;
  return Value ? If->getElse() : If->getThen();
}

/// forEachSubStmt() without the branches that never run (deadBranch()).
template <typename F>
void forEachLiveSubStmt(const clang::Stmt *Root, const clang::ASTContext &AST,
                        F Fn) {
  std::vector<const clang::Stmt *> Work{Root};
  while (!Work.empty()) {
    const clang::Stmt *S = Work.back();
    Work.pop_back();
    if (!S || !Fn(S))
      continue;
    const clang::Stmt *Dead = nullptr;
    if (const auto *If = llvm::dyn_cast<clang::IfStmt>(S))
      Dead = deadBranch(If, AST);
    for (const clang::Stmt *C : S->children())
      if (C != Dead)
        Work.push_back(C);
  }
}

/// The operand S may write without being an assignment's value: the left
/// side of `x = ..` or `x += ..`, the operand of `x++`, `--x` or `&x`
/// (its address escapes).  Null for any other statement.
inline const clang::Expr *writtenOperand(const clang::Stmt *S) {
  if (const auto *B = llvm::dyn_cast<clang::BinaryOperator>(S);
      B && B->isAssignmentOp())
    return B->getLHS();
  if (const auto *U = llvm::dyn_cast<clang::UnaryOperator>(S);
      U && (U->isIncrementDecrementOp() ||
            U->getOpcode() == clang::UO_AddrOf))
    return U->getSubExpr();
  return nullptr;
}

} // namespace wqcheck

#endif
