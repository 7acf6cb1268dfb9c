"""Proposals and decisions: a unit proposes, the authority that holds the cap decides.

A commune's plan copies the province's "Chủ tịch UBND tỉnh tặng Bằng khen … không quá 20
tập thể và 20 cá nhân": the cap is the province chairman's, over every proposal from the
whole province. A commune's allocation is therefore a :class:`Proposal` to that authority
(:func:`propose`); :func:`decide` pools the candidates every unit proposed for the
authority's form and applies the cap once, with the same ranking, tie-break, cascade and
reasons as :func:`~emulation_rules.awards.allocate` (it *is* that function, run on the
pool). Candidates are told apart across units by qualified ids ``<unit>/<id>`` (so ties
are broken by unit id, then candidate id: never by the order the proposals came in) and
named ``<name> (<unit name>)``.

The authority is an id string (the register of authorities names them); the award round
of the decided form gives its name in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from emulation_rules.awards.allocation import RuleSetLoader, allocate
from emulation_rules.awards.candidates import Candidate, CandidateKind
from emulation_rules.awards.caps import quota_text
from emulation_rules.awards.outcomes import Allocation, AllocationOutcome, FormSummary
from emulation_rules.awards.plan_format import Admission
from emulation_rules.awards.plan_loading import AllocationRound
from emulation_rules.campaigns.spec import AwardRoundSpec
from emulation_rules.errors import Bilingual, CampaignError
from emulation_rules.formatting import date_text
from emulation_rules.model.common import Text
from emulation_rules.text import nfc

__all__ = ["UNIT_SEPARATOR", "Decision", "Proposal", "UnitRef", "decide", "propose"]

UNIT_SEPARATOR = "/"
"""Between a unit's id and a candidate's id in a decision (``xa-binh-luong/to-01``)."""


@attrs.frozen
class UnitRef:
    """A proposing unit: its id and its name in words (``xã Bình Lương``)."""

    id: str = attrs.field(converter=nfc)
    name: str | None = None

    @property
    def label(self) -> str:
        """The name, or the id when there is none."""
        return self.name or self.id


@attrs.frozen
class Proposal:
    """A unit's allocation of a round, sent to the authority (id) that decides: the
    allocation as the unit ran it, and the candidates with their evidence."""

    unit: UnitRef
    authority: str
    allocation: Allocation
    candidates: tuple[Candidate, ...]

    def proposed_for(self, form: str) -> tuple[Candidate, ...]:
        """The candidates this unit proposed for ``form`` (an award round id)."""
        chosen = set(self.allocation.proposed(form))
        return tuple(c for c in self.candidates if c.id in chosen)


def propose(
    round: AllocationRound,
    candidates: Iterable[Candidate],
    *,
    unit: UnitRef | str,
    authority: str,
    library: RuleSetLoader,
    on: date | None = None,
) -> Proposal:
    """A unit's proposal: :func:`~emulation_rules.awards.allocate` of its candidates
    (within the cap, which no single proposal may pass either), addressed to
    ``authority``."""
    pool = tuple(candidates)
    ref = unit if isinstance(unit, UnitRef) else UnitRef(unit)
    return Proposal(ref, authority, allocate(round, pool, library=library, on=on), pool)


@attrs.frozen
class Decision:
    """The authority's decision over every proposal it received for one form: the pooled
    allocation (qualified ids ``<unit>/<id>``; ``proposed`` there means *decided*), the
    units, and the cap applied once across them all."""

    authority: str
    authority_name: Text
    form: str
    award: Text
    units: tuple[UnitRef, ...]
    allocation: Allocation

    def awarded(
        self, unit: str | None = None, kind: CandidateKind | None = None
    ) -> tuple[str, ...]:
        """Qualified ids of the candidates given the award (of one unit, of one kind), in
        rank order."""
        ids = self.allocation.proposed(self.form, kind)
        if unit is None:
            return ids
        head = nfc(unit) + UNIT_SEPARATOR
        return tuple(i for i in ids if i.startswith(head))

    def counts(self, unit: str, form: str | None = None) -> tuple[int, int]:
        """(collectives, individuals) of ``unit`` decided for ``form`` (default: the
        decided form)."""
        head = nfc(unit) + UNIT_SEPARATOR
        chosen = [
            c
            for c in self.allocation.candidates
            if c.id.startswith(head)
            and c.outcome is AllocationOutcome.PROPOSED
            and c.form == (form or self.form)
        ]
        collectives = sum(1 for c in chosen if c.kind is CandidateKind.COLLECTIVE)
        return collectives, len(chosen) - collectives


def decide(
    round: AllocationRound,
    proposals: Sequence[Proposal],
    *,
    authority: str,
    library: RuleSetLoader,
    form: str | None = None,
    on: date | None = None,
) -> Decision:
    """The decision of ``authority`` on ``form`` (default: the round's first form) over
    every proposal: the candidates each unit proposed for that form, pooled, ranked and
    capped once by :func:`~emulation_rules.awards.allocate` (same ranking, tie-break,
    cascade and reasons), on ``on`` (default: the proposals' date). Raises
    :class:`CampaignError` when there is no proposal, when one is of another campaign or
    round, addressed to another authority, or made on another date, or when a unit
    proposes twice."""
    _check_proposals(round, proposals, authority)
    form_id = form if form is not None else round.spec.forms[0].award_round
    sub = _decision_round(round, form_id)
    pool = [_qualified(p.unit, c) for p in proposals for c in p.proposed_for(form_id)]
    day = on if on is not None else proposals[0].allocation.evaluated_on
    award = round.campaign.award_round(form_id)
    _check_decider(award, authority)
    pooled = allocate(sub, pool, library=library, on=day)
    units = tuple(p.unit for p in proposals)
    note = Text(
        f"Quyết định của {award.authority.vi}: số lượng {quota_text(award.quota, 'vi')} áp "
        f"dụng một lần cho {len(units)} đề nghị ({', '.join(u.label for u in units)}).",
        f"Decision of the {award.authority.en}: the cap of {quota_text(award.quota, 'en')} "
        f"applies once across {len(units)} proposals ({', '.join(u.label for u in units)}).",
    )
    pooled = attrs.evolve(pooled, notes=(note,), forms=_own_authorities(pooled, form_id, units))
    return Decision(authority, award.authority, form_id, award.award, units, pooled)


def _own_authorities(
    pooled: Allocation, form_id: str, units: Sequence[UnitRef]
) -> tuple[FormSummary, ...]:
    """The forms the cascade reaches are each unit's own authority's, not the one the
    plan names for the unit whose plan it is: say so when several units propose."""
    if len(units) < 2:
        return pooled.forms
    own = Text(
        "Cấp có thẩm quyền của từng đơn vị đề nghị (theo thẩm quyền)",
        "Each proposing unit's own authority (within its powers)",
    )
    return tuple(f if f.form == form_id else attrs.evolve(f, authority=own) for f in pooled.forms)


def _qualified(unit: UnitRef, c: Candidate) -> Candidate:
    name = f"{c.name or c.id} ({unit.label})"
    return Candidate(f"{unit.id}{UNIT_SEPARATOR}{c.id}", c.kind, c.evidence, name=name)


def _decision_round(round: AllocationRound, form_id: str) -> AllocationRound:
    """The round cut down to the decided form (admitting all it is sent) and the forms
    its cascade reaches."""
    forms = {f.award_round: f for f in round.spec.forms}
    if form_id not in forms:
        known = ", ".join(forms)
        raise CampaignError(
            Bilingual(
                f"round {round.id} has no form {form_id!r} (known: {known})",
                f"đợt khen thưởng {round.id} không có hình thức {form_id!r} (có: {known})",
            ),
            path=("form",),
        )
    chain = [attrs.evolve(forms[form_id], admits=Admission.ALL)]
    while chain[-1].cascade_to is not None:
        chain.append(forms[chain[-1].cascade_to])
    return attrs.evolve(round, spec=attrs.evolve(round.spec, forms=tuple(chain)))


def _check_decider(award: AwardRoundSpec, authority: str) -> None:
    """The authority deciding must be the one the plan names for the form (its register
    id), when the plan names one."""
    if award.authority_id is None or award.authority_id == authority:
        return
    raise CampaignError(
        Bilingual(
            f"{award.award.en} is decided by {award.authority.en} ({award.authority_id}), "
            f"not by {authority}",
            f"{award.award.vi} do {award.authority.vi} ({award.authority_id}) quyết định, "
            f"không phải {authority}",
        ),
        path=("authority",),
    )


def _check_proposals(round: AllocationRound, proposals: Sequence[Proposal], authority: str) -> None:
    if not proposals:
        raise CampaignError(
            Bilingual(
                "a decision needs at least one proposal", "chưa có đề nghị nào để quyết định"
            ),
            path=("proposals",),
        )
    seen: set[str] = set()
    day = proposals[0].allocation.evaluated_on
    for p in proposals:
        where = ("proposals", p.unit.id)
        problem = _proposal_problem(round, p, authority, day, seen)
        if problem is not None:
            raise CampaignError(problem, path=where)
        seen.add(p.unit.id)


def _proposal_problem(
    round: AllocationRound, p: Proposal, authority: str, day: date, seen: set[str]
) -> Bilingual | None:
    a, u = p.allocation, p.unit.label
    if p.unit.id in seen:
        return Bilingual(f"unit {p.unit.id} proposes twice", f"{u} đề nghị hai lần")
    if UNIT_SEPARATOR in p.unit.id:
        return Bilingual(
            f"a unit id may not contain {UNIT_SEPARATOR!r}: {p.unit.id!r}",
            f"mã đơn vị không được chứa {UNIT_SEPARATOR!r}: {p.unit.id!r}",
        )
    if (a.campaign, a.round) != (round.campaign.id, round.id):
        return Bilingual(
            f"the proposal of {p.unit.id} is for {a.campaign} round {a.round}, "
            f"not {round.campaign.id} round {round.id}",
            f"đề nghị của {u} thuộc {a.campaign}, đợt {a.round}, "
            f"không phải {round.campaign.id}, đợt {round.id}",
        )
    if p.authority != authority:
        return Bilingual(
            f"the proposal of {p.unit.id} is addressed to {p.authority}, not {authority}",
            f"đề nghị của {u} gửi {p.authority}, không phải {authority}",
        )
    if a.evaluated_on != day:
        return Bilingual(
            f"the proposal of {p.unit.id} was judged on {date_text(a.evaluated_on, 'en')}, "
            f"the others on {date_text(day, 'en')}",
            f"đề nghị của {u} xét ngày {date_text(a.evaluated_on, 'vi')}, các đề nghị khác "
            f"xét ngày {date_text(day, 'vi')}",
        )
    return None
