"""Verdicts: the outcome of evaluating one unit, with an explanation per criterion.

Values in explanations are stored in their canonical JSON form (``kind`` tells how to
read them): integers and booleans as such, decimals and percentages as exact decimal
strings (``"38.95"``, a percentage as its 0–100 value ``"90.1"``), dates as ISO strings,
enumeration values as level ids, and ``None`` for a value that was not given.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.model.common import Citation, Text

JSONScalar = int | bool | str | None


class CriterionStatus(enum.Enum):
    """The status of one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Status(enum.Enum):
    """The overall status of a unit."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"


@attrs.frozen
class RuleSetRef:
    """Which rule set decided: id, version and the sha256 of its canonical content."""

    id: str
    version: str
    sha256: str


@attrs.frozen
class ValueRead:
    """A value an explanation shows: a fact, a parameter or a computed (``let``) value."""

    name: str
    role: str
    kind: str
    value: JSONScalar
    label: Text | None = None


@attrs.frozen
class ComparisonTrace:
    """One comparison of the condition, with its operands' values and its result."""

    text: str
    left: JSONScalar
    op: str
    right: JSONScalar
    kind: str
    result: CriterionStatus


@attrs.frozen
class Needed:
    """What would pass: the fact must satisfy ``fact op value`` (e.g. ``crimes <= 38``)."""

    fact: str
    op: str
    value: JSONScalar
    kind: str

    def render(self) -> str:
        """``crimes <= 38``."""
        return f"{self.fact} {self.op} {self.value}"


@attrs.frozen
class Explanation:
    """Why a criterion has its status: the values read, the comparisons computed, what
    would pass, and the citation."""

    values: tuple[ValueRead, ...]
    comparisons: tuple[ComparisonTrace, ...]
    needed: tuple[Needed, ...]
    citation: Citation


@attrs.frozen
class CriterionResult:
    """The outcome of one criterion. ``missing`` lists the facts whose absence left it
    unknown (paths such as ``teams[2].good_deeds`` for record fields)."""

    id: str
    number: int
    group: str
    status: CriterionStatus
    reason: Text
    missing: tuple[str, ...] = ()
    explanation: Explanation | None = None


@attrs.frozen
class PrerequisiteResult:
    """The outcome of a required rule set, as seen by the rule set requiring it."""

    name: str
    ruleset: RuleSetRef
    status: Status
    failed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@attrs.frozen
class Verdict:
    """The outcome of evaluating one unit against a rule set.

    ``status`` is eligible / not_eligible / undetermined; ``level`` and ``points`` are
    set under a points policy; ``reason`` says in one sentence why.
    """

    ruleset: RuleSetRef
    evaluated_on: date
    status: Status
    reason: Text
    criteria: tuple[CriterionResult, ...]
    prerequisites: tuple[PrerequisiteResult, ...] = ()
    level: str | None = None
    points: str | None = None
    unit: str | None = None

    def criterion(self, id_or_number: str | int) -> CriterionResult:
        """The result of a criterion, by id or by number."""
        for c in self.criteria:
            if c.id == str(id_or_number) or c.number == id_or_number:
                return c
        raise KeyError(id_or_number)

    @property
    def met(self) -> tuple[str, ...]:
        """Ids of the criteria met."""
        return tuple(c.id for c in self.criteria if c.status is CriterionStatus.MET)

    @property
    def not_met(self) -> tuple[str, ...]:
        """Ids of the criteria not met."""
        return tuple(c.id for c in self.criteria if c.status is CriterionStatus.NOT_MET)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Ids of the criteria left unknown."""
        return tuple(c.id for c in self.criteria if c.status is CriterionStatus.UNKNOWN)
