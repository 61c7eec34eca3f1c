//===- KernelAPI.cpp - lookups into KernelAPI.def -------------------------===//
#include "api/KernelAPI.h"
#include <algorithm>
#include <iterator>

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

const QueueAlloc QueueAllocs[] = {
#define WQ_QUEUE_ALLOC(Name, FormatArg, FirstFormatValue, Macro)                \
  {#Name, FormatArg, FirstFormatValue, Macro},
#include "api/KernelAPI.def"
};

const TextFormat TextFormats[] = {
#define WQ_TEXT_FORMAT(Name, BufferArg, FormatArg) {#Name, BufferArg, FormatArg},
#include "api/KernelAPI.def"
};

const FixedDeviceName FixedDeviceNames[] = {
#define WQ_FIXED_DEVICE_NAME(Struct, Field, Format) {#Struct, #Field, Format},
#include "api/KernelAPI.def"
};

const WorkInitMark WorkInitMarks[] = {
#define WQ_WORK_INIT_MARK(Name, WorkArg, OnStackArg) {#Name, WorkArg, OnStackArg},
#include "api/KernelAPI.def"
};

const OnStackInit OnStackInits[] = {
#define WQ_ONSTACK_INIT(Name, OnStack, Destroy) {#Name, #OnStack, #Destroy},
#include "api/KernelAPI.def"
};

const StringRef SystemWorkqueues[] = {
#define WQ_SYSTEM_WORKQUEUE(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef AlwaysSleeping[] = {
#define WQ_SLEEPS(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef GfpNoSleep[] = {
#define WQ_GFP_NO_SLEEP(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef BhOffRegions[] = {
#define WQ_BH_OFF_REGION(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef TaskSleeping[] = {
#define WQ_SLEEPS_IN_TASK(Name) #Name,
#include "api/KernelAPI.def"
};

struct GfpRow {
  StringRef Name;
  int GfpArg;
};
struct GfpUnlockRow {
  StringRef Name, LockMember;
};
const GfpUnlockRow GfpSleepsUnlocked[] = {
#define WQ_GFP_SLEEPS_UNLOCKED(Name, LockMember) {#Name, #LockMember},
#include "api/KernelAPI.def"
};
const GfpRow GfpSleeping[] = {
#define WQ_SLEEPS_GFP(Name, GfpArg) {#Name, GfpArg},
#include "api/KernelAPI.def"
};

const RegionOp RegionOps[] = {
#define WQ_ATOMIC_REGION(Name, Kind, Effect, LockArg)                          \
  {#Name, RegionKind::Kind, RegionEffect::Effect, LockArg},
#include "api/KernelAPI.def"
};

const StringRef IrqRestoringUnlocks[] = {
#define WQ_IRQ_RESTORING_UNLOCK(Name) #Name,
#include "api/KernelAPI.def"
};

const SleepingLockOp SleepingLockOps[] = {
#define WQ_SLEEPING_LOCK(Name, Effect, LockArg, Mode)                          \
  {#Name, RegionEffect::Effect, LockArg, LockMode::Mode, ""},
#define WQ_GLOBAL_SLEEPING_LOCK(Name, Effect, Lock, Mode)                      \
  {#Name, RegionEffect::Effect, ~0u, LockMode::Mode, #Lock},
#include "api/KernelAPI.def"
};

struct LockedCallbackRow {
  StringRef Struct, Field, Lock;
};
const LockedCallbackRow LockedCallbacks[] = {
#define WQ_LOCKED_CALLBACK(Struct, Field, Lock) {#Struct, #Field, #Lock},
#include "api/KernelAPI.def"
};

const CallbackArg CallbackArgs[] = {
#define WQ_ATOMIC_CALLBACK_ARG(Function, ArgIndex, Context)                    \
  {#Function, ArgIndex, CallbackContext::Context},
#include "api/KernelAPI.def"
};

const CallbackField CallbackFields[] = {
#define WQ_ATOMIC_CALLBACK_FIELD(Struct, Field, Context)                       \
  {#Struct, #Field, CallbackContext::Context},
#include "api/KernelAPI.def"
};

const QueueWork QueueWorks[] = {
#define WQ_QUEUE_WORK(Name, QueueArg, WorkArg, DelayArg)                      \
  {#Name, QueueArg, WorkArg, DelayArg},
#include "api/KernelAPI.def"
};

const StringRef BhWorkqueues[] = {
#define WQ_BH_WORKQUEUE(Name) #Name,
#include "api/KernelAPI.def"
};

const CancelOkOnBh CancelsOkOnBh[] = {
#define WQ_CANCEL_OK_ON_BH(Name, WorkArg) {#Name, WorkArg},
#include "api/KernelAPI.def"
};

const ObjectArg WorkInits[] = {
#define WQ_WORK_INIT(Name, WorkArg) {#Name, WorkArg},
#include "api/KernelAPI.def"
};

const WorkStop WorkStops[] = {
#define WQ_WORK_STOP(Name, WorkArg, Waits) {#Name, WorkArg, Waits},
#include "api/KernelAPI.def"
};

const ObjectArg QueueDestroys[] = {
#define WQ_QUEUE_DESTROY(Name, QueueArg) {#Name, QueueArg},
#include "api/KernelAPI.def"
};
const ObjectArg DrainQueues[] = {
#define WQ_DRAIN_QUEUE(Name, QueueArg) {#Name, QueueArg},
#include "api/KernelAPI.def"
};
const ObjectArg DestroysOnStack[] = {
#define WQ_WORK_DESTROY_ON_STACK(Name, WorkArg) {#Name, WorkArg},
#include "api/KernelAPI.def"
};
const ObjectArg FlushQueues[] = {
#define WQ_FLUSH_QUEUE(Name, QueueArg) {#Name, QueueArg},
#include "api/KernelAPI.def"
};

const ObjectArg Frees[] = {
#define WQ_FREE(Name, ObjArg) {#Name, ObjArg},
#include "api/KernelAPI.def"
};

const FreePrivate FreePrivates[] = {
#define WQ_FREE_PRIVATE(Name, ObjArg, Accessor) {#Name, ObjArg, #Accessor},
#include "api/KernelAPI.def"
};

struct AllocatorRow {
  StringRef Name;
  bool Managed;
};
const AllocatorRow Allocators[] = {
#define WQ_ALLOCATOR(Name, Managed) {#Name, Managed},
#include "api/KernelAPI.def"
};

const DriverTeardown DriverTeardowns[] = {
#define WQ_DRIVER_TEARDOWN(Struct, ProbeField, RemoveField)                    \
  {#Struct, #ProbeField, #RemoveField},
#include "api/KernelAPI.def"
};

const ObjectArg DevmActions[] = {
#define WQ_DEVM_ACTION(Name, FnArg) {#Name, FnArg},
#include "api/KernelAPI.def"
};

const OpsCall OpsCalls[] = {
#define WQ_OPS_CALL(Name, Struct, Field) {#Name, #Struct, #Field},
#include "api/KernelAPI.def"
};

struct DevmOpsRow {
  StringRef Allocator, Struct, Field;
};
const DevmOpsRow DevmOpsRows[] = {
#define WQ_DEVM_OPS(Allocator, Struct, Field) {#Allocator, #Struct, #Field},
#include "api/KernelAPI.def"
};

const ObjectArg ReleaseCallbacks[] = {
#define WQ_RELEASE_CALLBACK(Name, FnArg) {#Name, FnArg},
#include "api/KernelAPI.def"
};

const OpsField ReleaseFields[] = {
#define WQ_RELEASE_FIELD(Struct, Field) {#Struct, #Field},
#include "api/KernelAPI.def"
};

const OpsField SetupFields[] = {
#define WQ_SETUP_FIELD(Struct, Field) {#Struct, #Field},
#include "api/KernelAPI.def"
};

const OpsField QuiesceFields[] = {
#define WQ_QUIESCE_FIELD(Struct, Field) {#Struct, #Field},
#include "api/KernelAPI.def"
};

const ObjectArg ReferencePuts[] = {
#define WQ_REF_PUT(Name, ObjArg) {#Name, ObjArg},
#include "api/KernelAPI.def"
};

const ObjectArg DevmSourceArgs[] = {
#define WQ_DEVM_SOURCE_ARG(Name, FnArg) {#Name, FnArg},
#include "api/KernelAPI.def"
};

const DevmOpsRow DevmSourceOps[] = {
#define WQ_DEVM_SOURCE_OPS(Name, Struct, Field) {#Name, #Struct, #Field},
#include "api/KernelAPI.def"
};

struct PublishArgRow {
  StringRef Name;
  int FnArg, FlagsArg;
};
const PublishArgRow PublishArgs[] = {
#define WQ_PUBLISH_ARG(Name, FnArg, FlagsArg) {#Name, FnArg, FlagsArg},
#include "api/KernelAPI.def"
};

const DevmOpsRow PublishOps[] = {
#define WQ_PUBLISH_OPS(Name, Struct, Field) {#Name, #Struct, #Field},
#include "api/KernelAPI.def"
};

const DevmOpsRow SourceUnregisterOps[] = {
#define WQ_SOURCE_UNREGISTER_OPS(Name, Struct, Field) {#Name, #Struct, #Field},
#include "api/KernelAPI.def"
};

const StringRef SourceStops[] = {
#define WQ_SOURCE_STOP(Name, Source) #Name,
#include "api/KernelAPI.def"
};

const StringRef RequestDrains[] = {
#define WQ_REQUEST_DRAIN(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef IrqStops[] = {
#define WQ_SOURCE_STOP(Name, Source) WQ_IRQ_STOP_##Source(Name)
#define WQ_IRQ_STOP_Irq(Name) #Name,
#define WQ_IRQ_STOP_Led(Name)
#include "api/KernelAPI.def"
#undef WQ_IRQ_STOP_Irq
#undef WQ_IRQ_STOP_Led
};

const BitOp BitOps[] = {
#define WQ_BIT_OP(Name, Effect, Tests) {#Name, BitEffect::Effect, Tests},
#include "api/KernelAPI.def"
};

const ObjectArg FlagWrites[] = {
#define WQ_FLAG_WRITE(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const ObjectArg CompletionWaits[] = {
#define WQ_COMPLETION_WAIT(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const ObjectArg CompletionSignals[] = {
#define WQ_COMPLETION_SIGNAL(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const OpsField OwnedWorks[] = {
#define WQ_OWNED_WORK(Struct, Field) {#Struct, #Field},
#include "api/KernelAPI.def"
};

const ObjectArg CallbackStops[] = {
#define WQ_CALLBACK_STOP(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const ObjectArg SourceShutdowns[] = {
#define WQ_SOURCE_SHUTDOWN(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const ObjectArg SourceArms[] = {
#define WQ_SOURCE_ARM(Name, Arg) {#Name, Arg},
#include "api/KernelAPI.def"
};

const StringRef WorkDisables[] = {
#define WQ_WORK_DISABLE(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef ContextTests[] = {
#define WQ_CONTEXT_TEST(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef SourceActiveTests[] = {
#define WQ_SOURCE_ACTIVE_TEST(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef ListLinks[] = {
#define WQ_LIST_LINK(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef SyncCallbackWords[] = {
#define WQ_SYNC_CALLBACK_WORD(Word) #Word,
#include "api/KernelAPI.def"
};

/// WQ_SPELLING and WQ_RENAMED: a kernel's spelling -> the rows' spelling.
struct SpellingRow {
  StringRef From, To;
  bool Compiled; ///< WQ_SPELLING: the compiler's name for a wrapper macro
};
const SpellingRow Spellings[] = {
#define WQ_SPELLING(Compiled, Written, Since, Header)                          \
  {#Compiled, #Written, true},
#define WQ_RENAMED(New, Old, Since, Header) {#New, #Old, false},
#include "api/KernelAPI.def"
};

template <size_t N> bool contains(const StringRef (&Names)[N], StringRef Name) {
  Name = canonicalName(Name);
  for (StringRef S : Names)
    if (S == Name)
      return true;
  return false;
}

template <typename Row, size_t N>
const Row *findByName(const Row (&Rows)[N], StringRef Name) {
  Name = canonicalName(Name);
  for (const Row &R : Rows)
    if (R.Name == Name)
      return &R;
  return nullptr;
}

} // namespace

StringRef canonicalName(StringRef Name) {
  for (const SpellingRow &R : Spellings)
    if (R.From == Name)
      return R.To;
  return Name;
}

StringRef writtenName(StringRef Compiled) {
  for (const SpellingRow &R : Spellings)
    if (R.Compiled && R.From == Compiled)
      return R.To;
  return "";
}

const DeprecatedCreate *findDeprecatedCreate(StringRef Name) {
  return findByName(DeprecatedCreates, Name);
}

const DeprecatedFlushAll *findDeprecatedFlushAll(StringRef Name) {
  return findByName(DeprecatedFlushAlls, Name);
}

const QueueFlush *findQueueFlush(StringRef Name) {
  return findByName(QueueFlushes, Name);
}

const QueueAlloc *findQueueAlloc(StringRef Name) {
  return findByName(QueueAllocs, Name);
}

const TextFormat *findTextFormat(StringRef Name) {
  return findByName(TextFormats, Name);
}

const FixedDeviceName *findFixedDeviceName(StringRef Struct, StringRef Field) {
  for (const FixedDeviceName &R : FixedDeviceNames)
    if (R.Struct == Struct && R.Field == Field)
      return &R;
  return nullptr;
}

const WorkInitMark *findWorkInitMark(StringRef Name) {
  return findByName(WorkInitMarks, Name);
}

const OnStackInit *findOnStackInit(StringRef Name) {
  return findByName(OnStackInits, Name);
}

const OnStackInit *findOnStackInitFor(StringRef OnStack) {
  for (const OnStackInit &R : OnStackInits)
    if (R.OnStack == OnStack)
      return &R;
  return nullptr;
}

namespace {
const StringRef ZeroingAllocators[] = {
#define WQ_ZEROING_ALLOCATOR(Name) #Name,
#include "api/KernelAPI.def"
};

const StringRef ReinitGuards[] = {
#define WQ_REINIT_GUARD(Name) #Name,
#include "api/KernelAPI.def"
};
} // namespace

bool isReinitGuard(StringRef Name) { return contains(ReinitGuards, Name); }
bool isZeroingAllocator(StringRef Name) {
  return contains(ZeroingAllocators, Name);
}

namespace {
const StringRef CurrentWorkFns[] = {
#define WQ_CURRENT_WORK(Name) #Name,
#include "api/KernelAPI.def"
};
} // namespace

bool isCurrentWork(StringRef Name) { return contains(CurrentWorkFns, Name); }

bool isSystemWorkqueue(StringRef Name) {
  return contains(SystemWorkqueues, Name);
}

namespace {
struct QueueFlagsRow {
  StringRef Name;
  int FlagsArg;
};
const QueueFlagsRow QueueFlags[] = {
#define WQ_QUEUE_FLAGS(Name, FlagsArg) {#Name, FlagsArg},
#include "api/KernelAPI.def"
};
const StringRef AffinityFlags[] = {
#define WQ_AFFINITY_FLAG(Name, Role) #Name,
#include "api/KernelAPI.def"
};
} // namespace

int queueFlagsArg(StringRef Name) {
  const QueueFlagsRow *R = findByName(QueueFlags, Name);
  return R ? R->FlagsArg : -1;
}

llvm::ArrayRef<StringRef> affinityFlags() { return AffinityFlags; }

StringRef newNameOf(StringRef Old) {
  for (const SpellingRow &R : Spellings)
    if (!R.Compiled && R.To == Old)
      return R.From;
  return "";
}

bool sleepsAlways(StringRef Name) { return contains(AlwaysSleeping, Name); }

bool sleepsInTask(StringRef Name) { return contains(TaskSleeping, Name); }
bool gfpNeverSleeps(StringRef Name) { return contains(GfpNoSleep, Name); }
bool disablesBh(StringRef Name) { return contains(BhOffRegions, Name); }
bool unlockRestoresIrqs(StringRef Name) {
  return contains(IrqRestoringUnlocks, Name);
}

StringRef gfpSleepDropsLock(StringRef Name) {
  const GfpUnlockRow *R = findByName(GfpSleepsUnlocked, Name);
  return R ? R->LockMember : StringRef();
}

int sleepingGfpArg(StringRef Name) {
  const GfpRow *R = findByName(GfpSleeping, Name);
  return R ? R->GfpArg : -1;
}

const RegionOp *findRegionOp(StringRef Name) {
  return findByName(RegionOps, Name);
}

const SleepingLockOp *findSleepingLockOp(StringRef Name) {
  return findByName(SleepingLockOps, Name);
}

StringRef globalLockTaker(StringRef Global) {
  for (const SleepingLockOp &R : SleepingLockOps)
    if (R.Global == Global && R.Effect == RegionEffect::Enter)
      return R.Name;
  return "";
}

StringRef lockHeldAround(StringRef Struct, StringRef Field) {
  for (const LockedCallbackRow &R : LockedCallbacks)
    if (R.Struct == Struct && (R.Field == Field || R.Field == "*"))
      return R.Lock;
  return "";
}

const CallbackArg *findCallbackArg(StringRef Function) {
  Function = canonicalName(Function);
  for (const CallbackArg &R : CallbackArgs)
    if (R.Function == Function)
      return &R;
  return nullptr;
}

const CallbackField *findCallbackField(StringRef Struct, StringRef Field) {
  for (const CallbackField &R : CallbackFields)
    if (R.Struct == Struct && R.Field == Field)
      return &R;
  return nullptr;
}

const QueueWork *findQueueWork(StringRef Name) {
  return findByName(QueueWorks, Name);
}

bool isBhWorkqueue(StringRef Name) { return contains(BhWorkqueues, Name); }

const CancelOkOnBh *findCancelOkOnBh(StringRef Name) {
  return findByName(CancelsOkOnBh, Name);
}

template <size_t N>
bool hasField(const OpsField (&Rows)[N], StringRef Struct, StringRef Field) {
  for (const OpsField &R : Rows)
    if (R.Struct == Struct && R.Field == Field)
      return true;
  return false;
}

template <size_t N> int argOf(const ObjectArg (&Rows)[N], StringRef Name) {
  Name = canonicalName(Name);
  for (const ObjectArg &R : Rows)
    if (R.Name == Name)
      return R.Arg;
  return -1;
}

int workInitArg(StringRef Name) { return argOf(WorkInits, Name); }
const WorkStop *findWorkStop(StringRef Name) {
  return findByName(WorkStops, Name);
}
int drainQueueArg(StringRef Name) { return argOf(DrainQueues, Name); }
int flushQueueArg(StringRef Name) { return argOf(FlushQueues, Name); }
int queueDestroyArg(StringRef Name) { return argOf(QueueDestroys, Name); }
int destroyOnStackArg(StringRef Name) {
  return argOf(DestroysOnStack, Name);
}
int freedArg(StringRef Name) { return argOf(Frees, Name); }
const FreePrivate *findFreePrivate(StringRef Name) {
  return findByName(FreePrivates, Name);
}
bool isPrivateAccessor(StringRef Name) {
  Name = canonicalName(Name);
  for (const FreePrivate &R : FreePrivates)
    if (R.Accessor == Name)
      return true;
  return false;
}
std::optional<bool> allocatorManaged(StringRef Name) {
  if (const AllocatorRow *R = findByName(Allocators, Name))
    return R->Managed;
  return std::nullopt;
}
llvm::ArrayRef<DriverTeardown> driverTeardowns() { return DriverTeardowns; }
int devmActionArg(StringRef Name) { return argOf(DevmActions, Name); }
int callbackStopArg(StringRef Name) { return argOf(CallbackStops, Name); }
int sourceShutdownArg(StringRef Name) { return argOf(SourceShutdowns, Name); }
int sourceArmArg(StringRef Name) { return argOf(SourceArms, Name); }
bool disablesWork(StringRef Name) { return contains(WorkDisables, Name); }
bool isContextTest(StringRef Name) { return contains(ContextTests, Name); }
bool isSourceActiveTest(StringRef Name) {
  return contains(SourceActiveTests, Name);
}
bool linksListNodes(StringRef Name) { return contains(ListLinks, Name); }
bool callsBackAtOnce(StringRef Name) {
  for (StringRef Word : SyncCallbackWords)
    if (Name.contains(Word))
      return true;
  return false;
}
const OpsCall *findOpsCall(StringRef Name) { return findByName(OpsCalls, Name); }
std::optional<OpsField> devmOpsOf(StringRef Allocator) {
  Allocator = canonicalName(Allocator);
  for (const DevmOpsRow &R : DevmOpsRows)
    if (R.Allocator == Allocator)
      return OpsField{R.Struct, R.Field};
  return std::nullopt;
}
int releaseCallbackArg(StringRef Name) { return argOf(ReleaseCallbacks, Name); }
bool isKnownCall(StringRef Name) {
  return findQueueWork(Name) || findWorkStop(Name) || workInitArg(Name) >= 0 ||
         drainQueueArg(Name) >= 0 || freedArg(Name) >= 0 ||
         findFreePrivate(Name) || allocatorManaged(Name) ||
         findOpsCall(Name) || callbackStopArg(Name) >= 0 ||
         devmActionArg(Name) >= 0 || releaseCallbackArg(Name) >= 0 ||
         devmOpsOf(Name);
}

bool isSetupField(StringRef Struct, StringRef Field) {
  if (hasField(SetupFields, Struct, Field))
    return true;
  for (const DriverTeardown &T : driverTeardowns())
    if (T.Struct == Struct && T.Probe == Field)
      return true;
  return false;
}
bool isQuiesceField(StringRef Struct, StringRef Field) {
  return hasField(QuiesceFields, Struct, Field);
}
int referencePutArg(StringRef Name) { return argOf(ReferencePuts, Name); }
bool isReferencePutName(StringRef Name) {
  // The kernel's get/put naming: foo_put(), put_foo() drop a reference
  // (Documentation/core-api/kref.rst; kobject_put, put_device, dev_put,
  // sock_put, module_put, client_put in drivers/firewire/core-cdev.c).
  return referencePutArg(Name) >= 0 || Name.ends_with("_put") ||
         Name.starts_with("put_");
}
/// The (Struct, Field) slots of the rows of Rows for Name.
template <size_t N>
std::vector<OpsField> slotsOf(const DevmOpsRow (&Rows)[N], StringRef Name) {
  std::vector<OpsField> Out;
  StringRef C = canonicalName(Name);
  for (const DevmOpsRow &R : Rows)
    if (R.Allocator == C)
      Out.push_back({R.Struct, R.Field});
  return Out;
}
std::vector<int> devmSourceArgs(StringRef Name) {
  std::vector<int> Out;
  StringRef N = canonicalName(Name);
  for (const ObjectArg &R : DevmSourceArgs)
    if (R.Name == N)
      Out.push_back(R.Arg);
  return Out;
}
std::vector<OpsField> devmSourceOps(StringRef Name) {
  return slotsOf(DevmSourceOps, Name);
}
std::vector<PublishArg> publishArgs(StringRef Name) {
  std::vector<PublishArg> Out;
  StringRef N = canonicalName(Name);
  for (const PublishArgRow &R : PublishArgs)
    if (R.Name == N)
      Out.push_back({R.FnArg, R.FlagsArg});
  return Out;
}
std::vector<OpsField> publishOps(StringRef Name) {
  return slotsOf(PublishOps, Name);
}
std::vector<OpsField> sourceUnregisterOps(StringRef Name) {
  return slotsOf(SourceUnregisterOps, Name);
}
bool isIrqStop(StringRef Name) {
  StringRef N = canonicalName(Name);
  return std::find(std::begin(IrqStops), std::end(IrqStops), N) !=
         std::end(IrqStops);
}
bool isSourceStop(StringRef Name) {
  StringRef N = canonicalName(Name);
  return std::find(std::begin(SourceStops), std::end(SourceStops), N) !=
         std::end(SourceStops);
}
bool isRequestDrain(StringRef Name) {
  StringRef N = canonicalName(Name);
  return std::find(std::begin(RequestDrains), std::end(RequestDrains), N) !=
         std::end(RequestDrains);
}
const BitOp *findBitOp(StringRef Name) { return findByName(BitOps, Name); }
int flagWriteArg(StringRef Name) { return argOf(FlagWrites, Name); }
int completionWaitArg(StringRef Name) { return argOf(CompletionWaits, Name); }
int completionSignalArg(StringRef Name) {
  return argOf(CompletionSignals, Name);
}
bool isOwnedWork(StringRef Struct, StringRef Field) {
  return hasField(OwnedWorks, Struct, Field);
}
bool isReleaseField(StringRef Struct, StringRef Field) {
  return hasField(ReleaseFields, Struct, Field);
}

bool isContextApiName(StringRef Name) {
  return sleepsAlways(Name) || sleepsInTask(Name) ||
         sleepingGfpArg(Name) >= 0 || findRegionOp(Name);
}

StringRef describe(RegionKind K) {
  switch (K) {
  case RegionKind::Spinlock: return "spinlock";
  case RegionKind::ReadLock: return "rwlock (read)";
  case RegionKind::WriteLock: return "rwlock (write)";
  case RegionKind::IrqsOff: return "interrupts disabled";
  case RegionKind::BhOff: return "bottom halves disabled";
  case RegionKind::PreemptOff: return "preemption disabled";
  case RegionKind::RcuRead: return "RCU read-side critical section";
  }
  return "atomic region";
}

StringRef describe(CallbackContext C) {
  switch (C) {
  case CallbackContext::HardIrq: return "hard-IRQ handler";
  case CallbackContext::Timer: return "timer callback";
  case CallbackContext::Hrtimer: return "hrtimer callback";
  case CallbackContext::Tasklet: return "tasklet";
  case CallbackContext::RcuCallback: return "RCU callback";
  case CallbackContext::NapiPoll: return "NAPI poll function";
  case CallbackContext::BhWork: return "work item on a BH workqueue";
  case CallbackContext::UrbComplete: return "URB completion handler";
  case CallbackContext::MboxRx: return "mailbox rx callback";
  }
  return "atomic callback";
}

StringRef describeContext(CallbackContext C) {
  switch (C) {
  case CallbackContext::HardIrq: return "hard-IRQ context";
  case CallbackContext::Timer: return "softirq context (timer)";
  case CallbackContext::Hrtimer: return "hard-IRQ context (hrtimer)";
  case CallbackContext::Tasklet: return "softirq context (tasklet)";
  case CallbackContext::RcuCallback: return "softirq context (RCU callback)";
  case CallbackContext::NapiPoll: return "softirq context (NAPI)";
  case CallbackContext::BhWork: return "softirq context (BH workqueue)";
  case CallbackContext::UrbComplete: return "interrupt context (URB completion)";
  case CallbackContext::MboxRx: return "atomic context (mailbox rx callback)";
  }
  return "atomic context";
}

} // namespace wqcheck::api
