#include "reports/html/html_assets.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace crmaudit {

namespace {

constexpr std::string_view kStylesheet = R"CSS(
:root {
  --ink: #1d232b; --muted: #5b6673; --line: #d8dde3; --panel: #f5f7f9;
  --critical: #8e1b1b; --high: #c2410c; --medium: #a16207; --low: #1d4ed8; --info: #4b5563;
  --pass: #166534; --fail: #b91c1c;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0 auto; max-width: 1240px; padding: 24px 28px 48px; color: var(--ink);
  background: #fff; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
    "Noto Sans CJK TC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif;
}
code, .mono {
  font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Noto Sans Mono CJK SC",
    Menlo, Consolas, monospace;
  font-size: 0.92em;
}
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 22px 0 8px; }
p { margin: 6px 0; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.verdict { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; padding: 14px 18px;
  border-radius: 8px; background: var(--panel); border-left: 8px solid var(--muted); }
.verdict.fail { border-left-color: var(--fail); }
.verdict.pass { border-left-color: var(--pass); }
.verdict .word { font-size: 1.6rem; font-weight: 700; letter-spacing: 0.04em; }
.verdict.fail .word { color: var(--fail); }
.verdict.pass .word { color: var(--pass); }
.verdict.incomplete { border-left-color: #c77700; }
.verdict.incomplete .word { color: #c77700; }
.banner { margin: 12px 0; padding: 10px 14px; border-radius: 6px; background: #fff4e5;
  border: 1px solid #f0b66b; }
.charts { display: flex; gap: 28px; flex-wrap: wrap; margin: 12px 0; }
.chart-box { flex: 1 1 460px; background: var(--panel); border-radius: 8px; padding: 10px 14px; }
.chart-box h3 { margin: 4px 0 8px; font-size: 1rem; }
svg.chart text { font-size: 13px; fill: var(--ink); }
svg.chart text.value { fill: var(--muted); }
.grid { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
.grid dt { color: var(--muted); }
.grid dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.93rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line);
  overflow-wrap: break-word; }
td code { overflow-wrap: break-word; word-break: break-word; }
td.nowrap { white-space: nowrap; }
table.findings { table-layout: fixed; }
col.c-severity { width: 8%; } col.c-finding { width: 19%; } col.c-location { width: 18%; }
col.c-status { width: 12%; } col.c-evidence { width: 15%; } col.c-frameworks { width: 12%; }
col.c-remediation { width: 16%; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
tr.incomplete td { background: #fff7ed; }
button.sort { font: inherit; font-weight: 600; color: inherit; background: none; border: 0;
  padding: 0; cursor: pointer; }
button.sort::after { content: " \2195"; color: var(--muted); }
th[aria-sort="ascending"] button.sort::after { content: " \2191"; color: var(--ink); }
th[aria-sort="descending"] button.sort::after { content: " \2193"; color: var(--ink); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.82rem;
  font-weight: 600; color: #fff; background: var(--info); white-space: nowrap;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.badge.info { background: var(--info); }
.status { font-weight: 600; }
.status.open { color: var(--fail); }
.status.baselined, .status.suppressed { color: var(--muted); }
.status.not_assessed { color: var(--medium); }
.status.pass { color: var(--pass); }
.status.fail { color: var(--fail); }
details.control-check { margin: 6px 0; padding: 6px 12px; border-radius: 6px;
  border-left: 6px solid var(--muted); background: var(--panel); }
details.control-check.fail { border-left-color: var(--fail); }
details.control-check.not_assessed { border-left-color: var(--medium); }
details.control-check.pass { border-left-color: var(--pass); }
details.control-check summary { cursor: pointer; }
details.control-check .counts { color: var(--muted); font-size: 0.88rem; }
details.control-check .risk { margin: 6px 0 4px; }
ul.objects { margin: 4px 0 2px 14px; }
.reason { display: block; color: var(--muted); font-size: 0.86rem; }
.meta { display: block; color: var(--muted); font-size: 0.84rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.samples code { background: var(--panel); padding: 0 4px; border-radius: 3px; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; margin: 10px 0 14px;
  padding: 10px 14px; background: var(--panel); border-radius: 8px; }
.controls label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted); gap: 2px; }
.controls select, .controls input { font: inherit; padding: 3px 6px; min-width: 150px; }
.controls input { min-width: 260px; }
#f-count { margin-left: auto; color: var(--muted); }
pre.command { background: #111827; color: #f9fafb; padding: 8px 12px; border-radius: 6px;
  white-space: pre-wrap; overflow-wrap: anywhere; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
[hidden] { display: none !important; }
/* Action items: one card per open critical or high finding, badge beside the title
   (never over it: the badge is a flex item that keeps its size, the title wraps). */
.action-item { margin: 10px 0; padding: 10px 14px; border-radius: 8px; background: var(--panel);
  border-left: 6px solid var(--high); }
.action-item.critical { border-left-color: var(--critical); }
.action-item .head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.action-item .head .badge { flex: 0 0 auto; }
.action-item .head strong { flex: 1 1 12em; min-width: 0; }
.action-item dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px;
  margin: 6px 0 0; }
.action-item dt { color: var(--muted); }
.action-item dd { margin: 0; min-width: 0; overflow-wrap: break-word; }
ul.changes li { margin: 3px 0; }
td.protection.gap { color: var(--fail); }
td.protection.not_assessed { color: var(--medium); }
td.protection.not_checked { color: var(--muted); }
.table-wrap { max-width: 100%; overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; }
.rendered-from { margin: 12px 0; padding: 10px 14px; border-radius: 6px; background: #eef6ff;
  border: 1px solid #9cc3ee; overflow-wrap: anywhere; }
:lang(zh-CN) body, body:lang(zh-CN) { line-break: strict; }
/* A phone: tables of findings become one card per row, each cell labelled, so words are
   never broken letter by letter in a narrow column. */
@media screen and (max-width: 720px) {
  body { padding: 12px 12px 32px; }
  h1 { font-size: 1.35rem; }
  table.findings, table.findings tbody, table.findings tr, table.findings td { display: block;
    width: auto; }
  table.findings colgroup, table.findings thead { display: none; }
  table.findings tr { border-bottom: 2px solid var(--line); padding: 6px 0; }
  table.findings td { border: 0; padding: 3px 4px; }
  table.findings td[data-label]::before { content: attr(data-label); display: block;
    color: var(--muted); font-size: 0.8rem; }
  .controls input, .controls select { min-width: 0; width: 100%; }
  .controls label { flex: 1 1 140px; }
  .chart-box { flex: 1 1 100%; }
  .grid { grid-template-columns: minmax(0, max-content) minmax(0, 1fr); }
  .grid dd, .grid dt { min-width: 0; overflow-wrap: anywhere; }
}
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  .controls, .no-print { display: none !important; }
  button.sort::after { content: ""; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, .chart-box, .verdict, pre.command { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 5px; }
  .charts { flex-wrap: nowrap; gap: 12px; }
  .chart-box { flex: 1 1 50%; }
  svg.chart { width: 100%; height: auto; }
  /* Small groups stay on one page with their heading; long ones break between rows only. */
  section.finding-group { break-inside: avoid; page-break-inside: avoid; }
  details.control-check { break-inside: avoid; page-break-inside: avoid; }
  col.c-severity { width: 10%; } col.c-finding { width: 18%; } col.c-location { width: 17%; }
  .badge { padding: 0 4px; font-size: 7pt; }
}
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  'use strict';
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('section.finding-group'));
  var controls = {
    severity: document.getElementById('f-severity'),
    category: document.getElementById('f-category'),
    status: document.getElementById('f-status'),
    q: document.getElementById('f-text')
  };
  var counter = document.getElementById('f-count');
  var sortState = { key: '', dir: '' };

  function readFragment() {
    var out = {};
    var text = window.location.hash.replace(/^#/, '');
    text.split('&').forEach(function (pair) {
      if (!pair) { return; }
      var i = pair.indexOf('=');
      try {
        var key = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
        var value = i < 0 ? '' : decodeURIComponent(pair.slice(i + 1).replace(/\+/g, ' '));
        out[key] = value;
      } catch (e) { /* a malformed fragment is ignored, never fatal */ }
    });
    return out;
  }

  function writeFragment() {
    var parts = [];
    Object.keys(controls).forEach(function (name) {
      if (controls[name] && controls[name].value) {
        parts.push(name + '=' + encodeURIComponent(controls[name].value));
      }
    });
    if (sortState.key) {
      parts.push('sort=' + encodeURIComponent(sortState.key));
      parts.push('dir=' + sortState.dir);
    }
    try {
      history.replaceState(null, '', parts.length ? '#' + parts.join('&')
                                               : window.location.pathname + window.location.search);
    } catch (e) { /* some viewers forbid history changes on local files */ }
  }

  function applyFilters() {
    var severity = controls.severity ? controls.severity.value : '';
    var category = controls.category ? controls.category.value : '';
    var status = controls.status ? controls.status.value : '';
    var q = controls.q ? controls.q.value.trim().toLowerCase() : '';
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!severity || row.getAttribute('data-severity') === severity) &&
               (!category || row.getAttribute('data-category') === category) &&
               (!status || row.getAttribute('data-status') === status) &&
               (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelectorAll('tr.finding:not([hidden])').length === 0;
    });
    if (counter) {
      // The words come from the page (its language), the numbers from here.
      var template = counter.getAttribute('data-template') || '{shown} / {total}';
      counter.textContent = template.replace('{shown}', String(shown))
                                    .replace('{total}', String(rows.length));
    }
  }

  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) { return ''; }
    var key = cell.getAttribute('data-sort');
    return key === null ? cell.textContent.trim().toLowerCase() : key.toLowerCase();
  }

  function sortTable(table, key, dir) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = -1;
    headers.forEach(function (th, i) {
      if (th.getAttribute('data-key') === key) { index = i; }
      th.removeAttribute('aria-sort');
    });
    if (index < 0) { return; }
    var numeric = headers[index].getAttribute('data-type') === 'number';
    var body = table.tBodies[0];
    var list = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellKey(row, index), position: position };
    });
    list.sort(function (a, b) {
      var c = numeric ? (parseFloat(a.key) || 0) - (parseFloat(b.key) || 0)
                      : (a.key < b.key ? -1 : (a.key > b.key ? 1 : 0));
      if (dir === 'desc') { c = -c; }
      return c !== 0 ? c : a.position - b.position;
    });
    list.forEach(function (item) { body.appendChild(item.row); });
    headers[index].setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
  }

  function sortAll(key, dir) {
    sortState = { key: key, dir: dir === 'desc' ? 'desc' : 'asc' };
    Array.prototype.slice.call(document.querySelectorAll('table.sortable')).forEach(function (t) {
      sortTable(t, sortState.key, sortState.dir);
    });
  }

  Array.prototype.slice.call(document.querySelectorAll('table.sortable th[data-key] button.sort'))
    .forEach(function (button) {
      button.addEventListener('click', function () {
        var table = button.closest('table');
        var key = button.parentNode.getAttribute('data-key');
        var current = button.parentNode.getAttribute('aria-sort');
        var dir = current === 'ascending' ? 'desc' : 'asc';
        if (table.classList.contains('findings')) {
          sortAll(key, dir);
          writeFragment();
        } else {
          sortTable(table, key, dir);
        }
      });
    });

  Object.keys(controls).forEach(function (name) {
    var control = controls[name];
    if (!control) { return; }
    control.addEventListener(name === 'q' ? 'input' : 'change', function () {
      applyFilters();
      writeFragment();
    });
  });

  var initial = readFragment();
  Object.keys(controls).forEach(function (name) {
    var control = controls[name];
    if (control && typeof initial[name] === 'string') {
      if (control.tagName === 'SELECT') {
        var known = Array.prototype.some.call(control.options, function (o) {
          return o.value === initial[name];
        });
        if (known) { control.value = initial[name]; }
      } else {
        control.value = initial[name];
      }
    }
  });
  if (initial.sort) {
    Array.prototype.slice.call(document.querySelectorAll('table.findings')).forEach(function (t) {
      sortTable(t, initial.sort, initial.dir === 'desc' ? 'desc' : 'asc');
    });
    sortState = { key: initial.sort, dir: initial.dir === 'desc' ? 'desc' : 'asc' };
  }
  applyFilters();
  document.body.setAttribute('data-ready', '1');
})();
)JS";

constexpr std::string_view kTrendStylesheet = R"CSS(
:root { --ink: #1d232b; --muted: #5b6673; --line: #d8dde3; --panel: #f5f7f9; --fail: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 20px 24px 40px; color: var(--ink);
  line-height: 1.45; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC",
  "Microsoft YaHei", Arial, sans-serif; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
h1 { font-size: 1.6rem; margin: 0 0 6px; }
h2 { font-size: 1.25rem; margin: 28px 0 8px; border-bottom: 2px solid var(--line); }
.chain { padding: 10px 14px; border-radius: 8px; background: var(--panel);
  border-left: 8px solid #166534; }
.chain.failed { border-left-color: var(--fail); }
.chart-box { background: var(--panel); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
svg.trend { width: 100%; max-width: 760px; height: auto; }
svg.trend text { font-size: 12px; fill: var(--ink); }
.table-wrap { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.93rem; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; }
th { background: var(--panel); }
footer { margin-top: 32px; color: var(--muted); font-size: 0.85rem; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { max-width: none; padding: 0; } .chart-box { break-inside: avoid; } }
)CSS";

}  // namespace

std::string_view TrendStylesheet() { return kTrendStylesheet; }

std::string CspHashSource(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed while hashing an inline asset");
  }
  std::string encoded(4 * ((length + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest, length);
  encoded.resize(static_cast<size_t>(written));
  return "'sha256-" + encoded + "'";
}

std::string_view ReportStylesheet() { return kStylesheet; }
std::string_view ReportScript() { return kScript; }

}  // namespace crmaudit
