//===- WorkFacts.h - what a file does with its work items --------*- C++ -*-===//
//
// File-level facts for the lifecycle checks (wq-uninit,
// wq-free-before-cancel), gathered once over the user's functions and
// global initialisers:
//   - where each work item (WorkKey) is initialised: a store to
//     work_struct.func (what INIT_WORK() and friends expand to), a static
//     initialiser (DECLARE_WORK), a WQ_WORK_INIT call, or a call to a file
//     function that initialises the work item passed to it;
//   - where it is queued (and on which queue), cancelled, flushed;
//   - its handler;
//   - per function, the work items it initialises, queues and stops with a
//     waiting call, directly or through the file's functions it calls.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_WORKFACTS_H
#define WQCHECK_ANALYSIS_WORKFACTS_H

#include "analysis/WorkItems.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace wqcheck {

class UserCode;

/// A queue, flush or cancel of a work item.
struct WorkUse {
  clang::SourceLocation Loc;
  std::string Api;     ///< "queue_work", "cancel_work_sync", ...
  bool Queues = false; ///< queue/mod (not a stop)
};

class WorkFacts {
public:
  WorkFacts(clang::ASTContext &AST, UserCode &User);

  /// Functions defined in user code, in file order.
  const std::vector<const clang::FunctionDecl *> &functions() const {
    return Functions;
  }
  /// The user-code definition of FD, if it has one.
  const clang::FunctionDecl *userDefinition(const clang::FunctionDecl *FD) const;

  std::map<WorkKey, std::vector<clang::SourceLocation>> Inits;
  std::map<WorkKey, std::vector<WorkUse>> Uses;
  /// Queues each work item is queued on (nullopt: a system queue or one
  /// wqcheck cannot name).
  std::map<WorkKey, std::set<std::optional<WorkKey>>> QueuedOn;
  std::map<WorkKey, const clang::FunctionDecl *> Handlers;
  /// Functions stored in callback structs: (struct, field) -> functions
  /// (static initialisers such as `static const struct net_device_ops`).
  std::map<std::pair<std::string, std::string>,
           std::set<const clang::FunctionDecl *>>
      OpsFunctions;
  /// Timers, hrtimers and tasklets (by key) and the function they run.
  std::map<WorkKey, const clang::FunctionDecl *> CallbackOf;
  /// Work items stopped by devres when the device unbinds
  /// (devm_work_autocancel, a devm action that cancels them).
  std::set<WorkKey> DevmStopped;
  /// Work items whose INIT is out of reach (an array element, a pointer
  /// of unknown origin): file-level "never initialised" is not decided.
  bool UnresolvedInit = false;

  /// Per function, transitively through the file's calls.
  std::map<const clang::FunctionDecl *, std::set<WorkKey>> InitsBy, QueuesBy,
      StopsBy;
  /// Parameters whose work item a function initialises (INIT_WORK(w, fn)
  /// on a `struct work_struct *w` parameter).
  std::map<const clang::FunctionDecl *, std::set<unsigned>> InitsParam;

  /// The variable at the root of E (`dev` in `&dev->dwork.work`), if a
  /// local variable or parameter.
  static const clang::VarDecl *baseVar(const clang::Expr *E);
  /// The allocator call (WQ_ALLOCATOR) E is, through casts; Managed says
  /// whether devres frees it.
  static const clang::CallExpr *allocationIn(const clang::Expr *E,
                                             bool *Managed = nullptr);
  /// Every work item embedded (not behind a pointer) in RD, as keys rooted
  /// at RD.
  static std::vector<WorkKey> workItemsIn(const clang::RecordDecl *RD);
  /// "cancel_work_sync" or "cancel_delayed_work_sync" for K.
  static llvm::StringRef syncCancelFor(const WorkKey &K);
  /// How the user names K: "dev->led_work" when Base is `dev`.
  static std::string spell(const WorkKey &K, const clang::VarDecl *Base);

private:
  void gather(const clang::FunctionDecl *FD);
  void close();

  clang::ASTContext &AST;
  UserCode &User;
  std::vector<const clang::FunctionDecl *> Functions;
  std::set<const clang::FunctionDecl *> FunctionSet;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>>
      Calls;
  std::set<const clang::FunctionDecl *> DevmActions;
};

} // namespace wqcheck

#endif
