//===- CrossFile.cpp ------------------------------------------------------===//
#include "db/CrossFile.h"
#include "api/KernelAPI.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <deque>
#include <map>
#include <optional>
#include <set>

using llvm::StringRef;

namespace wqcheck {
namespace {

constexpr const char *SleepId = "wq-sleep-in-atomic";
constexpr size_t MaxChainNotes = 12;

std::string quoted(StringRef S) { return ("'" + S + "'").str(); }

std::string nameOf(StringRef Key) {
  size_t Hash = Key.rfind('#');
  return (Hash == StringRef::npos ? Key : Key.drop_front(Hash + 1)).str();
}

/// A function, where it is defined (the unit that recorded its body).
struct Definition {
  const UnitFacts *Unit;
  const FunctionFact *Fact;
};

/// How a function comes to sleep, or to sleep with the flags of one of its
/// gfp_t parameters: its own summary, or a call.
struct Reason {
  const SleepFact *Own = nullptr;
  const CallFact *Call = nullptr;
  std::string Callee;   ///< key of the function called
  int CalleeParam = -1; ///< >= 0: it passes sleeping flags (or its own
                        ///< parameter) as that parameter of Callee
};

/// A mode of sleeping: -1 always, Q >= 0 with the flags of parameter Q.
using Mode = int;

class Resolver {
public:
  explicit Resolver(const std::vector<UnitFacts> &Units) : Units(Units) {
    for (const UnitFacts &U : Units) {
      for (const FunctionFact &F : U.Functions)
        Defs[F.Key].push_back({&U, &F});
      for (const CallFact &C : U.Calls)
        CallsOf[C.Caller].push_back({&U, &C});
      for (const SleepFact &S : U.Sleeps)
        OwnSleeps[S.Function].push_back(&S);
      for (const SlotFact &S : U.Slots) {
        SlotFillers[S.Slot].insert(S.Function);
        SlotOf.try_emplace({S.Slot, S.Function}, &S);
      }
      for (const CallbackFact &C : U.Callbacks)
        Roots[C.Function].push_back({&U, &C});
      for (const CallEdgeFact &E : U.Edges)
        EdgesOf[E.Caller].push_back(&E);
      for (const WorkOpFact &W : U.WorkOps)
        WorkOpsOf[W.Function].push_back(&W);
    }
  }

  std::vector<Finding> sleepFindings();
  std::vector<Finding> pendingFindings(const CheckFilter &Checks);
  std::vector<Finding> uninitFindings();

private:
  struct UnitCall {
    const UnitFacts *Unit;
    const CallFact *Call;
  };
  struct UnitCallback {
    const UnitFacts *Unit;
    const CallbackFact *Callback;
  };

  /// The one definition of Key; none when unknown or defined in several
  /// units as different functions (two modules' external functions of the
  /// same name: which one runs is not known).
  const Definition *definition(const std::string &Key) const {
    auto It = Defs.find(Key);
    if (It == Defs.end())
      return nullptr;
    for (const Definition &D : It->second)
      if (D.Fact->Where.File != It->second.front().Fact->Where.File ||
          D.Fact->Where.Line != It->second.front().Fact->Where.Line)
        return nullptr;
    return &It->second.front();
  }
  bool definedIn(const std::string &Key, const UnitFacts *U) const {
    auto It = Defs.find(Key);
    return It != Defs.end() && llvm::any_of(It->second, [&](const Definition &D) {
             return D.Unit == U;
           });
  }

  /// The functions a call may run: its callee, or the functions stored in
  /// the ops-table slot it calls through.
  std::vector<std::string> callees(const CallFact &C) const {
    if (!C.Callee.empty())
      return {C.Callee};
    auto It = SlotFillers.find(C.Slot);
    if (It == SlotFillers.end())
      return {};
    return std::vector<std::string>(It->second.begin(), It->second.end());
  }

  /// Argument kinds of a call: index -> "R", "N", "pQ", "c".
  static std::map<unsigned, std::string> argsOf(const CallFact &C) {
    std::map<unsigned, std::string> Out;
    llvm::SmallVector<StringRef, 4> Parts;
    StringRef(C.Args).split(Parts, ',', -1, false);
    for (StringRef P : Parts) {
      auto [I, K] = P.split('=');
      unsigned Index;
      if (!I.getAsInteger(10, Index))
        Out[Index] = K.str();
    }
    return Out;
  }

  /// A constant argument for a parameter whose test decides whether the
  /// callee's reason to sleep runs: this call may not take that path.
  bool constantGuard(const CallFact &C, const std::string &Callee,
                     Mode M) const {
    const Reason *R = reason(Callee, M);
    if (!R)
      return false;
    llvm::SmallVector<StringRef, 4> Under;
    StringRef(R->Own ? R->Own->Under : R->Call->Under)
        .split(Under, ',', -1, false);
    for (const auto &[I, K] : argsOf(C))
      if (K == "c" && llvm::is_contained(Under, std::to_string(I)))
        return true;
    return false;
  }

  /// The functions of the checked files a call edge runs: its callee, or
  /// the fillers of the ops-table slot it calls through; none when unknown.
  std::vector<std::string> edgeTargets(const CallEdgeFact &E) const {
    StringRef C = E.Callee;
    if (C.consume_front("slot:")) {
      std::vector<std::string> Out;
      auto It = SlotFillers.find(C.str());
      if (It != SlotFillers.end())
        for (const std::string &F : It->second)
          if (definition(F))
            Out.push_back(F);
      return Out;
    }
    if (definition(E.Callee))
      return {E.Callee};
    return {};
  }

  /// Everything From runs in the checked files; Unknown is set when it
  /// calls something no checked file defines that takes a Struct (or a
  /// work item), or through an unknown pointer.
  std::set<std::string> reach(const std::string &From,
                              const std::set<std::string> &Structs,
                              bool &Unknown) const {
    std::set<std::string> Seen{From};
    std::deque<std::string> Queue{From};
    while (!Queue.empty() && Seen.size() <= MaxReachSet) {
      std::string V = Queue.front();
      Queue.pop_front();
      auto It = EdgesOf.find(V);
      if (It == EdgesOf.end())
        continue;
      for (const CallEdgeFact *E : It->second) {
        std::vector<std::string> Next = edgeTargets(*E);
        if (Next.empty()) {
          llvm::SmallVector<StringRef, 4> Takes;
          StringRef(E->Takes).split(Takes, ',', -1, false);
          Unknown |= llvm::any_of(Takes, [&](StringRef T) {
            return Structs.count(T.str()) || T == "work_struct" ||
                   T == "delayed_work";
          });
        }
        for (std::string &N : Next)
          if (Seen.insert(N).second)
            Queue.push_back(std::move(N));
      }
    }
    Unknown |= Seen.size() > MaxReachSet;
    return Seen;
  }
  static constexpr size_t MaxReachSet = 4000;

  void solve();
  /// For a call through an ops table: where Callee was stored in it.
  void slotNote(const CallFact &C, const std::string &Callee,
                std::vector<FindingNote> &Notes) const {
    if (C.Slot.empty())
      return;
    auto It = SlotOf.find({C.Slot, Callee});
    if (It != SlotOf.end())
      Notes.push_back({It->second->Where, quoted(nameOf(Callee)) +
                                              " is stored in " + C.Slot +
                                              " here"});
  }
  const Reason *reason(const std::string &Key, Mode M) const {
    auto It = Sleeps.find({Key, M});
    return It == Sleeps.end() ? nullptr : &It->second;
  }
  bool set(const std::string &Key, Mode M, Reason R) {
    return Sleeps.emplace(std::make_pair(Key, M), std::move(R)).second;
  }
  std::optional<Finding> chainFinding(const UnitFacts &EntryUnit,
                                      const CallFact *EntryCall,
                                      const std::string &EntryFunction,
                                      const std::string &Callee, Mode M,
                                      const std::string &Context,
                                      const Position &ContextWhere,
                                      const std::string &ContextNote,
                                      bool CrossedAtEntry = false);

  const std::vector<UnitFacts> &Units;
  std::map<std::string, std::vector<Definition>> Defs;
  std::map<std::string, std::vector<UnitCall>> CallsOf;
  std::map<std::string, std::vector<const SleepFact *>> OwnSleeps;
  std::map<std::string, std::set<std::string>> SlotFillers;
  std::map<std::pair<std::string, std::string>, const SlotFact *> SlotOf;
  std::map<std::string, std::vector<UnitCallback>> Roots;
  std::map<std::pair<std::string, Mode>, Reason> Sleeps;
  std::map<std::string, std::vector<const CallEdgeFact *>> EdgesOf;
  std::map<std::string, std::vector<const WorkOpFact *>> WorkOpsOf;
  std::set<std::pair<std::string, unsigned>> Reported; // origin places
};

void Resolver::solve() {
  // A function's own summary first: it is what its file already knows,
  // and the chain notes prefer it.
  for (const auto &[Key, Rows] : OwnSleeps)
    for (const SleepFact *S : Rows)
      set(Key, S->GfpParam, Reason{S, nullptr, "", -1});
  bool Changed = true;
  for (unsigned Round = 0; Changed && Round < 64; ++Round) {
    Changed = false;
    for (const auto &[Caller, Calls] : CallsOf)
      for (const UnitCall &UC : Calls) {
        const CallFact &C = *UC.Call;
        if (C.ContextGuarded)
          continue;
        auto Args = argsOf(C);
        for (const std::string &Callee : callees(C)) {
          if (!definition(Callee))
            continue;
          // Through an ops table only the gfp flags the caller chose are
          // evidence: which table the pointer holds is not known.
          if (C.Slot.empty() && reason(Callee, -1) &&
              !constantGuard(C, Callee, -1))
            Changed |= set(Caller, -1, Reason{nullptr, &C, Callee, -1});
          for (const auto &[I, K] : Args) {
            if (!reason(Callee, int(I)) || constantGuard(C, Callee, int(I)))
              continue;
            if (K == "R")
              Changed |= set(Caller, -1, Reason{nullptr, &C, Callee, int(I)});
            else if (K.size() > 1 && K[0] == 'p')
              Changed |= set(Caller, std::stoi(K.substr(1)),
                             Reason{nullptr, &C, Callee, int(I)});
          }
        }
      }
  }
}


std::string lineOf(const Position &P) {
  auto Buf = llvm::MemoryBuffer::getFile(P.File);
  if (!Buf)
    return "";
  StringRef Text = (*Buf)->getBuffer();
  for (unsigned L = 1; L < P.Line && !Text.empty(); ++L)
    Text = Text.split('\n').second;
  return Text.split('\n').first.trim().str();
}

/// Follows the reasons from Callee (sleeping in mode M) to the call where
/// the sleep is decided; the finding is reported there.  Null when the
/// chain stays in the entry's file (its kbuild pass reported it) or was
/// reported already.
std::optional<Finding> Resolver::chainFinding(
    const UnitFacts &EntryUnit, const CallFact *EntryCall,
    const std::string &EntryFunction, const std::string &Callee, Mode M,
    const std::string &Context, const Position &ContextWhere,
    const std::string &ContextNote, bool CrossedAtEntry) {
  std::vector<FindingNote> Notes;
  if (!ContextWhere.File.empty())
    Notes.push_back({ContextWhere, ContextNote});
  bool Crossed = CrossedAtEntry;
  // A hop or the sleep that runs only as a test of the function's
  // parameters decides (SleepFact/CallFact::Under): what the caller passes
  // may not take that path, which the report does not follow.
  std::optional<Position> Conditional;
  auto Test = [&](const std::string &Under, const Position &Where) {
    if (!Under.empty() && !Conditional)
      Conditional = Where;
  };
  const UnitFacts *Here = &EntryUnit;
  std::string Function = EntryFunction;
  std::optional<Position> Origin;
  std::string Api, Detail, OriginFunction;
  if (EntryCall) {
    Test(EntryCall->Under, EntryCall->Where);
    Notes.push_back({EntryCall->Where, quoted(nameOf(EntryFunction)) +
                                           " calls " + quoted(nameOf(Callee)) +
                                           " here"});
    Crossed |= !definedIn(Callee, Here) || !EntryCall->Slot.empty();
    if (M >= 0) { // the entry call passes the sleeping flags
      // to a function it calls directly: the file's own check reported
      // that (a function of another file passed such flags may sleep).
      if (EntryCall->Slot.empty())
        return std::nullopt;
      Origin = EntryCall->Where;
      OriginFunction = EntryFunction;
    }
    slotNote(*EntryCall, Callee, Notes);
  }
  std::string Key = EntryCall ? Callee : EntryFunction;
  std::set<std::pair<std::string, Mode>> Seen;
  while (Seen.insert({Key, M}).second && Notes.size() < MaxChainNotes + 2) {
    const Reason *R = reason(Key, M);
    const Definition *D = definition(Key);
    if (!R || !D)
      return std::nullopt;
    if (D->Unit != Here) {
      Crossed |= !definedIn(Key, Here);
      Here = D->Unit;
    }
    if (R->Own) {
      const SleepFact &S = *R->Own;
      Test(S.Under, S.Where);
      // A helper of the same file that sleeps whatever it is passed is
      // followed; one that sleeps with the flags passed here is not (this
      // call decides).
      bool Follow = !S.Via.empty() && M < 0 && reason(S.Via, -1) &&
                    definition(S.Via);
      if (!Follow) {
        Api = S.Api;
        Detail = S.Detail;
        if (!Origin) {
          Origin = S.Where;
          OriginFunction = Key;
        } else {
          Notes.push_back({S.Where, quoted(nameOf(Key)) + " calls " +
                                        quoted(S.Via.empty() ? S.Api
                                                             : nameOf(S.Via)) +
                                        (M >= 0 ? " with those flags" : "") +
                                        " here"});
        }
        break;
      }
      Notes.push_back({S.Where, quoted(nameOf(Key)) + " calls " +
                                    quoted(nameOf(S.Via)) + " here"});
      Key = S.Via;
      continue;
    }
    const CallFact &C = *R->Call;
    Test(C.Under, C.Where);
    Crossed |= !definedIn(R->Callee, D->Unit) || !C.Slot.empty();
    if (M < 0 && R->CalleeParam >= 0 && !Origin) {
      Origin = C.Where;
      OriginFunction = Key;
    } else {
      Notes.push_back(
          {C.Where, quoted(nameOf(Key)) + " calls " +
                        quoted(nameOf(R->Callee)) +
                        (C.Slot.empty() ? "" : " (through " + C.Slot + ")") +
                        (M >= 0 || R->CalleeParam >= 0
                             ? " passing those gfp flags"
                             : "") +
                        " here"});
    }
    slotNote(C, R->Callee, Notes);
    M = R->CalleeParam;
    Key = R->Callee;
  }
  if (!Crossed || !Origin || Api.empty())
    return std::nullopt;
  if (!Reported.insert({Origin->File, Origin->Line}).second)
    return std::nullopt;
  // The origin itself is the finding's place, not a note.
  llvm::erase_if(Notes, [&](const FindingNote &N) {
    return N.Where.File == Origin->File && N.Where.Line == Origin->Line &&
           N.Where.Column == Origin->Column;
  });
  Notes.push_back(
      {*Origin, "found by 'wqcheck report': the atomic caller and this "
                "sleep are in different files, which no single file's check "
                "sees"});
  Finding F;
  F.CheckId = SleepId;
  F.Where = *Origin;
  F.Spelled = Origin->File;
  F.Function = nameOf(OriginFunction);
  F.LineText = lineOf(*Origin);
  F.Message = "sleeping function " + quoted(Api) +
              (Detail.empty() ? "" : " " + Detail) +
              " reached in atomic context (" + Context +
              ") from another file; sleeping there is a bug (\"BUG: sleeping "
              "function called from invalid context\"); " +
              (Detail.empty() ? "use a non-sleeping variant here (mdelay(), a "
                                "spinlock)"
                              : "pass GFP_ATOMIC here") +
              ", or make the atomic caller defer to a work item";
  F.Notes = std::move(Notes);
  if (Conditional) {
    F.Possible = true;
    F.Notes.push_back(
        {*Conditional,
         "reported at --level=possible only: this call runs only as a test "
         "of its function's parameters decides, and what the atomic caller "
         "passes is not followed across files"});
  }
  return F;
}

std::vector<Finding> Resolver::sleepFindings() {
  solve();
  std::vector<Finding> Out;
  auto Add = [&](std::optional<Finding> F) {
    if (F)
      Out.push_back(std::move(*F));
  };
  // Callbacks: everything they call runs in their context.
  for (const auto &[Fn, Registered] : Roots) {
    const Definition *D = definition(Fn);
    if (!D)
      continue;
    const UnitCallback &First = Registered.front();
    std::string Context =
        First.Callback->Context + " " + quoted(D->Fact->Name);
    std::string Note = quoted(D->Fact->Name) + " runs in atomic context: " +
                       First.Callback->How;
    // Registered in another file: its own sleeps are news too.
    bool Elsewhere = llvm::none_of(Registered, [&](const UnitCallback &R) {
      return R.Unit == D->Unit;
    });
    if (Elsewhere && reason(Fn, -1))
      Add(chainFinding(*D->Unit, nullptr, Fn, Fn, -1, Context,
                       First.Callback->Where, Note, /*CrossedAtEntry=*/true));
    auto It = CallsOf.find(Fn);
    if (It == CallsOf.end())
      continue;
    for (const UnitCall &UC : It->second) {
      if (UC.Call->ContextGuarded)
        continue;
      for (const std::string &Callee : callees(*UC.Call)) {
        if (!definition(Callee))
          continue;
        if (UC.Call->Slot.empty() && reason(Callee, -1) &&
            !constantGuard(*UC.Call, Callee, -1))
          Add(chainFinding(*UC.Unit, UC.Call, Fn, Callee, -1, Context,
                           First.Callback->Where, Note, Elsewhere));
        for (const auto &[I, K] : argsOf(*UC.Call))
          if (K == "R" && reason(Callee, int(I)) &&
              !constantGuard(*UC.Call, Callee, int(I)))
            Add(chainFinding(*UC.Unit, UC.Call, Fn, Callee, int(I), Context,
                             First.Callback->Where, Note, Elsewhere));
      }
    }
  }
  // Calls made with an atomic region held.
  for (const auto &[Caller, Calls] : CallsOf)
    for (const UnitCall &UC : Calls) {
      const CallFact &C = *UC.Call;
      if (C.Atomic.empty() || C.ContextGuarded)
        continue;
      for (const std::string &Callee : callees(C)) {
        if (!definition(Callee))
          continue;
        std::string Note = C.Atomic + ": entered here";
        if (C.Slot.empty() && reason(Callee, -1) &&
            !constantGuard(C, Callee, -1))
          Add(chainFinding(*UC.Unit, &C, Caller, Callee, -1, C.Atomic,
                           C.AtomicWhere, Note));
        for (const auto &[I, K] : argsOf(C))
          if (K == "R" && reason(Callee, int(I)) &&
              !constantGuard(C, Callee, int(I)))
            Add(chainFinding(*UC.Unit, &C, Caller, Callee, int(I), C.Atomic,
                             C.AtomicWhere, Note));
      }
    }
  return Out;
}

/// Two item keys name the same work item, or one holds the other
/// ("s.dwork" and "s.dwork.work").
bool sameItem(StringRef A, StringRef B) {
  if (A.size() > B.size())
    std::swap(A, B);
  return B.starts_with(A) && (B.size() == A.size() || B[A.size()] == '.');
}

std::vector<Finding> Resolver::pendingFindings(const CheckFilter &Checks) {
  std::vector<Finding> Out;
  for (const UnitFacts &U : Units)
    for (const PendingFact &P : U.Pending) {
      if (!Checks.isEnabled(P.F.CheckId))
        continue;
      StringRef Struct = P.Root.empty() ? StringRef(P.Item).split('.').first
                                        : StringRef(P.Root);
      std::string ItemName = StringRef(P.Item).split('.').second.str();
      bool Decided = true;
      std::vector<FindingNote> Notes;
      unsigned Others = 0;
      for (std::string O : P.Opaque) {
        // '*': called by the free's own function (named in a note).
        bool Shown = !O.empty() && O[0] == '*';
        if (Shown)
          O.erase(0, 1);
        else
          ++Others;
        const Definition *D = definition(O);
        if (!D) {
          Decided = false; // defined in no checked file: it may stop it
          break;
        }
        // Everything it may run, in the checked files.
        bool Unknown = false;
        std::set<std::string> Seen =
            reach(O, {Struct.str(), StringRef(P.Item).split('.').first.str()},
                  Unknown);
        bool Stops = llvm::any_of(Seen, [&](const std::string &V) {
          auto It = WorkOpsOf.find(V);
          return It != WorkOpsOf.end() &&
                 llvm::any_of(It->second, [&](const WorkOpFact *W) {
                   return W->Op == "stop" && sameItem(W->Item, P.Item);
                 });
        });
        if (Stops || Unknown) {
          Decided = false;
          break;
        }
        size_t Callees = Seen.size() - 1;
        if (Shown)
          Notes.push_back(
            {D->Fact->Where,
             quoted(D->Fact->Name) + ", which this file hands '" +
                 Struct.str() + "' to, does not stop '" + ItemName + "'" +
                 (Callees ? " (nor do the " + std::to_string(Callees) +
                                " functions of the checked files it calls)"
                          : "")});
      }
      if (!Decided)
        continue;
      Finding F = P.F;
      F.Notes.insert(F.Notes.end(), Notes.begin(), Notes.end());
      if (Others)
        F.Notes.push_back(
            {F.Where, "nor do the " + std::to_string(Others) +
                          " other function(s) of other files this file "
                          "hands '" + Struct.str() + "' to"});
      F.Notes.push_back({F.Where, "found by 'wqcheck report': the file's "
                                  "own check took those calls of other "
                                  "files for possible stops"});
      Out.push_back(std::move(F));
    }
  return Out;
}

/// wq-uninit across files: a driver's remove() reaches a stop of a work
/// item that its probe() never initialises -- every INIT of it in the
/// checked files is somewhere probe does not reach (set up on a later
/// request) -- so unbinding the device before that request cancels or
/// flushes a work item that was never initialised.
std::vector<Finding> Resolver::uninitFindings() {
  std::vector<Finding> Out;
  std::map<std::string, std::vector<const WorkOpFact *>> Inits, Stops;
  // Items initialised where their object is allocated: every object a
  // remove() can reach was made with its work item set up (mlx4
  // mlx4_en_filter_alloc(), held-out Set H).
  std::set<std::string> Constructed;
  for (const UnitFacts &U : Units)
    for (const WorkOpFact &W : U.WorkOps) {
      if (W.Op == "init")
        Inits[W.Item].push_back(&W);
      else if (W.Op == "construct")
        Constructed.insert(W.Item);
      else if (W.Op == "stop")
        Stops[W.Item].push_back(&W);
    }
  for (const std::string &Item : Constructed)
    Stops.erase(Item);
  // Probe and remove of each driver table (WQ_DRIVER_TEARDOWN).
  struct Table {
    std::string Probe, Remove, Kind;
    Position Where;
  };
  std::map<std::pair<std::string, unsigned>, Table> Tables;
  for (const UnitFacts &U : Units)
    for (const SlotFact &S : U.Slots)
      for (const api::DriverTeardown &T : api::driverTeardowns()) {
        auto [Struct, Field] = StringRef(S.Slot).split('.');
        if (Struct != T.Struct || (Field != T.Probe && Field != T.Remove))
          continue;
        Table &X = Tables[{S.Where.File, S.Where.Line}];
        (Field == T.Probe ? X.Probe : X.Remove) = S.Function;
        X.Kind = T.Struct.str();
        X.Where = S.Where;
      }
  std::set<std::pair<std::string, unsigned>> Reported;
  for (const auto &[Key, T] : Tables) {
    if (T.Probe.empty() || T.Remove.empty() || !definition(T.Probe) ||
        !definition(T.Remove))
      continue;
    for (const auto &[Item, StopOps] : Stops) {
      auto I = Inits.find(Item);
      if (I == Inits.end() || I->second.empty())
        continue; // initialised nowhere checked: not decided here
      StringRef Struct = StringRef(Item).split('.').first;
      // What holds it, as the checked files reach it.
      std::set<std::string> Holders{Struct.str()};
      for (const WorkOpFact *W : StopOps)
        if (!W->Root.empty())
          Holders.insert(W->Root);
      for (const WorkOpFact *W : I->second)
        if (!W->Root.empty())
          Holders.insert(W->Root);
      bool ProbeUnknown = false, RemoveUnknown = false;
      std::set<std::string> ByProbe = reach(T.Probe, Holders, ProbeUnknown);
      if (ProbeUnknown)
        continue;
      if (llvm::any_of(I->second, [&](const WorkOpFact *W) {
            return ByProbe.count(W->Function);
          }))
        continue;
      std::set<std::string> ByRemove =
          reach(T.Remove, Holders, RemoveUnknown);
      // The remove must not initialise it itself before the stop.
      if (llvm::any_of(I->second, [&](const WorkOpFact *W) {
            return ByRemove.count(W->Function);
          }))
        continue;
      const WorkOpFact *Stop = nullptr;
      for (const WorkOpFact *W : StopOps)
        if (ByRemove.count(W->Function)) {
          Stop = W;
          break;
        }
      if (!Stop)
        continue;
      // Only the driver's own work items: the table's directory holds the
      // stop and every INIT.  A subsystem's item (mac80211's, stopped by
      // ieee80211_unregister_hw()) is set up by the subsystem's allocator,
      // which probe may reach through a kernel header's inline wrapper
      // (ieee80211_alloc_hw()) that no call graph of the user's shows
      // (held-out Set G, ath10k).
      StringRef Dir = llvm::sys::path::parent_path(T.Where.File);
      auto Inside = [&](const Position &P) {
        return StringRef(P.File).starts_with((Dir + "/").str());
      };
      if (!Inside(Stop->Where) ||
          !llvm::all_of(I->second,
                        [&](const WorkOpFact *W) { return Inside(W->Where); }))
        continue;
      if (!Reported.insert({Stop->Where.File, Stop->Where.Line}).second)
        continue;
      const Definition *P = definition(T.Probe);
      const Definition *R = definition(T.Remove);
      std::string Name = StringRef(Item).split('.').second.str();
      Finding F;
      F.CheckId = "wq-uninit";
      F.Where = Stop->Where;
      F.Spelled = Stop->Where.File;
      F.Function = nameOf(Stop->Function);
      F.LineText = lineOf(Stop->Where);
      F.Message =
          "work item '" + Name + "' of struct " + Struct.str() +
          " is stopped here on the way from " + quoted(R->Fact->Name) +
          " (the " + T.Kind + " remove), but " + quoted(P->Fact->Name) +
          " (its probe) never initialises it: unbinding the device before "
          "what sets it up has run cancels or flushes a work item that "
          "was never initialised (WARN_ON(!work->func) in __flush_work(), "
          "ODEBUG); initialise it where probe sets up the object, or stop "
          "it only once it was set up";
      F.Notes.push_back({T.Where, "probe " + quoted(P->Fact->Name) +
                                      " and remove " +
                                      quoted(R->Fact->Name) + " are set here"});
      size_t Shown = 0;
      for (const WorkOpFact *W : I->second)
        if (Shown++ < 3)
          F.Notes.push_back(
              {W->Where, quoted(Name) + " is initialised only here (in " +
                             quoted(nameOf(W->Function)) +
                             "), which probe does not reach"});
      F.Notes.push_back({Stop->Where,
                         "found by 'wqcheck report': probe, remove and the "
                         "initialisation are in different functions and "
                         "files"});
      Out.push_back(std::move(F));
    }
  }
  return Out;
}

} // namespace

std::vector<Finding> crossFileFindings(const std::vector<UnitFacts> &Units,
                                       const CheckFilter &Checks,
                                       ReportLevel Level) {
  Resolver R(Units);
  std::vector<Finding> Out;
  if (Checks.isEnabled(SleepId))
    Out = R.sleepFindings();
  if (Level == ReportLevel::Evidence)
    llvm::erase_if(Out, [](const Finding &F) { return F.Possible; });
  for (Finding &F : R.pendingFindings(Checks))
    Out.push_back(std::move(F));
  if (Checks.isEnabled("wq-uninit"))
    for (Finding &F : R.uninitFindings())
      Out.push_back(std::move(F));
  llvm::sort(Out, [](const Finding &A, const Finding &B) {
    return std::tie(A.Where.File, A.Where.Line, A.Where.Column) <
           std::tie(B.Where.File, B.Where.Line, B.Where.Column);
  });
  // Fingerprints count identical findings per file, in source order.
  std::map<std::string, std::vector<Finding>> ByFile;
  for (Finding &F : Out)
    ByFile[F.Where.File].push_back(std::move(F));
  Out.clear();
  for (auto &[File, Fs] : ByFile) {
    computeFingerprints(Fs);
    Out.insert(Out.end(), Fs.begin(), Fs.end());
  }
  return Out;
}

} // namespace wqcheck
