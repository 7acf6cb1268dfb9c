"""The state of one campaign instance as plain data: what a host stores and restores.

A :class:`CampaignState` is attrs data with no reference to the definition or to any
machine; it round-trips through JSON (:func:`state_to_json`, :func:`state_from_json`)
byte for byte.
"""

from __future__ import annotations

import json
from datetime import date

import attrs

from emulation_rules.errors import CampaignError, FormatError, format_path
from emulation_rules.jsontext import loads
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.text import nfc


@attrs.frozen
class Transition:
    """One entry of the audit log: a transition, a submission or an award decision.

    ``source`` and ``dest`` are the states before and after (equal for a submission);
    ``subject`` names the report or award round concerned. ``on`` is the date the step
    takes effect (the calendar's date for a phase change, the submission date for a
    report); ``recorded_on`` the date it was recorded (``advance(to=…)``'s date for a
    calendar step caught up late; ``None`` in states saved before it was kept).
    """

    seq: int
    on: date
    by: str
    trigger: str
    source: str
    dest: str
    subject: str | None = None
    note: str | None = None
    recorded_on: date | None = None

    @property
    def effective_on(self) -> date:
        """The date the step takes effect (``on``)."""
        return self.on


@attrs.frozen
class Submission:
    """A report sent: which, when, by whom."""

    report: str
    on: date
    by: str
    note: str | None = None


@attrs.frozen
class AwardDecision:
    """An award decision of a round: how many collectives and individuals."""

    award_round: str
    on: date
    by: str
    collectives: int
    individuals: int


@attrs.define
class CampaignState:
    """Everything about one instance: the definition it follows (id and hash), its
    current state, the dates it knows, its submissions, award decisions and audit log.

    ``clock`` is the date of the last event (no event may be dated before it);
    ``revision`` counts the changes (the store's version check uses it).
    """

    definition_id: str
    definition_sha256: str
    instance_id: str = attrs.field(converter=nfc)  # one spelling per instance (Unicode NFC)
    state: str
    created_on: date
    clock: date
    issued_on: date | None = None
    revision: int = 0
    submissions: list[Submission] = attrs.Factory(list)
    awards: list[AwardDecision] = attrs.Factory(list)
    log: list[Transition] = attrs.Factory(list)

    def copy(self) -> CampaignState:
        """A copy whose lists are independent (the entries are immutable)."""
        return CampaignState(
            self.definition_id,
            self.definition_sha256,
            self.instance_id,
            self.state,
            self.created_on,
            self.clock,
            self.issued_on,
            self.revision,
            list(self.submissions),
            list(self.awards),
            list(self.log),
        )

    def submission(self, report_id: str) -> Submission | None:
        """The submission of a report, if it was sent."""
        for sub in self.submissions:
            if sub.report == report_id:
                return sub
        return None


def state_to_data(state: CampaignState) -> dict[str, object]:
    """The state as JSON-ready plain data (dates as ISO strings)."""
    data: dict[str, object] = converter.unstructure(state)
    return data


def state_from_data(data: object) -> CampaignState:
    """A state back from :func:`state_to_data` output; bad data is a ``CampaignError``."""
    try:
        state: CampaignState = converter.structure(data, CampaignState)
    except Exception as exc:
        problems = list(structuring_problems(exc))
        path, message = problems[0] if problems else ((), str(exc))
        where = format_path(path) or "(top)"
        raise CampaignError(
            f"not a campaign state: {where}: {message}",
            path=path,
            message_vi=f"không phải trạng thái phong trào: {where}: {message}",
        ) from None
    return state


def state_to_json(state: CampaignState) -> str:
    """Compact JSON text, keys in class order; ``state_from_json`` reads it back and
    ``state_to_json`` of the result is the same bytes."""
    return json.dumps(state_to_data(state), ensure_ascii=False, separators=(",", ":"))


def state_from_json(text: str | bytes) -> CampaignState:
    """Read a state from :func:`state_to_json` output (by the library's JSON reader,
    :func:`emulation_rules.jsontext.loads`); anything else is a ``CampaignError`` naming
    the path to the bad value."""
    try:
        data = loads(text)
    except FormatError as exc:
        place = f"line {exc.line}:{exc.column}: " if exc.line is not None else ""
        raise CampaignError(
            f"not a campaign state: {place}{exc.message}",
            path=exc.path,
            message_vi=f"không phải trạng thái phong trào: {place}{exc.message_vi or exc.message}",
        ) from None
    return state_from_data(data)
