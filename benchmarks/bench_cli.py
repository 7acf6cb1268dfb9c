"""National scale through the command line: the shipped typical-commune on 10,035
boundary-valued units (those of bench_commune.py) as a JSON Lines file, ``--brief`` and
explained; wall time, CPU time, peak resident memory of the process and bytes written.

Also, when the CLI has them: JSON Lines from standard input (``-``), and ``--workers N``.
The 82,000-unit run of the issue: ``--units 82000 --modes brief``.
Run: ``python benchmarks/bench_cli.py [--units N] [--modes brief,explained]
[--variants file,stdin,workers] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import commune_criteria as cc
import emulation_rules as er
from bench_commune import ON, ROOT, levels_of, make_units

CLI = [sys.executable, "-m", "emulation_rules", "evaluate", "typical-commune"]


def write_units(path: Path, n: int) -> None:
    """``n`` boundary-valued units, one JSON object a line."""
    rs = er.Library().load("typical-commune", on=ON)
    levels = levels_of(rs)
    example = json.loads((ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8"))
    rows = cc.table(levels, tuple(o["name"] for o in example["socio_political_organisations"]))
    with path.open("w", encoding="utf-8") as f:
        for u in make_units(rows, n):
            f.write(json.dumps(u, ensure_ascii=False) + "\n")


# A small process runs the CLI and reports its usage: the peak RSS a child reports
# includes the memory of the process it was forked from (this script holds the units).
MEASURE = """\
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    json.dump([os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime, ru.ru_maxrss], f)
"""


def run(args: list[str], stdin: Path | None, out: Path) -> tuple[float, float, float, int]:
    """Wall s, CPU s, peak RSS MB of one CLI run, and its exit status."""
    err, usage = out.with_suffix(".err"), out.with_suffix(".usage")
    src_path = stdin or Path(os.devnull)
    with out.open("wb") as sink, err.open("wb") as errors, src_path.open("rb") as src:
        t0 = time.perf_counter()
        cmd = [sys.executable, "-c", MEASURE, str(usage), *args]
        subprocess.run(cmd, stdin=src, stdout=sink, stderr=errors, check=True)
        wall = time.perf_counter() - t0
    code, cpu, rss_kb = json.loads(usage.read_text(encoding="utf-8"))
    if code != 0:
        print(f"  exit {code}: {err.read_text(encoding='utf-8')[:300]}", file=sys.stderr)
    return wall, cpu, rss_kb / 1024, code


def supports(flag: str) -> bool:
    """Whether ``evaluate --help`` lists ``flag``."""
    text = subprocess.run([*CLI[:4], "--help"], capture_output=True, text=True, check=False)
    return flag in text.stdout


def stdin_streams(tmp: Path) -> bool:
    """Whether JSON Lines can come from standard input (two units in, two verdicts out)."""
    two = tmp / "two.jsonl"
    with (tmp / "units.jsonl").open(encoding="utf-8") as f:
        two.write_text(f.readline() + f.readline(), encoding="utf-8")
    out = tmp / "two.out"
    args = [*CLI, "-", "--on", ON.isoformat(), "--format", "json", "--brief"]
    proc = subprocess.run(args, stdin=two.open("rb"), stdout=out.open("wb"), stderr=subprocess.DEVNULL, check=False)  # fmt: skip
    return proc.returncode == 0 and len(out.read_bytes().splitlines()) == 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_035)
    parser.add_argument("--modes", default="brief,explained")
    parser.add_argument(
        "--variants",
        help="of file,stdin,workers (the last two when present); default: all brief, file explained",
    )
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        units = tmp / "units.jsonl"
        write_units(units, args.units)
        workers = supports("--workers")
        piped = stdin_streams(tmp)
        print(
            f"typical-commune on {ON}, {args.units:,} units ({units.stat().st_size / 1e6:.0f} MB of JSON Lines)"
        )
        print(f"standard input: {'streams' if piped else 'n/a (JSON Lines not read from stdin)'}; "
              f"--workers: {'present' if workers else 'n/a (feature not present)'}\n")  # fmt: skip
        print(
            "| run | wall s, best | CPU s (with workers) | µs per unit (wall) | peak RSS MB (largest process) | output MB |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for mode in args.modes.split(","):
            default = "file,stdin,workers" if mode == "brief" else "file"
            wanted = (args.variants or default).split(",")
            variants = [("file", [str(units)], None)] if "file" in wanted else []
            if piped and "stdin" in wanted:
                variants.append(("stdin", ["-"], units))
            if workers and "workers" in wanted:
                variants.append(("file, --workers 2", [str(units), "--workers", "2"], None))
            for label, extra, stdin in variants:
                cmd = [
                    *CLI,
                    *extra,
                    "--on",
                    ON.isoformat(),
                    "--format",
                    "json",
                    "--progress",
                    "never",
                ]
                cmd += ["--brief"] if mode == "brief" else []
                out = tmp / "verdicts.jsonl"
                runs = [run(cmd, stdin, out) for _ in range(args.rounds)]
                wall, cpu, rss, code = min(runs)
                mb = out.stat().st_size / 1e6
                status = "" if code == 0 else f" (exit {code})"
                print(f"| {mode}, {label}{status} | {wall:.1f} | {cpu:.1f} | "
                      f"{wall / args.units * 1e6:,.0f} | {rss:,.0f} | {mb:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
