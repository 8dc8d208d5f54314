#include "reports/signing/report_verifier.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "reports/signing/crypto_util.h"
#include "reports/signing/dsse.h"
#include "reports/signing/report_signer.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

// The artifacts a scan writes; any of them present in a folder must be signed.
constexpr std::array<std::string_view, 3> kReportArtifacts = {"report.json", "report.html",
                                                              "report.sarif"};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string KeyLabel(const PublicKey& key) { return key.TypeName() + ", key " + key.ShortKeyId(); }

void Pass(VerifyReport& report, std::string subject, std::string detail) {
  report.lines.push_back({true, std::move(subject), std::move(detail)});
}

void Fail(VerifyReport& report, std::string subject, std::string detail) {
  report.lines.push_back({false, std::move(subject), std::move(detail)});
}

// Verifies `artifact` (a name inside `dir`) against `artifact`.sig.
void CheckDetachedSignature(const fs::path& dir, const std::string& artifact, const PublicKey& key,
                            VerifyReport& report) {
  std::string bytes;
  std::string signature;
  try {
    bytes = crypto::ReadFileBytes(dir / artifact);
    signature = crypto::ReadFileBytes(dir / (artifact + std::string(kSignatureSuffix)));
  } catch (const SigningError& error) {
    Fail(report, artifact, error.what());
    return;
  }
  if (key.Verify(bytes, signature)) {
    Pass(report, artifact, KeyLabel(key));
  } else {
    Fail(report, artifact, "signature does not match");
  }
}

// Checks the envelope `envelope_name` in `dir` and the files its statement names. Returns the
// subject names when the envelope itself is authentic, nullopt otherwise.
std::optional<std::set<std::string>> CheckEnvelope(const fs::path& dir,
                                                   const std::string& envelope_name,
                                                   const PublicKey& key, VerifyReport& report) {
  DsseEnvelope envelope;
  try {
    envelope = ParseEnvelope(crypto::ReadFileBytes(dir / envelope_name));
  } catch (const SigningError& error) {
    Fail(report, envelope_name, std::string("not a valid DSSE envelope (") + error.what() + ")");
    return std::nullopt;
  }
  if (envelope.payload_type != kInTotoPayloadType) {
    Fail(report, envelope_name,
         "payloadType \"" + envelope.payload_type + "\" is not " + std::string(kInTotoPayloadType));
    return std::nullopt;
  }
  DsseVerdict verdict =
      VerifyEnvelope(envelope, {{key.KeyId(), key}}, 1, {std::string(kInTotoPayloadType)});
  if (!verdict.accepted) {
    std::string detail = verdict.reason;
    bool signed_by_other = !envelope.signatures.empty() &&
                           std::none_of(envelope.signatures.begin(), envelope.signatures.end(),
                                        [&](const DsseSignature& s) {
                                          return s.keyid.empty() || s.keyid == key.KeyId();
                                        });
    if (signed_by_other) {
      detail += " (signed by key " + envelope.signatures.front().keyid.substr(0, 16) +
                ", not by the given key " + key.ShortKeyId() + ")";
    }
    Fail(report, envelope_name, detail);
    return std::nullopt;
  }

  nlohmann::json statement = nlohmann::json::parse(envelope.payload, nullptr, false);
  auto not_a_statement = [&](const std::string& why) {
    Fail(report, envelope_name, "payload is not an in-toto Statement v1 (" + why + ")");
    return std::nullopt;
  };
  if (statement.is_discarded() || !statement.is_object()) return not_a_statement("not JSON");
  if (statement.value("_type", "") != kStatementType) return not_a_statement("wrong _type");
  auto subjects = statement.find("subject");
  if (subjects == statement.end() || !subjects->is_array()) {
    return not_a_statement("no subject list");
  }

  std::set<std::string> names;
  size_t failures_before = report.failures();
  for (const auto& subject : *subjects) {
    const nlohmann::json* digest = nullptr;
    if (subject.is_object() && subject.contains("digest") && subject["digest"].is_object()) {
      digest = &subject["digest"];
    }
    if (!subject.is_object() || !subject.contains("name") || !subject["name"].is_string() ||
        digest == nullptr || !digest->contains("sha256") || !(*digest)["sha256"].is_string()) {
      return not_a_statement("a subject lacks a name or a sha256 digest");
    }
    std::string name = subject["name"].get<std::string>();
    std::string expected = (*digest)["sha256"].get<std::string>();
    std::transform(expected.begin(), expected.end(), expected.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!IsPlainFileName(name)) {
      Fail(report, envelope_name, "subject \"" + name + "\" is not a plain file name");
      continue;
    }
    names.insert(name);
    std::error_code error;
    if (!fs::is_regular_file(dir / name, error)) {
      Fail(report, name, "listed in " + envelope_name + " but missing");
      continue;
    }
    try {
      if (crypto::Sha256Hex(crypto::ReadFileBytes(dir / name)) != expected) {
        Fail(report, name, "sha256 does not match the " + envelope_name + " statement");
      }
    } catch (const SigningError& read_error) {
      Fail(report, name, read_error.what());
    }
  }
  if (report.failures() == failures_before) {
    Pass(report, envelope_name, KeyLabel(key) + ", " + std::to_string(names.size()) + " subjects");
  }
  return names;
}

std::vector<std::string> ListFiles(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw SigningError("cannot read directory " + dir.string() + ": " +
                       (error ? error.message() : std::string("not a directory")));
  }
  std::vector<std::string> names;
  try {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
    }
  } catch (const fs::filesystem_error& list_error) {
    throw SigningError("cannot read directory " + dir.string() + ": " +
                       list_error.code().message());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string VerifyLine::Format() const {
  if (ok) return "OK  " + subject + (detail.empty() ? "" : " (" + detail + ")");
  return "FAIL " + subject + ": " + detail;
}

bool VerifyReport::ok() const { return !lines.empty() && failures() == 0; }

size_t VerifyReport::failures() const {
  return static_cast<size_t>(
      std::count_if(lines.begin(), lines.end(), [](const VerifyLine& line) { return !line.ok; }));
}

VerifyReport VerifyReportDirectory(const fs::path& dir, const PublicKey& key) {
  const std::vector<std::string> files = ListFiles(dir);
  const std::set<std::string> present(files.begin(), files.end());
  VerifyReport report;

  for (const auto& name : files) {
    if (!EndsWith(name, kSignatureSuffix)) continue;
    std::string artifact = name.substr(0, name.size() - kSignatureSuffix.size());
    if (!present.contains(artifact)) {
      Fail(report, artifact, "signature " + name + " present but the file is missing");
      continue;
    }
    CheckDetachedSignature(dir, artifact, key, report);
  }

  const std::string envelope_name(kEnvelopeFileName);
  std::optional<std::set<std::string>> subjects;
  if (present.contains(envelope_name)) {
    subjects = CheckEnvelope(dir, envelope_name, key, report);
  }

  bool any_artifact = false;
  for (std::string_view artifact_view : kReportArtifacts) {
    std::string artifact(artifact_view);
    if (!present.contains(artifact)) continue;
    any_artifact = true;
    if (!present.contains(artifact + std::string(kSignatureSuffix))) {
      Fail(report, artifact, "not signed (" + artifact + ".sig is missing)");
    }
    if (subjects && !subjects->contains(artifact)) {
      Fail(report, artifact, "not listed in " + envelope_name);
    }
  }
  if (any_artifact && !present.contains(envelope_name)) {
    Fail(report, envelope_name, "missing, so nothing binds the reports together");
  }
  if (report.lines.empty()) {
    Fail(report, "report.json", "missing (no signed reports in this folder)");
  }
  return report;
}

VerifyReport VerifySignedFile(const fs::path& file_argument, const PublicKey& key) {
  fs::path file = file_argument;
  std::string name = file.filename().string();
  if (EndsWith(name, kSignatureSuffix) && name.size() > kSignatureSuffix.size()) {
    file.replace_filename(name.substr(0, name.size() - kSignatureSuffix.size()));
    name = file.filename().string();
  }
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    throw SigningError("cannot read " + file.string() + ": " +
                       (error ? error.message() : std::string("not a regular file")));
  }
  fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  VerifyReport report;
  fs::path signature = file;
  signature += kSignatureSuffix;
  if (fs::exists(signature, error)) {
    CheckDetachedSignature(dir, name, key, report);
  } else if (EndsWith(name, ".dsse.json")) {
    CheckEnvelope(dir, name, key, report);
  } else {
    Fail(report, name, "not signed (" + name + ".sig is missing)");
  }
  return report;
}

std::vector<fs::path> ExpandArchiveFolders(const std::vector<fs::path>& arguments) {
  std::vector<fs::path> folders;
  for (const auto& argument : arguments) {
    std::error_code error;
    if (!fs::is_directory(argument, error)) {
      throw SigningError("cannot read directory " + argument.string() + ": " +
                         (error ? error.message() : std::string("not a directory")));
    }
    if (fs::exists(argument / "report.json", error)) {
      folders.push_back(argument);
      continue;
    }
    std::vector<fs::path> children;
    try {
      for (const auto& entry : fs::directory_iterator(argument)) {
        // Hidden folders are not runs: a scan in progress stages its run folder as
        // .crmaudit-staging-* (reports/output/report_writer.h).
        if (entry.is_directory() && entry.path().filename().string().rfind('.', 0) != 0) {
          children.push_back(entry.path());
        }
      }
    } catch (const fs::filesystem_error& list_error) {
      throw SigningError("cannot read directory " + argument.string() + ": " +
                         list_error.code().message());
    }
    std::sort(children.begin(), children.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    if (children.empty()) {
      throw SigningError(argument.string() + " holds neither report.json nor report folders");
    }
    folders.insert(folders.end(), children.begin(), children.end());
  }
  return folders;
}

bool ArchiveReport::ok() const {
  return !chain_break && !folder_reports.empty() &&
         std::all_of(folder_reports.begin(), folder_reports.end(),
                     [](const VerifyReport& report) { return report.ok(); });
}

ArchiveReport VerifyArchiveChain(const std::vector<fs::path>& folders, const PublicKey& key) {
  ArchiveReport archive;
  archive.folders = folders;
  std::optional<std::string> previous_sha256;
  fs::path previous_folder;
  for (size_t i = 0; i < folders.size(); ++i) {
    const fs::path& folder = folders[i];
    archive.folder_reports.push_back(VerifyReportDirectory(folder, key));
    if (archive.chain_break) continue;  // keep checking signatures; report the first break only

    auto broken = [&](const std::string& why) {
      archive.chain_break = "chain broken at " + folder.string() + ": " + why;
    };
    std::string bytes;
    try {
      bytes = crypto::ReadFileBytes(folder / "report.json");
    } catch (const SigningError&) {
      broken("report.json is missing or unreadable");
      continue;
    }
    nlohmann::json report = nlohmann::json::parse(bytes, nullptr, false);
    if (report.is_discarded() || !report.is_object()) {
      broken("report.json is not valid JSON");
      continue;
    }
    std::optional<std::string> link;
    const auto pointer = nlohmann::json::json_pointer("/scan/chain/previous_sha256");
    if (report.contains(pointer) && report[pointer].is_string()) {
      link = report[pointer].get<std::string>();
      std::transform(link->begin(), link->end(), link->begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    if (i > 0) {
      std::string previous_report = (previous_folder / "report.json").string();
      if (!link) {
        broken("report.json has no scan.chain.previous_sha256 (expected the SHA-256 of " +
               previous_report + ")");
      } else if (*link != *previous_sha256) {
        broken("previous_sha256 does not match " + previous_report);
      }
    }
    previous_sha256 = crypto::Sha256Hex(bytes);
    previous_folder = folder;
  }
  return archive;
}

}  // namespace crmaudit
