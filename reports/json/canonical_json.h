// Canonical JSON (RFC 8785, JCS): the exact bytes that get hashed and signed.
//
// Objects are written with members sorted by the UTF-16 code units of their names (not by
// UTF-8 bytes: the two orders differ beyond the Basic Multilingual Plane), no insignificant
// whitespace, strings escaped as JCS requires (only `"`, `\`, and control characters; lower-case
// `\u00xx`; `/` and non-ASCII written as they are). Numbers must be integers within ±2^53:
// report fields that are ratios are per-mille integers, so any floating-point value is a
// programming error and throws std::invalid_argument. Strings must be valid UTF-8 (writers
// repair them first); invalid UTF-8 throws std::invalid_argument rather than writing bad bytes.
//
// Only reports/ includes this header (it pulls in nlohmann/json).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace crmaudit {

std::string CanonicalJson(const nlohmann::json& value);

// Sorts UTF-8 strings by their UTF-16 code units, as JCS orders object members.
bool Utf16Less(const std::string& a, const std::string& b);

}  // namespace crmaudit
