"""Running YAML test cases: each case is evaluated (with explanations) and compared with
what it expects; the differences say which criterion differs and why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs

from emulation_rules.api import Library
from emulation_rules.errors import EmulationRulesError
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.loading.catalogue import with_folder
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import Verdict
from emulation_rules.testing.casefile import Case
from emulation_rules.testing.coverage import RuleCoverage


@attrs.frozen
class Difference:
    """One way a verdict differs from what a case expects."""

    subject: str
    """``status``, ``criterion 18``, ``criterion 18 missing``, ``level`` or ``points``."""
    expected: str
    actual: str
    reason: Text | None = None
    """The criterion's reason (vi/en), when the difference is about a criterion."""

    def render(self, lang: str = "en") -> str:
        """One line: ``criterion 18: expected not_met, got met (reason)``."""
        line = f"{self.subject}: expected {self.expected}, got {self.actual}"
        if self.reason is not None:
            line += f" ({self.reason.vi if lang == 'vi' else self.reason.en})"
        return line


@attrs.frozen
class CaseResult:
    """The outcome of one case."""

    case: Case
    differences: tuple[Difference, ...] = ()
    verdict: Verdict | None = None
    error: str | None = None
    """Why the case could not be evaluated (unknown rule set, bad evidence, …)."""

    @property
    def passed(self) -> bool:
        """Evaluated, and as expected."""
        return self.error is None and not self.differences


def compare(case: Case, verdict: Verdict) -> tuple[Difference, ...]:
    """How ``verdict`` differs from what ``case`` expects (empty when it passes)."""
    expect = case.expect
    out: list[Difference] = []
    if expect.status is not None and verdict.status is not expect.status:
        out.append(Difference("status", expect.status.value, verdict.status.value, verdict.reason))
    by_id = {c.id: c for c in verdict.criteria}
    for cid in expect.criteria:
        if cid not in by_id:
            out.append(
                Difference(f"criterion {cid}", expect.criteria[cid].value, "no such criterion")
            )
    for result in verdict.criteria:
        wanted = expect.criteria.get(result.id, expect.others)
        if wanted is not None and result.status is not wanted:
            out.append(
                Difference(
                    f"criterion {result.id}", wanted.value, result.status.value, result.reason
                )
            )
    for cid, facts in expect.missing.items():
        found = by_id.get(cid)
        if found is None:
            out.append(
                Difference(f"criterion {cid} missing", ", ".join(facts), "no such criterion")
            )
        elif sorted(found.missing) != sorted(facts):
            out.append(
                Difference(
                    f"criterion {cid} missing",
                    ", ".join(sorted(facts)) or "nothing",
                    ", ".join(sorted(found.missing)) or "nothing",
                )
            )
    if expect.level is not None and verdict.level != expect.level:
        out.append(Difference("level", expect.level, str(verdict.level)))
    if expect.points is not None and (
        verdict.points is None or Decimal(verdict.points) != expect.points
    ):
        out.append(Difference("points", str(expect.points), str(verdict.points)))
    return tuple(out)


class CaseRunner:
    """Runs cases against a library's rule sets, recording rule coverage if given one."""

    def __init__(self, library: Library, coverage: RuleCoverage | None = None) -> None:
        self.library = library
        self.coverage = coverage

    def ruleset(self, case: Case) -> RuleSet:
        """The rule set a case names, compiled for its date."""
        return self.library.load(case.ruleset, on=case.on, version=case.version)

    def run(self, case: Case) -> CaseResult:
        """Evaluate one case and compare; errors become a failed result, never raise."""
        try:
            rs = self.ruleset(case)
            if self.coverage is not None:
                verdict = self.coverage.evaluate(rs, case.evidence)
            else:
                verdict = rs.evaluate(case.evidence, explain=True)
        except EmulationRulesError as exc:
            return CaseResult(case, error=f"{type(exc).__name__}: {exc}")
        return CaseResult(case, compare(case, verdict), verdict)

    def run_all(self, cases: Iterable[Case]) -> list[CaseResult]:
        """Run every case, in order."""
        return [self.run(case) for case in cases]


def library_for(case_files: Sequence[Path], folders: Iterable[str | Path] = ()) -> Library:
    """A library with the shipped rule sets and :func:`rule_set_folders`."""
    return Library(rule_set_folders(case_files, folders))


def rule_set_folders(case_files: Sequence[Path], folders: Iterable[str | Path] = ()) -> list[Path]:
    """``folders``, and the rule-set folder of each case file: the folder holding its
    ``cases/`` folder, or its own folder for a ``*.cases.yaml`` file. The shipped folder
    (and any folder inside it) is left out: every library reads it already."""
    candidates = [Path(f) for f in folders]
    for file in case_files:
        folder = file.resolve().parent
        for parent in (folder, *folder.parents):
            if parent.name == "cases":
                folder = parent.parent
                break
        candidates.append(folder)
    roots: list[str | Path | Traversable] = []
    for folder in candidates:
        roots = with_folder(roots, folder)
    return [Path(str(r)) for r in roots]


def render_results(results: Sequence[CaseResult], *, lang: str = "en") -> str:
    """A plain-text table of the cases (PASS/FAIL), with the differences under each
    failure, and a count."""
    width = min(max((len(r.case.name) for r in results), default=10), 70)
    lines = [f"{'result':<6}  {'case':<{width}}  rule set"]
    for r in results:
        name = r.case.name if len(r.case.name) <= width else r.case.name[: width - 1] + "…"
        mark = "PASS" if r.passed else "FAIL"
        lines.append(f"{mark:<6}  {name:<{width}}  {r.case.ruleset} ({r.case.on})")
        if not r.passed:
            lines.append(f"        at {r.case.where}")
        if r.error is not None:
            lines.append(f"        {r.error}")
        for d in r.differences:
            lines.append(f"        {d.render(lang)}")
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed, {len(results)} cases")
    return "\n".join(lines)


__all__ = [
    "CaseResult",
    "CaseRunner",
    "Difference",
    "compare",
    "library_for",
    "render_results",
    "rule_set_folders",
]
