#include "reports/trend/trend_page.h"

#include <algorithm>
#include <array>

#include "reports/html/html_assets.h"
#include "reports/html/html_escape.h"
#include "reports/i18n/report_language.h"

namespace crmaudit {

namespace {

constexpr std::array<const char*, 5> kSeverities = {"critical", "high", "medium", "low", "info"};
constexpr std::array<const char*, 5> kColours = {"#8e1b1b", "#c2410c", "#a16207", "#1d4ed8",
                                                 "#4b5563"};

uint64_t CountOf(const TrendRun& run, const char* severity) {
  auto it = run.by_severity.find(severity);
  return it == run.by_severity.end() ? 0 : it->second;
}

struct Series {
  std::string label;
  std::string colour;
  std::vector<uint64_t> values;
};

// A line chart of `series` over the runs, as inline SVG scaled by its viewBox. Each point
// carries a <title> with its value, and the run dates label the x axis.
std::string LineChart(const std::string& title, const std::vector<Series>& series,
                      const std::vector<TrendRun>& runs) {
  constexpr int kWidth = 720, kHeight = 260, kLeft = 48, kRight = 16, kTop = 14, kBottom = 46;
  uint64_t largest = 1;
  for (const Series& s : series) {
    for (uint64_t v : s.values) largest = std::max(largest, v);
  }
  const size_t n = runs.size();
  auto x = [&](size_t i) {
    return n <= 1 ? kLeft + (kWidth - kLeft - kRight) / 2
                  : kLeft + static_cast<int>(i * (kWidth - kLeft - kRight) / (n - 1));
  };
  auto y = [&](uint64_t v) {
    return kTop + static_cast<int>((largest - v) * (kHeight - kTop - kBottom) / largest);
  };
  std::string out = "<div class=\"chart-box\"><h3>" + EscapeHtml(title) +
                    "</h3>\n<svg class=\"trend\" role=\"img\" aria-label=\"" + EscapeHtml(title) +
                    "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                    std::to_string(kHeight + 24 * static_cast<int>(series.size() > 1)) + "\">\n";
  // Axes and the largest value.
  out += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + std::to_string(kTop) + "\" x2=\"" +
         std::to_string(kLeft) + "\" y2=\"" + std::to_string(kHeight - kBottom) +
         "\" stroke=\"#9aa4ae\"></line><line x1=\"" + std::to_string(kLeft) + "\" y1=\"" +
         std::to_string(kHeight - kBottom) + "\" x2=\"" + std::to_string(kWidth - kRight) +
         "\" y2=\"" + std::to_string(kHeight - kBottom) + "\" stroke=\"#9aa4ae\"></line>\n";
  out += "<text x=\"4\" y=\"" + std::to_string(kTop + 4) + "\">" + std::to_string(largest) +
         "</text><text x=\"4\" y=\"" + std::to_string(kHeight - kBottom) + "\">0</text>\n";
  // Dates under the axis: every run when there are few, else about eight evenly spaced.
  const size_t step = std::max<size_t>(1, (n + 7) / 8);
  for (size_t i = 0; i < n; i += step) {
    out += "<text x=\"" + std::to_string(x(i)) + "\" y=\"" +
           std::to_string(kHeight - kBottom + 16) + "\" text-anchor=\"middle\">" +
           EscapeHtml(runs[i].finished_at.substr(0, 10)) + "</text>\n";
  }
  for (const Series& s : series) {
    std::string points;
    for (size_t i = 0; i < s.values.size(); ++i) {
      points += (i ? " " : "") + std::to_string(x(i)) + "," + std::to_string(y(s.values[i]));
    }
    out += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + s.colour + "\" points=\"" +
           points + "\" data-series=\"" + EscapeHtml(s.label) + "\"></polyline>\n";
    for (size_t i = 0; i < s.values.size(); ++i) {
      out += "<circle r=\"3\" cx=\"" + std::to_string(x(i)) + "\" cy=\"" +
             std::to_string(y(s.values[i])) + "\" fill=\"" + s.colour + "\"><title>" +
             EscapeHtml(s.label + " " + runs[i].name + ": " + std::to_string(s.values[i])) +
             "</title></circle>";
    }
    out += "\n";
  }
  // A legend inside the SVG (the CSP allows no style attributes, SVG fills are attributes).
  if (series.size() > 1) {
    int lx = kLeft;
    for (const Series& s : series) {
      out += "<rect x=\"" + std::to_string(lx) + "\" y=\"" + std::to_string(kHeight - 14) +
             "\" width=\"12\" height=\"12\" fill=\"" + s.colour + "\"></rect><text x=\"" +
             std::to_string(lx + 16) + "\" y=\"" + std::to_string(kHeight - 3) + "\">" +
             EscapeHtml(s.label) + "</text>";
      lx += 120;
    }
  }
  return out + "</svg></div>\n";
}

}  // namespace

std::string RenderTrendPage(const std::vector<TrendRun>& runs, const TrendOptions& options) {
  const UiText ui(options.language);
  const std::string_view css = TrendStylesheet();
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(ui.language()) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src " +
         CspHashSource(css) +
         "; img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; "
         "form-action 'none'\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n<title>" +
         EscapeHtml(ui("trend.title")) + "</title>\n<style>";
  out += css;
  out += "</style>\n</head>\n<body>\n<h1>" + EscapeHtml(ui("trend.title")) + "</h1>\n";
  out += "<p>" +
         EscapeHtml(ui.Format(runs.size() == 1 ? "trend.runs.one" : "trend.runs.many",
                              {{"n", std::to_string(runs.size())},
                               {"first", runs.empty() ? "" : runs.front().finished_at},
                               {"last", runs.empty() ? "" : runs.back().finished_at}})) +
         "</p>\n";
  out += std::string("<p class=\"chain") + (options.chain_verified ? "" : " failed") +
         "\" id=\"chain\"><strong>" +
         EscapeHtml(ui(options.chain_verified ? "trend.chain_ok" : "trend.chain_failed")) +
         "</strong> " + EscapeHtml(options.chain_detail) + "</p>\n";

  std::vector<Series> severities;
  for (size_t i = 0; i < kSeverities.size(); ++i) {
    Series s{ui(std::string("severity.") + kSeverities[i]), kColours[i], {}};
    for (const TrendRun& run : runs) s.values.push_back(CountOf(run, kSeverities[i]));
    severities.push_back(std::move(s));
  }
  Series columns{ui("trend.pii_columns"), "#0f766e", {}};
  for (const TrendRun& run : runs) columns.values.push_back(run.personal_data_columns);
  out += "<section id=\"trend-charts\">\n<h2>" + EscapeHtml(ui("trend.over_time")) + "</h2>\n";
  out += LineChart(ui("trend.open_by_severity"), severities, runs);
  out += LineChart(ui("trend.pii_columns"), {columns}, runs);
  out += "</section>\n";

  out += "<section id=\"runs\">\n<h2>" + EscapeHtml(ui("trend.runs_heading")) +
         "</h2>\n<div class=\"table-wrap\"><table id=\"runs-table\"><thead><tr><th>" +
         EscapeHtml(ui("trend.run")) + "</th><th>" + EscapeHtml(ui("scope.finished")) +
         "</th><th>" + EscapeHtml(ui("changes.verdict")) + "</th>";
  for (const char* severity : kSeverities) {
    out += "<th class=\"num\">" + EscapeHtml(ui(std::string("severity.") + severity)) + "</th>";
  }
  out += "<th class=\"num\">" + EscapeHtml(ui("trend.pii_columns")) + "</th></tr></thead><tbody>\n";
  for (const TrendRun& run : runs) {
    out += "<tr class=\"run\"><td>";
    if (run.link.empty()) {
      out += "<code>" + EscapeHtml(run.name) + "</code>";
    } else {
      out +=
          "<a href=\"" + EscapeHtml(run.link) + "\"><code>" + EscapeHtml(run.name) + "</code></a>";
    }
    out += "</td><td>" + EscapeHtml(run.finished_at) + "</td><td>" +
           EscapeHtml(ui.Find("verdict." + run.verdict).value_or(run.verdict)) + "</td>";
    for (const char* severity : kSeverities) {
      out += "<td class=\"num\">" + std::to_string(CountOf(run, severity)) + "</td>";
    }
    out += "<td class=\"num\">" + std::to_string(run.personal_data_columns) + "</td></tr>\n";
  }
  out += "</tbody></table></div>\n</section>\n<footer>" + EscapeHtml(ui("trend.footer")) +
         "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace crmaudit
