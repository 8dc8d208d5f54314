#include "scanner/scan/finding_identity.h"

#include <filesystem>
#include <set>
#include <string_view>
#include <system_error>

#include "scanner/model/fingerprint.h"

namespace crmaudit {

namespace {

std::string Joined(const std::string& root, const std::string& relative) {
  return root.empty() ? relative : root + "/" + relative;
}

// A dataset inside a file (`exports/weekly-2026-01-05.zip!/Contact.csv`,
// `book-2026-01.xlsx#Contacts`) is normalised in both names: next week's archive keeps this
// week's ids for the same member.
std::string NormalizedDatasetPath(const std::string& path) {
  size_t split = path.find("!/");
  size_t skip = 2;
  if (split == std::string::npos) {
    for (std::string_view book : {".xlsx#", ".xlsm#", ".XLSX#", ".XLSM#"}) {
      size_t at = path.find(book);
      if (at != std::string::npos && (split == std::string::npos || at < split)) {
        split = at + book.size() - 1;
        skip = 1;
      }
    }
  }
  if (split == std::string::npos) return NormalizeDateStamps(path);
  return NormalizeDateStamps(path.substr(0, split)) + path.substr(split, skip) +
         NormalizedDatasetPath(path.substr(split + skip));
}

std::string TrimmedDisplay(std::string display) {
  while (display.size() > 1 && display.back() == '/') display.pop_back();
  return display;
}

}  // namespace

std::map<std::string, std::string> IdentityRoots(const std::vector<PlannedTarget>& targets) {
  struct Root {
    std::string id;
    std::filesystem::path folder;
    std::string name;        // the folder's name as it is
    std::string normalised;  // with date stamps normalised (2026-01 -> {date})
    std::string display;     // the target as typed, naming the folder
  };
  std::vector<Root> roots;
  for (const PlannedTarget& target : targets) {
    if (target.kind != "file" && target.kind != "directory" && target.kind != "sqlite") continue;
    std::error_code ec;
    std::filesystem::path path =
        std::filesystem::weakly_canonical(std::filesystem::absolute(target.location, ec), ec);
    if (ec) path = std::filesystem::path(target.location).lexically_normal();
    std::error_code dir_ec;
    // A file target's root is its folder (its relative path is the file's name).
    std::string display = TrimmedDisplay(target.display);
    if (!std::filesystem::is_directory(path, dir_ec)) {
      path = path.parent_path();
      display = std::filesystem::path(display).parent_path().generic_string();
    }
    Root root;
    root.id = target.id;
    root.folder = path;
    root.name = path.filename().string();
    root.normalised = NormalizeDateStamps(root.name);
    root.display = display.empty() ? path.generic_string() : display;
    roots.push_back(std::move(root));
  }
  // The most general name that no other folder of this scan shares: the normalised name,
  // else the name as it is, else the target as typed.
  auto shared = [&roots](const Root& root, std::string Root::*key) {
    for (const Root& other : roots) {
      if (other.folder != root.folder && other.*key == root.*key) return true;
    }
    return false;
  };
  std::map<std::string, std::string> out;
  for (const Root& root : roots) {
    if (!shared(root, &Root::normalised)) {
      out[root.id] = root.normalised;
    } else if (!shared(root, &Root::name)) {
      out[root.id] = root.name;
    } else {
      out[root.id] = root.display;
    }
  }
  return out;
}

std::map<std::string, std::string> IdentityPaths(const std::string& root,
                                                 const std::vector<std::string>& relatives) {
  std::map<std::string, std::set<std::string>> by_normalised;
  for (const std::string& relative : relatives) {
    by_normalised[NormalizedDatasetPath(Joined(root, relative))].insert(relative);
  }
  std::map<std::string, std::string> out;
  for (const auto& [normalised, files] : by_normalised) {
    for (const std::string& relative : files) {
      out[relative] = files.size() == 1 ? normalised : Joined(root, relative);
    }
  }
  return out;
}

void SeparateCollidingIds(const std::map<std::string, std::string>& roots,
                          std::vector<Finding>* findings) {
  auto full_path = [&roots](const Location& l) {
    auto it = roots.find(l.target);
    return Joined(it == roots.end() ? l.target : it->second, l.path);
  };
  std::map<std::string, std::set<std::string>> files_by_id;
  for (const Finding& f : *findings) {
    if (f.location.kind == "file") files_by_id[f.id].insert(full_path(f.location));
  }
  for (Finding& f : *findings) {
    if (f.location.kind != "file" || files_by_id[f.id].size() < 2) continue;
    f.id = SeparatedFindingId(f.id, full_path(f.location));
  }
}

}  // namespace crmaudit
