"""Spec → checked definition: structure the file, apply ``extends``, check names, types and
citations, type-check every condition. Every error names the file, the line and, for a
condition, the criterion (the checks of single declarations are in
:mod:`emulation_rules.loading.declarations`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.error_text import join
from emulation_rules.errors import Bilingual, PathPart, RuleSetError
from emulation_rules.expr.types import T_BOOL, EnumType, Type
from emulation_rules.loading.criteria_checks import ID_RE, CriterionChecks
from emulation_rules.loading.declarations import (
    check_enumeration,
    enum_type,
    error_message,
    read_enumerations,
    structure_spec,
    template_names,
)
from emulation_rules.loading.definition import CheckedCriterion, Prerequisite, RuleSetDefinition
from emulation_rules.loading.values import parse_value
from emulation_rules.loading.yamlsource import SourceDoc
from emulation_rules.model.converter import converter
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import (
    CRITERIA_WORDS,
    CriterionSpec,
    EnumerationSpec,
    FactSpec,
    FieldSpec,
    GroupSpec,
    ParameterSpec,
    PolicySpec,
    RuleSetSpec,
)

Lookup = Callable[[str, str | None, date | None], RuleSetDefinition]
"""Finds a checked rule set by id, optional version, and a date it must be in force on."""

RESERVED_EVIDENCE_KEYS = frozenset({"unit_id"})

_NEED_EXTENDS = Bilingual(
    "replace and drop need extends", "replace và drop chỉ dùng khi có extends"
)
_NO_CRITERIA = Bilingual(
    "a rule set needs at least one criterion", "bộ tiêu chí cần ít nhất một tiêu chí"
)

_CriterionSource = tuple[CriterionSpec, str, tuple[PathPart, ...] | None]
"""A criterion to check: its spec, its file, its path in this file (None: inherited)."""


class _Resolver(CriterionChecks):
    def __init__(
        self,
        spec: RuleSetSpec,
        doc: SourceDoc,
        shared_enums: Mapping[str, EnumerationSpec],
        lookup: Lookup,
    ) -> None:
        self.spec = spec
        self.doc = doc
        self.lookup = lookup
        self.shared_enums = shared_enums
        self.param_values: Mapping[str, tuple[Any, ...]] = {}
        self.param_specs: Mapping[str, ParameterSpec] = {}
        self.none_facts: frozenset[str] = frozenset()

    def resolve(self) -> RuleSetDefinition:
        """Check the spec, stage by stage (each stage raises the first problem it finds,
        in the order of the file's sections)."""
        spec, doc = self.spec, self.doc
        self._check_header()
        base = self._base()
        enums = self._enumerations(base)
        enum_types = {eid: enum_type(eid, e) for eid, e in enums.items()}
        facts = self._facts(base, enums)
        params = self._parameters(base, facts, enum_types)
        fact_types = {name: self._fact_type(f, enum_types) for name, f in facts.items()}
        param_types = _parameter_types(params, enum_types)
        self.param_values = _parameter_values(params)
        self.param_specs = params
        prerequisites = self._prerequisites(base, facts, params)
        self.none_facts = frozenset(n for n, f in facts.items() if f.none is not None) | {
            n for p in prerequisites for n, f in p.definition.all_facts().items() if f.none
        }
        scope_facts = self._scope(fact_types, prerequisites)
        groups = self._groups(base)
        policy = spec.policy or (base.policy if base else PolicySpec())
        checked = self._criteria(
            self._criterion_specs(base), base, groups, scope_facts, param_types, enum_types, policy
        )
        self._check_policy(policy, len(checked), enum_types, checked)
        canonical = self._canonical(
            base, prerequisites, enums, params, facts, groups, checked, policy
        )
        return RuleSetDefinition(
            id=spec.id,
            version=spec.version,
            sha256=hashlib.sha256(canonical_json(canonical).encode()).hexdigest(),
            title=spec.title,
            description=spec.description,
            source=spec.source,
            applies_to=spec.applies_to,
            effective=spec.effective,
            extends=spec.extends,
            file=doc.file,
            enumerations=enums,
            enum_types=enum_types,
            parameters=params,
            parameter_types=param_types,
            facts=facts,
            fact_types=fact_types,
            groups=tuple(groups),
            criteria=tuple(checked),
            policy=policy,
            prerequisites=tuple(prerequisites),
            canonical=canonical,
            items=spec.items or (base.items if base else CRITERIA_WORDS),
        )

    # -- stages ----------------------------------------------------------------
    def _check_header(self) -> None:
        """The id, the period in force, the unit kinds."""
        spec = self.spec
        if not ID_RE.match(spec.id):
            raise self.err(
                Bilingual(
                    "id must be letters, digits, '-', '_' or '.'",
                    "mã (id) chỉ được gồm chữ cái, chữ số, '-', '_' hoặc '.'",
                ),
                ("id",),
            )
        if spec.effective.until is not None and spec.effective.until < spec.effective.from_:
            raise self.err(
                Bilingual(
                    "effective.until is before effective.from",
                    "ngày hết hiệu lực (effective.until) trước ngày có hiệu lực (effective.from)",
                ),
                ("effective", "until"),
            )
        if not spec.applies_to:
            raise self.err(
                Bilingual(
                    "applies_to needs at least one unit kind",
                    "applies_to cần ít nhất một loại đơn vị",
                ),
                ("applies_to",),
            )

    def _base(self) -> RuleSetDefinition | None:
        """The rule set this one ``extends`` (in force when this one starts), if any."""
        spec = self.spec
        if spec.extends is None:
            return None
        try:
            return self.lookup(spec.extends, None, spec.effective.from_)
        except RuleSetError as exc:
            if exc.file is None:
                raise self.err(
                    join(
                        Bilingual(
                            f"cannot extend {spec.extends!r}: ",
                            f"không kế thừa được bộ tiêu chí {spec.extends!r}: ",
                        ),
                        error_message(exc),
                    ),
                    ("extends",),
                ) from None
            raise

    def _enumerations(self, base: RuleSetDefinition | None) -> dict[str, EnumerationSpec]:
        """The shared enumerations, the base's, and this file's own (checked)."""
        enums: dict[str, EnumerationSpec] = dict(self.shared_enums)
        if base is not None:
            enums.update(base.enumerations)
        for eid, enum in self.spec.enumerations.items():
            if eid in enums and enums[eid] != enum:
                raise self.err(
                    Bilingual(
                        f"enumeration {eid!r} is already declared (shared)",
                        f"danh mục {eid!r} đã được khai báo (danh mục dùng chung)",
                    ),
                    ("enumerations", eid),
                )
            check_enumeration(self.doc, ("enumerations", eid), eid, enum)
            enums[eid] = enum
        return enums

    def _facts(
        self, base: RuleSetDefinition | None, enums: Mapping[str, EnumerationSpec]
    ) -> dict[str, FactSpec]:
        """The base's facts and this file's own (checked; none declared twice)."""
        facts: dict[str, FactSpec] = dict(base.facts) if base else {}
        for name, fact in self.spec.facts.items():
            path: tuple[PathPart, ...] = ("facts", name)
            if name in facts:
                raise self.err(
                    Bilingual(
                        f"fact {name!r} is already declared by {self.spec.extends}",
                        f"dữ kiện {name!r} đã được khai báo trong {self.spec.extends}",
                    ),
                    path,
                )
            self._check_name(name, path, "fact")
            self._check_fact(fact, path, enums)
            facts[name] = fact
        return facts

    def _parameters(
        self,
        base: RuleSetDefinition | None,
        facts: Mapping[str, FactSpec],
        enum_types: Mapping[str, EnumType],
    ) -> dict[str, ParameterSpec]:
        """The base's parameters, overridden or added to by this file's (checked)."""
        spec = self.spec
        params: dict[str, ParameterSpec] = dict(base.parameters) if base else {}
        for name, param in spec.parameters.items():
            path: tuple[PathPart, ...] = ("parameters", name)
            self._check_name(name, path, "parameter")
            if name in facts:
                raise self.err(
                    Bilingual(
                        f"parameter {name!r} has the name of a fact",
                        f"tham số {name!r} trùng tên với một dữ kiện",
                    ),
                    path,
                )
            if name in params and params[name].type is not param.type:
                was, now = params[name].type.value, param.type.value
                raise self.err(
                    Bilingual(
                        f"parameter {name!r} is a {was} in {spec.extends}; "
                        f"an override cannot make it a {now}",
                        f"tham số {name!r} có kiểu {was} trong {spec.extends}; khi ghi đè không "
                        f"được đổi thành kiểu {now}",
                    ),
                    (*path, "type"),
                )
            self._check_parameter(param, path, enum_types)
            params[name] = param
        return params

    def _prerequisites(
        self,
        base: RuleSetDefinition | None,
        facts: Mapping[str, FactSpec],
        params: Mapping[str, ParameterSpec],
    ) -> list[Prerequisite]:
        """The base's prerequisites and the rule sets this file ``requires``; a fact
        declared by several of them must be declared alike."""
        spec = self.spec
        prerequisites: list[Prerequisite] = list(base.prerequisites) if base else []
        shared: dict[str, tuple[FactSpec, str]] = {n: (f, spec.id) for n, f in facts.items()}
        for pre in prerequisites:
            for fname, fspec in pre.definition.all_facts().items():
                shared.setdefault(fname, (fspec, pre.definition.id))
        for i, req in enumerate(spec.requires):
            path: tuple[PathPart, ...] = ("requires", i)
            self._check_name(req.as_, (*path, "as"), "prerequisite")
            if req.as_ in facts or req.as_ in params:
                raise self.err(
                    Bilingual(
                        f"{req.as_!r} is already a fact or a parameter",
                        f"{req.as_!r} đã là tên của một dữ kiện hoặc một tham số",
                    ),
                    (*path, "as"),
                )
            if any(p.requirement.as_ == req.as_ for p in prerequisites):
                raise self.err(
                    Bilingual(
                        f"two prerequisites are both named {req.as_!r}",
                        f"hai bộ tiêu chí được yêu cầu (requires) cùng mang tên {req.as_!r}",
                    ),
                    (*path, "as"),
                )
            definition = self._required(req.ruleset, req.version, (*path, "ruleset"))
            for fname, fspec in definition.all_facts().items():
                if fname in shared and _shape(shared[fname][0]) != _shape(fspec):
                    one, other = shared[fname][1], definition.id
                    raise self.err(
                        Bilingual(
                            f"fact {fname!r} is declared differently by {one} and {other} "
                            "(type, bounds, enumeration and fields must agree)",
                            f"dữ kiện {fname!r} được khai báo khác nhau trong {one} và {other} "
                            "(kiểu, giới hạn, danh mục và các trường phải giống nhau)",
                        ),
                        (*path, "ruleset"),
                    )
                shared.setdefault(fname, (fspec, definition.id))
            prerequisites.append(Prerequisite(req, definition))
        return prerequisites

    def _scope(
        self, fact_types: Mapping[str, Type], prerequisites: list[Prerequisite]
    ) -> dict[str, Type]:
        """The facts the conditions may read: their own, the prerequisites' facts, and each
        prerequisite's outcome (a boolean under its ``as`` name)."""
        scope_facts: dict[str, Type] = dict(fact_types)
        for pre in prerequisites:
            for fname, ftype in pre.definition.all_fact_types().items():
                scope_facts.setdefault(fname, ftype)
            scope_facts[pre.requirement.as_] = T_BOOL
        for reserved in RESERVED_EVIDENCE_KEYS:
            if reserved in scope_facts:
                raise self.err(
                    Bilingual(
                        f"{reserved!r} is reserved for the unit's id",
                        f"{reserved!r} là tên dành riêng cho mã đơn vị",
                    ),
                    ("facts", reserved),
                )
        return scope_facts

    def _groups(self, base: RuleSetDefinition | None) -> list[GroupSpec]:
        """The base's groups and this file's own (no id twice)."""
        groups = list(base.groups) if base else []
        for i, group in enumerate(self.spec.groups):
            if any(g.id == group.id for g in groups):
                raise self.err(
                    Bilingual(f"duplicate group {group.id!r}", f"nhóm {group.id!r} bị lặp lại"),
                    ("groups", i, "id"),
                )
            groups.append(group)
        return groups

    def _criterion_specs(self, base: RuleSetDefinition | None) -> list[_CriterionSource]:
        """The criteria to check, in order: the base's (less those dropped, replaced in
        place), then this file's; each with its file and its path in this file (None for
        one inherited unchanged)."""
        spec, doc = self.spec, self.doc
        if spec.extends is None and (spec.replace or spec.drop):
            raise self.err(_NEED_EXTENDS, ("replace" if spec.replace else "drop",))
        crit_specs: list[_CriterionSource] = (
            [(c.template or c.spec, c.file, None) for c in base.criteria] if base else []
        )
        ids = {c.id for c, _, _ in crit_specs}
        for i, drop in enumerate(spec.drop):
            if drop not in ids:
                raise self.err(
                    Bilingual(
                        f"cannot drop criterion {drop!r}: {spec.extends} has no such criterion",
                        f"không bỏ được tiêu chí {drop!r}: {spec.extends} không có tiêu chí này",
                    ),
                    ("drop", i),
                )
            crit_specs = [c for c in crit_specs if c[0].id != drop]
            ids.discard(drop)
        for i, crit in enumerate(spec.replace):
            if crit.id not in ids:
                raise self.err(
                    Bilingual(
                        f"cannot replace criterion {crit.id!r}: the base has no such criterion",
                        f"không thay được tiêu chí {crit.id!r}: bộ tiêu chí được kế thừa không "
                        "có tiêu chí này",
                    ),
                    ("replace", i, "id"),
                )
            replaced: tuple[PathPart, ...] = ("replace", i)
            crit_specs = [
                (crit, doc.file, replaced) if c.id == crit.id else (c, f, at)
                for c, f, at in crit_specs
            ]
        for i, crit in enumerate(spec.criteria):
            if crit.id in ids:
                raise self.err(
                    Bilingual(
                        f"duplicate criterion id {crit.id!r}",
                        f"mã tiêu chí {crit.id!r} bị lặp lại",
                    ),
                    ("criteria", i, "id"),
                    crit.id,
                )
            ids.add(crit.id)
            crit_specs.append((crit, doc.file, ("criteria", i)))
        if not crit_specs:
            raise self.err(_NO_CRITERIA, ("criteria",))
        return crit_specs

    def _criteria(
        self,
        crit_specs: list[_CriterionSource],
        base: RuleSetDefinition | None,
        groups: list[GroupSpec],
        scope_facts: Mapping[str, Type],
        param_types: Mapping[str, Type],
        enum_types: Mapping[str, EnumType],
        policy: PolicySpec,
    ) -> list[CheckedCriterion]:
        """Each criterion checked: a number and a known group of its own, its condition
        type-checked; one inherited unchanged keeps its citation."""
        inherited = {c.id: c.citation for c in base.criteria} if base else {}
        numbers: dict[int, str] = {}
        group_ids = {g.id for g in groups}
        checked: list[CheckedCriterion] = []
        for crit, file, at in crit_specs:
            where: tuple[PathPart, ...] = at or ()
            if crit.number in numbers:
                other = numbers[crit.number]
                raise self.err(
                    Bilingual(
                        f"criterion {crit.id!r} has the number {crit.number} of criterion "
                        f"{other!r}",
                        f"tiêu chí {crit.id!r} mang số {crit.number}, trùng với số của tiêu chí "
                        f"{other!r}",
                    ),
                    (*where, "number"),
                    crit.id,
                )
            numbers[crit.number] = crit.id
            if crit.group not in group_ids:
                known = ", ".join(sorted(group_ids))
                raise self.err(
                    Bilingual(
                        f"unknown group {crit.group!r} (groups: {known})",
                        f"không có nhóm {crit.group!r} (các nhóm: {known})",
                    ),
                    (*where, "group"),
                    crit.id,
                )
            criterion = self._check_criterion(
                crit, file, where, scope_facts, param_types, enum_types, policy
            )
            if at is None and crit.source is None:  # inherited unchanged: keep its citation
                criterion = attrs.evolve(criterion, citation=inherited[crit.id])
            checked.append(criterion)
        return checked

    def _canonical(
        self,
        base: RuleSetDefinition | None,
        prerequisites: list[Prerequisite],
        enums: Mapping[str, EnumerationSpec],
        params: Mapping[str, ParameterSpec],
        facts: Mapping[str, FactSpec],
        groups: list[GroupSpec],
        checked: list[CheckedCriterion],
        policy: PolicySpec,
    ) -> dict[str, Any]:
        """The content the rule set's sha256 is computed over (base and prerequisites by
        their own hashes)."""
        spec = self.spec
        return {
            "id": spec.id,
            "version": spec.version,
            "title": converter.unstructure(spec.title),
            "description": converter.unstructure(spec.description),
            "source": converter.unstructure(spec.source),
            "applies_to": [k.value for k in spec.applies_to],
            "effective": converter.unstructure(spec.effective),
            "extends": [base.id, base.version, base.sha256] if base else None,
            "requires": [
                [p.requirement.as_, p.definition.id, p.definition.version, p.definition.sha256]
                for p in prerequisites
            ],
            "enumerations": {
                eid: converter.unstructure(enums[eid]) for eid in sorted(_enums_used(facts, params))
            },
            "parameters": converter.unstructure(params),
            "facts": converter.unstructure(facts),
            "groups": converter.unstructure(groups),
            "criteria": [converter.unstructure(c.spec) for c in checked],
            "policy": converter.unstructure(policy),
        } | ({"items": converter.unstructure(spec.items)} if spec.items is not None else {})

    # -- pieces ----------------------------------------------------------------
    def _required(
        self, ruleset: str, version: str | None, path: tuple[PathPart, ...]
    ) -> RuleSetDefinition:
        """A required rule set: the version asked for, else the one in force when this rule
        set starts, else its latest version (the evaluation date picks among versions only
        through this rule set's own versions)."""
        try:
            return self.lookup(ruleset, version, self.spec.effective.from_)
        except RuleSetError as exc:
            if version is None and "not in force" in exc.message:
                try:
                    return self.lookup(ruleset, None, None)
                except RuleSetError:
                    pass
            if exc.file is None:
                raise self.err(
                    join(
                        Bilingual(
                            f"cannot require {ruleset!r}: ",
                            f"không yêu cầu được bộ tiêu chí {ruleset!r}: ",
                        ),
                        error_message(exc),
                    ),
                    path,
                ) from None
            raise

    def _fact_type(self, fact: FactSpec | FieldSpec, enum_types: Mapping[str, EnumType]) -> Type:
        return kind(fact.type).expr_type(fact, enum_types)


def _parameter_types(
    params: Mapping[str, ParameterSpec], enum_types: dict[str, EnumType]
) -> dict[str, Type]:
    """The expression-language type of each parameter."""
    return {name: kind(p.type).expr_type(p, enum_types) for name, p in params.items()}


def _parameter_values(params: Mapping[str, ParameterSpec]) -> dict[str, tuple[Any, ...]]:
    """Every dated value of each number parameter, so that the checker refuses ``x / p``
    when ``p`` is 0 in any version."""
    return {
        name: tuple(
            parse_value(raw, p.type)
            for raw in ([p.value] if p.value is not None else [d.value for d in p.values])
        )
        for name, p in params.items()
        if kind(p.type).number_kind  # integers, decimals, percentages
    }


def _shape(spec: FactSpec) -> tuple[object, ...]:
    """What two declarations of one fact must agree on (labels may differ)."""
    fields = tuple((n, f.type, f.min, f.max, f.enum) for n, f in (spec.fields or {}).items())
    return (spec.type, spec.min, spec.max, spec.enum, fields, spec.none is not None)


def _enums_used(facts: Mapping[str, FactSpec], params: Mapping[str, ParameterSpec]) -> set[str]:
    used = {p.enum for p in params.values() if p.enum}
    for f in facts.values():
        if f.enum:
            used.add(f.enum)
        for field in (f.fields or {}).values():
            if field.enum:
                used.add(field.enum)
    return {u for u in used if u}


def canonical_json(data: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text, decimals and dates as strings."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def resolve(
    spec: RuleSetSpec, doc: SourceDoc, shared_enums: Mapping[str, EnumerationSpec], lookup: Lookup
) -> RuleSetDefinition:
    """Check ``spec`` (read from ``doc``) into a definition; ``lookup`` finds the rule sets
    it extends or requires."""
    return _Resolver(spec, doc, shared_enums, lookup).resolve()


def read_ruleset(doc: SourceDoc) -> RuleSetSpec:
    """Structure a rule-set file."""
    spec: RuleSetSpec = structure_spec(doc, RuleSetSpec)
    return spec


__all__ = [
    "RESERVED_EVIDENCE_KEYS",
    "canonical_json",
    "enum_type",
    "read_enumerations",
    "read_ruleset",
    "resolve",
    "structure_spec",
    "template_names",
]
