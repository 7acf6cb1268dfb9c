"""From the allocation to the award decision recorded in a campaign: no glue.

:func:`record_decision` fires the campaign's ``decide_awards`` for each form of a
:class:`~emulation_rules.awards.Decision` with the numbers the unit was given (the
lifecycle refuses a number over the round's cap, a round already decided, an authority
that no longer exists). :func:`record_allocation` does the same for an allocation made by
the authority that decides it; an allocation whose notes say its cap is a higher
authority's is a proposal, and is refused until that authority decides.
"""

from __future__ import annotations

from datetime import date

from emulation_rules.awards.candidates import CandidateKind
from emulation_rules.awards.decision import Decision
from emulation_rules.awards.outcomes import Allocation, AllocationOutcome
from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.state import Transition
from emulation_rules.errors import Bilingual, CampaignError

__all__ = ["award_counts", "record_allocation", "record_decision"]


def award_counts(result: Allocation, prefix: str = "") -> dict[str, tuple[int, int]]:
    """(collectives, individuals) proposed for each form of an allocation, in form order
    (only the candidates whose id starts with ``prefix``, when given)."""
    out: dict[str, tuple[int, int]] = {}
    for f in result.forms:
        chosen = [
            c
            for c in result.candidates
            if c.form == f.form
            and c.outcome is AllocationOutcome.PROPOSED
            and c.id.startswith(prefix)
        ]
        collectives = sum(1 for c in chosen if c.kind is CandidateKind.COLLECTIVE)
        out[f.form] = (collectives, len(chosen) - collectives)
    return out


def _fire(
    campaign: Campaign, counts: dict[str, tuple[int, int]], review: str, on: date, by: str
) -> list[Transition]:
    """``decide_awards`` for each form held at ``review`` with someone given it (a form
    the round borrows from another review, such as the commune's Giấy khen taking the
    interim excess, is decided by its own authority within its powers: not fired)."""
    out: list[Transition] = []
    for form, (collectives, individuals) in counts.items():
        award = campaign.definition.award_round(form)
        if award.review != review or collectives + individuals == 0:
            continue
        out.append(
            campaign.decide_awards(
                form, collectives=collectives, individuals=individuals, on=on, by=by
            )
        )
    return out


def record_decision(
    campaign: Campaign, decision: Decision, *, unit: str, on: date, by: str = "system"
) -> list[Transition]:
    """Record in ``campaign`` (the instance of ``unit``) what ``decision`` gave the unit;
    the transitions fired."""
    if unit not in {u.id for u in decision.units}:
        known = ", ".join(u.id for u in decision.units)
        raise CampaignError(
            Bilingual(
                f"unit {unit!r} made no proposal in this decision (known: {known})",
                f"đơn vị {unit!r} không có đề nghị trong quyết định này (có: {known})",
            ),
            path=("unit",),
        )
    counts = award_counts(decision.allocation, prefix=unit + "/")
    return _fire(campaign, counts, decision.allocation.review, on, by)


def record_allocation(
    campaign: Campaign, result: Allocation, *, on: date, by: str = "system"
) -> list[Transition]:
    """Record in ``campaign`` an allocation made by the authority that decides it; an
    allocation noted as a proposal (its cap is a higher authority's) is refused with
    :class:`CampaignError`: :func:`~emulation_rules.awards.decide` it first."""
    if result.notes:
        raise CampaignError(
            Bilingual(
                "this allocation is a proposal (its cap is a higher authority's): "
                "decide it first, then record the decision",
                "danh sách này mới là đề nghị (số lượng thuộc cấp trên): cấp có thẩm quyền "
                "phải quyết định trước, rồi mới ghi nhận quyết định",
            ),
            path=("notes",),
        )
    return _fire(campaign, award_counts(result), result.review, on, by)
