"""Verdicts: the outcome of evaluating one unit, with an explanation per criterion.

Values in explanations are stored in their canonical JSON form (``kind`` tells how to
read them): integers and booleans as such, decimals and percentages as exact decimal
strings (``"38.95"``, a percentage as its 0–100 value ``"90.1"``), dates as ISO strings,
enumeration values as level ids, and ``None`` for a value that was not given.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from emulation_rules.errors import unknown_criterion
from emulation_rules.model.common import Citation, Text

if TYPE_CHECKING:
    from emulation_rules.model.diff import VerdictDiff

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


STATUS_TEXT = {
    CriterionStatus.MET: Text("Đạt", "met"),
    CriterionStatus.NOT_MET: Text("Không đạt", "not met"),
    CriterionStatus.UNKNOWN: Text("Chưa xác định", "unknown"),
}
"""The words of a criterion's status, in Vietnamese and English."""
OVERALL_TEXT = {
    Status.ELIGIBLE: Text("Đủ điều kiện", "Eligible"),
    Status.NOT_ELIGIBLE: Text("Không đủ điều kiện", "Not eligible"),
    Status.UNDETERMINED: Text("Chưa xác định", "Undetermined"),
}
"""The words of an overall status, in Vietnamese and English."""


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
    ignored_facts: tuple[str, ...] = ()
    """Names in the evidence the rule set does not read, left out under
    ``unknown_facts="report"`` (empty otherwise)."""

    @property
    def explained(self) -> bool:
        """Whether the criteria carry explanations (``evaluate(..., explain=True)``),
        known without building them."""
        pending = _criteria_slot(self)
        if isinstance(pending, DeferredCriteria):
            return pending.explained
        return any(c.explanation is not None for c in pending)

    def criterion(self, id_or_number: str | int) -> CriterionResult:
        """The result of a criterion, by id or by number."""
        for c in self.criteria:
            if c.id == str(id_or_number) or c.number == id_or_number:
                return c
        raise unknown_criterion(id_or_number, [c.id for c in self.criteria])

    @property
    def met(self) -> tuple[str, ...]:
        """Ids of the criteria met."""
        return self._with(CriterionStatus.MET)

    @property
    def not_met(self) -> tuple[str, ...]:
        """Ids of the criteria not met."""
        return self._with(CriterionStatus.NOT_MET)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Ids of the criteria left unknown."""
        return self._with(CriterionStatus.UNKNOWN)

    def diff(self, other: Verdict) -> VerdictDiff:
        """What changed from this verdict to ``other``: status, level, points, reason,
        the criteria whose status changed and the values read that changed them (see
        :class:`~emulation_rules.model.diff.VerdictDiff`)."""
        from emulation_rules.model.diff import diff_verdicts  # diff.py reads this module

        return diff_verdicts(self, other)

    def _with(self, status: CriterionStatus) -> tuple[str, ...]:
        pending = _criteria_slot(self)
        if isinstance(pending, DeferredCriteria):  # known without building the explanations
            return tuple(
                i for i, s in zip(pending.ids, pending.statuses, strict=True) if s is status
            )
        return tuple(c.id for c in pending if c.status is status)


class DeferredCriteria(abc.ABC):
    """The criteria of an explained verdict, built on first read.

    ``evaluate(..., explain=True)`` records what explaining needs (the values read, the
    statuses) and hands the verdict one of these in place of its ``criteria`` tuple; the
    first read of ``verdict.criteria`` (or equality, hashing, ``repr``, serialising)
    builds the tuple, once, and every later read returns the same tuple. Nothing a host
    reads changes: ``verdict.criteria`` is always a tuple of :class:`CriterionResult`.
    """

    __slots__ = ("_built", "explained", "ids", "missing", "statuses")

    def __init__(
        self,
        ids: tuple[str, ...],
        statuses: tuple[CriterionStatus, ...],
        missing: tuple[tuple[str, ...], ...],
        *,
        explained: bool,
    ) -> None:
        self.ids = ids
        self.statuses = statuses
        self.missing = missing
        self.explained = explained
        self._built: tuple[CriterionResult, ...] | None = None

    def criteria(self) -> tuple[CriterionResult, ...]:
        """The criteria, built on the first call (two threads racing both build equal
        tuples; either is kept)."""
        built = self._built
        if built is None:
            built = self._built = self.build()
        return built

    @abc.abstractmethod
    def build(self) -> tuple[CriterionResult, ...]:
        """Build the criteria (called once)."""

    @abc.abstractmethod
    def values_json(self) -> Mapping[str, Any]:
        """The facts the criteria read, in their canonical JSON form (missing ones left
        out): what the compact JSON form stores to rebuild the explanations."""

    def criterion_texts(self) -> tuple[str, ...] | None:
        """Each criterion's JSON text as the library's default converter writes it, when
        kept from an earlier verdict (a speed-up of the expanded form); None otherwise."""
        return None


class _DeferredField:
    """The ``criteria`` attribute of :class:`Verdict`: a tuple, or built from the
    :class:`DeferredCriteria` held in its slot on first read."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = self.slot.__get__(obj, owner)
        if isinstance(value, DeferredCriteria):
            return value.criteria()
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.slot.__delete__(obj)


class BuiltCriteria(DeferredCriteria):
    """Criteria already built, with the values their explanations came from: what an
    explained verdict made by ``evaluate`` becomes when pickled (to or from a worker
    process), so that it can still be written in the compact form."""

    __slots__ = ("_values",)

    def __init__(
        self,
        ids: tuple[str, ...],
        statuses: tuple[CriterionStatus, ...],
        missing: tuple[tuple[str, ...], ...],
        explained: bool,
        criteria: tuple[CriterionResult, ...],
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(ids, statuses, missing, explained=explained)
        self._built = criteria
        self._values = dict(values)

    def build(self) -> tuple[CriterionResult, ...]:  # pragma: no cover - built already
        assert self._built is not None
        return self._built

    def values_json(self) -> Mapping[str, Any]:
        return self._values

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            BuiltCriteria,
            (self.ids, self.statuses, self.missing, self.explained, self.criteria(), self._values),
        )


_CRITERIA_SLOT = Verdict.__dict__["criteria"]
Verdict.criteria = _DeferredField(_CRITERIA_SLOT)  # type: ignore[assignment]
_STATE_NAMES = tuple(a.name for a in attrs.fields(Verdict))


def _verdict_state(self: Verdict) -> dict[str, Any]:
    """A verdict's pickled state: its fields, the criteria as built criteria that keep
    the values they were explained from (see :class:`BuiltCriteria`)."""
    state = {name: getattr(self, name) for name in _STATE_NAMES if name != "criteria"}
    pending = _CRITERIA_SLOT.__get__(self)
    if isinstance(pending, DeferredCriteria):
        pending = BuiltCriteria(
            pending.ids,
            pending.statuses,
            pending.missing,
            pending.explained,
            pending.criteria(),
            pending.values_json(),
        )
    state["criteria"] = pending
    return state


Verdict.__getstate__ = _verdict_state  # type: ignore[method-assign,assignment]


def _criteria_slot(verdict: Verdict) -> tuple[CriterionResult, ...] | DeferredCriteria:
    """What the verdict's ``criteria`` slot holds, without building it."""
    value: tuple[CriterionResult, ...] | DeferredCriteria = _CRITERIA_SLOT.__get__(verdict)
    return value


def deferred_of(verdict: Verdict) -> DeferredCriteria | None:
    """The verdict's deferred criteria (built or not), or ``None`` if it was made with a
    plain tuple."""
    value = _criteria_slot(verdict)
    return value if isinstance(value, DeferredCriteria) else None
