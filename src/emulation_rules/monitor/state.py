"""A monitor's state: what it has observed and said, as one attrs class saved and
restored through the library's converter, and the helpers that copy plain data and carry
decimals through JSON (as text) and back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from emulation_rules.errors import EmulationRulesError, MonitorError, PathPart, brief, vi_of
from emulation_rules.evaluation.evidence import BadValue
from emulation_rules.formatting import date_text
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import FactSpec
from emulation_rules.monitor.alerts import Alert, TargetStatus
from emulation_rules.monitor.indicators import Plan, within_bounds
from emulation_rules.monitor.schedule import ONE_DAY, Schedule

STATE_FORMAT = 2
"""The version of :meth:`~emulation_rules.monitor.Monitor.save`'s output."""

_STATUSES = frozenset(s.value for s in TargetStatus)


@attrs.define
class MonitorState:
    """Everything a monitor has observed and said; nothing else of a monitor changes.

    ``clock``: the current day; ``phase_index``: the phase under way (``None`` before the
    first event and after the last phase); ``closed_until``: the last day of the months
    closed in it; ``seq``/``phase_seq``: events taken in all and before this phase;
    ``units``: each unit's aggregator states (plain data); ``statuses``: the targets'
    statuses last judged; ``dirty``: the units changed since; ``raised``: the once-only
    alerts raised (deadline near, month ending); ``judged``: per unit and monthly fact,
    the keys (teams) whose closed months were judged; ``failed``: per unit and monthly
    target, the first short team and month; ``results``: per phase that ended and unit,
    the final evidence and statuses (plain data)."""

    clock: date | None = None
    phase_index: int | None = None
    closed_until: date | None = None
    seq: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    phase_seq: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    units: dict[str, dict[str, Any]] = attrs.Factory(dict)
    statuses: dict[str, dict[str, TargetStatus]] = attrs.Factory(dict)
    dirty: set[str] = attrs.Factory(set)
    alerts: list[Alert] = attrs.Factory(list)
    raised: set[str] = attrs.Factory(set)
    judged: dict[str, dict[str, list[str]]] = attrs.Factory(dict)
    failed: dict[str, dict[str, list[str]]] = attrs.Factory(dict)
    results: dict[str, dict[str, dict[str, Any]]] = attrs.Factory(dict)


def read_state(
    data: Mapping[str, Any],
    expect: Mapping[tuple[str, str], str],
    *,
    schedule: Schedule,
    plan: Plan,
) -> MonitorState:
    """The :class:`MonitorState` of saved data, checked: ``expect`` maps
    ``(part, key)`` (``("ruleset", "sha256")``) to the value the monitor has; the state
    must fit the ``schedule`` and the ``plan`` (its facts and the rule set's targets) and
    hold together (:func:`check_state`). Anything else is a :class:`MonitorError` naming
    the path to the bad value. The state shares nothing with ``data``."""
    for (part, key), value in expect.items():
        saved = data.get(part)
        got = saved.get(key) if isinstance(saved, Mapping) else None
        if got != value:
            shown = got[:16] if isinstance(got, str) else brief(got, 16)  # str() may fail
            raise MonitorError(
                f"the state was saved for {part} {key} {shown}, not {value[:16]}",
                path=(part, key),
                message_vi=f"trạng thái này được lưu cho {part} {key} {shown}, "
                f"không phải {value[:16]}",
            )
    try:
        state: MonitorState = converter.structure(copy_data(data.get("state")), MonitorState)
    except Exception as exc:
        problems = list(structuring_problems(exc, ("state",)))
        path, message = problems[0] if problems else (("state",), str(exc))
        raise MonitorError(
            f"the saved state is damaged: {message}",
            path=path,
            message_vi=f"trạng thái đã lưu bị hỏng: {vi_of(message) or message}",
        ) from None
    check_state(state, schedule, plan)
    return state


def _vi(day: date | None) -> str:
    return date_text(day, "vi") if day is not None else "chưa có"


def _damaged(en: str, vi: str, *path: PathPart) -> MonitorError:
    return MonitorError(
        f"the saved state is damaged: {en}",
        path=("state", *path),
        message_vi=f"trạng thái đã lưu bị hỏng: {vi}",
    )


def check_state(state: MonitorState, schedule: Schedule, plan: Plan) -> None:
    """Raise a :class:`MonitorError` (naming the path) unless ``state`` could have been
    reached by a monitor of this schedule and plan: the clock inside the phase it says
    is under way (or after the last one), the months closed in that phase and before the
    clock, the events counted, the units' facts within their ranges, the statuses,
    alerts and results of the rule set's targets."""
    if state.phase_index is not None and not 0 <= state.phase_index < len(schedule.phases):
        raise _damaged(
            f"no phase {state.phase_index}", f"không có đợt {state.phase_index}", "phase_index"
        )
    _check_units_kept(state, plan)
    _check_calendar(state, schedule)
    criteria = {c.id for c in plan.ruleset.criteria}
    monthly_facts = {m.name: set(m.criteria) for m in plan.monthly}
    monthly_criteria = set().union(*monthly_facts.values())
    for unit, unit_state in state.units.items():
        _check_facts(unit, unit_state["facts"], state, schedule, plan)
    _check_unit_references(state)
    _check_judgements(state, criteria, set(monthly_facts))
    _check_failed(state, schedule, monthly_criteria)
    phase_ids = [p.id for p in schedule.phases]
    _check_alerts(state, criteria, phase_ids)
    _check_results(state, criteria, plan, phase_ids)


def _check_units_kept(state: MonitorState, plan: Plan) -> None:
    """Each unit's saved state holds the facts the plan aggregates and a teams object."""
    for unit, unit_state in state.units.items():
        kept = unit_state.get("facts") if isinstance(unit_state, dict) else None
        teams = unit_state.get("teams") if isinstance(unit_state, dict) else None
        if not isinstance(kept, dict) or set(kept) != set(plan.aggregators):
            teams = None
        if not isinstance(teams, dict):
            raise MonitorError(
                f"the saved state of unit {unit} does not hold the facts the monitor keeps",
                path=("state", "units", unit),
                message_vi=f"trạng thái đã lưu của đơn vị {unit} không có đủ các số liệu "
                "mà hệ thống theo dõi cần giữ",
            )


def _check_unit_references(state: MonitorState) -> None:
    """The statuses, judgements and units to judge name only units that have facts."""
    for name, units in (("statuses", state.statuses), ("judged", state.judged)):
        for unit in units:
            if unit not in state.units:
                raise _damaged(
                    f"{name} of unit {unit!r}, which has no facts",
                    f"{name} của đơn vị {unit!r}, đơn vị này không có số liệu",
                    name,
                    unit,
                )
    for unit in state.dirty:
        if unit not in state.units:
            raise _damaged(
                f"unit {unit!r} to judge has no facts",
                f"đơn vị {unit!r} cần đánh giá nhưng không có số liệu",
                "dirty",
            )


def _check_judgements(state: MonitorState, criteria: set[str], monthly_facts: set[str]) -> None:
    """The statuses are of the rule set's targets; the judged facts are monthly facts."""
    for unit, statuses in state.statuses.items():
        for criterion in statuses:
            if criterion not in criteria:
                raise _damaged(
                    f"no target {criterion!r}",
                    f"không có chỉ tiêu {criterion!r}",
                    "statuses",
                    unit,
                    criterion,
                )
    for unit, facts in state.judged.items():
        for fact in facts:
            if fact not in monthly_facts:
                raise _damaged(
                    f"{fact!r} is not a monthly fact",
                    f"{fact!r} không phải số liệu theo tháng",
                    "judged",
                    unit,
                    fact,
                )


def _check_failed(state: MonitorState, schedule: Schedule, monthly_criteria: set[str]) -> None:
    """Each failure is of a monthly target, by a team in a month of the phase under way."""
    phase = schedule.phases[state.phase_index] if state.phase_index is not None else None
    months = {m.isoformat()[:7] for m in phase.months} if phase is not None else set()
    for unit, failed in state.failed.items():
        for criterion, first in failed.items():
            path = ("failed", unit, criterion)
            if criterion not in monthly_criteria:
                raise _damaged(
                    f"{criterion!r} is not a monthly target",
                    f"{criterion!r} không phải chỉ tiêu theo tháng",
                    *path,
                )
            if len(first) != 2 or first[1] not in months:
                raise _damaged(
                    f"{first!r} is not a team and a month of the phase",
                    f"{first!r} không phải một tổ và một tháng của đợt",
                    *path,
                )


def _check_alerts(state: MonitorState, criteria: set[str], phase_ids: list[str]) -> None:
    """Each alert is of a target, raised in a phase of the schedule, not after the clock."""
    clock = state.clock
    for i, alert in enumerate(state.alerts):
        if clock is None or alert.on > clock or alert.phase not in phase_ids:
            raise _damaged(
                f"alert of {alert.on} in {alert.phase!r} (clock {clock})",
                f"cảnh báo ngày {_vi(alert.on)} trong đợt {alert.phase!r} (đồng hồ ở {_vi(clock)})",
                "alerts",
                i,
            )
        if alert.criterion not in criteria:
            raise _damaged(
                f"no target {alert.criterion!r}",
                f"không có chỉ tiêu {alert.criterion!r}",
                "alerts",
                i,
                "criterion",
            )


def _check_results(
    state: MonitorState, criteria: set[str], plan: Plan, phase_ids: list[str]
) -> None:
    """The results are of phases that ended, each unit's a well-formed final result."""
    ended = phase_ids[: state.phase_index if state.phase_index is not None else len(phase_ids)]
    if state.clock is None:
        ended = []
    for phase_id, results in state.results.items():
        if phase_id not in ended:
            raise _damaged(
                f"results of {phase_id!r}, a phase not ended",
                f"kết quả của đợt {phase_id!r}, đợt này chưa kết thúc",
                "results",
                phase_id,
            )
        for unit, result in results.items():
            _check_result(result, criteria, plan, ("results", phase_id, unit))


def _check_calendar(state: MonitorState, schedule: Schedule) -> None:
    phases = schedule.phases
    clock, index, closed = state.clock, state.phase_index, state.closed_until
    if state.phase_seq > state.seq:
        raise _damaged(
            f"{state.phase_seq} events before the phase, {state.seq} in all",
            f"{state.phase_seq} sự kiện trước đợt, trong khi tổng cộng chỉ có {state.seq}",
            "phase_seq",
        )
    if clock is None:
        if index is not None or closed is not None or state.seq or state.units or state.alerts:
            raise _damaged(
                "a monitor that has no clock has seen nothing",
                "hệ thống theo dõi chưa có đồng hồ thì chưa thể có dữ liệu nào",
                "clock",
            )
        return
    if index is None:
        if clock <= phases[-1].end:
            raise _damaged(
                f"the clock {clock} is not after the last phase (ends {phases[-1].end})",
                f"đồng hồ ({_vi(clock)}) không ở sau đợt cuối cùng "
                f"(kết thúc {_vi(phases[-1].end)})",
                "clock",
            )
    else:
        phase = phases[index]
        first = phases[index - 1].end + ONE_DAY if index else phase.start
        if not first <= clock <= phase.end:
            raise _damaged(
                f"the clock {clock} is outside phase {phase.id} ({first} to {phase.end})",
                f"đồng hồ ({_vi(clock)}) nằm ngoài đợt {phase.id} "
                f"({_vi(first)} đến {_vi(phase.end)})",
                "clock",
            )
        closes = {phase.month_closes(m) for m in phase.months}
        if closed is not None and (closed not in closes or closed >= clock):
            raise _damaged(
                f"{closed} is not the close of a month of phase {phase.id} before the clock",
                f"{_vi(closed)} không phải ngày chốt một tháng của đợt {phase.id} trước đồng hồ",
                "closed_until",
            )
    if index is None and closed is not None:
        raise _damaged(
            "a month closed after the last phase",
            "có tháng được chốt sau đợt cuối cùng",
            "closed_until",
        )


def _check_facts(
    unit: str,
    kept: dict[str, Any],
    state: MonitorState,
    schedule: Schedule,
    plan: Plan,
) -> None:
    path = ("units", unit)
    index = state.phase_index
    phase = schedule.phases[index if index is not None else -1]
    closed = state.closed_until
    for name, agg in plan.aggregators.items():
        if not agg.well_formed(kept[name]):
            raise _damaged(
                f"{name} is not the state of its aggregate",
                f"{name} không đúng dạng trạng thái của phép tổng hợp",
                *path,
                "facts",
                name,
            )
        try:
            for value in (
                agg.value(kept[name], phase, closed),
                agg.best(kept[name], phase, closed),
            ):
                value = within_bounds(plan.facts[name], value)
                if value is not None:
                    plan.coercers[name](value)
        except BadValue as exc:
            _, message = exc.problems[0]
            raise _damaged(
                f"{name}: {message}", f"{name}: {vi_of(message) or message}", *path, "facts", name
            ) from None
        except (LookupError, TypeError, ValueError, AttributeError, ArithmeticError):
            raise _damaged(
                f"{name} is not the state of its aggregate",
                f"{name} không đúng dạng trạng thái của phép tổng hợp",
                *path,
                "facts",
                name,
            ) from None


def _check_result(
    result: Mapping[str, Any], criteria: set[str], plan: Plan, path: tuple[PathPart, ...]
) -> None:
    statuses = result.get("statuses") if isinstance(result, Mapping) else None
    evidence = result.get("evidence") if isinstance(result, Mapping) else None
    if not isinstance(statuses, dict) or set(statuses) != criteria:
        raise _damaged(
            "the final statuses are not those of the rule set's targets",
            "kết quả cuối đợt không khớp với các chỉ tiêu của bộ tiêu chí",
            *path,
        )
    for criterion, status in statuses.items():
        if not isinstance(status, str) or status not in _STATUSES:
            raise _damaged(
                f"{status!r} is not a status",
                f"{status!r} không phải một trạng thái",
                *path,
                "statuses",
                criterion,
            )
    if not isinstance(evidence, dict):
        raise _damaged(
            "the final evidence is not an object",
            "số liệu cuối đợt không phải một đối tượng JSON",
            *path,
            "evidence",
        )
    try:
        plan.ruleset.evaluate(evidence_from_plain(plan.facts, evidence))
    except EmulationRulesError as exc:
        raise _damaged(
            f"the final evidence: {exc.text_in('en')}",
            f"số liệu cuối đợt: {exc.text_in('vi')}",
            *path,
            "evidence",
        ) from None
    except (LookupError, TypeError, ValueError, AttributeError, ArithmeticError):
        raise _damaged(
            "the final evidence is not evidence",
            "số liệu cuối đợt không đúng dạng số liệu",
            *path,
            "evidence",
        ) from None


def copy_data(data: Any) -> Any:
    """A deep copy of plain data (dicts, lists, scalars); tuples become lists."""
    if isinstance(data, dict):
        return {k: copy_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [copy_data(v) for v in data]
    return data


def plain_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence as JSON-ready data: decimals as text."""
    return {k: str(v) if isinstance(v, Decimal) else copy_data(v) for k, v in evidence.items()}


def evidence_from_plain(facts: Mapping[str, FactSpec], data: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence back from :func:`plain_evidence`: decimal and percentage facts as decimals."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        spec = facts.get(name)
        decimal = spec is not None and kind(spec.type).decimal_valued
        out[name] = Decimal(value) if decimal and isinstance(value, str) else copy_data(value)
    return out
