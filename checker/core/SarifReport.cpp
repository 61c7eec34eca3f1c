//===- SarifReport.cpp - the --format=sarif report (SARIF 2.1.0) ----------===//
//
// One run: tool.driver lists every check as a rule (id, descriptions from
// Checks.def and the check's doc page, helpUri to docs/checks/<id>.md);
// each finding is a result with its location, its notes as
// relatedLocations, its fix-its as fixes and its fingerprint as a
// partialFingerprint.  Paths below the source root are relative to the
// uriBaseId SRCROOT, which is what code-scanning services expect.
//
//===----------------------------------------------------------------------===//
#include "core/CheckRegistry.h"
#include "core/Report.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace llvm;
namespace path = llvm::sys::path;

namespace wqcheck {

/// docs/checks/ of the source tree this file was compiled from.
static std::string docsDir() {
  SmallString<256> Dir(__FILE__); // .../checker/core/SarifReport.cpp
  for (int I = 0; I < 3; ++I)
    path::remove_filename(Dir);
  path::append(Dir, "docs", "checks");
  return std::string(Dir);
}

/// A file: URI for an absolute path, percent-encoding what URIs reserve.
static std::string fileURI(StringRef Path, bool Directory = false) {
  std::string URI = "file://";
  for (char C : path::convert_to_slash(Path)) {
    if (isAlnum(C) || StringRef("/-._~").contains(C))
      URI += C;
    else
      URI += "%" + utohexstr(static_cast<unsigned char>(C), false, 2);
  }
  if (Directory && !StringRef(URI).ends_with("/"))
    URI += '/';
  return URI;
}

/// The doc page of a check, and its first paragraph after the title.
struct CheckDoc {
  std::string Page, Summary;
};
static CheckDoc readDoc(StringRef Id) {
  SmallString<256> File(docsDir());
  path::append(File, Id + ".md");
  auto Buffer = MemoryBuffer::getFile(File);
  if (!Buffer)
    return {};
  CheckDoc Doc;
  Doc.Page = (*Buffer)->getBuffer().str();
  StringRef Rest = (*Buffer)->getBuffer();
  // Skip the "# id" title and blank lines; take lines up to a blank one.
  SmallVector<StringRef, 0> Lines;
  Rest.split(Lines, '\n');
  bool InParagraph = false;
  for (StringRef L : Lines) {
    L = L.trim();
    if (!InParagraph) {
      if (L.empty() || L.starts_with("#"))
        continue;
      InParagraph = true;
    } else if (L.empty()) {
      break;
    }
    if (!Doc.Summary.empty())
      Doc.Summary += ' ';
    Doc.Summary += L.str();
  }
  return Doc;
}

namespace {
/// Turns positions into SARIF locations relative to one SRCROOT.
struct Locator {
  std::string Root; // "" when nothing is below a source root

  json::Object artifact(StringRef File) const {
    std::string Rel = relativeTo(File, Root);
    if (!Root.empty() && Rel != File)
      return json::Object{{"uri", Rel}, {"uriBaseId", "SRCROOT"}};
    return json::Object{{"uri", fileURI(File)}};
  }

  json::Object physical(const Position &P) const {
    return json::Object{
        {"artifactLocation", artifact(P.File)},
        {"region",
         json::Object{{"startLine", P.Line}, {"startColumn", P.Column}}}};
  }
};
} // namespace

json::Value sarifReport(ArrayRef<Finding> Findings, const SarifOptions &Opts) {
  std::string DocsURL =
      Opts.DocsURL.empty() ? fileURI(docsDir(), /*Directory=*/true)
                           : Opts.DocsURL;
  json::Array Rules;
  std::map<std::string, unsigned> RuleIndex;
  for (const CheckInfo &C : allChecks()) {
    CheckDoc Doc = readDoc(C.Id);
    std::string HelpURI = DocsURL + C.Id.str() + ".md";
    json::Object Rule{
        {"id", C.Id},
        {"shortDescription", json::Object{{"text", C.Summary}}},
        {"fullDescription",
         json::Object{{"text", Doc.Summary.empty() ? C.Summary.str()
                                                   : Doc.Summary}}},
        {"helpUri", HelpURI},
        {"defaultConfiguration", json::Object{{"level", "warning"}}}};
    // Code-scanning services show "help" on each alert: the doc page when
    // this build can read it, else the summary and the link.
    std::string Help = Doc.Page.empty()
                           ? (C.Summary + ". See " + HelpURI + ".").str()
                           : Doc.Page;
    Rule["help"] = json::Object{{"text", Help}, {"markdown", Help}};
    RuleIndex[C.Id.str()] = Rules.size();
    Rules.push_back(std::move(Rule));
  }

  Locator Loc;
  for (const Finding &F : Findings)
    if (!(Loc.Root = sourceRootOf(F.Where.File, Opts.Root)).empty())
      break;

  json::Array Results;
  for (const Finding &F : Findings) {
    json::Object R{{"ruleId", F.CheckId},
                   {"level", F.Possible ? "note" : "warning"},
                   {"message", json::Object{{"text", F.Message}}},
                   {"locations",
                    json::Array{json::Object{
                        {"physicalLocation", Loc.physical(F.Where)}}}}};
    if (auto It = RuleIndex.find(F.CheckId); It != RuleIndex.end())
      R["ruleIndex"] = It->second;
    if (!F.Fingerprint.empty())
      R["partialFingerprints"] =
          json::Object{{"wqcheck/v1", F.Fingerprint}};
    if (Opts.AgainstBaseline)
      R["baselineState"] = "new";
    if (!F.Notes.empty()) {
      json::Array Related;
      for (const FindingNote &N : F.Notes)
        Related.push_back(
            json::Object{{"id", static_cast<int64_t>(Related.size() + 1)},
                         {"message", json::Object{{"text", N.Message}}},
                         {"physicalLocation", Loc.physical(N.Where)}});
      R["relatedLocations"] = std::move(Related);
    }
    if (!F.Fixes.empty()) {
      // One fix (all fix-its of the finding apply together), its
      // replacements grouped by file.
      std::map<std::string, json::Array> ByFile;
      for (const FindingFix &X : F.Fixes)
        ByFile[X.Begin.File].push_back(json::Object{
            {"deletedRegion",
             json::Object{{"startLine", X.Begin.Line},
                          {"startColumn", X.Begin.Column},
                          {"endLine", X.End.Line},
                          {"endColumn", X.End.Column}}},
            {"insertedContent", json::Object{{"text", X.Replacement}}}});
      json::Array Changes;
      for (auto &[File, Replacements] : ByFile)
        Changes.push_back(
            json::Object{{"artifactLocation", Loc.artifact(File)},
                         {"replacements", std::move(Replacements)}});
      R["fixes"] = json::Array{json::Object{
          {"description", json::Object{{"text", "apply wqcheck's fix-it"}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Results.push_back(std::move(R));
  }

  json::Object Run{
      {"tool",
       json::Object{{"driver",
                     json::Object{{"name", "wqcheck"},
                                  {"version", WQCHECK_VERSION},
                                  {"semanticVersion", WQCHECK_VERSION},
                                  {"informationUri", DocsURL},
                                  {"rules", std::move(Rules)}}}}},
      {"results", std::move(Results)}};
  if (!Loc.Root.empty())
    Run["originalUriBaseIds"] = json::Object{
        {"SRCROOT",
         json::Object{{"uri", fileURI(Loc.Root, /*Directory=*/true)}}}};
  return json::Object{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::Array{std::move(Run)}}};
}

} // namespace wqcheck
