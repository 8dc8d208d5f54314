#include "scanner/model/text_template.h"

namespace crmaudit {

std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values,
                         std::vector<std::string>* missing) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('{', at);
    const size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(at, open - at));
    const std::string name(text.substr(open + 1, close - open - 1));
    auto value = values.find(name);
    if (value != values.end()) {
      out += value->second;
    } else {
      out.append(text.substr(open, close - open + 1));
      if (missing != nullptr) missing->push_back(name);
    }
    at = close + 1;
  }
  if (at < text.size()) out.append(text.substr(at));
  return out;
}

}  // namespace crmaudit
