#include "scanner/cli/read_file.h"

#include "scanner/model/input_file.h"

namespace crmaudit {

std::optional<std::string> ReadWholeFile(const std::string& path, std::string* reason) {
  return ReadInputFile(path, kMaxReportFileBytes, reason);
}

}  // namespace crmaudit
