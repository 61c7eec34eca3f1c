//===- Dataflow.h - a forward dataflow solver over clang's CFG ---*- C++ -*-===//
//
// The flow-sensitive checks run a forward analysis over each function's
// CFG: a State per block entry, a transfer function over the block's
// statements, a join at merge points, and an optional effect on an edge
// (a trylock holds the lock only on its success edge; an edge can also be
// found infeasible, e.g. under known constant arguments).  State must have a
// `bool Reached` member (false: no path reaches the block yet) and
// operator==.
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_ANALYSIS_DATAFLOW_H
#define WQCHECK_ANALYSIS_DATAFLOW_H

#include "clang/Analysis/Analyses/PostOrderCFGView.h"
#include "analysis/PathValues.h"
#include "clang/Analysis/CFG.h"
#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace wqcheck {

template <typename State> class ForwardDataflow {
public:
  /// Transfer(const CFGBlock &, State &) applies a block's statements;
  /// Join(const State &, const State &) merges two reached states;
  /// Edge(const CFGBlock &From, const CFGBlock &To, State &) adjusts the
  /// state that flows along one edge.
  template <typename Transfer, typename Join, typename Edge>
  ForwardDataflow(const clang::CFG &G, State Entry, Transfer T, Join J,
                  Edge E, unsigned MaxRounds = 64)
      : G(G), Order(const_cast<clang::CFG *>(&G)),
        Out(G.getNumBlockIDs()) {
    Entry.Reached = true;
    this->Entry = Entry;
    bool Changed = true;
    for (unsigned Round = 0; Changed && Round < MaxRounds; ++Round) {
      Changed = false;
      for (const clang::CFGBlock *B : Order) {
        State S = in(*B, J, E);
        if (S.Reached)
          T(*B, S);
        if (!(S == Out[B->getBlockID()])) {
          Out[B->getBlockID()] = std::move(S);
          Changed = true;
        }
      }
    }
  }

  /// The state at the entry of B, from the solution.
  template <typename Join, typename Edge>
  State in(const clang::CFGBlock &B, Join J, Edge E) const {
    if (&B == &G.getEntry())
      return Entry;
    State S;
    for (const clang::CFGBlock *P : B.preds()) {
      if (!P || !Out[P->getBlockID()].Reached)
        continue;
      State From = Out[P->getBlockID()];
      E(*P, B, From); // may find the edge infeasible: From.Reached = false
      if (From.Reached)
        S = S.Reached ? J(S, From) : From;
    }
    return S;
  }

  /// The state at the exit of B, from the solution.
  const State &out(const clang::CFGBlock &B) const {
    return Out[B.getBlockID()];
  }

  /// Blocks in reverse post-order.
  const clang::PostOrderCFGView &order() const { return Order; }

private:
  const clang::CFG &G;
  clang::PostOrderCFGView Order;
  std::vector<State> Out;
  State Entry;
};

/// Calls F(const Stmt *) for each statement of B in evaluation order.
template <typename F> void forEachStmt(const clang::CFGBlock &B, F Fn) {
  for (const clang::CFGElement &E : B)
    if (auto CS = E.getAs<clang::CFGStmt>())
      Fn(CS->getStmt());
}

/// The state of a check split by the values of the function's status
/// locals (PathValues.h): one part per set of known values, so that a
/// later test of such a local sees only the paths that set it so.
template <typename State> struct PathSplit {
  bool Reached = false;
  std::vector<std::pair<LocalValues, State>> Parts; // sorted by values
  bool operator==(const PathSplit &O) const {
    return Reached == O.Reached && Parts == O.Parts;
  }
  /// Adds a reached part, joining it with the part of equal values; past
  /// MaxParts every part is merged into one with the values they share.
  template <typename Join>
  void add(LocalValues V, State S, Join J, unsigned MaxParts = 4) {
    Reached = true;
    auto It = std::lower_bound(
        Parts.begin(), Parts.end(), V,
        [](const auto &P, const LocalValues &X) { return P.first < X; });
    if (It != Parts.end() && It->first == V) {
      It->second = J(It->second, S);
      return;
    }
    Parts.insert(It, {std::move(V), std::move(S)});
    if (Parts.size() <= MaxParts)
      return;
    std::pair<LocalValues, State> All = Parts.front();
    for (size_t I = 1; I < Parts.size(); ++I) {
      All.first = All.first.common(Parts[I].first);
      All.second = J(All.second, Parts[I].second);
    }
    Parts.assign(1, std::move(All));
  }
};

/// The usual shape of a check over one function: solve with
/// Transfer(Block, State &, /*Final=*/false), then run
/// Transfer(Block, State &, /*Final=*/true) once over each reached block
/// with its solved entry state (the pass that reports), with an entry
/// state and an effect on edges.  Where the function has status locals
/// (PathValues), the solution keeps the paths with different values of
/// them apart and drops the branch edges those values rule out; the
/// reporting pass sees, at each block, the join of the paths that reach
/// it.
template <typename State, typename Transfer, typename Join, typename Edge>
void solveAndReport(const clang::FunctionDecl *FD, clang::ASTContext &AST,
                    Transfer T, Join J, State Entry, Edge E,
                    bool SplitFields = false) {
  clang::CFG::BuildOptions Options;
  std::unique_ptr<clang::CFG> G =
      clang::CFG::buildCFG(FD, FD->getBody(), &AST, Options);
  if (!G)
    return;
  PathValues Values(FD, *G, AST, SplitFields);
  if (Values.empty()) {
    ForwardDataflow<State> Flow(
        *G, Entry,
        [&](const clang::CFGBlock &B, State &S) { T(B, S, false); }, J, E);
    for (const clang::CFGBlock *B : Flow.order()) {
      State S = Flow.in(*B, J, E);
      if (S.Reached)
        T(*B, S, true);
    }
    return;
  }
  using Split = PathSplit<State>;
  // Field paths add a second kind of split: room for both.
  const unsigned MaxParts = SplitFields ? 8 : 4;
  Entry.Reached = true;
  Split SplitEntry;
  SplitEntry.add(LocalValues(), Entry, J);
  auto SplitJoin = [&](const Split &A, const Split &B) {
    Split R = A;
    for (const auto &[V, S] : B.Parts)
      R.add(V, S, J, MaxParts);
    return R;
  };
  auto SplitEdge = [&](const clang::CFGBlock &From, const clang::CFGBlock &To,
                       Split &S) {
    Split R;
    for (auto &[V, Part] : S.Parts) {
      if (!Values.feasible(From, To, V))
        continue;
      E(From, To, Part);
      if (Part.Reached) {
        LocalValues Learned = V;
        Values.learn(From, To, Learned);
        R.add(std::move(Learned), Part, J, MaxParts);
      }
    }
    S = std::move(R);
  };
  ForwardDataflow<Split> Flow(
      *G, SplitEntry,
      [&](const clang::CFGBlock &B, Split &S) {
        Split R;
        for (auto &[V, Part] : S.Parts) {
          T(B, Part, false);
          Values.transfer(B, V);
          R.add(V, Part, J, MaxParts);
        }
        S = std::move(R);
      },
      SplitJoin, SplitEdge);
  for (const clang::CFGBlock *B : Flow.order()) {
    Split S = Flow.in(*B, SplitJoin, SplitEdge);
    if (!S.Reached)
      continue;
    State Merged = S.Parts.front().second;
    for (size_t I = 1; I < S.Parts.size(); ++I)
      Merged = J(Merged, S.Parts[I].second);
    T(*B, Merged, true);
  }
}

template <typename State, typename Transfer, typename Join>
void solveAndReport(const clang::FunctionDecl *FD, clang::ASTContext &AST,
                    Transfer T, Join J) {
  solveAndReport<State>(
      FD, AST, T, J, State(),
      [](const clang::CFGBlock &, const clang::CFGBlock &, State &) {});
}

/// true when To is the branch taken when From's condition holds, false
/// when it fails; nullopt when From is no two-way branch to To.
std::optional<bool> branchTaken(const clang::CFGBlock &From,
                                const clang::CFGBlock &To);

/// The condition From branches on: its terminator's condition, or, for a
/// block that evaluates the last operand of `a && b` / `a || b`, that
/// operand (`if (a && !f(..))`).  Null when From does not branch.
const clang::Expr *branchCondition(const clang::CFGBlock &From);

/// Whether the pointer a two-way branch tests against NULL (`p`, `!p`,
/// `p == NULL`, `p != NULL`, `unlikely(!p)`) is NULL along the edge
/// From -> To; Tested is set to that pointer.  nullopt when From does not
/// end in such a test or To is not one of its two successors.
std::optional<bool> pointerNullOnEdge(const clang::CFGBlock &From,
                                      const clang::CFGBlock &To,
                                      const clang::Expr *&Tested,
                                      clang::ASTContext &AST);

/// Whether the value of Result (a variable or a call) is tested as a
/// failure along the edge From -> To: a pointer that is NULL or IS_ERR()
/// there, an integer that is non-zero or negative there (`if (err)`,
/// `if (ret < 0)`, `if (!p)`).  nullopt when From does not test Result.
/// Result is the call itself, or the variable Var that holds its value.
std::optional<bool> resultFailsOnEdge(const clang::CFGBlock &From,
                                      const clang::CFGBlock &To,
                                      const clang::Expr *Call,
                                      const clang::VarDecl *Var,
                                      clang::ASTContext &AST);

/// Whether E is a failure value returned by kernel convention: NULL, an
/// ERR_PTR(), or a negative integer constant (-ENOMEM).
bool isFailureValue(const clang::Expr *E, clang::ASTContext &AST);

} // namespace wqcheck

#endif
