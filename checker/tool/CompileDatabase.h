//===- CompileDatabase.h - wqcheck -p: files from compile_commands.json -*- C++ -*-===//
//
// Reads a compilation database (the kernel's
// scripts/clang-tools/gen_compile_commands.py writes one, with gcc's flags
// in "command"; "arguments" works too) and yields, for the files asked for
// or for every entry, the directory to run in, the compiler flags without
// the compiler itself, and the file.  The flags still need
// filterCompilerArgs(), like a kbuild command line.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_TOOL_COMPILEDATABASE_H
#define WQCHECK_TOOL_COMPILEDATABASE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace wqcheck {

struct CompileEntry {
  std::string Directory;          ///< absolute; the compile runs there
  std::string File;               ///< absolute
  std::vector<std::string> Flags; ///< the command line minus argv[0]
};

/// The entries of DirOrFile/compile_commands.json (or of DirOrFile itself
/// when it is a .json file) for Files (each must be in the database; a
/// relative path is relative to the current directory), or all entries when
/// Files is empty.  Errors: no database, a database that does not parse, a
/// file that is not in it.
llvm::Expected<std::vector<CompileEntry>>
loadCompileEntries(llvm::StringRef DirOrFile, llvm::ArrayRef<std::string> Files);

} // namespace wqcheck

#endif
