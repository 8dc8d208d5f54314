#include "scanner/scan/source_root.h"

#include <system_error>

namespace crmaudit {

namespace {

std::filesystem::path Canonical(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) return path.lexically_normal();
  std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

}  // namespace

std::optional<std::filesystem::path> FindRepositoryRoot(const std::filesystem::path& start) {
  std::filesystem::path folder = Canonical(start);
  while (true) {
    std::error_code ec;
    if (std::filesystem::exists(folder / ".git", ec)) return folder;
    if (!folder.has_relative_path()) return std::nullopt;
    folder = folder.parent_path();
  }
}

std::optional<std::string> SourceRootPath(const std::filesystem::path& target,
                                          const std::optional<std::filesystem::path>& root) {
  std::filesystem::path folder = Canonical(target);
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) folder = folder.parent_path();
  std::optional<std::filesystem::path> base = root ? Canonical(*root) : FindRepositoryRoot(folder);
  if (!base) return std::nullopt;
  std::filesystem::path relative = folder.lexically_relative(*base);
  if (relative.empty()) return std::nullopt;
  std::string text = relative.generic_string();
  if (text == ".") return std::string();
  if (text == ".." || text.rfind("../", 0) == 0) return std::nullopt;
  return text;
}

}  // namespace crmaudit
