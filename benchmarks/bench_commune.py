"""The shipped typical-commune (34 criteria, with its selection prerequisites) on 10,000
boundary-valued units, against a hand-written function and GoRules ZEN.

Units are varied from examples/commune-all-met.json (seeded): every numeric fact at, just
below or just above the thresholds its criteria compare it with, every date at the edges
of the first quarter and of the year, every rating just above, at or just below its
floor in any of its spellings, nine attestations out of ten true; one unit in ten is
drawn at or above every threshold (eligible), the others fail some criteria. Before timing, the
script checks that the engine, the hand-written function and (when installed) ZEN agree
on every criterion and prerequisite of every unit.

Printed, interleaved in rounds (see ``benchlib``): µs per unit of the hand-written
function, ``evaluate``, ``evaluate(explain=True)`` unread and read in full, with
``to_json``, ZEN with trace on and off; bytes per verdict JSON and ``to_json`` /
``from_json`` µs per verdict (brief and explained; the compact form when the library has
it); a unit with one misspelt fact against a valid one; ``evaluate_many(workers=N)`` when
the library has it; cold loads in fresh processes.

Run: ``python benchmarks/bench_commune.py [--units N] [--explained-units M] [--rounds R]``
(``--help`` for the other sizes).
ZEN is optional: ``pip install zen-engine`` (2.1.3 measured); not a project dependency.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import commune_criteria as cc
import emulation_rules as er
from bench_commune_extra import batches, cold_loads, json_section, unknown_fact
from benchlib import Contender, has_param, interleave, read_before, read_in_full, table

ROOT = Path(__file__).resolve().parent.parent
ON = date(2024, 12, 31)
NO_ZEN = "n/a (pip install zen-engine)"


def levels_of(rs: er.RuleSet) -> dict[str, cc.Levels]:
    """Every spelling of every level of the rule set's enumerations (data, not logic)."""
    out = {}
    for name, spec in rs.enumerations.items():
        spellings: dict[str, list[str]] = {lv.id: [lv.id, lv.vi, lv.en] for lv in spec.levels}
        for alias, level in spec.aliases.items():
            spellings[level].append(alias)
        ids = tuple(lv.id for lv in spec.levels)
        out[name] = cc.Levels(ids, {k: tuple(v) for k, v in spellings.items()})
    return out


def make_units(
    rows: list[tuple[str, list[cc.Part]]], n: int, seed: int = 15
) -> list[dict[str, Any]]:
    """``n`` units varied from the shipped example, every fact drawn at its boundaries;
    one unit in ten passes everything (its facts drawn again until every clause holds)."""
    example = json.loads((ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out = []
    for k in range(n):
        u = dict(example, unit_id=f"Xã thử {k}", assessment_year=rng.choice((2023, 2024, 2025)))
        while True:
            for _, parts in rows:
                for part in parts:
                    part.vary(u, rng)
                    while k % 10 == 0 and not part.py(u):
                        part.vary(u, rng)
            if k % 10 or all(p.py(u) for _, parts in rows for p in parts):
                break  # (two clauses read movement_class: the second may undo the first)
        out.append(u)
    return out


def engine_says(verdict: er.Verdict) -> tuple[bool, ...]:
    """Met or not, per criterion then per prerequisite criterion, as the verdict says."""
    crits = tuple(c.status is er.CriterionStatus.MET for c in verdict.criteria)
    (pre,) = verdict.prerequisites
    return crits + tuple(i not in pre.failed and i not in pre.missing for i in ("1", "2"))


def zen_model(rows: list[tuple[str, list[cc.Part]]]) -> dict[str, Any]:
    """A JDM decision: input → one expression node (one boolean per criterion) → output,
    generated from the hand-written table."""
    exprs = [
        {"id": f"e{name}", "key": f"c{name}", "value": " and ".join(f"({p.zen()})" for p in parts)}
        for name, parts in rows
    ]
    node = {
        "id": "criteria",
        "type": "expressionNode",
        "name": "criteria",
        "position": {"x": 1, "y": 0},
    }
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {**node, "content": {"expressions": exprs}},
            {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 2, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "criteria", "type": "edge"},
            {"id": "e2", "sourceId": "criteria", "targetId": "out", "type": "edge"},
        ],
    }


def zen_decision(rows: list[tuple[str, list[cc.Part]]]) -> Any:
    """The ZEN decision, or None when zen-engine is not installed."""
    try:
        import zen
    except ImportError:
        return None
    return zen.ZenEngine().create_decision(json.dumps(zen_model(rows), ensure_ascii=False))


def check_agreement(
    rs: er.RuleSet,
    rows: list[tuple[str, list[cc.Part]]],
    hand: Callable[[dict[str, Any]], tuple[bool, ...]],
    data: list[dict[str, Any]],
    decision: Any,
) -> tuple[int, int]:
    """Table, hand-written function, engine and ZEN agree everywhere. Returns (units
    eligible, criteria met) for the record."""
    eligible = met = 0
    keys = [f"c{name}" for name, _ in rows]
    for e in data:
        expected = tuple(all(p.py(e) for p in parts) for _, parts in rows)
        assert hand(e) == expected, (e, hand(e), expected)
        verdict = rs.evaluate(e)
        assert engine_says(verdict) == expected, (e, engine_says(verdict), expected)
        if decision is not None:
            result = decision.evaluate(e, {"trace": True})["result"]
            got = tuple(result[k] for k in keys)
            assert got == expected, (e, got, expected)
        eligible += verdict.status is er.Status.ELIGIBLE
        met += sum(expected[:34])
    return eligible, met


def contenders(
    rs: er.RuleSet,
    hand: Callable[[dict[str, Any]], tuple[bool, ...]],
    decision: Any,
    data: list[dict[str, Any]],
    slow: list[dict[str, Any]],
) -> list[Contender]:
    """The hand-written floor, the library's ways of evaluating a unit, and ZEN."""
    ev = rs.evaluate
    compact = has_param(er.to_json, "form")
    to_expanded = (lambda v: er.to_json(v, form="expanded")) if compact else er.to_json  # type: ignore[call-arg]

    def loop(fn: Callable[[Any], object]) -> Callable[[Sequence[Any]], None]:
        def run(items: Sequence[Any]) -> None:
            for e in items:
                fn(e)

        return run

    def zen(trace: bool) -> Callable[[Sequence[Any]], None] | None:
        return None if decision is None else loop(lambda e: decision.evaluate(e, {"trace": trace}))

    return [
        Contender("hand-written function (floor)", data, loop(hand)),
        Contender("`evaluate(u)`", data, loop(ev)),
        Contender(
            "`evaluate(u, explain=True)`, not read", slow, loop(lambda e: ev(e, explain=True))
        ),
        Contender(
            "`read_in_full` alone, on explained verdicts read before (the reader's own cost)",
            read_before(rs, slow),
            loop(read_in_full),
        ),
        Contender(
            "`evaluate(u, explain=True)`, read in full",
            slow,
            loop(lambda e: read_in_full(ev(e, explain=True))),
        ),
        Contender(
            "explained + `to_json` (expanded)",
            slow,
            loop(lambda e: to_expanded(ev(e, explain=True))),
        ),
        Contender(
            'brief + `to_json(form="compact")`',
            slow,
            loop(lambda e: er.to_json(ev(e), form="compact")) if compact else None,  # type: ignore[call-arg]
        ),
        Contender(
            'explained + `to_json(form="compact")`',
            slow,
            loop(lambda e: er.to_json(ev(e, explain=True), form="compact")) if compact else None,  # type: ignore[call-arg]
        ),
        Contender(
            "a stored brief verdict explained again, `rs.explain(v, u)`, read in full",
            [(ev(e), e) for e in slow],
            loop(lambda vu: read_in_full(rs.explain(*vu))) if hasattr(rs, "explain") else None,
        ),
        Contender("GoRules ZEN, trace on", slow, zen(True), NO_ZEN),
        Contender("GoRules ZEN, trace off", slow, zen(False), NO_ZEN),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument(
        "--explained-units",
        type=int,
        default=1_000,
        help="units timed with explanations, JSON or ZEN",
    )
    parser.add_argument(
        "--error-units", type=int, default=100, help="units timed with a misspelt fact"
    )
    parser.add_argument(
        "--json-units", type=int, default=100, help="verdicts timed through to_json and from_json"
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cold", type=int, default=5, help="fresh processes per cold load")
    args = parser.parse_args()
    lib = er.Library()
    rs = lib.load("typical-commune", on=ON)
    levels = levels_of(rs)
    example = json.loads((ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8"))
    names = tuple(o["name"] for o in example["socio_political_organisations"])
    rows = cc.table(levels, names)
    read = {f for _, parts in rows for p in parts for f in p.facts} | {"assessment_year"}
    assert read == set(rs.facts), set(rs.facts) ^ read  # the table reads every fact
    hand = cc.make_hand(levels)
    data = make_units(rows, args.units)
    slow = data[: args.explained_units]
    decision = zen_decision(rows)
    eligible, met = check_agreement(rs, rows, hand, data, decision)
    print(
        f"typical-commune {rs.version} + typical-prerequisites on {ON}: 34 criteria + 2 prerequisites, {len(rs.facts)} facts"
    )
    print(
        f"units: {len(data):,} boundary-valued (eligible: {eligible:,}; criteria met: "
        f"{met / (34 * len(data)):.0%}); the engine, the hand-written function and "
        f"{'ZEN' if decision is not None else 'the table'} agree on every criterion of every unit"
    )
    if decision is None:
        print(f"GoRules ZEN: {NO_ZEN}")
    print(f"{args.rounds} interleaved rounds\n")
    cs = contenders(rs, hand, decision, data, slow)
    print(table(cs, interleave(cs, args.rounds)))
    print()
    json_section(lib, rs, data[: args.json_units], args.rounds)
    print()
    unknown_fact(rs, data[: args.error_units], args.rounds)
    print()
    batches(rs, data, max(2, args.rounds // 2))
    print()
    cold_loads(ROOT, args.cold)


if __name__ == "__main__":
    main()
