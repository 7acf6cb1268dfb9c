"""The checks of one criterion: its id, its ``let`` names and condition type-checked in
turn (comparisons and branches numbered across them), its explanation template, its
citation and the parameters its title names. A mixin of the resolver
(:mod:`emulation_rules.loading.resolve`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from emulation_rules.error_text import message_of
from emulation_rules.errors import Bilingual, ExpressionError, PathPart
from emulation_rules.expr import typed as t
from emulation_rules.expr.checker import Checker, Scope, referenced
from emulation_rules.expr.parser import parse
from emulation_rules.expr.types import BOOL, T_BOOL, EnumType, Type
from emulation_rules.loading.declarations import (
    DeclarationChecks,
    check_template,
    template_names,
)
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.loading.titles import TitleError, with_parameters
from emulation_rules.model.common import Citation
from emulation_rules.model.ruleset import CriterionSpec, ParameterSpec, PolicySpec, RuleSetSpec

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
"""What a rule set's or a criterion's id may be."""
_CRITERION_ID = Bilingual(
    "a criterion id must be letters, digits, '-', '_' or '.'",
    "mã tiêu chí chỉ được gồm chữ cái, chữ số, '-', '_' hoặc '.'",
)
_EMPTY_CONDITION = Bilingual("the condition is empty", "điều kiện (condition) còn trống")
_NOT_TRUE_OR_FALSE = Bilingual(
    "the condition must be true or false", "điều kiện phải cho kết quả đúng hoặc sai"
)


class CriterionChecks(DeclarationChecks):
    """Checks a criterion of the rule set ``spec`` being resolved."""

    spec: RuleSetSpec
    param_values: Mapping[str, tuple[Any, ...]]
    param_specs: Mapping[str, ParameterSpec]
    none_facts: frozenset[str]

    def _check_criterion(
        self,
        crit: CriterionSpec,
        file: str,
        where: tuple[PathPart, ...],
        facts: Mapping[str, Type],
        params: Mapping[str, Type],
        enums: Mapping[str, EnumType],
        policy: PolicySpec,
    ) -> CheckedCriterion:
        if not ID_RE.match(crit.id):
            raise self.err(_CRITERION_ID, (*where, "id"), crit.id)
        line_of = self.doc.line_of if file == self.doc.file else None
        checker = ConditionChecker(facts, params, enums, file, line_of, crit.id, self.param_values)
        checker.none_facts = self.none_facts
        if not isinstance(crit.condition, str) or not crit.condition.strip():
            raise self.err(_EMPTY_CONDITION, (*where, "condition"), crit.id)
        lets = self._check_lets(crit, where, checker)
        condition = checker.check(crit.condition, (*where, "condition"), T_BOOL)
        if condition.type.kind != BOOL:  # pragma: no cover - check_root enforces it
            raise self.err(_NOT_TRUE_OR_FALSE, (*where, "condition"), crit.id)
        read_facts: set[str] = set()
        read_params: set[str] = set()
        read_fields: set[tuple[str, str]] = set()
        for expr in [e for _, e in lets] + [condition]:
            f, p, fl = referenced(expr)
            read_facts |= f
            read_params |= p
            read_fields |= fl
        self._check_points(crit, where, policy)
        if crit.explain is not None:
            names = set(facts) | set(params) | set(checker.local_types)
            problem = check_template(crit.explain, names)
            if problem:
                raise self.err(problem, (*where, "explain"), crit.id)
            shown = template_names(crit.explain)  # the explanation reads what it shows
            read_facts |= shown & set(facts)
            read_params |= shown & set(params)
        citation = crit.source or _criterion_citation(self.spec.source, crit.id)
        filled = self._with_parameters(crit, where)
        return CheckedCriterion(
            spec=filled,
            lets=tuple(lets),
            condition=condition,
            facts=tuple(sorted(read_facts)),
            parameters=tuple(sorted(read_params)),
            fields=tuple(sorted(read_fields)),
            comparisons=tuple(sorted(checker.comparisons, key=lambda c: c.index)),
            citation=citation,
            file=file,
            branches=tuple(sorted(checker.branches, key=lambda c: c.index)),
            template=None if filled is crit else crit,
        )

    def _with_parameters(self, crit: CriterionSpec, where: tuple[PathPart, ...]) -> CriterionSpec:
        """The criterion with the parameters its title and note name filled in
        (:mod:`emulation_rules.loading.titles`)."""
        try:
            title = with_parameters(crit.title, self.param_specs)
        except TitleError as exc:
            raise self.err(message_of(exc), (*where, "title"), crit.id) from None
        try:
            note = with_parameters(crit.note, self.param_specs)
        except TitleError as exc:
            raise self.err(message_of(exc), (*where, "note"), crit.id) from None
        if title is crit.title and note is crit.note:
            return crit
        assert title is not None
        return attrs.evolve(crit, title=title, note=note)

    def _check_lets(
        self, crit: CriterionSpec, where: tuple[PathPart, ...], checker: ConditionChecker
    ) -> list[tuple[str, t.Expr]]:
        """A criterion's ``let`` names, each checked in the scope of those before it."""
        lets: list[tuple[str, t.Expr]] = []
        for name, text in crit.let.items():
            lpath = (*where, "let", name)
            self._check_name(name, lpath, "let")
            if name in checker.facts or name in checker.params or name in checker.local_types:
                raise self.err(
                    Bilingual(
                        f"let {name!r} hides a fact, a parameter or another let",
                        f"let {name!r} trùng tên với một dữ kiện, một tham số hoặc một let khác",
                    ),
                    lpath,
                    crit.id,
                )
            if not isinstance(text, str):
                raise self.err(
                    Bilingual(
                        "a let value must be an expression (text)",
                        "giá trị của let phải là một biểu thức (văn bản)",
                    ),
                    lpath,
                    crit.id,
                )
            expr = checker.check(text, lpath, None)
            checker.local_types[name] = expr.type
            lets.append((name, expr))
        return lets


class ConditionChecker:
    """Type-checks the expressions of one criterion in turn (its lets, then its condition),
    numbering their comparisons and ``if`` branches across all of them, and locating an
    expression error at the criterion's file, line and id."""

    def __init__(
        self,
        facts: Mapping[str, Type],
        params: Mapping[str, Type],
        enums: Mapping[str, EnumType],
        file: str,
        line_of: Callable[[tuple[PathPart, ...]], int | None] | None,
        criterion: str,
        param_values: Mapping[str, tuple[Any, ...]],
    ) -> None:
        self.facts = facts
        self.param_values = param_values
        self.params = params
        self.enums = enums
        self.file = file
        self.line_of = line_of
        self.criterion = criterion
        self.local_types: dict[str, Type] = {}
        self.comparisons: list[t.Compare] = []
        self.branches: list[t.Cond] = []
        self._compare_count = 0
        self._branch_count = 0
        self.none_facts: frozenset[str] = frozenset()

    def check(self, text: str, path: tuple[PathPart, ...], expect: Type | None) -> t.Expr:
        """The typed tree of ``text`` (at ``path``), of type ``expect`` if given."""
        scope = Scope(
            self.facts,
            self.params,
            self.enums,
            dict(self.local_types),
            self.param_values,
            self.none_facts,
        )
        try:
            checker = Checker(text, scope)
            checker.compare_count = self._compare_count
            checker.branch_count = self._branch_count
            expr = checker.check_root(parse(text), expect)
            self._compare_count = checker.compare_count
            self._branch_count = checker.branch_count
        except ExpressionError as exc:
            raise exc.located(
                file=self.file,
                line=self.line_of(path) if self.line_of is not None else None,
                criterion=self.criterion,
            ) from None
        self.comparisons.extend(
            n for n in t.walk(expr) if isinstance(n, t.Compare) and n.index >= 0
        )
        self.branches.extend(n for n in t.walk(expr) if isinstance(n, t.Cond) and n.index >= 0)
        return expr


def _criterion_citation(source: Citation, label: str) -> Citation:
    part = f"{source.part}, tiêu chí {label}" if source.part else f"tiêu chí {label}"
    return Citation(
        document=source.document,
        date=source.date,
        issuer=source.issuer,
        part=part,
        also_cited_as=source.also_cited_as,
        quoted_in=source.quoted_in,
        printed_elsewhere=source.printed_elsewhere,
    )
