#include "scanner/scan/audit_config.h"
#include "scanner/model/input_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>
#include <variant>

#include "scanner/model/percent_encoding.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/live_database_limits.h"
#include "scanner/scan/option_checks.h"
#include "scanner/scan/scan_runner.h"
#include "scanner/scan/targets.h"
#include "scanner/sources/mysql/mysql_uri.h"

namespace crmaudit {

namespace {

using nlohmann::json;

// "LINE:COLUMN" (1-based) of byte `offset` in `text`.
std::string LineColumn(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(offset - line_start + 1);
}

// Walks JSON text (with comments) just far enough to find where a field path sits. Only used
// on text that nlohmann already parsed, so it can be lenient about malformed input.
class JsonLocator {
 public:
  explicit JsonLocator(const std::string& text) : t_(text) {}

  // Byte offset of the member key (or array element) at `field`, or of the deepest one found.
  std::optional<size_t> Locate(const std::string& field) {
    std::vector<std::variant<std::string, size_t>> steps;
    std::string key;
    for (size_t i = 0; i < field.size(); ++i) {
      char c = field[i];
      if (c == '.' || c == '[') {
        if (!key.empty()) steps.push_back(key);
        key.clear();
        if (c == '[') {
          size_t close = field.find(']', i);
          if (close == std::string::npos) break;
          steps.push_back(static_cast<size_t>(std::strtoull(field.c_str() + i + 1, nullptr, 10)));
          i = close;
        }
      } else {
        key.push_back(c);
      }
    }
    if (!key.empty()) steps.push_back(key);

    SkipSpace();
    if (p_ >= t_.size()) return std::nullopt;
    size_t found = p_;
    for (const auto& step : steps) {
      SkipSpace();
      std::optional<size_t> at = std::holds_alternative<std::string>(step)
                                     ? Member(std::get<std::string>(step))
                                     : Element(std::get<size_t>(step));
      if (!at) break;
      found = *at;
    }
    return found;
  }

 private:
  // Positions p_ on the value of member `key` of the object at p_; returns the key's offset.
  std::optional<size_t> Member(const std::string& key) {
    if (p_ >= t_.size() || t_[p_] != '{') return std::nullopt;
    ++p_;
    for (;;) {
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] != '"') return std::nullopt;
      size_t key_at = p_;
      std::string name = ReadString();
      SkipSpace();
      if (p_ < t_.size() && t_[p_] == ':') ++p_;
      SkipSpace();
      if (name == key) return key_at;
      SkipValue();
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] != ',') return std::nullopt;
      ++p_;
    }
  }

  std::optional<size_t> Element(size_t index) {
    if (p_ >= t_.size() || t_[p_] != '[') return std::nullopt;
    ++p_;
    for (size_t i = 0;; ++i) {
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] == ']') return std::nullopt;
      if (i == index) return p_;
      SkipValue();
      SkipSpace();
      if (p_ >= t_.size() || t_[p_] != ',') return std::nullopt;
      ++p_;
    }
  }

  void SkipSpace() {
    while (p_ < t_.size()) {
      if (std::isspace(static_cast<unsigned char>(t_[p_]))) {
        ++p_;
      } else if (t_.compare(p_, 2, "//") == 0) {
        p_ = t_.find('\n', p_);
        if (p_ == std::string::npos) p_ = t_.size();
      } else if (t_.compare(p_, 2, "/*") == 0) {
        size_t end = t_.find("*/", p_ + 2);
        p_ = end == std::string::npos ? t_.size() : end + 2;
      } else {
        return;
      }
    }
  }

  std::string ReadString() {
    std::string out;
    ++p_;  // opening quote
    while (p_ < t_.size() && t_[p_] != '"') {
      if (t_[p_] == '\\' && p_ + 1 < t_.size()) ++p_;
      out.push_back(t_[p_++]);
    }
    ++p_;
    return out;
  }

  void SkipValue() {
    SkipSpace();
    if (p_ >= t_.size()) return;
    if (t_[p_] == '"') {
      ReadString();
      return;
    }
    if (t_[p_] == '{' || t_[p_] == '[') {
      int depth = 0;
      while (p_ < t_.size()) {
        char c = t_[p_];
        if (c == '"') {
          ReadString();
          continue;
        }
        if (c == '/' && (t_.compare(p_, 2, "//") == 0 || t_.compare(p_, 2, "/*") == 0)) {
          SkipSpace();
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') --depth;
        ++p_;
        if (depth == 0) return;
      }
      return;
    }
    while (p_ < t_.size() && std::string_view(",}] \t\r\n/").find(t_[p_]) == std::string::npos)
      ++p_;
  }

  const std::string& t_;
  size_t p_ = 0;
};

class Reader {
 public:
  Reader(std::string file, const std::string& text) : file_(std::move(file)), text_(text) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& message) const {
    throw AuditConfigError(file_, JsonFieldPosition(text_, field), field, message);
  }

  void OnlyKeys(const json& object, const std::string& where,
                const std::set<std::string>& allowed) const {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (!allowed.count(it.key())) {
        Fail(where.empty() ? it.key() : where + "." + it.key(), "unknown field");
      }
    }
  }

  std::string String(const json& value, const std::string& field) const {
    if (!value.is_string() || value.get<std::string>().empty()) {
      Fail(field, "expected a non-empty string");
    }
    return value.get<std::string>();
  }

  std::vector<std::string> Strings(const json& value, const std::string& field) const {
    if (!value.is_array()) Fail(field, "expected an array of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
      out.push_back(String(value[i], field + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  double Number(const json& value, const std::string& field, double low, double high) const {
    if (!value.is_number() || !(value.get<double>() >= low) || value.get<double>() > high) {
      Fail(field, "expected a number from " + DecimalText(low) + " to " + DecimalText(high));
    }
    return value.get<double>();
  }

  int64_t Integer(const json& value, const std::string& field, int64_t low, int64_t high) const {
    if (!value.is_number_integer() || value.get<int64_t>() < low || value.get<int64_t>() > high) {
      Fail(field,
           "expected a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    }
    return value.get<int64_t>();
  }

  bool Bool(const json& value, const std::string& field) const {
    if (!value.is_boolean()) Fail(field, "expected true or false");
    return value.get<bool>();
  }

 private:
  std::string file_;
  const std::string& text_;
};

// Adds the password to the in-memory connection string only; `display` stays without it.
std::string WithPassword(const std::string& connection, const std::string& password) {
  if (connection.rfind("postgres", 0) == 0 && connection.find("://") != std::string::npos) {
    char separator = connection.find('?') == std::string::npos ? '?' : '&';
    return connection + separator + "password=" + PercentEncode(password);
  }
  std::string quoted;
  for (char c : password) {
    if (c == '\'' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  return connection + " password='" + quoted + "'";
}

std::string ReadSecretFile(const Reader& reader, const std::string& path,
                           const std::string& field) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) reader.Fail(field, "cannot read " + path);
  if ((st.st_mode & 077) != 0) {
    reader.Fail(field, path + " is readable by group or others; chmod 600 " + path);
  }
  std::string reason;
  const std::optional<std::string> bytes = ReadInputFile(path, kMaxSmallInputBytes, &reason);
  if (!bytes) reader.Fail(field, "cannot read " + path + ": " + reason);
  std::string secret = bytes->substr(0, bytes->find('\n'));
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == '\n')) secret.pop_back();
  return secret;
}

// A MySQL/MariaDB target of an audit file: the URI as written, with no password in it (it
// comes from password_env / password_file, or the option files), its file paths (socket,
// defaults-file, ssl-*) relative to the audit file like every other path, and the password
// given by the target filled in.
template <typename Resolve>
std::string MysqlTargetUri(const Reader& reader, const json& value, const std::string& field,
                           const Resolve& resolve, std::optional<std::string> password) {
  const std::string uri = reader.String(value, field);
  if (!IsMysqlUri(uri)) reader.Fail(field, "expected a mysql:// or mariadb:// URI");
  MysqlConnectOptions options;
  try {
    options = ParseMysqlUri(uri);
  } catch (const MysqlUriError& error) {
    reader.Fail(field, error.what());  // never quotes the password
  }
  if (options.password) {
    reader.Fail(field,
                "passwords must not be written in the audit file; use password_env or "
                "password_file (or an option file: ~/.my.cnf or ?defaults-file=)");
  }
  for (std::string* path : {&options.socket, &options.defaults_file, &options.ssl_ca,
                            &options.ssl_capath, &options.ssl_cert, &options.ssl_key}) {
    if (!path->empty()) *path = resolve(*path);
  }
  options.password = std::move(password);
  return FormatMysqlUri(options, uri.substr(0, uri.find("://")));
}

}  // namespace

std::string DatedFolderName() { return NowUtc("%Y-%m-%dT%H%M%SZ"); }

std::optional<std::filesystem::path> LatestReportIn(const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> runs;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir, ec)) {
    if (entry.is_directory(ec) && std::filesystem::exists(entry.path() / "report.json", ec)) {
      runs.push_back(entry.path());
    }
  }
  if (runs.empty()) return std::nullopt;
  return *std::max_element(runs.begin(), runs.end()) / "report.json";
}

std::string JsonFieldPosition(const std::string& text, const std::string& field) {
  std::optional<size_t> at = JsonLocator(text).Locate(field);
  return at ? LineColumn(text, *at) : "";
}

AuditConfig LoadAuditConfig(const std::filesystem::path& file) {
  std::string reason;
  const std::optional<std::string> bytes = ReadInputFile(file, kMaxSmallInputBytes, &reason);
  if (!bytes) {
    throw AuditConfigError(file.string(), "(file)", "cannot read the audit file: " + reason);
  }
  const std::string& text = *bytes;
  Reader reader(file.string(), text);
  json doc;
  try {
    doc = json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    // nlohmann's own text ends in "last read: '...'", which may quote a secret: only the
    // position and the kind of mistake are repeated.
    std::string what = e.what();
    size_t detail = what.find(": syntax error");
    std::string kind = detail == std::string::npos ? "" : what.substr(detail + 2);
    if (size_t last_read = kind.find("; last read"); last_read != std::string::npos) {
      size_t next = kind.find(';', last_read + 2);
      kind.erase(last_read, next == std::string::npos ? std::string::npos : next - last_read);
    }
    throw AuditConfigError(file.string(), LineColumn(text, e.byte == 0 ? 0 : e.byte - 1),
                           "(syntax)", "invalid JSON" + (kind.empty() ? "" : " (" + kind + ")"));
  } catch (const json::exception&) {
    // The parser's other failures (a number beyond double range such as 99E999 is
    // out_of_range.406) are a malformed file too; their text quotes the input, so it is not
    // repeated.
    throw AuditConfigError(file.string(), "(syntax)",
                           "invalid JSON (a number out of range or an unreadable value)");
  }
  if (!doc.is_object()) reader.Fail("(root)", "expected a JSON object");
  reader.OnlyKeys(doc, "",
                  {"targets",
                   "policies",
                   "fail_on",
                   "out",
                   "formats",
                   "sign_key",
                   "sample_rows",
                   "full",
                   "jobs",
                   "include",
                   "exclude",
                   "tables",
                   "exclude_tables",
                   "encoding",
                   "region",
                   "baseline",
                   "suppressions",
                   "lang",
                   "controls",
                   "statement_timeout_ms",
                   "lock_timeout_ms",
                   "max_rows_per_second",
                   "max_mb_per_second",
                   "max_active_sessions",
                   "max_replication_lag_seconds",
                   "max_backoff_seconds",
                   "backup_info",
                   "all_databases",
                   "$schema",
                   "description"});

  AuditConfig config;
  ScanPlan& plan = config.plan;
  // Relative paths in an audit file are relative to the file, so a timer unit can run it from
  // any working directory.
  const std::filesystem::path base = std::filesystem::absolute(file).parent_path();
  auto resolve = [&base](const std::string& path) {
    std::filesystem::path p(path);
    return p.is_absolute() ? p.string() : (base / p).lexically_normal().string();
  };
  if (!doc.contains("targets")) reader.Fail("targets", "required: at least one target");
  const json& targets = doc["targets"];
  if (!targets.is_array() || targets.empty()) {
    reader.Fail("targets", "expected a non-empty array of targets");
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    std::string field = "targets[" + std::to_string(i) + "]";
    const json& t = targets[i];
    std::string id = "t" + std::to_string(i + 1);
    if (t.is_string()) {
      std::string path = t.get<std::string>();
      // A sqlite: URI names a file: its path, like any other, is relative to the audit file.
      if (path.rfind("sqlite:", 0) == 0) {
        PlannedTarget target = ClassifyTarget(path, id);
        target.location = resolve(target.location);
        plan.targets.push_back(target);
        continue;
      }
      if (IsMysqlUri(path)) {
        reader.Fail(field,
                    "write MySQL/MariaDB targets as {\"mysql\": \"…\", \"password_env\": …}");
      }
      if (IsDatabaseTarget(path)) {
        reader.Fail(field, "write database targets as {\"postgres\": \"…\", \"password_env\": …}");
      }
      plan.targets.push_back(ClassifyTarget(resolve(path), id));
      continue;
    }
    if (!t.is_object()) reader.Fail(field, "expected a path string or an object");
    reader.OnlyKeys(t, field, {"path", "postgres", "mysql", "password_env", "password_file"});
    if (t.contains("path") + t.contains("postgres") + t.contains("mysql") != 1) {
      reader.Fail(field, "give exactly one of \"path\", \"postgres\" or \"mysql\"");
    }
    if (t.contains("path")) {
      plan.targets.push_back(
          ClassifyTarget(resolve(reader.String(t["path"], field + ".path")), id));
      continue;
    }
    // The password, when the target names where it comes from (never from the file itself).
    auto password = [&]() -> std::optional<std::string> {
      if (t.contains("password_env")) {
        std::string variable = reader.String(t["password_env"], field + ".password_env");
        const char* value = std::getenv(variable.c_str());
        if (!value) {
          reader.Fail(field + ".password_env", "environment variable " + variable + " is not set");
        }
        return std::string(value);
      }
      if (t.contains("password_file")) {
        std::string path = reader.String(t["password_file"], field + ".password_file");
        return ReadSecretFile(reader, resolve(path), field + ".password_file");
      }
      return std::nullopt;
    };
    if (t.contains("mysql")) {
      plan.targets.push_back(ClassifyTarget(
          MysqlTargetUri(reader, t["mysql"], field + ".mysql", resolve, password()), id));
      continue;
    }
    std::string connection = reader.String(t["postgres"], field + ".postgres");
    if (IsMysqlUri(connection)) {
      reader.Fail(field + ".postgres", "a MySQL/MariaDB URI is written as {\"mysql\": \"…\"}");
    }
    if (!IsDatabaseTarget(connection)) {
      reader.Fail(field + ".postgres", "expected a postgresql:// URI or key=value conninfo");
    }
    if (RedactConnectionString(connection) != connection) {
      reader.Fail(field + ".postgres",
                  "passwords must not be written in the audit file; use password_env or "
                  "password_file (or PGPASSWORD / ~/.pgpass)");
    }
    PlannedTarget target = ClassifyTarget(connection, id);
    if (std::optional<std::string> secret = password()) {
      target.location = WithPassword(connection, *secret);
    }
    plan.targets.push_back(target);
  }

  if (doc.contains("policies")) {
    plan.policies = reader.Strings(doc["policies"], "policies");
    for (auto& p : plan.policies) {
      bool is_path = p.find('/') != std::string::npos ||
                     (p.size() > 5 && p.compare(p.size() - 5, 5, ".json") == 0);
      if (is_path) p = resolve(p);
    }
  }
  if (doc.contains("fail_on")) {
    std::string fail_on = reader.String(doc["fail_on"], "fail_on");
    if (fail_on == "never") {
      plan.fail_on = std::nullopt;
    } else if (auto s = ParseSeverity(fail_on)) {
      plan.fail_on = *s;
    } else {
      reader.Fail("fail_on", "expected info, low, medium, high, critical or never");
    }
  }
  if (doc.contains("out")) {
    const json& out = doc["out"];
    if (out.is_string()) {
      plan.out_dir = resolve(out.get<std::string>());
    } else if (out.is_object()) {
      reader.OnlyKeys(out, "out", {"dir", "dated_subfolder", "chain"});
      if (out.contains("dir")) plan.out_dir = resolve(reader.String(out["dir"], "out.dir"));
      if (out.contains("dated_subfolder")) {
        config.dated_subfolder = reader.Bool(out["dated_subfolder"], "out.dated_subfolder");
      }
      if (out.contains("chain")) config.chain = reader.Bool(out["chain"], "out.chain");
      if (config.chain && !config.dated_subfolder) {
        // Each run would overwrite the report the chain links to.
        reader.Fail("out.chain",
                    "needs dated_subfolder: true (a chain links reports that are kept)");
      }
    } else {
      reader.Fail("out", "expected a folder path or {\"dir\", \"dated_subfolder\", \"chain\"}");
    }
  }
  if (doc.contains("formats")) {
    plan.formats = reader.Strings(doc["formats"], "formats");
    for (size_t i = 0; i < plan.formats.size(); ++i) {
      const auto& f = plan.formats[i];
      if (f != "json" && f != "html" && f != "sarif" && f != "records-csv") {
        reader.Fail("formats[" + std::to_string(i) + "]",
                    "expected json, html, sarif or records-csv");
      }
    }
  }
  if (doc.contains("sign_key")) plan.sign_key = resolve(reader.String(doc["sign_key"], "sign_key"));
  if (doc.contains("sample_rows")) {
    plan.sample_rows =
        static_cast<uint64_t>(reader.Integer(doc["sample_rows"], "sample_rows", 1, 100000000));
  }
  if (doc.contains("full")) plan.full = reader.Bool(doc["full"], "full");
  if (doc.contains("jobs"))
    plan.jobs = static_cast<int>(reader.Integer(doc["jobs"], "jobs", 1, 64));
  if (doc.contains("include")) plan.include = reader.Strings(doc["include"], "include");
  if (doc.contains("exclude")) plan.exclude = reader.Strings(doc["exclude"], "exclude");
  if (doc.contains("tables")) plan.table_include = reader.Strings(doc["tables"], "tables");
  if (doc.contains("exclude_tables")) {
    plan.table_exclude = reader.Strings(doc["exclude_tables"], "exclude_tables");
  }
  if (doc.contains("encoding")) {
    plan.forced_encoding = reader.String(doc["encoding"], "encoding");
    if (std::string problem = EncodingProblem(plan.forced_encoding); !problem.empty()) {
      reader.Fail("encoding", problem);
    }
  }
  if (doc.contains("region")) {
    plan.default_region = reader.String(doc["region"], "region");
    if (std::string problem = RegionProblem(&plan.default_region); !problem.empty()) {
      reader.Fail("region", problem);
    }
  }
  if (doc.contains("baseline")) plan.baseline = resolve(reader.String(doc["baseline"], "baseline"));
  if (doc.contains("backup_info"))
    plan.backup_info = resolve(reader.String(doc["backup_info"], "backup_info"));
  if (doc.contains("all_databases")) {
    plan.all_databases = reader.Bool(doc["all_databases"], "all_databases");
  }
  if (doc.contains("statement_timeout_ms")) {
    plan.statement_timeout_ms = static_cast<int>(
        reader.Integer(doc["statement_timeout_ms"], "statement_timeout_ms", 100, 86400000));
  }
  if (doc.contains("lock_timeout_ms")) {
    plan.lock_timeout_ms =
        static_cast<int>(reader.Integer(doc["lock_timeout_ms"], "lock_timeout_ms", 10, 600000));
  }
  // Being gentle with a live database (docs/operations.md); 0 = no limit / not checked.
  if (doc.contains("max_rows_per_second")) {
    plan.max_rows_per_second =
        reader.Number(doc["max_rows_per_second"], "max_rows_per_second", 0, 1e9);
  }
  if (doc.contains("max_mb_per_second")) {
    plan.max_mb_per_second = reader.Number(doc["max_mb_per_second"], "max_mb_per_second", 0, 1e6);
  }
  if (doc.contains("max_active_sessions")) {
    plan.max_active_sessions = static_cast<int>(
        reader.Integer(doc["max_active_sessions"], "max_active_sessions", 0, 100000));
  }
  if (doc.contains("max_replication_lag_seconds")) {
    plan.max_replication_lag_seconds =
        reader.Number(doc["max_replication_lag_seconds"], "max_replication_lag_seconds", 0, 604800);
  }
  if (doc.contains("max_backoff_seconds")) {
    const double seconds =
        reader.Number(doc["max_backoff_seconds"], "max_backoff_seconds", 1, 604800);
    plan.max_backoff = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }
  if (doc.contains("suppressions")) {
    config.suppressions = resolve(reader.String(doc["suppressions"], "suppressions"));
  }
  if (doc.contains("lang")) {
    config.lang = reader.String(doc["lang"], "lang");
    if (*config.lang != "en" && *config.lang != "zh-CN")
      reader.Fail("lang", "expected en or zh-CN");
  }
  if (doc.contains("controls")) {
    if (!doc["controls"].is_object()) reader.Fail("controls", "expected an object");
    try {
      // The packs' reader: same field names, same checks, errors naming this file.
      config.controls = ReadControlLayer(doc["controls"], file.string());
    } catch (const PolicyError& error) {
      reader.Fail(error.field(), error.message());
    }
  }
  return config;
}

}  // namespace crmaudit
