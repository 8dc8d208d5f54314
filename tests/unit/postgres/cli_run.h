// Test helper: runs the real crmaudit binary the way a user would (a command line, environment
// variables), with its stderr, exit code, elapsed time and report.json kept for assertions.
#pragma once

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace crmaudit::testing {

struct CliRun {
  int exit_code = -1;
  double seconds = 0;
  std::string stderr_text;
  nlohmann::json report;  // null when no report.json was written

  // The coverage entry whose dataset is `dataset`, or null.
  nlohmann::json Coverage(const std::string& dataset) const {
    if (report.is_object() && report.contains("coverage")) {
      for (const auto& entry : report["coverage"]) {
        if (entry.value("dataset", "") == dataset) return entry;
      }
    }
    return nullptr;
  }
};

inline std::string ShellQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out.push_back(c);
    }
  }
  return out + "'";
}

// Runs `crmaudit scan ARGS... --out OUT --format json --quiet` with `env` ("NAME=value")
// prefixed; OUT is a fresh folder under `scratch`.
inline CliRun RunScan(const std::string& scratch, const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {}) {
  static int counter = 0;
  const std::string out = scratch + "/cli-out-" + std::to_string(++counter);
  std::filesystem::remove_all(out);
  std::string command = "env";
  for (const auto& e : env) command += " " + ShellQuoted(e);
  command += " " + ShellQuoted(CRMAUDIT_BINARY) + " scan";
  for (const auto& a : args) command += " " + ShellQuoted(a);
  const std::string err = out + ".stderr";
  command += " --out " + ShellQuoted(out) + " --format json --quiet 2> " + ShellQuoted(err) +
             " > /dev/null";
  CliRun run;
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err);
  std::ostringstream text;
  text << in.rdbuf();
  run.stderr_text = text.str();
  std::ifstream report(out + "/report.json");
  if (report) run.report = nlohmann::json::parse(report, nullptr, false);
  return run;
}

}  // namespace crmaudit::testing
