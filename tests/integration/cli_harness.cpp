#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>
#include <chrono>
#include <thread>

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

// The binary under test; CRMAUDIT_TEST_BINARY runs the same tests against another build (to
// see a test fail on the code before a fix).
std::string Binary() {
  const char* other = std::getenv("CRMAUDIT_TEST_BINARY");
  return other && *other ? other : CRMAUDIT_BINARY;
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

CliRun RunCrmauditDirect(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         int timeout_seconds) {
  ScratchDir capture;
  const std::string out_file = (capture.path() / "stdout").string();
  const std::string err_file = (capture.path() / "stderr").string();
  std::vector<std::string> argv_strings = {Binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  CliRun run;
  int status = 0;
  struct rusage usage {};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      run.timed_out = true;
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, &usage);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.max_rss_kib = usage.ru_maxrss;
  run.out = ReadFile(out_file);
  run.err = ReadFile(err_file);
  return run;
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
  command += ShellQuote(Binary());
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
