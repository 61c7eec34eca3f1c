//===- BitFacts.h - flag bits a path has set or tested ---------*- C++ -*-===//
//
// Flag bits of a bitmap (`set_bit(F, &x->flags)`, WQ_BIT_OP rows), and
// `bool` fields assigned constants (`x->booted = false`), as a function's
// paths leave them: which bit values are known at each call
// (written or tested earlier on every path to it, and not written since),
// and which bit test each call runs under.  A bitmap is named by its field
// (`struct ionic_lif.state`) or global, not by the object: a bit set on
// one object and tested on another of the same type compare equal, as the
// object is the same in the shapes this reads (a helper given the caller's
// object).
//
// Used by wq-flush-deadlock: a wait under `if (!test_bit(F, ..))` on a path
// that set F first cannot run there (6.12 drivers/net/ethernet/pensando/
// ionic/ionic_lif.c: ionic_lif_handle_fw_down() sets IONIC_LIF_F_FW_RESET
// with test_and_set_bit() before ionic_lif_deinit(), whose cancels run only
// while it is clear).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_BITFACTS_H
#define WQCHECK_ANALYSIS_BITFACTS_H

#include "api/KernelAPI.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace wqcheck {

/// A bit of a bitmap: the bitmap's field or global, and the bit number;
/// or a `bool` field itself (Bit is WholeField): `x->booted = false`, `if
/// (x->booted)`.
struct BitRef {
  static constexpr int64_t WholeField = -1;
  const clang::ValueDecl *Bitmap = nullptr;
  int64_t Bit = 0;
  bool isField() const { return Bit == WholeField; }
  bool operator<(const BitRef &O) const {
    return Bitmap != O.Bitmap ? Bitmap < O.Bitmap : Bit < O.Bit;
  }
  bool operator==(const BitRef &O) const {
    return Bitmap == O.Bitmap && Bit == O.Bit;
  }
};

/// A bit and a value of it: known at a point, or needed by a test.
struct BitValue {
  BitRef Ref;
  bool Set = true;
  clang::SourceLocation Loc; ///< where it was written or tested
  bool operator==(const BitValue &O) const {
    return Ref == O.Ref && Set == O.Set;
  }
};

/// A bit operation (WQ_BIT_OP) and the bit it reads or writes.
struct BitCall {
  const api::BitOp *Op = nullptr;
  BitRef Ref;
  const clang::CallExpr *Call = nullptr;
};

/// The bit operation E is, also when spelled through the kernel's
/// `bitop()` conditional (test_bit(), __set_bit() since 6.1); none when the
/// bitmap or the bit number is not a field or global and a constant.
std::optional<BitCall> bitCallOf(const clang::Expr *E,
                                 const clang::ASTContext &AST);

/// Per function of a translation unit: the bits known at each call, and
/// the bit test each call runs under.
class BitFacts {
public:
  explicit BitFacts(const clang::ASTContext &AST) : AST(AST) {}

  /// Records, for the calls of each function of Functions (definitions),
  /// the bit values known before each of them and the bit test each runs
  /// under.  The bits a function writes, directly or through the calls it
  /// makes of Functions, kill what its caller knew of them.
  void analyse(const std::vector<const clang::FunctionDecl *> &Functions);
  /// The bit values known before Call (after analyse()).
  const std::vector<BitValue> &knownAt(const clang::CallExpr *Call) const;
  /// The innermost bit test Call runs under, as the value the bit must
  /// have had: `if (!test_bit(F, a)) f();` gives F clear for f().
  std::optional<BitValue> guardOf(const clang::CallExpr *Call) const;

private:
  /// The bits FD writes itself (WQ_BIT_OP rows that set or clear, and
  /// `bool` fields stored to).
  std::set<BitRef> directWrites(const clang::FunctionDecl *FD) const;
  void analyseOne(const clang::FunctionDecl *FD,
                  const std::map<const clang::FunctionDecl *, std::set<BitRef>>
                      &Writes);

  const clang::ASTContext &AST;
  std::map<const clang::CallExpr *, std::vector<BitValue>> Known;
  std::map<const clang::CallExpr *, BitValue> Guards;
};

} // namespace wqcheck

#endif
