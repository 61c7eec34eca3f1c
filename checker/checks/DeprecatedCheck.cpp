//===- DeprecatedCheck.cpp - wq-deprecated --------------------------------===//
//
// Reports deprecated workqueue API where the user wrote it:
//   - create_workqueue(), create_singlethread_workqueue(),
//     create_freezable_workqueue(): legacy constructors scheduled for
//     removal; a fix-it rewrites them to alloc_workqueue() /
//     alloc_ordered_workqueue() with the same flags minus __WQ_LEGACY;
//   - flush_scheduled_work(): flushes the system-wide workqueue;
//   - flush_workqueue(Q) with Q a system-wide workqueue.
// The rows come from api/KernelAPI.def.  These names are macros in some
// kernels (6.1) and functions in others, so both forms are recognised: macro
// expansions through a preprocessor callback (before the name disappears),
// calls through the AST.  Either way the finding is at the user's spelling.
//
// Docs: docs/checks/wq-deprecated.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/ApiCalls.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <optional>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

/// One use of a deprecated API, found in either form.
struct Use {
  StringRef Name;              ///< what the user called
  SourceLocation NameLoc;      ///< the called name (may be in a macro)
  CharSourceRange CallRange;   ///< name ... ')' in file coordinates, if known
  std::string FlushedQueue;    ///< for a queue flush: the system queue
};

class DeprecatedCheck : public Check {
public:
  using Check::Check;

  void registerPPCallbacks(Preprocessor &PP) override;
  void checkTranslationUnit(ASTContext &AST) override;

  void report(const Use &U);

  /// One of the table's deprecated-API names (a pointer comparison: the
  /// callbacks see every macro expansion and call of the translation unit,
  /// kernel headers included).
  bool isApiName(const IdentifierInfo *II) const {
    return II && Names.count(II);
  }

private:
  std::optional<FixItHint> createFix(const Use &U,
                                     const api::DeprecatedCreate &Row);
  llvm::SmallPtrSet<const IdentifierInfo *, 8> Names;
};

/// If the argument is exactly one identifier (optionally parenthesised),
/// returns it.
StringRef singleIdentifier(const Token *Arg) {
  unsigned Len = MacroArgs::getArgLength(Arg);
  unsigned Begin = 0, End = Len;
  while (End - Begin >= 3 && Arg[Begin].is(tok::l_paren) &&
         Arg[End - 1].is(tok::r_paren)) {
    ++Begin;
    --End;
  }
  if (End - Begin != 1)
    return "";
  const Token &T = Arg[Begin];
  if (T.is(tok::identifier) || T.isAnyIdentifier())
    if (const IdentifierInfo *II = T.getIdentifierInfo())
      return II->getName();
  return "";
}

class MacroUses : public PPCallbacks {
public:
  MacroUses(DeprecatedCheck &Check, const SourceManager &SM)
      : Check(Check), SM(SM) {}

  void MacroExpands(const Token &NameTok, const MacroDefinition &MD,
                    SourceRange Range, const MacroArgs *Args) override {
    const IdentifierInfo *II = NameTok.getIdentifierInfo();
    if (!II || !Check.isApiName(II))
      return;
    StringRef Name = II->getName();
    Use U{Name, NameTok.getLocation(), callRange(Range), ""};
    if (api::findDeprecatedCreate(Name)) {
      Check.report(U);
    } else if (api::findDeprecatedFlushAll(Name)) {
      Check.report(U);
    } else if (const api::QueueFlush *F = api::findQueueFlush(Name)) {
      if (!Args || F->QueueArg >= Args->getNumMacroArguments())
        return;
      StringRef Q = singleIdentifier(Args->getUnexpArgument(F->QueueArg));
      if (!api::isSystemWorkqueue(Q))
        return;
      U.FlushedQueue = Q.str();
      Check.report(U);
    }
  }

private:
  /// The invocation "name(...)" as a file range, spelled in one file.
  CharSourceRange callRange(SourceRange R) {
    SourceLocation B = SM.getSpellingLoc(R.getBegin());
    SourceLocation E = SM.getSpellingLoc(R.getEnd());
    if (!B.isFileID() || !E.isFileID() || SM.getFileID(B) != SM.getFileID(E) ||
        SM.isBeforeInTranslationUnit(E, B))
      return CharSourceRange();
    return CharSourceRange::getTokenRange(B, E);
  }

  DeprecatedCheck &Check;
  const SourceManager &SM;
};

/// Run over UserCode::declsWithUserTokens(): a call in a kernel header's
/// inline function is not the user's to report, unless the user's macro
/// put it there.
class CallFinder : public RecursiveASTVisitor<CallFinder> {
public:
  CallFinder(DeprecatedCheck &Check, ASTContext &AST)
      : Check(Check), AST(AST) {}

  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    if (!Callee || !Check.isApiName(Callee->getIdentifier()))
      return true;
    StringRef Name = Callee->getName();
    Use U{Name, Call->getBeginLoc(), fileRange(Call->getSourceRange()), ""};
    if (api::findDeprecatedCreate(Name)) {
      Check.report(U);
    } else if (api::findDeprecatedFlushAll(Name)) {
      Check.report(U);
    } else if (const api::QueueFlush *F = api::findQueueFlush(Name)) {
      if (F->QueueArg >= Call->getNumArgs())
        return true;
      const Expr *Q = Call->getArg(F->QueueArg)->IgnoreParenImpCasts();
      const auto *Ref = dyn_cast<DeclRefExpr>(Q);
      const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      if (!Var || !Var->hasGlobalStorage() || !Var->getIdentifier() ||
          !api::isSystemWorkqueue(Var->getName()))
        return true;
      U.FlushedQueue = Var->getName().str();
      Check.report(U);
    }
    return true;
  }

private:
  CharSourceRange fileRange(SourceRange R) {
    if (!R.getBegin().isFileID() || !R.getEnd().isFileID())
      return CharSourceRange();
    return CharSourceRange::getTokenRange(R);
  }

  DeprecatedCheck &Check;
  ASTContext &AST;
};

void DeprecatedCheck::registerPPCallbacks(Preprocessor &PP) {
  // The table's names, as the preprocessor's identifiers (the AST shares
  // them).
#define WQ_DEPRECATED_CREATE(Name, ...) Names.insert(PP.getIdentifierInfo(#Name));
#define WQ_DEPRECATED_FLUSH_ALL(Name, ...) Names.insert(PP.getIdentifierInfo(#Name));
#define WQ_QUEUE_FLUSH(Name, ...) Names.insert(PP.getIdentifierInfo(#Name));
#include "api/KernelAPI.def"
  PP.addPPCallbacks(std::make_unique<MacroUses>(*this, PP.getSourceManager()));
}

void DeprecatedCheck::checkTranslationUnit(ASTContext &AST) {
  CallFinder Finder(*this, AST);
  for (Decl *D : Ctx.User.declsWithUserTokens(AST))
    Finder.TraverseDecl(D);
}

/// A string literal without conversions can be the queue's name itself.
bool isPlainStringLiteral(StringRef Text) {
  return Text.size() >= 2 && Text.front() == '"' && Text.back() == '"' &&
         Text.drop_front().drop_back().find_first_of("\"%\\") ==
             StringRef::npos;
}

/// The argument text of a spelled one-argument call "name(arg)": what is
/// between the first '(' and the last ')'.
std::string argumentText(StringRef CallText) {
  size_t Open = CallText.find('(');
  if (Open == StringRef::npos || !CallText.ends_with(")"))
    return "";
  return CallText.slice(Open + 1, CallText.size() - 1).trim().str();
}

std::optional<FixItHint>
DeprecatedCheck::createFix(const Use &U, const api::DeprecatedCreate &Row) {
  std::string ArgText = argumentText(Lexer::getSourceText(
      U.CallRange, Ctx.CI.getSourceManager(), Ctx.CI.getLangOpts()));
  if (ArgText.empty())
    return std::nullopt;
  std::string Flags = Row.Flags.str();
  // Kernels that define WQ_PERCPU (upstream 6.17+, Debian 6.12.118: an
  // enumerator of enum wq_flags, api/KernelAPI.def WQ_AFFINITY_FLAG) want
  // per-CPU queues to say so.
  if (Row.PerCpu && Ctx.CI.hasASTContext() &&
      kernelEnumConstant(Ctx.CI.getASTContext(), "WQ_PERCPU"))
    Flags = "WQ_PERCPU | " + Flags;
  std::string Text = Row.Replacement.str() + "(";
  bool Plain = isPlainStringLiteral(ArgText);
  Text += Plain ? ArgText : "\"%s\"";
  Text += ", " + Flags;
  if (!Row.MaxActive.empty())
    Text += ", " + Row.MaxActive.str();
  if (!Plain)
    Text += ", " + ArgText;
  Text += ")";
  return FixItHint::CreateReplacement(U.CallRange, Text);
}

void DeprecatedCheck::report(const Use &U) {
  SourceLocation Loc = Ctx.User.reportLocation(U.NameLoc);
  if (Loc.isInvalid())
    return;
  // Highlight and rewrite only a call that is the user's own text, in the
  // file where the finding is reported.
  const SourceManager &SM = Ctx.CI.getSourceManager();
  CharSourceRange Call;
  if (U.CallRange.isValid() &&
      SM.getFileID(U.CallRange.getBegin()) == SM.getFileID(Loc))
    Call = U.CallRange;

  if (const api::DeprecatedCreate *Row = api::findDeprecatedCreate(U.Name)) {
    std::optional<FixItHint> Fix;
    if (Call.isValid())
      Fix = createFix(U, *Row);
    std::string Suggested =
        Fix ? Fix->CodeToInsert
            : (Row->Replacement + "(\"%s\", " + Row->Flags +
               (Row->MaxActive.empty() ? "" : ", " + Row->MaxActive) +
               ", name)")
                  .str();
    Ctx.Report.warn(Id, Loc,
                    "'" + U.Name +
                        "' is deprecated and scheduled for removal; use '" +
                        Suggested + "' instead",
                    Call,
                    Fix ? llvm::ArrayRef<FixItHint>(*Fix)
                        : llvm::ArrayRef<FixItHint>());
    return;
  }
  if (const api::DeprecatedFlushAll *Row = api::findDeprecatedFlushAll(U.Name)) {
    Ctx.Report.warn(
        Id, Loc,
        "'" + U.Name + "' is deprecated: it waits for every work item on the "
            "system-wide workqueue '" + Row->Queue +
            "' and deadlocks if one of them needs a lock held here or if it "
            "runs from a work item; cancel_work_sync()/flush_work() your own "
            "work items, or queue them on a workqueue of your own and flush "
            "that",
        Call);
    return;
  }
  Ctx.Report.warn(
      Id, Loc,
      "flushing the system-wide workqueue '" + U.FlushedQueue +
          "' is deprecated: it waits for unrelated work items and deadlocks "
          "if one of them needs a lock held here; cancel_work_sync()/"
          "flush_work() your own work items, or queue them on a workqueue of "
          "your own",
      Call);
}

} // namespace

std::unique_ptr<Check> createDeprecatedCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<DeprecatedCheck>(Id, Ctx);
}

} // namespace wqcheck
