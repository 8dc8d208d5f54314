// Helpers shared by the fuzz targets that cut one input into several files. Contract: NextPart
// never reads past the input: once it is used up, every further part is empty.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace crmaudit::fuzz {

// The part of `input` from *at up to the next 0xFF byte (or the end); *at moves past it.
inline std::string NextPart(const std::string& input, size_t* at) {
  if (*at >= input.size()) return "";
  const size_t end = std::min(input.find('\xff', *at), input.size());
  std::string part = input.substr(*at, end - *at);
  *at = end + 1;
  return part;
}

inline void WriteFile(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace crmaudit::fuzz
