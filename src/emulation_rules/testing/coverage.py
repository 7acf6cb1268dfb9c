"""Rule coverage: which criteria were seen ``met``, ``not_met`` and ``unknown``, and which
branches of ``if`` expressions were taken, per rule set, over a run of cases or tests.

An ``if`` whose condition reads no fact (only parameters and constants) is decided by
the rule set itself on its date: the branch it does not take cannot be reached by any
evidence, so it is reported as *decided by parameters* and left out of the percentage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

import attrs

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.expr import typed as t
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.verdict import CriterionStatus, Verdict

STATUSES = (CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN)


@attrs.frozen
class CriterionCoverage:
    """The statuses a criterion was seen with."""

    id: str
    seen: frozenset[CriterionStatus]

    @property
    def never(self) -> tuple[CriterionStatus, ...]:
        """The statuses it was never seen with."""
        return tuple(s for s in STATUSES if s not in self.seen)


@attrs.frozen
class BranchCoverage:
    """One ``if`` expression of a criterion: which branches were taken."""

    criterion: str
    index: int
    text: str
    then_taken: bool
    else_taken: bool
    decided_by: tuple[str, ...] = ()
    """The parameters that decide the condition, when it reads no fact (not counted)."""

    @property
    def counted(self) -> int:
        """Branches that evidence can reach (0 when decided by parameters)."""
        return 0 if self.decided_by else 2

    @property
    def taken(self) -> int:
        """Branches taken, among those counted."""
        return 0 if self.decided_by else int(self.then_taken) + int(self.else_taken)


@attrs.frozen
class RuleSetCoverage:
    """The coverage of one rule set (id and version)."""

    ruleset: str
    version: str
    evaluations: int
    criteria: tuple[CriterionCoverage, ...]
    branches: tuple[BranchCoverage, ...]

    @property
    def outcomes(self) -> tuple[int, int]:
        """(outcomes seen, outcomes possible): three statuses per criterion, two branches
        per ``if`` (not decided by parameters)."""
        seen = sum(len(c.seen) for c in self.criteria) + sum(b.taken for b in self.branches)
        total = 3 * len(self.criteria) + sum(b.counted for b in self.branches)
        return seen, total

    @property
    def percent(self) -> float:
        """Outcomes seen, as a percentage (100.0 for a rule set with nothing to see)."""
        seen, total = self.outcomes
        return 100.0 if total == 0 else 100.0 * seen / total

    def gaps(self) -> list[str]:
        """What was never seen, one line each (English)."""
        out = [
            f"criterion {c.id}: never {', '.join(s.value for s in c.never)}"
            for c in self.criteria
            if c.never
        ]
        for b in self.branches:
            if b.decided_by:
                continue
            missing = [
                n for n, taken in (("then", b.then_taken), ("else", b.else_taken)) if not taken
            ]
            if missing:
                out.append(
                    f"criterion {b.criterion}: `{_short(b.text)}`: "
                    f"{' and '.join(missing)} branch never taken"
                )
        return out


class _Seen:
    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.evaluations = 0
        self.statuses: dict[str, set[CriterionStatus]] = {c.id: set() for c in ruleset.criteria}
        self.branches: dict[tuple[str, int], set[bool]] = {}


class RuleCoverage:
    """Collects what evaluations exercised. Record with :meth:`record` (or
    :meth:`evaluate`, which evaluates and records); read with :meth:`report`.
    Safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str, str], _Seen] = {}

    def evaluate(self, ruleset: RuleSet, evidence: object, *, explain: bool = True) -> Verdict:
        """Evaluate ``evidence`` and record the statuses and the branches taken."""
        verdict = ruleset.evaluate(evidence, explain=explain)
        self.record(ruleset, verdict, ruleset.branches_taken(evidence))
        return verdict

    def record(
        self,
        ruleset: RuleSet,
        verdict: Verdict,
        branches: Mapping[str, Iterable[tuple[int, bool | None]]] = {},
    ) -> None:
        """Record one verdict of ``ruleset`` and the branches its evaluation took."""
        key = (ruleset.id, ruleset.version, ruleset.sha256)
        with self._lock:
            seen = self._seen.get(key)
            if seen is None:
                seen = self._seen[key] = _Seen(ruleset)
            seen.evaluations += 1
            for result in verdict.criteria:
                seen.statuses[result.id].add(result.status)
            for crit_id, taken in branches.items():
                for index, value in taken:
                    if value is not None:
                        seen.branches.setdefault((crit_id, index), set()).add(value)

    def report(self) -> list[RuleSetCoverage]:
        """The coverage of every rule set seen, by id and version."""
        with self._lock:
            seen = sorted(self._seen.values(), key=lambda s: (s.ruleset.id, s.ruleset.version))
            return [_coverage(s) for s in seen]

    def merge(self, other: RuleCoverage) -> None:
        """Add what ``other`` saw (for runs split across workers)."""
        with other._lock:
            items = list(other._seen.items())
        with self._lock:
            for key, theirs in items:
                mine = self._seen.get(key)
                if mine is None:
                    mine = self._seen[key] = _Seen(theirs.ruleset)
                mine.evaluations += theirs.evaluations
                for cid, statuses in theirs.statuses.items():
                    mine.statuses[cid] |= statuses
                for bkey, values in theirs.branches.items():
                    mine.branches.setdefault(bkey, set()).update(values)


def _coverage(seen: _Seen) -> RuleSetCoverage:
    rs = seen.ruleset
    criteria = tuple(CriterionCoverage(c.id, frozenset(seen.statuses[c.id])) for c in rs.criteria)
    branches = []
    for crit in rs.criteria:
        for node in crit.branches:
            taken = seen.branches.get((crit.id, node.index), set())
            branches.append(
                BranchCoverage(
                    crit.id,
                    node.index,
                    node.text,
                    True in taken,
                    False in taken,
                    decided_by(node.cond, crit),
                )
            )
    return RuleSetCoverage(rs.id, rs.version, seen.evaluations, criteria, tuple(branches))


def decided_by(cond: t.Expr, crit: CheckedCriterion) -> tuple[str, ...]:
    """The parameters deciding ``cond`` when it reads no fact (through lets too); ``()``
    when evidence can change it."""
    lets = dict(crit.lets)
    params: set[str] = set()
    stack = [cond]
    while stack:
        node = stack.pop()
        for sub in t.walk(node):
            if isinstance(sub, t.FactRef | t.VarRef | t.Field):
                return ()
            if isinstance(sub, t.ParamRef):
                params.add(sub.name)
            elif isinstance(sub, t.LocalRef) and sub.name in lets:
                stack.append(lets[sub.name])
    return tuple(sorted(params)) or ("constant",)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_coverage(report: Iterable[RuleSetCoverage]) -> str:
    """A plain-text table of the coverage, then what was never seen."""
    rows = list(report)
    width = max([len("rule set"), *(len(f"{r.ruleset} {r.version}") for r in rows)])
    lines = [
        f"{'rule set':<{width}} {'crit.':>5} {'met':>4} {'not met':>8} {'unknown':>8} "
        f"{'branches':>9} {'coverage':>9}"
    ]
    for r in rows:
        counts = {s: sum(s in c.seen for c in r.criteria) for s in STATUSES}
        taken = sum(b.taken for b in r.branches)
        counted = sum(b.counted for b in r.branches)
        lines.append(
            f"{f'{r.ruleset} {r.version}':<{width}} {len(r.criteria):>5} "
            f"{counts[CriterionStatus.MET]:>4} {counts[CriterionStatus.NOT_MET]:>8} "
            f"{counts[CriterionStatus.UNKNOWN]:>8} {f'{taken}/{counted}':>9} {r.percent:>8.1f}%"
        )
    for r in rows:
        for gap in r.gaps():
            lines.append(f"  {r.ruleset}: {gap}")
        for b in r.branches:
            if b.decided_by:
                side = "then" if b.then_taken else "else" if b.else_taken else "no"
                lines.append(
                    f"  {r.ruleset}: criterion {b.criterion}: `{_short(b.text)}` is decided by "
                    f"{', '.join(b.decided_by)} ({side} branch; not counted)"
                )
    return "\n".join(lines)


__all__ = [
    "BranchCoverage",
    "CriterionCoverage",
    "RuleCoverage",
    "RuleSetCoverage",
    "decided_by",
    "render_coverage",
]
