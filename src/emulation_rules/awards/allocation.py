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

>>> plans = AllocationCatalogue()                                   # doctest: +SKIP
>>> result = allocate(plans.round("special-campaign-binh-luong", "interim"), candidates)
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import attrs

from emulation_rules.api import Library
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.loading import CampaignCatalogue, shipped_campaigns_folder
from emulation_rules.campaigns.spec import AwardRoundSpec
from emulation_rules.errors import (
    CampaignError,
    EmulationRulesError,
    EvidenceError,
    FormatError,
    NotFoundError,
    PathPart,
    Problem,
    RuleSetError,
)
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.wording import missing_names
from emulation_rules.formatting import date_text
from emulation_rules.jsontext import loads
from emulation_rules.loading.catalogue import folder_roots, top_level_yaml
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml, read_source
from emulation_rules.model.common import Citation, Text
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.kinds import kind as fact_kind
from emulation_rules.model.kinds import parse_iso_date
from emulation_rules.model.verdict import RuleSetRef, Status, Verdict
from emulation_rules.text import nfc, nfc_optional

__all__ = [
    "Admission",
    "Allocation",
    "AllocationCatalogue",
    "AllocationOutcome",
    "AllocationPlan",
    "AllocationPlanSpec",
    "AllocationRound",
    "Candidate",
    "CandidateAllocation",
    "CandidateKind",
    "FormSpec",
    "FormStep",
    "FormSummary",
    "Order",
    "RankKey",
    "RoundSpec",
    "Tally",
    "TieBreak",
    "allocate",
    "load_allocation_file",
    "parse_allocation_plan",
    "read_candidates",
]


# -- the file format ---------------------------------------------------------------------
class Order(enum.Enum):
    """Which values of a ranking fact come first."""

    DESCENDING = "descending"
    ASCENDING = "ascending"


class Admission(enum.Enum):
    """Who a form considers: ``all`` the candidates not yet proposed for an earlier form,
    or only those ``cascaded`` to it from an earlier form's excess."""

    ALL = "all"
    CASCADED = "cascaded"


class TieBreak(enum.Enum):
    """The stable key that orders candidates ranked equal: the candidate id, ascending
    (code-point order). Never the input order."""

    ID = "id"


@attrs.frozen
class RankKey:
    """One ranking key: a fact of the evidence (bool, integer, decimal, percentage or date)
    and its order. A candidate without a value for it ranks after those with one."""

    fact: str
    order: Order
    label: Text | None = None


@attrs.frozen
class FormSpec:
    """One form of award in a round, in the order forms are filled.

    ``award_round`` is the id of the campaign's award round (quota, award, authority);
    ``ruleset`` the rule set deciding eligibility; ``cascade_to`` a later form of the same
    round that takes the eligible candidates beyond this form's quota. A form whose award
    round the campaign holds at another review needs a ``note`` saying why it is used here.
    """

    award_round: str
    ruleset: str
    admits: Admission
    cascade_to: str | None = None
    note: Text | None = None


@attrs.frozen
class RoundSpec:
    """A round of awards held at one review of the campaign, with its forms in order."""

    id: str
    review: str
    title: Text
    forms: tuple[FormSpec, ...]
    note: Text | None = None


@attrs.frozen
class AllocationPlanSpec:
    """An allocation file as written: the campaign, the ranking shared by its rounds, the
    tie-break key, and the rounds."""

    campaign: str
    source: Citation
    rounds: tuple[RoundSpec, ...]
    tie_break: TieBreak
    ranking: tuple[RankKey, ...] = ()
    note: Text | None = None


@attrs.frozen
class AllocationRound:
    """A checked round, ready for :func:`allocate`: its spec, the plan's ranking and
    tie-break, and the campaign definition whose award rounds give the quotas."""

    spec: RoundSpec
    ranking: tuple[RankKey, ...]
    tie_break: TieBreak
    campaign: CampaignDefinition
    file: str

    @property
    def id(self) -> str:
        """The round's id (``interim``, ``final``)."""
        return self.spec.id

    def award_round(self, form: FormSpec) -> AwardRoundSpec:
        """The campaign's award round a form allocates."""
        return self.campaign.award_round(form.award_round)

    def default_date(self) -> date:
        """The day eligibility is judged on when none is given: the last day of the phase
        the round's review closes."""
        review = self.campaign.review(self.spec.review)
        return self.campaign.phase(review.after_phase).end


@attrs.frozen
class AllocationPlan:
    """A checked allocation file of one campaign."""

    spec: AllocationPlanSpec
    campaign: CampaignDefinition
    file: str

    @property
    def id(self) -> str:
        """The id of the campaign it allocates the awards of."""
        return self.spec.campaign

    def round_ids(self) -> list[str]:
        """The ids of its rounds, in file order."""
        return [r.id for r in self.spec.rounds]

    def round(self, round_id: str) -> AllocationRound:
        """The round with that id (``NotFoundError`` names the known ones)."""
        for spec in self.spec.rounds:
            if spec.id == round_id:
                return AllocationRound(
                    spec, self.spec.ranking, self.spec.tie_break, self.campaign, self.file
                )
        known = ", ".join(self.round_ids())
        raise NotFoundError(f"{self.id}: no award round {round_id!r} (known: {known})")


def parse_allocation_plan(
    text: str, file: str, campaigns: CampaignCatalogue | None = None
) -> AllocationPlan:
    """Parse and check the text of an allocation file reported as ``file``, against the
    campaign it names (looked up in ``campaigns``, by default the shipped plans). Errors
    are :class:`RuleSetError` naming the file and the line."""
    doc = parse_yaml(text, file)
    spec: AllocationPlanSpec = structure_spec(doc, AllocationPlanSpec)
    catalogue = campaigns if campaigns is not None else CampaignCatalogue()
    try:
        definition = catalogue.get(spec.campaign)
    except NotFoundError as exc:
        raise doc.error(exc.message, ("campaign",)) from None
    _check_plan(spec, definition, doc)
    return AllocationPlan(spec, definition, file)


def load_allocation_file(
    path: str | Path, campaigns: CampaignCatalogue | None = None
) -> AllocationPlan:
    """Read and check one allocation file."""
    return parse_allocation_plan(read_source(Path(path), str(path)), str(path), campaigns)


def _check_plan(spec: AllocationPlanSpec, definition: CampaignDefinition, doc: SourceDoc) -> None:
    seen_facts: set[str] = set()
    for i, key in enumerate(spec.ranking):
        if key.fact in seen_facts:
            raise doc.error(f"fact {key.fact!r} ranks twice", ("ranking", i, "fact"))
        seen_facts.add(key.fact)
    review_ids = {r.id for r in definition.spec.reviews}
    award_ids = {a.id: a for a in definition.spec.award_rounds}
    round_ids: set[str] = set()
    for ri, rnd in enumerate(spec.rounds):
        where: tuple[PathPart, ...] = ("rounds", ri)
        if rnd.id in round_ids:
            raise doc.error(f"round {rnd.id!r} is declared twice", (*where, "id"))
        round_ids.add(rnd.id)
        if rnd.review not in review_ids:
            raise doc.error(
                f"campaign {definition.id} has no review {rnd.review!r} "
                f"(known: {', '.join(sorted(review_ids))})",
                (*where, "review"),
            )
        if not rnd.forms:
            raise doc.error("a round needs at least one form", (*where, "forms"))
        positions = {f.award_round: n for n, f in enumerate(rnd.forms)}
        targets = {f.cascade_to for f in rnd.forms if f.cascade_to is not None}
        for fi, form in enumerate(rnd.forms):
            fwhere = (*where, "forms", fi)
            award = award_ids.get(form.award_round)
            if award is None:
                raise doc.error(
                    f"campaign {definition.id} has no award round {form.award_round!r} "
                    f"(known: {', '.join(sorted(award_ids))})",
                    (*fwhere, "award_round"),
                )
            if positions[form.award_round] != fi:
                raise doc.error(
                    f"award round {form.award_round!r} appears twice in round {rnd.id!r}",
                    (*fwhere, "award_round"),
                )
            if award.review != rnd.review and form.note is None:
                raise doc.error(
                    f"award round {form.award_round!r} is held at review {award.review!r}, "
                    f"not {rnd.review!r}: add a note saying why it is used here",
                    (*fwhere, "award_round"),
                )
            if form.cascade_to is not None:
                target = positions.get(form.cascade_to)
                if target is None or target <= fi:
                    raise doc.error(
                        f"cascade_to {form.cascade_to!r} must name a later form of round "
                        f"{rnd.id!r}",
                        (*fwhere, "cascade_to"),
                    )
            if fi == 0 and form.admits is not Admission.ALL:
                raise doc.error("the first form of a round must admit all", (*fwhere, "admits"))
            if form.admits is Admission.CASCADED and form.award_round not in targets:
                raise doc.error(
                    f"form {form.award_round!r} admits only cascaded candidates, "
                    "but no form cascades to it",
                    (*fwhere, "admits"),
                )


def shipped_allocations_folder() -> Traversable:
    """The ``rulesets/campaigns/awards/`` folder shipped with the library."""
    return shipped_campaigns_folder().joinpath("awards")


class AllocationCatalogue:
    """The allocation plans of some folders, by campaign id: the shipped ones
    (``rulesets/campaigns/awards/``) and a host's own. ``campaigns`` is the campaign
    catalogue their campaigns are looked up in (by default the shipped plans). Files are
    read once, on first use."""

    def __init__(
        self,
        folders: Iterable[str | Path | Traversable] = (),
        *,
        shipped: bool = True,
        campaigns: CampaignCatalogue | None = None,
    ) -> None:
        shipped_root = ("rulesets/campaigns/awards", shipped_allocations_folder())
        self._roots = folder_roots(folders, shipped_root if shipped else None)
        self._campaigns = campaigns if campaigns is not None else CampaignCatalogue()
        self._plans: dict[str, AllocationPlan] | None = None

    def _scan(self) -> dict[str, AllocationPlan]:
        if self._plans is not None:
            return self._plans
        found: dict[str, AllocationPlan] = {}
        for name, text in top_level_yaml(self._roots):
            plan = parse_allocation_plan(text, name, self._campaigns)
            other = found.get(plan.id)
            if other is not None:
                raise RuleSetError(
                    f"the awards of campaign {plan.id} are also allocated in {other.file}",
                    file=name,
                    path=("campaign",),
                )
            found[plan.id] = plan
        self._plans = found
        return found

    def ids(self) -> list[str]:
        """The ids of the campaigns with an allocation plan, sorted."""
        return sorted(self._scan())

    def get(self, campaign_id: str) -> AllocationPlan:
        """The allocation plan of a campaign (``NotFoundError`` names the known ones)."""
        found = self._scan()
        plan = found.get(campaign_id)
        if plan is None:
            raise NotFoundError(
                f"no award allocation for campaign {campaign_id!r} "
                f"(known: {', '.join(sorted(found)) or 'none'})"
            )
        return plan

    def round(self, campaign_id: str, round_id: str) -> AllocationRound:
        """One round of a campaign's allocation plan."""
        return self.get(campaign_id).round(round_id)


# -- candidates ----------------------------------------------------------------------------
class CandidateKind(enum.Enum):
    """Quotas count collectives (tập thể) and individuals (cá nhân) separately."""

    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"


_KIND_WORDS = {
    CandidateKind.COLLECTIVE: Text("tập thể", "collectives"),
    CandidateKind.INDIVIDUAL: Text("cá nhân", "individuals"),
}


def candidate_kind(value: CandidateKind | str) -> CandidateKind:
    """A candidate's kind from the enum or its value (``"collective"``, ``"individual"``);
    anything else is a ``ValueError`` saying what is accepted."""
    if isinstance(value, CandidateKind):
        return value
    for member in CandidateKind:
        if value == member.value:
            return member
    choices = ", ".join(repr(m.value) for m in CandidateKind)
    raise ValueError(f"a candidate's kind is one of {choices}, got {value!r}")


@attrs.frozen
class Candidate:
    """A candidate of a round: a stable ``id`` (the tie-break key), its kind, its evidence
    for the forms' rule sets (parsed JSON: the facts of the round), and a display name.
    The id and the name are put in Unicode NFC: two spellings of one name are one
    candidate (and, given twice, a duplicate)."""

    id: str = attrs.field(converter=nfc)
    kind: CandidateKind = attrs.field(converter=candidate_kind)
    evidence: dict[str, Any] = attrs.field(factory=dict)
    name: str | None = attrs.field(default=None, converter=nfc_optional)


def read_candidates(text: str | Iterable[str], file: str) -> tuple[Candidate, ...]:
    """Read candidates from JSON Lines text (one object a line: ``id``, ``kind``,
    ``evidence``, optional ``name``), or from its lines as they are read (blank ones
    included, to keep the line numbers); decimals stay exact. A file that is not such text
    (malformed JSON, a line that is not a candidate) is a
    :class:`~emulation_rules.errors.FormatError` listing every bad line at once in its
    ``problems`` (paths starting with ``file:line``); bad evidence is found when the
    candidates are judged."""
    out: list[Candidate] = []
    problems: list[Problem] = []
    lines = text.splitlines() if isinstance(text, str) else text
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{file}:{n}"
        try:
            data = loads(line, line=n)
        except FormatError as exc:
            column = f" (column {exc.column})" if exc.column is not None else ""
            problems.append(Problem((where, *exc.path), exc.message + column))
            continue
        if not isinstance(data, dict):
            problems.append(Problem((where,), "expected an object {id, kind, evidence}"))
            continue
        try:
            out.append(converter.structure(data, Candidate))
        except Exception as exc:  # cattrs raises several kinds; all are bad input
            for path, message in structuring_problems(exc):
                problems.append(Problem((where, *path), message))
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise FormatError(
            f"{first.message}{more}",
            path=first.path[1:],
            where=str(first.path[0]),
            problems=problems,
        )
    if not out:
        raise FormatError("no candidates", where=file, problems=[Problem((file,), "no candidates")])
    return tuple(out)


# -- the result ----------------------------------------------------------------------------
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
    then by form, rank and id)."""

    campaign: str
    campaign_sha256: str
    round: str
    review: str
    evaluated_on: date
    ranking: tuple[RankKey, ...]
    tie_break: TieBreak
    forms: tuple[FormSummary, ...]
    candidates: tuple[CandidateAllocation, ...]

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


# -- allocating ----------------------------------------------------------------------------
def allocate(
    round: AllocationRound,
    candidates: Iterable[Candidate],
    *,
    on: date | None = None,
    library: Library | None = None,
) -> Allocation:
    """Allocate the awards of a round among candidates.

    Each candidate is evaluated against the rule set of every form of the round (on
    ``on``, by default the last day of the phase the review closes), in ``library`` (by
    default the shipped rule sets). Forms are filled in order: a form considers the
    candidates not yet proposed (``admits: all``) or those cascaded to it; its eligible
    candidates of each kind are ranked by the declared ranking, then by id; the first
    ``quota`` are proposed, the rest go to ``cascade_to`` if the plan says so. Raises
    :class:`EvidenceError` listing every bad candidate at once (duplicate ids, bad
    evidence), :class:`CampaignError` when a form's authority no longer exists on that
    date or a ranking fact is not a fact of a form's rule set, :class:`NotFoundError` when
    a rule set is not in force on that date.
    """
    day = on if on is not None else round.default_date()
    lib = library if library is not None else Library()
    pool = sorted(candidates, key=lambda c: c.id)
    _check_ids(pool)
    awards = _awards_in_force(round, day)
    rulesets = _load_rulesets(round, lib, day)
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


def _load_rulesets(round: AllocationRound, lib: Library, day: date) -> list[RuleSet]:
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
        key=lambda c: _rank_key(ranking, c),
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
            _step(form, award, rs, verdicts[c.id], outcome, r, n, quota, target, kind)
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
            progress.steps[c.id].append(_unfit_step(form, award, rs, v, quota))


def _ordered_results(
    pool: Sequence[Candidate], progress: _Progress, forms: Sequence[FormSpec]
) -> list[CandidateAllocation]:
    """The outcome of every candidate: collectives first, then by form proposed for (the
    unplaced last), rank and id."""
    results = [
        _candidate_result(c, tuple(progress.steps[c.id]), progress.placed.get(c.id), forms)
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
        Problem(("candidates", b.id, "id"), f"candidate id {b.id!r} is given more than once")
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
            raise CampaignError(
                f"{round.file}: ranking fact {key.fact!r} is {what} of rule set {rs.id} "
                f"(form {form.award_round}); ranking needs a bool, number or date fact",
                path=("ranking", key.fact),
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


def _sortable(value: Any) -> Decimal | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, date):
        return value.toordinal()
    day = parse_iso_date(value) if isinstance(value, str) else None
    if day is not None:  # a date fact, validated by the rule set already
        return day.toordinal()
    raise CampaignError(f"cannot rank by a value {value!r}")


def _rank_key(ranking: Sequence[RankKey], c: Candidate) -> tuple[Any, ...]:
    parts: list[Any] = []
    for key in ranking:
        value = _sortable(c.evidence.get(key.fact))
        if value is None:
            parts.append((1, 0))
        else:
            parts.append((0, -value if key.order is Order.DESCENDING else value))
    parts.append(c.id)
    return tuple(parts)


def _step(
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
    kind_words = _KIND_WORDS[kind]
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


def _unfit_step(
    form: FormSpec, award: AwardRoundSpec, rs: RuleSet, verdict: Verdict, quota: int | None
) -> FormStep:
    titles = {c.id: c.spec.title for c in rs.criteria}
    not_met = verdict.not_met
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
        missing = sorted({m for c in verdict.criteria for m in c.missing})
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
        missing=tuple(sorted({m for c in verdict.criteria for m in c.missing})),
    )


def _candidate_result(
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
