#include "reports/signing/report_verifier.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "reports/signing/chain_head.h"
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

// A warning; under --strict it counts as a failure.
void Warn(VerifyReport& report, const VerifyOptions& options, std::string subject,
          std::string detail) {
  report.lines.push_back({!options.strict, std::move(subject), std::move(detail), true});
}

constexpr std::string_view kSymlinkDetail =
    "is a symbolic link; artifacts must be regular files in the folder";

// What `dir`/`name` is, without following a symbolic link.
enum class EntryKind { kMissing, kRegular, kSymlink, kOther };

EntryKind KindOf(const fs::path& path) {
  std::error_code error;
  fs::file_status status = fs::symlink_status(path, error);
  if (error || !fs::exists(status)) return EntryKind::kMissing;
  if (fs::is_symlink(status)) return EntryKind::kSymlink;
  return fs::is_regular_file(status) ? EntryKind::kRegular : EntryKind::kOther;
}

// The bytes of `dir`/`name`, which must be a regular file of the folder: a symbolic link is
// refused rather than followed (it could point at another folder's report, or at /dev/zero).
// The reader itself also refuses FIFOs and devices (scanner/model/input_file.h).
std::string ReadArtifact(const fs::path& dir, const std::string& name) {
  if (KindOf(dir / name) == EntryKind::kSymlink) throw SigningError(std::string(kSymlinkDetail));
  return crypto::ReadFileBytes(dir / name);
}

// Verifies `artifact` (a name inside `dir`) against `artifact`.sig.
void CheckDetachedSignature(const fs::path& dir, const std::string& artifact, const PublicKey& key,
                            VerifyReport& report) {
  std::string bytes;
  std::string signature;
  const std::string signature_name = artifact + std::string(kSignatureSuffix);
  try {
    bytes = ReadArtifact(dir, artifact);
  } catch (const SigningError& error) {
    Fail(report, artifact, error.what());
    return;
  }
  try {
    signature = ReadArtifact(dir, signature_name);
  } catch (const SigningError& error) {
    Fail(report, signature_name, error.what());
    return;
  }
  if (key.Verify(bytes, signature)) {
    Pass(report, artifact, KeyLabel(key));
  } else {
    Fail(report, artifact, "signature does not match");
  }
}

// Checks the envelope `envelope_name` in `dir` and the files its statement names (only the
// subject `only` when given, which must then be listed). Returns the subject names when the
// envelope itself is authentic, nullopt otherwise.
std::optional<std::set<std::string>> CheckEnvelope(const fs::path& dir,
                                                   const std::string& envelope_name,
                                                   const PublicKey& key, VerifyReport& report,
                                                   const std::string* only = nullptr) {
  DsseEnvelope envelope;
  std::string envelope_bytes;
  try {
    envelope_bytes = ReadArtifact(dir, envelope_name);
  } catch (const SigningError& error) {
    Fail(report, envelope_name, error.what());
    return std::nullopt;
  }
  try {
    envelope = ParseEnvelope(envelope_bytes);
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
  // Read defensively: json::value() throws when "_type" is there but not a string.
  auto type = statement.find("_type");
  if (type == statement.end() || !type->is_string() || type->get<std::string>() != kStatementType) {
    return not_a_statement("wrong _type");
  }
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
    if (only != nullptr && name != *only) continue;
    EntryKind kind = KindOf(dir / name);
    if (kind == EntryKind::kSymlink) {
      Fail(report, name, std::string(kSymlinkDetail));
      continue;
    }
    if (kind != EntryKind::kRegular) {
      Fail(report, name, "listed in " + envelope_name + " but missing");
      continue;
    }
    try {
      if (crypto::Sha256Hex(ReadArtifact(dir, name)) != expected) {
        Fail(report, name, "sha256 does not match the " + envelope_name + " statement");
      }
    } catch (const SigningError& read_error) {
      Fail(report, name, read_error.what());
    }
  }
  if (only != nullptr && !names.contains(*only)) {
    Fail(report, *only, "not listed in " + envelope_name);
  }
  if (report.failures() == failures_before) {
    Pass(report, envelope_name,
         only != nullptr ? KeyLabel(key) + ", lists " + *only + " with this SHA-256"
                         : KeyLabel(key) + ", " + std::to_string(names.size()) + " subjects");
  }
  return names;
}

// Every entry of `dir` by name with its kind, links not followed.
std::map<std::string, EntryKind> ListEntries(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw SigningError("cannot read directory " + dir.string() + ": " +
                       (error ? error.message() : std::string("not a directory")));
  }
  std::map<std::string, EntryKind> entries;
  try {
    for (const auto& entry : fs::directory_iterator(dir)) {
      entries[entry.path().filename().string()] = KindOf(entry.path());
    }
  } catch (const fs::filesystem_error& list_error) {
    throw SigningError("cannot read directory " + dir.string() + ": " +
                       list_error.code().message());
  }
  return entries;
}

}  // namespace

std::string VerifyLine::Format() const {
  if (ok && warning) return "WARN " + subject + ": " + detail;
  if (ok) return "OK  " + subject + (detail.empty() ? "" : " (" + detail + ")");
  return "FAIL " + subject + ": " + detail;
}

bool VerifyReport::ok() const { return !lines.empty() && failures() == 0; }

size_t VerifyReport::failures() const {
  return static_cast<size_t>(
      std::count_if(lines.begin(), lines.end(), [](const VerifyLine& line) { return !line.ok; }));
}

size_t VerifyReport::warnings() const {
  return static_cast<size_t>(std::count_if(
      lines.begin(), lines.end(), [](const VerifyLine& line) { return line.ok && line.warning; }));
}

VerifyReport VerifyReportDirectory(const fs::path& dir, const PublicKey& key,
                                   const VerifyOptions& options) {
  const std::map<std::string, EntryKind> entries = ListEntries(dir);
  auto present = [&](const std::string& name) { return entries.contains(name); };
  auto is_link = [&](const std::string& name) {
    auto found = entries.find(name);
    return found != entries.end() && found->second == EntryKind::kSymlink;
  };
  VerifyReport report;
  // Names already reported as symbolic links, so each is named once.
  std::set<std::string> links_named;
  auto name_link = [&](const std::string& name) {
    if (links_named.insert(name).second) Fail(report, name, std::string(kSymlinkDetail));
  };

  for (const auto& [name, kind] : entries) {
    if (!EndsWith(name, kSignatureSuffix)) continue;
    std::string artifact = name.substr(0, name.size() - kSignatureSuffix.size());
    if (kind == EntryKind::kSymlink) {
      name_link(name);
    } else if (!present(artifact)) {
      Fail(report, artifact, "signature " + name + " present but the file is missing");
    } else if (is_link(artifact)) {
      name_link(artifact);
    } else {
      CheckDetachedSignature(dir, artifact, key, report);
    }
  }

  const std::string envelope_name(kEnvelopeFileName);
  std::optional<std::set<std::string>> subjects;
  if (is_link(envelope_name)) {
    name_link(envelope_name);
  } else if (present(envelope_name)) {
    subjects = CheckEnvelope(dir, envelope_name, key, report);
  }

  bool any_artifact = false;
  for (std::string_view artifact_view : kReportArtifacts) {
    std::string artifact(artifact_view);
    if (!present(artifact)) continue;
    any_artifact = true;
    if (is_link(artifact)) name_link(artifact);
    if (!present(artifact + std::string(kSignatureSuffix))) {
      Fail(report, artifact, "not signed (" + artifact + ".sig is missing)");
    }
    if (subjects && !subjects->contains(artifact)) {
      Fail(report, artifact, "not listed in " + envelope_name);
    }
  }
  if (any_artifact && !present(envelope_name)) {
    Fail(report, envelope_name, "missing, so nothing binds the reports together");
  }

  // Anything else in the folder was not verified: a user opening evil.html or REPORT.JSON
  // from a verified folder must be told. The signatures and the envelope are expected; the
  // report artifacts missing from the statement were named as failures above.
  if (subjects) {
    for (const auto& [name, kind] : entries) {
      bool expected = subjects->contains(name) || name == envelope_name ||
                      EndsWith(name, kSignatureSuffix) ||
                      std::find(kReportArtifacts.begin(), kReportArtifacts.end(), name) !=
                          kReportArtifacts.end();
      if (expected) continue;
      std::string what = kind == EntryKind::kSymlink ? " (a symbolic link)"
                         : kind == EntryKind::kOther ? " (not a regular file)"
                                                     : "";
      Warn(report, options, name, "not listed in " + envelope_name + ", not verified" + what);
    }
  }
  if (report.lines.empty()) {
    Fail(report, "report.json", "missing (no signed reports in this folder)");
  }
  // A linked artifact that is also a subject was named twice (as a file and as a subject).
  std::set<std::pair<std::string, std::string>> seen;
  std::erase_if(report.lines, [&](const VerifyLine& line) {
    return !line.ok && line.detail == kSymlinkDetail &&
           !seen.insert({line.subject, line.detail}).second;
  });
  return report;
}

VerifyReport VerifySignedFile(const fs::path& file_argument, const PublicKey& key,
                              const VerifyOptions& options) {
  fs::path file = file_argument;
  std::string name = file.filename().string();
  if (EndsWith(name, kSignatureSuffix) && name.size() > kSignatureSuffix.size()) {
    file.replace_filename(name.substr(0, name.size() - kSignatureSuffix.size()));
    name = file.filename().string();
  }
  fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  VerifyReport report;
  EntryKind kind = KindOf(file);
  if (kind == EntryKind::kSymlink) {
    Fail(report, name, std::string(kSymlinkDetail));
    return report;
  }
  if (kind != EntryKind::kRegular) {
    std::error_code error;
    (void)fs::is_regular_file(file, error);  // for the reason only
    throw SigningError("cannot read " + file.string() + ": " +
                       (error ? error.message() : std::string("not a regular file")));
  }
  const std::string signature_name = name + std::string(kSignatureSuffix);
  const std::string envelope_name(kEnvelopeFileName);
  if (KindOf(dir / signature_name) != EntryKind::kMissing) {
    CheckDetachedSignature(dir, name, key, report);
  } else if (EndsWith(name, ".dsse.json")) {
    CheckEnvelope(dir, name, key, report);
    return report;
  } else {
    Fail(report, name, "not signed (" + signature_name + " is missing)");
  }
  // The envelope beside the file binds it to the other reports of its scan; a lone .sig
  // proves only who signed these bytes.
  if (name == envelope_name) return report;
  switch (KindOf(dir / envelope_name)) {
    case EntryKind::kMissing:
      Warn(report, options, envelope_name,
           "not found beside " + name + ": only " + signature_name + " was checked, nothing ties " +
               name + " to the other reports of its scan");
      break;
    case EntryKind::kSymlink:
      Fail(report, envelope_name, std::string(kSymlinkDetail));
      break;
    default:
      CheckEnvelope(dir, envelope_name, key, report, &name);
      break;
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

ArchiveReport VerifyArchiveChain(const std::vector<fs::path>& folders, const PublicKey& key,
                                 const VerifyOptions& options) {
  ArchiveReport archive;
  archive.folders = folders;
  std::optional<std::string> previous_sha256;
  fs::path previous_folder;
  for (size_t i = 0; i < folders.size(); ++i) {
    const fs::path& folder = folders[i];
    archive.folder_reports.push_back(VerifyReportDirectory(folder, key, options));
    if (archive.chain_break) continue;  // keep checking signatures; report the first break only

    auto broken = [&](const std::string& why) {
      archive.chain_break = "chain broken at " + folder.string() + ": " + why;
    };
    std::string bytes;
    try {
      bytes = ReadArtifact(folder, "report.json");
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

bool IsArchiveFolder(const fs::path& argument) {
  std::error_code error;
  return fs::is_directory(argument, error) &&
         KindOf(argument / "report.json") == EntryKind::kMissing;
}

VerifyReport VerifyChainHead(const fs::path& archive, const PublicKey& key,
                             const VerifyOptions& options) {
  VerifyReport report;
  const std::string head_name(kChainHeadFileName);
  const std::string signature_name = head_name + std::string(kSignatureSuffix);
  const std::vector<fs::path> folders = ReportFoldersIn(archive);

  EntryKind head_kind = KindOf(archive / head_name);
  if (head_kind == EntryKind::kMissing) {
    // Folders linked to an earlier report were written with chaining, which writes a head.
    bool chained = std::any_of(folders.begin(), folders.end(), [](const fs::path& folder) {
      try {
        nlohmann::json json =
            nlohmann::json::parse(ReadArtifact(folder, "report.json"), nullptr, false);
        const auto pointer = nlohmann::json::json_pointer("/scan/chain/previous_sha256");
        return json.is_object() && json.contains(pointer) && json[pointer].is_string();
      } catch (const SigningError&) {
        return false;
      }
    });
    if (chained) {
      Warn(report, options, head_name,
           "missing: the archive was written with chaining but nothing names its newest "
           "report, so deleting it would go unnoticed");
    }
    return report;
  }

  std::string bytes;
  std::string signature;
  try {
    bytes = ReadArtifact(archive, head_name);
  } catch (const SigningError& error) {
    Fail(report, head_name, error.what());
    return report;
  }
  if (KindOf(archive / signature_name) == EntryKind::kMissing) {
    Fail(report, head_name, "not signed (" + signature_name + " is missing)");
    return report;
  }
  try {
    signature = ReadArtifact(archive, signature_name);
  } catch (const SigningError& error) {
    Fail(report, signature_name, error.what());
    return report;
  }
  if (!key.Verify(bytes, signature)) {
    Fail(report, head_name, "signature does not match");
    return report;
  }
  ChainHead head;
  try {
    head = ParseChainHead(bytes);
  } catch (const SigningError& error) {
    Fail(report, head_name, std::string("not a valid chain head (") + error.what() + ")");
    return report;
  }
  std::string actual;
  try {
    actual = crypto::Sha256Hex(ReadArtifact(archive / head.newest, "report.json"));
  } catch (const SigningError&) {
  }
  if (actual != head.report_sha256) {
    Fail(
        report, head_name,
        "the newest report named by " + head_name + " (" + head.newest + ") is missing or differs");
    return report;
  }
  Pass(
      report, head_name,
      KeyLabel(key) + ", newest " + head.newest + ", " + std::to_string(head.reports) + " reports");
  std::vector<std::string> newer;
  for (const auto& folder : folders) {
    if (folder.filename().string() > head.newest) newer.push_back(folder.filename().string());
  }
  if (!newer.empty()) {
    Warn(report, options, head_name,
         std::to_string(newer.size()) + " report folder(s) newer than its newest (first: " +
             newer.front() + "): written without updating the head");
  } else if (head.reports != folders.size()) {
    Warn(report, options, head_name,
         "counts " + std::to_string(head.reports) + " report folders, the archive holds " +
             std::to_string(folders.size()) + " (older reports removed?)");
  }
  return report;
}

}  // namespace crmaudit
