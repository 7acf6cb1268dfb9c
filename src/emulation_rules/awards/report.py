"""The results report (báo cáo kết quả xây dựng điển hình, theo Bộ tiêu chí tạm thời):
one of the three documents of the recognition dossier, generated from a verdict.

:func:`build_report` turns a verdict and the rule set that gave it into a
:class:`ResultsReport` in one language (Vietnamese by default, English on request): per
group and criterion, in the rule set's order, the status, the evidence values read and
the reason. :func:`to_markdown` and :func:`to_html` render it; the HTML page is
self-contained and printable (inline CSS, no external asset, every text escaped).

>>> html_text = to_html(build_report(verdict, ruleset, lang="vi"))   # doctest: +SKIP
"""

from __future__ import annotations

from html import escape

import attrs

from emulation_rules.errors import EvidenceError, Problem
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.values import display
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import (
    OVERALL_TEXT,
    STATUS_TEXT,
    CriterionResult,
    CriterionStatus,
    PrerequisiteResult,
    Status,
    Verdict,
)

_L = {
    "title": Text(
        "Báo cáo kết quả xây dựng đơn vị điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc",
        "Report on the results of building a typical unit of the all-people movement to "
        "protect national security",
    ),
    "subtitle": Text("(theo Bộ tiêu chí tạm thời)", "(against the provisional criteria)"),
    "unit": Text("Đơn vị", "Unit"),
    "criteria_set": Text("Bộ tiêu chí", "Criteria set"),
    "source": Text("Căn cứ", "Source"),
    "evaluated_on": Text("Ngày đánh giá", "Evaluated on"),
    "result": Text("Kết quả chung", "Overall result"),
    "summary": Text("Tổng hợp", "Summary"),
    "prerequisites": Text("Điều kiện lựa chọn", "Selection prerequisites"),
    "no": Text("Số", "No."),
    "criterion": Text("Tiêu chí", "Criterion"),
    "status": Text("Kết quả", "Status"),
    "evidence": Text("Số liệu", "Evidence"),
    "reason": Text("Lý do", "Reason"),
    "group": Text("Nhóm", "Group"),
    "no_values": Text("(không có giải thích chi tiết)", "(no detailed explanation)"),
    "failed": Text("không đạt", "not met"),
    "missing": Text("thiếu dữ liệu", "missing"),
    "fingerprint": Text("Mã kiểm tra", "Fingerprint"),
    "attention": Text("Tiêu chí không đạt, chưa xác định", "Criteria not met or undetermined"),
    "attention_not_met": Text("Tiêu chí không đạt", "Criteria not met"),
    "attention_unknown": Text("Tiêu chí chưa xác định", "Criteria undetermined"),
    "note": Text(
        "Bản tổng hợp tự động từ dữ liệu đánh giá; dùng kèm hồ sơ đề nghị xét, công nhận, "
        "không thay thế văn bản có chữ ký, đóng dấu.",
        "Generated automatically from the evaluation data; to accompany the recognition "
        "dossier, not a substitute for a signed and stamped document.",
    ),
}


def _t(key: str, lang: str) -> str:
    return _L[key].get(lang)


def _attention_head(report: ResultsReport) -> str:
    statuses = {r.status for r in report.attention}
    if statuses == {CriterionStatus.NOT_MET}:
        return _t("attention_not_met", report.lang)
    if statuses == {CriterionStatus.UNKNOWN}:
        return _t("attention_unknown", report.lang)
    return _t("attention", report.lang)


@attrs.frozen
class ReportValue:
    """An evidence value as shown: its label and its display text."""

    name: str
    label: str
    value: str


@attrs.frozen
class ReportRow:
    """One criterion: id, title, status (and its word), values read, reason, citation."""

    id: str
    title: str
    status: CriterionStatus
    status_text: str
    values: tuple[ReportValue, ...]
    reason: str
    citation: str


@attrs.frozen
class ReportGroup:
    """A group of criteria, in the rule set's order."""

    number: int
    title: str
    rows: tuple[ReportRow, ...]


@attrs.frozen
class ReportPrerequisite:
    """The result of a prerequisite rule set: status, and the criteria failed or missing."""

    ruleset: str
    title: str
    status: Status
    status_text: str
    detail: str


@attrs.frozen
class ResultsReport:
    """A results report in one language, ready to render."""

    lang: str
    title: str
    subtitle: str
    unit: str | None
    ruleset: str
    ruleset_title: str
    source: str
    evaluated_on: str
    fingerprint: str
    status: Status
    overall: str
    summary: str
    prerequisites: tuple[ReportPrerequisite, ...]
    groups: tuple[ReportGroup, ...]
    note: str

    @property
    def attention(self) -> tuple[ReportRow, ...]:
        """The criteria not met, then those undetermined, in order."""
        rows = [r for g in self.groups for r in g.rows]
        return tuple(r for r in rows if r.status is CriterionStatus.NOT_MET) + tuple(
            r for r in rows if r.status is CriterionStatus.UNKNOWN
        )


def _strip_reason(c: CriterionResult, lang: str) -> str:
    """The reason without its ``Tiêu chí 18: Đạt.`` head (the row shows both)."""
    text = c.reason.get(lang).split(": ", 1)[-1]
    word = STATUS_TEXT[c.status].get(lang)
    if text.startswith(word + "."):
        text = text[len(word) + 1 :].strip()
    return text or "—"


def _without_values(reason: str, values: list[ReportValue]) -> str:
    """The reason less the ``label: value`` parts the values column already shows (a
    criterion without its own explanation template lists exactly those)."""
    shown = {f"{v.label}: {v.value}" for v in values}
    if not shown:
        return reason
    parts = reason.rstrip(".").split("; ")
    rest = [p for p in parts if p not in shown]
    if len(rest) == len(parts):
        return reason
    return "; ".join(rest) + "." if rest else "—"


def _check_report_args(verdict: Verdict, ruleset: RuleSet, lang: str) -> None:
    """Raise EvidenceError for an unknown ``lang`` or a verdict not of ``ruleset``."""
    if lang not in ("vi", "en"):
        raise EvidenceError([Problem(("lang",), f"expected vi or en, got {lang!r}")])
    if verdict.ruleset.id != ruleset.id or verdict.ruleset.sha256 != ruleset.sha256:
        raise EvidenceError(
            [
                Problem(
                    ("ruleset",),
                    f"the verdict is of {verdict.ruleset.id} {verdict.ruleset.version}, "
                    f"not of {ruleset.id} {ruleset.version} (sha256 differs)",
                )
            ]
        )


def _report_groups(verdict: Verdict, ruleset: RuleSet, lang: str) -> tuple[ReportGroup, ...]:
    """The groups of the rule set, in order, each with the rows of its evaluated criteria."""
    d = ruleset.definition
    specs = {c.id: c for c in d.criteria}
    results = {c.id: c for c in verdict.criteria}
    groups: list[ReportGroup] = []
    for g in d.groups:
        rows: list[ReportRow] = []
        for crit in d.criteria:
            if crit.spec.group != g.id or crit.id not in results:
                continue
            rows.append(_row(results[crit.id], specs[crit.id].spec.title, ruleset, lang))
        groups.append(ReportGroup(g.number, g.title.get(lang), tuple(rows)))
    return tuple(groups)


def _report_summary(verdict: Verdict, lang: str) -> str:
    """One sentence counting the criteria met, not met and unknown."""
    met, not_met, unknown = len(verdict.met), len(verdict.not_met), len(verdict.unknown)
    total = len(verdict.criteria)
    return (
        f"Đạt {met}/{total} tiêu chí; không đạt {not_met}; chưa xác định {unknown}."
        if lang == "vi"
        else f"{met} of {total} criteria met; {not_met} not met; {unknown} unknown."
    )


def prerequisite_detail(p: PrerequisiteResult, pre: RuleSet | None, lang: str) -> str:
    """The criteria a prerequisite failed (titled when its rule set is known) and the
    facts missing (in Vietnamese by their labels when it is known), joined by ``; ``."""
    parts = []
    if p.failed:
        names = []
        for cid in p.failed:
            name = f"{_t('criterion', lang).lower()} {cid}"
            if pre is not None:
                name += f" ({pre.definition.criterion(cid).spec.title.get(lang)})"
            names.append(name)
        parts.append(f"{_t('failed', lang)}: " + ", ".join(names))
    if p.missing:
        facts = pre.facts if pre is not None and lang == "vi" else {}
        names = [facts[m].label.vi if m in facts else m for m in p.missing]
        parts.append(f"{_t('missing', lang)}: " + ", ".join(names))
    return "; ".join(parts)


def _report_prerequisites(
    verdict: Verdict, ruleset: RuleSet, lang: str
) -> tuple[ReportPrerequisite, ...]:
    """The verdict's prerequisite results, in order, with their status and detail."""
    prerequisites = []
    pre_defs = {p.id: p for p in ruleset.prerequisites}
    for p in verdict.prerequisites:
        pre = pre_defs.get(p.ruleset.id)
        title = pre.title.get(lang) if pre is not None else p.ruleset.id
        prerequisites.append(
            ReportPrerequisite(
                p.ruleset.id,
                title,
                p.status,
                OVERALL_TEXT[p.status].get(lang),
                prerequisite_detail(p, pre, lang),
            )
        )
    return tuple(prerequisites)


def build_report(verdict: Verdict, ruleset: RuleSet, *, lang: str = "vi") -> ResultsReport:
    """The results report of ``verdict``, which ``ruleset`` gave (same id and sha256).

    Every criterion appears, in the rule set's order, grouped; evidence values are the
    facts the explanation read (a verdict evaluated without ``explain=True`` has none).
    Raises EvidenceError when the verdict is not one of ``ruleset``'s.
    """
    _check_report_args(verdict, ruleset, lang)
    d = ruleset.definition
    groups = _report_groups(verdict, ruleset, lang)
    summary = _report_summary(verdict, lang)
    prerequisites = _report_prerequisites(verdict, ruleset, lang)
    rs = verdict.ruleset
    return ResultsReport(
        lang=lang,
        title=_t("title", lang),
        subtitle=_t("subtitle", lang),
        unit=verdict.unit,
        ruleset=f"{rs.id} {rs.version}",
        ruleset_title=d.title.get(lang),
        source=d.source.render(lang),
        evaluated_on=date_text(verdict.evaluated_on, lang),
        fingerprint=f"sha256 {rs.sha256[:12]}…",
        status=verdict.status,
        overall=verdict.reason.get(lang),
        summary=summary,
        prerequisites=prerequisites,
        groups=groups,
        note=_t("note", lang),
    )


def _row(c: CriterionResult, title: Text, ruleset: RuleSet, lang: str) -> ReportRow:
    values: list[ReportValue] = []
    citation = ""
    if c.explanation is not None:
        cited = c.explanation.citation
        same = cited.document == ruleset.definition.source.document and cited.part
        citation = cited.part if same and cited.part else cited.render(lang)
        for v in c.explanation.values:
            if v.role != "fact":
                continue
            spec = ruleset.facts.get(v.name)
            label = v.label.get(lang) if v.label is not None else v.name
            shown = display(
                v.value,
                v.kind,
                lang,
                unit=spec.unit if spec is not None else None,
                enums=ruleset.enumerations,
                enum_id=spec.enum if spec is not None else None,
            )
            values.append(ReportValue(v.name, label, shown))
    return ReportRow(
        id=c.id,
        title=title.get(lang),
        status=c.status,
        status_text=STATUS_TEXT[c.status].get(lang),
        values=tuple(values),
        reason=_without_values(_strip_reason(c, lang), values),
        citation=citation,
    )


# -- Markdown ------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell (pipes, newlines, markup characters)."""
    out = text.replace("\\", "\\\\").replace("\n", " ")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def to_markdown(report: ResultsReport) -> str:
    """The report as GitHub-flavoured Markdown: a header, the prerequisites, one table
    per group."""
    lang = report.lang
    out = [f"# {_md(report.title)}", "", f"_{_md(report.subtitle)}_", ""]
    if report.unit:
        out.append(f"- **{_t('unit', lang)}:** {_md(report.unit)}")
    out += [
        f"- **{_t('criteria_set', lang)}:** {_md(report.ruleset_title)} ({_md(report.ruleset)}, "
        f"{_md(report.fingerprint)})",
        f"- **{_t('source', lang)}:** {_md(report.source)}",
        f"- **{_t('evaluated_on', lang)}:** {report.evaluated_on}",
        f"- **{_t('result', lang)}:** {_md(report.overall)}",
        f"- **{_t('summary', lang)}:** {_md(report.summary)}",
        "",
    ]
    if report.attention:
        out += [f"**{_attention_head(report)}:**", ""]
        out += [
            f"- {_md(r.id)}. {_md(r.title)} — **{_md(r.status_text)}**" for r in report.attention
        ]
        out.append("")
    if report.prerequisites:
        out += [f"## {_t('prerequisites', lang)}", ""]
        for p in report.prerequisites:
            detail = f" — {_md(p.detail)}" if p.detail else ""
            out.append(f"- {_md(p.title)} ({p.ruleset}): **{_md(p.status_text)}**{detail}")
        out.append("")
    heads = [_t(k, lang) for k in ("no", "criterion", "status", "evidence", "reason")]
    for g in report.groups:
        out += [f"## {_t('group', lang)} {g.number}. {_md(g.title)}", ""]
        out.append("| " + " | ".join(heads) + " |")
        out.append("|---:|---|---|---|---|")
        for r in g.rows:
            values = "; ".join(f"{_md(v.label)}: {_md(v.value)}" for v in r.values) or "—"
            out.append(
                f"| {_md(r.id)} | {_md(r.title)} | **{_md(r.status_text)}** | {values} "
                f"| {_md(r.reason)} |"
            )
        out.append("")
    out.append(f"_{_md(report.note)}_")
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Noto Serif", "DejaVu Serif", serif; font-size: 12pt;
  color: #111; margin: 0 auto; max-width: 1100px; padding: 24px 28px; line-height: 1.35; }
h1 { font-size: 16pt; text-align: center; text-transform: uppercase; margin: 0 0 4px; }
.subtitle { text-align: center; font-style: italic; margin: 0 0 16px; }
h2 { font-size: 13pt; margin: 20px 0 6px; border-bottom: 1px solid #444; padding-bottom: 2px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0 0 8px; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.overall { border: 2px solid #444; padding: 8px 12px; margin: 10px 0; font-weight: bold; }
.overall.eligible { border-color: #1b6e2a; background: #eef7ef; }
.overall.not_eligible { border-color: #a3261b; background: #fbeeed; }
.overall.undetermined { border-color: #8a6d00; background: #fdf8e6; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; }
th, td { border: 1px solid #777; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
td.no { text-align: right; width: 3em; white-space: nowrap; }
td.status { width: 8.5em; font-weight: bold; white-space: nowrap; }
tr.met td.status { color: #1b6e2a; }
tr.not_met td.status { color: #a3261b; }
tr.unknown td.status { color: #8a6d00; }
tr.not_met { background: #fdf3f2; }
tr.unknown { background: #fffbea; }
td.values ul { margin: 0; padding-left: 1.1em; }
td.values li { margin: 0 0 2px; }
.value { font-weight: bold; white-space: nowrap; }
.cite { display: block; color: #555; font-size: 9pt; margin-top: 3px; }
tr { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
ul.pre { margin: 4px 0; padding-left: 1.2em; }
.attention-head { font-weight: bold; margin: 8px 0 2px; }
ul.attention { margin: 0 0 8px; padding-left: 1.2em; }
ul.attention li.not_met .status { color: #a3261b; font-weight: bold; }
ul.attention li.unknown .status { color: #8a6d00; font-weight: bold; }
.note { margin-top: 18px; font-size: 9.5pt; font-style: italic; color: #444; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
""".strip()


_COLS = (
    '<colgroup><col style="width:4%"><col style="width:24%"><col style="width:10%">'
    '<col style="width:34%"><col style="width:28%"></colgroup>'
)


def _e(text: str) -> str:
    return escape(text, quote=True)


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
        f"<style>\n{_CSS}\n</style>",
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
        parts.append(
            f"<li>{_e(p.title)} ({_e(p.ruleset)}): <strong>{_e(p.status_text)}</strong>"
            f"{detail}</li>"
        )
    parts.append("</ul>")
    return parts


def _html_row(r: ReportRow) -> str:
    """One criterion as a table row: number, title and citation, status, values, reason."""
    if r.values:
        items = "".join(
            f'<li>{_e(v.label)}: <span class="value">{_e(v.value)}</span></li>' for v in r.values
        )
        values = f"<ul>{items}</ul>"
    else:
        values = "—"
    cite = f'<span class="cite">{_e(r.citation)}</span>' if r.citation else ""
    return (
        f'<tr class="{_e(r.status.value)}" id="criterion-{_e(r.id)}">'
        f'<td class="no">{_e(r.id)}</td>'
        f'<td class="title">{_e(r.title)}{cite}</td>'
        f'<td class="status">{_e(r.status_text)}</td>'
        f'<td class="values">{values}</td>'
        f'<td class="reason">{_e(r.reason)}</td></tr>'
    )


def _html_groups(report: ResultsReport) -> list[str]:
    """One heading and table per group of criteria."""
    lang = report.lang
    parts: list[str] = []
    heads = "".join(
        f"<th>{_e(_t(k, lang))}</th>" for k in ("no", "criterion", "status", "evidence", "reason")
    )
    for g in report.groups:
        parts.append(f"<h2>{_e(_t('group', lang))} {g.number}. {_e(g.title)}</h2>")
        parts.append(f"<table>\n{_COLS}\n<thead><tr>{heads}</tr></thead>\n<tbody>")
        parts += [_html_row(r) for r in g.rows]
        parts.append("</tbody>\n</table>")
    return parts


def to_html(report: ResultsReport) -> str:
    """The report as one self-contained, printable HTML page (inline CSS, no script, no
    external asset); every text is escaped."""
    parts = _html_head(report)
    parts += _html_attention(report)
    parts += _html_prerequisites(report)
    parts += _html_groups(report)
    parts += [f'<p class="note">{_e(report.note)}</p>', "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def report_markdown(verdict: Verdict, ruleset: RuleSet, *, lang: str = "vi") -> str:
    """Shortcut: :func:`to_markdown` of :func:`build_report`."""
    return to_markdown(build_report(verdict, ruleset, lang=lang))


def report_html(verdict: Verdict, ruleset: RuleSet, *, lang: str = "vi") -> str:
    """Shortcut: :func:`to_html` of :func:`build_report`."""
    return to_html(build_report(verdict, ruleset, lang=lang))


__all__ = [
    "ReportGroup",
    "ReportPrerequisite",
    "ReportRow",
    "ReportValue",
    "ResultsReport",
    "build_report",
    "prerequisite_detail",
    "report_html",
    "report_markdown",
    "to_html",
    "to_markdown",
]
