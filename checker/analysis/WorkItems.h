//===- WorkItems.h - naming work items across functions ----------*- C++ -*-===//
//
// A work item is an lvalue of type struct work_struct, struct delayed_work
// (whose .work is the work) or struct rcu_work.  Across functions it is
// named by a WorkKey: a global variable and the fields below it reached
// with '.' (`my_work`, `dev_global.dwork.work`), or, behind a pointer, the
// struct type holding it and the fields from there (`struct foo_dev` .
// `dwork` . `work`), so that INIT_WORK(&the_dev->w, fn) in probe() and
// queue_work(wq, &priv->w) in the IRQ handler name the same item.  A
// delayed_work or rcu_work key is extended to its inner .work.  The same
// keys name other per-object slots, e.g. a workqueue pointer (`wq` global,
// `struct foo_dev` . `wq`).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_WORKITEMS_H
#define WQCHECK_ANALYSIS_WORKITEMS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wqcheck {

struct WorkKey {
  const clang::Decl *Root = nullptr; ///< a global VarDecl, or a RecordDecl
  std::vector<const clang::FieldDecl *> Path;

  bool operator<(const WorkKey &O) const {
    return Root != O.Root ? Root < O.Root : Path < O.Path;
  }
  bool operator==(const WorkKey &O) const {
    return Root == O.Root && Path == O.Path;
  }
  /// "priv->dwork.work"-like text for messages.
  std::string describe() const;
};

/// The key of the work item E denotes (E may be `&x.work`, `x->work`, ...);
/// nullopt when E is not a work item reachable from a global or a struct
/// field (a bare pointer parameter, an array element).
std::optional<WorkKey> workKeyOf(const clang::Expr *E);

/// Other keys that name the same work item, K first:
///  - through an inner struct: `struct mig` . `k` . `ws` is also
///    `struct continuation` . `ws` when field k is a struct continuation
///    (a helper that takes &mg->k initialises or cancels it);
///  - a global struct variable's item is also its type's field:
///    `led` . `work` is also `struct dled` . `work` (INIT_WORK(&led.work)
///    and schedule_work(&d->work) with d == &led).
std::vector<WorkKey> aliasesOf(const WorkKey &K);

/// Whether Set holds K or another name of it (aliasesOf) -- or a key that
/// K is an alias of (a global whose struct field K names).
template <typename Container>
bool holdsAlias(const Container &Set, const WorkKey &K) {
  for (const WorkKey &A : aliasesOf(K))
    if (Set.count(A))
      return true;
  return false;
}

/// Whether A and B name the same work item, either way round (one is an
/// alias of the other).
inline bool namesSameItem(const WorkKey &A, const WorkKey &B) {
  return holdsAlias(std::set<WorkKey>{A}, B) ||
         holdsAlias(std::set<WorkKey>{B}, A);
}

/// Calls Fn(Field, Init, Path) for every field that the static
/// initialiser IL sets, recursing into nested struct initialisers; Path
/// holds the fields from IL's type down to (not including) Field.
void forEachFieldInit(
    const clang::InitListExpr *IL,
    llvm::function_ref<void(const clang::FieldDecl *, const clang::Expr *,
                            const std::vector<const clang::FieldDecl *> &)>
        Fn);

/// The function E names (`fn`, `&fn`, through casts), if any: a callback
/// or handler being registered.
const clang::FunctionDecl *functionNamedBy(const clang::Expr *E);

/// True for struct work_struct / delayed_work / rcu_work.
bool isWorkType(clang::QualType T);

} // namespace wqcheck

#endif
