// WordList: loading and lookup (a sorted vector: a few thousand entries, binary search).
#include "scanner/policy/word_list.h"
#include "scanner/model/input_file.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "scanner/model/utf8.h"

namespace crmaudit {
namespace {

std::string_view Trimmed(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return line;
}

}  // namespace

std::shared_ptr<const WordList> WordList::Load(const std::filesystem::path& file) {
  std::string reason;
  const std::optional<std::string> text = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!text) throw std::runtime_error("cannot read word list " + file.string() + ": " + reason);
  std::istringstream in(*text);
  auto list = std::make_shared<WordList>();
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view entry = Trimmed(line);
    if (entry.empty() || entry.front() == '#') continue;
    if (!IsValidUtf8(entry)) {
      throw std::runtime_error("word list " + file.string() + ": line " + std::to_string(number) +
                               " is not valid UTF-8");
    }
    list->words_.emplace_back(entry);
  }
  if (list->words_.empty()) throw std::runtime_error("word list " + file.string() + " is empty");
  std::sort(list->words_.begin(), list->words_.end());
  list->words_.erase(std::unique(list->words_.begin(), list->words_.end()), list->words_.end());
  return list;
}

bool WordList::Contains(std::string_view word) const {
  return std::binary_search(words_.begin(), words_.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

const WordList* FindWordList(const WordLists* lists, std::string_view name) {
  if (lists == nullptr) return nullptr;
  const auto found = lists->find(name);
  return found == lists->end() ? nullptr : found->second.get();
}

}  // namespace crmaudit
