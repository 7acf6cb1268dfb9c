"""The ``evaluate`` command's units: read as a stream, evaluated (in this process or a
pool of ``--workers``), written as they come.

A ``.jsonl`` file (or any input with ``--jsonl``) is read line by line, never whole, and
each verdict is written as soon as it is made (in input order), so memory stays flat
whatever the number of units. Standard input (``-``) is JSON Lines when its first
non-blank line is a complete JSON value and another non-blank line follows (a
pretty-printed document's first line, ``{``, is not a value on its own); otherwise it is
one JSON document, read whole as before.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import attrs

from emulation_rules.cli import render
from emulation_rules.cli.args import UsageError, parse_json, read_input, read_lines
from emulation_rules.errors import (
    EmulationRulesError,
    ErrorLanguage,
    EvaluationError,
    EvidenceError,
    Problem,
    brief,
    format_path,
)
from emulation_rules.evaluation.batch import ordered_map
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.compact import Form
from emulation_rules.model.converter import to_data, to_json

Record = tuple[str, int | None, str]
"""One unit's text: the source's name, its line (``None`` for a whole document), the text."""


@attrs.frozen
class Output:
    """How verdicts are written (sent to the workers with each chunk)."""

    explain: bool
    format: str
    lang: str
    many: bool
    form: Form = "expanded"


def run(rs: RuleSet, args: argparse.Namespace) -> int:
    """Evaluate ``args.evidence`` against ``rs`` and write the verdicts to stdout."""
    many, records = units(args.evidence, jsonl=args.jsonl)
    if args.form != "expanded" and args.format != "json":
        raise UsageError(
            f"--form {args.form} is a JSON form: use it with --format json",
            message_vi=f"--form {args.form} là một dạng JSON: dùng kèm --format json",
        )
    output = Output(not args.brief, args.format, args.lang, many, args.form)
    show = many and (args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty()))
    progress = _Progress(sys.stderr, _count(args.evidence)) if show else None
    workers = args.workers if many else None
    if getattr(args, "keep_going", False):
        return _keep_going(rs, output, records, workers, progress)
    texts = ordered_map(rs, partial(render_unit, output), records, workers=workers)
    for done, text in enumerate(texts, start=1):
        sys.stdout.write(text)
        if progress is not None:
            progress.update(done)
    if progress is not None:
        progress.finish()
    return 0


def _keep_going(
    rs: RuleSet,
    output: Output,
    records: Iterator[Record],
    workers: int | None,
    progress: _Progress | None,
) -> int:
    """Every unit, a bad one written as an error record (JSON) or on stderr (tables) in
    its place; a summary on stderr at the end; 1 when any unit failed."""
    failed: list[str] = []
    done = 0
    results = ordered_map(rs, partial(render_or_record, output), records, workers=workers)
    for done, (text, error) in enumerate(results, start=1):
        sys.stdout.write(text)
        if error is not None:
            failed.append(error)
            if output.format != "json":
                print(f"emulation-rules: error: {error}", file=sys.stderr)
        if progress is not None:
            progress.update(done)
    if progress is not None:
        progress.finish()
    print(
        f"emulation-rules: {done} unit(s), {done - len(failed)} evaluated, {len(failed)} refused",
        file=sys.stderr,
    )
    return 1 if failed else 0


def render_or_record(output: Output, rs: RuleSet, record: Record) -> tuple[str, str | None]:
    """:func:`render_unit`, or for a unit refused the error record to write in its place
    (JSON output: ``{"error": {"source", "line", "unit", "message", "problems"}}``) and the
    one-line message."""
    error: EmulationRulesError
    try:
        return render_unit(output, rs, record), None
    except UnitRefused as exc:
        error, problems, unit = exc, exc.problems, exc.unit
    except EmulationRulesError as exc:  # JSON that does not parse
        error, problems, unit = exc, [], None
    if output.format != "json":
        return "", str(error)  # the error language: the command's --lang
    message = error.text_in("en")  # records keep English (JSON for programs)
    name, line, _ = record
    data = {
        "error": {
            "source": name,
            "line": line,
            "unit": unit,
            "message": message,
            "problems": [{"path": format_path(p.path), "message": p.message} for p in problems],
        }
    }
    return json.dumps(data, ensure_ascii=False) + "\n", str(error)


class UnitRefused(UsageError):
    """A unit whose evidence was refused (or whose evaluation failed): the one-line
    message, and the problems and unit id for an error record."""

    def __init__(
        self,
        message: str,
        *,
        problems: list[Problem],
        unit: str | None,
        message_vi: str | None = None,
    ) -> None:
        super().__init__(message, message_vi=message_vi)
        self.problems = problems
        self.unit = unit


def units(path: str, *, jsonl: bool = False) -> tuple[bool, Iterator[Record]]:
    """Whether the input holds many units (JSON Lines), and their texts, lazily."""
    if jsonl or path.endswith(".jsonl"):
        name, lines = read_lines(path)
        return True, ((name, n, line) for n, line in lines)
    if path == "-":
        name, lines = read_lines(path, blank=True)
        return _sniffed(name, lines)
    name, text = read_input(path)
    return False, iter([(name, None, text)])


def _sniffed(name: str, lines: Iterator[tuple[int, str]]) -> tuple[bool, Iterator[Record]]:
    head: list[str] = []
    first: tuple[int, str] | None = None
    for n, line in lines:
        head.append(line)
        if line.strip():
            first = (n, line)
            break
    if first is not None and _is_value(first[1]):
        for n, line in lines:
            head.append(line)
            if line.strip():
                rest = ((name, m, text) for m, text in lines if text.strip())
                return True, itertools.chain([(name, *first), (name, n, line)], rest)
        return False, iter([(name, None, "".join(head))])
    return False, iter([(name, None, "".join(head) + "".join(line for _, line in lines))])


def _is_value(line: str) -> bool:
    """Whether a line is a complete JSON value on its own (its content is checked later,
    by the library's reader)."""
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


def render_unit(output: Output, rs: RuleSet, record: Record) -> str:
    """One unit's verdict as the text to write (in a worker, or in this process)."""
    name, line, text = record
    evidence = parse_json(text, name, line=line)
    where = name if line is None else f"{name}:{line}"
    verdict = _one(rs, evidence, where, explain=output.explain)
    if output.format == "json":
        if output.many:
            return to_json(verdict, form=output.form) + "\n"
        data = to_data(verdict, form=output.form)
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if output.format == "markdown":
        return render.verdict_markdown(verdict, output.lang, rs) + "\n"
    return render.verdict_table(verdict, output.lang, rs) + "\n"


def _one(rs: RuleSet, evidence: Any, where: str, *, explain: bool) -> Any:
    try:
        return rs.evaluate(evidence, explain=explain)
    except EvidenceError as exc:
        vi = f"{where}: {_refused(exc, 'vi')}" if exc.translated else None
        raise UnitRefused(
            f"{where}: {_refused(exc, 'en')}",
            problems=list(exc.problems),
            unit=exc.unit,
            message_vi=vi,
        ) from None
    except EvaluationError as exc:  # e.g. a division by zero: name the line and the unit
        unit = evidence.get("unit_id") if isinstance(evidence, dict) else None
        of_unit = f" (unit {brief(unit)})" if unit is not None else ""
        of_unit_vi = f" (đơn vị {brief(unit)})" if unit is not None else ""
        english = exc.text_in("en")
        vi = f"{where}{of_unit_vi}: {exc.text_in('vi')}" if exc.translated else None
        raise UnitRefused(
            f"{where}{of_unit}: {english}",
            problems=[Problem((), english, message_vi=vi and exc.text_in("vi"))],
            unit=unit if isinstance(unit, str) else None,
            message_vi=vi,
        ) from None


def _refused(exc: EvidenceError, lang: ErrorLanguage) -> str:
    """The first problem of refused evidence and up to three more, in ``lang``."""
    first = exc.problems[0] if exc.problems else None
    if first is None:
        return exc.text_in(lang)
    message = first.message_vi if lang == "vi" and first.message_vi else first.message
    rest = "; ".join(p.text_in(lang) for p in exc.problems[1:4])
    n = len(exc.problems) - 1
    more = ""
    if n:
        more = f" (và {n} lỗi khác: {rest})" if lang == "vi" else f" (and {n} more: {rest})"
    where = format_path(first.path)  # empty for the evidence as a whole
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def _count(path: str) -> int | None:
    """The number of units of a JSON Lines file, for the progress bar (a quick pass over
    its bytes); unknown for standard input."""
    if path == "-":
        return None
    try:
        with Path(path).open("rb") as f:
            return sum(1 for line in f if line.strip())
    except OSError:
        return None


class _Progress:
    def __init__(self, stream: TextIO, total: int | None) -> None:
        self.stream = stream
        self.total = total

    def update(self, done: int) -> None:
        if done % 100 and done != self.total:
            return
        if self.total is None:
            self.stream.write(f"\r{done}")
        else:
            frac = done / self.total if self.total else 1.0
            bar = "#" * int(frac * 30)
            self.stream.write(f"\r[{bar:<30}] {done}/{self.total}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
