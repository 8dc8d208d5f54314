#include "reports/signing/report_signer.h"

#include <nlohmann/json.hpp>

#include "reports/signing/crypto_util.h"
#include "reports/signing/dsse.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {

bool IsPlainFileName(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('\0') == std::string_view::npos;
}

std::string BuildStatement(const std::vector<StatementSubject>& subjects,
                           const std::string& predicate_json) {
  nlohmann::json predicate = nlohmann::json::parse(predicate_json, nullptr, false);
  if (predicate.is_discarded() || !predicate.is_object()) {
    throw SigningError("the report summary to sign is not a JSON object");
  }
  nlohmann::json subject_list = nlohmann::json::array();
  for (const auto& subject : subjects) {
    subject_list.push_back({{"name", subject.name}, {"digest", {{"sha256", subject.sha256}}}});
  }
  nlohmann::json statement = {{"_type", kStatementType},
                              {"subject", std::move(subject_list)},
                              {"predicateType", kReportPredicateType},
                              {"predicate", std::move(predicate)}};
  return statement.dump();
}

SigningOutcome SignArtifacts(const std::filesystem::path& out_dir,
                             const std::vector<std::string>& artifact_names,
                             const std::filesystem::path& private_key,
                             const std::string& predicate_json,
                             const PassphraseSource& passphrase) {
  return SignArtifacts(out_dir, artifact_names, PrivateKey::Load(private_key, passphrase),
                       predicate_json);
}

SigningOutcome SignArtifacts(const std::filesystem::path& out_dir,
                             const std::vector<std::string>& artifact_names, const PrivateKey& key,
                             const std::string& predicate_json) {
  if (artifact_names.empty()) throw SigningError("no report files to sign in " + out_dir.string());
  // Read and sign everything first; write only when all of it succeeded.
  std::vector<StatementSubject> subjects;
  std::vector<std::string> signatures;
  for (const auto& name : artifact_names) {
    if (!IsPlainFileName(name) || name == kEnvelopeFileName) {
      throw SigningError("cannot sign \"" + name + "\": not a report file name");
    }
    for (const auto& earlier : subjects) {
      if (earlier.name == name) throw SigningError("cannot sign " + name + " twice");
    }
    std::string bytes = crypto::ReadFileBytes(out_dir / name);
    subjects.push_back({name, crypto::Sha256Hex(bytes)});
    signatures.push_back(key.Sign(bytes));
  }
  std::string statement = BuildStatement(subjects, predicate_json);
  std::string envelope =
      SerializeEnvelope(SignEnvelope(kInTotoPayloadType, std::move(statement), key));

  SigningOutcome outcome;
  outcome.key_id = key.Public().KeyId();
  outcome.key_type = key.TypeName();
  for (size_t i = 0; i < artifact_names.size(); ++i) {
    auto signature_file = out_dir / (artifact_names[i] + std::string(kSignatureSuffix));
    crypto::WriteFileAtomically(signature_file, signatures[i]);
    outcome.files_written.push_back(signature_file);
  }
  auto envelope_file = out_dir / std::string(kEnvelopeFileName);
  crypto::WriteFileAtomically(envelope_file, envelope + "\n");
  outcome.files_written.push_back(envelope_file);
  return outcome;
}

}  // namespace crmaudit
