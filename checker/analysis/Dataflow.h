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
#include "clang/Analysis/CFG.h"
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

/// The usual shape of a check over one function without edge effects:
/// solve with Transfer(Block, State &, /*Final=*/false), then run
/// Transfer(Block, State &, /*Final=*/true) once over each reached block
/// with its solved entry state (the pass that reports).
/// The same with an entry state and an effect on edges.
template <typename State, typename Transfer, typename Join, typename Edge>
void solveAndReport(const clang::FunctionDecl *FD, clang::ASTContext &AST,
                    Transfer T, Join J, State Entry, Edge E) {
  clang::CFG::BuildOptions Options;
  std::unique_ptr<clang::CFG> G =
      clang::CFG::buildCFG(FD, FD->getBody(), &AST, Options);
  if (!G)
    return;
  ForwardDataflow<State> Flow(
      *G, Entry, [&](const clang::CFGBlock &B, State &S) { T(B, S, false); },
      J, E);
  for (const clang::CFGBlock *B : Flow.order()) {
    State S = Flow.in(*B, J, E);
    if (S.Reached)
      T(*B, S, true);
  }
}

template <typename State, typename Transfer, typename Join>
void solveAndReport(const clang::FunctionDecl *FD, clang::ASTContext &AST,
                    Transfer T, Join J) {
  solveAndReport<State>(
      FD, AST, T, J, State(),
      [](const clang::CFGBlock &, const clang::CFGBlock &, State &) {});
}

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
