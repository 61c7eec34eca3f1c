//===- ChangedLines.h - the lines a unified diff adds ------------*- C++ -*-===//
//
// --diff=FILE reports only findings on lines that FILE, a unified diff
// (`git diff -U0`, any context size works), adds or changes.  Paths in the
// diff are those after "+++ " without git's "b/" prefix; they are compared
// with a finding's path relative to its source root (the git work tree), or
// with its absolute path.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_TOOL_CHANGEDLINES_H
#define WQCHECK_TOOL_CHANGEDLINES_H

#include "core/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <set>

namespace wqcheck {

class ChangedLines {
public:
  /// Reads the diff in File; fails when it cannot be read or holds no file
  /// header ("+++ ") at all (not a diff).  An empty file is an empty diff.
  static llvm::Expected<ChangedLines> read(llvm::StringRef File);

  /// True when F is on a line the diff adds.
  bool contains(const Finding &F) const;

private:
  llvm::StringMap<std::set<unsigned>> Added; // path -> new line numbers
};

} // namespace wqcheck

#endif
