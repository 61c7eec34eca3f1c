//===- WorkItems.cpp ------------------------------------------------------===//
#include "analysis/WorkItems.h"
#include "clang/AST/Type.h"

using namespace clang;

namespace wqcheck {

static const RecordDecl *recordOf(QualType T) {
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  if (const auto *RT = T->getAs<RecordType>())
    return RT->getDecl();
  return nullptr;
}

static bool hasName(const RecordDecl *RD, llvm::StringRef Name) {
  return RD && RD->getIdentifier() && RD->getName() == Name;
}

bool isWorkType(QualType T) {
  const RecordDecl *RD = recordOf(T);
  return hasName(RD, "work_struct") || hasName(RD, "delayed_work") ||
         hasName(RD, "rcu_work");
}

std::optional<WorkKey> workKeyOf(const Expr *E) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E))
    if (U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenCasts();
  const RecordDecl *Final = recordOf(E->getType());
  WorkKey Key;
  while (true) {
    E = E->IgnoreParenCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && U->getOpcode() == UO_AddrOf) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *M = dyn_cast<MemberExpr>(E)) {
      const auto *FD = dyn_cast<FieldDecl>(M->getMemberDecl());
      if (!FD)
        return std::nullopt;
      Key.Path.insert(Key.Path.begin(), FD);
      // p->field: the item lives in whatever p points to; only its struct
      // type names it across functions.  (&x)->field is x.field.
      const Expr *Base = M->getBase()->IgnoreParenCasts();
      if (M->isArrow()) {
        const auto *U = dyn_cast<UnaryOperator>(Base);
        if (!U || U->getOpcode() != UO_AddrOf)
          break;
        Base = U->getSubExpr();
      }
      E = Base;
      continue;
    }
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(Ref->getDecl());
      if (VD && VD->hasGlobalStorage()) {
        Key.Root = VD->getCanonicalDecl();
        break;
      }
    }
    // Anything else (*p, a local struct, an array element): the struct type.
    break;
  }
  if (!Key.Root) {
    if (Key.Path.empty())
      return std::nullopt;
    Key.Root = Key.Path.front()->getParent()->getCanonicalDecl();
  }
  // Name the work_struct itself: delayed_work.work, rcu_work.work.
  if (Final && (hasName(Final, "delayed_work") || hasName(Final, "rcu_work")))
    for (const FieldDecl *FD : Final->fields())
      if (FD->getIdentifier() && FD->getName() == "work") {
        Key.Path.push_back(FD);
        break;
      }
  return Key;
}

static void walkInit(
    const InitListExpr *IL, std::vector<const FieldDecl *> &Path,
    llvm::function_ref<void(const FieldDecl *, const Expr *,
                            const std::vector<const FieldDecl *> &)>
        Fn) {
  if (IL->isSyntacticForm() && IL->getSemanticForm())
    IL = IL->getSemanticForm();
  const RecordDecl *RD = IL->getType()->getAsRecordDecl();
  if (!RD)
    return;
  unsigned I = 0;
  for (const FieldDecl *Field : RD->fields()) {
    if (I >= IL->getNumInits())
      break;
    const Expr *Init = IL->getInit(I++);
    if (!Init || !Field->getIdentifier())
      continue;
    if (const auto *Inner = dyn_cast<InitListExpr>(Init)) {
      Path.push_back(Field);
      walkInit(Inner, Path, Fn);
      Path.pop_back();
      continue;
    }
    Fn(Field, Init, Path);
  }
}

void forEachFieldInit(
    const InitListExpr *IL,
    llvm::function_ref<void(const FieldDecl *, const Expr *,
                            const std::vector<const FieldDecl *> &)>
        Fn) {
  std::vector<const FieldDecl *> Path;
  walkInit(IL, Path, Fn);
}

const FunctionDecl *functionNamedBy(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  // `c ? fn : NULL`, the kernel's PTR_IF() behind pm_sleep_ptr() and
  // pm_ptr() (6.1 include/linux/kernel.h PTR_IF, include/linux/pm.h
  // pm_sleep_ptr()): the slot holds fn or nothing.
  if (const auto *C = dyn_cast<ConditionalOperator>(E)) {
    auto Zero = [](const Expr *X) {
      const auto *L = dyn_cast<IntegerLiteral>(X->IgnoreParenCasts());
      return L && L->getValue() == 0;
    };
    if (Zero(C->getFalseExpr()))
      return functionNamedBy(C->getTrueExpr());
    if (Zero(C->getTrueExpr()))
      return functionNamedBy(C->getFalseExpr());
    return nullptr;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(Ref->getDecl());
  return nullptr;
}

std::vector<WorkKey> aliasesOf(const WorkKey &K) {
  std::vector<WorkKey> Out{K};
  auto Suffixes = [&Out](const WorkKey &From) {
    for (size_t I = 1; I < From.Path.size(); ++I) {
      const RecordDecl *Inner = From.Path[I]->getParent();
      // Not through an anonymous struct/union: it has no name of its own.
      if (!Inner->getIdentifier())
        continue;
      // Not through the kernel's own work types: `struct delayed_work` .
      // `work` names every delayed work item of every driver, so an alias
      // there would make one item's handler, stop or queue count for all.
      if (Inner->getName() == "delayed_work" || Inner->getName() == "rcu_work" ||
          Inner->getName() == "work_struct")
        continue;
      Out.push_back({Inner->getCanonicalDecl(),
                     {From.Path.begin() + I, From.Path.end()}});
    }
  };
  Suffixes(K);
  if (const auto *VD = dyn_cast_or_null<VarDecl>(K.Root))
    if (const RecordDecl *RD = VD->getType()->getAsRecordDecl()) {
      WorkKey AsField{RD->getCanonicalDecl(), K.Path};
      Out.push_back(AsField);
      Suffixes(AsField);
    }
  return Out;
}

std::string WorkKey::describe() const {
  std::string S;
  if (const auto *VD = dyn_cast_or_null<VarDecl>(Root))
    S = VD->getName().str();
  else if (const auto *RD = dyn_cast_or_null<RecordDecl>(Root))
    S = "struct " + RD->getName().str();
  for (const FieldDecl *FD : Path)
    S += "." + FD->getName().str();
  return S;
}

} // namespace wqcheck
