"""Which authorities a campaign plan names, on which day, checked against the register
of authorities (``rulesets/authorities/``).

A plan names an authority as its issuer (``authority.authority_id``), as the body that
decides an award round (``award_rounds[].authority_id``), as the sender or the recipient
of a report (``reports[].sender`` / ``recipient``), and as who acts in an undated step
(``undated[].by`` / ``to``). :func:`authority_uses` lists each with the day it is named
for; :func:`authority_issues` says which of them the register cannot place on that day
(unknown id, not yet existing, ended with no successor) — the steps a plan sets for
bodies the 01/7/2025 reorganisation abolished. :func:`decider_on` gives the body that
holds a round's powers on a day (following successors).

>>> import emulation_rules as er
>>> from emulation_rules.campaigns import CampaignCatalogue, authority_issues
>>> plan = CampaignCatalogue().get("special-campaign-dong-nai")
>>> [i.use.role.value for i in authority_issues(plan, er.Library().authorities())]
['sender']
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.campaigns.definition import CampaignDefinition, last_day_on_time
from emulation_rules.errors import CampaignError, NotFoundError, PathPart
from emulation_rules.loading.authorities import AuthorityRegister
from emulation_rules.model.authority import AuthorityEntry
from emulation_rules.model.common import Text


class AuthorityRole(enum.Enum):
    """The part an authority plays where a plan names it."""

    ISSUER = "issuer"
    AWARD = "award"
    SENDER = "sender"
    RECIPIENT = "recipient"
    UNDATED = "undated"


@attrs.frozen
class AuthorityUse:
    """One place a plan names a register id, and the day it is named for: the issue date
    and the end of the campaign (issuer), the end of the phase a review follows (award
    round, undated step), the last day on time (report)."""

    path: tuple[PathPart, ...]
    authority_id: str
    on: date
    role: AuthorityRole


@attrs.frozen
class AuthorityIssue:
    """A use the register cannot place: ``message`` says why, in both languages."""

    use: AuthorityUse
    message: Text


def authority_uses(definition: CampaignDefinition) -> list[AuthorityUse]:
    """Every register id the plan names, with the day it is named for."""
    spec = definition.spec
    uses: list[AuthorityUse] = []
    if spec.authority.authority_id is not None:
        first = spec.period.start or spec.source.date
        days = [d for d in (first, spec.period.end) if d is not None]
        for day in days:
            uses.append(
                AuthorityUse(
                    ("authority", "authority_id"),
                    spec.authority.authority_id,
                    day,
                    AuthorityRole.ISSUER,
                )
            )
    for i, award in enumerate(spec.award_rounds):
        if award.authority_id is not None:
            day = definition.phase(definition.review(award.review).after_phase).end
            path = ("award_rounds", i, "authority_id")
            uses.append(AuthorityUse(path, award.authority_id, day, AuthorityRole.AWARD))
    uses.extend(_report_uses(definition))
    uses.extend(_undated_uses(definition))
    return uses


def _report_uses(definition: CampaignDefinition) -> list[AuthorityUse]:
    uses: list[AuthorityUse] = []
    for i, report in enumerate(definition.spec.reports):
        day = last_day_on_time(report)
        for field, role in (
            ("sender", AuthorityRole.SENDER),
            ("recipient", AuthorityRole.RECIPIENT),
        ):
            authority_id = getattr(report, field)
            if authority_id is not None:
                uses.append(AuthorityUse(("reports", i, field), authority_id, day, role))
    return uses


def _undated_uses(definition: CampaignDefinition) -> list[AuthorityUse]:
    uses: list[AuthorityUse] = []
    for i, step in enumerate(definition.spec.undated):
        for phase_id in step.after_phases:
            day = definition.phase(phase_id).end
            for field in ("by", "to"):
                authority_id = getattr(step, field)
                if authority_id is not None:
                    path = ("undated", i, field)
                    uses.append(AuthorityUse(path, authority_id, day, AuthorityRole.UNDATED))
    return uses


def authority_issues(
    definition: CampaignDefinition, register: AuthorityRegister
) -> list[AuthorityIssue]:
    """The uses of :func:`authority_uses` the register cannot place on their day."""
    issues: list[AuthorityIssue] = []
    for use in authority_uses(definition):
        try:
            register.authority_on(use.authority_id, use.on)
        except NotFoundError as exc:
            issues.append(AuthorityIssue(use, Text(exc.message_vi or exc.message, exc.message)))
    return issues


def decider_on(
    definition: CampaignDefinition, round_id: str, day: date, register: AuthorityRegister
) -> AuthorityEntry:
    """The body holding the powers of the authority that decides ``round_id`` on ``day``
    (its successor after it ended). CampaignError when the round names no register id;
    NotFoundError when no body holds them that day."""
    award = definition.award_round(round_id)
    if award.authority_id is None:
        raise CampaignError(
            f"{definition.id}: award round {round_id} names no authority of the register",
            path=("award_rounds", round_id, "authority_id"),
            message_vi=f"{definition.id}: vòng khen thưởng {round_id} chưa ghi mã cơ quan "
            "trong sổ cơ quan",
        )
    return register.authority_on(award.authority_id, day)
