"""What the benchmarks share: interleaved timing for a shared, noisy machine, a reader
that walks a whole verdict, and feature detection for contenders that may not exist yet.

Timing standard: the contenders run in rounds; each round runs every contender once over
its units, in an order rotated by one each round, so that a slow spell of the machine
falls on all of them alike. Each contender is reported with its best round and the range
(min–max) over the rounds, in µs per unit, and as ratios to the baseline (the first
contender, cheap) of the same round, which runs again right before each contender of the
round and counts its best run: the ratio of the contender's best round, and the range of
the ratios.
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
    """Seconds per item of each contender, one entry per round (rotating order), and
    under ``"<name> ×"`` its ratio to the baseline of the same round.

    The baseline (the first contender, cheap) runs at the start of the round and again
    right before every other contender; its time for the round is its best run of the
    round (a short run is easily slowed by the machine, never sped up), and every ratio of
    the round divides by it."""
    base, *others = [c for c in contenders if c.run is not None]
    out: dict[str, list[float]] = {c.name: [] for c in (base, *others)}
    for r in range(rounds):
        k = r % max(1, len(others))
        runs = [_timed(base)]
        for c in others[k:] + others[:k]:
            runs.append(_timed(base))
            out[c.name].append(_timed(c))
        out[base.name].append(min(runs))
    for c in (base, *others):
        out[f"{c.name} ×"] = [t / b for t, b in zip(out[c.name], out[base.name], strict=True)]
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
    and the ratio to the baseline (the first contender) of the same round: in the
    contender's best round, and the range over the rounds."""
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
            at_best = rs[us.index(min(us))]  # the ratio of the contender's best round
            line += f" {_fmt(at_best)} | {_fmt(min(rs))}–{_fmt(max(rs))} |"
        lines.append(line)
    return "\n".join(lines)


def _read_citation(c: Any) -> tuple[Any, ...]:
    return (c.document, c.date, c.issuer, c.title, c.part, c.also_cited_as, c.quoted_in, c.note)


def _read_explanation(x: Any) -> int:
    n = 0
    for v in x.values:
        label = v.label
        n += len((v.name, v.role, v.kind, v.value, label and (label.vi, label.en)))
    for c in x.comparisons:
        n += len((c.text, c.left, c.op, c.right, c.kind, c.result))
    for d in x.needed:
        n += len((d.fact, d.op, d.value, d.kind))
    return n + len(_read_citation(x.citation))


def read_in_full(verdict: Any) -> int:
    """Touch every field a host can read of a verdict: its reason, every criterion's
    reason and explanation (values, comparisons, what would pass, citation) and their
    fields, the prerequisites. A lazily explained verdict pays its whole cost here; the
    reading itself costs what attribute loads cost (measured apart, on verdicts built
    beforehand). Returns a count of the fields read (so that the reading is not dead code)."""
    v = verdict
    r, reason = v.ruleset, v.reason
    n = len((r.id, r.version, r.sha256, v.evaluated_on, v.status, reason.vi, reason.en))
    n += len((v.level, v.points, v.unit))
    for p in v.prerequisites:
        n += len((p.name, p.ruleset.id, p.ruleset.version, p.ruleset.sha256, p.status, p.failed))
        n += len(p.missing)
    for c in v.criteria:
        reason = c.reason
        n += len((c.id, c.number, c.group, c.status, reason.vi, reason.en, c.missing))
        if c.explanation is not None:
            n += _read_explanation(c.explanation)
    return n


def read_before(rs: Any, units: Sequence[Any]) -> list[Any]:
    """Explained verdicts of ``units``, each read in full once (built, if lazily): timing
    ``read_in_full`` over them measures the reading alone."""
    out = [rs.evaluate(u, explain=True) for u in units]
    for v in out:
        read_in_full(v)
    return out
