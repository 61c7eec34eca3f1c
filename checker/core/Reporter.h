//===- Reporter.h - how checks report findings -------------------*- C++ -*-===//
//
// Every finding is a warning "<message> [<check-id>]" at a location in the
// user's code, followed by notes at related places, optionally carrying
// fix-its.  The Reporter sends them to a clang DiagnosticsEngine: the
// compiler's own in the plugin (so -verify, -fixit and IDEs see them), a
// dedicated one printing to stderr in the CLI.  Findings are buffered and
// emitted in source order at the end of the translation unit; a finding
// reported twice at the same place (a macro used twice, two paths) is
// emitted once.  Before they are emitted, each becomes a Finding (plain data,
// core/Finding.h) that a review -- the CLI's baseline and changed-lines
// filters -- may drop, and that the JSON and SARIF reports are made of.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_CORE_REPORTER_H
#define WQCHECK_CORE_REPORTER_H

#include "core/Finding.h"
#include "core/Options.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace wqcheck {

/// Sees every finding of a translation unit, in source order, before it is
/// emitted, and may clear Finding::Reported to drop one.
using FindingReview = std::function<void(std::vector<Finding> &)>;

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

  /// Records a finding that rests only on what the check could not prove
  /// safe (ReportLevel::Possible).  Below that level it is dropped (and
  /// returns false, so its notes are dropped too); at it, it is a warning
  /// like any other, whose last note says Basis: why it is only possible.
  bool possible(llvm::StringRef CheckId, clang::SourceLocation Loc,
                const llvm::Twine &Message, const llvm::Twine &Basis);

  /// Which findings are printed (default: evidence only).
  void setLevel(ReportLevel L) { Level = L; }
  /// Findings dropped because they are below the level.
  unsigned belowLevelCount() const { return BelowLevel; }

  /// Attaches a note to the last warning.
  void note(clang::SourceLocation Loc, const llvm::Twine &Message);

  /// Findings reported between beginCapture() and endCapture() are not
  /// emitted: endCapture() returns them as data (those the same check
  /// already reported at the same place excluded).  A check uses it to
  /// ask what it would report under another assumption (the cross-file
  /// summaries' pending findings, db/Facts.h).  Possible-level findings
  /// are not captured.
  void beginCapture();
  std::vector<Finding> endCapture(clang::ASTContext *AST);
  bool capturing() const { return Capturing; }

  /// Called by flush() before anything is emitted.
  void setReview(FindingReview R) { Review = std::move(R); }

  /// Emits the recorded findings that the review keeps, sorted by location.
  /// With AST, findings know their enclosing declaration (fingerprints).
  void flush(clang::ASTContext *AST = nullptr);

  /// Before flush(): the recorded findings; after: those emitted.
  unsigned findingCount() const;
  /// After flush(): the findings the review dropped.
  unsigned droppedCount() const { return Dropped; }
  /// After flush(): every finding as data, emitted or dropped (see
  /// Finding::Reported), in source order.
  const std::vector<Finding> &findings() const { return Described; }
  /// Fix-its of the findings that are (to be) emitted.
  std::vector<clang::FixItHint> fixes() const;

private:
  struct Note {
    clang::SourceLocation Loc;
    std::string Message;
  };
  struct Recorded {
    clang::SourceLocation Loc;
    std::string CheckId;
    std::string Message; // without the " [check-id]" suffix
    clang::CharSourceRange Highlight;
    std::vector<clang::FixItHint> Fixes;
    std::vector<Note> Notes;
    bool Possible = false;
    std::string Basis; ///< for Possible: the last note
  };

  Finding describe(const Recorded &R, clang::ASTContext *AST) const;
  std::vector<Recorded> &target() { return Capturing ? Captured : Findings; }

  clang::DiagnosticsEngine &Out;
  const clang::SourceManager &SM;
  unsigned WarningID, NoteID;
  std::vector<Recorded> Findings;
  bool LastWarningKept = false;
  /// warn() called by possible(): the finding is of the lower level.
  bool WarningIsPossible = false;
  llvm::DenseSet<std::pair<const void *, unsigned>> Seen;
  FindingReview Review;
  std::vector<Finding> Described; // parallel to Findings after flush()
  unsigned Dropped = 0;
  ReportLevel Level = ReportLevel::Evidence;
  unsigned BelowLevel = 0;
  bool Flushed = false;
  bool Capturing = false;
  std::vector<Recorded> Captured;
  std::set<std::pair<unsigned, std::string>> CapturedSeen;
};

} // namespace wqcheck

#endif
