//===- Finding.cpp --------------------------------------------------------===//
#include "core/Finding.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include <cctype>
#include <map>

using namespace clang;
namespace path = llvm::sys::path;

namespace wqcheck {

static std::string absolutePath(llvm::StringRef File) {
  llvm::SmallString<256> P(File);
  llvm::sys::fs::make_absolute(P);
  path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

Position positionOf(const SourceManager &SM, SourceLocation Loc) {
  Position P;
  if (Loc.isInvalid())
    return P;
  Loc = SM.getFileLoc(Loc);
  if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(SM.getFileID(Loc)))
    P.File = absolutePath(Entry->getName());
  P.Line = SM.getSpellingLineNumber(Loc);
  P.Column = SM.getSpellingColumnNumber(Loc);
  return P;
}

std::string enclosingDeclName(ASTContext &AST, SourceLocation Loc) {
  const SourceManager &SM = AST.getSourceManager();
  Loc = SM.getFileLoc(Loc);
  FileID FID = SM.getFileID(Loc);
  for (const Decl *D : AST.getTranslationUnitDecl()->decls()) {
    const auto *ND = dyn_cast<NamedDecl>(D);
    if (!ND || !ND->getIdentifier())
      continue;
    SourceLocation Begin = SM.getExpansionLoc(D->getBeginLoc());
    SourceLocation End = SM.getExpansionRange(D->getEndLoc()).getEnd();
    if (SM.getFileID(Begin) != FID || SM.getFileID(End) != FID)
      continue;
    if (SM.isPointWithin(Loc, Begin, End))
      return ND->getName().str();
  }
  return "";
}

std::string sourceRootOf(llvm::StringRef File, llvm::StringRef Root) {
  if (!Root.empty())
    return absolutePath(Root);
  // Cached per directory: a kernel-wide run asks for thousands of files.
  static llvm::StringMap<std::string> Cache;
  std::string Dir = path::parent_path(absolutePath(File)).str();
  auto It = Cache.find(Dir);
  if (It != Cache.end())
    return It->second;
  std::string Found;
  for (llvm::StringRef D = Dir; !D.empty(); D = path::parent_path(D)) {
    llvm::SmallString<256> Git(D);
    path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git)) {
      Found = D.str();
      break;
    }
    if (D == path::root_path(D))
      break;
  }
  Cache[Dir] = Found;
  return Found;
}

std::string relativeTo(llvm::StringRef File, llvm::StringRef Root) {
  llvm::StringRef Rest = File;
  if (Root.empty() || !Rest.consume_front(Root) ||
      (!Rest.empty() && !path::is_separator(Rest.front())))
    return File.str();
  return path::convert_to_slash(Rest.ltrim('/'));
}

/// Whitespace collapsed to single spaces and trimmed; runs of digits become
/// "0" in messages (a message may quote a line number that shifts).
static std::string normalize(llvm::StringRef S, bool Digits) {
  std::string Out;
  bool Space = false, Digit = false;
  for (char C : S.trim()) {
    if (std::isspace(static_cast<unsigned char>(C))) {
      Space = true;
      continue;
    }
    if (Space && !Out.empty())
      Out += ' ';
    Space = false;
    bool IsDigit = Digits && std::isdigit(static_cast<unsigned char>(C));
    if (IsDigit && Digit)
      continue;
    Digit = IsDigit;
    Out += IsDigit ? '0' : C;
  }
  return Out;
}

void computeFingerprints(std::vector<Finding> &Findings, llvm::StringRef Root) {
  std::map<std::string, unsigned> Seen; // hash -> occurrences so far
  for (Finding &F : Findings) {
    F.Path = relativeTo(F.Where.File, sourceRootOf(F.Where.File, Root));
    std::string Key = F.CheckId + '\0' + F.Path + '\0' + F.Function + '\0' +
                      normalize(F.Message, /*Digits=*/true) + '\0' +
                      normalize(F.LineText, /*Digits=*/false);
    auto Hash = llvm::SHA256::hash(llvm::arrayRefFromStringRef(Key));
    std::string Hex =
        llvm::toHex(llvm::ArrayRef<uint8_t>(Hash.data(), 8), /*LowerCase=*/true);
    F.Fingerprint = Hex + ":" + std::to_string(++Seen[Hex]);
  }
}

} // namespace wqcheck
