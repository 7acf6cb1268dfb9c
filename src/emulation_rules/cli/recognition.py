"""The ``emulation-rules recognise`` and ``emulation-rules report`` commands.

``recognise RULESET EVIDENCE --dossier DOSSIER.json`` decides the typical-unit
recognition of one unit for a cycle year (the authority in force on the recognition
date, the dossier check, the verdict); ``report RULESET EVIDENCE --format
html|markdown`` writes the results report (báo cáo kết quả) of one unit.

``add_parser(subparsers)`` adds both commands; ``run(args)`` runs the one named by
``args.command`` and returns the exit code. Bad input raises
:class:`~emulation_rules.errors.EmulationRulesError` subclasses, which ``main()`` turns
into a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.api import Library
from emulation_rules.awards.dossier import parse_dossier
from emulation_rules.awards.recognition import (
    OUTCOME_TEXT,
    Procedure,
    Recognition,
    RecognitionOutcome,
    load_procedure,
    recognise,
)
from emulation_rules.awards.report import build_report, to_markdown
from emulation_rules.awards.report_html import to_html
from emulation_rules.cli.args import iso_date, parse_json, read_input
from emulation_rules.cli.render import prerequisite_line
from emulation_rules.errors import EmulationRulesError, EvidenceError, format_path
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.fileio import write_text_atomic
from emulation_rules.formatting import date_text
from emulation_rules.loading.catalogue import is_yaml_name, shipped_folder
from emulation_rules.model.converter import converter
from emulation_rules.model.verdict import Verdict


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"not a year from 2000 to 2100: {text!r}")
    return int(text)


def add_parser(subparsers: Any) -> None:
    """Add the ``recognise`` and ``report`` commands to ``subparsers``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "recognise", help="typical-unit recognition of a unit: authority, dossier, criteria"
    )
    p.add_argument("ruleset", help="typical-commune or typical-organisation (or a .yaml path)")
    p.add_argument("evidence", help="the unit's evidence (.json, or - for stdin)")
    p.add_argument("--dossier", required=True, metavar="FILE", help="the dossier (.json)")
    p.add_argument(
        "--year",
        type=_year,
        help="the cycle year (default: the evidence's assessment_year, else that of --on)",
    )
    p.add_argument("--on", type=iso_date, help="recognition date (default: the cycle's, 31/12)")
    p.add_argument(
        "--procedure",
        default="hau-loc",
        metavar="ID|FILE",
        help="the recognition procedure (default: hau-loc)",
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = subparsers.add_parser("report", help="the results report of a unit (HTML or Markdown)")
    p.add_argument("ruleset", help="a rule-set id or a path to a .yaml file")
    p.add_argument("evidence", help="the unit's evidence (.json, or - for stdin)")
    p.add_argument("--format", choices=["html", "markdown"], default="markdown")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--on", type=iso_date, help="evaluation date (default: today)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")


def run(args: argparse.Namespace) -> int:
    """Run ``recognise`` or ``report``; returns the exit code."""
    if args.command == "recognise":
        return _recognise(args)
    if args.command == "report":
        return _report(args)
    raise EmulationRulesError(
        f"unknown command {args.command!r}", message_vi=f"không có lệnh {args.command!r}"
    )


# -- input ---------------------------------------------------------------------------


def _json(path: str) -> tuple[str, Any]:
    where, text = read_input(path)
    return where, parse_json(text, where)


def _located(where: str, exc: EvidenceError) -> EmulationRulesError:
    """An evidence error as one line naming the file, the path and every problem."""
    first = exc.problems[0] if exc.problems else None
    detail = (
        f"{format_path(first.path) or '(top level)'}: {first.message}"
        if first
        else exc.text_in("en")
    )
    rest = exc.problems[1:4]
    n = len(exc.problems) - 1
    more = f" (and {n} more: " + "; ".join(p.text_in("en") for p in rest) + ")" if n > 0 else ""
    detail_vi = first.text_in("vi") if first else exc.text_in("vi")
    more_vi = f" (và {n} lỗi khác: " + "; ".join(p.text_in("vi") for p in rest) + ")" if n else ""
    return EmulationRulesError(
        f"{where}: {detail}{more}", message_vi=f"{where}: {detail_vi}{more_vi}"
    )


def _library(args: argparse.Namespace) -> Library:
    folders = [Path(f) for f in getattr(args, "folder", []) or []]
    ruleset = str(args.ruleset)
    if is_yaml_name(ruleset):
        parent = Path(ruleset).parent
        known = {f.resolve() for f in folders} | {Path(str(shipped_folder())).resolve()}
        if parent.is_dir() and parent.resolve() not in known:
            folders.append(parent)
    return Library(folders)


def _evaluate(rs: RuleSet, evidence: Any, where: str) -> Verdict:
    try:
        return rs.evaluate(evidence, explain=True)
    except EvidenceError as exc:
        raise _located(where, exc) from None


# -- recognise -----------------------------------------------------------------------


def _cycle_year(args: argparse.Namespace, evidence: Any, where: str) -> int:
    given = evidence.get("assessment_year") if isinstance(evidence, dict) else None
    if given is not None and (not isinstance(given, int) or isinstance(given, bool)):
        raise EmulationRulesError(
            f"{where}: assessment_year: expected a year, got {given!r}",
            message_vi=f"{where}: assessment_year: cần một năm, nhận được {given!r}",
        )
    if args.year is not None:
        if given is not None and given != args.year:
            raise EmulationRulesError(
                f"{where}: assessment_year: the evidence is for {given}, "
                f"the cycle asked is {args.year}",
                message_vi=f"{where}: assessment_year: dữ liệu là của năm {given}, "
                f"còn kỳ xét được yêu cầu là năm {args.year}",
            )
        year: int = args.year
        return year
    if given is not None:
        return int(given)
    return args.on.year if args.on is not None else date.today().year


def _recognise(args: argparse.Namespace) -> int:
    procedure = load_procedure(args.procedure)
    where, evidence = _json(args.evidence)
    dossier_where, dossier_data = _json(args.dossier)
    year = _cycle_year(args, evidence, where)
    cycle = procedure.cycle(year, args.on)
    rs = _library(args).load(args.ruleset, on=cycle.on)
    verdict = _evaluate(rs, evidence, where)
    try:
        dossier = parse_dossier(dossier_data, kinds=procedure.document_kinds)
        result = recognise(procedure, verdict, dossier, year=year, on=cycle.on, facts=rs.facts)
    except EvidenceError as exc:
        raise _located(dossier_where, exc) from None
    if args.format == "json":
        json.dump(converter.unstructure(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(recognition_text(result, procedure, rs, args.lang))
    return 0


def _day_words(result: Recognition) -> str:
    """The date's name: only a unit recognised has a recognition date (ngày công nhận);
    for any other outcome it is the day of the review (ngày xét)."""
    recognised = result.outcome is RecognitionOutcome.RECOGNISED
    return "ngày công nhận" if recognised else "ngày xét công nhận"


def recognition_text(result: Recognition, procedure: Procedure, rs: RuleSet, lang: str) -> str:
    """A recognition as plain text for the terminal."""
    vi = lang == "vi"
    a = result.authority
    day = date_text(result.on, lang)
    lines = [
        ("KẾT QUẢ XÉT CÔNG NHẬN: " if vi else "RECOGNITION: ")
        + OUTCOME_TEXT[result.outcome].get(lang).upper(),
        result.reason.get(lang),
        "",
        ("Đơn vị: " if vi else "Unit: ") + (result.unit or "—"),
        (
            f"Năm xét: {result.year}; {_day_words(result)}: {day}"
            if vi
            else f"Cycle: {result.year}; recognition date: {day}"
        ),
        ("Cấp công nhận: " if vi else "Recognised by: ") + a.recogniser.get(lang),
        ("Cơ quan đề nghị: " if vi else "Proposed by: ") + a.proposer.get(lang),
        ("Cấp đánh giá: " if vi else "Evaluated by: ") + a.evaluator.get(lang),
        ("Nơi nhận hồ sơ: " if vi else "Dossier to: ") + a.dossier_to.get(lang),
        ("Căn cứ: " if vi else "Source: ") + a.source.render(lang),
    ]
    if a.assumption is not None:
        lines.append(("Lưu ý: " if vi else "Note: ") + a.assumption.get(lang))
    r = result.ruleset
    lines += [
        "",
        (
            f"{rs.title.vi} (phiên bản {r.version}, mã kiểm tra {r.sha256[:12]}…): "
            if vi
            else f"Criteria set: {r.id} {r.version} (sha256 {r.sha256[:12]}…): "
        )
        + result.verdict.reason.get(lang),
        result.dossier.summary(lang),
    ]
    known = {pre.id: pre for pre in rs.prerequisites}
    for p in result.verdict.prerequisites:
        lines.append(prerequisite_line(p, known.get(p.ruleset.id), lang))
    failing = [c for c in result.verdict.criteria if c.id in result.failed_criteria]
    if failing:
        lines += ["", "Tiêu chí không đạt:" if vi else "Criteria not met:"]
        for c in failing:
            title = rs.definition.criterion(c.id).spec.title.get(lang)
            lines.append(f"  {c.id}. {title} — {c.reason.get(lang)}")
    unknown = [c for c in result.verdict.criteria if c.id in result.unknown_criteria]
    if unknown:
        lines += ["", "Tiêu chí chưa xác định:" if vi else "Criteria undetermined:"]
        for c in unknown:
            lines.append(f"  {c.id}. {c.reason.get(lang)}")
    return "\n".join(lines) + "\n"


# -- report --------------------------------------------------------------------------


def _report(args: argparse.Namespace) -> int:
    where, evidence = _json(args.evidence)
    rs = _library(args).load(args.ruleset, on=args.on)
    verdict = _evaluate(rs, evidence, where)
    report = build_report(verdict, rs, lang=args.lang)
    text = to_html(report) if args.format == "html" else to_markdown(report)
    if args.output:
        write_text_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - until wired in
    """Run these commands alone (the lead wires them into ``emulation-rules``)."""
    parser = argparse.ArgumentParser(prog="emulation-rules")
    parser.add_argument("--folder", action="append", default=[], metavar="DIR")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_parser(sub)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except EmulationRulesError as exc:
        print(f"emulation-rules: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2


__all__ = ["add_parser", "recognition_text", "run"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
