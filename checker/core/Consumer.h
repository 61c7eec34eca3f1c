//===- Consumer.h - runs the enabled checks on one file ----------*- C++ -*-===//
#ifndef WQCHECK_CORE_CONSUMER_H
#define WQCHECK_CORE_CONSUMER_H

#include "core/Options.h"
#include "core/Reporter.h"
#include "clang/AST/ASTConsumer.h"
#include <memory>

namespace clang {
class CompilerInstance;
class DiagnosticsEngine;
} // namespace clang

namespace wqcheck {

/// What one translation unit produced.
struct AnalysisResult {
  unsigned Findings = 0; ///< reported (kept by the review)
  unsigned Dropped = 0;  ///< dropped by the review
  unsigned FixesApplied = 0;
  bool FixFailed = false;
};

/// Creates the consumer that runs the checks enabled in Opts on the
/// translation unit CI is about to parse, reporting to Out (which must use
/// CI's SourceManager) and, when Result is not null, counting there (it must
/// outlive the consumer).  Call before preprocessing starts: the checks
/// register their preprocessor callbacks here.  The consumer keeps its own
/// copy of Opts: clang destroys a plugin's action before the consumer runs.
/// Review, when set, sees the file's findings before they are emitted and
/// may drop some (Reporter::setReview); only kept findings count and get
/// their fix-its applied.
std::unique_ptr<clang::ASTConsumer>
createAnalysisConsumer(clang::CompilerInstance &CI, Options Opts,
                       clang::DiagnosticsEngine &Out, AnalysisResult *Result,
                       FindingReview Review = nullptr);

} // namespace wqcheck

#endif
