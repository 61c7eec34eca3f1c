//===- Check.h - base class of every wqcheck check ---------------*- C++ -*-===//
#ifndef WQCHECK_CORE_CHECK_H
#define WQCHECK_CORE_CHECK_H

#include "llvm/ADT/StringRef.h"
#include <memory>

namespace clang {
class ASTContext;
class CompilerInstance;
class Preprocessor;
} // namespace clang

namespace wqcheck {

class Reporter;
class UserCode;
struct UnitFacts;

/// What a check may use while it analyses one translation unit.
struct CheckContext {
  clang::CompilerInstance &CI;
  Reporter &Report;
  UserCode &User;
  /// The cross-file facts of this unit (db/Facts.h), or null when no
  /// summary database is written (no --db).
  UnitFacts *Facts = nullptr;
};

/// One check: hooks into the preprocessor before parsing and/or looks at the
/// finished translation unit.  Findings go through CheckContext::Report.
class Check {
public:
  Check(llvm::StringRef Id, CheckContext &Ctx) : Id(Id), Ctx(Ctx) {}
  virtual ~Check() = default;

  /// Called before the file is preprocessed.
  virtual void registerPPCallbacks(clang::Preprocessor &PP) {}
  /// Called once the translation unit has been parsed without errors.
  virtual void checkTranslationUnit(clang::ASTContext &AST) {}

  llvm::StringRef id() const { return Id; }

protected:
  llvm::StringRef Id;
  CheckContext &Ctx;
};

/// Factories, one per line of Checks.def.
#define WQ_CHECK(Id, Factory, Default, Summary)                                \
  std::unique_ptr<Check> Factory(llvm::StringRef CheckId, CheckContext &Ctx);
#include "core/Checks.def"

} // namespace wqcheck

#endif
