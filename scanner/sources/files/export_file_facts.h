// Collecting FileFacts for one export file: stat() plus the first bytes for the container
// magic (PGP binary/armoured, age, OpenSSL `Salted__`, ZIP with the encryption flag, OLE
// compound files named .xlsx/.xlsm/.docx/.pptx — how Office stores encrypted OOXML). Reads at most
// 64 bytes of content; never fails: unknown parts stay at their defaults.
#pragma once

#include <filesystem>
#include <string>

#include "scanner/facts/file_facts.h"

namespace crmaudit {

FileFacts CollectExportFileFacts(const std::filesystem::path& path, const std::string& relative);

// Classifies a file head (first bytes) and name; exposed for tests.
void ClassifyContainer(std::string_view head, std::string_view file_name, FileFacts* facts);

}  // namespace crmaudit
