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

/// The walk under both forEachSubStmt() and forEachLiveSubStmt(): Skip(S)
/// names a child of S not to visit (or null).
template <typename F, typename G>
void walkSubStmts(const clang::Stmt *Root, F Fn, G Skip) {
  std::vector<const clang::Stmt *> Work{Root};
  while (!Work.empty()) {
    const clang::Stmt *S = Work.back();
    Work.pop_back();
    if (!S || !Fn(S))
      continue;
    const clang::Stmt *Skipped = Skip(S);
    for (const clang::Stmt *C : S->children())
      if (!Skipped || C != Skipped)
        Work.push_back(C);
  }
}

template <typename F> void forEachSubStmt(const clang::Stmt *Root, F Fn) {
  walkSubStmts(Root, Fn, [](const clang::Stmt *) -> const clang::Stmt * {
    return nullptr;
  });
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
  walkSubStmts(Root, Fn, [&](const clang::Stmt *S) -> const clang::Stmt * {
    const auto *If = llvm::dyn_cast<clang::IfStmt>(S);
    return If ? deadBranch(If, AST) : nullptr;
  });
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

/// Whether FD's body never assigns V, increments it or takes its address:
/// V keeps the value its caller passed (a parameter) or its initialiser
/// gave it (a local).
inline bool keepsValue(const clang::FunctionDecl *FD, const clang::VarDecl *V) {
  bool Changed = false;
  forEachSubStmt(FD->getBody(), [&](const clang::Stmt *S) {
    if (const clang::Expr *W = writtenOperand(S))
      if (const auto *Ref =
              llvm::dyn_cast<clang::DeclRefExpr>(W->IgnoreParenCasts()))
        Changed |= Ref->getDecl() == V;
    return !Changed;
  });
  return !Changed;
}

} // namespace wqcheck

#endif
