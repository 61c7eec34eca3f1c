//===- KernelAPI.cpp - lookups into KernelAPI.def -------------------------===//
#include "api/KernelAPI.h"

using llvm::StringRef;

namespace wqcheck::api {
namespace {

// Each table is a static array generated from one family of KernelAPI.def.
const DeprecatedCreate DeprecatedCreates[] = {
#define WQ_DEPRECATED_CREATE(Name, Replacement, Flags, MaxActive, PerCpu)      \
  {#Name, #Replacement, Flags, MaxActive, PerCpu},
#include "api/KernelAPI.def"
};

const DeprecatedFlushAll DeprecatedFlushAlls[] = {
#define WQ_DEPRECATED_FLUSH_ALL(Name, Queue) {#Name, #Queue},
#include "api/KernelAPI.def"
};

const QueueFlush QueueFlushes[] = {
#define WQ_QUEUE_FLUSH(Name, QueueArg) {#Name, QueueArg},
#include "api/KernelAPI.def"
};

const StringRef SystemWorkqueues[] = {
#define WQ_SYSTEM_WORKQUEUE(Name) #Name,
#include "api/KernelAPI.def"
};

template <typename Row, size_t N>
const Row *findByName(const Row (&Rows)[N], StringRef Name) {
  for (const Row &R : Rows)
    if (R.Name == Name)
      return &R;
  return nullptr;
}

} // namespace

const DeprecatedCreate *findDeprecatedCreate(StringRef Name) {
  return findByName(DeprecatedCreates, Name);
}

const DeprecatedFlushAll *findDeprecatedFlushAll(StringRef Name) {
  return findByName(DeprecatedFlushAlls, Name);
}

const QueueFlush *findQueueFlush(StringRef Name) {
  return findByName(QueueFlushes, Name);
}

bool isSystemWorkqueue(StringRef Name) {
  for (StringRef Q : SystemWorkqueues)
    if (Q == Name)
      return true;
  return false;
}

} // namespace wqcheck::api
