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
    ``ArgumentError``         a function called with an argument it does not take (also a
                              ``ValueError`` and a ``TypeError``)
    ``UnknownCriterionError`` no criterion with that id or number (also a ``KeyError``)

``EvidenceError`` and ``EventError`` stand side by side: a host catching bad unit evidence
does not catch bad monitor events. Both list their ``problems`` (each a :class:`Problem`
with its path).

Errors are immutable once made: each attribute is set once, by the constructor
(re-assigning one raises ``AttributeError``); :meth:`RuleSetError.located` returns a new
error.

Languages: an error (and each :class:`Problem`) carries its English ``message`` and, where
it is translated, its Vietnamese ``message_vi``. ``exc.text_in("vi")`` / ``exc.text_in("en")``
give the whole message in one language (an error with no Vietnamese for every part of it
reads in English in full); ``str(exc)`` gives it in the *error language*: the one set by
``with error_language("vi"):`` in the current thread or task (a
:class:`contextvars.ContextVar`, not shared across threads), else the environment variable
``EMULATION_RULES_LANG`` (``vi`` or ``en``, read on each use; any other value is ``en``),
else English. A raise site passes ``message_vi=…``, or a :class:`Bilingual` text (an English
``str`` carrying its Vietnamese), which travels through the places that take a plain message
(the fact kinds' checks).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, Self, TypeVar

import attrs

PathPart = str | int
ErrorLanguage = Literal["vi", "en"]
"""A language an error can be read in."""

LANG_VARIABLE = "EMULATION_RULES_LANG"
"""The environment variable giving the default error language (``vi`` or ``en``)."""

_LANGUAGE: ContextVar[ErrorLanguage | None] = ContextVar(
    "emulation_rules_error_language", default=None
)


def current_error_language() -> ErrorLanguage:
    """The language ``str()`` of an error uses here: the one :func:`error_language`
    set in this context (thread or task), else ``EMULATION_RULES_LANG``, else ``en``."""
    chosen = _LANGUAGE.get()
    if chosen is not None:
        return chosen
    return "vi" if os.environ.get(LANG_VARIABLE, "").strip().lower() == "vi" else "en"


@contextmanager
def error_language(lang: ErrorLanguage) -> Iterator[None]:
    """Within the block, in this thread or task only, ``str()`` of an error reads in
    ``lang`` (``"vi"`` or ``"en"``; anything else is a ``ValueError``)."""
    require_choice("lang", lang, ("vi", "en"))
    token = _LANGUAGE.set(lang)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


class Bilingual(str):
    """An English message (it *is* the ``str``) carrying its Vietnamese in ``vi``: what a
    raise site passes where a plain message is taken, so the translation travels with it.
    Errors and problems keep the two apart (``message``, ``message_vi``)."""

    __slots__ = ("vi",)
    vi: str

    def __new__(cls, en: str, vi: str) -> Bilingual:
        made = super().__new__(cls, en)
        made.vi = vi
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return Bilingual, (str(self), self.vi)


def did_you_mean(hint: str | None, *, quote: str = "'", label_vi: str | None = None) -> Bilingual:
    """The suggestion a message about an unknown name ends with, in both languages:
    ``; did you mean 'x'?`` / ``; có phải là 'x' (label) không?`` (``quote`` is ``'`` or a
    backtick; ``label_vi`` the suggested name's Vietnamese label); empty when no ``hint``."""
    if not hint:
        return Bilingual("", "")
    shown = repr(hint) if quote == "'" else f"{quote}{hint}{quote}"
    label = f" ({label_vi})" if label_vi else ""
    return Bilingual(f"; did you mean {shown}?", f"; có phải là {shown}{label} không?")


def vi_of(message: str, message_vi: str | None = None) -> str | None:
    """The Vietnamese of a message: ``message_vi`` if given, else a :class:`Bilingual`
    message's ``vi``, else None."""
    if message_vi is not None:
        return message_vi
    return message.vi if isinstance(message, Bilingual) else None


def _plain(message: str) -> str:
    return str.__str__(message) if isinstance(message, Bilingual) else message


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
    """Base class of every error raised by emulation-rules.

    ``message`` is English; ``message_vi`` its Vietnamese, or None where not translated.
    ``str()`` reads in the error language (:func:`current_error_language`);
    :meth:`text_in` in the one asked."""

    def __init__(
        self, message: str, *, path: Sequence[PathPart] = (), message_vi: str | None = None
    ) -> None:
        super().__init__(_plain(message))
        self.message_vi = vi_of(message, message_vi)
        self.message = _plain(message)
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
        return self.text_in(current_error_language())

    @property
    def translated(self) -> bool:
        """Whether every part of the message has its Vietnamese."""
        return self.__dict__.get("message_vi") is not None

    def bilingual(self) -> str:
        """The whole message as a :class:`Bilingual` text (a plain English ``str`` when not
        translated): for a message that quotes this error."""
        english = self.text_in("en")
        return Bilingual(english, self.text_in("vi")) if self.translated else english

    def text_in(self, lang: ErrorLanguage) -> str:
        """The whole message in ``lang`` (``"vi"`` or ``"en"``); in English when it is not
        translated (:attr:`translated`). (Not ``text``: an ``ExpressionError``'s ``text``
        is the expression.)"""
        vi = lang == "vi" and self.translated
        return self._render(self.message_vi if vi else self.message, "vi" if vi else "en")

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        """The message with its place, in ``lang`` (the message already in it)."""
        where = format_path(self.path)
        return f"{where}: {message}" if where else str(message)


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
        message_vi: str | None = None,
    ) -> None:
        super().__init__(message, path=path, message_vi=message_vi)
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

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        word = "tiêu chí" if lang == "vi" else "criterion"
        crit = f"{word} {self.criterion}: " if self.criterion else ""
        path = format_path(self.path)
        path = f"{path}: " if path else ""
        return f"{where}{crit}{path}{message}"


class ExpressionError(RuleSetError):
    """An expression does not parse or does not type-check.

    ``offset`` is the character offset inside the expression text.
    """

    def __init__(
        self,
        message: str,
        *,
        offset: int | None = None,
        text: str | None = None,
        message_vi: str | None = None,
    ) -> None:
        super().__init__(message, message_vi=message_vi)
        self.offset = offset
        self.text = text

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        base = super()._render(message, lang)
        if self.text is not None and self.offset is not None:
            if lang == "vi":
                return f"{base} (trong `{self.text}`, ký tự thứ {self.offset + 1})"
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
    """One bad value in the evidence: where it is, what was found, what was expected.

    ``message`` is English, ``message_vi`` its Vietnamese (None where not translated; a
    :class:`Bilingual` message gives it); two problems are equal by path and English
    message. ``str()`` reads in the error language, :meth:`text_in` in the one asked."""

    path: tuple[PathPart, ...]
    message: str
    message_vi: str | None = attrs.field(default=None, eq=False, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.message, Bilingual):
            object.__setattr__(self, "message_vi", vi_of(self.message, self.message_vi))
            object.__setattr__(self, "message", _plain(self.message))

    def text_in(self, lang: ErrorLanguage) -> str:
        """The problem in ``lang``: its path and message (English when not translated)."""
        if lang == "vi" and self.message_vi is not None:
            return f"{format_path(self.path) or '(dữ liệu)'}: {self.message_vi}"
        return f"{format_path(self.path) or '(evidence)'}: {self.message}"

    def moved(self, *prefix: PathPart) -> Problem:
        """The same problem with ``prefix`` before its path (both messages kept)."""
        return Problem((*prefix, *self.path), self.message, message_vi=self.message_vi)

    def __str__(self) -> str:
        return self.text_in(current_error_language())


def _first_of(
    problems: tuple[Problem, ...], prefix: tuple[str, str], default: Problem
) -> tuple[str, str | None, Any]:
    """The messages (en, vi) and path of an error listing ``problems``: the first one's,
    and how many more."""
    first = problems[0] if problems else default
    n = len(problems) - 1
    more_en = f" (and {n} more)" if n > 0 else ""
    more_vi = f" (và {n} lỗi khác)" if n > 0 else ""
    en = f"{prefix[0]}{first.message}{more_en}"
    vi = None if first.message_vi is None else f"{prefix[1]}{first.message_vi}{more_vi}"
    return en, vi, first.path


_INVALID = Problem((), "invalid evidence", message_vi="dữ liệu không hợp lệ")


class _Listing:
    """What an error listing problems shares: it is translated when each of them is."""

    problems: tuple[Problem, ...]
    message_vi: str | None

    @property
    def translated(self) -> bool:
        """Whether every part of the message has its Vietnamese."""
        if not self.problems:
            return self.__dict__.get("message_vi") is not None
        return all(p.message_vi is not None for p in self.problems)

    def _listed(self, lang: ErrorLanguage) -> str:
        return "; ".join(p.text_in(lang) for p in self.problems)


class EvidenceError(_Listing, EmulationRulesError):
    """The evidence for a unit is invalid. ``problems`` lists every bad value at once."""

    def __init__(self, problems: Iterable[Problem], *, unit: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.unit = unit
        prefix = (f"unit {unit}: ", f"đơn vị {unit}: ") if unit else ("", "")
        message, message_vi, path = _first_of(self.problems, prefix, _INVALID)
        super().__init__(message, path=path, message_vi=message_vi)

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        word = "đơn vị" if lang == "vi" else "unit"
        prefix = f"{word} {self.unit}: " if self.unit else ""
        return prefix + self._listed(lang)


class EventError(_Listing, EmulationRulesError):
    """An event given to a campaign monitor is invalid. ``problems`` lists every bad value
    at once, each with its path (``payload.through_force``); ``where`` says which event
    (``events.jsonl:12``), when known. Not an :class:`EvidenceError`: a host catching bad
    unit evidence does not catch bad events."""

    def __init__(self, problems: Iterable[Problem], *, where: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.where = where
        message, message_vi, path = _first_of(self.problems, ("", ""), _INVALID)
        super().__init__(message, path=path, message_vi=message_vi)

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return prefix + self._listed(lang)


class MonitorError(EmulationRulesError):
    """A campaign monitor cannot be built (a fact no event feeds, a rule set that is not a
    target of the campaign), or refused an operation (a state saved for another campaign)."""


class EvaluationError(EmulationRulesError):
    """A rule could not be computed for this unit (for instance a division by zero)."""

    def __init__(
        self, message: str, *, criterion: str | None = None, message_vi: str | None = None
    ) -> None:
        path = ("criteria", criterion) if criterion else ()
        super().__init__(message, path=path, message_vi=message_vi)
        self.criterion = criterion

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        if lang == "vi" and self.criterion:
            return f"tiêu chí {self.criterion}: {message}"
        return super()._render(message, lang)


class CampaignError(EmulationRulesError):
    """A campaign definition is invalid, or an operation on a campaign was refused."""


class TransitionRefused(CampaignError):
    """A lifecycle trigger was refused; ``guard`` names the guard and ``trigger`` the
    trigger."""

    def __init__(
        self,
        message: str,
        *,
        trigger: str,
        guard: str,
        state: str | None = None,
        message_vi: str | None = None,
    ) -> None:
        super().__init__(message, path=("triggers", trigger), message_vi=message_vi)
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
        message_vi: str | None = None,
    ) -> None:
        super().__init__(message, path=path, message_vi=message_vi)
        self.where = where
        self.line = line
        self.column = column
        self.problems: tuple[Problem, ...] = tuple(problems)

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        place = self.where or ""
        if self.line is not None:
            word = "dòng" if lang == "vi" else "line"
            place = f"{place}:{self.line}" if place else f"{word} {self.line}"
            if self.column is not None:
                place += f":{self.column}"
        path = format_path(self.path)
        return ": ".join(part for part in (place, path, message) if part)


class WriteError(EmulationRulesError):
    """A file the library writes (a monitor's saved state, a report, a generated page)
    could not be written: the disk is full, a file-size limit was reached, the folder is
    not writable. ``file`` names it; the file as it was before is left intact."""

    def __init__(self, message: str, *, file: str, message_vi: str | None = None) -> None:
        super().__init__(message, message_vi=message_vi)
        self.file = file

    def _render(self, message: Any, lang: ErrorLanguage) -> str:
        return f"{self.file}: {message}"


class VerdictMismatchError(EmulationRulesError):
    """A stored verdict cannot be read or explained again as asked: ``kind`` says why.

    * ``"ruleset"``: the rule set at hand is not the one that made the verdict (another
      id or version, or the same version whose text changed: another sha256);
    * ``"date"``: the rule set at hand is compiled for another date than the verdict's
      ``evaluated_on`` (the parameters in force may differ);
    * ``"outcome"``: the evidence given does not give the stored verdict (it changed since).
    """

    def __init__(self, message: str, *, kind: str, message_vi: str | None = None) -> None:
        super().__init__(message, message_vi=message_vi)
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


class ArgumentError(EmulationRulesError, ValueError, TypeError):
    """A library function or constructor was called with an argument it does not take
    (``errors="stop"``, ``workers=0``, ``on=3``, a form that does not exist). Also a
    ``ValueError`` and a ``TypeError``, so code catching those keeps working; ``path``
    names the argument."""


class UnknownCriterionError(EmulationRulesError, KeyError):
    """No criterion with that id or number (in a rule set, a verdict or an impact). Also a
    ``KeyError``, as a lookup by key raises."""


def unknown_criterion(id_or_number: object, known: Sequence[str] = ()) -> UnknownCriterionError:
    """The error of a criterion lookup that found nothing (``known``: the ids there are)."""
    listed = ", ".join(known)
    return UnknownCriterionError(
        f"no criterion {id_or_number!r}" + (f" (the criteria are {listed})" if listed else ""),
        message_vi=f"không có tiêu chí {id_or_number!r}"
        + (f" (các tiêu chí: {listed})" if listed else ""),
        path=("criterion",),
    )


def require_whole(name: str, value: object, *, minimum: int, none: bool = False) -> None:
    """Refuse an argument that is not a whole number ≥ ``minimum`` (None too when ``none``)
    with an :class:`ArgumentError` naming it: the one check of ``workers``, ``chunk_size``,
    ``max_compiled``, ``explanation_memo``."""
    if none and value is None:
        return
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return
    also = " (or None)" if none else ""
    also_vi = " (hoặc None)" if none else ""
    raise ArgumentError(
        f"must be a whole number >= {minimum}{also}, got {brief(value)}",
        message_vi=f"phải là một số nguyên từ {minimum} trở lên{also_vi}, "
        f"không phải {brief(value)}",
        path=(name,),
    )


def require_choice(name: str, value: object, choices: Sequence[str]) -> None:
    """Refuse an argument that is not one of ``choices`` with an :class:`ArgumentError`
    naming it (``errors=``, ``unknown_facts=``, ``form=``)."""
    if isinstance(value, str) and value in choices:
        return
    listed = ", ".join(repr(c) for c in choices)
    raise ArgumentError(
        f"must be one of {listed}, got {brief(value)}",
        message_vi=f"phải là một trong {listed}, không phải {brief(value)}",
        path=(name,),
    )
