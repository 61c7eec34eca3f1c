//===- ApiCalls.h - kernel API calls as the user wrote them ------*- C++ -*-===//
//
// Many kernel APIs are macros in one kernel and functions in another, and a
// macro such as spin_lock_irqsave() reaches the AST as a call to
// _raw_spin_lock_irqsave().  An ApiCall names a call by what the user wrote:
// the outermost macro of interest whose *body* produced the call (tokens
// from its arguments belong to the user), or else the called function.
// One macro use is one ApiCall, carried by the first call of its expansion;
// the other calls of that expansion are swallowed (wait_event()'s schedule()
// is part of the wait_event).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_APICALLS_H
#define WQCHECK_ANALYSIS_APICALLS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace wqcheck {

struct ApiCall {
  llvm::StringRef Name;           ///< the macro or function the user called
  const clang::CallExpr *Call;    ///< the call that carries it
  clang::SourceLocation NameLoc;  ///< the name as written (may be in a macro)
  clang::SourceRange Invocation;  ///< "name(...)" as written, when a macro
  bool FromMacro = false;
};

class ApiCallIndex {
public:
  using NamePredicate = llvm::function_ref<bool(llvm::StringRef)>;

  ApiCallIndex(clang::ASTContext &AST, NamePredicate IsApiMacro)
      : AST(AST), IsApiMacro(IsApiMacro) {}

  /// Indexes the direct calls in S (a function body).
  void index(const clang::Stmt *S);

  /// What Call stands for; null for a swallowed call of a macro expansion
  /// and for indirect calls.
  const ApiCall *lookup(const clang::CallExpr *Call) const;

  /// The user-written text of argument I: from the macro invocation's
  /// spelling, or from the call's argument.  Empty when not spelled in one
  /// piece of source.
  std::string argumentText(const ApiCall &A, unsigned I) const;

  /// Classifies one call (without indexing it).
  ApiCall classify(const clang::CallExpr *Call) const;

private:
  clang::ASTContext &AST;
  NamePredicate IsApiMacro;
  llvm::DenseMap<const clang::CallExpr *, ApiCall> Calls;
  llvm::DenseSet<const clang::CallExpr *> Swallowed;
};

/// The call E evaluates to, through parentheses, casts and the statement
/// expressions of allocation profiling: since 6.10 `kzalloc(...)` is
/// `alloc_hooks(kzalloc_noprof(...))`, a `({ ... typeof(call) _res = call;
/// ... _res; })` (include/linux/alloc_tag.h); the call is kzalloc_noprof(),
/// whose name api::canonicalName() maps back.  Null when E is no call.
const clang::CallExpr *callThroughHooks(const clang::Expr *E);

/// The declaration of kind T named Name at file scope of this translation
/// unit, if the kernel's headers have one: which flags (`WQ_PERCPU` of enum
/// wq_flags), system queues (`system_percpu_wq`) and functions
/// (`rtnl_lock`) exist depends on the kernel.
template <typename T>
const T *fileScopeDecl(clang::ASTContext &AST, llvm::StringRef Name) {
  for (const clang::NamedDecl *ND :
       AST.getTranslationUnitDecl()->lookup(&AST.Idents.get(Name)))
    if (const auto *D = llvm::dyn_cast<T>(ND))
      return D;
  return nullptr;
}

/// fileScopeDecl() of an enumerator (`WQ_BH`, `WQ_PERCPU`).
inline const clang::EnumConstantDecl *
kernelEnumConstant(clang::ASTContext &AST, llvm::StringRef Name) {
  return fileScopeDecl<clang::EnumConstantDecl>(AST, Name);
}

/// The source text from B to E (token range) if both are spelled, in order,
/// in the same file; otherwise "".
std::string spelledText(clang::SourceLocation B, clang::SourceLocation E,
                        const clang::SourceManager &SM,
                        const clang::LangOptions &LO);

/// Splits "f(a, g(b, c), d)" into {"a", "g(b, c)", "d"}.
std::vector<std::string> splitCallArguments(llvm::StringRef CallText);

} // namespace wqcheck

#endif
