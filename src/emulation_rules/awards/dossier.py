"""The dossier proposing a unit for recognition as typical (hồ sơ đề nghị xét, công nhận).

Kế hoạch 99/KH-BCĐ (Hậu Lộc), mục V.4, lists three documents: the proposal (tờ trình),
the report on the results against the criteria (báo cáo kết quả) and the minutes of the
review meeting (biên bản họp xét). Which documents a procedure requires is data
(:class:`DocumentSpec`, read from ``rulesets/recognition/*.yaml``).

:func:`parse_dossier` reads a dossier from parsed JSON, strictly: unknown keys, wrong
types, empty texts and unknown document kinds raise one
:class:`~emulation_rules.errors.EvidenceError` listing every problem with its path
(``documents[1].date``). :func:`check_dossier` then says whether the dossier is ready:
a required document missing, undated, dated after the recognition date or before the
cycle year, or given twice makes it not ready, with the list of issues in Vietnamese and
English.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import attrs
import cattrs

from emulation_rules.errors import Bilingual, EvidenceError, PathPart, Problem
from emulation_rules.model.common import Citation, Text
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.text import nfc_optional


@attrs.frozen
class DocumentSpec:
    """A document the dossier must hold: its kind (``proposal``), title, who issues it and
    where the procedure requires it."""

    kind: str
    title: Text
    issued_by: Text
    source: Citation


@attrs.frozen
class DossierDocument:
    """One document of a dossier as given: kind, issuer, date (``None`` when undated) and
    reference number (``15/TTr-BCĐ``; minutes often have none)."""

    kind: str
    issuer: str
    date: date | None = None
    reference: str | None = None


@attrs.frozen
class Dossier:
    """A dossier: its documents, and optionally the unit (put in Unicode NFC) and the
    cycle year it is for."""

    documents: tuple[DossierDocument, ...]
    unit: str | None = attrs.field(default=None, converter=nfc_optional)
    year: int | None = None


class IssueKind(enum.Enum):
    """Why a dossier is not ready."""

    MISSING = "missing"
    UNDATED = "undated"
    DUPLICATE = "duplicate"
    DATED_AFTER_RECOGNITION = "dated_after_recognition"
    DATED_BEFORE_CYCLE = "dated_before_cycle"


@attrs.frozen
class DossierIssue:
    """One reason a dossier is not ready: the document kind concerned, the issue, a
    sentence in Vietnamese and English, and the positions in the dossier it refers to
    (none for a missing document)."""

    kind: str
    issue: IssueKind
    message: Text
    documents: tuple[int, ...] = ()


@attrs.frozen
class DossierCheck:
    """The outcome of checking a dossier: ``ready`` when there is no issue."""

    ready: bool
    issues: tuple[DossierIssue, ...]
    present: tuple[str, ...]

    @property
    def missing(self) -> tuple[str, ...]:
        """The kinds of the required documents that are missing."""
        return tuple(i.kind for i in self.issues if i.issue is IssueKind.MISSING)

    def summary(self, lang: str) -> str:
        """One line: ``Hồ sơ đủ.`` or the issues joined by ``; ``."""
        if self.ready:
            return "Hồ sơ đủ." if lang == "vi" else "The dossier is complete."
        head = "Hồ sơ chưa đủ: " if lang == "vi" else "The dossier is not ready: "
        return head + "; ".join(i.message.get(lang) for i in self.issues) + "."


def parse_dossier(
    data: Any, *, kinds: Collection[str] | None = None, unit: str | None = None
) -> Dossier:
    """Read a dossier from parsed JSON (a mapping), strictly.

    ``kinds`` are the document kinds accepted (those of the procedure); any other kind is
    an error. Raises :class:`EvidenceError` listing every problem with its path; an absent
    or ``null`` date is not an error (the document is undated: :func:`check_dossier` makes
    the dossier not ready).
    """
    if not isinstance(data, dict):
        raise EvidenceError(
            [
                Problem(
                    (),
                    f"a dossier must be an object, got {type(data).__name__}",
                    message_vi="hồ sơ phải là một đối tượng JSON, "
                    f"không phải {type(data).__name__}",
                )
            ],
            unit=unit,
        )
    problems: list[Problem] = []
    documents = data.get("documents")
    if "documents" in data and not isinstance(documents, list):
        problems.append(
            Problem(
                ("documents",),
                f"expected a list, got {type(documents).__name__}",
                message_vi=f"cần một danh sách, nhận được {type(documents).__name__}",
            )
        )
        raise EvidenceError(problems, unit=unit)
    if isinstance(documents, list):
        for i, doc in enumerate(documents):
            if not isinstance(doc, dict):
                problems.append(
                    Problem(
                        ("documents", i),
                        f"expected an object, got {type(doc).__name__}",
                        message_vi=f"cần một đối tượng JSON, nhận được {type(doc).__name__}",
                    )
                )
    try:
        dossier = converter.structure(data, Dossier)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        seen = {p.path for p in problems}
        for path, message in structuring_problems(exc):
            if not any(path[: len(s)] == s for s in seen):
                problems.append(Problem(path, message, message_vi=message.vi))
        raise EvidenceError(_sorted(problems), unit=unit) from None
    problems.extend(_content_problems(dossier, kinds))
    if problems:
        raise EvidenceError(_sorted(problems), unit=unit)
    return dossier


NOT_EMPTY = Bilingual("must not be empty", "không được để trống")


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: tuple((isinstance(x, int), str(x)) for x in p.path))


def _content_problems(dossier: Dossier, kinds: Collection[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    if dossier.unit is not None and not dossier.unit.strip():
        problems.append(Problem(("unit",), NOT_EMPTY))
    if dossier.year is not None and not 2000 <= dossier.year <= 2100:
        problems.append(
            Problem(
                ("year",),
                f"expected a year from 2000 to 2100, got {dossier.year}",
                message_vi=f"cần một năm từ 2000 đến 2100, nhận được {dossier.year}",
            )
        )
    for i, doc in enumerate(dossier.documents):
        where: tuple[PathPart, ...] = ("documents", i)
        if kinds is not None and doc.kind not in kinds:
            choices = ", ".join(sorted(kinds))
            problems.append(
                Problem(
                    (*where, "kind"),
                    f"unknown document kind {doc.kind!r}; one of: {choices}",
                    message_vi=f"không có loại văn bản {doc.kind!r}; các loại: {choices}",
                )
            )
        if not doc.issuer.strip():
            problems.append(Problem((*where, "issuer"), NOT_EMPTY))
        if doc.reference is not None and not doc.reference.strip():
            problems.append(
                Problem(
                    (*where, "reference"),
                    "must not be empty (use null for none)",
                    message_vi="không được để trống (không có số hiệu thì ghi null)",
                )
            )
    return problems


def _day(d: date, lang: str) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if lang == "vi" else d.isoformat()


def _named(spec: DocumentSpec, doc: DossierDocument | None = None) -> Text:
    if doc is not None and doc.reference:
        return Text(f"{spec.title.vi} số {doc.reference}", f"{spec.title.en} no. {doc.reference}")
    return spec.title


def _missing_issue(spec: DocumentSpec) -> DossierIssue:
    """The issue of a required document absent from the dossier."""
    return DossierIssue(
        spec.kind,
        IssueKind.MISSING,
        Text(f"thiếu {spec.title.vi}", f"missing: {spec.title.en}"),
    )


def _duplicate_issue(spec: DocumentSpec, found: list[tuple[int, DossierDocument]]) -> DossierIssue:
    """The issue of a required document given more than once (at the positions found)."""
    return DossierIssue(
        spec.kind,
        IssueKind.DUPLICATE,
        Text(
            f"có {len(found)} văn bản loại {spec.title.vi}; hồ sơ chỉ gồm một",
            f"{len(found)} documents of the kind {spec.title.en}; give one",
        ),
        tuple(i for i, _ in found),
    )


def _date_issue(
    spec: DocumentSpec, i: int, doc: DossierDocument, *, start: date, year: int, on: date
) -> DossierIssue | None:
    """The issue with the date of document ``i``: undated, dated after ``on`` or before
    ``start`` (1 January of ``year``); ``None`` when its date is within the cycle."""
    name = _named(spec, doc)
    if doc.date is None:
        return DossierIssue(
            spec.kind,
            IssueKind.UNDATED,
            Text(f"{name.vi} chưa ghi ngày", f"{name.en} is undated"),
            (i,),
        )
    if doc.date > on:
        return DossierIssue(
            spec.kind,
            IssueKind.DATED_AFTER_RECOGNITION,
            Text(
                f"{name.vi} ghi ngày {_day(doc.date, 'vi')}, sau ngày xét công nhận "
                f"{_day(on, 'vi')}",
                f"{name.en} is dated {_day(doc.date, 'en')}, after the recognition "
                f"date {_day(on, 'en')}",
            ),
            (i,),
        )
    if doc.date < start:
        return DossierIssue(
            spec.kind,
            IssueKind.DATED_BEFORE_CYCLE,
            Text(
                f"{name.vi} ghi ngày {_day(doc.date, 'vi')}, trước năm xét {year}",
                f"{name.en} is dated {_day(doc.date, 'en')}, before the cycle year {year}",
            ),
            (i,),
        )
    return None


def check_dossier(
    dossier: Dossier, required: Sequence[DocumentSpec], *, year: int, on: date
) -> DossierCheck:
    """Check a dossier for the cycle ``year`` recognised on ``on``.

    Each required document must be present once, dated, dated no later than ``on`` and
    not before 1 January of ``year``. Issues are listed in the order of ``required``.
    """
    issues: list[DossierIssue] = []
    present: list[str] = []
    start = date(year, 1, 1)
    for spec in required:
        found = [(i, d) for i, d in enumerate(dossier.documents) if d.kind == spec.kind]
        if not found:
            issues.append(_missing_issue(spec))
            continue
        present.append(spec.kind)
        if len(found) > 1:
            issues.append(_duplicate_issue(spec, found))
        for i, doc in found:
            issue = _date_issue(spec, i, doc, start=start, year=year, on=on)
            if issue is not None:
                issues.append(issue)
    return DossierCheck(not issues, tuple(issues), tuple(present))


__all__ = [
    "DocumentSpec",
    "Dossier",
    "DossierCheck",
    "DossierDocument",
    "DossierIssue",
    "IssueKind",
    "check_dossier",
    "parse_dossier",
]
