"""The candidates of an award round: their kind, evidence and name, read from JSON Lines
or made from a verdict."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from emulation_rules.errors import Bilingual, EvidenceError, FormatError, Problem
from emulation_rules.jsontext import loads
from emulation_rules.model.common import Text
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.verdict import Status, Verdict
from emulation_rules.text import nfc, nfc_optional

__all__ = [
    "KIND_WORDS",
    "Candidate",
    "CandidateKind",
    "candidate_kind",
    "read_candidates",
]


class CandidateKind(enum.Enum):
    """Quotas count collectives (tập thể) and individuals (cá nhân) separately."""

    COLLECTIVE = "collective"
    INDIVIDUAL = "individual"


KIND_WORDS = {
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
    raise ValueError(
        Bilingual(
            f"a candidate's kind is one of {choices}, got {value!r}",
            f"loại ứng viên phải là một trong {choices}, không phải {value!r}",
        )
    )


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

    @classmethod
    def from_verdict(
        cls,
        verdict: Verdict,
        *,
        kind: CandidateKind | str,
        name: str | None = None,
        id: str | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> Candidate:
        """A candidate from a verdict of a targets rule set (its team's results in the
        phase): ``targets_met`` is the verdict being eligible (left out when the verdict
        is undetermined: missing, not false), ``targets_met_count`` the number of criteria
        met; ``evidence`` adds the round's other facts (``exceptional_achievement``,
        ``law_violation``, ``already_commended``). The id is ``id``, else the verdict's
        unit. :class:`EvidenceError` when there is no id, or ``evidence`` gives one of the
        two facts the verdict gives."""
        cid = id if id is not None else verdict.unit
        if not cid:
            raise EvidenceError(
                [
                    Problem(
                        ("id",),
                        "the verdict names no unit: give the candidate an id",
                        message_vi="kết quả đánh giá không ghi đơn vị: hãy cho ứng viên một mã",
                    )
                ]
            )
        facts: dict[str, Any] = {"targets_met_count": len(verdict.met)}
        if verdict.status is not Status.UNDETERMINED:
            facts["targets_met"] = verdict.status is Status.ELIGIBLE
        extra = dict(evidence or {})
        clash = sorted(k for k in extra if k in ("targets_met", "targets_met_count"))
        if clash:
            raise EvidenceError(
                [
                    Problem(
                        ("evidence", k),
                        f"{k} comes from the verdict; do not give it again",
                        message_vi=f"{k} lấy từ kết quả đánh giá, không nhập lại",
                    )
                    for k in clash
                ]
            )
        return cls(cid, kind, {**extra, **facts}, name=name)


_STRUCTURING_VI = {
    "required key is missing": "thiếu khóa bắt buộc",
    "unknown key (not part of the format)": "khóa không có trong định dạng",
}


def _structuring_vi(message: str) -> str:
    """The Vietnamese of a structuring message (known ones word for word)."""
    known = _STRUCTURING_VI.get(message)
    if known is not None:
        return known
    value, sep, choices = message.partition(" is not one of: ")
    if sep:
        return f"{value} không phải một trong: {choices}"
    return f"giá trị không hợp lệ: {message}"


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
            column_vi = f" (cột {exc.column})" if exc.column is not None else ""
            vi = (exc.text_in("vi") if exc.translated else exc.message) + column_vi
            problems.append(Problem((where, *exc.path), exc.message + column, message_vi=vi))
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(
                    (where,),
                    "expected an object {id, kind, evidence}",
                    message_vi="cần một đối tượng {id, kind, evidence}",
                )
            )
            continue
        try:
            out.append(converter.structure(data, Candidate))
        except Exception as exc:  # cattrs raises several kinds; all are bad input
            for path, message in structuring_problems(exc):
                vi = _structuring_vi(message)
                problems.append(Problem((where, *path), message, message_vi=vi))
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        more_vi = f" (và {len(problems) - 1} lỗi khác)" if len(problems) > 1 else ""
        raise FormatError(
            f"{first.message}{more}",
            message_vi=f"{first.message_vi or first.message}{more_vi}",
            path=first.path[1:],
            where=str(first.path[0]),
            problems=problems,
        )
    if not out:
        none = Bilingual("no candidates", "không có ứng viên nào")
        raise FormatError(none, where=file, problems=[Problem((file,), none)])
    return tuple(out)
