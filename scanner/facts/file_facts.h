// FileFacts: what is known about an export file apart from its contents — who may read it,
// how old it is, and whether it is an encrypted container. Collected by sources/files, judged
// by checks/export_checks (ENC-07, RET-03).
#pragma once

#include <cstdint>
#include <string>

namespace crmaudit {

struct FileFacts {
  std::string relative;        // path relative to the target root
  uint32_t mode = 0;           // permission bits (st_mode & 07777)
  int64_t modified_epoch = 0;  // mtime, seconds since the epoch
  uint64_t size = 0;
  // Recognised by magic bytes: "" (plain), "gzip", "pgp", "age", "openssl-salted",
  // "zip", "zip-encrypted", "office-encrypted", "sqlite" (a SQLite database file).
  std::string container;
  bool encrypted = false;  // the container protects its contents with a key or passphrase

  bool readable_by_group_or_others() const { return (mode & 044) != 0; }
};

}  // namespace crmaudit
