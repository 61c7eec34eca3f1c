//===- BranchGuards.h - the tests a statement runs under -------*- C++ -*-===//
//
// The `if`/`?:` tests that enclose a statement inside its function, each
// with the outcome the statement needs, keyed so that the same test of the
// same field on another object compares equal: `!blk_queue_has_srcu(q)` and
// `blk_queue_has_srcu(hctx->queue)` are one test with opposite outcomes
// (6.1 block/blk-mq.h __blk_mq_run_dispatch_ops()).  A key erases the
// objects (variables, and the base of each field access) and keeps what
// names the test: fields, constants, functions called.  Only tests that read
// a field, or call a function or read a global of the main file, get a key:
// `if (!p)` or `if (ret)` says nothing that another function could repeat.
//
// Used by wq-sleep-in-atomic to see a sleep and an atomic region on the two
// exclusive branches of one test (docs/checks/wq-sleep-in-atomic.md).  Also
// here: the calls that run only once a reference drop succeeded
// (callsOnReferenceDrop(), wq-sleep-in-atomic and wq-free-before-cancel).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_BRANCHGUARDS_H
#define WQCHECK_ANALYSIS_BRANCHGUARDS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wqcheck {

/// Strips what does not change a condition's truth: parens, casts,
/// likely()/unlikely().
const clang::Expr *plainCondition(const clang::Expr *E);

/// One enclosing test and the outcome the statement runs under.
struct BranchGuard {
  std::string Key;          ///< the test with its objects erased
  std::string Field;        ///< the first field it reads: "queue_flags"
  bool Outcome = true;      ///< the statement runs when the test is this
  clang::SourceLocation Loc; ///< the test (for notes)
  /// The test a wait_event()-style macro makes of its own condition: the
  /// sleep's guard (wq-sleep-in-atomic).
  bool OfWait = false;

  bool operator==(const BranchGuard &O) const {
    return Key == O.Key && Outcome == O.Outcome;
  }
  bool contradicts(const BranchGuard &O) const {
    return Key == O.Key && Outcome != O.Outcome;
  }
};

/// The key of a test and the outcome E stands for (`!X` is X false), or
/// nothing when E reads no field or cannot be keyed.
std::optional<BranchGuard> guardOf(const clang::Expr *E, bool Outcome);

/// The keyed tests each call of Body runs under, innermost first: the
/// operands of `&&` in a then-branch (and of `||` in an else-branch) are
/// each a test of their own, and the rest of a block after `if (test)
/// return;` runs under the test's failure.  At most Max per call; calls
/// under none are left out.
using CallGuards = std::map<const clang::Stmt *, std::vector<BranchGuard>>;
CallGuards guardsOfCalls(const clang::Stmt *Body, size_t Max = 8);

/// For each call of Body that runs only once a reference drop succeeded,
/// that drop (a WQ_REF_PUT call: atomic_dec_and_test(), kref_put(), ...):
/// `if (refcount_dec_and_test(&r->ref)) kfree(r);` and
/// `if (!atomic_long_dec_and_test(&e->refcount)) return; free(e);` (6.1
/// kernel/events/core.c put_event()).  What runs there is the release of
/// the last reference, which the caller may not be dropping.
std::map<const clang::Stmt *, const clang::CallExpr *>
callsOnReferenceDrop(const clang::Stmt *Body);

/// The tests a call of Body runs under: those that need a field non-zero
/// (Gates: each set is one test that holds only when one of its fields is
/// non-zero: `if (p->a)`, `if (p->a || p->b)`, `if (p->mode == MODE_X)`
/// with MODE_X non-zero, `if (!p->a) return;` before the call), and
/// whether some other test decides too (Opaque: `if (val & BIT(1))` on a
/// register read, a loop, a switch case, `?:`, the right of `&&`).  Tests
/// of enclosing `if`s and early exits of enclosing blocks are read.
/// wq-uninit: a callback made callable before INIT_WORK() whose queue
/// needs a field that is still zero cannot queue yet, and one whose queue
/// needs what the device reports may not be able to.
using FieldGate = std::vector<const clang::FieldDecl *>;
struct CallConditions {
  std::vector<FieldGate> Gates;
  bool Opaque = false;
};
CallConditions conditionsOf(const clang::Stmt *Body, const clang::Stmt *Call,
                            const clang::ASTContext &AST);

/// The first guard of A that one of B contradicts, if any.
const BranchGuard *contradiction(const std::vector<BranchGuard> &A,
                                 const std::vector<BranchGuard> &B);

} // namespace wqcheck

#endif
