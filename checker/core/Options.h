//===- Options.h - options shared by the CLI and the plugin ------*- C++ -*-===//
#ifndef WQCHECK_CORE_OPTIONS_H
#define WQCHECK_CORE_OPTIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wqcheck {

/// Which checks run, from a clang-tidy style list of globs:
/// "-*,wq-uninit" disables everything, then enables wq-uninit.  Globs apply
/// in order, the last match wins; every check is enabled by default except
/// the opt-in ones (Checks.def), which a positive glob must name.
class CheckFilter {
public:
  /// Parses Spec; fails on an empty glob or a positive glob that names no
  /// known check (a typo would otherwise silently run nothing).
  static llvm::Expected<CheckFilter> parse(llvm::StringRef Spec);

  bool isEnabled(llvm::StringRef Id) const;

private:
  std::vector<std::pair<bool, std::string>> Globs; // (enable, pattern)
};

/// Which findings are printed.  Evidence (the default): findings whose notes
/// name what makes the bug possible (the queue that reaches the free with no
/// waiting stop, the lock held at the sleep).  Possible: also findings that
/// rest only on what wqcheck could not prove safe (an object from outside
/// the function freed where the file stops its work item elsewhere, a free in
/// a release callback); each says so in its last note.  docs/usage.md.
enum class ReportLevel { Evidence, Possible };

/// "evidence" or "possible"; nullopt for anything else.
std::optional<ReportLevel> parseReportLevel(llvm::StringRef Name);

struct Options {
  CheckFilter Checks;
  /// --level: which findings are printed.
  ReportLevel Level = ReportLevel::Evidence;
  /// Apply fix-its to the analysed files (CLI --fix).
  bool ApplyFixes = false;
  /// --db: the SQLite file each unit's cross-file facts are stored in
  /// (db/SummaryDB.h); empty: none are recorded.
  std::string Database;
};

} // namespace wqcheck

#endif
