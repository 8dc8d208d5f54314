// The byte-word helpers must be exact for every byte in every position of a word, whatever its
// neighbours (no carry may cross bytes): compared here with a byte-by-byte rule.
#include "scanner/model/byte_words.h"

#include <gtest/gtest.h>

#include <random>

namespace crmaudit::byte_words {
namespace {

bool IsLetterByte(unsigned char byte) {
  const auto lower = static_cast<unsigned char>(byte | 0x20);
  return (lower >= 'a' && lower <= 'z') || (byte >= 0x80 && byte != 0xFF);
}

// Every byte value at every position, beside neighbours drawn at random (letters, 0xFF and
// 0x7F-0x80 included, where a wrong mask or carry would show).
TEST(ByteWords, LetterBytesMarksExactlyTheLetterBytes) {
  std::mt19937 random(26);
  const unsigned char edges[] = {0x00, '@', 'A',  'Z',  '[',  '`',  'a',
                                 'z',  '{', 0x7F, 0x80, 0xF4, 0xFE, 0xFF};
  for (int byte = 0; byte < 256; ++byte) {
    for (int position = 0; position < 8; ++position) {
      for (int round = 0; round < 20; ++round) {
        unsigned char bytes[8];
        for (auto& b : bytes) {
          b = round % 2 == 0 ? edges[random() % std::size(edges)]
                             : static_cast<unsigned char>(random());
        }
        bytes[position] = static_cast<unsigned char>(byte);
        uint64_t word = 0;  // byte i in bits 8i..8i+7, on any machine
        for (int i = 0; i < 8; ++i) word |= uint64_t{bytes[i]} << (8 * i);
        const uint64_t marks = LetterBytes(word);
        for (int i = 0; i < 8; ++i) {
          const bool marked = (marks >> (8 * i + 7)) & 1;
          ASSERT_EQ(marked, IsLetterByte(bytes[i])) << "byte " << int(bytes[i]) << " at " << i;
        }
        EXPECT_EQ(marks & ~kHighBits, 0u);
      }
    }
  }
}

}  // namespace
}  // namespace crmaudit::byte_words
