//===- JsonReport.cpp - the --format=json report --------------------------===//
#include "core/Report.h"

using namespace llvm;

namespace wqcheck {

std::optional<ReportFormat> parseReportFormat(StringRef Name) {
  if (Name == "text")
    return ReportFormat::Text;
  if (Name == "json")
    return ReportFormat::Json;
  if (Name == "sarif")
    return ReportFormat::Sarif;
  return std::nullopt;
}

StringRef extensionOf(ReportFormat F) {
  switch (F) {
  case ReportFormat::Text:
    return "txt";
  case ReportFormat::Json:
    return "json";
  case ReportFormat::Sarif:
    return "sarif";
  }
  return "";
}

static json::Object position(const Position &P) {
  return json::Object{{"file", P.File}, {"line", P.Line}, {"column", P.Column}};
}

json::Value jsonReport(ArrayRef<Finding> Findings) {
  json::Array All;
  for (const Finding &F : Findings) {
    json::Object O = position(F.Where);
    O["check"] = F.CheckId;
    O["message"] = F.Message;
    O["level"] = F.Possible ? "possible" : "evidence";
    O["path"] = F.Path;
    O["function"] = F.Function;
    O["fingerprint"] = F.Fingerprint;
    json::Array Notes;
    for (const FindingNote &N : F.Notes) {
      json::Object NO = position(N.Where);
      NO["message"] = N.Message;
      Notes.push_back(std::move(NO));
    }
    O["notes"] = std::move(Notes);
    json::Array Fixes;
    for (const FindingFix &X : F.Fixes) {
      json::Object XO = position(X.Begin);
      XO["endLine"] = X.End.Line;
      XO["endColumn"] = X.End.Column;
      XO["replacement"] = X.Replacement;
      Fixes.push_back(std::move(XO));
    }
    O["fixes"] = std::move(Fixes);
    All.push_back(std::move(O));
  }
  return All;
}

} // namespace wqcheck
