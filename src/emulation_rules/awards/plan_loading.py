"""Reading and checking an allocation file against the campaign it names: the checked
plan (:class:`AllocationPlan`) and its rounds (:class:`AllocationRound`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from emulation_rules.awards.plan_format import (
    Admission,
    AllocationPlanSpec,
    FormSpec,
    RankKey,
    RoundSpec,
    TieBreak,
)
from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.loading import CampaignCatalogue
from emulation_rules.campaigns.spec import AwardRoundSpec
from emulation_rules.errors import Bilingual as B
from emulation_rules.errors import (
    NotFoundError,
    PathPart,
)
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml, read_source

__all__ = [
    "AllocationPlan",
    "AllocationRound",
    "load_allocation_file",
    "parse_allocation_plan",
]


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
        raise NotFoundError(
            f"{self.id}: no award round {round_id!r} (known: {known})",
            message_vi=f"{self.id}: không có đợt khen thưởng {round_id!r} (có: {known})",
        )


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
        vi = exc.text_in("vi") if exc.translated else exc.message
        raise doc.error(B(exc.message, vi), ("campaign",)) from None
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
            raise doc.error(
                B(f"fact {key.fact!r} ranks twice", f"dữ kiện {key.fact!r} được xếp hạng hai lần"),
                ("ranking", i, "fact"),
            )
        seen_facts.add(key.fact)
    round_ids: set[str] = set()
    for ri, rnd in enumerate(spec.rounds):
        where: tuple[PathPart, ...] = ("rounds", ri)
        if rnd.id in round_ids:
            raise doc.error(
                B(f"round {rnd.id!r} is declared twice", f"đợt {rnd.id!r} được khai báo hai lần"),
                (*where, "id"),
            )
        round_ids.add(rnd.id)
        _check_round(rnd, definition, doc, where)


def _check_round(
    rnd: RoundSpec, definition: CampaignDefinition, doc: SourceDoc, where: tuple[PathPart, ...]
) -> None:
    review_ids = {r.id for r in definition.spec.reviews}
    if rnd.review not in review_ids:
        known = ", ".join(sorted(review_ids))
        raise doc.error(
            B(
                f"campaign {definition.id} has no review {rnd.review!r} (known: {known})",
                f"phong trào {definition.id} không có đợt sơ kết, tổng kết {rnd.review!r} "
                f"(có: {known})",
            ),
            (*where, "review"),
        )
    if not rnd.forms:
        raise doc.error(
            B("a round needs at least one form", "một đợt cần ít nhất một hình thức khen thưởng"),
            (*where, "forms"),
        )
    positions = {f.award_round: n for n, f in enumerate(rnd.forms)}
    targets = {f.cascade_to for f in rnd.forms if f.cascade_to is not None}
    for fi, form in enumerate(rnd.forms):
        fwhere = (*where, "forms", fi)
        _check_form_award(rnd, fi, form, definition, positions, doc, fwhere)
        _check_form_flow(rnd, fi, form, positions, targets, doc, fwhere)


def _check_form_award(
    rnd: RoundSpec,
    fi: int,
    form: FormSpec,
    definition: CampaignDefinition,
    positions: dict[str, int],
    doc: SourceDoc,
    fwhere: tuple[PathPart, ...],
) -> None:
    award_ids = {a.id: a for a in definition.spec.award_rounds}
    award = award_ids.get(form.award_round)
    at = (*fwhere, "award_round")
    if award is None:
        known = ", ".join(sorted(award_ids))
        raise doc.error(
            B(
                f"campaign {definition.id} has no award round {form.award_round!r} "
                f"(known: {known})",
                f"phong trào {definition.id} không có vòng khen thưởng {form.award_round!r} "
                f"(có: {known})",
            ),
            at,
        )
    if positions[form.award_round] != fi:
        raise doc.error(
            B(
                f"award round {form.award_round!r} appears twice in round {rnd.id!r}",
                f"vòng khen thưởng {form.award_round!r} có hai lần trong đợt {rnd.id!r}",
            ),
            at,
        )
    if award.review != rnd.review and form.note is None:
        raise doc.error(
            B(
                f"award round {form.award_round!r} is held at review {award.review!r}, "
                f"not {rnd.review!r}: add a note saying why it is used here",
                f"vòng khen thưởng {form.award_round!r} thuộc đợt {award.review!r}, không "
                f"phải {rnd.review!r}: thêm ghi chú (note) nói vì sao dùng ở đây",
            ),
            at,
        )


def _check_form_flow(
    rnd: RoundSpec,
    fi: int,
    form: FormSpec,
    positions: dict[str, int],
    targets: set[str],
    doc: SourceDoc,
    fwhere: tuple[PathPart, ...],
) -> None:
    if form.cascade_to is not None:
        target = positions.get(form.cascade_to)
        if target is None or target <= fi:
            raise doc.error(
                B(
                    f"cascade_to {form.cascade_to!r} must name a later form of round {rnd.id!r}",
                    f"cascade_to {form.cascade_to!r} phải là một hình thức đứng sau trong "
                    f"đợt {rnd.id!r}",
                ),
                (*fwhere, "cascade_to"),
            )
    if fi == 0 and form.admits is not Admission.ALL:
        raise doc.error(
            B(
                "the first form of a round must admit all",
                "hình thức đầu tiên của một đợt phải xét mọi ứng viên (admits: all)",
            ),
            (*fwhere, "admits"),
        )
    if form.admits is Admission.CASCADED and form.award_round not in targets:
        raise doc.error(
            B(
                f"form {form.award_round!r} admits only cascaded candidates, "
                "but no form cascades to it",
                f"hình thức {form.award_round!r} chỉ nhận ứng viên chuyển xuống, nhưng không "
                "hình thức nào chuyển xuống nó",
            ),
            (*fwhere, "admits"),
        )
