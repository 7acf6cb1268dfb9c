"""The keys that mark a once-only alert raised (the saved state's ``raised`` set): the
one place their text forms are written and read.

- a month-ending alert: ``ending|{unit}|{criterion}|{team}|{YYYY-MM}``;
- a deadline-near alert: ``{deadline}|{unit}|{criterion}`` (the deadline is a phase or a
  report id).

These are the forms of saved-state format 2 (states saved before the keys moved here
read the same: ``tests/data/monitor-state-v2.json``). A new form needs a new prefix, not
a change of these.
"""

from __future__ import annotations

from datetime import date

import attrs

ENDING_PREFIX = "ending"


@attrs.frozen
class RaisedKey:
    """A parsed key: ``kind`` (``"ending"`` or ``"deadline"``) and its parts."""

    kind: str
    unit: str
    criterion: str
    deadline: str | None = None
    team: str | None = None
    month: str | None = None


def ending_key(unit: str, criterion: str, team: str, month: date | str) -> str:
    """The key of a month-ending alert of a team-month (``month``: a date or ``2024-11``)."""
    label = month.isoformat()[:7] if isinstance(month, date) else month
    return f"{ENDING_PREFIX}|{unit}|{criterion}|{team}|{label}"


def deadline_key(deadline: str, unit: str, criterion: str) -> str:
    """The key of a deadline-near alert of a target."""
    return f"{deadline}|{unit}|{criterion}"


def parse_key(key: str) -> RaisedKey | None:
    """A saved key read back (``None`` when it has neither form)."""
    parts = key.split("|")
    if len(parts) == 5 and parts[0] == ENDING_PREFIX:
        return RaisedKey("ending", parts[1], parts[2], team=parts[3], month=parts[4])
    if len(parts) == 3:
        return RaisedKey("deadline", parts[1], parts[2], deadline=parts[0])
    return None
