"""Guard-aware queries (``available``, ``may``, ``allowed``) and effective dates."""

from __future__ import annotations

from datetime import date

import pytest

from emulation_rules.campaigns import (
    TRIGGERS,
    Campaign,
    CampaignCatalogue,
    SqliteCampaignStore,
    lifecycle_of,
)
from emulation_rules.campaigns.steps import STEPS, Refusal
from emulation_rules.errors import TransitionRefused

D = CampaignCatalogue().get("special-campaign-binh-luong")


def _launched() -> Campaign:
    c = Campaign.new(D, "bl", on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 25))
    return c


def test_every_machine_transition_comes_from_the_table() -> None:
    lifecycle = lifecycle_of(D)
    assert tuple(s.trigger for s in STEPS) == TRIGGERS
    assert set(lifecycle.machine.events) == set(TRIGGERS)
    for t in lifecycle.transitions:
        assert "conditions" not in t  # the guard runs before the machine, once
        assert (t["trigger"], t["source"]) in lifecycle.edges
    # one edge per trigger and state: no transition is tried after another's refusal
    pairs = [(t["trigger"], t["source"]) for t in lifecycle.transitions]
    assert len(pairs) == len(set(pairs))


def test_a_guard_returns_a_refusal_and_firing_raises_it() -> None:
    c = _launched()
    c.advance(to=date(2024, 10, 1))
    permission = c.may("close", on=date(2024, 10, 1))
    assert not permission.allowed and permission.guard == "state"
    assert isinstance(permission.refusal, Refusal)
    assert permission.reason("vi") == (
        "không thể kết thúc phong trào khi đang ở trạng thái “Đợt thi đua thứ nhất”"
    )
    with pytest.raises(TransitionRefused) as exc:
        c.close(on=date(2024, 10, 1))
    assert exc.value.guard == "state" and exc.value.message_vi == permission.reason("vi")


def test_submit_report_is_not_offered_once_both_reports_are_in() -> None:
    c = _launched()
    c.advance(to=date(2025, 2, 4))
    c.submit_report("interim-report-1", on=date(2025, 2, 4))
    assert "submit_report" in c.allowed(on=date(2025, 8, 20))  # the final report is still due
    c.advance(to=date(2025, 8, 20))
    c.submit_report("final-report", on=date(2025, 8, 20))
    assert "submit_report" not in c.allowed(on=date(2025, 8, 21))
    refused = c.may("submit_report", on=date(2025, 8, 21))
    assert refused.guard == "report_once"
    assert refused.reason("vi") == "đã gửi đủ các báo cáo"
    assert refused.reason("en") == "every report was submitted"


def test_available_lists_each_trigger_with_its_reason() -> None:
    c = _launched()
    c.advance(to=date(2024, 10, 1))
    on = date(2024, 10, 1)
    available = {p.trigger: p for p in c.available(on=on)}
    assert list(available) == list(TRIGGERS)
    assert available["cancel"].allowed
    report = available["submit_report"]
    assert not report.allowed and report.guard == "report_open"
    assert "được gửi từ ngày 04/02/2025" in report.reason("vi")
    assert available["end_phase"].guard == "phase_ended"
    assert available["end_phase"].reason("vi").endswith("chưa đến (ngày 01/10/2024)")
    # the day the report opens, it is allowed, and the choice named
    opened = c.may("submit_report", on=date(2025, 2, 4))
    assert opened.allowed and opened.choices == ("interim-report-1",)
    one = c.may("submit_report", on=date(2025, 2, 4), report="final-report")
    assert one.guard == "report_open"
    assert c.may("nope", on=on).guard == "trigger"


def test_the_final_round_in_the_final_review_opens_the_awarding() -> None:
    c = _launched()
    c.advance(to=date(2025, 2, 4))
    c.submit_report("interim-report-1", on=date(2025, 2, 4))
    c.advance(to=date(2025, 8, 20))
    assert c.state == "final-review"
    refused = c.may(
        "decide_awards", on=date(2025, 8, 20), award_round="province-merit-final", collectives=1
    )
    assert refused.guard == "final_report"  # before the final report is in
    c.submit_report("final-report", on=date(2025, 8, 21))
    entry = c.decide_awards(
        "province-merit-final", collectives=1, individuals=1, on=date(2025, 8, 22)
    )
    assert (entry.trigger, entry.source, entry.dest) == (
        "decide_awards",
        "final-review",
        "final-review",
    )
    assert c.state == "awarding" and c.log[-1].trigger == "start_awarding"


# -- effective dates ----------------------------------------------------------------------
def test_a_stale_instance_caught_up_records_the_calendar_dates() -> None:
    # left in phase 1 in October; the interim report sent on 04/02/2025; nobody advanced
    # the instance until 20/02/2025: phase 2 still began on 04/02 (recorded on 20/02)
    c = _launched()
    c.advance(to=date(2024, 10, 1))
    c.submit_report("interim-report-1", on=date(2025, 2, 4))
    done = c.advance(to=date(2025, 2, 20))
    assert [(t.trigger, t.dest, t.on, t.recorded_on) for t in done] == [
        ("end_phase", "interim-review-1", date(2025, 2, 4), date(2025, 2, 20)),
        ("begin_phase", "phase-2", date(2025, 2, 4), date(2025, 2, 20)),
    ]
    with SqliteCampaignStore() as store:
        store.create(c.to_state())
        logged = store.log("bl")
    assert logged == list(c.log)
    assert logged[-1].effective_on == date(2025, 2, 4)
    assert logged[-1].recorded_on == date(2025, 2, 20)


def test_a_calendar_trigger_fired_late_by_hand_takes_effect_on_the_calendar_day() -> None:
    c = _launched()
    entry = c.trigger("begin_phase", on=date(2024, 10, 9))
    # the first phase started on 19/08/2024, but not before the launch (25/09/2024)
    assert (entry.on, entry.recorded_on) == (date(2024, 9, 25), date(2024, 10, 9))
    c.submit_report("interim-report-1", on=date(2025, 2, 4))
    entry = c.trigger("end_phase", on=date(2025, 2, 20))
    assert (entry.on, entry.recorded_on) == (date(2025, 2, 4), date(2025, 2, 20))


def test_a_human_step_is_recorded_on_its_own_date() -> None:
    c = _launched()
    assert c.log[-1].on == c.log[-1].recorded_on == date(2024, 9, 25)
    entry = c.trigger("cancel", on=date(2024, 12, 1), recorded_on=date(2024, 12, 3))
    assert (entry.on, entry.recorded_on) == (date(2024, 12, 1), date(2024, 12, 3))
