"""What the benchmarks share: interleaved timing for a shared, noisy machine, a reader
that walks a whole verdict, and feature detection for contenders that may not exist yet.

Timing standard: the contenders run in rounds; each round runs every contender once over
its units, in an order rotated by one each round, so that a slow spell of the machine
falls on all of them alike. Each contender is reported with its best round and the range
(min–max) over the rounds, in µs per unit, and as ratios to the baseline (the first
contender, cheap), which runs again right before each contender of the round.
"""

from __future__ import annotations

import gc
import inspect
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs

NA = "n/a (feature not present)"


@attrs.frozen
class Contender:
    """One timed thing: ``run(items)`` does the work once over ``items``; ``missing``
    says why it cannot run (its line then reads n/a)."""

    name: str
    items: Sequence[Any]
    run: Callable[[Sequence[Any]], object] | None
    missing: str = NA


def has_param(fn: Any, name: str) -> bool:
    """Whether the callable ``fn`` takes a parameter ``name`` (feature detection)."""
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _timed(c: Contender) -> float:
    assert c.run is not None
    gc.collect()
    t0 = time.perf_counter()
    c.run(c.items)
    return (time.perf_counter() - t0) / len(c.items)


def interleave(contenders: Sequence[Contender], rounds: int) -> dict[str, list[float]]:
    """Seconds per item of each contender, one entry per round (rotating order).

    The baseline (the first contender, cheap) also runs right before every other
    contender; its entry of a round is its best run of the round, and the ratio of a
    contender (``ratios``) divides by the baseline run just before it, so that a slow
    spell of the machine weighs on both sides of a ratio alike."""
    base, *others = [c for c in contenders if c.run is not None]
    out: dict[str, list[float]] = {c.name: [] for c in (base, *others)}
    ratios: dict[str, list[float]] = {c.name: [] for c in others}
    for r in range(rounds):
        k = r % max(1, len(others))
        runs = [_timed(base)]
        for c in others[k:] + others[:k]:
            runs.append(_timed(base))
            t = _timed(c)
            out[c.name].append(t)
            ratios[c.name].append(t / runs[-1])
        out[base.name].append(min(runs))
    out.update({f"{name} ×": rs for name, rs in ratios.items()})
    out[f"{base.name} ×"] = [1.0] * rounds
    return out


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def table(
    contenders: Sequence[Contender],
    times: dict[str, list[float]],
    *,
    unit: str = "µs per unit",
    ratio: str = "× hand-written",
) -> str:
    """A Markdown table: per contender, units timed, best round and range in µs per item,
    and the ratio to the baseline (the first contender) run just before it in the same
    round (best, range)."""
    cols = f" {ratio}, best | range |" if ratio else ""
    lines = [
        f"| | units | {unit}, best | range |{cols}",
        "| --- | ---: | ---: | ---: |" + (" ---: | ---: |" if ratio else ""),
    ]
    for c in contenders:
        if c.run is None:
            lines.append(f"| {c.name} | | {c.missing} | |" + (" | |" if ratio else ""))
            continue
        us = [t * 1e6 for t in times[c.name]]
        line = (
            f"| {c.name} | {len(c.items):,} | {_fmt(min(us))} | {_fmt(min(us))}–{_fmt(max(us))} |"
        )
        if ratio:
            rs = times[f"{c.name} ×"]
            line += f" {_fmt(min(rs))} | {_fmt(min(rs))}–{_fmt(max(rs))} |"
        lines.append(line)
    return "\n".join(lines)


def _read_text(t: Any) -> int:
    return 0 if t is None else len(t.vi) + len(t.en)


def _read_citation(c: Any) -> int:
    n = len(c.document) + len(c.also_cited_as)
    for v in (c.date, c.issuer, c.title, c.part, c.quoted_in, c.note):
        n += v is not None
    return n


def _read_explanation(x: Any) -> int:
    n = 0
    for v in x.values:
        n += len(v.name) + len(v.role) + len(v.kind) + (v.value is not None)
        n += _read_text(v.label)
    for c in x.comparisons:
        n += len(c.text) + len(c.op) + len(c.kind) + (c.left is not None)
        n += (c.right is not None) + len(c.result.value)
    for d in x.needed:
        n += len(d.fact) + len(d.op) + len(d.kind) + (d.value is not None)
    return n + _read_citation(x.citation)


def read_in_full(verdict: Any) -> int:
    """Touch every field a host can read of a verdict: its reason, every criterion's
    reason and explanation (values, comparisons, what would pass, citation) and their
    fields, the prerequisites. A lazily explained verdict pays its whole cost here.
    Returns a count of what was read (so that the reading is not dead code)."""
    v = verdict
    n = len(v.ruleset.id) + len(v.ruleset.version) + len(v.ruleset.sha256)
    n += v.evaluated_on.year + len(v.status.value) + _read_text(v.reason)
    n += (v.level is not None) + (v.points is not None) + (v.unit is not None)
    for p in v.prerequisites:
        n += len(p.name) + len(p.ruleset.id) + len(p.status.value) + len(p.failed)
        n += len(p.missing)
    for c in v.criteria:
        n += len(c.id) + c.number + len(c.group) + len(c.status.value)
        n += _read_text(c.reason) + len(c.missing)
        if c.explanation is not None:
            n += _read_explanation(c.explanation)
    return n
