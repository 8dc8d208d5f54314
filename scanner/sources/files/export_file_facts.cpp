#include "scanner/sources/files/export_file_facts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace crmaudit {

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string LowerExtension(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

}  // namespace

void ClassifyContainer(std::string_view head, std::string_view file_name, FileFacts* facts) {
  auto set = [facts](const char* container, bool encrypted) {
    facts->container = container;
    facts->encrypted = encrypted;
  };
  if (StartsWith(head, "age-encryption.org/v1") ||
      StartsWith(head, "-----BEGIN AGE ENCRYPTED FILE-----")) {
    return set("age", true);
  }
  if (StartsWith(head, "-----BEGIN PGP MESSAGE-----")) return set("pgp", true);
  if (StartsWith(head, "Salted__")) return set("openssl-salted", true);
  if (StartsWith(head, "\x1f\x8b")) return set("gzip", false);
  if (StartsWith(head, std::string_view("SQLite format 3\0", 16))) return set("sqlite", false);
  if (StartsWith(head, "PK\x03\x04") && head.size() >= 8) {
    // General purpose bit flag, bit 0: the entry is encrypted (ZipCrypto or AES).
    bool encrypted = (static_cast<unsigned char>(head[6]) & 0x01) != 0;
    return set(encrypted ? "zip-encrypted" : "zip", encrypted);
  }
  if (StartsWith(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    // An OOXML document (.xlsx/.docx/.pptx) is a ZIP; it is an OLE compound file only when
    // Office has encrypted it into an EncryptedPackage stream.
    std::string ext = LowerExtension(file_name);
    if (ext == ".xlsx" || ext == ".xlsm" || ext == ".docx" || ext == ".pptx") {
      return set("office-encrypted", true);
    }
    return set("ole", false);
  }
  if (!head.empty()) {
    // OpenPGP binary messages start with a packet tag: public-key (1) or symmetric-key (3)
    // encrypted session key, old or new packet format.
    unsigned char tag = static_cast<unsigned char>(head[0]);
    if ((tag & 0x80) != 0) {
      int packet = (tag & 0x40) ? (tag & 0x3F) : ((tag >> 2) & 0x0F);
      std::string ext = LowerExtension(file_name);
      if ((packet == 1 || packet == 3) && (ext == ".gpg" || ext == ".pgp" || ext == ".asc")) {
        return set("pgp", true);
      }
    }
  }
  set("", false);
}

FileFacts CollectExportFileFacts(const std::filesystem::path& path, const std::string& relative) {
  FileFacts facts;
  facts.relative = relative;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    facts.mode = st.st_mode & 07777;
    facts.modified_epoch = st.st_mtime;
    facts.size = static_cast<uint64_t>(st.st_size);
  }
  // O_NONBLOCK and the type check: a file swapped for a FIFO or a device since the walk looked
  // at it must not block the scan or be read from.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  struct stat opened {};
  if (fd >= 0 && (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode))) {
    ::close(fd);
    fd = -1;
  }
  if (fd >= 0) {
    char buffer[64];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    ::close(fd);
    if (n > 0) {
      ClassifyContainer(std::string_view(buffer, static_cast<size_t>(n)), path.filename().string(),
                        &facts);
    }
  }
  return facts;
}

}  // namespace crmaudit
