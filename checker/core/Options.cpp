//===- Options.cpp --------------------------------------------------------===//
#include "core/Options.h"
#include "core/CheckRegistry.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/GlobPattern.h"

using namespace llvm;

namespace wqcheck {

static bool globMatches(StringRef Pattern, StringRef Id) {
  Expected<GlobPattern> G = GlobPattern::create(Pattern);
  if (!G) {
    consumeError(G.takeError());
    return false;
  }
  return G->match(Id);
}

Expected<CheckFilter> CheckFilter::parse(StringRef Spec) {
  CheckFilter F;
  SmallVector<StringRef, 8> Parts;
  Spec.split(Parts, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef Part : Parts) {
    Part = Part.trim();
    bool Enable = !Part.consume_front("-");
    if (Part.empty())
      return createStringError(inconvertibleErrorCode(),
                               "empty check name in '%s'", Spec.str().c_str());
    if (Expected<GlobPattern> G = GlobPattern::create(Part); !G)
      return createStringError(inconvertibleErrorCode(),
                               "bad check glob '%s': %s", Part.str().c_str(),
                               toString(G.takeError()).c_str());
    if (Enable) {
      bool Known = false;
      for (const CheckInfo &C : allChecks())
        Known |= globMatches(Part, C.Id);
      if (!Known)
        return createStringError(inconvertibleErrorCode(),
                                 "no check matches '%s' (see --list-checks)",
                                 Part.str().c_str());
    }
    F.Globs.emplace_back(Enable, Part.str());
  }
  return F;
}

std::optional<ReportLevel> parseReportLevel(StringRef Name) {
  if (Name == "evidence")
    return ReportLevel::Evidence;
  if (Name == "possible")
    return ReportLevel::Possible;
  return std::nullopt;
}

bool CheckFilter::isEnabled(StringRef Id) const {
  bool Enabled = true;
  for (const CheckInfo &C : allChecks())
    if (C.Id == Id)
      Enabled = C.OnByDefault;
  for (const auto &[Enable, Pattern] : Globs)
    if (globMatches(Pattern, Id))
      Enabled = Enable;
  return Enabled;
}

} // namespace wqcheck
