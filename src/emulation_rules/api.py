"""The front door: a :class:`Library` of rule sets, and :func:`load`."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from emulation_rules.errors import ArgumentError, FormatError, require_whole
from emulation_rules.evaluation.evidence import UnknownFacts, check_unknown_facts
from emulation_rules.evaluation.explained import MEMO_SIZE, check_memo_size
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.loading.authorities import AuthorityRegister, load_authorities
from emulation_rules.loading.catalogue import Catalogue, is_yaml_name, with_folder
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.compact import Form
from emulation_rules.model.converter import (
    LibraryConverter,
    from_json,
    make_converter,
    to_json,
    verdict_hook_factory,
)
from emulation_rules.model.kinds.base import parse_iso_date
from emulation_rules.model.verdict import Verdict

T = TypeVar("T")


def _day(on: object) -> date:
    """The date a rule set is loaded for: a ``date``, an ISO text (``"2024-12-31"``), or
    today when ``None``; anything else is a ``TypeError`` saying what is accepted."""
    if on is None:
        return date.today()
    if isinstance(on, date):
        return on
    if isinstance(on, str):
        return _iso(on, "on")
    raise ArgumentError(
        f"on must be a date (or a text YYYY-MM-DD), got {type(on).__name__}",
        message_vi=f"on phải là một ngày (hoặc văn bản YYYY-MM-DD), không phải {type(on).__name__}",
        path=("on",),
    )


def _iso(text: str, field: str) -> date:
    day = parse_iso_date(text)
    if day is None:
        raise FormatError(
            f"expected a date YYYY-MM-DD, got {text!r}",
            path=(field,),
            message_vi=f"cần một ngày theo dạng YYYY-MM-DD, nhận được {text!r}",
        )
    return day


def _is_path(id_or_path: str | Path) -> bool:
    return isinstance(id_or_path, Path) or is_yaml_name(id_or_path)


class Library:
    """Rule sets from the shipped folder and a host's own folders, checked and compiled
    on first use and kept for reuse.

    One library is one world: it shares nothing mutable with another library, so a host
    can hold several (one per province, one per test) side by side. Safe to use from
    several threads.
    """

    def __init__(
        self,
        folders: Iterable[str | Path | Traversable] = (),
        *,
        shipped: bool = True,
        unknown_facts: UnknownFacts = "error",
        max_compiled: int = 256,
        explanation_memo: int = MEMO_SIZE,
    ) -> None:
        check_unknown_facts(unknown_facts)
        check_memo_size(explanation_memo)
        self.explanation_memo = explanation_memo
        """Explained results each compiled rule set keeps per criterion (see
        docs/evaluation.md, *Explanations are built when they are read*); 0 keeps none."""
        require_whole("max_compiled", max_compiled, minimum=1)
        self.unknown_facts: UnknownFacts = unknown_facts
        """What the rule sets of this library make of an evidence name they do not read,
        by default: ``"error"``, ``"ignore"`` or ``"report"`` (see
        :meth:`RuleSet.evaluate`)."""
        self.catalogue = Catalogue(folders, shipped=shipped)
        self._lock = threading.RLock()
        self._compiled: OrderedDict[tuple[str, str, str, date], RuleSet] = OrderedDict()
        self.max_compiled = max_compiled
        """How many compiled rule sets (one per rule set, version and date) the library
        keeps; the least recently used is dropped first (a host evaluating on every day
        of a year keeps memory bounded). A dropped one is compiled again when asked."""
        self._converter: LibraryConverter | None = None
        self._authorities: AuthorityRegister | None = None
        self._shipped = shipped

    def authorities(self) -> AuthorityRegister:
        """The register of authorities (``rulesets/authorities/``, read on first use):
        each body a plan names, with its area, the dates it exists and its successor after
        the 01/7/2025 reorganisation; ``authorities().authority_on(id, day)`` follows
        successors. A library made with ``shipped=False`` has an empty register."""
        with self._lock:
            if self._authorities is None:
                self._authorities = load_authorities(shipped=self._shipped)
            return self._authorities

    @property
    def converter(self) -> LibraryConverter:
        """This library's own cattrs converter (made on first use): the library's hooks,
        to which a host may add its own; they reach :meth:`to_json` and :meth:`from_json`
        of this library only, never another library's nor ``er.to_json``."""
        with self._lock:
            if self._converter is None:
                conv = make_converter()
                conv.register_structure_hook_factory(
                    lambda t: t is Verdict, verdict_hook_factory(self._read_compact)
                )
                self._converter = conv
            return self._converter

    def to_json(self, obj: Any, *, indent: int | None = None, form: Form = "expanded") -> str:
        """:func:`emulation_rules.to_json` through this library's :attr:`converter`
        (``form``: ``expanded``, ``compact`` or ``brief`` for a verdict)."""
        return to_json(obj, indent=indent, form=form, using=self.converter)

    def from_json(self, text: str | bytes, cls: type[T], *, where: str | None = None) -> T:
        """:func:`emulation_rules.from_json` through this library's :attr:`converter`:
        the same exact JSON reading and :class:`~emulation_rules.errors.FormatError`. A
        verdict in its compact form is rebuilt by the rule set that made it, loaded from
        this library by id and version for its date (its sha256 must match)."""
        return from_json(text, cls, where=where, using=self.converter)

    def _read_compact(self, data: Mapping[str, Any]) -> Verdict:
        ref = data.get("ruleset")
        day = data.get("evaluated_on")
        if not isinstance(ref, Mapping) or not isinstance(day, str):
            raise FormatError(
                "a compact verdict names its rule set and date",
                path=("ruleset",),
                message_vi="kết quả ở dạng rút gọn phải ghi bộ tiêu chí và ngày đánh giá",
            )
        for key in ("id", "version"):
            if not isinstance(ref.get(key), str):
                raise FormatError(
                    "expected a text",
                    path=("ruleset", key),
                    message_vi="cần một giá trị văn bản",
                )
        rs = self.load(ref["id"], version=ref["version"], on=_iso(day, "evaluated_on"))
        return rs.read_verdict(data)

    def explain(self, verdict: Verdict, evidence: Any) -> Verdict:
        """A stored verdict explained again from the unit's evidence by the rule set that
        made it (loaded by id and version for the verdict's date): see
        :meth:`RuleSet.explain`."""
        rs = self.load(verdict.ruleset.id, version=verdict.ruleset.version, on=verdict.evaluated_on)
        return rs.explain(verdict, evidence)

    def load(
        self, id_or_path: str | Path, *, on: date | str | None = None, version: str | None = None
    ) -> RuleSet:
        """The rule set ``id_or_path`` compiled for the date ``on`` (default: today).

        An id picks the version in force on that date (or ``version``); a path to a
        ``.yaml`` file loads that file, which may extend or require the library's rule
        sets. Raises NotFoundError or RuleSetError.
        """
        day = _day(on)
        if _is_path(id_or_path):
            definition = self.catalogue.check_file(id_or_path)
        else:
            definition = self.catalogue.definition(str(id_or_path), version=version, on=day)
        return self.compile(definition, day)

    def compile(self, definition: RuleSetDefinition, on: date) -> RuleSet:
        """Compile a checked rule set (and its prerequisites) for ``on``."""
        key = (definition.id, definition.version, definition.sha256, on)
        with self._lock:
            cached = self._compiled.get(key)
            if cached is None:
                prerequisites = [self.compile(p.definition, on) for p in definition.prerequisites]
                cached = RuleSet(
                    definition,
                    on,
                    prerequisites,
                    unknown_facts=self.unknown_facts,
                    explanation_memo=self.explanation_memo,
                )
                self._compiled[key] = cached
                while len(self._compiled) > self.max_compiled:  # the least recently used
                    self._compiled.popitem(last=False)
            else:
                self._compiled.move_to_end(key)
            return cached

    def definitions(self) -> list[RuleSetDefinition]:
        """The latest version of every rule set, checked, sorted by id."""
        return [self.catalogue.definition(i) for i in self.catalogue.ids()]


def load(
    id_or_path: str | Path,
    *,
    on: date | None = None,
    version: str | None = None,
    folders: Iterable[str | Path | Traversable] = (),
    unknown_facts: UnknownFacts = "error",
) -> RuleSet:
    """Load a rule set by id (shipped, or from ``folders``) or from a file path.

    ``on`` picks the version in force and the parameter values on that date (default:
    today); the verdicts it gives record that date. ``unknown_facts`` is the rule set's
    default policy for evidence names it does not read (see :meth:`RuleSet.evaluate`).
    A file's own folder is searched too, for the rule sets it extends or requires. Each
    call reads the files afresh; hold a :class:`Library` to reuse them.
    """
    roots: list[str | Path | Traversable] = list(folders)
    if _is_path(id_or_path) and Path(id_or_path).parent.is_dir():
        roots = with_folder(roots, Path(id_or_path).parent)
    return Library(roots, unknown_facts=unknown_facts).load(id_or_path, on=on, version=version)
