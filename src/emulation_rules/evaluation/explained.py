"""Criterion results from validated values: the brief ones, shared, and the explained ones,
built on first read and kept in a small memo per criterion.

``evaluate(..., explain=True)`` computes the statuses as the brief evaluation does and
hands the verdict an :class:`ExplainedCriteria`: the validated values and the statuses.
The explanations (values read, traced comparisons, what would pass, two sentences) are
built when ``verdict.criteria`` is first read or the verdict is serialised.

An explanation is a pure function of the criterion and the values it reads (the
parameters are fixed per compiled rule set), so a criterion's explained result is kept,
per :class:`CriteriaMaker`, in a memo keyed by those values: units that read the same
values for a criterion (the same attestation, the same count) share one immutable
result. Like the compiled rule set's other memos (decisions, dates, suggestions), it
holds immutable results, is bounded (the oldest dropped first), and two threads racing
on it at worst build the same result twice.
"""

from __future__ import annotations

import contextlib
import json
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from emulation_rules.errors import require_whole
from emulation_rules.evaluation.compiler import Compiled
from emulation_rules.evaluation.explain import Explainer, short_reason, status_of
from emulation_rules.evaluation.values_json import encode_values
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.trace import Trace
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.converter import converter
from emulation_rules.model.ruleset import CRITERIA_WORDS, FactSpec, ItemWords
from emulation_rules.model.verdict import CriterionResult, CriterionStatus, DeferredCriteria

_MET, _NOT_MET, _UNKNOWN = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN
NO_MISSING: tuple[str, ...] = ()

MEMO_SIZE = 512
"""Explained results kept per criterion by default (the oldest is dropped first); an
explained result and its JSON text weigh a few KB, so a 34-criterion rule set keeps at
most ~150 MB (``Library(explanation_memo=...)`` sets it; 0 keeps none)."""


def check_memo_size(size: object) -> None:
    """Refuse a memo size that is not a whole number ≥ 0 (an ``ArgumentError``, also a
    ``ValueError``)."""
    require_whole("explanation_memo", size, minimum=0)


def shared_results(
    criteria: Sequence[CheckedCriterion], words: ItemWords = CRITERIA_WORDS
) -> tuple[tuple[CriterionResult, ...], tuple[CriterionResult, ...]]:
    """Per criterion, its brief result when met and when not met: made once per rule set
    and shared by every verdict (they are immutable); ``words``: what the items are
    called (the rule set's ``items``)."""
    met = tuple(
        CriterionResult(c.id, c.spec.number, c.spec.group, _MET, short_reason(c, _MET, words=words))
        for c in criteria
    )
    not_met = tuple(
        CriterionResult(
            c.id, c.spec.number, c.spec.group, _NOT_MET, short_reason(c, _NOT_MET, words=words)
        )
        for c in criteria
    )
    return met, not_met


def _key_getter(slots: Sequence[int]) -> Callable[[Sequence[Any]], Any]:
    """A function giving the memo key of a criterion: the values of the slots it reads."""
    if not slots:
        return lambda values: ()
    if len(slots) == 1:
        (only,) = slots
        return lambda values: (values[only],)
    getter: Callable[[Sequence[Any]], Any] = operator.itemgetter(*slots)
    return getter


class CriteriaMaker:
    """Makes the criterion results of one compiled rule set from its validated values."""

    def __init__(
        self,
        criteria: tuple[CheckedCriterion, ...],
        compiled: Compiled,
        explainer: Explainer,
        facts: Mapping[str, FactSpec],
        shared: tuple[tuple[CriterionResult, ...], tuple[CriterionResult, ...]],
        *,
        memo_size: int = MEMO_SIZE,
    ) -> None:
        self.criteria = criteria
        self.ids = tuple(c.id for c in criteria)
        self.compiled = compiled
        self.explainer = explainer
        self.facts = facts
        self.memo_size = memo_size
        slot_index = {s.name: s.index for s in compiled.slots}
        self._slot_index = slot_index
        self._keys = tuple(_key_getter([slot_index[n] for n in c.facts]) for c in criteria)
        self._memos: tuple[dict[Any, CriterionResult], ...] = tuple({} for _ in criteria)
        self._texts: dict[int, tuple[CriterionResult, str]] = {}
        self.met, self.not_met = shared

    # -- statuses --------------------------------------------------------------------------
    def outcome(
        self, values: tuple[Any, ...]
    ) -> tuple[tuple[CriterionStatus, ...], tuple[tuple[str, ...], ...]]:
        """Each criterion's status three-valued, and the facts missing for those unknown."""
        results, _ = self.compiled.full(values, None)
        statuses = tuple(status_of(r) for r in results)
        missing = tuple(
            self.missing(i, values) if s is _UNKNOWN else NO_MISSING for i, s in enumerate(statuses)
        )
        return statuses, missing

    def missing(self, index: int, values: Sequence[Any]) -> tuple[str, ...]:
        """The facts (and record fields, as ``teams[2].good_deeds``) whose absence leaves
        criterion ``index`` unknown."""
        crit = self.criteria[index]
        out: list[str] = []
        for name in crit.facts:
            if values[self._slot_index[name]] is UNKNOWN:
                out.append(name)
        for list_name, field in crit.fields:
            records = values[self._slot_index[list_name]]
            if records is UNKNOWN:
                continue
            spec = self.facts[list_name]
            assert spec.fields is not None
            at = list(spec.fields).index(field)
            out.extend(
                f"{list_name}[{i}].{field}" for i, r in enumerate(records) if r[at] is UNKNOWN
            )
        return tuple(out)

    # -- brief results -----------------------------------------------------------------------
    def brief(
        self, statuses: Sequence[CriterionStatus], missing: Sequence[tuple[str, ...]]
    ) -> tuple[CriterionResult, ...]:
        """The results without explanations (the shared ones for met and not met)."""
        out: list[CriterionResult] = []
        for i, status in enumerate(statuses):
            if status is _MET:
                out.append(self.met[i])
            elif status is _NOT_MET:
                out.append(self.not_met[i])
            else:
                c = self.criteria[i]
                reason = short_reason(c, status, missing[i], self.facts, self.explainer.words)
                out.append(
                    CriterionResult(c.id, c.spec.number, c.spec.group, status, reason, missing[i])
                )
        return tuple(out)

    # -- explained results ---------------------------------------------------------------------
    def deferred(
        self,
        values: tuple[Any, ...],
        statuses: tuple[CriterionStatus, ...],
        missing: tuple[tuple[str, ...], ...],
    ) -> ExplainedCriteria:
        """The explained results of a unit, to be built on first read."""
        return ExplainedCriteria(self, values, statuses, missing)

    def explained(
        self,
        values: tuple[Any, ...],
        statuses: Sequence[CriterionStatus],
        missing: Sequence[tuple[str, ...]],
        *,
        memo: bool = True,
    ) -> tuple[CriterionResult, ...]:
        """The results with explanations, from the memo where a criterion read the same
        values before; one traced run computes the rest. ``memo=False`` builds every one
        afresh (the oracle the tests compare with)."""
        n = len(self.criteria)
        out: list[CriterionResult | None] = [None] * n
        keys: list[Any] = [None] * n
        todo: list[int] = []
        memo = memo and self.memo_size > 0
        for i in range(n):
            if memo:
                try:
                    key = keys[i] = self._keys[i](values)
                    hit = self._memos[i].get(key)
                except TypeError:  # pragma: no cover - every run-time value is hashable
                    hit = None
                if hit is not None:
                    out[i] = hit
                    continue
            todo.append(i)
        if todo:
            self._explain(values, statuses, missing, todo, keys if memo else None, out)
        return tuple(out)  # type: ignore[arg-type]  # every slot is filled above

    def _explain(
        self,
        values: tuple[Any, ...],
        statuses: Sequence[CriterionStatus],
        missing: Sequence[tuple[str, ...]],
        todo: Sequence[int],
        keys: list[Any] | None,
        out: list[CriterionResult | None],
    ) -> None:
        traces: list[Trace | None] = [None] * len(self.criteria)
        for i in todo:
            traces[i] = Trace()
        _, lets = self.compiled.full(values, traces)
        for i in todo:
            crit = self.criteria[i]
            status = statuses[i]
            trace = traces[i]
            assert trace is not None
            explanation, reason = self.explainer.explain(
                crit, status, values, lets[i], trace, missing[i]
            )
            result = CriterionResult(
                crit.id, crit.spec.number, crit.spec.group, status, reason, missing[i], explanation
            )
            out[i] = result
            if keys is not None and keys[i] is not None and self.memo_size:
                memo = self._memos[i]
                if len(memo) >= self.memo_size:
                    # the oldest first (a dict keeps insertion order); another thread may
                    # have dropped it already
                    with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                        del memo[next(iter(memo))]
                memo[keys[i]] = result

    def texts(self, results: Sequence[CriterionResult]) -> tuple[str, ...]:
        """Each result's JSON text as the library's default converter writes it, kept per
        result object (results from the memo are shared by many verdicts)."""
        cache = self._texts
        keep = self.memo_size > 0
        out: list[str] = []
        for result in results:
            hit = cache.get(id(result))
            if hit is not None and hit[0] is result:
                out.append(hit[1])
                continue
            text = json.dumps(converter.unstructure(result), ensure_ascii=False)
            if not keep:
                out.append(text)
                continue
            if len(cache) >= self.memo_size * len(self.criteria):
                with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                    del cache[next(iter(cache))]
            cache[id(result)] = (result, text)  # the result is kept: its id stays its own
            out.append(text)
        return tuple(out)

    def clear_memo(self) -> None:
        """Forget every explained result kept."""
        for memo in self._memos:
            memo.clear()
        self._texts.clear()


class ExplainedCriteria(DeferredCriteria):
    """A unit's explained criteria, built from its validated values on first read."""

    __slots__ = ("_maker", "values")

    def __init__(
        self,
        maker: CriteriaMaker,
        values: tuple[Any, ...],
        statuses: tuple[CriterionStatus, ...],
        missing: tuple[tuple[str, ...], ...],
    ) -> None:
        super().__init__(maker.ids, statuses, missing, explained=True)
        self._maker = maker
        self.values = values

    def build(self) -> tuple[CriterionResult, ...]:
        return self._maker.explained(self.values, self.statuses, self.missing)

    def criterion_texts(self) -> tuple[str, ...]:
        return self._maker.texts(self.criteria())

    def values_json(self) -> Mapping[str, Any]:
        return encode_values(self._maker.compiled.slots, self.values)
