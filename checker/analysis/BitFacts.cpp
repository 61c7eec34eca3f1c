//===- BitFacts.cpp - flag bits a path has set or tested ------------------===//
//
// A structural walk of a function body in source order: facts flow through
// a block's statements, into both branches of an `if` (with the tested
// value in each), out of it where both branches agree (or from the one
// branch that falls through), and are dropped for what a loop or switch
// writes and at labels, which a goto may reach with other facts.
//
//===----------------------------------------------------------------------===//
#include "analysis/BitFacts.h"
#include "analysis/BranchGuards.h"
#include "analysis/StmtWalk.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace wqcheck {

namespace {

/// The field or global variable Addr points into (`&x->flags`,
/// `lif->state`, `&global_flags`).
const ValueDecl *bitmapOf(const Expr *Addr) {
  const Expr *E = Addr->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
    E = A->getBase()->IgnoreParenCasts();
  if (const auto *M = dyn_cast<MemberExpr>(E))
    return M->getMemberDecl();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
        V && V->hasGlobalStorage())
      return V;
  return nullptr;
}

std::optional<BitCall> directBitCall(const Expr *E, const ASTContext &AST) {
  const auto *Call = dyn_cast<CallExpr>(E);
  const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
  if (!F || !F->getIdentifier() || Call->getNumArgs() < 2)
    return std::nullopt;
  const api::BitOp *Op = api::findBitOp(F->getName());
  if (!Op)
    return std::nullopt;
  const ValueDecl *Map = bitmapOf(Call->getArg(1));
  Expr::EvalResult R;
  if (!Map || !Call->getArg(0)->EvaluateAsInt(R, AST))
    return std::nullopt;
  return BitCall{Op, {Map, R.Val.getInt().getExtValue()}, Call};
}

using Facts = std::vector<BitValue>;

/// The `bool` field E names (`x->booted`, `x->fw.booted`).
const FieldDecl *boolField(const Expr *E) {
  const auto *M = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts());
  const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
  return F && F->getType()->isBooleanType() ? F : nullptr;
}

/// `x->f = C` with f a `bool` field and C a constant: the field and C.
std::optional<std::pair<const FieldDecl *, bool>>
boolFieldStore(const Expr *E, const ASTContext &AST) {
  const auto *B = dyn_cast<BinaryOperator>(E->IgnoreParenCasts());
  if (!B || B->getOpcode() != BO_Assign)
    return std::nullopt;
  const FieldDecl *F = boolField(B->getLHS());
  Expr::EvalResult R;
  if (!F || !B->getRHS()->EvaluateAsInt(R, AST))
    return std::nullopt;
  return std::make_pair(F, R.Val.getInt().getBoolValue());
}

void put(Facts &F, const BitValue &V) {
  llvm::erase_if(F, [&](const BitValue &X) { return X.Ref == V.Ref; });
  F.push_back(V);
}

void kill(Facts &F, const BitRef &R) {
  llvm::erase_if(F, [&](const BitValue &X) { return X.Ref == R; });
}

Facts meet(const Facts &A, const Facts &B) {
  Facts Out;
  for (const BitValue &X : A)
    if (llvm::is_contained(B, X))
      Out.push_back(X);
  return Out;
}

BitValue negated(BitValue V) {
  V.Set = !V.Set;
  return V;
}

struct Walk {
  const ASTContext &AST;
  const std::map<const FunctionDecl *, std::set<BitRef>> &Writes;
  std::map<const CallExpr *, Facts> &Known;
  std::map<const CallExpr *, BitValue> &Guards;
  /// Locals that hold a bit test: `pending = test_bit(F, ..)`, assigned
  /// once and not through a pointer.
  std::map<const VarDecl *, BitValue> Aliases;
  std::map<const VarDecl *, int> Assignments;
  /// The facts at the `case` labels of the switch being walked.
  std::vector<Facts> SwitchBase;
  /// Per label: how many gotos name it, and the facts at those walked so
  /// far.  A label that only earlier gotos reach gets what they agree on
  /// (the error paths of a function, `goto err_unlock;`).
  std::map<const LabelDecl *, int> GotoCount;
  std::map<const LabelDecl *, std::vector<Facts>> GotoFacts;

  struct Result {
    Facts Out;
    bool Falls = true;
    /// `if (test) return;`: what the statements after it run under.
    std::optional<BitValue> After;
  };

  /// The bit value condition C needs to be true (before its own write).
  std::optional<BitValue> testOf(const Expr *C) const {
    C = plainCondition(C);
    if (const auto *U = dyn_cast<UnaryOperator>(C);
        U && U->getOpcode() == UO_LNot) {
      if (auto T = testOf(U->getSubExpr()))
        return negated(*T);
      return std::nullopt;
    }
    if (auto B = bitCallOf(C, AST); B && B->Op->Tests)
      return BitValue{B->Ref, true, B->Call->getBeginLoc()};
    if (const FieldDecl *F = boolField(C))
      return BitValue{{F, BitRef::WholeField}, true, C->getBeginLoc()};
    if (const auto *R = dyn_cast<DeclRefExpr>(C))
      if (const auto *V = dyn_cast<VarDecl>(R->getDecl()))
        if (auto It = Aliases.find(V); It != Aliases.end())
          return It->second;
    return std::nullopt;
  }

  /// The tests that all hold when C is true: its `&&` operands.
  void conjuncts(const Expr *C, std::vector<BitValue> &Out) const {
    C = plainCondition(C);
    if (const auto *B = dyn_cast<BinaryOperator>(C);
        B && B->getOpcode() == BO_LAnd) {
      conjuncts(B->getLHS(), Out);
      conjuncts(B->getRHS(), Out);
      return;
    }
    if (auto T = testOf(C))
      Out.push_back(*T);
  }

  /// What S may write: bits, and whole bitmaps assigned.
  void writtenUnder(const Stmt *S, std::set<BitRef> &Bits,
                    std::set<const ValueDecl *> &Maps) const {
    forEachSubStmt(S, [&](const Stmt *X) {
      if (const auto *E = dyn_cast<Expr>(X)) {
        if (auto B = directBitCall(E, AST);
            B && B->Op->Effect != api::BitEffect::None)
          Bits.insert(B->Ref);
        if (const auto *Call = dyn_cast<CallExpr>(E))
          if (const FunctionDecl *F = Call->getDirectCallee())
            if (const FunctionDecl *D = F->getDefinition())
              if (auto It = Writes.find(D); It != Writes.end())
                Bits.insert(It->second.begin(), It->second.end());
        if (const auto *A = dyn_cast<BinaryOperator>(E);
            A && A->isAssignmentOp())
          if (const auto *M =
                  dyn_cast<MemberExpr>(A->getLHS()->IgnoreParenCasts()))
            Maps.insert(M->getMemberDecl());
      }
      return true;
    });
  }

  void killWritten(Facts &F, const Stmt *S) const {
    std::set<BitRef> Bits;
    std::set<const ValueDecl *> Maps;
    writtenUnder(S, Bits, Maps);
    llvm::erase_if(F, [&](const BitValue &X) {
      return Bits.count(X.Ref) || Maps.count(X.Ref.Bitmap);
    });
  }

  /// The writes of E that happen whenever E is evaluated (not those in
  /// the arms of `?:`, `&&`, `||`, which are only possible).
  void effects(const Expr *E, Facts &F, bool Conditional) const {
    if (!E)
      return;
    E = E->IgnoreParenCasts();
    if (auto B = bitCallOf(E, AST)) {
      if (B->Op->Effect == api::BitEffect::None)
        return;
      if (Conditional)
        kill(F, B->Ref);
      else
        put(F, {B->Ref, B->Op->Effect == api::BitEffect::Set,
                B->Call->getBeginLoc()});
      return;
    }
    if (const auto *CO = dyn_cast<AbstractConditionalOperator>(E)) {
      effects(CO->getCond(), F, Conditional);
      effects(CO->getTrueExpr(), F, true);
      effects(CO->getFalseExpr(), F, true);
      return;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && (B->getOpcode() == BO_LAnd || B->getOpcode() == BO_LOr)) {
      effects(B->getLHS(), F, Conditional);
      effects(B->getRHS(), F, true);
      return;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isAssignmentOp())
      if (const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts())) {
        llvm::erase_if(F, [&](const BitValue &X) {
          return X.Ref.Bitmap == M->getMemberDecl();
        });
        if (auto Store = boolFieldStore(B, AST); Store && !Conditional)
          put(F, {{Store->first, BitRef::WholeField}, Store->second,
                  B->getBeginLoc()});
      }
    if (const auto *Call = dyn_cast<CallExpr>(E))
      if (const FunctionDecl *Fn = Call->getDirectCallee())
        if (const FunctionDecl *D = Fn->getDefinition())
          if (auto It = Writes.find(D); It != Writes.end())
            for (const BitRef &R : It->second)
              kill(F, R);
    for (const Stmt *C : E->children())
      if (const auto *CE = dyn_cast_or_null<Expr>(C))
        effects(CE, F, Conditional);
  }

  /// Records the facts and guard of every call in E, then applies E's
  /// writes to F.
  void expr(const Expr *E, Facts &F, std::optional<BitValue> G) {
    if (!E)
      return;
    forEachSubStmt(E, [&](const Stmt *S) {
      if (const auto *Call = dyn_cast<CallExpr>(S)) {
        Known[Call] = F;
        if (G)
          Guards[Call] = *G;
      }
      return true;
    });
    // `pending = test_bit(F, ..)`: the local holds the test.
    if (const auto *B = dyn_cast<BinaryOperator>(E->IgnoreParenCasts());
        B && B->getOpcode() == BO_Assign)
      if (const auto *R = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
            V && Assignments[V] == 1 && !V->getInit())
          if (auto T = testOf(B->getRHS()))
            Aliases[V] = *T;
    effects(E, F, false);
  }

  /// The facts on entry to label L: those of the statement before it (if
  /// it falls through) and of every goto to it, if all of them came
  /// first; none if a later goto (a loop) may reach it.
  Facts atLabel(const LabelDecl *L, bool Falls, const Facts &In) {
    const std::vector<Facts> &Seen = GotoFacts[L];
    if (int(Seen.size()) != GotoCount[L])
      return {};
    std::optional<Facts> Out;
    if (Falls)
      Out = In;
    for (const Facts &F : Seen)
      Out = Out ? meet(*Out, F) : F;
    return Out ? *Out : Facts();
  }

  Result stmt(const Stmt *S, Facts In, std::optional<BitValue> G) {
    if (!S)
      return {In};
    if (const auto *E = dyn_cast<Expr>(S)) {
      expr(E, In, G);
      return {In};
    }
    if (const auto *C = dyn_cast<CompoundStmt>(S)) {
      bool Falls = true;
      for (const Stmt *X : C->body()) {
        if (const auto *L = dyn_cast<LabelStmt>(X)) {
          In = atLabel(L->getDecl(), Falls, In);
          Falls = true;
        }
        Result R = stmt(X, In, G);
        In = R.Out;
        if (R.After)
          G = R.After;
        // A write of the guard's bit: what follows no longer depends on
        // the value the function was entered with.
        if (G) {
          std::set<BitRef> Bits;
          std::set<const ValueDecl *> Maps;
          writtenUnder(X, Bits, Maps);
          if (Bits.count(G->Ref) || Maps.count(G->Ref.Bitmap))
            G.reset();
        }
        if (!R.Falls) {
          Falls = false;
          In.clear();
        } else if (isa<LabelStmt>(X) || isa<SwitchCase>(X)) {
          Falls = true;
        }
      }
      return {In, Falls};
    }
    if (const auto *If = dyn_cast<IfStmt>(S)) {
      if (If->getInit())
        In = stmt(If->getInit(), In, G).Out;
      const Expr *Cond = If->getCond();
      // Tests of a bit this function has already written or tested decide
      // nothing about the value it was entered with: not guards.
      const Facts Before = In;
      auto Known = [](const Facts &F, const BitValue &V) {
        return llvm::any_of(F, [&](const BitValue &X) { return X.Ref == V.Ref; });
      };
      expr(Cond, In, G);
      std::optional<BitValue> T = testOf(Cond);
      std::vector<BitValue> All;
      conjuncts(Cond, All);
      Facts ThenIn = In, ElseIn = In;
      // A pure test tells the value in each branch; a test-and-write
      // leaves the written value, which effects() put already.
      for (const BitValue &V : All)
        if (!Known(In, V))
          put(ThenIn, V);
      if (T && !Known(In, *T))
        put(ElseIn, negated(*T));
      std::optional<BitValue> ThenG = G, ElseG = G;
      for (const BitValue &V : All)
        if (!Known(Before, V)) {
          ThenG = V;
          break;
        }
      if (T && !Known(Before, *T))
        ElseG = negated(*T);
      else
        T.reset(); // no guard after an early exit either
      Result Then = stmt(If->getThen(), ThenIn, ThenG);
      Result Else = If->getElse() ? stmt(If->getElse(), ElseIn, ElseG)
                                  : Result{ElseIn};
      Result Out;
      if (!Then.Falls && !Else.Falls)
        Out = {{}, false};
      else if (!Then.Falls)
        Out = {Else.Out};
      else if (!Else.Falls)
        Out = {Then.Out};
      else
        Out = {meet(Then.Out, Else.Out)};
      if (!Then.Falls && !If->getElse() && T)
        Out.After = negated(*T);
      return Out;
    }
    if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S)) {
      if (const auto *For = dyn_cast<ForStmt>(S); For && For->getInit())
        In = stmt(For->getInit(), In, G).Out;
      killWritten(In, S);
      for (const Stmt *C : S->children())
        if (C && (!isa<ForStmt>(S) || C != cast<ForStmt>(S)->getInit()))
          stmt(C, In, G);
      // A while or for loop leaves through its condition, which wrote
      // what it writes on every evaluation: `while
      // (test_and_set_bit(RESETTING, ..)) msleep(1);` leaves the bit set
      // (6.1 e1000_reinit_locked()), unless the body writes it too (and
      // may break out).
      const Expr *Cond = nullptr;
      const Stmt *Body = nullptr;
      if (const auto *W = dyn_cast<WhileStmt>(S))
        Cond = W->getCond(), Body = W->getBody();
      else if (const auto *For = dyn_cast<ForStmt>(S))
        Cond = For->getCond(), Body = For->getBody();
      if (Cond) {
        Facts After;
        effects(Cond, After, false);
        std::set<BitRef> Bits;
        std::set<const ValueDecl *> Maps;
        writtenUnder(Body, Bits, Maps);
        for (const BitValue &V : After)
          if (!Bits.count(V.Ref) && !Maps.count(V.Ref.Bitmap))
            put(In, V);
      }
      return {In};
    }
    if (const auto *Sw = dyn_cast<SwitchStmt>(S)) {
      if (Sw->getInit())
        In = stmt(Sw->getInit(), In, G).Out;
      expr(Sw->getCond(), In, G);
      killWritten(In, Sw->getBody());
      SwitchBase.push_back(In);
      stmt(Sw->getBody(), In, G);
      SwitchBase.pop_back();
      return {In};
    }
    if (const auto *Case = dyn_cast<SwitchCase>(S)) {
      Facts Base = SwitchBase.empty() ? Facts() : SwitchBase.back();
      if (const auto *CS = dyn_cast<CaseStmt>(Case))
        return stmt(CS->getSubStmt(), Base, G);
      return stmt(cast<DefaultStmt>(Case)->getSubStmt(), Base, G);
    }
    if (const auto *L = dyn_cast<LabelStmt>(S))
      return stmt(L->getSubStmt(), In, G); // In: atLabel() in a block
    if (const auto *Goto = dyn_cast<GotoStmt>(S)) {
      GotoFacts[Goto->getLabel()].push_back(In);
      return {{}, false};
    }
    if (const auto *R = dyn_cast<ReturnStmt>(S)) {
      expr(R->getRetValue(), In, G);
      return {{}, false};
    }
    if (isa<BreakStmt>(S) || isa<ContinueStmt>(S) || isa<IndirectGotoStmt>(S))
      return {{}, false};
    if (const auto *D = dyn_cast<DeclStmt>(S)) {
      for (const Decl *X : D->decls())
        if (const auto *V = dyn_cast<VarDecl>(X); V && V->getInit()) {
          expr(V->getInit(), In, G);
          if (Assignments[V] == 0)
            if (auto T = testOf(V->getInit()))
              Aliases[V] = *T;
        }
      return {In};
    }
    // Anything else (attributed statements, asm, ...): its parts in order.
    for (const Stmt *C : S->children())
      In = stmt(C, In, G).Out;
    return {In};
  }
};

} // namespace

std::optional<BitCall> bitCallOf(const Expr *E, const ASTContext &AST) {
  E = E->IgnoreParenCasts();
  // bitop(op, nr, addr): `(constant..) ? const##op(nr, addr) : op(nr, addr)`.
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    auto A = directBitCall(CO->getTrueExpr()->IgnoreParenCasts(), AST);
    auto B = directBitCall(CO->getFalseExpr()->IgnoreParenCasts(), AST);
    if (A && B && A->Ref == B->Ref)
      return B;
    return std::nullopt;
  }
  return directBitCall(E, AST);
}

std::set<BitRef> BitFacts::directWrites(const FunctionDecl *FD) const {
  std::set<BitRef> Out;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *E = dyn_cast<Expr>(S))
      if (auto B = directBitCall(E, AST);
          B && B->Op->Effect != api::BitEffect::None)
        Out.insert(B->Ref);
    if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
      if (const FieldDecl *F = boolField(B->getLHS()))
        Out.insert({F, BitRef::WholeField});
    return true;
  });
  return Out;
}

void BitFacts::analyse(const std::vector<const FunctionDecl *> &Functions) {
  // The bits each function writes, through its calls of the others too.
  std::map<const FunctionDecl *, std::set<BitRef>> Writes;
  for (const FunctionDecl *FD : Functions)
    Writes[FD] = directWrites(FD);
  auto CalleeOf = [&](const CallExpr *Call) -> const FunctionDecl * {
    const FunctionDecl *F = Call->getDirectCallee();
    const FunctionDecl *D = F ? F->getDefinition() : nullptr;
    return D && Writes.count(D) ? D : nullptr;
  };
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const FunctionDecl *FD : Functions)
      forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
        if (const auto *Call = dyn_cast<CallExpr>(S))
          if (const FunctionDecl *G = CalleeOf(Call); G && G != FD)
            for (const BitRef &R : std::set<BitRef>(Writes[G]))
              Grew |= Writes[FD].insert(R).second;
        return true;
      });
  }
  for (const FunctionDecl *FD : Functions)
    analyseOne(FD, Writes);
}

void BitFacts::analyseOne(
    const FunctionDecl *FD,
    const std::map<const FunctionDecl *, std::set<BitRef>> &Writes) {
  if (!FD->getBody())
    return;
  Walk W{AST, Writes, Known, Guards, {}, {}, {}};
  // A local is an alias of a test only when nothing else writes it.
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    auto Count = [&](const Expr *E, int N) {
      if (const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()))
        if (const auto *V = dyn_cast<VarDecl>(R->getDecl()))
          W.Assignments[V] += N;
    };
    if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp())
      Count(B->getLHS(), B->getOpcode() == BO_Assign ? 1 : 2);
    else if (const auto *U = dyn_cast<UnaryOperator>(S);
             U && (U->isIncrementDecrementOp() || U->getOpcode() == UO_AddrOf))
      Count(U->getSubExpr(), 2);
    return true;
  });
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *Goto = dyn_cast<GotoStmt>(S))
      ++W.GotoCount[Goto->getLabel()];
    // A label whose address is taken (`&&label`) may be reached from any
    // computed goto: never count it complete.
    if (const auto *A = dyn_cast<AddrLabelExpr>(S))
      W.GotoCount[A->getLabel()] = -1;
    return true;
  });
  W.stmt(FD->getBody(), {}, std::nullopt);
}

const std::vector<BitValue> &BitFacts::knownAt(const CallExpr *Call) const {
  static const std::vector<BitValue> None;
  auto It = Known.find(Call);
  return It == Known.end() ? None : It->second;
}

std::optional<BitValue> BitFacts::guardOf(const CallExpr *Call) const {
  auto It = Guards.find(Call);
  if (It == Guards.end())
    return std::nullopt;
  return It->second;
}

} // namespace wqcheck
