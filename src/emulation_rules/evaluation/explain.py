"""Explanations: per criterion the values read, the comparisons computed, what would pass,
the citation, and a reason sentence in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from emulation_rules.evaluation.values import Formatter, display, formatter, kind_of
from emulation_rules.expr import typed as t
from emulation_rules.expr.runtime import FLIPPED, UNKNOWN
from emulation_rules.expr.trace import Comparison, Trace
from emulation_rules.expr.types import BOOL, Type
from emulation_rules.loading.definition import CheckedCriterion, RuleSetDefinition
from emulation_rules.model.common import Text
from emulation_rules.model.kinds import TEXT, kind_named, kind_of_type
from emulation_rules.model.ruleset import FactSpec
from emulation_rules.model.verdict import (
    ComparisonTrace,
    CriterionStatus,
    Explanation,
    Needed,
    Status,
    ValueRead,
)

STATUS_TEXT = {
    CriterionStatus.MET: Text("Đạt", "met"),
    CriterionStatus.NOT_MET: Text("Không đạt", "not met"),
    CriterionStatus.UNKNOWN: Text("Chưa xác định", "unknown"),
}
OVERALL_TEXT = {
    Status.ELIGIBLE: Text("Đủ điều kiện", "Eligible"),
    Status.NOT_ELIGIBLE: Text("Không đủ điều kiện", "Not eligible"),
    Status.UNDETERMINED: Text("Chưa xác định", "Undetermined"),
}
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


def criterion_label(criterion_id: str) -> Text:
    """``Tiêu chí 18`` / ``Criterion 18`` (criteria are named by their id, which is the
    source's own label: ``18``, ``4.1a``)."""
    return Text(f"Tiêu chí {criterion_id}", f"Criterion {criterion_id}")


def short_reason(
    crit: CheckedCriterion, status: CriterionStatus, missing: Sequence[str] = ()
) -> Text:
    """The reason without an explanation: the status, and what is missing."""
    label = criterion_label(crit.id)
    word = STATUS_TEXT[status]
    vi = f"{label.vi}: {word.vi}."
    en = f"{label.en}: {word.en}."
    if missing:
        vi += f" Thiếu dữ liệu: {', '.join(missing)}."
        en += f" Missing: {', '.join(missing)}."
    return Text(vi, en)


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


@attrs.frozen
class _Plan:
    """What an explanation of one criterion needs, prepared once per rule set."""

    facts: tuple[_Shown, ...]
    params: tuple[ValueRead, ...]
    param_text: dict[str, tuple[str, str]]
    lets: tuple[_Shown, ...]
    order: tuple[str, ...]
    prefixes: dict[str, tuple[str, str]]
    heads: tuple[tuple[str, str], ...]
    comparisons: tuple[_Compared, ...]


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
    ) -> _Shown:
        kind = kind_of(ftype)
        return _Shown(
            name,
            role,
            slot,
            ftype,
            kind,
            label,
            formatter(ftype, unit=unit, enums=self.enums, enum_id=enum_id),
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
        lets = [
            self._shown(
                name,
                "computed",
                -1,
                expr.type,
                None,
                None,
                expr.type.enum.id if expr.type.enum else None,
            )
            for name, expr in crit.lets
        ]
        order = (*crit.facts, *crit.parameters, *(n for n, _ in crit.lets))
        prefixes = {
            name: (f"{self._label(name, 'vi')}: ", f"{self._label(name, 'en')}: ") for name in order
        }
        label = criterion_label(crit.id)
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
                _json_writer(node.left.type),
                _json_writer(node.right.type),
            )
            for node in crit.comparisons
        )
        shown = (tuple(facts), tuple(params), param_text, tuple(lets))
        return _Plan(*shown, order, prefixes, heads, comparisons)

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
        for item in plan.facts:
            value, text_vi[item.name], text_en[item.name] = item.format(values[item.slot])
            read.append(ValueRead(item.name, "fact", item.kind, value, item.label))
        read.extend(plan.params)
        for name, (vi, en) in plan.param_text.items():
            text_vi[name] = vi
            text_en[name] = en
        for item, raw in zip(plan.lets, lets, strict=True):
            value, text_vi[item.name], text_en[item.name] = item.format(raw)
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
        reason = Text(
            self._sentence(crit, plan, status, "vi", text_vi, needed, missing),
            self._sentence(crit, plan, status, "en", text_en, needed, missing),
        )
        return explanation, reason

    def _sentence(
        self,
        crit: CheckedCriterion,
        plan: _Plan,
        status: CriterionStatus,
        lang: str,
        shown: Mapping[str, str],
        needed: Sequence[Needed],
        missing: Sequence[str],
    ) -> str:
        vi = lang == "vi"
        text = plan.heads[status_index(status)][0 if vi else 1]
        if crit.spec.explain is not None:
            sentence = crit.spec.explain.get(lang).format_map(shown).rstrip()
            text += " " + sentence + ("" if sentence.endswith((".", "!", "?")) else ".")
        elif plan.order:
            k = 0 if vi else 1
            text += " " + "; ".join(plan.prefixes[n][k] + shown[n] for n in plan.order) + "."
        if missing:
            text += (" Thiếu dữ liệu: " if vi else " Missing: ") + ", ".join(missing) + "."
        if needed:
            items = [self._render_needed(n, lang) for n in needed]
            text += (" Cần: " if vi else " Needed: ") + "; ".join(items) + "."
        return text

    # -- what would pass -------------------------------------------------------
    def needed(
        self,
        crit: CheckedCriterion,
        last: Mapping[int, Comparison],
        values: Sequence[Any],
    ) -> tuple[Needed, ...]:
        """Requirements on single facts that the condition needs and does not have."""
        out: list[Needed] = []
        for atom in _conjuncts(crit.condition):
            if isinstance(atom, t.Chain):
                for link in atom.links:
                    out.extend(self._from_compare(link, last))
            elif isinstance(atom, t.Compare):
                out.extend(self._from_compare(atom, last))
            elif isinstance(atom, t.FactRef) and atom.type.kind == BOOL:
                if values[self.slots[atom.name]] is not True:
                    out.append(Needed(atom.name, "==", True, "bool"))
            elif (
                isinstance(atom, t.Not)
                and isinstance(atom.operand, t.FactRef)
                and atom.operand.type.kind == BOOL
                and values[self.slots[atom.operand.name]] is not False
            ):
                out.append(Needed(atom.operand.name, "==", False, "bool"))
        return tuple(out)

    def _from_compare(self, node: t.Compare, last: Mapping[int, Comparison]) -> list[Needed]:
        seen = last.get(node.index)
        if seen is None or seen.result is True:
            return []
        a, b = seen.left, seen.right
        if isinstance(node.left, t.FactRef) and b is not UNKNOWN:
            fact, op, bound = node.left, node.op, b
        elif isinstance(node.right, t.FactRef) and a is not UNKNOWN:
            fact, op, bound = node.right, FLIPPED[node.op], a
        else:
            return []
        fkind = kind_of_type(fact.type)
        if fkind is None or not fkind.gives_needed:
            return []
        op, bound = fkind.tighten(op, bound)
        return [Needed(fact.name, op, fkind.to_json(bound, fact.type), fkind.json_name)]

    def _label(self, name: str, lang: str) -> str:
        spec = self.facts.get(name)
        if spec is not None:
            return spec.label.get(lang)
        pspec = self.definition.parameters.get(name)
        if pspec is not None:
            return pspec.label.get(lang)
        return name

    def _render_needed(self, need: Needed, lang: str) -> str:
        spec = self.facts.get(need.fact)
        value = display(
            need.value,
            need.kind,
            lang,
            unit=spec.unit if spec else None,
            enums=self.enums,
            enum_id=spec.enum if spec else None,
        )
        shown = kind_named(need.kind) or TEXT
        return shown.needed_text(self._label(need.fact, lang), _SYMBOL[need.op], value)


def _json_writer(vtype: Type) -> Any:
    """A function giving a run-time value of type ``vtype`` its canonical JSON form."""
    json_of = (kind_of_type(vtype) or TEXT).json_of

    def write(value: Any) -> Any:
        return None if value is UNKNOWN or value is None else json_of(value, vtype)

    return write


def _conjuncts(node: t.Expr) -> list[t.Expr]:
    if isinstance(node, t.And):
        out: list[t.Expr] = []
        for item in node.items:
            out.extend(_conjuncts(item))
        return out
    return [node]
