#include "reports/html/html_report.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <vector>

#include "reports/html/html_assets.h"
#include "reports/html/html_escape.h"

namespace crmaudit {

namespace {

constexpr std::array<Severity, 5> kSeveritiesWorstFirst = {
    Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kInfo};
constexpr std::array<FindingCategory, 8> kCategories = {
    FindingCategory::kPii,       FindingCategory::kSecret,       FindingCategory::kEncryption,
    FindingCategory::kAccess,    FindingCategory::kAudit,        FindingCategory::kBackup,
    FindingCategory::kRetention, FindingCategory::kConfiguration};
constexpr std::array<FindingStatus, 4> kStatuses = {FindingStatus::kOpen, FindingStatus::kBaselined,
                                                    FindingStatus::kSuppressed,
                                                    FindingStatus::kNotAssessed};

std::string_view CategoryHeading(FindingCategory category) {
  switch (category) {
    case FindingCategory::kPii:
      return "Personal data";
    case FindingCategory::kSecret:
      return "Secrets and credentials";
    case FindingCategory::kEncryption:
      return "Encryption";
    case FindingCategory::kAccess:
      return "Access control";
    case FindingCategory::kAudit:
      return "Audit logging";
    case FindingCategory::kBackup:
      return "Backups";
    case FindingCategory::kRetention:
      return "Retention";
    case FindingCategory::kConfiguration:
      return "Server configuration";
  }
  return "Other";
}

std::string_view StatusLabel(FindingStatus status) {
  switch (status) {
    case FindingStatus::kOpen:
      return "open";
    case FindingStatus::kSuppressed:
      return "suppressed";
    case FindingStatus::kBaselined:
      return "baselined";
    case FindingStatus::kNotAssessed:
      return "not assessed";
  }
  return "unknown";
}

std::string_view BarColour(std::string_view severity) {
  if (severity == "critical") return "#8e1b1b";
  if (severity == "high") return "#c2410c";
  if (severity == "medium") return "#a16207";
  if (severity == "low") return "#1d4ed8";
  if (severity == "info") return "#4b5563";
  return "#0f766e";
}

// Base64 of the SHA-256 of `text`, as a CSP hash source expects.
std::string CspHash(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed while hashing the report's inline assets");
  }
  std::string encoded(4 * ((length + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest, length);
  encoded.resize(static_cast<size_t>(written));
  return "'sha256-" + encoded + "'";
}

std::string Grouped(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string HumanBytes(uint64_t bytes) {
  static constexpr std::array<std::string_view, 5> kUnits = {"B", "KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return Grouped(bytes) + " B";
  // Tenths, in integers, so the text is the same on every platform.
  uint64_t tenths = bytes * 10;
  size_t unit = 0;
  while (tenths >= 10240 && unit + 1 < kUnits.size()) {
    tenths /= 1024;
    ++unit;
  }
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " +
         std::string(kUnits[unit]);
}

// "12 / 1,000 (1.2%)"; the percentage is display only.
std::string Ratio(uint64_t part, uint64_t whole) {
  std::string out = Grouped(part) + " / " + Grouped(whole);
  if (whole > 0) {
    const uint64_t per_mille = (part * 1000 + whole / 2) / whole;
    out += " (" + std::to_string(per_mille / 10) + "." + std::to_string(per_mille % 10) + "%)";
  }
  return out;
}

// "1 control", "2 controls": counts read as English, never "control(s)".
std::string Counted(uint64_t count, std::string_view one, std::string_view many) {
  return Grouped(count) + " " + std::string(count == 1 ? one : many);
}

std::string_view OutcomeLabel(OutcomeStatus status) {
  switch (status) {
    case OutcomeStatus::kPass:
      return "pass";
    case OutcomeStatus::kFail:
      return "fail";
    case OutcomeStatus::kNotAssessed:
      return "not assessed";
  }
  return "unknown";
}

// Failed checks first, then those that could not be assessed, then the passes.
int OutcomeRank(OutcomeStatus status) {
  switch (status) {
    case OutcomeStatus::kFail:
      return 0;
    case OutcomeStatus::kNotAssessed:
      return 1;
    case OutcomeStatus::kPass:
      return 2;
  }
  return 3;
}

uint64_t CountOr0(const std::map<std::string, uint64_t>& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::string LocationText(const Location& location) {
  std::string out;
  if (IsDatabaseLocationKind(location.kind)) {
    for (const std::string* part :
         {&location.database, &location.schema, &location.table, &location.column}) {
      if (part->empty()) continue;
      if (!out.empty()) out += '.';
      out += *part;
    }
  } else {
    out = location.path;
    if (!location.column.empty()) out += (out.empty() ? "" : " \xE2\x80\xBA ") + location.column;
  }
  for (const auto& [key, value] : location.extra) {
    if (!out.empty()) out += ' ';
    out += key + "=" + value;
  }
  if (out.empty()) out = location.kind;
  return out;
}

class HtmlWriter {
 public:
  HtmlWriter(const ScanResult& result, const HtmlReportOptions& options)
      : result_(result), options_(options) {}

  std::string Render() {
    const std::string_view css = ReportStylesheet();
    const std::string_view script = ReportScript();
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    // The policy comes before any style or script so it governs all of them.
    out_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src " +
        CspHash(css) + "; script-src " + CspHash(script) +
        "; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out_ += "<title>crmaudit report " + EscapeHtml(result_.scan.started_at) + "</title>\n";
    out_ += "<style>";
    out_ += css;
    out_ += "</style>\n</head>\n<body>\n";
    Header();
    SummarySection();
    ScopeSection();
    CoverageSection();
    SignatureSection();
    InventorySection();
    FindingsSection();
    ControlsSection();
    out_ += "<footer>Generated by " + EscapeHtml(result_.tool_name) + " " +
            EscapeHtml(result_.tool_version) + " \xC2\xB7 scan " + EscapeHtml(result_.scan.id) +
            ". Samples are masked; no raw personal data is included in this report.</footer>\n";
    out_ += "<script>";
    out_ += script;
    out_ += "</script>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void Header() {
    const Summary& summary = result_.summary;
    // Only a complete scan can show the green pass colour; anything unknown is not a pass.
    std::string style = "incomplete";
    if (summary.complete && (summary.verdict == "pass" || summary.verdict == "fail")) {
      style = summary.verdict;
    }
    out_ += "<header id=\"summary\">\n<h1>Data-security and compliance audit</h1>\n";
    out_ += "<p class=\"subtitle\">Scan " + EscapeHtml(result_.scan.id) + " \xC2\xB7 " +
            EscapeHtml(result_.scan.started_at) + " \xE2\x80\x93 " +
            EscapeHtml(result_.scan.finished_at) + "</p>\n";
    out_ += "<div class=\"verdict " + style + "\" id=\"verdict\"><span class=\"word\">" +
            EscapeHtml(summary.verdict.empty() ? "not judged" : summary.verdict) +
            "</span><span>Fails on open findings of severity <strong>" +
            EscapeHtml(summary.fail_on) + "</strong>" +
            (summary.fail_on == "never" ? "" : " or worse") + ".</span>" +
            "<span id=\"not-assessed\"><strong>" + Grouped(summary.not_assessed) + "</strong> " +
            (summary.not_assessed == 1 ? "control" : "controls") + " not assessed" +
            (summary.not_assessed ? " (see findings with status not_assessed)" : "") +
            ".</span></div>\n";
    std::vector<const CoverageEntry*> incomplete;
    for (const CoverageEntry& entry : result_.coverage) {
      if (IsIncomplete(entry)) incomplete.push_back(&entry);
    }
    if (!result_.scan.complete || !incomplete.empty()) {
      out_ += "<p class=\"banner\" id=\"incomplete\"><strong>Incomplete scan.</strong> " +
              Counted(incomplete.size(), "dataset was", "datasets were") +
              " not read completely; findings cannot cover what was not read. "
              "See <a href=\"#coverage\">coverage</a>.</p>\n";
    }
    out_ += "</header>\n";
  }

  // A horizontal bar chart as inline SVG; bars scale to the largest value.
  void BarChart(std::string_view title, const std::vector<std::pair<std::string, uint64_t>>& bars,
                bool severity_colours) {
    constexpr int kLabelWidth = 120;
    constexpr int kBarArea = 300;
    constexpr int kRowHeight = 26;
    uint64_t largest = 0;
    for (const auto& bar : bars) largest = std::max(largest, bar.second);
    const int height = static_cast<int>(bars.size()) * kRowHeight + 6;
    const int width = kLabelWidth + kBarArea + 70;
    out_ += "<div class=\"chart-box\"><h3>" + EscapeHtml(title) + "</h3>\n";
    out_ += "<svg class=\"chart\" role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
            std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
            std::to_string(height) + "\" aria-label=\"" + EscapeHtml(title) + "\">\n";
    int y = 3;
    for (const auto& [label, value] : bars) {
      const int bar_width =
          largest == 0 ? 0
                       : std::max(value == 0 ? 0 : 2, static_cast<int>(value * kBarArea / largest));
      const std::string colour(severity_colours ? BarColour(label) : BarColour(""));
      out_ += "<text x=\"0\" y=\"" + std::to_string(y + 17) + "\">" + EscapeHtml(label) + "</text>";
      out_ += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 3) +
              "\" width=\"" + std::to_string(bar_width) + "\" height=\"18\" rx=\"3\" fill=\"" +
              colour + "\"></rect>";
      out_ += "<text class=\"value\" x=\"" + std::to_string(kLabelWidth + bar_width + 6) +
              "\" y=\"" + std::to_string(y + 17) + "\">" + Grouped(value) + "</text>\n";
      y += kRowHeight;
    }
    out_ += "</svg></div>\n";
  }

  void SummarySection() {
    const Summary& summary = result_.summary;
    out_ += "<section id=\"counts\">\n<h2>Open findings</h2>\n<div class=\"charts\">\n";
    std::vector<std::pair<std::string, uint64_t>> by_severity;
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      by_severity.emplace_back(name, CountOr0(summary.by_severity, name));
    }
    BarChart("By severity", by_severity, true);
    std::vector<std::pair<std::string, uint64_t>> by_category;
    for (FindingCategory category : kCategories) {
      const std::string name(CategoryName(category));
      by_category.emplace_back(name, CountOr0(summary.by_category, name));
    }
    for (const auto& [name, count] : summary.by_category) {
      if (!ParseCategory(name)) by_category.emplace_back(name, count);
    }
    BarChart("By category", by_category, false);
    out_ += "</div>\n";
    if (options_.previous_summary) SinceLastAudit(*options_.previous_summary);
    out_ += "</section>\n";
  }

  void SinceLastAudit(const Summary& previous) {
    out_ +=
        "<h3>Since the last audit</h3>\n<table id=\"since-last\"><thead><tr><th>Severity</th>"
        "<th class=\"num\">Last audit</th><th class=\"num\">This audit</th>"
        "<th class=\"num\">Change</th></tr></thead><tbody>\n";
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      const uint64_t before = CountOr0(previous.by_severity, name);
      const uint64_t now = CountOr0(result_.summary.by_severity, name);
      std::string change = "0";
      if (now > before) change = "+" + Grouped(now - before);
      if (now < before) change = "\xE2\x88\x92" + Grouped(before - now);
      out_ += "<tr><td><span class=\"badge " + name + "\">" + name +
              "</span></td><td class=\"num\">" + Grouped(before) + "</td><td class=\"num\">" +
              Grouped(now) + "</td><td class=\"num\">" + change + "</td></tr>\n";
    }
    out_ += "<tr><td>verdict</td><td class=\"num\">" + EscapeHtml(previous.verdict) +
            "</td><td class=\"num\">" + EscapeHtml(result_.summary.verdict) +
            "</td><td></td></tr>\n</tbody></table>\n";
  }

  void ScopeSection() {
    out_ += "<section id=\"scope\">\n<h2>Scope</h2>\n<dl class=\"grid\">\n";
    out_ += "<dt>Started</dt><dd>" + EscapeHtml(result_.scan.started_at) + "</dd>\n";
    out_ += "<dt>Finished</dt><dd>" + EscapeHtml(result_.scan.finished_at) + "</dd>\n";
    out_ += std::string("<dt>Complete</dt><dd>") +
            (result_.scan.complete ? "yes" : "<strong>no</strong> (see coverage)") + "</dd>\n";
    out_ +=
        "<dt>Controls not assessed</dt><dd>" + Grouped(result_.summary.not_assessed) + "</dd>\n";
    if (result_.scan.previous_sha256) {
      out_ +=
          "<dt>Previous report</dt><dd><code>sha256:" + EscapeHtml(*result_.scan.previous_sha256) +
          "</code></dd>\n";
    }
    for (const auto& [key, value] : result_.scan.options) {
      out_ += "<dt>" + EscapeHtml(key) + "</dt><dd>" + EscapeHtml(value) + "</dd>\n";
    }
    out_ += "</dl>\n";
    out_ +=
        "<h3>Targets</h3>\n<table id=\"targets\"><thead><tr><th>Id</th><th>Kind</th>"
        "<th>Target</th></tr></thead><tbody>\n";
    for (const TargetInfo& target : result_.targets) {
      out_ += "<tr><td>" + EscapeHtml(target.id) + "</td><td>" + EscapeHtml(target.kind) +
              "</td><td><code>" + EscapeHtml(target.display) + "</code></td></tr>\n";
    }
    out_ += "</tbody></table>\n";
    out_ +=
        "<h3>Policy packs</h3>\n<table id=\"packs\"><thead><tr><th>Pack</th><th>Version</th>"
        "<th>SHA-256</th></tr></thead><tbody>\n";
    for (const PolicyPackRef& pack : result_.scan.policy_packs) {
      out_ += "<tr><td>" + EscapeHtml(pack.name) + "</td><td>" + EscapeHtml(pack.version) +
              "</td><td><code>" + EscapeHtml(pack.sha256) + "</code></td></tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void CoverageSection() {
    out_ +=
        "<section id=\"coverage\">\n<h2>Coverage</h2>\n<p>Every dataset the targets contain, "
        "with what was read or why it was not.</p>\n"
        "<table id=\"coverage-table\" class=\"sortable\"><thead><tr>"
        "<th data-key=\"target\"><button type=\"button\" class=\"sort\">Target</button></th>"
        "<th data-key=\"dataset\"><button type=\"button\" class=\"sort\">Dataset</button></th>"
        "<th data-key=\"status\"><button type=\"button\" class=\"sort\">Status</button></th>"
        "<th>Read</th>"
        "<th class=\"num\" data-key=\"rows\" data-type=\"number\"><button type=\"button\" "
        "class=\"sort\">Rows</button></th>"
        "<th class=\"num\" data-key=\"bytes\" data-type=\"number\"><button type=\"button\" "
        "class=\"sort\">Bytes</button></th>"
        "<th>Format</th><th>Encoding</th><th class=\"num\">Invalid bytes</th>"
        "<th class=\"num\">Ragged rows</th><th class=\"num\">Malformed</th><th>Reason</th>"
        "</tr></thead><tbody>\n";
    for (const CoverageEntry& entry : result_.coverage) {
      const std::string status(CoverageStatusName(entry.status));
      out_ += std::string("<tr class=\"coverage") + (IsIncomplete(entry) ? " incomplete" : "") +
              "\"><td>" + EscapeHtml(entry.target) + "</td><td><code>" + EscapeHtml(entry.dataset) +
              "</code></td><td class=\"nowrap\">" + status + "</td><td class=\"nowrap\">" +
              (entry.status == CoverageStatus::kSkipped || entry.status == CoverageStatus::kError
                   ? "\xE2\x80\x94"
                   : (entry.sampled ? "sampled" : "full")) +
              "</td><td class=\"num\" data-sort=\"" + std::to_string(entry.rows) + "\">" +
              Grouped(entry.rows) + "</td><td class=\"num\" data-sort=\"" +
              std::to_string(entry.bytes) + "\">" + HumanBytes(entry.bytes) + "</td><td>" +
              EscapeHtml(entry.format) + "</td><td>" + EscapeHtml(entry.encoding) +
              "</td><td class=\"num\">" + Grouped(entry.invalid_bytes) + "</td><td class=\"num\">" +
              Grouped(entry.ragged_rows) + "</td><td class=\"num\">" +
              Grouped(entry.malformed_records) + "</td><td>" + EscapeHtml(entry.reason) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void SignatureSection() {
    out_ += "<section id=\"signature\">\n<h2>Signature</h2>\n";
    if (options_.signed_report) {
      out_ +=
          "<p id=\"signature-status\"><strong>Signed.</strong> A detached signature "
          "(<code>report.html.sig</code>) and a DSSE bundle (<code>report.dsse.json</code>) "
          "sit beside this file. This page cannot check its own signature: verify it before "
          "relying on it.</p>\n<p>Verify with:</p>\n";
      const std::string hint =
          options_.key_hint.empty() ? "crmaudit verify DIR --key KEY.pub" : options_.key_hint;
      out_ += "<pre class=\"command\" id=\"verify-command\">" + EscapeHtml(hint) + "</pre>\n";
      out_ +=
          "<p>or with stock OpenSSL (Ed25519 keys):</p>\n<pre class=\"command\">openssl pkeyutl "
          "-verify -pubin -inkey KEY.pub -rawin -in report.html -sigfile report.html.sig</pre>\n";
    } else {
      out_ +=
          "<p id=\"signature-status\"><strong>Not signed.</strong> This report carries no "
          "signature; anyone could have edited it. Run the scan with "
          "<code>--sign-key KEY.pem</code> to produce a verifiable report, then check it with "
          "<code>crmaudit verify DIR --key KEY.pub</code>.</p>\n";
    }
    out_ += "</section>\n";
  }

  void InventorySection() {
    out_ +=
        "<section id=\"inventory\">\n<h2>Personal-data inventory</h2>\n<p>Which columns hold "
        "which kinds of personal data (GDPR Art. 30 records of processing; PIPL Art. 51).</p>\n";
    if (result_.inventory.empty()) {
      out_ += "<p>No personal data was found in the datasets read.</p>\n</section>\n";
      return;
    }
    out_ +=
        "<table id=\"inventory-table\" class=\"sortable\"><thead><tr>"
        "<th data-key=\"target\"><button type=\"button\" class=\"sort\">Target</button></th>"
        "<th data-key=\"dataset\"><button type=\"button\" class=\"sort\">Dataset</button></th>"
        "<th data-key=\"column\"><button type=\"button\" class=\"sort\">Column</button></th>"
        "<th>Entity types (matched / scanned)</th></tr></thead><tbody>\n";
    for (const InventoryEntry& entry : result_.inventory) {
      out_ += "<tr class=\"inventory\"><td>" + EscapeHtml(entry.target) + "</td><td><code>" +
              EscapeHtml(entry.dataset) + "</code></td><td><code>" + EscapeHtml(entry.column) +
              "</code></td><td><ul class=\"plain\">";
      for (const EntityCount& entity : entry.entities) {
        out_ += "<li><strong>" + EscapeHtml(entity.type) + "</strong> " +
                Ratio(entity.matched, entity.scanned);
        if (entity.confidence > 0) {
          out_ +=
              " <span class=\"meta\">confidence " + std::to_string(entity.confidence) + "%</span>";
        }
        out_ += "</li>";
      }
      out_ += "</ul></td></tr>\n";
    }
    out_ += "</tbody></table>\n</section>\n";
  }

  void FilterControls() {
    out_ +=
        "<div class=\"controls\" role=\"search\">\n<label>Severity<select id=\"f-severity\">"
        "<option value=\"\">all</option>";
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      out_ += "<option value=\"" + name + "\">" + name + "</option>";
    }
    out_ +=
        "</select></label>\n<label>Category<select id=\"f-category\"><option value=\"\">all"
        "</option>";
    for (FindingCategory category : kCategories) {
      const std::string name(CategoryName(category));
      out_ +=
          "<option value=\"" + name + "\">" + std::string(CategoryHeading(category)) + "</option>";
    }
    out_ +=
        "</select></label>\n<label>Status<select id=\"f-status\"><option value=\"\">all"
        "</option>";
    for (FindingStatus status : kStatuses) {
      out_ += "<option value=\"" + std::string(StatusName(status)) + "\">" +
              std::string(StatusLabel(status)) + "</option>";
    }
    out_ +=
        "</select></label>\n<label>Text<input id=\"f-text\" type=\"search\" "
        "placeholder=\"column, table, rule, article\xE2\x80\xA6\" autocomplete=\"off\"></label>\n"
        "<span id=\"f-count\" aria-live=\"polite\">Showing " +
        std::to_string(result_.findings.size()) + " of " + std::to_string(result_.findings.size()) +
        " findings</span>\n</div>\n";
  }

  void FindingsSection() {
    out_ += "<section id=\"findings\">\n<h2>Findings</h2>\n";
    if (result_.findings.empty()) {
      out_ += "<p>No findings.</p>\n</section>\n";
      return;
    }
    FilterControls();
    for (FindingCategory category : kCategories) {
      std::vector<const Finding*> group;
      for (const Finding& finding : result_.findings) {
        if (finding.category == category) group.push_back(&finding);
      }
      if (group.empty()) continue;
      const std::string name(CategoryName(category));
      out_ += "<section class=\"finding-group\" id=\"group-" + name + "\">\n<h3>" +
              std::string(CategoryHeading(category)) + " <span class=\"meta\">" +
              Counted(group.size(), "finding", "findings") + "</span></h3>\n";
      out_ +=
          "<table class=\"sortable findings\"><colgroup><col class=\"c-severity\">"
          "<col class=\"c-finding\"><col class=\"c-location\"><col class=\"c-status\">"
          "<col class=\"c-evidence\"><col class=\"c-frameworks\"><col class=\"c-remediation\">"
          "</colgroup><thead><tr>"
          "<th data-key=\"severity\" data-type=\"number\"><button type=\"button\" "
          "class=\"sort\">Severity</button></th>"
          "<th data-key=\"finding\"><button type=\"button\" class=\"sort\">Finding</button></th>"
          "<th data-key=\"location\"><button type=\"button\" class=\"sort\">Location</button>"
          "</th>"
          "<th data-key=\"status\"><button type=\"button\" class=\"sort\">Status</button></th>"
          "<th data-key=\"evidence\" data-type=\"number\"><button type=\"button\" "
          "class=\"sort\">Evidence</button></th>"
          "<th>GDPR / PIPL</th><th>Remediation</th></tr></thead><tbody>\n";
      for (const Finding* finding : group) FindingRow(*finding);
      out_ += "</tbody></table>\n</section>\n";
    }
    out_ += "</section>\n";
  }

  void FindingRow(const Finding& f) {
    const std::string severity(SeverityName(f.severity));
    const std::string status(StatusName(f.status));
    const std::string location = LocationText(f.location);
    out_ += "<tr class=\"finding\" id=\"finding-" + EscapeHtml(f.id) + "\" data-id=\"" +
            EscapeHtml(f.id) + "\" data-severity=\"" + severity + "\" data-category=\"" +
            std::string(CategoryName(f.category)) + "\" data-status=\"" + status + "\">";
    // Severity sorts by rank, so "critical" > "high" rather than alphabetically.
    out_ += "<td data-sort=\"" + std::to_string(static_cast<int>(f.severity)) +
            "\"><span class=\"badge " + severity + "\">" + severity + "</span></td>";
    out_ += "<td><strong>" + EscapeHtml(f.title) + "</strong><span class=\"meta\"><code>" +
            EscapeHtml(f.rule) + "</code>";
    if (!f.entity.empty()) out_ += " \xC2\xB7 " + EscapeHtml(f.entity);
    if (f.confidence > 0) out_ += " \xC2\xB7 confidence " + std::to_string(f.confidence) + "%";
    out_ += "</span><span class=\"meta mono\">" + EscapeHtml(f.id) + "</span></td>";
    out_ +=
        "<td data-sort=\"" + EscapeHtml(location) + "\"><code>" + EscapeHtml(location) + "</code>";
    if (f.location.row) {
      out_ += "<span class=\"meta\">first seen in row " + Grouped(*f.location.row) + "</span>";
    }
    if (!f.location.target.empty()) {
      out_ += "<span class=\"meta\">target " + EscapeHtml(f.location.target) + " (" +
              EscapeHtml(f.location.kind) + ")</span>";
    }
    out_ += "</td>";
    out_ += "<td data-sort=\"" + status + "\"><span class=\"status " + status + "\">" +
            std::string(StatusLabel(f.status)) + "</span>";
    if (!f.status_reason.empty()) {
      out_ += "<span class=\"reason\">" + EscapeHtml(f.status_reason) + "</span>";
    }
    out_ += "</td>";
    out_ += "<td data-sort=\"" + std::to_string(f.evidence.count) + "\">";
    if (f.evidence.scanned > 0) {
      out_ += Ratio(f.evidence.count, f.evidence.scanned);
    } else if (f.evidence.count > 0) {
      out_ += Grouped(f.evidence.count);
    }
    if (!f.evidence.samples.empty()) {
      out_ += "<ul class=\"plain samples\">";
      for (const std::string& sample : f.evidence.samples) {
        out_ += "<li><code>" + EscapeHtml(sample) + "</code></li>";
      }
      out_ += "</ul>";
    }
    if (!f.evidence.facts.empty()) {
      out_ += "<ul class=\"plain facts\">";
      for (const auto& [key, value] : f.evidence.facts) {
        out_ += "<li>" + EscapeHtml(key) + ": <code>" + EscapeHtml(value) + "</code></li>";
      }
      out_ += "</ul>";
    }
    out_ += "</td><td><ul class=\"plain frameworks\">";
    for (const auto& [framework, articles] : f.frameworks) {
      out_ += "<li><strong>" + EscapeHtml(framework) + "</strong> ";
      for (size_t i = 0; i < articles.size(); ++i) {
        if (i != 0) out_ += "; ";
        out_ += EscapeHtml(articles[i]);
      }
      out_ += "</li>";
    }
    out_ += "</ul></td><td>" + EscapeHtml(f.remediation) + "</td></tr>\n";
  }

  // Every control check evaluated, per target: the evidence that a control was tested. Failed
  // and not-assessed checks are open; passed ones are collapsed (<details> without `open`), so
  // the failures stand out and the passes are one click away. Titles and risks come from
  // rules[] (the catalog entries the scan recorded), never from here.
  void ControlsSection() {
    out_ += "<section id=\"controls-evaluated\">\n<h2>Controls evaluated</h2>\n";
    if (result_.controls.empty()) {
      out_ += "<p>No control check was evaluated in this scan.</p>\n</section>\n";
      return;
    }
    std::map<std::string, const RuleDescription*> rules;
    for (const RuleDescription& rule : result_.rules) rules.emplace(rule.id, &rule);
    std::vector<const ControlResult*> controls;
    uint64_t passed = 0, failed = 0, not_assessed = 0;
    for (const ControlResult& control : result_.controls) {
      controls.push_back(&control);
      if (control.status == OutcomeStatus::kPass) ++passed;
      if (control.status == OutcomeStatus::kFail) ++failed;
      if (control.status == OutcomeStatus::kNotAssessed) ++not_assessed;
    }
    std::stable_sort(controls.begin(), controls.end(),
                     [](const ControlResult* a, const ControlResult* b) {
                       return std::make_tuple(OutcomeRank(a->status), a->rule, a->target) <
                              std::make_tuple(OutcomeRank(b->status), b->rule, b->target);
                     });
    out_ += "<p id=\"controls-count\">Every control check this scan ran, per target: <strong>" +
            Grouped(passed) + "</strong> passed, <strong>" + Grouped(failed) +
            "</strong> failed, <strong>" + Grouped(not_assessed) +
            "</strong> not assessed. Passed checks are collapsed; open one to see the objects "
            "it examined.</p>\n";
    for (const ControlResult* control : controls) {
      auto it = rules.find(control->rule);
      ControlCheck(*control, it == rules.end() ? nullptr : it->second);
    }
    out_ += "</section>\n";
  }

  void ControlCheck(const ControlResult& control, const RuleDescription* rule) {
    const std::string status(OutcomeStatusName(control.status));
    out_ += "<details class=\"control-check " + status + "\" id=\"control-" +
            EscapeHtml(control.rule) + "-" + EscapeHtml(control.target) + "\" data-rule=\"" +
            EscapeHtml(control.rule) + "\" data-target=\"" + EscapeHtml(control.target) +
            "\" data-status=\"" + status + "\"" +
            (control.status == OutcomeStatus::kPass ? "" : " open") + ">";
    out_ += "<summary><span class=\"status " + status + "\">" +
            std::string(OutcomeLabel(control.status)) + "</span> ";
    if (rule != nullptr) {
      const std::string severity(SeverityName(rule->severity));
      out_ += "<span class=\"badge " + severity + "\">" + severity + "</span> <strong>" +
              EscapeHtml(rule->title.empty() ? control.rule : rule->title) + "</strong> ";
    }
    out_ += "<code>" + EscapeHtml(control.rule) + "</code> <span class=\"counts\">target " +
            EscapeHtml(control.target) + " \xC2\xB7 " + Grouped(control.passed) + " passed, " +
            Grouped(control.failed) + " failed, " + Grouped(control.not_assessed) +
            " not assessed</span></summary>\n";
    if (rule != nullptr && !rule->risk.empty()) {
      out_ += "<p class=\"risk\">" + EscapeHtml(rule->risk) + "</p>\n";
    }
    if (rule != nullptr && !rule->references.empty()) {
      out_ += "<p class=\"meta references\">";
      bool first = true;
      for (const auto& [source, ids] : rule->references) {
        for (const std::string& id : ids) {
          out_ += (first ? "" : "; ") + EscapeHtml(source) + " " + EscapeHtml(id);
          first = false;
        }
      }
      out_ += "</p>\n";
    }
    out_ += "<ul class=\"plain objects\">";
    for (const ControlObject& object : control.objects) {
      const std::string object_status(OutcomeStatusName(object.status));
      out_ += "<li><span class=\"status " + object_status + "\">" +
              std::string(OutcomeLabel(object.status)) + "</span> " + EscapeHtml(object.name) +
              "</li>";
    }
    out_ += "</ul>\n</details>\n";
  }

  const ScanResult& result_;
  const HtmlReportOptions& options_;
  std::string out_;
};

}  // namespace

std::string RenderHtmlReport(const ScanResult& result, const HtmlReportOptions& options) {
  return HtmlWriter(result, options).Render();
}

}  // namespace crmaudit
