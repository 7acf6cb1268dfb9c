"""The ``emulation-rules awards`` command: allocate the awards of a campaign round, and
decide a round over several units' proposals.

``awards allocate CAMPAIGN --round ROUND CANDIDATES.jsonl`` evaluates every candidate
against the eligibility rule set of each form of the round, fills the quotas and prints
each candidate's outcome with its reason (``--format md|html``: the printable
allocation). ``awards decide ROUND.json`` reads the proposals of several units to one
authority (see ``examples/province-round-interim.json``) and prints the authority's
decision, the cap applied once across them all. ``add_parser(subparsers)`` adds the command;
``run(args)`` runs it and returns the exit code. Bad input raises
:class:`~emulation_rules.errors.EmulationRulesError` subclasses, which ``main()`` turns
into a one-line message and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from emulation_rules.api import Library
from emulation_rules.awards import (
    Allocation,
    AllocationCatalogue,
    AllocationRound,
    Decision,
    Proposal,
    UnitRef,
    allocate,
    allocation_html,
    allocation_markdown,
    decide,
    decision_html,
    decision_markdown,
    propose,
    read_candidates,
)
from emulation_rules.awards.caps import cap_text
from emulation_rules.campaigns.loading import CampaignCatalogue
from emulation_rules.cli import render
from emulation_rules.cli.args import iso_date, read_input, read_lines
from emulation_rules.errors import FormatError
from emulation_rules.formatting import date_text
from emulation_rules.jsontext import loads
from emulation_rules.model.common import Text
from emulation_rules.model.converter import to_json

_OUTCOME_WORDS = {
    "proposed": ("đề nghị", "proposed"),
    "beyond_quota": ("ngoài số lượng", "beyond quota"),
    "not_eligible": ("không đủ điều kiện", "not eligible"),
    "undetermined": ("chưa xác định", "undetermined"),
}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``awards`` command and its ``allocate`` sub-command to ``subparsers``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "awards", help="awards: allocate a round's quotas among candidates, with reasons"
    )
    parser.add_argument(
        "--campaigns",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own campaign plans, beside the shipped ones (repeatable)",
    )
    parser.add_argument(
        "--allocations",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of your own allocation plans, beside the shipped ones (repeatable)",
    )
    sub = parser.add_subparsers(dest="awards_command", required=True, metavar="ACTION")
    p = sub.add_parser("allocate", help="rank the candidates of a round and fill its quotas")
    p.add_argument("campaign", metavar="CAMPAIGN", help="a campaign id")
    p.add_argument("--round", required=True, help="the round id (interim, final)")
    p.add_argument("candidates", metavar="CANDIDATES.jsonl", help="one candidate a line, or -")
    p.add_argument("--format", choices=["table", "json", "csv", "md", "html"], default="table")
    p.add_argument(
        "--on", type=iso_date, metavar="DATE", help="eligibility date (default: end of the phase)"
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    p.add_argument("--unit", metavar="NAME", help="the unit's name, printed in md and html")
    d = sub.add_parser(
        "decide", help="decide a round over several units' proposals (one cap for all)"
    )
    d.add_argument("round_file", metavar="ROUND.json", help="the proposals (see examples/)")
    d.add_argument("--format", choices=["table", "json", "md", "html"], default="table")
    d.add_argument("--lang", choices=["vi", "en"], default="vi")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run an ``awards`` sub-command; returns the exit code."""
    if args.awards_command == "decide":
        return _decide(args)
    return _allocate(args)


def _plans(args: argparse.Namespace) -> AllocationCatalogue:
    campaigns = CampaignCatalogue([Path(f) for f in args.campaigns])
    return AllocationCatalogue([Path(f) for f in args.allocations], campaigns=campaigns)


def _allocate(args: argparse.Namespace) -> int:
    award_round = _plans(args).round(args.campaign, args.round)
    name, lines = read_lines(args.candidates, blank=True)
    candidates = read_candidates((line for _, line in lines), name)
    library = Library([Path(f) for f in getattr(args, "folder", [])])
    result = allocate(award_round, candidates, on=args.on, library=library)
    if args.format == "json":
        print(to_json(result, indent=2))
    elif args.format == "csv":
        sys.stdout.write(to_csv(result, args.lang))
    elif args.format == "md":
        sys.stdout.write(
            allocation_markdown(result, lang=args.lang, round=award_round, unit=args.unit)
        )
    elif args.format == "html":
        sys.stdout.write(allocation_html(result, lang=args.lang, round=award_round, unit=args.unit))
    else:
        print(to_table(result, args.lang, award_round.spec.title))
    return 0


def _decide(args: argparse.Namespace) -> int:
    library = Library([Path(f) for f in getattr(args, "folder", [])])
    award_round, decision = read_round_file(args.round_file, _plans(args), library)
    if args.format == "json":
        print(to_json(decision, indent=2))
    elif args.format == "md":
        sys.stdout.write(decision_markdown(decision, lang=args.lang, round=award_round))
    elif args.format == "html":
        sys.stdout.write(decision_html(decision, lang=args.lang, round=award_round))
    else:
        print(to_table(decision.allocation, args.lang, award_round.spec.title, decision.form))
    return 0


_ROUND_FIELDS = {
    "campaign": ("the campaign id", "mã phong trào"),
    "round": ("the round id", "mã đợt khen thưởng"),
    "authority": ("the id of the authority that decides", "mã cấp có thẩm quyền quyết định"),
}


def read_round_file(
    path: str, plans: AllocationCatalogue, library: Library
) -> tuple[AllocationRound, Decision]:
    """Read a round file (``campaign``, ``round``, ``authority``, optional ``form``, and
    ``proposals``: ``unit``, ``name``, ``candidates`` — a JSON Lines file relative to the
    round file), make each unit's proposal and the authority's decision. A field missing
    or of the wrong type is a :class:`FormatError` naming it, in English and Vietnamese."""
    name, text = read_input(path)
    data = loads(text, where=name)
    if not isinstance(data, dict):
        raise _bad(name, (), "expected an object", "cần một đối tượng JSON")
    for key, (en, vi) in _ROUND_FIELDS.items():
        if not isinstance(data.get(key), str):
            raise _bad(name, (key,), f"expected {en} (a text)", f"cần {vi} (chữ)")
    award_round = plans.round(data["campaign"], data["round"])
    items = data.get("proposals")
    if not isinstance(items, list) or not items:
        raise _bad(name, ("proposals",), "expected a list of proposals", "cần danh sách đề nghị")
    base = Path(path).parent if path != "-" else Path()
    proposals = [
        _proposal(name, i, item, base, award_round, data["authority"], library)
        for i, item in enumerate(items)
    ]
    form = data.get("form")
    if form is not None and not isinstance(form, str):
        raise _bad(name, ("form",), "expected an award round id", "cần mã hình thức khen thưởng")
    decision = decide(
        award_round, proposals, authority=data["authority"], library=library, form=form
    )
    return award_round, decision


def _proposal(
    name: str,
    i: int,
    item: Any,
    base: Path,
    award_round: AllocationRound,
    authority: str,
    library: Library,
) -> Proposal:
    where = ("proposals", i)
    if not isinstance(item, dict):
        raise _bad(name, where, "expected an object", "cần một đối tượng JSON")
    for key, en, vi in (
        ("unit", "the unit's id", "mã đơn vị"),
        ("candidates", "the candidates' JSON Lines file", "tệp JSON Lines các ứng viên"),
    ):
        if not isinstance(item.get(key), str):
            raise _bad(name, (*where, key), f"expected {en} (a text)", f"cần {vi} (chữ)")
    unit_name = item.get("name")
    if unit_name is not None and not isinstance(unit_name, str):
        raise _bad(name, (*where, "name"), "expected the unit's name", "cần tên đơn vị (chữ)")
    file, lines = read_lines(str(base / item["candidates"]), blank=True)
    candidates = read_candidates((line for _, line in lines), file)
    unit = UnitRef(item["unit"], unit_name)
    return propose(award_round, candidates, unit=unit, authority=authority, library=library)


def _bad(name: str, path: tuple[str | int, ...], en: str, vi: str) -> FormatError:
    return FormatError(en, path=path, where=name, message_vi=vi)


def to_table(
    result: Allocation, lang: str, title: Text | None = None, decided: str | None = None
) -> str:
    """The allocation as a text table: a header, one line per form, one row per candidate.
    In Vietnamese the round reads as its ``title`` (when given) and a candidate as its
    name (when it has one), not as ids. ``decided`` names the form of a decision: its
    candidates read "được khen thưởng" (awarded), not "đề nghị"."""
    vi = lang == "vi"
    awards = {f.form: f.award.get(lang) for f in result.forms}
    day = date_text(result.evaluated_on, lang)
    if vi and title is not None:
        head = [f"{result.campaign} — {title.vi}, xét ngày {day}"]
    else:
        head = [
            f"{result.campaign} — {'đợt' if vi else 'round'} {result.round} "
            f"({result.review}), {'xét ngày' if vi else 'judged on'} {day}"
        ]
    for f in result.forms:
        for t in f.tallies:
            kind = _kind(t.kind.value, lang)
            if vi:
                cap = cap_text(t.quota, "vi")
                cap = cap if t.quota is None else f"số lượng {cap}"
                words = f"đủ điều kiện {t.eligible}/{t.considered}, đề nghị {t.proposed} ({cap})"
            else:
                cap = "no limit" if t.quota is None else f"quota {t.quota}"
                words = f"eligible {t.eligible} of {t.considered}, proposed {t.proposed}, {cap}"
            head.append(f"  {awards[f.form]} — {kind}: {words}")
    head += [f"  * {n.get(lang)}" for n in result.notes]
    headers = (
        ("Tập thể, cá nhân", "Loại", "Kết quả", "Hạng", "Lý do")
        if vi
        else ("Id", "Kind", "Outcome", "Rank", "Reason")
    )
    rows = [
        [
            (c.name or c.id) if vi else c.id,
            _kind(c.kind.value, lang),
            _outcome(c.outcome.value, c.form is not None and c.form == decided, vi),
            f"{c.rank}/{c.of}" if c.rank is not None else "",
            c.reason.get(lang),
        ]
        for c in result.candidates
    ]
    return "\n".join(head) + "\n\n" + render.table(headers, rows, max_width=70)


def to_csv(result: Allocation, lang: str) -> str:
    """The allocation as CSV: one row per candidate, in the result's order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "kind", "outcome", "form", "rank", "of", "reason"])
    for c in result.candidates:
        writer.writerow(
            [
                c.id,
                c.name or "",
                c.kind.value,
                c.outcome.value,
                c.form or "",
                "" if c.rank is None else c.rank,
                "" if c.of is None else c.of,
                c.reason.get(lang),
            ]
        )
    return out.getvalue()


def _outcome(outcome: str, awarded: bool, vi: bool) -> str:
    if awarded and outcome == "proposed":
        return "được khen thưởng" if vi else "awarded"
    return _OUTCOME_WORDS[outcome][0 if vi else 1]


def _kind(kind: str, lang: str) -> str:
    if kind == "collective":
        return "tập thể" if lang == "vi" else "collective"
    return "cá nhân" if lang == "vi" else "individual"
