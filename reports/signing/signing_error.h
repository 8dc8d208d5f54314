// SigningError: the one exception the signing room throws. Its message is meant for the user
// as is: it names the key file, directory or artifact involved and says what to do, and it
// never carries key material, passphrases or report contents.
#pragma once

#include <stdexcept>
#include <string>

namespace crmaudit {

class SigningError : public std::runtime_error {
 public:
  explicit SigningError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace crmaudit
