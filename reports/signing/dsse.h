// DSSE (Dead Simple Signing Envelope, secure-systems-lab/dsse v1): the envelope that binds
// report.dsse.json's in-toto statement to a signature.
//
//   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
//   (LEN = ASCII decimal byte count; the signature is over exactly these bytes)
//
// Invariants:
//  - The signature covers the payloadType, so an envelope whose type was changed fails even
//    when its payload is untouched.
//  - Readers accept standard and URL-safe base64; the writer emits padded standard base64.
//  - Threshold verification counts distinct trusted keys, never signatures: the same key
//    signing twice counts once. A signature's keyid is an unauthenticated hint that only
//    narrows which trusted keys are tried.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reports/signing/signing_keys.h"

namespace crmaudit {

inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string keyid;  // may be empty
  std::string sig;    // raw signature bytes (decoded)
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // raw payload bytes (decoded)
  std::vector<DsseSignature> signatures;
};

// Signs PAE(payload_type, payload) with `key`; the keyid is the key's KeyId().
DsseEnvelope SignEnvelope(std::string_view payload_type, std::string payload,
                          const PrivateKey& key);

// Canonical JSON text of the envelope (keys sorted, no whitespace).
std::string SerializeEnvelope(const DsseEnvelope& envelope);

// Throws SigningError saying what is malformed (not JSON, missing field, bad base64).
DsseEnvelope ParseEnvelope(std::string_view json);

struct TrustedKey {
  std::string keyid;  // matched against DsseSignature::keyid; usually key.KeyId()
  PublicKey key;
};

struct DsseVerdict {
  bool accepted = false;
  std::vector<std::string> verified_keyids;  // distinct trusted keys whose signature verified
  std::string reason;                        // why it was rejected; empty when accepted
};

// Accepts when payload_type is one of `supported_payload_types` (exact bytes) and at least
// `threshold` distinct trusted keys produced a valid signature over the PAE.
DsseVerdict VerifyEnvelope(const DsseEnvelope& envelope, const std::vector<TrustedKey>& trusted,
                           size_t threshold,
                           const std::vector<std::string>& supported_payload_types);

}  // namespace crmaudit
