//===- Reporter.cpp -------------------------------------------------------===//
#include "core/Reporter.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
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
  // While capturing, one place may carry several findings (one per work
  // item a free may hit): told apart by their message.
  LastWarningKept =
      Capturing ? !Seen.count(Key) &&
                      CapturedSeen.insert({Loc.getRawEncoding(), Message.str()})
                          .second
                : Seen.insert(Key).second;
  if (!LastWarningKept && !Capturing && !WarningIsPossible) {
    // A finding of the default level takes the place of one printed only
    // at --level=possible at the same place (a possible finding of another
    // work item reached first must not hide it: 6.1 ite-it6505.c
    // it6505_i2c_remove(), hdcp_work and extcon_wq).
    auto Weaker = std::find_if(
        Findings.begin(), Findings.end(), [&](const Recorded &R) {
          return R.Possible && R.CheckId == CheckId && R.Loc == Loc;
        });
    if (Weaker == Findings.end())
      return false;
    Findings.erase(Weaker);
    LastWarningKept = true;
  }
  if (!LastWarningKept)
    return false;
  Recorded R;
  R.Loc = Loc;
  R.CheckId = CheckId.str();
  R.Message = Message.str();
  R.Highlight = Highlight;
  R.Fixes.assign(Fixes.begin(), Fixes.end());
  target().push_back(std::move(R));
  return true;
}

bool Reporter::possible(llvm::StringRef CheckId, SourceLocation Loc,
                        const llvm::Twine &Message, const llvm::Twine &Basis) {
  if (Capturing) {
    LastWarningKept = false;
    return false;
  }
  if (Level == ReportLevel::Evidence) {
    ++BelowLevel;
    LastWarningKept = false;
    return false;
  }
  WarningIsPossible = true;
  bool Kept = warn(CheckId, Loc, Message);
  WarningIsPossible = false;
  if (!Kept)
    return false;
  Findings.back().Possible = true;
  Findings.back().Basis =
      "reported at --level=possible only: " + Basis.str();
  return true;
}

void Reporter::note(SourceLocation Loc, const llvm::Twine &Message) {
  if (LastWarningKept && !target().empty())
    target().back().Notes.push_back({Loc, Message.str()});
}

void Reporter::beginCapture() {
  Capturing = true;
  Captured.clear();
  CapturedSeen.clear();
}

std::vector<Finding> Reporter::endCapture(ASTContext *AST) {
  Capturing = false;
  LastWarningKept = false;
  std::vector<Finding> Out;
  for (const Recorded &R : Captured)
    Out.push_back(describe(R, AST));
  Captured.clear();
  return Out;
}

/// The reported line of Loc, without its line break.
static std::string lineText(const SourceManager &SM, SourceLocation Loc) {
  Loc = SM.getFileLoc(Loc);
  auto [FID, Offset] = SM.getDecomposedLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(FID, &Invalid);
  if (Invalid || Offset > Buffer.size())
    return "";
  // rfind looks at the characters before Offset only.
  size_t Begin = Buffer.rfind('\n', Offset);
  Begin = Begin == llvm::StringRef::npos ? 0 : Begin + 1;
  size_t End = Buffer.find('\n', Offset);
  return Buffer.slice(Begin, End).rtrim("\r").str();
}

Finding Reporter::describe(const Recorded &R, ASTContext *AST) const {
  static const LangOptions DefaultLangOpts;
  const LangOptions &LO = AST ? AST->getLangOpts() : DefaultLangOpts;
  Finding F;
  F.CheckId = R.CheckId;
  F.Message = R.Message;
  F.Where = positionOf(SM, R.Loc);
  F.Spelled = SM.getFilename(SM.getFileLoc(R.Loc)).str();
  if (AST)
    F.Function = enclosingDeclName(*AST, R.Loc);
  F.LineText = lineText(SM, R.Loc);
  for (const Note &N : R.Notes)
    F.Notes.push_back({positionOf(SM, N.Loc), N.Message});
  F.Possible = R.Possible;
  if (R.Possible)
    F.Notes.push_back({positionOf(SM, R.Loc), R.Basis});
  for (const FixItHint &H : R.Fixes) {
    CharSourceRange Range =
        Lexer::makeFileCharRange(H.RemoveRange, SM, LO);
    if (Range.isInvalid())
      continue;
    F.Fixes.push_back({positionOf(SM, Range.getBegin()),
                       positionOf(SM, Range.getEnd()), H.CodeToInsert});
  }
  return F;
}

void Reporter::flush(ASTContext *AST) {
  std::stable_sort(Findings.begin(), Findings.end(),
                   [&](const Recorded &A, const Recorded &B) {
                     return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
                   });
  Described.clear();
  for (const Recorded &R : Findings)
    Described.push_back(describe(R, AST));
  if (Review)
    Review(Described);
  Flushed = true;
  Dropped = 0;
  for (size_t I = 0; I < Findings.size(); ++I) {
    if (!Described[I].Reported) {
      ++Dropped;
      continue;
    }
    const Recorded &F = Findings[I];
    {
      auto D = Out.Report(F.Loc, WarningID);
      D << (F.Message + " [" + F.CheckId + "]");
      if (F.Highlight.isValid())
        D << F.Highlight;
      for (const FixItHint &Fix : F.Fixes)
        D << Fix;
    }
    for (const Note &N : F.Notes)
      Out.Report(N.Loc, NoteID) << N.Message;
    if (F.Possible)
      Out.Report(F.Loc, NoteID) << F.Basis;
  }
}

unsigned Reporter::findingCount() const {
  return Flushed ? Findings.size() - Dropped : Findings.size();
}

std::vector<FixItHint> Reporter::fixes() const {
  std::vector<FixItHint> All;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Flushed || Described[I].Reported)
      All.insert(All.end(), Findings[I].Fixes.begin(), Findings[I].Fixes.end());
  return All;
}

} // namespace wqcheck
