// Byte-level helpers shared by the signer and the verifier: SHA-256, hex, base64 and file
// I/O. Backed by OpenSSL in the .cpp; this header stays free of OpenSSL so it can be used
// anywhere in the room. Bytes travel as std::string (any byte value allowed). A namespace of
// their own keeps them apart from same-named helpers elsewhere (reports/output).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace crmaudit::crypto {

// Lower-case hex of SHA-256(bytes): 64 characters.
std::string Sha256Hex(std::string_view bytes);

// Lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);

// Standard base64 (RFC 4648 §4) with padding: what crmaudit writes.
std::string Base64Encode(std::string_view bytes);

// Accepts the standard and the URL-safe alphabet (DSSE readers must take both), with or
// without padding. nullopt for anything else (whitespace, stray characters, bad length).
std::optional<std::string> Base64Decode(std::string_view text);

// The file's exact bytes. Throws SigningError("cannot read FILE: reason").
std::string ReadFileBytes(const std::filesystem::path& file);

// Writes `bytes` to a temporary file beside `file`, then renames it over `file`, so a reader
// never sees a half-written signature. Throws SigningError naming `file`.
void WriteFileAtomically(const std::filesystem::path& file, std::string_view bytes);

}  // namespace crmaudit::crypto
