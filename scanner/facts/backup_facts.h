// BackupFacts: what the backups of a database look like — newest good full backup, errors,
// encryption — from pgBackRest, WAL-G or a folder of dump files (pg_dump, mysqldump,
// mariadb-dump, xbstream files, Mariabackup / XtraBackup backup directories). Plain data only: the
// reader that runs pgbackrest and lists folders is sources/backups/backup_reader.h; BAK-02/BAK-03
// in checks/backup_checks.h judge these facts against the packs' thresholds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crmaudit {

struct BackupSetFacts {
  std::string label;
  std::string type;        // "full", "diff", "incr" (pgBackRest); "full" for WAL-G and dumps
  int64_t stop_epoch = 0;  // when the backup finished (Unix seconds)
  bool error = false;      // pgBackRest found page checksum errors / backup marked bad
};

struct BackupSourceFacts {
  // "pgbackrest", "wal-g", "dump-folder". A Mariabackup / XtraBackup directory (or a folder of
  // them) is a "dump-folder" too: BAK-02/BAK-03 judge its backups as they judge dump files.
  std::string kind;
  std::string name;  // stanza name, or the folder / file as given
  bool readable = false;
  std::string reason;   // when not readable
  int status_code = 0;  // pgBackRest stanza status (0 ok, 2 no valid backups...)
  std::string status_message;
  std::vector<BackupSetFacts> backups;
  std::optional<std::string> cipher;  // "none", "aes-256-cbc"...; nullopt = not visible
  uint64_t files = 0;                 // dump files (and Mariabackup backup directories) seen
  uint64_t unencrypted_files = 0;     // dump files readable without a key
  // Dump folders: a file is readable without a key when it is plain SQL, a pg_dump custom
  // (PGDMP) or tar archive, or only compressed, and not inside an encrypted container (age,
  // OpenPGP, openssl `Salted__`, encrypted zip). Files that are neither are unrecognised.
  uint64_t unrecognised_files = 0;
  std::vector<std::string> unencrypted_names;  // file names (sorted), never contents
};

struct BackupFacts {
  std::vector<BackupSourceFacts> sources;
};

}  // namespace crmaudit
