//===- Report.h - findings as JSON or SARIF, written to files ----*- C++ -*-===//
//
// The machine-readable reports of the CLI (--format, --output) and the plugin
// (-fplugin-arg-wqcheck-format=, -output=).  See docs/usage.md for the
// formats and docs/ci.md for merging the reports of several runs.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_CORE_REPORT_H
#define WQCHECK_CORE_REPORT_H

#include "core/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <string>

namespace wqcheck {

enum class ReportFormat { Text, Json, Sarif };

/// "text", "json" or "sarif".
std::optional<ReportFormat> parseReportFormat(llvm::StringRef Name);
/// The file name extension of a report: "txt", "json", "sarif".
llvm::StringRef extensionOf(ReportFormat F);

/// The JSON report: an array with one object per finding (merge several
/// with `jq -s add`).
llvm::json::Value jsonReport(llvm::ArrayRef<Finding> Findings);

struct SarifOptions {
  /// Where paths are relative to (uriBaseId SRCROOT); see sourceRootOf().
  std::string Root;
  /// helpUri of rule X is DocsURL + X + ".md"; default: the docs/checks/
  /// directory of the source tree wqcheck was built from (file://).
  std::string DocsURL;
  /// Results carry baselineState "new" (their run was filtered against a
  /// baseline).
  bool AgainstBaseline = false;
};

/// A SARIF 2.1.0 log with one run of wqcheck: every check as a rule,
/// Findings as results.
llvm::json::Value sarifReport(llvm::ArrayRef<Finding> Findings,
                              const SarifOptions &Opts);

/// True when Path names a directory for per-file reports: it ends with '/'
/// or is an existing directory.
bool isReportDirectory(llvm::StringRef Path);

/// The report file for translation unit TU in directory Dir: Dir/<TU's
/// absolute path with '/' turned into '_'>.Ext, so that parallel runs
/// (make -j) never write the same file and a re-check replaces its report.
std::string reportFileIn(llvm::StringRef Dir, llvm::StringRef TU,
                         llvm::StringRef Ext);

/// Writes Contents to Path (created or truncated), creating the parent
/// directory; atomically (a temporary file renamed), so a reader never sees
/// half a report.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Contents);

} // namespace wqcheck

#endif
