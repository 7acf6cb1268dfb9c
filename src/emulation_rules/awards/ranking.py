"""Ranking the eligible candidates of a form: the plan's ranking keys read from the rule
set's cleaned values (the same values its criteria read, after the rule set's own
coercion: ``"16"`` and ``16`` rank alike, a date given as text ranks as the date), then
the tie-break key (the candidate id, ascending). Never the input order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from emulation_rules.awards.candidates import Candidate
from emulation_rules.awards.plan_format import Order, RankKey
from emulation_rules.errors import Bilingual, CampaignError
from emulation_rules.evaluation.evidence import BadValue, make_coercer
from emulation_rules.evaluation.ruleset import RuleSet

__all__ = ["Ranker"]


class Ranker:
    """The sort key of a form's candidates: one coercer per ranking fact, made once from
    the rule set's fact specs and enumerations, so a value ranks as the rule set reads
    it. A candidate without a value for a key ranks after those with one."""

    def __init__(self, ranking: Sequence[RankKey], rs: RuleSet) -> None:
        enums = rs.enumerations
        facts = rs.facts
        self._keys: list[tuple[RankKey, Callable[[Any], Any]]] = [
            (key, make_coercer(facts[key.fact], enums)) for key in ranking
        ]

    def cleaned(self, c: Candidate) -> tuple[Any, ...]:
        """The candidate's cleaned value of each ranking fact (``None``: not given)."""
        out: list[Any] = []
        for key, coerce in self._keys:
            raw = c.evidence.get(key.fact)
            try:
                out.append(None if raw is None else coerce(raw))
            except BadValue:  # already refused by the rule set's evaluation
                out.append(None)
        return tuple(out)

    def key(self, c: Candidate) -> tuple[Any, ...]:
        """The sort key: each ranking value in its order (missing last), then the id."""
        parts: list[Any] = []
        for (key, _), value in zip(self._keys, self.cleaned(c), strict=True):
            number = _sortable(value)
            if number is None:
                parts.append((1, 0))
            else:
                parts.append((0, -number if key.order is Order.DESCENDING else number))
        parts.append(c.id)
        return tuple(parts)


def _sortable(value: Any) -> Decimal | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, date):
        return value.toordinal()
    raise CampaignError(
        Bilingual(
            f"cannot rank by a value {value!r}",
            f"không thể xếp hạng theo giá trị {value!r}",
        )
    )
