#include "scanner/sources/files/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include "scanner/model/terminal_text.h"
#include "scanner/model/utf8.h"

namespace crmaudit {

namespace {

constexpr size_t kBlockBytes = 64 << 10;

// libarchive's messages name the problem ("Truncated ZIP file data", "Damaged tar archive",
// "Passphrase required for this entry"); they never quote content. Repaired and escaped all
// the same, since a member name may be part of one.
std::string ArchiveError(struct archive* a, std::string_view fallback) {
  const char* text = archive_error_string(a);
  std::string out = text && *text ? TerminalSafe(RepairUtf8(text)) : std::string(fallback);
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string FormatName(struct archive* a) {
  const int format = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
  std::string name = format == ARCHIVE_FORMAT_ZIP   ? "zip"
                     : format == ARCHIVE_FORMAT_TAR ? "tar"
                                                    : "archive";
  for (int i = 0; i < archive_filter_count(a); ++i) {
    if (archive_filter_code(a, i) == ARCHIVE_FILTER_GZIP) name += "+gzip";
  }
  return name;
}

}  // namespace

struct ArchiveReader::Handle {
  struct archive* a = nullptr;
  bool started = false;
  ~Handle() {
    if (a) archive_read_free(a);
  }
};

ArchiveReader::ArchiveReader(ArchiveLimits limits) : limits_(limits) {}

ArchiveReader::~ArchiveReader() = default;

std::string ArchiveReader::Start() {
  handle_ = std::make_unique<Handle>();
  handle_->a = archive_read_new();
  if (!handle_->a) return "cannot initialise libarchive";
  archive_read_support_filter_gzip(handle_->a);
  archive_read_support_format_zip(handle_->a);
  archive_read_support_format_tar(handle_->a);
  archive_read_support_format_gnutar(handle_->a);
  return {};
}

std::string ArchiveReader::Open(const std::filesystem::path& path) {
  std::string problem = Start();
  if (!problem.empty()) return problem;
  if (archive_read_open_filename(handle_->a, path.c_str(), kBlockBytes) != ARCHIVE_OK) {
    return "not a readable ZIP or tar archive (" + ArchiveError(handle_->a, "cannot open it") + ")";
  }
  return {};
}

std::string ArchiveReader::OpenMemory(std::string_view bytes) {
  std::string problem = Start();
  if (!problem.empty()) return problem;
  if (archive_read_open_memory(handle_->a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return "not a readable ZIP or tar archive (" + ArchiveError(handle_->a, "cannot open it") + ")";
  }
  return {};
}

bool ArchiveReader::Next(ArchiveMember* member) {
  if (!handle_ || !handle_->a || !error_.empty()) return false;
  struct archive* a = handle_->a;
  struct archive_entry* entry = nullptr;
  int r = archive_read_next_header(a, &entry);
  if (!handle_->started) {
    handle_->started = true;
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN) format_ = FormatName(a);
  }
  if (r == ARCHIVE_EOF) return false;
  if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
    error_ = members_ == 0 ? "not a readable ZIP or tar archive (" +
                                 ArchiveError(a, "unrecognised format") + ")"
                           : "the archive is damaged after " + std::to_string(members_) +
                                 " member(s): " + ArchiveError(a, "corrupt header");
    return false;
  }
  if (members_ >= limits_.max_members) {
    error_ = "more than " + std::to_string(limits_.max_members) +
             " members: the rest of the archive was not read";
    limit_reached_ = true;
    return false;
  }
  ++members_;
  const char* raw = archive_entry_pathname(entry);
  member->part = RepairUtf8(raw ? std::string_view(raw) : std::string_view());
  member->name = TerminalSafe(member->part);
  if (member->name.empty())
    member->name = "(member " + std::to_string(members_) + " without a name)";
  member->regular = archive_entry_filetype(entry) == AE_IFREG;
  member->encrypted = archive_entry_is_data_encrypted(entry) != 0;
  member->size =
      archive_entry_size_is_set(entry) ? static_cast<uint64_t>(archive_entry_size(entry)) : 0;
  current_encrypted_ = member->encrypted;
  member_out_ = 0;
  member_in_start_ = archive_filter_bytes(a, -1);
  return true;
}

long ArchiveReader::Read(char* buffer, size_t capacity, std::string* error) {
  if (!handle_ || !handle_->a) {
    *error = "the archive is not open";
    return -1;
  }
  if (current_encrypted_) {
    *error = "encrypted";
    return -1;
  }
  struct archive* a = handle_->a;
  if (total_out_ >= limits_.max_total_bytes) {
    limit_reached_ = true;
    *error = "the archive's members hold more than " + std::to_string(limits_.max_total_bytes) +
             " uncompressed bytes (the limit against zip bombs): reading stopped there";
    error_ = *error;
    return -1;
  }
  capacity =
      static_cast<size_t>(std::min<uint64_t>(capacity, limits_.max_total_bytes - total_out_));
  la_ssize_t got = archive_read_data(a, buffer, capacity);
  if (got < 0) {
    *error = ArchiveError(a, "corrupt member data");
    if (got == ARCHIVE_FATAL) error_ = "the archive is damaged: " + *error;
    return -1;
  }
  member_out_ += static_cast<uint64_t>(got);
  total_out_ += static_cast<uint64_t>(got);
  if (member_out_ >= limits_.ratio_floor_bytes) {
    const int64_t consumed = archive_filter_bytes(a, -1) - member_in_start_;
    const uint64_t in = consumed > 0 ? static_cast<uint64_t>(consumed) : 1;
    if (member_out_ / in > limits_.max_ratio) {
      limit_reached_ = true;
      *error = "compression ratio over " + std::to_string(limits_.max_ratio) +
               ":1 (the limit against zip bombs): reading stopped after " +
               std::to_string(member_out_) + " uncompressed bytes";
      error_ =
          "a member exceeded the compression-ratio limit; the rest of the archive was not read";
      return -1;
    }
  }
  return static_cast<long>(got);
}

}  // namespace crmaudit
