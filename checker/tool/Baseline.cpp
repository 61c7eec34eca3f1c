//===- Baseline.cpp -------------------------------------------------------===//
#include "tool/Baseline.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include <algorithm>
#include <set>

using namespace llvm;

namespace wqcheck {

// One line, so that merging with sort -u keeps it whole.
static const char Header[] =
    "# wqcheck baseline (--write-baseline, --baseline): fingerprint TAB check "
    "TAB path:line TAB message; merge with sort -u\n";

/// "<16 lowercase hex digits>:<occurrence>"
static bool isFingerprint(StringRef S) {
  auto [Hash, Count] = S.split(':');
  unsigned N;
  return Hash.size() == 16 &&
         all_of(Hash, [](char C) { return isDigit(C) || (C >= 'a' && C <= 'f'); }) &&
         !Count.empty() && !Count.getAsInteger(10, N) && N > 0;
}

Expected<Baseline> Baseline::read(StringRef File) {
  auto Buffer = MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read baseline '%s': %s",
                             File.str().c_str(),
                             Buffer.getError().message().c_str());
  Baseline B;
  SmallVector<StringRef, 0> Lines;
  (*Buffer)->getBuffer().split(Lines, '\n');
  for (size_t I = 0; I < Lines.size(); ++I) {
    StringRef L = Lines[I].rtrim("\r");
    if (L.trim().empty() || L.starts_with("#"))
      continue;
    StringRef FP = L.split('\t').first;
    if (!isFingerprint(FP))
      return createStringError(
          inconvertibleErrorCode(),
          "%s:%zu: not a wqcheck baseline line (expected "
          "'<fingerprint>\\t<check>\\t<path>:<line>\\t<message>', as written "
          "by --write-baseline)",
          File.str().c_str(), I + 1);
    B.Fingerprints.insert(FP);
  }
  return B;
}

std::string Baseline::render(ArrayRef<Finding> Findings) {
  std::vector<const Finding *> Sorted;
  for (const Finding &F : Findings)
    Sorted.push_back(&F);
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const Finding *A, const Finding *B) {
                     return std::tie(A->Path, A->Where.Line, A->Where.Column) <
                            std::tie(B->Path, B->Where.Line, B->Where.Column);
                   });
  std::string Out = Header;
  std::set<std::string> Written;
  for (const Finding *F : Sorted) {
    if (!Written.insert(F->Fingerprint).second)
      continue;
    std::string Message = F->Message;
    std::replace(Message.begin(), Message.end(), '\t', ' ');
    std::replace(Message.begin(), Message.end(), '\n', ' ');
    Out += F->Fingerprint + "\t" + F->CheckId + "\t" + F->Path + ":" +
           std::to_string(F->Where.Line) + "\t" + Message + "\n";
  }
  return Out;
}

} // namespace wqcheck
