"""A compiled rule set: evaluate units, one or many, with or without explanations."""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterable, Iterator, Mapping
from datetime import date
from functools import partial
from multiprocessing.context import BaseContext
from typing import Any

import attrs

from emulation_rules.errors import (
    Bilingual,
    EmulationRulesError,
    EvaluationError,
    EvidenceError,
    PathPart,
    Problem,
    did_you_mean,
    unknown_criterion,
)
from emulation_rules.evaluation import batch
from emulation_rules.evaluation.compiler import Compiled, all_facts, compile_definition
from emulation_rules.evaluation.evidence import UNKNOWN_FACTS, UnknownFacts, check_unknown_facts
from emulation_rules.evaluation.explain import Explainer
from emulation_rules.evaluation.explained import (
    MEMO_SIZE,
    NO_MISSING,
    CriteriaMaker,
    check_memo_size,
    shared_results,
)
from emulation_rules.evaluation.policy import Decider, gate, outcome_value
from emulation_rules.evaluation.stored import MadeBy, check_made_by, explain_again, read_compact
from emulation_rules.evaluation.suggest import Suggester
from emulation_rules.evaluation.values import plain_decimal
from emulation_rules.expr.runtime import UNKNOWN
from emulation_rules.expr.trace import Trace
from emulation_rules.jsontext import loads
from emulation_rules.loading.definition import CheckedCriterion, RuleSetDefinition
from emulation_rules.loading.reform import with_parameters
from emulation_rules.loading.resolve import RESERVED_EVIDENCE_KEYS
from emulation_rules.loading.schema import evidence_schema
from emulation_rules.model.common import Text
from emulation_rules.model.compact import is_compact
from emulation_rules.model.converter import converter, structure
from emulation_rules.model.kinds.base import A_TEXT, expected_text
from emulation_rules.model.ruleset import EnumerationSpec, FactSpec
from emulation_rules.model.verdict import (
    CriterionStatus,
    PrerequisiteResult,
    RuleSetRef,
    Status,
    Verdict,
)
from emulation_rules.text import nfc

_MET, _NOT_MET, _UNKNOWN = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN


class RuleSet:
    """A rule set compiled for a date (its parameters as in force on that date).

    Immutable once built and safe to share between threads: ``evaluate`` keeps all its
    working state in local variables.
    """

    def __init__(
        self,
        definition: RuleSetDefinition,
        on: date,
        prerequisites: Iterable[RuleSet] = (),
        *,
        unknown_facts: UnknownFacts = "error",
        explanation_memo: int = MEMO_SIZE,
    ) -> None:
        check_unknown_facts(unknown_facts)
        check_memo_size(explanation_memo)
        self.unknown_facts: UnknownFacts = unknown_facts
        """What an evidence name this rule set does not read is, by default (see
        :meth:`evaluate`)."""
        self.definition = definition
        self.on = on
        self.prerequisites: tuple[RuleSet, ...] = tuple(prerequisites)
        self.ref = RuleSetRef(definition.id, definition.version, definition.sha256)
        met, not_met = shared_results(definition.criteria, definition.items)
        self._compiled: Compiled = compile_definition(
            definition, on, list(zip(not_met, met, strict=True))
        )
        self._facts: dict[str, FactSpec] = all_facts(definition)
        self._accepted = frozenset(self._compiled.known_keys | RESERVED_EVIDENCE_KEYS)
        self._slot_index = {s.name: s.index for s in self._compiled.slots}
        explainer = Explainer(
            definition,
            self._slot_index,
            self._compiled.parameters,
            self._facts,
            {s.name: s.type for s in self._compiled.slots},
        )
        self._maker = CriteriaMaker(
            definition.criteria,
            self._compiled,
            explainer,
            self._facts,
            (met, not_met),
            memo_size=explanation_memo,
        )
        self._decider = Decider(definition)
        # per prerequisite, its result when its criteria were all met, by status
        self._met_pre: tuple[dict[Status, PrerequisiteResult], ...] = tuple(
            {} for _ in self.prerequisites
        )
        self._suggester = Suggester(self._compiled.known_keys)

    # -- identity --------------------------------------------------------------
    @property
    def id(self) -> str:
        """The rule set's id."""
        return self.definition.id

    @property
    def version(self) -> str:
        """The rule set's version."""
        return self.definition.version

    @property
    def sha256(self) -> str:
        """The sha256 of the rule set's canonical content."""
        return self.definition.sha256

    @property
    def title(self) -> Text:
        """The rule set's title."""
        return self.definition.title

    @property
    def criteria(self) -> tuple[CheckedCriterion, ...]:
        """The criteria, in the source's order."""
        return self.definition.criteria

    def criterion(self, id_or_number: str | int) -> CheckedCriterion:
        """A criterion by its id (``"18"``, ``"4.1a"``) or number: its ``title``,
        ``number``, ``group``, ``citation`` and condition. ``KeyError`` if there is none."""
        for crit in self.definition.criteria:
            if crit.id == str(id_or_number) or crit.number == id_or_number:
                return crit
        raise unknown_criterion(id_or_number, [c.spec.id for c in self.definition.criteria])

    @property
    def facts(self) -> dict[str, FactSpec]:
        """Every fact the evidence may hold (the prerequisites' facts included)."""
        return dict(self._facts)

    @property
    def parameters(self) -> dict[str, Any]:
        """The parameters' run-time values for this rule set's date."""
        return dict(self._compiled.parameters)

    @property
    def generated_source(self) -> str:
        """The Python source generated for this rule set (for inspection only)."""
        return self._compiled.source

    @property
    def enumerations(self) -> dict[str, EnumerationSpec]:
        """Every enumeration the rule set's facts may use, by id: its own and its
        prerequisites' (recursively; its own win)."""
        enums: dict[str, EnumerationSpec] = {}
        for pre in self.prerequisites:
            enums.update(pre.enumerations)
        enums.update(self.definition.enumerations)
        return enums

    def evidence_schema(self) -> dict[str, Any]:
        """The JSON Schema of this rule set's evidence (its facts and its prerequisites')."""
        return evidence_schema(self.id, self.version, self._facts, self.enumerations)

    def __repr__(self) -> str:
        return f"<RuleSet {self.id} {self.version} on {self.on} ({len(self.criteria)} criteria)>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its checked definition, date and prerequisites (plain data); the
        receiving process compiles it again (≈30 ms for typical-commune), so a rule set
        can be sent to the workers of a process pool."""
        return (
            partial(
                RuleSet,
                unknown_facts=self.unknown_facts,
                explanation_memo=self._maker.memo_size,
            ),
            (self.definition, self.on, self.prerequisites),
        )

    # -- evaluation ------------------------------------------------------------
    def evaluate(
        self,
        evidence: Any,
        *,
        explain: bool = False,
        unit: str | None = None,
        unknown_facts: UnknownFacts | None = None,
    ) -> Verdict:
        """Evaluate one unit.

        ``evidence`` is a mapping of fact names to values (parsed JSON, a ``sqlite3.Row``,
        a read-only mapping), or an attrs or dataclass instance whose fields are facts
        (``None`` = not given). Raises EvidenceError listing every bad value at once;
        missing facts are not errors (they make criteria ``unknown``). With
        ``explain=True`` each criterion carries its explanation.

        ``unknown_facts`` says what a name the rule set does not read is: ``"error"`` (an
        EvidenceError with a "did you mean"), ``"ignore"`` (left out), or ``"report"``
        (left out and listed in the verdict's ``ignored_facts``); by default the rule
        set's :attr:`unknown_facts` (``"error"`` unless its library says otherwise).
        """
        if unknown_facts is not None and unknown_facts not in UNKNOWN_FACTS:
            check_unknown_facts(unknown_facts)
        ev = evidence if evidence.__class__ is dict else _as_mapping(evidence)
        if self._accepted.issuperset(ev):
            return self._evaluate(ev, explain, unit)
        policy = self.unknown_facts if unknown_facts is None else unknown_facts
        if policy != "error":
            known = {k: v for k, v in ev.items() if k in self._accepted}
            ignored = tuple(sorted(nfc(str(k)) for k in ev if k not in self._accepted))
            return self._evaluate(known, explain, unit, ignored if policy == "report" else ())
        problems = self._unknown_keys(ev)
        problems += self._value_problems({k: v for k, v in ev.items() if k in self._accepted}, unit)
        raise EvidenceError(sorted(problems, key=lambda p: str(p.path)), unit=unit or _unit_of(ev))

    # -- stored verdicts ------------------------------------------------------------
    def read_verdict(self, text_or_data: str | bytes | Any, *, where: str | None = None) -> Verdict:
        """A verdict this rule set made, read back from its JSON text (or parsed data) in
        any form: ``compact`` (rebuilt from the rule set, explanations included when
        stored), or ``expanded``.

        A verdict made by another rule set, another version, the same version with
        another text (sha256), or for another date is a
        :class:`~emulation_rules.errors.VerdictMismatchError`; a malformed or altered
        record a :class:`~emulation_rules.errors.FormatError`."""
        data = (
            loads(text_or_data, where=where)
            if isinstance(text_or_data, str | bytes)
            else text_or_data
        )
        if is_compact(data):
            made = MadeBy(self.ref, self.on, self._maker, self._decider, converter)
            return read_compact(data, made, where=where)
        verdict = structure(data, Verdict, where=where)
        check_made_by(verdict.ruleset, verdict.evaluated_on, self.ref, self.on)
        return verdict

    def explain(self, verdict: Verdict, evidence: Any) -> Verdict:
        """A stored (brief) ``verdict`` explained again from the unit's ``evidence``.

        The verdict must have been made by this rule set, version and text (its sha256)
        for this date, and the evidence must give the same outcome, criterion by
        criterion; otherwise a :class:`~emulation_rules.errors.VerdictMismatchError`
        says what differs. A host stores brief verdicts and explains the unit an officer
        opens."""
        check_made_by(verdict.ruleset, verdict.evaluated_on, self.ref, self.on)
        explained = self.evaluate(evidence, explain=True, unit=verdict.unit)
        return explain_again(verdict, explained)

    def _value_problems(self, ev: Mapping[str, Any], unit: str | None) -> list[Problem]:
        """The bad values of evidence (every fact's, the prerequisites' included, and the
        unit id), found by the generated checks alone: what evaluating it would report."""
        try:
            run = self._compiled.run(ev, (UNKNOWN,) * len(self.prerequisites))
        except EvaluationError:
            return []  # the values passed their checks; the evidence is reported first
        problems = _problems(run.errors or [])
        raw_unit: Any = ev.get("unit_id") if unit is None else unit
        if raw_unit is not None and not isinstance(raw_unit, str):
            problems.append(Problem(("unit_id",), expected_text(A_TEXT, raw_unit)))
        return problems

    def with_parameters(self, values: Mapping[str, Any]) -> RuleSet:
        """A changed copy of this rule set, for the same date: the parameters of
        ``values`` given those values (written as in a rule-set file: ``"8%"``, ``8``, a
        date, a level id), read and checked by their declared types. Its version is
        ``<version>+reform`` and its sha256 its own; this rule set is not changed. An
        unknown parameter or a refused value is a :class:`RuleSetError` naming it. See
        :func:`emulation_rules.impact`."""
        return RuleSet(
            with_parameters(self.definition, values),
            self.on,
            self.prerequisites,
            unknown_facts=self.unknown_facts,
            explanation_memo=self._maker.memo_size,
        )

    def branches_taken(self, evidence: Any) -> dict[str, tuple[tuple[int, bool | None], ...]]:
        """For rule coverage: per criterion, the ``if`` expressions (outside aggregates)
        whose condition was computed, as ``(index, value)``: ``True`` took the ``then``
        branch, ``False`` the ``else`` branch, ``None`` left it unknown. Validates the
        evidence like :meth:`evaluate` (and raises the same errors)."""
        verdict = self.evaluate(evidence)
        ev = evidence if evidence.__class__ is dict else _as_mapping(evidence)
        pre_values = tuple(outcome_value(p.status) for p in verdict.prerequisites)
        values = self._compiled.run(ev, pre_values).values
        assert values is not None
        traces = [Trace() for _ in self.criteria]
        self._compiled.full(values, traces)
        return {
            crit.id: trace.branches_taken()
            for crit, trace in zip(self.criteria, traces, strict=True)
        }

    def _evaluate(
        self,
        ev: Mapping[str, Any],
        explain: bool,
        unit: str | None,
        ignored: tuple[str, ...] = (),
    ) -> Verdict:
        pre_verdicts, pre_values, pre_error = self._prerequisite_verdicts(ev)
        run = self._compiled.run(ev, pre_values)
        errs, values, fast, picked = run.errors, run.values, run.fast, run.picked
        raw_unit: Any = ev.get("unit_id") if unit is None else unit
        if errs is not None or (raw_unit is not None and raw_unit.__class__ is not str):
            problems = _problems(errs or [])
            if raw_unit is not None and not isinstance(raw_unit, str):
                problems.append(Problem(("unit_id",), expected_text(A_TEXT, raw_unit)))
            raise EvidenceError(problems, unit=nfc(raw_unit) if isinstance(raw_unit, str) else None)
        unit = raw_unit if raw_unit is None else nfc(raw_unit)  # one spelling per unit
        assert values is not None
        if pre_error is not None:  # pragma: no cover - facts are declared alike (load check)
            raise pre_error
        prerequisites = self._prerequisite_results(pre_verdicts) if pre_verdicts else ()
        criteria: Any
        if picked is not None and fast is not None:
            decision = self._decider.fast(fast)
            if prerequisites:
                decision = gate(decision, prerequisites)
            if explain:
                statuses = tuple(_MET if r else _NOT_MET for r in fast)
                criteria = self._maker.deferred(values, statuses, (NO_MISSING,) * len(statuses))
            else:
                criteria = picked  # the shared results, picked by the generated code
        else:
            statuses, missing = self._maker.outcome(values)
            if explain:
                criteria = self._maker.deferred(values, statuses, missing)
            else:
                criteria = self._maker.brief(statuses, missing)
            decision = self._decider.decide(statuses, prerequisites)
        return Verdict(
            ruleset=self.ref,
            evaluated_on=self.on,
            status=decision.status,
            reason=decision.reason,
            criteria=criteria,
            prerequisites=prerequisites,
            level=decision.level,
            points=None if decision.points is None else plain_decimal(decision.points),
            unit=unit,
            ignored_facts=ignored,
        )

    def _prerequisite_verdicts(
        self, ev: Mapping[str, Any]
    ) -> tuple[tuple[Verdict, ...], tuple[Any, ...], EvidenceError | None]:
        """The prerequisites' verdicts and outcomes (booleans, or UNKNOWN); their evidence
        error, if any (their facts are validated with this rule set's too, and reported
        all at once)."""
        if not self.prerequisites:
            return (), (), None
        try:
            verdicts = tuple(p._evaluate(ev, False, "") for p in self.prerequisites)
        except EvidenceError as exc:
            return (), (UNKNOWN,) * len(self.prerequisites), exc
        return verdicts, tuple(outcome_value(v.status) for v in verdicts), None

    def _prerequisite_results(
        self, verdicts: tuple[Verdict, ...]
    ) -> tuple[PrerequisiteResult, ...]:
        """The prerequisites' results; one whose criteria were all met (the shared outcomes
        of its fast path) is made once per status and reused."""
        out = []
        for pre, rs, verdict, made in zip(
            self.definition.prerequisites, self.prerequisites, verdicts, self._met_pre, strict=True
        ):
            if verdict.criteria is not rs._compiled.all_met:
                out.append(_prerequisite_result(pre, verdict))
            else:  # nothing failed, nothing missing: the result depends on the status alone
                result = made.get(verdict.status)
                if result is None:
                    result = made.setdefault(verdict.status, _prerequisite_result(pre, verdict))
                out.append(result)
        return tuple(out)

    def evaluate_many(
        self,
        units: Iterable[Any],
        *,
        explain: bool = False,
        errors: batch.ErrorPolicy = "raise",
        workers: int | None = None,
        chunk_size: int = batch.DEFAULT_CHUNK_SIZE,
        mp_context: BaseContext | None = None,
    ) -> Generator[Verdict | EmulationRulesError, None, None]:
        """Evaluate units lazily, verdicts in input order (each with its ``unit``).

        With ``errors="raise"`` (the default) the first bad unit raises its error, whose
        path starts with the unit's position; with ``errors="return"`` the error is
        yielded in the unit's place and the batch goes on. ``workers=None`` or 1
        evaluates in this process; ``workers=N`` in a pool of N processes (the rule set is
        pickled to each, compiled there once; ``chunk_size`` units are sent at a time, at
        most ``2 × N`` chunks ahead; ``mp_context`` picks the start method). Bad
        ``errors``, ``workers`` or ``chunk_size`` raise ``ValueError`` at once. Close the
        generator (or let it go) to stop a pool early.
        """
        return batch.evaluate_many(
            self,
            units,
            explain=explain,
            errors=errors,
            workers=workers,
            chunk_size=chunk_size,
            mp_context=mp_context,
        )

    def evaluate_each(
        self,
        units: Iterable[Any],
        *,
        explain: bool = False,
        workers: int | None = None,
        chunk_size: int = batch.DEFAULT_CHUNK_SIZE,
        mp_context: BaseContext | None = None,
    ) -> Iterator[batch.UnitResult]:
        """Evaluate units lazily, in input order, one :class:`UnitResult` each: its
        position, its key (``unit_id``, else the position) and its verdict or the error its
        evidence raised (a bad unit never stops the batch). ``workers``, ``chunk_size`` and
        ``mp_context`` as in :meth:`evaluate_many`."""
        return batch.evaluate_each(
            self,
            units,
            explain=explain,
            workers=workers,
            chunk_size=chunk_size,
            mp_context=mp_context,
        )

    def _unknown_keys(self, ev: Mapping[str, Any]) -> list[Problem]:
        problems = []
        for key in ev:
            if key in self._accepted:
                continue
            hint = self._suggester.suggest(str(key))
            spec = self._facts.get(hint) if hint else None
            suggestion = did_you_mean(hint, label_vi=spec.label.vi if spec is not None else None)
            message = f"unknown fact (not read by {self.id}){suggestion}"
            message_vi = f"tên dữ liệu không có trong bộ tiêu chí này{suggestion.vi}"
            problems.append(Problem((str(key),), message, message_vi=message_vi))
        return problems


def _as_mapping(evidence: Any) -> Mapping[str, Any]:
    """Evidence as a mapping: any ``Mapping``; an object with ``keys()`` and item access
    (``sqlite3.Row``); an attrs or dataclass instance (its fields)."""
    if isinstance(evidence, Mapping):
        return evidence
    cls = type(evidence)
    if attrs.has(cls):
        return {a.name: getattr(evidence, a.name) for a in attrs.fields(cls)}
    if dataclasses.is_dataclass(evidence) and not isinstance(evidence, type):
        return {f.name: getattr(evidence, f.name) for f in dataclasses.fields(evidence)}
    keys = getattr(evidence, "keys", None)
    if callable(keys) and hasattr(evidence, "__getitem__") and not isinstance(evidence, type):
        try:
            return {key: evidence[key] for key in keys()}
        except Exception:
            pass
    message = (
        "evidence must be a mapping of facts (a dict, a sqlite3.Row), or an attrs or "
        f"dataclass instance, got {cls.__name__}"
    )
    message_vi = (
        "dữ liệu phải là một bảng tên dữ liệu – giá trị (dict, sqlite3.Row) hoặc một đối "
        f"tượng attrs, dataclass; nhận được {cls.__name__}"
    )
    raise EvidenceError([Problem((), message, message_vi=message_vi)])


def _unit_of(ev: Mapping[Any, Any]) -> str | None:
    unit = ev.get("unit_id")
    return nfc(unit) if isinstance(unit, str) else None


def _problems(
    errs: list[tuple[str, list[tuple[tuple[PathPart, ...], Bilingual]]]],
) -> list[Problem]:
    """The problems of the bad facts (``BadValue.problems``, each message bilingual)."""
    out = []
    for key, problems in errs:
        for sub, message in problems:
            out.append(Problem((key, *sub), message, message_vi=message.vi))
    return out


def _prerequisite_result(pre: Any, verdict: Verdict) -> PrerequisiteResult:
    return PrerequisiteResult(
        name=pre.requirement.as_,
        ruleset=verdict.ruleset,
        status=verdict.status,
        failed=verdict.not_met,
        missing=tuple(m for c in verdict.criteria for m in c.missing),
    )


__all__ = ["RuleSet"]
