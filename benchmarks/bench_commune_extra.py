"""The sections of bench_commune.py after the per-unit table: verdict JSON (bytes,
``to_json`` / ``from_json``), a misspelt fact, batches with workers, cold loads."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import emulation_rules as er
from bench_evaluate import ruleset_yaml
from benchlib import NA, Contender, has_param, interleave, read_in_full, table


def _loop(fn: Callable[[Any], object]) -> Callable[[Sequence[Any]], None]:
    def run(items: Sequence[Any]) -> None:
        for x in items:
            fn(x)

    return run


def _writers(sample: er.Verdict) -> dict[str, Callable[[Any], str] | None]:
    """``to_json`` per form: expanded (today's form), compact and brief when present."""
    out: dict[str, Callable[[Any], str] | None] = {"expanded": er.to_json}
    for form in ("compact", "brief"):
        out[form] = None
        if has_param(er.to_json, "form"):
            write = lambda v, f=form: er.to_json(v, form=f)  # type: ignore[call-arg]  # noqa: E731
            try:
                write(sample)
            except ValueError:
                continue
            out[form] = write
    if out["compact"] is not None:
        out["expanded"] = lambda v: er.to_json(v, form="expanded")  # type: ignore[call-arg]
    return out


def _reader(lib: er.Library, text: str, original: er.Verdict) -> Callable[[str], Any] | str:
    """How to read ``text`` back exactly: ``er.from_json``, else the library's; or why not."""
    why = "no reader"
    for name, read in (("er.from_json", er.from_json), ("Library.from_json", lib.from_json)):
        try:
            back = read(text, er.Verdict)
        except er.EmulationRulesError as exc:
            why = f"{name}: {type(exc).__name__}"
            continue
        if back != original:
            return f"{name}: not an exact round trip"
        return lambda t, read=read: read(t, er.Verdict)
    return why


def json_section(lib: er.Library, rs: er.RuleSet, units: Sequence[Any], rounds: int) -> None:
    """Bytes per verdict and µs per ``to_json`` / ``from_json``, brief and explained
    (forms: expanded; compact and brief when present). Every text is read back and
    compared with its verdict (a brief form with the brief verdict of the unit)."""
    verdicts = {
        "brief": [rs.evaluate(e) for e in units],
        "explained": [rs.evaluate(e, explain=True) for e in units],
    }
    print(f"Verdict JSON ({len(units):,} verdicts; UTF-8 bytes, µs per verdict):\n")
    print("| form | verdict | bytes, mean | min–max | read back |")
    print("| --- | --- | ---: | ---: | --- |")
    cs = [Contender("baseline: hand-written function", units, lambda items: None)]
    for form, write in _writers(verdicts["explained"][0]).items():
        for kind, vs in verdicts.items():
            if form == "brief" and kind == "brief":
                continue  # the compact form of a brief verdict
            name = f"{kind}, {form}"
            if write is None:
                print(f"| {form} | {kind} | {NA} | | |")
                cs += [Contender(f"`to_json` {name}", vs, None)]
                cs += [Contender(f"`from_json` {name}", [], None)]
                continue
            expect = verdicts["brief"] if form == "brief" else vs
            texts = [write(v) for v in vs]
            sizes = [len(t.encode()) for t in texts]
            read = _reader(lib, texts[0], expect[0])
            trip = read if isinstance(read, str) else "exact round trip"
            if callable(read) and any(read(t) != v for t, v in zip(texts, expect, strict=True)):
                trip = "NOT exact"
            if form == "brief" and callable(read):
                trip = f"= the brief verdict ({trip})"
            print(
                f"| {form} | {kind} | {statistics.fmean(sizes):,.0f} | "
                f"{min(sizes):,}–{max(sizes):,} | {trip} |"
            )
            cs.append(Contender(f"`to_json` {name}", vs, _loop(write)))
            runs = _loop(read) if callable(read) else None
            cs.append(Contender(f"`from_json` {name}", texts, runs, f"n/a ({read})"))
            if kind == "explained" and form != "brief" and callable(read):
                full = _loop(lambda t, read=read: read_in_full(read(t)))
                cs.append(Contender(f"`from_json` {name}, read in full", texts, full))
    print()
    times = interleave(cs, rounds)
    print(table(cs[1:], times, unit="µs per verdict", ratio=""))


def _misspelt(u: dict[str, Any], i: int) -> dict[str, Any]:
    keys = [k for k in u if k != "unit_id"]
    key = keys[(i * 7919) % len(keys)]
    cut = len(key) // 2
    out = dict(u)
    out[key[:cut] + key[cut + 1 :]] = out.pop(key)
    return out


def unknown_fact(rs: er.RuleSet, units: Sequence[dict[str, Any]], rounds: int) -> None:
    """A unit with one misspelt fact (its ``EvidenceError`` caught) against a valid one."""
    bad = [_misspelt(u, i) for i, u in enumerate(units)]

    def refused(e: dict[str, Any]) -> None:
        try:
            rs.evaluate(e)
        except er.EvidenceError:
            return
        raise AssertionError("a misspelt fact was accepted")

    cs = [
        Contender("valid unit, `evaluate(u)`", units, _loop(rs.evaluate)),
        Contender("one misspelt fact, `EvidenceError` caught", bad, _loop(refused)),
    ]
    print("A unit with one unknown (misspelt) fact:\n")
    print(table(cs, interleave(cs, rounds), ratio="× valid unit"))


def batches(rs: er.RuleSet, units: Sequence[Any], rounds: int) -> None:
    """``evaluate_many(units, workers=N)`` against one worker, when the library has it."""
    print(f"Batches, `evaluate_many` of {len(units):,} units (brief):\n")
    many = rs.evaluate_many
    present = has_param(many, "workers")
    cs = [Contender("`evaluate_many(units)`", units, lambda items: list(many(items)))]
    for w in (1, 2):
        run = (lambda items, w=w: list(many(items, workers=w))) if present else None  # type: ignore[call-arg]
        cs.append(Contender(f"`evaluate_many(units, workers={w})`", units, run))
    if not present:
        print(f"workers: {NA}")
        return
    print(table(cs, interleave(cs, rounds), ratio="× time of `evaluate_many(units)`"))


COLD = """\
import json, sys, time
t0 = time.perf_counter()
import emulation_rules as er
from datetime import date
t1 = time.perf_counter()
if sys.argv[1] == "library":
    er.Library().load(sys.argv[2], on=date(2024, 12, 31))
else:
    er.load(sys.argv[2], on=date(2024, 12, 31))
print(json.dumps([t1 - t0, time.perf_counter() - t1]))
"""


def cold_loads(root: Path, n: int) -> None:
    """Import and load times in fresh processes, best of ``n`` (kinds interleaved)."""
    with tempfile.TemporaryDirectory() as tmp:
        bench = Path(tmp, "bench", "bench-34.yaml")
        bench.parent.mkdir()
        bench.write_text(ruleset_yaml(), encoding="utf-8")
        pre = Path(tmp, "pre", "bench-prerequisites.yaml")
        pre.parent.mkdir()
        text = (root / "rulesets" / "typical-prerequisites.yaml").read_text(encoding="utf-8")
        text = text.replace("\nid: typical-prerequisites\n", "\nid: bench-prerequisites\n", 1)
        pre.write_text(text, encoding="utf-8")  # another id: the shipped one is still there
        kinds = [
            (
                "`er.load(path)`, bench-34.yaml (34 criteria, extends and requires nothing)",
                "path",
                str(bench),
            ),
            (
                "`er.load(path)`, typical-prerequisites.yaml under another id (2 criteria)",
                "path",
                str(pre),
            ),
            (
                '`er.Library().load("typical-commune")` (+ prerequisites)',
                "library",
                "typical-commune",
            ),
        ]
        got: dict[str, list[tuple[float, float]]] = {k[0]: [] for k in kinds}
        for r in range(n):
            for name, how, what in kinds[r % 3 :] + kinds[: r % 3]:
                out = subprocess.run(
                    [sys.executable, "-c", COLD, how, what],
                    capture_output=True, text=True, check=True, env=dict(os.environ),
                )  # fmt: skip
                imp, load = json.loads(out.stdout)
                got[name].append((imp * 1000, load * 1000))
    print(f"Cold loads, each in a fresh process (best of {n}; ms):\n")
    print("| | `import emulation_rules`, best | load, best | load, range |")
    print("| --- | ---: | ---: | ---: |")
    for name, runs in got.items():
        loads = [x[1] for x in runs]
        print(
            f"| {name} | {min(x[0] for x in runs):.0f} | {min(loads):.0f} | "
            f"{min(loads):.0f}–{max(loads):.0f} |"
        )
