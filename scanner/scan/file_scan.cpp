#include "scanner/scan/file_scan.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <exception>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "scanner/checks/export_checks.h"
#include "scanner/checks/outcome_findings.h"
#include "scanner/checks/pii_findings.h"
#include "scanner/detect/column_profiler.h"
#include "scanner/detect/value_names.h"
#include "scanner/model/human_text.h"
#include "scanner/policy/policy_pack.h"
#include "scanner/scan/available_cores.h"
#include "scanner/scan/finding_identity.h"
#include "scanner/scan/parallel_matcher.h"
#include "scanner/scan/sqlite_scan.h"
#include "scanner/sources/files/archive_reader.h"
#include "scanner/sources/files/byte_source.h"
#include "scanner/sources/files/content_sniffer.h"
#include "scanner/sources/files/export_file_facts.h"
#include "scanner/sources/files/file_reader.h"
#include "scanner/sources/files/file_walker.h"
#include "scanner/sources/files/xlsx_reader.h"

namespace crmaudit {

namespace {

// What a dataset's rows showed, kept until the whole target has been walked: a finding's id
// needs the identity paths of all the target's datasets that were read (finding_identity.h),
// which a streamed walk only knows at its end. Bounded like the findings it becomes (one
// profile per column of a dataset that was read).
struct PendingJudgement {
  std::string relative;   // the dataset, masked: a file, `book.xlsx#Contacts`, `a.zip!/b.csv`
  std::string container;  // the file on disk it was read from, masked (= relative for a file)
  FileFacts facts;        // the container's
  std::vector<ColumnProfile> profiles;
  std::optional<uint64_t> data_line_offset;
};

// One dataset's coverage, what it showed, and the line for the user.
struct DatasetResult {
  CoverageEntry coverage;
  std::optional<PendingJudgement> judgement;
  std::string warning;
  std::optional<SqliteFileRead> database;  // a SQLite file: a dataset per table, not `coverage`
};

// A file yields one dataset, or one per sheet of a workbook or member of an archive (plus one
// for the container itself when it could not be read to its end).
using FileResult = std::vector<DatasetResult>;

// Turns a dataset's profiles into inventory and findings, under its identity path; returns
// how many of its columns hold personal data.
uint64_t JudgeDataset(PendingJudgement judgement, const std::string& identity_path,
                      const PlannedTarget& target, const CompiledPolicy& policy,
                      TargetScanOutput* output) {
  DatasetRef dataset;
  dataset.target = target.id;
  dataset.dataset = judgement.relative;
  dataset.base.kind = "file";
  dataset.base.path = judgement.relative;
  dataset.base.identity_path = identity_path;
  std::vector<InventoryEntry> inventory;
  std::vector<Finding> findings;
  AddPiiResults(policy, dataset, std::move(judgement.profiles), &inventory, &findings);
  for (Finding& f : findings) {
    f.location.target = target.id;
    if (f.location.row && judgement.data_line_offset) {
      f.location.line = *f.location.row + *judgement.data_line_offset;
    }
    output->findings.push_back(std::move(f));
  }
  const uint64_t pii_columns = inventory.size();
  for (auto& e : inventory) output->inventory.push_back(std::move(e));
  return pii_columns;
}

// ENC-07/RET-03 judge the file on disk once, with the personal-data columns of all the
// datasets read from it (an archive of ten CSVs is one plaintext export, not ten).
void JudgeContainer(const FileFacts& facts, const std::string& container,
                    const std::string& identity_path, uint64_t pii_columns,
                    const PlannedTarget& target, const CompiledPolicy& policy,
                    const ExportControls& controls, TargetScanOutput* output) {
  // The target is set before judging, so the finding ids and the ControlResult (one per check
  // for this target, listing every file judged) name it.
  Location file;
  file.kind = "file";
  file.target = target.id;
  file.path = container;
  file.identity_path = identity_path;
  std::vector<ControlOutcome> outcomes;
  CheckExportFile(facts, file, pii_columns, controls, std::time(nullptr), &outcomes);
  if (outcomes.empty()) return;
  const CheckCatalog* checks = policy.check_catalog();
  if (checks == nullptr) throw std::logic_error("no check catalog was compiled into the policy");
  std::vector<Finding> findings;
  JudgeOutcomes(outcomes, *checks, controls.checks, &findings, &output->controls);
  for (Finding& f : findings) {
    f.location.target = target.id;
    output->findings.push_back(std::move(f));
  }
}

// Files from this size on are matched in batches (see ReadDataset).
constexpr uint64_t kBatchedMatchMinBytes = 1 << 20;

CoverageStatus StatusFor(const FileReadOutcome& outcome) {
  switch (outcome.status) {
    case ReadStatus::kComplete:
      return CoverageStatus::kScanned;
    case ReadStatus::kPartial:
      return CoverageStatus::kPartial;
    case ReadStatus::kUnreadable:
      return CoverageStatus::kError;
    case ReadStatus::kEmpty:
    case ReadStatus::kNotExport:
      return CoverageStatus::kSkipped;
  }
  return CoverageStatus::kError;
}

constexpr std::string_view kCountedSuffix = " not listed one by one)";

std::string CountedDatasetName(uint64_t files) {
  return "(" + std::to_string(files) + (files == 1 ? " more file" : " more files") +
         std::string(kCountedSuffix);
}

CoverageEntry SkippedEntry(const PlannedTarget& target, const std::string& relative,
                           std::string reason, bool deliberate) {
  CoverageEntry c;
  c.target = target.id;
  c.dataset = relative;
  c.status = CoverageStatus::kSkipped;
  c.deliberate = deliberate;
  c.reason = std::move(reason);
  return c;
}

DatasetResult ErrorDataset(const PlannedTarget& target, const std::string& dataset,
                           const std::string& display_name, std::string reason,
                           std::string format = {}) {
  DatasetResult result;
  result.coverage.target = target.id;
  result.coverage.dataset = dataset;
  result.coverage.status = CoverageStatus::kError;
  result.coverage.reason = std::move(reason);
  result.coverage.format = std::move(format);
  result.warning = display_name + ": " + result.coverage.reason;
  return result;
}

// What the file scan knows about one dataset before reading it.
struct DatasetToRead {
  std::string relative;      // masked dataset name
  std::string container;     // masked name of the file on disk
  std::string display_name;  // for the user's warning lines
  std::string hint_name;     // the name as given, for the profiler's dataset hints
  // The name claims nothing (no or an unknown extension) and may turn out not to be an
  // export, which is then skipped on purpose rather than reported as a gap.
  bool may_be_no_export = false;
  uint64_t size_hint = 0;  // bytes, to choose batched matching
};

// Reads one dataset through `read` into a profiler and turns the outcome into coverage.
template <typename Read>
DatasetResult ReadDataset(const PlannedTarget& target, const DatasetToRead& what,
                          const FileFacts& facts,
                          const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                          Read read) {
  DatasetResult result;
  ColumnProfiler profiler(policy, what.hint_name);
  FileReadOutcome outcome;
  try {
    // Batches pay for themselves from a few thousand rows on, also on one thread (columns
    // are then matched many values at a time); a compressed file may hold many more rows
    // than its size suggests, so the size on disk is a lower bound.
    if (threads > 1 || what.size_hint >= kBatchedMatchMinBytes) {
      ParallelMatcher matcher(policy, profiler, threads);
      outcome = read(static_cast<RecordSink&>(matcher));
      matcher.Finish();
    } else {
      outcome = read(static_cast<RecordSink&>(profiler));
    }
  } catch (const std::exception& e) {
    // The matcher failed (e.g. out of DFA memory): what was read is not judged, and the
    // dataset is reported as not scanned rather than as clean.
    outcome.status = ReadStatus::kUnreadable;
    outcome.rows = 0;
    outcome.message = std::string("scan aborted: ") + e.what();
  }

  CoverageEntry& c = result.coverage;
  c.target = target.id;
  c.dataset = what.relative;
  c.status = StatusFor(outcome);
  c.rows = outcome.rows;
  c.bytes = outcome.bytes;
  c.sampled = outcome.truncated_by_limit;
  c.format = outcome.format;
  c.encoding = outcome.encoding;
  c.ragged_rows = outcome.ragged_rows;
  c.invalid_bytes = outcome.invalid_bytes;
  c.malformed_records = outcome.malformed_records;
  c.reason = outcome.message;
  if (c.status == CoverageStatus::kSkipped && c.reason.empty()) c.reason = "empty file";
  if (outcome.status == ReadStatus::kNotExport) {
    // Only a file met in a folder without an export's name may turn out not to be one; a file
    // the user named that cannot be read as an export is an error.
    if (what.may_be_no_export) {
      c.deliberate = true;
      return result;
    }
    c.status = CoverageStatus::kError;
  }
  if (outcome.status == ReadStatus::kEmpty && what.may_be_no_export && outcome.rows == 0 &&
      outcome.bytes == 0) {
    c.deliberate = true;  // an empty file that does not even claim to be an export
    c.reason = "empty file, not an export";
    return result;
  }
  if (outcome.status == ReadStatus::kEmpty && outcome.format == "xlsx") {
    // A sheet without cells (Excel's spare "Sheet2", a chart sheet) holds nothing to lose.
    c.deliberate = true;
    return result;
  }
  // Replaced bytes mean some values were not examined as written: never claim full coverage.
  if (c.status == CoverageStatus::kScanned && c.invalid_bytes > 0) {
    c.status = CoverageStatus::kPartial;
    std::string note = std::to_string(c.invalid_bytes) + " byte(s) were not valid " +
                       (c.encoding.empty() ? std::string("text") : c.encoding) +
                       " and were replaced";
    c.reason = c.reason.empty() ? note : c.reason + "; " + note;
  }
  if (c.status == CoverageStatus::kScanned && c.ragged_rows > 0 && c.reason.empty()) {
    c.reason = std::to_string(c.ragged_rows) +
               " row(s) had a different number of fields than "
               "the header";
  }

  if (!c.reason.empty()) result.warning = what.display_name + ": " + c.reason;

  // Whatever was read before a problem still counts: a partial dataset's findings are real.
  if (outcome.rows > 0) {
    result.judgement = PendingJudgement{what.relative, what.container, facts, profiler.Finish(),
                                        outcome.data_line_offset};
  }
  return result;
}

FileReadOptions ReadOptions(const ScanPlan& plan) {
  FileReadOptions options;
  options.forced_encoding = plan.forced_encoding;
  // A CRM cell is small; a single field beyond this is cut (and reported) so that one
  // pathological line cannot hold the whole file in memory.
  options.max_record_bytes = 16ull << 20;
  return options;
}

// Every sheet of a workbook is a dataset, `book.xlsx#Contacts`; a workbook that cannot be
// opened is one error entry for the file.
void ScanSheets(XlsxWorkbook& workbook, const std::string& problem, const PlannedTarget& target,
                const DatasetToRead& base, const FileFacts& facts, const ScanPlan& plan,
                const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                FileResult* result) {
  if (!problem.empty()) {
    result->push_back(ErrorDataset(target, base.relative, base.display_name, problem, "xlsx"));
    result->back().coverage.bytes = facts.size;
    return;
  }
  if (workbook.sheets().empty()) {
    result->push_back(ErrorDataset(target, base.relative, base.display_name,
                                   "damaged workbook: it lists no sheets", "xlsx"));
    return;
  }
  const FileReadOptions options = ReadOptions(plan);
  for (size_t i = 0; i < workbook.sheets().size(); ++i) {
    const XlsxSheet& sheet = workbook.sheets()[i];
    DatasetToRead what = base;
    what.relative = base.relative + "#" + MaskValuesInPath(*policy, sheet.name);
    what.display_name = base.display_name + "#" + what.relative.substr(base.relative.size() + 1);
    what.hint_name = base.hint_name + "#" + sheet.name;
    result->push_back(ReadDataset(target, what, facts, policy, threads, [&](RecordSink& sink) {
      return workbook.ReadSheet(i, options, sink);
    }));
  }
}

void ScanWorkbook(const PlannedTarget& target, const WalkedFile& file, const DatasetToRead& base,
                  const FileFacts& facts, const ScanPlan& plan,
                  const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                  FileResult* result) {
  XlsxWorkbook workbook;
  const std::string problem = workbook.Open(file.path);
  ScanSheets(workbook, problem, target, base, facts, plan, policy, threads, result);
}

// A workbook inside an archive needs random access to its parts, so it is held in memory, up
// to this size; a larger one is a gap that says so.
constexpr uint64_t kMaxWorkbookMemberBytes = 256ull << 20;

void ScanWorkbookMember(const PlannedTarget& target, ArchiveReader& archive,
                        const ArchiveMember& member, const DatasetToRead& what,
                        const FileFacts& facts, const ScanPlan& plan,
                        const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                        FileResult* result) {
  std::string bytes;
  std::string error;
  std::unique_ptr<char[]> chunk(new char[256 << 10]);
  for (;;) {
    long got = archive.Read(chunk.get(), 256 << 10, &error);
    if (got <= 0) break;
    if (bytes.size() + static_cast<uint64_t>(got) > kMaxWorkbookMemberBytes) {
      error = "a workbook inside an archive larger than " + HumanBytes(kMaxWorkbookMemberBytes) +
              " is not read";
      break;
    }
    bytes.append(chunk.get(), static_cast<size_t>(got));
  }
  if (!error.empty()) {
    result->push_back(ErrorDataset(target, what.relative, what.display_name, error, "xlsx"));
    result->back().coverage.bytes = member.size;
    return;
  }
  XlsxWorkbook workbook;
  const std::string problem = workbook.OpenMemory(bytes);
  ScanSheets(workbook, problem, target, what, facts, plan, policy, threads, result);
}

// Every member of an archive is a dataset, `weekly-export.zip!/Contact.csv`, read through the
// reader its name calls for; the archive itself gets an entry only when it could not be read
// to its end (damaged, or stopped by a zip-bomb limit).
void ScanArchive(const PlannedTarget& target, const WalkedFile& file, const DatasetToRead& base,
                 FileFacts facts, const ScanPlan& plan,
                 const std::shared_ptr<const CompiledPolicy>& policy, int threads,
                 FileResult* result) {
  ArchiveReader archive;
  std::string problem = archive.Open(file.path);
  if (!problem.empty()) {
    result->push_back(ErrorDataset(target, base.relative, base.display_name, problem));
    return;
  }
  const FileReadOptions options = ReadOptions(plan);
  FileResult members;
  ArchiveMember member;
  uint64_t encrypted = 0, regular = 0;
  while (archive.Next(&member)) {
    if (!member.regular) continue;  // folders, links: nothing of their own to read
    ++regular;
    DatasetToRead what = base;
    what.relative = base.relative + "!/" + MaskValuesInPath(*policy, member.name);
    what.display_name = base.display_name + what.relative.substr(base.relative.size());
    what.hint_name = member.part;
    what.size_hint = member.size;
    const std::string member_base = std::filesystem::path(member.part).filename().string();
    FileNameKind kind = ClassifyFileName(member_base);
    if (member.encrypted) {
      // Protected by design, like an encrypted file: reported, not a gap.
      ++encrypted;
      members.push_back(
          {SkippedEntry(target, what.relative,
                        "not scanned: encrypted member; contents are not inspected", true),
           std::nullopt, "", std::nullopt});
      members.back().coverage.bytes = member.size;
      continue;
    }
    if (kind == FileNameKind::kNotExport) {
      members.push_back(
          {SkippedEntry(target, what.relative,
                        "not an export format (" + ExtensionOf(member_base) + ")", true),
           std::nullopt, "", std::nullopt});
      continue;
    }
    if (kind == FileNameKind::kWorkbook) {
      ScanWorkbookMember(target, archive, member, what, facts, plan, policy, threads, &members);
      if (archive.limit_reached()) break;
      continue;
    }
    if (kind != FileNameKind::kExport && kind != FileNameKind::kUnknown) {
      // A workbook or an archive inside an archive, or a format not read at all.
      const std::string extension = ExtensionOf(member_base);
      DatasetResult gap{SkippedEntry(target, what.relative,
                                     (kind == FileNameKind::kUnsupported
                                          ? "format not supported yet ("
                                          : "archive inside an archive not read yet (") +
                                         extension + "): not scanned",
                                     false),
                        std::nullopt, "", std::nullopt};
      gap.coverage.bytes = member.size;
      gap.warning = what.display_name + ": " + gap.coverage.reason;
      members.push_back(std::move(gap));
      continue;
    }
    what.may_be_no_export = kind == FileNameKind::kUnknown;
    members.push_back(ReadDataset(target, what, facts, policy, threads, [&](RecordSink& sink) {
      ByteSource source;
      source.OpenStream([&archive](char* buffer, size_t capacity, std::string* error) {
        return archive.Read(buffer, capacity, error);
      });
      return ReadExportStream(source, member_base, options, sink);
    }));
    if (archive.limit_reached()) break;
  }
  const std::string format = archive.format().empty() ? "archive" : archive.format();
  for (DatasetResult& m : members) {
    if (m.coverage.format.empty()) m.coverage.format = format + "-member";
  }
  if (!archive.error().empty()) {
    members.push_back(ErrorDataset(target, base.relative, base.display_name,
                                   archive.error() + " (members listed before it were read)",
                                   format));
    members.back().coverage.bytes = facts.size;
  } else if (regular == 0) {
    DatasetResult empty{SkippedEntry(target, base.relative, "empty archive: no files in it", false),
                        std::nullopt, "", std::nullopt};
    empty.coverage.format = format;
    empty.coverage.bytes = facts.size;
    empty.warning = base.display_name + ": " + empty.coverage.reason;
    members.push_back(std::move(empty));
  } else if (encrypted == regular) {
    // Every member encrypted: the archive is an encrypted container, as for a .gpg file.
    result->push_back({SkippedEntry(target, base.relative,
                                    "not scanned: encrypted (zip-encrypted container); contents "
                                    "are not inspected",
                                    true),
                       std::nullopt, "", std::nullopt});
    result->back().coverage.format = "zip-encrypted";
    result->back().coverage.bytes = facts.size;
    return;
  }
  for (DatasetResult& m : members) result->push_back(std::move(m));
}

FileResult ScanOneFile(const PlannedTarget& target, const WalkedFile& file, bool in_directory,
                       const ScanPlan& plan, const std::shared_ptr<const CompiledPolicy>& policy,
                       int threads) {
  FileResult result;
  // A file name that holds a value (frank@example.com.csv) is shown masked, like a column name.
  const std::string relative = MaskValuesInPath(*policy, file.relative);
  std::string display_name = in_directory ? target.display + "/" + relative : target.display;
  // A file the user named is read whatever its name; one met in a folder is judged by its name
  // first, so that a README, a log or a PDF beside the exports is not mistaken for a broken
  // export (and not even opened).
  const std::string base_name = file.path.filename().string();
  FileNameKind kind = ClassifyFileName(base_name);
  // Named on the command line, or picked by an --include glob: the user asked for this file.
  if ((!in_directory || !plan.include.empty()) && kind == FileNameKind::kNotExport) {
    kind = FileNameKind::kUnknown;
  }
  if (kind == FileNameKind::kNotExport) {
    result.push_back({SkippedEntry(target, relative,
                                   "not an export format (" + ExtensionOf(base_name) + ")", true),
                      std::nullopt, "", std::nullopt});
    return result;
  }
  FileFacts facts = CollectExportFileFacts(file.path, file.relative);
  // An archive's members say themselves whether they are encrypted (the first one's flag is
  // not the whole archive's).
  if (facts.encrypted && kind != FileNameKind::kArchive) {
    // Protected by design: reported so coverage stays honest, but not a gap in the scan.
    result.push_back({SkippedEntry(target, relative,
                                   "not scanned: encrypted (" + facts.container +
                                       " container); contents are not inspected",
                                   true),
                      std::nullopt, "", std::nullopt});
    result.back().coverage.bytes = facts.size;
    result.back().coverage.format = facts.container;
    return result;
  }
  // A SQLite database, by name or by header: a dataset per table (scan/sqlite_scan.h).
  if (kind == FileNameKind::kDatabase || facts.container == "sqlite") {
    DatasetResult database;
    database.database =
        ReadSqliteFile(target, file.path, relative, display_name, plan, policy, threads);
    result.push_back(std::move(database));
    return result;
  }
  if (kind == FileNameKind::kUnsupported) {
    // A spreadsheet or an archive may well hold the contacts: not reading it is a gap, said
    // loudly, with the way to accept it deliberately.
    const std::string extension = ExtensionOf(base_name);
    result.push_back(
        {SkippedEntry(target, relative,
                      "format not supported yet (" + extension + "): not scanned; --exclude '*" +
                          extension + "' accepts the gap",
                      false),
         std::nullopt, "", std::nullopt});
    result.back().coverage.bytes = facts.size;
    result.back().warning = display_name + ": " + result.back().coverage.reason;
    return result;
  }
  DatasetToRead what;
  what.relative = relative;
  what.container = relative;
  what.display_name = display_name;
  what.hint_name = file.relative;
  what.size_hint = facts.size;
  if (kind == FileNameKind::kWorkbook) {
    ScanWorkbook(target, file, what, facts, plan, policy, threads, &result);
    return result;
  }
  if (kind == FileNameKind::kArchive) {
    facts.encrypted = false;  // judged per member
    facts.container = "";
    ScanArchive(target, file, what, facts, plan, policy, threads, &result);
    return result;
  }
  what.may_be_no_export = kind == FileNameKind::kUnknown && in_directory;
  FileReadOptions options = ReadOptions(plan);
  // The threads this file may use also parse it, when it is a big plain CSV (file_reader.h).
  options.parse_threads = threads;
  result.push_back(ReadDataset(target, what, facts, policy, threads, [&](RecordSink& sink) {
    return ReadExportFile(file.path, options, sink);
  }));
  return result;
}

// Coverage for one file target, kept bounded: every dataset that was read (scanned or partial)
// is listed, and so are the first kListedNotRead entries that were not read; beyond that they
// are counted per (status, deliberate, reason), one entry each, so that a folder of millions of
// files that are not exports (or an accidental scan of /) keeps a bounded report and memory.
// The same goes for the warning lines printed to the user.
class TargetCoverage {
 public:
  static constexpr size_t kListedNotRead = 1000;
  static constexpr size_t kWarnings = 200;
  static constexpr size_t kAggregateReasons = 64;

  TargetCoverage(const PlannedTarget& target, TargetScanOutput* output,
                 std::vector<std::string>* warnings)
      : target_(target), output_(output), warnings_(warnings) {}

  void Add(CoverageEntry entry, const std::string& warning) {
    if (IsIncomplete(entry)) output_->complete = false;
    if (!warning.empty()) Warn(warning);
    const bool read =
        entry.status == CoverageStatus::kScanned || entry.status == CoverageStatus::kPartial;
    if (read || listed_not_read_ < kListedNotRead) {
      if (!read) ++listed_not_read_;
      output_->coverage.push_back(std::move(entry));
      return;
    }
    Key key{entry.status, entry.deliberate, entry.reason};
    if (!counted_.count(key) && counted_.size() >= kAggregateReasons) key.reason = "other reasons";
    Count& count = counted_[key];
    ++count.files;
    count.bytes += entry.bytes;
  }

  // Appends the counted entries; call once, at the end.
  void Finish() {
    for (const auto& [key, count] : counted_) {
      CoverageEntry c;
      c.target = target_.id;
      c.dataset = CountedDatasetName(count.files);
      c.status = key.status;
      c.deliberate = key.deliberate;
      c.bytes = count.bytes;
      c.reason = key.reason;
      output_->coverage.push_back(std::move(c));
    }
    if (unprinted_warnings_ > 0) {
      warnings_->push_back(target_.display + ": " + std::to_string(unprinted_warnings_) +
                           " more dataset" + (unprinted_warnings_ == 1 ? "" : "s") +
                           " not scanned completely (see coverage in the report)");
    }
  }

 private:
  struct Key {
    CoverageStatus status;
    bool deliberate;
    std::string reason;
    bool operator<(const Key& other) const {
      return std::tie(status, deliberate, reason) <
             std::tie(other.status, other.deliberate, other.reason);
    }
  };
  struct Count {
    uint64_t files = 0, bytes = 0;
  };

  void Warn(const std::string& warning) {
    if (printed_warnings_ < kWarnings) {
      ++printed_warnings_;
      warnings_->push_back(warning);
    } else {
      ++unprinted_warnings_;
    }
  }

  const PlannedTarget& target_;
  TargetScanOutput* output_;
  std::vector<std::string>* warnings_;
  size_t listed_not_read_ = 0;
  size_t printed_warnings_ = 0;
  uint64_t unprinted_warnings_ = 0;
  std::map<Key, Count> counted_;
};

// Receives the walk as it streams and reads files in batches of a few per job, so that the
// files found but not yet read stay few whatever the size of the tree.
class FileTargetScan : public WalkVisitor {
 public:
  FileTargetScan(const PlannedTarget& target, const ScanPlan& plan,
                 std::shared_ptr<const CompiledPolicy> policy, Progress& progress,
                 TargetScanOutput* output, TargetCoverage* coverage)
      : target_(target),
        plan_(plan),
        policy_(std::move(policy)),
        controls_(ControlPolicyFromPacks(policy_->packs()).exports),
        progress_(progress),
        output_(output),
        coverage_(coverage) {}

  void set_in_directory(bool in_directory) { in_directory_ = in_directory; }

  bool TimedOut() const {
    return plan_.deadline && std::chrono::steady_clock::now() >= *plan_.deadline;
  }

  void File(WalkedFile file) override {
    pending_.push_back(std::move(file));
    progress_.DatasetFound();
    if (pending_.size() >= static_cast<size_t>(std::max(1, plan_.jobs)) * kFilesPerJob) Flush();
  }

  void Skipped(std::string relative, std::string reason) override {
    coverage_->Add(SkippedEntry(target_, relative, std::move(reason), true), "");
  }

  void Problem(std::string relative, std::string reason) override {
    CoverageEntry c;
    c.target = target_.id;
    c.dataset = relative;
    c.status = CoverageStatus::kError;
    c.reason = reason;
    std::string where = relative == "." ? target_.display : target_.display + "/" + relative;
    if (!in_directory_) where = target_.display;
    coverage_->Add(std::move(c), where + ": " + reason);
  }

  // Reads what is pending, in parallel, and records the results in walk order.
  void Flush() {
    if (pending_.empty()) return;
    std::vector<FileResult> results(pending_.size());
    std::atomic<size_t> next{0};
    // Matching is CPU-bound: threads beyond the cores only add memory (available_cores.h).
    const int usable = std::max(1, std::min(plan_.jobs, AvailableCores()));
    int jobs = std::max(1, std::min<int>(usable, static_cast<int>(pending_.size())));
    // Fewer files than jobs (typically one big export): the spare jobs match inside each file.
    const int threads_per_file = std::max(1, usable / jobs);
    auto worker = [&] {
      for (size_t i = next++; i < pending_.size(); i = next++) {
        if (TimedOut()) {
          // --timeout: the files not started are listed, not silently dropped.
          results[i].push_back({SkippedEntry(target_, pending_[i].relative,
                                             "not scanned: the scan's --timeout expired", false),
                                std::nullopt, "", std::nullopt});
          progress_.DatasetDone(0, 0);
          continue;
        }
        results[i] =
            ScanOneFile(target_, pending_[i], in_directory_, plan_, policy_, threads_per_file);
        uint64_t rows = 0, bytes = 0;
        for (const DatasetResult& d : results[i]) {
          rows += d.coverage.rows;
          bytes += d.coverage.bytes;
        }
        progress_.DatasetDone(rows, bytes);
      }
    };
    std::vector<std::thread> threads;
    for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    pending_.clear();
    for (FileResult& file : results) {
      for (DatasetResult& r : file) {
        if (r.database) {
          for (auto& d : r.database->coverage) coverage_->Add(std::move(d.coverage), d.warning);
          databases_.push_back(std::move(*r.database));
          continue;
        }
        coverage_->Add(std::move(r.coverage), r.warning);
        if (r.judgement) judgements_.push_back(std::move(*r.judgement));
      }
    }
  }

 private:
  static constexpr size_t kFilesPerJob = 16;

  const PlannedTarget& target_;
  const ScanPlan& plan_;
  std::shared_ptr<const CompiledPolicy> policy_;
  const ExportControls controls_;
  Progress& progress_;
  TargetScanOutput* output_;
  TargetCoverage* coverage_;
  bool in_directory_ = true;
  std::vector<WalkedFile> pending_;
  std::vector<PendingJudgement> judgements_;
  std::vector<SqliteFileRead> databases_;

 public:
  // After the walk: inventory and findings of every file read, with identity paths computed
  // over all of them (so two files of this target never share an id).
  void JudgeAll() {
    std::vector<std::string> relatives;
    for (const PendingJudgement& j : judgements_) {
      relatives.push_back(j.relative);
      if (j.container != j.relative) relatives.push_back(j.container);
    }
    for (const SqliteFileRead& d : databases_) relatives.push_back(d.relative);
    const std::map<std::string, std::string> identity_paths = IdentityPaths(
        plan_.identity_roots.count(target_.id) ? plan_.identity_roots.at(target_.id) : "",
        relatives);
    // The datasets of one file are consecutive: the file is judged after its last one.
    uint64_t pii_columns = 0;
    for (size_t i = 0; i < judgements_.size(); ++i) {
      PendingJudgement& j = judgements_[i];
      const std::string container = j.container;
      const FileFacts facts = j.facts;
      const std::string identity_path = identity_paths.at(j.relative);
      pii_columns += JudgeDataset(std::move(j), identity_path, target_, *policy_, output_);
      if (i + 1 == judgements_.size() || judgements_[i + 1].container != container) {
        JudgeContainer(facts, container, identity_paths.at(container), pii_columns, target_,
                       *policy_, controls_, output_);
        pii_columns = 0;
      }
    }
    judgements_.clear();
    for (SqliteFileRead& d : databases_) {
      const std::string identity_path = identity_paths.at(d.relative);
      JudgeSqliteFile(std::move(d), identity_path, target_, *policy_, controls_, output_);
    }
    databases_.clear();
  }
};

}  // namespace

uint64_t DatasetsIn(const CoverageEntry& entry) {
  const std::string& name = entry.dataset;
  if (name.size() < kCountedSuffix.size() + 2 || name[0] != '(' ||
      name.compare(name.size() - kCountedSuffix.size(), kCountedSuffix.size(), kCountedSuffix) !=
          0) {
    return 1;
  }
  uint64_t files = 0;
  for (size_t i = 1; i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])); ++i) {
    files = files * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return files == 0 ? 1 : files;
}

TargetScanOutput ScanFileTarget(const PlannedTarget& target, const ScanPlan& plan,
                                std::shared_ptr<const CompiledPolicy> policy, Progress& progress,
                                std::vector<std::string>& warnings) {
  TargetScanOutput output;
  WalkOptions walk_options;
  walk_options.include = plan.include;
  walk_options.exclude = plan.exclude;
  walk_options.own_output_folders = plan.own_output_folders;
  if (plan.deadline) {
    const auto deadline = *plan.deadline;
    walk_options.stop = [deadline] { return std::chrono::steady_clock::now() >= deadline; };
  }

  TargetCoverage coverage(target, &output, &warnings);
  FileTargetScan scan(target, plan, std::move(policy), progress, &output, &coverage);
  std::error_code ec;
  scan.set_in_directory(std::filesystem::is_directory(target.location, ec));
  WalkRoot root = WalkTarget(target.location, walk_options, scan);
  scan.Flush();
  scan.JudgeAll();
  coverage.Finish();

  if (!root.exists) {
    CoverageEntry c;
    c.target = target.id;
    c.dataset = target.display;
    c.status = CoverageStatus::kError;
    c.reason = "target not found";
    output.coverage.push_back(c);
    output.complete = false;
    output.error = target.display + ": target not found";
    warnings.push_back(output.error);
  }
  return output;
}

}  // namespace crmaudit
