"""A monitor's state: what it has observed and said, as one attrs class saved and
restored through the library's converter, and the helpers that copy plain data and carry
decimals through JSON (as text) and back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from emulation_rules.errors import MonitorError
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import FactSpec
from emulation_rules.monitor.alerts import Alert, TargetStatus

STATE_FORMAT = 2
"""The version of :meth:`~emulation_rules.monitor.Monitor.save`'s output."""


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
    phases: int,
    facts: set[str],
) -> MonitorState:
    """The :class:`MonitorState` of saved data, checked: ``expect`` maps
    ``(part, key)`` (``("ruleset", "sha256")``) to the value the monitor has; the state
    must fit a schedule of ``phases`` phases and units keeping the ``facts``. Anything
    else is a :class:`MonitorError` naming the path to the bad value. The state shares
    nothing with ``data``."""
    for (part, key), value in expect.items():
        saved = data.get(part)
        got = saved.get(key) if isinstance(saved, Mapping) else None
        if got != value:
            raise MonitorError(
                f"the state was saved for {part} {key} {str(got)[:16]}, not {value[:16]}",
                path=(part, key),
            )
    try:
        state: MonitorState = converter.structure(copy_data(data.get("state")), MonitorState)
    except Exception as exc:
        problems = list(structuring_problems(exc, ("state",)))
        path, message = problems[0] if problems else (("state",), str(exc))
        raise MonitorError(f"the saved state is damaged: {message}", path=path) from None
    if state.phase_index is not None and not 0 <= state.phase_index < phases:
        raise MonitorError(
            f"the saved state is damaged: no phase {state.phase_index}",
            path=("state", "phase_index"),
        )
    for unit, unit_state in state.units.items():
        kept = unit_state.get("facts") if isinstance(unit_state, dict) else None
        teams = unit_state.get("teams") if isinstance(unit_state, dict) else None
        if not isinstance(kept, dict) or set(kept) != facts or not isinstance(teams, dict):
            raise MonitorError(
                f"the saved state of unit {unit} does not hold the facts the monitor keeps",
                path=("state", "units", unit),
            )
    return state


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
