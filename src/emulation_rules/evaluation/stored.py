"""Stored verdicts read back, and explained again: the reading half of the compact form
(:mod:`emulation_rules.model.compact`) and the checks that a stored verdict is read with
the rule set, date and evidence that made it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from cattrs import Converter

from emulation_rules.errors import FormatError, VerdictMismatchError
from emulation_rules.evaluation.explained import CriteriaMaker
from emulation_rules.evaluation.policy import Decider, outcome_value
from emulation_rules.evaluation.values import plain_decimal
from emulation_rules.evaluation.values_json import decode_values
from emulation_rules.formatting import date_text
from emulation_rules.model.compact import COMPACT
from emulation_rules.model.converter import structure
from emulation_rules.model.verdict import (
    OVERALL_TEXT,
    STATUS_TEXT,
    CriterionStatus,
    PrerequisiteResult,
    RuleSetRef,
    Verdict,
)

_REQUIRED = (
    "form",
    "ruleset",
    "evaluated_on",
    "unit",
    "status",
    "level",
    "points",
    "not_met",
    "unknown",
    "prerequisites",
)
_KEYS = frozenset((*_REQUIRED, "values", "ignored_facts"))


@attrs.frozen
class MadeBy:
    """What a stored verdict is checked against: the rule set and the parts that rebuild
    its verdicts."""

    ref: RuleSetRef
    on: date
    maker: CriteriaMaker
    decider: Decider
    converter: Converter


def check_made_by(verdict_ref: RuleSetRef, evaluated_on: date, ref: RuleSetRef, on: date) -> None:
    """A :class:`VerdictMismatchError` unless the verdict was made by this rule set (id,
    version and sha256) compiled for this date."""
    if verdict_ref != ref:
        same = (verdict_ref.id, verdict_ref.version) == (ref.id, ref.version)
        why = (
            "its text changed since (another sha256)" if same else f"this is {ref.id} {ref.version}"
        )
        why_vi = (
            "nội dung của nó đã thay đổi (sha256 khác)"
            if same
            else f"đây là {ref.id} {ref.version}"
        )
        raise VerdictMismatchError(
            f"the verdict was made by {verdict_ref.id} {verdict_ref.version} (sha256 "
            f"{verdict_ref.sha256[:12]}…), not by this rule set ({ref.id} {ref.version}, "
            f"sha256 {ref.sha256[:12]}…): {why}; evaluate the unit again",
            kind="ruleset",
            message_vi=f"kết quả này được tính theo bộ tiêu chí {verdict_ref.id} "
            f"{verdict_ref.version} (sha256 {verdict_ref.sha256[:12]}…), không phải bộ tiêu chí "
            f"đang dùng ({ref.id} {ref.version}, sha256 {ref.sha256[:12]}…): {why_vi}; hãy "
            "đánh giá lại đơn vị",
        )
    if evaluated_on != on:
        raise VerdictMismatchError(
            f"the verdict was evaluated on {evaluated_on.isoformat()} with the parameters "
            f"then in force; this rule set is compiled for {on.isoformat()}: load it with "
            f"on={evaluated_on.isoformat()}",
            kind="date",
            message_vi=f"kết quả này được đánh giá ngày {date_text(evaluated_on, 'vi')} theo "
            f"các tham số có hiệu lực lúc đó; bộ tiêu chí đang dùng được nạp cho ngày "
            f"{date_text(on, 'vi')}: hãy nạp lại bộ tiêu chí cho ngày "
            f"{date_text(evaluated_on, 'vi')}",
        )


def read_compact(data: Mapping[str, Any], made: MadeBy, *, where: str | None = None) -> Verdict:
    """The verdict of a compact form (parsed JSON), rebuilt by the rule set that made it.

    The stored outcome is checked against what the rule set gives: with ``values``, the
    statuses recomputed from them; always, the overall status from the criteria. A
    record that does not agree (altered, or not made by this rule set) is a
    :class:`FormatError`; one made by another rule set or date a
    :class:`VerdictMismatchError`.
    """
    try:
        return _read(data, made)
    except FormatError as exc:
        raise exc._evolve(where=where) if where and exc.where is None else exc from None


def _read(data: Mapping[str, Any], made: MadeBy) -> Verdict:
    _check_keys(data)
    if data["form"] != COMPACT:
        raise FormatError(
            f"not a compact verdict (form {data['form']!r})",
            path=("form",),
            message_vi=f"không phải kết quả ở dạng rút gọn (dạng {data['form']!r})",
        )
    ref = structure(data["ruleset"], RuleSetRef, using=made.converter)
    evaluated_on = structure(data["evaluated_on"], date, using=made.converter)
    check_made_by(ref, evaluated_on, made.ref, made.on)
    statuses, missing = _statuses(data, made.maker.ids)
    prerequisites = tuple(
        structure(data["prerequisites"], list[PrerequisiteResult], using=made.converter)
    )
    unit, ignored = _unit_and_ignored(data)
    criteria: Any
    if "values" in data:
        values = decode_values(made.maker.compiled.slots, data["values"])
        _fill_prerequisites(values, made.maker, prerequisites)
        computed = made.maker.outcome(tuple(values))
        _agree(computed, (statuses, missing), made.maker.ids)
        criteria = made.maker.deferred(tuple(values), statuses, missing)
    else:
        criteria = made.maker.brief(statuses, missing)
    decision = made.decider.decide(statuses, prerequisites)
    points = None if decision.points is None else plain_decimal(decision.points)
    _check_outcome(data, decision.status.value, decision.level, points)
    return Verdict(
        ruleset=ref,
        evaluated_on=evaluated_on,
        status=decision.status,
        reason=decision.reason,
        criteria=criteria,
        prerequisites=prerequisites,
        level=decision.level,
        points=points,
        unit=unit,
        ignored_facts=tuple(ignored),
    )


def _unit_and_ignored(data: Mapping[str, Any]) -> tuple[str | None, list[str]]:
    """The stored unit id and ignored facts, checked."""
    unit = data["unit"]
    if unit is not None and not isinstance(unit, str):
        raise FormatError(
            "expected a text or null",
            path=("unit",),
            message_vi="cần một giá trị văn bản hoặc null",
        )
    ignored = data.get("ignored_facts", [])
    if not isinstance(ignored, list) or not all(isinstance(f, str) for f in ignored):
        raise FormatError(
            "expected a list of names",
            path=("ignored_facts",),
            message_vi="cần một danh sách tên dữ liệu",
        )
    return unit, ignored


def _check_outcome(data: Mapping[str, Any], status: str, level: Any, points: Any) -> None:
    """Refuse a stored outcome other than the one the rule set decides (altered)."""
    stored = (data["status"], data["level"], data["points"])
    if stored != (status, level, points):
        raise FormatError(
            f"the stored outcome {stored[0]!r} (level {stored[1]!r}, points {stored[2]!r}) "
            f"is not what the rule set decides from the stored criteria "
            f"({status!r}, level {level!r}, points {points!r}): "
            "the record was altered",
            path=("status",),
            message_vi=f"kết quả lưu {stored[0]!r} (mức {stored[1]!r}, điểm {stored[2]!r}) "
            "không khớp với kết quả bộ tiêu chí xác định từ các tiêu chí đã lưu "
            f"({status!r}, mức {level!r}, điểm {points!r}): "
            "kết quả lưu đã bị sửa đổi",
        )


def _check_keys(data: Mapping[str, Any]) -> None:
    for key in data:
        if key not in _KEYS:
            raise FormatError(
                "unknown key (not part of the compact form)",
                path=(str(key),),
                message_vi="khóa không thuộc dạng rút gọn của kết quả",
            )
    for key in _REQUIRED:
        if key not in data:
            raise FormatError(
                "required key is missing", path=(key,), message_vi="thiếu khóa bắt buộc"
            )


def _statuses(
    data: Mapping[str, Any], ids: Sequence[str]
) -> tuple[tuple[CriterionStatus, ...], tuple[tuple[str, ...], ...]]:
    """Each criterion's status and missing facts from ``not_met`` and ``unknown``."""
    known = set(ids)
    status = dict.fromkeys(ids, CriterionStatus.MET)
    missing: dict[str, tuple[str, ...]] = {}
    not_met, unknown = data["not_met"], data["unknown"]
    if not isinstance(not_met, list):
        raise FormatError(
            "expected a list of criterion ids",
            path=("not_met",),
            message_vi="cần một danh sách mã tiêu chí",
        )
    if not isinstance(unknown, Mapping):
        raise FormatError(
            "expected an object: criterion id → missing facts",
            path=("unknown",),
            message_vi="cần một đối tượng JSON: mã tiêu chí → các dữ liệu còn thiếu",
        )
    listed = [(("not_met", i), c, CriterionStatus.NOT_MET) for i, c in enumerate(not_met)]
    listed += [(("unknown", c), c, CriterionStatus.UNKNOWN) for c in unknown]
    for path, crit, value in listed:
        if not isinstance(crit, str) or crit not in known:
            raise FormatError(
                f"not a criterion of this rule set: {crit!r}",
                path=path,
                message_vi=f"không phải tiêu chí của bộ tiêu chí này: {crit!r}",
            )
        if status[crit] is not CriterionStatus.MET:
            raise FormatError(
                f"criterion {crit} is listed twice",
                path=path,
                message_vi=f"tiêu chí {crit} được ghi hai lần",
            )
        status[crit] = value
    for crit, facts in unknown.items():
        if not isinstance(facts, list) or not all(isinstance(f, str) for f in facts):
            raise FormatError(
                "expected a list of fact names",
                path=("unknown", crit),
                message_vi="cần một danh sách tên dữ liệu",
            )
        missing[crit] = tuple(facts)
    return tuple(status[i] for i in ids), tuple(missing.get(i, ()) for i in ids)


def _fill_prerequisites(
    values: list[Any], maker: CriteriaMaker, prerequisites: Sequence[PrerequisiteResult]
) -> None:
    """Put the prerequisites' outcomes (booleans) in their slots, in order."""
    slots = [s for s in maker.compiled.slots if s.spec is None]
    if len(slots) != len(prerequisites):
        raise FormatError(
            f"expected {len(slots)} prerequisites, got {len(prerequisites)}",
            path=("prerequisites",),
            message_vi=f"cần {len(slots)} điều kiện lựa chọn, nhận được {len(prerequisites)}",
        )
    for slot, pre in zip(slots, prerequisites, strict=True):
        values[slot.index] = outcome_value(pre.status)


def _agree(
    computed: tuple[tuple[CriterionStatus, ...], tuple[tuple[str, ...], ...]],
    stored: tuple[tuple[CriterionStatus, ...], tuple[tuple[str, ...], ...]],
    ids: Sequence[str],
) -> None:
    for i, crit in enumerate(ids):
        now = (computed[0][i], computed[1][i])
        then = (stored[0][i], stored[1][i])
        if now != then:
            raise FormatError(
                f"criterion {crit} is stored {then[0].value} but its stored values give "
                f"{now[0].value}: the record was altered, or not made by this rule set",
                path=("values",),
                message_vi=f"tiêu chí {crit} được lưu là {then[0].value} nhưng các giá trị đã "
                f"lưu cho kết quả {now[0].value}: kết quả lưu đã bị sửa đổi, hoặc không do bộ "
                "tiêu chí này đánh giá",
            )


def _status_map(verdict: Verdict) -> dict[str, CriterionStatus]:
    """Each criterion's status, read without building explanations."""
    out = dict.fromkeys(verdict.met, CriterionStatus.MET)
    out.update(dict.fromkeys(verdict.not_met, CriterionStatus.NOT_MET))
    out.update(dict.fromkeys(verdict.unknown, CriterionStatus.UNKNOWN))
    return out


def explain_again(verdict: Verdict, explained: Verdict) -> Verdict:
    """``explained`` (the unit evaluated again with explanations) if it gives the stored
    ``verdict``'s outcome; a :class:`VerdictMismatchError` naming what differs otherwise."""
    differ, differ_vi = _differences(verdict, explained)
    if differ:
        raise VerdictMismatchError(
            "the evidence given does not give the stored verdict; it changed since: "
            + "; ".join(differ),
            kind="outcome",
            message_vi="dữ liệu đưa vào không cho kết quả đã lưu; dữ liệu đã thay đổi từ đó: "
            + "; ".join(differ_vi),
        )
    return explained


def _differences(verdict: Verdict, explained: Verdict) -> tuple[list[str], list[str]]:
    """What differs between a stored verdict and the unit evaluated again (en, vi)."""
    differ, differ_vi = [], []
    if verdict.unit is not None and explained.unit != verdict.unit:
        differ.append(f"unit {explained.unit!r} (stored {verdict.unit!r})")
        differ_vi.append(f"đơn vị {explained.unit!r} (đã lưu {verdict.unit!r})")
    stored, now = _status_map(verdict), _status_map(explained)
    for crit, status in now.items():
        before = stored.get(crit)
        if before is not status:
            differ.append(
                f"criterion {crit}: {status.value} (stored {before.value if before else 'absent'})"
            )
            was = STATUS_TEXT[before].vi.lower() if before else "không có"
            differ_vi.append(f"tiêu chí {crit}: {STATUS_TEXT[status].vi.lower()} (đã lưu: {was})")
    if explained.status is not verdict.status:
        differ.append(f"status: {explained.status.value} (stored {verdict.status.value})")
        now_vi, was_vi = OVERALL_TEXT[explained.status].vi, OVERALL_TEXT[verdict.status].vi
        differ_vi.append(f"kết quả chung: {now_vi.lower()} (đã lưu: {was_vi.lower()})")
    return differ, differ_vi


__all__ = ["MadeBy", "check_made_by", "explain_again", "read_compact"]
