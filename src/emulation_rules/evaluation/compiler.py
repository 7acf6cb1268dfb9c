"""Compiling a checked rule set, once, into two plain Python functions.

``run(evidence, prerequisite_outcomes)`` validates every fact inline and, when every fact
the criteria read is known, computes all criteria two-valued in the same function:
the hot path. ``full(values, traces)`` computes them three-valued (Kleene) and traces
every comparison: used when a fact is missing or an explanation is asked for.

The source is generated from the typed trees (see :mod:`emulation_rules.expr.codegen`):
rule text never reaches ``compile``; constants travel through the namespace.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import attrs

from emulation_rules.errors import RuleSetError
from emulation_rules.evaluation.evidence import BadValue, make_coercer
from emulation_rules.expr.codegen import ExprCompiler, Namespace
from emulation_rules.expr.types import Type
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import FactSpec

RunResult = tuple[
    list[Any] | None, tuple[Any, ...] | None, tuple[bool, ...] | None, tuple[Any, ...] | None
]


@attrs.frozen
class FactSlot:
    """A fact as the compiled code sees it: its position in the values tuple."""

    name: str
    index: int
    spec: FactSpec | None
    type: Type
    read: bool


@attrs.frozen
class Compiled:
    """The generated functions of a rule set, and their source (for the curious)."""

    run: Callable[[Any, tuple[Any, ...]], RunResult]
    full: Callable[
        [tuple[Any, ...], list[list[Any]] | None],
        tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...]],
    ]
    slots: tuple[FactSlot, ...]
    known_keys: frozenset[str]
    source: str
    parameters: dict[str, Any]


def fact_slots(definition: RuleSetDefinition) -> tuple[FactSlot, ...]:
    """Every fact the compiled code reads: own facts, the prerequisites' facts, then the
    prerequisites' outcomes (booleans)."""
    read: set[str] = set()
    for crit in definition.criteria:
        read.update(crit.facts)
    types = definition.all_fact_types()
    slots = [
        FactSlot(name, i, spec, types[name], name in read)
        for i, (name, spec) in enumerate(definition.all_facts().items())
    ]
    for pre in definition.prerequisites:
        slots.append(FactSlot(pre.requirement.as_, len(slots), None, Type("bool"), True))
    return tuple(slots)


def all_facts(definition: RuleSetDefinition) -> dict[str, FactSpec]:
    """The facts a rule set's evidence may hold: its own and its prerequisites'."""
    return definition.all_facts()


def compile_definition(
    definition: RuleSetDefinition, on: date, outcomes: Sequence[tuple[Any, Any]] = ()
) -> Compiled:
    """Generate and compile the functions of ``definition`` with its parameters as in
    force on ``on``. ``outcomes`` gives, per criterion, the (not met, met) results the fast
    path returns; when given, ``run`` returns them as a fourth item."""
    params = definition.parameter_values(on)
    for name, value in params.items():
        if value is None:
            raise RuleSetError(
                f"parameter {name!r} has no value in force on {on}",
                file=definition.file,
                path=("parameters", name),
            )
    ns = Namespace()
    ns.values["BadValue"] = BadValue
    slots = fact_slots(definition)
    enums = definition.enumerations
    fact_var = {s.name: f"f{s.index}" for s in slots}
    prereq_names = [p.requirement.as_ for p in definition.prerequisites]

    lines = ["def run(ev, pre):", "    errs = []", "    miss = False", "    get = ev.get"]
    for slot in slots:
        if slot.spec is None:
            continue
        lines += _validate_lines(slot, fact_var[slot.name], ns, enums)
    for i, name in enumerate(prereq_names):
        var = fact_var[name]
        lines.append(f"    {var} = pre[{i}]")
        lines.append(f"    if {var} is U: miss = True")
    lines.append("    if errs: return errs, None, None, None")
    values_tuple = "(" + "".join(f"{fact_var[s.name]}, " for s in slots) + ")"
    lines.append(f"    vals = {values_tuple}")
    lines.append("    if miss: return None, vals, None, None")
    temps = itertools.count()
    results = []
    full_lines = ["def full(vals, TT):", f"    {values_tuple} = vals" if slots else "    pass"]
    lets_out = []
    for ci, crit in enumerate(definition.criteria):
        local_var = {name: f"l{ci}_{name}" for name, _ in crit.lets}
        comp = ExprCompiler(
            ns,
            fact_var=fact_var.__getitem__,
            local_var=local_var.__getitem__,
            params=params,
            criterion=crit.id,
            temps=temps,
        )
        full_lines.append(f"    T = None if TT is None else TT[{ci}]")
        for name, expr in crit.lets:
            lines.append(f"    {local_var[name]} = {comp.fast(expr)}")
            full_lines.append(f"    {local_var[name]} = {comp.full(expr)}")
        lines.append(f"    c{ci} = {comp.fast(crit.condition)}")
        full_lines.append(f"    c{ci} = {comp.full(crit.condition)}")
        results.append(f"c{ci}")
        lets_out.append("(" + "".join(f"{local_var[n]}, " for n, _ in crit.lets) + ")")
    if outcomes:
        picked = ", ".join(
            f"{ns.const(tuple(o))}[{r}]" for o, r in zip(outcomes, results, strict=True)
        )
        lines.append(f"    return None, vals, ({', '.join(results)},), ({picked},)")
    else:
        lines.append(f"    return None, vals, ({', '.join(results)},), None")
    full_lines.append(f"    return ({', '.join(results)},), ({', '.join(lets_out)},)")

    source = "\n".join(lines) + "\n\n" + "\n".join(full_lines) + "\n"
    namespace = dict(ns.values)
    try:
        code = compile(source, f"<emulation-rules {definition.id} {definition.version}>", "exec")
    except (SyntaxError, RecursionError, MemoryError) as exc:  # pragma: no cover - limits guard
        raise RuleSetError(
            f"the conditions are too deeply nested to compile ({type(exc).__name__}); "
            "split them with `let`",
            file=definition.file,
        ) from None
    exec(code, namespace)  # source generated from the typed tree, never from rule text
    known = frozenset(s.name for s in slots if s.spec is not None)
    return Compiled(namespace["run"], namespace["full"], slots, known, source, params)


def _validate_lines(slot: FactSlot, var: str, ns: Namespace, enums: Any) -> list[str]:
    """The lines of ``run`` reading and checking one fact: the kind's inline checks, then
    its coercer (the slow path)."""
    spec = slot.spec
    assert spec is not None
    key = ns.const(slot.name)
    coerce = ns.const(make_coercer(spec, enums))
    miss = "miss = True; " if slot.read else ""
    return [
        f"    {var} = get({key})",
        f"    if {var} is None: {miss}{var} = U",
        *kind(spec.type).check_lines(var, key, coerce, slot.read, spec, ns, enums),
    ]
