// Network identifiers: IPv4 and IPv6 host addresses, parsed by inet_pton (the C library's
// parser, so "1.2.3" or "01.2.3.4" never pass on a regex's word).
//
// An address is personal data when it can single out a person's device or connection (GDPR
// Recital 30; CJEU C-582/14, Breyer). Addresses that name no particular host are refused:
// loopback (127.0.0.0/8, ::1), unspecified (0.0.0.0/8, ::), IPv4 multicast, reserved and
// broadcast (224.0.0.0 and above, which also covers netmasks such as 255.255.255.0) and IPv6
// multicast (ff00::/8). Private ranges (10/8, 192.168/16, fc00::/7) and link-local addresses
// are kept: inside an organisation they identify a device as well as a public address does.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "scanner/detect/validators/text_forms.h"
#include "scanner/detect/validators/validator_set.h"

namespace crmaudit::validators {
namespace {

bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// "a::b" or "ad::be" in prose is rarely an address: an IPv6 candidate needs at least three
// groups, or one group of three or more hex digits ("fe80::1", "2001:db8::1").
bool HasAddressShape(std::string_view text) {
  size_t groups = 0;
  size_t longest = 0;
  size_t run = 0;
  for (char c : text) {
    if (IsHexDigit(c)) {
      if (run == 0) ++groups;
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
  }
  return groups >= 3 || longest >= 3;
}

bool IsHostIpv6(const std::array<unsigned char, 16>& address) {
  static constexpr std::array<unsigned char, 16> kUnspecified{};
  std::array<unsigned char, 16> loopback{};
  loopback[15] = 1;
  if (address == kUnspecified || address == loopback) return false;
  return address[0] != 0xff;  // multicast
}

}  // namespace

bool IsIpAddress(std::string_view candidate, const ValidationContext& /*context*/) {
  if (candidate.size() > kMaxCandidateBytes) return false;
  CandidateText storage;
  const std::string_view folded = TrimSpaces(FoldWidth(candidate, &storage));
  if (folded.empty() || folded.size() > 64) return false;
  // inet_pton reads a C string: the candidate, terminated, on the stack.
  std::array<char, 65> text;
  *std::copy(folded.begin(), folded.end(), text.begin()) = '\0';
  if (folded.find(':') != std::string_view::npos) {
    std::array<unsigned char, 16> address{};
    if (inet_pton(AF_INET6, text.data(), address.data()) != 1) return false;
    if (!HasAddressShape(folded) || !IsHostIpv6(address)) return false;
    // An IPv4-mapped address (::ffff:a.b.c.d) is judged by its IPv4 part.
    static constexpr std::array<unsigned char, 12> kMapped{0, 0, 0, 0, 0,    0,
                                                           0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped.begin(), kMapped.end(), address.begin())) {
      return address[12] != 0 && address[12] != 127 && address[12] < 224;
    }
    return true;
  }
  // inet_pton accepts exactly four decimal octets 0-255 (no leading zeros, no shorthand).
  std::array<unsigned char, 4> address{};
  if (inet_pton(AF_INET, text.data(), address.data()) != 1) return false;
  // 0.x.y.z is no host address (and 0.9.1.2 is a common version string); 127/8 is loopback;
  // 224 and above are multicast, reserved, broadcast and netmasks.
  return address[0] != 0 && address[0] != 127 && address[0] < 224;
}

}  // namespace crmaudit::validators
