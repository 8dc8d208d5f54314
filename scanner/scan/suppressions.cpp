#include "scanner/scan/suppressions.h"
#include "scanner/model/input_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "scanner/sources/files/file_walker.h"

namespace crmaudit {

namespace {

bool IsIsoDate(const std::string& text) {
  static const std::regex kDate(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  return std::regex_match(text, kDate);
}

std::string LocationKey(const Location& l) {
  if (IsDatabaseLocationKind(l.kind)) {
    std::string key = l.database + "." + l.schema + "." + l.table;
    return key;
  }
  return l.path;
}

bool Matches(const Suppression& s, const Finding& f) {
  if (!s.id.empty()) return s.id == f.id;
  if (s.rule != f.rule) return false;
  return s.path.empty() || GlobMatch(s.path, LocationKey(f.location));
}

}  // namespace

std::vector<Suppression> LoadSuppressions(const std::filesystem::path& file) {
  std::string reason;
  const std::optional<std::string> bytes = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!bytes) {
    throw SuppressionError(file.string() + ": cannot read the suppressions file: " + reason);
  }
  nlohmann::json doc = nlohmann::json::parse(*bytes, nullptr, false, true);
  auto fail = [&file](const std::string& field, const std::string& message) {
    throw SuppressionError(file.string() + ": " + field + ": " + message);
  };
  if (doc.is_discarded() || !doc.is_object()) fail("(root)", "expected a JSON object");
  if (!doc.contains("suppressions") || !doc["suppressions"].is_array()) {
    fail("suppressions", "expected an array");
  }
  std::vector<Suppression> out;
  const auto& list = doc["suppressions"];
  for (size_t i = 0; i < list.size(); ++i) {
    std::string field = "suppressions[" + std::to_string(i) + "]";
    const auto& e = list[i];
    if (!e.is_object()) fail(field, "expected an object");
    for (auto it = e.begin(); it != e.end(); ++it) {
      if (it.key() != "id" && it.key() != "rule" && it.key() != "path" && it.key() != "reason" &&
          it.key() != "expires") {
        fail(field + "." + it.key(), "unknown field");
      }
    }
    auto text = [&](const char* key) {
      if (!e.contains(key)) return std::string();
      if (!e[key].is_string()) fail(field + "." + key, "expected a string");
      return e[key].get<std::string>();
    };
    Suppression s{text("id"), text("rule"), text("path"), text("reason"), text("expires")};
    if (s.id.empty() && s.rule.empty()) fail(field, "give \"id\" or \"rule\"");
    if (!s.id.empty() && (!s.rule.empty() || !s.path.empty())) {
      fail(field, "\"id\" already names one finding; drop \"rule\"/\"path\"");
    }
    if (s.reason.empty()) fail(field + ".reason", "required: why this finding is accepted");
    if (!IsIsoDate(s.expires)) fail(field + ".expires", "required: a date as YYYY-MM-DD");
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> ApplySuppressions(const std::vector<Suppression>& suppressions,
                                           const std::string& today,
                                           std::vector<Finding>* findings) {
  std::vector<std::string> warnings;
  for (size_t i = 0; i < suppressions.size(); ++i) {
    const Suppression& s = suppressions[i];
    bool expired = s.expires < today;  // ISO dates compare as strings
    uint64_t matched = 0;
    for (Finding& f : *findings) {
      if (f.status != FindingStatus::kOpen || !Matches(s, f)) continue;
      ++matched;
      if (expired) {
        f.status_reason = "suppression expired on " + s.expires + " (" + s.reason + ")";
      } else {
        f.status = FindingStatus::kSuppressed;
        f.status_reason = s.reason + " (suppressed until " + s.expires + ")";
      }
    }
    if (expired && matched > 0) {
      warnings.push_back("suppression #" + std::to_string(i + 1) + " (" +
                         (s.id.empty() ? s.rule : s.id) + ") expired on " + s.expires +
                         " and no longer applies to " + std::to_string(matched) + " finding(s)");
    }
  }
  return warnings;
}

}  // namespace crmaudit
