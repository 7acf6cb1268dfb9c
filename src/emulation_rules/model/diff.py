"""What changed between two verdicts: :meth:`Verdict.diff` gives a :class:`VerdictDiff`.

The diff compares outcomes: the overall status, level, points and reason, the rule set
and date, the status of each prerequisite and of each criterion (criteria found in one
verdict only are listed as added or removed, as when the rule sets differ). For each
criterion whose status changed, the values its explanations read (facts, parameters,
computed values) that differ are listed with their value before and after, when both
verdicts are explained; a brief verdict has no values to compare. Values that changed
without changing any status are not listed: a diff is empty when both verdicts reach the
same outcome.

``diff.summary`` says it in Vietnamese and English (one line per change);
``to_json(diff)`` writes it through the library's converter.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Generic, TypeVar

import attrs

from emulation_rules.errors import ArgumentError
from emulation_rules.model.common import Text
from emulation_rules.model.diff_text import summary
from emulation_rules.model.verdict import (
    CriterionResult,
    CriterionStatus,
    JSONScalar,
    RuleSetRef,
    Status,
    ValueRead,
    Verdict,
)

T = TypeVar("T")


@attrs.frozen
class Changed(Generic[T]):
    """A value before and after."""

    before: T
    after: T


@attrs.frozen
class ValueChange:
    """A value a criterion's explanation read, before and after: a fact, a parameter or
    a computed value (``role``), in its canonical JSON form (``kind`` says how to read
    it); ``None`` for a value not given, or not read by that verdict's explanation."""

    name: str
    role: str
    kind: str
    before: JSONScalar
    after: JSONScalar
    label: Text | None = None


@attrs.frozen
class CriterionChange:
    """A criterion whose status changed. ``before`` is ``None`` for a criterion only the
    later verdict has (added), ``after`` for one only the earlier has (removed);
    ``values`` are the values read that changed (both verdicts explained)."""

    id: str
    number: int
    before: CriterionStatus | None
    after: CriterionStatus | None
    values: tuple[ValueChange, ...] = ()


@attrs.frozen
class PrerequisiteChange:
    """A prerequisite whose status changed (``None``: required by one verdict only)."""

    name: str
    before: Status | None
    after: Status | None


@attrs.frozen
class VerdictDiff:
    """What changed from one verdict (``before``) to another (``after``).

    Each field is ``None`` (or empty) when unchanged; :attr:`changed` tells whether
    anything did; ``values_compared`` is false when either verdict is brief (its
    criteria carry no explanation, so :attr:`CriterionChange.values` stays empty)."""

    ruleset: Changed[RuleSetRef] | None = None
    evaluated_on: Changed[date] | None = None
    unit: Changed[str | None] | None = None
    status: Changed[Status] | None = None
    level: Changed[str | None] | None = None
    points: Changed[str | None] | None = None
    reason: Changed[Text] | None = None
    prerequisites: tuple[PrerequisiteChange, ...] = ()
    criteria: tuple[CriterionChange, ...] = ()
    values_compared: bool = True

    @property
    def changed(self) -> bool:
        """Whether the two verdicts differ in anything this diff compares."""
        return any(
            getattr(self, a.name) not in (None, ())
            for a in attrs.fields(VerdictDiff)
            if a.name != "values_compared"
        )

    def __bool__(self) -> bool:
        return self.changed

    @property
    def summary(self) -> Text:
        """The changes in Vietnamese and English, one line each (one line saying there
        are none when the diff is empty)."""
        return summary(self)


def _changed(before: T, after: T) -> Changed[T] | None:
    return None if before == after else Changed(before, after)


def diff_verdicts(before: Verdict, after: Verdict) -> VerdictDiff:
    """What changed from ``before`` to ``after`` (see :class:`VerdictDiff`)."""
    if not isinstance(before, Verdict) or not isinstance(after, Verdict):
        raise ArgumentError(
            f"a verdict is compared with a verdict, not a {type(after).__name__}",
            message_vi=f"một kết quả đánh giá chỉ so được với một kết quả đánh giá, "
            f"không phải {type(after).__name__}",
            path=("other",),
        )
    compared = before.explained and after.explained
    return VerdictDiff(
        ruleset=_changed(before.ruleset, after.ruleset),
        evaluated_on=_changed(before.evaluated_on, after.evaluated_on),
        unit=_changed(before.unit, after.unit),
        status=_changed(before.status, after.status),
        level=_changed(before.level, after.level),
        points=_changed(before.points, after.points),
        reason=_changed(before.reason, after.reason),
        prerequisites=tuple(_prerequisites(before, after)),
        criteria=tuple(_criteria(before, after, values=compared)),
        values_compared=compared,
    )


def _prerequisites(before: Verdict, after: Verdict) -> Iterator[PrerequisiteChange]:
    old = {p.name: p.status for p in before.prerequisites}
    new = {p.name: p.status for p in after.prerequisites}
    for name in [*old, *(n for n in new if n not in old)]:
        if old.get(name) != new.get(name):
            yield PrerequisiteChange(name, old.get(name), new.get(name))


def _criteria(before: Verdict, after: Verdict, *, values: bool) -> Iterator[CriterionChange]:
    new = {c.id: c for c in after.criteria}
    old_ids = set()
    for old in before.criteria:
        old_ids.add(old.id)
        now = new.get(old.id)
        if now is None:
            yield CriterionChange(old.id, old.number, old.status, None)
        elif now.status is not old.status:
            changes = _values(old, now) if values else ()
            yield CriterionChange(old.id, now.number, old.status, now.status, changes)
    for now in after.criteria:
        if now.id not in old_ids:
            yield CriterionChange(now.id, now.number, None, now.status)


def _values(old: CriterionResult, new: CriterionResult) -> tuple[ValueChange, ...]:
    """The values read by either explanation that differ, in the order read (the later
    verdict's first, then those only the earlier one read)."""
    if old.explanation is None or new.explanation is None:
        return ()
    was = {v.name: v for v in old.explanation.values}
    now = {v.name: v for v in new.explanation.values}
    out = []
    for name in [*now, *(n for n in was if n not in now)]:
        a, b = was.get(name), now.get(name)
        if a is not None and b is not None and (a.kind, a.value) == (b.kind, b.value):
            continue
        out.append(_value_change(name, a, b))
    return tuple(out)


def _value_change(name: str, a: ValueRead | None, b: ValueRead | None) -> ValueChange:
    known = b if b is not None else a
    assert known is not None
    return ValueChange(
        name=name,
        role=known.role,
        kind=known.kind,
        before=None if a is None else a.value,
        after=None if b is None else b.value,
        label=known.label if known.label is not None else (a.label if a else None),
    )


__all__ = [
    "Changed",
    "CriterionChange",
    "PrerequisiteChange",
    "ValueChange",
    "VerdictDiff",
    "diff_verdicts",
]
