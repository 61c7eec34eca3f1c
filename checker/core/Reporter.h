//===- Reporter.h - how checks report findings -------------------*- C++ -*-===//
//
// Every finding is a warning "<message> [<check-id>]" at a location in the
// user's code, followed by notes at related places, optionally carrying
// fix-its.  The Reporter sends them to a clang DiagnosticsEngine: the
// compiler's own in the plugin (so -verify, -fixit and IDEs see them), a
// dedicated one printing to stderr in the CLI.  Findings are buffered and
// emitted in source order at the end of the translation unit; a finding
// reported twice at the same place (a macro used twice, two paths) is
// emitted once.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_CORE_REPORTER_H
#define WQCHECK_CORE_REPORTER_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include <string>
#include <vector>

namespace wqcheck {

class Reporter {
public:
  Reporter(clang::DiagnosticsEngine &Out, const clang::SourceManager &SM);

  /// Records a finding of check CheckId at Loc, highlighting Highlight.
  /// Returns false (and drops it) when the same check already reported at
  /// Loc; notes added after a dropped warning are dropped too.
  bool warn(llvm::StringRef CheckId, clang::SourceLocation Loc,
            const llvm::Twine &Message,
            clang::CharSourceRange Highlight = clang::CharSourceRange(),
            llvm::ArrayRef<clang::FixItHint> Fixes = {});

  /// Attaches a note to the last warning.
  void note(clang::SourceLocation Loc, const llvm::Twine &Message);

  /// Emits the recorded findings, sorted by location.
  void flush();

  unsigned findingCount() const { return Findings.size(); }
  /// Fix-its of every recorded finding.
  std::vector<clang::FixItHint> fixes() const;

private:
  struct Note {
    clang::SourceLocation Loc;
    std::string Message;
  };
  struct Finding {
    clang::SourceLocation Loc;
    std::string Message; // with the " [check-id]" suffix
    clang::CharSourceRange Highlight;
    std::vector<clang::FixItHint> Fixes;
    std::vector<Note> Notes;
  };

  clang::DiagnosticsEngine &Out;
  const clang::SourceManager &SM;
  unsigned WarningID, NoteID;
  std::vector<Finding> Findings;
  bool LastWarningKept = false;
  llvm::DenseSet<std::pair<const void *, unsigned>> Seen;
};

} // namespace wqcheck

#endif
