//===- UserCode.cpp -------------------------------------------------------===//
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
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
    // The places, by file, in order: a declaration holds one when one lies
    // between its begin and end in its file (`#define pr_fmt` of a driver
    // puts the user's tokens into many headers' inline functions).
    llvm::DenseMap<FileID, std::vector<unsigned>> Marks;
    for (SourceLocation L : UserTokens) {
      auto [F, Off] = SM.getDecomposedLoc(L);
      Marks[F].push_back(Off);
    }
    for (auto &M : Marks)
      llvm::sort(M.second);
    for (Decl *D : AST.getTranslationUnitDecl()->decls()) {
      if (reportLocation(D->getLocation()).isValid()) {
        WithUserTokens->push_back(D);
        continue;
      }
      SourceLocation B = SM.getExpansionLoc(D->getBeginLoc());
      SourceLocation E = SM.getExpansionLoc(D->getEndLoc());
      if (B.isInvalid() || E.isInvalid())
        continue;
      auto [FB, OffB] = SM.getDecomposedLoc(B);
      auto [FE, OffE] = SM.getDecomposedLoc(E);
      if (FB != FE) { // begins and ends in two files: compare each place
        if (llvm::any_of(UserTokens, [&](SourceLocation L) {
              return !SM.isBeforeInTranslationUnit(L, B) &&
                     !SM.isBeforeInTranslationUnit(E, L);
            }))
          WithUserTokens->push_back(D);
        continue;
      }
      auto It = Marks.find(FB);
      if (It == Marks.end())
        continue;
      auto First = std::lower_bound(It->second.begin(), It->second.end(), OffB);
      if (First != It->second.end() && *First <= OffE)
        WithUserTokens->push_back(D);
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
