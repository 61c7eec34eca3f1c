//===- KernelAPI.h - lookups into KernelAPI.def -----------------*- C++ -*-===//
//
// Typed views of the rows in KernelAPI.def.  Checks ask these functions;
// they never compare function names themselves.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_API_KERNELAPI_H
#define WQCHECK_API_KERNELAPI_H

#include "llvm/ADT/StringRef.h"

namespace wqcheck::api {

/// A deprecated workqueue constructor and its modern replacement.
struct DeprecatedCreate {
  llvm::StringRef Name;
  llvm::StringRef Replacement; ///< alloc_workqueue or alloc_ordered_workqueue
  llvm::StringRef Flags;       ///< WQ_* flags of the equivalent queue
  llvm::StringRef MaxActive;   ///< "" when Replacement takes no max_active
  bool PerCpu;                 ///< a per-CPU queue (WQ_PERCPU on 6.17+)
};

/// A call that flushes an entire system-wide workqueue.
struct DeprecatedFlushAll {
  llvm::StringRef Name;
  llvm::StringRef Queue;
};

/// A call that waits for everything on the workqueue passed as an argument.
struct QueueFlush {
  llvm::StringRef Name;
  unsigned QueueArg;
};

const DeprecatedCreate *findDeprecatedCreate(llvm::StringRef Name);
const DeprecatedFlushAll *findDeprecatedFlushAll(llvm::StringRef Name);
const QueueFlush *findQueueFlush(llvm::StringRef Name);
bool isSystemWorkqueue(llvm::StringRef Name);

} // namespace wqcheck::api

#endif
