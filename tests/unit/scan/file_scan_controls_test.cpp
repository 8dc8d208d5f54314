// The export checks (ENC-07, RET-03) as a file scan reports them: findings named by the target,
// and one ControlResult per check for the target listing every personal-data export judged,
// passes included.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scanner/model/fingerprint.h"
#include "scanner/scan/file_scan.h"
#include "scanner/scan/scan_runner.h"

namespace crmaudit {
namespace {

class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "crmaudit-exports-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text, mode_t mode) const {
    const std::string file = (path_ / name).string();
    std::ofstream(file) << text;
    ::chmod(file.c_str(), mode);
    return file;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string Contacts(int rows) {
  std::string csv = "name,email\n";
  for (int i = 0; i < rows; ++i) {
    csv += "P" + std::to_string(i) + ",person" + std::to_string(i) + "@example.com\n";
  }
  return csv;
}

const ControlResult* ResultOf(const TargetScanOutput& output, const std::string& rule) {
  for (const auto& result : output.controls) {
    if (result.rule == rule) return &result;
  }
  return nullptr;
}

TEST(FileScanControls, ExportChecksReportPassesAndFailsUnderTheTarget) {
  ScratchFolder folder;
  folder.Write("shared.csv", Contacts(6), 0644);  // ENC-07 fails; fresh, so RET-03 passes
  folder.Write("products.csv", "sku,price\nA-1,10\nB-2,12\n", 0644);  // no personal data
  PlannedTarget target{"t7", "directory", folder.path().string(), folder.path().string()};
  ScanPlan plan;
  plan.targets = {target};
  Progress progress(false);
  std::vector<std::string> warnings;
  const TargetScanOutput output = ScanFileTarget(
      target, plan, LoadPolicies({"pii-core", "controls-gdpr"}, nullptr, ""), progress, warnings);

  const Finding* enc = nullptr;
  for (const auto& f : output.findings) {
    if (f.rule == "ENC-07") enc = &f;
    EXPECT_NE(f.rule, "RET-03") << "a fresh export is kept within the period";
  }
  ASSERT_NE(enc, nullptr);
  EXPECT_EQ(enc->location.target, "t7");
  EXPECT_EQ(enc->location.path, "shared.csv");
  EXPECT_EQ(enc->id, FindingId("ENC-07", enc->location)) << "the id names the target";
  EXPECT_EQ(enc->title, "Personal-data export in plaintext, readable by other users");
  EXPECT_FALSE(enc->frameworks.at("GDPR").empty());

  const ControlResult* enc07 = ResultOf(output, "ENC-07");
  ASSERT_NE(enc07, nullptr);
  EXPECT_EQ(enc07->target, "t7");
  EXPECT_EQ(enc07->status, OutcomeStatus::kFail);
  ASSERT_EQ(enc07->objects.size(), 1u) << "the file without personal data is not judged";
  EXPECT_EQ(enc07->objects[0].name, "file shared.csv");
  const ControlResult* ret03 = ResultOf(output, "RET-03");
  ASSERT_NE(ret03, nullptr);
  EXPECT_EQ(ret03->target, "t7");
  EXPECT_EQ(ret03->status, OutcomeStatus::kPass);
  EXPECT_EQ(ret03->passed, 1u);
}

}  // namespace
}  // namespace crmaudit
