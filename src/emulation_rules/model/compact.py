"""The compact JSON form of a verdict, for storage: only what the rule set does not hold.

A verdict's expanded form (``to_json(verdict)``) is a self-contained document: every
criterion's title-free reason in two languages, its explanation with labels, citation and
sentences. The compact form keeps only what differs from unit to unit and refers to the
rule set (id, version, sha256) for the rest, which the rule set restores on reading::

    {"form": "compact",
     "ruleset": {"id": "typical-commune", "version": "2023", "sha256": "…"},
     "evaluated_on": "2025-01-01", "unit": "xa-1",
     "status": "not_eligible", "level": null, "points": null,
     "not_met": ["18"], "unknown": {"21": ["drug_users"]},
     "prerequisites": [{…}],
     "values": {"crimes": 40, "crimes_previous": 40, …}}

Criteria not listed under ``not_met`` or ``unknown`` are met. ``values`` (only in an
explained verdict) holds the facts the criteria read, in canonical JSON form (see
:mod:`emulation_rules.evaluation.values_json`): the explanations are rebuilt from them,
exactly, by the same rule set. ``form="brief"`` writes the same without ``values`` (an
explained verdict stored brief is read back without its explanations).

Reading a compact verdict needs the rule set that made it:
``Library.from_json(text, Verdict)`` or ``RuleSet.read_verdict(text)``.
"""

from __future__ import annotations

from typing import Any, Literal

from cattrs import Converter

from emulation_rules.errors import FormatError, require_choice
from emulation_rules.model.verdict import (
    CriterionStatus,
    Verdict,
    deferred_of,
)

Form = Literal["expanded", "compact", "brief"]
FORMS: tuple[str, ...] = ("expanded", "compact", "brief")
COMPACT = "compact"

_NOT_MET, _UNKNOWN = CriterionStatus.NOT_MET, CriterionStatus.UNKNOWN


def check_form(form: str) -> None:
    """Refuse a form that is not one of :data:`FORMS` (an ``ArgumentError``, also a
    ``ValueError``: a programming error of the caller, not bad data)."""
    require_choice("form", form, FORMS)


def compact_data(verdict: Verdict, conv: Converter, *, brief: bool = False) -> dict[str, Any]:
    """The compact form of ``verdict`` as JSON-ready data (``brief``: without ``values``).

    An explained verdict keeps the values its explanations are built from only when it was
    made by ``evaluate(..., explain=True)`` or read from a compact form; one read from its
    expanded form cannot be written compact with its explanations (a
    :class:`~emulation_rules.errors.FormatError` says so), only ``brief``.
    """
    deferred = deferred_of(verdict)
    if deferred is not None:
        ids, statuses, missing = deferred.ids, deferred.statuses, deferred.missing
        explained = deferred.explained
    else:
        criteria = verdict.criteria
        ids = tuple(c.id for c in criteria)
        statuses = tuple(c.status for c in criteria)
        missing = tuple(c.missing for c in criteria)
        explained = any(c.explanation is not None for c in criteria)
    data: dict[str, Any] = {
        "form": COMPACT,
        "ruleset": conv.unstructure(verdict.ruleset),
        "evaluated_on": verdict.evaluated_on.isoformat(),
        "unit": verdict.unit,
        "status": verdict.status.value,
        "level": verdict.level,
        "points": verdict.points,
        "not_met": [i for i, s in zip(ids, statuses, strict=True) if s is _NOT_MET],
        "unknown": {
            i: list(m) for i, s, m in zip(ids, statuses, missing, strict=True) if s is _UNKNOWN
        },
        "prerequisites": [conv.unstructure(p) for p in verdict.prerequisites],
    }
    if verdict.ignored_facts:
        data["ignored_facts"] = list(verdict.ignored_facts)
    if explained and not brief:
        if deferred is None:
            raise FormatError(
                "this explained verdict was read from its expanded form and no longer holds "
                "the values its explanations were built from: write it expanded, or brief "
                "(form='brief') and explain the unit again later",
                message_vi="kết quả có giải thích này được đọc từ dạng đầy đủ và không còn giữ "
                "các giá trị đã dùng để lập giải thích: hãy ghi ở dạng đầy đủ, hoặc dạng ngắn "
                "(form='brief') rồi giải thích lại cho đơn vị sau",
            )
        data["values"] = dict(deferred.values_json())
    return data


def is_compact(data: Any) -> bool:
    """Whether parsed JSON is a verdict's compact form."""
    return isinstance(data, dict) and data.get("form") == COMPACT
