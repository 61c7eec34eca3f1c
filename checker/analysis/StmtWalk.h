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
