//===- CheckRegistry.h - the checks wqcheck knows ----------------*- C++ -*-===//
#ifndef WQCHECK_CORE_CHECKREGISTRY_H
#define WQCHECK_CORE_CHECKREGISTRY_H

#include "core/Check.h"
#include "llvm/ADT/ArrayRef.h"
#include <vector>

namespace wqcheck {

class CheckFilter;

struct CheckInfo {
  llvm::StringRef Id;
  llvm::StringRef Summary;
  std::unique_ptr<Check> (*Create)(llvm::StringRef, CheckContext &);
  /// false: runs only when --checks names it (Checks.def OptIn).
  bool OnByDefault = true;
};

/// Every check, in the order of Checks.def.
llvm::ArrayRef<CheckInfo> allChecks();

/// Instantiates the checks that Filter enables.
std::vector<std::unique_ptr<Check>> createChecks(const CheckFilter &Filter,
                                                 CheckContext &Ctx);

} // namespace wqcheck

#endif
