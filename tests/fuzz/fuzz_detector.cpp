// libFuzzer target: any UTF-8 text as a cell value, scanned by every shipped pack in a hinted
// and an unhinted column. What must hold: no crash, spans inside the value, confidence 0-100,
// masks valid UTF-8 and never longer than a bounded size.
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "scanner/detect/compiled_policy.h"
#include "scanner/detect/masking.h"
#include "scanner/model/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto policy = [] {
    std::vector<crmaudit::PolicyPack> packs;
    for (const auto& file : crmaudit::ListPolicyPacks({CRMAUDIT_SOURCE_POLICY_DIR})) {
      packs.push_back(crmaudit::LoadPolicyPack(file));
    }
    return crmaudit::CompiledPolicy::Compile(std::move(packs));
  }();
  std::string value =
      crmaudit::RepairUtf8(std::string_view(reinterpret_cast<const char*>(data), size));
  std::vector<crmaudit::ValueMatch> matches;
  for (const char* column : {"notes", "email", "身份证号", "order_no"}) {
    matches.clear();
    policy->Scan(value, policy->ColumnHints(column), &matches);
    for (const auto& m : matches) {
      if (m.begin > m.end || m.end > value.size()) std::abort();
      if (m.confidence < 0 || m.confidence > 100) std::abort();
      const auto& entity = policy->detectors().at(static_cast<size_t>(m.detector))->entity;
      std::string mask = crmaudit::MaskValue(entity, value.substr(m.begin, m.end - m.begin));
      if (!crmaudit::IsValidUtf8(mask)) std::abort();
    }
  }
  return 0;
}
