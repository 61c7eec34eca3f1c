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
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_PATHVALUES_H
#define WQCHECK_ANALYSIS_PATHVALUES_H

#include "clang/AST/Decl.h"
#include "clang/Analysis/CFG.h"
#include <cstdint>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace wqcheck {

/// The known constant values of the tracked locals on one path, sorted by
/// variable.  A variable that is absent has no known value.
struct LocalValues {
  std::vector<std::pair<const clang::VarDecl *, int64_t>> Known;
  bool operator==(const LocalValues &O) const { return Known == O.Known; }
  bool operator<(const LocalValues &O) const { return Known < O.Known; }
  std::optional<int64_t> get(const clang::VarDecl *V) const;
  void set(const clang::VarDecl *V, std::optional<int64_t> Value);
  /// The values both have.
  LocalValues common(const LocalValues &O) const;
};

class PathValues {
public:
  PathValues(const clang::FunctionDecl *FD, const clang::CFG &G,
             clang::ASTContext &AST);
  /// No local to follow: the plain dataflow is as precise.
  bool empty() const { return Tracked.empty(); }
  /// The effect of B's statements on the values.
  void transfer(const clang::CFGBlock &B, LocalValues &V) const;
  /// false when the branch From -> To cannot be taken with these values.
  bool feasible(const clang::CFGBlock &From, const clang::CFGBlock &To,
                const LocalValues &V) const;

private:
  std::optional<int64_t> eval(const clang::Expr *E,
                              const LocalValues &V) const;
  const clang::VarDecl *trackedRef(const clang::Expr *E) const;
  clang::ASTContext &AST;
  std::set<const clang::VarDecl *> Tracked;
};

} // namespace wqcheck

#endif
