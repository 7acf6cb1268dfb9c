"""The result of an allocation: each candidate's outcome and steps, each form's tallies,
and the round's :class:`Allocation`."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.awards.candidates import CandidateKind
from emulation_rules.awards.plan_format import RankKey, TieBreak
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import RuleSetRef, Status
from emulation_rules.text import nfc

__all__ = [
    "Allocation",
    "AllocationOutcome",
    "CandidateAllocation",
    "FormStep",
    "FormSummary",
    "Tally",
]


class AllocationOutcome(enum.Enum):
    """What happened to a candidate in a form, or in the round."""

    PROPOSED = "proposed"
    BEYOND_QUOTA = "beyond_quota"
    NOT_ELIGIBLE = "not_eligible"
    UNDETERMINED = "undetermined"


@attrs.frozen
class FormStep:
    """A candidate in one form: the verdict's status, the rank among the eligible
    candidates of its kind (``rank`` of ``of``), the quota, the outcome, where the excess
    went, the criteria not met and the facts missing, and the reason."""

    form: str
    ruleset: RuleSetRef
    status: Status
    outcome: AllocationOutcome
    reason: Text
    rank: int | None = None
    of: int | None = None
    quota: int | None = None
    cascaded_to: str | None = None
    not_met: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@attrs.frozen
class CandidateAllocation:
    """The outcome of one candidate in the round: proposed for ``form`` (an award round
    id) at ``rank`` of ``of``, or not, with the reason and each form it went through."""

    id: str
    kind: CandidateKind
    outcome: AllocationOutcome
    reason: Text
    steps: tuple[FormStep, ...]
    form: str | None = None
    rank: int | None = None
    of: int | None = None
    name: str | None = None


@attrs.frozen
class Tally:
    """One kind of candidate in one form: the quota (``None``: no limit), how many were
    considered, eligible and proposed."""

    kind: CandidateKind
    quota: int | None
    considered: int
    eligible: int
    proposed: int


@attrs.frozen
class FormSummary:
    """One form of the round: its award round, award, authority, rule set and tallies."""

    form: str
    award: Text
    authority: Text
    ruleset: RuleSetRef
    tallies: tuple[Tally, ...]


@attrs.frozen
class Allocation:
    """The allocation of one round: which campaign (and the sha256 of its plan), round,
    review and date, the ranking used, the forms, and every candidate (collectives first,
    then by form, rank and id). ``notes`` say whose a cap is when it is not the running
    unit's (a commune's run under the province's cap is a proposal, see
    :func:`~emulation_rules.awards.caps.cap_scope_note`)."""

    campaign: str
    campaign_sha256: str
    round: str
    review: str
    evaluated_on: date
    ranking: tuple[RankKey, ...]
    tie_break: TieBreak
    forms: tuple[FormSummary, ...]
    candidates: tuple[CandidateAllocation, ...]
    notes: tuple[Text, ...] = ()

    def candidate(self, candidate_id: str) -> CandidateAllocation:
        """The outcome of a candidate, by id (in either Unicode spelling)."""
        candidate_id = nfc(candidate_id)
        for c in self.candidates:
            if c.id == candidate_id:
                return c
        raise KeyError(candidate_id)

    def proposed(self, form: str, kind: CandidateKind | None = None) -> tuple[str, ...]:
        """Ids of the candidates proposed for a form (of one kind), in rank order."""
        chosen = [
            c
            for c in self.candidates
            if c.form == form
            and c.outcome is AllocationOutcome.PROPOSED
            and (kind is None or c.kind is kind)
        ]
        return tuple(c.id for c in sorted(chosen, key=lambda c: (c.kind.value, c.rank or 0)))
