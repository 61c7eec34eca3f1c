//===- PathValues.h - constant values of status locals along paths -*- C++ -*-===//
//
// Kernel functions often carry a decision in a local: a branch sets
// `status = AE_ERROR;` (or `queued = true;`, `ret = -EINVAL;`) and a later
// `if (ACPI_FAILURE(status)) kfree(dpc);` acts on it.  A join-based
// dataflow merges the branches and loses the link, so it sees paths the
// code cannot take (the free after a successful queue, the queue without
// the INIT).  PathValues follows the constants such locals hold and says
// which branch edges a path cannot take; solveAndReport() (Dataflow.h)
// keeps the paths with different values apart, up to a small bound.
//
// Tracked: a local or parameter of integer, enum or bool type, assigned an
// integer constant somewhere in the body (`x = C`, not only its
// initialiser), read in a branch condition, never address-taken (no
// `&x`, no use in inline asm) and no counter (never incremented,
// compound-assigned or set in a `for`'s init): its only writes are then
// plain assignments and its declaration.
//
// On request (SplitFields), also the truth of a field path of a local or
// parameter (`p->pdata.intp_irq`) that two or more branch conditions test
// as a whole (`if (p->x)`, `if (!p->x)`): the edge of the first test says
// it, a later test of it takes that outcome, until a statement may write
// it: an assignment, increment or `&` of a field of that name through
// any variable, a reassignment of the base variable, or a call handed the
// base variable (or the address of one of its fields) whose callee writes
// a field of that name (its body and its callees' in this file, or any
// callee without a body here, except the publishing calls of the API
// table: request_irq() and its kin only store their cookie).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_PATHVALUES_H
#define WQCHECK_ANALYSIS_PATHVALUES_H

#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wqcheck {

/// The known constant values of the tracked locals on one path, sorted by
/// variable.  A variable that is absent has no known value.
struct LocalValues {
  /// Keyed by the local's VarDecl, or by a tracked field path's key.
  std::vector<std::pair<const void *, int64_t>> Known;
  bool operator==(const LocalValues &O) const { return Known == O.Known; }
  bool operator<(const LocalValues &O) const { return Known < O.Known; }
  std::optional<int64_t> get(const void *V) const;
  void set(const void *V, std::optional<int64_t> Value);
  /// The values both have.
  LocalValues common(const LocalValues &O) const;
};

class PathValues {
public:
  PathValues(const clang::FunctionDecl *FD, const clang::CFG &G,
             clang::ASTContext &AST, bool SplitFields = false);
  /// No local or field path to follow: the plain dataflow is as precise.
  bool empty() const { return Tracked.empty() && FieldKeys.empty(); }
  /// What the branch From -> To says of a tracked field path.
  void learn(const clang::CFGBlock &From, const clang::CFGBlock &To,
             LocalValues &V) const;
  /// The effect of B's statements on the values.
  void transfer(const clang::CFGBlock &B, LocalValues &V) const;
  /// false when the branch From -> To cannot be taken with these values.
  bool feasible(const clang::CFGBlock &From, const clang::CFGBlock &To,
                const LocalValues &V) const;

private:
  std::optional<int64_t> eval(const clang::Expr *E,
                              const LocalValues &V) const;
  const clang::VarDecl *trackedRef(const clang::Expr *E) const;
  /// The tracked field path a condition tests as a whole, and whether it
  /// holds when the path is non-zero (false under a `!`).
  const std::string *testedField(const clang::Expr *Cond, bool &Positive) const;
  void forgetFields(const clang::Stmt *S, LocalValues &V) const;
  bool writesField(const clang::FunctionDecl *FD, llvm::StringRef Field,
                   unsigned Depth) const;
  clang::ASTContext &AST;
  std::set<const clang::VarDecl *> Tracked;
  /// Tracked field paths ("<var address>:a.b"); a key's address is its
  /// identity in LocalValues.
  std::set<std::string> FieldKeys;
  /// Per key: its base variable, its path ("pdata.intp_irq") and last
  /// field's name.
  struct FieldPath {
    const clang::VarDecl *Base;
    std::string Path, Last;
  };
  std::map<const std::string *, FieldPath> FieldOf;
  /// writesField() of a function with a body, by (function, field name).
  mutable std::map<std::pair<const clang::FunctionDecl *, std::string>, bool>
      Writes;
};

} // namespace wqcheck

#endif
