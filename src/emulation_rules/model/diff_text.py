"""The words of a verdict diff: :func:`summary` says what changed, one line per change,
in Vietnamese (labels of facts, dd/mm/yyyy dates, decimal comma) and in English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from emulation_rules.model.common import Text
from emulation_rules.model.verdict import (
    OVERALL_TEXT,
    STATUS_TEXT,
    JSONScalar,
    RuleSetRef,
    Status,
)

if TYPE_CHECKING:
    from emulation_rules.model.diff import CriterionChange, ValueChange, VerdictDiff

NO_CHANGE = Text(
    "Không có thay đổi: kết quả chung và kết quả từng tiêu chí như nhau.",
    "No change: the same overall result and the same result for every criterion.",
)
NOT_GIVEN = Text("chưa có số liệu", "not given")
NONE = Text("không có", "none")
VALUES_NOT_COMPARED = Text(
    "Không so sánh được các giá trị: ít nhất một kết quả không có phần giải thích.",
    "Values not compared: at least one verdict has no explanations.",
)

Line = Callable[[str], str]


def summary(diff: VerdictDiff) -> Text:
    """What changed, one line per change, in Vietnamese and in English."""
    if not diff.changed:
        return NO_CHANGE
    lines = list(_lines(diff))
    return Text("\n".join(f("vi") for f in lines), "\n".join(f("en") for f in lines))


def _lines(diff: VerdictDiff) -> list[Line]:
    out: list[Line] = []
    if diff.ruleset is not None:
        out.append(ruleset_text(diff.ruleset.before, diff.ruleset.after).get)
    if diff.evaluated_on is not None:
        on = diff.evaluated_on
        out.append(_pair("Ngày đánh giá", "Evaluated on", _date(on.before), _date(on.after)))
    if diff.unit is not None:
        out.append(_pair("Đơn vị", "Unit", _opt(diff.unit.before), _opt(diff.unit.after)))
    if diff.status is not None:
        status = diff.status
        out.append(
            _pair(
                "Kết quả chung", "Overall result", _overall(status.before), _overall(status.after)
            )
        )
    if diff.level is not None:
        out.append(_pair("Xếp loại", "Level", _opt(diff.level.before), _opt(diff.level.after)))
    if diff.points is not None:
        points = diff.points
        out.append(_pair("Điểm", "Points", _opt(points.before), _opt(points.after)))
    if diff.reason is not None and diff.status is None:
        out.append(_pair("Lý do", "Reason", diff.reason.before.get, diff.reason.after.get))
    for pre in diff.prerequisites:
        label = prerequisite_label(pre.name, alone=len(diff.prerequisites) == 1)
        out.append(_pair(label.vi, label.en, _overall(pre.before), _overall(pre.after)))
    out.extend(_criterion_line(c) for c in diff.criteria)
    if diff.criteria and not diff.values_compared:
        out.append(VALUES_NOT_COMPARED.get)
    return out


def prerequisite_label(name: str, *, alone: bool) -> Text:
    """A prerequisite's name in a diff. A verdict keeps only the name the rule set gives
    it (``as:``, an id): the Vietnamese shows it only to tell several apart."""
    vi = "Điều kiện lựa chọn" if alone else f"Điều kiện lựa chọn ({name})"
    return Text(vi, f"Prerequisite {name}")


def _pair(vi: str, en: str, before: Line, after: Line) -> Line:
    return lambda lang: f"{vi if lang == 'vi' else en}: {before(lang)} → {after(lang)}."


def _opt(value: str | None) -> Line:
    return NONE.get if value is None else (lambda _lang: value)


def _date(day: date) -> Line:
    return lambda lang: f"{day:%d/%m/%Y}" if lang == "vi" else day.isoformat()


def _overall(status: Status | None) -> Line:
    return NONE.get if status is None else OVERALL_TEXT[status].get


def ruleset_text(before: RuleSetRef, after: RuleSetRef) -> Text:
    """How two rule-set references differ: another id or version, or the same version
    whose text changed (another sha256)."""
    old, new = f"{before.id} {before.version}", f"{after.id} {after.version}"
    if old != new:
        return Text(
            f"Bộ tiêu chí khác nhau: {old} → {new}.", f"Different rule sets: {old} → {new}."
        )
    sha = f"sha256 {before.sha256[:12]}… → {after.sha256[:12]}…"
    return Text(
        f"Cùng bộ tiêu chí {old} nhưng nội dung đã sửa ({sha}).",
        f"Same rule set {old}, but its text changed ({sha}).",
    )


def _criterion_line(change: CriterionChange) -> Line:
    def line(lang: str) -> str:
        head = ("Tiêu chí " if lang == "vi" else "Criterion ") + change.id
        if change.before is None or change.after is None:
            only = change.after if change.before is None else change.before
            assert only is not None
            where = _only_in(lang, later=change.before is None)
            return f"{head} ({where}): {STATUS_TEXT[only].get(lang)}."
        text = f"{head}: {STATUS_TEXT[change.before].get(lang)} → "
        text += STATUS_TEXT[change.after].get(lang)
        shown = [_value_text(v, lang) for v in change.values if v.label is not None]
        return f"{text} ({'; '.join(shown)})." if shown else f"{text}."

    return line


def _only_in(lang: str, *, later: bool) -> str:
    if lang == "vi":
        return "chỉ có trong kết quả sau" if later else "chỉ có trong kết quả trước"
    return "only in the later verdict" if later else "only in the earlier verdict"


def _value_text(change: ValueChange, lang: str) -> str:
    assert change.label is not None
    before = show_value(change.before, change.kind, lang)
    after = show_value(change.after, change.kind, lang)
    return f"{change.label.get(lang)}: {before} → {after}"


def show_value(value: JSONScalar, kind: str, lang: str) -> str:
    """A value of an explanation (canonical JSON form) as a reader writes it: in
    Vietnamese, dd/mm/yyyy dates, ``có``/``không``, a thousands dot and a decimal comma."""
    if value is None:
        return NOT_GIVEN.get(lang)
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if kind == "date" and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day:%d/%m/%Y}" if lang == "vi" else value
    if isinstance(value, int) or kind in ("integer", "decimal", "percent"):
        text = _number(str(value), lang)
        return f"{text}%" if kind == "percent" else text
    return value


def _number(text: str, lang: str) -> str:
    """A decimal text with a thousands separator (``.`` in Vietnamese, ``,`` in English)
    and the decimal mark of the language."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        return text
    group = "." if lang == "vi" else ","
    grouped = f"{int(whole):,}".replace(",", group)
    mark = "," if lang == "vi" else "."
    return sign + grouped + (mark + fraction if fraction else "")
