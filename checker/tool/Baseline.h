//===- Baseline.h - findings recorded earlier, not to report again -*- C++ -*-===//
//
// A baseline is a text file, one finding per line:
//   <fingerprint> TAB <check> TAB <path>:<line> TAB <message>
// Only the fingerprint counts (core/Finding.h: it does not contain the line
// number); the rest is for people reading the file.  Lines starting with '#'
// and empty lines are ignored, so baselines of several runs (CI shards,
// --write-baseline=DIR/) merge with `sort -u`.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_TOOL_BASELINE_H
#define WQCHECK_TOOL_BASELINE_H

#include "core/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

namespace wqcheck {

class Baseline {
public:
  /// Reads File; fails when it cannot be read or a line is not a baseline
  /// line (the error names the file and line).
  static llvm::Expected<Baseline> read(llvm::StringRef File);

  bool contains(const Finding &F) const {
    return Fingerprints.contains(F.Fingerprint);
  }
  size_t size() const { return Fingerprints.size(); }

  /// The baseline text for Findings, sorted by path and line, one line per
  /// distinct fingerprint.
  static std::string render(llvm::ArrayRef<Finding> Findings);

private:
  llvm::StringSet<> Fingerprints;
};

} // namespace wqcheck

#endif
