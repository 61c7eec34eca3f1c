//===- WorkFacts.cpp ------------------------------------------------------===//
#include "analysis/WorkFacts.h"
#include "analysis/StmtWalk.h"
#include "analysis/ApiCalls.h"
#include "api/KernelAPI.h"
#include "core/UserCode.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include <algorithm>
#include <functional>

using namespace clang;
using llvm::StringRef;

namespace wqcheck {

static bool isNamed(const RecordDecl *RD, StringRef Name) {
  return RD && RD->getIdentifier() && RD->getName() == Name;
}

const VarDecl *WorkFacts::rootVar(const Expr *E) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      E = U->getSubExpr();
    else if (const auto *M = dyn_cast<MemberExpr>(E))
      E = M->getBase();
    else if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(Ref->getDecl());
    else
      return nullptr;
  }
  return nullptr;
}

const VarDecl *WorkFacts::baseVar(const Expr *E) {
  const VarDecl *V = rootVar(E);
  return V && !V->hasGlobalStorage() ? V : nullptr;
}

const CallExpr *WorkFacts::allocationIn(const Expr *E, bool *Managed) {
  const CallExpr *Call = callThroughHooks(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  std::optional<bool> M = api::allocatorManaged(Callee->getName());
  if (!M)
    return nullptr;
  if (Managed)
    *Managed = *M;
  return Call;
}

/// Whether FD assigns V the result of an allocator (WQ_ALLOCATOR), in its
/// declaration or later.
static bool allocatedIn(const FunctionDecl *FD, const VarDecl *V) {
  if (!V || !FD->getBody())
    return false;
  if (V->getInit() && WorkFacts::allocationIn(V->getInit()))
    return true;
  bool Found = false;
  forEachSubStmt(FD->getBody(), [&](const Stmt *S) {
    if (const auto *B = dyn_cast<BinaryOperator>(S);
        B && B->getOpcode() == BO_Assign)
      if (const auto *Ref =
              dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
          Ref && Ref->getDecl() == V && WorkFacts::allocationIn(B->getRHS()))
        Found = true;
    return !Found;
  });
  return Found;
}

const CallExpr *WorkFacts::freshAllocation(const Expr *E,
                                           bool *Managed) const {
  if (const CallExpr *Call = allocationIn(E, Managed))
    return Call;
  const CallExpr *Call = callThroughHooks(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee)
    return nullptr;
  // Only the file's own constructors: kernel headers' allocator wrappers
  // are rows of WQ_ALLOCATOR (their bodies are not parsed by the CLI).
  const FunctionDecl *Def = userDefinition(Callee);
  if (!Def || !Constructors.count(Def))
    return nullptr;
  if (Managed)
    *Managed = false;
  return Call;
}

std::vector<const FunctionDecl *>
WorkFacts::handlersOf(const WorkKey &K) const {
  std::vector<const FunctionDecl *> Out;
  for (const WorkKey &A : aliasesOf(K)) {
    auto It = Handlers.find(A);
    if (It == Handlers.end())
      continue;
    for (const FunctionDecl *H : It->second)
      if (std::find(Out.begin(), Out.end(), H) == Out.end())
        Out.push_back(H);
  }
  return Out;
}

std::vector<WorkKey> WorkFacts::itemsQueuedOnlyOn(const WorkKey &Q) const {
  std::vector<WorkKey> Out;
  auto Alias = QueueAliases.find(Q);
  auto SameQueue = [&](const std::optional<WorkKey> &On) {
    return On && (*On == Q || (Alias != QueueAliases.end() &&
                               Alias->second.count(*On)));
  };
  for (const auto &[K, On] : QueuedOn)
    if (On.size() == 1 && SameQueue(*On.begin()))
      Out.push_back(K);
  return Out;
}

std::vector<WorkKey> WorkFacts::itemsDrainedBy(const WorkKey &Q) const {
  std::vector<WorkKey> Out;
  for (const WorkKey &K : itemsQueuedOnlyOn(Q))
    if (syncCancelFor(K) == "cancel_work_sync" || !QueuedWithDelay.count(K))
      Out.push_back(K);
  return Out;
}

std::vector<WorkKey> WorkFacts::itemsCompletedBy(const WorkKey &C) const {
  std::vector<WorkKey> Out;
  for (const WorkKey &A : aliasesOf(C))
    if (auto It = CompletedBy.find(A); It != CompletedBy.end())
      Out.insert(Out.end(), It->second.begin(), It->second.end());
  return Out;
}

/// A function of another file that the table does not know.  Not "has no
/// body": the CLI skips the bodies of kernel headers' inline functions, and
/// both engines must agree.
bool WorkFacts::isOpaque(const FunctionDecl *Callee) const {
  return Callee && Callee->getIdentifier() && !userDefinition(Callee) &&
         !Callee->getBuiltinID() && !api::isKnownCall(Callee->getName());
}

bool WorkFacts::opaqueCall(const CallExpr *Call) const {
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!isOpaque(Callee))
    return false;
  return llvm::any_of(Callee->parameters(), [](const ParmVarDecl *P) {
    return P->getType()->isPointerType();
  });
}

std::vector<WorkKey> WorkFacts::opaqueKeys(const CallExpr *Call) const {
  std::vector<WorkKey> Keys;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!isOpaque(Callee))
    return Keys;
  for (unsigned I = 0; I < Callee->getNumParams() && I < Call->getNumArgs();
       ++I) {
    QualType T = Callee->getParamDecl(I)->getType();
    if (!T->isPointerType())
      continue;
    const RecordDecl *RD = T->getPointeeType()->getAsRecordDecl();
    if (!RD || isWorkType(T))
      continue;
    for (WorkKey &K : workItemsIn(RD))
      Keys.push_back(std::move(K));
  }
  if (!OpaqueStops) {
    if (!Keys.empty())
      IgnoredOpaque.push_back({Callee->getName().str(), std::move(Keys)});
    return {};
  }
  return Keys;
}

std::vector<WorkKey> WorkFacts::workItemsIn(const RecordDecl *RD) {
  std::vector<WorkKey> Keys;
  if (!RD || !(RD = RD->getDefinition()))
    return Keys;
  std::function<void(const RecordDecl *, std::vector<const FieldDecl *>)>
      Walk = [&](const RecordDecl *R, std::vector<const FieldDecl *> Path) {
        for (const FieldDecl *F : R->fields()) {
          const RecordDecl *FR = F->getType()->getAsRecordDecl();
          if (!FR || F->getType()->isPointerType())
            continue;
          auto P = Path;
          P.push_back(F);
          if (isNamed(FR, "work_struct")) {
            Keys.push_back({RD->getCanonicalDecl(), P});
          } else if (isNamed(FR, "delayed_work") || isNamed(FR, "rcu_work")) {
            for (const FieldDecl *W : FR->getDefinition()->fields())
              if (W->getIdentifier() && W->getName() == "work") {
                auto Q = P;
                Q.push_back(W);
                Keys.push_back({RD->getCanonicalDecl(), Q});
              }
          } else if (FR->getDefinition() && P.size() < 4) {
            Walk(FR->getDefinition(), P);
          }
        }
      };
  Walk(RD, {});
  return Keys;
}

StringRef WorkFacts::syncCancelFor(const WorkKey &K) {
  if (K.Path.size() >= 2 && isNamed(K.Path.back()->getParent(), "delayed_work"))
    return "cancel_delayed_work_sync";
  return "cancel_work_sync";
}

std::string WorkFacts::spell(const WorkKey &K, const VarDecl *Base) {
  std::string S;
  size_t N = K.Path.size();
  // Name the delayed_work, not its inner .work.
  if (N >= 2 && isNamed(K.Path.back()->getParent(), "delayed_work"))
    --N;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(K.Root))
    S = VD->getName().str();
  else if (Base)
    S = Base->getName().str() + "->";
  bool First = !isa_and_nonnull<VarDecl>(K.Root);
  for (size_t I = 0; I < N; ++I) {
    if (!K.Path[I]->getIdentifier())
      continue; // an anonymous struct or union member
    if (!First)
      S += ".";
    First = false;
    S += K.Path[I]->getName().str();
  }
  if (!Base && !isa_and_nonnull<VarDecl>(K.Root))
    if (const auto *RD = dyn_cast_or_null<RecordDecl>(K.Root))
      S = "struct " + RD->getName().str() + "." + S;
  return S;
}

std::string WorkFacts::spellThrough(const WorkKey &K, const Expr *Obj,
                                    const ASTContext &AST) {
  const VarDecl *Base = baseVar(Obj);
  if (!Obj || isa<DeclRefExpr>(Obj->IgnoreParenCasts()) ||
      isa<VarDecl>(K.Root))
    return spell(K, Base);
  const SourceManager &SM = AST.getSourceManager();
  CharSourceRange Range =
      CharSourceRange::getTokenRange(Obj->IgnoreParenCasts()->getSourceRange());
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
    return spell(K, Base);
  StringRef Text = Lexer::getSourceText(Range, SM, AST.getLangOpts());
  if (Text.empty() || Text.contains('\n'))
    return spell(K, Base);
  // spell() with no base gives "struct foo.a.b": keep "a.b".
  std::string Fields = spell(K, nullptr);
  size_t Dot = Fields.find('.');
  return Text.str() + "->" +
         (Dot == std::string::npos ? Fields : Fields.substr(Dot + 1));
}

std::optional<std::string> WorkFacts::writtenAs(const Expr *E,
                                               const ASTContext &AST) {
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
    return std::nullopt;
  StringRef Text =
      Lexer::getSourceText(Range, AST.getSourceManager(), AST.getLangOpts());
  if (Text.empty() || Text.contains('\n'))
    return std::nullopt;
  return Text.str();
}

std::string WorkFacts::spelledAs(const Expr *E, const ASTContext &AST) {
  if (auto W = writtenAs(E, AST))
    return *W;
  const SourceManager &SM = AST.getSourceManager();
  const Expr *P = E->IgnoreParenCasts();
  SourceLocation B = SM.getSpellingLoc(P->getBeginLoc());
  SourceLocation End = SM.getSpellingLoc(P->getEndLoc());
  if (B.isValid() && End.isValid() && SM.getFileID(B) == SM.getFileID(End) &&
      !SM.isBeforeInTranslationUnit(End, B)) {
    StringRef T = Lexer::getSourceText(CharSourceRange::getTokenRange(B, End),
                                       SM, AST.getLangOpts())
                      .trim();
    while (T.consume_front("&") || T.consume_front("("))
      T = T.trim();
    while (T.consume_back(")"))
      T = T.trim();
    if (!T.empty() && T.size() <= 60 && !T.contains('\n') && !T.contains('('))
      return T.str();
  }
  if (auto K = workKeyOf(E))
    return K->describe();
  return "it";
}

std::string WorkFacts::calledAs(const CallExpr *Call, const ASTContext &AST) {
  const FunctionDecl *F = Call->getDirectCallee();
  StringRef Name = F && F->getIdentifier() ? F->getName() : StringRef();
  SourceLocation L = Call->getBeginLoc();
  if (Name.starts_with("__") && L.isMacroID()) {
    StringRef Macro = Lexer::getImmediateMacroName(L, AST.getSourceManager(),
                                                   AST.getLangOpts());
    if (Macro == Name.drop_front(2))
      return Macro.str();
  }
  return Name.str();
}

WorkFacts::WorkFacts(ASTContext &AST, UserCode &User, bool OpaqueStops)
    : OpaqueStops(OpaqueStops), AST(AST), User(User) {
  for (const Decl *D : User.topLevelDecls(AST)) {
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (!FD || !FD->doesThisDeclarationHaveABody())
      continue;
    Functions.push_back(FD);
    FunctionSet.insert(FD);
  }
  // Static initialisers: DECLARE_WORK, DECLARE_DELAYED_WORK.
  for (const Decl *D : User.topLevelDecls(AST)) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD || !VD->getInit())
      continue;
    const auto *IL = dyn_cast<InitListExpr>(VD->getInit()->IgnoreParenImpCasts());
    if (!IL)
      continue;
    forEachFieldInit(IL, [&](const FieldDecl *F, const Expr *Init,
                             const std::vector<const FieldDecl *> &P) {
      const RecordDecl *RD = F->getParent();
      const FunctionDecl *Fn = functionNamedBy(Init);
      const FunctionDecl *Def = Fn ? userDefinition(Fn) : nullptr;
      if (Def && RD->getIdentifier())
        OpsFunctions[{RD->getName().str(), F->getName().str()}].insert(Def);
      if (isNamed(RD, "work_struct") && F->getName() == "func" &&
          !Init->isNullPointerConstant(AST,
                                       Expr::NPC_ValueDependentIsNotNull)) {
        WorkKey K{VD->getCanonicalDecl(), P};
        if (Def)
          addHandler(K, Def);
        Inits[K].push_back(VD->getLocation());
      }
    });
  }
  for (const FunctionDecl *FD : Functions)
    gather(FD);
  close();
}

const FunctionDecl *WorkFacts::userDefinition(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  return Def && FunctionSet.count(Def) ? Def : nullptr;
}


bool WorkFacts::referencedInFile(const FunctionDecl *FD) const {
  if (auto It = References.find(FD); It != References.end() && It->second)
    return true;
  for (const auto &[Slot, Fns] : OpsFunctions)
    if (Fns.count(FD))
      return true;
  return false;
}

void WorkFacts::addHandler(const WorkKey &K, const FunctionDecl *Fn) {
  auto &List = Handlers[K];
  if (std::find(List.begin(), List.end(), Fn) == List.end())
    List.push_back(Fn);
}

bool WorkFacts::isQueuePointer(QualType T) {
  const auto *PT = T->getAs<PointerType>();
  const RecordDecl *RD = PT ? PT->getPointeeType()->getAsRecordDecl() : nullptr;
  return RD && RD->getIdentifier() && RD->getName() == "workqueue_struct";
}

namespace {
/// The key of a queue field, also through an array element
/// (`to_mdev(ibdev)->sriov.demux[port - 1].wq` is `struct
/// mlx4_ib_demux_ctx` . `wq`, as any `ctx->wq` of that type).
std::optional<WorkKey> queueKeyOf(const Expr *E) {
  if (auto K = workKeyOf(E))
    return K;
  const auto *M = dyn_cast<MemberExpr>(E->IgnoreParenCasts());
  const auto *F = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
  if (!F)
    return std::nullopt;
  WorkKey K;
  K.Root = F->getParent();
  K.Path.push_back(F);
  return K;
}
} // namespace

void WorkFacts::gather(const FunctionDecl *FD) {
  struct Visitor : RecursiveASTVisitor<Visitor> {
    WorkFacts &F;
    const FunctionDecl *FD;
    Visitor(WorkFacts &F, const FunctionDecl *FD) : F(F), FD(FD) {}

    SourceLocation loc(SourceLocation L) { return F.User.reportLocation(L); }

    bool isInitMacroStore(const BinaryOperator *B) {
      SourceLocation L = B->getOperatorLoc();
      if (!L.isMacroID())
        return false;
      const SourceManager &SM = F.AST.getSourceManager();
      SourceLocation Spelling = SM.getSpellingLoc(L);
      return !F.User.isUserFile(SM.getFileID(Spelling));
    }

    bool VisitBinaryOperator(BinaryOperator *B) {
      if (B->getOpcode() != BO_Assign)
        return true;
      // pv->wq = demux->wq: one queue, two names.
      if (WorkFacts::isQueuePointer(B->getLHS()->getType()))
        if (auto L = queueKeyOf(B->getLHS()))
          if (auto R = queueKeyOf(B->getRHS()); R && !(*L == *R)) {
            F.QueueAliases[*L].insert(*R);
            F.QueueAliases[*R].insert(*L);
          }
      const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
      const auto *Field = M ? dyn_cast<FieldDecl>(M->getMemberDecl()) : nullptr;
      // hrtimer.function = fn, timer_list.function = fn, urb->complete = fn
      // (WQ_ATOMIC_CALLBACK_FIELD of a callback source).
      const api::CallbackField *Slot =
          Field && Field->getIdentifier() && Field->getParent()->getIdentifier()
              ? api::findCallbackField(Field->getParent()->getName(),
                                       Field->getName())
              : nullptr;
      if (Slot && (Slot->Context == api::CallbackContext::Timer ||
                   Slot->Context == api::CallbackContext::Hrtimer ||
                   Slot->Context == api::CallbackContext::UrbComplete))
        if (auto K = workKeyOf(M->getBase()))
          if (const FunctionDecl *Cb = functionNamedBy(B->getRHS()))
            if (const FunctionDecl *Def = F.userDefinition(Cb))
              F.CallbackOf.emplace(*K, Def);
      // idev->close = foo_close: an ops callback set at run time.
      if (Field && Field->getIdentifier() &&
          Field->getParent()->getIdentifier())
        if (const FunctionDecl *Cb = functionNamedBy(B->getRHS()))
          if (const FunctionDecl *Def = F.userDefinition(Cb))
            F.OpsFunctions[{Field->getParent()->getName().str(),
                            Field->getName().str()}]
                .insert(Def);
      if (!Field || !Field->getIdentifier() || Field->getName() != "func" ||
          !isNamed(Field->getParent(), "work_struct"))
        return true;
      // Only INIT_WORK() and friends initialise: they also set ->data and
      // the ->entry list.  A store to ->func spelled in the user's code is
      // not an initialisation (the item's list head stays zeroed).
      if (!isInitMacroStore(B))
        return true;
      // The handler, or the parameter it comes from (a helper such as
      // init_continuation(k, fn) that runs INIT_WORK(&k->ws, fn)).
      const FunctionDecl *Handler = nullptr;
      const ParmVarDecl *HandlerParm = nullptr;
      if (const FunctionDecl *H = functionNamedBy(B->getRHS()))
        Handler = F.userDefinition(H);
      else if (const auto *Ref =
                   dyn_cast<DeclRefExpr>(B->getRHS()->IgnoreParenCasts()))
        HandlerParm = dyn_cast<ParmVarDecl>(Ref->getDecl());
      auto NoteHandlerParam = [&](std::optional<WorkKey> K, unsigned WorkParam) {
        if (!HandlerParm && (K || !Handler))
          return;
        HandlerParam HP;
        HP.Key = K;
        HP.WorkParam = WorkParam;
        HP.Fn = Handler;
        HP.FnParam = HandlerParm ? HandlerParm->getFunctionScopeIndex() : 0;
        F.HandlerParams[FD].push_back(HP);
      };
      if (auto K = workKeyOf(M->getBase())) {
        F.Inits[*K].push_back(loc(B->getBeginLoc()));
        if (allocatedIn(FD, baseVar(M->getBase())))
          F.ConstructorInits.insert(loc(B->getBeginLoc()));
        F.InitsBy[FD].insert(*K);
        if (Handler)
          F.addHandler(*K, Handler);
        else if (!HandlerParm)
          F.ComputedHandlerItems.insert(*K);
        NoteHandlerParam(K, 0);
        return true;
      }
      // INIT_WORK(w, fn) on a parameter: the caller's argument is the item.
      if (const VarDecl *V = baseVar(M->getBase()))
        if (const auto *P = dyn_cast<ParmVarDecl>(V)) {
          F.InitsParam[FD].insert(P->getFunctionScopeIndex());
          NoteHandlerParam(std::nullopt, P->getFunctionScopeIndex());
          return true;
        }
      F.UnresolvedInit = true;
      return true;
    }

    bool VisitDeclRefExpr(DeclRefExpr *Ref) {
      if (const auto *Fn = dyn_cast<FunctionDecl>(Ref->getDecl()))
        if (const FunctionDecl *Def = F.userDefinition(Fn))
          ++F.References[Def];
      return true;
    }

    /// `if (!queue_work(wq, &o->work)) foo_put(o)`: the reference taken
    /// for the work is dropped when it was queued already.
    bool VisitIfStmt(IfStmt *If) {
      const auto *Not = dyn_cast_or_null<UnaryOperator>(
          If->getCond() ? If->getCond()->IgnoreParenImpCasts() : nullptr);
      const auto *Q = Not && Not->getOpcode() == UO_LNot
                          ? dyn_cast<CallExpr>(callThroughHooks(
                                Not->getSubExpr()->IgnoreParenImpCasts()))
                          : nullptr;
      const FunctionDecl *QF = Q ? Q->getDirectCallee() : nullptr;
      const api::QueueWork *QW =
          QF && QF->getIdentifier() ? api::findQueueWork(QF->getName())
                                    : nullptr;
      if (!QW || QW->WorkArg >= Q->getNumArgs())
        return true;
      auto K = workKeyOf(Q->getArg(QW->WorkArg));
      if (!K)
        return true;
      struct PutFinder : RecursiveASTVisitor<PutFinder> {
        bool Found = false;
        bool VisitCallExpr(CallExpr *C) {
          if (const FunctionDecl *G = C->getDirectCallee())
            Found |= G->getIdentifier() && api::isReferencePutName(G->getName());
          return !Found;
        }
      } Put;
      Put.TraverseStmt(If->getThen());
      if (Put.Found)
        F.RefHandedOver.insert(*K);
      return true;
    }

    bool VisitCallExpr(CallExpr *Call) {
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (!Callee || !Callee->getIdentifier())
        return true;
      StringRef Name = Callee->getName();
      if (const FunctionDecl *Def = F.userDefinition(Callee)) {
        F.Calls[FD].insert(Def);
        if (functionNamedBy(Call->getCallee()) == Callee)
          ++F.DirectCalls[Def];
        return true;
      }
      for (WorkKey &K : armedBy(Call, Name))
        F.ArmsBy[FD].insert(std::move(K));
      if (api::referencePutArg(Name) >= 0)
        F.DropsReference.insert(FD);
      int ReleaseArg = api::releaseCallbackArg(Name);
      if (ReleaseArg >= 0 && unsigned(ReleaseArg) < Call->getNumArgs())
        if (const FunctionDecl *Rel = functionNamedBy(Call->getArg(ReleaseArg)))
          if (const FunctionDecl *Def = F.userDefinition(Rel))
            F.ReleaseCallbacks.insert(Def);
      if (const api::OpsCall *Ops = api::findOpsCall(Name))
        F.OpsCallsBy[FD].insert({Ops->Struct.str(), Ops->Field.str()});
      int Drain = api::drainQueueArg(Name);
      if (Drain >= 0 && unsigned(Drain) < Call->getNumArgs()) {
        const Expr *Drained = drainedQueue(Call->getArg(Drain));
        if (const VarDecl *Q = localQueue(Drained))
          F.LocalDrains[FD].insert(Q);
        if (auto Q = workKeyOf(Drained))
          F.DrainsBy[FD].push_back(*Q);
      }
      int Flush = api::flushQueueArg(Name);
      if (Flush >= 0 && unsigned(Flush) < Call->getNumArgs())
        if (auto Q = workKeyOf(drainedQueue(Call->getArg(Flush))))
          F.FlushesBy[FD].push_back(*Q);
      int Signal = api::completionSignalArg(Name);
      if (Signal >= 0 && unsigned(Signal) < Call->getNumArgs())
        if (auto C = workKeyOf(Call->getArg(Signal)))
          F.CompletesBy[FD].insert(*C);
      int Wait = api::completionWaitArg(Name);
      if (Wait >= 0 && unsigned(Wait) < Call->getNumArgs())
        if (auto C = workKeyOf(Call->getArg(Wait)))
          F.WaitsBy[FD].push_back(*C);
      for (const WorkKey &K : F.opaqueKeys(Call)) {
        F.OpaqueInits.insert(loc(Call->getBeginLoc()));
        F.Inits[K].push_back(loc(Call->getBeginLoc()));
        F.InitsBy[FD].insert(K);
        F.StopsBy[FD].insert(K);
      }
      const FunctionDecl *Cb = nullptr;
      if (auto K = sourceSetUpBy(Call, Name, &Cb))
        if (const FunctionDecl *Def = F.userDefinition(Cb))
          F.CallbackOf.emplace(*K, Def);
      int ActionArg = api::devmActionArg(Name);
      if (ActionArg >= 0 && unsigned(ActionArg) < Call->getNumArgs())
        if (const FunctionDecl *Act = functionNamedBy(Call->getArg(ActionArg)))
          if (const FunctionDecl *Def = F.userDefinition(Act))
            F.DevmActions.insert(Def);
      int InitArg = api::workInitArg(Name);
      if (InitArg >= 0 && unsigned(InitArg) < Call->getNumArgs()) {
        if (auto K = workKeyOf(Call->getArg(InitArg))) {
          F.Inits[*K].push_back(loc(Call->getBeginLoc()));
          if (allocatedIn(FD, baseVar(Call->getArg(InitArg))))
            F.ConstructorInits.insert(loc(Call->getBeginLoc()));
          F.InitsBy[FD].insert(*K);
          if (unsigned(InitArg + 1) < Call->getNumArgs())
            if (const FunctionDecl *H = functionNamedBy(Call->getArg(InitArg + 1)))
              if (const FunctionDecl *Def = F.userDefinition(H))
                F.addHandler(*K, Def);
          // devm_*_autocancel also stops it when the device goes away.
          F.DevmStopped.insert(*K);
        } else {
          F.UnresolvedInit = true;
        }
        return true;
      }
      if (const api::QueueWork *Q = api::findQueueWork(Name)) {
        if (Q->WorkArg >= Call->getNumArgs())
          return true;
        auto K = workKeyOf(Call->getArg(Q->WorkArg));
        if (!K)
          return true;
        F.Uses[*K].push_back({loc(Call->getBeginLoc()), Name.str(), true});
        F.QueuesBy[FD].insert(*K);
        std::optional<WorkKey> On;
        if (Q->QueueArg >= 0 && unsigned(Q->QueueArg) < Call->getNumArgs()) {
          On = workKeyOf(Call->getArg(Q->QueueArg));
          if (const VarDecl *Local = localQueue(Call->getArg(Q->QueueArg)))
            F.LocalQueued[FD].push_back({*K, Local});
        }
        F.QueuedOn[*K].insert(On);
        // A delayed item queued with a delay that may not be 0 can sit on
        // an armed timer, which no drain of its queue waits for.
        if (Q->DelayArg >= 0) {
          Expr::EvalResult Delay;
          if (unsigned(Q->DelayArg) >= Call->getNumArgs() ||
              !Call->getArg(Q->DelayArg)->EvaluateAsInt(Delay,
                                                        FD->getASTContext()) ||
              !Delay.Val.getInt().isZero())
            F.QueuedWithDelay.insert(*K);
        }
        return true;
      }
      if (const api::WorkStop *S = api::findWorkStop(Name)) {
        if (S->WorkArg >= Call->getNumArgs())
          return true;
        if (auto K = workKeyOf(Call->getArg(S->WorkArg))) {
          F.Uses[*K].push_back({loc(Call->getBeginLoc()), Name.str(), false});
          if (S->Waits)
            F.StopsBy[FD].insert(*K);
        }
      }
      return true;
    }
  } V(*this, FD);
  V.TraverseStmt(FD->getBody());
}

/// The handlers of work items initialised with a computed handler
/// (`msg->fn = work_fun; INIT_WORK(&msg->work, msg->fn)`, 6.1
/// drivers/net/wireless/microchip/wilc1000/hif.c wilc_enqueue_work()):
/// the file's work functions -- one `struct work_struct *` parameter, the
/// kernel's work_func_t -- that take the item's container from that
/// parameter (`container_of(work, struct host_if_msg, work)`, also through
/// to_delayed_work()).  Such a function runs for the item it is handed, so
/// it is that item's handler as much as one named in INIT_WORK().
void WorkFacts::inferComputedHandlers() {
  if (ComputedHandlerItems.empty())
    return;
  for (const FunctionDecl *FD : Functions) {
    if (FD->getNumParams() != 1 || !FD->getBody())
      continue;
    const ParmVarDecl *Work = FD->getParamDecl(0);
    const auto *PT = Work->getType()->getAs<PointerType>();
    if (!PT || !isNamed(PT->getPointeeType()->getAsRecordDecl(), "work_struct"))
      continue;
    // container_of(p, T, m) is a statement expression that reads p and
    // subtracts offsetof(T, m).
    struct Finder : RecursiveASTVisitor<Finder> {
      const ParmVarDecl *Work;
      std::vector<std::vector<const FieldDecl *>> Members;
      bool VisitStmtExpr(StmtExpr *SE) {
        struct Inner : RecursiveASTVisitor<Inner> {
          const ParmVarDecl *Work;
          bool ReadsWork = false;
          std::vector<const FieldDecl *> Member;
          bool VisitDeclRefExpr(DeclRefExpr *Ref) {
            ReadsWork |= Ref->getDecl() == Work;
            return true;
          }
          bool VisitOffsetOfExpr(OffsetOfExpr *O) {
            std::vector<const FieldDecl *> Path;
            for (unsigned I = 0; I < O->getNumComponents(); ++I) {
              const OffsetOfNode &N = O->getComponent(I);
              if (N.getKind() != OffsetOfNode::Field)
                return true;
              Path.push_back(N.getField());
            }
            Member = std::move(Path);
            return true;
          }
        } In;
        In.Work = Work;
        In.TraverseStmt(SE);
        if (In.ReadsWork && !In.Member.empty())
          Members.push_back(std::move(In.Member));
        return true;
      }
    } F;
    F.Work = Work;
    F.TraverseStmt(FD->getBody());
    for (const auto &M : F.Members)
      for (const WorkKey &K : ComputedHandlerItems)
        if (K.Root == M.front()->getParent()->getCanonicalDecl() &&
            K.Path.size() >= M.size() &&
            std::equal(M.begin(), M.end(), K.Path.begin()))
          addHandler(K, FD);
  }
}

void WorkFacts::close() {
  inferComputedHandlers();
  // Calls to functions that initialise their parameter's work item.
  for (const FunctionDecl *FD : Functions) {
    struct Visitor : RecursiveASTVisitor<Visitor> {
      WorkFacts &F;
      const FunctionDecl *FD;
      Visitor(WorkFacts &F, const FunctionDecl *FD) : F(F), FD(FD) {}
      bool VisitCallExpr(CallExpr *Call) {
        const FunctionDecl *Def = F.userDefinition(Call->getDirectCallee());
        // Handlers set up by a helper from the caller's arguments.
        auto HP = Def ? F.HandlerParams.find(Def) : F.HandlerParams.end();
        if (HP != F.HandlerParams.end())
          for (const HandlerParam &P : HP->second) {
            std::optional<WorkKey> K = P.Key;
            if (!K && P.WorkParam < Call->getNumArgs())
              K = workKeyOf(Call->getArg(P.WorkParam));
            const FunctionDecl *Fn = P.Fn;
            if (!Fn && P.FnParam < Call->getNumArgs())
              Fn = F.userDefinition(functionNamedBy(Call->getArg(P.FnParam)));
            if (K && Fn)
              F.addHandler(*K, Fn);
          }
        auto It = Def ? F.InitsParam.find(Def) : F.InitsParam.end();
        if (It == F.InitsParam.end())
          return true;
        for (unsigned I : It->second) {
          if (I >= Call->getNumArgs())
            continue;
          if (auto K = workKeyOf(Call->getArg(I))) {
            F.Inits[*K].push_back(F.User.reportLocation(Call->getBeginLoc()));
            F.InitsBy[FD].insert(*K);
          } else if (!isa<ParmVarDecl>(
                         baseVar(Call->getArg(I)) ? baseVar(Call->getArg(I))
                                                  : nullptr)) {
            F.UnresolvedInit = true;
          }
        }
        return true;
      }
    } V(*this, FD);
    V.TraverseStmt(FD->getBody());
  }
  // A handler that completes a completion (itself or through the file's
  // calls): waiting for that completion waits for the handler.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *FD : Functions)
      for (const FunctionDecl *G : Calls[FD])
        for (const WorkKey &C : CompletesBy[G])
          Changed |= CompletesBy[FD].insert(C).second;
  }
  for (const auto &[K, Hs] : Handlers)
    for (const FunctionDecl *H : Hs)
      for (const WorkKey &C : CompletesBy[H])
        CompletedBy[C].insert(K);
  for (const auto &[FD, Waits] : WaitsBy)
    for (const WorkKey &C : Waits)
      for (const WorkKey &K : itemsCompletedBy(C))
        StopsBy[FD].insert(K);
  // Queued only on local queues that the queuing function destroys.
  std::map<WorkKey, unsigned> QueueCalls, Drained;
  for (const auto &[K, Us] : Uses)
    for (const WorkUse &U : Us)
      QueueCalls[K] += U.Queues;
  for (const auto &[FD, Queued] : LocalQueued)
    for (const auto &[K, Q] : Queued)
      if (LocalDrains[FD].count(Q) && syncCancelFor(K) == "cancel_work_sync") {
        ++Drained[K];
        StopsBy[FD].insert(K);
      }
  for (const auto &[K, N] : Drained)
    if (N == QueueCalls[K])
      SelfDrained.insert(K);
  // Destroying or draining a queue stops what runs only on it.
  for (const auto &[FD, Queues] : DrainsBy)
    for (const WorkKey &Q : Queues)
      for (const WorkKey &K : itemsDrainedBy(Q))
        StopsBy[FD].insert(K);
  // Flushing a queue waits for what runs only on it (WQ_FLUSH_QUEUE).
  // Only a function another file calls directly, as a step of its
  // sequence, counts: a callback (an ioctl, an ops slot) may flush at any
  // time and says nothing about a teardown.
  for (const auto &[FD, Queues] : FlushesBy) {
    if (!FD->isExternallyVisible() || AddressTaken.count(FD))
      continue;
    for (const WorkKey &Q : Queues)
      for (const WorkKey &K : itemsDrainedBy(Q))
        QueueFlushedBy.emplace(K, FD);
  }
  // A subsystem call that runs ops callbacks stops what they stop.
  std::map<const FunctionDecl *, std::set<const FunctionDecl *>> OpsEdges;
  for (const auto &[FD, Slots] : OpsCallsBy)
    for (const auto &Slot : Slots) {
      auto It = OpsFunctions.find(Slot);
      if (It != OpsFunctions.end())
        OpsEdges[FD].insert(It->second.begin(), It->second.end());
    }
  // Transitive effects over the file's call graph.
  auto Merge = [](std::set<WorkKey> &Into, const std::set<WorkKey> &From) {
    size_t Before = Into.size();
    Into.insert(From.begin(), From.end());
    return Into.size() != Before;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *FD : Functions) {
      for (const FunctionDecl *G : Calls[FD]) {
        for (auto *M : {&InitsBy, &QueuesBy, &StopsBy, &ArmsBy})
          Changed |= Merge((*M)[FD], (*M)[G]);
        if (DropsReference.count(G))
          Changed |= DropsReference.insert(FD).second;
      }
      for (const FunctionDecl *G : OpsEdges[FD])
        Changed |= Merge(StopsBy[FD], StopsBy[G]);
    }
  }
  // Devres actions that cancel work items (computed after the closure).
  for (const FunctionDecl *Act : DevmActions)
    DevmStopped.insert(StopsBy[Act].begin(), StopsBy[Act].end());
  // Release functions stored in structs; functions that may be called
  // from anywhere.
  for (const auto &[Slot, Fns] : OpsFunctions) {
    if (api::isReleaseField(Slot.first, Slot.second))
      ReleaseCallbacks.insert(Fns.begin(), Fns.end());
    AddressTaken.insert(Fns.begin(), Fns.end());
  }
  for (const FunctionDecl *FD : Functions)
    if (References[FD] > DirectCalls[FD])
      AddressTaken.insert(FD);
  findSetupFunctions();
  findConstructors();
}

const Expr *WorkFacts::drainedQueue(const Expr *Arg) {
  const VarDecl *V = localQueue(Arg);
  if (V && V->getInit() && V->getLocation().isMacroID())
    return V->getInit();
  return Arg;
}

std::optional<WorkKey> WorkFacts::sourceSetUpBy(const CallExpr *Call,
                                                StringRef Name,
                                                const FunctionDecl **Callback) {
  const api::CallbackArg *CB = api::findCallbackArg(Name);
  if (!CB || Call->getNumArgs() == 0 ||
      (CB->Context != api::CallbackContext::Timer &&
       CB->Context != api::CallbackContext::Hrtimer &&
       CB->Context != api::CallbackContext::Tasklet &&
       CB->Context != api::CallbackContext::UrbComplete))
    return std::nullopt;
  if (Callback)
    *Callback = CB->ArgIndex < Call->getNumArgs()
                    ? functionNamedBy(Call->getArg(CB->ArgIndex))
                    : nullptr;
  return workKeyOf(Call->getArg(0));
}

const VarDecl *WorkFacts::localQueue(const Expr *E) {
  const auto *Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
  const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  return V && V->hasLocalStorage() && !isa<ParmVarDecl>(V) ? V : nullptr;
}

std::vector<WorkKey> WorkFacts::armedBy(const CallExpr *Call, StringRef Name) {
  std::vector<WorkKey> Keys;
  if (api::findCallbackArg(Name))
    return Keys;
  int Stop = api::callbackStopArg(Name);
  // usb_submit_urb(dev->urb, ..): a source passed by value (WQ_SOURCE_ARM).
  int Arm = api::sourceArmArg(Name);
  if (Arm >= 0 && unsigned(Arm) < Call->getNumArgs())
    if (auto K = workKeyOf(Call->getArg(Arm)))
      Keys.push_back(std::move(*K));
  for (unsigned I = 0; I < Call->getNumArgs(); ++I)
    if (int(I) != Stop)
      if (const auto *Addr =
              dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenCasts());
          Addr && Addr->getOpcode() == UO_AddrOf)
        if (auto K = workKeyOf(Addr))
          Keys.push_back(std::move(*K));
  return Keys;
}

/// A constructor returns, on every return, NULL, an ERR_PTR, or a local
/// variable (or call) holding a fresh allocation, and does so at least once.
void WorkFacts::findSetupFunctions() {
  for (const FunctionDecl *FD : Functions)
    if (const auto *S = FD->getAttr<SectionAttr>();
        S && S->getName() == ".init.text")
      SetupFunctions.insert(FD);
  for (const auto &[Slot, Fns] : OpsFunctions)
    if (api::isSetupField(Slot.first, Slot.second))
      SetupFunctions.insert(Fns.begin(), Fns.end());
  for (const auto &[Slot, Fns] : OpsFunctions)
    if (api::isQuiesceField(Slot.first, Slot.second))
      QuiesceFunctions.insert(Fns.begin(), Fns.end());
  for (const FunctionDecl *FD : Functions)
    if (const auto *S = FD->getAttr<SectionAttr>();
        S && S->getName() == ".exit.text")
      ExitFunctions.insert(FD);
  // Static helpers whose every caller is one of them.
  std::map<const FunctionDecl *, std::set<const FunctionDecl *>> Callers;
  for (const auto &[FD, Callees] : Calls)
    for (const FunctionDecl *G : Callees)
      Callers[G].insert(FD);
  for (auto *Set : {&SetupFunctions, &ExitFunctions, &QuiesceFunctions})
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const FunctionDecl *FD : Functions) {
        if (Set->count(FD) || FD->isExternallyVisible() ||
            AddressTaken.count(FD) || Callers[FD].empty())
          continue;
        bool All = true;
        for (const FunctionDecl *C : Callers[FD])
          All &= Set->count(C) > 0 && C != FD;
        if (All)
          Changed |= Set->insert(FD).second;
      }
    }
}

void WorkFacts::findConstructors() {
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const FunctionDecl *FD : Functions) {
      if (Constructors.count(FD) || !FD->getReturnType()->isPointerType())
        continue;
      struct Visitor : RecursiveASTVisitor<Visitor> {
        const WorkFacts &F;
        std::map<const VarDecl *, bool> FreshVar; // every store is fresh
        std::vector<const Expr *> Returns;
        explicit Visitor(const WorkFacts &F) : F(F) {}
        void store(const VarDecl *V, const Expr *Value) {
          bool Fresh = F.freshAllocation(Value) ||
                       Value->IgnoreParenCasts()->isNullPointerConstant(
                           V->getASTContext(), Expr::NPC_ValueDependentIsNull);
          auto It = FreshVar.emplace(V, Fresh).first;
          It->second = It->second && Fresh;
        }
        bool VisitVarDecl(VarDecl *V) {
          if (V->getInit() && V->getType()->isPointerType())
            store(V, V->getInit());
          return true;
        }
        bool VisitBinaryOperator(BinaryOperator *B) {
          if (B->getOpcode() == BO_Assign)
            if (const auto *Ref =
                    dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts()))
              if (const auto *V = dyn_cast<VarDecl>(Ref->getDecl()))
                store(V, B->getRHS());
          return true;
        }
        bool VisitReturnStmt(ReturnStmt *R) {
          Returns.push_back(R->getRetValue());
          return true;
        }
      } V(*this);
      V.TraverseStmt(FD->getBody());
      bool AnyFresh = false, AllOk = !V.Returns.empty();
      for (const Expr *R : V.Returns) {
        if (!R) {
          AllOk = false;
          break;
        }
        const Expr *E = R->IgnoreParenCasts();
        if (freshAllocation(E)) {
          AnyFresh = true;
          continue;
        }
        if (E->isNullPointerConstant(AST, Expr::NPC_ValueDependentIsNull))
          continue;
        if (const auto *Call = dyn_cast<CallExpr>(E))
          if (const FunctionDecl *C = Call->getDirectCallee())
            if (C->getIdentifier() && C->getName() == "ERR_PTR")
              continue;
        const auto *Ref = dyn_cast<DeclRefExpr>(E);
        const auto *Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
        auto It = Var ? V.FreshVar.find(Var) : V.FreshVar.end();
        if (It != V.FreshVar.end() && It->second && !Var->hasGlobalStorage()) {
          AnyFresh = true;
          continue;
        }
        AllOk = false;
        break;
      }
      if (AllOk && AnyFresh) {
        Constructors.insert(FD);
        Changed = true;
      }
    }
  }
}

} // namespace wqcheck
