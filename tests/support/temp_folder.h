// A fresh folder under the system's temporary directory for one test, removed with everything
// in it when the test is done (mkdtemp: private to the user, never shared between tests).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace crmaudit::testing {

class TempFolder {
 public:
  // `prefix` names the folder ("crmaudit-sqlite" -> /tmp/crmaudit-sqlite-Ab12Cd) so a folder
  // left by a crashed test says which suite made it.
  explicit TempFolder(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace crmaudit::testing
