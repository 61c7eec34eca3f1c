//===- Finding.h - a finding as data, for reports and baselines --*- C++ -*-===//
//
// The Reporter turns each finding of a translation unit into a Finding: plain
// data that outlives the SourceManager, for the JSON and SARIF reports, the
// baseline and the changed-lines filter.  Its fingerprint identifies it across
// unrelated edits: it hashes the check id, the file's path relative to its
// source root, the enclosing function, the message and the text of the
// reported line -- not the line number -- plus an occurrence index among
// identical findings of the same file.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_CORE_FINDING_H
#define WQCHECK_CORE_FINDING_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class SourceManager;
class SourceLocation;
} // namespace clang

namespace wqcheck {

/// A place in a file: Line and Column are 1-based (columns in bytes, as
/// clang prints them).
struct Position {
  std::string File; ///< absolute, normalised path
  unsigned Line = 0, Column = 0;
};

struct FindingNote {
  Position Where;
  std::string Message;
};

/// A fix-it: replace [Begin, End) with Replacement (End == Begin: insert).
struct FindingFix {
  Position Begin, End;
  std::string Replacement;
};

struct Finding {
  std::string CheckId;
  std::string Message; ///< without the " [check-id]" suffix
  Position Where;
  std::string Spelled;  ///< the file name as clang printed it
  std::string Function; ///< enclosing top-level declaration, or empty
  std::string LineText; ///< the reported source line, trimmed
  std::vector<FindingNote> Notes;
  std::vector<FindingFix> Fixes;
  /// Reported only at --level=possible (core/Options.h ReportLevel): it
  /// rests on what wqcheck could not prove safe, not on evidence of the bug.
  bool Possible = false;
  /// Set by computeFingerprints().
  std::string Path;        ///< Where.File relative to its source root
  std::string Fingerprint; ///< "<16 hex digits>:<occurrence>"
  /// Cleared by a review (baseline, changed lines) to drop the finding: it is
  /// then neither printed nor counted.
  bool Reported = true;
};

/// The position of a file location.
Position positionOf(const clang::SourceManager &SM, clang::SourceLocation Loc);

/// Name of the top-level declaration (function, variable) of AST whose
/// extent contains the file location Loc, or "".
std::string enclosingDeclName(clang::ASTContext &AST, clang::SourceLocation Loc);

/// The root that paths in reports and baselines are relative to: Root when
/// it is not empty, else the top of the git work tree holding File (the
/// nearest directory upward with a .git entry), else "" (paths stay
/// absolute).  Both are absolute; the result has no trailing slash.
std::string sourceRootOf(llvm::StringRef File, llvm::StringRef Root = "");

/// File relative to Root ("/"-separated) when it is below Root, else File.
std::string relativeTo(llvm::StringRef File, llvm::StringRef Root);

/// Fills Path and Fingerprint of Findings (one translation unit's, in source
/// order).  Root as for sourceRootOf().
void computeFingerprints(std::vector<Finding> &Findings,
                         llvm::StringRef Root = "");

} // namespace wqcheck

#endif
