#include "scanner/cli/unknown_option.h"

#include <algorithm>
#include <set>

namespace crmaudit {

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void AddNames(const CLI::App& app, std::set<std::string>* names) {
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names->insert("--" + name);
    for (const std::string& name : option->get_snames()) names->insert("-" + name);
  }
}

}  // namespace

std::optional<std::string> UnknownOptionMessage(CLI::App& app,
                                                const std::vector<std::string>& arguments) {
  std::set<std::string> known;
  AddNames(app, &known);
  std::string command = app.get_name();
  for (const std::string& argument : arguments) {
    if (argument == "--") break;
    if (argument.empty() || argument[0] != '-' || argument == "-") {
      // The first bare word naming a subcommand brings its options in.
      if (command == app.get_name()) {
        for (CLI::App* sub : app.get_subcommands({})) {
          if (sub->check_name(argument)) {
            command += " " + sub->get_name();
            AddNames(*sub, &known);
            break;
          }
        }
      }
      continue;
    }
    std::string name = argument.substr(0, argument.find('='));
    if (name.size() > 2 && name[1] != '-') name = name.substr(0, 2);  // -j4
    if (known.count(name)) continue;
    std::string best;
    size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;
    for (const std::string& candidate : known) {
      size_t distance = EditDistance(name, candidate);
      // "--sample" for "--sample-rows": a prefix of exactly one option is a strong hint too.
      if (candidate.rfind(name, 0) == 0 && name.size() >= 4) distance = 1;
      if (distance < best_distance) {
        best_distance = distance;
        best = candidate;
      }
    }
    std::string message = command + ": unknown option " + name;
    if (!best.empty()) {
      message += " (did you mean " + best + "?)";
    } else {
      message += "; see " + command + " --help";
    }
    return message;
  }
  return std::nullopt;
}

}  // namespace crmaudit
