//===- CompilerArgs.cpp ---------------------------------------------------===//
#include "tool/CompilerArgs.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Options.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Option/Arg.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"

using namespace llvm;
namespace options = clang::driver::options;

namespace wqcheck {

// Flags that kbuild passes to sparse or gcc and clang cannot take: dropped
// silently.  Any other flag clang's option table does not know is dropped
// with a warning (it may change how the file parses).
static bool isKnownForeignFlag(StringRef A) {
  static const char *const Exact[] = {
      // sparse's CHECKFLAGS (Makefile, arch/x86/Makefile)
      "-mlittle-endian", "-mbig-endian",
      "-D__STDC__", // a builtin macro for clang
      // gcc-only code generation flags in KBUILD_CFLAGS (6.1 Makefile,
      // arch/x86/Makefile) that clang does not know or rejects for x86_64
      "-fconserve-stack", "-fno-allow-store-data-races",
      "-fallow-store-data-races", "-mindirect-branch-register",
      "-mrecord-mcount", "-fno-var-tracking-assignments",
      "-fno-code-hoisting", "-fsched-pressure", "-fno-ipa-sra",
      "-fno-ipa-cp-clone", "-fno-ipa-bit-cp", "-fno-partial-inlining",
      "-fno-inline-functions-called-once", "-fno-tree-loop-im",
      "-fno-reorder-blocks", "-fno-tree-vectorize", "-fno-gcse"};
  for (const char *E : Exact)
    if (A == E)
      return true;
  static const char *const Prefixes[] = {
      "--arch=",                      // sparse
      "-mindirect-branch=",           // gcc retpolines
      "-mpreferred-stack-boundary=",  // gcc
      "-fmin-function-alignment=",    // gcc 14
      "-fplugin=", "-fplugin-arg-",   // gcc plugins cannot load into clang
      "-fpatchable-function-entry-section=", "--param=", "-falign-labels="};
  for (const char *P : Prefixes)
    if (A.starts_with(P))
      return true;
  return false;
}

// -Wp,-MMD,dir/.file.o.d: kbuild's dependency file.  Checking must not
// write it.
static bool isDependencyPassThrough(StringRef A) {
  return A.starts_with("-Wp,-MD,") || A.starts_with("-Wp,-MMD,") ||
         A.starts_with("-Wp,-MF,");
}

CompilerArgs filterCompilerArgs(ArrayRef<std::string> Raw) {
  CompilerArgs Result;
  std::vector<const char *> Kept;
  for (const std::string &A : Raw)
    if (!isKnownForeignFlag(A) && !isDependencyPassThrough(A))
      Kept.push_back(A.c_str());

  const opt::OptTable &Table = clang::driver::getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  opt::InputArgList List =
      Table.ParseArgs(Kept, MissingIndex, MissingCount,
                      llvm::opt::Visibility(options::ClangOption));
  if (MissingCount) {
    Result.Error = std::string("missing value after '") +
                   List.getArgString(MissingIndex) + "'";
    return Result;
  }
  for (const opt::Arg *A : List) {
    const opt::Option &O = A->getOption();
    if (O.getKind() == opt::Option::UnknownClass) {
      Result.Unknown.push_back(A->getAsString(List));
      continue;
    }
    if (O.getKind() == opt::Option::InputClass) {
      Result.Inputs.push_back(A->getValue());
      continue;
    }
    // Outputs and dependency files: wqcheck only parses.
    if (O.matches(options::OPT_M_Group) || O.matches(options::OPT_o) ||
        O.matches(options::OPT_c) || O.matches(options::OPT_S) ||
        O.matches(options::OPT_E))
      continue;
    opt::ArgStringList Rendered;
    A->render(List, Rendered);
    for (const char *S : Rendered)
      Result.Args.push_back(S);
  }
  return Result;
}

} // namespace wqcheck
