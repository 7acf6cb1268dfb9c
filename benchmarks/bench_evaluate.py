"""Microseconds per unit: 10,000 synthetic units on a 34-criterion rule set.

Prints, in one run, interleaved in rounds (see ``benchlib``): a hand-written Python
function of the same 34 conditions (the floor), ``evaluate(u)``, ``evaluate(u,
explain=True)`` without reading the verdict and with the verdict read in full
(``read_in_full``: what a lazy explanation must build; the reading alone, on verdicts
read before, is its own line), the explained verdict serialised
(``to_json``, the expanded form), and, when the library has it, the compact JSON form of
brief and explained verdicts. Per contender: best round and range in µs per unit, and
the ratio to the floor measured in the same round.
Run: ``python benchmarks/bench_evaluate.py [--units N] [--explained-units M] [--rounds R]``.

The rule set mixes what real criteria hold: counts against parameters, exact
percentages, a reduction computed with ``let``, ordered ratings, booleans, dates, and a
list of monthly team records read with ``all``. Every unit has all its facts (the fast
path); a tenth of the units fail some criterion. The script checks that the engine and
the hand-written function agree on every criterion of every unit before timing."""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import emulation_rules as er
from benchlib import Contender, has_param, interleave, read_before, read_in_full, table

RATINGS = ["excellent", "good", "done", "not_done"]
RANK = {name: 4 - i for i, name in enumerate(RATINGS)}

HEADER = """\
id: bench-34
version: "1"
title: {vi: Bộ 34 tiêu chí đo hiệu năng, en: 34-criterion benchmark}
description: {vi: Sinh tự động., en: Generated.}
source: {document: BENCH/1, date: 2022-12-28}
applies_to: [commune]
effective: {from: 2022-01-01}
parameters:
  reduction: {type: percentage, value: 5%, label: {vi: Mức giảm, en: Reduction}, source: {document: BENCH/1}}
  share: {type: percentage, value: 80%, label: {vi: Tỷ lệ, en: Share}, source: {document: BENCH/1}}
  minimum: {type: integer, value: 2, label: {vi: Tối thiểu, en: Minimum}, source: {document: BENCH/1}}
  deadline: {type: date, value: 2024-03-31, label: {vi: Hạn, en: Deadline}, source: {document: BENCH/1}}
groups:
  - {id: g, number: 1, title: {vi: Nhóm, en: Group}}
facts:
  teams:
    type: list
    label: {vi: Tổ, en: Teams}
    fields:
      deeds: {type: integer, label: {vi: Việc tốt, en: Good deeds}}
      commended: {type: integer, label: {vi: Khen, en: Commended}}
"""


def _criteria() -> list[tuple[str, dict[str, str], str, Callable[[dict[str, Any]], bool]]]:
    """(kind, facts, condition, hand-written check) for each of the 34 criteria."""
    out: list[tuple[str, dict[str, str], str, Callable[[dict[str, Any]], bool]]] = []
    for i in range(8):  # reduction with a let: crimes <= previous * (1 - 5%)
        out.append(
            (
                "reduction",
                {f"c{i}": "integer", f"p{i}": "integer"},
                f"c{i} <= p{i} * (1 - reduction)",
                lambda e, i=i: e[f"c{i}"] <= e[f"p{i}"] * Decimal("0.95"),
            )
        )
    for i in range(6):  # percentages
        out.append(
            ("share", {f"s{i}": "percentage"}, f"s{i} >= share", lambda e, i=i: e[f"s{i}"] >= 80)
        )
    for i in range(6):  # counts
        out.append(
            ("count", {f"n{i}": "integer"}, f"n{i} >= minimum", lambda e, i=i: e[f"n{i}"] >= 2)
        )
    for i in range(6):  # attestations
        out.append(("bool", {f"b{i}": "bool"}, f"b{i}", lambda e, i=i: e[f"b{i}"] is True))
    for i in range(4):  # ratings "good or better"
        out.append(
            (
                "rating",
                {f"r{i}": "enum"},
                f"r{i} >= good",
                lambda e, i=i: RANK[e[f"r{i}"]] >= RANK["good"],
            )
        )
    for i in range(3):  # dates in the first quarter
        out.append(
            (
                "date",
                {f"d{i}": "date"},
                f"d{i} <= deadline",
                lambda e, i=i: date.fromisoformat(e[f"d{i}"]) <= date(2024, 3, 31),
            )
        )
    out.append(
        (
            "list",
            {},
            "all(t.deeds >= 1 or t.commended >= 1 for t in teams)",
            lambda e: all(t["deeds"] >= 1 or t["commended"] >= 1 for t in e["teams"]),
        )
    )
    assert len(out) == 34
    return out


def ruleset_yaml() -> str:
    """The generated rule-set file."""
    facts: dict[str, str] = {}
    crits = []
    for n, (_, f, cond, _) in enumerate(_criteria(), start=1):
        facts.update(f)
        crits.append(
            f'  - id: "{n}"\n    number: {n}\n    group: g\n'
            f"    title: {{vi: Tiêu chí {n}, en: Criterion {n}}}\n"
            f"    text: {{vi: Nội dung {n}.}}\n    condition: {cond}\n"
        )
    lines = [HEADER]
    for name, ftype in facts.items():
        extra = ", enum: task_rating" if ftype == "enum" else ""
        lines.append(f"  {name}: {{type: {ftype}{extra}, label: {{vi: {name}, en: {name}}}}}\n")
    lines.append("criteria:\n")
    lines += crits
    return "".join(lines)


def units(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Synthetic units: every fact present, about a tenth failing something."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        bad = k % 10 == 0
        u: dict[str, Any] = {}
        for i in range(8):
            prev = rng.randint(20, 60)
            u[f"p{i}"] = prev
            u[f"c{i}"] = prev - rng.randint(3, 10) if not (bad and i == 0) else prev
        for i in range(6):
            u[f"s{i}"] = rng.randint(80, 100)
        for i in range(6):
            u[f"n{i}"] = rng.randint(2, 9)
        for i in range(6):
            u[f"b{i}"] = not (bad and i == 1)
        for i in range(4):
            u[f"r{i}"] = rng.choice(["excellent", "good"])
        for i in range(3):
            u[f"d{i}"] = f"2024-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
        u["teams"] = [
            {"deeds": rng.randint(1, 3), "commended": rng.randint(0, 2)} for _ in range(3)
        ]
        out.append(u)
    return out


GOOD = frozenset({"excellent", "good"})


def hand(e: dict[str, Any]) -> tuple[bool, ...]:
    """The floor: the 34 conditions written by hand, as fast as plain Python goes
    (exact integer arithmetic for 5%, ISO date strings compared as text)."""
    teams = e["teams"]
    return (
        e["c0"] * 100 <= e["p0"] * 95,
        e["c1"] * 100 <= e["p1"] * 95,
        e["c2"] * 100 <= e["p2"] * 95,
        e["c3"] * 100 <= e["p3"] * 95,
        e["c4"] * 100 <= e["p4"] * 95,
        e["c5"] * 100 <= e["p5"] * 95,
        e["c6"] * 100 <= e["p6"] * 95,
        e["c7"] * 100 <= e["p7"] * 95,
        e["s0"] >= 80,
        e["s1"] >= 80,
        e["s2"] >= 80,
        e["s3"] >= 80,
        e["s4"] >= 80,
        e["s5"] >= 80,
        e["n0"] >= 2,
        e["n1"] >= 2,
        e["n2"] >= 2,
        e["n3"] >= 2,
        e["n4"] >= 2,
        e["n5"] >= 2,
        e["b0"] is True,
        e["b1"] is True,
        e["b2"] is True,
        e["b3"] is True,
        e["b4"] is True,
        e["b5"] is True,
        e["r0"] in GOOD,
        e["r1"] in GOOD,
        e["r2"] in GOOD,
        e["r3"] in GOOD,
        e["d0"] <= "2024-03-31",
        e["d1"] <= "2024-03-31",
        e["d2"] <= "2024-03-31",
        all(t["deeds"] >= 1 or t["commended"] >= 1 for t in teams),
    )


def _to_json(form: str | None) -> Callable[[Any], str] | None:
    """``er.to_json`` in ``form`` (None: today's call, no argument); None when the
    library has no such form (feature not present)."""
    if form is None:
        return er.to_json
    if not has_param(er.to_json, "form"):
        return None
    return lambda v: er.to_json(v, form=form)  # type: ignore[call-arg]


def contenders(
    rs: er.RuleSet, data: list[dict[str, Any]], slow: list[dict[str, Any]]
) -> list[Contender]:
    """The hand-written floor first, then the library's ways of evaluating a unit."""
    expanded = _to_json("expanded") or _to_json(None)
    compact = _to_json("compact")
    assert expanded is not None
    ev = rs.evaluate

    def loop(fn: Callable[[Any], object]) -> Callable[[Sequence[Any]], None]:
        def run(items: Sequence[Any]) -> None:
            for e in items:
                fn(e)

        return run

    def json_of(to: Callable[[Any], str] | None, explain: bool) -> Callable[..., None] | None:
        return None if to is None else loop(lambda e: to(ev(e, explain=explain)))

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
        Contender("explained + `to_json` (expanded)", slow, json_of(expanded, True)),
        Contender('brief + `to_json(form="compact")`', slow, json_of(compact, False)),
        Contender('explained + `to_json(form="compact")`', slow, json_of(compact, True)),
    ]


def check_agreement(rs: er.RuleSet, data: list[dict[str, Any]], slow: list[dict[str, Any]]) -> None:
    """The engine and the hand-written function agree on every criterion of every unit
    (explained verdicts too, on the units timed with explanations)."""
    checks = [c[3] for c in _criteria()]
    for e in data:
        expected = tuple(check(e) for check in checks)
        assert hand(e) == expected
        got = tuple(c.status is er.CriterionStatus.MET for c in rs.evaluate(e).criteria)
        assert got == expected, (e, got, expected)
    for e in slow:
        verdict = rs.evaluate(e, explain=True)
        got = tuple(c.status is er.CriterionStatus.MET for c in verdict.criteria)
        assert got == hand(e), (e, got)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument(
        "--explained-units", type=int, default=2_000, help="units timed with explanations or JSON"
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bench.yaml").write_text(ruleset_yaml(), encoding="utf-8")
        t0 = time.perf_counter()
        rs = er.Library([tmp], shipped=False).load("bench-34", on=date(2024, 6, 1))
        load_ms = (time.perf_counter() - t0) * 1000
    data = units(args.units)
    slow = data[: args.explained_units]
    check_agreement(rs, data, slow)
    cs = contenders(rs, data, slow)
    times = interleave(cs, args.rounds)
    print(f"rule set: 34 criteria, {len(rs.facts)} facts; loaded and compiled in {load_ms:.1f} ms")
    print(
        f"units: {len(data):,}, engine and hand-written function agree on every criterion; "
        f"{args.rounds} interleaved rounds"
    )
    print()
    print(table(cs, times))


if __name__ == "__main__":
    main()
