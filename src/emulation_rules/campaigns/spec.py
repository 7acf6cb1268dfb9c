"""The file format of a campaign plan (``rulesets/campaigns/*.yaml``) as attrs classes.

These classes are what the shared converter structures a YAML file into (unknown keys are
errors). They hold the plan as written; :mod:`emulation_rules.campaigns.definition`
checks them and adds the calendar arithmetic.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.model.common import Citation, Text


class Level(enum.Enum):
    """The level of government that issued a plan."""

    NATIONAL = "national"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    ECONOMIC_ZONE = "economic_zone"


class Reading(enum.Enum):
    """How a deadline date reads.

    ``before`` ("trước ngày 22/8/2025"): the last day on time is the day before (21/8);
    ``by`` ("đến ngày", "hạn"): the date itself is still on time.
    """

    BEFORE = "before"
    BY = "by"


class ReviewKind(enum.Enum):
    """An interim review (sơ kết) closes a phase; the final review (tổng kết) the campaign."""

    INTERIM = "interim"
    FINAL = "final"


@attrs.frozen
class AuthoritySpec:
    """The body that issued the plan and runs it, and until when it exists.
    ``authority_id`` names it in the register of authorities (``rulesets/authorities/``),
    whose name, dates and successor are the reference (:mod:`.authorities`)."""

    name: Text
    valid_until: date | None = None
    note: Text | None = None
    authority_id: str | None = None


@attrs.frozen
class PeriodSpec:
    """The campaign's period. ``start`` is null when the plan starts on its issuance
    (the host supplies the issue date)."""

    end: date
    start: date | None = None
    starts_on_issuance: bool = False


@attrs.frozen
class CycleSpec:
    """A programme that repeats every year: the dates in the file are those of
    ``first_year``; cycles run up to ``last_year`` (inclusive) when given."""

    first_year: int
    last_year: int | None = None
    note: Text | None = None


@attrs.frozen
class PhaseSpec:
    """A phase (đợt thi đua): its dates and the commemoration it is dedicated to.
    ``start`` is null only for the first phase of a plan that starts on issuance."""

    id: str
    title: Text
    end: date
    start: date | None = None
    dedicated_to: Text | None = None


@attrs.frozen
class ReviewSpec:
    """A review after a phase: interim (sơ kết) or, after the last phase, final (tổng kết).
    ``report`` names the report it needs, if the plan sets one."""

    id: str
    kind: ReviewKind
    after_phase: str
    title: Text
    report: str | None = None


@attrs.frozen
class ReportSpec:
    """A report deadline. ``reports_on`` is a phase id or ``campaign``; ``wording`` is the
    plan's own words; ``reading`` how the date reads. ``early`` says the plan sets the
    deadline before what it reports on has ended (the report may then be sent from the
    start of that phase); without it such a deadline is an error. ``sender`` and
    ``recipient`` are register ids (``rulesets/authorities/``) of who sends and who
    receives it, when the plan names them."""

    id: str
    title: Text
    reports_on: str
    due: date
    reading: Reading
    wording: str
    early: bool = False
    note: Text | None = None
    sender: str | None = None
    recipient: str | None = None


@attrs.frozen
class QuotaSpec:
    """The most awards a round may give: collectives and individuals (null: no limit)."""

    collectives: int | None = None
    individuals: int | None = None


@attrs.frozen
class AwardRoundSpec:
    """An award round held at a review: the award, who gives it, and its quota.
    ``authority_id`` names the deciding body in the register of authorities; ``authority``
    is its display name there."""

    id: str
    review: str
    award: Text
    authority: Text
    quota: QuotaSpec | None = None
    authority_valid_until: date | None = None
    note: Text | None = None
    authority_id: str | None = None


class UndatedKind(enum.Enum):
    """What an undated step is: a report or awards."""

    REPORT = "report"
    AWARDS = "awards"


@attrs.frozen
class UndatedStepSpec:
    """A report or an award the plan sets after a phase or the campaign without a date
    ("Kết thúc mỗi đợt ... sơ kết ... báo cáo kết quả"): recorded relative to the ends of
    the phases it follows (``after_phases``), never scheduled as a deadline. ``by`` and
    ``to`` are register ids of who acts and who receives."""

    id: str
    kind: UndatedKind
    after_phases: tuple[str, ...]
    title: Text
    wording: str
    by: str | None = None
    to: str | None = None
    note: Text | None = None


@attrs.frozen
class RecurringReviewSpec:
    """A review held every few years under a separate plan (recorded, not scheduled)."""

    id: str
    title: Text
    every_years: int
    note: Text | None = None


@attrs.frozen
class CampaignSpec:
    """One plan of one level of government, as written in its YAML file."""

    id: str
    title: Text
    level: Level
    source: Citation
    authority: AuthoritySpec
    theme: Text
    subjects: Text
    period: PeriodSpec
    phases: tuple[PhaseSpec, ...]
    reviews: tuple[ReviewSpec, ...]
    targets: tuple[str, ...]
    parent: Citation | None = None
    parent_campaign: str | None = None
    reports: tuple[ReportSpec, ...] = ()
    award_rounds: tuple[AwardRoundSpec, ...] = ()
    cycle: CycleSpec | None = None
    recurring_reviews: tuple[RecurringReviewSpec, ...] = ()
    note: Text | None = None
    undated: tuple[UndatedStepSpec, ...] = ()
