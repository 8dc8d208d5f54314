// Checking option values before anything is scanned, for the command line and audit files
// alike: a value no scan could use is a usage error (exit 2) with one line naming the valid
// values, never an error per file an hour later.
#pragma once

#include <string>

namespace crmaudit {

// "" when `name` is an encoding the file reader can force (utf-8, utf-16le, gb18030, any ICU
// converter name); else what is wrong and what is valid.
std::string EncodingProblem(const std::string& name);

// Upper-cases `region` and returns "" when libphonenumber knows it; else what is wrong and
// what is valid.
std::string RegionProblem(std::string* region);

}  // namespace crmaudit
