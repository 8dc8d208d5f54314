// Report verification: checks a signed report folder, a single signed file, or an archive of
// report folders linked by scan.chain.previous_sha256, against one public key.
//
// A report folder verifies when:
//  - every NAME.sig is a valid signature of NAME's exact bytes;
//  - report.dsse.json exists, its payloadType is exactly application/vnd.in-toto+json, its
//    signature over the PAE is valid, and its payload is an in-toto Statement v1;
//  - every statement subject is a plain file name present in the folder with that SHA-256;
//  - every report artifact present (report.json, report.html, report.sarif) has a .sig and is
//    a subject of the statement — a report nobody signed is a failure, not a skip.
// An archive verifies when every folder does and each report.json's
// scan.chain.previous_sha256 equals the SHA-256 of the previous folder's report.json (the
// first folder's link points outside the set and is not checked).
//
// Mismatches are results (VerifyReport lines), never exceptions. SigningError is thrown only
// when verification cannot start: a folder or file that does not exist or cannot be listed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reports/signing/signing_keys.h"

namespace crmaudit {

// One outcome line. Format(): "OK  report.json (ed25519, key 0123456789abcdef)" or
// "FAIL report.html: signature does not match".
struct VerifyLine {
  bool ok = false;
  std::string subject;  // file name (prefixed by the folder in archive output)
  std::string detail;
  std::string Format() const;
};

struct VerifyReport {
  std::vector<VerifyLine> lines;
  bool ok() const;
  size_t failures() const;
};

VerifyReport VerifyReportDirectory(const std::filesystem::path& dir, const PublicKey& key);

// FILE against FILE.sig (FILE may also be given as FILE.sig). A *.dsse.json envelope without
// a .sig is verified as an envelope, with its subjects resolved beside it.
VerifyReport VerifySignedFile(const std::filesystem::path& file, const PublicKey& key);

// Report folders in chain order: an argument holding report.json is taken as is; any other
// folder stands for its sub-folders, sorted by name (dated folder names sort by date).
std::vector<std::filesystem::path> ExpandArchiveFolders(
    const std::vector<std::filesystem::path>& arguments);

struct ArchiveReport {
  std::vector<std::filesystem::path> folders;
  std::vector<VerifyReport> folder_reports;  // parallel to folders
  // "chain broken at DIR3: previous_sha256 does not match DIR2/report.json"; the first only.
  std::optional<std::string> chain_break;
  bool ok() const;
};

ArchiveReport VerifyArchiveChain(const std::vector<std::filesystem::path>& folders,
                                 const PublicKey& key);

}  // namespace crmaudit
