"""The live campaign monitor under load: 1,000 security teams (100 communes of 10 teams)
through phase 1 of the Bình Lương plan (19/8/2024–03/02/2025, 169 days), with alerts on.

Synthetic events, seeded: a roster per team, trainings, and every day tips, patrols,
good deeds, commendations, incidents and the odd violation (≈ 1.1 events per team per
day). Each phase ends with the clock moved past its last day, so every month is closed
and every team-month judged. Printed:

- events per second, parsing the JSON form (``parse_event``) apart from ingesting;
- events per second ingested (``Monitor.ingest_many`` of parsed events, then the close
  of the phase), on the Python matcher and, if installed, on durable-rules in its worker;
- where the time goes: a profile of the Python-matcher run, its own time grouped by the
  part of the library that spends it.

Run: python benchmarks/bench_monitor.py [COMMUNES]
"""

from __future__ import annotations

import cProfile
import pstats
import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import emulation_rules as er
from emulation_rules.campaigns import CampaignCatalogue
from emulation_rules.monitor import Event, Monitor, durable_available, parse_event

START, END = date(2024, 8, 19), date(2025, 2, 3)
TEAMS_PER_COMMUNE = 10
MEMBERS_PER_TEAM = 4


def synthetic_events(communes: int, seed: int = 7) -> list[dict[str, Any]]:
    """The JSON form of a phase of events, in date order."""
    rnd = random.Random(seed)
    out: list[tuple[date, int, dict[str, Any]]] = []

    def add(
        day: date, kind: str, unit: str, payload: dict[str, Any], team: str | None = None
    ) -> None:
        data: dict[str, Any] = {
            "kind": kind,
            "unit": unit,
            "date": day.isoformat(),
            "payload": payload,
        }
        if team is not None:
            data["team"] = team
        out.append((day, len(out), data))

    for c in range(communes):
        unit = f"Xã {c:03d}"
        teams = [f"Tổ bảo vệ ANTT thôn {t + 1}" for t in range(TEAMS_PER_COMMUNE)]
        members = {
            t: [f"{c}-{i}-{j}" for j in range(MEMBERS_PER_TEAM)] for i, t in enumerate(teams)
        }
        everyone = [m for ms in members.values() for m in ms]
        lazy_team = rnd.choice(teams) if rnd.random() < 0.3 else None
        lazy_month = rnd.choice([9, 10, 11, 12, 1])
        for i, team in enumerate(teams):
            add(
                START,
                "roster",
                unit,
                {"members": MEMBERS_PER_TEAM, "village": f"Thôn {i + 1}"},
                team,
            )
        add(
            START + timedelta(days=2),
            "population_info",
            unit,
            {"share": rnd.choice([88, 91, 93.5, 95])},
        )
        for k, topic in enumerate(["fire_rescue", "admin_management", "mass_mobilisation"]):
            trained = everyone if rnd.random() < 0.8 else everyone[:-2]
            add(
                START + timedelta(days=20 + 14 * k),
                "training",
                unit,
                {"topic": topic, "members": trained},
            )
        add(
            date(2025, 1, 10),
            "training",
            unit,
            {"topic": "political_activities", "members": everyone},
        )
        add(
            START + timedelta(days=30),
            "model",
            unit,
            {
                "name": "Camera an ninh",
                "proposed_by_force": True,
                "effective": True,
                "recognised_by": "district",
            },
        )
        for i in range(TEAMS_PER_COMMUNE):
            level = "district" if rnd.random() < 0.9 else "commune"
            add(
                START + timedelta(days=rnd.randrange(160)),
                "typical_example",
                unit,
                {"village": f"Thôn {i + 1}", "recognised_by": level},
            )
        day = START
        while day <= END:
            for team in teams:
                if rnd.random() < 0.45:
                    add(day, "tip", unit, {"through_force": rnd.random() < 0.86}, team)
                if rnd.random() < 0.2:
                    add(day, "patrol", unit, {"members": rnd.sample(members[team], 3)}, team)
                idle = team == lazy_team and day.month == lazy_month
                if not idle and (rnd.random() < 0.35 or day.day == 1):
                    add(day, "good_deed", unit, {"description": "Giúp dân"}, team)
                if not idle and rnd.random() < 0.04:
                    add(day, "commendation", unit, {"member": members[team][0]}, team)
            if rnd.random() < 0.15:
                add(
                    day,
                    "incident",
                    unit,
                    {"attended_in_time": True, "supported_in_time": rnd.random() < 0.98},
                )
            if rnd.random() < 0.02:
                add(day, "callout", unit, {"attended_in_time": True})
            if rnd.random() < 0.002:
                add(day, rnd.choice(["weapons_case", "reoffence", "business_violation"]), unit, {})
            day += timedelta(days=1)
    out.sort(key=lambda item: (item[0], item[1]))
    return [data for _, _, data in out]


def ingest(events: list[Event], engine: str) -> tuple[float, int, str]:
    """Seconds to ingest the events and close the phase; alerts raised; engine used."""
    library = er.Library()
    ruleset = library.load("special-campaign-targets-binh-luong", on=START)
    definition = CampaignCatalogue().get("special-campaign-binh-luong")
    with Monitor(definition, ruleset, engine=engine) as monitor:
        t0 = time.perf_counter()
        monitor.ingest_many(events)
        monitor.advance(END + timedelta(days=1))
        seconds = time.perf_counter() - t0
        assert not monitor.engine_failures, monitor.engine_failures
        return seconds, len(monitor.alerts), monitor.engine


GROUPS = [
    ("validating facts (evidence coercers)", ("emulation_rules/evaluation/evidence.py",)),
    (
        "core evaluator (expressions, verdicts, explanations)",
        ("emulation_rules/evaluation/", "emulation_rules/expr/", "<emulation-rules "),
    ),
    (
        "facts kept up to date (indicators.py, aggregators.py)",
        ("monitor/indicators.py", "monitor/aggregators.py"),
    ),
    (
        "judging, pace, calendar, signals, alerts (monitor/*.py)",
        (
            "monitor/judge.py",
            "monitor/judging.py",
            "monitor/pace.py",
            "monitor/calendar.py",
            "monitor/core.py",
            "monitor/signals.py",
            "monitor/signalling.py",
            "monitor/keys.py",
            "monitor/reading.py",
            "monitor/monitor.py",
            "monitor/alerts.py",
            "monitor/views.py",
        ),
    ),
    ("rule matching (rules.py, Python matcher)", ("monitor/rules.py",)),
    (
        "durable-rules worker: pipes and waiting",
        (
            "monitor/engine.py",
            "queue.py",
            "threading.py",
            "json/",
            "{method 'acquire'",
            "{method 'write'",
            "{method 'flush'",
        ),
    ),
]


def profile(events: list[Event], engine: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    ingest(events, engine)
    profiler.disable()
    stats = pstats.Stats(profiler)
    totals: dict[str, float] = defaultdict(float)
    others: dict[str, float] = defaultdict(float)
    all_time = 0.0
    for (file, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        all_time += tottime
        where = f"{file} {func}"
        for name, needles in GROUPS:
            if any(n in where for n in needles):
                totals[name] += tottime
                break
        else:
            totals["other (builtins, attrs, dicts, ...)"] += tottime
            others[f"{file.rsplit('/', 1)[-1]} {func}"] += tottime
    print(f"\nwhere the time goes ({engine}; own time under cProfile, {all_time:.1f} s in all):")
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / all_time:6.1%}  {seconds:6.2f} s  {name}")
    print(
        "  largest of the other: "
        + "; ".join(
            f"{name} {seconds:.2f} s"
            for name, seconds in sorted(others.items(), key=lambda kv: -kv[1])[:6]
        )
    )
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])  # type: ignore[attr-defined]
    print("  largest cumulative times:")
    shown = 0
    for (file, line, func), (_cc, nc, _tt, ct, _callers) in top:
        if "emulation_rules/monitor" in file and func not in ("ingest_many", "ingest", "advance"):
            print(f"    {ct:6.2f} s  {nc:>8} calls  {file.rsplit('/', 1)[-1]}:{line} {func}")
            shown += 1
            if shown == 8:
                break


def main(communes: int = 100) -> None:
    t0 = time.perf_counter()
    raw = synthetic_events(communes)
    print(
        f"{communes} communes, {communes * TEAMS_PER_COMMUNE} teams, phase 1 (169 days): "
        f"{len(raw):,} events (generated in {time.perf_counter() - t0:.1f} s)"
    )
    t0 = time.perf_counter()
    events = [parse_event(e) for e in raw]
    seconds = time.perf_counter() - t0
    print(
        f"parse_event (JSON form → Event):        {len(raw) / seconds:>9,.0f} events/s ({seconds:.2f} s)"
    )
    engines = ["python"] + (["durable"] if durable_available() else [])
    for engine in engines:
        seconds, alerts, used = ingest(events, engine)
        print(
            f"ingest + close the phase, {used:>7} engine: {len(events) / seconds:>9,.0f} events/s "
            f"({seconds:.2f} s, {alerts:,} alerts)"
        )
    if not durable_available():
        print(
            'durable-rules is not installed: pip install "emulation-rules[streaming]" to measure it'
        )
    profile(events, "python")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
