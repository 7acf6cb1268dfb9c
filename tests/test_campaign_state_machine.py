"""Random walks through campaigns (Hypothesis), and calendar paths that visit every state
and transition of every shipped plan."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from emulation_rules.campaigns import (
    Campaign,
    CampaignCatalogue,
    CampaignDefinition,
    lifecycle_of,
)
from emulation_rules.errors import TransitionRefused

CATALOGUE = CampaignCatalogue()
DEFINITIONS = [
    d if d.spec.cycle is None else d.for_cycle(d.spec.cycle.first_year)
    for d in CATALOGUE.definitions()
]
START = date(2024, 1, 1)


class CampaignWalk(RuleBasedStateMachine):
    """Random triggers and dates on one instance; invariants after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.campaign: Campaign | None = None
        self.log_len = 0
        self.today = START

    @initialize(definition=st.sampled_from(DEFINITIONS))
    def start(self, definition: CampaignDefinition) -> None:
        self.today = max(START, definition.dated_window()[0])
        self.campaign = Campaign.new(definition, "walk", on=self.today)
        self.log_len = len(self.campaign.log)

    def _day(self, days: int) -> date:
        self.today += timedelta(days=days)
        return self.today

    @rule(days=st.integers(0, 120))
    def advance(self, days: int) -> None:
        assert self.campaign is not None
        to = self._day(days)
        self.campaign.advance(to=to)
        # after advance the calendar has nothing left to do up to that date
        assert self.campaign.lifecycle.next_step(self.campaign.to_state(), to) is None

    @rule(
        trigger=st.sampled_from(
            ["issue", "launch", "submit_report", "decide_awards", "start_awarding", "close"]
        ),
        days=st.integers(0, 60),
        pick=st.integers(0, 10),
        count=st.integers(0, 35),
    )
    def fire(self, trigger: str, days: int, pick: int, count: int) -> None:
        assert self.campaign is not None
        d = self.campaign.definition
        kwargs: dict[str, object] = {}
        if trigger == "submit_report" and d.spec.reports:
            kwargs["report"] = d.spec.reports[pick % len(d.spec.reports)].id
        if trigger == "decide_awards" and d.spec.award_rounds:
            kwargs["award_round"] = d.spec.award_rounds[pick % len(d.spec.award_rounds)].id
            kwargs["collectives"] = count
            kwargs["individuals"] = count
        on = self._day(days)
        before = self.campaign.to_json()
        try:
            self.campaign.trigger(trigger, on=on, by="walker", **kwargs)
        except TransitionRefused as exc:
            assert exc.guard and exc.trigger == trigger
            assert self.campaign.to_json() == before  # a refusal changes nothing

    @rule(days=st.integers(0, 400))
    def cancel(self, days: int) -> None:
        assert self.campaign is not None
        if days < 390:  # cancel rarely, so walks reach late states
            return
        on = self._day(days)
        try:
            self.campaign.cancel(on=on)
        except TransitionRefused as exc:
            last = self.campaign.definition.dated_window()[1]
            assert self.campaign.state in {"closed", "cancelled"} or (
                exc.guard == "period" and on > last
            )

    @invariant()
    def log_only_grows(self) -> None:
        if self.campaign is None:
            return
        log = self.campaign.log
        assert len(log) >= self.log_len
        assert [t.seq for t in log] == list(range(len(log)))
        assert all(a.on <= b.on for a, b in itertools.pairwise(log))
        self.log_len = len(log)

    @invariant()
    def round_trip(self) -> None:
        if self.campaign is None:
            return
        text = self.campaign.to_json()
        again = Campaign.from_json(self.campaign.definition, text)
        assert again == self.campaign and again.to_json() == text

    @invariant()
    def state_matches_last_entry(self) -> None:
        if self.campaign is None:
            return
        assert self.campaign.log[-1].dest == self.campaign.state


CampaignWalk.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCampaignWalk = CampaignWalk.TestCase


def _walk(d: CampaignDefinition, stop_at: str | None) -> Campaign:
    """Walk a plan through its calendar (submitting each report when it opens); cancel
    as soon as the instance reaches ``stop_at``."""
    start = d.spec.period.start or date(2024, 10, 1)
    c = Campaign.new(d, "path", on=start)
    day = start

    def stop() -> bool:
        if c.state == stop_at:
            c.cancel(on=c.log[-1].on)
            return True
        return False

    if stop():
        return c
    for trigger in ("issue", "launch"):
        c.trigger(trigger, on=day)
        if stop():
            return c
    while day <= d.spec.period.end + timedelta(days=60):
        for report in d.spec.reports:
            opens = d.opens(report, c.to_state().issued_on)
            if opens is not None and day >= opens and c.to_state().submission(report.id) is None:
                c.submit_report(report.id, on=day)
        while (step := c.lifecycle.next_step(c.to_state(), day)) is not None:
            c.trigger(step[0], on=step[1], by="calendar")  # one calendar step at a time
            if stop():
                return c
        day += timedelta(days=1)
    c.trigger("start_awarding", on=day)
    if stop():
        return c
    c.close(on=day)
    return c


def _calendar_paths(d: CampaignDefinition) -> set[tuple[str, str, str]]:
    """The edges seen on a full calendar path and on one path cancelled in each state."""
    seen: set[tuple[str, str, str]] = set()
    for stop_at in [None, *d.states]:
        c = _walk(d, stop_at)
        seen.update((t.source, t.dest, t.trigger) for t in c.log if t.source)
    return seen


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.id)
def test_calendar_paths_visit_everything(definition: CampaignDefinition) -> None:
    seen = _calendar_paths(definition)
    edges = set()
    for t in lifecycle_of(definition).transitions:
        if t["dest"] is None:
            continue
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        edges.update((s, t["dest"], t["trigger"]) for s in sources)
    # decide_awards → awarding is an alternative to start_awarding: count either
    missing = {
        e
        for e in edges - seen
        if not (e[2] == "decide_awards" and (e[0], e[1], "start_awarding") in seen)
    }
    visited = {s for e in seen for s in e[:2]}
    print(
        f"{definition.id}: {len(visited)}/{len(definition.states)} states, "
        f"{len(edges) - len(missing)}/{len(edges)} transitions visited"
    )
    assert visited == set(definition.states)
    assert not missing, sorted(missing)
