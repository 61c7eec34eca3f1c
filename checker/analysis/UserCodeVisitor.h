//===- UserCodeVisitor.h - visiting the user's declarations -----*- C++ -*-===//
//
// A RecursiveASTVisitor that enters only declarations written in the
// user's files (UserCode::reportLocation() valid): kernel headers declare
// thousands of functions and initialisers whose calls and stores are not
// the user's to report (callback registrations, workqueue constructors,
// system queue names).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_USERCODEVISITOR_H
#define WQCHECK_ANALYSIS_USERCODEVISITOR_H

#include "core/UserCode.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace wqcheck {

template <typename Derived>
class UserCodeVisitor : public clang::RecursiveASTVisitor<Derived> {
public:
  explicit UserCodeVisitor(UserCode &User) : User(User) {}

  bool shouldVisitTemplateInstantiations() const { return false; }

  /// TraverseAST() without the kernel headers' declarations.
  void traverseUserCode(clang::ASTContext &AST) {
    for (clang::Decl *D : User.topLevelDecls(AST))
      static_cast<Derived *>(this)->TraverseDecl(D);
  }

  bool TraverseDecl(clang::Decl *D) {
    if (D && !clang::isa<clang::TranslationUnitDecl>(D) &&
        User.reportLocation(D->getLocation()).isInvalid())
      return true;
    return clang::RecursiveASTVisitor<Derived>::TraverseDecl(D);
  }

protected:
  UserCode &User;
};

} // namespace wqcheck

#endif
