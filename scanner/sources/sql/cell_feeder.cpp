#include "scanner/sources/sql/cell_feeder.h"

#include <nlohmann/json.hpp>

#include "scanner/detect/password_form.h"
#include "scanner/model/utf8.h"
#include "scanner/sources/sql/value_sniffer.h"

namespace crmaudit {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// bytea in hex output form: \x0102…
bool DecodeByteaHex(std::string_view text, std::string* out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  out->clear();
  out->reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

void CountPassword(ColumnValueFacts& facts, std::string_view value) {
  switch (ClassifyPasswordValue(value)) {
    case PasswordForm::kStrongHash:
      ++facts.strong_hashes;
      break;
    case PasswordForm::kWeakHash:
      ++facts.fast_unsalted;
      break;
    case PasswordForm::kPlaintext:
      ++facts.plaintext_passwords;
      break;
    case PasswordForm::kOtherHash:
    case PasswordForm::kPlaceholder:
    case PasswordForm::kUnknown:
      break;
  }
}

}  // namespace

CellFeeder::CellFeeder(RecordSink& sink, std::vector<CellColumn> columns,
                       std::vector<ColumnValueFacts>* facts)
    : sink_(sink), columns_(std::move(columns)), facts_(facts), first_fact_(facts->size()) {
  for (const auto& column : columns_) {
    indexes_.push_back(sink_.DeclareColumn(column.name));
    ColumnValueFacts f;
    f.column = column.name;
    f.type = column.type;
    f.password_column = IsPasswordColumnName(column.name);
    facts_->push_back(std::move(f));
  }
}

void CellFeeder::Cell(size_t i, std::string_view value) {
  ColumnValueFacts& facts = (*facts_)[first_fact_ + i];
  ++facts.values;
  switch (columns_[i].kind) {
    case CellKind::kJson:
      Json(i, value);
      return;
    case CellKind::kHexBinary:
      if (!DecodeByteaHex(value, &bytes_)) {
        ++facts.other_binary;
        return;
      }
      Binary(i, bytes_);
      return;
    case CellKind::kBinary:
      Binary(i, value);
      return;
    case CellKind::kText:
      break;
  }
  if (facts.password_column) CountPassword(facts, value);
  if (trusted_utf8_text_) {
    if (!value.empty()) sink_.Field(indexes_[i], value);
    return;
  }
  Emit(indexes_[i], value);
}

void CellFeeder::Emit(size_t index, std::string_view value) {
  if (value.empty()) return;
  if (IsValidUtf8(value)) {
    sink_.Field(index, value);
  } else {
    sink_.Field(index, RepairUtf8(value));
  }
}

void CellFeeder::Binary(size_t i, std::string_view bytes) {
  ColumnValueFacts& facts = (*facts_)[first_fact_ + i];
  switch (SniffBinary(bytes)) {
    case BinaryForm::kCiphertext:
      ++facts.ciphertext;
      return;  // encrypted: nothing a detector could or should see
    case BinaryForm::kOtherBinary:
      ++facts.other_binary;
      return;
    case BinaryForm::kReadableText:
      ++facts.readable_text;
      if (facts.password_column) CountPassword(facts, bytes);
      Emit(indexes_[i], bytes);
      return;
  }
}

void CellFeeder::Walk(const nlohmann::json& node, const std::string& path, size_t index) {
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) {
      const std::string child_path = path + "." + key;
      Walk(child, child_path, PathIndex(child_path));
    }
  } else if (node.is_array()) {
    for (const auto& child : node) Walk(child, path, index);
  } else if (node.is_string()) {
    Emit(index, node.get_ref<const std::string&>());
  } else if (node.is_number()) {
    Emit(index, node.dump());
  }
}

void CellFeeder::Json(size_t i, std::string_view value) {
  auto parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    Emit(indexes_[i], value);
    return;
  }
  Walk(parsed, columns_[i].name, indexes_[i]);
}

size_t CellFeeder::PathIndex(const std::string& path) {
  auto it = path_indexes_.find(path);
  if (it != path_indexes_.end()) return it->second;
  const size_t index = sink_.DeclareColumn(path);
  path_indexes_.emplace(path, index);
  return index;
}

}  // namespace crmaudit
