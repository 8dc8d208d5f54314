// WordList: a list of words a detector's validator consults (given names, surnames), shipped
// as a data file beside the packs (policies/data/...) and named by the pack's `word_lists`.
//
// File format: UTF-8 text, one entry per line; blank lines and lines starting with '#' (source
// and licence notes) are skipped; spaces and a trailing '\r' around an entry are trimmed.
// Entries are kept exactly as written: a list meant for case-insensitive lookup is written in
// lower case and its validator folds the candidate before asking. Immutable after loading, so
// one list is shared by every copy of a compiled policy and every thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crmaudit {

class WordList {
 public:
  // Reads `file`. Throws std::runtime_error (naming the problem, never an entry) when the file
  // cannot be read, is not valid UTF-8 or holds no entry.
  static std::shared_ptr<const WordList> Load(const std::filesystem::path& file);

  bool Contains(std::string_view word) const;
  size_t size() const { return words_.size(); }

 private:
  std::vector<std::string> words_;  // sorted, unique
};

// A detector's lists by the name its validator asks for ("given_names", "surnames"...).
using WordLists = std::map<std::string, std::shared_ptr<const WordList>, std::less<>>;

// The list called `name`, or null when `lists` is null or has none of that name.
const WordList* FindWordList(const WordLists* lists, std::string_view name);

}  // namespace crmaudit
