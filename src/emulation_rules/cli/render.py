"""Text renderings for the command line: plain tables and Markdown."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from emulation_rules.awards.report import prerequisite_detail
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.todo import TO_DO_HEADING, to_do
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import OVERALL_TEXT, STATUS_TEXT, PrerequisiteResult, Verdict

HEADINGS = {
    "vi": ("Số", "Nhóm", "Kết quả", "Lý do"),
    "en": ("No.", "Group", "Status", "Reason"),
}


def width(text: str) -> int:
    """Display width of ``text`` (combining marks take no column)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in unicodedata.normalize("NFC", text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_width: int = 70) -> str:
    """A plain-text table; cells longer than ``max_width`` are wrapped."""
    wrapped_rows = [[_wrap(cell, max_width) for cell in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in wrapped_rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], *(width(line) for line in cell))
    sep = "  "

    def line(cells: Sequence[str]) -> str:
        return sep.join(
            c + " " * (w - width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(headers), sep.join("-" * w for w in widths)]
    for row in wrapped_rows:
        height = max(len(c) for c in row)
        for k in range(height):
            out.append(line([c[k] if k < len(c) else "" for c in row]))
    return "\n".join(out)


def _wrap(text: str, limit: int) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for word in para.split(" "):
            if current and width(current) + 1 + width(word) > limit:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return lines


def verdict_header(verdict: Verdict, lang: str, ruleset: RuleSet | None = None) -> list[str]:
    """The lines above a verdict's table; a prerequisite's line says why it is not met
    (its criteria titled, its missing facts named, when ``ruleset`` is given)."""
    unit = f" — {verdict.unit}" if verdict.unit else ""
    on = "ngày đánh giá" if lang == "vi" else "evaluated on"
    day = date_text(verdict.evaluated_on, lang)
    lines = [
        f"{ruleset_name(verdict, lang, ruleset)}, {on} {day}{unit}",
        verdict.reason.get(lang),
    ]
    if verdict.level:
        lines.append(("Xếp loại: " if lang == "vi" else "Level: ") + verdict.level)
    known = {p.id: p for p in ruleset.prerequisites} if ruleset is not None else {}
    for pre in verdict.prerequisites:
        lines.append(prerequisite_line(pre, known.get(pre.ruleset.id), lang))
    return lines


def ruleset_name(verdict: Verdict, lang: str, ruleset: RuleSet | None = None) -> str:
    """The rule set that gave ``verdict`` as a header names it: in Vietnamese by its title
    and version (``Bộ tiêu chí … (phiên bản 2022.1, mã kiểm tra 5845eb1384ce…)``) when
    ``ruleset`` is given; in English (and without it) by its id and version."""
    rs = verdict.ruleset
    if lang == "vi" and ruleset is not None:
        return f"{ruleset.title.vi} (phiên bản {rs.version}, mã kiểm tra {rs.sha256[:12]}…)"
    return f"{rs.id} {rs.version} (sha256 {rs.sha256[:12]}…)"


def prerequisite_line(pre: PrerequisiteResult, ruleset: RuleSet | None, lang: str) -> str:
    """A prerequisite's result on one line: in Vietnamese by the rule set's title when it
    is known (its id otherwise, and in English), its status, and why (see
    :func:`~emulation_rules.awards.report.prerequisite_detail`)."""
    if lang == "vi" and ruleset is not None:
        name = ruleset.title.vi
    else:
        name = f"{'Điều kiện lựa chọn' if lang == 'vi' else 'Prerequisite'} {pre.ruleset.id}"
    detail = prerequisite_detail(pre, ruleset, lang)
    line = f"{name}: {OVERALL_TEXT[pre.status].get(lang)}"
    return line + (f" ({detail})" if detail else "")


GROUP_WIDTH = 28
"""The widest line of a group's title in a plain-text table (wrapped below it)."""


def group_cell(group: str, groups: Mapping[str, Text] | None, lang: str) -> str:
    """A criterion's group as a cell: in Vietnamese its numbered title (``1. Công tác
    lãnh đạo …``) when the rule set's groups are given, else (and in English) its id."""
    if lang != "vi" or not groups or group not in groups:
        return group
    return groups[group].vi


def verdict_rows(
    verdict: Verdict, lang: str, groups: Mapping[str, Text] | None = None
) -> list[list[str]]:
    """One row per criterion: number, group (see :func:`group_cell`), status, reason."""
    rows = []
    for c in verdict.criteria:
        word = STATUS_TEXT[c.status].get(lang)
        text = c.reason.get(lang).split(": ", 1)[-1]
        if text.startswith(word + "."):  # the status has its own column
            text = text[len(word) + 1 :].strip()
        rows.append([c.id, group_cell(c.group, groups, lang), word, text or "—"])
    return rows


def _groups(ruleset: RuleSet | None) -> dict[str, Text]:
    return {g.id: g.title for g in ruleset.definition.groups} if ruleset is not None else {}


def verdict_table(verdict: Verdict, lang: str, ruleset: RuleSet | None = None) -> str:
    """A verdict as plain text (with ``ruleset``, the verdict's: group and prerequisite
    titles, see :func:`group_cell` and :func:`verdict_header`)."""
    head = verdict_header(verdict, lang, ruleset)
    groups = _groups(ruleset)
    rows = verdict_rows(verdict, lang, groups)
    if lang == "vi" and groups:  # a group's title once, on its first row, wrapped narrow
        previous = None
        for row in rows:
            title = row[1]
            row[1] = "" if title == previous else "\n".join(_wrap(title, GROUP_WIDTH))
            previous = title
    tasks = verdict_to_do(verdict, lang, ruleset)
    tail = ""
    if tasks:
        items = ["\n  ".join(_wrap(f"- {t}", 100)) for t in tasks]
        tail = f"\n{TO_DO_HEADING.get(lang)}:\n" + "\n".join(items) + "\n"
    return "\n".join(head) + "\n\n" + table(HEADINGS[lang], rows) + "\n" + tail


def verdict_to_do(verdict: Verdict, lang: str, ruleset: RuleSet | None) -> list[str]:
    """What the officer has to do (:func:`~emulation_rules.evaluation.todo.to_do`), with
    the rule set's labels and titles when it is given."""
    if ruleset is None:
        return to_do(verdict, {}, lang=lang)
    titles = {c.id: c.spec.title for c in ruleset.definition.criteria}
    d = ruleset.definition
    return to_do(verdict, ruleset.facts, lang=lang, titles=titles, words=d.items)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def verdict_markdown(verdict: Verdict, lang: str, ruleset: RuleSet | None = None) -> str:
    """A verdict as Markdown (``ruleset``: as for :func:`verdict_table`)."""
    head = verdict_header(verdict, lang, ruleset)
    groups = _groups(ruleset)
    title = f"## {head[0]}\n\n**{head[1]}**\n"
    extra = "".join(f"\n{line}\n" for line in head[2:])
    rows = verdict_rows(verdict, lang, groups)
    tasks = verdict_to_do(verdict, lang, ruleset)
    tail = f"\n**{TO_DO_HEADING.get(lang)}:**\n\n" + "".join(f"- {t}\n" for t in tasks)
    return (
        title + extra + "\n" + markdown_table(HEADINGS[lang], rows) + "\n" + (tail if tasks else "")
    )
