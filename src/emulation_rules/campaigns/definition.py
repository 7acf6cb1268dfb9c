"""A checked campaign definition: the plan's spec plus its calendar.

:func:`check_spec` validates a :class:`CampaignSpec` (phases contiguous and inside the
period, deadlines after what they report on, references that resolve) and returns a
:class:`CampaignDefinition`. Every error names the file, the line and the field.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import attrs

from emulation_rules.campaigns.spec import (
    AwardRoundSpec,
    CampaignSpec,
    PhaseSpec,
    Reading,
    ReportSpec,
    ReviewKind,
    ReviewSpec,
)
from emulation_rules.errors import Bilingual, CampaignError, PathPart, RuleSetError
from emulation_rules.formatting import date_text
from emulation_rules.model.converter import converter

CAMPAIGN = "campaign"
"""The ``reports_on`` value of a report on the whole campaign."""

DRAFT, ISSUED, LAUNCHED = "draft", "issued", "launched"
AWARDING, CLOSED, CANCELLED = "awarding", "closed", "cancelled"
"""The fixed lifecycle states (phases and reviews come between ``launched`` and
``awarding``)."""

RESERVED_IDS = frozenset({CAMPAIGN, DRAFT, ISSUED, LAUNCHED, AWARDING, CLOSED, CANCELLED, "start"})
"""Names of the fixed lifecycle states: phase and review ids must differ from them."""

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ONE_DAY = timedelta(days=1)
MARGIN = timedelta(days=366)
"""How far before the period and after its end (or its last report deadline) an
instance's operations may be dated: a plan is prepared, and its awards decided, within a
year of it."""

ErrorAt = Callable[[Bilingual, tuple[PathPart, ...]], RuleSetError]


def last_day_on_time(report: ReportSpec) -> date:
    """The last day a report is on time: the day before ``due`` for "trước ngày"."""
    return report.due - ONE_DAY if report.reading is Reading.BEFORE else report.due


@attrs.frozen(eq=False)
class CampaignDefinition:
    """A checked plan. Immutable; compile its lifecycle once (:attr:`lifecycle`) and start
    as many instances as needed (:meth:`start`)."""

    spec: CampaignSpec
    file: str
    sha256: str
    states: tuple[str, ...] = attrs.field(init=False, repr=False)
    """Every lifecycle state in order: ``draft``, ``issued``, ``launched``, each phase
    followed by its review (if any), ``awarding``, ``closed``, then ``cancelled``
    (worked out once, here; every other part reads it)."""
    rank: dict[str, int] = attrs.field(init=False, repr=False, eq=False)
    """Each state's position in :attr:`states` (``cancelled`` last)."""
    memo: dict[str, object] = attrs.field(init=False, factory=dict, repr=False, eq=False)
    """Things compiled once per definition by higher layers (the lifecycle)."""

    def __attrs_post_init__(self) -> None:
        order: list[str] = [DRAFT, ISSUED, LAUNCHED]
        for phase in self.spec.phases:
            order.append(phase.id)
            review = self.review_after(phase.id)
            if review is not None:
                order.append(review.id)
        states = (*order, AWARDING, CLOSED, CANCELLED)
        object.__setattr__(self, "states", states)
        object.__setattr__(self, "rank", {name: i for i, name in enumerate(states)})

    @property
    def id(self) -> str:
        """The definition's id (the file's ``id``)."""
        return self.spec.id

    @property
    def phases(self) -> tuple[PhaseSpec, ...]:
        """The phases, in order."""
        return self.spec.phases

    # -- lookups ----------------------------------------------------------------
    def phase(self, phase_id: str) -> PhaseSpec:
        """The phase with that id."""
        for phase in self.spec.phases:
            if phase.id == phase_id:
                return phase
        raise CampaignError(
            f"{self.id}: no phase {phase_id!r}",
            message_vi=f"{self.id}: không có đợt {phase_id!r}",
        )

    def report(self, report_id: str) -> ReportSpec:
        """The report with that id."""
        for report in self.spec.reports:
            if report.id == report_id:
                return report
        known = ", ".join(r.id for r in self.spec.reports) or "none"
        raise CampaignError(
            f"{self.id}: no report {report_id!r} (known: {known})",
            message_vi=f"{self.id}: không có báo cáo {report_id!r} (các báo cáo: {known})",
        )

    def review(self, review_id: str) -> ReviewSpec:
        """The review with that id."""
        for review in self.spec.reviews:
            if review.id == review_id:
                return review
        raise CampaignError(
            f"{self.id}: no review {review_id!r}",
            message_vi=f"{self.id}: không có đợt sơ kết, tổng kết {review_id!r}",
        )

    def review_after(self, phase_id: str) -> ReviewSpec | None:
        """The review held after a phase, if any."""
        for review in self.spec.reviews:
            if review.after_phase == phase_id:
                return review
        return None

    def award_round(self, round_id: str) -> AwardRoundSpec:
        """The award round with that id."""
        for award in self.spec.award_rounds:
            if award.id == round_id:
                return award
        known = ", ".join(a.id for a in self.spec.award_rounds) or "none"
        raise CampaignError(
            f"{self.id}: no award round {round_id!r} (known: {known})",
            message_vi=f"{self.id}: không có đợt khen thưởng {round_id!r} (các đợt: {known})",
        )

    @property
    def final_review(self) -> ReviewSpec:
        """The final review (tổng kết)."""
        return next(r for r in self.spec.reviews if r.kind is ReviewKind.FINAL)

    @property
    def final_report(self) -> ReportSpec | None:
        """The report the final review needs, if the plan sets one."""
        report_id = self.final_review.report
        return self.report(report_id) if report_id else None

    # -- calendar ---------------------------------------------------------------
    def phase_start(self, index: int, issued_on: date | None) -> date | None:
        """The first day of phase ``index`` (the issue date for a plan that starts on
        issuance; ``None`` while that date is unknown)."""
        start = self.spec.phases[index].start
        return start if start is not None else issued_on

    def phase_on(self, day: date, issued_on: date | None = None) -> PhaseSpec | None:
        """The phase running on ``day``, or ``None`` outside every phase."""
        for index, phase in enumerate(self.spec.phases):
            start = self.phase_start(index, issued_on)
            if start is not None and start <= day <= phase.end:
                return phase
        return None

    def opens(self, report: ReportSpec, issued_on: date | None = None) -> date | None:
        """The first day a report may be sent: the day after what it reports on ends, or,
        for an ``early`` deadline, the first day of what it reports on."""
        if report.reports_on == CAMPAIGN:
            first = self.phase_start(0, issued_on)
            end = self.spec.phases[-1].end
        else:
            index = self.phase_index(report.reports_on)
            first = self.phase_start(index, issued_on)
            end = self.spec.phases[index].end
        return first if report.early else end + ONE_DAY

    def period_text(self) -> str:
        """The plan's period as the user reads it (``2024-08-19 – 2025-08-19``)."""
        period = self.spec.period
        start = "on issuance" if period.start is None else period.start.isoformat()
        return f"{start} – {period.end}"

    def dated_window(self) -> tuple[date, date]:
        """The first and the last day an operation on an instance may carry: from a year
        before the period starts (before its first phase ends, for a plan that starts on
        issuance) to a year after the later of the period's end and its last report
        deadline. Starting, issuing and launching also end with the period
        (:meth:`check_date`)."""
        spec = self.spec
        first = spec.period.start if spec.period.start is not None else spec.phases[0].end
        last = max([spec.period.end, *(last_day_on_time(r) for r in spec.reports)])
        return first - MARGIN, last + MARGIN

    def check_date(self, on: date, operation: str) -> Bilingual | None:
        """Why ``operation`` may not be dated ``on`` for this plan (``None``: it may).

        ``start``, ``issue`` and ``launch`` run from :meth:`dated_window`'s first day to
        the period's end; everything else (reports, reviews, awards, closing, cancelling)
        to the window's last day."""
        first, last = self.dated_window()
        if operation in ("start", "issue", "launch"):
            last = self.spec.period.end
        if first <= on <= last:
            return None
        return Bilingual(
            f"{on} is outside the period of {self.id} ({self.period_text()}): {operation} "
            f"may be dated from {first} to {last}",
            f"ngày {date_text(on, 'vi')} nằm ngoài thời gian của {self.id}: thao tác "
            f"{operation} chỉ được ghi ngày từ {date_text(first, 'vi')} đến "
            f"{date_text(last, 'vi')}",
        )

    def phase_index(self, phase_id: str) -> int:
        """The position of a phase."""
        for index, phase in enumerate(self.spec.phases):
            if phase.id == phase_id:
                return index
        raise CampaignError(
            f"{self.id}: no phase {phase_id!r}",
            message_vi=f"{self.id}: không có đợt {phase_id!r}",
        )

    def authority_valid_on(self, day: date) -> bool:
        """Whether the issuing authority still exists on ``day`` (districts and their
        steering committees were abolished on 01/7/2025)."""
        until = self.spec.authority.valid_until
        return until is None or day <= until

    def for_cycle(self, year: int) -> CampaignDefinition:
        """The definition of one year of a yearly programme (its dates moved to ``year``)."""
        cycle = self.spec.cycle
        if cycle is None:
            raise CampaignError(
                f"{self.id} is not a yearly programme",
                message_vi=f"{self.id} không phải chương trình thi đua hằng năm",
            )
        if year < cycle.first_year or (cycle.last_year is not None and year > cycle.last_year):
            last = cycle.last_year if cycle.last_year is not None else "…"
            raise CampaignError(
                f"{self.id}: no cycle {year} (cycles {cycle.first_year}–{last})",
                path=("cycle",),
                message_vi=f"{self.id}: không có năm {year} (các năm {cycle.first_year}–{last})",
            )
        if year == cycle.first_year:
            return self
        shift = year - cycle.first_year
        data = converter.unstructure(self.spec)
        data["id"] = f"{self.spec.id}-{year}"
        data["cycle"] = None
        _shift_dates(data, shift, skip={"source", "parent", "authority", "award_rounds"})
        spec = converter.structure(data, CampaignSpec)
        return CampaignDefinition(spec, self.file, _sha256(spec))


def _shift_dates(data: Any, years: int, skip: set[str]) -> None:
    """Move the ISO dates of a plan's schedule by whole years (in place)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in skip:
                continue
            if key in {"start", "end", "due"} and isinstance(value, str):
                old = date.fromisoformat(value)
                year = old.year + years
                leap_day = (old.month, old.day) == (2, 29) and not calendar.isleap(year)
                data[key] = old.replace(year=year, day=28 if leap_day else old.day).isoformat()
            else:
                _shift_dates(value, years, skip)
    elif isinstance(data, list):
        for item in data:
            _shift_dates(item, years, skip)


def _vi(day: date | None) -> str:
    """A date as a Vietnamese reader writes it (``—`` when unknown)."""
    return date_text(day, "vi") if day is not None else "—"


def _sha256(spec: CampaignSpec) -> str:
    text = json.dumps(converter.unstructure(spec), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_spec(spec: CampaignSpec, *, file: str, error: ErrorAt) -> CampaignDefinition:
    """Validate a structured plan; ``error(message, path)`` builds the located error."""
    _Checker(spec, error).run()
    return CampaignDefinition(spec, file, _sha256(spec))


class _Checker:
    def __init__(self, spec: CampaignSpec, error: ErrorAt) -> None:
        self.spec = spec
        self.error = error

    def fail(self, en: str, vi: str, path: tuple[PathPart, ...]) -> RuleSetError:
        """The located error, in English and Vietnamese."""
        return self.error(Bilingual(en, vi), path)

    def run(self) -> None:
        spec = self.spec
        if not _ID_RE.match(spec.id):
            raise self.fail(
                f"campaign id {spec.id!r} must be lower-case-with-dashes",
                f"mã kế hoạch {spec.id!r} phải viết thường, nối bằng dấu gạch ngang",
                ("id",),
            )
        if not spec.targets:
            raise self.fail(
                "name the targets rule set(s) the campaign is measured by",
                "hãy nêu bộ chỉ tiêu dùng để đánh giá phong trào",
                ("targets",),
            )
        self._ids()
        self._period()
        self._phases()
        self._reviews()
        self._reports()
        self._awards()
        self._authority()
        self._undated()

    def _ids(self) -> None:
        seen: dict[str, tuple[PathPart, ...]] = {}
        groups: list[tuple[str, tuple[Any, ...]]] = [
            ("phases", self.spec.phases),
            ("reviews", self.spec.reviews),
            ("reports", self.spec.reports),
            ("award_rounds", self.spec.award_rounds),
        ]
        for group, items in groups:
            for i, item in enumerate(items):
                path: tuple[PathPart, ...] = (group, i, "id")
                if not _ID_RE.match(item.id) or item.id in RESERVED_IDS:
                    raise self.fail(
                        f"id {item.id!r} must be lower-case-with-dashes and not one of "
                        f"{', '.join(sorted(RESERVED_IDS))}",
                        f"mã {item.id!r} phải viết thường, nối bằng dấu gạch ngang và không "
                        f"trùng với {', '.join(sorted(RESERVED_IDS))}",
                        path,
                    )
                if item.id in seen:
                    raise self.fail(f"duplicate id {item.id!r}", f"mã {item.id!r} bị trùng", path)
                seen[item.id] = path

    def _period(self) -> None:
        period = self.spec.period
        if period.starts_on_issuance:
            if period.start is not None:
                raise self.fail(
                    "a plan that starts on issuance has no fixed start",
                    "kế hoạch bắt đầu từ ngày ban hành thì không ghi ngày bắt đầu cố định",
                    ("period", "start"),
                )
        elif period.start is None:
            raise self.fail(
                "give the start date, or starts_on_issuance: true",
                "hãy ghi ngày bắt đầu, hoặc starts_on_issuance: true",
                ("period", "start"),
            )
        elif period.start > period.end:
            raise self.fail(
                f"the period starts ({period.start}) after it ends ({period.end})",
                f"thời gian thực hiện bắt đầu ({_vi(period.start)}) sau ngày kết thúc "
                f"({_vi(period.end)})",
                ("period", "end"),
            )
        issued = self.spec.source.date
        if issued is not None and issued > period.end:
            raise self.fail(
                f"the plan is dated {issued}, after its period ends ({period.end})",
                f"kế hoạch ban hành ngày {_vi(issued)}, sau khi hết thời gian thực hiện "
                f"({_vi(period.end)})",
                ("period", "end"),
            )
        cycle = self.spec.cycle
        if cycle is not None:
            if period.start is not None and period.start.year != cycle.first_year:
                raise self.fail(
                    f"the dates must be those of the first cycle {cycle.first_year}",
                    f"các ngày phải là ngày của năm đầu tiên {cycle.first_year}",
                    ("period", "start"),
                )
            if cycle.last_year is not None and cycle.last_year < cycle.first_year:
                raise self.fail(
                    f"last_year ({cycle.last_year}) is before first_year ({cycle.first_year})",
                    f"năm cuối ({cycle.last_year}) trước năm đầu ({cycle.first_year})",
                    ("cycle", "last_year"),
                )

    def _phases(self) -> None:
        phases = self.spec.phases
        period = self.spec.period
        if not phases:
            raise self.fail(
                "a campaign needs at least one phase",
                "phong trào phải có ít nhất một đợt",
                ("phases",),
            )
        previous_end: date | None = None
        for i, phase in enumerate(phases):
            here: tuple[PathPart, ...] = ("phases", i)
            if phase.start is None:
                if i != 0 or not period.starts_on_issuance:
                    raise self.fail(
                        "only the first phase of a plan that starts on issuance may have "
                        "no start date",
                        "chỉ đợt đầu của kế hoạch bắt đầu từ ngày ban hành mới được để trống "
                        "ngày bắt đầu",
                        (*here, "start"),
                    )
            elif phase.start > phase.end:
                raise self.fail(
                    f"phase {phase.id} starts ({phase.start}) after it ends ({phase.end})",
                    f"đợt {phase.id} bắt đầu ({_vi(phase.start)}) sau ngày kết thúc "
                    f"({_vi(phase.end)})",
                    (*here, "end"),
                )
            if i == 0 and phase.start != period.start:
                raise self.fail(
                    f"the first phase must start with the period ({period.start})",
                    f"đợt đầu phải bắt đầu cùng thời gian thực hiện ({_vi(period.start)})",
                    (*here, "start"),
                )
            if previous_end is not None and phase.start is not None:
                if phase.start <= previous_end:
                    raise self.fail(
                        f"phase {phase.id} overlaps the phase before it (which ends "
                        f"{previous_end})",
                        f"đợt {phase.id} trùng thời gian với đợt trước (kết thúc ngày "
                        f"{_vi(previous_end)})",
                        (*here, "start"),
                    )
                if phase.start != previous_end + ONE_DAY:
                    raise self.fail(
                        f"phase {phase.id} must start the day after the phase before it "
                        f"ends ({previous_end + ONE_DAY}), not {phase.start}",
                        f"đợt {phase.id} phải bắt đầu ngay sau khi đợt trước kết thúc "
                        f"({_vi(previous_end + ONE_DAY)}), không phải {_vi(phase.start)}",
                        (*here, "start"),
                    )
            if phase.end > period.end:
                raise self.fail(
                    f"phase {phase.id} ends ({phase.end}) after the period ({period.end})",
                    f"đợt {phase.id} kết thúc ({_vi(phase.end)}) sau thời gian thực hiện "
                    f"({_vi(period.end)})",
                    (*here, "end"),
                )
            previous_end = phase.end

    def _reviews(self) -> None:
        phase_ids = [p.id for p in self.spec.phases]
        finals = [r for r in self.spec.reviews if r.kind is ReviewKind.FINAL]
        if len(finals) != 1:
            raise self.fail(
                "a campaign needs exactly one final review",
                "phong trào phải có đúng một đợt tổng kết",
                ("reviews",),
            )
        reviewed: set[str] = set()
        report_ids = {r.id for r in self.spec.reports}
        for i, review in enumerate(self.spec.reviews):
            here: tuple[PathPart, ...] = ("reviews", i)
            if review.after_phase not in phase_ids:
                raise self.fail(
                    f"no phase {review.after_phase!r}",
                    f"không có đợt {review.after_phase!r}",
                    (*here, "after_phase"),
                )
            if review.after_phase in reviewed:
                raise self.fail(
                    f"phase {review.after_phase} already has a review",
                    f"đợt {review.after_phase} đã có sơ kết",
                    (*here, "after_phase"),
                )
            reviewed.add(review.after_phase)
            is_last = review.after_phase == phase_ids[-1]
            if review.kind is ReviewKind.FINAL and not is_last:
                raise self.fail(
                    "the final review follows the last phase",
                    "tổng kết phải sau đợt cuối cùng",
                    (*here, "after_phase"),
                )
            if review.kind is ReviewKind.INTERIM and is_last:
                raise self.fail(
                    "the review after the last phase is the final review",
                    "đợt đánh giá sau đợt cuối cùng là tổng kết",
                    (*here, "kind"),
                )
            if review.report is not None and review.report not in report_ids:
                raise self.fail(
                    f"no report {review.report!r}",
                    f"không có báo cáo {review.report!r}",
                    (*here, "report"),
                )

    def _reports(self) -> None:
        phase_ids = {p.id for p in self.spec.phases}
        for i, report in enumerate(self.spec.reports):
            here: tuple[PathPart, ...] = ("reports", i)
            if report.reports_on != CAMPAIGN and report.reports_on not in phase_ids:
                raise self.fail(
                    f"reports_on must be a phase id or {CAMPAIGN!r}, not {report.reports_on!r}",
                    f"reports_on phải là mã một đợt hoặc {CAMPAIGN!r}, không phải "
                    f"{report.reports_on!r}",
                    (*here, "reports_on"),
                )
            if report.reports_on == CAMPAIGN:
                start, end = self.spec.phases[0].start, self.spec.phases[-1].end
            else:
                phase = next(p for p in self.spec.phases if p.id == report.reports_on)
                start, end = phase.start, phase.end
            last = last_day_on_time(report)
            if report.early:
                if start is not None and last < start:
                    raise self.fail(
                        f"the deadline ({report.wording}: last day {last}) is before what "
                        f"it reports on starts ({start})",
                        f"hạn báo cáo ({report.wording}: ngày cuối {_vi(last)}) trước khi "
                        f"nội dung được báo cáo bắt đầu ({_vi(start)})",
                        (*here, "due"),
                    )
            elif last <= end:
                raise self.fail(
                    f"the deadline ({report.wording}: last day {last}) must come after what "
                    f"it reports on ends ({end}); if the plan really sets it earlier, "
                    "write early: true and say so in a note",
                    f"hạn báo cáo ({report.wording}: ngày cuối {_vi(last)}) phải sau khi nội "
                    f"dung được báo cáo kết thúc ({_vi(end)}); nếu kế hoạch thật sự quy định "
                    "sớm hơn, ghi early: true và nói rõ trong ghi chú",
                    (*here, "due"),
                )

    def _awards(self) -> None:
        review_ids = {r.id for r in self.spec.reviews}
        for i, award in enumerate(self.spec.award_rounds):
            here: tuple[PathPart, ...] = ("award_rounds", i)
            if award.review not in review_ids:
                raise self.fail(
                    f"no review {award.review!r}",
                    f"không có đợt sơ kết, tổng kết {award.review!r}",
                    (*here, "review"),
                )
            until = award.authority_valid_until
            begins = self.spec.period.start or self.spec.source.date
            if until is not None and begins is not None and until < begins:
                raise self.fail(
                    f"the awarding body ends ({until}) before the campaign begins ({begins}): "
                    "the round could never be decided",
                    f"cấp khen thưởng chấm dứt hoạt động ({_vi(until)}) trước khi phong trào "
                    f"bắt đầu ({_vi(begins)}): đợt khen thưởng không thể được quyết định",
                    (*here, "authority_valid_until"),
                )
            quota = award.quota
            if quota is not None:
                for name in ("collectives", "individuals"):
                    value = getattr(quota, name)
                    if value is not None and value < 0:
                        raise self.fail(
                            "a quota cannot be negative",
                            "số lượng khen thưởng không được âm",
                            (*here, "quota", name),
                        )

    def _undated(self) -> None:
        phase_ids = {p.id for p in self.spec.phases}
        for i, step in enumerate(self.spec.undated):
            if not step.after_phases:
                raise self.fail(
                    "name the phase(s) the step follows",
                    "ghi (các) đợt mà bước này diễn ra sau khi kết thúc",
                    ("undated", i, "after_phases"),
                )
            for j, phase_id in enumerate(step.after_phases):
                if phase_id not in phase_ids:
                    raise self.fail(
                        f"no phase {phase_id!r}",
                        f"không có đợt {phase_id!r}",
                        ("undated", i, "after_phases", j),
                    )

    def _authority(self) -> None:
        until = self.spec.authority.valid_until
        issued = self.spec.source.date
        if until is not None and issued is not None and until < issued:
            raise self.fail(
                f"the authority ends ({until}) before the plan was issued ({issued})",
                f"cơ quan ban hành chấm dứt hoạt động ({_vi(until)}) trước ngày ban hành kế "
                f"hoạch ({_vi(issued)})",
                ("authority", "valid_until"),
            )
