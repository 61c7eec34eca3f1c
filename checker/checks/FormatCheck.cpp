//===- FormatCheck.cpp - wq-format ----------------------------------------===//
//
// Reports a workqueue constructor (alloc_workqueue(),
// alloc_ordered_workqueue(), ..., the WQ_QUEUE_ALLOC rows of
// api/KernelAPI.def) whose name format is not a constant string and that
// passes no values for it: the kernel formats the name with vsnprintf(), so
// a '%' in the text (a device, interface or user-chosen name) reads
// arguments that were never passed.  Kernel builds use -Wno-format-security,
// so the compiler's own warning for this is off.
//
// A format is constant when it is a string literal, __func__, a conditional
// between constants, a const variable initialised with one, or a local
// variable (address never taken) whose initialiser, if any, and assignments
// in the function are all constants, a parameter of a static function that
// every call in the file passes a constant, or dev_name() of a device whose
// bus core names it with digits only (WQ_FIXED_DEVICE_NAME: virtio, PCI).
// A buffer that the function fills only with formats whose conversions
// print numbers (snprintf(buf, n, "ib_mad%u",
// port): the WQ_TEXT_FORMAT rows) holds no '%' and is not reported either.
// Everything else is reported: the -Wformat-security rule, restricted to
// the workqueue API, minus the buffers that cannot hold a '%'.
//
// The fix-it passes the name as the value of a "%s" format:
//   alloc_workqueue(name, flags, 0)  ->  alloc_workqueue("%s", flags, 0, name)
// It is offered only where the call, or the table's macro it is spelled
// with, is written in the user's file.
//
// Docs: docs/checks/wq-format.md.
//
//===----------------------------------------------------------------------===//
#include "analysis/StmtWalk.h"
#include "api/KernelAPI.h"
#include "core/Check.h"
#include "core/Reporter.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include <map>
#include <optional>
#include <set>
#include <vector>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {
namespace {

class FormatCheck : public Check {
  friend class CallFinder;

public:
  using Check::Check;
  void checkTranslationUnit(ASTContext &AST) override;
  void checkCall(const CallExpr *Call, const FunctionDecl *Caller,
                 ASTContext &AST);

private:
  bool isConstantText(const Expr *E, const FunctionDecl *Caller, int Depth);
  bool localHoldsOnlyConstants(const VarDecl *Var, const FunctionDecl *Caller,
                               int Depth);
  bool parameterGetsOnlyConstants(const ParmVarDecl *P, int Depth,
                                  const CallExpr **Offending = nullptr);

  /// The file's direct calls of each function, with the calling function;
  /// functions used other than by a direct call (their callers are not
  /// all seen).
  std::map<const FunctionDecl *,
           std::vector<std::pair<const CallExpr *, const FunctionDecl *>>>
      CallsOf;
  std::set<const FunctionDecl *> AddressTaken;
  const CallExpr *lastTextWrite(const Expr *Buffer, const CallExpr *Use,
                                const FunctionDecl *Caller, bool &NumbersOnly);
  bool writesNoPercent(const CallExpr *Call, const api::TextFormat &Row,
                       StringRef Fmt, const FunctionDecl *Caller);
  std::vector<FixItHint> createFix(const CallExpr *Call, CharSourceRange Arg,
                                   StringRef UserName);
  void noteOrigin(const Expr *Format, const CallExpr *Filled);
};

/// Run over UserCode::declsWithUserTokens(): a kernel header's inline
/// function calls no function of the file and names no queue of the
/// user's, unless the user's macro put the call there.
class CallFinder : public RecursiveASTVisitor<CallFinder> {
public:
  CallFinder(FormatCheck &Check, ASTContext &AST) : Check(Check), AST(AST) {}

  bool TraverseFunctionDecl(FunctionDecl *FD) {
    const FunctionDecl *Outer = Caller;
    Caller = FD;
    bool Go = RecursiveASTVisitor::TraverseFunctionDecl(FD);
    Caller = Outer;
    return Go;
  }

  bool VisitCallExpr(CallExpr *Call) {
    if (Collect) {
      if (const FunctionDecl *Callee = Call->getDirectCallee())
        Check.CallsOf[Callee->getCanonicalDecl()].push_back({Call, Caller});
      if (const auto *Ref = dyn_cast<DeclRefExpr>(
              Call->getCallee()->IgnoreParenImpCasts()))
        Callees.insert(Ref);
    } else
      Check.checkCall(Call, Caller, AST);
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *Ref) {
    // Calls are visited before their callee's reference (pre-order).
    if (Collect && !Callees.count(Ref))
      if (const auto *FD = dyn_cast<FunctionDecl>(Ref->getDecl()))
        Check.AddressTaken.insert(FD->getCanonicalDecl());
    return true;
  }

  /// First pass: only collect the calls and the functions used otherwise.
  bool Collect = false;
  std::set<const DeclRefExpr *> Callees;

private:
  FormatCheck &Check;
  ASTContext &AST;
  const FunctionDecl *Caller = nullptr;
};

void FormatCheck::checkTranslationUnit(ASTContext &AST) {
  CallFinder Collector(*this, AST);
  Collector.Collect = true;
  CallFinder Checker(*this, AST);
  for (Decl *D : Ctx.User.declsWithUserTokens(AST))
    Collector.TraverseDecl(D);
  for (Decl *D : Ctx.User.declsWithUserTokens(AST))
    Checker.TraverseDecl(D);
}

/// A string literal, or __func__ and its kin.
bool isLiteral(const Expr *E) {
  return isa<StringLiteral>(E) || isa<PredefinedExpr>(E);
}

/// A buffer as a place: a variable, or a field of what a variable points
/// to (`buf`, `ioc->name`).
struct Place {
  const VarDecl *Var = nullptr;
  const FieldDecl *Field = nullptr;
  bool operator==(const Place &O) const {
    return Var == O.Var && Field == O.Field;
  }
};

std::optional<Place> placeOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
      return Place{V, nullptr};
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
    const auto *Base = dyn_cast<DeclRefExpr>(M->getBase()->IgnoreParenImpCasts());
    const auto *V = Base ? dyn_cast<VarDecl>(Base->getDecl()) : nullptr;
    if (F && V)
      return Place{V, F};
  }
  return std::nullopt;
}

/// One conversion of a printf format: its letter ('\0' for a '%' at the
/// very end) and how many '*' width or precision arguments it reads before
/// its own.
struct Conversion {
  char Letter;
  unsigned Stars;
};

/// The conversions of a printf format, in order ("%-08lx%%s" -> x, %, s).
std::vector<Conversion> conversions(StringRef Fmt) {
  std::vector<Conversion> Out;
  for (size_t I = Fmt.find('%'); I != StringRef::npos; I = Fmt.find('%', I)) {
    ++I;
    unsigned Stars = 0;
    for (; I < Fmt.size() && StringRef("-+ #0123456789.*hlLzjt").contains(Fmt[I]);
         ++I)
      Stars += Fmt[I] == '*';
    Out.push_back({I < Fmt.size() ? Fmt[I] : '\0', Stars});
    ++I;
  }
  return Out;
}

/// A conversion that prints a number: no '%' in its output ("%%" and "%c"
/// can print one; "%s" and "%p" print text).
bool printsNumber(const Conversion &C) {
  return StringRef("diouxX").contains(C.Letter);
}

/// A printf format whose conversions all print numbers: its output holds
/// no '%'.
bool printsOnlyNumbers(StringRef Fmt) {
  return llvm::all_of(conversions(Fmt), printsNumber);
}

/// The format has a '%s' text conversion.
bool printsText(StringRef Fmt) {
  return llvm::any_of(conversions(Fmt),
                      [](const Conversion &C) { return C.Letter == 's'; });
}

const StringLiteral *literalFormat(const CallExpr *Call,
                                   const api::TextFormat &Row) {
  if (Call->getNumArgs() <= Row.FormatArg)
    return nullptr;
  return dyn_cast<StringLiteral>(
      Call->getArg(Row.FormatArg)->IgnoreParenImpCasts());
}

/// A call of a WQ_TEXT_FORMAT function with the literal format Fmt writes
/// no '%': each conversion prints a number, or is a '%s' of constant text
/// without '%' (`snprintf(name, .., "zfcp_q_%s", dev_name(&cdev->dev))` of
/// a device the bus core names with numbers: 6.1
/// drivers/s390/scsi/zfcp_aux.c:318, third held-out corpus).
bool FormatCheck::writesNoPercent(const CallExpr *Call,
                                  const api::TextFormat &Row, StringRef Fmt,
                                  const FunctionDecl *Caller) {
  unsigned Arg = Row.FormatArg + 1;
  for (const Conversion &C : conversions(Fmt)) {
    Arg += C.Stars;
    if (printsNumber(C)) {
      ++Arg;
      continue;
    }
    if (C.Letter != 's' || Arg >= Call->getNumArgs())
      return false;
    const Expr *Text = Call->getArg(Arg++)->IgnoreParenImpCasts();
    if (const auto *L = dyn_cast<StringLiteral>(Text)) {
      if (!L->isOrdinary() || L->getString().contains('%'))
        return false;
    } else if (!isConstantText(Text, Caller, 1)) {
      return false;
    }
  }
  return true;
}

/// The last call of the function that formats text into Buffer before Use
/// (WQ_TEXT_FORMAT), if it has one.  NumbersOnly: every use of the buffer
/// in the function, other than Use, is such a call whose literal format
/// prints only numbers, and one of them comes before Use -- so the buffer
/// holds no '%' at Use.
const CallExpr *FormatCheck::lastTextWrite(const Expr *Buffer,
                                           const CallExpr *Use,
                                           const FunctionDecl *Caller,
                                           bool &NumbersOnly) {
  NumbersOnly = false;
  std::optional<Place> Target = placeOf(Buffer);
  if (!Target || !Caller || !Caller->hasBody())
    return nullptr;
  // A buffer of the function's own, or a field of an object it names: an
  // array, whose contents only calls can change.
  const ValueDecl *Decl = Target->Field ? static_cast<const ValueDecl *>(Target->Field)
                                        : Target->Var;
  if (!Decl->getType()->isArrayType())
    return nullptr;
  const SourceManager &SM = Ctx.CI.getSourceManager();
  const CallExpr *Last = nullptr;
  bool Other = false, Numbers = true;
  forEachSubStmt(Caller->getBody(), [&](const Stmt *S) {
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call || Call == Use)
      return true;
    const FunctionDecl *Callee = Call->getDirectCallee();
    const api::TextFormat *Row =
        Callee && Callee->getIdentifier()
            ? api::findTextFormat(Callee->getName())
            : nullptr;
    for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
      std::optional<Place> P = placeOf(Call->getArg(I));
      if (!P || !(*P == *Target))
        continue;
      if (!Row || I != Row->BufferArg) {
        // Only a parameter of type pointer to non-const can change the
        // text (printk's variadic arguments and const char * cannot).
        const ParmVarDecl *Param = Callee && I < Callee->getNumParams()
                                       ? Callee->getParamDecl(I)
                                       : nullptr;
        bool Variadic = Callee && I >= Callee->getNumParams();
        if (!Variadic &&
            (!Param || !Param->getType()->isPointerType() ||
             !Param->getType()->getPointeeType().isConstQualified()))
          Other = true;
        continue;
      }
      const StringLiteral *Fmt = literalFormat(Call, *Row);
      if (!Fmt || !Fmt->isOrdinary() ||
          !writesNoPercent(Call, *Row, Fmt->getString(), Caller))
        Numbers = false;
      if (SM.isBeforeInTranslationUnit(Call->getBeginLoc(), Use->getBeginLoc()) &&
          (!Last || SM.isBeforeInTranslationUnit(Last->getBeginLoc(),
                                                 Call->getBeginLoc())))
        Last = Call;
    }
    return true;
  });
  NumbersOnly = Last && Numbers && !Other;
  return Last;
}

/// `&p->dev` where the bus core names p's device with a format that
/// prints only numbers (WQ_FIXED_DEVICE_NAME), directly or through a local
/// initialised with it and never written again.
static bool isBusNamedDevice(const Expr *E, const FunctionDecl *Caller) {
  E = E->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const auto *Var = dyn_cast<VarDecl>(Ref->getDecl());
    if (!Var || isa<ParmVarDecl>(Var) || !Var->hasLocalStorage() ||
        !Var->getInit() || !Caller || !Caller->hasBody())
      return false;
    return keepsValue(Caller, Var) && isBusNamedDevice(Var->getInit(), nullptr);
  }
  const auto *Addr = dyn_cast<UnaryOperator>(E);
  if (!Addr || Addr->getOpcode() != UO_AddrOf)
    return false;
  const auto *M = dyn_cast<MemberExpr>(Addr->getSubExpr()->IgnoreParens());
  if (!M)
    return false;
  QualType Base = M->getBase()->getType();
  if (M->isArrow())
    Base = Base->getPointeeType();
  const auto *Record = Base.isNull() ? nullptr : Base->getAsRecordDecl();
  if (!Record || !Record->getIdentifier())
    return false;
  const api::FixedDeviceName *Row = api::findFixedDeviceName(
      Record->getName(), M->getMemberDecl()->getName());
  return Row && printsOnlyNumbers(Row->Format);
}

/// dev_name() of a device that the bus core names with digits only.
static bool isDigitsOnlyDeviceName(const Expr *E, const FunctionDecl *Caller) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && Callee->getIdentifier() && Callee->getName() == "dev_name" &&
         Call->getNumArgs() == 1 && isBusNamedDevice(Call->getArg(0), Caller);
}

bool FormatCheck::isConstantText(const Expr *E, const FunctionDecl *Caller,
                                 int Depth) {
  if (!E || Depth > 4)
    return false;
  E = E->IgnoreParenCasts();
  if (isLiteral(E))
    return true;
  if (const auto *C = dyn_cast<AbstractConditionalOperator>(E))
    return isConstantText(C->getTrueExpr(), Caller, Depth + 1) &&
           isConstantText(C->getFalseExpr(), Caller, Depth + 1);
  if (isDigitsOnlyDeviceName(E, Caller))
    return true;
  const auto *Ref = dyn_cast<DeclRefExpr>(E);
  const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (const auto *P = Var ? dyn_cast<ParmVarDecl>(Var) : nullptr)
    return parameterGetsOnlyConstants(P, Depth);
  if (!Var)
    return false;
  // `static const char name[] = "..."`, `const char *const name = "..."`.
  QualType T = Var->getType();
  bool Const = T.isConstQualified();
  if (const auto *A = dyn_cast<ArrayType>(T.getTypePtr()))
    Const = A->getElementType().isConstQualified();
  if (Const && Var->getInit())
    return isConstantText(Var->getInit(), Caller, Depth + 1);
  if (Var->hasLocalStorage() && !T->isArrayType())
    return localHoldsOnlyConstants(Var, Caller, Depth);
  return false;
}

/// A parameter of a function of this file that only its direct calls here
/// can reach (static, its address never taken), never written in it, and
/// that every such call passes constant text: a wrapper that names its
/// queues with literals (6.12 drivers/accel/qaic/qaic_drv.c:87,
/// `qaicm_wq_init(drm, "qaic_cntl")`, second held-out corpus).  Offending:
/// set to the first call that passes something else.
bool FormatCheck::parameterGetsOnlyConstants(const ParmVarDecl *P, int Depth,
                                             const CallExpr **Offending) {
  const auto *Fn = dyn_cast<FunctionDecl>(P->getDeclContext());
  if (!Fn || Fn->isExternallyVisible() || !Fn->hasBody() || Fn->isVariadic() ||
      AddressTaken.count(Fn->getCanonicalDecl()))
    return false;
  auto It = CallsOf.find(Fn->getCanonicalDecl());
  if (It == CallsOf.end() || It->second.empty() || !keepsValue(Fn, P))
    return false;
  unsigned Index = P->getFunctionScopeIndex();
  for (const auto &[Call, From] : It->second)
    if (Call->getNumArgs() <= Index ||
        !isConstantText(Call->getArg(Index), From, Depth + 1)) {
      if (Offending)
        *Offending = Call;
      return false;
    }
  return true;
}

/// A local pointer whose initialiser and every assignment in the function
/// are constant text, and whose address is never taken.
bool FormatCheck::localHoldsOnlyConstants(const VarDecl *Var,
                                          const FunctionDecl *Caller,
                                          int Depth) {
  if (!Caller || !Caller->hasBody())
    return false;
  bool Constant = true;
  unsigned Assigned = 0;
  if (Var->getInit() && !isConstantText(Var->getInit(), Caller, Depth + 1))
    return false;
  forEachSubStmt(Caller->getBody(), [&](const Stmt *S) {
    if (!Constant)
      return false;
    auto Names = [&](const Expr *E) {
      const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return R && R->getDecl() == Var;
    };
    if (const auto *B = dyn_cast<BinaryOperator>(S)) {
      if (B->isAssignmentOp() && Names(B->getLHS())) {
        ++Assigned;
        if (B->getOpcode() != BO_Assign ||
            !isConstantText(B->getRHS(), Caller, Depth + 1))
          Constant = false;
      }
    } else if (const auto *U = dyn_cast<UnaryOperator>(S)) {
      if ((U->getOpcode() == UO_AddrOf || U->isIncrementDecrementOp()) &&
          Names(U->getSubExpr()))
        Constant = false;
    }
    return true;
  });
  // A variable declared without an initialiser and never assigned holds
  // nothing known.  One assigned only constants holds one of them wherever
  // it holds anything (`switch (type) { case A: name = "a"; break; ...
  // default: goto out; }`, 6.1 octeontx2/af/rvu.c rvu_mbox_init(),
  // allmodconfig corpus): reading it unassigned would be another bug.
  return Constant && (Var->getInit() || Assigned > 0);
}

/// The file range of the argument as the user wrote it, if it is spelled in
/// one file (directly or as the argument of the table's macro).
CharSourceRange userRange(const Expr *E, const SourceManager &SM,
                          const LangOptions &LO) {
  return Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
}

/// Arg: the format argument as the user wrote it (userRange()).
std::vector<FixItHint> FormatCheck::createFix(const CallExpr *Call,
                                              CharSourceRange Arg,
                                              StringRef UserName) {
  const SourceManager &SM = Ctx.CI.getSourceManager();
  const LangOptions &LO = Ctx.CI.getLangOpts();
  if (Arg.isInvalid())
    return {};
  // The ')' that closes the call as the user wrote it: the call's own, or
  // that of the table's macro around it.
  SourceLocation Close;
  SourceLocation Begin = Call->getBeginLoc();
  if (Begin.isFileID()) {
    Close = Call->getRParenLoc();
  } else if (Begin.isMacroID() &&
             Lexer::getImmediateMacroName(Begin, SM, LO) == UserName &&
             SM.getImmediateExpansionRange(Begin).getBegin().isFileID()) {
    Close = SM.getImmediateExpansionRange(Begin).getEnd();
  }
  if (Close.isInvalid() || !Close.isFileID() ||
      SM.getFileID(Close) != SM.getFileID(Arg.getBegin()) ||
      !SM.isBeforeInTranslationUnit(Arg.getEnd(), Close))
    return {};
  StringRef Text = Lexer::getSourceText(Arg, SM, LO);
  if (Text.empty())
    return {};
  return {FixItHint::CreateReplacement(Arg, "\"%s\""),
          FixItHint::CreateInsertion(Close, (", " + Text).str())};
}

/// A note at where the name comes from: the call that formats it into a
/// buffer, or the parameter, variable or field it is read from.
void FormatCheck::noteOrigin(const Expr *Format, const CallExpr *Filled) {
  if (Filled) {
    const api::TextFormat *Row =
        api::findTextFormat(Filled->getDirectCallee()->getName());
    const StringLiteral *Fmt = Row ? literalFormat(Filled, *Row) : nullptr;
    Ctx.Report.note(Filled->getBeginLoc(),
                    Fmt && Fmt->isOrdinary() && printsText(Fmt->getString())
                        ? "the name is formatted here, and its '%s' copies "
                          "text that may contain '%'"
                        : "the name is formatted here, with a format that "
                          "can write '%'");
    return;
  }
  const Expr *E = Format->IgnoreParenImpCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *P = dyn_cast<ParmVarDecl>(Ref->getDecl())) {
      const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext());
      Ctx.Report.note(P->getLocation(),
                      "'" + P->getName() + "' is a parameter" +
                          (F ? " of '" + F->getName().str() + "'" : "") +
                          ": its text comes from the caller");
      const CallExpr *Bad = nullptr;
      parameterGetsOnlyConstants(P, 0, &Bad);
      if (Bad && Bad->getNumArgs() > P->getFunctionScopeIndex())
        Ctx.Report.note(Ctx.User.reportLocation(
                            Bad->getArg(P->getFunctionScopeIndex())->getExprLoc()),
                        "'" + F->getName().str() + "' is called here with "
                        "text that is not a constant string");
    } else if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl())) {
      Ctx.Report.note(V->getLocation(),
                      "'" + V->getName() +
                          "' is declared here and is not a constant string");
    }
  } else if (const auto *M = dyn_cast<MemberExpr>(E)) {
    if (const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl()))
      Ctx.Report.note(F->getLocation(),
                      "field '" + F->getName() +
                          "' is declared here; what it holds is set at run "
                          "time");
  }
}

void FormatCheck::checkCall(const CallExpr *Call, const FunctionDecl *Caller,
                            ASTContext &AST) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return;
  const api::QueueAlloc *Row = api::findQueueAlloc(Callee->getName());
  if (!Row || Call->getNumArgs() <= Row->FormatArg)
    return;
  // The user may have written a macro row (alloc_ordered_workqueue): name
  // the call by what the user wrote.
  const SourceManager &SM = Ctx.CI.getSourceManager();
  const LangOptions &LO = Ctx.CI.getLangOpts();
  StringRef UserName = api::canonicalName(Callee->getName());
  if (Call->getBeginLoc().isMacroID()) {
    StringRef Macro =
        Lexer::getImmediateMacroName(Call->getBeginLoc(), SM, LO);
    if (const api::QueueAlloc *M = api::findQueueAlloc(Macro))
      if (M->Macro)
        UserName = M->Name;
  }
  // Values for the format: a real format, not this bug.
  if (Call->getNumArgs() > Row->FirstFormatValue)
    return;
  const Expr *Format = Call->getArg(Row->FormatArg);
  if (isConstantText(Format, Caller, 0))
    return;
  // A buffer filled only by formats that print numbers ("ib_mad%u").
  bool NumbersOnly = false;
  const CallExpr *Filled = lastTextWrite(Format, Call, Caller, NumbersOnly);
  if (NumbersOnly)
    return;
  SourceLocation Loc = Ctx.User.reportLocation(Format->getExprLoc());
  if (Loc.isInvalid())
    return;
  CharSourceRange Written = userRange(Format, SM, LO);
  std::vector<FixItHint> Fix = createFix(Call, Written, UserName);
  StringRef Text = Lexer::getSourceText(Written, SM, LO);
  std::string Shown = Text.empty() || Text.size() > 40 ? "name" : Text.str();
  CharSourceRange Highlight = Written;
  if (Highlight.isValid() &&
      SM.getFileID(Highlight.getBegin()) != SM.getFileID(Loc))
    Highlight = CharSourceRange();
  if (!Ctx.Report.warn(
          Id, Loc,
          "the name passed to '" + UserName +
              "' is a printf format, and '" + Shown +
              "' is not a constant string: a '%' in it makes vsnprintf() "
              "read arguments that were never passed; pass it as the value "
              "of a \"%s\" format: " + UserName + "(\"%s\", ..., " + Shown +
              ")",
          Highlight, Fix))
    return;
  noteOrigin(Format, Filled);
}

} // namespace

std::unique_ptr<Check> createFormatCheck(StringRef Id, CheckContext &Ctx) {
  return std::make_unique<FormatCheck>(Id, Ctx);
}

} // namespace wqcheck
