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
import linecache
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, NamedTuple

import attrs

from emulation_rules.errors import RuleSetError
from emulation_rules.evaluation.evidence import BadValue, make_coercer
from emulation_rules.expr.codegen import ExprCompiler, Namespace
from emulation_rules.expr.trace import Trace
from emulation_rules.expr.types import Type
from emulation_rules.formatting import date_text
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import FactSpec


class RunResult(NamedTuple):
    """What ``run`` returns, one of three ways: ``errors`` set (the evidence is bad, the
    rest None); ``values`` only (some fact the criteria read is missing: run ``full``);
    or ``values``, ``fast`` and, when outcomes were given, ``picked``."""

    errors: list[tuple[str, Any]] | None
    """Per bad fact, ``(name, problems)`` with problems as ``BadValue.problems``."""
    values: tuple[Any, ...] | None
    """The validated values, one per :class:`FactSlot` (``UNKNOWN`` when not given)."""
    fast: tuple[bool, ...] | None
    """Each criterion's result, two-valued."""
    picked: tuple[Any, ...] | None
    """Each criterion's outcome, picked from the (not met, met) pairs given."""


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
        [tuple[Any, ...], Sequence[Trace | None] | None],
        tuple[tuple[Any, ...], tuple[tuple[Any, ...], ...]],
    ]
    slots: tuple[FactSlot, ...]
    known_keys: frozenset[str]
    source: str
    parameters: dict[str, Any]
    all_met: tuple[Any, ...] | None = None
    """The outcomes ``run`` picks, shared, when every criterion is met (None without
    outcomes): a verdict whose criteria are this very tuple met them all."""


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
    path returns; when given, ``run`` returns them as ``picked``."""
    params = _parameters_in_force(definition, on)
    enums = definition.enumerations
    all_met: tuple[Any, ...] | None = None
    ns = Namespace()
    ns.values["BadValue"] = BadValue
    ns.values["_R"] = RunResult
    ns.values["_tuple_new"] = tuple.__new__  # a RunResult without its Python-level __new__
    slots = fact_slots(definition)
    fact_var = {s.name: f"f{s.index}" for s in slots}
    values_tuple = "(" + "".join(f"{fact_var[s.name]}, " for s in slots) + ")"
    run_lines = _validation_lines(definition, slots, fact_var, values_tuple, ns)
    full_lines = ["def full(vals, TT):", f"    {values_tuple} = vals" if slots else "    pass"]
    raw_var = dict(fact_var)
    for slot in slots:  # a fact known to have none reads as unknown, except to exists()
        if slot.spec is not None and slot.spec.none is not None:
            var = raw_var[slot.name] = f"r{slot.index}"
            full_lines.append(f"    {var} = {fact_var[slot.name]}")
            full_lines.append(f"    if {var} is _NONE: {fact_var[slot.name]} = U")
    results, lets_out = _criteria_lines(
        definition, params, (fact_var, raw_var), ns, run_lines, full_lines
    )
    if outcomes:
        picked = ", ".join(
            f"{ns.const(tuple(o))}[{r}]" for o, r in zip(outcomes, results, strict=True)
        )
        if results:  # every criterion met (the common case): the results are constants
            all_met = tuple(o[1] for o in outcomes)
            run_lines.append(
                f"    if {' and '.join(results)}: return _tuple_new(_R, "
                f"(None, vals, {ns.const((True,) * len(results))}, {ns.const(all_met)}))"
            )
        run_lines.append(
            f"    return _tuple_new(_R, (None, vals, ({', '.join(results)},), ({picked},)))"
        )
    else:
        run_lines.append(f"    return _tuple_new(_R, (None, vals, ({', '.join(results)},), None))")
    full_lines.append(f"    return ({', '.join(results)},), ({', '.join(lets_out)},)")

    helpers = _helper_lines(slots, fact_var, ns, enums)
    source = "\n".join([*run_lines, "", *full_lines, *helpers]) + "\n"
    namespace = _execute(definition, source, ns)
    known = frozenset(s.name for s in slots if s.spec is not None)
    compiled = Compiled(namespace["run"], namespace["full"], slots, known, source, params, all_met)
    _register_source(compiled, namespace["run"].__code__.co_filename, source)
    return compiled


def _parameters_in_force(definition: RuleSetDefinition, on: date) -> dict[str, Any]:
    """The parameters' values on ``on``; a RuleSetError if one has none then."""
    params = definition.parameter_values(on)
    for name, value in params.items():
        if value is None:
            raise RuleSetError(
                f"parameter {name!r} has no value in force on {on}",
                file=definition.file,
                path=("parameters", name),
                message_vi=f"tham số {name!r} không có giá trị có hiệu lực vào ngày "
                f"{date_text(on, 'vi')}",
            )
    return params


def _validation_lines(
    definition: RuleSetDefinition,
    slots: Sequence[FactSlot],
    fact_var: dict[str, str],
    values_tuple: str,
    ns: Namespace,
) -> list[str]:
    """The head of ``run``: each fact read and validated, the prerequisites' outcomes read,
    and the early returns (bad evidence; a fact the criteria read is missing)."""
    enums = definition.enumerations
    lines = ["def run(ev, pre):", "    errs = []", "    miss = False", "    get = ev.get"]
    for slot in slots:
        if slot.spec is None:
            continue
        lines += _validate_lines(slot, fact_var[slot.name], ns, enums)
    for i, pre in enumerate(definition.prerequisites):
        var = fact_var[pre.requirement.as_]
        lines.append(f"    {var} = pre[{i}]")
        lines.append(f"    if {var} is U: miss = True")
    lines.append("    if errs: return _R(errs, None, None, None)")
    lines.append(f"    vals = {values_tuple}")
    lines.append("    if miss: return _R(None, vals, None, None)")
    return lines


def _helper_lines(
    slots: Sequence[FactSlot], fact_var: dict[str, str], ns: Namespace, enums: Any
) -> list[str]:
    """The module-level functions the checks of ``run`` call (the records of a list
    fact), each after a blank line."""
    lines: list[str] = []
    for slot in slots:
        if slot.spec is not None:
            helper = kind(slot.spec.type).helper_lines(fact_var[slot.name], slot.spec, ns, enums)
            if helper:
                lines += ["", *helper]
    return lines


def _criteria_lines(
    definition: RuleSetDefinition,
    params: dict[str, Any],
    fact_vars: tuple[dict[str, str], dict[str, str]],
    ns: Namespace,
    run_lines: list[str],
    full_lines: list[str],
) -> tuple[list[str], list[str]]:
    """Append each criterion's lets and condition to ``run`` (two-valued) and ``full``
    (three-valued, traced into ``TT[i]``); returns the result variables and, per
    criterion, the source of the tuple of its lets. ``fact_vars`` are each fact's variable
    and its raw variable (``NONE`` kept, for ``exists()``)."""
    fact_var, raw_var = fact_vars
    temps = itertools.count()
    results: list[str] = []
    lets_out: list[str] = []
    for ci, crit in enumerate(definition.criteria):
        local_var = {name: f"l{ci}_{name}" for name, _ in crit.lets}
        comp = ExprCompiler(
            ns,
            fact_var=fact_var.__getitem__,
            local_var=local_var.__getitem__,
            params=params,
            criterion=crit.id,
            temps=temps,
            raw_var=raw_var.__getitem__,
        )
        full_lines.append(f"    T = None if TT is None else TT[{ci}]")
        for name, expr in crit.lets:
            run_lines.append(f"    {local_var[name]} = {comp.fast(expr)}")
            full_lines.append(f"    {local_var[name]} = {comp.full(expr)}")
        run_lines.append(f"    c{ci} = {comp.fast(crit.condition)}")
        full_lines.append(f"    c{ci} = {comp.full(crit.condition)}")
        results.append(f"c{ci}")
        lets_out.append("(" + "".join(f"{local_var[n]}, " for n, _ in crit.lets) + ")")
    return results, lets_out


def _execute(definition: RuleSetDefinition, source: str, ns: Namespace) -> dict[str, Any]:
    """Compile and run the generated source in a fresh copy of the namespace; returns it."""
    namespace = dict(ns.values)
    try:
        code = compile(source, _source_name(definition), "exec")
    except (SyntaxError, RecursionError, MemoryError) as exc:  # pragma: no cover - limits guard
        raise RuleSetError(
            f"the conditions are too deeply nested to compile ({type(exc).__name__}); "
            "split them with `let`",
            file=definition.file,
            message_vi=f"các điều kiện lồng nhau quá sâu, không biên dịch được "
            f"({type(exc).__name__}); hãy tách chúng bằng `let`",
        ) from None
    exec(code, namespace)  # source generated from the typed tree, never from rule text
    return namespace


_compilations = itertools.count()


def _source_name(definition: RuleSetDefinition) -> str:
    """The file name of a compilation's generated code, as tracebacks show it: the rule
    set, its version and a number unique to the compilation (a rule set compiled for two
    dates, or in two libraries, has two)."""
    return f"<emulation-rules {definition.id} {definition.version} #{next(_compilations)}>"


def _register_source(compiled: Compiled, filename: str, source: str) -> None:
    """Give ``linecache`` the generated source, so that a traceback through it shows its
    lines. ``linecache.cache`` is the only global state this touches: its entry is keyed by
    the compilation's unique ``filename`` and removed when ``compiled`` is collected (an
    entry without a modification time is never dropped by ``linecache.checkcache``)."""
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    weakref.finalize(compiled, linecache.cache.pop, filename, None)


def _validate_lines(slot: FactSlot, var: str, ns: Namespace, enums: Any) -> list[str]:
    """The lines of ``run`` reading and checking one fact: the kind's inline checks, then
    its coercer (the slow path)."""
    spec = slot.spec
    assert spec is not None
    key = ns.const(slot.name)
    coerce = ns.const(make_coercer(spec, enums))
    miss = "miss = True; " if slot.read else ""
    # a fact known to have none sends the unit to the three-valued ``full``
    none = [f"    if {var} is _NONE: miss = True"] if spec.none is not None and slot.read else []
    return [
        f"    {var} = get({key})",
        f"    if {var} is None: {miss}{var} = U",
        *kind(spec.type).check_lines(var, key, coerce, slot.read, spec, ns, enums),
        *none,
    ]
