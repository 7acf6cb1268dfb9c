"""Explanations: per criterion the values read, the comparisons computed, what would pass,
the citation, and a reason sentence in Vietnamese and English."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.evaluation.needed import appearance, fact_uses, needed_of
from emulation_rules.evaluation.values import Formatter, display, formatter, json_writer, kind_of
from emulation_rules.evaluation.wording import (
    bool_phrase,
    join_items,
    lower_first,
    missing_names,
    requirement_words,
)
from emulation_rules.expr import typed as t
from emulation_rules.expr.runtime import FLIPPED, UNKNOWN
from emulation_rules.expr.trace import Comparison, Trace
from emulation_rules.expr.types import BOOL, Type
from emulation_rules.formatting import number_text, whole_bound, with_unit
from emulation_rules.loading.definition import CheckedCriterion, RuleSetDefinition
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import CRITERIA_WORDS, FactSpec, ItemWords
from emulation_rules.model.verdict import (
    STATUS_TEXT,
    ComparisonTrace,
    CriterionStatus,
    Explanation,
    Needed,
    ValueRead,
)

_SYMBOL = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


_STATUSES = (CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN)


_MET, _NOT_MET, _UNKNOWN = _STATUSES


def status_index(status: CriterionStatus) -> int:
    """Position of a status in ``_STATUSES`` (identity tests: Enum hashing is slow)."""
    if status is _MET:
        return 0
    return 1 if status is _NOT_MET else 2


def status_of(value: Any) -> CriterionStatus:
    """The criterion status of a three-valued result."""
    if value is True:
        return _MET
    return _NOT_MET if value is False else _UNKNOWN


def criterion_label(criterion_id: str, words: ItemWords = CRITERIA_WORDS) -> Text:
    """``Tiêu chí 18`` / ``Criterion 18`` (criteria are named by their id, which is the
    source's own label: ``18``, ``4.1a``); a plan's targets: ``Chỉ tiêu 4.1a`` /
    ``Target 4.1a`` (the rule set's :class:`~emulation_rules.model.ruleset.ItemWords`)."""
    return Text(f"{words.name.vi} {criterion_id}", f"{words.name.en} {criterion_id}")


def short_reason(
    crit: CheckedCriterion,
    status: CriterionStatus,
    missing: Sequence[str] = (),
    facts: Mapping[str, FactSpec] | None = None,
    words: ItemWords = CRITERIA_WORDS,
) -> Text:
    """The reason without an explanation: the status, and what is missing (named by
    the facts' labels in vi, by their ids in en)."""
    label = criterion_label(crit.id, words)
    word = STATUS_TEXT[status]
    vi = f"{label.vi}: {word.vi}."
    en = f"{label.en}: {word.en}."
    return Text(
        vi + missing_sentence(missing, facts or {}, "vi"), en + missing_sentence(missing, {}, "en")
    )


def missing_sentence(missing: Sequence[str], facts: Mapping[str, FactSpec], lang: str) -> str:
    """`` Chưa có số liệu: <labels>.`` / `` Missing: <ids>.``, or nothing."""
    if not missing:
        return ""
    if lang == "vi":
        return " Chưa có số liệu: " + "; ".join(missing_names(missing, facts, "vi")) + "."
    return " Missing: " + ", ".join(missing) + "."


def not_applicable_sentence(names: Sequence[str], facts: Mapping[str, FactSpec], lang: str) -> str:
    """`` Không áp dụng: <labels>.`` / `` Not applicable: <ids>.`` for the facts not given
    that a decided criterion did not need (``0`` drug addicts: last year's count does not
    apply), or nothing."""
    if not names:
        return ""
    if lang == "vi":
        return " Không áp dụng: " + "; ".join(missing_names(names, facts, "vi")) + "."
    return " Not applicable: " + ", ".join(names) + "."


@attrs.frozen
class _Shown:
    """A value an explanation shows, with everything about it that does not change."""

    name: str
    role: str
    slot: int
    type: Type
    kind: str
    label: Text | None
    format: Formatter
    whole: Formatter | None = None
    """For a computed bound on a count: its display as a whole count with the count's
    unit, rounded the way the condition compares it."""


@attrs.frozen
class _Plan:
    """What an explanation of one criterion needs, prepared once per rule set."""

    facts: tuple[_Shown, ...]
    params: tuple[ValueRead, ...]
    param_text: dict[str, tuple[str, str]]
    lets: tuple[_Shown, ...]
    order: tuple[str, ...]
    """Facts and parameters in the order the criterion reads them."""
    heads: tuple[tuple[str, str], ...]
    comparisons: tuple[_Compared, ...]
    placeholders: frozenset[str]
    """The names the ``explain:`` template shows."""
    uses: Mapping[str, int]
    """How many times the condition and the lets read each fact."""
    generic: tuple[_Generic, _Generic]
    """The generic form's words, in vi and en."""


@attrs.frozen
class _Generic:
    """The words of a criterion's generic form in one language: per fact (in the
    criterion's order) its label, its label continuing a sentence and, for a yes/no fact,
    its statements; then the requirements' sentence."""

    facts: tuple[tuple[str, str, str, dict[bool, tuple[str, str]] | None], ...]
    required: str


@attrs.frozen
class _Compared:
    """A comparison of the condition, with what showing its operands needs."""

    index: int
    text: str
    op: str
    kind: str
    left: Any
    right: Any


class Explainer:
    """Builds explanations for the criteria of one compiled rule set; everything that does
    not depend on the unit is prepared once, here."""

    def __init__(
        self,
        definition: RuleSetDefinition,
        slots: Mapping[str, int],
        params: Mapping[str, Any],
        facts: Mapping[str, FactSpec],
        types: Mapping[str, Type],
    ) -> None:
        self.types = types
        self.definition = definition
        self.words: ItemWords = definition.items
        """What the rule set's items are called (criteria, a plan's targets)."""
        self.slots = slots
        self.params = params
        self.facts = facts
        self.enums = dict(definition.enumerations)
        self.plans = {c.id: self._plan(c) for c in definition.criteria}

    def _shown(
        self,
        name: str,
        role: str,
        slot: int,
        ftype: Type,
        label: Text | None,
        unit: Text | None,
        enum_id: str | None,
        none: Text | None = None,
    ) -> _Shown:
        kind = kind_of(ftype)
        return _Shown(
            name,
            role,
            slot,
            ftype,
            kind,
            label,
            formatter(ftype, unit=unit, enums=self.enums, enum_id=enum_id, none=none),
        )

    def _plan(self, crit: CheckedCriterion) -> _Plan:
        facts = []
        for name in crit.facts:
            ftype = self.types[name]
            spec = self.facts.get(name)
            label = spec.label if spec is not None else Text(name, name)
            facts.append(
                self._shown(
                    name,
                    "fact",
                    self.slots[name],
                    ftype,
                    label,
                    spec.unit if spec else None,
                    spec.enum if spec else None,
                    spec.none if spec else None,
                )
            )
        params = []
        param_text = {}
        for name in crit.parameters:
            pspec = self.definition.parameters[name]
            ptype = self.definition.parameter_types[name]
            show = formatter(ptype, unit=pspec.unit, enums=self.enums, enum_id=pspec.enum)
            value, vi, en = show(self.params[name])
            params.append(ValueRead(name, "parameter", kind_of(ptype), value, pspec.label))
            param_text[name] = (vi, en)
        lets = [self._let(crit, name, expr) for name, expr in crit.lets]
        order = tuple(appearance(crit))
        label = criterion_label(crit.id, self.definition.items)
        heads = tuple(
            (f"{label.vi}: {STATUS_TEXT[s].vi}.", f"{label.en}: {STATUS_TEXT[s].en}.")
            for s in _STATUSES
        )
        comparisons = tuple(
            _Compared(
                node.index,
                node.text,
                node.op,
                kind_of(node.left.type),
                json_writer(node.left.type),
                json_writer(node.right.type),
            )
            for node in crit.comparisons
        )
        shown = (tuple(facts), tuple(params), param_text, tuple(lets))
        template = crit.spec.explain
        placeholders = frozenset(
            name
            for text in ((template.vi, template.en) if template is not None else ())
            for _, name, _, _ in string.Formatter().parse(text)
            if name
        )
        generic = (self._generic_words(crit, order, "vi"), self._generic_words(crit, order, "en"))
        uses = fact_uses(crit)
        return _Plan(*shown, order, heads, comparisons, placeholders, uses, generic)

    def _let(self, crit: CheckedCriterion, name: str, expr: t.Expr) -> _Shown:
        """A computed value; one compared with a count is shown as a whole count."""
        enum_id = expr.type.enum.id if expr.type.enum else None
        shown = self._shown(name, "computed", -1, expr.type, None, None, enum_id)
        counted = _counted_by(crit, name)
        if counted is None or expr.type.kind != "number" or expr.type.number_kind == "integer":
            return shown
        fact, op = counted
        spec = self.facts.get(fact)
        whole = _whole_formatter(op, spec.unit if spec is not None else None)
        return attrs.evolve(shown, whole=whole)

    def explain(
        self,
        crit: CheckedCriterion,
        status: CriterionStatus,
        values: Sequence[Any],
        lets: Sequence[Any],
        trace: Trace,
        missing: Sequence[str],
    ) -> tuple[Explanation, Text]:
        """The explanation of ``crit`` and its reason sentence."""
        plan = self.plans[crit.id]
        read: list[ValueRead] = []
        text_vi: dict[str, str] = {}
        text_en: dict[str, str] = {}
        known: dict[str, Any] = {}
        for item in plan.facts:
            value, text_vi[item.name], text_en[item.name] = item.format(values[item.slot])
            known[item.name] = value
            read.append(ValueRead(item.name, "fact", item.kind, value, item.label))
        read.extend(plan.params)
        for name, (vi, en) in plan.param_text.items():
            text_vi[name] = vi
            text_en[name] = en
        for item, raw in zip(plan.lets, lets, strict=True):
            value, text_vi[item.name], text_en[item.name] = item.format(raw)
            if item.whole is not None and value is not None:
                _, text_vi[item.name], text_en[item.name] = item.whole(raw)
            known[item.name] = value
            read.append(ValueRead(item.name, "computed", item.kind, value, None))

        last = trace.last_comparisons()
        comparisons = []
        for cmp in plan.comparisons:
            seen = last.get(cmp.index)
            if seen is None:
                continue
            comparisons.append(
                ComparisonTrace(
                    cmp.text,
                    cmp.left(seen.left),
                    cmp.op,
                    cmp.right(seen.right),
                    cmp.kind,
                    status_of(seen.result),
                )
            )
        needed = () if status is CriterionStatus.MET else self.needed(crit, last, values)
        explanation = Explanation(tuple(read), tuple(comparisons), needed, crit.citation)
        unread: tuple[str, ...] = ()
        if not missing:  # decided without some of its facts: they do not apply here
            unread = tuple(item.name for item in plan.facts if known[item.name] is None)
        shown = _Reading(known, missing, needed, values, unread)
        reason = Text(
            self._sentence(crit, plan, status, "vi", text_vi, shown),
            self._sentence(crit, plan, status, "en", text_en, shown),
        )
        return explanation, reason

    def _sentence(
        self,
        crit: CheckedCriterion,
        plan: _Plan,
        status: CriterionStatus,
        lang: str,
        shown: Mapping[str, str],
        reading: _Reading,
    ) -> str:
        vi = lang == "vi"
        text = plan.heads[status_index(status)][0 if vi else 1]
        template = crit.spec.explain
        known = reading.known
        if template is not None and not any(known.get(n, 0) is None for n in plan.placeholders):
            sentence = template.get(lang).format_map(shown).rstrip()
            text += " " + sentence + ("" if sentence.endswith((".", "!", "?")) else ".")
        else:
            text += self._generic(plan, lang, shown, reading.known)
        text += missing_sentence(reading.missing, self.facts, lang)
        text += not_applicable_sentence(reading.not_applicable, self.facts, lang)
        if reading.needed:
            items = [self._render_needed(n, lang, reading.values) for n in reading.needed]
            text += (" Cần: " if vi else " Needed: ") + join_items(items) + "."
        return text

    def _generic(
        self, plan: _Plan, lang: str, shown: Mapping[str, str], known: Mapping[str, Any]
    ) -> str:
        """The values read, in the criterion's order, when there is no template (or a value
        it shows is missing): facts as statements, parameters as requirements."""
        words = plan.generic[0 if lang == "vi" else 1]
        items: list[str] = []
        for name, label, lowered, phrases in words.facts:
            raw = known.get(name)
            if raw is None:
                continue  # named in the sentence on missing data
            first = not items
            if phrases is not None and isinstance(raw, bool):
                items.append(phrases[raw][0 if first else 1])
            else:
                items.append(f"{label if first else lowered}: {shown[name]}")
        text = f" {'; '.join(items)}." if items else ""
        return text + words.required

    def _generic_words(self, crit: CheckedCriterion, order: Sequence[str], lang: str) -> _Generic:
        """What the generic form of ``crit`` says that does not depend on the unit: labels,
        yes/no statements and the requirements (the parameters are fixed)."""
        facts: list[tuple[str, str, str, dict[bool, tuple[str, str]] | None]] = []
        required: list[str] = []
        for name in order:
            label = self._label(name, lang)
            if name in crit.parameters:
                if isinstance(self.params.get(name), bool):
                    continue  # a reading of the source, not a requirement
                value = self._param_shown(name, lang)
                required.append(f"{label} là {value}" if lang == "vi" else f"{label}: {value}")
                continue
            phrases = None
            if self.types[name].kind == BOOL:
                phrases = {
                    v: (bool_phrase(label, v, lang), lower_first(bool_phrase(label, v, lang)))
                    for v in (True, False)
                }
            facts.append((name, label, lower_first(label), phrases))
        tail = ""
        if required:
            head = " Mức yêu cầu: " if lang == "vi" else " Required: "
            tail = head + join_items([lower_first(r) for r in required]) + "."
        return _Generic(tuple(facts), tail)

    def _param_shown(self, name: str, lang: str) -> str:
        pspec = self.definition.parameters[name]
        ptype = self.definition.parameter_types[name]
        show = formatter(ptype, unit=pspec.unit, enums=self.enums, enum_id=pspec.enum)
        _, vi, en = show(self.params[name])
        return vi if lang == "vi" else en

    # -- what would pass -------------------------------------------------------
    def needed(
        self,
        crit: CheckedCriterion,
        last: Mapping[int, Comparison],
        values: Sequence[Any],
    ) -> tuple[Needed, ...]:
        """Requirements on single facts that the condition needs and does not have
        (:func:`~emulation_rules.evaluation.needed.needed_of`)."""
        plan = self.plans.get(crit.id)
        uses = plan.uses if plan is not None else None
        return needed_of(crit, last, values, self.slots, self.params, uses)

    def _label(self, name: str, lang: str) -> str:
        spec = self.facts.get(name)
        if spec is not None:
            return spec.label.get(lang)
        pspec = self.definition.parameters.get(name)
        if pspec is not None:
            return pspec.label.get(lang)
        return name

    def _render_needed(self, need: Needed, lang: str, values: Sequence[Any]) -> str:
        """A requirement in words, with the gap from the current value where there is one:
        ``số cơ sở có hồ sơ ít nhất 11 cơ sở (còn thiếu 4 cơ sở)``."""
        spec = self.facts.get(need.fact)
        label = self._label(need.fact, lang)
        if need.kind == "bool" and isinstance(need.value, bool):
            return bool_phrase(label, need.value, lang)
        unit = spec.unit if spec else None
        enum_id = spec.enum if spec else None
        value = display(need.value, need.kind, lang, unit=unit, enums=self.enums, enum_id=enum_id)
        if need.op == "==" and need.value == 0 and need.kind in ("integer", "decimal"):
            none = f"không có {unit.vi} nào" if unit else "không có"
            return f"{label}: {none}" if lang == "vi" else f"{label}: none"
        words = requirement_words(need.op, value, need.kind, lang)
        text = f"{label} {words}" if lang == "vi" else f"{label}: {words}"
        slot = self.slots.get(need.fact)
        current = values[slot] if slot is not None else UNKNOWN
        if need.kind == "integer" and isinstance(need.value, int) and current.__class__ is int:
            text += _gap(need.op, need.value - current, unit, lang)
        return text


@attrs.frozen
class _Reading:
    """What a reason says besides the template: the known values, the missing facts,
    what would pass and the unit's values."""

    known: Mapping[str, Any]
    missing: Sequence[str]
    needed: Sequence[Needed]
    values: Sequence[Any]
    not_applicable: Sequence[str] = ()
    """Facts not given that the criterion was decided without (they do not apply)."""


def _gap(op: str, diff: int, unit: Text | None, lang: str) -> str:
    """`` (còn thiếu 4 cơ sở)`` / `` (đang vượt 3 vụ)``, or nothing."""
    if diff == 0 or op not in (">=", "<=", "=="):
        return ""
    shown = number_text(abs(diff), lang)
    amount = with_unit(shown, abs(diff), unit.get(lang) if unit else None, lang)
    if diff > 0:
        return f" (còn thiếu {amount})" if lang == "vi" else f" ({amount} short)"
    return f" (đang vượt {amount})" if lang == "vi" else f" ({amount} over)"


def _counted_by(crit: CheckedCriterion, let: str) -> tuple[str, str] | None:
    """The integer fact a computed value bounds in the condition, and the comparison read
    as ``fact op value`` (``crimes <= max_allowed``), or None."""
    for cmp in crit.comparisons:
        for side, other, op in (
            (cmp.left, cmp.right, cmp.op),
            (cmp.right, cmp.left, FLIPPED[cmp.op]),
        ):
            if (
                isinstance(side, t.FactRef)
                and isinstance(other, t.LocalRef)
                and other.name == let
                and side.type.number_kind == "integer"
            ):
                return side.name, op
    return None


def _whole_formatter(op: str, unit: Text | None) -> Formatter:
    """A computed bound on a count shown as a whole count with the count's unit: ``x <=
    185.175`` is at most 185, ``x < 0.3`` at most 0 (the words say "không quá")."""
    vi_unit = unit.vi if unit else None
    en_unit = unit.en if unit else None

    def whole(value: Any) -> tuple[Any, str, str]:
        _, bound = whole_bound(op, value)
        return (
            bound,
            with_unit(number_text(bound, "vi"), bound, vi_unit),
            with_unit(number_text(bound, "en"), bound, en_unit, "en"),
        )

    return whole
