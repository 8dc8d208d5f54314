#include "scanner/scan/finding_identity.h"

#include <filesystem>
#include <set>
#include <system_error>

#include "scanner/model/fingerprint.h"

namespace crmaudit {

namespace {

std::string Joined(const std::string& root, const std::string& relative) {
  return root.empty() ? relative : root + "/" + relative;
}

std::string TrimmedDisplay(std::string display) {
  while (display.size() > 1 && display.back() == '/') display.pop_back();
  return display;
}

}  // namespace

std::map<std::string, std::string> IdentityRoots(const std::vector<PlannedTarget>& targets) {
  std::map<std::string, std::string> roots;
  std::map<std::string, std::set<std::string>> folders_by_name;
  std::map<std::string, std::filesystem::path> folder_of;
  for (const PlannedTarget& target : targets) {
    if (target.kind != "file" && target.kind != "directory") continue;
    std::error_code ec;
    std::filesystem::path path =
        std::filesystem::weakly_canonical(std::filesystem::absolute(target.location, ec), ec);
    if (ec) path = std::filesystem::path(target.location).lexically_normal();
    std::error_code dir_ec;
    // A file target's root is its folder (its relative path is the file's name).
    if (!std::filesystem::is_directory(path, dir_ec)) path = path.parent_path();
    while (path.has_relative_path() && path.filename().empty()) path = path.parent_path();
    const std::string name = path.filename().string();
    roots[target.id] = name;
    folder_of[target.id] = path;
    folders_by_name[name].insert(path.string());
  }
  for (const PlannedTarget& target : targets) {
    auto it = roots.find(target.id);
    if (it == roots.end() || folders_by_name[it->second].size() < 2) continue;
    // Two different folders with one name: the target as typed tells them apart.
    std::string display = TrimmedDisplay(target.display);
    if (target.kind == "file") {
      display = std::filesystem::path(display).parent_path().generic_string();
    }
    it->second = display.empty() ? folder_of[target.id].generic_string() : display;
  }
  return roots;
}

std::map<std::string, std::string> IdentityPaths(const std::string& root,
                                                 const std::vector<std::string>& relatives) {
  std::map<std::string, std::set<std::string>> by_normalised;
  for (const std::string& relative : relatives) {
    by_normalised[NormalizeDateStamps(Joined(root, relative))].insert(relative);
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
