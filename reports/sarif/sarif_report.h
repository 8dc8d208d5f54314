// report.sarif: the ScanResult as a SARIF 2.1.0 log for code-scanning UIs.
//
// What must stay true (uploads reject logs that break these):
//  - one run; tool.driver.rules[] has one entry per distinct Finding::rule and per control
//    check evaluated (ScanResult::controls), ids unique, sorted, each with shortDescription,
//    fullDescription and help texts; results point at rules by ruleId and ruleIndex. A control
//    check's rule renders its catalog entry (ScanResult::rules): name, shortDescription = title,
//    fullDescription = risk, tags with the category, security-severity from the check's
//    severity (raised by a finding above it), references in properties; never a title
//    re-derived here.
//  - every result has a message and locations[0].physicalLocation with a relative
//    artifactLocation.uri. A file below a source root (ScanResult::source_root_paths: the
//    repository around the target, or --sarif-root) gets the path from that root with
//    uriBaseId "%SRCROOT%", so code scanning places it on the file in the repository; other
//    files get the path under their target root. A region (startLine = the file's line, the
//    header row counted) only when Location::line is known; never a line that may be wrong.
//    Database findings get a pseudo-path `postgres/<db>/<schema>/<table>` (segments
//    percent-encoded) and a logicalLocation `db.schema.table.column`; a `postgresql://` URI
//    is never written.
//  - partialFingerprints["crmauditFindingId/v1"] is the finding id, so de-duplication
//    follows our stable fingerprints; primaryLocationLineHash is left to the uploader.
//  - baselineState: "unchanged" for findings accepted by the scan's baseline (also given an
//    external suppression), "new" for every other result; suppressed ones carry an external
//    suppression with the reason; not-assessed checks are kind "review" with level "none".
//  - each control check that passed on a target (ControlResult status pass) is one result of
//    kind "pass", level "none", located on the target (the server's pseudo-path, or the
//    folder from the source root) with partialFingerprints["crmauditControl/v1"] =
//    "RULE/TARGET"; run properties count controls passed, failed and not assessed.
//  - invocations[0].executionSuccessful is scan.complete; invocation and run properties
//    carry verdict (pass|fail|incomplete), complete and notAssessed.
//  - every string is repaired to valid UTF-8; the same ScanResult gives the same bytes.
#pragma once

#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

inline constexpr const char* kSarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
inline constexpr const char* kSarifSourceRoot = "%SRCROOT%";
inline constexpr const char* kSarifFingerprintKey = "crmauditFindingId/v1";
inline constexpr const char* kSarifControlKey = "crmauditControl/v1";

struct SarifOptions {
  // Passed control checks as kind "pass" results: the evidence an auditor asks for. GitHub code
  // scanning does not read `kind` and shows such results as alerts (microsoft/PSRule#955,
  // complytime/complyctl#868), so they are off unless asked for (`scan --sarif-passes`).
  bool include_passes = false;
};

std::string RenderSarifReport(const ScanResult& result, const SarifOptions& options = {});

}  // namespace crmaudit
