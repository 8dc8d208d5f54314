// BackupReader: collects BackupFacts (facts/backup_facts.h) from where a database's backups are
// described. The one part of the backup checks that does I/O: it reads files and folders and
// may start pgbackrest; checks/backup_checks.h judges what it returns.
//
// Sources (CollectBackupFacts `spec`):
//  - a file holding `pgbackrest info --output=json` or `wal-g backup-list --detail --json`
//    (recognised by content);
//  - a directory of dump files (pg_dump plain/custom/tar, mysqldump / mariadb-dump SQL,
//    xbstream streams; compressed or encrypted), and of Mariabackup / XtraBackup backup
//    directories (sources/backups/mariabackup_reader.h) — or one such backup directory itself;
//  - "pgbackrest" or "pgbackrest:/path/to/pgbackrest.conf": runs `pgbackrest info` itself
//    (no shell; arguments passed as a vector).
// Never throws: a source that cannot be read is returned with `readable = false` and a reason.
// Dump files are classified by their first bytes and named by file name; their contents are
// never kept.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scanner/facts/backup_facts.h"

namespace crmaudit {

// The stanzas of `pgbackrest info --output=json`; one unreadable source when it is not that.
std::vector<BackupSourceFacts> ParsePgBackRestInfo(std::string_view json_text);
// `wal-g backup-list --detail --json`, named `name` (the file it came from).
BackupSourceFacts ParseWalgBackupList(std::string_view json_text, const std::string& name);
// The dump files of `directory` (by name suffix), each classified readable/encrypted/unknown,
// and its Mariabackup backups (the directory itself, or its subdirectories, one per backup).
// Unreadable, with the reason, when its only backups are Mariabackup ones without a time.
BackupSourceFacts ScanDumpFolder(const std::string& directory);

BackupFacts CollectBackupFacts(const std::string& spec);

}  // namespace crmaudit
