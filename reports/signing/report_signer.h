// Report signing: after the writers have produced report.json / report.html / report.sarif in
// the output folder, SignArtifacts adds
//   NAME.sig           beside each artifact: the raw signature over the file's exact bytes
//                      (Ed25519 64 bytes, ECDSA P-256 DER, RSA-PSS; see signing_keys.h)
//   report.dsse.json   a DSSE envelope, payloadType application/vnd.in-toto+json, whose
//                      payload is an in-toto Statement v1 listing every artifact's SHA-256 as a
//                      subject, with the report summary as predicate
//                      (predicateType https://crmaudit.dev/report-summary/v1)
//
// Invariants:
//  - Nothing is signed unless every artifact exists and the key loaded cleanly: on any error a
//    SigningError is thrown before the first file is written.
//  - Every file is written to a temporary name then renamed, so a crash never leaves a
//    truncated signature next to a report.
//  - Artifact names are plain file names inside out_dir (no '/', no '..').
//  - The statement is canonical JSON (sorted keys, no whitespace), so the same reports and
//    summary give the same payload bytes.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "reports/signing/signing_keys.h"

namespace crmaudit {

inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kReportPredicateType = "https://crmaudit.dev/report-summary/v1";
inline constexpr std::string_view kEnvelopeFileName = "report.dsse.json";
inline constexpr std::string_view kSignatureSuffix = ".sig";

struct SigningOutcome {
  std::vector<std::filesystem::path> files_written;  // the .sig files, then report.dsse.json
  std::string key_id;                                // hex SHA-256 of the public key DER
  std::string key_type;                              // "ed25519", ...
};

// Loads `private_key` (see PrivateKey::Load: permissions, passphrase) and signs. Load the key
// with PrivateKey::Load before a long scan and use the overload below to fail fast instead.
SigningOutcome SignArtifacts(const std::filesystem::path& out_dir,
                             const std::vector<std::string>& artifact_names,
                             const std::filesystem::path& private_key,
                             const std::string& predicate_json,
                             const PassphraseSource& passphrase = {});

SigningOutcome SignArtifacts(const std::filesystem::path& out_dir,
                             const std::vector<std::string>& artifact_names, const PrivateKey& key,
                             const std::string& predicate_json);

struct StatementSubject {
  std::string name;    // file name relative to the report folder
  std::string sha256;  // lower-case hex
};

// The in-toto Statement v1 bytes for these subjects and predicate (a JSON object as text).
// Throws SigningError when predicate_json is not a JSON object.
std::string BuildStatement(const std::vector<StatementSubject>& subjects,
                           const std::string& predicate_json);

// True when `name` is a plain file name: non-empty, no '/', not "." or "..".
bool IsPlainFileName(std::string_view name);

}  // namespace crmaudit
