"""The ``emulation-rules test`` command: run YAML test cases, print a table of passes and
failures with the differing criteria, and (``--coverage``) the rule coverage.

Exit codes: 0 when every case passes (and coverage reaches ``--fail-under``), 1 when a
case fails or coverage is under, 2 on a malformed case file or bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from emulation_rules.errors import NotFoundError
from emulation_rules.loading.catalogue import shipped_folder
from emulation_rules.model.converter import converter
from emulation_rules.testing.casefile import find_case_files, load_case_file
from emulation_rules.testing.coverage import RuleCoverage, render_coverage
from emulation_rules.testing.runner import CaseRunner, library_for, render_results


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``test`` command to ``subparsers``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "test",
        help="run YAML test cases (cases/*.yaml, *.cases.yaml); --coverage for rule coverage",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="case files or folders (default: ., or none with --shipped)",
    )
    p.add_argument(
        "--shipped",
        action="store_true",
        help="run the cases of the shipped rule sets (rulesets/cases of the installed package)",
    )
    p.add_argument("--coverage", action="store_true", help="report the rule coverage")
    p.add_argument(
        "--fail-under",
        type=float,
        metavar="PERCENT",
        help="with --coverage: exit 1 when a rule set's coverage is under PERCENT",
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["vi", "en"], default="en", help="language of the reasons")
    return p


def run(args: argparse.Namespace) -> int:
    """Run the cases; returns the exit code."""
    files = find_case_files(_case_paths(args))
    if not files:
        where = " ".join(str(p) for p in _case_paths(args))
        raise NotFoundError(
            f"no case files (cases/*.yaml, *.cases.yaml) in {where}",
            message_vi=f"không có tệp ca kiểm thử nào (cases/*.yaml, *.cases.yaml) trong {where}",
        )
    cases = [case for file in files for case in load_case_file(file)]
    coverage = RuleCoverage() if args.coverage or args.fail_under is not None else None
    runner = CaseRunner(library_for(files, [Path(f) for f in args.folder]), coverage)
    results = runner.run_all(cases)
    report = coverage.report() if coverage is not None else []
    under = [
        r for r in report if args.fail_under is not None and r.percent + 1e-9 < args.fail_under
    ]
    if args.format == "json":
        data: dict[str, Any] = {
            "cases": [
                {
                    "name": r.case.name,
                    "file": r.case.file,
                    "line": r.case.line,
                    "ruleset": r.case.ruleset,
                    "on": r.case.on.isoformat(),
                    "passed": r.passed,
                    "error": r.error,
                    "differences": converter.unstructure(list(r.differences)),
                }
                for r in results
            ],
        }
        if coverage is not None:
            data["coverage"] = [
                {**converter.unstructure(r), "percent": round(r.percent, 2), "gaps": r.gaps()}
                for r in report
            ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(render_results(results, lang=args.lang))
        if coverage is not None:
            print()
            print("Rule coverage")
            print(render_coverage(report))
        for r in under:
            print(f"coverage of {r.ruleset} is {r.percent:.1f}%, under {args.fail_under}%")
    return 1 if under or any(not r.passed for r in results) else 0


def _case_paths(args: argparse.Namespace) -> list[str | Path]:
    """The paths given; with ``--shipped``, the shipped cases first; "." when none."""
    paths: list[str | Path] = list(args.paths)
    if args.shipped:
        paths.insert(0, Path(str(shipped_folder())) / "cases")
    return paths or ["."]


__all__ = ["add_parser", "run"]
