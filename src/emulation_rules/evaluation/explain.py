"""Explanations: per criterion the values read, the comparisons computed, what would pass,
the citation, and a reason sentence in Vietnamese and English."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from emulation_rules.evaluation.values import display, kind_of, to_json_value
from emulation_rules.expr import typed as t
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.types import BOOL, DATE, ENUM, LIST, NUMBER
from emulation_rules.loading.definition import CheckedCriterion, RuleSetDefinition
from emulation_rules.model.common import Text
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
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_SYMBOL = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠"}


def status_of(value: Any) -> CriterionStatus:
    """The criterion status of a three-valued result."""
    if value is True:
        return CriterionStatus.MET
    if value is False:
        return CriterionStatus.NOT_MET
    return CriterionStatus.UNKNOWN


def criterion_label(number: int) -> Text:
    """``Tiêu chí 18`` / ``Criterion 18``."""
    return Text(f"Tiêu chí {number}", f"Criterion {number}")


def short_reason(
    crit: CheckedCriterion, status: CriterionStatus, missing: Sequence[str] = ()
) -> Text:
    """The reason without an explanation: the status, and what is missing."""
    label = criterion_label(crit.spec.number)
    word = STATUS_TEXT[status]
    vi = f"{label.vi}: {word.vi}."
    en = f"{label.en}: {word.en}."
    if missing:
        vi += f" Thiếu dữ liệu: {', '.join(missing)}."
        en += f" Missing: {', '.join(missing)}."
    return Text(vi, en)


class Explainer:
    """Builds explanations for the criteria of one compiled rule set."""

    def __init__(
        self,
        definition: RuleSetDefinition,
        slots: Mapping[str, int],
        params: Mapping[str, Any],
        facts: Mapping[str, FactSpec],
    ) -> None:
        self.definition = definition
        self.slots = slots
        self.params = params
        self.facts = facts
        self.enums = dict(definition.enumerations)

    def explain(
        self,
        crit: CheckedCriterion,
        status: CriterionStatus,
        values: Sequence[Any],
        lets: Sequence[Any],
        trace: Sequence[tuple[int, Any, Any, Any]],
        missing: Sequence[str],
    ) -> tuple[Explanation, Text]:
        """The explanation of ``crit`` and its reason sentence."""
        read: list[ValueRead] = []
        shown: dict[str, tuple[Any, str, Text | None, str | None]] = {}
        for name in crit.facts:
            ftype = self.definition.fact_types.get(name) or _bool_type()
            value = to_json_value(values[self.slots[name]], ftype)
            spec = self.facts.get(name)
            label = spec.label if spec is not None else Text(name, name)
            read.append(ValueRead(name, "fact", kind_of(ftype), value, label))
            shown[name] = (
                value,
                kind_of(ftype),
                spec.unit if spec else None,
                spec.enum if spec else None,
            )
        for name in crit.parameters:
            pspec = self.definition.parameters[name]
            ptype = self.definition.parameter_types[name]
            value = to_json_value(self.params[name], ptype)
            read.append(ValueRead(name, "parameter", kind_of(ptype), value, pspec.label))
            shown[name] = (value, kind_of(ptype), pspec.unit, pspec.enum)
        for (name, expr), raw in zip(crit.lets, lets, strict=True):
            value = to_json_value(raw, expr.type)
            read.append(ValueRead(name, "computed", kind_of(expr.type), value, None))
            shown[name] = (
                value,
                kind_of(expr.type),
                None,
                expr.type.enum.id if expr.type.enum else None,
            )

        last: dict[int, tuple[Any, Any, Any]] = {}
        for index, a, b, result in trace:
            last[index] = (a, b, result)
        comparisons = []
        for node in crit.comparisons:
            if node.index not in last:
                continue
            a, b, result = last[node.index]
            comparisons.append(
                ComparisonTrace(
                    text=node.text,
                    left=to_json_value(a, node.left.type),
                    op=node.op,
                    right=to_json_value(b, node.right.type),
                    kind=kind_of(node.left.type),
                    result=status_of(result),
                )
            )
        needed = () if status is CriterionStatus.MET else self.needed(crit, last, values)
        explanation = Explanation(tuple(read), tuple(comparisons), needed, crit.citation)
        return explanation, self.reason(crit, status, shown, needed, missing)

    # -- what would pass -------------------------------------------------------
    def needed(
        self,
        crit: CheckedCriterion,
        last: Mapping[int, tuple[Any, Any, Any]],
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

    def _from_compare(
        self, node: t.Compare, last: Mapping[int, tuple[Any, Any, Any]]
    ) -> list[Needed]:
        if node.index not in last:
            return []
        a, b, result = last[node.index]
        if result is True:
            return []
        if isinstance(node.left, t.FactRef) and b is not UNKNOWN:
            fact, op, bound = node.left, node.op, b
        elif isinstance(node.right, t.FactRef) and a is not UNKNOWN:
            fact, op, bound = node.right, _FLIP[node.op], a
        else:
            return []
        if fact.type.kind not in (NUMBER, DATE, ENUM, BOOL) or fact.type.kind == LIST:
            return []
        if fact.type.kind == NUMBER and fact.type.number_kind == "integer":
            op, bound = _integer_bound(op, Decimal(bound))
        return [Needed(fact.name, op, to_json_value(bound, fact.type), kind_of(fact.type))]

    # -- sentences -------------------------------------------------------------
    def reason(
        self,
        crit: CheckedCriterion,
        status: CriterionStatus,
        shown: Mapping[str, tuple[Any, str, Text | None, str | None]],
        needed: Sequence[Needed],
        missing: Sequence[str],
    ) -> Text:
        """The reason sentence in vi and en."""
        out = {}
        for lang in ("vi", "en"):
            label = criterion_label(crit.spec.number).get(lang)
            text = f"{label}: {STATUS_TEXT[status].get(lang)}."
            rendered = {
                name: display(v, kind, lang, unit=unit, enums=self.enums, enum_id=enum_id)
                for name, (v, kind, unit, enum_id) in shown.items()
            }
            if crit.spec.explain is not None:
                sentence = crit.spec.explain.get(lang).format_map(rendered).rstrip()
                text += " " + sentence + ("" if sentence.endswith((".", "!", "?")) else ".")
            else:
                parts = []
                for name in (*crit.facts, *crit.parameters, *(n for n, _ in crit.lets)):
                    parts.append(f"{self._label(name, lang)}: {rendered[name]}")
                if parts:
                    text += " " + "; ".join(parts) + "."
            if missing:
                text += (
                    (" Thiếu dữ liệu: " if lang == "vi" else " Missing: ")
                    + ", ".join(missing)
                    + "."
                )
            if needed:
                items = [self._render_needed(n, lang) for n in needed]
                text += (" Cần: " if lang == "vi" else " Needed: ") + "; ".join(items) + "."
            out[lang] = text
        return Text(out["vi"], out["en"])

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
        if need.kind == "bool":
            return f"{self._label(need.fact, lang)}: {value}"
        return f"{self._label(need.fact, lang)} {_SYMBOL[need.op]} {value}"


def _bool_type() -> Any:
    from emulation_rules.expr.types import T_BOOL

    return T_BOOL


def _conjuncts(node: t.Expr) -> list[t.Expr]:
    if isinstance(node, t.And):
        out: list[t.Expr] = []
        for item in node.items:
            out.extend(_conjuncts(item))
        return out
    return [node]


def _integer_bound(op: str, bound: Decimal) -> tuple[str, Any]:
    """Tighten a bound on an integer fact: ``x <= 38.95`` is ``x <= 38``."""
    if op == "<=":
        return "<=", math.floor(bound)
    if op == "<":
        return "<=", math.ceil(bound) - 1
    if op == ">=":
        return ">=", math.ceil(bound)
    if op == ">":
        return ">=", math.floor(bound) + 1
    return op, int(bound) if bound == bound.to_integral_value() else bound
