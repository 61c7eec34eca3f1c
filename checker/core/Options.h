//===- Options.h - options shared by the CLI and the plugin ------*- C++ -*-===//
#ifndef WQCHECK_CORE_OPTIONS_H
#define WQCHECK_CORE_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <utility>
#include <vector>

namespace wqcheck {

/// Which checks run, from a clang-tidy style list of globs:
/// "-*,wq-uninit" disables everything, then enables wq-uninit.  Globs apply
/// in order, the last match wins; every check is enabled by default.
class CheckFilter {
public:
  /// Parses Spec; fails on an empty glob or a positive glob that names no
  /// known check (a typo would otherwise silently run nothing).
  static llvm::Expected<CheckFilter> parse(llvm::StringRef Spec);

  bool isEnabled(llvm::StringRef Id) const;

private:
  std::vector<std::pair<bool, std::string>> Globs; // (enable, pattern)
};

struct Options {
  CheckFilter Checks;
  /// Apply fix-its to the analysed files (CLI --fix).
  bool ApplyFixes = false;
};

} // namespace wqcheck

#endif
