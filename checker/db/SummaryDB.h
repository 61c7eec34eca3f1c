//===- SummaryDB.h - the cross-file summaries in SQLite ----------*- C++ -*-===//
//
// One SQLite file holds the facts (db/Facts.h) of every unit checked with
// --db=PATH.  Each unit's rows are replaced in one transaction when it is
// checked again (make C=1 re-checks changed files only), so the database
// is always the last word of each file.  Parallel writers (make -j) are
// serialised by SQLite: WAL journal, BEGIN IMMEDIATE, a busy timeout.
// Schema: docs/design.md, "Whole-build knowledge".
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_DB_SUMMARYDB_H
#define WQCHECK_DB_SUMMARYDB_H

#include "db/Facts.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace wqcheck {

/// Replaces the rows of Facts.Unit in the database at Path (created if
/// missing).
llvm::Error storeUnit(llvm::StringRef Path, const UnitFacts &Facts);

/// Every unit of the database at Path, which must exist.
llvm::Expected<std::vector<UnitFacts>> loadUnits(llvm::StringRef Path);

/// Copies every unit of each of Inputs into Out (created if missing); a
/// unit present in several keeps the rows of the last input holding it.
llvm::Error mergeDatabases(llvm::StringRef Out,
                           llvm::ArrayRef<std::string> Inputs);

} // namespace wqcheck

#endif
