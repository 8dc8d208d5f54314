// The archive's chain head: ARCHIVE/chain-head.json names the newest report folder of an
// archive written with chaining, so that deleting the newest report — which breaks no link,
// since nothing links to it yet — is noticed by `verify --chain ARCHIVE`.
//
//   {"newest":"2026-11-24T020000Z","report_sha256":"<hex of its report.json>","reports":3}
//
// Written (canonical JSON, replaced atomically) by every chained scan into a dated sub-folder,
// with chain-head.json.sig (the raw signature over its bytes, like every .sig) when the scan
// signs. Residual risk: someone who can write the archive can put back an older head (and its
// signature) together with deleting the newer folders; only a copy of the head's digest kept
// outside the archive (a ticket, a WORM store) detects that.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "reports/signing/signing_keys.h"

namespace crmaudit {

inline constexpr std::string_view kChainHeadFileName = "chain-head.json";

struct ChainHead {
  std::string newest;         // a plain sub-folder name of the archive
  std::string report_sha256;  // lower-case hex SHA-256 of newest/report.json
  uint64_t reports = 0;       // report folders in the archive when the head was written
};

std::string SerializeChainHead(const ChainHead& head);

// Throws SigningError saying what is malformed (not JSON, a field missing or of the wrong
// type, `newest` not a plain folder name, `report_sha256` not 64 hex digits).
ChainHead ParseChainHead(std::string_view json);

// The report folders of `archive`: sub-folders (not symbolic links, not hidden staging
// folders) holding a report.json, sorted by name, which for dated folders is run order.
std::vector<std::filesystem::path> ReportFoldersIn(const std::filesystem::path& archive);

// Writes ARCHIVE/chain-head.json naming the sub-folder `newest` (which must hold report.json)
// and, with `key`, ARCHIVE/chain-head.json.sig; without a key a stale .sig is removed. Returns
// the files written. Throws SigningError naming the file on failure.
std::vector<std::filesystem::path> WriteChainHead(const std::filesystem::path& archive,
                                                  const std::string& newest, const PrivateKey* key);

}  // namespace crmaudit
