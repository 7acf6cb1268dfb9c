"""The results report (báo cáo kết quả xây dựng điển hình, theo Bộ tiêu chí tạm thời):
one of the three documents of the recognition dossier, generated from a verdict.

:func:`build_report` turns a verdict and the rule set that gave it into a
:class:`ResultsReport` in one language (Vietnamese by default, English on request): per
group and criterion, in the rule set's order, the status, the evidence values read and
the reason. :func:`to_markdown` renders it, and :func:`~emulation_rules.awards.report_html.to_html`
as a self-contained, printable page (inline CSS, no external asset, every text escaped).

>>> html_text = to_html(build_report(verdict, ruleset, lang="vi"))   # doctest: +SKIP
"""

from __future__ import annotations

import attrs

from emulation_rules.errors import EvidenceError, Problem
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.todo import TO_DO_HEADING, to_do
from emulation_rules.evaluation.values import display
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import CRITERIA_WORDS
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
    "not_applicable": Text("không áp dụng", "not applicable"),
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
        head = _t("attention_not_met", report.lang)
    elif statuses == {CriterionStatus.UNKNOWN}:
        head = _t("attention_unknown", report.lang)
    else:
        head = _t("attention", report.lang)
    return _named(head, report)


def _named(text: str, report: ResultsReport) -> str:
    """``text`` with the word for criteria replaced by the rule set's (``Chỉ tiêu``)."""
    if not report.item_name:
        return text
    default = _t("criterion", report.lang)
    return text.replace(default, report.item_name, 1)


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
    item_name: str = ""
    """What the items are called when they are not criteria (a plan's: ``Chỉ tiêu``)."""
    to_do: tuple[str, ...] = ()
    """What the officer has to do (:func:`~emulation_rules.evaluation.todo.to_do`): data
    to supply, what each criterion not met needs; empty when all are met."""

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


def check_lang(lang: str) -> None:
    """Raise EvidenceError (path ``lang``) for a language other than ``vi`` or ``en``: the
    one check of the printed documents' language (results report, allocation, decision)."""
    if lang not in ("vi", "en"):
        message = f"expected vi or en, got {lang!r}"
        vi = f"ngôn ngữ phải là vi hoặc en, không phải {lang!r}"
        raise EvidenceError([Problem(("lang",), message, message_vi=vi)])


def _check_report_args(verdict: Verdict, ruleset: RuleSet, lang: str) -> None:
    """Raise EvidenceError for an unknown ``lang`` or a verdict not of ``ruleset``."""
    check_lang(lang)
    if verdict.ruleset.id != ruleset.id or verdict.ruleset.sha256 != ruleset.sha256:
        raise EvidenceError(
            [
                Problem(
                    ("ruleset",),
                    f"the verdict is of {verdict.ruleset.id} {verdict.ruleset.version}, "
                    f"not of {ruleset.id} {ruleset.version} (sha256 differs)",
                    message_vi=f"kết quả đánh giá là của {verdict.ruleset.id} "
                    f"{verdict.ruleset.version}, không phải của {ruleset.id} {ruleset.version} "
                    "(khác mã sha256)",
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


def _report_summary(verdict: Verdict, lang: str, items: Text = CRITERIA_WORDS.plural) -> str:
    """One sentence counting the criteria (``items``) met, not met and unknown."""
    met, not_met, unknown = len(verdict.met), len(verdict.not_met), len(verdict.unknown)
    total = len(verdict.criteria)
    return (
        f"Đạt {met}/{total} {items.vi}; không đạt {not_met}; chưa xác định {unknown}."
        if lang == "vi"
        else f"{met} of {total} {items.en} met; {not_met} not met; {unknown} unknown."
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
    words = d.items
    summary = _report_summary(verdict, lang, words.plural)
    prerequisites = _report_prerequisites(verdict, ruleset, lang)
    rs = verdict.ruleset
    return ResultsReport(
        lang=lang,
        title=_t("title", lang),
        subtitle=_t("subtitle", lang),
        unit=verdict.unit,
        ruleset=f"phiên bản {rs.version}" if lang == "vi" else f"{rs.id} {rs.version}",
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
        item_name="" if words == CRITERIA_WORDS else words.name.get(lang),
        to_do=tuple(
            to_do(
                verdict,
                ruleset.facts,
                lang=lang,
                titles={c.id: c.spec.title for c in d.criteria},
                words=words,
            )
        ),
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
            if v.value is None and c.status is not CriterionStatus.UNKNOWN:
                shown = _t("not_applicable", lang)  # decided without it: it does not apply
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


def markdown_text(text: str) -> str:
    """Text safe inside a Markdown table cell (pipes, newlines, markup characters): what
    the printed documents (results report, allocation, decision) write in Markdown."""
    out = text.replace("\\", "\\\\").replace("\n", " ")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


_md = markdown_text  # the short name the Markdown writers below use


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
            named = _md(p.title) if lang == "vi" else f"{_md(p.title)} ({p.ruleset})"
            out.append(f"- {named}: **{_md(p.status_text)}**{detail}")
        out.append("")
    heads = [_t(k, lang) for k in ("no", "criterion", "status", "evidence", "reason")]
    heads[1] = report.item_name or heads[1]
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
    if report.to_do:
        out += [f"## {TO_DO_HEADING.get(lang)}", ""]
        out += [f"- {_md(t)}" for t in report.to_do]
        out.append("")
    out.append(f"_{_md(report.note)}_")
    return "\n".join(out) + "\n"


def report_markdown(verdict: Verdict, ruleset: RuleSet, *, lang: str = "vi") -> str:
    """Shortcut: :func:`to_markdown` of :func:`build_report`."""
    return to_markdown(build_report(verdict, ruleset, lang=lang))


__all__ = [
    "ReportGroup",
    "ReportPrerequisite",
    "ReportRow",
    "ReportValue",
    "ResultsReport",
    "build_report",
    "prerequisite_detail",
    "report_markdown",
    "to_markdown",
]
