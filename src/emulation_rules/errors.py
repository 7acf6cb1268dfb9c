"""The library's exceptions: one base class and its family.

Every error carries the path to the bad value, so that a host application can show an
officer which field is wrong, and the CLI can print it in one line.

``EmulationRulesError``
    ``RuleSetError``          a rule-set file is malformed, inconsistent or mistyped
        ``ExpressionError``   a condition does not parse or does not type-check
        ``CaseFileError``     a test-case file is malformed or names an unknown case
    ``NotFoundError``         no rule set with that id (in force on that date)
    ``EvidenceError``         the evidence given for a unit is invalid (all problems at once)
    ``EventError``            an event given to a campaign monitor is invalid (all problems at once)
    ``EvaluationError``       a rule could not be computed (e.g. a division by zero)
    ``CampaignError``         a campaign definition is invalid, or a trigger was refused
        ``TransitionRefused`` a lifecycle trigger refused by a guard (``.guard`` says which)
    ``MonitorError``          a campaign monitor cannot be built, or refused an operation
    ``StoreError``            a campaign store could not read or write
        ``ConcurrencyError``  another writer moved the same campaign first (version check)
    ``FormatError``           a JSON text or data file is malformed, or does not fit its type
    ``WriteError``            a file (saved state, report, page) could not be written
    ``VerdictMismatchError``  a stored verdict read or explained again with a rule set (or
                              evidence) other than the one that made it

``EvidenceError`` and ``EventError`` stand side by side: a host catching bad unit evidence
does not catch bad monitor events. Both list their ``problems`` (each a :class:`Problem`
with its path).

Errors are immutable once made: each attribute is set once, by the constructor
(re-assigning one raises ``AttributeError``); :meth:`RuleSetError.located` returns a new
error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self, TypeVar

import attrs

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """Render ``("criteria", 3, "condition")`` as ``criteria[3].condition``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = str(part)
    return out


def brief(value: object, limit: int = 60) -> str:
    """A value as a message shows it: its ``repr`` cut to ``limit`` characters. Never
    fails: an integer too long to print (Python refuses over 4,300 digits) or a value
    nested too deeply to ``repr`` is described instead."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4000:
        digits = int(value.bit_length() * 0.30103) + 1
        return f"an integer of about {digits} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__} too large to show"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class EmulationRulesError(Exception):
    """Base class of every error raised by emulation-rules."""

    def __init__(self, message: str, *, path: Sequence[PathPart] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path: tuple[PathPart, ...] = tuple(path)

    def __setattr__(self, name: str, value: Any) -> None:
        # set once (by the constructors, in any order), never changed; Python's own
        # attributes (__traceback__, __notes__, …) stay as Python handles them
        if name in self.__dict__ and not name.startswith("__"):
            raise AttributeError(
                f"{type(self).__name__}.{name} is set when the error is made and not changed"
            )
        super().__setattr__(name, value)

    def _evolve(self, **changes: Any) -> Self:
        """A copy of this error with some attributes changed (no traceback, no cause)."""
        return _rebuild(type(self), self.args, {**self.__dict__, **changes})

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle and copy rebuild the error from its attributes, not through __init__
        return _rebuild, (type(self), self.args, dict(self.__dict__))

    def __str__(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message


_E = TypeVar("_E", bound=EmulationRulesError)


def _rebuild(cls: type[_E], args: tuple[Any, ...], attributes: dict[str, Any]) -> _E:
    """An error of ``cls`` with these ``args`` and attributes, made without its
    constructor (for copies, pickles and :meth:`RuleSetError.located`)."""
    error = cls.__new__(cls)
    BaseException.__init__(error, *args)
    error.__dict__.update(attributes)
    return error


class RuleSetError(EmulationRulesError):
    """A rule-set (or enumeration) file is malformed, inconsistent or mistyped.

    ``file`` and ``line`` say where; ``criterion`` names the criterion concerned, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Sequence[PathPart] = (),
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        criterion: str | None = None,
    ) -> None:
        super().__init__(message, path=path)
        self.file = file
        self.line = line
        self.column = column
        self.criterion = criterion

    def located(
        self, *, file: str | None = None, line: int | None = None, criterion: str | None = None
    ) -> Self:
        """A copy of this error with the location fields that are still unknown filled in
        (this error is not changed)."""
        return self._evolve(
            file=self.file if self.file is not None else file,
            line=self.line if self.line is not None else line,
            criterion=self.criterion if self.criterion is not None else criterion,
        )

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        crit = f"criterion {self.criterion}: " if self.criterion else ""
        path = format_path(self.path)
        path = f"{path}: " if path else ""
        return f"{where}{crit}{path}{self.message}"


class ExpressionError(RuleSetError):
    """An expression does not parse or does not type-check.

    ``offset`` is the character offset inside the expression text.
    """

    def __init__(self, message: str, *, offset: int | None = None, text: str | None = None) -> None:
        super().__init__(message)
        self.offset = offset
        self.text = text

    def __str__(self) -> str:
        base = super().__str__()
        if self.text is not None and self.offset is not None:
            return f"{base} (in `{self.text}` at character {self.offset + 1})"
        return base


class CaseFileError(RuleSetError):
    """A test-case file (``cases/*.yaml``, ``*.cases.yaml``) is malformed, or a case
    extends an unknown case, or its evidence file cannot be read. ``file`` and ``line``
    say where."""


class NotFoundError(EmulationRulesError):
    """No rule set (or campaign) with that id, or none in force on the date asked."""


@attrs.frozen
class Problem:
    """One bad value in the evidence: where it is, what was found, what was expected."""

    path: tuple[PathPart, ...]
    message: str

    def __str__(self) -> str:
        return f"{format_path(self.path) or '(evidence)'}: {self.message}"


def _first_of(problems: tuple[Problem, ...], prefix: str, default: str) -> tuple[str, Any]:
    """The message and path of an error listing ``problems``: the first one's, and how
    many more."""
    first = problems[0] if problems else Problem((), default)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{prefix}{first.message}{more}", first.path


class EvidenceError(EmulationRulesError):
    """The evidence for a unit is invalid. ``problems`` lists every bad value at once."""

    def __init__(self, problems: Iterable[Problem], *, unit: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.unit = unit
        prefix = f"unit {unit}: " if unit else ""
        message, path = _first_of(self.problems, prefix, "invalid evidence")
        super().__init__(message, path=path)

    def __str__(self) -> str:
        prefix = f"unit {self.unit}: " if self.unit else ""
        return prefix + "; ".join(str(p) for p in self.problems)


class EventError(EmulationRulesError):
    """An event given to a campaign monitor is invalid. ``problems`` lists every bad value
    at once, each with its path (``payload.through_force``); ``where`` says which event
    (``events.jsonl:12``), when known. Not an :class:`EvidenceError`: a host catching bad
    unit evidence does not catch bad events."""

    def __init__(self, problems: Iterable[Problem], *, where: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.where = where
        message, path = _first_of(self.problems, "", "invalid evidence")
        super().__init__(message, path=path)

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return prefix + "; ".join(str(p) for p in self.problems)


class MonitorError(EmulationRulesError):
    """A campaign monitor cannot be built (a fact no event feeds, a rule set that is not a
    target of the campaign), or refused an operation (a state saved for another campaign)."""


class EvaluationError(EmulationRulesError):
    """A rule could not be computed for this unit (for instance a division by zero)."""

    def __init__(self, message: str, *, criterion: str | None = None) -> None:
        super().__init__(message, path=("criteria", criterion) if criterion else ())
        self.criterion = criterion


class CampaignError(EmulationRulesError):
    """A campaign definition is invalid, or an operation on a campaign was refused."""


class TransitionRefused(CampaignError):
    """A lifecycle trigger was refused; ``guard`` names the guard and ``trigger`` the
    trigger."""

    def __init__(self, message: str, *, trigger: str, guard: str, state: str | None = None) -> None:
        super().__init__(message, path=("triggers", trigger))
        self.trigger = trigger
        self.guard = guard
        self.state = state


class StoreError(EmulationRulesError):
    """A campaign store could not read or write."""


class ConcurrencyError(StoreError):
    """Another writer changed the same campaign instance first (its version moved on)."""


class FormatError(EmulationRulesError):
    """A JSON text (or data read from a file or a database) is malformed, or does not fit
    the type it is read as. ``where`` names the source (a file name, ``stdin``), ``line``
    and ``column`` the place in it when known, ``path`` the bad value
    (``criteria[3].status``). A file with several bad parts (lines of a JSON Lines file)
    lists each in ``problems``, paths starting with ``file:line``."""

    def __init__(
        self,
        message: str,
        *,
        path: Sequence[PathPart] = (),
        where: str | None = None,
        line: int | None = None,
        column: int | None = None,
        problems: Iterable[Problem] = (),
    ) -> None:
        super().__init__(message, path=path)
        self.where = where
        self.line = line
        self.column = column
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        place = self.where or ""
        if self.line is not None:
            place = f"{place}:{self.line}" if place else f"line {self.line}"
            if self.column is not None:
                place += f":{self.column}"
        path = format_path(self.path)
        return ": ".join(part for part in (place, path, self.message) if part)


class WriteError(EmulationRulesError):
    """A file the library writes (a monitor's saved state, a report, a generated page)
    could not be written: the disk is full, a file-size limit was reached, the folder is
    not writable. ``file`` names it; the file as it was before is left intact."""

    def __init__(self, message: str, *, file: str) -> None:
        super().__init__(message)
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class VerdictMismatchError(EmulationRulesError):
    """A stored verdict cannot be read or explained again as asked: ``kind`` says why.

    * ``"ruleset"``: the rule set at hand is not the one that made the verdict (another
      id or version, or the same version whose text changed: another sha256);
    * ``"date"``: the rule set at hand is compiled for another date than the verdict's
      ``evaluated_on`` (the parameters in force may differ);
    * ``"outcome"``: the evidence given does not give the stored verdict (it changed since).
    """

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class EmulationRulesWarning(UserWarning):
    """Base class of the warnings emulation-rules gives (``warnings.warn``)."""


class NotARuleSetWarning(EmulationRulesWarning):
    """A YAML file in a library's folder that does not declare itself a rule set (no
    ``id``, or neither ``criteria`` nor ``extends``: a host's configuration file beside its
    rules) was skipped; the message names it."""


class EngineFallbackWarning(EmulationRulesWarning):
    """A monitor on ``engine="auto"`` found durable-rules installed but could not load it
    (Python 3.13, a broken build): the alerting rules run in Python instead."""
