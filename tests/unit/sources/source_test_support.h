// Test support for the file-source tests: a RecordSink that records what a reader delivers
// (and checks the UTF-8 contract on every value), a counting sink for big inputs, and a
// temporary directory that cleans up after itself.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/model/utf8.h"
#include "scanner/sources/record_sink.h"

namespace crmaudit::testing {

// Keeps every record as column name → values (in delivery order).
class RecordingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view name) override {
    EXPECT_TRUE(IsValidUtf8(name)) << "column name is not valid UTF-8";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return i;
    }
    columns.emplace_back(name);
    return columns.size() - 1;
  }
  void Field(size_t column, std::string_view value) override {
    EXPECT_TRUE(IsValidUtf8(value)) << "value is not valid UTF-8";
    EXPECT_LT(column, columns.size());
    if (column < columns.size()) current_[columns[column]].emplace_back(value);
  }
  void EndRecord() override {
    records.push_back(std::move(current_));
    current_.clear();
  }

  // The first value of `column` in record `row`, or "<none>".
  std::string Value(size_t row, const std::string& column) const {
    if (row >= records.size()) return "<no row>";
    auto it = records[row].find(column);
    return it == records[row].end() || it->second.empty() ? "<none>" : it->second.front();
  }
  std::vector<std::string> Values(size_t row, const std::string& column) const {
    if (row >= records.size()) return {};
    auto it = records[row].find(column);
    return it == records[row].end() ? std::vector<std::string>{} : it->second;
  }

  std::vector<std::string> columns;
  std::vector<std::map<std::string, std::vector<std::string>>> records;

 private:
  std::map<std::string, std::vector<std::string>> current_;
};

// Counts without storing, for inputs too big to keep.
class CountingSink : public RecordSink {
 public:
  size_t DeclareColumn(std::string_view) override { return columns++; }
  void Field(size_t, std::string_view value) override {
    ++fields;
    value_bytes += value.size();
    if (value.size() > longest_value) longest_value = value.size();
  }
  void EndRecord() override { ++records; }
  size_t columns = 0;
  uint64_t fields = 0;
  uint64_t records = 0;
  uint64_t value_bytes = 0;
  size_t longest_value = 0;
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "crmaudit-src-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    // Restore permissions a test may have dropped so the tree can be removed.
    for (auto it = std::filesystem::recursive_directory_iterator(
             path_, std::filesystem::directory_options::skip_permission_denied, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ec);
    }
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

  std::filesystem::path Write(const std::string& relative, std::string_view bytes) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

  std::filesystem::path WriteGzip(const std::string& relative, std::string_view bytes) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    gzFile gz = gzopen(p.c_str(), "wb");
    gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(gz);
    return p;
  }

 private:
  std::filesystem::path path_;
};

// Runs `check` as the unprivileged user `nobody` (uid/gid 65534) when the tests run as root —
// root reads everything, so permission bits can only be tested without it — and expects it to
// hold. The check runs in a forked child (a gtest death test) so the test process keeps its
// privileges. Files the check needs must be reachable by `nobody` (see OpenToOthers).
inline void ExpectAsUnprivileged(const std::function<bool()>& check) {
  if (geteuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  // A plain fork, not a death test: a re-executed death-test child would run the whole test
  // again and leave its own temporary tree behind, unremovable once it became `nobody`. The
  // child only runs `check` on the parent's tree, which the parent then removes.
  const pid_t child = fork();
  ASSERT_GE(child, 0) << "fork failed";
  if (child == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the check failed when run as nobody (status " << status << ")";
}

// Lets other users traverse `dir` (mkdtemp creates it 0700).
inline void OpenToOthers(const std::filesystem::path& dir) {
  std::filesystem::permissions(
      dir,
      std::filesystem::perms::others_read | std::filesystem::perms::others_exec |
          std::filesystem::perms::group_read | std::filesystem::perms::group_exec,
      std::filesystem::perm_options::add);
}

}  // namespace crmaudit::testing
