//===- ChangedLines.cpp ---------------------------------------------------===//
#include "tool/ChangedLines.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace llvm;

namespace wqcheck {

/// "@@ -a[,b] +c[,d] @@ ..." -> c, b and d (1 when omitted); false if Line
/// is not a hunk header.
static bool hunkHeader(StringRef Line, unsigned &NewLine, unsigned &OldCount,
                       unsigned &NewCount) {
  if (!Line.consume_front("@@ -"))
    return false;
  auto Range = [](StringRef R, unsigned &Start, unsigned &Count) {
    auto [S, C] = R.split(',');
    Count = 1;
    return !S.getAsInteger(10, Start) &&
           (C.empty() || !C.getAsInteger(10, Count));
  };
  auto [Old, Rest] = Line.split(" +");
  StringRef New = Rest.take_until([](char C) { return C == ' '; });
  unsigned OldStart;
  return Range(Old, OldStart, OldCount) && Range(New, NewLine, NewCount);
}

Expected<ChangedLines> ChangedLines::read(StringRef File) {
  auto Buffer = MemoryBuffer::getFile(File, /*IsText=*/true);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read diff '%s': %s",
                             File.str().c_str(),
                             Buffer.getError().message().c_str());
  ChangedLines Result;
  StringRef Text = (*Buffer)->getBuffer();
  SmallVector<StringRef, 0> Lines;
  Text.split(Lines, '\n');
  std::set<unsigned> *Current = nullptr; // null: /dev/null or before a file
  bool SawFile = false;
  unsigned NewLine = 0, OldLeft = 0, NewLeft = 0; // inside a hunk: Left > 0
  for (StringRef L : Lines) {
    L = L.rtrim("\r");
    if (OldLeft || NewLeft) {
      if (L.starts_with("+")) {
        if (Current)
          Current->insert(NewLine);
        ++NewLine, NewLeft -= NewLeft > 0;
      } else if (L.starts_with("-")) {
        OldLeft -= OldLeft > 0;
      } else if (!L.starts_with("\\")) { // "\ No newline at end of file"
        ++NewLine, NewLeft -= NewLeft > 0, OldLeft -= OldLeft > 0;
      }
      continue;
    }
    if (L.starts_with("+++ ")) {
      SawFile = true;
      StringRef Path = L.drop_front(4).split('\t').first.rtrim();
      if (Path == "/dev/null") {
        Current = nullptr;
        continue;
      }
      Path.consume_front("b/");
      Current = &Result.Added[Path];
      continue;
    }
    hunkHeader(L, NewLine, OldLeft, NewLeft);
  }
  if (!SawFile && !Text.trim().empty())
    return createStringError(inconvertibleErrorCode(),
                             "'%s' is not a unified diff (no '+++ ' file "
                             "header; make it with 'git diff -U0')",
                             File.str().c_str());
  return Result;
}

bool ChangedLines::contains(const Finding &F) const {
  for (StringRef Path : {StringRef(F.Path), StringRef(F.Where.File)}) {
    auto It = Added.find(Path);
    if (It != Added.end() && It->second.count(F.Where.Line))
      return true;
  }
  return false;
}

} // namespace wqcheck
