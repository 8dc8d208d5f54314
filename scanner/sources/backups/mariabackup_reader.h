// MariabackupReader: the physical backups of Mariabackup (mariadb-backup) and Percona
// XtraBackup, read from the small metadata files the tools write beside the data files.
//
// A backup directory is one holding `xtrabackup_checkpoints` or `mariadb_backup_checkpoints`
// (MariaDB 11 names), normally beside `xtrabackup_info` / `mariadb_backup_info`. Both are
// `key = value` text:
//  - checkpoints: backup_type = full-backuped | full-prepared | log-applied | incremental;
//  - info: tool_name, tool_version, start_time, end_time ("YYYY-MM-DD HH:MM:SS", the local time
//    of the machine that took the backup), incremental = Y|N, compressed, encrypted = Y|N.
// The backup's time is end_time (start_time when only that is there). Percona's --encrypt
// leaves the info file as `xtrabackup_info.xbcrypt` and the checkpoints file plain: the backup
// is then encrypted and dated by the checkpoints file's modification time (written last).
// Without any of these times the backup is undated and says why.
// Only these metadata files are read, never the data files; never throws.
#pragma once

#include <string>
#include <string_view>

#include "scanner/facts/backup_facts.h"

namespace crmaudit {

struct MariabackupBackup {
  BackupSetFacts set;  // label, type ("full" / "incr"), stop_epoch (0 when undated)
  std::string tool;    // tool_name and tool_version ("mariadb-backup 10.11.6-MariaDB")
  bool encrypted = false;
  bool compressed = false;
  std::string undated_reason;  // why stop_epoch is 0
};

// Parses the texts of the info and checkpoints files (either may be empty: absent).
MariabackupBackup ParseMariabackupMetadata(std::string_view info_text,
                                           std::string_view checkpoints_text,
                                           const std::string& label);

// Whether `directory` holds a Mariabackup / XtraBackup backup (a checkpoints file).
bool IsMariabackupDirectory(const std::string& directory);

// Reads the backup in `directory` (IsMariabackupDirectory); its label is the folder's name.
// Encrypted also when a data file at its top level ends in `.xbcrypt`.
MariabackupBackup ReadMariabackupDirectory(const std::string& directory);

}  // namespace crmaudit
