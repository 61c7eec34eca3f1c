//===- ReportFile.cpp - where reports are written -------------------------===//
#include "core/Report.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
namespace path = llvm::sys::path;

namespace wqcheck {

bool isReportDirectory(StringRef Path) {
  return Path.ends_with("/") || sys::fs::is_directory(Path);
}

std::string reportFileIn(StringRef Dir, StringRef TU, StringRef Ext) {
  SmallString<256> Abs(TU);
  sys::fs::make_absolute(Abs);
  path::remove_dots(Abs, /*remove_dot_dot=*/true);
  std::string Name = path::convert_to_slash(Abs);
  Name = StringRef(Name).ltrim('/').str();
  for (char &C : Name)
    if (C == '/')
      C = '_';
  SmallString<256> File(Dir);
  path::append(File, Name + "." + Ext);
  return std::string(File);
}

Error writeFileAtomically(StringRef Path, StringRef Contents) {
  StringRef Parent = path::parent_path(Path);
  if (!Parent.empty())
    if (std::error_code EC = sys::fs::create_directories(Parent))
      return createStringError(EC, "cannot create directory '%s': %s",
                               Parent.str().c_str(), EC.message().c_str());
  SmallString<256> Temp;
  int FD;
  if (std::error_code EC = sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD,
                                                     Temp))
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(),
                             EC.message().c_str());
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.close();
    if (OS.has_error()) {
      sys::fs::remove(Temp);
      return createStringError(OS.error(), "cannot write '%s': %s",
                               Path.str().c_str(),
                               OS.error().message().c_str());
    }
  }
  if (std::error_code EC = sys::fs::rename(Temp, Path)) {
    sys::fs::remove(Temp);
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(),
                             EC.message().c_str());
  }
  return Error::success();
}

} // namespace wqcheck
