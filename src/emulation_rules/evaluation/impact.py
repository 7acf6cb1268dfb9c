"""The impact of a rule change: every unit evaluated under a base rule set and a changed
one, and what changed counted (:class:`~emulation_rules.model.impact.ImpactReport`).

Units are read one at a time and only the counts, the changed units and the refused ones
are kept, so a batch of any size takes the memory of its changes. Evaluation is brief
(no explanations): the statuses are all a report needs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from emulation_rules.errors import EmulationRulesError, EvidenceError, RuleSetError, require_choice
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.values import kind_of, to_json_value
from emulation_rules.formatting import date_text
from emulation_rules.model.impact import (
    CriterionImpact,
    CriterionStatusChange,
    ImpactReport,
    ParameterChange,
    StatusChange,
    UnitChange,
    UnitError,
)
from emulation_rules.model.verdict import CriterionStatus, Status, Verdict
from emulation_rules.text import nfc

__all__ = ["ImpactBuilder", "impact"]

_MET, _NOT_MET, _UNKNOWN = CriterionStatus.MET, CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN
_STATUS_ORDER = {s: i for i, s in enumerate(Status)}


def impact(
    base: RuleSet,
    changed: RuleSet,
    units: Iterable[Any],
    *,
    errors: Literal["raise", "report"] = "raise",
) -> ImpactReport:
    """What changing ``base`` into ``changed`` does to ``units`` (evidence as for
    :meth:`RuleSet.evaluate`), read lazily, one at a time.

    ``changed`` is typically ``base.with_parameters({...})``, another version
    (``lib.load(id, version=..., on=...)``) or an overlay file (``lib.load("draft.yaml",
    on=...)``); both must be compiled for the same date. A unit is keyed by its
    ``unit_id``, else its index from 0. With ``errors="raise"`` (the default) the first
    unit a rule set refuses raises its error (an ``EvidenceError``'s paths start with the
    unit's index); with ``errors="report"`` it is listed in ``report.errors`` and the
    batch goes on.
    """
    require_choice("errors", errors, ("raise", "report"))
    builder = ImpactBuilder(base, changed)
    for i, unit in enumerate(units):
        refused = builder.add(i, unit)
        if refused is not None and errors == "raise":
            raise _located(i, refused[1]) from None
    return builder.report()


class ImpactBuilder:
    """Counts as units are added; :meth:`report` gives the report so far. For a host (or
    the command line) that reads its units itself and keys them by its own positions."""

    def __init__(self, base: RuleSet, changed: RuleSet) -> None:
        if base.on != changed.on:
            raise RuleSetError(
                f"the two rule sets are compiled for different dates ({base.on}, {changed.on})",
                message_vi="hai bộ tiêu chí được biên dịch cho hai ngày khác nhau "
                f"({date_text(base.on, 'vi')}, {date_text(changed.on, 'vi')})",
            )
        self.base = base
        self.changed = changed
        base_ids = [c.id for c in base.criteria]
        known = set(base_ids)
        self._order = base_ids + [c.id for c in changed.criteria if c.id not in known]
        self._counts: dict[str, list[int]] = {cid: [0, 0, 0, 0, 0] for cid in self._order}
        self._directions: Counter[tuple[Status, Status]] = Counter()
        self._units = 0
        self._criteria_changed = 0
        self._changes: list[UnitChange] = []
        self._errors: list[UnitError] = []

    def add(self, position: int, evidence: Any) -> tuple[UnitError, EmulationRulesError] | None:
        """Evaluate one unit under both rule sets and count it; a unit either refuses is
        recorded in the report's ``errors`` and returned with the error (not counted)."""
        verdicts = []
        for rs in (self.base, self.changed):
            try:
                verdicts.append(rs.evaluate(evidence))
            except EmulationRulesError as exc:
                record = UnitError(position, _unit_of(exc, evidence), rs.ref, _problems(exc))
                self._errors.append(record)
                return record, exc
        self._count(position, verdicts[0], verdicts[1])
        return None

    def unreadable(self, position: int, message: str) -> UnitError:
        """Record an input that is not a unit at all (a malformed JSON line)."""
        record = UnitError(position, None, None, (message,))
        self._errors.append(record)
        return record

    def _count(self, position: int, before: Verdict, after: Verdict) -> None:
        self._units += 1
        old = {c.id: c.status for c in before.criteria}
        new = {c.id: c.status for c in after.criteria}
        changes = []
        for cid in self._order:
            was, now = old.get(cid), new.get(cid)
            if was is now:
                continue
            changes.append(CriterionStatusChange(cid, was, now))
            counts = self._counts[cid]
            counts[0] += 1
            if was is _MET and now is _NOT_MET:
                counts[1] += 1
            elif was is _NOT_MET and now is _MET:
                counts[2] += 1
            elif now is _UNKNOWN and was is not None:
                counts[3] += 1
            elif was is _UNKNOWN and now is not None:
                counts[4] += 1
        if before.status is not after.status:
            self._directions[(before.status, after.status)] += 1
        if changes:
            self._criteria_changed += 1
        if changes or before.status is not after.status:
            unit = after.unit if after.unit is not None else before.unit
            self._changes.append(
                UnitChange(position, unit, before.status, after.status, tuple(changes))
            )

    def report(self) -> ImpactReport:
        """The report of the units added so far."""
        directions = sorted(
            self._directions.items(),
            key=lambda kv: (_STATUS_ORDER[kv[0][0]], _STATUS_ORDER[kv[0][1]]),
        )
        return ImpactReport(
            base=self.base.ref,
            changed=self.changed.ref,
            evaluated_on=self.base.on,
            parameters=parameter_changes(self.base, self.changed),
            units=self._units,
            status_changed=sum(self._directions.values()),
            criteria_changed=self._criteria_changed,
            directions=tuple(StatusChange(b, a, n) for (b, a), n in directions),
            criteria=tuple(self._criterion(cid) for cid in self._order),
            unit_changes=tuple(self._changes),
            errors=tuple(self._errors),
        )

    def _criterion(self, cid: str) -> CriterionImpact:
        in_base = any(c.id == cid for c in self.base.criteria)
        in_changed = any(c.id == cid for c in self.changed.criteria)
        crit = (self.changed if in_changed else self.base).definition.criterion(cid)
        changed, m2n, n2m, to_u, from_u = self._counts[cid]
        return CriterionImpact(
            id=cid,
            number=crit.spec.number,
            title=crit.spec.title,
            changed=changed,
            met_to_not_met=m2n,
            not_met_to_met=n2m,
            to_unknown=to_u,
            from_unknown=from_u,
            in_base=in_base,
            in_changed=in_changed,
        )


def parameter_changes(base: RuleSet, changed: RuleSet) -> tuple[ParameterChange, ...]:
    """The parameters whose values in force differ, in the base's order then the new ones."""
    before, after = base.parameters, changed.parameters
    names = list(before) + [n for n in after if n not in before]
    out = []
    for name in names:
        old = _canonical(base, name, before)
        new = _canonical(changed, name, after)
        if old != new or (name in before) != (name in after):
            owner = changed if name in after else base
            spec = owner.definition.parameters[name]
            kind = _kind(owner, name)
            out.append(ParameterChange(name, spec.label, kind, old, new))
    return tuple(out)


def _canonical(rs: RuleSet, name: str, values: Mapping[str, Any]) -> Any:
    if name not in values:
        return None
    return to_json_value(values[name], rs.definition.parameter_types[name])


def _kind(rs: RuleSet, name: str) -> str:
    return kind_of(rs.definition.parameter_types[name])


def _unit_of(exc: EmulationRulesError, evidence: Any) -> str | None:
    unit = getattr(exc, "unit", None)
    if isinstance(unit, str):
        return unit
    raw = evidence.get("unit_id") if isinstance(evidence, Mapping) else None
    return nfc(raw) if isinstance(raw, str) else None


def _problems(exc: EmulationRulesError) -> tuple[str, ...]:
    if isinstance(exc, EvidenceError) and exc.problems:
        return tuple(p.text_in("en") for p in exc.problems)
    return (exc.text_in("en"),)


def _located(index: int, exc: EmulationRulesError) -> EmulationRulesError:
    """An evidence error with its paths starting at the unit's index (as
    :meth:`RuleSet.evaluate_many` gives them); any other error as it is."""
    if isinstance(exc, EvidenceError):
        return EvidenceError([p.moved(index) for p in exc.problems], unit=exc.unit)
    return exc
