//===- CompilerArgs.h - turn a gcc/sparse command line into clang's -*- C++ -*-===//
#ifndef WQCHECK_TOOL_COMPILERARGS_H
#define WQCHECK_TOOL_COMPILERARGS_H

#include "llvm/ADT/ArrayRef.h"
#include <string>
#include <vector>

namespace wqcheck {

/// A compiler command line as kbuild hands it to $(CHECK): sparse's
/// CHECKFLAGS, then the gcc c_flags, then the source file.
struct CompilerArgs {
  std::vector<std::string> Args;     ///< what clang gets (no inputs)
  std::vector<std::string> Inputs;   ///< source files
  std::vector<std::string> Unknown;  ///< dropped: clang does not know them
  std::string Error;                 ///< set when the line is unusable
};

/// Keeps what clang understands of Raw, so that the file is parsed as the
/// kernel compiles it: drops sparse-only and gcc-only flags (documented in
/// docs/usage.md), dependency-file and output flags, and anything clang's
/// driver does not know.
CompilerArgs filterCompilerArgs(llvm::ArrayRef<std::string> Raw);

} // namespace wqcheck

#endif
