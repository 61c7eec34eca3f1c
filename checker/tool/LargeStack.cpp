//===- LargeStack.cpp -----------------------------------------------------===//
#include "tool/LargeStack.h"
#include "llvm/Support/Process.h"
#include <atomic>
#include <cstdlib>
#include <pthread.h>
#include <signal.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace wqcheck {
namespace {

constexpr size_t MiB = size_t(1) << 20;
/// Below the stack: a frame larger than this could jump over it (clang's and
/// the checks' frames are a few KiB at most).
constexpr size_t GuardSize = 4 * MiB;
/// For the fault handler, which cannot run on the stack that overflowed.
constexpr size_t AltStackSize = 256 * 1024;

// What the fault handler reads: the guard region of the running thread and
// the message to print when a fault lands in it.
std::atomic<char *> GuardLow{nullptr};
std::atomic<char *> GuardHigh{nullptr};
std::string Message;
struct sigaction Previous[2]; // SIGSEGV, SIGBUS: LLVM's crash handler

void onFault(int Sig, siginfo_t *Info, void *Context) {
  char *Addr = static_cast<char *>(Info->si_addr);
  char *Low = GuardLow.load(), *High = GuardHigh.load();
  if (Low && Addr >= Low && Addr < High) {
    // Only async-signal-safe calls from here.
    ssize_t Ignored = write(STDERR_FILENO, Message.data(), Message.size());
    (void)Ignored;
    _exit(2);
  }
  // Any other fault is a crash: the handler installed before (LLVM's
  // stack dump), or the default action when the fault happens again.
  const struct sigaction &P = Previous[Sig == SIGBUS];
  if (P.sa_flags & SA_SIGINFO) {
    P.sa_sigaction(Sig, Info, Context);
    return;
  }
  if (P.sa_handler == SIG_DFL || P.sa_handler == SIG_IGN) {
    signal(Sig, SIG_DFL);
    return;
  }
  P.sa_handler(Sig);
}

struct Worker {
  llvm::function_ref<void()> Fn;
  void *AltStack;
};

void *start(void *Arg) {
  auto *W = static_cast<Worker *>(Arg);
  stack_t Alt = {};
  Alt.ss_sp = W->AltStack;
  Alt.ss_size = AltStackSize;
  bool HaveAlt = sigaltstack(&Alt, nullptr) == 0;
  W->Fn();
  if (HaveAlt) {
    Alt.ss_flags = SS_DISABLE;
    sigaltstack(&Alt, nullptr);
  }
  return nullptr;
}

} // namespace

unsigned largeStackMiB() {
  if (std::optional<std::string> V = llvm::sys::Process::GetEnv("WQCHECK_STACK_MB")) {
    char *End = nullptr;
    unsigned long N = std::strtoul(V->c_str(), &End, 10);
    if (End != V->c_str() && !*End && N <= (1u << 20))
      return unsigned(N);
  }
  return 1024;
}

void runWithLargeStack(llvm::function_ref<void()> Fn,
                       llvm::StringRef OverflowMessage) {
  size_t Size = size_t(largeStackMiB()) * MiB;
  // Reserve the stack and its guard (address space only, MAP_NORESERVE);
  // with a tight RLIMIT_AS, a smaller stack, down to 8 MiB.
  void *Mem = MAP_FAILED;
  while (Size >= 8 * MiB) {
    Mem = mmap(nullptr, Size + GuardSize, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (Mem != MAP_FAILED)
      break;
    Size /= 2;
  }
  if (Mem == MAP_FAILED) {
    Fn(); // WQCHECK_STACK_MB=0, or no address space left: the main thread
    return;
  }
  char *Low = static_cast<char *>(Mem);
  std::string AltStack(AltStackSize, '\0');
  Worker W{Fn, AltStack.data()};

  bool Ran = false;
  pthread_attr_t Attr;
  if (mprotect(Mem, GuardSize, PROT_NONE) == 0 &&
      pthread_attr_init(&Attr) == 0) {
    if (pthread_attr_setstack(&Attr, Low + GuardSize, Size) == 0) {
      Message = ("wqcheck: error: " + OverflowMessage + "\n").str();
      GuardLow = Low;
      GuardHigh = Low + GuardSize;
      struct sigaction Handler = {};
      Handler.sa_sigaction = onFault;
      Handler.sa_flags = SA_SIGINFO | SA_ONSTACK;
      sigemptyset(&Handler.sa_mask);
      sigaction(SIGSEGV, &Handler, &Previous[0]);
      sigaction(SIGBUS, &Handler, &Previous[1]);
      pthread_t Thread;
      if (pthread_create(&Thread, &Attr, start, &W) == 0) {
        pthread_join(Thread, nullptr);
        Ran = true;
      }
      sigaction(SIGSEGV, &Previous[0], nullptr);
      sigaction(SIGBUS, &Previous[1], nullptr);
      GuardLow = nullptr;
      GuardHigh = nullptr;
    }
    pthread_attr_destroy(&Attr);
  }
  munmap(Mem, Size + GuardSize);
  if (!Ran)
    Fn();
}

} // namespace wqcheck
