"""Allocating the awards of a campaign round: eligibility, ranking, quotas and cascades.

An *allocation plan* (``rulesets/campaigns/awards/<campaign>.yaml``) says, for each round
of a campaign (a review), which forms of award it gives in which order, each linked to the
campaign's ``award_rounds`` entry (which holds the quota, the award and the authority) and
to the rule set that decides who is eligible; how eligible candidates are ranked (facts of
the evidence, declared in the file); the stable key that breaks ties (the candidate id);
and where candidates beyond a form's quota go (``cascade_to``: Bằng khen → Giấy khen).

:func:`allocate` evaluates every candidate against the rule set of each form, ranks the
eligible ones per kind (collective, individual), fills each quota and never exceeds it,
and gives every candidate a reason in Vietnamese and English. The result
(:class:`Allocation`) depends on the set of candidates, not on their order, and round-trips
through :func:`emulation_rules.model.converter.to_json` / ``from_json`` exactly.

The rule sets come from a *loader* the caller holds (an
:class:`emulation_rules.Library`, or anything with its ``load(id, on=day)``): allocation
never builds one itself, so a host that allocates many rounds loads and compiles each rule
set once. Ranking reads the rule set's cleaned values (:mod:`emulation_rules.awards.ranking`).

>>> plans = AllocationCatalogue()                                   # doctest: +SKIP
>>> rnd = plans.round("special-campaign-binh-luong", "interim")     # doctest: +SKIP
>>> result = allocate(rnd, candidates, library=Library())           # doctest: +SKIP
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

import attrs

from emulation_rules.awards.candidates import Candidate, CandidateKind
from emulation_rules.awards.caps import cap_scope_note
from emulation_rules.awards.outcomes import (
    Allocation,
    AllocationOutcome,
    CandidateAllocation,
    FormStep,
    FormSummary,
    Tally,
)
from emulation_rules.awards.plan_format import Admission, FormSpec, RankKey
from emulation_rules.awards.plan_loading import AllocationRound
from emulation_rules.awards.ranking import Ranker
from emulation_rules.awards.reasons import candidate_result, proposed_step, unfit_step
from emulation_rules.campaigns.spec import AwardRoundSpec
from emulation_rules.errors import (
    CampaignError,
    EmulationRulesError,
    EvidenceError,
    Problem,
)
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.formatting import date_text
from emulation_rules.model.kinds import kind as fact_kind
from emulation_rules.model.verdict import Status, Verdict

__all__ = [
    "RuleSetLoader",
    "allocate",
]


class RuleSetLoader(Protocol):
    """Where allocation gets its rule sets: :class:`emulation_rules.Library` is one. The
    caller creates it once and passes it to every :func:`allocate` (and :func:`decide`)
    call, so rule sets are loaded and compiled once, not per call."""

    def load(self, id_or_path: str, *, on: date) -> RuleSet:
        """The rule set ``id_or_path`` in force on ``on``."""
        ...


# -- allocating ----------------------------------------------------------------------------
def allocate(
    round: AllocationRound,
    candidates: Iterable[Candidate],
    *,
    library: RuleSetLoader,
    on: date | None = None,
) -> Allocation:
    """Allocate the awards of a round among candidates.

    Each candidate is evaluated against the rule set of every form of the round (on
    ``on``, by default the last day of the phase the review closes), with the rule sets
    of ``library`` (required: the caller's :class:`~emulation_rules.Library`, made once).
    Forms are filled in order: a form considers the
    candidates not yet proposed (``admits: all``) or those cascaded to it; its eligible
    candidates of each kind are ranked by the declared ranking, then by id; the first
    ``quota`` are proposed, the rest go to ``cascade_to`` if the plan says so. Raises
    :class:`EvidenceError` listing every bad candidate at once (duplicate ids, bad
    evidence), :class:`CampaignError` when a form's authority no longer exists on that
    date or a ranking fact is not a fact of a form's rule set, :class:`NotFoundError` when
    a rule set is not in force on that date.
    """
    day = on if on is not None else round.default_date()
    pool = sorted(candidates, key=lambda c: c.id)
    _check_ids(pool)
    awards = _awards_in_force(round, day)
    rulesets = _load_rulesets(round, library, day)
    verdicts = _evaluate_all(pool, round.spec.forms, rulesets)
    progress = _Progress.start(pool, round.spec.forms)
    summaries = [
        _fill_form(round, fi, award, rs, verdicts[fi], pool, progress)
        for fi, (award, rs) in enumerate(zip(awards, rulesets, strict=True))
    ]
    return Allocation(
        campaign=round.campaign.id,
        campaign_sha256=round.campaign.sha256,
        round=round.id,
        review=round.spec.review,
        evaluated_on=day,
        ranking=round.ranking,
        tie_break=round.tie_break,
        forms=tuple(summaries),
        candidates=tuple(_ordered_results(pool, progress, round.spec.forms)),
        notes=tuple(n for a in awards if (n := cap_scope_note(round.campaign, a)) is not None),
    )


@attrs.define
class _Progress:
    """How far the filling of a round's forms has got: the steps of each candidate so far,
    the candidates proposed (id → form index, rank, of) and those cascaded to each form."""

    steps: dict[str, list[FormStep]]
    placed: dict[str, tuple[int, int, int]]
    cascaded: dict[str, set[str]]

    @classmethod
    def start(cls, pool: Sequence[Candidate], forms: Sequence[FormSpec]) -> _Progress:
        """Nothing filled yet: no steps, nobody proposed, nobody cascaded."""
        return cls(
            steps={c.id: [] for c in pool},
            placed={},
            cascaded={f.award_round: set() for f in forms},
        )


def _awards_in_force(round: AllocationRound, day: date) -> list[AwardRoundSpec]:
    """The campaign's award round of each form, in form order; :class:`CampaignError` when
    the authority of one no longer exists on ``day``."""
    forms = round.spec.forms
    awards = [round.award_round(f) for f in forms]
    for form, award in zip(forms, awards, strict=True):
        valid = award.authority_valid_until
        if valid is not None and day > valid:
            raise CampaignError(
                f"{round.campaign.id}: the authority of award round {award.id} "
                f"({award.authority.en}) exists only until {valid.isoformat()}, "
                f"not on {day.isoformat()}",
                path=("rounds", round.id, "forms", form.award_round),
                message_vi=f"{award.authority.vi} chỉ tồn tại đến hết ngày "
                f"{date_text(valid, 'vi')}, không còn vào ngày {date_text(day, 'vi')}",
            )
    return awards


def _load_rulesets(round: AllocationRound, lib: RuleSetLoader, day: date) -> list[RuleSet]:
    """The rule set of each form in force on ``day``, in form order, each checked to hold
    every ranking fact as a rankable fact."""
    forms = round.spec.forms
    rulesets = [lib.load(f.ruleset, on=day) for f in forms]
    for form, rs in zip(forms, rulesets, strict=True):
        _check_ranking(round, form, rs)
    return rulesets


def _fill_form(
    round: AllocationRound,
    fi: int,
    award: AwardRoundSpec,
    rs: RuleSet,
    verdicts: dict[str, Verdict],
    pool: Sequence[Candidate],
    progress: _Progress,
) -> FormSummary:
    """Fill form ``fi`` of the round, kind by kind, from the candidates it considers (not
    yet proposed, and cascaded to it unless it admits all); its summary."""
    form = round.spec.forms[fi]
    considered = [
        c
        for c in pool
        if c.id not in progress.placed
        and (form.admits is Admission.ALL or c.id in progress.cascaded[form.award_round])
    ]
    tallies: list[Tally] = []
    for kind in CandidateKind:
        group = [c for c in considered if c.kind is kind]
        quota = _quota(award, kind)
        n, taken = _propose_eligible(
            round.ranking, fi, form, award, rs, verdicts, group, kind, quota, progress
        )
        _record_unfit(form, award, rs, verdicts, group, quota, progress)
        tallies.append(Tally(kind, quota, len(group), n, taken))
    return FormSummary(form.award_round, award.award, award.authority, rs.ref, tuple(tallies))


def _propose_eligible(
    ranking: Sequence[RankKey],
    fi: int,
    form: FormSpec,
    award: AwardRoundSpec,
    rs: RuleSet,
    verdicts: dict[str, Verdict],
    group: Sequence[Candidate],
    kind: CandidateKind,
    quota: int | None,
    progress: _Progress,
) -> tuple[int, int]:
    """Rank the eligible candidates of one kind (``group``) in form ``fi``, propose the
    first ``quota`` and cascade the rest where the form says; (eligible, proposed)."""
    eligible = sorted(
        (c for c in group if verdicts[c.id].status is Status.ELIGIBLE),
        key=Ranker(ranking, rs).key,
    )
    n = len(eligible)
    taken = 0
    for r, c in enumerate(eligible, start=1):
        if quota is None or r <= quota:
            taken += 1
            progress.placed[c.id] = (fi, r, n)
            outcome, target = AllocationOutcome.PROPOSED, None
        else:
            outcome, target = AllocationOutcome.BEYOND_QUOTA, form.cascade_to
            if target is not None:
                progress.cascaded[target].add(c.id)
        progress.steps[c.id].append(
            proposed_step(form, award, rs, verdicts[c.id], outcome, r, n, quota, target, kind)
        )
    return n, taken


def _record_unfit(
    form: FormSpec,
    award: AwardRoundSpec,
    rs: RuleSet,
    verdicts: dict[str, Verdict],
    group: Sequence[Candidate],
    quota: int | None,
    progress: _Progress,
) -> None:
    """Give each candidate of ``group`` not eligible for the form (not eligible or
    undetermined) its step saying why."""
    for c in group:
        v = verdicts[c.id]
        if v.status is not Status.ELIGIBLE:
            progress.steps[c.id].append(unfit_step(form, award, rs, v, quota))


def _ordered_results(
    pool: Sequence[Candidate], progress: _Progress, forms: Sequence[FormSpec]
) -> list[CandidateAllocation]:
    """The outcome of every candidate: collectives first, then by form proposed for (the
    unplaced last), rank and id."""
    results = [
        candidate_result(c, tuple(progress.steps[c.id]), progress.placed.get(c.id), forms)
        for c in pool
    ]
    placed = progress.placed
    kind_order = {k: i for i, k in enumerate(CandidateKind)}
    results.sort(
        key=lambda r: (
            kind_order[r.kind],
            placed[r.id][0] if r.id in placed else len(forms),
            r.rank or 0,
            r.id,
        )
    )
    return results


def _check_ids(pool: Sequence[Candidate]) -> None:
    problems = [
        Problem(
            ("candidates", b.id, "id"),
            f"candidate id {b.id!r} is given more than once",
            message_vi=f"mã ứng viên {b.id!r} được nhập nhiều lần",
        )
        for a, b in itertools.pairwise(pool)
        if a.id == b.id
    ]
    if problems:
        raise EvidenceError(problems)


def _check_ranking(round: AllocationRound, form: FormSpec, rs: RuleSet) -> None:
    facts = rs.facts
    for key in round.ranking:
        spec = facts.get(key.fact)
        if spec is None or not fact_kind(spec.type).rankable:
            what = "not a fact" if spec is None else f"a {spec.type.value} fact"
            what_vi = (
                "không phải là dữ kiện" if spec is None else "là dữ kiện kiểu " + (spec.type.value)
            )
            raise CampaignError(
                f"{round.file}: ranking fact {key.fact!r} is {what} of rule set {rs.id} "
                f"(form {form.award_round}); ranking needs a bool, number or date fact",
                path=("ranking", key.fact),
                message_vi=f"{round.file}: dữ kiện xếp hạng {key.fact!r} {what_vi} của bộ "
                f"tiêu chí {rs.id} (hình thức {form.award_round}); chỉ xếp hạng được theo "
                "dữ kiện đúng/sai, số hoặc ngày",
            )


def _evaluate_all(
    pool: Sequence[Candidate], forms: Sequence[FormSpec], rulesets: Sequence[RuleSet]
) -> list[dict[str, Verdict]]:
    problems: list[Problem] = []
    out: list[dict[str, Verdict]] = []
    for rs in rulesets:
        verdicts: dict[str, Verdict] = {}
        for c in pool:
            try:
                verdicts[c.id] = rs.evaluate(c.evidence, unit=c.id)
            except EvidenceError as exc:
                for p in exc.problems:
                    problem = p.moved("candidates", c.id, "evidence")
                    if problem not in problems:
                        problems.append(problem)
            except EmulationRulesError as exc:
                vi = f"{rs.id}: {exc.text_in('vi')}" if exc.translated else None
                en = f"{rs.id}: {exc.text_in('en')}"
                problems.append(Problem(("candidates", c.id), en, message_vi=vi))
        out.append(verdicts)
    if problems:
        raise EvidenceError(problems)
    return out


def _quota(award: AwardRoundSpec, kind: CandidateKind) -> int | None:
    if award.quota is None:
        return None
    return award.quota.collectives if kind is CandidateKind.COLLECTIVE else award.quota.individuals
