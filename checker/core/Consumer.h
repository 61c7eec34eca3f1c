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
  /// The unit's facts could not be stored in the --db database.
  bool DatabaseFailed = false;
  /// With BodySkipping::OutsideUserCode: bodies skipped, and whether the
  /// file must be parsed again in full (nothing was checked; see
  /// createAnalysisConsumer).
  unsigned SkippedBodies = 0;
  bool NeedsFullParse = false;
};

/// Which function bodies the parse may skip.
enum class BodySkipping {
  None,            ///< parse everything (the plugin: clang compiles them)
  OutsideUserCode, ///< skip bodies of functions defined outside user code
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
///
/// With Skip = OutsideUserCode (the CLI), the consumer asks clang not to
/// parse the bodies of functions defined outside user code (UserCode: the
/// kernel headers' static inline functions), except those the analysis
/// reads; CI's FrontendOptions::SkipFunctionBodies must be set for clang to
/// ask.  No check looks into such a body, so the findings are the same.  If
/// a skipped body turns out to contain user-written tokens (a macro of the
/// user's expanded in it, an #include of a user file), the consumer checks
/// nothing and sets Result->NeedsFullParse: the caller parses the file again
/// with Skip = None.
std::unique_ptr<clang::ASTConsumer>
createAnalysisConsumer(clang::CompilerInstance &CI, Options Opts,
                       clang::DiagnosticsEngine &Out, AnalysisResult *Result,
                       FindingReview Review = nullptr,
                       BodySkipping Skip = BodySkipping::None);

} // namespace wqcheck

#endif
