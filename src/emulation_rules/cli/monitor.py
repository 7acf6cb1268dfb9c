"""The ``emulation-rules monitor`` command: replay a file of events through a campaign
monitor, print the alerts and the final indicator table.

``add_parser(subparsers)`` adds the command; ``run(args)`` runs it and returns the exit
code. Bad input (a malformed line, a bad event, an unknown campaign) raises
:class:`~emulation_rules.errors.EmulationRulesError` subclasses, which ``main()`` turns
into a one-line message naming the file, the line and the field, and exit code 2.

Without durable-rules installed, ``--engine auto`` (the default) runs the same generated
rules in Python and says so on stderr; ``--engine durable`` then exits 2 with the line
to install the ``streaming`` extra. Installed but not loadable (CPython 3.13), ``auto``
falls back to Python with one note on stderr, and ``durable`` exits 2 saying why.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.api import Library
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.loading import CampaignCatalogue, load_campaign_file
from emulation_rules.cli import render
from emulation_rules.cli.args import iso_date, parse_json, read_input, read_lines
from emulation_rules.errors import EngineFallbackWarning, MonitorError
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.fileio import write_text_atomic
from emulation_rules.formatting import date_text
from emulation_rules.loading.catalogue import is_yaml_name
from emulation_rules.model.converter import converter
from emulation_rules.monitor.alerts import KIND_TEXT, STATUS_TEXT, Alert
from emulation_rules.monitor.engine import INSTALL_HINT, durable_available
from emulation_rules.monitor.events import Event, parse_event
from emulation_rules.monitor.mapping import load_mapping
from emulation_rules.monitor.monitor import Monitor
from emulation_rules.monitor.views import UnitIndicators


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``monitor`` command to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "monitor", help="replay events (JSON Lines) through a live campaign monitor"
    )
    parser.add_argument("campaign", metavar="CAMPAIGN", help="a campaign id or a .yaml file")
    parser.add_argument("events", metavar="EVENTS.jsonl", help="one event a line, or - for stdin")
    parser.add_argument(
        "--ruleset", metavar="ID|FILE", help="the targets rule set (default: the plan's first)"
    )
    parser.add_argument(
        "--on",
        type=iso_date,
        metavar="DATE",
        help="the date the rule set is read for (default: the first event's date)",
    )
    parser.add_argument(
        "--until",
        type=iso_date,
        metavar="DATE",
        help="move the clock on to this date after the last event (closes what ends before)",
    )
    parser.add_argument("--issued", type=iso_date, metavar="DATE", help="issue date of the plan")
    parser.add_argument("--engine", choices=["auto", "durable", "python"], default="auto")
    parser.add_argument("--mapping", metavar="FILE", help="a monitor mapping file of your own")
    parser.add_argument(
        "--campaigns", action="append", default=[], metavar="DIR", help="your campaign plans"
    )
    parser.add_argument("--save", metavar="FILE", help="write the monitor's state (JSON) here")
    parser.add_argument(
        "--resume",
        metavar="FILE",
        help="start from a state written by --save (only the new alerts are printed)",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the ``monitor`` command; returns the exit code."""
    definition = _definition(args)
    events = _events(args.events)
    saved = _saved_state(args.resume) if args.resume else None
    ruleset = _ruleset(args, definition, events, saved)
    _engine_note(args.engine)
    monitor = _open_monitor(args, definition, ruleset, saved)
    with monitor:
        alerts, tables = _replay(args, monitor, events)
        if args.format == "json":
            _print_json(_json_report(definition, ruleset, monitor, alerts, tables))
            return 0
        _print_report(monitor, alerts, tables, args.lang)
    return 0


def _ruleset(
    args: argparse.Namespace,
    definition: CampaignDefinition,
    events: list[tuple[str, Event]],
    saved: dict[str, Any] | None,
) -> RuleSet:
    """The targets rule set: ``--ruleset``, else the saved state's, else the plan's
    first, read for the date :func:`_ruleset_date` gives."""
    library = Library([Path(f) for f in getattr(args, "folder", [])])
    return library.load(
        args.ruleset or _saved(saved, "ruleset", "id") or definition.spec.targets[0],
        on=_ruleset_date(args, definition, events, saved),
    )


def _engine_note(engine: str) -> None:
    """Say on stderr that the rules run in Python when ``auto`` finds no durable-rules."""
    if engine == "auto" and not durable_available():
        print(
            f"emulation-rules: note: durable-rules is not installed; the alerting rules run "
            f"in Python ({INSTALL_HINT})",
            file=sys.stderr,
        )


def _open_monitor(
    args: argparse.Namespace,
    definition: CampaignDefinition,
    ruleset: RuleSet,
    saved: dict[str, Any] | None,
) -> Monitor:
    """A new monitor, or one restored from ``saved`` (its errors naming the ``--resume``
    file); engine fallbacks are noted once on stderr."""
    options: dict[str, Any] = {
        "engine": args.engine,
        "mapping": load_mapping(args.mapping) if args.mapping else None,
        "issued_on": args.issued or _saved_date(saved, "issued_on"),
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EngineFallbackWarning)
        try:
            monitor = (
                Monitor.restore(saved, definition, ruleset, **options)
                if saved is not None
                else Monitor(definition, ruleset, **options)
            )
        except MonitorError as exc:
            if saved is None or not exc.path or exc.path[0] not in _STATE_PARTS:
                raise
            vi = f"{args.resume}: {exc.text_in('vi')}"
            raise MonitorError(f"{args.resume}: {exc.text_in('en')}", message_vi=vi) from None
    _notes(caught)
    return monitor


def _replay(
    args: argparse.Namespace, monitor: Monitor, events: list[tuple[str, Event]]
) -> tuple[tuple[Alert, ...], list[UnitIndicators]]:
    """Feed the events to ``monitor``, move its clock to ``--until`` and write ``--save``;
    the new alerts and the tables to show (closed phases', then the current one's)."""
    first = len(monitor.alerts)
    monitor.ingest_many((e for _, e in events), where=(w for w, _ in events))
    if args.until is not None:
        monitor.advance(args.until)
    alerts = monitor.alerts[first:]
    tables = _closed(monitor)
    if monitor.events_in_phase or not tables:
        tables.extend(monitor.indicators(explain=True))
    if args.save:
        write_text_atomic(args.save, json.dumps(monitor.save(), ensure_ascii=False, indent=1))
    return alerts, tables


def _json_report(
    definition: CampaignDefinition,
    ruleset: RuleSet,
    monitor: Monitor,
    alerts: tuple[Alert, ...],
    tables: list[UnitIndicators],
) -> dict[str, Any]:
    """The ``--format json`` output."""
    return {
        "campaign": definition.id,
        "ruleset": ruleset.id,
        "engine": monitor.engine,
        "clock": monitor.clock,
        "alerts": [converter.unstructure(a) for a in alerts],
        "indicators": [converter.unstructure(t) for t in tables],
        "engine_failures": list(monitor.engine_failures),
    }


def _print_report(
    monitor: Monitor, alerts: tuple[Alert, ...], tables: list[UnitIndicators], lang: str
) -> None:
    """Print the alerts and tables; the engine's failures go to stderr."""
    _print_alerts(alerts, lang)
    for table in tables:
        _print_table(table, lang, monitor.definition)
    for failure in monitor.engine_failures:
        print(f"emulation-rules: note: durable-rules worker: {failure}", file=sys.stderr)


_STATE_PARTS = ("format", "campaign", "ruleset", "state")
"""The parts of a saved state an error of ``Monitor.restore`` may name."""


def _notes(caught: list[warnings.WarningMessage]) -> None:
    """Print each engine fallback once on stderr; give the other warnings back."""
    printed: set[str] = set()
    for w in caught:
        if not issubclass(w.category, EngineFallbackWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        elif str(w.message) not in printed:
            printed.add(str(w.message))
            print(f"emulation-rules: note: {w.message}", file=sys.stderr)


def _saved_state(path: str) -> dict[str, Any]:
    """A state written by ``--save`` (checked further by ``Monitor.restore``)."""
    name, text = read_input(path)
    data = parse_json(text, name)
    if not isinstance(data, dict):
        raise MonitorError(
            f"{path}: not a saved monitor state (a JSON object)",
            message_vi=f"{path}: không phải trạng thái theo dõi đã lưu (một đối tượng JSON)",
        )
    return data


def _saved(saved: dict[str, Any] | None, part: str, key: str) -> str | None:
    """A text of the saved state's header (``ruleset.id``), if there is one."""
    section = saved.get(part) if saved is not None else None
    value = section.get(key) if isinstance(section, dict) else None
    return value if isinstance(value, str) else None


def _saved_date(saved: dict[str, Any] | None, key: str) -> date | None:
    value = saved.get(key) if saved is not None else None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        raise MonitorError(
            f"the saved state's {key} is not a date: {value!r}",
            message_vi=f"{key} của trạng thái đã lưu không phải là ngày: {value!r}",
        ) from None


def _ruleset_date(
    args: argparse.Namespace,
    definition: CampaignDefinition,
    events: list[tuple[str, Event]],
    saved: dict[str, Any] | None,
) -> date:
    """The date the rule set is read for: ``--on``, else the one the saved state was
    read for, else the first event's, else the start of the campaign."""
    given: date | None = args.on
    if given is not None:
        return given
    on = _saved(saved, "ruleset", "on")
    if on is not None:
        try:
            return date.fromisoformat(on)
        except ValueError:
            raise MonitorError(
                f"the saved state's ruleset.on is not a date: {on!r}",
                message_vi=f"ruleset.on của trạng thái đã lưu không phải là ngày: {on!r}",
            ) from None
    if events:
        return events[0][1].date
    return definition.phase_start(0, args.issued) or date.today()


def _closed(monitor: Monitor) -> list[UnitIndicators]:
    out: list[UnitIndicators] = []
    for phase in monitor.schedule.phases:
        out.extend(monitor.results(phase.id))
    return out


def _definition(args: argparse.Namespace) -> CampaignDefinition:
    name: str = args.campaign
    if is_yaml_name(name):
        return load_campaign_file(name)
    return CampaignCatalogue([Path(f) for f in args.campaigns]).get(name)


def _events(path: str) -> list[tuple[str, Event]]:
    name, lines = read_lines(path)
    out = []
    for n, line in lines:
        where = f"{name}:{n}"
        data = parse_json(line, name, line=n)
        out.append((where, parse_event(data, where=where)))
    return out


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _print_alerts(alerts: tuple[Alert, ...], lang: str) -> None:
    title = "Cảnh báo" if lang == "vi" else "Alerts"
    print(f"{title} ({len(alerts)})")
    kinds = {k: text.get(lang) for k, text in KIND_TEXT.items()}
    wide = max(render.width(k) for k in kinds.values())
    for a in alerts:
        kind = kinds[a.kind] + " " * (wide - render.width(kinds[a.kind]))
        print(f"{date_text(a.on, lang)}  {kind}  {a.criterion:<5}  {a.text.get(lang)}")
    print()


def _print_table(table: UnitIndicators, lang: str, definition: CampaignDefinition) -> None:
    if lang == "vi":
        state = "kết quả cuối đợt" if table.final else f"đến ngày {date_text(table.on, lang)}"
        headers = ("Chỉ tiêu", "Nội dung", "Tình trạng", "Lý do")
    else:
        state = "final" if table.final else f"as of {table.on}"
        headers = ("Target", "Title", "Status", "Reason")
    phase = definition.phase(table.phase).title.vi if lang == "vi" else table.phase
    print(f"{table.unit} — {phase} ({state})")
    rows = [
        [
            t.criterion,
            t.title.get(lang),
            STATUS_TEXT[t.status].get(lang),
            t.reason.get(lang).split(". ", 1)[-1],
        ]
        for t in table.targets
    ]
    print(render.table(headers, rows, max_width=50))
    print()
