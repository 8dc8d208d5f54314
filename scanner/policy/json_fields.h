// JsonFields: the field checks every reader of a policy file shares (packs, their controls,
// the data files beside them), so that an unknown field is reported in one wording everywhere:
// "unknown field (expected one of: a, b, c)". Only policy/ readers include this (it brings in
// nlohmann/json); callers turn the result into their own PolicyError with the field's path.
#pragma once

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace crmaudit {

struct UnknownField {
  std::string key;      // the first key of the object that is not allowed
  std::string message;  // what to report for it, listing the allowed names in their order
};

// The first key of `object` not among `allowed` (any range of names), or nullopt when every
// key is known.
template <typename Names>
std::optional<UnknownField> FindUnknownField(const nlohmann::json& object, const Names& allowed) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(std::begin(allowed), std::end(allowed), key) != std::end(allowed)) continue;
    std::string list;
    for (const auto& name : allowed) {
      if (!list.empty()) list += ", ";
      list += name;
    }
    return UnknownField{key, "unknown field (expected one of: " + list + ")"};
  }
  return std::nullopt;
}

}  // namespace crmaudit
