#include "scanner/sources/backups/backup_reader.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scanner/sources/backups/mariabackup_reader.h"

extern char** environ;

namespace crmaudit {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

BackupSourceFacts Unreadable(std::string kind, std::string name, std::string reason) {
  BackupSourceFacts source;
  source.kind = std::move(kind);
  source.name = std::move(name);
  source.reason = std::move(reason);
  return source;
}

// "2026-11-24T10:00:00Z", optionally with fractional seconds (WAL-G prints UTC).
int64_t ParseUtc(const std::string& text) {
  std::tm tm{};
  if (text.size() < 19) return 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm));
}

bool ReadFile(const fs::path& path, std::string* out, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(limit, '\0');
  in.read(out->data(), static_cast<std::streamsize>(limit));
  out->resize(static_cast<size_t>(in.gcount()));
  return true;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsEncryptedContainer(std::string_view head) {
  if (StartsWith(head, "Salted__")) return true;
  if (StartsWith(head, "age-encryption.org/")) return true;
  if (StartsWith(head, "-----BEGIN AGE ENCRYPTED FILE-----")) return true;
  if (StartsWith(head, "-----BEGIN PGP MESSAGE-----")) return true;
  if (!head.empty()) {
    const auto first = static_cast<unsigned char>(head[0]);
    // Binary OpenPGP packets (session-key packets, old and new format).
    if (first == 0x85 || first == 0x84 || first == 0xc1 || first == 0xc3 || first == 0x8c) {
      return true;
    }
  }
  return false;
}

// What the first bytes of a dump file say about who can read it.
enum class DumpForm {
  kEncrypted,     // age, OpenPGP, openssl enc, zip with encrypted entries
  kReadable,      // plain SQL, pg_dump custom/tar archive, or only compressed: no key needed
  kUnrecognised,  // neither: not counted either way (could be a cipher we do not know)
};

bool LooksLikePlainSql(std::string_view head) {
  if (StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  while (!head.empty() &&
         (head[0] == ' ' || head[0] == '\n' || head[0] == '\r' || head[0] == '\t')) {
    head.remove_prefix(1);
  }
  for (std::string_view start : {"--", "/*", "SET ", "CREATE ", "\\connect", "BEGIN", "INSERT ",
                                 "COPY ", "SELECT ", "DROP ", "ALTER "}) {
    if (StartsWith(head, start)) return true;
  }
  return false;
}

// An xbstream (Mariabackup / XtraBackup --stream=xbstream) starts with a chunk header: magic
// "XBSTCK01", flags (1 byte), type (1 byte), path length (4 bytes, little-endian), path. With
// Percona's --encrypt the streamed files are `.xbcrypt` ones: the stream then needs the key.
DumpForm ClassifyXbstream(std::string_view head) {
  if (head.size() < 14) return DumpForm::kUnrecognised;
  uint32_t length = 0;
  for (int i = 3; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(head[10 + i]);
  if (length == 0 || head.size() < 14 + static_cast<size_t>(length)) return DumpForm::kReadable;
  const std::string_view path = head.substr(14, length);
  const std::string_view suffix = ".xbcrypt";
  const bool encrypted =
      path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  return encrypted ? DumpForm::kEncrypted : DumpForm::kReadable;
}

DumpForm ClassifyDump(std::string_view head) {
  if (IsEncryptedContainer(head)) return DumpForm::kEncrypted;
  if (StartsWith(head, "XBCRYP0")) return DumpForm::kEncrypted;  // xbcrypt (XtraBackup)
  if (StartsWith(head, "XBSTCK01")) return ClassifyXbstream(head);
  if (StartsWith(head, "PK\x03\x04")) {
    // Zip local file header: bit 0 of the general purpose flag marks an encrypted entry
    // (ZipCrypto or WinZip AES alike).
    if (head.size() < 8) return DumpForm::kUnrecognised;
    return (static_cast<unsigned char>(head[6]) & 0x01) != 0 ? DumpForm::kEncrypted
                                                             : DumpForm::kReadable;
  }
  if (StartsWith(head, "PGDMP")) return DumpForm::kReadable;  // pg_dump -Fc
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") return DumpForm::kReadable;  // -Ft
  // Compression is not encryption: gzip, zstd, bzip2, xz, lz4 frames open without a key.
  for (std::string_view magic :
       {std::string_view("\x1f\x8b", 2), std::string_view("\x28\xb5\x2f\xfd", 4),
        std::string_view("BZh", 3),
        std::string_view("\xfd"
                         "7zXZ\x00",
                         6),
        std::string_view("\x04\x22\x4d\x18", 4)}) {
    if (StartsWith(head, magic)) return DumpForm::kReadable;
  }
  if (LooksLikePlainSql(head)) return DumpForm::kReadable;
  return DumpForm::kUnrecognised;
}

bool LooksLikeDump(const fs::path& path) {
  const std::string name = path.filename().string();
  for (const char* suffix :
       {".sql", ".dump", ".backup", ".tar", ".gz", ".zst", ".lz4", ".bz2", ".xz", ".gpg", ".pgp",
        ".age", ".enc", ".pgdump", ".zip", ".asc", ".xbstream", ".xbcrypt"}) {
    const std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      return true;
    }
  }
  return false;
}

// Runs `pgbackrest --output=json info` without a shell; returns its stdout or a reason.
bool RunPgBackRest(const std::string& config, std::string* output, std::string* reason) {
  std::vector<std::string> args = {"pgbackrest", "--output=json", "--log-level-console=off"};
  if (!config.empty()) args.push_back("--config=" + config);
  args.push_back("info");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    *reason = "could not create a pipe for pgbackrest";
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "pgbackrest", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    *reason = "pgbackrest could not be started (is it installed?)";
    return false;
  }
  char buffer[65536];
  ssize_t n = 0;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) {
    if (output->size() < (64u << 20)) output->append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    *reason = "pgbackrest info failed (exit status " +
              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    return false;
  }
  return true;
}

}  // namespace

namespace {

// Fields read from a tool's JSON: a field of another type than expected reads as absent
// (the fallback), never as a JSON library exception. The JSON comes from a repository whose
// contents the auditor does not control.
std::string TextOr(const json& object, const char* key, std::string fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

int64_t IntegerOr(const json& object, const char* key, int64_t fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

}  // namespace

std::vector<BackupSourceFacts> ParsePgBackRestInfo(std::string_view json_text) {
  std::vector<BackupSourceFacts> out;
  json info = json::parse(json_text, nullptr, false);
  if (info.is_discarded() || !info.is_array()) {
    out.push_back(Unreadable("pgbackrest", "pgbackrest info", "not pgBackRest info JSON"));
    return out;
  }
  for (const auto& stanza : info) {
    if (!stanza.is_object()) continue;
    BackupSourceFacts source;
    source.kind = "pgbackrest";
    source.name = TextOr(stanza, "name", "(unnamed stanza)");
    source.readable = true;
    if (stanza.contains("status") && stanza["status"].is_object()) {
      source.status_code = static_cast<int>(IntegerOr(stanza["status"], "code", -1));
      source.status_message = TextOr(stanza["status"], "message", "");
    }
    // Stanza-level cipher (older releases) or per-repository ciphers: encrypted only when
    // every repository is.
    if (stanza.contains("cipher") && stanza["cipher"].is_string()) {
      source.cipher = stanza["cipher"].get<std::string>();
    }
    if (stanza.contains("repo") && stanza["repo"].is_array()) {
      for (const auto& repo : stanza["repo"]) {
        if (repo.is_object() && repo.contains("cipher") && repo["cipher"].is_string()) {
          const std::string cipher = repo["cipher"].get<std::string>();
          if (!source.cipher || cipher == "none") source.cipher = cipher;
        }
      }
    }
    if (stanza.contains("backup") && stanza["backup"].is_array()) {
      for (const auto& backup : stanza["backup"]) {
        if (!backup.is_object()) continue;
        BackupSetFacts set;
        set.label = TextOr(backup, "label", "");
        set.type = TextOr(backup, "type", "");
        if (backup.contains("timestamp") && backup["timestamp"].is_object()) {
          set.stop_epoch = IntegerOr(backup["timestamp"], "stop", 0);
        }
        set.error =
            backup.contains("error") && backup["error"].is_boolean() && backup["error"].get<bool>();
        source.backups.push_back(std::move(set));
      }
    }
    out.push_back(std::move(source));
  }
  return out;
}

BackupSourceFacts ParseWalgBackupList(std::string_view json_text, const std::string& name) {
  json list = json::parse(json_text, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    return Unreadable("wal-g", name, "not WAL-G backup-list JSON");
  }
  BackupSourceFacts source;
  source.kind = "wal-g";
  source.name = name;
  source.readable = true;
  for (const auto& backup : list) {
    if (!backup.is_object()) continue;
    BackupSetFacts set;
    set.label = TextOr(backup, "backup_name", "");
    set.type = "full";
    set.stop_epoch = ParseUtc(TextOr(backup, "finish_time", TextOr(backup, "time", "")));
    source.backups.push_back(std::move(set));
  }
  return source;
}

namespace {

// One Mariabackup / XtraBackup backup directory, counted like a dump file: readable without a
// key unless encrypted. An undated one is kept out of the age but remembered (`undated`).
void AddMariabackup(const std::string& directory, BackupSourceFacts* source, std::string* undated) {
  MariabackupBackup backup = ReadMariabackupDirectory(directory);
  ++source->files;
  if (!backup.encrypted) {
    ++source->unencrypted_files;
    source->unencrypted_names.push_back(backup.set.label);
  }
  if (backup.set.stop_epoch == 0 && undated->empty()) *undated = backup.undated_reason;
  source->backups.push_back(std::move(backup.set));
}

}  // namespace

BackupSourceFacts ScanDumpFolder(const std::string& directory) {
  BackupSourceFacts source;
  source.kind = "dump-folder";
  source.name = directory;
  std::error_code error;
  fs::directory_iterator it(directory, error);
  if (error) return Unreadable("dump-folder", directory, "the folder could not be listed");
  source.readable = true;
  std::string undated;  // the first Mariabackup backup without a time, and why
  // One backup directory given by itself: its data files (`ibdata1.zst`, `*.xbcrypt`) are
  // parts of that backup, not dumps of their own.
  const bool one_backup = IsMariabackupDirectory(directory);
  if (one_backup) AddMariabackup(directory, &source, &undated);
  for (const auto& entry : it) {
    if (one_backup) break;
    if (entry.is_directory(error)) {
      // A folder of backup directories, one per backup (dated names, full and incremental).
      if (IsMariabackupDirectory(entry.path().string())) {
        AddMariabackup(entry.path().string(), &source, &undated);
      }
      continue;
    }
    if (!entry.is_regular_file(error) || !LooksLikeDump(entry.path())) continue;
    ++source.files;
    std::string head;
    if (!ReadFile(entry.path(), &head, 512)) continue;
    switch (ClassifyDump(head)) {
      case DumpForm::kReadable:
        ++source.unencrypted_files;
        source.unencrypted_names.push_back(entry.path().filename().string());
        break;
      case DumpForm::kUnrecognised:
        ++source.unrecognised_files;
        break;
      case DumpForm::kEncrypted:
        break;
    }
    struct stat info {};
    if (stat(entry.path().c_str(), &info) != 0) continue;
    BackupSetFacts set;
    set.label = entry.path().filename().string();
    set.type = "full";
    set.stop_epoch = static_cast<int64_t>(info.st_mtime);
    source.backups.push_back(std::move(set));
  }
  std::sort(source.unencrypted_names.begin(), source.unencrypted_names.end());
  // Backups whose time cannot be read and no dated full backup beside them: the age cannot be
  // told, so it is not guessed (no "no full backup" failure either).
  const bool dated_full = std::any_of(
      source.backups.begin(), source.backups.end(),
      [](const BackupSetFacts& set) { return set.type == "full" && set.stop_epoch > 0; });
  if (!undated.empty() && !dated_full) return Unreadable("dump-folder", directory, undated);
  return source;
}

BackupFacts CollectBackupFacts(const std::string& spec) {
  BackupFacts facts;
  if (spec == "pgbackrest" || StartsWith(spec, "pgbackrest:")) {
    const std::string config = spec.size() > 11 ? spec.substr(11) : std::string();
    std::string output, reason;
    if (!RunPgBackRest(config, &output, &reason)) {
      facts.sources.push_back(Unreadable("pgbackrest", "pgbackrest info", reason));
    } else {
      facts.sources = ParsePgBackRestInfo(output);
      if (facts.sources.empty()) {
        facts.sources.push_back(
            Unreadable("pgbackrest", "pgbackrest info", "pgbackrest info listed no stanza"));
      }
    }
    return facts;
  }
  std::error_code error;
  if (fs::is_directory(spec, error)) {
    facts.sources.push_back(ScanDumpFolder(spec));
    return facts;
  }
  std::string text;
  if (!ReadFile(spec, &text, 64u << 20)) {
    facts.sources.push_back(Unreadable("backup-info", spec, "the file could not be read"));
    return facts;
  }
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_array() && !parsed.empty() && parsed[0].is_object() &&
      parsed[0].contains("backup_name")) {
    facts.sources.push_back(ParseWalgBackupList(text, spec));
  } else if (!parsed.is_discarded() && parsed.is_array()) {
    facts.sources = ParsePgBackRestInfo(text);
    if (facts.sources.empty()) {
      facts.sources.push_back(Unreadable("backup-info", spec, "the backup list is empty"));
    }
  } else {
    facts.sources.push_back(
        Unreadable("backup-info", spec, "neither pgBackRest info nor WAL-G backup-list JSON"));
  }
  return facts;
}

}  // namespace crmaudit
