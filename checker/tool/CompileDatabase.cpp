//===- CompileDatabase.cpp ------------------------------------------------===//
#include "tool/CompileDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;
namespace path = llvm::sys::path;

namespace wqcheck {

static std::string absolute(StringRef Path, StringRef Base = "") {
  SmallString<256> P(Path);
  if (Base.empty())
    sys::fs::make_absolute(P);
  else
    sys::fs::make_absolute(Base, P);
  path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

static CompileEntry toEntry(const clang::tooling::CompileCommand &C) {
  CompileEntry E;
  E.Directory = absolute(C.Directory);
  E.File = absolute(C.Filename, E.Directory);
  if (!C.CommandLine.empty())
    E.Flags.assign(C.CommandLine.begin() + 1, C.CommandLine.end());
  return E;
}

Expected<std::vector<CompileEntry>>
loadCompileEntries(StringRef DirOrFile, ArrayRef<std::string> Files) {
  SmallString<256> DB(DirOrFile);
  if (sys::fs::is_directory(DB))
    path::append(DB, "compile_commands.json");
  if (!sys::fs::exists(DB))
    return createStringError(inconvertibleErrorCode(),
                             "no compilation database '%s' (make one with the "
                             "kernel's scripts/clang-tools/"
                             "gen_compile_commands.py)",
                             DB.c_str());
  auto Buffer = MemoryBuffer::getFile(DB, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read '%s': %s",
                             DB.c_str(), Buffer.getError().message().c_str());
  // clang's loader parses with a YAML parser that prints its own errors:
  // check the JSON first, for one clear line.
  if (Expected<json::Value> V = json::parse((*Buffer)->getBuffer()); !V)
    return createStringError(inconvertibleErrorCode(), "%s: %s", DB.c_str(),
                             toString(V.takeError()).c_str());
  std::string Error;
  auto Database = clang::tooling::JSONCompilationDatabase::loadFromBuffer(
      (*Buffer)->getBuffer(), Error,
      clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Database)
    return createStringError(inconvertibleErrorCode(), "%s: %s", DB.c_str(),
                             Error.c_str());

  std::vector<CompileEntry> Entries;
  if (Files.empty()) {
    for (const auto &C : Database->getAllCompileCommands())
      Entries.push_back(toEntry(C));
    if (Entries.empty())
      return createStringError(inconvertibleErrorCode(),
                               "'%s' has no entries", DB.c_str());
    return Entries;
  }
  for (const std::string &F : Files) {
    std::string Abs = absolute(F);
    auto Commands = Database->getCompileCommands(Abs);
    if (Commands.empty())
      return createStringError(inconvertibleErrorCode(),
                               "'%s' is not in '%s'", F.c_str(), DB.c_str());
    for (const auto &C : Commands)
      Entries.push_back(toEntry(C));
  }
  return Entries;
}

} // namespace wqcheck
