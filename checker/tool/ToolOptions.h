//===- ToolOptions.h - the wqcheck command line ------------------*- C++ -*-===//
#ifndef WQCHECK_TOOL_TOOLOPTIONS_H
#define WQCHECK_TOOL_TOOLOPTIONS_H

#include "core/Options.h"
#include "core/Report.h"
#include <optional>
#include <string>
#include <vector>

namespace wqcheck {

/// What the command line asks for.  Paths are absolute (relative to the
/// directory wqcheck was started in): -p runs each file in its own
/// directory.
struct ToolOptions {
  Options Analysis;
  bool Werror = false;
  /// --full-parse: also parse the bodies of functions defined outside user
  /// code (kernel headers' static inline functions), which the CLI skips.
  bool FullParse = false;
  ReportFormat Format = ReportFormat::Text;
  std::string Output;        ///< --output: file, or directory (per file)
  std::string Baseline;      ///< --baseline
  std::string WriteBaseline; ///< --write-baseline: file, or directory
  std::string Diff;          ///< --diff
  std::string Root;          ///< --root
  std::string DocsURL;       ///< --docs-url
  std::optional<std::string> CompileDB; ///< -p
  /// Without -p: the compiler flags and files, as kbuild passes them;
  /// with -p: the files to check.
  std::vector<std::string> Rest;
};

/// What main() does after parsing.
enum class ToolAction { Run, Exit };

/// Parses argv.  Returns Exit with Status set for --help, --version,
/// --list-checks and errors (the message is printed).
ToolAction parseToolOptions(int argc, const char **argv, ToolOptions &Opts,
                            int &Status);

} // namespace wqcheck

#endif
