"""The live campaign monitor: events in, running indicators and alerts out.

>>> monitor = Monitor(definition, ruleset)                       # doctest: +SKIP
>>> monitor.ingest({"kind": "tip", "unit": "xa-binh-luong", "date": "2024-09-02",
...                 "payload": {"through_force": True}})          # doctest: +SKIP
>>> monitor.indicators()                                           # doctest: +SKIP

The monitor keeps, per unit (commune), the facts of the current phase (its
:class:`~emulation_rules.monitor.indicators.Plan`), and judges the targets with the core
evaluator: *met* so far, *at risk* (not met now, still reachable), *missed* (not met even
on the best case still reachable), *unknown*. Its clock is the latest date it has seen
(or :meth:`Monitor.advance`): when a day ends, the units that changed are judged again;
when a month closes, each team-month record is judged; when the phase ends, the final
statuses are recorded (:meth:`Monitor.results`) and the next phase starts afresh.
Changes of status, failing months and the days before a deadline become *signals*; the
generated rules (on durable-rules in a worker process, or in Python) decide which raise
an :class:`~emulation_rules.monitor.alerts.Alert`.

Events may come late within the open month; an event of a month or a phase already
closed is refused (an :class:`~emulation_rules.errors.EventError` naming ``date``): what
was judged stays judged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.errors import Bilingual, EventError, MonitorError, Problem
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.converter import converter
from emulation_rules.monitor.alerts import Alert, TargetStatus
from emulation_rules.monitor.calendar import check_date, move_to, no_phase, start_clock
from emulation_rules.monitor.core import MonitorCore
from emulation_rules.monitor.engine import DurableEngine, Matcher, make_engine
from emulation_rules.monitor.events import TEAM_REQUIRED, Event, parse_event
from emulation_rules.monitor.indicators import Plan, compile_plan
from emulation_rules.monitor.judge import Judge
from emulation_rules.monitor.judging import judge_dirty
from emulation_rules.monitor.mapping import MonitorMapping, mapping_for
from emulation_rules.monitor.pace import PacePolicy
from emulation_rules.monitor.reading import phase_results, unit_indicators
from emulation_rules.monitor.rules import GeneratedRule, generate_rules
from emulation_rules.monitor.schedule import PhaseWindow, Schedule
from emulation_rules.monitor.state import (
    STATE_FORMAT,
    MonitorState,
    copy_data,
    evidence_from_plain,
    read_state,
)
from emulation_rules.monitor.views import (
    UnitIndicators,
)
from emulation_rules.text import nfc


def _definition_of(
    campaign: CampaignDefinition | Campaign, issued_on: date | None
) -> tuple[CampaignDefinition, date | None]:
    if isinstance(campaign, Campaign):
        state = campaign.to_state()
        return campaign.definition, issued_on or state.issued_on
    return campaign, issued_on


class Monitor:
    """The live monitor of one campaign plan and its targets rule set.

    ``campaign``: a checked :class:`CampaignDefinition` (or a :class:`Campaign` instance,
    whose issue date is used); ``ruleset``: the compiled targets rule set (one of the
    plan's ``targets``, or a rule set extending one). ``mapping``: which events feed
    which facts (default: the shipped mapping that serves the rule set, or one in
    ``folders``). ``engine``: ``"auto"`` (durable-rules in a worker process when it is
    installed, else Python), ``"durable"`` or ``"python"``. ``pace``: when a target not
    met yet is at risk (:class:`~emulation_rules.monitor.pace.PacePolicy`; default: the
    pace judged after 30 days, the last fifth of the phase). ``on_alert`` is called with
    each new alert; its exceptions are recorded in :attr:`callback_errors`, never raised.

    Not for concurrent use from several threads without care: the public methods hold a
    lock, so they are safe, but serialised.
    """

    def __init__(
        self,
        campaign: CampaignDefinition | Campaign,
        ruleset: RuleSet,
        *,
        mapping: MonitorMapping | None = None,
        engine: str = "auto",
        issued_on: date | None = None,
        on_alert: Callable[[Alert], None] | None = None,
        folders: Iterable[str | Path] = (),
        pace: PacePolicy | None = None,
    ) -> None:
        definition, issued = _definition_of(campaign, issued_on)
        targets = definition.spec.targets
        if ruleset.id not in targets and (ruleset.definition.extends or "") not in targets:
            listed = ", ".join(targets)
            raise MonitorError(
                f"rule set {ruleset.id} is not a target of campaign {definition.id} "
                f"(targets: {listed})",
                path=("ruleset",),
                message_vi=f"bộ tiêu chí {ruleset.id} không phải bộ chỉ tiêu của kế hoạch "
                f"{definition.id} (các bộ chỉ tiêu: {listed})",
            )
        self.definition = definition
        self.ruleset = ruleset
        self.issued_on = issued
        self.mapping = mapping or mapping_for(ruleset, folders)
        self.plan: Plan = compile_plan(self.mapping, ruleset)
        self.schedule = Schedule.of(
            definition, issued_on=issued, near_days=self.mapping.spec.deadline_near_days
        )
        self.rules: tuple[GeneratedRule, ...] = generate_rules(ruleset, self.plan, self.schedule)
        self._core = MonitorCore(
            definition,
            ruleset,
            self.plan,
            self.schedule,
            Judge(ruleset, self.plan, pace),
            self._engine_for(self.rules, engine),
            {r.name: r for r in self.rules},
            on_alert,
        )
        self._lock = threading.RLock()

    def _engine_for(self, rules: Sequence[GeneratedRule], engine: str) -> Matcher:
        """The engine that runs the rules (a subclass may give another: the tests'
        fault-injecting worker)."""
        return make_engine(rules, engine)

    @property
    def _engine(self) -> Matcher:
        """The engine running the rules (its worker, for the tests of recovery)."""
        return self._core.engine

    @property
    def _s(self) -> MonitorState:
        """What the monitor has observed and said (see :meth:`save`)."""
        return self._core.s

    @_s.setter
    def _s(self, state: MonitorState) -> None:
        self._core.s = state

    @property
    def on_alert(self) -> Callable[[Alert], None] | None:
        """Called with each new alert; its exceptions go to :attr:`callback_errors`."""
        return self._core.on_alert

    @on_alert.setter
    def on_alert(self, callback: Callable[[Alert], None] | None) -> None:
        self._core.on_alert = callback

    @property
    def callback_errors(self) -> list[str]:
        """The exceptions ``on_alert`` raised (as text), oldest first."""
        return self._core.callback_errors

    # -- properties -------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """``"durable"`` or ``"python"``: which engine runs the alerting rules."""
        return self._core.engine.name

    @property
    def engine_failures(self) -> tuple[str, ...]:
        """What went wrong in the durable-rules worker (each time recovered)."""
        engine = self._core.engine
        if isinstance(engine, DurableEngine):
            return tuple(engine.failures)
        return ()

    @property
    def alerts(self) -> tuple[Alert, ...]:
        """Every alert raised, oldest first."""
        return tuple(self._s.alerts)

    @property
    def clock(self) -> date | None:
        """The monitor's current day (``None`` before the first event)."""
        return self._s.clock

    @property
    def phase(self) -> PhaseWindow | None:
        """The phase under way (``None`` before the first event and after the last phase)."""
        return self._core.phase

    @property
    def events_in_phase(self) -> int:
        """How many events the current phase has taken."""
        return self._s.seq - self._s.phase_seq

    @property
    def units(self) -> tuple[str, ...]:
        """The units of the current phase (those with events, and those carried over from
        the phase before), sorted."""
        return tuple(sorted(self._s.units))

    def close(self) -> None:
        """Stop the engine's worker process (if any)."""
        self._core.engine.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"<Monitor {self.definition.id}/{self.ruleset.id} on {self._s.clock} "
            f"({len(self._s.units)} units, engine {self.engine})>"
        )

    # -- events in ---------------------------------------------------------------------------
    def ingest(self, event: Event | Mapping[str, Any], *, where: str | None = None) -> list[Alert]:
        """Take one event (an :class:`Event` or its JSON form); returns the new alerts."""
        return self.ingest_many([event], where=[where] if where else None)

    def ingest_many(
        self,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        where: Iterable[str] | None = None,
    ) -> list[Alert]:
        """Take events in order; returns the new alerts. The units that changed are
        judged at each day boundary and once at the end. A bad event raises
        :class:`EventError` (``where`` names it, e.g. ``events.jsonl:12``); the events
        before it are kept."""
        with self._lock:
            first = len(self._s.alerts)
            labels = iter(where) if where is not None else None
            try:
                for raw in events:
                    label = next(labels, None) if labels is not None else None
                    self._take(
                        parse_event(raw, where=label) if not isinstance(raw, Event) else raw, label
                    )
            finally:
                judge_dirty(self._core)
            return self._s.alerts[first:]

    def advance(self, to: date) -> list[Alert]:
        """Move the clock to ``to`` (a daily tick): close the months and the phase that
        end before it, raise the deadline alerts of the days passed. Returns the new
        alerts."""
        with self._lock:
            first = len(self._s.alerts)
            if self._s.clock is None:
                if self.schedule.phase_on(to) is None:
                    message = no_phase(self._core, to)
                    raise MonitorError(
                        f"{message}: nothing to start from",
                        path=("to",),
                        message_vi=f"{message.vi}: không có mốc để bắt đầu",
                    )
                start_clock(self._core, to, ("to",), None)
            if to > self._core.today():
                move_to(self._core, to)
            judge_dirty(self._core)
            return self._s.alerts[first:]

    def _take(self, event: Event, where: str | None) -> None:
        """Judge the event first, then take it: a refused event leaves the state (the
        clock included) exactly as it was."""
        problems = self.plan.check(event)
        if event.kind in TEAM_REQUIRED and event.team is None:
            message = Bilingual(
                f"a {event.kind.value} event needs its team",
                f"sự kiện loại {event.kind.value} cần có tên đội",
            )
            problems.append(Problem(("team",), message))
        if problems:
            raise EventError(problems, where=where)
        index, phase, closed = check_date(self._core, event.date, where)
        s = self._s
        state = s.units.get(event.unit)
        if state is None:
            state = self.plan.new_state()
        elif index != s.phase_index:
            state = self.plan.new_phase(state)  # what the phase change will leave of it
        refused = self.plan.refusals(state, event, s.seq + 1, phase, closed)
        if refused:
            raise EventError(refused, where=where)
        # the event is valid: now the state changes
        if s.clock is None:
            start_clock(self._core, event.date, ("date",), where)
        if event.date > self._core.today():
            move_to(self._core, event.date)
        s.seq += 1
        state = s.units.get(event.unit)
        if state is None:
            state = s.units[event.unit] = self.plan.new_state()
        self.plan.add(state, event, s.seq)
        s.dirty.add(event.unit)

    # -- indicators out ------------------------------------------------------------------------
    def _unit_state(self, unit: str) -> dict[str, Any]:
        if self.phase is None or unit not in self._s.units:
            raise MonitorError(
                f"no unit {unit!r} in the current phase",
                path=("unit",),
                message_vi=f"đợt hiện tại không có đơn vị {unit!r}",
            )
        return self._s.units[unit]

    def evidence(self, unit: str, *, best: bool = False) -> dict[str, Any]:
        """A unit's evidence in the current phase (the best case with ``best=True``);
        a monthly record of a month still open has its counts unknown."""
        unit = nfc(unit)  # the spelling the events were stored under
        with self._lock:
            state = self._unit_state(unit)
            phase = self.phase
            assert phase is not None
            return self.plan.evidence(state, phase, self._s.closed_until, best=best)

    def indicators(self, unit: str | None = None, *, explain: bool = False) -> list[UnitIndicators]:
        """The running indicators of the current phase, per unit (or one unit): each
        target's status and reason, the facts and the teams. ``explain`` gives the
        evaluator's full reasons (slower)."""
        with self._lock:
            phase = self.phase
            if phase is None:
                return []
            units = [nfc(unit)] if unit is not None else sorted(self._s.units)
            return [
                unit_indicators(self._core, u, self._unit_state(u), phase, explain) for u in units
            ]

    def results(self, phase: str) -> list[UnitIndicators]:
        """The final indicators of a phase that has ended (empty if it has not)."""
        with self._lock:
            return phase_results(self._core, phase)

    def final_evidence(self, phase: str) -> dict[str, dict[str, Any]]:
        """The evidence of every unit at the end of a phase that has ended."""
        with self._lock:
            return {
                unit: evidence_from_plain(self.plan.facts, result["evidence"])
                for unit, result in self._s.results.get(phase, {}).items()
            }

    def final_statuses(self, phase: str) -> dict[str, dict[str, TargetStatus]]:
        """The final status of every target of every unit at the end of a phase."""
        with self._lock:
            return {
                unit: {c: TargetStatus(s) for c, s in result["statuses"].items()}
                for unit, result in self._s.results.get(phase, {}).items()
            }

    def statuses(self) -> dict[str, dict[str, TargetStatus]]:
        """The statuses last judged in the current phase, per unit."""
        with self._lock:
            return {u: dict(s) for u, s in self._s.statuses.items()}

    # -- state -------------------------------------------------------------------------------
    def save(self) -> dict[str, Any]:
        """The monitor's whole state as JSON-ready plain data: what it serves (the
        campaign's and the rule set's id and hash) and its :class:`MonitorState` through
        the library's converter."""
        with self._lock:
            return {
                "format": STATE_FORMAT,
                "campaign": {"id": self.definition.id, "sha256": self.definition.sha256},
                "ruleset": {
                    "id": self.ruleset.id,
                    "version": self.ruleset.version,
                    "sha256": self.ruleset.sha256,
                    "on": self.ruleset.on.isoformat(),
                },
                "mapping": self.mapping.id,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "state": copy_data(converter.unstructure(self._s)),
            }

    @classmethod
    def restore(
        cls,
        data: Mapping[str, Any],
        campaign: CampaignDefinition | Campaign,
        ruleset: RuleSet,
        **options: Any,
    ) -> Monitor:
        """A monitor restored from :meth:`save` output, for the same campaign plan and
        rule set (checked by id and hash). A state saved for another plan or rule set, or
        damaged, is a ``MonitorError`` naming the path to the bad value. ``options`` as
        for the constructor."""
        if not isinstance(data, Mapping) or data.get("format") != STATE_FORMAT:
            raise MonitorError(
                f"not a saved monitor state (format {STATE_FORMAT})",
                path=("format",),
                message_vi="không phải trạng thái đã lưu của hệ thống theo dõi "
                f"(định dạng {STATE_FORMAT})",
            )
        monitor = cls(campaign, ruleset, **options)
        try:
            monitor._s = read_state(
                data,
                {
                    ("campaign", "id"): monitor.definition.id,
                    ("campaign", "sha256"): monitor.definition.sha256,
                    ("ruleset", "id"): ruleset.id,
                    ("ruleset", "sha256"): ruleset.sha256,
                },
                schedule=monitor.schedule,
                plan=monitor.plan,
            )
        except BaseException:
            monitor.close()
            raise
        return monitor

    @classmethod
    def replay(
        cls,
        campaign: CampaignDefinition | Campaign,
        ruleset: RuleSet,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        until: date | None = None,
        **options: Any,
    ) -> Monitor:
        """A monitor rebuilt from an event log (and the clock moved on to ``until``)."""
        monitor = cls(campaign, ruleset, **options)
        try:
            monitor.ingest_many(events)
            if until is not None:
                monitor.advance(until)
        except Exception:
            monitor.close()
            raise
        return monitor
