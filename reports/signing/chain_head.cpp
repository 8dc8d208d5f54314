#include "reports/signing/chain_head.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "reports/signing/crypto_util.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {

namespace fs = std::filesystem;

std::string SerializeChainHead(const ChainHead& head) {
  nlohmann::json json = {
      {"newest", head.newest}, {"report_sha256", head.report_sha256}, {"reports", head.reports}};
  return json.dump();  // sorted keys, no whitespace
}

ChainHead ParseChainHead(std::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) throw SigningError("not a JSON object");
  ChainHead head;
  if (!json.contains("newest") || !json["newest"].is_string() ||
      !IsPlainFileName(json["newest"].get<std::string>())) {
    throw SigningError("\"newest\" is not a folder name");
  }
  head.newest = json["newest"].get<std::string>();
  if (!json.contains("report_sha256") || !json["report_sha256"].is_string()) {
    throw SigningError("\"report_sha256\" is missing");
  }
  head.report_sha256 = json["report_sha256"].get<std::string>();
  if (head.report_sha256.size() != 64 ||
      !std::all_of(head.report_sha256.begin(), head.report_sha256.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    throw SigningError("\"report_sha256\" is not 64 lower-case hex digits");
  }
  if (!json.contains("reports") || !json["reports"].is_number_unsigned()) {
    throw SigningError("\"reports\" is not a count");
  }
  head.reports = json["reports"].get<uint64_t>();
  return head;
}

std::vector<fs::path> ReportFoldersIn(const fs::path& archive) {
  std::vector<fs::path> folders;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(archive, error)) {
    std::error_code ignored;
    // A linked folder is not a run this archive holds; hidden ones are staging folders
    // (reports/output/report_writer.h).
    if (!entry.is_directory(ignored) || entry.is_symlink(ignored) ||
        entry.path().filename().string().rfind('.', 0) == 0) {
      continue;
    }
    if (fs::is_regular_file(fs::symlink_status(entry.path() / "report.json", ignored))) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return folders;
}

std::vector<fs::path> WriteChainHead(const fs::path& archive, const std::string& newest,
                                     const PrivateKey* key) {
  if (!IsPlainFileName(newest)) throw SigningError("chain head: not a folder name: " + newest);
  ChainHead head;
  head.newest = newest;
  head.report_sha256 = crypto::Sha256Hex(crypto::ReadFileBytes(archive / newest / "report.json"));
  head.reports = ReportFoldersIn(archive).size();
  const std::string bytes = SerializeChainHead(head);
  const fs::path file = archive / kChainHeadFileName;
  fs::path signature = file;
  signature += kSignatureSuffix;
  std::vector<fs::path> written;
  crypto::WriteFileAtomically(file, bytes);
  written.push_back(file);
  if (key != nullptr) {
    crypto::WriteFileAtomically(signature, key->Sign(bytes));
    written.push_back(signature);
  } else {
    // An unsigned head beside the signature of an earlier one would read as tampering.
    std::error_code ignored;
    fs::remove(signature, ignored);
  }
  return written;
}

}  // namespace crmaudit
