//===- Plugin.cpp - wqcheck as a clang plugin -----------------------------===//
//
//   clang -fplugin=build/lib/wqcheck.so [-fplugin-arg-wqcheck-checks=GLOBS] ...
//
// Runs after clang's own action (the compile goes on as usual) and reports
// through the compiler's diagnostics, so findings look like any clang
// warning and work with -verify, -fixit, IDEs and build logs.
//
//===----------------------------------------------------------------------===//
#include "core/Consumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"

using namespace clang;

namespace wqcheck {
namespace {

class PluginAction : public PluginASTAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    return createAnalysisConsumer(CI, Opts, CI.getDiagnostics(),
                                  /*Result=*/nullptr);
  }

  bool ParseArgs(const CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    unsigned Err = D.getCustomDiagID(DiagnosticsEngine::Error, "wqcheck: %0");
    for (const std::string &Arg : Args) {
      StringRef A(Arg);
      if (A.consume_front("checks=")) {
        auto Filter = CheckFilter::parse(A);
        if (!Filter) {
          D.Report(Err) << llvm::toString(Filter.takeError());
          return false;
        }
        Opts.Checks = *Filter;
        continue;
      }
      D.Report(Err) << ("unknown plugin argument '" + Arg +
                        "' (known: checks=GLOBS)");
      return false;
    }
    return true;
  }

  ActionType getActionType() override { return AddAfterMainAction; }

private:
  Options Opts; // copied into the consumer: clang destroys this action first
};

} // namespace
} // namespace wqcheck

static FrontendPluginRegistry::Add<wqcheck::PluginAction>
    X("wqcheck", "find Linux workqueue misuse");
