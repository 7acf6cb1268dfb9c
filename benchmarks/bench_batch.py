"""Batches on the shipped typical-commune: a process pool, and the CLI on JSON Lines.

Prints, in one run:

- ``evaluate_many`` on N units (default 10,000; ``--explain`` for explained verdicts)
  with ``workers=1`` and ``workers=2``, interleaved over ``--repeat`` rounds: units per
  second and the ratio (the machine's load average is printed beside it);
- the CLI ``evaluate --brief --format json`` on a JSON Lines file of ``--cli-units``
  units (default 82,000), with ``--workers`` 1 and 2: wall time, maximum resident memory
  and CPU time (GNU ``/usr/bin/time``);
- the same, explained, on ``--explained-units`` units (default 10,035).

The machine may be shared: CPU time (of all processes) is printed beside wall time, and
the load average beside the ratio.

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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import emulation_rules as er

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "commune-all-met.json"


def iter_units(n: int) -> Iterator[dict[str, Any]]:
    """``n`` varied copies of the example commune, each with its own ``unit_id``."""
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for i in range(n):
        unit = dict(base)
        unit["unit_id"] = f"Xã {i:06d}"
        unit["crimes_social_order"] = 30 + i % 12  # the threshold is 38 (40 × 95%)
        unit["drug_addicts"] = 10 + i % 7
        unit["good_practices"] = i % 4
        unit["complaints_backlog"] = 1 if i % 29 == 0 else 0
        yield unit


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended (pool workers)."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def pool_ratio(rs: er.RuleSet, batch: list[dict[str, Any]], repeat: int, explain: bool) -> None:
    """Units per second with one and two workers, interleaved; and CPU µs per unit."""
    times: dict[int, list[float]] = {1: [], 2: []}
    cpus: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for workers in (1, 2):
            start, start_cpu = time.perf_counter(), cpu()
            n = sum(1 for _ in rs.evaluate_many(batch, explain=explain, workers=workers))
            times[workers].append(time.perf_counter() - start)
            cpus[workers].append(cpu() - start_cpu)
            assert n == len(batch)
    kind = "explained" if explain else "brief"
    for w, t in times.items():
        per_unit = min(cpus[w]) / len(batch) * 1e6
        print(
            f"evaluate_many {kind} workers={w}: {len(batch) / min(t):,.0f} units/s "
            f"(best of {repeat}), CPU {per_unit:.0f} µs a unit (all processes)"
        )
    ratio = min(times[1]) / min(times[2])
    print(f"  ratio workers=2 / workers=1: {ratio:.2f}x; load average {os.getloadavg()}")


def cli(path: Path, *extra: str) -> tuple[float, float, float]:
    """(wall s, max resident MB, CPU s of all its processes) of one CLI run writing to
    /dev/null, measured by GNU time (the child is started from a small process, so its
    resident size is its own, not a fork of this one's)."""
    command = [sys.executable, "-m", "emulation_rules", "evaluate", "typical-commune"]
    options = ["--format", "json", "--progress", "never", *extra]
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M %U %S", *command, str(path), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
        text=True,
    )
    wall, rss, user, system = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, float(user) + float(system)


def write_jsonl(folder: Path, n: int) -> Path:
    path = folder / f"units-{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for unit in iter_units(n):
            f.write(json.dumps(unit, ensure_ascii=False) + "\n")
    return path


def run_cli(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        big = write_jsonl(Path(tmp), args.cli_units)
        for workers in ("1", "2"):
            wall, rss, used = cli(big, "--brief", "--workers", workers)
            print(
                f"CLI --brief --workers {workers}, {args.cli_units:,} units: {wall:.1f} s, "
                f"max RSS {rss:.0f} MB, CPU {used:.1f} s"
            )
        big.unlink()
        explained = write_jsonl(Path(tmp), args.explained_units)
        for workers in ("1", "2"):
            wall, rss, used = cli(explained, "--workers", workers)
            print(
                f"CLI explained --workers {workers}, {args.explained_units:,} units: "
                f"{wall:.1f} s, max RSS {rss:.0f} MB, CPU {used:.1f} s"
            )


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
        pool_ratio(rs, list(iter_units(args.units)), args.repeat, args.explain)
    if not args.skip_cli:
        run_cli(args)
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
