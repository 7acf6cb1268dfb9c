"""The events a campaign monitor takes in: what the grassroots force records day by day.

Every event has a ``kind``, the ``unit`` (the commune) it belongs to, the ``date`` it
happened on, the ``team`` concerned (required for a roster entry, a good deed and a
commendation) and a typed ``payload``. JSON in::

    {"kind": "tip", "unit": "xa-binh-luong", "team": "Tổ bảo vệ ANTT thôn Đông",
     "date": "2024-09-02", "payload": {"through_force": true}}

:func:`parse_event` structures such a mapping through the library's converter; a bad
event raises :class:`~emulation_rules.errors.EventError` listing every bad value with its
path (``payload.through_force``), as evidence errors do. Which facts an event feeds is
data (``rulesets/monitor/``), not code.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, get_args, get_origin, get_type_hints

import attrs
import cattrs

from emulation_rules.errors import Bilingual, EventError, PathPart, Problem, brief
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.kinds.base import A_DATE, A_FINITE_NUMBER, A_NUMBER, expected_text
from emulation_rules.text import nfc, nfc_all, nfc_optional


class EventKind(enum.Enum):
    """What happened. The values are the ``kind`` written in the JSON."""

    TIP = "tip"
    INCIDENT = "incident"
    MODEL = "model"
    CALLOUT = "callout"
    BUSINESS_VIOLATION = "business_violation"
    POPULATION_INFO = "population_info"
    WEAPONS_CASE = "weapons_case"
    REOFFENCE = "reoffence"
    ROSTER = "roster"
    PATROL = "patrol"
    TRAFFIC_ACCIDENT = "traffic_accident"
    GOOD_DEED = "good_deed"
    COMMENDATION = "commendation"
    TRAINING = "training"
    TYPICAL_EXAMPLE = "typical_example"
    MEMBER_VIOLATION = "member_violation"
    PROPAGANDA_CAMPAIGN = "propaganda_campaign"
    DISPUTE = "dispute"


class TrainingTopic(enum.Enum):
    """What a training (or a political activity) was about."""

    FIRE_RESCUE = "fire_rescue"
    ADMIN_MANAGEMENT = "admin_management"
    MASS_MOBILISATION = "mass_mobilisation"
    POLITICAL_ACTIVITIES = "political_activities"


# -- payloads ------------------------------------------------------------------------------
# ``None`` in an optional field means "not recorded": a fact counted from it is then
# unknown, never taken as false.


@attrs.frozen
class Tip:
    """A tip on security and order the people gave the commune police (4.1)."""

    through_force: bool
    note: str | None = None


@attrs.frozen
class Incident:
    """A security and order incident in the commune (4.1): did the force attend the scene
    in time (national measure), did it take part in time in settling it (Bình Lương)."""

    attended_in_time: bool | None = None
    supported_in_time: bool | None = None
    note: str | None = None


@attrs.frozen
class MovementModel:
    """A model of the all-people movement (4.2), recorded again whenever it changes (the
    latest record of a name counts): proposed by the force, effective, recognised by."""

    name: str = attrs.field(converter=nfc)
    proposed_by_force: bool | None = None
    effective: bool | None = None
    recognised_by: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class Callout:
    """A fire-fighting or rescue call-out of the force (4.3)."""

    attended_in_time: bool
    note: str | None = None


@attrs.frozen
class BusinessViolation:
    """A business under security and order conditions violated the law (4.4)."""

    business: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class PopulationInfo:
    """The commune police's latest measure of the share (0–100) of population information
    the people provided (4.4)."""

    share: Decimal


@attrs.frozen
class WeaponsCase:
    """A case of illegal storage, trading or use of weapons, explosives or support tools
    (4.4); ``transport``: a case of illegal transport (Hải Phòng)."""

    transport: bool | None = None
    note: str | None = None


@attrs.frozen
class Reoffence:
    """A resident who had broken the law re-offended (4.5); ``crime``: the re-offence is
    a crime (Bình Lương); ``post_rehab``: the person is under post-rehabilitation drug
    management (Hải Phòng)."""

    person: str | None = attrs.field(default=None, converter=nfc_optional)
    crime: bool | None = None
    post_rehab: bool | None = None


@attrs.frozen
class Roster:
    """The team's membership as of this date (the latest roster of a team counts); the
    village (thôn, bản) the team serves."""

    members: int
    village: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class Patrol:
    """A patrol with the commune police (4.6): the members who took part (their ids as the
    commune records them)."""

    members: tuple[str, ...] = attrs.field(converter=nfc_all)


@attrs.frozen
class TrafficAccident:
    """A traffic accident in the commune (4.6); ``serious``: of the serious level or worse."""

    serious: bool


@attrs.frozen
class GoodDeed:
    """A good deed of a team (4.7)."""

    description: str | None = None


@attrs.frozen
class Commendation:
    """A member of a team commended, rewarded or recognised (4.7)."""

    member: str | None = attrs.field(default=None, converter=nfc_optional)
    by: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class Training:
    """A training held (or a political activity attested): its topic and the members who
    took (full) part."""

    topic: TrainingTopic
    members: tuple[str, ...] = attrs.field(converter=nfc_all)


@attrs.frozen
class TypicalExample:
    """A typical example of a village (Bình Lương 4.2c) and the highest police level that
    commended it."""

    village: str = attrs.field(converter=nfc)
    name: str | None = attrs.field(default=None, converter=nfc_optional)
    recognised_by: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class MemberViolation:
    """A member of the force broke the law (Bình Lương 4.7c)."""

    member: str | None = attrs.field(default=None, converter=nfc_optional)


@attrs.frozen
class PropagandaCampaign:
    """A propaganda campaign launching the all-people movement the force supported
    (Đồng Nai 4.2b)."""

    title: str | None = None


@attrs.frozen
class Dispute:
    """A dispute among residents, and whether the force took part in mediating it
    (Đồng Nai 4.2c)."""

    force_took_part: bool


Payload = (
    Tip
    | Incident
    | MovementModel
    | Callout
    | BusinessViolation
    | PopulationInfo
    | WeaponsCase
    | Reoffence
    | Roster
    | Patrol
    | TrafficAccident
    | GoodDeed
    | Commendation
    | Training
    | TypicalExample
    | MemberViolation
    | PropagandaCampaign
    | Dispute
)

PAYLOADS: Mapping[EventKind, type[Any]] = {
    EventKind.TIP: Tip,
    EventKind.INCIDENT: Incident,
    EventKind.MODEL: MovementModel,
    EventKind.CALLOUT: Callout,
    EventKind.BUSINESS_VIOLATION: BusinessViolation,
    EventKind.POPULATION_INFO: PopulationInfo,
    EventKind.WEAPONS_CASE: WeaponsCase,
    EventKind.REOFFENCE: Reoffence,
    EventKind.ROSTER: Roster,
    EventKind.PATROL: Patrol,
    EventKind.TRAFFIC_ACCIDENT: TrafficAccident,
    EventKind.GOOD_DEED: GoodDeed,
    EventKind.COMMENDATION: Commendation,
    EventKind.TRAINING: Training,
    EventKind.TYPICAL_EXAMPLE: TypicalExample,
    EventKind.MEMBER_VIOLATION: MemberViolation,
    EventKind.PROPAGANDA_CAMPAIGN: PropagandaCampaign,
    EventKind.DISPUTE: Dispute,
}
"""The payload class of each kind."""

TEAM_REQUIRED = frozenset({EventKind.ROSTER, EventKind.GOOD_DEED, EventKind.COMMENDATION})
"""Kinds that belong to a team: a roster entry, a good deed, a commendation."""

EVENT_FIELDS = frozenset({"team"})
"""Names a fact mapping may read besides the payload fields: the event's team."""


@attrs.frozen
class Event:
    """One recorded event. Build it directly or with :func:`parse_event`. The names that
    identify things (``unit``, ``team``, the members, villages, models, persons of the
    payload) are put in Unicode NFC when the event is built: one name, one spelling."""

    kind: EventKind
    unit: str = attrs.field(converter=nfc)
    date: date
    payload: Payload
    team: str | None = attrs.field(default=None, converter=nfc_optional)

    def field(self, name: str) -> Any:
        """A payload field by name, or the event's ``team``."""
        if name == "team":
            return self.team
        return getattr(self.payload, name)


def _fields_of(cls: type[Any]) -> Mapping[str, Any]:
    hints = get_type_hints(cls)
    return MappingProxyType({a.name: hints[a.name] for a in attrs.fields(cls)})


_PAYLOAD_FIELDS: Mapping[EventKind, Mapping[str, Any]] = MappingProxyType(
    {kind: _fields_of(cls) for kind, cls in PAYLOADS.items()}
)


def payload_fields(kind: EventKind) -> Mapping[str, Any]:
    """The payload fields of a kind and their types (read once, when the module loads)."""
    return _PAYLOAD_FIELDS[kind]


# -- JSON in and out --------------------------------------------------------------------------
_KNOWN = frozenset({"kind", "unit", "date", "team", "payload"})
_KINDS = ", ".join(k.value for k in EventKind)


def parse_event(data: Any, *, where: str | None = None) -> Event:
    """Structure one event from parsed JSON. Raises :class:`EventError` listing every
    bad value at once, each with its path; ``where`` (``events.jsonl:12``) is recorded in
    the error."""
    if isinstance(data, Event):
        check_event(data, where=where)
        return data
    if not isinstance(data, Mapping):
        raise EventError(
            [
                Problem(
                    (),
                    f"an event must be an object, got {type(data).__name__}",
                    message_vi="một sự kiện phải là một đối tượng JSON, nhận được kiểu "
                    f"{type(data).__name__}",
                )
            ],
            where=where,
        )
    problems: list[Problem] = []
    for key in data:
        if key not in _KNOWN:
            shown = key if isinstance(key, str) else brief(key)  # str() of a huge int fails
            problems.append(Problem((shown,), bilingual_problem(_UNKNOWN_KEY)))
    kind = _kind(data.get("kind"), problems)
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        problems.append(Problem(("unit",), expected_text(_UNIT_ID, unit)))
    day: date | None = None
    raw_date = data.get("date")
    try:
        day = converter.structure(raw_date, date)
    except (ValueError, TypeError):
        problems.append(Problem(("date",), expected_text(A_DATE, raw_date)))
    team = data.get("team")
    if team is not None and (not isinstance(team, str) or not team.strip()):
        problems.append(Problem(("team",), expected_text(_TEAM, team)))
    payload: Any = None
    if kind is not None:
        if kind in TEAM_REQUIRED and team is None:
            problems.append(
                Problem(
                    ("team",),
                    f"a {kind.value} event needs its team",
                    message_vi=f"sự kiện loại {kind.value} cần có tên đội",
                )
            )
        payload, bad = _structure_payload(kind, data.get("payload", {}))
        problems.extend(bad)
    if problems or kind is None or day is None:
        raise EventError(problems, where=where)
    return Event(kind, unit, day, payload, team)  # type: ignore[arg-type]


def _kind(raw_kind: Any, problems: list[Problem]) -> EventKind | None:
    """The event's kind, or None with its problem added to ``problems``."""
    try:  # a text only: the enumeration would show any other value in its own message
        kind = EventKind(raw_kind) if isinstance(raw_kind, str) else None
    except ValueError:
        kind = None
    if kind is None:
        if raw_kind is None:
            what, what_vi = "required key is missing", "thiếu trường bắt buộc"
        else:
            what = f"unknown kind {brief(raw_kind)}"
            what_vi = f"loại sự kiện {brief(raw_kind)} không xác định"
        message_vi = f"{what_vi} (các loại: {_KINDS})"
        problems.append(Problem(("kind",), f"{what} (kinds: {_KINDS})", message_vi=message_vi))
    return kind


def check_event(event: Event, *, where: str | None = None) -> None:
    """Check an :class:`Event` built in Python as :func:`parse_event` checks JSON."""
    parse_event(event_to_data(event), where=where)


def _structure_payload(kind: EventKind, raw: Any) -> tuple[Any, list[Problem]]:
    if not isinstance(raw, Mapping):
        return None, [Problem(("payload",), expected_text(_AN_OBJECT, raw))]
    cls = PAYLOADS[kind]
    problems: list[Problem] = []
    patched = dict(raw)
    for name, ftype in payload_fields(kind).items():
        if name not in raw:
            continue
        message = _precheck(raw[name], ftype)
        if message is not None:
            problems.append(Problem(("payload", name), bilingual_problem(message)))
            patched.pop(name)
    try:
        payload = converter.structure(patched, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        reported = {p.path for p in problems}
        for path, message in structuring_problems(exc):
            full: tuple[PathPart, ...] = ("payload", *path)
            if full not in reported:
                problems.append(Problem(full, bilingual_problem(message)))
        return None, problems
    if problems:
        return None, problems
    if isinstance(payload, Roster) and payload.members < 0:
        problems.append(
            Problem(
                ("payload", "members"),
                "expected a whole number ≥ 0",
                message_vi="cần một số nguyên từ 0 trở lên",
            )
        )
    for name in ("members",):
        values = getattr(payload, name, None)
        if isinstance(values, tuple) and any(not v.strip() for v in values):
            problems.append(
                Problem(
                    ("payload", name),
                    "member ids must not be empty",
                    message_vi="mã thành viên không được để trống",
                )
            )
    return (None if problems else payload), problems


def _precheck(value: Any, ftype: Any) -> str | None:
    """Refuse what the shared converter would read too generously: a text for a list of
    texts (it would split it into letters), a non-number for a decimal."""
    if value is None:
        return None
    if ftype is Decimal:
        if isinstance(value, str):  # the plain-data form (saved states, event_to_data)
            try:
                value = Decimal(value)
            except InvalidOperation:
                return expected_text(A_NUMBER, value)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return expected_text(A_NUMBER, value)
        if isinstance(value, float) and not math.isfinite(value):
            return expected_text(A_FINITE_NUMBER, value)
        if isinstance(value, Decimal) and not value.is_finite():
            return expected_text(A_FINITE_NUMBER, value)
    elif get_origin(ftype) is tuple and not isinstance(value, list | tuple):
        return expected_text(_list_of(ftype), value)
    return None


def _list_of(ftype: Any) -> str:
    args = get_args(ftype)
    if args and args[0] is str:
        return Bilingual("a list of texts", "một danh sách các giá trị văn bản")
    return Bilingual("a list of values", "một danh sách các giá trị")


_FIXED_VI = {
    "unknown key (not part of the format)": "trường không xác định (không thuộc định dạng)",
    "required key is missing": "thiếu trường bắt buộc",
}
_WHAT_VI = {
    "true or false": "giá trị đúng hoặc sai (true/false)",
    "a whole number": "một số nguyên",
    "a text": "một giá trị văn bản",
    "a decimal number": "một số thập phân",
    "a finite decimal number": "một số thập phân hữu hạn",
    "a number, a text, true/false or null": "một số, một giá trị văn bản, true/false hoặc null",
}


def bilingual_problem(message: str) -> Bilingual:
    """A structuring problem of the shared converter (English) with its Vietnamese: the
    converter's forms (``expected a text, got 5``, ``'x' is not one of: …``, ``required
    key is missing``) read in both languages."""
    if isinstance(message, Bilingual):
        return message
    if message in _FIXED_VI:
        return Bilingual(message, _FIXED_VI[message])
    found = re.fullmatch(r"expected (.+?), got (.+)", message, re.S)
    if found and found[1] in _WHAT_VI:
        return Bilingual(message, f"cần {_WHAT_VI[found[1]]}, nhận được {found[2]}")
    found = re.fullmatch(r"(.+) is not one of: (.+)", message, re.S)
    if found:
        return Bilingual(message, f"{found[1]} không thuộc các giá trị: {found[2]}")
    found = re.fullmatch(r"a value of the wrong kind \((.*)\)", message, re.S)
    if found:
        return Bilingual(message, f"giá trị sai kiểu ({found[1]})")
    return Bilingual(message, f"giá trị không hợp lệ: {message}")


_UNKNOWN_KEY = Bilingual(
    "unknown key (kind, unit, date, team, payload)",
    "trường không xác định (các trường: kind, unit, date, team, payload)",
)
_UNIT_ID = Bilingual("the unit's id (a text)", "mã đơn vị (một giá trị văn bản)")
_TEAM = Bilingual("the team's name (a text)", "tên đội (một giá trị văn bản)")
_AN_OBJECT = Bilingual("an object", "một đối tượng JSON")


def event_to_data(event: Event) -> dict[str, Any]:
    """An event as JSON-ready plain data (the shape :func:`parse_event` reads)."""
    out: dict[str, Any] = {
        "kind": event.kind.value,
        "unit": event.unit,
        "date": event.date.isoformat(),
    }
    if event.team is not None:
        out["team"] = event.team
    out["payload"] = converter.unstructure(event.payload)
    return out
