//===- CrossFile.h - findings that other files decide ------------*- C++ -*-===//
//
// `wqcheck report --db=PATH`: reads the facts every unit of a build stored
// (db/SummaryDB.h) and reports what no single file shows.  Today:
// wq-sleep-in-atomic through calls between files -- an atomic caller
// (a region held at a call, or a callback registered to run in atomic
// context) in one file reaching a sleep in another, also through a gfp_t
// parameter passed down and through the ops tables of other files.  Each
// such finding is reported once, at the call where the sleep is decided
// (the sleeping call, or the call that passes sleeping gfp flags), with
// notes from the atomic caller down the chain; the per-file findings of the
// kbuild pass are not repeated.  docs/design.md, "Whole-build knowledge".
//
//===----------------------------------------------------------------------===//
#ifndef WQCHECK_DB_CROSSFILE_H
#define WQCHECK_DB_CROSSFILE_H

#include "core/Finding.h"
#include "core/Options.h"
#include "db/Facts.h"
#include <vector>

namespace wqcheck {

/// The findings the facts of Units show together, for the checks Checks
/// enables, sorted by place.  At ReportLevel::Evidence, without those that
/// rest on a path the report does not follow (Finding::Possible, whose last
/// note says why).
std::vector<Finding> crossFileFindings(const std::vector<UnitFacts> &Units,
                                       const CheckFilter &Checks,
                                       ReportLevel Level);

} // namespace wqcheck

#endif
