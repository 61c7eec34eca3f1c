//===- Facts.h - what one translation unit tells the others ------*- C++ -*-===//
//
// The cross-file summaries of issue 12 (docs/design.md, "Whole-build
// knowledge"): plain data that a check records while it analyses a file
// (CheckContext::Facts, null without --db), that db/SummaryDB.cpp stores in
// SQLite and that db/CrossFile.cpp reads back for `wqcheck report`.
//
// Functions are named by a key: the name for a function with external
// linkage (what another file's call resolves to), "<file>#<name>" for a
// static one (the file it is defined in).
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_DB_FACTS_H
#define WQCHECK_DB_FACTS_H

#include "core/Finding.h"
#include <string>
#include <vector>

namespace wqcheck {

/// A function defined in the unit.
struct FunctionFact {
  std::string Key, Name;
  bool External = false;
  Position Where;
};

/// A place where a function sleeps with every region of its caller still
/// held: a sleeping call (Via empty), a call of a helper of the same unit
/// that sleeps (Via: its key), or, with GfpParam >= 0, an allocation with
/// the flags of that parameter.
struct SleepFact {
  std::string Function;
  Position Where;
  std::string Api, Detail, Via;
  int GfpParam = -1;
  /// Parameters of Function whose test decides whether this place runs
  /// ("1": under `if (may_sleep)`, or after `if (!may_sleep) return;`).
  std::string Under;
};

/// A call of a function of the user's (defined here or not) or through a
/// function pointer of an ops table (Slot "struct.field", Callee empty).
struct CallFact {
  std::string Caller, Callee, Slot;
  Position Where;
  /// The innermost atomic region held at the call ("spinlock 'q->lock'
  /// held"), and where it was entered; empty when none.
  std::string Atomic;
  Position AtomicWhere;
  /// Arguments that matter, "I=K" separated by ',': K is R (gfp flags that
  /// allow direct reclaim), N (gfp flags that do not), pQ (the caller's
  /// parameter Q, a gfp_t) or c (a constant the callee may branch on).
  std::string Args;
  /// The call is under a test of the running context (in_atomic(), ...).
  bool ContextGuarded = false;
  /// As SleepFact::Under, for the caller's parameters.
  std::string Under;
};

/// A function registered to run in atomic context.
struct CallbackFact {
  std::string Function;
  std::string Context; ///< "timer callback", as api::describe() says
  Position Where;      ///< where it is registered
  std::string How;     ///< "registered here with 'timer_setup'"
};

/// A function stored in a field of a static ops table.
struct SlotFact {
  std::string Slot; ///< "struct.field"
  std::string Function;
  Position Where;
};

/// A call in a function of the user's (the unit's call graph, whichever
/// checks run).  Callee is a function key, "slot:struct.field" for a call
/// through an ops-table field, or "?" for another function pointer.
struct CallEdgeFact {
  std::string Caller, Callee;
  /// The structs the callee's pointer parameters point to ("a,b"): a
  /// function no unit defines may do anything to those.
  std::string Takes;
};

/// What a function itself does to a work item (what it calls does is
/// followed through CallEdgeFact): Op "init", "queue" or "stop" (a cancel
/// or flush of it).  Item as db/Keys.h itemKey().
struct WorkOpFact {
  std::string Function, Item, Op;
  Position Where;   ///< the call that does it
  std::string Root; ///< the struct it is reached from there (rootStruct())
};

/// A finding a check would report if the named functions of other files
/// (Opaque, keys) do not stop Item: the per-file pass assumed they may,
/// and `wqcheck report` decides with their summaries.
struct PendingFact {
  Finding F;
  std::string Item;
  std::string Root; ///< the struct the free's object is (rootStruct())
  std::vector<std::string> Opaque;
};

struct UnitFacts {
  std::string Unit; ///< the main file, absolute
  std::vector<FunctionFact> Functions;
  std::vector<SleepFact> Sleeps;
  std::vector<CallFact> Calls;
  std::vector<CallbackFact> Callbacks;
  std::vector<SlotFact> Slots;
  std::vector<CallEdgeFact> Edges;
  std::vector<WorkOpFact> WorkOps;
  std::vector<PendingFact> Pending;
  /// A check recorded WorkOps from its own work facts already.
  bool WorkOpsRecorded = false;
};

} // namespace wqcheck

#endif
