"""The ``emulation-rules`` command: a thin layer over the library.

Exit codes: 0 when the command did its job (whatever the verdict), 2 with a one-line
message on bad input or usage (never a traceback). Errors read in the language ``--lang``
gives when the command line gives it, else in ``EMULATION_RULES_LANG`` (``vi`` or ``en``;
English when unset), so that scripts reading today's English messages keep them;
untranslated errors read in English.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn

from emulation_rules import pages
from emulation_rules.api import Library
from emulation_rules.cli import (
    awards,
    campaign,
    evaluate,
    impact,
    monitor,
    recognition,
    render,
    serve,
    testcases,
)
from emulation_rules.cli import diff as verdict_diff
from emulation_rules.cli.args import Parser, UsageError, error_language_of, iso_date, positive_int
from emulation_rules.errors import EmulationRulesError, error_language
from emulation_rules.evaluation.description import criterion_head, ruleset_head
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.fileio import write_text_atomic
from emulation_rules.loading.catalogue import is_yaml_name, with_folder
from emulation_rules.loading.schema import enumeration_format_schema, ruleset_format_schema
from emulation_rules.model.converter import converter


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = Parser(
        prog="emulation-rules",
        description="Emulation criteria of the Vietnamese public-security force as rule sets.",
    )
    parser.add_argument(
        "--folder",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own rule sets, beside the shipped ones (repeatable)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_list_and_show(sub)
    _add_evaluate(sub)
    _add_validate_and_schema(sub)
    impact.add_parser(sub)
    campaign.add_parser(sub)
    monitor.add_parser(sub)
    awards.add_parser(sub)
    recognition.add_parser(sub)
    testcases.add_parser(sub)
    verdict_diff.add_parser(sub)
    _add_docs(sub)
    serve.add_parser(sub)
    return parser


def _add_list_and_show(sub: Any) -> None:
    p = sub.add_parser("list", help="list the rule sets")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")

    p = sub.add_parser("show", help="show a rule set's criteria")
    p.add_argument("ruleset", help="a rule-set id or a path to a .yaml file")
    p.add_argument("--on", type=iso_date, help="date the rule set is in force (default: today)")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")


def _add_evaluate(sub: Any) -> None:
    p = sub.add_parser("evaluate", help="evaluate a unit (JSON) or units (JSON Lines)")
    p.add_argument("ruleset", help="a rule-set id or a path to a .yaml file")
    p.add_argument(
        "evidence",
        help="a .json file, a .jsonl file (one unit a line, read as a stream), or - for stdin",
    )
    p.add_argument("--on", type=iso_date, help="evaluation date (default: today)")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--format", choices=["table", "json", "markdown"], default="table")
    p.add_argument("--brief", action="store_true", help="no explanations (faster)")
    p.add_argument(
        "--form",
        choices=["expanded", "compact", "brief"],
        default="expanded",
        help="with --format json: the verdict's JSON form (expanded: self-contained; "
        "compact: for storage, read back through the rule set; brief: compact without "
        "explanations)",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on stderr for JSON Lines (auto: when stderr is a terminal)",
    )
    p.add_argument(
        "--jsonl",
        action="store_true",
        help="read the evidence as JSON Lines whatever its name (stdin: detected otherwise)",
    )
    p.add_argument(
        "--unknown-facts",
        choices=["error", "ignore", "report"],
        default="error",
        help="an evidence name the rule set does not read: an error (default), ignored, or "
        "ignored and listed in the verdict (ignored_facts)",
    )
    p.add_argument(
        "--keep-going",
        action="store_true",
        help="JSON Lines: a refused unit does not stop the run; its error is written in its "
        "place (an error record with --format json, else on stderr), a summary ends the run, "
        "and the exit status is 1 when any unit was refused",
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="evaluate JSON Lines in N processes (verdicts keep the input's order)",
    )


def _add_validate_and_schema(sub: Any) -> None:
    p = sub.add_parser("validate", help="check rule-set files; errors name file and line")
    p.add_argument("files", nargs="+", metavar="FILE")

    p = sub.add_parser("schema", help="JSON Schema of a rule set's evidence, or of the format")
    p.add_argument("ruleset", nargs="?", help="a rule-set id or path (omit with --format-schema)")
    p.add_argument("--on", type=iso_date)
    p.add_argument(
        "--format-schema",
        choices=["ruleset", "enumerations"],
        help="print the schema of the file format instead",
    )


def _add_docs(sub: Any) -> None:
    p = sub.add_parser("docs", help="write a reference page and an evidence schema per rule set")
    p.add_argument("--pages", default="docs/rulesets", metavar="DIR")
    p.add_argument("--schemas", default="rulesets/schema/evidence", metavar="DIR")
    p.add_argument("--check", action="store_true", help="only check that the files are current")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    given = sys.argv[1:] if argv is None else list(argv)
    lang = error_language_of(given)
    parser = build_parser()
    with error_language(lang):  # argparse's usage errors too (exit 2)
        args = parser.parse_args(given)
    try:
        with error_language(lang):
            return _dispatch(args)
    except EmulationRulesError as exc:  # UsageError included
        _fail(exc.text_in(lang))
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        _fail("đã dừng theo yêu cầu (bị ngắt)" if lang == "vi" else "interrupted")


def _fail(message: str) -> NoReturn:
    first = message.splitlines()[0] if message else "error"
    print(f"emulation-rules: error: {first}", file=sys.stderr)
    raise SystemExit(2)


def _library(args: argparse.Namespace, ruleset: str | None = None) -> Library:
    folders: list[str | Path | Traversable] = [Path(f) for f in args.folder]
    if ruleset and is_yaml_name(ruleset) and Path(ruleset).parent.is_dir():
        folders = with_folder(folders, Path(ruleset).parent)
    return Library(folders, unknown_facts=getattr(args, "unknown_facts", "error"))


def _dispatch(args: argparse.Namespace) -> int:
    return COMMANDS[args.command](args)


def _emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _list(args: argparse.Namespace) -> int:
    lib = _library(args)
    definitions = lib.definitions()
    if args.format == "json":
        _emit_json(
            [
                {
                    "id": d.id,
                    "version": d.version,
                    "sha256": d.sha256,
                    "title": converter.unstructure(d.title),
                    "applies_to": [k.value for k in d.applies_to],
                    "criteria": len(d.criteria),
                    "source": d.source.render(),
                }
                for d in definitions
            ]
        )
        return 0
    headers = (
        ("Mã", "Phiên bản", "Tiêu chí", "Tên")
        if args.lang == "vi"
        else ("Id", "Version", "Criteria", "Title")
    )
    rows = [[d.id, d.version, str(len(d.criteria)), d.title.get(args.lang)] for d in definitions]
    print(render.table(headers, rows))
    return 0


def _show(args: argparse.Namespace) -> int:
    lib = _library(args, args.ruleset)
    rs = lib.load(args.ruleset, on=args.on)
    if args.format == "json":
        _emit_json(_show_json(rs))
        return 0
    return _show_table(rs, args)


def _show_json(rs: RuleSet) -> dict[str, Any]:
    d = rs.definition
    return {
        **ruleset_head(rs),
        "policy": converter.unstructure(d.policy),
        "groups": converter.unstructure(d.groups),
        "parameters": {
            name: {
                **converter.unstructure(spec),
                "in_force": converter.unstructure(rs.parameters[name]),
            }
            for name, spec in d.parameters.items()
        },
        "facts": converter.unstructure(rs.facts),
        "criteria": [
            {
                **criterion_head(c),
                "condition": c.spec.condition,
                "let": dict(c.spec.let),
                "note": converter.unstructure(c.spec.note),
                "source": converter.unstructure(c.citation),
                "facts": list(c.facts),
                "parameters": list(c.parameters),
            }
            for c in d.criteria
        ],
    }


def _show_table(rs: RuleSet, args: argparse.Namespace) -> int:
    d = rs.definition
    lang = args.lang
    groups = {g.id: g for g in d.groups}
    head = [
        f"{d.id} {d.version} — {d.title.get(lang)}",
        f"{d.source.render(lang)}",
        f"sha256 {d.sha256}",
    ]
    headers = (
        ("Số", "Nhóm", "Tiêu chí", "Điều kiện")
        if lang == "vi"
        else ("No.", "Group", "Criterion", "Condition")
    )
    rows = [
        [
            c.id,
            str(groups[c.spec.group].number),
            c.spec.title.get(lang),
            c.spec.condition,
        ]
        for c in d.criteria
    ]
    if args.format == "markdown":
        print(f"## {head[0]}\n\n{head[1]}; {head[2]}\n")
        print(render.markdown_table(headers, rows))
    else:
        print("\n".join(head) + "\n")
        print(render.table(headers, rows, max_width=60))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    lib = _library(args, args.ruleset)
    rs = lib.load(args.ruleset, on=args.on)
    return evaluate.run(rs, args)


def _validate(args: argparse.Namespace) -> int:
    failed = []
    for file in args.files:
        try:
            lib = _library(args, file)
            d = lib.catalogue.check_file(file, read_all=True)
            dates = {d.effective.from_} | {
                v.from_
                for p in d.parameters.values()
                for v in p.values
                if v.from_ >= d.effective.from_
            }
            for day in sorted(dates):
                lib.compile(d, day)
        except EmulationRulesError as exc:
            failed.append(str(exc))
            print(f"{exc}", file=sys.stderr)
            continue
        print(
            f"ok: {file}: {d.id} {d.version}, {len(d.criteria)} criteria, sha256 {d.sha256[:12]}…"
        )
    if failed:
        raise SystemExit(2)
    return 0


def _docs(args: argparse.Namespace) -> int:
    files = pages.generate(_library(args), Path(args.pages), Path(args.schemas))
    outdated = pages.stale(files)
    if args.check:
        if outdated:
            raise UsageError(
                f"{len(outdated)} generated file(s) are stale, e.g. {outdated[0]}: "
                "run `emulation-rules docs`",
                message_vi=f"{len(outdated)} tệp sinh tự động đã cũ, ví dụ {outdated[0]}: "
                "chạy `emulation-rules docs`",
            )
        print(f"ok: {len(files)} generated files are current")
        return 0
    for path in outdated:
        write_text_atomic(path, files[path], parents=True)
    print(f"wrote {len(outdated)} of {len(files)} files")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.format_schema == "ruleset":
        _emit_json(ruleset_format_schema())
        return 0
    if args.format_schema == "enumerations":
        _emit_json(enumeration_format_schema())
        return 0
    if not args.ruleset:
        raise UsageError(
            "schema needs a RULESET, or --format-schema ruleset|enumerations",
            message_vi="schema cần một RULESET (bộ tiêu chí), hoặc --format-schema "
            "ruleset|enumerations",
        )
    rs = _library(args, args.ruleset).load(args.ruleset, on=args.on)
    _emit_json(rs.evidence_schema())
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": _list,
    "show": _show,
    "evaluate": _evaluate,
    "validate": _validate,
    "schema": _schema,
    "impact": impact.run,
    "campaign": campaign.run,
    "monitor": monitor.run,
    "awards": awards.run,
    "recognise": recognition.run,
    "report": recognition.run,
    "test": testcases.run,
    "diff": verdict_diff.run,
    "docs": _docs,
    "serve": serve.run,
}
"""What runs each command of :func:`build_parser`, by name."""

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
