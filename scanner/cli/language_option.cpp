#include "scanner/cli/language_option.h"

#include <iostream>

#include "reports/i18n/report_language.h"

namespace crmaudit {

std::optional<std::string> ResolveLanguageOption(std::string_view command, std::string_view option,
                                                 std::optional<std::string> configured) {
  if (option.empty()) return configured ? *configured : LanguageFromEnvironment();
  std::optional<std::string> parsed = ParseReportLanguage(option);
  if (!parsed) std::cerr << "crmaudit " << command << ": --lang must be en or zh-CN\n";
  return parsed;
}

}  // namespace crmaudit
