// report.sarif: the ScanResult as a SARIF 2.1.0 log for code-scanning UIs.
//
// What must stay true (uploads reject logs that break these):
//  - one run; tool.driver.rules[] has one entry per distinct Finding::rule, ids unique, each
//    with shortDescription, fullDescription and help texts; results point at rules by ruleId and
//    ruleIndex.
//  - every result has a message and locations[0].physicalLocation with a relative
//    artifactLocation.uri and a region with startLine >= 1 and endColumn >= 2. Database
//    findings get a pseudo-path `postgres/<db>/<schema>/<table>` (segments percent-encoded) and
//    a logicalLocation `db.schema.table.column`; a `postgresql://` URI is never written.
//  - partialFingerprints.primaryLocationLineHash is the finding id, so de-duplication follows
//    our stable fingerprints, never line numbers.
//  - baselined findings stay in with baselineState "unchanged", suppressed ones with an
//    external suppression carrying the reason; not-assessed checks are kind "review" with
//    level "none". invocations[0].executionSuccessful is scan.complete.
//  - every string is repaired to valid UTF-8; the same ScanResult gives the same bytes.
#pragma once

#include <string>

#include "scanner/model/scan_result.h"

namespace crmaudit {

inline constexpr const char* kSarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

std::string RenderSarifReport(const ScanResult& result);

}  // namespace crmaudit
