"""The allocation file format: the specs of an award allocation plan as written (forms,
rounds, ranking keys, tie-break) and the enums they use. Parsed by
:mod:`emulation_rules.awards.plan_loading`."""

from __future__ import annotations

import enum

import attrs

from emulation_rules.model.common import Citation, Text

__all__ = [
    "Admission",
    "AllocationPlanSpec",
    "FormSpec",
    "Order",
    "RankKey",
    "RoundSpec",
    "TieBreak",
]


class Order(enum.Enum):
    """Which values of a ranking fact come first."""

    DESCENDING = "descending"
    ASCENDING = "ascending"


class Admission(enum.Enum):
    """Who a form considers: ``all`` the candidates not yet proposed for an earlier form,
    or only those ``cascaded`` to it from an earlier form's excess."""

    ALL = "all"
    CASCADED = "cascaded"


class TieBreak(enum.Enum):
    """The stable key that orders candidates ranked equal: the candidate id, ascending
    (code-point order). Never the input order."""

    ID = "id"


@attrs.frozen
class RankKey:
    """One ranking key: a fact of the evidence (bool, integer, decimal, percentage or date)
    and its order. A candidate without a value for it ranks after those with one."""

    fact: str
    order: Order
    label: Text | None = None


@attrs.frozen
class FormSpec:
    """One form of award in a round, in the order forms are filled.

    ``award_round`` is the id of the campaign's award round (quota, award, authority);
    ``ruleset`` the rule set deciding eligibility; ``cascade_to`` a later form of the same
    round that takes the eligible candidates beyond this form's quota. A form whose award
    round the campaign holds at another review needs a ``note`` saying why it is used here.
    """

    award_round: str
    ruleset: str
    admits: Admission
    cascade_to: str | None = None
    note: Text | None = None


@attrs.frozen
class RoundSpec:
    """A round of awards held at one review of the campaign, with its forms in order."""

    id: str
    review: str
    title: Text
    forms: tuple[FormSpec, ...]
    note: Text | None = None


@attrs.frozen
class AllocationPlanSpec:
    """An allocation file as written: the campaign, the ranking shared by its rounds, the
    tie-break key, and the rounds."""

    campaign: str
    source: Citation
    rounds: tuple[RoundSpec, ...]
    tie_break: TieBreak
    ranking: tuple[RankKey, ...] = ()
    note: Text | None = None
