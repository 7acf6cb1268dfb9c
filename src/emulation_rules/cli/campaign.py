"""The ``emulation-rules campaign`` command: show, timeline and diagram a campaign plan;
with ``--db FILE`` start, submit, advance and log stored instances.

``add_parser(subparsers)`` adds the command; ``run(args)`` runs it and returns the exit
code. Bad input raises :class:`~emulation_rules.errors.EmulationRulesError` subclasses,
which ``main()`` turns into a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.diagram import to_dot, to_mermaid
from emulation_rules.campaigns.lifecycle import Permission
from emulation_rules.campaigns.loading import CampaignCatalogue, load_campaign_file
from emulation_rules.campaigns.steps import STEPS, TRIGGERS
from emulation_rules.campaigns.store import SqliteCampaignStore
from emulation_rules.campaigns.wording import (
    DEADLINE_STATUS_TEXT,
    TIMELINE_HEADINGS,
    TIMELINE_KIND_TEXT,
    deadline_text,
    state_text,
)
from emulation_rules.cli import render
from emulation_rules.cli.args import iso_date
from emulation_rules.errors import CampaignError, NotFoundError
from emulation_rules.formatting import date_text
from emulation_rules.loading.catalogue import is_yaml_name
from emulation_rules.model.converter import converter


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``campaign`` command and its sub-commands to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "campaign", help="campaign plans: state, deadlines, timeline, diagram, stored instances"
    )
    parser.add_argument(
        "--campaigns",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own campaign plans, beside the shipped ones (repeatable)",
    )
    sub = parser.add_subparsers(dest="campaign_command", required=True, metavar="ACTION")

    _add_plan_actions(sub)
    _add_store_actions(sub)
    return parser


def _definition_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("campaign", metavar="FILE|ID", help="a campaign id or a .yaml file")
    p.add_argument("--cycle", type=int, help="the year of a yearly programme")
    p.add_argument(
        "--issued",
        type=iso_date,
        metavar="DATE",
        help="issue date (plans that start on issuance)",
    )


def _add_plan_actions(sub: Any) -> None:
    """The actions on a plan: show, timeline, diagram."""
    p = sub.add_parser("show", help="state, current phase and deadlines on a date")
    _definition_args(p)
    p.add_argument("--on", type=iso_date, metavar="DATE", help="the date (default: today)")
    p.add_argument("--db", metavar="FILE", help="show a stored instance (with --instance)")
    p.add_argument("--instance", metavar="ID")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")

    p = sub.add_parser("timeline", help="the plan's dates in order")
    _definition_args(p)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")

    p = sub.add_parser("diagram", help="the lifecycle as Mermaid or DOT text")
    _definition_args(p)
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--instance", metavar="ID", help="highlight the state of a stored instance")
    p.add_argument("--store", "--db", dest="db", metavar="FILE", help="the store of --instance")


def _add_store_actions(sub: Any) -> None:
    """The actions on a stored instance: start, submit, advance, log."""
    p = sub.add_parser("start", help="store a new instance (optionally issued and launched)")
    _definition_args(p)
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--on", type=iso_date, metavar="DATE", help="creation date (default: today)")
    p.add_argument("--launched", type=iso_date, metavar="DATE", help="launch date (needs --issued)")
    p.add_argument("--by", default="cli")

    p = sub.add_parser("submit", help="record a report sent")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("report", metavar="REPORT")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument(
        "--on", type=iso_date, metavar="DATE", help="the day it was sent (default: today)"
    )
    p.add_argument("--by", default="cli")
    p.add_argument("--note")

    p = sub.add_parser("fire", help="fire a trigger on a stored instance (see show)")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("trigger", choices=TRIGGERS, metavar="TRIGGER", help=", ".join(TRIGGERS))
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--on", type=iso_date, metavar="DATE", help="the day (default: today)")
    p.add_argument("--by", default="cli")
    p.add_argument("--note")
    for name in dict.fromkeys(n for step in STEPS for n in step.params):  # from the table
        kind = int if name in ("collectives", "individuals") else str
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, type=kind)

    p = sub.add_parser("advance", help="perform the transitions the calendar implies")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--to", type=iso_date, metavar="DATE", help="up to this date (default: today)")

    p = sub.add_parser("log", help="the audit log of a stored instance")
    p.add_argument("instance", metavar="INSTANCE")
    p.add_argument("--db", required=True, metavar="FILE")
    p.add_argument("--format", choices=["table", "json"], default="table")


def run(args: argparse.Namespace) -> int:
    """Run a ``campaign`` sub-command; returns the exit code."""
    action = args.campaign_command
    handlers = {
        "show": _show,
        "timeline": _timeline,
        "diagram": _diagram,
        "start": _start,
        "submit": _submit,
        "advance": _advance,
        "fire": _fire,
        "log": _log,
    }
    return handlers[action](args)


# -- helpers ------------------------------------------------------------------------------
def _date(value: date | None) -> date:
    """An optional date argument (already parsed by :func:`iso_date`), today by default."""
    return date.today() if value is None else value


def _catalogue(args: argparse.Namespace) -> CampaignCatalogue:
    return CampaignCatalogue([Path(f) for f in args.campaigns])


def _definition(args: argparse.Namespace, name: str | None = None) -> CampaignDefinition:
    name = name or args.campaign
    definition = load_campaign_file(name) if is_yaml_name(name) else _catalogue(args).get(name)
    cycle = getattr(args, "cycle", None)
    if cycle is not None:
        definition = definition.for_cycle(cycle)
    elif definition.spec.cycle is not None:
        definition = definition.for_cycle(definition.spec.cycle.first_year)
    return definition


def _stored_definition(args: argparse.Namespace, definition_id: str) -> CampaignDefinition:
    catalogue = _catalogue(args)
    try:
        return catalogue.get(definition_id)
    except NotFoundError:
        base, _, year = definition_id.rpartition("-")
        if base and year.isdigit():
            return catalogue.get(base).for_cycle(int(year))
        raise


def _calendar_view(args: argparse.Namespace, definition: CampaignDefinition, on: date) -> Campaign:
    """An instance issued and launched on the plan's date (or --issued), advanced to ``on``."""
    issued: date | None = args.issued
    if issued is None:
        issued = definition.spec.source.date or definition.phase_start(0, None)
    if issued is None:
        raise CampaignError(
            f"{definition.id} starts on issuance: give the issue date with --issued",
            message_vi=f"{definition.id} bắt đầu từ ngày ban hành kế hoạch: ghi ngày ban hành "
            "bằng --issued",
        )
    # the view's instance is created on the earlier of both dates, but not before the plan's
    # dated window opens (a view of a day long before the plan is the plan in draft)
    campaign = Campaign.new(
        definition, "calendar", on=max(min(issued, on), definition.dated_window()[0])
    )
    if on >= issued:
        campaign.issue(on=issued)
        campaign.launch(on=issued)
        campaign.advance(to=on)
    return campaign


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# -- sub-commands ---------------------------------------------------------------------------
def _show(args: argparse.Namespace) -> int:
    on = _date(args.on)
    if args.db:
        if not args.instance:
            raise CampaignError(
                "show --db needs --instance ID",
                message_vi="show --db cần --instance ID (mã phong trào đã lưu)",
            )
        with SqliteCampaignStore(args.db, create=False) as store:
            data = store.load(args.instance)
        definition = _definition(args)
        if data.definition_id != definition.id:
            raise CampaignError(
                f"instance {args.instance!r} in {args.db} is an instance of campaign "
                f"{data.definition_id}, not of {definition.id}",
                message_vi=f"{args.instance!r} trong {args.db} là một lần triển khai của phong "
                f"trào {data.definition_id}, không phải của {definition.id}",
            )
        campaign = Campaign(definition, data)
    else:
        definition = _definition(args)
        campaign = _calendar_view(args, definition, on)
    phase = campaign.phase_on(on)
    deadlines = campaign.deadlines(on=on)
    lang = args.lang
    if args.format == "json":
        _print_json(
            {
                "campaign": definition.id,
                "on": on.isoformat(),
                "state": campaign.state,
                "phase": phase.id if phase else None,
                "authority_exists": definition.authority_valid_on(on),
                "deadlines": converter.unstructure(deadlines),
                "available": [_permission_data(p) for p in campaign.available(on=on)],
            }
        )
        return 0
    _print_show(definition, campaign, on, lang)
    return 0


def _print_show(definition: CampaignDefinition, campaign: Campaign, on: date, lang: str) -> None:
    """``campaign show`` as text: in Vietnamese, titles and words instead of ids."""
    vi = lang == "vi"
    phase = campaign.phase_on(on)
    print(definition.spec.title.vi if vi else f"{definition.id} — {definition.spec.title.en}")
    if vi:
        state = state_text(definition, campaign.state).vi
        print(f"Ngày: {date_text(on, lang)}   Trạng thái: {state}")
        print(f"Đợt: {phase.title.vi if phase else '—'}")
    else:
        print(f"On: {date_text(on, lang)}   state: {campaign.state}")
        print(f"Phase: {f'{phase.id} ({phase.title.en})' if phase else '—'}")
    if not definition.authority_valid_on(on):
        authority = definition.spec.authority
        until = date_text(authority.valid_until, lang) if authority.valid_until else "—"
        words = "hoạt động đến hết ngày" if vi else "until"
        print(f"! {authority.name.get(lang)}: {words} {until}")
    deadlines = campaign.deadlines(on=on)
    if deadlines:
        headers = (
            ("Báo cáo", "Hạn", "Ngày cuối", "Tình trạng")
            if vi
            else ("Report", "Deadline", "Last day", "Status")
        )
        rows = [
            [
                d.title.vi if vi else d.report,
                deadline_text(definition.report(d.report).reading, d.due).vi if vi else d.wording,
                date_text(d.last_day, lang),
                DEADLINE_STATUS_TEXT[d.status].get(lang),
            ]
            for d in deadlines
        ]
        print(render.table(headers, rows))
    _print_available(definition, campaign.available(on=on), lang)


def _permission_data(p: Permission) -> dict[str, object]:
    return {
        "trigger": p.trigger,
        "allowed": p.allowed,
        "choices": list(p.choices),
        "guard": p.guard,
        "reason_vi": p.reason("vi") or None,
        "reason_en": p.reason("en") or None,
    }


def _choice_text(definition: CampaignDefinition, ident: str) -> str:
    """A report or award round a step may be fired for, by its Vietnamese title."""
    for report in definition.spec.reports:
        if report.id == ident:
            return report.title.vi
    for award in definition.spec.award_rounds:
        if award.id == ident:
            return f"{award.award.vi} ({award.authority.vi})"
    return ident


def _print_available(
    definition: CampaignDefinition, permissions: list[Permission], lang: str
) -> None:
    """What may be done now: each step's words (vi) or trigger (en), yes or why not."""
    vi = lang == "vi"
    headers = ("Thao tác", "Được làm?", "Lý do") if vi else ("Trigger", "Allowed", "Why not")
    rows = []
    for p in permissions:
        if p.allowed:
            yes = "Có" if vi else "yes"
            why = "; ".join(_choice_text(definition, c) if vi else c for c in p.choices)
        else:
            yes = "Không" if vi else f"no ({p.guard})"
            why = p.reason(lang)
            why = why[:1].upper() + why[1:]
        rows.append([p.label.vi if vi else p.trigger, yes, why])
    print(render.table(headers, rows, max_width=70))


def _timeline(args: argparse.Namespace) -> int:
    definition = _definition(args)
    issued: date | None = args.issued
    campaign = Campaign.new(definition, "timeline", on=issued or definition.dated_window()[0])
    if issued is not None:
        campaign.issue(on=issued)
    entries = campaign.timeline()
    if args.format == "json":
        _print_json(converter.unstructure(entries))
        return 0
    lang = args.lang
    rows = [
        [
            date_text(e.day, lang) if e.day else "?",
            TIMELINE_KIND_TEXT[e.kind].get(lang),
            *([] if lang == "vi" else [e.ref]),
            e.title.get(lang),
        ]
        for e in entries
    ]
    print(render.table(TIMELINE_HEADINGS[lang], rows, max_width=70))
    return 0


def _diagram(args: argparse.Namespace) -> int:
    current = None
    if args.instance:
        if not args.db:
            raise CampaignError(
                "diagram --instance needs --store FILE",
                message_vi="diagram --instance cần --store TỆP",
            )
        with SqliteCampaignStore(args.db, create=False) as store:
            data = store.load(args.instance)
        definition = _stored_definition(args, data.definition_id)
        current = Campaign(definition, data).state
    else:
        definition = _definition(args)
    draw = to_mermaid if args.format == "mermaid" else to_dot
    print(draw(definition, lang=args.lang, current=current), end="")
    return 0


def _start(args: argparse.Namespace) -> int:
    definition = _definition(args)
    on = _date(args.on)
    campaign = Campaign.new(definition, args.instance, on=on, by=args.by)
    if args.issued:
        campaign.issue(on=_date(args.issued), by=args.by)
    if args.launched:
        if not args.issued:
            raise CampaignError(
                "--launched needs --issued",
                message_vi="--launched cần có --issued (ngày ban hành kế hoạch)",
            )
        campaign.launch(on=_date(args.launched), by=args.by)
    with SqliteCampaignStore(args.db) as store:
        store.create(campaign.to_state())
    print(f"started {args.instance}: {definition.id}, state {campaign.state}")
    return 0


def _submit(args: argparse.Namespace) -> int:
    on = _date(args.on)
    with SqliteCampaignStore(args.db, create=False) as store:
        definition = _stored_definition(args, store.load(args.instance).definition_id)
        entry = store.update(
            definition,
            args.instance,
            lambda c: c.submit_report(args.report, on=on, by=args.by, note=args.note),
        )
    print(f"{args.instance}: report {entry.subject} submitted on {entry.on}")
    return 0


def _fire(args: argparse.Namespace) -> int:
    on = _date(args.on)
    step = next(s for s in STEPS if s.trigger == args.trigger)
    given = {n: getattr(args, n) for n in step.params if getattr(args, n) is not None}
    with SqliteCampaignStore(args.db, create=False) as store:
        definition = _stored_definition(args, store.load(args.instance).definition_id)
        entry = store.update(
            definition,
            args.instance,
            lambda c: c.trigger(args.trigger, on=on, by=args.by, note=args.note, **given),
        )
    print(f"{args.instance}: {entry.trigger} {entry.source} → {entry.dest} ({entry.on})")
    return 0


def _advance(args: argparse.Namespace) -> int:
    to = _date(args.to)
    with SqliteCampaignStore(args.db, create=False) as store:
        definition = _stored_definition(args, store.load(args.instance).definition_id)
        done = store.update(definition, args.instance, lambda c: c.advance(to=to))
    for t in done:
        print(f"{t.on} {t.trigger}: {t.source} → {t.dest} (recorded {t.recorded_on})")
    if not done:
        print(f"{args.instance}: nothing to do up to {to}")
    return 0


def _log(args: argparse.Namespace) -> int:
    with SqliteCampaignStore(args.db, create=False) as store:
        entries = store.log(args.instance)
    if args.format == "json":
        _print_json(converter.unstructure(entries))
        return 0
    rows = [
        [
            str(t.seq),
            t.on.isoformat(),
            t.recorded_on.isoformat() if t.recorded_on else "",
            t.by,
            t.trigger,
            t.source,
            t.dest,
            t.subject or "",
            t.note or "",
        ]
        for t in entries
    ]
    headings = ("#", "Effective", "Recorded", "By", "Trigger", "From", "To", "Subject", "Note")
    print(render.table(headings, rows))
    return 0
