"""The rule-set file format, as attrs classes (structured from YAML by the converter).

These classes are the *spec*: what a file says, checked for shape. The loading layer
resolves ``extends``/``requires``, type-checks the conditions and compiles them.
Field names ending in ``_`` are written without it in the files (``from``, ``as``).
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import attrs

from emulation_rules.model.common import Citation, OfficialText, Text


class UnitKind(enum.Enum):
    """The kind of unit a rule set applies to."""

    COMMUNE = "commune"
    ORGANISATION = "organisation"
    AGENCY = "agency"
    ENTERPRISE = "enterprise"
    SCHOOL = "school"
    SECURITY_TEAM = "security_team"
    INDIVIDUAL = "individual"


class FactType(enum.Enum):
    """The types a fact (or a record field, or a parameter) may have."""

    BOOL = "bool"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENTAGE = "percentage"
    DATE = "date"
    STRING = "string"
    ENUM = "enum"
    LIST = "list"


class Direction(enum.Enum):
    """Which way a fact is better, for the monotonicity law."""

    HIGHER = "higher"
    LOWER = "lower"


@attrs.frozen
class Level:
    """One level of an ordered enumeration."""

    id: str
    vi: str
    en: str


@attrs.frozen
class EnumerationSpec:
    """An ordered enumeration: ``levels`` from best to worst."""

    title: Text
    levels: tuple[Level, ...]
    source: Citation | None = None
    aliases: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class EnumerationFile:
    """A file of shared enumerations (``rulesets/enumerations/*.yaml``)."""

    enumerations: dict[str, EnumerationSpec]


@attrs.frozen
class Effective:
    """The period a rule set is in force: ``from`` inclusive, ``until`` inclusive."""

    from_: date
    until: date | None = None

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.from_ <= day and (self.until is None or day <= self.until)


@attrs.frozen
class FieldSpec:
    """A field of the records of a list fact."""

    type: FactType
    label: Text
    unit: Text | None = None
    min: int | None = None
    max: int | None = None
    enum: str | None = None
    better: Direction | None = None
    optional: bool = False


@attrs.frozen
class FactSpec:
    """A fact: one typed piece of evidence the rule set reads.

    ``min``/``max`` bound integers and decimals; a percentage is always 0–100. ``enum``
    names the enumeration of an ``enum`` fact; ``fields`` the record fields of a ``list``.
    ``better`` says which way the fact improves; ``optional`` that a criterion may be met
    without it. ``none`` (date facts only) gives the words of a known absence ("chưa ban
    hành"): the evidence may then say ``"none"``, read by ``exists()``, distinct from a
    fact not given.
    """

    type: FactType
    label: Text
    unit: Text | None = None
    description: Text | None = None
    min: Any = None
    max: Any = None
    enum: str | None = None
    fields: dict[str, FieldSpec] | None = None
    better: Direction | None = None
    optional: bool = False
    none: Text | None = None


@attrs.frozen
class DatedValue:
    """A parameter value in force from a date, with its own citation if it has one."""

    from_: date
    value: Any
    source: Citation | None = None


@attrs.frozen
class ParameterSpec:
    """A named threshold. ``value`` for a single value, or ``values`` dated ones."""

    type: FactType
    label: Text
    source: Citation
    value: Any = None
    values: tuple[DatedValue, ...] = ()
    enum: str | None = None
    unit: Text | None = None
    note: Text | None = None


@attrs.frozen
class GroupSpec:
    """A group of criteria, in the source's order."""

    id: str
    number: int
    title: Text


@attrs.frozen
class CriterionSpec:
    """A criterion: the official text next to the condition that encodes it.

    ``let`` names intermediate values (computed in order, shown in explanations);
    ``explain`` is a reason template in vi and en whose ``{name}`` placeholders are the
    facts, parameters and lets the criterion reads;
    ``note`` records how an ambiguous sentence was read; ``points`` weighs it under a
    points policy; ``source`` overrides the default citation (the rule set's source).
    """

    id: str
    number: int
    group: str
    title: Text
    text: OfficialText
    condition: str
    let: dict[str, str] = attrs.field(factory=dict)
    explain: Text | None = None
    note: Text | None = None
    points: Any = None
    source: Citation | None = None


class PolicyKind(enum.Enum):
    """How the criteria decide the overall status."""

    ALL = "all"
    AT_LEAST = "at_least"
    POINTS = "points"


@attrs.frozen
class LevelThreshold:
    """Under a points policy: the level reached from ``min_points`` points."""

    level: str
    min_points: Any


@attrs.frozen
class PolicySpec:
    """The decision policy: all criteria (default), at least ``at_least`` of them, or
    points mapped to the levels of ``enum``, eligible from ``eligible_from``."""

    kind: PolicyKind = PolicyKind.ALL
    at_least: int | None = None
    enum: str | None = None
    levels: tuple[LevelThreshold, ...] = ()
    eligible_from: str | None = None


@attrs.frozen
class Requirement:
    """A prerequisite: another rule set's verdict, read as a boolean fact named ``as``."""

    ruleset: str
    as_: str
    label: Text
    version: str | None = None


@attrs.frozen
class ItemWords:
    """What a rule set's items are called and how its overall result reads: criteria
    (``Tiêu chí 18``, ``Đủ điều kiện``) by default; a plan's targets are ``Chỉ tiêu 4.1a``
    and a unit missing one ``Chưa hoàn thành chỉ tiêu``. ``name`` heads one item (capital
    first), ``plural`` counts them in a sentence (``đạt 34/34 tiêu chí``)."""

    name: Text
    plural: Text
    achieved: Text
    not_achieved: Text


CRITERIA_WORDS = ItemWords(
    Text("Tiêu chí", "Criterion"),
    Text("tiêu chí", "criteria"),
    Text("Đủ điều kiện", "Eligible"),
    Text("Không đủ điều kiện", "Not eligible"),
)
"""The words of a rule set whose items are criteria (the default)."""


@attrs.frozen
class RuleSetSpec:
    """One rule-set file."""

    id: str
    version: str
    title: Text
    description: Text
    source: Citation
    applies_to: tuple[UnitKind, ...]
    effective: Effective
    extends: str | None = None
    requires: tuple[Requirement, ...] = ()
    enumerations: dict[str, EnumerationSpec] = attrs.field(factory=dict)
    parameters: dict[str, ParameterSpec] = attrs.field(factory=dict)
    facts: dict[str, FactSpec] = attrs.field(factory=dict)
    groups: tuple[GroupSpec, ...] = ()
    criteria: tuple[CriterionSpec, ...] = ()
    replace: tuple[CriterionSpec, ...] = ()
    drop: tuple[str, ...] = ()
    policy: PolicySpec | None = None
    items: ItemWords | None = None
    """What the items are called (a plan's targets: ``Chỉ tiêu``); criteria by default,
    an overlay keeps its base's."""
