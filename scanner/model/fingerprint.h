// Fingerprints: stable identifiers for findings, and keyed fingerprints for values.
//
// FindingId depends only on the rule and the *logical* location: target kind, the file's
// identity path (Location::identity_path: the target's folder name and the path below it,
// `exports/export-{date}.csv`, set by the scan so that two files of one scan never share
// it), or failing that the relative path with date stamps in the file name normalised,
// database/schema/table/column and the location's `extra` facts. It never depends on row
// numbers, absolute paths, the target id or the scan time, so baselines survive re-exports
// (`export-2026-01.csv` this month, `export-2026-02.csv` the next) and moved parent folders.
//
// KeyedValueFingerprint is HMAC-SHA-256 under a secret key: a plain hash of a phone number
// or an ID number is brute-forceable, so a bare hash of a scanned value is never written.
#pragma once

#include <string>
#include <string_view>

#include "scanner/model/finding.h"

namespace crmaudit {

// Replaces date stamps and timestamps (2026-01-31, 2026_01, 20260131, 2026-03-15T0200Z,
// 20260315-0200, 2026-03-15_02-00-00...) in the base name of a '/'-separated relative path
// with "{date}".
std::string NormalizeDateStamps(std::string_view relative_path);

// "crm-" + 16 hex characters of SHA-256 over the rule and the logical location.
std::string FindingId(std::string_view rule, const Location& location);

// An id for one of several files whose findings got the same `id`: "crm-" + 16 hex
// characters of SHA-256 over that id and the file's full identity path.
std::string SeparatedFindingId(std::string_view id, std::string_view identity_path);

// Lower-case hex SHA-256 of bytes that are not personal data (report files, pack files).
std::string Sha256Hex(std::string_view bytes);

// Lower-case hex HMAC-SHA-256(key, value).
std::string KeyedValueFingerprint(std::string_view key, std::string_view value);

}  // namespace crmaudit
