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

} // namespace wqcheck

#endif
