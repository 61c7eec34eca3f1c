//===- LargeStack.h - parse and check on a thread with a large stack -*- C++ -*-===//
//
// Clang's parser and Sema, clang's CFG builder and several of the checks'
// walks recurse once per level of an expression or statement: a chain of
// 20,000 '+' or '&&' (a macro that expands exponentially) or 2,000 nested
// unary operators overflow the 8 MiB of the main thread (tests/cli/
// deep-nesting.test).  The CLI therefore runs each file on a thread with a
// large stack, WQCHECK_STACK_MB MiB (default 1024: reserved address space,
// used only as deep as the code nests), below which a guard region
// catches what still overflows: that becomes one error line and exit
// status 2 instead of a crash.  WQCHECK_STACK_MB=0 runs on the main thread.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_TOOL_LARGESTACK_H
#define WQCHECK_TOOL_LARGESTACK_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace wqcheck {

/// The stack size runWithLargeStack() asks for, in MiB.
unsigned largeStackMiB();

/// Runs Fn on a thread with a stack of largeStackMiB() (less when that much
/// address space cannot be reserved; on the calling thread when no thread
/// can be made).  If Fn overflows that stack, prints "wqcheck: error: " +
/// OverflowMessage on stderr and exits with status 2 (nothing after the
/// overflow can run: the thread's state is lost).
void runWithLargeStack(llvm::function_ref<void()> Fn,
                       llvm::StringRef OverflowMessage);

} // namespace wqcheck

#endif
