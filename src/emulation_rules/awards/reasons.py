"""The reasons an allocation gives each candidate, in Vietnamese and English: proposed,
beyond the quota (and where the excess went), not eligible, undetermined."""

from __future__ import annotations

from collections.abc import Sequence

from emulation_rules.awards.candidates import KIND_WORDS, Candidate, CandidateKind
from emulation_rules.awards.outcomes import AllocationOutcome, CandidateAllocation, FormStep
from emulation_rules.awards.plan_format import FormSpec
from emulation_rules.campaigns.spec import AwardRoundSpec
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.wording import missing_names
from emulation_rules.model.common import Text
from emulation_rules.model.verdict import Status, Verdict

__all__ = [
    "candidate_result",
    "proposed_step",
    "unfit_step",
]


def proposed_step(
    form: FormSpec,
    award: AwardRoundSpec,
    rs: RuleSet,
    verdict: Verdict,
    outcome: AllocationOutcome,
    rank: int,
    of: int,
    quota: int | None,
    target: str | None,
    kind: CandidateKind,
) -> FormStep:
    kind_words = KIND_WORDS[kind]
    quota_vi = f", số lượng không quá {quota}" if quota is not None else ""
    quota_en = f", quota {quota}" if quota is not None else ""
    place_vi = f"xếp thứ {rank} trong {of} {kind_words.vi} đủ điều kiện{quota_vi}"
    place_en = f"rank {rank} of {of} eligible {kind_words.en}{quota_en}"
    if outcome is AllocationOutcome.PROPOSED:
        reason = Text(
            f"Đề nghị {award.award.vi}: {place_vi}.", f"Proposed for {award.award.en}: {place_en}."
        )
    else:
        reason = Text(
            f"Đủ điều kiện {award.award.vi} nhưng ngoài số lượng được đề nghị: {place_vi}.",
            f"Eligible for {award.award.en} but beyond the quota: {place_en}.",
        )
    return FormStep(
        form=form.award_round,
        ruleset=rs.ref,
        status=verdict.status,
        outcome=outcome,
        reason=reason,
        rank=rank,
        of=of,
        quota=quota,
        cascaded_to=target,
    )


def unfit_step(
    form: FormSpec, award: AwardRoundSpec, rs: RuleSet, verdict: Verdict, quota: int | None
) -> FormStep:
    titles = {c.id: c.spec.title for c in rs.criteria}
    not_met = verdict.not_met
    missing = tuple(sorted({m for c in verdict.criteria for m in c.missing}))
    failed_pre = tuple(p.name for p in verdict.prerequisites if p.status is Status.NOT_ELIGIBLE)
    if verdict.status is Status.NOT_ELIGIBLE:
        items_vi = [f"tiêu chí {i} ({titles[i].vi})" for i in not_met if i in titles]
        items_en = [f"{i} ({titles[i].en})" for i in not_met if i in titles]
        items_vi += [f"điều kiện lựa chọn {p}" for p in failed_pre]
        items_en += [f"prerequisite {p}" for p in failed_pre]
        reason = Text(
            f"Không đủ điều kiện {award.award.vi}: không đạt {'; '.join(items_vi)}.",
            f"Not eligible for {award.award.en}: criteria not met: {'; '.join(items_en)}.",
        )
        outcome = AllocationOutcome.NOT_ELIGIBLE
    else:
        named = "; ".join(missing_names(missing, rs.facts, "vi"))
        reason = Text(
            f"Chưa xác định được điều kiện {award.award.vi} vì chưa có số liệu: {named}.",
            f"Eligibility for {award.award.en} undetermined: missing {', '.join(missing)}.",
        )
        outcome = AllocationOutcome.UNDETERMINED
    return FormStep(
        form=form.award_round,
        ruleset=rs.ref,
        status=verdict.status,
        outcome=outcome,
        reason=reason,
        quota=quota,
        not_met=not_met,
        missing=missing,
    )


def candidate_result(
    c: Candidate,
    steps: tuple[FormStep, ...],
    placed: tuple[int, int, int] | None,
    forms: Sequence[FormSpec],
) -> CandidateAllocation:
    vi = " ".join(s.reason.vi for s in steps)
    en = " ".join(s.reason.en for s in steps)
    if placed is not None:
        fi, rank, of = placed
        if len(steps) > 1:  # proposed after a cascade: say so
            last = steps[-1].reason
            vi = " ".join(s.reason.vi for s in steps[:-1]) + " " + _instead(last.vi, "vi")
            en = " ".join(s.reason.en for s in steps[:-1]) + " " + _instead(last.en, "en")
        return CandidateAllocation(
            id=c.id,
            kind=c.kind,
            outcome=AllocationOutcome.PROPOSED,
            reason=Text(vi, en),
            steps=steps,
            form=forms[fi].award_round,
            rank=rank,
            of=of,
            name=c.name,
        )
    outcomes = {s.outcome for s in steps}
    if AllocationOutcome.BEYOND_QUOTA in outcomes:
        outcome = AllocationOutcome.BEYOND_QUOTA
    elif AllocationOutcome.UNDETERMINED in outcomes:
        outcome = AllocationOutcome.UNDETERMINED
    else:
        outcome = AllocationOutcome.NOT_ELIGIBLE
    return CandidateAllocation(
        id=c.id, kind=c.kind, outcome=outcome, reason=Text(vi, en), steps=steps, name=c.name
    )


def _instead(text: str, lang: str) -> str:
    """``Đề nghị X: …`` → ``Thay vào đó, đề nghị X: …`` (``Proposed for X instead: …``)."""
    if lang == "vi":
        return "Thay vào đó, đề nghị" + text[len("Đề nghị") :]
    head, sep, rest = text.partition(": ")
    return f"{head} instead{sep}{rest}"
