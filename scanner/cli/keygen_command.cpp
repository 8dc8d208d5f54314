// `crmaudit keygen --out PREFIX [--type ed25519|ecdsa-p256|rsa-pss-3072] [--force]
#include "scanner/model/terminal_text.h"
//                  [--passphrase-env VAR]`
// Writes PREFIX.key (PKCS#8 PEM, mode 0600 from creation) and PREFIX.pub (SubjectPublicKeyInfo
// PEM). The passphrase is taken from an environment variable, never from the command line,
// where other users could read it in the process list.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

#include "reports/signing/signing_error.h"
#include "reports/signing/signing_keys.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/exit_codes.h"

namespace crmaudit {

namespace {

struct KeygenFlags {
  std::string prefix;
  std::string type = "ed25519";
  std::string passphrase_env;
  bool force = false;
};

int RunKeygen(const KeygenFlags& flags) {
  KeygenOptions options;
  options.prefix = flags.prefix;
  options.overwrite = flags.force;
  options.algorithm = *ParseKeyType(flags.type);  // CLI11 has checked the name
  if (!flags.passphrase_env.empty()) {
    const char* value = std::getenv(flags.passphrase_env.c_str());
    if (value == nullptr || *value == '\0') {
      std::cerr << "crmaudit keygen: environment variable " << flags.passphrase_env
                << " is unset or empty\n";
      return kExitUsage;
    }
    options.passphrase = std::string(value);
  }
  try {
    KeygenResult result = WriteKeyPair(options);
    std::cout << "wrote " << result.private_key_file.string() << " (" << result.type_name
              << " private key, mode 0600" << (options.passphrase ? ", passphrase-protected" : "")
              << ")\n"
              << "wrote " << result.public_key_file.string() << " (public key)\n"
              << "key id " << result.key_id << "\n";
    return kExitOk;
  } catch (const SigningError& error) {
    std::cerr << "crmaudit keygen: " << TerminalSafe(error.what()) << "\n";
    return kExitUsage;
  }
}

}  // namespace

void AddKeygenCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<KeygenFlags>();
  auto* cmd = app.add_subcommand("keygen", "generate a report signing key pair");
  cmd->add_option("--out", flags->prefix, "writes PREFIX.key (mode 0600) and PREFIX.pub")
      ->required();
  cmd->add_option("--type", flags->type, "key type (default ed25519)")
      ->check(CLI::IsMember({"ed25519", "ecdsa-p256", "rsa-pss-3072"}));
  cmd->add_option("--passphrase-env", flags->passphrase_env,
                  "encrypt PREFIX.key (AES-256-CBC) with the passphrase in this variable");
  cmd->add_flag("--force", flags->force, "replace existing PREFIX.key / PREFIX.pub");
  cmd->callback([flags, exit_code] { *exit_code = RunKeygen(*flags); });
}

}  // namespace crmaudit
