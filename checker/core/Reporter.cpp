//===- Reporter.cpp -------------------------------------------------------===//
#include "core/Reporter.h"
#include <algorithm>

using namespace clang;

namespace wqcheck {

Reporter::Reporter(DiagnosticsEngine &Out, const SourceManager &SM)
    : Out(Out), SM(SM),
      WarningID(Out.getCustomDiagID(DiagnosticsEngine::Warning, "%0")),
      NoteID(Out.getCustomDiagID(DiagnosticsEngine::Note, "%0")) {}

bool Reporter::warn(llvm::StringRef CheckId, SourceLocation Loc,
                    const llvm::Twine &Message, CharSourceRange Highlight,
                    llvm::ArrayRef<FixItHint> Fixes) {
  // Check ids are string literals from Checks.def: their address is stable.
  auto Key = std::make_pair(static_cast<const void *>(CheckId.data()),
                            Loc.getRawEncoding());
  LastWarningKept = Seen.insert(Key).second;
  if (!LastWarningKept)
    return false;
  Findings.push_back({Loc, (Message + " [" + CheckId + "]").str(), Highlight,
                      std::vector<FixItHint>(Fixes.begin(), Fixes.end()),
                      {}});
  return true;
}

void Reporter::note(SourceLocation Loc, const llvm::Twine &Message) {
  if (LastWarningKept && !Findings.empty())
    Findings.back().Notes.push_back({Loc, Message.str()});
}

void Reporter::flush() {
  std::stable_sort(Findings.begin(), Findings.end(),
                   [&](const Finding &A, const Finding &B) {
                     return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
                   });
  for (const Finding &F : Findings) {
    {
      auto D = Out.Report(F.Loc, WarningID);
      D << F.Message;
      if (F.Highlight.isValid())
        D << F.Highlight;
      for (const FixItHint &Fix : F.Fixes)
        D << Fix;
    }
    for (const Note &N : F.Notes)
      Out.Report(N.Loc, NoteID) << N.Message;
  }
}

std::vector<FixItHint> Reporter::fixes() const {
  std::vector<FixItHint> All;
  for (const Finding &F : Findings)
    All.insert(All.end(), F.Fixes.begin(), F.Fixes.end());
  return All;
}

} // namespace wqcheck
