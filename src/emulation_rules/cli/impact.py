"""The ``emulation-rules impact`` command: what a rule change does to a batch of units.

``impact RULESET UNITS.jsonl --set PARAM=VALUE …`` (parameters changed) or ``--against
VERSION_OR_FILE`` (another version of the rule set, or a rule-set file such as a draft
overlay) evaluates every unit of the JSON Lines file under both and prints the units
whose status changes, the counts per criterion, and the units concerned (``--format
json``: the :class:`~emulation_rules.model.impact.ImpactReport`).

Exit codes: 0 when every unit was evaluated (whatever changed); 2 on bad usage, a bad
``--set``, or a unit line a rule set refuses (naming the line); with ``--keep-going``
refused lines are listed in the report and the exit code is 1 when there were any.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.api import Library
from emulation_rules.cli import render
from emulation_rules.cli.args import UsageError, iso_date, parse_json, read_lines
from emulation_rules.errors import EmulationRulesError, EvidenceError, FormatError, RuleSetError
from emulation_rules.evaluation.impact import ImpactBuilder
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.values import display
from emulation_rules.loading.catalogue import is_yaml_name, with_folder
from emulation_rules.loading.reform import parse_setting
from emulation_rules.model.impact import ImpactReport, ParameterChange, UnitError
from emulation_rules.model.verdict import OVERALL_TEXT, STATUS_TEXT, CriterionStatus

__all__ = ["add_parser", "render_report", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``impact`` command to ``subparsers``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "impact",
        help="what a rule change does to a batch of units (--set PARAM=VALUE or --against)",
        description=(
            "Evaluate every unit of a JSON Lines file under the rule set and under a changed "
            "one, and print how many change status, per criterion, and which."
        ),
    )
    p.add_argument("ruleset", help="the base rule set: an id or a path to a .yaml file")
    p.add_argument("units", help="a JSON Lines file, one unit a line (- for stdin)")
    change = p.add_mutually_exclusive_group(required=True)
    change.add_argument(
        "--set",
        action="append",
        dest="settings",
        metavar="PARAM=VALUE",
        help="a parameter with another value, written as in a rule-set file: "
        "crime_reduction_min=8%%, a number, a date, true/false, a level id (repeatable)",
    )
    change.add_argument(
        "--against",
        metavar="VERSION_OR_FILE",
        help="another version of the rule set, or a rule-set file (e.g. a draft overlay)",
    )
    p.add_argument("--on", type=iso_date, help="evaluation date (default: today)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="list units a rule set refuses in the report and go on (exit 1 if any)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    day = args.on or date.today()
    lib = _library(args)
    base = lib.load(args.ruleset, on=day)
    changed = _changed(lib, base, args, day)
    builder = ImpactBuilder(base, changed)
    name, lines = read_lines(args.units)
    for n, line in lines:
        _add(builder, name, n, line, keep_going=args.keep_going)
    report = builder.report()
    if args.format == "json":
        sys.stdout.write(lib.to_json(report, indent=2) + "\n")
    else:
        sys.stdout.write(render_report(report, base, changed, args.lang))
    return 1 if report.errors else 0


def _library(args: argparse.Namespace) -> Library:
    folders: list[Any] = [Path(f) for f in args.folder]
    for given in (args.ruleset, args.against):
        if given and is_yaml_name(given) and Path(given).parent.is_dir():
            folders = with_folder(folders, Path(given).parent)
    return Library(folders)


def _changed(lib: Library, base: RuleSet, args: argparse.Namespace, day: date) -> RuleSet:
    if args.against is not None:
        if is_yaml_name(args.against):
            return lib.load(args.against, on=day)
        return lib.load(base.id, version=args.against, on=day)
    values: dict[str, Any] = {}
    given: dict[str, str] = {}
    for text in args.settings:
        try:
            name, value = parse_setting(text)
        except RuleSetError as exc:
            raise UsageError(
                f"--set {text}: {exc.message}",
                message_vi=f"--set {text}: {exc.message_vi or exc.message}",
            ) from None
        if name in values:
            raise UsageError(
                f"--set {text}: {name} is already set by --set {given[name]}",
                message_vi=f"--set {text}: {name} đã được đặt bằng --set {given[name]}",
            )
        values[name], given[name] = value, text
    try:
        return base.with_parameters(values)
    except RuleSetError as exc:
        for name, text in given.items():
            if exc.path == ("parameters", name):
                raise UsageError(
                    f"--set {text}: {exc.message}",
                    message_vi=f"--set {text}: {exc.message_vi or exc.message}",
                ) from None
        raise UsageError(
            f"--set: {exc.text_in('en')}", message_vi=f"--set: {exc.text_in('vi')}"
        ) from None


def _add(builder: ImpactBuilder, name: str, n: int, line: str, *, keep_going: bool) -> None:
    try:
        evidence = parse_json(line, name, line=n)
    except FormatError as exc:
        if not keep_going:
            raise
        builder.unreadable(n, str(exc))
        return
    refused = builder.add(n, evidence)
    if refused is not None and not keep_going:
        record, error = refused
        raise UsageError(
            f"{name}:{n}: {_refusal(record)}",
            message_vi=f"{name}:{n}: {_refusal_vi(record, error)}",
        )


def _refusal(record: UnitError) -> str:
    by = f"{record.ruleset.id} {record.ruleset.version}: " if record.ruleset else ""
    more = f" (and {len(record.problems) - 1} more)" if len(record.problems) > 1 else ""
    return f"{by}{record.problems[0]}{more}"


def _refusal_vi(record: UnitError, exc: EmulationRulesError) -> str:
    """:func:`_refusal` in Vietnamese, from the error that refused the unit."""
    by = f"{record.ruleset.id} {record.ruleset.version}: " if record.ruleset else ""
    problems = exc.problems if isinstance(exc, EvidenceError) else ()
    if not problems:
        return f"{by}{exc.text_in('vi')}"
    more = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
    return f"{by}{problems[0].text_in('vi')}{more}"


# -- the table ---------------------------------------------------------------------------

_WORDS = {
    "vi": {
        "base": "Bộ tiêu chí gốc",
        "changed": "Bộ tiêu chí thay đổi",
        "on": "Ngày đánh giá",
        "parameters": "Tham số thay đổi",
        "units": "Số đơn vị được đánh giá",
        "status": "Số đơn vị thay đổi kết quả",
        "criteria": "Số đơn vị có tiêu chí thay đổi",
        "errors": "Số dòng không đánh giá được",
        "unit_word": "đơn vị",
        "no_criterion": "Không tiêu chí nào thay đổi.",
        "no_unit": "Không đơn vị nào thay đổi.",
        "absent": "(không có)",
        "criteria_heading": "Tiêu chí thay đổi",
        "units_heading": "Các đơn vị thay đổi",
        "errors_heading": "Các dòng không đánh giá được",
    },
    "en": {
        "base": "Base rule set",
        "changed": "Changed rule set",
        "on": "Evaluated on",
        "parameters": "Parameters changed",
        "units": "Units evaluated",
        "status": "Units whose status changes",
        "criteria": "Units with a criterion changed",
        "errors": "Lines not evaluated",
        "unit_word": "units",
        "no_criterion": "No criterion changes.",
        "no_unit": "No unit changes.",
        "absent": "(none)",
        "criteria_heading": "Criteria that change",
        "units_heading": "Units that change",
        "errors_heading": "Lines not evaluated",
    },
}
_CRITERIA_HEADINGS = {
    "vi": (
        "Số",
        "Tiêu chí",
        "Đạt → Không đạt",
        "Không đạt → Đạt",
        "→ Chưa xác định",
        "Chưa xác định →",
        "Tổng",
    ),
    "en": (
        "No.",
        "Criterion",
        "Met → not met",
        "Not met → met",
        "→ unknown",
        "Unknown →",
        "Total",
    ),
}
_UNIT_HEADINGS = {
    "vi": ("Dòng", "Đơn vị", "Trước", "Sau", "Tiêu chí thay đổi"),
    "en": ("Line", "Unit", "Before", "After", "Criteria changed"),
}
_ERROR_HEADINGS = {
    "vi": ("Dòng", "Đơn vị", "Bộ tiêu chí", "Lỗi"),
    "en": ("Line", "Unit", "Rule set", "Problem"),
}


def render_report(report: ImpactReport, base: RuleSet, changed: RuleSet, lang: str) -> str:
    """The report as plain text in ``lang`` (vi or en): the totals, the criteria that
    change, the units that change, the lines not evaluated."""
    w = _WORDS[lang]
    out = _head(report, base, changed, lang)
    criteria = [c for c in report.criteria if c.changed]
    out += ["", w["criteria_heading"] + ":"]
    if criteria:
        rows = [
            [
                c.id,
                c.title.get(lang),
                str(c.met_to_not_met),
                str(c.not_met_to_met),
                str(c.to_unknown),
                str(c.from_unknown),
                str(c.changed),
            ]
            for c in criteria
        ]
        out.append(render.table(_CRITERIA_HEADINGS[lang], rows, max_width=50))
    else:
        out.append(w["no_criterion"])
    out += ["", w["units_heading"] + ":"]
    if report.unit_changes:
        rows = [
            [
                str(u.position),
                u.unit or "—",
                OVERALL_TEXT[u.before].get(lang),
                OVERALL_TEXT[u.after].get(lang),
                "; ".join(
                    f"{c.id}: {_status(c.before, lang)} → {_status(c.after, lang)}"
                    for c in u.criteria
                ),
            ]
            for u in report.unit_changes
        ]
        out.append(render.table(_UNIT_HEADINGS[lang], rows, max_width=50))
    else:
        out.append(w["no_unit"])
    if report.errors:
        out += ["", w["errors_heading"] + ":"]
        rows = [
            [
                str(e.position),
                e.unit or "—",
                f"{e.ruleset.id} {e.ruleset.version}" if e.ruleset else "—",
                "; ".join(e.problems),
            ]
            for e in report.errors
        ]
        out.append(render.table(_ERROR_HEADINGS[lang], rows, max_width=60))
    return "\n".join(out) + "\n"


def _head(report: ImpactReport, base: RuleSet, changed: RuleSet, lang: str) -> list[str]:
    w = _WORDS[lang]
    day = report.evaluated_on
    lines = [
        f"{w['base']}: {_named(base, lang)}",
        f"{w['changed']}: {_named(changed, lang)}",
        f"{w['on']}: {day.strftime('%d/%m/%Y') if lang == 'vi' else day.isoformat()}",
    ]
    if report.parameters:
        lines.append(f"{w['parameters']}:")
        lines += [f"  {_parameter(p, base, changed, lang)}" for p in report.parameters]
    lines += [
        f"{w['units']}: {report.units}",
        f"{w['status']}: {report.status_changed}",
    ]
    lines += [
        f"  {OVERALL_TEXT[d.before].get(lang)} → {OVERALL_TEXT[d.after].get(lang)}: "
        f"{d.units} {w['unit_word']}"
        for d in report.directions
    ]
    lines.append(f"{w['criteria']}: {report.criteria_changed}")
    if report.errors:
        lines.append(f"{w['errors']}: {len(report.errors)}")
    return lines


def _named(rs: RuleSet, lang: str) -> str:
    """A rule set by its title and version; the id and hash for reference."""
    version = "phiên bản" if lang == "vi" else "version"
    return f"{rs.title.get(lang)}, {version} {rs.version} ({rs.id}, sha256 {rs.sha256[:12]}…)"


def _parameter(p: ParameterChange, base: RuleSet, changed: RuleSet, lang: str) -> str:
    owner = changed if p.name in changed.definition.parameters else base
    spec = owner.definition.parameters[p.name]
    enums = {**base.enumerations, **changed.enumerations}

    def shown(value: Any) -> str:
        if value is None:
            return _WORDS[lang]["absent"]
        return display(value, p.kind, lang, unit=spec.unit, enums=enums, enum_id=spec.enum)

    name = "" if lang == "vi" else f" ({p.name})"
    return f"{p.label.get(lang)}{name}: {shown(p.before)} → {shown(p.after)}"


def _status(status: CriterionStatus | None, lang: str) -> str:
    return _WORDS[lang]["absent"] if status is None else STATUS_TEXT[status].get(lang)
