"""A checked rule set: the file's spec with ``extends`` applied, every name resolved and
every condition type-checked. The evaluation layer compiles it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.errors import unknown_criterion
from emulation_rules.expr import typed as t
from emulation_rules.expr.types import EnumType, Type
from emulation_rules.model.common import Citation, Text
from emulation_rules.model.ruleset import (
    CRITERIA_WORDS,
    CriterionSpec,
    Effective,
    EnumerationSpec,
    FactSpec,
    GroupSpec,
    ItemWords,
    ParameterSpec,
    PolicySpec,
    Requirement,
    UnitKind,
)


@attrs.frozen
class CheckedCriterion:
    """A criterion with its typed ``let`` values and condition, and what they read."""

    spec: CriterionSpec
    lets: tuple[tuple[str, t.Expr], ...]
    condition: t.Expr
    facts: tuple[str, ...]
    parameters: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    comparisons: tuple[t.Compare, ...]
    citation: Citation
    file: str
    branches: tuple[t.Cond, ...] = ()
    """The ``if`` expressions outside aggregates, by index (for rule coverage)."""
    template: CriterionSpec | None = None
    """The criterion as written, when its title or note names parameters (``spec`` has
    their values filled in); a rule set extending this one fills in its own values."""

    @property
    def id(self) -> str:
        """The criterion's id."""
        return self.spec.id

    @property
    def number(self) -> int:
        """The criterion's number (its place in the source)."""
        return self.spec.number

    @property
    def group(self) -> str:
        """The id of the criterion's group."""
        return self.spec.group

    @property
    def title(self) -> Text:
        """The criterion's title, in Vietnamese and English."""
        return self.spec.title


@attrs.frozen
class Prerequisite:
    """A required rule set, checked, and the boolean fact name its outcome is read as."""

    requirement: Requirement
    definition: RuleSetDefinition


@attrs.frozen
class RuleSetDefinition:
    """A rule set ready to compile. ``sha256`` hashes its canonical content (after
    ``extends`` is applied), so two verdicts with the same hash came from the same rules."""

    id: str
    version: str
    sha256: str
    title: Text
    description: Text
    source: Citation
    applies_to: tuple[UnitKind, ...]
    effective: Effective
    extends: str | None
    file: str
    enumerations: Mapping[str, EnumerationSpec]
    enum_types: Mapping[str, EnumType]
    parameters: Mapping[str, ParameterSpec]
    parameter_types: Mapping[str, Type]
    facts: Mapping[str, FactSpec]
    fact_types: Mapping[str, Type]
    groups: tuple[GroupSpec, ...]
    criteria: tuple[CheckedCriterion, ...]
    policy: PolicySpec
    prerequisites: tuple[Prerequisite, ...]
    canonical: Mapping[str, Any]
    items: ItemWords = CRITERIA_WORDS
    """What the items are called and how the overall result reads (criteria by default;
    a plan's targets: ``Chỉ tiêu 4.1a``, ``Chưa hoàn thành chỉ tiêu``)."""

    def parameter_values(self, on: date) -> dict[str, Any]:
        """Run-time values of the parameters in force on ``on``."""
        from emulation_rules.loading.values import parse_value

        out: dict[str, Any] = {}
        for name, spec in self.parameters.items():
            raw = spec.value
            for dated in sorted(spec.values, key=lambda d: d.from_):
                if dated.from_ <= on:
                    raw = dated.value
            enum = self.enum_types.get(spec.enum) if spec.enum else None
            out[name] = None if raw is None else parse_value(raw, spec.type, enum)
        return out

    def all_facts(self) -> dict[str, FactSpec]:
        """The facts its evidence may hold: its own, then its prerequisites' (recursively)."""
        out = dict(self.facts)
        for pre in self.prerequisites:
            for name, spec in pre.definition.all_facts().items():
                out.setdefault(name, spec)
        return out

    def all_fact_types(self) -> dict[str, Type]:
        """The types of :meth:`all_facts`."""
        out = dict(self.fact_types)
        for pre in self.prerequisites:
            for name, ftype in pre.definition.all_fact_types().items():
                out.setdefault(name, ftype)
        return out

    def criterion(self, id_or_number: str | int) -> CheckedCriterion:
        """A criterion by id or number."""
        for c in self.criteria:
            if c.spec.id == str(id_or_number) or c.spec.number == id_or_number:
                return c
        raise unknown_criterion(id_or_number, [c.spec.id for c in self.criteria])
