"""The decision policy: criteria statuses (and prerequisites) → the overall status.

* ``all``: eligible when every criterion is met; not eligible as soon as one is not met;
  undetermined otherwise.
* ``at_least`` N: eligible with N met; not eligible when even every unknown criterion
  being met would not reach N; undetermined otherwise.
* ``points``: the points of the met criteria map to a level; with unknown criteria the
  level is known only if the fewest and the most points possible map to the same level.

A prerequisite not eligible makes the unit not eligible, whatever its criteria; an
undetermined prerequisite makes an otherwise eligible unit undetermined.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from emulation_rules.evaluation.values import plain_decimal
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import PolicyKind
from emulation_rules.model.verdict import OVERALL_TEXT, CriterionStatus, PrerequisiteResult, Status


@attrs.frozen
class Decision:
    """The overall status, the level and points under a points policy, and why."""

    status: Status
    reason: Text
    level: str | None = None
    points: Decimal | None = None


FAST_MEMO_LIMIT = 1024
"""Most decisions a :class:`Decider` remembers for :meth:`Decider.fast`."""


class Decider:
    """The policy of one rule set, with its constant sentences prepared once.

    Safe to share between threads: its memo of decisions only gains entries that any
    thread computes alike (decisions are immutable)."""

    def __init__(self, definition: RuleSetDefinition) -> None:
        self.definition = definition
        self.policy = definition.policy
        self.numbers = tuple(c.id for c in definition.criteria)
        self._memo: dict[tuple[bool, ...], Decision] = {}
        total = len(self.numbers)
        self.words = definition.items
        self.overall = {
            Status.ELIGIBLE: self.words.achieved,
            Status.NOT_ELIGIBLE: self.words.not_achieved,
            Status.UNDETERMINED: OVERALL_TEXT[Status.UNDETERMINED],
        }
        """The overall words of this rule set (``Đủ điều kiện``; a plan's targets:
        ``Chưa hoàn thành chỉ tiêu``)."""
        word, items = self.overall[Status.ELIGIBLE], self.words.plural
        self.all_met = Decision(
            Status.ELIGIBLE,
            Text(
                f"{word.vi}: đạt {total}/{total} {items.vi}.",
                f"{word.en}: {total} of {total} {items.en} met.",
            ),
        )

    def _listed(self, statuses: Sequence[object], wanted: object) -> str:
        return ", ".join([n for n, s in zip(self.numbers, statuses, strict=True) if s is wanted])

    def fast(self, results: tuple[bool, ...]) -> Decision:
        """The decision when every criterion is known (``results`` are booleans).

        Decisions are remembered per combination of results (at most
        ``FAST_MEMO_LIMIT``): units failing the same criteria share one decision."""
        if self.policy.kind is PolicyKind.ALL and all(results):
            return self.all_met
        memo = self._memo
        decision = memo.get(results)
        if decision is None:
            decision = self._fast(results)
            if len(memo) < FAST_MEMO_LIMIT:
                memo[results] = decision
        return decision

    def _fast(self, results: Sequence[bool]) -> Decision:
        if self.policy.kind is PolicyKind.ALL:
            failed = self._listed(results, False)
            word, items = self.overall[Status.NOT_ELIGIBLE], self.words.plural
            return Decision(
                Status.NOT_ELIGIBLE,
                Text(
                    f"{word.vi}: không đạt {items.vi} {failed}.",
                    f"{word.en}: {items.en} not met: {failed}.",
                ),
            )
        return self.decide([CriterionStatus.MET if r else CriterionStatus.NOT_MET for r in results])

    def decide(
        self, statuses: Sequence[CriterionStatus], prerequisites: Sequence[PrerequisiteResult] = ()
    ) -> Decision:
        """Apply the policy to the criteria statuses and the prerequisites."""
        decision = self._criteria(statuses)
        return gate(decision, prerequisites)

    def _criteria(self, statuses: Sequence[CriterionStatus]) -> Decision:
        kind = self.policy.kind
        if kind is PolicyKind.ALL:
            if all(s is CriterionStatus.MET for s in statuses):
                return self.all_met
            status, why = self._all(statuses)
            level, points = None, None
        elif kind is PolicyKind.AT_LEAST:
            status, why = self._at_least(statuses)
            level, points = None, None
        else:
            status, why, level, points = self._points(statuses)
        word = self.overall[status]
        return Decision(
            status, Text(f"{word.vi}: {why.vi}.", f"{word.en}: {why.en}."), level, points
        )

    def _all(self, statuses: Sequence[CriterionStatus]) -> tuple[Status, Text]:
        """Every criterion must be met (and some is not)."""
        if any(s is CriterionStatus.NOT_MET for s in statuses):
            failed = self._listed(statuses, CriterionStatus.NOT_MET)
            items = self.words.plural
            return Status.NOT_ELIGIBLE, Text(
                f"không đạt {items.vi} {failed}", f"{items.en} not met: {failed}"
            )
        open_ = self._listed(statuses, CriterionStatus.UNKNOWN)
        items = self.words.plural
        return Status.UNDETERMINED, Text(
            f"thiếu dữ liệu cho {items.vi} {open_}", f"missing evidence for {items.en} {open_}"
        )

    def _at_least(self, statuses: Sequence[CriterionStatus]) -> tuple[Status, Text]:
        """At least ``at_least`` criteria must be met."""
        total = len(statuses)
        met = sum(1 for s in statuses if s is CriterionStatus.MET)
        unknown = sum(1 for s in statuses if s is CriterionStatus.UNKNOWN)
        need = self.policy.at_least or total
        if met >= need:
            status = Status.ELIGIBLE
        elif met + unknown < need:
            status = Status.NOT_ELIGIBLE
        else:
            status = Status.UNDETERMINED
        return status, Text(
            f"đạt {met}/{total} tiêu chí, cần ít nhất {need}"
            + (f", {unknown} chưa xác định" if unknown else ""),
            f"{met} of {total} criteria met, at least {need} needed"
            + (f", {unknown} unknown" if unknown else ""),
        )

    def _points(
        self, statuses: Sequence[CriterionStatus]
    ) -> tuple[Status, Text, str | None, Decimal | None]:
        """The points of the criteria met give a level, which must reach ``eligible_from``;
        unknown criteria may raise the points up to a higher level."""
        policy, definition = self.policy, self.definition
        level: str | None = None
        points: Decimal | None = None
        weights = [Decimal(c.spec.points) for c in definition.criteria]
        low = sum(
            (w for w, s in zip(weights, statuses, strict=True) if s is CriterionStatus.MET),
            Decimal(0),
        )
        high = low + sum(
            (w for w, s in zip(weights, statuses, strict=True) if s is CriterionStatus.UNKNOWN),
            Decimal(0),
        )
        low_level, high_level = _level(definition, low), _level(definition, high)
        enum = definition.enum_types[policy.enum or ""]
        floor = enum.rank(policy.eligible_from or "")
        low_ok = low_level is not None and enum.rank(low_level) >= floor
        high_ok = high_level is not None and enum.rank(high_level) >= floor
        if low_level == high_level:
            level, points = low_level, low
            status = Status.ELIGIBLE if low_ok else Status.NOT_ELIGIBLE
        else:
            status = (
                Status.ELIGIBLE
                if low_ok
                else Status.UNDETERMINED
                if high_ok
                else Status.NOT_ELIGIBLE
            )
        label = _level_label(definition, level)
        why = Text(
            f"{plain_decimal(low)} điểm"
            + (f" (tối đa {plain_decimal(high)} nếu đủ dữ liệu)" if high != low else "")
            + (f", xếp loại {label.vi}" if label else ""),
            f"{plain_decimal(low)} points"
            + (f" (up to {plain_decimal(high)} with full evidence)" if high != low else "")
            + (f", level {label.en}" if label else ""),
        )
        return status, why, level, points


def gate(decision: Decision, prerequisites: Sequence[PrerequisiteResult]) -> Decision:
    """A prerequisite not met blocks; one undetermined leaves an eligible unit undetermined."""
    blocked = [p for p in prerequisites if p.status is Status.NOT_ELIGIBLE]
    pending = [p for p in prerequisites if p.status is Status.UNDETERMINED]
    if blocked:
        status = Status.NOT_ELIGIBLE
        names = ", ".join(p.ruleset.id for p in blocked)
        vi, en = f"chưa đáp ứng điều kiện lựa chọn ({names})", f"prerequisite not met ({names})"
    elif pending and decision.status is Status.ELIGIBLE:
        status = Status.UNDETERMINED
        names = ", ".join(p.ruleset.id for p in pending)
        vi, en = (
            f"chưa xác định được điều kiện lựa chọn ({names})",
            f"prerequisite undetermined ({names})",
        )
    else:
        return decision
    word = OVERALL_TEXT[status]
    inner_vi = decision.reason.vi.split(": ", 1)[-1]
    inner_en = decision.reason.en.split(": ", 1)[-1]
    return Decision(
        status,
        Text(f"{word.vi}: {vi}; {inner_vi}", f"{word.en}: {en}; {inner_en}"),
        decision.level,
        decision.points,
    )


def _level(definition: RuleSetDefinition, points: Decimal) -> str | None:
    for threshold in definition.policy.levels:
        if points >= Decimal(threshold.min_points):
            return threshold.level
    return None


def _level_label(definition: RuleSetDefinition, level: str | None) -> Text | None:
    if level is None or definition.policy.enum is None:
        return None
    for lv in definition.enumerations[definition.policy.enum].levels:
        if lv.id == level:
            return Text(lv.vi, lv.en)
    return None


def outcome_value(status: Status) -> Any:
    """A rule set's overall status as the value a criterion requiring it reads (a
    prerequisite's outcome): ``True``, ``False`` or ``UNKNOWN``."""
    if status is Status.ELIGIBLE:
        return True
    return False if status is Status.NOT_ELIGIBLE else UNKNOWN
