"""The ``emulation-rules diff`` command: what changed between two stored verdicts.

Exit codes: 0 when the verdicts reach the same outcome, 1 when they differ, 2 with a
one-line message naming the file on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.api import Library
from emulation_rules.cli import render
from emulation_rules.cli.args import UsageError, read_input
from emulation_rules.errors import EmulationRulesError
from emulation_rules.model.common import Text
from emulation_rules.model.converter import to_data
from emulation_rules.model.diff import Changed, VerdictDiff
from emulation_rules.model.diff_text import (
    NONE,
    VALUES_NOT_COMPARED,
    prerequisite_label,
    ruleset_text,
    show_value,
)
from emulation_rules.model.verdict import (
    OVERALL_TEXT,
    STATUS_TEXT,
    CriterionStatus,
    Status,
    Verdict,
)

HEADINGS = {"vi": ("Thay đổi", "Trước", "Sau"), "en": ("Change", "Before", "After")}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``diff`` command to ``subparsers``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "diff",
        help="what changed between two verdicts (JSON, expanded or compact); "
        "exit 0 same outcome, 1 changed, 2 bad input",
        description="Compare two verdicts (as written by evaluate --format json or "
        "to_json, expanded or compact): the overall status, level, points, the criteria "
        "whose status changed and the values that changed them. Exit code 0 when the "
        "outcomes are the same, 1 when they differ, 2 on bad input.",
    )
    p.add_argument("before", metavar="A.json", help="the earlier verdict (- for stdin)")
    p.add_argument("after", metavar="B.json", help="the later verdict")
    p.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="table: a row per change (default); json: the VerdictDiff as to_json writes it",
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the table")
    return p


def run(args: argparse.Namespace) -> int:
    """Compare the two verdicts; returns the exit code."""
    if args.before == "-" and args.after == "-":
        raise UsageError(
            "only one of the two verdicts can come from stdin",
            message_vi="chỉ một trong hai kết quả được đọc từ stdin",
        )
    library = Library([Path(f) for f in args.folder])
    diff = read_verdict(library, args.before).diff(read_verdict(library, args.after))
    if args.format == "json":
        json.dump(to_data(diff), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(render_diff(diff, args.lang))
    return 1 if diff.changed else 0


def read_verdict(library: Library, path: str) -> Verdict:
    """A verdict from a file (either JSON form: a compact one is rebuilt by its rule set,
    found in ``library``); any refusal names the file."""
    where, text = read_input(path)
    try:
        return library.from_json(text, Verdict, where=where)
    except EmulationRulesError as exc:
        message = exc.text_in("en").splitlines()[0] if str(exc) else type(exc).__name__
        if message.startswith(where):
            raise
        message_vi = exc.text_in("vi").splitlines()[0] if str(exc) else message
        raise UsageError(f"{where}: {message}", message_vi=f"{where}: {message_vi}") from None


def render_diff(diff: VerdictDiff, lang: str) -> str:
    """The diff as a table (change, before, after), the values that changed a criterion
    indented under it; one line when nothing changed."""
    if not diff.changed:
        return diff.summary.get(lang)
    lines = []
    if diff.ruleset is not None:
        lines.append(ruleset_text(diff.ruleset.before, diff.ruleset.after).get(lang))
    lines.append(render.table(HEADINGS[lang], _rows(diff, lang)))
    if diff.criteria and not diff.values_compared:
        lines.append(VALUES_NOT_COMPARED.get(lang))
    return "\n".join(lines)


def _rows(diff: VerdictDiff, lang: str) -> list[list[str]]:
    rows = [_row(WORDS[name], change.before, change.after, lang) for name, change in _overall(diff)]
    for pre in diff.prerequisites:
        label = prerequisite_label(pre.name, alone=len(diff.prerequisites) == 1)
        rows.append(_row(label, pre.before, pre.after, lang))
    for c in diff.criteria:
        rows.append(_row(Text(f"Tiêu chí {c.id}", f"Criterion {c.id}"), c.before, c.after, lang))
        for v in c.values:
            if v.label is not None:
                before, after = (
                    show_value(v.before, v.kind, lang),
                    show_value(v.after, v.kind, lang),
                )
                rows.append(["– " + v.label.get(lang), before, after])
    return rows


WORDS = {
    "evaluated_on": Text("Ngày đánh giá", "Evaluated on"),
    "unit": Text("Đơn vị", "Unit"),
    "status": Text("Kết quả chung", "Overall result"),
    "level": Text("Xếp loại", "Level"),
    "points": Text("Điểm", "Points"),
    "reason": Text("Lý do", "Reason"),
}
"""The rows of the overall changes, in this order."""


def _overall(diff: VerdictDiff) -> list[tuple[str, Changed[Any]]]:
    """The overall changes (the reason only when the status did not change)."""
    out = []
    for name in WORDS:
        change = getattr(diff, name)
        if change is not None and not (name == "reason" and diff.status is not None):
            out.append((name, change))
    return out


def _row(label: Text, before: object, after: object, lang: str) -> list[str]:
    return [label.get(lang), _word(before, lang), _word(after, lang)]


def _word(value: object, lang: str) -> str:
    """A value of the overall changes as the table shows it."""
    if value is None:
        return NONE.get(lang)
    if isinstance(value, Status):
        return OVERALL_TEXT[value].get(lang)
    if isinstance(value, CriterionStatus):
        return STATUS_TEXT[value].get(lang)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, date):
        return show_value(value.isoformat(), "date", lang)
    return str(value)


__all__ = ["add_parser", "read_verdict", "render_diff", "run"]
