"""The results report as one printable HTML page (A4).

The page leads with the summary (unit, rule set, overall result, the criteria needing
attention, prerequisites), then lists every criterion in one compact table: number,
title, status, with the evidence read and the reason in small type beneath the title, so
a commune whose 34 criteria are all met prints on four A4 pages or fewer. Every printed
page carries the unit's name and its number ("Trang 2/4") in its bottom margin (CSS
page-margin boxes, printed by Chromium 131 and later); long rows split across pages,
short ones are kept whole, so no quarter page is left blank.

The page is self-contained (inline CSS, no script, no external asset) and every text is
escaped, in the HTML and in the CSS strings of the margin boxes.

>>> page = to_html(build_report(verdict, ruleset, lang="vi"))   # doctest: +SKIP
"""

from __future__ import annotations

from html import escape

from emulation_rules.awards.report import (
    ReportRow,
    ResultsReport,
    _attention_head,
    _t,
    build_report,
)
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.todo import TO_DO_HEADING
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import Verdict

__all__ = ["report_html", "to_html"]

_PAGE = {
    "vi": ('"Trang " counter(page) "/" counter(pages)'),
    "en": ('"Page " counter(page) " of " counter(pages)'),
}

_DETAILS = Text("Số liệu, lý do", "Evidence, reason")

_CSS = """
@page { size: A4; margin: 13mm 12mm 15mm 14mm;
  @bottom-left { content: __UNIT__; font: 8.5pt "Times New Roman", "Liberation Serif", serif;
    color: #444; vertical-align: top; padding-top: 3mm; }
  @bottom-right { content: __PAGE__; font: 8.5pt "Times New Roman", "Liberation Serif", serif;
    color: #444; vertical-align: top; padding-top: 3mm; } }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif", serif;
  font-size: 11pt; color: #111; margin: 0 auto; max-width: 1000px; padding: 24px 28px;
  line-height: 1.3; }
h1 { font-size: 14pt; text-align: center; text-transform: uppercase; margin: 0 0 2px; }
.subtitle { text-align: center; font-style: italic; margin: 0 0 10px; }
h2 { font-size: 12pt; margin: 12px 0 4px; border-bottom: 1px solid #444; padding-bottom: 1px;
  break-after: avoid; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 10px;
  margin: 0 0 6px; font-size: 10.5pt; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.overall { border: 2px solid #444; padding: 5px 10px; margin: 6px 0; font-weight: bold; }
.overall.eligible { border-color: #1b6e2a; background: #eef7ef; }
.overall.not_eligible { border-color: #a3261b; background: #fbeeed; }
.overall.undetermined { border-color: #8a6d00; background: #fdf8e6; }
table.criteria { width: 100%; border-collapse: collapse; font-size: 10pt; table-layout: fixed; }
table.criteria th, table.criteria td { border: 1px solid #888; padding: 2px 5px;
  vertical-align: top; text-align: left; }
table.criteria thead th { background: #e8e8e8; }
col.no { width: 2.6em; }
col.status { width: 6.8em; }
td.no { text-align: right; }
td.status { font-weight: bold; }
tr.group th { background: #f2f2f2; font-size: 10pt; }
tr.met td.status { color: #1b6e2a; }
tr.not_met td.status { color: #a3261b; }
tr.unknown td.status { color: #8a6d00; }
tr.not_met { background: #fdf3f2; }
tr.unknown { background: #fffbea; }
.crit-title { font-weight: bold; }
.cite { color: #555; font-size: 8.5pt; }
.details { font-size: 8.8pt; line-height: 1.22; margin-top: 1px; color: #222; }
.details .values { margin: 0; }
.details .reason { margin: 0; }
.value { font-weight: bold; }
tr { break-inside: avoid; }
tr.long { break-inside: auto; }
thead { display: table-header-group; }
ul.pre, ul.attention, ul.to-do { margin: 2px 0 6px; padding-left: 1.2em; }
.attention-head { font-weight: bold; margin: 6px 0 2px; }
ul.attention li.not_met .status { color: #a3261b; font-weight: bold; }
ul.attention li.unknown .status { color: #8a6d00; font-weight: bold; }
.note { margin-top: 10px; font-size: 9pt; font-style: italic; color: #444; }
@media print { body { padding: 0; max-width: none; } }
""".strip()

_LONG = 700
"""A row whose details run past this many characters may split across pages (shorter
rows are kept whole: moving one to the next page leaves little blank)."""


def _e(text: str) -> str:
    return escape(text, quote=True)


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the string or the style element
    (quotes, backslashes, angle brackets, ampersands and control characters escaped)."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _css(report: ResultsReport) -> str:
    """The style sheet, with the unit's name (or the rule set's title) in the footer."""
    footer = report.unit or report.ruleset_title
    return _CSS.replace("__UNIT__", css_string(footer)).replace(
        "__PAGE__", _PAGE.get(report.lang, _PAGE["en"])
    )


def _html_meta(report: ResultsReport) -> list[tuple[str, str]]:
    """The header's ``label, value`` pairs (the unit first when there is one)."""
    lang = report.lang
    meta: list[tuple[str, str]] = []
    if report.unit:
        meta.append((_t("unit", lang), report.unit))
    meta += [
        (_t("criteria_set", lang), f"{report.ruleset_title} ({report.ruleset})"),
        (_t("source", lang), report.source),
        (_t("evaluated_on", lang), report.evaluated_on),
        (_t("summary", lang), report.summary),
        (_t("fingerprint", lang), report.fingerprint),
    ]
    return meta


def _html_head(report: ResultsReport) -> list[str]:
    """The page up to the overall result: doctype, head with CSS, title, metadata."""
    lang = report.lang
    meta = _html_meta(report)
    return [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}{' — ' + _e(report.unit) if report.unit else ''}</title>",
        f"<style>\n{_css(report)}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="subtitle">{_e(report.subtitle)}</p>',
        '<dl class="meta">',
        *(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta),
        "</dl>",
        f'<p class="overall {_e(report.status.value)}">{_e(_t("result", lang))}: '
        f"{_e(report.overall)}</p>",
    ]


def _html_attention(report: ResultsReport) -> list[str]:
    """The list of criteria not met or undetermined (nothing when there is none)."""
    if not report.attention:
        return []
    parts = [f'<p class="attention-head">{_e(_attention_head(report))}:</p>']
    parts.append('<ul class="attention">')
    parts += [
        f'<li class="{_e(r.status.value)}"><strong>{_e(r.id)}.</strong> {_e(r.title)} — '
        f'<span class="status">{_e(r.status_text)}</span></li>'
        for r in report.attention
    ]
    parts.append("</ul>")
    return parts


def _html_prerequisites(report: ResultsReport) -> list[str]:
    """The prerequisites section (nothing when the report has none)."""
    if not report.prerequisites:
        return []
    parts = [f"<h2>{_e(_t('prerequisites', report.lang))}</h2>"]
    parts.append('<ul class="pre">')
    for p in report.prerequisites:
        detail = f" — {_e(p.detail)}" if p.detail else ""
        parts.append(f"<li>{_e(p.title)}: <strong>{_e(p.status_text)}</strong>{detail}</li>")
    parts.append("</ul>")
    return parts


def _details(r: ReportRow) -> str:
    """The evidence read and the reason, in small type beneath the criterion's title; a
    value whose label the reason already states (with its value) is not repeated."""
    parts = []
    reason = r.reason.casefold()
    shown = [v for v in r.values if v.label.rstrip(".").casefold() not in reason]
    if shown:
        values = "; ".join(
            f'{_e(v.label)}: <span class="value">{_e(v.value)}</span>' for v in shown
        )
        parts.append(f'<p class="values">{values}.</p>')
    if r.reason and r.reason != "—":
        parts.append(f'<p class="reason">{_e(r.reason)}</p>')
    return f'<div class="details">{"".join(parts)}</div>' if parts else ""


def _html_row(r: ReportRow) -> str:
    """One criterion as a table row: number; title, citation and details; status."""
    cite = f' <span class="cite">({_e(r.citation)})</span>' if r.citation else ""
    size = len(r.title) + sum(len(v.label) + len(v.value) for v in r.values) + len(r.reason)
    long = " long" if size > _LONG else ""
    return (
        f'<tr class="{_e(r.status.value)}{long}" id="criterion-{_e(r.id)}">'
        f'<td class="no">{_e(r.id)}</td>'
        f'<td class="title"><span class="crit-title">{_e(r.title)}</span>{cite}{_details(r)}</td>'
        f'<td class="status">{_e(r.status_text)}</td></tr>'
    )


def _html_criteria(report: ResultsReport) -> list[str]:
    """Every criterion in one table, a heading row before each group's criteria."""
    lang = report.lang
    item = report.item_name or _t("criterion", lang)
    heads = (
        f"<th>{_e(_t('no', lang))}</th>"
        f"<th>{_e(item)} "
        f"({_e(_DETAILS.get(lang).lower())})</th>"
        f"<th>{_e(_t('status', lang))}</th>"
    )
    parts = [
        f"<h2>{_e(_L_CRITERIA.get(lang))} {_e(item.lower())}</h2>",
        '<table class="criteria">',
        '<colgroup><col class="no"><col class="title"><col class="status"></colgroup>',
        f"<thead><tr>{heads}</tr></thead>",
        "<tbody>",
    ]
    for g in report.groups:
        parts.append(
            f'<tr class="group"><th colspan="3">{_e(_t("group", lang))} {g.number}. '
            f"{_e(g.title)}</th></tr>"
        )
        parts += [_html_row(r) for r in g.rows]
    parts += ["</tbody>", "</table>"]
    return parts


def _html_to_do(report: ResultsReport) -> list[str]:
    """What the officer has to do (nothing when every criterion is met)."""
    if not report.to_do:
        return []
    items = "".join(f"<li>{_e(t)}</li>" for t in report.to_do)
    return [f"<h2>{_e(TO_DO_HEADING.get(report.lang))}</h2>", f'<ul class="to-do">{items}</ul>']


_L_CRITERIA = Text("Kết quả từng", "Result of each")


def to_html(report: ResultsReport) -> str:
    """The report as one self-contained, printable HTML page (inline CSS, no script, no
    external asset); every text is escaped."""
    parts = _html_head(report)
    parts += _html_attention(report)
    parts += _html_prerequisites(report)
    parts += _html_criteria(report)
    parts += _html_to_do(report)
    parts += [f'<p class="note">{_e(report.note)}</p>', "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def report_html(verdict: Verdict, ruleset: RuleSet, *, lang: str = "vi") -> str:
    """Shortcut: :func:`to_html` of :func:`~emulation_rules.awards.report.build_report`."""
    return to_html(build_report(verdict, ruleset, lang=lang))
