//===- CheckRegistry.cpp --------------------------------------------------===//
#include "core/CheckRegistry.h"
#include "core/Options.h"

namespace wqcheck {

static const CheckInfo Checks[] = {
#define OnByDefault true
#define OptIn false
#define WQ_CHECK(Id, Factory, Default, Summary) {Id, Summary, &Factory, Default},
#include "core/Checks.def"
#undef OnByDefault
#undef OptIn
};

llvm::ArrayRef<CheckInfo> allChecks() { return Checks; }

std::vector<std::unique_ptr<Check>> createChecks(const CheckFilter &Filter,
                                                 CheckContext &Ctx) {
  std::vector<std::unique_ptr<Check>> Result;
  for (const CheckInfo &Info : Checks)
    if (Filter.isEnabled(Info.Id))
      Result.push_back(Info.Create(Info.Id, Ctx));
  return Result;
}

} // namespace wqcheck
