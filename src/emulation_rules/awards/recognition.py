"""Typical-unit recognition (xét, công nhận đơn vị điển hình): the yearly cycle as data.

A :class:`Procedure` is read from ``rulesets/recognition/<id>.yaml`` (the shipped
``hau-loc``, Kế hoạch 99/KH-BCĐ, mục II.2, V.3, V.4): the cycle (units selected in the
first quarter against the prerequisites, recognised once a year at the end of the year),
the criteria sets, the documents of the dossier, and the recognising **authorities with
the dates they are in force** — the recognising level is data, not code, because the
district steering committee named in 2024 was abolished on 01/7/2025.

:func:`recognise` combines a verdict (a unit evaluated against ``typical-commune`` or
``typical-organisation``, whose verdict carries the ``typical-prerequisites`` result),
a checked dossier and the cycle into a :class:`Recognition`: recognised, not recognised
(failing criteria named), prerequisite not met, undetermined, or dossier not ready.

>>> from datetime import date
>>> import emulation_rules as er
>>> from emulation_rules.awards import recognition as rec, dossier as dos
>>> proc = rec.load_procedure("hau-loc")                        # doctest: +SKIP
>>> cycle = proc.cycle(2024)                                   # doctest: +SKIP
>>> rs = er.Library().load("typical-commune", on=cycle.on)      # doctest: +SKIP
>>> verdict = rs.evaluate(evidence, explain=True)               # doctest: +SKIP
>>> d = dos.parse_dossier(data, kinds=proc.document_kinds)      # doctest: +SKIP
>>> result = rec.recognise(proc, verdict, d, year=2024)         # doctest: +SKIP
>>> result.outcome, result.authority.recogniser.vi              # doctest: +SKIP
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs

from emulation_rules.awards.dossier import DocumentSpec, Dossier, DossierCheck, check_dossier
from emulation_rules.errors import Bilingual as B
from emulation_rules.errors import EvidenceError, NotFoundError, Problem, RuleSetError
from emulation_rules.evaluation.wording import missing_names
from emulation_rules.formatting import date_text
from emulation_rules.loading.catalogue import is_yaml_name, shipped_folder
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml, read_source
from emulation_rules.model.common import Citation, Text
from emulation_rules.model.ruleset import FactSpec
from emulation_rules.model.verdict import PrerequisiteResult, RuleSetRef, Status, Verdict
from emulation_rules.text import nfc


@attrs.frozen
class MonthDay:
    """A day of the year (``{month: 12, day: 31}``), placed in a cycle year by :meth:`of`."""

    month: int
    day: int

    def of(self, year: int) -> date:
        """This day in ``year``."""
        return date(year, self.month, self.day)


@attrs.frozen
class CycleSpec:
    """The yearly cycle: first (and last, if any) year, the end of the selection of
    candidates (first quarter) and the default recognition day (end of the year)."""

    first_year: int
    selection_end: MonthDay
    recognition: MonthDay
    last_year: int | None = None
    note: Text | None = None
    source: Citation | None = None


@attrs.frozen
class CriteriaSetRef:
    """A criteria set the procedure recognises against, and the units it is for."""

    ruleset: str
    units: Text


@attrs.frozen
class Authority:
    """Who recognises, who proposes, who evaluates, where the dossier goes, and from when
    until when (inclusive; ``valid_until`` ``None`` = open). ``assumption`` is set when
    the entry is this data's assumption rather than a cited text, and says so.
    ``register_id`` names the recogniser in the register of authorities
    (``rulesets/authorities/``), whose name it displays."""

    id: str
    level: str
    recogniser: Text
    proposer: Text
    evaluator: Text
    dossier_to: Text
    valid_from: date
    source: Citation
    valid_until: date | None = None
    assumption: Text | None = None
    register_id: str | None = None

    def in_force(self, day: date) -> bool:
        """Whether the authority exists and recognises on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@attrs.frozen
class ProcedureSpec:
    """The file format of ``rulesets/recognition/*.yaml``."""

    id: str
    title: Text
    source: Citation
    cycle: CycleSpec
    prerequisites: str
    criteria_sets: tuple[CriteriaSetRef, ...]
    authorities: tuple[Authority, ...]
    documents: tuple[DocumentSpec, ...]
    campaign: str | None = None


@attrs.frozen
class Cycle:
    """One year of the programme: when candidates had to be selected by, the recognition
    date, and the authority in force on it."""

    year: int
    selection_end: date
    on: date
    authority: Authority


@attrs.frozen
class Procedure:
    """A checked recognition procedure (immutable)."""

    spec: ProcedureSpec
    file: str

    @property
    def id(self) -> str:
        """The procedure's id (``hau-loc``)."""
        return self.spec.id

    @property
    def document_kinds(self) -> tuple[str, ...]:
        """The kinds of the documents the dossier must hold, in order."""
        return tuple(d.kind for d in self.spec.documents)

    @property
    def rulesets(self) -> tuple[str, ...]:
        """The ids of the criteria sets."""
        return tuple(c.ruleset for c in self.spec.criteria_sets)

    def check_year(self, year: int) -> None:
        """Raise :class:`NotFoundError` when ``year`` is not a cycle of the programme."""
        c = self.spec.cycle
        if year < c.first_year or (c.last_year is not None and year > c.last_year):
            last = c.last_year if c.last_year is not None else "…"
            raise NotFoundError(
                f"{self.id}: no cycle {year} (cycles {c.first_year}–{last})",
                message_vi=f"{self.id}: không có đợt xét năm {year} "
                f"(các năm {c.first_year}–{last})",
                path=("year",),
            )

    def recognition_date(self, year: int) -> date:
        """The default recognition date of the cycle ``year`` (the data's end-of-year day)."""
        self.check_year(year)
        return self.spec.cycle.recognition.of(year)

    def authority_on(self, day: date) -> Authority:
        """The recognising authority in force on ``day``; NotFoundError when none is."""
        for authority in self.spec.authorities:
            if authority.in_force(day):
                return authority
        raise NotFoundError(
            f"{self.id}: no recognising authority in force on {day.isoformat()}",
            message_vi=f"{self.id}: ngày {date_text(day, 'vi')} không có cấp công nhận nào "
            "còn thẩm quyền",
            path=("on",),
        )

    def cycle(self, year: int, on: date | None = None) -> Cycle:
        """The cycle ``year`` recognised on ``on`` (default: :meth:`recognition_date`).

        ``on`` must fall after the cycle's selection (first quarter) and no later than the
        end of the next year's first quarter; the authority is the one in force on ``on``.
        """
        self.check_year(year)
        selection_end = self.spec.cycle.selection_end.of(year)
        day = on if on is not None else self.recognition_date(year)
        latest = self.spec.cycle.selection_end.of(year + 1)
        if not selection_end < day <= latest:
            raise NotFoundError(
                f"{self.id}: recognition date {day.isoformat()} is outside cycle {year} "
                f"(after {selection_end.isoformat()}, no later than {latest.isoformat()})",
                message_vi=f"{self.id}: ngày công nhận {date_text(day, 'vi')} nằm ngoài đợt xét "
                f"năm {year} (phải sau ngày {date_text(selection_end, 'vi')} và không muộn hơn "
                f"ngày {date_text(latest, 'vi')})",
                path=("on",),
            )
        return Cycle(year, selection_end, day, self.authority_on(day))


def shipped_procedures_folder() -> Traversable:
    """The ``rulesets/recognition/`` folder shipped with the library."""
    return shipped_folder().joinpath("recognition")


def parse_procedure(text: str, file: str) -> Procedure:
    """Parse and check the text of a procedure file reported as ``file``; RuleSetError
    (with file, line and field) when it is malformed or inconsistent."""
    doc = parse_yaml(text, file)
    spec: ProcedureSpec = structure_spec(doc, ProcedureSpec)
    _check(spec, doc)
    return Procedure(spec, file)


def load_procedure(id_or_path: str | Path = "hau-loc") -> Procedure:
    """A shipped procedure by id (``hau-loc``) or a procedure file by path (``.yaml``)."""
    name = str(id_or_path)
    if isinstance(id_or_path, Path) or is_yaml_name(name):
        source: Traversable | Path = Path(name)
    else:
        source = shipped_procedures_folder().joinpath(f"{name}.yaml")
        if not source.is_file():
            known = sorted(
                c.name[:-5]
                for c in shipped_procedures_folder().iterdir()
                if c.name.endswith(".yaml")
            )
            raise NotFoundError(
                f"no recognition procedure {name!r} (known: {', '.join(known) or 'none'})",
                message_vi=f"không có quy trình công nhận {name!r} "
                f"(các quy trình: {', '.join(known) or 'chưa có'})",
            )
    return parse_procedure(read_source(source, name), name)


def _check(spec: ProcedureSpec, doc: SourceDoc) -> None:
    _check_cycle(spec, doc)
    _check_authorities(spec, doc)
    _check_documents(spec, doc)


def _check_cycle(spec: ProcedureSpec, doc: SourceDoc) -> None:
    c = spec.cycle
    for key, md in (("selection_end", c.selection_end), ("recognition", c.recognition)):
        try:
            md.of(2024)  # a leap year: 29 February is accepted
        except ValueError as exc:
            raise doc.error(
                B(f"not a day of the year: {exc}", f"không phải một ngày trong năm: {exc}"),
                ("cycle", key),
            ) from None
    if c.last_year is not None and c.last_year < c.first_year:
        raise doc.error(
            B("last_year is before first_year", "last_year ở trước first_year"),
            ("cycle", "last_year"),
        )
    if not c.selection_end.of(2024) < c.recognition.of(2024):
        raise doc.error(
            B(
                "the recognition day must come after the selection",
                "ngày công nhận phải sau thời hạn lựa chọn",
            ),
            ("cycle",),
        )
    if not spec.criteria_sets:
        raise doc.error(
            B("at least one criteria set is needed", "cần ít nhất một bộ tiêu chí"),
            ("criteria_sets",),
        )


def _check_authorities(spec: ProcedureSpec, doc: SourceDoc) -> None:
    if not spec.authorities:
        raise doc.error(
            B("at least one authority is needed", "cần ít nhất một cấp công nhận"), ("authorities",)
        )
    seen: set[str] = set()
    for i, a in enumerate(spec.authorities):
        if a.id in seen:
            raise doc.error(
                B(f"authority {a.id!r} given twice", f"cấp công nhận {a.id!r} được ghi hai lần"),
                ("authorities", i, "id"),
            )
        seen.add(a.id)
        if a.valid_until is not None and a.valid_until < a.valid_from:
            raise doc.error(
                B("valid_until is before valid_from", "valid_until ở trước valid_from"),
                ("authorities", i, "valid_until"),
            )
        if i:
            prev = spec.authorities[i - 1]
            if prev.valid_until is None or prev.valid_until >= a.valid_from:
                raise doc.error(
                    B(
                        f"overlaps {prev.id!r}: authorities must follow one another in time",
                        f"trùng thời gian với {prev.id!r}: các cấp công nhận phải nối tiếp nhau",
                    ),
                    ("authorities", i, "valid_from"),
                )


def _check_documents(spec: ProcedureSpec, doc: SourceDoc) -> None:
    kinds: set[str] = set()
    for i, d in enumerate(spec.documents):
        if d.kind in kinds:
            raise doc.error(
                B(
                    f"document kind {d.kind!r} given twice",
                    f"loại văn bản {d.kind!r} được ghi hai lần",
                ),
                ("documents", i, "kind"),
            )
        kinds.add(d.kind)
    if not kinds:
        raise doc.error(
            B("at least one document is needed", "cần ít nhất một văn bản"), ("documents",)
        )


class RecognitionOutcome(enum.Enum):
    """The outcome of a recognition."""

    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    PREREQUISITE_NOT_MET = "prerequisite_not_met"
    UNDETERMINED = "undetermined"
    DOSSIER_NOT_READY = "dossier_not_ready"


OUTCOME_TEXT = {
    RecognitionOutcome.RECOGNISED: Text("Công nhận", "Recognised"),
    RecognitionOutcome.NOT_RECOGNISED: Text("Không công nhận", "Not recognised"),
    RecognitionOutcome.PREREQUISITE_NOT_MET: Text(
        "Không công nhận (chưa đáp ứng điều kiện lựa chọn)",
        "Not recognised (prerequisite not met)",
    ),
    RecognitionOutcome.UNDETERMINED: Text("Chưa xác định", "Undetermined"),
    RecognitionOutcome.DOSSIER_NOT_READY: Text("Hồ sơ chưa đủ", "Dossier not ready"),
}
"""A short label per outcome, in Vietnamese and English."""


@attrs.frozen
class Recognition:
    """The outcome of recognising one unit for one cycle.

    ``failed_criteria`` are the criteria not met; ``failed_prerequisites`` the
    prerequisites not met, as ``rule-set/criterion`` (``typical-prerequisites/2``);
    ``unknown_criteria`` and ``missing_facts`` what left the verdict undetermined. The
    outcome is decided in this order: the dossier (not ready), the prerequisites (not
    met), the criteria (not met), then anything unknown (undetermined); all the lists are
    filled whatever the outcome.
    """

    procedure: str
    year: int
    on: date
    unit: str | None
    ruleset: RuleSetRef
    outcome: RecognitionOutcome
    reason: Text
    authority: Authority
    failed_criteria: tuple[str, ...]
    failed_prerequisites: tuple[str, ...]
    unknown_criteria: tuple[str, ...]
    missing_facts: tuple[str, ...]
    dossier: DossierCheck
    verdict: Verdict


def recognise(
    procedure: Procedure,
    verdict: Verdict,
    dossier: Dossier,
    *,
    year: int,
    on: date | None = None,
    facts: Mapping[str, FactSpec] | None = None,
) -> Recognition:
    """Decide the recognition of the unit of ``verdict`` in the cycle ``year``.

    ``on`` is the recognition date (default: the cycle's); the authority is the one in
    force on it. The verdict must come from one of the procedure's criteria sets and
    carry the result of its prerequisites; the dossier must be for the same year and
    unit when it names them. Raises NotFoundError (no such cycle, no authority, not a
    criteria set of the procedure), RuleSetError (no prerequisite result) or
    EvidenceError (dossier for another unit or year).

    ``facts`` (the rule set's, ``rs.facts``) names the missing facts of the Vietnamese
    reason by their labels; without it they are named by their ids.
    """
    cycle = procedure.cycle(year, on)
    _check_criteria_set(procedure, verdict)
    pres = _prerequisite_results(procedure, verdict)
    _check_dossier_matches(dossier, verdict, year)
    check = check_dossier(dossier, procedure.spec.documents, year=year, on=cycle.on)
    failed_pre = tuple(f"{p.ruleset.id}/{c}" for p in pres for c in p.failed)
    pre_blocked = any(p.status is Status.NOT_ELIGIBLE for p in pres)
    failed = verdict.not_met
    unknown = verdict.unknown
    missing = _missing_facts(verdict, pres)
    outcome = _decide(verdict, check, pre_blocked, failed)
    named = missing_names(missing, facts, "vi") if facts is not None else list(missing)
    reason = _reason(outcome, verdict, check, failed, failed_pre, unknown, missing, cycle, named)
    return Recognition(
        procedure=procedure.id,
        year=year,
        on=cycle.on,
        unit=verdict.unit if verdict.unit is not None else dossier.unit,
        ruleset=verdict.ruleset,
        outcome=outcome,
        reason=reason,
        authority=cycle.authority,
        failed_criteria=failed,
        failed_prerequisites=failed_pre,
        unknown_criteria=unknown,
        missing_facts=missing,
        dossier=check,
        verdict=verdict,
    )


def _check_criteria_set(procedure: Procedure, verdict: Verdict) -> None:
    """:class:`NotFoundError` unless the verdict comes from one of the procedure's
    criteria sets."""
    if verdict.ruleset.id not in procedure.rulesets:
        raise NotFoundError(
            f"{verdict.ruleset.id} is not a criteria set of the recognition procedure "
            f"{procedure.id} ({', '.join(procedure.rulesets)})",
            message_vi=f"{verdict.ruleset.id} không phải bộ tiêu chí của quy trình công nhận "
            f"{procedure.id} ({', '.join(procedure.rulesets)})",
            path=("ruleset",),
        )


def _prerequisite_results(procedure: Procedure, verdict: Verdict) -> list[PrerequisiteResult]:
    """The verdict's results of the procedure's prerequisites; :class:`RuleSetError` when
    it carries none."""
    pre_id = procedure.spec.prerequisites
    pres = [p for p in verdict.prerequisites if p.ruleset.id == pre_id]
    if not pres:
        raise RuleSetError(
            f"the verdict of {verdict.ruleset.id} carries no result of the prerequisites "
            f"{pre_id} that {procedure.id} requires",
            message_vi=f"kết quả đánh giá theo {verdict.ruleset.id} không có kết quả của điều "
            f"kiện lựa chọn {pre_id} mà {procedure.id} yêu cầu",
            path=("prerequisites",),
        )
    return pres


def _check_dossier_matches(dossier: Dossier, verdict: Verdict, year: int) -> None:
    """:class:`EvidenceError` listing both problems at once when the dossier names another
    year than ``year`` or another unit than the verdict's."""
    problems = []
    if dossier.year is not None and dossier.year != year:
        problems.append(
            Problem(
                ("year",),
                f"the dossier is for {dossier.year}, not {year}",
                message_vi=f"hồ sơ là của năm {dossier.year}, không phải năm {year}",
            )
        )
    if (
        dossier.unit is not None
        and verdict.unit is not None
        and nfc(dossier.unit) != nfc(verdict.unit)
    ):
        problems.append(
            Problem(
                ("unit",),
                f"the dossier is for {dossier.unit!r}, the verdict for {verdict.unit!r}",
                message_vi=f"hồ sơ là của {dossier.unit!r}, kết quả đánh giá là của "
                f"{verdict.unit!r}",
            )
        )
    if problems:
        raise EvidenceError(problems, unit=dossier.unit)


def _missing_facts(verdict: Verdict, pres: list[PrerequisiteResult]) -> tuple[str, ...]:
    """The facts missing from the criteria, then from the prerequisites, each once."""
    return tuple(
        dict.fromkeys(
            [m for c in verdict.criteria for m in c.missing] + [m for p in pres for m in p.missing]
        )
    )


def _decide(
    verdict: Verdict, check: DossierCheck, pre_blocked: bool, failed: tuple[str, ...]
) -> RecognitionOutcome:
    """The outcome, in order: dossier not ready, prerequisite not met, criteria not met,
    recognised, else undetermined."""
    if not check.ready:
        return RecognitionOutcome.DOSSIER_NOT_READY
    if pre_blocked:
        return RecognitionOutcome.PREREQUISITE_NOT_MET
    if failed or verdict.status is Status.NOT_ELIGIBLE:
        return RecognitionOutcome.NOT_RECOGNISED
    if verdict.status is Status.ELIGIBLE:
        return RecognitionOutcome.RECOGNISED
    return RecognitionOutcome.UNDETERMINED


def _ids(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def _reason(
    outcome: RecognitionOutcome,
    verdict: Verdict,
    check: DossierCheck,
    failed: tuple[str, ...],
    failed_pre: tuple[str, ...],
    unknown: tuple[str, ...],
    missing: tuple[str, ...],
    cycle: Cycle,
    named: Sequence[str],
) -> Text:
    vi: list[str] = []
    en: list[str] = []
    total = len(verdict.criteria)
    met = len(verdict.met)
    if outcome is RecognitionOutcome.DOSSIER_NOT_READY:
        vi.extend(i.message.vi for i in check.issues)
        en.extend(i.message.en for i in check.issues)
    if failed_pre:
        vi.append(f"chưa đáp ứng điều kiện lựa chọn ({_ids(failed_pre)})")
        en.append(f"prerequisite not met ({_ids(failed_pre)})")
    elif outcome is RecognitionOutcome.PREREQUISITE_NOT_MET:
        vi.append("chưa đáp ứng điều kiện lựa chọn")
        en.append("prerequisite not met")
    if failed:
        vi.append(f"không đạt tiêu chí {_ids(failed)} ({met}/{total} tiêu chí đạt)")
        en.append(f"criteria not met: {_ids(failed)} ({met} of {total} met)")
    if unknown or missing:
        vi.append(
            "chưa xác định"
            + (f" tiêu chí {_ids(unknown)}" if unknown else " điều kiện lựa chọn")
            + (f", thiếu dữ liệu: {'; '.join(named)}" if missing else "")
        )
        en.append(
            "undetermined"
            + (f" criteria {_ids(unknown)}" if unknown else " prerequisites")
            + (f", missing: {_ids(missing)}" if missing else "")
        )
    if outcome is RecognitionOutcome.RECOGNISED:
        vi.append(f"đạt {met}/{total} tiêu chí và các điều kiện lựa chọn; hồ sơ đủ")
        en.append(f"{met} of {total} criteria and the prerequisites met; the dossier is complete")
    by = cycle.authority.recogniser
    word = OUTCOME_TEXT[outcome]
    return Text(
        f"{word.vi} (năm {cycle.year}, {by.vi}): " + "; ".join(vi) + ".",
        f"{word.en} ({cycle.year}, {by.en}): " + "; ".join(en) + ".",
    )


__all__ = [
    "OUTCOME_TEXT",
    "Authority",
    "CriteriaSetRef",
    "Cycle",
    "CycleSpec",
    "MonthDay",
    "Procedure",
    "ProcedureSpec",
    "Recognition",
    "RecognitionOutcome",
    "load_procedure",
    "parse_procedure",
    "recognise",
    "shipped_procedures_folder",
]
