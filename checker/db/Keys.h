//===- Keys.h - how facts name functions and work items ----------*- C++ -*-===//
#ifndef WQCHECK_DB_KEYS_H
#define WQCHECK_DB_KEYS_H

#include "analysis/WorkItems.h"
#include <optional>
#include <set>
#include <string>

namespace clang {
class ASTContext;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace wqcheck {

class UserCode;
struct UnitFacts;

/// The name of a function with external linkage (what another file's call
/// resolves to); "<file>#<name>" for a static one.
std::string functionKey(const clang::FunctionDecl *FD,
                        const clang::SourceManager &SM);

/// A work item as "struct.field.path" from the innermost struct holding it
/// ("brcmf_cfg80211_info.escan_timeout_work", "foo.dwork.work",
/// "wil_p2p_info.discovery_expired_work" for `vif->p2p.discovery_expired_work`):
/// the same in every file; nullopt for a global's (a file's own) or an
/// anonymous struct's.
std::optional<std::string> itemKey(const WorkKey &K);
/// The struct K is reached from ("wil6210_vif" for the last example).
std::optional<std::string> rootStruct(const WorkKey &K);

/// The functions whose facts a unit records: those defined in its main
/// file and the user's functions they call, directly or not (a driver
/// header's inline helpers that the file never calls are left to the files
/// that do: every file including the header would record them again).
std::set<const clang::FunctionDecl *> recordedFunctions(clang::ASTContext &AST,
                                                       UserCode &User);

class WorkFacts;

/// Records what each function itself does to a work item (WorkOpFact)
/// from a check's facts, once per unit; the guessed INITs of opaque calls
/// are left out.
void recordWorkOps(const WorkFacts &W, const clang::SourceManager &SM,
                   UserCode &User, UnitFacts &Facts);

/// Records the unit's functions (FunctionFact), call graph (CallEdgeFact:
/// every call in a recorded function), ops tables (SlotFact) and, unless a
/// check did, its work-item operations (WorkOpFact).
void recordCallGraph(clang::ASTContext &AST, UserCode &User,
                     UnitFacts &Facts);

} // namespace wqcheck

#endif
