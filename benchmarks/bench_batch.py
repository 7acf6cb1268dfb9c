"""Batches on the shipped typical-commune: a process pool, and the CLI on JSON Lines.

Prints, in one run:

- ``evaluate_many`` on N units (default 10,000; ``--explain`` for explained verdicts)
  with ``workers=1`` and ``workers=2``, interleaved over ``--repeat`` rounds: units per
  second and the ratio (the machine's load average is printed beside it);
- the CLI ``evaluate --brief --format json`` on a JSON Lines file of ``--cli-units``
  units (default 82,000): wall time and the child's maximum resident memory;
- the CLI explained on ``--explained-units`` units (default 10,035): wall time.

Units vary ``examples/commune-all-met.json`` (counts around the thresholds, so some fail).
Run: ``python benchmarks/bench_batch.py [--units N] [--repeat R] [--skip-cli]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import emulation_rules as er

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "commune-all-met.json"


def units(n: int) -> list[dict[str, Any]]:
    """``n`` varied copies of the example commune, each with its own ``unit_id``."""
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    out = []
    for i in range(n):
        unit = dict(base)
        unit["unit_id"] = f"Xã {i:06d}"
        unit["crimes_social_order"] = 30 + i % 12  # the threshold is 38 (40 × 95%)
        unit["drug_addicts"] = 10 + i % 7
        unit["good_practices"] = i % 4
        unit["complaints_backlog"] = 1 if i % 29 == 0 else 0
        out.append(unit)
    return out


def pool_ratio(rs: er.RuleSet, batch: list[dict[str, Any]], repeat: int, explain: bool) -> None:
    """Units per second with one and two workers, interleaved."""
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for workers in (1, 2):
            start = time.perf_counter()
            n = sum(1 for _ in rs.evaluate_many(batch, explain=explain, workers=workers))
            times[workers].append(time.perf_counter() - start)
            assert n == len(batch)
    best = {w: min(t) for w, t in times.items()}
    kind = "explained" if explain else "brief"
    for w, t in best.items():
        print(f"evaluate_many {kind} workers={w}: {len(batch) / t:,.0f} units/s (best of {repeat})")
    print(f"  ratio workers=2 / workers=1: {best[1] / best[2]:.2f}x; load {os.getloadavg()}")


def cli(path: Path, *extra: str) -> tuple[float, float]:
    """(seconds, max resident MB of the child) for one CLI run writing to /dev/null."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    command = [sys.executable, "-m", "emulation_rules", "evaluate", "typical-commune"]
    options = ["--format", "json", "--progress", "never", *extra]
    subprocess.run([*command, str(path), *options], stdout=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(after, before) / 1024  # ru_maxrss is in KB on Linux


def write_jsonl(folder: Path, n: int) -> Path:
    path = folder / f"units-{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for unit in units(n):
            f.write(json.dumps(unit, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="pool ratio on explained verdicts")
    parser.add_argument("--cli-units", type=int, default=82_000)
    parser.add_argument("--explained-units", type=int, default=10_035)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-pool", action="store_true")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()}")
    if not args.skip_pool:
        rs = er.Library().load("typical-commune")
        pool_ratio(rs, units(args.units), args.repeat, args.explain)
    if args.skip_cli:
        return
    with tempfile.TemporaryDirectory() as tmp:
        big = write_jsonl(Path(tmp), args.cli_units)
        seconds, rss = cli(big, "--brief")
        print(f"CLI --brief {args.cli_units:,} units: {seconds:.1f} s, max RSS {rss:.0f} MB")
        seconds, _ = cli(big, "--brief", "--workers", "2")
        print(f"CLI --brief --workers 2 {args.cli_units:,} units: {seconds:.1f} s")
        big.unlink()
        explained = write_jsonl(Path(tmp), args.explained_units)
        seconds, _ = cli(explained)
        print(f"CLI explained {args.explained_units:,} units: {seconds:.1f} s")
        print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
