#include "scanner/sources/backups/mariabackup_reader.h"

#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace crmaudit {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCheckpointFiles[] = {"mariadb_backup_checkpoints", "xtrabackup_checkpoints"};
constexpr const char* kInfoFiles[] = {"mariadb_backup_info", "xtrabackup_info"};

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// `key = value` lines; later keys win, lines without '=' are ignored.
std::map<std::string, std::string> KeyValues(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    out[std::string(Trimmed(line.substr(0, eq)))] = std::string(Trimmed(line.substr(eq + 1)));
  }
  return out;
}

// "2026-11-30 03:10:00" in the local time zone (the tools format it with localtime_r).
int64_t ParseLocalTime(const std::string& text) {
  std::tm tm{};
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  const time_t epoch = mktime(&tm);
  return epoch < 0 ? 0 : static_cast<int64_t>(epoch);
}

// "N" / "" mean no; anything else ("Y", "compressed", "xbcrypt") yes.
bool Flag(const std::map<std::string, std::string>& fields, const char* key) {
  auto it = fields.find(key);
  return it != fields.end() && !it->second.empty() && it->second != "N" && it->second != "n";
}

std::string Value(const std::map<std::string, std::string>& fields, const char* key) {
  auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

bool ReadSmallFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(64 * 1024, '\0');
  in.read(out->data(), static_cast<std::streamsize>(out->size()));
  out->resize(static_cast<size_t>(in.gcount()));
  return true;
}

bool EndsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

MariabackupBackup ParseMariabackupMetadata(std::string_view info_text,
                                           std::string_view checkpoints_text,
                                           const std::string& label) {
  MariabackupBackup backup;
  backup.set.label = label;
  const auto info = KeyValues(info_text);
  const auto checkpoints = KeyValues(checkpoints_text);
  const std::string backup_type = Value(checkpoints, "backup_type");
  const bool incremental =
      backup_type == "incremental" || (backup_type.empty() && Flag(info, "incremental"));
  backup.set.type = incremental ? "incr" : "full";
  const std::string tool = Value(info, "tool_name");
  const std::string version = Value(info, "tool_version");
  backup.tool = tool.empty() ? "mariabackup" : tool;
  if (!version.empty()) backup.tool += " " + version;
  backup.encrypted = Flag(info, "encrypted");
  backup.compressed = Flag(info, "compressed");
  const std::string end_time = Value(info, "end_time");
  const std::string start_time = Value(info, "start_time");
  backup.set.stop_epoch = ParseLocalTime(end_time.empty() ? start_time : end_time);
  if (backup.set.stop_epoch == 0) {
    backup.undated_reason =
        info_text.empty() ? "mariabackup backup " + label +
                                " has no readable xtrabackup_info / mariadb_backup_info"
        : end_time.empty() && start_time.empty()
            ? "mariabackup backup " + label + ": the info file has no end_time or start_time"
            : "mariabackup backup " + label + ": the info file's end_time is not a date";
  }
  return backup;
}

bool IsMariabackupDirectory(const std::string& directory) {
  std::error_code error;
  for (const char* name : kCheckpointFiles) {
    if (fs::is_regular_file(fs::path(directory) / name, error)) return true;
  }
  return false;
}

MariabackupBackup ReadMariabackupDirectory(const std::string& directory) {
  const fs::path dir(directory);
  std::string info, checkpoints;
  fs::path checkpoints_path;
  for (const char* name : kCheckpointFiles) {
    if (ReadSmallFile(dir / name, &checkpoints)) {
      checkpoints_path = dir / name;
      break;
    }
  }
  for (const char* name : kInfoFiles) {
    if (ReadSmallFile(dir / name, &info)) break;
  }
  std::string label = dir.filename().string();
  if (label.empty()) label = dir.parent_path().filename().string();
  MariabackupBackup backup = ParseMariabackupMetadata(info, checkpoints, label + "/");
  // Percona --encrypt: every file but the checkpoints ends in .xbcrypt (the info included).
  std::error_code error;
  bool encrypted_info = false;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!EndsWith(name, ".xbcrypt")) continue;
    backup.encrypted = true;
    if (name.rfind("xtrabackup_info", 0) == 0 || name.rfind("mariadb_backup_info", 0) == 0) {
      encrypted_info = true;
    }
  }
  if (backup.set.stop_epoch == 0 && info.empty() && encrypted_info && !checkpoints_path.empty()) {
    struct stat status {};
    if (stat(checkpoints_path.c_str(), &status) == 0 && status.st_mtime > 0) {
      backup.set.stop_epoch = static_cast<int64_t>(status.st_mtime);
      backup.undated_reason.clear();
    }
  }
  return backup;
}

}  // namespace crmaudit
