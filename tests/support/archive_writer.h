// Builds ZIP, tar and tar.gz archives in memory for tests, with libarchive's writer: members
// in the given order, optionally encrypted (traditional PKWARE ZipCrypto) or stored without
// compression. Names are written as given, "../" and control characters included.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace crmaudit::testing {

struct ArchiveSpec {
  std::string format = "zip";  // "zip", "tar", "tar.gz"
  std::string passphrase;      // zip only: encrypts every member
  bool store = false;          // zip only: no compression
};

inline std::string BuildArchive(const std::vector<std::pair<std::string, std::string>>& members,
                                const ArchiveSpec& spec = {}) {
  std::string out;
  struct archive* a = archive_write_new();
  auto check = [a](int r, const char* what) {
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      std::string message =
          std::string(what) + ": " + (archive_error_string(a) ? archive_error_string(a) : "");
      archive_write_free(a);
      throw std::runtime_error(message);
    }
  };
  if (spec.format == "zip") {
    check(archive_write_set_format_zip(a), "zip");
    if (spec.store) check(archive_write_set_options(a, "zip:compression=store"), "store");
    if (!spec.passphrase.empty()) {
      check(archive_write_set_options(a, "zip:encryption=zipcrypt"), "encryption");
      check(archive_write_set_passphrase(a, spec.passphrase.c_str()), "passphrase");
    }
  } else {
    check(archive_write_set_format_pax_restricted(a), "tar");
    if (spec.format == "tar.gz") check(archive_write_add_filter_gzip(a), "gzip");
  }
  archive_write_set_bytes_in_last_block(a, 1);
  auto write = [](struct archive*, void* data, const void* buffer, size_t size) -> la_ssize_t {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), size);
    return static_cast<la_ssize_t>(size);
  };
  check(archive_write_open(a, &out, nullptr, write, nullptr), "open");
  for (const auto& [name, bytes] : members) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, name.ends_with("/") ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_mtime(entry, 1767600000, 0);
    check(archive_write_header(a, entry), "header");
    if (!bytes.empty() && archive_write_data(a, bytes.data(), bytes.size()) < 0) {
      archive_entry_free(entry);
      check(ARCHIVE_FATAL, "data");
    }
    archive_entry_free(entry);
  }
  check(archive_write_close(a), "close");
  archive_write_free(a);
  return out;
}

}  // namespace crmaudit::testing
