// The DSSE protocol test vectors (secure-systems-lab/dsse): PAE bytes, base64 variants,
// payloadType binding, and threshold semantics over distinct keys.
#include <nlohmann/json.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/signing/crypto_util.h"
#include "reports/signing/dsse.h"
#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "tests/unit/signing/signing_test_support.h"

namespace crmaudit {
namespace {

std::string Unhex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

nlohmann::json Vectors() {
  return nlohmann::json::parse(testing_support::ReadBytes(
      std::filesystem::path(CRMAUDIT_TEST_FIXTURES) / "signing" / "dsse-testvectors.json"));
}

std::map<std::string, PrivateKey> VectorKeys(const nlohmann::json& vectors) {
  std::map<std::string, PrivateKey> keys;
  for (const auto& [name, key] : vectors["keys"].items()) {
    PrivateKey private_key = PrivateKey::FromRawEd25519Seed(Unhex(key["seed"]));
    // The seed must yield the published public key, or the vectors prove nothing.
    EXPECT_EQ(private_key.Public().KeyId(), PublicKey::FromRawEd25519(Unhex(key["public"])).KeyId())
        << name;
    keys.emplace(name, private_key);
  }
  return keys;
}

TEST(DsseVectorsTest, EveryVectorIsAcceptedOrRejectedAsExpected) {
  nlohmann::json vectors = Vectors();
  auto keys = VectorKeys(vectors);
  ASSERT_EQ(vectors["vectors"].size(), 9u);
  for (const auto& vector : vectors["vectors"]) {
    SCOPED_TRACE(vector["id"].get<std::string>());
    DsseEnvelope envelope = ParseEnvelope(vector["envelope"].dump());
    std::vector<TrustedKey> trusted;
    for (const auto& name : vector["trustedKeys"]) {
      trusted.push_back({name.get<std::string>(), keys.at(name.get<std::string>()).Public()});
    }
    std::vector<std::string> supported = vector["supportedPayloadTypes"];
    DsseVerdict verdict =
        VerifyEnvelope(envelope, trusted, vector["threshold"].get<size_t>(), supported);
    EXPECT_EQ(verdict.accepted, vector["expect"] == "accept") << verdict.reason;
  }
}

TEST(DsseVectorsTest, PaeBytesEqualTheSignedBytes) {
  nlohmann::json vectors = Vectors();
  for (const auto& vector : vectors["vectors"]) {
    std::string id = vector["id"];
    SCOPED_TRACE(id);
    DsseEnvelope envelope = ParseEnvelope(vector["envelope"].dump());
    std::string expected = Unhex(vector["pae"]);
    if (id == "payload-type-swapped") {
      // The signature was made for the in-toto type; the envelope now claims another, so its
      // PAE differs from the signed bytes and the signature cannot verify.
      EXPECT_NE(PreAuthEncoding(envelope.payload_type, envelope.payload), expected);
      EXPECT_EQ(PreAuthEncoding(kInTotoPayloadType, envelope.payload), expected);
    } else {
      EXPECT_EQ(PreAuthEncoding(envelope.payload_type, envelope.payload), expected);
    }
  }
}

TEST(DsseVectorsTest, SigningThePaeWithKeyAReproducesTheVectorSignature) {
  // Ed25519 is deterministic, so our signer must produce the published bytes exactly.
  nlohmann::json vectors = Vectors();
  auto keys = VectorKeys(vectors);
  const auto& single = vectors["vectors"][0];
  ASSERT_EQ(single["id"], "single-signature");
  std::string signature = keys.at("A").Sign(Unhex(single["pae"]));
  EXPECT_EQ(crypto::Base64Encode(signature), single["envelope"]["signatures"][0]["sig"]);
}

TEST(DsseVectorsTest, OneKeySigningTwiceNeverMeetsAThresholdOfTwo) {
  nlohmann::json vectors = Vectors();
  auto keys = VectorKeys(vectors);
  DsseEnvelope envelope = SignEnvelope(kInTotoPayloadType, "{}", keys.at("A"));
  envelope.signatures.push_back(envelope.signatures.front());
  envelope.signatures.back().keyid = "B";  // a lying keyid must not make it count for B
  std::vector<TrustedKey> trusted = {{"A", keys.at("A").Public()}, {"B", keys.at("B").Public()}};
  EXPECT_FALSE(VerifyEnvelope(envelope, trusted, 2, {std::string(kInTotoPayloadType)}).accepted);
  EXPECT_TRUE(VerifyEnvelope(envelope, trusted, 1, {std::string(kInTotoPayloadType)}).accepted);
}

TEST(DsseEnvelopeTest, MalformedEnvelopesAreErrorsNotCrashes) {
  for (const char* text : {"", "[]", "{\"payloadType\":1}",
                           "{\"payload\":\"@@\",\"payloadType\":"
                           "\"x\",\"signatures\":[]}",
                           "{\"payload\":\"\",\"payloadType\":\"x\"}",
                           "{\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":[1]}"}) {
    EXPECT_THROW(ParseEnvelope(text), SigningError) << text;
  }
}

TEST(Base64Test, AcceptsBothAlphabetsAndOptionalPadding) {
  EXPECT_EQ(crypto::Base64Decode("-_-_Pj8="), std::string("\xfb\xff\xbf\x3e\x3f"));
  EXPECT_EQ(crypto::Base64Decode("+/+/Pj8"), std::string("\xfb\xff\xbf\x3e\x3f"));
  EXPECT_EQ(crypto::Base64Decode(""), std::string());
  EXPECT_EQ(crypto::Base64Decode("YQ=="), std::string("a"));
  EXPECT_EQ(crypto::Base64Decode("YQ"), std::string("a"));
  EXPECT_EQ(crypto::Base64Decode("YWI="), std::string("ab"));
  EXPECT_EQ(crypto::Base64Decode("Y"), std::nullopt);
  EXPECT_EQ(crypto::Base64Decode("YQ==YQ=="), std::nullopt);
  EXPECT_EQ(crypto::Base64Decode("Y Q=="), std::nullopt);
  EXPECT_EQ(crypto::Base64Encode("\xfb\xff\xbf\x3e\x3f"), "+/+/Pj8=");
}

}  // namespace
}  // namespace crmaudit
