//===- ApiCalls.cpp -------------------------------------------------------===//
#include "analysis/ApiCalls.h"
#include "api/KernelAPI.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;
using llvm::StringRef;

namespace wqcheck {

std::string spelledText(SourceLocation B, SourceLocation E,
                        const SourceManager &SM, const LangOptions &LO) {
  B = SM.getSpellingLoc(B);
  E = SM.getSpellingLoc(E);
  if (B.isInvalid() || E.isInvalid() || SM.getFileID(B) != SM.getFileID(E) ||
      SM.isBeforeInTranslationUnit(E, B))
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(B, E), SM, LO)
      .str();
}

const CallExpr *callThroughHooks(const Expr *E) {
  // A few levels: alloc_hooks() nests alloc_hooks_tag() in a second
  // statement expression.
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenCasts();
    if (const auto *Call = dyn_cast<CallExpr>(E))
      return Call;
    const auto *SE = dyn_cast<StmtExpr>(E);
    const CompoundStmt *Body = SE ? SE->getSubStmt() : nullptr;
    if (!Body || Body->body_empty())
      return nullptr;
    const auto *Last = dyn_cast<Expr>(Body->body_back());
    if (!Last)
      return nullptr;
    // `...; _res; }` with `typeof(x) _res = x;` declared in the same block.
    const auto *Ref = dyn_cast<DeclRefExpr>(Last->IgnoreParenCasts());
    const auto *Res = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
    if (Res && Res->isLocalVarDecl() && Res->getInit() &&
        llvm::any_of(Body->body(), [&](const Stmt *S) {
          const auto *DS = dyn_cast<DeclStmt>(S);
          return DS && llvm::is_contained(DS->decls(), Res);
        }))
      E = Res->getInit();
    else
      E = Last;
  }
  return nullptr;
}

std::vector<std::string> splitCallArguments(StringRef CallText) {
  std::vector<std::string> Args;
  size_t Open = CallText.find('(');
  if (Open == StringRef::npos || !CallText.ends_with(")"))
    return Args;
  StringRef Inner = CallText.slice(Open + 1, CallText.size() - 1);
  int Depth = 0;
  size_t Start = 0;
  for (size_t I = 0; I < Inner.size(); ++I) {
    char C = Inner[I];
    if (C == '(' || C == '[' || C == '{')
      ++Depth;
    else if (C == ')' || C == ']' || C == '}')
      --Depth;
    else if (C == ',' && Depth == 0) {
      Args.push_back(Inner.slice(Start, I).trim().str());
      Start = I + 1;
    }
  }
  if (!Inner.trim().empty())
    Args.push_back(Inner.substr(Start).trim().str());
  return Args;
}

ApiCall ApiCallIndex::classify(const CallExpr *Call) const {
  const SourceManager &SM = AST.getSourceManager();
  const LangOptions &LO = AST.getLangOpts();
  ApiCall Result;
  Result.Call = Call;
  // Walk from the called name up through the macros that produced it.
  SourceLocation Loc = Call->getCallee()->getExprLoc();
  while (Loc.isMacroID()) {
    if (SM.isMacroArgExpansion(Loc)) {
      // The token came from an argument: it is the user's, look where the
      // argument was written.
      Loc = SM.getImmediateSpellingLoc(Loc);
      continue;
    }
    StringRef Macro = Lexer::getImmediateMacroName(Loc, SM, LO);
    CharSourceRange Range = SM.getImmediateExpansionRange(Loc);
    if (IsApiMacro(Macro)) {
      Result.Name = Macro;
      Result.NameLoc = Range.getBegin();
      Result.Invocation = Range.getAsRange();
      Result.FromMacro = true;
    }
    Loc = Range.getBegin();
  }
  // A kernel that wraps a function in macros of the same name
  // (WQ_SPELLING: 6.10+ `#define kmalloc(...) alloc_hooks(kmalloc_noprof(
  // __VA_ARGS__))`) still has the user call that function, with the same
  // arguments: the call is the function's, not a macro's, as on 6.1.
  if (Result.FromMacro)
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->getIdentifier() && !api::writtenName(FD->getName()).empty())
        Result.FromMacro = false;
  if (Result.Name.empty()) {
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->getIdentifier())
        Result.Name = FD->getName();
    Result.NameLoc = Call->getBeginLoc();
  }
  return Result;
}

namespace {
class Indexer : public RecursiveASTVisitor<Indexer> {
public:
  explicit Indexer(llvm::function_ref<void(const CallExpr *)> OnCall)
      : OnCall(OnCall) {}
  bool VisitCallExpr(CallExpr *C) {
    OnCall(C);
    return true;
  }
  // Operands that are never evaluated hold no call the code makes: 6.10+
  // alloc_hooks() spells its call twice, in `typeof(call) _res = call`, and
  // the first one must not carry the ApiCall of the macro.
  bool TraverseTypeOfExprTypeLoc(TypeOfExprTypeLoc) { return true; }
  bool TraverseTypeOfExprType(TypeOfExprType *) { return true; }
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
    return true;
  }

private:
  llvm::function_ref<void(const CallExpr *)> OnCall;
};
} // namespace

void ApiCallIndex::index(const Stmt *S) {
  if (!S)
    return;
  // Pre-order traversal meets the calls of one expansion in source order:
  // the first carries the ApiCall.
  llvm::DenseSet<unsigned> Expansions;
  Indexer(
      [&](const CallExpr *C) {
        ApiCall A = classify(C);
        if (A.Name.empty())
          return;
        if (A.FromMacro &&
            !Expansions.insert(A.NameLoc.getRawEncoding()).second) {
          Swallowed.insert(C);
          return;
        }
        Calls[C] = A;
      })
      .TraverseStmt(const_cast<Stmt *>(S));
}

const ApiCall *ApiCallIndex::lookup(const CallExpr *Call) const {
  auto It = Calls.find(Call);
  return It == Calls.end() ? nullptr : &It->second;
}

std::string ApiCallIndex::argumentText(const ApiCall &A, unsigned I) const {
  const SourceManager &SM = AST.getSourceManager();
  const LangOptions &LO = AST.getLangOpts();
  if (A.FromMacro) {
    std::vector<std::string> Args = splitCallArguments(spelledText(
        A.Invocation.getBegin(), A.Invocation.getEnd(), SM, LO));
    return I < Args.size() ? Args[I] : "";
  }
  if (I >= A.Call->getNumArgs())
    return "";
  SourceRange R = A.Call->getArg(I)->getSourceRange();
  return spelledText(R.getBegin(), R.getEnd(), SM, LO);
}

} // namespace wqcheck
