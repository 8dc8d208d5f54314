#include "cli_harness.h"

#include <sys/wait.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace crmaudit::testing {

namespace {

std::string ShellQuote(const std::string& s) {
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

}  // namespace

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("crmaudit-it-" + std::to_string(rd()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
  std::filesystem::permissions(path_, std::filesystem::perms::all);  // runuser tests need it
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path ScratchDir::Write(const std::string& relative,
                                        const std::string& bytes) const {
  auto file = path_ / relative;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << bytes;
  return file;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json ReadJson(const std::filesystem::path& path) {
  return nlohmann::json::parse(ReadFile(path));
}

CliRun RunCrmaudit(const std::vector<std::string>& args, const std::string& env,
                   const std::string& as_user) {
  ScratchDir capture;
  auto out_file = capture.path() / "stdout";
  auto err_file = capture.path() / "stderr";
  std::string command = env.empty() ? "" : "env " + env + " ";
  if (!as_user.empty()) command = "runuser -u " + as_user + " -- " + command;
  command += ShellQuote(CRMAUDIT_BINARY);
  for (const auto& a : args) command += " " + ShellQuote(a);
  command +=
      " </dev/null >" + ShellQuote(out_file.string()) + " 2>" + ShellQuote(err_file.string());
  int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = ReadFile(out_file);
  run.err = ReadFile(err_file);
  return run;
}

const nlohmann::json* CoverageFor(const nlohmann::json& report, const std::string& suffix) {
  for (const auto& c : report.at("coverage")) {
    const std::string dataset = c.at("dataset").get<std::string>();
    if (dataset.size() >= suffix.size() &&
        dataset.compare(dataset.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<nlohmann::json> FindingsFor(const nlohmann::json& report, const std::string& entity,
                                        const std::string& path_suffix) {
  std::vector<nlohmann::json> out;
  for (const auto& f : report.at("findings")) {
    if (f.value("entity", "") != entity) continue;
    std::string path = f.at("location").value("path", "");
    if (path.size() >= path_suffix.size() &&
        path.compare(path.size() - path_suffix.size(), path_suffix.size(), path_suffix) == 0) {
      out.push_back(f);
    }
  }
  return out;
}

std::string Gzip(const std::string& bytes) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&zs, bytes.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace crmaudit::testing
