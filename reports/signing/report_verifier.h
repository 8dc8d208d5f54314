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
//  - no report artifact, .sig, envelope or subject is a symbolic link: links are never
//    followed (a report.json pointing at ../elsewhere or /dev/zero is a failure);
//  - every other entry of the folder is named as a warning ("not listed in report.dsse.json,
//    not verified"); with VerifyOptions::strict a warning is a failure.
// A single file verifies when FILE.sig matches and, when report.dsse.json lies beside it, the
// envelope is authentic and lists FILE with its SHA-256; without an envelope a warning says
// that only the .sig was checked.
// An archive verifies when every folder does and each report.json's
// scan.chain.previous_sha256 equals the SHA-256 of the previous folder's report.json (the
// first folder's link points outside the set and is not checked). Its chain head
// (reports/signing/chain_head.h) is checked separately, by VerifyChainHead.
//
// What this proves: who wrote the files (the key) and that they are unchanged. Not that a
// folder holds the newest report: an older report signed with the same key verifies too, so
// freshness needs the archive chain and its head.
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

// One outcome line. Format(): "OK  report.json (ed25519, key 0123456789abcdef)",
// "WARN evil.html: not listed in report.dsse.json, not verified" or
// "FAIL report.html: signature does not match". A warning under --strict is a failure
// (ok false, warning true) and prints as FAIL.
struct VerifyLine {
  bool ok = false;
  std::string subject;  // file name (prefixed by the folder in archive output)
  std::string detail;
  bool warning = false;
  std::string Format() const;
};

struct VerifyReport {
  std::vector<VerifyLine> lines;
  bool ok() const;
  size_t failures() const;
  size_t warnings() const;  // warnings that are not failures
};

struct VerifyOptions {
  bool strict = false;  // --strict: warnings are failures
};

VerifyReport VerifyReportDirectory(const std::filesystem::path& dir, const PublicKey& key,
                                   const VerifyOptions& options = {});

// FILE against FILE.sig (FILE may also be given as FILE.sig), and against report.dsse.json
// when it lies beside FILE. A *.dsse.json envelope without a .sig is verified as an envelope,
// with its subjects resolved beside it. A FILE that is a symbolic link is a failure line; one
// that does not exist or is not a regular file throws SigningError.
VerifyReport VerifySignedFile(const std::filesystem::path& file, const PublicKey& key,
                              const VerifyOptions& options = {});

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
                                 const PublicKey& key, const VerifyOptions& options = {});

// True when `argument` is an archive folder (a folder of report folders) rather than a
// report folder, as ExpandArchiveFolders reads it.
bool IsArchiveFolder(const std::filesystem::path& argument);

// The archive's chain-head.json (reports/signing/chain_head.h): when present, its signature
// and that the report folder it names as newest holds a report.json with its SHA-256 (and
// that no newer folder exists); when absent but the folders were written with chaining, a
// warning (a failure with strict), since deleting the newest report then goes unnoticed.
VerifyReport VerifyChainHead(const std::filesystem::path& archive, const PublicKey& key,
                             const VerifyOptions& options = {});

}  // namespace crmaudit
