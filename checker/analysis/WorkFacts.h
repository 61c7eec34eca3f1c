//===- WorkFacts.h - what a file does with its work items --------*- C++ -*-===//
//
// File-level facts for the lifecycle checks (wq-uninit,
// wq-free-before-cancel), gathered once over the user's functions and
// global initialisers:
//   - where each work item (WorkKey) is initialised: a store to
//     work_struct.func (what INIT_WORK() and friends expand to), a static
//     initialiser (DECLARE_WORK), a WQ_WORK_INIT call, or a call to a file
//     function that initialises the work item passed to it;
//   - where it is queued (and on which queue), cancelled, flushed;
//   - its handlers (INIT_WORK(.., fn), also through a helper that takes
//     the handler as a parameter);
//   - per function, the work items it initialises, queues and stops with a
//     waiting call, directly, through the file's functions it calls,
//     through ops callbacks a subsystem call runs (input_unregister_device
//     -> input_dev.close), by destroying the only queue they run on, or by
//     handing their struct to a function of another file (opaque call);
//   - constructors (file functions that return a fresh allocation), release
//     callbacks (kref_put, device.release) and the functions whose address
//     is taken.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_WORKFACTS_H
#define WQCHECK_ANALYSIS_WORKFACTS_H

#include "analysis/WorkItems.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace wqcheck {

class UserCode;

/// A queue, flush or cancel of a work item.
struct WorkUse {
  clang::SourceLocation Loc;
  std::string Api;     ///< "queue_work", "cancel_work_sync", ...
  bool Queues = false; ///< queue/mod (not a stop)
};

class WorkFacts {
public:
  /// OpaqueStops: see the member of that name.
  WorkFacts(clang::ASTContext &AST, UserCode &User, bool OpaqueStops = true);
  const clang::ASTContext &ast() const { return AST; }

  /// Functions defined in user code, in file order.
  const std::vector<const clang::FunctionDecl *> &functions() const {
    return Functions;
  }
  /// The user-code definition of FD, if it has one.
  const clang::FunctionDecl *userDefinition(const clang::FunctionDecl *FD) const;
  /// Whether the file calls FD or takes its address (stores it in an ops
  /// table, passes it as a callback).
  bool referencedInFile(const clang::FunctionDecl *FD) const;

  std::map<WorkKey, std::vector<clang::SourceLocation>> Inits;
  /// The places in Inits that are opaque calls (a guess, not an INIT).
  std::set<clang::SourceLocation> OpaqueInits;
  /// The places in Inits that initialise an object the same function has
  /// just allocated (`ev = kzalloc(..); INIT_WORK(&ev->work, ..)`): every
  /// object made there exists only with its work item initialised.
  std::set<clang::SourceLocation> ConstructorInits;
  std::map<WorkKey, std::vector<WorkUse>> Uses;
  /// Queues each work item is queued on (nullopt: a system queue or one
  /// wqcheck cannot name).
  std::map<WorkKey, std::set<std::optional<WorkKey>>> QueuedOn;
  /// Delayed work items queued somewhere with a delay that may not be 0
  /// (WQ_QUEUE_WORK's DelayArg): they can wait on an armed timer.
  std::set<WorkKey> QueuedWithDelay;
  /// Handlers, in the order found (the first one names the item in
  /// messages); a work item may get a different one on different paths.
  std::map<WorkKey, std::vector<const clang::FunctionDecl *>> Handlers;
  /// Functions stored in callback structs: (struct, field) -> functions
  /// (static initialisers such as `static const struct net_device_ops`).
  std::map<std::pair<std::string, std::string>,
           std::set<const clang::FunctionDecl *>>
      OpsFunctions;
  /// Timers, hrtimers and tasklets (by key) and the function they run.
  std::map<WorkKey, const clang::FunctionDecl *> CallbackOf;
  /// Work items stopped by devres when the device unbinds
  /// (devm_work_autocancel, a devm action that cancels them).
  std::set<WorkKey> DevmStopped;
  /// File functions that return a fresh allocation (kzalloc() or another
  /// constructor), e.g. `static struct foo *foo_create(void)`.
  std::set<const clang::FunctionDecl *> Constructors;
  /// Release callbacks: passed to kref_put() or stored in device.release.
  std::set<const clang::FunctionDecl *> ReleaseCallbacks;
  /// Setup functions: module init (__init), constructors in setup slots
  /// (WQ_SETUP_FIELD, probe fields), and static helpers called only by
  /// them.  A stop in one of them is on an error path of the setup, not on
  /// the object's teardown.
  std::set<const clang::FunctionDecl *> SetupFunctions;
  /// Quiesce functions: stored in a WQ_QUIESCE_FIELD slot (a suspend
  /// callback), and static helpers called only by them.  The object
  /// outlives them; nothing frees it after they return.
  std::set<const clang::FunctionDecl *> QuiesceFunctions;
  /// Module exit functions (__exit, section .exit.text) and static helpers
  /// called only by them: they run after every other function of the
  /// module, so a stop there comes after any free elsewhere.
  std::set<const clang::FunctionDecl *> ExitFunctions;
  /// Functions that drop a reference (WQ_REF_PUT: kref_put, kobject_put,
  /// refcount_dec_and_test, ...), directly or through the file's calls.
  std::set<const clang::FunctionDecl *> DropsReference;
  /// Completions (by key) that a work item's handler completes
  /// (WQ_COMPLETION_SIGNAL, directly or through the file's calls), and the
  /// work items: waiting for one (WQ_COMPLETION_WAIT) waits for them.
  std::map<WorkKey, std::set<WorkKey>> CompletedBy;
  /// Work items queued as `if (!queue_work(..)) foo_put(..)`: the queue
  /// hands the work a reference, which its handler drops.
  std::set<WorkKey> RefHandedOver;
  /// Queue fields assigned from one another (`pv->wq = demux->wq`,
  /// mlx4 mad.c): both name the same queue, both ways.
  std::map<WorkKey, std::set<WorkKey>> QueueAliases;
  /// Non-delayed work items queued only on a queue held in a local variable
  /// that the same function destroys or drains before it returns
  /// (`q = create_singlethread_workqueue(..); queue_work(q, &s->w); ...
  /// destroy_workqueue(q);`): they never outlive that function.
  std::set<WorkKey> SelfDrained;
  /// Work items queued only on a queue that a function of the file flushes
  /// (`flush_workqueue(osb->ocfs2_wq)` in ocfs2_recovery_exit()), and the
  /// first such function: one that another file calls directly (external,
  /// its address not taken; an ioctl may flush at any time).  Not a stop
  /// where the free is, but a teardown may run it first.
  std::map<WorkKey, const clang::FunctionDecl *> QueueFlushedBy;
  /// The queue argument of a drain: through the local a macro copies it
  /// into (6.1 flush_workqueue(wq): `struct workqueue_struct *_wq = (wq);
  /// ... __flush_workqueue(_wq);`).
  static const clang::Expr *drainedQueue(const clang::Expr *Arg);
  /// `struct workqueue_struct *`.
  static bool isQueuePointer(clang::QualType T);
  /// A local variable (not a parameter, not a global) that E names.
  static const clang::VarDecl *localQueue(const clang::Expr *E);
  /// Functions used other than by a direct call (callbacks, ops tables):
  /// they may be called from anywhere.
  std::set<const clang::FunctionDecl *> AddressTaken;
  /// Work items whose INIT is out of reach (an array element, a pointer
  /// of unknown origin): file-level "never initialised" is not decided.
  bool UnresolvedInit = false;

  /// Per function, transitively through the file's calls.
  std::map<const clang::FunctionDecl *, std::set<WorkKey>> InitsBy, QueuesBy,
      StopsBy;
  /// Per function, transitively: the fields passed by address to a
  /// function of another file that neither sets up nor stops a callback
  /// source (WQ_ATOMIC_CALLBACK_ARG, WQ_CALLBACK_STOP).  For a timer or a
  /// tasklet, what may start it (mod_timer(), add_timer(),
  /// tasklet_schedule()); one that no call arms since its setup on a path
  /// cannot have run its callback there.
  std::map<const clang::FunctionDecl *, std::set<WorkKey>> ArmsBy;
  /// Parameters whose work item a function initialises (INIT_WORK(w, fn)
  /// on a `struct work_struct *w` parameter).
  std::map<const clang::FunctionDecl *, std::set<unsigned>> InitsParam;

  /// The handlers of K, through its aliases (aliasesOf).
  std::vector<const clang::FunctionDecl *> handlersOf(const WorkKey &K) const;
  /// Work items queued only on queue Q, never with a timer (non-delayed,
  /// or delayed with a delay of 0 everywhere): destroy_workqueue(Q) and
  /// drain_workqueue(Q) wait for them.
  std::vector<WorkKey> itemsDrainedBy(const WorkKey &Q) const;
  /// Work items, delayed or not, that the file queues only on queue Q
  /// (or a second name of it): none is queued where Q is NULL.
  std::vector<WorkKey> itemsQueuedOnlyOn(const WorkKey &Q) const;
  /// Work items whose handler completes completion C (CompletedBy).
  std::vector<WorkKey> itemsCompletedBy(const WorkKey &C) const;
  /// Work items of the structs that Call hands to a function defined in
  /// another file (not in user code, not in the API table) by a pointer of
  /// exactly that struct type: `bq27xxx_battery_teardown(di)`.  That
  /// function may initialise or stop them; wqcheck cannot tell.
  std::vector<WorkKey> opaqueKeys(const clang::CallExpr *Call) const;
  /// Whether Call is to a function of another file (not in user code, not
  /// in the API table, not a builtin) that takes a pointer: what it may do
  /// to objects reachable from its arguments is unknown.
  bool opaqueCall(const clang::CallExpr *Call) const;
  /// With false, opaqueKeys() finds nothing and records in IgnoredOpaque
  /// what it would have found (the cross-file summaries' pending
  /// findings: what a check reports if those functions stop nothing).
  const bool OpaqueStops;
  mutable std::vector<std::pair<std::string, std::vector<WorkKey>>>
      IgnoredOpaque;
  /// The allocation E is: a WQ_ALLOCATOR call or a call to one of the
  /// file's constructors, through casts.
  const clang::CallExpr *freshAllocation(const clang::Expr *E,
                                         bool *Managed = nullptr) const;

  /// The variable at the root of E (`dev` in `&dev->dwork.work`), if a
  /// local variable or parameter.
  static const clang::VarDecl *baseVar(const clang::Expr *E);
  /// The same, local or global (`data` in `&data->work` with a global
  /// `data`).
  static const clang::VarDecl *rootVar(const clang::Expr *E);
  /// The allocator call (WQ_ALLOCATOR) E is, through casts; Managed says
  /// whether devres frees it.
  static const clang::CallExpr *allocationIn(const clang::Expr *E,
                                             bool *Managed = nullptr);
  /// Every work item embedded (not behind a pointer) in RD, as keys rooted
  /// at RD.
  static std::vector<WorkKey> workItemsIn(const clang::RecordDecl *RD);
  /// How the user names K when it is reached through Obj (`kbd->backlight`
  /// for `kbd->backlight->work`): Obj's source text, then K's fields.
  static std::string spellThrough(const WorkKey &K, const clang::Expr *Obj,
                                  const clang::ASTContext &AST);
  /// A call that sets up a timer, hrtimer or tasklet (a
  /// WQ_ATOMIC_CALLBACK_ARG row of those contexts: timer_setup() ->
  /// init_timer_key(timer, fn, ..), tasklet_setup(t, fn)): the source, its
  /// first argument, and in Callback the function it will run.
  static std::optional<WorkKey>
  sourceSetUpBy(const clang::CallExpr *Call, llvm::StringRef Name,
                const clang::FunctionDecl **Callback = nullptr);
  /// The fields Call, a call to a function of another file, may arm as
  /// callback sources (ArmsBy): those it takes by address, unless it sets
  /// up or stops a callback source.
  static std::vector<WorkKey> armedBy(const clang::CallExpr *Call,
                                      llvm::StringRef Name);
  /// E as the user wrote it, without a leading `&` ("adap->stats_work"
  /// for `&adap->stats_work`); nothing when it comes from a macro or
  /// spans lines.
  static std::optional<std::string> writtenAs(const clang::Expr *E,
                                              const clang::ASTContext &AST);
  /// How the user names E in messages: writtenAs(); for a macro's
  /// argument (6.1 flush_workqueue(wq) copies it into a local), its
  /// spelling in the user's file; failing both, its key.
  static std::string spelledAs(const clang::Expr *E,
                               const clang::ASTContext &AST);
  /// The name the user wrote for Call: `flush_workqueue` for the
  /// `__flush_workqueue` call that macro expands to.
  static std::string calledAs(const clang::CallExpr *Call,
                              const clang::ASTContext &AST);
  /// "cancel_work_sync" or "cancel_delayed_work_sync" for K.
  static llvm::StringRef syncCancelFor(const WorkKey &K);
  /// How the user names K: "dev->led_work" when Base is `dev`.
  static std::string spell(const WorkKey &K, const clang::VarDecl *Base);

private:
  bool isOpaque(const clang::FunctionDecl *Callee) const;
  void addHandler(const WorkKey &K, const clang::FunctionDecl *Fn);
  void gather(const clang::FunctionDecl *FD);
  void findConstructors();
  void findSetupFunctions();
  void close();

  clang::ASTContext &AST;
  UserCode &User;
  std::vector<const clang::FunctionDecl *> Functions;
  std::set<const clang::FunctionDecl *> FunctionSet;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>>
      Calls;
  std::set<const clang::FunctionDecl *> DevmActions;
  /// Ops callbacks each function runs through a WQ_OPS_CALL.
  std::map<const clang::FunctionDecl *, std::set<std::pair<std::string, std::string>>>
      OpsCallsBy;
  /// Completions each function completes, and waits for.
  std::map<const clang::FunctionDecl *, std::set<WorkKey>> CompletesBy;
  std::map<const clang::FunctionDecl *, std::vector<WorkKey>> WaitsBy;
  /// Queues each function drains or destroys.
  std::map<const clang::FunctionDecl *, std::vector<WorkKey>> DrainsBy;
  /// Queues each function flushes (WQ_FLUSH_QUEUE).
  std::map<const clang::FunctionDecl *, std::vector<WorkKey>> FlushesBy;
  /// Queue calls on a local queue variable, and the local queues each
  /// function drains or destroys (SelfDrained).
  std::map<const clang::FunctionDecl *,
           std::vector<std::pair<WorkKey, const clang::VarDecl *>>>
      LocalQueued;
  std::map<const clang::FunctionDecl *, std::set<const clang::VarDecl *>>
      LocalDrains;
  /// INIT_WORK(w, fn) with fn a parameter: (work key or parameter index of
  /// w, parameter index of fn).
  /// INIT_WORK() in a helper whose work item or handler comes from the
  /// caller: the work item is Key, or else the caller's argument WorkParam;
  /// the handler is Fn, or else the caller's argument FnParam.
  struct HandlerParam {
    std::optional<WorkKey> Key;
    unsigned WorkParam = 0;
    const clang::FunctionDecl *Fn = nullptr;
    unsigned FnParam = 0;
  };
  std::map<const clang::FunctionDecl *, std::vector<HandlerParam>> HandlerParams;
  /// Work items initialised with a handler the code computes
  /// (`INIT_WORK(&msg->work, msg->fn)`): their handlers are found by
  /// signature (inferComputedHandlers()).
  std::set<WorkKey> ComputedHandlerItems;
  void inferComputedHandlers();
  /// Direct calls per callee, and every reference to each function.
  std::map<const clang::FunctionDecl *, unsigned> DirectCalls, References;
};

} // namespace wqcheck

#endif
