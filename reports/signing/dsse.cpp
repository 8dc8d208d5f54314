#include "reports/signing/dsse.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "reports/signing/crypto_util.h"
#include "reports/signing/signing_error.h"

namespace crmaudit {

std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload) {
  std::string pae = "DSSEv1 ";
  pae += std::to_string(payload_type.size());
  pae += ' ';
  pae += payload_type;
  pae += ' ';
  pae += std::to_string(payload.size());
  pae += ' ';
  pae += payload;
  return pae;
}

DsseEnvelope SignEnvelope(std::string_view payload_type, std::string payload,
                          const PrivateKey& key) {
  DsseEnvelope envelope;
  envelope.payload_type = std::string(payload_type);
  envelope.payload = std::move(payload);
  envelope.signatures.push_back(
      {key.Public().KeyId(), key.Sign(PreAuthEncoding(payload_type, envelope.payload))});
  return envelope;
}

std::string SerializeEnvelope(const DsseEnvelope& envelope) {
  nlohmann::json signatures = nlohmann::json::array();
  for (const auto& signature : envelope.signatures) {
    nlohmann::json entry = {{"sig", crypto::Base64Encode(signature.sig)}};
    if (!signature.keyid.empty()) entry["keyid"] = signature.keyid;
    signatures.push_back(std::move(entry));
  }
  nlohmann::json json = {{"payloadType", envelope.payload_type},
                         {"payload", crypto::Base64Encode(envelope.payload)},
                         {"signatures", std::move(signatures)}};
  return json.dump();
}

DsseEnvelope ParseEnvelope(std::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    throw SigningError("not a JSON object");
  }
  auto string_field = [&](const nlohmann::json& object, const char* name) -> std::string {
    auto found = object.find(name);
    if (found == object.end() || !found->is_string()) {
      throw SigningError(std::string("missing or non-string \"") + name + "\"");
    }
    return found->get<std::string>();
  };
  DsseEnvelope envelope;
  envelope.payload_type = string_field(json, "payloadType");
  auto payload = crypto::Base64Decode(string_field(json, "payload"));
  if (!payload) throw SigningError("\"payload\" is not base64");
  envelope.payload = std::move(*payload);
  auto signatures = json.find("signatures");
  if (signatures == json.end() || !signatures->is_array()) {
    throw SigningError("missing \"signatures\" array");
  }
  for (const auto& entry : *signatures) {
    if (!entry.is_object()) throw SigningError("a signature entry is not an object");
    DsseSignature signature;
    auto sig = crypto::Base64Decode(string_field(entry, "sig"));
    if (!sig) throw SigningError("a \"sig\" is not base64");
    signature.sig = std::move(*sig);
    auto keyid = entry.find("keyid");
    if (keyid != entry.end() && keyid->is_string()) signature.keyid = keyid->get<std::string>();
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

DsseVerdict VerifyEnvelope(const DsseEnvelope& envelope, const std::vector<TrustedKey>& trusted,
                           size_t threshold,
                           const std::vector<std::string>& supported_payload_types) {
  DsseVerdict verdict;
  if (std::find(supported_payload_types.begin(), supported_payload_types.end(),
                envelope.payload_type) == supported_payload_types.end()) {
    verdict.reason = "unsupported payloadType \"" + envelope.payload_type + "\"";
    return verdict;
  }
  if (threshold == 0) {
    verdict.reason = "threshold must be at least 1";
    return verdict;
  }
  const std::string pae = PreAuthEncoding(envelope.payload_type, envelope.payload);
  std::vector<bool> verified(trusted.size(), false);
  for (const auto& signature : envelope.signatures) {
    // The keyid only narrows the search; when it names no trusted key every key is tried,
    // which is safe because only a cryptographically valid signature counts.
    bool keyid_known = !signature.keyid.empty() &&
                       std::any_of(trusted.begin(), trusted.end(), [&](const TrustedKey& key) {
                         return key.keyid == signature.keyid;
                       });
    for (size_t i = 0; i < trusted.size(); ++i) {
      if (verified[i]) continue;
      if (keyid_known && trusted[i].keyid != signature.keyid) continue;
      if (trusted[i].key.Verify(pae, signature.sig)) {
        verified[i] = true;
        verdict.verified_keyids.push_back(trusted[i].keyid);
        break;  // one signature vouches for one key
      }
    }
  }
  if (verdict.verified_keyids.size() < threshold) {
    verdict.reason = verdict.verified_keyids.empty()
                         ? "signature does not match"
                         : "only " + std::to_string(verdict.verified_keyids.size()) + " of " +
                               std::to_string(threshold) + " required distinct keys signed";
    return verdict;
  }
  verdict.accepted = true;
  return verdict;
}

}  // namespace crmaudit
