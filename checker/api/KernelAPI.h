//===- KernelAPI.h - lookups into KernelAPI.def -----------------*- C++ -*-===//
//
// Typed views of the rows in KernelAPI.def.  Checks ask these functions;
// they never compare function names themselves.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_API_KERNELAPI_H
#define WQCHECK_API_KERNELAPI_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <vector>

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

/// A workqueue constructor whose name is a printf format (WQ_QUEUE_ALLOC).
struct QueueAlloc {
  llvm::StringRef Name;
  unsigned FormatArg;        ///< the format, as the user writes the call
  unsigned FirstFormatValue; ///< the first value the format may convert
  bool Macro;                ///< a macro expanding to a function row
};

/// A call that writes formatted text into a buffer (WQ_TEXT_FORMAT).
struct TextFormat {
  llvm::StringRef Name;
  unsigned BufferArg;
  unsigned FormatArg;
};

/// A struct whose embedded device the bus core names with a fixed format
/// (WQ_FIXED_DEVICE_NAME).
struct FixedDeviceName {
  llvm::StringRef Struct;
  llvm::StringRef Field;
  llvm::StringRef Format;
};

/// The call every INIT_WORK() makes, with its on-stack flag
/// (WQ_WORK_INIT_MARK).
struct WorkInitMark {
  llvm::StringRef Name;
  unsigned WorkArg;
  unsigned OnStackArg;
};

/// The _ONSTACK form of an initialiser macro and its destroy call
/// (WQ_ONSTACK_INIT).
struct OnStackInit {
  llvm::StringRef Name;
  llvm::StringRef OnStack;
  llvm::StringRef Destroy;
};

/// Kinds of atomic region (WQ_ATOMIC_REGION).
enum class RegionKind { Spinlock, ReadLock, WriteLock, IrqsOff, BhOff, PreemptOff, RcuRead };
enum class RegionEffect { Enter, Exit, TryEnter };

struct RegionOp {
  llvm::StringRef Name;
  RegionKind Kind;
  RegionEffect Effect;
  int LockArg; ///< -1: the region has no lock argument
};

/// Atomic contexts a callback can run in (WQ_ATOMIC_CALLBACK_*).
enum class CallbackContext { HardIrq, Timer, Hrtimer, Tasklet, RcuCallback, NapiPoll, BhWork, UrbComplete, MboxRx };

struct CallbackArg {
  llvm::StringRef Function;
  unsigned ArgIndex;
  CallbackContext Context;
};

struct CallbackField {
  llvm::StringRef Struct, Field;
  CallbackContext Context;
};

struct QueueWork {
  llvm::StringRef Name;
  int QueueArg; ///< -1: the system workqueue
  unsigned WorkArg;
  int DelayArg; ///< -1: queued at once
};

struct CancelOkOnBh {
  llvm::StringRef Name;
  unsigned WorkArg;
};

/// The name the rows of KernelAPI.def use for Name: a kernel's other
/// spelling of the same API (WQ_SPELLING: kmalloc_noprof -> kmalloc;
/// WQ_RENAMED: timer_delete_sync -> del_timer_sync), else Name itself.
/// Every lookup below applies it first, so checks see one name per API
/// whichever kernel's headers they parse.
llvm::StringRef canonicalName(llvm::StringRef Name);
/// WQ_SPELLING only: the function the user wrote when the compiler calls
/// Compiled from inside that function's wrapper macro (kmalloc for
/// kmalloc_noprof), else "".
llvm::StringRef writtenName(llvm::StringRef Compiled);

const DeprecatedCreate *findDeprecatedCreate(llvm::StringRef Name);
const DeprecatedFlushAll *findDeprecatedFlushAll(llvm::StringRef Name);
const QueueFlush *findQueueFlush(llvm::StringRef Name);
const QueueAlloc *findQueueAlloc(llvm::StringRef Name);
const TextFormat *findTextFormat(llvm::StringRef Name);
/// The WQ_FIXED_DEVICE_NAME row of struct Struct's device field Field.
const FixedDeviceName *findFixedDeviceName(llvm::StringRef Struct,
                                           llvm::StringRef Field);
const WorkInitMark *findWorkInitMark(llvm::StringRef Name);
/// WQ_CURRENT_WORK: returns the work item the caller runs.
bool isCurrentWork(llvm::StringRef Name);
/// WQ_REINIT_GUARD: a name whose use orders an INIT with the queueing.
bool isReinitGuard(llvm::StringRef Name);
const OnStackInit *findOnStackInit(llvm::StringRef Name);
/// The WQ_ONSTACK_INIT row whose _ONSTACK form is OnStack.
const OnStackInit *findOnStackInitFor(llvm::StringRef OnStack);
/// WQ_WORK_DESTROY_ON_STACK: the work argument, or -1.
int destroyOnStackArg(llvm::StringRef Name);
bool isSystemWorkqueue(llvm::StringRef Name);
/// WQ_QUEUE_FLAGS: the flags argument of a workqueue constructor, or -1.
int queueFlagsArg(llvm::StringRef Name);
/// WQ_AFFINITY_FLAG rows: the flags that state a queue's affinity or
/// leave it nothing to state (wq-percpu treats both alike; the rows' Role
/// says which for the reader).
llvm::ArrayRef<llvm::StringRef> affinityFlags();
/// WQ_RENAMED: the new name of an API renamed from Old ("system_percpu_wq"
/// for "system_wq"), or "".
llvm::StringRef newNameOf(llvm::StringRef Old);

/// WQ_SLEEPS: sleeps whatever its arguments.
bool sleepsAlways(llvm::StringRef Name);
/// WQ_SLEEPS_IN_TASK: sleeps unless called from interrupt context.
bool sleepsInTask(llvm::StringRef Name);
/// WQ_GFP_NO_SLEEP: takes a gfp_t but never sleeps on its account.
bool gfpNeverSleeps(llvm::StringRef Name);
/// WQ_BH_OFF_REGION: entering it disables bottom halves.
bool disablesBh(llvm::StringRef Name);
/// WQ_IRQ_RESTORING_UNLOCK: an unlock that also restores interrupts.
bool unlockRestoresIrqs(llvm::StringRef Name);
/// WQ_SLEEPS_GFP: the index of the gfp argument, or -1.
int sleepingGfpArg(llvm::StringRef Name);
/// WQ_GFP_SLEEPS_UNLOCKED: the last member of the lock Name drops around
/// its sleeping allocation ("xa_lock"), or "".
llvm::StringRef gfpSleepDropsLock(llvm::StringRef Name);
const RegionOp *findRegionOp(llvm::StringRef Name);
/// WQ_SLEEPING_LOCK: a mutex or rw_semaphore taken or released.
enum class LockMode { Exclusive, Shared };
struct SleepingLockOp {
  llvm::StringRef Name;
  RegionEffect Effect;
  unsigned LockArg;
  LockMode Mode;
  /// WQ_GLOBAL_SLEEPING_LOCK: the kernel-wide lock the function names
  /// itself ("rtnl_mutex"; LockArg unused), else "".
  llvm::StringRef Global = "";
};
const SleepingLockOp *findSleepingLockOp(llvm::StringRef Name);
/// WQ_GLOBAL_SLEEPING_LOCK: the function that takes Global (the first
/// Enter row), which names the lock in messages and keys.
llvm::StringRef globalLockTaker(llvm::StringRef Global);
/// WQ_LOCKED_CALLBACK: the global lock held around Struct.Field, or "".
llvm::StringRef lockHeldAround(llvm::StringRef Struct, llvm::StringRef Field);
const CallbackArg *findCallbackArg(llvm::StringRef Function);
const CallbackField *findCallbackField(llvm::StringRef Struct,
                                       llvm::StringRef Field);
const QueueWork *findQueueWork(llvm::StringRef Name);
bool isBhWorkqueue(llvm::StringRef Name);
const CancelOkOnBh *findCancelOkOnBh(llvm::StringRef Name);

struct WorkStop {
  llvm::StringRef Name;
  unsigned WorkArg;
  bool Waits;
};
struct ObjectArg {
  llvm::StringRef Name;
  unsigned Arg;
};
struct FreePrivate {
  llvm::StringRef Name;
  unsigned ObjArg;
  llvm::StringRef Accessor;
};
struct DriverTeardown {
  llvm::StringRef Struct, Probe, Remove;
};

/// WQ_WORK_INIT: index of the work argument, or -1.
int workInitArg(llvm::StringRef Name);
const WorkStop *findWorkStop(llvm::StringRef Name);
/// WQ_DRAIN_QUEUE: index of the queue argument, or -1.
int drainQueueArg(llvm::StringRef Name);
/// WQ_FLUSH_QUEUE: the queue argument, or -1.
int flushQueueArg(llvm::StringRef Name);
/// WQ_QUEUE_DESTROY: the queue argument, or -1.
int queueDestroyArg(llvm::StringRef Name);
/// WQ_FREE: index of the freed object, or -1.
int freedArg(llvm::StringRef Name);
const FreePrivate *findFreePrivate(llvm::StringRef Name);
bool isPrivateAccessor(llvm::StringRef Name);
/// WQ_ALLOCATOR: nullopt when not an allocator, else whether devm-managed.
std::optional<bool> allocatorManaged(llvm::StringRef Name);
/// WQ_ZEROING_ALLOCATOR: the new object's fields all read as zero.
bool isZeroingAllocator(llvm::StringRef Name);
llvm::ArrayRef<DriverTeardown> driverTeardowns();
/// WQ_DEVM_ACTION: index of the action function argument, or -1.
int devmActionArg(llvm::StringRef Name);

struct OpsCall {
  llvm::StringRef Name, Struct, Field;
};
const OpsCall *findOpsCall(llvm::StringRef Name);

/// A callback slot: struct and field (`input_dev`, `close`).
struct OpsField {
  llvm::StringRef Struct, Field;
};
/// WQ_DEVM_OPS: the callback devres runs when it releases what Allocator
/// returned.
std::optional<OpsField> devmOpsOf(llvm::StringRef Allocator);
/// WQ_RELEASE_CALLBACK: index of the release function argument, or -1.
int releaseCallbackArg(llvm::StringRef Name);
/// WQ_RELEASE_FIELD: Struct.Field holds a release function.
bool isReleaseField(llvm::StringRef Struct, llvm::StringRef Field);

/// WQ_SETUP_FIELD, and the probe fields of WQ_DRIVER_TEARDOWN: Struct.Field
/// holds a constructor (probe, connect, dm .ctr).
bool isSetupField(llvm::StringRef Struct, llvm::StringRef Field);
/// WQ_QUIESCE_FIELD: Struct.Field holds a power-management callback that
/// quiesces a device the core keeps (suspend, freeze, poweroff).
bool isQuiesceField(llvm::StringRef Struct, llvm::StringRef Field);
/// WQ_REF_PUT: index of the object whose reference is dropped, or -1.
int referencePutArg(llvm::StringRef Name);
/// A table WQ_REF_PUT row, or a name that follows the kernel's get/put
/// convention (`*_put`, `put_*`).
bool isReferencePutName(llvm::StringRef Name);
/// WQ_COMPLETION_WAIT / WQ_COMPLETION_SIGNAL: index of the completion
/// argument, or -1.
int completionWaitArg(llvm::StringRef Name);
int completionSignalArg(llvm::StringRef Name);
/// WQ_DEVM_SOURCE_ARG: the callback arguments Name registers with devres.
std::vector<int> devmSourceArgs(llvm::StringRef Name);
/// WQ_DEVM_SOURCE_OPS: the callback slots of what Name registers with
/// devres.
std::vector<OpsField> devmSourceOps(llvm::StringRef Name);
/// WQ_PUBLISH_ARG: a callback argument Name makes callable at once, and
/// its irqflags argument (-1: none).
struct PublishArg {
  int FnArg, IrqFlagsArg;
};
std::vector<PublishArg> publishArgs(llvm::StringRef Name);
/// WQ_PUBLISH_OPS: the callback slots Name makes callable at once.
std::vector<OpsField> publishOps(llvm::StringRef Name);
/// WQ_SOURCE_UNREGISTER_OPS: the callback slots whose source Name
/// unregisters.
std::vector<OpsField> sourceUnregisterOps(llvm::StringRef Name);
/// WQ_SOURCE_STOP: Name stops an IRQ or LED callback source and waits.
bool isSourceStop(llvm::StringRef Name);
/// WQ_REQUEST_DRAIN: Name returns only when no request of a subsystem
/// instance is in flight, and starts no new one.
bool isRequestDrain(llvm::StringRef Name);
/// WQ_SOURCE_STOP rows of Source Irq: Name stops IRQs (which one is not
/// known) and waits for running handlers.
bool isIrqStop(llvm::StringRef Name);
/// WQ_BIT_OP: a bit operation `Name(nr, addr)`.
enum class BitEffect { None, Set, Clear };
struct BitOp {
  llvm::StringRef Name;
  BitEffect Effect;
  bool Tests; ///< its value is the bit (before the write)
};
const BitOp *findBitOp(llvm::StringRef Name);
/// WQ_FLAG_WRITE: index of the flag argument Name writes, or -1.
int flagWriteArg(llvm::StringRef Name);
/// WQ_OWNED_WORK: Struct.Field is a work item its machinery owns.
bool isOwnedWork(llvm::StringRef Struct, llvm::StringRef Field);

/// Whether any lifecycle family of the table names Name (queue, stop, init,
/// drain, free, allocator, ops call, callback stop, devm action, release):
/// such a function is never an opaque call of another file.
bool isKnownCall(llvm::StringRef Name);

/// WQ_CALLBACK_STOP: index of the callback object argument, or -1.
int callbackStopArg(llvm::StringRef Name);
/// WQ_SOURCE_SHUTDOWN: index of the source it stops for good, or -1.
int sourceShutdownArg(llvm::StringRef Name);
/// WQ_SOURCE_ARM: index of the source argument it arms, or -1.
int sourceArmArg(llvm::StringRef Name);
/// WQ_WORK_DISABLE: Name disables the work item it stops.
bool disablesWork(llvm::StringRef Name);
/// WQ_CONTEXT_TEST: Name tests at run time whether it runs atomically.
bool isContextTest(llvm::StringRef Name);
/// WQ_SOURCE_ACTIVE_TEST: whether a timer/hrtimer is still armed or running.
bool isSourceActiveTest(llvm::StringRef Name);
/// WQ_LIST_LINK: Name links list nodes into a list head it is given.
bool linksListNodes(llvm::StringRef Name);
/// WQ_SYNC_CALLBACK_WORD: Name runs its function-pointer arguments before
/// it returns.
bool callsBackAtOnce(llvm::StringRef Name);

/// Names that matter to the context analysis as macros: a call produced by
/// the expansion of one of these is attributed to it (analysis/ApiCalls.h).
bool isContextApiName(llvm::StringRef Name);

/// Words for messages: "spinlock", "hard-IRQ handler", ...
llvm::StringRef describe(RegionKind K);
llvm::StringRef describe(CallbackContext C);
/// "hard-IRQ context", "softirq context (timer)", ...
llvm::StringRef describeContext(CallbackContext C);

} // namespace wqcheck::api

#endif
