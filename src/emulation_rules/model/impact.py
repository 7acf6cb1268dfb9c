"""What a change of the rules does to a batch of units: the impact report (attrs classes,
written and read by the converter like a verdict).

Made by :func:`emulation_rules.impact` and ``emulation-rules impact``: every unit is
evaluated under the base rule set and under the changed one, and the report counts the
units whose status changes, the criteria that change, and lists the units concerned.
"""

from __future__ import annotations

from datetime import date

import attrs

from emulation_rules.errors import unknown_criterion
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import CriterionStatus, JSONScalar, RuleSetRef, Status


@attrs.frozen
class ParameterChange:
    """A parameter whose value in force differs between the two rule sets (canonical JSON
    values, as in a verdict's explanation: a percentage ``"8"`` of ``kind`` ``percent``;
    ``None`` where one rule set has no such parameter)."""

    name: str
    label: Text
    kind: str
    before: JSONScalar
    after: JSONScalar


@attrs.frozen
class StatusChange:
    """How many units went from one overall status to another."""

    before: Status
    after: Status
    units: int


@attrs.frozen
class CriterionImpact:
    """One criterion across the batch: how many units it moved, each way.

    ``changed`` counts every unit whose status for it differs (including, for a criterion
    only one rule set has, every unit); the four directions count met → not met, not met
    → met, to unknown (from met or not met) and from unknown (to met or not met).
    ``in_base``/``in_changed`` say which rule sets have it."""

    id: str
    number: int
    title: Text
    changed: int = 0
    met_to_not_met: int = 0
    not_met_to_met: int = 0
    to_unknown: int = 0
    from_unknown: int = 0
    in_base: bool = True
    in_changed: bool = True


@attrs.frozen
class CriterionStatusChange:
    """A criterion whose status changed for a unit (``None``: the rule set has no such
    criterion)."""

    id: str
    before: CriterionStatus | None
    after: CriterionStatus | None


@attrs.frozen
class UnitChange:
    """A unit whose overall status or a criterion changed.

    ``position`` is where the unit was: its line in a JSON Lines file (command line), its
    index from 0 in the units given (Python); ``unit`` its ``unit_id``, if it has one."""

    position: int
    unit: str | None
    before: Status
    after: Status
    criteria: tuple[CriterionStatusChange, ...] = ()

    @property
    def key(self) -> str:
        """The unit's id, else its position (``#3``)."""
        return self.unit if self.unit is not None else f"#{self.position}"


@attrs.frozen
class UnitError:
    """A unit one of the rule sets refused (bad evidence, a division by zero), or a line
    that is not a unit (malformed JSON, ``ruleset`` then ``None``): where it was, its id if
    known, which rule set refused it and why (one line per problem)."""

    position: int
    unit: str | None
    ruleset: RuleSetRef | None
    problems: tuple[str, ...]


@attrs.frozen
class ImpactReport:
    """The impact of changing ``base`` into ``changed`` on the units evaluated on
    ``evaluated_on``.

    ``units`` counts the units evaluated under both (refused ones are in ``errors``);
    ``status_changed`` those whose overall status changed, ``directions`` how;
    ``criteria_changed`` those with at least one criterion changed. ``criteria`` holds
    every criterion of either rule set (the base's order, then the new ones);
    ``unit_changes`` every unit with a change, in input order."""

    base: RuleSetRef
    changed: RuleSetRef
    evaluated_on: date
    parameters: tuple[ParameterChange, ...]
    units: int
    status_changed: int
    criteria_changed: int
    directions: tuple[StatusChange, ...]
    criteria: tuple[CriterionImpact, ...]
    unit_changes: tuple[UnitChange, ...]
    errors: tuple[UnitError, ...] = ()

    def criterion(self, id_or_number: str | int) -> CriterionImpact:
        """The counts of a criterion, by id or by number."""
        for c in self.criteria:
            if c.id == str(id_or_number) or c.number == id_or_number:
                return c
        raise unknown_criterion(id_or_number, [c.id for c in self.criteria])


__all__ = [
    "CriterionImpact",
    "CriterionStatusChange",
    "ImpactReport",
    "ParameterChange",
    "StatusChange",
    "UnitChange",
    "UnitError",
]
