"""The ``emulation-rules awards`` command: allocate the awards of a campaign round.

``awards allocate CAMPAIGN --round ROUND CANDIDATES.jsonl`` evaluates every candidate
against the eligibility rule set of each form of the round, fills the quotas and prints
each candidate's outcome with its reason. ``add_parser(subparsers)`` adds the command;
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
    allocate,
    read_candidates,
)
from emulation_rules.campaigns.loading import CampaignCatalogue
from emulation_rules.cli import render
from emulation_rules.cli.args import iso_date, read_lines
from emulation_rules.formatting import date_text
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
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument(
        "--on", type=iso_date, metavar="DATE", help="eligibility date (default: end of the phase)"
    )
    p.add_argument("--lang", choices=["vi", "en"], default="vi")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run an ``awards`` sub-command; returns the exit code."""
    return _allocate(args)


def _allocate(args: argparse.Namespace) -> int:
    on = args.on
    campaigns = CampaignCatalogue([Path(f) for f in args.campaigns])
    plans = AllocationCatalogue([Path(f) for f in args.allocations], campaigns=campaigns)
    award_round = plans.round(args.campaign, args.round)
    name, lines = read_lines(args.candidates, blank=True)
    candidates = read_candidates((line for _, line in lines), name)
    library = Library([Path(f) for f in getattr(args, "folder", [])])
    result = allocate(award_round, candidates, on=on, library=library)
    if args.format == "json":
        print(to_json(result, indent=2))
    elif args.format == "csv":
        sys.stdout.write(to_csv(result, args.lang))
    else:
        print(to_table(result, args.lang, award_round.spec.title))
    return 0


def to_table(result: Allocation, lang: str, title: Text | None = None) -> str:
    """The allocation as a text table: a header, one line per form, one row per candidate.
    In Vietnamese the round reads as its ``title`` (when given) and a candidate as its
    name (when it has one), not as ids."""
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
                cap = "không giới hạn" if t.quota is None else f"không quá {t.quota}"
                words = (
                    f"đủ điều kiện {t.eligible}/{t.considered}, "
                    f"đề nghị {t.proposed} (số lượng {cap})"
                )
            else:
                cap = "no limit" if t.quota is None else f"quota {t.quota}"
                words = f"eligible {t.eligible} of {t.considered}, proposed {t.proposed}, {cap}"
            head.append(f"  {awards[f.form]} — {kind}: {words}")
    headers = (
        ("Tập thể, cá nhân", "Loại", "Kết quả", "Hạng", "Lý do")
        if vi
        else ("Id", "Kind", "Outcome", "Rank", "Reason")
    )
    rows = [
        [
            (c.name or c.id) if vi else c.id,
            _kind(c.kind.value, lang),
            _OUTCOME_WORDS[c.outcome.value][0 if vi else 1],
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


def _kind(kind: str, lang: str) -> str:
    if kind == "collective":
        return "tập thể" if lang == "vi" else "collective"
    return "cá nhân" if lang == "vi" else "individual"
