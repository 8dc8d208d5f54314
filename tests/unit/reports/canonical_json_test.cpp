#include "reports/json/canonical_json.h"

#include <gtest/gtest.h>

namespace crmaudit {
namespace {

using nlohmann::json;

// RFC 8785 section 3.2.3: members sorted by UTF-16 code units (the emoji's surrogate pair
// sorts before U+FB33 although its UTF-8 bytes sort after it).
TEST(CanonicalJson, SortsKeysByUtf16CodeUnits) {
  json object = json::parse(R"({
    "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"})");
  EXPECT_EQ(CanonicalJson(object),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// RFC 8785 section 3.2.2.2: string escaping.
TEST(CanonicalJson, EscapesStringsAsJcs) {
  json value = json::parse(R"("\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/")");
  EXPECT_EQ(CanonicalJson(value), "\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
}

TEST(CanonicalJson, WritesLiteralsAndNestedStructuresWithoutWhitespace) {
  json value = json::parse(R"({"b": [1, true, null, {"z": 0, "a": -5}], "a": "x"})");
  EXPECT_EQ(CanonicalJson(value), R"({"a":"x","b":[1,true,null,{"a":-5,"z":0}]})");
}

TEST(CanonicalJson, RefusesFloatsAndUnsafeIntegers) {
  EXPECT_THROW(CanonicalJson(json(1.5)), std::invalid_argument);
  EXPECT_THROW(CanonicalJson(json(uint64_t{1} << 60)), std::invalid_argument);
  EXPECT_EQ(CanonicalJson(json(uint64_t{1} << 53)), "9007199254740992");
}

TEST(CanonicalJson, RefusesInvalidUtf8InsteadOfWritingIt) {
  json value = std::string("bad\xFF");
  EXPECT_THROW(CanonicalJson(value), std::invalid_argument);
}

}  // namespace
}  // namespace crmaudit
