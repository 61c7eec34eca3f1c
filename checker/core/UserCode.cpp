//===- UserCode.cpp -------------------------------------------------------===//
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace wqcheck {

static std::string absoluteDirOf(llvm::StringRef File) {
  llvm::SmallString<256> Path(File);
  llvm::sys::fs::make_absolute(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return llvm::sys::path::parent_path(Path).str();
}

bool UserCode::isUserFile(FileID FID) {
  if (FID.isInvalid())
    return false;
  FileID Main = SM.getMainFileID();
  if (FID == Main)
    return true;
  auto [It, Inserted] = Cache.try_emplace(FID, false);
  if (!Inserted)
    return It->second;
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(FID);
  OptionalFileEntryRef MainEntry = SM.getFileEntryRefForID(Main);
  if (!Entry || !MainEntry)
    return false;
  if (MainDir.empty())
    MainDir = absoluteDirOf(MainEntry->getName());
  std::string Dir = absoluteDirOf(Entry->getName());
  llvm::StringRef D(Dir);
  It->second = D.consume_front(MainDir) &&
               (D.empty() || llvm::sys::path::is_separator(D.front()));
  return It->second;
}

SourceLocation UserCode::reportLocation(SourceLocation Loc) {
  if (Loc.isInvalid())
    return SourceLocation();
  if (Loc.isFileID())
    return isUserFile(SM.getFileID(Loc)) ? Loc : SourceLocation();
  SourceLocation Spelling = SM.getSpellingLoc(Loc);
  if (Spelling.isFileID() && isUserFile(SM.getFileID(Spelling)))
    return Spelling;
  SourceLocation Expansion = SM.getExpansionLoc(Loc);
  return isUserFile(SM.getFileID(Expansion)) ? Expansion : SourceLocation();
}

const std::vector<Decl *> &UserCode::topLevelDecls(ASTContext &AST) {
  if (!TopLevel) {
    TopLevel.emplace();
    for (Decl *D : AST.getTranslationUnitDecl()->decls())
      if (reportLocation(D->getLocation()).isValid())
        TopLevel->push_back(D);
  }
  return *TopLevel;
}

const std::vector<Decl *> &UserCode::declsWithUserTokens(ASTContext &AST) {
  if (UserTokens.empty())
    return topLevelDecls(AST);
  if (!WithUserTokens) {
    WithUserTokens.emplace();
    for (Decl *D : AST.getTranslationUnitDecl()->decls()) {
      if (reportLocation(D->getLocation()).isValid()) {
        WithUserTokens->push_back(D);
        continue;
      }
      SourceLocation B = SM.getExpansionLoc(D->getBeginLoc());
      SourceLocation E = SM.getExpansionLoc(D->getEndLoc());
      if (B.isInvalid() || E.isInvalid())
        continue;
      for (SourceLocation L : UserTokens)
        if (!SM.isBeforeInTranslationUnit(L, B) &&
            !SM.isBeforeInTranslationUnit(E, L)) {
          WithUserTokens->push_back(D);
          break;
        }
    }
  }
  return *WithUserTokens;
}

SourceLocation UserCode::macroUse(SourceLocation Loc, std::string &Macro) {
  if (Loc.isInvalid() || Loc.isFileID() || SM.isMacroArgExpansion(Loc))
    return SourceLocation();
  SourceLocation Spelling = SM.getSpellingLoc(Loc);
  if (!Spelling.isFileID() || !isUserFile(SM.getFileID(Spelling)))
    return SourceLocation();
  SourceLocation Use = SM.getExpansionLoc(Loc);
  if (!isUserFile(SM.getFileID(Use)) || Use == Spelling)
    return SourceLocation();
  Macro = Lexer::getImmediateMacroName(Loc, SM, LangOptions()).str();
  return Use;
}

} // namespace wqcheck
