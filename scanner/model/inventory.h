// Inventory: the PII data map (GDPR Art. 30): for every column, which entity types it holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crmaudit {

struct EntityCount {
  std::string type;      // entity type, e.g. "EMAIL_ADDRESS"
  uint64_t matched = 0;  // values in which the entity was confirmed
  uint64_t scanned = 0;  // non-empty values examined in the column
  int confidence = 0;    // 0-100
};

struct InventoryEntry {
  std::string target;
  std::string dataset;
  std::string column;  // as the source names it; nested JSON keys joined with '.'
  std::vector<EntityCount> entities;
};

}  // namespace crmaudit
