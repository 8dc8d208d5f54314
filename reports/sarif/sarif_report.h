// report.sarif: the ScanResult as a SARIF 2.1.0 log for code-scanning UIs.
//
// What must stay true (uploads reject logs that break these):
//  - one run; tool.driver.rules[] has one entry per distinct Finding::rule, ids unique, each
//    with shortDescription, fullDescription and help texts; results point at rules by ruleId and
//    ruleIndex.
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

std::string RenderSarifReport(const ScanResult& result);

}  // namespace crmaudit
