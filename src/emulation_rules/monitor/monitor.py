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
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.errors import EventError, MonitorError, Problem
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.model.converter import converter
from emulation_rules.model.verdict import CriterionStatus
from emulation_rules.monitor.alerts import (
    Alert,
    AlertKind,
    TargetStatus,
    deadline_alert_text,
    month_alert_text,
    status_alert_text,
)
from emulation_rules.monitor.engine import DurableEngine, Matcher, make_engine
from emulation_rules.monitor.events import TEAM_REQUIRED, Event, parse_event
from emulation_rules.monitor.indicators import MonthlyFact, Plan, compile_plan
from emulation_rules.monitor.judge import Ending, Judge
from emulation_rules.monitor.mapping import MonitorMapping, mapping_for
from emulation_rules.monitor.pace import PacePolicy
from emulation_rules.monitor.rules import GeneratedRule, Message, generate_rules
from emulation_rules.monitor.schedule import ONE_DAY, PhaseWindow, Schedule, month_of
from emulation_rules.monitor.state import (
    STATE_FORMAT,
    MonitorState,
    copy_data,
    evidence_from_plain,
    plain_evidence,
    read_state,
)
from emulation_rules.monitor.views import (
    TargetIndicator,
    UnitIndicators,
    team_indicators,
)
from emulation_rules.text import nfc

_NOT_MET = CriterionStatus.NOT_MET


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
        _faults: bool = False,
    ) -> None:
        definition, issued = _definition_of(campaign, issued_on)
        targets = definition.spec.targets
        if ruleset.id not in targets and (ruleset.definition.extends or "") not in targets:
            raise MonitorError(
                f"rule set {ruleset.id} is not a target of campaign {definition.id} "
                f"(targets: {', '.join(targets)})",
                path=("ruleset",),
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
        self._rule = {r.name: r for r in self.rules}
        self._criteria = {c.id: c for c in ruleset.criteria}
        self._judge = Judge(ruleset, self.plan, pace)
        self._engine: Matcher = make_engine(self.rules, engine, faults=_faults)
        self.on_alert = on_alert
        self.callback_errors: list[str] = []
        """The exceptions ``on_alert`` raised (as text), oldest first."""
        self._lock = threading.RLock()
        self._s = MonitorState()
        """What the monitor has observed and said (see :meth:`save`)."""

    # -- properties -------------------------------------------------------------------------
    @property
    def engine(self) -> str:
        """``"durable"`` or ``"python"``: which engine runs the alerting rules."""
        return self._engine.name

    @property
    def engine_failures(self) -> tuple[str, ...]:
        """What went wrong in the durable-rules worker (each time recovered)."""
        if isinstance(self._engine, DurableEngine):
            return tuple(self._engine.failures)
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
        index = self._s.phase_index
        return self.schedule.phases[index] if index is not None else None

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
        self._engine.close()

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
                self._judge_dirty()
            return self._s.alerts[first:]

    def advance(self, to: date) -> list[Alert]:
        """Move the clock to ``to`` (a daily tick): close the months and the phase that
        end before it, raise the deadline alerts of the days passed. Returns the new
        alerts."""
        with self._lock:
            first = len(self._s.alerts)
            if self._s.clock is None:
                if self.schedule.phase_on(to) is None:
                    raise MonitorError(
                        f"{to} is in no phase of {self.definition.id}: nothing to start from",
                        path=("to",),
                    )
                self._start_clock(to, ("to",), None)
            if to > self._clock_day():
                self._move_to(to)
            self._judge_dirty()
            return self._s.alerts[first:]

    def _clock_day(self) -> date:
        assert self._s.clock is not None
        return self._s.clock

    def _take(self, event: Event, where: str | None) -> None:
        """Judge the event first, then take it: a refused event leaves the state (the
        clock included) exactly as it was."""
        problems = self.plan.check(event)
        if event.kind in TEAM_REQUIRED and event.team is None:
            problems.append(Problem(("team",), f"a {event.kind.value} event needs its team"))
        if problems:
            raise EventError(problems, where=where)
        index, closed = self._calendar_on(event.date, where)
        phase = self.schedule.phases[index] if index is not None else None
        if phase is None or event.date < phase.start:
            raise EventError(
                [Problem(("date",), self._closed_message(event.date, phase))], where=where
            )
        if closed is not None and event.date <= closed:
            raise EventError(
                [
                    Problem(
                        ("date",),
                        f"the month of {event.date} closed on {closed}: an event "
                        "of a closed month can no longer change what was judged",
                    )
                ],
                where=where,
            )
        state = self._s.units.get(event.unit)
        if state is None:
            state = self.plan.new_state()
        elif index != self._s.phase_index:
            state = self.plan.new_phase(state)  # what the phase change will leave of it
        refused = self.plan.refusals(state, event, self._s.seq + 1, phase, closed)
        if refused:
            raise EventError(refused, where=where)
        # the event is valid: now the state changes
        if self._s.clock is None:
            self._start_clock(event.date, ("date",), where)
        if event.date > self._clock_day():
            self._move_to(event.date)
        self._s.seq += 1
        state = self._s.units.get(event.unit)
        if state is None:
            state = self._s.units[event.unit] = self.plan.new_state()
        self.plan.add(state, event, self._s.seq)
        self._s.dirty.add(event.unit)

    def _calendar_on(self, day: date, where: str | None) -> tuple[int | None, date | None]:
        """The phase (its index) and the last day of the months closed in it, once the
        clock has moved on to ``day`` — worked out without moving it."""
        if self._s.clock is None:
            phase = self.schedule.phase_on(day)
            if phase is None:
                raise EventError(
                    [Problem(("date",), f"{day} is in no phase of {self.definition.id}")],
                    where=where,
                )
            index: int | None = self.schedule.index(phase.id)
            closed, today = None, phase.start
        else:
            index, closed, today = self._s.phase_index, self._s.closed_until, self._s.clock
        phases = self.schedule.phases
        while today < day and index is not None:
            window = phases[index]
            if any(window.month_closes(m) == today for m in window.months):
                closed = today
            if today == window.end:
                index = index + 1 if index + 1 < len(phases) else None
                closed = None
            today += ONE_DAY
        return index, closed

    def _closed_message(self, day: date, phase: PhaseWindow | None) -> str:
        if self.schedule.phase_on(day) is None:
            return f"{day} is in no phase of {self.definition.id}"
        now = f"phase {phase.id}" if phase is not None else "after the last phase"
        return f"{day} belongs to a phase already closed (the monitor is in {now})"

    def _start_clock(self, day: date, path: tuple[str, ...], where: str | None) -> None:
        phase = self.schedule.phase_on(day)
        if phase is None:
            raise EventError(
                [Problem(path, f"{day} is in no phase of {self.definition.id}")], where=where
            )
        self._s.phase_index = self.schedule.index(phase.id)
        self._s.clock = phase.start
        self._s.closed_until = None
        self._start_of_day()

    # -- the calendar ----------------------------------------------------------------------------
    def _move_to(self, day: date) -> None:
        while self._clock_day() < day:
            if self.phase is None:  # after the last phase: nothing happens any more
                self._s.clock = day
                return
            self._end_of_day()
            self._s.clock = self._clock_day() + ONE_DAY
            self._start_of_day()

    def _end_of_day(self) -> None:
        phase = self.phase
        if phase is None:
            return
        today = self._clock_day()
        self._judge_dirty()
        for month in phase.months:
            if phase.month_closes(month) == today:
                self._close_month(phase, month)
        if today == phase.end:
            self._close_phase(phase)

    def _start_of_day(self) -> None:
        phase = self.phase
        if phase is None:
            return
        today = self._clock_day()
        if self.plan.monthly and today == phase.month_warn_from(month_of(today)):
            self._s.dirty.update(self._s.units)  # the last days of a month: judge its teams
        if today >= self._judge.pace.pace_from(phase):  # the pace changes day by day
            self._s.dirty.update(
                u
                for u, statuses in self._s.statuses.items()
                if TargetStatus.ON_TRACK in statuses.values()
            )
        if not any(d.warn_from <= today <= d.last_day for d in phase.deadlines):
            return
        message: Message = {"t": "clock", "day": today.toordinal(), "phase": phase.id}
        (fired,) = self._engine.match([message])
        deadlines = {d.id: d for d in phase.deadlines}
        for name in fired:
            rule = self._rule[name]
            if rule.phase != phase.id or rule.deadline not in deadlines:
                continue
            deadline = deadlines[rule.deadline]
            for unit in sorted(self._s.units):
                for criterion, status in self._s.statuses.get(unit, {}).items():
                    if status is not TargetStatus.AT_RISK:
                        continue
                    key = f"{deadline.id}|{unit}|{criterion}"
                    if key in self._s.raised:
                        continue
                    self._s.raised.add(key)
                    title = self._criteria[criterion].spec.title
                    text = deadline_alert_text(
                        unit,
                        criterion,
                        title,
                        status,
                        deadline.title,
                        deadline.last_day,
                        (deadline.last_day - today).days,
                    )
                    self._raise(
                        Alert(
                            AlertKind.DEADLINE_NEAR,
                            unit,
                            today,
                            phase.id,
                            criterion,
                            text,
                            deadline=deadline.id,
                        )
                    )

    def _close_month(self, phase: PhaseWindow, month: date) -> None:
        today = self._clock_day()
        self._s.closed_until = today
        messages: list[Message] = []
        for unit in sorted(self._s.units):
            state = self._s.units[unit]
            judged = self._s.judged.setdefault(unit, {})
            for monthly in self.plan.monthly:
                keys = monthly.aggregator.keys_of(state["facts"][monthly.name])
                messages.extend(self._month_messages(unit, monthly, phase, [month], keys))
                judged[monthly.name] = keys
            self._s.dirty.add(unit)
        self._signal_months(messages, phase)
        self._judge_dirty()

    def _judge_new_keys(self, unit: str, phase: PhaseWindow) -> list[Message]:
        """The closed months of keys (teams) that appeared after their months closed: their
        records are final (no event of a closed month is taken), so judge them now."""
        if self._s.closed_until is None:
            return []
        closed = [m for m in phase.months if phase.month_closes(m) <= self._s.closed_until]
        state = self._s.units[unit]
        judged = self._s.judged.setdefault(unit, {})
        messages: list[Message] = []
        for monthly in self.plan.monthly:
            keys = monthly.aggregator.keys_of(state["facts"][monthly.name])
            new = [k for k in keys if k not in judged.get(monthly.name, ())]
            if new:
                messages.extend(self._month_messages(unit, monthly, phase, closed, new))
                judged[monthly.name] = keys
        return messages

    def _month_messages(
        self,
        unit: str,
        monthly: MonthlyFact,
        phase: PhaseWindow,
        months: list[date],
        keys: list[str],
    ) -> list[Message]:
        state = self._s.units[unit]["facts"][monthly.name]
        today = self._clock_day()
        messages: list[Message] = []
        for key in keys:
            for month in months:
                record = monthly.aggregator.month_record(state, key, month)
                for criterion, status in self._judge.month(monthly, phase, month, record).items():
                    if status is _NOT_MET:
                        failed = self._s.failed.setdefault(unit, {})
                        failed.setdefault(criterion, [key, month.isoformat()[:7]])
                    messages.append(
                        {
                            "t": "month",
                            "stage": "closed",
                            "fact": monthly.name,
                            "criterion": criterion,
                            "status": status.value,
                            "unit": unit,
                            "team": key,
                            "month": month.isoformat()[:7],
                            "day": today.toordinal(),
                        }
                    )
        return messages

    def _ending(self, unit: str, phase: PhaseWindow) -> Ending | None:
        return self._judge.ending(
            self._s.units[unit], phase, self._clock_day(), self._s.closed_until
        )

    def _ending_messages(self, unit: str, ending: Ending) -> list[Message]:
        """A month signal (stage ``ending``) for each team short in a month about to close,
        once per team, month and criterion."""
        today = self._clock_day()
        messages: list[Message] = []
        for monthly in self.plan.monthly:
            for criterion in monthly.criteria:
                for team in ending.short.get(criterion, ()):
                    month = ending.month.isoformat()[:7]
                    if _ending_key(unit, criterion, team, month) in self._s.raised:
                        continue
                    messages.append(
                        {
                            "t": "month",
                            "stage": "ending",
                            "fact": monthly.name,
                            "criterion": criterion,
                            "status": _NOT_MET.value,
                            "unit": unit,
                            "team": team,
                            "month": month,
                            "day": today.toordinal(),
                            "last_day": ending.last_day.toordinal(),
                        }
                    )
        return messages

    def _signal_months(self, messages: list[Message], phase: PhaseWindow) -> None:
        if not messages:
            return
        today = self._clock_day()
        kinds = (AlertKind.MONTH_CLOSED, AlertKind.MONTH_ENDING)
        for message, fired in zip(messages, self._engine.match(messages), strict=True):
            for name in fired:
                rule = self._rule[name]
                if rule.kind not in kinds or rule.criterion is None:
                    continue
                monthly = next(m for m in self.plan.monthly if m.name == message["fact"])
                month = date.fromisoformat(message["month"] + "-01")
                if rule.kind is AlertKind.MONTH_ENDING:
                    last_day = date.fromordinal(message["last_day"])
                    template = monthly.mapping.ending_alert
                    ends: tuple[date, int] | None = (last_day, (last_day - today).days)
                    self._s.raised.add(
                        _ending_key(message["unit"], rule.criterion, message["team"], month)
                    )
                else:
                    template, ends = monthly.mapping.closing_alert, None
                text = month_alert_text(
                    template, message["unit"], message["team"], month, rule.criterion, ends=ends
                )
                self._raise(
                    Alert(
                        rule.kind,
                        message["unit"],
                        today,
                        phase.id,
                        rule.criterion,
                        text,
                        team=message["team"],
                        month=message["month"],
                    )
                )

    def _close_phase(self, phase: PhaseWindow) -> None:
        today = self._clock_day()
        results: dict[str, dict[str, Any]] = {}
        messages: list[Message] = []
        for unit in sorted(self._s.units):
            evidence = self.plan.evidence(self._s.units[unit], phase, phase.end)
            final = self._judge.final(evidence)
            messages.extend(self._transitions(unit, final, today))
            results[unit] = {
                "evidence": plain_evidence(evidence),
                "statuses": {c: s.value for c, s in final.items()},
            }
        self._signal_statuses(messages, phase)
        self._s.results[phase.id] = results
        # the next phase: the units carry on, with their campaign-wide facts
        self._s.units = {u: self.plan.new_phase(s) for u, s in self._s.units.items()}
        self._s.statuses = {}
        self._judge.forget()
        self._s.dirty = set()
        self._s.judged = {}
        self._s.failed = {}
        self._s.closed_until = None
        self._s.phase_seq = self._s.seq
        nxt = (self._s.phase_index or 0) + 1
        self._s.phase_index = nxt if nxt < len(self.schedule.phases) else None

    # -- judging ---------------------------------------------------------------------------------
    def _judge_dirty(self) -> None:
        phase = self.phase
        if phase is None or not self._s.dirty:
            self._s.dirty = set()
            return
        today = self._clock_day()
        month_messages: list[Message] = []
        endings: dict[str, Ending | None] = {}
        for unit in sorted(self._s.dirty):
            month_messages.extend(self._judge_new_keys(unit, phase))
            ending = endings[unit] = self._ending(unit, phase)
            if ending is not None:
                month_messages.extend(self._ending_messages(unit, ending))
        self._signal_months(month_messages, phase)
        messages: list[Message] = []
        for unit in sorted(self._s.dirty):
            statuses = self._classify(unit, phase, endings[unit])
            messages.extend(self._transitions(unit, statuses, today))
        self._s.dirty = set()
        self._signal_statuses(messages, phase)

    def _classify(
        self, unit: str, phase: PhaseWindow, ending: Ending | None
    ) -> dict[str, TargetStatus]:
        return self._judge.classify(
            unit,
            self._s.units[unit],
            phase,
            self._s.closed_until,
            self._s.failed.get(unit, {}),
            ending.short if ending is not None else {},
            self._clock_day(),
        )

    def _transitions(
        self, unit: str, statuses: Mapping[str, TargetStatus], today: date
    ) -> list[Message]:
        old = self._s.statuses.setdefault(unit, {})
        out: list[Message] = []
        for criterion, status in statuses.items():
            was = old.get(criterion)
            if was is status:
                continue
            old[criterion] = status
            out.append(
                {
                    "t": "status",
                    "criterion": criterion,
                    "unit": unit,
                    "was": was.value if was is not None else "none",
                    "now": status.value,
                    "day": today.toordinal(),
                }
            )
        return out

    def _signal_statuses(self, messages: list[Message], phase: PhaseWindow) -> None:
        if not messages:
            return
        alerts: dict[str, list[tuple[AlertKind, Message]]] = {}
        for message, fired in zip(messages, self._engine.match(messages), strict=True):
            for name in fired:
                kind = self._rule[name].kind
                if kind in (AlertKind.AT_RISK, AlertKind.MISSED):
                    alerts.setdefault(message["unit"], []).append((kind, message))
        for unit, found in alerts.items():
            reasons = self._judge.reasons(
                unit,
                self._s.units[unit],
                phase,
                self._s.closed_until,
                self._s.failed.get(unit, {}),
                {m["criterion"] for _, m in found},
            )
            for kind, message in found:
                criterion = message["criterion"]
                title = self._criteria[criterion].spec.title
                pace = None
                if kind is AlertKind.AT_RISK:
                    pace = self._judge.shortfall(
                        self._s.units[unit],
                        phase,
                        self._s.closed_until,
                        criterion,
                        date.fromordinal(message["day"]),
                    ).text()
                self._raise(
                    Alert(
                        kind,
                        unit,
                        date.fromordinal(message["day"]),
                        phase.id,
                        criterion,
                        status_alert_text(kind, unit, criterion, title, reasons[criterion], pace),
                    )
                )

    def _raise(self, alert: Alert) -> None:
        self._s.alerts.append(alert)
        if self.on_alert is not None:
            try:
                self.on_alert(alert)
            except Exception as exc:
                self.callback_errors.append(f"{type(exc).__name__}: {exc}")

    # -- indicators out ------------------------------------------------------------------------
    def evidence(self, unit: str, *, best: bool = False) -> dict[str, Any]:
        """A unit's evidence in the current phase (the best case with ``best=True``);
        a monthly record of a month still open has its counts unknown."""
        unit = nfc(unit)  # the spelling the events were stored under
        with self._lock:
            phase = self.phase
            if phase is None or unit not in self._s.units:
                raise MonitorError(f"no unit {unit!r} in the current phase", path=("unit",))
            return self.plan.evidence(self._s.units[unit], phase, self._s.closed_until, best=best)

    def indicators(self, unit: str | None = None, *, explain: bool = False) -> list[UnitIndicators]:
        """The running indicators of the current phase, per unit (or one unit): each
        target's status and reason, the facts and the teams. ``explain`` gives the
        evaluator's full reasons (slower)."""
        with self._lock:
            phase = self.phase
            if phase is None:
                return []
            units = [nfc(unit)] if unit is not None else sorted(self._s.units)
            out = []
            for u in units:
                if u not in self._s.units:
                    raise MonitorError(f"no unit {u!r} in the current phase", path=("unit",))
                state, failed = self._s.units[u], self._s.failed.get(u, {})
                ending = self._ending(u, phase)
                statuses = self._classify(u, phase, ending)
                current, best = self._judge.verdicts(
                    state, phase, self._s.closed_until, self._judge.whole_ids, explain=explain
                )
                targets = []
                for c in self.ruleset.criteria:
                    status = statuses[c.id]
                    if c.id in self._judge.monthly_criteria:
                        reason = self._judge.monthly_reason(u, c.id, failed, ending)
                    else:
                        result = current.criterion(c.id)
                        if status is TargetStatus.MISSED and result.status is not _NOT_MET:
                            result = best.criterion(c.id)
                        reason = result.reason
                    targets.append(TargetIndicator(c.id, c.spec.title, status, reason))
                out.append(
                    UnitIndicators(
                        u,
                        phase.id,
                        self._clock_day(),
                        False,
                        tuple(targets),
                        self.plan.evidence(state, phase, self._s.closed_until),
                        team_indicators(self.plan, state),
                    )
                )
            return out

    def results(self, phase: str) -> list[UnitIndicators]:
        """The final indicators of a phase that has ended (empty if it has not)."""
        with self._lock:
            window = self.schedule.phases[self.schedule.index(phase)]
            out = []
            for unit, result in sorted(self._s.results.get(phase, {}).items()):
                evidence = evidence_from_plain(self.plan.facts, result["evidence"])
                verdict = self.ruleset.evaluate(evidence, explain=True)
                targets = tuple(
                    TargetIndicator(
                        c.id,
                        self._criteria[c.id].spec.title,
                        TargetStatus(result["statuses"][c.id]),
                        c.reason,
                    )
                    for c in verdict.criteria
                )
                out.append(UnitIndicators(unit, phase, window.end, True, targets, evidence, ()))
            return out

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
                f"not a saved monitor state (format {STATE_FORMAT})", path=("format",)
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


def _ending_key(unit: str, criterion: str, team: str, month: date | str) -> str:
    """What marks a month-ending alert raised (in the saved ``raised`` set)."""
    label = month.isoformat()[:7] if isinstance(month, date) else month
    return f"ending|{unit}|{criterion}|{team}|{label}"
