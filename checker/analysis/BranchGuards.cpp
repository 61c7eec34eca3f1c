//===- BranchGuards.cpp - the tests a statement runs under ----------------===//

#include "analysis/BranchGuards.h"
#include "analysis/StmtWalk.h"
#include "api/KernelAPI.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Builtins.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace wqcheck {
namespace {

constexpr size_t MaxKeyLength = 1024;

} // namespace

const Expr *plainCondition(const Expr *E) {
  while (true) {
    E = E->IgnoreParenCasts();
    const auto *Call = dyn_cast<CallExpr>(E);
    if (Call && Call->getBuiltinCallee() == Builtin::BI__builtin_expect &&
        Call->getNumArgs() > 0) {
      E = Call->getArg(0);
      continue;
    }
    return E;
  }
}

namespace {

bool isZero(const Expr *E) {
  const auto *L = dyn_cast<IntegerLiteral>(plainCondition(E));
  return L && L->getValue() == 0;
}

/// Whether D is defined in the main file: a test that calls such a
/// function or reads such a global names something every function of the
/// file shares, as a field does (6.1 drivers/block/amiflop.c `try_fdc()`,
/// which reads the file's `fdc_busy`).
bool inMainFile(const Decl *D) {
  const SourceManager &SM = D->getASTContext().getSourceManager();
  return SM.isInMainFile(SM.getExpansionLoc(D->getLocation()));
}

/// Appends the key of E to Out; false when E has a part that cannot be
/// keyed (an indirect call, a statement expression, ...).  ReadsField gets
/// the first field E reads, Names the first function of the main file it
/// calls or global of the main file it reads.
bool keyText(const Expr *E, std::string &Out, std::string &ReadsField,
             std::string &Names) {
  if (Out.size() > MaxKeyLength)
    return false;
  E = plainCondition(E);
  if (const auto *L = dyn_cast<IntegerLiteral>(E)) {
    Out += std::to_string(L->getValue().getLimitedValue());
    return true;
  }
  if (const auto *C = dyn_cast<CharacterLiteral>(E)) {
    Out += std::to_string(C->getValue());
    return true;
  }
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = Ref->getDecl();
    const auto *V = dyn_cast<VarDecl>(D);
    // Locals and parameters are erased; globals, constants and functions
    // are the same everywhere.
    if (V && !(V->hasGlobalStorage() && !V->isStaticLocal())) {
      Out += "$";
    } else {
      Out += D->getName();
      if (V && Names.empty() && inMainFile(V))
        Names = V->getName().str();
    }
    return true;
  }
  if (const auto *M = dyn_cast<MemberExpr>(E)) {
    if (ReadsField.empty())
      ReadsField = M->getMemberDecl()->getName().str();
    Out += "$.";
    Out += M->getMemberDecl()->getName();
    return true;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (!F)
      return false;
    if (Names.empty() && F->getIdentifier() && inMainFile(F))
      Names = F->getName().str();
    Out += F->getName();
    Out += "(";
    for (const Expr *Arg : Call->arguments()) {
      if (!keyText(Arg, Out, ReadsField, Names))
        return false;
      Out += ",";
    }
    Out += ")";
    return true;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    Out += UnaryOperator::getOpcodeStr(U->getOpcode());
    return keyText(U->getSubExpr(), Out, ReadsField, Names);
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    Out += "(";
    if (!keyText(B->getLHS(), Out, ReadsField, Names))
      return false;
    Out += B->getOpcodeStr();
    if (!keyText(B->getRHS(), Out, ReadsField, Names))
      return false;
    Out += ")";
    return true;
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    Out += "(";
    if (!keyText(C->getCond(), Out, ReadsField, Names))
      return false;
    Out += "?";
    if (!keyText(C->getTrueExpr(), Out, ReadsField, Names))
      return false;
    Out += ":";
    if (!keyText(C->getFalseExpr(), Out, ReadsField, Names))
      return false;
    Out += ")";
    return true;
  }
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E)) {
    if (!keyText(A->getBase(), Out, ReadsField, Names))
      return false;
    Out += "[";
    if (!keyText(A->getIdx(), Out, ReadsField, Names))
      return false;
    Out += "]";
    return true;
  }
  if (isa<UnaryExprOrTypeTraitExpr>(E)) {
    Out += "sizeof";
    return true;
  }
  return false;
}

void addGuards(const Expr *Cond, bool Outcome, std::vector<BranchGuard> &Out,
               size_t Max) {
  if (!Cond || Out.size() >= Max)
    return;
  Cond = plainCondition(Cond);
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot)
    return addGuards(U->getSubExpr(), !Outcome, Out, Max);
  if (const auto *B = dyn_cast<BinaryOperator>(Cond)) {
    // In a then-branch both operands of && hold; in an else-branch both of
    // || fail.
    if ((Outcome && B->getOpcode() == BO_LAnd) ||
        (!Outcome && B->getOpcode() == BO_LOr)) {
      addGuards(B->getLHS(), Outcome, Out, Max);
      addGuards(B->getRHS(), Outcome, Out, Max);
      return;
    }
  }
  if (auto G = guardOf(Cond, Outcome))
    if (llvm::none_of(Out, [&](const BranchGuard &X) { return X == *G; }))
      Out.push_back(*G);
}

} // namespace

std::optional<BranchGuard> guardOf(const Expr *E, bool Outcome) {
  E = plainCondition(E);
  while (true) {
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_LNot) {
      Outcome = !Outcome;
      E = plainCondition(U->getSubExpr());
      continue;
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE)) {
      const Expr *Other = isZero(B->getRHS())   ? B->getLHS()
                          : isZero(B->getLHS()) ? B->getRHS()
                                                : nullptr;
      if (Other) {
        if (B->getOpcode() == BO_EQ)
          Outcome = !Outcome;
        E = plainCondition(Other);
        continue;
      }
    }
    break;
  }
  BranchGuard G;
  std::string Names;
  if (!keyText(E, G.Key, G.Field, Names) ||
      (G.Field.empty() && Names.empty()) || G.Key.size() > MaxKeyLength)
    return std::nullopt;
  if (G.Field.empty())
    G.Field = Names;
  G.Outcome = Outcome;
  G.Loc = E->getBeginLoc();
  return G;
}

namespace {

/// `return;` or a block that ends in one.
bool endsInReturn(const Stmt *S) {
  if (isa_and_nonnull<ReturnStmt>(S))
    return true;
  if (const auto *C = dyn_cast_or_null<CompoundStmt>(S))
    return !C->body_empty() && isa<ReturnStmt>(C->body_back());
  return false;
}

void walk(const Stmt *S, std::vector<BranchGuard> &Stack, CallGuards &Out,
          size_t Max) {
  if (!S)
    return;
  if (const auto *C = dyn_cast<CompoundStmt>(S)) {
    size_t Before = Stack.size();
    for (const Stmt *Child : C->body()) {
      walk(Child, Stack, Out, Max);
      // `if (!try_fdc(drive)) { ...; return; }`: the rest of the block runs
      // only when the test failed (6.1 amiflop.c fd_motor_off()).
      if (const auto *If = dyn_cast<IfStmt>(Child);
          If && !If->getElse() && !If->getInit() && endsInReturn(If->getThen()))
        addGuards(If->getCond(), false, Stack, Max);
    }
    Stack.resize(Before);
    return;
  }
  // Under Cond with Outcome: the guards it adds are popped after.
  auto Under = [&](const Expr *Cond, bool Outcome, const Stmt *Body) {
    size_t Before = Stack.size();
    if (Stack.size() < Max)
      addGuards(Cond, Outcome, Stack, Max);
    walk(Body, Stack, Out, Max);
    Stack.resize(Before);
  };
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    walk(If->getInit(), Stack, Out, Max);
    walk(If->getCond(), Stack, Out, Max);
    Under(If->getCond(), true, If->getThen());
    Under(If->getCond(), false, If->getElse());
    return;
  }
  if (const auto *C = dyn_cast<ConditionalOperator>(S)) {
    walk(C->getCond(), Stack, Out, Max);
    Under(C->getCond(), true, C->getTrueExpr());
    Under(C->getCond(), false, C->getFalseExpr());
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(S);
      B && (B->getOpcode() == BO_LAnd || B->getOpcode() == BO_LOr)) {
    walk(B->getLHS(), Stack, Out, Max);
    Under(B->getLHS(), B->getOpcode() == BO_LAnd, B->getRHS());
    return;
  }
  if (isa<CallExpr>(S) && !Stack.empty())
    Out[S] = std::vector<BranchGuard>(Stack.rbegin(), Stack.rend());
  for (const Stmt *Child : S->children())
    walk(Child, Stack, Out, Max);
}

} // namespace

CallGuards guardsOfCalls(const Stmt *Body, size_t Max) {
  CallGuards Out;
  std::vector<BranchGuard> Stack;
  walk(Body, Stack, Out, Max);
  return Out;
}

namespace {

const CallExpr *dropIn(const Expr *Cond) {
  const CallExpr *Found = nullptr;
  forEachSubStmt(Cond, [&](const Stmt *S) {
    if (const auto *C = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *F = C->getDirectCallee();
          F && F->getIdentifier() && api::referencePutArg(F->getName()) >= 0)
        Found = C;
    return !Found;
  });
  return Found;
}

bool negated(const Expr *Cond) {
  const auto *U = dyn_cast<UnaryOperator>(plainCondition(Cond));
  return U && U->getOpcode() == UO_LNot;
}

void walkDrops(const Stmt *S, const CallExpr *Under,
               std::map<const Stmt *, const CallExpr *> &Out) {
  if (!S)
    return;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    walkDrops(If->getCond(), Under, Out);
    const CallExpr *D = dropIn(If->getCond());
    bool Neg = D && negated(If->getCond());
    walkDrops(If->getThen(), D && !Neg ? D : Under, Out);
    walkDrops(If->getElse(), D && Neg ? D : Under, Out);
    return;
  }
  if (const auto *C = dyn_cast<CompoundStmt>(S)) {
    const CallExpr *Cur = Under;
    for (const Stmt *Child : C->body()) {
      walkDrops(Child, Cur, Out);
      // `if (!atomic_dec_and_test(..)) return;`: the rest runs on success.
      if (const auto *If = dyn_cast<IfStmt>(Child);
          If && !If->getElse() && endsInReturn(If->getThen()))
        if (const CallExpr *D = dropIn(If->getCond()); D && negated(If->getCond()))
          Cur = D;
    }
    return;
  }
  if (Under && isa<CallExpr>(S))
    Out[S] = Under;
  for (const Stmt *Child : S->children())
    walkDrops(Child, Under, Out);
}

} // namespace

std::map<const Stmt *, const CallExpr *>
callsOnReferenceDrop(const Stmt *Body) {
  std::map<const Stmt *, const CallExpr *> Out;
  walkDrops(Body, nullptr, Out);
  return Out;
}

const BranchGuard *contradiction(const std::vector<BranchGuard> &A,
                                 const std::vector<BranchGuard> &B) {
  for (const BranchGuard &X : A)
    for (const BranchGuard &Y : B)
      if (X.contradicts(Y))
        return &X;
  return nullptr;
}

} // namespace wqcheck

namespace wqcheck {
namespace {

const FieldDecl *testedField(const Expr *E) {
  const auto *M = dyn_cast<MemberExpr>(plainCondition(E));
  return M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
}

bool isNonZeroConstant(const Expr *E, const ASTContext &AST) {
  Expr::EvalResult R;
  return !E->isValueDependent() && E->EvaluateAsInt(R, AST) &&
         R.Val.getInt() != 0;
}

/// Appends to Out the gates E being Truth imposes; false when some part of
/// it is not such a field test (`val & BIT(1)` on a register read, a
/// local, a call): that part decides too.
bool gatesWhen(const Expr *E, bool Truth, const ASTContext &AST,
               std::vector<FieldGate> &Out);

/// One gate (fields, one of which must be non-zero) for E being Truth, or
/// none: `a`, `a || b` (true), `!a`, `a == 0` (false), `a == C`, `a & M`.
std::optional<FieldGate> singleGate(const Expr *E, bool Truth,
                                    const ASTContext &AST) {
  E = plainCondition(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot)
    return singleGate(U->getSubExpr(), !Truth, AST);
  if (const FieldDecl *F = testedField(E))
    return Truth ? std::optional<FieldGate>(FieldGate{F}) : std::nullopt;
  const auto *B = dyn_cast<BinaryOperator>(E);
  if (!B)
    return std::nullopt;
  BinaryOperatorKind Op = B->getOpcode();
  if (Op == (Truth ? BO_LOr : BO_LAnd)) {
    std::optional<FieldGate> L = singleGate(B->getLHS(), Truth, AST);
    std::optional<FieldGate> R = L ? singleGate(B->getRHS(), Truth, AST)
                                   : std::nullopt;
    if (!R)
      return std::nullopt;
    L->insert(L->end(), R->begin(), R->end());
    return L;
  }
  const FieldDecl *F = testedField(B->getLHS());
  const Expr *Other = B->getRHS();
  if (!F) {
    F = testedField(B->getRHS());
    Other = B->getLHS();
  }
  if (!F)
    return std::nullopt;
  bool Zero = isZero(Other);
  bool NonZero = isNonZeroConstant(Other, AST);
  // a == C (C != 0) and a != 0 need a non-zero when true; a == 0 when false.
  if ((Op == BO_EQ && NonZero && Truth) || (Op == BO_NE && Zero && Truth) ||
      (Op == BO_EQ && Zero && !Truth) || (Op == BO_And && NonZero && Truth))
    return FieldGate{F};
  return std::nullopt;
}

bool gatesWhen(const Expr *E, bool Truth, const ASTContext &AST,
               std::vector<FieldGate> &Out) {
  E = plainCondition(E);
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_LNot)
    return gatesWhen(U->getSubExpr(), !Truth, AST, Out);
  // a && b true, a || b false: each operand holds.
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->getOpcode() == (Truth ? BO_LAnd : BO_LOr)) {
    bool L = gatesWhen(B->getLHS(), Truth, AST, Out);
    bool R = gatesWhen(B->getRHS(), Truth, AST, Out);
    return L && R;
  }
  if (std::optional<FieldGate> G = singleGate(E, Truth, AST)) {
    Out.push_back(*G);
    return true;
  }
  return false;
}

/// The statement always leaves the enclosing block (return, goto, break,
/// continue), alone or as the last of a compound.
bool leaves(const Stmt *S) {
  if (const auto *C = dyn_cast_or_null<CompoundStmt>(S))
    return !C->body_empty() && leaves(C->body_back());
  return isa_and_nonnull<ReturnStmt>(S) || isa_and_nonnull<GotoStmt>(S) ||
         isa_and_nonnull<BreakStmt>(S) || isa_and_nonnull<ContinueStmt>(S);
}

bool contains(const Stmt *Root, const Stmt *Target) {
  if (!Root)
    return false;
  if (Root == Target)
    return true;
  for (const Stmt *C : Root->children())
    if (contains(C, Target))
      return true;
  return false;
}

/// The conditions of the path from S down to Call (S contains Call).
void conditionsDown(const Stmt *S, const Stmt *Call, const ASTContext &AST,
                    CallConditions &Out) {
  if (!S || S == Call)
    return;
  if (const auto *If = dyn_cast<IfStmt>(S)) {
    bool Then = contains(If->getThen(), Call);
    if (!Then && !contains(If->getElse(), Call)) {
      Out.Opaque = true; // in the condition itself
      return;
    }
    if (!gatesWhen(If->getCond(), Then, AST, Out.Gates) || If->getInit())
      Out.Opaque = true;
    return conditionsDown(Then ? If->getThen() : If->getElse(), Call, AST, Out);
  }
  if (const auto *C = dyn_cast<CompoundStmt>(S)) {
    for (const Stmt *Child : C->body()) {
      if (contains(Child, Call))
        return conditionsDown(Child, Call, AST, Out);
      // `if (!p->a) return;` before the call: the call needs p->a.
      if (const auto *If = dyn_cast<IfStmt>(Child)) {
        if (If->getElse() || If->getInit() || !leaves(If->getThen()))
          continue;
        if (!gatesWhen(If->getCond(), false, AST, Out.Gates))
          Out.Opaque = true;
      }
    }
    return;
  }
  // A loop, a switch case, `?:`, `&&`/`||`: the call runs under a test
  // this walk does not read (except `do { } while (0)`).
  if (const auto *D = dyn_cast<DoStmt>(S)) {
    if (!isZero(D->getCond()))
      Out.Opaque = true;
  } else if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<SwitchStmt>(S) ||
             isa<AbstractConditionalOperator>(S)) {
    Out.Opaque = true;
  } else if (const auto *B = dyn_cast<BinaryOperator>(S);
             B && B->isLogicalOp() && contains(B->getRHS(), Call)) {
    Out.Opaque = true;
  }
  for (const Stmt *Child : S->children())
    if (contains(Child, Call))
      return conditionsDown(Child, Call, AST, Out);
}

} // namespace

CallConditions conditionsOf(const Stmt *Body, const Stmt *Call,
                            const ASTContext &AST) {
  CallConditions Out;
  if (Body && Call && contains(Body, Call))
    conditionsDown(Body, Call, AST, Out);
  return Out;
}

} // namespace wqcheck
