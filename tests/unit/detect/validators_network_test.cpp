// The ip_address validator's host-address rules (network_validators.cpp): addresses that name no
// particular host are not personal data; private and link-local ones are. Parsing itself
// (octets, leading zeros, versions) is covered in validators_contact_test.cpp.
#include <gtest/gtest.h>

#include "scanner/detect/validators.h"

namespace crmaudit {
namespace {

bool Ip(std::string_view value) { return FindValidator("ip_address")(value, {}); }

TEST(IpAddressHostTest, RefusesLoopbackUnspecifiedMulticastAndNetmasks) {
  EXPECT_FALSE(Ip("127.0.0.1"));
  EXPECT_FALSE(Ip("127.10.20.30"));
  EXPECT_FALSE(Ip("0.0.0.0"));
  EXPECT_FALSE(Ip("224.0.0.251"));      // multicast (mDNS)
  EXPECT_FALSE(Ip("239.255.255.250"));  // multicast (SSDP)
  EXPECT_FALSE(Ip("255.255.255.255"));  // broadcast
  EXPECT_FALSE(Ip("255.255.255.0"));    // a netmask
  EXPECT_FALSE(Ip("::1"));
  EXPECT_FALSE(Ip("::"));
  EXPECT_FALSE(Ip("ff02::1"));  // IPv6 multicast
  EXPECT_FALSE(Ip("::ffff:127.0.0.1"));
}

TEST(IpAddressHostTest, KeepsPrivateAndLinkLocalAddresses) {
  EXPECT_TRUE(Ip("10.20.30.40"));
  EXPECT_TRUE(Ip("192.168.1.23"));
  EXPECT_TRUE(Ip("172.16.5.4"));
  EXPECT_TRUE(Ip("169.254.10.20"));
  EXPECT_TRUE(Ip("fe80::1ff:fe23:4567:890a"));
  EXPECT_TRUE(Ip("fd12:3456:789a:1::1"));
  EXPECT_TRUE(Ip("fe80::1"));
  EXPECT_TRUE(Ip("１９２．０．２．１"));  // full-width digits and dots are folded
}

TEST(IpAddressHostTest, RefusesTwoShortGroupsThatProseWrites) {
  EXPECT_FALSE(Ip("a::b"));
  EXPECT_FALSE(Ip("ad::be"));
  EXPECT_TRUE(Ip("1:2::3"));  // three groups
}

}  // namespace
}  // namespace crmaudit
