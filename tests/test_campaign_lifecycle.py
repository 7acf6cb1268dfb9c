"""The lifecycle: guards, advance, deadlines, persistence, diagrams."""

from __future__ import annotations

from datetime import date

import pytest

from emulation_rules.campaigns import (
    Campaign,
    CampaignCatalogue,
    CampaignDefinition,
    DeadlineStatus,
    lifecycle_of,
    to_dot,
    to_mermaid,
)
from emulation_rules.errors import CampaignError, TransitionRefused


@pytest.fixture(scope="module")
def catalogue() -> CampaignCatalogue:
    return CampaignCatalogue()


@pytest.fixture
def binh_luong(catalogue: CampaignCatalogue) -> Campaign:
    c = Campaign.new(
        catalogue.get("special-campaign-binh-luong"), "xa-binh-luong", on=date(2024, 9, 20)
    )
    c.issue(on=date(2024, 9, 20), by="BCĐ ANTT xã")
    c.launch(on=date(2024, 9, 25), by="BCĐ ANTT xã")
    return c


def _statuses(c: Campaign, on: date) -> dict[str, DeadlineStatus]:
    return {d.report: d.status for d in c.deadlines(on=on)}


def test_interim_report_pending_then_overdue(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 2, 10))
    assert _statuses(binh_luong, date(2025, 2, 10))["interim-report-1"] is DeadlineStatus.PENDING
    assert _statuses(binh_luong, date(2025, 2, 14))["interim-report-1"] is DeadlineStatus.PENDING
    assert _statuses(binh_luong, date(2025, 2, 15))["interim-report-1"] is DeadlineStatus.OVERDUE
    assert _statuses(binh_luong, date(2025, 2, 16))["interim-report-1"] is DeadlineStatus.OVERDUE
    assert [d.report for d in binh_luong.overdue(on=date(2025, 2, 16))] == ["interim-report-1"]
    assert [d.report for d in binh_luong.due_within(7, on=date(2025, 2, 10))] == [
        "interim-report-1"
    ]


def test_submitted_on_time_and_late(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 2, 10))
    binh_luong.submit_report("interim-report-1", on=date(2025, 2, 14), by="Công an xã")
    assert _statuses(binh_luong, date(2025, 2, 13))["interim-report-1"] is DeadlineStatus.PENDING
    assert (
        _statuses(binh_luong, date(2025, 2, 16))["interim-report-1"]
        is DeadlineStatus.SUBMITTED_ON_TIME
    )
    binh_luong.advance(to=date(2025, 8, 26))
    binh_luong.submit_report("final-report", on=date(2025, 8, 26))
    assert _statuses(binh_luong, date(2025, 9, 1))["final-report"] is DeadlineStatus.SUBMITTED_LATE


def test_advance_follows_the_calendar(binh_luong: Campaign) -> None:
    steps = binh_luong.advance(to=date(2025, 2, 3))
    assert [(t.source, t.dest, t.on) for t in steps] == [("launched", "phase-1", date(2024, 9, 25))]
    steps = binh_luong.advance(to=date(2025, 2, 4))
    assert [(t.dest, t.on) for t in steps] == [("interim-review-1", date(2025, 2, 4))]
    binh_luong.submit_report("interim-report-1", on=date(2025, 2, 10))
    steps = binh_luong.advance(to=date(2025, 8, 20))
    assert [(t.dest, t.on) for t in steps] == [
        ("phase-2", date(2025, 2, 10)),
        ("final-review", date(2025, 8, 20)),
    ]
    assert binh_luong.advance(to=date(2026, 1, 1)) == []
    assert all(t.by == "calendar" for t in steps)


def test_review_waits_for_its_report_deadline(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 2, 14))
    assert binh_luong.state == "interim-review-1"
    steps = binh_luong.advance(to=date(2025, 2, 15))
    assert [(t.dest, t.on) for t in steps] == [("phase-2", date(2025, 2, 15))]


def test_no_review_before_the_phase_has_ended(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 1, 1))
    with pytest.raises(TransitionRefused) as info:
        binh_luong.trigger("end_phase", on=date(2025, 2, 3))
    assert info.value.guard == "phase_ended" and info.value.trigger == "end_phase"
    assert "2025-02-03" in str(info.value)
    binh_luong.trigger("end_phase", on=date(2025, 2, 4), by="officer")
    assert binh_luong.state == "interim-review-1"


def test_award_quota(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2024, 10, 1))
    with pytest.raises(TransitionRefused) as info:
        binh_luong.decide_awards(
            "province-merit-interim", collectives=5, individuals=5, on=date(2024, 10, 1)
        )
    assert info.value.guard == "review_reached"
    binh_luong.advance(to=date(2025, 2, 5))
    with pytest.raises(TransitionRefused) as info:
        binh_luong.decide_awards(
            "province-merit-interim", collectives=21, individuals=20, on=date(2025, 2, 6)
        )
    assert info.value.guard == "quota" and "at most 20 collectives" in str(info.value)
    log_before = len(binh_luong.log)
    binh_luong.decide_awards(
        "province-merit-interim", collectives=20, individuals=20, on=date(2025, 2, 6)
    )
    assert len(binh_luong.log) == log_before + 1 and binh_luong.state == "interim-review-1"
    with pytest.raises(TransitionRefused) as info:
        binh_luong.decide_awards(
            "province-merit-interim", collectives=1, individuals=1, on=date(2025, 2, 7)
        )
    assert info.value.guard == "award_once"


def test_no_close_without_final_report(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 8, 21))
    assert binh_luong.state == "final-review"
    with pytest.raises(TransitionRefused) as info:
        binh_luong.decide_awards(
            "province-merit-final", collectives=30, individuals=30, on=date(2025, 8, 22)
        )
    assert info.value.guard == "final_report"
    with pytest.raises(TransitionRefused) as info:
        binh_luong.close(on=date(2025, 8, 22))
    assert info.value.guard == "state"
    binh_luong.submit_report("final-report", on=date(2025, 8, 22))
    binh_luong.decide_awards(
        "province-merit-final", collectives=30, individuals=30, on=date(2025, 8, 23)
    )
    assert binh_luong.state == "awarding"
    with pytest.raises(TransitionRefused) as info:
        binh_luong.decide_awards(
            "district-commendation", collectives=3, individuals=3, on=date(2025, 8, 24)
        )
    assert info.value.guard == "authority"  # the district no longer exists
    binh_luong.decide_awards(
        "commune-commendation", collectives=3, individuals=9, on=date(2025, 8, 24)
    )
    binh_luong.close(on=date(2025, 8, 30))
    assert binh_luong.state == "closed"
    with pytest.raises(TransitionRefused):
        binh_luong.cancel(on=date(2025, 9, 1))


def test_refused_trigger_changes_nothing(binh_luong: Campaign) -> None:
    before = binh_luong.to_json()
    for name, kwargs in [
        ("close", {}),
        ("submit_report", {"report": "interim-report-1"}),
        ("submit_report", {"report": "nope"}),
        ("nonsense", {}),
    ]:
        with pytest.raises(TransitionRefused):
            binh_luong.trigger(name, on=date(2024, 10, 1), **kwargs)
    with pytest.raises(TransitionRefused) as info:
        binh_luong.cancel(on=date(2024, 9, 1))
    assert info.value.guard == "chronology"
    assert binh_luong.to_json() == before


def test_cancel_from_any_state(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-hai-phong")
    c = Campaign.new(d, "x", on=date(2024, 11, 1))
    c.cancel(on=date(2024, 11, 2), by="BQL", note="merged")
    assert c.state == "cancelled" and c.log[-1].note == "merged"
    assert c.advance(to=date(2026, 1, 1)) == []


def test_kon_plong_on_issuance(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-kon-plong")
    c = Campaign.new(d, "kon-plong", on=date(2024, 10, 1))
    c.issue(on=date(2024, 10, 7), by="UBND huyện")
    c.launch(on=date(2024, 10, 10))
    assert c.phase_on(date(2024, 10, 7)).id == "phase-1"  # type: ignore[union-attr]
    assert c.phase_on(date(2024, 10, 6)) is None
    c.submit_report("phase-1-report", on=date(2025, 1, 30))  # early deadline
    steps = c.advance(to=date(2025, 2, 4))
    assert [t.dest for t in steps] == ["phase-1", "interim-review-1", "phase-2"]
    assert _statuses(c, date(2025, 8, 18))["phase-2-report"] is DeadlineStatus.OVERDUE
    late = Campaign.new(d, "late", on=date(2025, 3, 1))
    with pytest.raises(TransitionRefused) as info:
        late.issue(on=date(2025, 3, 1))
    assert info.value.guard == "issue_date"


def test_hau_loc_cycle_lifecycle(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("typical-units-hau-loc").for_cycle(2025)
    c = Campaign.new(d, "phu-loc-2025", on=date(2025, 1, 2))
    c.issue(on=date(2025, 1, 2))
    c.launch(on=date(2025, 1, 3))
    c.submit_report("six-month-report", on=date(2025, 6, 1))
    c.advance(to=date(2025, 12, 2))
    assert c.state == "recognition"
    c.submit_report("annual-report", on=date(2025, 12, 2))
    # the district committee ended on 30/6/2025; the register passes its powers to the
    # provincial committee (as rulesets/recognition/hau-loc.yaml does), so the 2025 round
    # is decided (issue 17: the two Hậu Lộc files agree)
    c.decide_awards("typical-unit-recognition", collectives=1, individuals=0, on=date(2025, 12, 3))
    assert [a.award_round for a in c.to_state().awards] == ["typical-unit-recognition"]


def test_persistence_round_trip(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 2, 10))
    binh_luong.submit_report(
        "interim-report-1", on=date(2025, 2, 11), by="Công an xã", note="số 12"
    )
    text = binh_luong.to_json()
    again = Campaign.from_json(binh_luong.definition, text)
    assert again == binh_luong
    assert again.to_json() == text
    assert Campaign.from_data(binh_luong.definition, binh_luong.to_data()) == binh_luong
    assert "Công an xã" in text  # not escaped


def test_restore_refuses_other_definition(
    catalogue: CampaignCatalogue, binh_luong: Campaign
) -> None:
    state = binh_luong.to_state()
    with pytest.raises(CampaignError, match="given to definition"):
        Campaign.from_state(catalogue.get("special-campaign-dong-nai"), state)
    changed = CampaignDefinition(binh_luong.definition.spec, "x.yaml", "0" * 64)
    with pytest.raises(CampaignError, match="another version"):
        Campaign.from_state(changed, state)
    with pytest.raises(CampaignError, match="not a campaign state"):
        Campaign.from_json(binh_luong.definition, '{"state": 3}')


def test_timeline(binh_luong: Campaign) -> None:
    days = [e.day for e in binh_luong.timeline()]
    assert days == sorted(days)  # type: ignore[type-var]
    kinds = {(e.kind.value, e.ref) for e in binh_luong.timeline()}
    assert ("report_due", "interim-report-1") in kinds and ("review", "final-review") in kinds


def test_diagrams(catalogue: CampaignCatalogue) -> None:
    # English: ids on states and edges (as before); Vietnamese (the default): names
    d = catalogue.get("special-campaign-binh-luong")
    mermaid = to_mermaid(d, lang="en")
    assert mermaid.startswith("stateDiagram-v2")
    assert "phase_1 --> interim_review_1: end_phase" in mermaid
    assert "classDef current" not in mermaid
    dot = to_dot(d, lang="en")
    assert dot.startswith('digraph "special-campaign-binh-luong"') and "awarding -> closed" in dot
    vi = to_mermaid(d)
    phase_1 = d.phase("phase-1").title.vi
    assert f'state "{phase_1}" as phase_1' in vi and 'state "Dự thảo" as draft' in vi
    assert "phase-1" not in vi.split("as")[1]  # names, not ids, label the states
    assert f'label="{phase_1}"' in to_dot(d)


def test_diagram_highlights_the_current_state(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-binh-luong")
    c = Campaign.new(d, "x", on=date(2024, 9, 20))
    c.issue(on=date(2024, 9, 20))
    c.launch(on=date(2024, 9, 20))
    c.advance(to=date(2024, 10, 1))
    assert c.state == "phase-1"
    mermaid = to_mermaid(d, current=c.state)
    assert mermaid.endswith("    class phase_1 current\n")
    assert "classDef current fill:#ffd54f" in mermaid
    dot = to_dot(d, current=c.state)
    highlighted = [line for line in dot.splitlines() if "fillcolor" in line]
    assert len(highlighted) == 1 and highlighted[0].lstrip().startswith("phase_1 [")
    with pytest.raises(CampaignError, match="no state 'nope'") as exc:
        to_dot(d, current="nope")
    assert exc.value.message_vi == "special-campaign-binh-luong không có trạng thái 'nope'"


def test_machine_states_are_the_lifecycle_states(catalogue: CampaignCatalogue) -> None:
    # the lifecycle's Machine subclass keeps state names as plain attributes and looks
    # string names up directly: same states, same errors as transitions.Machine
    lifecycle = lifecycle_of(catalogue.get("special-campaign-binh-luong"))
    machine = lifecycle.machine
    assert [machine.get_state(s).name for s in lifecycle.states] == list(lifecycle.states)
    assert list(machine.states) == list(lifecycle.states)
    with pytest.raises(ValueError, match="not a registered state"):
        machine.get_state("nope")


# -- a phase report opens the day after its phase ends (kills the `opens` mutant) ----------


def test_phase_report_is_refused_on_the_phases_last_day(binh_luong: Campaign) -> None:
    # interim-report-1 reports on phase-1, which runs until 2025-02-03 (its last day):
    # "báo cáo sơ kết" reports on a phase that is over, so it opens on 2025-02-04
    d = binh_luong.definition
    report = d.report("interim-report-1")
    assert d.phase("phase-1").end == date(2025, 2, 3) and not report.early
    assert d.opens(report) == date(2025, 2, 4)
    deadline = next(x for x in binh_luong.deadlines(on=date(2025, 2, 3)) if x.report == report.id)
    assert deadline.opens == date(2025, 2, 4)
    binh_luong.advance(to=date(2025, 2, 3))
    before = binh_luong.to_json()
    with pytest.raises(TransitionRefused) as info:
        binh_luong.submit_report("interim-report-1", on=date(2025, 2, 3))
    assert info.value.guard == "report_open"
    assert "can be sent from 2025-02-04, not 2025-02-03" in info.value.message
    assert binh_luong.to_json() == before
    entry = binh_luong.submit_report("interim-report-1", on=date(2025, 2, 4))
    assert (entry.trigger, entry.subject, entry.on) == (
        "submit_report",
        "interim-report-1",
        date(2025, 2, 4),
    )


def test_campaign_report_is_refused_on_the_campaigns_last_day(binh_luong: Campaign) -> None:
    d = binh_luong.definition
    final = d.report("final-report")
    last = d.phases[-1].end
    assert (final.reports_on, last, d.opens(final)) == (
        "campaign",
        date(2025, 8, 19),
        date(2025, 8, 20),
    )
    binh_luong.advance(to=date(2025, 2, 4))
    binh_luong.submit_report("interim-report-1", on=date(2025, 2, 4))
    binh_luong.advance(to=last)
    with pytest.raises(TransitionRefused, match="can be sent from 2025-08-20, not 2025-08-19"):
        binh_luong.submit_report("final-report", on=last)
    binh_luong.submit_report("final-report", on=date(2025, 8, 20))


# -- dates outside the plan's period are refused (issue 13) --------------------------------


def test_start_after_the_plan_ended_is_refused(catalogue: CampaignCatalogue) -> None:
    d = catalogue.get("special-campaign-national")
    with pytest.raises(CampaignError) as info:
        Campaign.new(d, "late", on=date(2030, 1, 1))
    message = str(info.value)
    assert "2030-01-01 is outside the period of special-campaign-national" in message
    assert "(2024-08-19 – 2025-08-19)" in message
    with pytest.raises(CampaignError, match="outside the period"):
        Campaign.new(d, "early", on=date(2020, 1, 1))
    assert Campaign.new(d, "last-day", on=date(2025, 8, 19)).state == "draft"
    with pytest.raises(CampaignError, match="outside the period"):
        Campaign.new(d, "day-after", on=date(2025, 8, 20))


@pytest.mark.parametrize("trigger", ["issue", "launch"])
def test_issue_or_launch_after_the_period_is_refused(
    catalogue: CampaignCatalogue, trigger: str
) -> None:
    c = Campaign.new(catalogue.get("special-campaign-binh-luong"), "x", on=date(2024, 9, 20))
    if trigger == "launch":
        c.issue(on=date(2024, 9, 20))
    before = c.to_json()
    with pytest.raises(TransitionRefused) as info:
        c.trigger(trigger, on=date(2030, 1, 1))
    assert info.value.guard == "period" and "2030-01-01" in info.value.message
    assert c.to_json() == before  # nothing dated 2030


def test_no_phase_change_dated_after_the_period(catalogue: CampaignCatalogue) -> None:
    # the probe: started, issued and launched "on 2030-01-01", every phase change was 2030
    c = Campaign.new(catalogue.get("special-campaign-binh-luong"), "x", on=date(2024, 9, 20))
    with pytest.raises(TransitionRefused):
        c.issue(on=date(2030, 1, 1))
    assert all(t.on.year < 2030 for t in c.log)


def test_late_report_award_and_close_within_a_year_of_the_plan(binh_luong: Campaign) -> None:
    binh_luong.advance(to=date(2025, 9, 1))  # interim report never sent: overdue
    with pytest.raises(TransitionRefused) as info:
        binh_luong.submit_report("final-report", on=date(2026, 8, 26))
    assert info.value.guard == "period"
    assert "may be dated from 2023-08-19 to 2026-08-25" in info.value.message
    binh_luong.submit_report("final-report", on=date(2026, 8, 25))  # late, but accepted
    with pytest.raises(TransitionRefused, match="outside the period") as refused:
        binh_luong.close(on=date(2031, 1, 1))
    assert refused.value.guard == "period"
