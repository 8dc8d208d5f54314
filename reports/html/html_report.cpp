#include "reports/html/html_report.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <vector>

#include "reports/html/html_assets.h"
#include "reports/html/html_escape.h"
#include "reports/i18n/report_language.h"
#include "reports/records/records_of_processing.h"
#include "scanner/model/text_template.h"

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

std::string_view BarColour(std::string_view severity) {
  if (severity == "critical") return "#8e1b1b";
  if (severity == "high") return "#c2410c";
  if (severity == "medium") return "#a16207";
  if (severity == "low") return "#1d4ed8";
  if (severity == "info") return "#4b5563";
  return "#0f766e";
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
      : result_(result), options_(options), ui_(options.language) {
    if (options.rule_texts != nullptr) {
      texts_ = *options.rule_texts;
    } else {
      texts_.language = "en";
    }
    for (const RuleDescription& rule : result_.rules) rules_.emplace(rule.id, &rule);
  }

  std::string Render() {
    const std::string_view css = ReportStylesheet();
    const std::string_view script = ReportScript();
    out_ += "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(ui_.language()) +
            "\">\n<head>\n<meta charset=\"utf-8\">\n";
    // The policy comes before any style or script so it governs all of them.
    out_ +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src " +
        CspHashSource(css) + "; script-src " + CspHashSource(script) +
        "; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<meta name=\"referrer\" content=\"no-referrer\">\n";
    out_ += "<title>" + T("page.title_prefix") + " " + EscapeHtml(result_.scan.started_at) +
            "</title>\n";
    out_ += "<style>";
    out_ += css;
    out_ += "</style>\n</head>\n<body>\n";
    Header();
    ActionSection();
    ChangesSection();
    FindingsSection();
    InventorySection();
    RecordsSection();
    ControlsSection();
    CoverageSection();
    ScopeSection();
    SignatureSection();
    out_ += "<footer>" +
            F("footer.text",
              {{"tool", EscapeHtml(result_.tool_name) + " " + EscapeHtml(result_.tool_version)},
               {"scan", EscapeHtml(result_.scan.id)}}) +
            "</footer>\n";
    out_ += "<script>";
    out_ += script;
    out_ += "</script>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  // Interface words are written by us, never by the model; they are still escaped, so a
  // translation with a "<" cannot break the page.
  std::string T(std::string_view key) const { return EscapeHtml(ui_(key)); }
  // A template whose values are already HTML (escaped model text, markup we wrote).
  std::string F(std::string_view key, const std::map<std::string, std::string>& html_values) const {
    return FillTemplate(EscapeHtml(ui_(key)), html_values);
  }
  // "1 finding" / "2 findings"; Chinese has one form.
  std::string Counted(uint64_t count, std::string_view key) const {
    return F(std::string(key) + (count == 1 ? ".one" : ".many"), {{"n", Grouped(count)}});
  }
  std::string SeverityText(std::string_view severity) const {
    return EscapeHtml(
        ui_.Find("severity." + std::string(severity)).value_or(std::string(severity)));
  }
  std::string Badge(std::string_view severity) const {
    const std::string name = EscapeHtml(severity);
    return "<span class=\"badge " + name + "\">" + SeverityText(severity) + "</span>";
  }
  std::string CategoryText(FindingCategory category) const {
    return T("category." + std::string(CategoryName(category)));
  }
  std::string StatusText(std::string_view status) const {
    return EscapeHtml(ui_.Find("status." + std::string(status)).value_or(std::string(status)));
  }
  std::string EntityText(const std::string& entity) const {
    auto label = ui_.Find("entity." + entity);
    return label ? EscapeHtml(*label) : EscapeHtml(entity);
  }
  std::string VerdictText(const std::string& verdict) const {
    if (verdict.empty()) return T("verdict.not_judged");
    return EscapeHtml(ui_.Find("verdict." + verdict).value_or(verdict));
  }
  std::string RuleTitle(const std::string& rule) const {
    auto it = rules_.find(rule);
    if (it == rules_.end()) return texts_.RuleTitle(rule, rule);
    const RuleDescription& description = *it->second;
    // The report's own translation (rules[].texts) first, then the shipped catalog's.
    auto localized = description.texts.find(ui_.language());
    if (localized != description.texts.end() && !localized->second.title.empty()) {
      return localized->second.title;
    }
    return texts_.RuleTitle(rule, description.title.empty() ? rule : description.title);
  }
  std::string RuleRisk(const RuleDescription& rule) const {
    auto localized = rule.texts.find(ui_.language());
    if (localized != rule.texts.end() && !localized->second.risk.empty()) {
      return localized->second.risk;
    }
    return texts_.RuleRisk(rule.id, rule.risk);
  }
  // A finding as far as the comparison knows it, for its translated title.
  std::string ChangeTitle(const FindingChange& change) const {
    Finding finding;
    finding.rule = change.rule;
    finding.title = change.title;
    return texts_.Title(finding);
  }

  // Articles in the reader's language: "GDPR Art. 32(1)(a)" or "GDPR 第32条第1款(a)项".
  std::string Frameworks(const std::map<std::string, std::vector<std::string>>& frameworks) const {
    std::string out = "<ul class=\"plain frameworks\">";
    for (const auto& [framework, articles] : frameworks) {
      out += "<li>";
      for (size_t i = 0; i < articles.size(); ++i) {
        if (i != 0) out += "; ";
        out += EscapeHtml(ui_.Article(framework, articles[i]));
      }
      out += "</li>";
    }
    return out + "</ul>";
  }

  // Evidence: counts, masked samples, and the facts with human labels. A fact without a label
  // is a technical name (a server setting such as ssl_min_protocol_version) and is shown as
  // code, which is what the reader looks up.
  std::string EvidenceHtml(const Finding& f) const {
    std::string out;
    if (f.evidence.scanned > 0) {
      out += F("evidence.matched_of", {{"ratio", Ratio(f.evidence.count, f.evidence.scanned)}});
    } else if (f.evidence.count > 0) {
      out += F("evidence.count", {{"n", Grouped(f.evidence.count)}});
    }
    if (!f.evidence.samples.empty()) {
      out += "<ul class=\"plain samples\"><li class=\"meta\">" + T("evidence.samples") + "</li>";
      for (const std::string& sample : f.evidence.samples) {
        out += "<li><code>" + EscapeHtml(sample) + "</code></li>";
      }
      out += "</ul>";
    }
    if (!f.evidence.facts.empty()) {
      out += "<ul class=\"plain facts\">";
      for (const auto& [key, value] : f.evidence.facts) {
        auto label = ui_.Find("fact." + key);
        auto value_label = ui_.Find("fact." + key + "." + value);
        out += "<li>" + (label ? EscapeHtml(*label) : "<code>" + EscapeHtml(key) + "</code>") +
               T("punct.colon") +
               (value_label ? EscapeHtml(*value_label) : "<code>" + EscapeHtml(value) + "</code>") +
               "</li>";
      }
      out += "</ul>";
    }
    return out;
  }

  std::string LocationHtml(const Finding& f) const {
    std::string out = "<code>" + EscapeHtml(LocationText(f.location)) + "</code>";
    if (f.location.row) {
      out += "<span class=\"meta\">" + F("location.first_row", {{"n", Grouped(*f.location.row)}}) +
             "</span>";
    }
    if (!f.location.target.empty()) {
      out += "<span class=\"meta\">" +
             F("location.target",
               {{"target", EscapeHtml(f.location.target)}, {"kind", EscapeHtml(f.location.kind)}}) +
             "</span>";
    }
    return out;
  }

  void Header() {
    const Summary& summary = result_.summary;
    // Only a complete scan can show the green pass colour; anything unknown is not a pass.
    std::string style = "incomplete";
    if (summary.complete && (summary.verdict == "pass" || summary.verdict == "fail")) {
      style = summary.verdict;
    }
    out_ += "<header id=\"summary\">\n<h1>" + T("page.heading") + "</h1>\n";
    out_ += "<p class=\"subtitle\">" + T("page.scan") + " " + EscapeHtml(result_.scan.id) +
            " \xC2\xB7 " + EscapeHtml(result_.scan.started_at) + " \xE2\x80\x93 " +
            EscapeHtml(result_.scan.finished_at) + "</p>\n";
    if (options_.rendered_from) RenderedFrom(*options_.rendered_from);
    const std::string fail_on = "<strong>" + SeverityText(summary.fail_on) + "</strong>";
    out_ += "<div class=\"verdict " + style + "\" id=\"verdict\"><span class=\"word\">" +
            VerdictText(summary.verdict) + "</span><span>" +
            F(summary.fail_on == "never" ? "verdict.fail_on_never" : "verdict.fail_on",
              {{"severity", fail_on}}) +
            "</span><span id=\"not-assessed\">" +
            F(summary.not_assessed == 1 ? "verdict.not_assessed.one" : "verdict.not_assessed.many",
              {{"n", "<strong>" + Grouped(summary.not_assessed) + "</strong>"}}) +
            (summary.not_assessed ? " " + T("verdict.not_assessed_hint") : "") + "</span></div>\n";
    std::vector<const CoverageEntry*> incomplete;
    for (const CoverageEntry& entry : result_.coverage) {
      if (IsIncomplete(entry)) incomplete.push_back(&entry);
    }
    if (!result_.scan.complete || !incomplete.empty()) {
      out_ +=
          "<p class=\"banner\" id=\"incomplete\"><strong>" + T("banner.incomplete") + "</strong> " +
          F(incomplete.size() == 1 ? "banner.incomplete_text.one" : "banner.incomplete_text.many",
            {{"n", Grouped(incomplete.size())}}) +
          "</p>\n";
    }
    out_ += "</header>\n";
  }

  void RenderedFrom(const HtmlReportOptions::Source& source) {
    std::string signature;
    if (!source.signature_found) {
      signature = T("rendered.no_signature");
    } else if (!source.signature_verified) {
      signature = T("rendered.signature_not_checked");
    } else if (*source.signature_verified) {
      signature = F("rendered.signature_verified", {{"key", EscapeHtml(source.key_id)}});
    } else {
      signature = "<strong>" + T("rendered.signature_failed") + "</strong>";
    }
    out_ +=
        "<p class=\"rendered-from\" id=\"rendered-from\">" +
        F("rendered.text", {{"file", "<code>" + EscapeHtml(source.file_name) + "</code>"},
                            {"sha256", "<code>sha256:" + EscapeHtml(source.sha256) + "</code>"}}) +
        " " + signature + "</p>\n";
  }

  // What needs action: the open critical and high findings, worst first, each with where it
  // is, what shows it and what to do.
  void ActionSection() {
    std::vector<const Finding*> urgent;
    for (const Finding& f : result_.findings) {
      if (f.status == FindingStatus::kOpen && f.severity >= Severity::kHigh) urgent.push_back(&f);
    }
    std::stable_sort(urgent.begin(), urgent.end(),
                     [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
    out_ += "<section id=\"action\">\n<h2>" + T("action.heading") + "</h2>\n";
    if (urgent.empty()) {
      out_ += "<p id=\"action-none\">" + T("action.none") + "</p>\n</section>\n";
      return;
    }
    out_ += "<p>" + Counted(urgent.size(), "action.count") + "</p>\n";
    for (const Finding* f : urgent) {
      const std::string severity(SeverityName(f->severity));
      out_ += "<article class=\"action-item " + severity + "\" id=\"action-" + EscapeHtml(f->id) +
              "\"><div class=\"head\">" + Badge(severity) + "<strong>" +
              EscapeHtml(texts_.Title(*f)) + "</strong></div><dl>";
      out_ += "<dt>" + T("column.location") + "</dt><dd>" + LocationHtml(*f) + "</dd>";
      out_ += "<dt>" + T("column.evidence") + "</dt><dd>" + EvidenceHtml(*f) + "</dd>";
      out_ += "<dt>" + T("column.remediation") + "</dt><dd>" + EscapeHtml(texts_.Remediation(*f)) +
              "</dd>";
      if (!f->frameworks.empty()) {
        out_ += "<dt>" + T("column.frameworks") + "</dt><dd>" + Frameworks(f->frameworks) + "</dd>";
      }
      out_ += "<dt>" + T("column.rule") + "</dt><dd><code>" + EscapeHtml(f->rule) +
              "</code> <a href=\"#finding-" + EscapeHtml(f->id) + "\">" + T("action.details") +
              "</a></dd></dl></article>\n";
    }
    out_ += "</section>\n";
  }

  void ChangeList(const char* id, std::string_view heading, const std::vector<FindingChange>& list,
                  bool show_old) {
    if (list.empty()) return;
    out_ += "<h3>" + T(heading) + " <span class=\"meta\">" + Grouped(list.size()) +
            "</span></h3>\n<ul class=\"plain changes\" id=\"" + id + "\">";
    for (const FindingChange& c : list) {
      out_ += "<li>" + Badge(c.severity) + " <strong>" + EscapeHtml(ChangeTitle(c)) +
              "</strong> <code>" + EscapeHtml(c.location) + "</code>";
      if (show_old) {
        out_ += " <span class=\"meta\">" +
                F("changes.was_now",
                  {{"old", SeverityText(c.old_severity) + " / " + StatusText(c.old_status) + " / " +
                               Grouped(c.old_count)},
                   {"new", SeverityText(c.severity) + " / " + StatusText(c.new_status) + " / " +
                               Grouped(c.new_count)}}) +
                "</span>";
      }
      out_ += "</li>";
    }
    out_ += "</ul>\n";
  }

  void ChangesSection() {
    out_ += "<section id=\"changes\">\n<h2>" + T("changes.heading") + "</h2>\n";
    if (!options_.changes && !options_.previous_summary) {
      out_ += "<p>" + T("changes.none_compared") + "</p>\n</section>\n";
      return;
    }
    if (options_.changes) {
      const ReportDiff& diff = *options_.changes;
      out_ += "<p id=\"changes-summary\">" +
              F("changes.summary", {{"since", EscapeHtml(diff.old_finished_at)},
                                    {"new", Grouped(diff.added.size())},
                                    {"resolved", Grouped(diff.resolved.size())},
                                    {"changed", Grouped(diff.changed.size())},
                                    {"unchanged", Grouped(diff.unchanged)}}) +
              "</p>\n";
      ChangeList("changes-new", "changes.new", diff.added, false);
      ChangeList("changes-resolved", "changes.resolved", diff.resolved, false);
      ChangeList("changes-changed", "changes.changed", diff.changed, true);
      if (!diff.inventory_added.empty()) {
        out_ += "<h3>" + T("changes.new_pii") +
                "</h3>\n<ul class=\"plain changes\" "
                "id=\"changes-new-pii\">";
        for (const InventoryChange& i : diff.inventory_added) {
          out_ += "<li><code>" + EscapeHtml(i.dataset) + " [" + EscapeHtml(i.column) + "]</code> " +
                  EntityText(i.entity) + "</li>";
        }
        out_ += "</ul>\n";
      }
      if (!diff.inventory_removed.empty()) {
        out_ += "<h3>" + T("changes.removed_pii") +
                "</h3>\n<ul class=\"plain changes\" "
                "id=\"changes-removed-pii\">";
        for (const InventoryChange& i : diff.inventory_removed) {
          out_ += "<li><code>" + EscapeHtml(i.dataset) + " [" + EscapeHtml(i.column) + "]</code> " +
                  EntityText(i.entity) + "</li>";
        }
        out_ += "</ul>\n";
      }
      if (!diff.controls_changed.empty()) {
        out_ += "<h3>" + T("changes.controls") +
                "</h3>\n<ul class=\"plain changes\" "
                "id=\"changes-controls\">";
        for (const ControlChange& c : diff.controls_changed) {
          const std::string old_status =
              c.old_status.empty() ? T("changes.not_evaluated") : StatusText(c.old_status);
          const std::string new_status =
              c.new_status.empty() ? T("changes.not_evaluated") : StatusText(c.new_status);
          out_ += "<li><strong>" + EscapeHtml(RuleTitle(c.rule)) + "</strong> <code>" +
                  EscapeHtml(c.rule) + "</code> " +
                  F("changes.control_status",
                    {{"target", EscapeHtml(c.target)}, {"old", old_status}, {"new", new_status}}) +
                  "</li>";
        }
        out_ += "</ul>\n";
      }
    }
    if (options_.previous_summary) SinceLastAudit(*options_.previous_summary);
    out_ += "</section>\n";
  }

  // A horizontal bar chart as inline SVG; bars scale to the largest value. The SVG scales
  // down with its box (viewBox), so it never runs off a phone's screen.
  void BarChart(const std::string& title,
                const std::vector<std::tuple<std::string, std::string, uint64_t>>& bars,
                bool severity_colours) {
    // Room for the longest label ("Secrets and credentials") before the bars start.
    constexpr int kLabelWidth = 180;
    constexpr int kBarArea = 250;
    constexpr int kRowHeight = 26;
    uint64_t largest = 0;
    for (const auto& bar : bars) largest = std::max(largest, std::get<2>(bar));
    const int height = static_cast<int>(bars.size()) * kRowHeight + 6;
    const int width = kLabelWidth + kBarArea + 70;
    out_ += "<div class=\"chart-box\"><h3>" + title + "</h3>\n";
    out_ += "<svg class=\"chart\" role=\"img\" width=\"" + std::to_string(width) + "\" height=\"" +
            std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " +
            std::to_string(height) + "\" aria-label=\"" + title + "\">\n";
    int y = 3;
    for (const auto& [name, label, value] : bars) {
      const int bar_width =
          largest == 0 ? 0
                       : std::max(value == 0 ? 0 : 2, static_cast<int>(value * kBarArea / largest));
      const std::string colour(severity_colours ? BarColour(name) : BarColour(""));
      out_ += "<text x=\"0\" y=\"" + std::to_string(y + 17) + "\" data-name=\"" + EscapeHtml(name) +
              "\">" + label + "</text>";
      out_ += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 3) +
              "\" width=\"" + std::to_string(bar_width) + "\" height=\"18\" rx=\"3\" fill=\"" +
              colour + "\"></rect>";
      out_ += "<text class=\"value\" x=\"" + std::to_string(kLabelWidth + bar_width + 6) +
              "\" y=\"" + std::to_string(y + 17) + "\">" + Grouped(value) + "</text>\n";
      y += kRowHeight;
    }
    out_ += "</svg></div>\n";
  }

  void Charts() {
    const Summary& summary = result_.summary;
    out_ += "<div id=\"counts\">\n<h3>" + T("counts.heading") + "</h3>\n<div class=\"charts\">\n";
    std::vector<std::tuple<std::string, std::string, uint64_t>> by_severity;
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      by_severity.emplace_back(name, SeverityText(name), CountOr0(summary.by_severity, name));
    }
    BarChart(T("counts.by_severity"), by_severity, true);
    std::vector<std::tuple<std::string, std::string, uint64_t>> by_category;
    for (FindingCategory category : kCategories) {
      const std::string name(CategoryName(category));
      by_category.emplace_back(name, CategoryText(category), CountOr0(summary.by_category, name));
    }
    for (const auto& [name, count] : summary.by_category) {
      if (!ParseCategory(name)) by_category.emplace_back(name, EscapeHtml(name), count);
    }
    BarChart(T("counts.by_category"), by_category, false);
    out_ += "</div>\n</div>\n";
  }

  void SinceLastAudit(const Summary& previous) {
    out_ += "<h3>" + T("changes.counts") +
            "</h3>\n<div class=\"table-wrap\"><table "
            "id=\"since-last\"><thead><tr><th>" +
            T("column.severity") + "</th><th class=\"num\">" + T("changes.last_audit") +
            "</th><th class=\"num\">" + T("changes.this_audit") + "</th><th class=\"num\">" +
            T("changes.change") + "</th></tr></thead><tbody>\n";
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      const uint64_t before = CountOr0(previous.by_severity, name);
      const uint64_t now = CountOr0(result_.summary.by_severity, name);
      std::string change = "0";
      if (now > before) change = "+" + Grouped(now - before);
      if (now < before) change = "\xE2\x88\x92" + Grouped(before - now);
      out_ += "<tr><td>" + Badge(name) + "</td><td class=\"num\">" + Grouped(before) +
              "</td><td class=\"num\">" + Grouped(now) + "</td><td class=\"num\">" + change +
              "</td></tr>\n";
    }
    out_ += "<tr><td>" + T("changes.verdict") + "</td><td class=\"num\">" +
            VerdictText(previous.verdict) + "</td><td class=\"num\">" +
            VerdictText(result_.summary.verdict) + "</td><td></td></tr>\n</tbody></table></div>\n";
  }

  void ScopeSection() {
    out_ += "<section id=\"scope\">\n<h2>" + T("scope.heading") + "</h2>\n<dl class=\"grid\">\n";
    out_ +=
        "<dt>" + T("scope.started") + "</dt><dd>" + EscapeHtml(result_.scan.started_at) + "</dd>\n";
    out_ += "<dt>" + T("scope.finished") + "</dt><dd>" + EscapeHtml(result_.scan.finished_at) +
            "</dd>\n";
    out_ += "<dt>" + T("scope.complete") + "</dt><dd>" +
            (result_.scan.complete
                 ? T("scope.yes")
                 : "<strong>" + T("scope.no") + "</strong> " + T("scope.see_coverage")) +
            "</dd>\n";
    out_ += "<dt>" + T("scope.not_assessed") + "</dt><dd>" + Grouped(result_.summary.not_assessed) +
            "</dd>\n";
    if (result_.scan.previous_sha256) {
      out_ += "<dt>" + T("scope.previous_report") +
              "</dt><dd><code>sha256:" + EscapeHtml(*result_.scan.previous_sha256) +
              "</code></dd>\n";
    }
    for (const auto& [key, value] : result_.scan.options) {
      out_ += "<dt>" + EscapeHtml(ui_.Find("option." + key).value_or(key)) + "</dt><dd>" +
              EscapeHtml(value) + "</dd>\n";
    }
    out_ += "</dl>\n";
    out_ += "<h3>" + T("scope.targets") +
            "</h3>\n<div class=\"table-wrap\"><table "
            "id=\"targets\"><thead><tr><th>" +
            T("column.id") + "</th><th>" + T("column.kind") + "</th><th>" + T("column.target") +
            "</th></tr></thead><tbody>\n";
    for (const TargetInfo& target : result_.targets) {
      out_ += "<tr><td>" + EscapeHtml(target.id) + "</td><td>" + EscapeHtml(target.kind) +
              "</td><td><code>" + EscapeHtml(target.display) + "</code></td></tr>\n";
    }
    out_ += "</tbody></table></div>\n";
    out_ += "<h3>" + T("scope.packs") +
            "</h3>\n<div class=\"table-wrap\"><table "
            "id=\"packs\"><thead><tr><th>" +
            T("column.pack") + "</th><th>" + T("column.version") +
            "</th><th>SHA-256</th></tr></thead><tbody>\n";
    for (const PolicyPackRef& pack : result_.scan.policy_packs) {
      out_ += "<tr><td>" + EscapeHtml(pack.name) + "</td><td>" + EscapeHtml(pack.version) +
              "</td><td><code>" + EscapeHtml(pack.sha256) + "</code></td></tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  std::string SortHeader(std::string_view key, std::string_view label_key, bool numeric = false,
                         bool num_class = false) const {
    return std::string("<th") + (num_class ? " class=\"num\"" : "") + " data-key=\"" +
           std::string(key) + "\"" + (numeric ? " data-type=\"number\"" : "") +
           "><button type=\"button\" class=\"sort\">" + T(label_key) + "</button></th>";
  }

  void CoverageSection() {
    out_ += "<section id=\"coverage\">\n<h2>" + T("coverage.heading") + "</h2>\n<p>" +
            T("coverage.intro") +
            "</p>\n<div class=\"table-wrap\"><table id=\"coverage-table\" class=\"sortable\">"
            "<thead><tr>" +
            SortHeader("target", "column.target") + SortHeader("dataset", "column.dataset") +
            SortHeader("status", "column.status") + "<th>" + T("column.read") + "</th>" +
            SortHeader("rows", "column.rows", true, true) +
            SortHeader("bytes", "column.bytes", true, true) + "<th>" + T("column.format") +
            "</th><th>" + T("column.encoding") + "</th><th class=\"num\">" +
            T("column.invalid_bytes") + "</th><th class=\"num\">" + T("column.ragged_rows") +
            "</th><th class=\"num\">" + T("column.malformed") + "</th><th>" + T("column.reason") +
            "</th></tr></thead><tbody>\n";
    for (const CoverageEntry& entry : result_.coverage) {
      const std::string status(CoverageStatusName(entry.status));
      out_ += std::string("<tr class=\"coverage") + (IsIncomplete(entry) ? " incomplete" : "") +
              "\"><td>" + EscapeHtml(entry.target) + "</td><td><code>" + EscapeHtml(entry.dataset) +
              "</code></td><td class=\"nowrap\" data-sort=\"" + status + "\">" +
              EscapeHtml(ui_.Find("coverage." + status).value_or(status)) +
              "</td><td class=\"nowrap\">" +
              (entry.status == CoverageStatus::kSkipped || entry.status == CoverageStatus::kError
                   ? std::string("\xE2\x80\x94")
                   : (entry.sampled ? T("coverage.sampled") : T("coverage.full"))) +
              "</td><td class=\"num\" data-sort=\"" + std::to_string(entry.rows) + "\">" +
              Grouped(entry.rows) + "</td><td class=\"num\" data-sort=\"" +
              std::to_string(entry.bytes) + "\">" + HumanBytes(entry.bytes) + "</td><td>" +
              EscapeHtml(entry.format) + "</td><td>" + EscapeHtml(entry.encoding) +
              "</td><td class=\"num\">" + Grouped(entry.invalid_bytes) + "</td><td class=\"num\">" +
              Grouped(entry.ragged_rows) + "</td><td class=\"num\">" +
              Grouped(entry.malformed_records) + "</td><td>" + EscapeHtml(entry.reason) +
              "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  void SignatureSection() {
    out_ += "<section id=\"signature\">\n<h2>" + T("signature.heading") + "</h2>\n";
    if (options_.rendered_from) {
      out_ += "<p id=\"signature-status\">" + T("signature.rendered") + "</p>\n";
      out_ += "<pre class=\"command\" id=\"verify-command\">crmaudit verify " +
              EscapeHtml(options_.rendered_from->file_name) + " --key KEY.pub</pre>\n";
    } else if (options_.signed_report) {
      out_ += "<p id=\"signature-status\"><strong>" + T("signature.signed") + "</strong> " +
              T("signature.signed_text") + "</p>\n";
      if (!options_.signing_key_id.empty()) {
        out_ += "<p id=\"signing-key\">" +
                F("signature.key",
                  {{"key", "<code>" + EscapeHtml(options_.signing_key_id) + "</code>"},
                   {"algorithm", "<code>" + EscapeHtml(options_.signing_algorithm) + "</code>"}}) +
                "</p>\n";
      }
      out_ += "<p>" + T("signature.verify_with") + "</p>\n";
      const std::string hint =
          options_.key_hint.empty() ? "crmaudit verify DIR --key KEY.pub" : options_.key_hint;
      out_ += "<pre class=\"command\" id=\"verify-command\">" + EscapeHtml(hint) + "</pre>\n";
      out_ += "<p>" + T("signature.openssl") +
              "</p>\n<pre class=\"command\">openssl pkeyutl -verify -pubin -inkey KEY.pub "
              "-rawin -in report.html -sigfile report.html.sig</pre>\n";
    } else {
      out_ += "<p id=\"signature-status\"><strong>" + T("signature.unsigned") + "</strong> " +
              T("signature.unsigned_text") + "</p>\n";
    }
    out_ += "</section>\n";
  }

  void InventorySection() {
    out_ += "<section id=\"inventory\">\n<h2>" + T("inventory.heading") + "</h2>\n<p>" +
            T("inventory.intro") + "</p>\n";
    if (result_.inventory.empty()) {
      out_ += "<p>" + T("inventory.none") + "</p>\n</section>\n";
      return;
    }
    out_ +=
        "<div class=\"table-wrap\"><table id=\"inventory-table\" class=\"sortable\"><thead><tr>" +
        SortHeader("target", "column.target") + SortHeader("dataset", "column.dataset") +
        SortHeader("column", "column.column") + "<th>" + T("inventory.entities") +
        "</th></tr></thead><tbody>\n";
    for (const InventoryEntry& entry : result_.inventory) {
      out_ += "<tr class=\"inventory\"><td>" + EscapeHtml(entry.target) + "</td><td><code>" +
              EscapeHtml(entry.dataset) + "</code></td><td><code>" + EscapeHtml(entry.column) +
              "</code></td><td><ul class=\"plain\">";
      for (const EntityCount& entity : entry.entities) {
        out_ += "<li><strong>" + EntityText(entity.type) + "</strong> " +
                Ratio(entity.matched, entity.scanned);
        if (entity.confidence > 0) {
          out_ += " <span class=\"meta\">" +
                  F("inventory.confidence", {{"n", std::to_string(entity.confidence)}}) + "</span>";
        }
        out_ += "</li>";
      }
      out_ += "</ul></td></tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  // Records of processing (reports/records): per dataset, the categories of personal data,
  // where they are and how they are protected, as far as the checks tell.
  void RecordsSection() {
    out_ += "<section id=\"records\">\n<h2>" + T("records.heading") + "</h2>\n<p>" +
            T("records.intro") + "</p>\n";
    const std::vector<ProcessingRecord> records = RecordsOfProcessing(result_);
    if (records.empty()) {
      out_ += "<p>" + T("records.none") + "</p>\n</section>\n";
      return;
    }
    out_ += "<div class=\"table-wrap\"><table id=\"records-table\"><thead><tr><th>" +
            T("column.dataset") + "</th><th>" + T("records.categories") + "</th><th>" +
            T("records.special") + "</th><th>" + T("records.encryption") + "</th><th>" +
            T("records.access") + "</th><th>" + T("records.retention") +
            "</th></tr></thead><tbody>\n";
    for (const ProcessingRecord& record : records) {
      out_ += "<tr class=\"record\"><td><code>" + EscapeHtml(record.dataset) +
              "</code><span class=\"meta\">" + EscapeHtml(record.target) + " \xC2\xB7 " +
              EscapeHtml(record.target_display) + "</span><span class=\"meta\">" +
              T("records.columns") + T("punct.colon");
      for (size_t i = 0; i < record.columns.size(); ++i) {
        out_ += (i ? ", " : "") + std::string("<code>") + EscapeHtml(record.columns[i]) + "</code>";
      }
      out_ += "</span></td><td><ul class=\"plain\">";
      for (const std::string& entity : record.entities) {
        out_ += "<li>" + EntityText(entity) + "</li>";
      }
      out_ += "</ul></td><td>";
      std::set<std::string> seen;
      for (const Finding* finding : record.special_categories) {
        const std::string title = texts_.Title(*finding);
        if (seen.insert(title).second)
          out_ += "<span class=\"meta\">" + EscapeHtml(title) + "</span>";
      }
      out_ += "</td>";
      for (const Protection* protection : {&record.encryption, &record.access, &record.retention}) {
        static constexpr const char* kClasses[] = {"gap", "not_assessed", "no_gap", "not_checked"};
        out_ += std::string("<td class=\"protection ") +
                kClasses[static_cast<int>(protection->state)] + "\">" +
                EscapeHtml(ProtectionText(*protection, ui_, texts_)) + "</td>";
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table></div>\n</section>\n";
  }

  void FilterControls() {
    out_ += "<div class=\"controls\" role=\"search\">\n<label>" + T("filter.severity") +
            "<select id=\"f-severity\"><option value=\"\">" + T("filter.all") + "</option>";
    for (Severity severity : kSeveritiesWorstFirst) {
      const std::string name(SeverityName(severity));
      out_ += "<option value=\"" + name + "\">" + SeverityText(name) + "</option>";
    }
    out_ += "</select></label>\n<label>" + T("filter.category") +
            "<select id=\"f-category\"><option value=\"\">" + T("filter.all") + "</option>";
    for (FindingCategory category : kCategories) {
      const std::string name(CategoryName(category));
      out_ += "<option value=\"" + name + "\">" + CategoryText(category) + "</option>";
    }
    out_ += "</select></label>\n<label>" + T("filter.status") +
            "<select id=\"f-status\"><option value=\"\">" + T("filter.all") + "</option>";
    for (FindingStatus status : kStatuses) {
      out_ += "<option value=\"" + std::string(StatusName(status)) + "\">" +
              StatusText(StatusName(status)) + "</option>";
    }
    const std::string total = std::to_string(result_.findings.size());
    out_ += "</select></label>\n<label>" + T("filter.text") +
            "<input id=\"f-text\" type=\"search\" placeholder=\"" + T("filter.placeholder") +
            "\" autocomplete=\"off\"></label>\n<span id=\"f-count\" aria-live=\"polite\" "
            "data-template=\"" +
            T("filter.showing") + "\">" +
            FillTemplate(T("filter.showing"), {{"shown", total}, {"total", total}}) +
            "</span>\n</div>\n";
  }

  void FindingsSection() {
    out_ += "<section id=\"findings\">\n<h2>" + T("findings.heading") + "</h2>\n";
    Charts();
    if (result_.findings.empty()) {
      out_ += "<p>" + T("findings.none") + "</p>\n</section>\n";
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
              CategoryText(category) + " <span class=\"meta\">" +
              Counted(group.size(), "count.finding") + "</span></h3>\n";
      out_ +=
          "<table class=\"sortable findings\"><colgroup><col class=\"c-severity\">"
          "<col class=\"c-finding\"><col class=\"c-location\"><col class=\"c-status\">"
          "<col class=\"c-evidence\"><col class=\"c-frameworks\"><col class=\"c-remediation\">"
          "</colgroup><thead><tr>" +
          SortHeader("severity", "column.severity", true) +
          SortHeader("finding", "column.finding") + SortHeader("location", "column.location") +
          SortHeader("status", "column.status") + SortHeader("evidence", "column.evidence", true) +
          "<th>" + T("column.frameworks") + "</th><th>" + T("column.remediation") +
          "</th></tr></thead><tbody>\n";
      for (const Finding* finding : group) FindingRow(*finding);
      out_ += "</tbody></table>\n</section>\n";
    }
    out_ += "</section>\n";
  }

  // A cell with its column's name, which a phone shows above the value (the header row is
  // hidden there).
  std::string Cell(std::string_view label_key, const std::string& attributes) const {
    return "<td data-label=\"" + T(label_key) + "\"" + attributes + ">";
  }

  void FindingRow(const Finding& f) {
    const std::string severity(SeverityName(f.severity));
    const std::string status(StatusName(f.status));
    const std::string location = LocationText(f.location);
    out_ += "<tr class=\"finding\" id=\"finding-" + EscapeHtml(f.id) + "\" data-id=\"" +
            EscapeHtml(f.id) + "\" data-severity=\"" + severity + "\" data-category=\"" +
            std::string(CategoryName(f.category)) + "\" data-status=\"" + status + "\">";
    // Severity sorts by rank, so "critical" > "high" rather than alphabetically.
    out_ += Cell("column.severity",
                 " data-sort=\"" + std::to_string(static_cast<int>(f.severity)) + "\"") +
            Badge(severity) + "</td>";
    out_ += Cell("column.finding", "") + "<strong>" + EscapeHtml(texts_.Title(f)) +
            "</strong><span class=\"meta\"><code>" + EscapeHtml(f.rule) + "</code>";
    if (!f.entity.empty()) out_ += " \xC2\xB7 " + EntityText(f.entity);
    if (f.confidence > 0) {
      out_ += " \xC2\xB7 " + F("inventory.confidence", {{"n", std::to_string(f.confidence)}});
    }
    out_ += "</span><span class=\"meta mono\">" + EscapeHtml(f.id) + "</span></td>";
    out_ += Cell("column.location", " data-sort=\"" + EscapeHtml(location) + "\"") +
            LocationHtml(f) + "</td>";
    out_ += Cell("column.status", " data-sort=\"" + status + "\"") + "<span class=\"status " +
            status + "\">" + StatusText(status) + "</span>";
    if (!f.status_reason.empty()) {
      out_ += "<span class=\"reason\">" + EscapeHtml(f.status_reason) + "</span>";
    }
    out_ += "</td>";
    out_ += Cell("column.evidence", " data-sort=\"" + std::to_string(f.evidence.count) + "\"") +
            EvidenceHtml(f) + "</td>";
    out_ += Cell("column.frameworks", "") + Frameworks(f.frameworks) + "</td>";
    out_ += Cell("column.remediation", "") + EscapeHtml(texts_.Remediation(f)) + "</td></tr>\n";
  }

  // Every control check evaluated, per target: the evidence that a control was tested. Failed
  // and not-assessed checks are open; passed ones are collapsed (<details> without `open`), so
  // the failures stand out and the passes are one click away. Titles and risks come from
  // rules[] (the catalog entries the scan recorded), never from here.
  void ControlsSection() {
    out_ += "<section id=\"controls-evaluated\">\n<h2>" + T("controls.heading") + "</h2>\n";
    if (result_.controls.empty()) {
      out_ += "<p>" + T("controls.none") + "</p>\n</section>\n";
      return;
    }
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
    out_ +=
        "<p id=\"controls-count\">" +
        F("controls.count", {{"passed", "<strong>" + Grouped(passed) + "</strong>"},
                             {"failed", "<strong>" + Grouped(failed) + "</strong>"},
                             {"not_assessed", "<strong>" + Grouped(not_assessed) + "</strong>"}}) +
        "</p>\n";
    for (const ControlResult* control : controls) {
      auto it = rules_.find(control->rule);
      ControlCheck(*control, it == rules_.end() ? nullptr : it->second);
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
    out_ += "<summary><span class=\"status " + status + "\">" + StatusText(status) + "</span> ";
    if (rule != nullptr) {
      out_ += Badge(SeverityName(rule->severity)) + " <strong>" +
              EscapeHtml(RuleTitle(control.rule)) + "</strong> ";
    }
    out_ += "<code>" + EscapeHtml(control.rule) + "</code> <span class=\"counts\">" +
            F("controls.counts", {{"target", EscapeHtml(control.target)},
                                  {"passed", Grouped(control.passed)},
                                  {"failed", Grouped(control.failed)},
                                  {"not_assessed", Grouped(control.not_assessed)}}) +
            "</span></summary>\n";
    if (rule != nullptr) {
      const std::string risk = RuleRisk(*rule);
      if (!risk.empty()) out_ += "<p class=\"risk\">" + EscapeHtml(risk) + "</p>\n";
    }
    if (rule != nullptr && !rule->references.empty()) {
      out_ += "<p class=\"meta references\">";
      bool first = true;
      for (const auto& [source, ids] : rule->references) {
        for (const std::string& id : ids) {
          out_ += (first ? "" : "; ") + EscapeHtml(ui_.Article(source, id));
          first = false;
        }
      }
      out_ += "</p>\n";
    }
    out_ += "<ul class=\"plain objects\">";
    for (const ControlObject& object : control.objects) {
      const std::string object_status(OutcomeStatusName(object.status));
      out_ += "<li><span class=\"status " + object_status + "\">" + StatusText(object_status) +
              "</span> " + EscapeHtml(object.name) + "</li>";
    }
    out_ += "</ul>\n</details>\n";
  }

  const ScanResult& result_;
  const HtmlReportOptions& options_;
  UiText ui_;
  RuleTexts texts_;
  std::map<std::string, const RuleDescription*> rules_;
  std::string out_;
};

}  // namespace

std::string RenderHtmlReport(const ScanResult& result, const HtmlReportOptions& options) {
  return HtmlWriter(result, options).Render();
}

}  // namespace crmaudit
