//===- UserCode.h - which code belongs to the user ---------------*- C++ -*-===//
//
// wqcheck reports in the code being checked, never in the kernel's own
// headers: the main file and the headers in its directory or below (a
// driver's local foo.h).  A location inside a macro expansion is reported
// where the user spelled the offending token when that is user code (the
// body of a driver's own macro), otherwise where the user's macro was used.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_CORE_USERCODE_H
#define WQCHECK_CORE_USERCODE_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class SourceManager;
}

namespace wqcheck {

class UserCode {
public:
  explicit UserCode(const clang::SourceManager &SM) : SM(SM) {}

  /// True for the main file and for files under the main file's directory.
  bool isUserFile(clang::FileID FID);

  /// The file location at which a finding about Loc is reported, or an
  /// invalid location when neither its spelling nor its expansion is in
  /// user code.
  clang::SourceLocation reportLocation(clang::SourceLocation Loc);

  /// When reportLocation(Loc) is in the body of one of the user's macros
  /// (`#define crb_win_lock(a) netxen_pcie_sem_lock(..)`): the place in
  /// user code where that macro is used, and its name, for a note; else an
  /// invalid location.
  clang::SourceLocation macroUse(clang::SourceLocation Loc,
                                 std::string &Macro);

  /// The translation unit's top-level declarations whose location is user
  /// code (reportLocation() valid), in order; computed once.  A kernel
  /// translation unit has tens of thousands of declarations from headers,
  /// which every check used to walk (issue 15: plugin cost).
  const std::vector<clang::Decl *> &topLevelDecls(clang::ASTContext &AST);

  /// Where a kernel header holds tokens of the user's: the expansion of a
  /// macro the user defined (`#define KAPI_HOOK() flush_scheduled_work()`
  /// used in a header's inline function), an #include of a user file.
  /// Recorded by the consumer's preprocessor callbacks.
  void noteUserTokensAt(clang::SourceLocation Loc) { UserTokens.push_back(Loc); }

  /// topLevelDecls() and, in order among them, the declarations of kernel
  /// headers that hold such tokens: what a walk for the user's calls must
  /// see (wq-deprecated and wq-format report a call in the user's macro).
  const std::vector<clang::Decl *> &declsWithUserTokens(clang::ASTContext &AST);

private:
  const clang::SourceManager &SM;
  std::string MainDir;
  llvm::DenseMap<clang::FileID, bool> Cache;
  std::optional<std::vector<clang::Decl *>> TopLevel, WithUserTokens;
  std::vector<clang::SourceLocation> UserTokens;
};

} // namespace wqcheck

#endif
