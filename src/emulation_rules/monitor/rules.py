"""The alerting rules, generated from the rule set, the mapping and the campaign plan.

The monitor turns what it observes into *signals* (:mod:`~.signals`, matched here in
their JSON form): a target's
status changed, a team-month is about to close or closed with a record failing a target,
a new day began. The rules say which signals raise which alert; they are generated, one
per criterion and transition, two per criterion that reads a monthly fact, one per
deadline of each phase, never written by hand per target:

- ``at_risk`` of criterion *c*: a status signal of *c* that now is ``at_risk`` and was
  not (not for a monthly criterion: its risk is told team by team, ``month_ending``);
- ``missed`` of *c*: a status signal of *c* that now is ``missed`` and was not;
- ``month_ending`` of *c*: a month signal of stage ``ending`` (a team-month record in the
  last days of its month) of *c* whose record, were the month to close now, is ``not_met``;
- ``month_closed`` of *c*: a month signal of stage ``closed`` of *c* whose record is
  ``not_met``;
- ``deadline_near`` of a deadline: a clock signal on a day from ``warn_from`` to the last
  day (days are ordinals), read from the campaign plan and the mapping's lead time.

Each rule is a durable-rules condition on one fact (``{"$and": [...]}`` of equalities,
``$neq``, ``$gte``, ``$lte``). The worker process runs them on durable-rules' Rete engine;
:class:`PythonMatcher` runs the same conditions in plain Python (no durable-rules, no
eval), so both engines can be checked against each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.alerts import AlertKind, TargetStatus
from emulation_rules.monitor.indicators import Plan
from emulation_rules.monitor.schedule import Schedule
from emulation_rules.monitor.signals import (
    ClockSignal,
    Message,
    MonthSignal,
    MonthStage,
    StatusSignal,
)

Pattern = dict[str, Any]


@attrs.frozen
class GeneratedRule:
    """One generated rule: its name in the engine, what it raises, and its condition."""

    name: str
    kind: AlertKind
    pattern: Pattern
    criterion: str | None = None
    deadline: str | None = None
    phase: str | None = None


def _status_rule(index: int, kind: AlertKind, criterion: str) -> GeneratedRule:
    now = TargetStatus.AT_RISK if kind is AlertKind.AT_RISK else TargetStatus.MISSED
    pattern = {
        "$and": [
            {"t": StatusSignal.TAG},
            {"criterion": criterion},
            {"now": now.value},
            {"$neq": {"was": now.value}},
        ]
    }
    return GeneratedRule(f"r{index}", kind, pattern, criterion=criterion)


def generate_rules(ruleset: RuleSet, plan: Plan, schedule: Schedule) -> tuple[GeneratedRule, ...]:
    """Every alerting rule of one monitor."""
    rules: list[GeneratedRule] = []
    monthly_criteria = {c for m in plan.monthly for c in m.criteria}
    for criterion in ruleset.criteria:
        if criterion.id not in monthly_criteria:  # told team by team: month_ending
            rules.append(_status_rule(len(rules), AlertKind.AT_RISK, criterion.id))
        rules.append(_status_rule(len(rules), AlertKind.MISSED, criterion.id))
    for monthly in plan.monthly:
        for criterion_id in monthly.criteria:
            for kind, stage in (
                (AlertKind.MONTH_ENDING, MonthStage.ENDING),
                (AlertKind.MONTH_CLOSED, MonthStage.CLOSED),
            ):
                month_pattern: Pattern = {
                    "$and": [
                        {"t": MonthSignal.TAG},
                        {"stage": stage.value},
                        {"fact": monthly.name},
                        {"criterion": criterion_id},
                        {"status": CriterionStatus.NOT_MET.value},
                    ]
                }
                rules.append(
                    GeneratedRule(f"r{len(rules)}", kind, month_pattern, criterion=criterion_id)
                )
    for phase in schedule.phases:
        for deadline in phase.deadlines:
            clock_pattern: Pattern = {
                "$and": [
                    {"t": ClockSignal.TAG},
                    {"$gte": {"day": deadline.warn_from.toordinal()}},
                    {"$lte": {"day": deadline.last_day.toordinal()}},
                ]
            }
            rules.append(
                GeneratedRule(
                    f"r{len(rules)}",
                    AlertKind.DEADLINE_NEAR,
                    clock_pattern,
                    deadline=deadline.id,
                    phase=phase.id,
                )
            )
    return tuple(rules)


def durable_definition(rules: Sequence[GeneratedRule]) -> dict[str, Any]:
    """The rule set in durable-rules' JSON form (actions attached by the worker)."""
    return {rule.name: {"all": [{"m": rule.pattern}]} for rule in rules}


# -- the same conditions in plain Python ------------------------------------------------------
_COMPARE = {
    "$neq": lambda a, b: a != b,
    "$gte": lambda a, b: a >= b,
    "$lte": lambda a, b: a <= b,
    "$gt": lambda a, b: a > b,
    "$lt": lambda a, b: a < b,
}


def matches(pattern: Mapping[str, Any], message: Mapping[str, Any]) -> bool:
    """Whether a message satisfies a condition of the generated subset: ``$and``,
    ``$or``, comparisons ``{"$gte": {field: constant}}`` and equalities
    ``{field: constant}``. A field the message lacks satisfies nothing (as in
    durable-rules)."""
    if len(pattern) != 1:
        raise ValueError(f"a condition has one key, got {sorted(pattern)}")
    ((op, arg),) = pattern.items()
    if op == "$and":
        return all(matches(p, message) for p in arg)
    if op == "$or":
        return any(matches(p, message) for p in arg)
    if op in _COMPARE:
        ((field, constant),) = arg.items()
        if field not in message:
            return False
        return bool(_COMPARE[op](message[field], constant))
    if op.startswith("$"):
        raise ValueError(f"operator {op} is not part of the generated subset")
    return op in message and message[op] == arg


class PythonMatcher:
    """Runs generated rules in-process, without durable-rules. Rules are indexed by the
    constants their condition requires of ``t`` and ``criterion`` (an index, not a
    shortcut: every candidate is still matched with :func:`matches`)."""

    name = "python"

    def __init__(self, rules: Sequence[GeneratedRule]) -> None:
        self.rules = tuple(rules)
        self._order = {r.name: i for i, r in enumerate(self.rules)}
        self._index: dict[tuple[str, str | None], list[GeneratedRule]] = {}
        for rule in self.rules:
            self._index.setdefault(_index_key(rule.pattern), []).append(rule)

    def match(self, messages: Sequence[Message]) -> list[list[str]]:
        """For each message, the names of the rules it satisfies, in rule order."""
        out = []
        for m in messages:
            t = str(m.get("t", ""))
            candidates = self._index.get((t, None), []) + self._index.get(
                (t, str(m.get("criterion"))), []
            )
            hits = [r for r in candidates if matches(r.pattern, m)]
            hits.sort(key=lambda r: self._order[r.name])
            out.append([r.name for r in hits])
        return out

    def close(self) -> None:
        """Nothing to release."""


def _index_key(pattern: Pattern) -> tuple[str, str | None]:
    t: str = ""
    criterion: str | None = None
    for part in pattern.get("$and", ()):
        if "t" in part:
            t = str(part["t"])
        if "criterion" in part:
            criterion = str(part["criterion"])
    return t, criterion
