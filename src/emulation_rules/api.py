"""The front door: a :class:`Library` of rule sets, and :func:`load`."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.loading.catalogue import Catalogue, is_yaml_name, with_folder
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.model.converter import LibraryConverter, from_json, make_converter

T = TypeVar("T")


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
        self, folders: Iterable[str | Path | Traversable] = (), *, shipped: bool = True
    ) -> None:
        self.catalogue = Catalogue(folders, shipped=shipped)
        self._lock = threading.RLock()
        self._compiled: dict[tuple[str, str, str, date], RuleSet] = {}
        self._converter: LibraryConverter | None = None

    @property
    def converter(self) -> LibraryConverter:
        """This library's own cattrs converter (made on first use): the library's hooks,
        to which a host may add its own; they reach :meth:`to_json` and :meth:`from_json`
        of this library only, never another library's nor ``er.to_json``."""
        with self._lock:
            if self._converter is None:
                self._converter = make_converter()
            return self._converter

    def to_json(self, obj: Any, *, indent: int | None = None) -> str:
        """:func:`emulation_rules.to_json` through this library's :attr:`converter`."""
        return json.dumps(self.converter.unstructure(obj), ensure_ascii=False, indent=indent)

    def from_json(self, text: str | bytes, cls: type[T], *, where: str | None = None) -> T:
        """:func:`emulation_rules.from_json` through this library's :attr:`converter`:
        the same exact JSON reading and :class:`~emulation_rules.errors.FormatError`."""
        return from_json(text, cls, where=where, using=self.converter)

    def load(
        self, id_or_path: str | Path, *, on: date | None = None, version: str | None = None
    ) -> RuleSet:
        """The rule set ``id_or_path`` compiled for the date ``on`` (default: today).

        An id picks the version in force on that date (or ``version``); a path to a
        ``.yaml`` file loads that file, which may extend or require the library's rule
        sets. Raises NotFoundError or RuleSetError.
        """
        day = on or date.today()
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
                cached = RuleSet(definition, on, prerequisites)
                self._compiled[key] = cached
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
) -> RuleSet:
    """Load a rule set by id (shipped, or from ``folders``) or from a file path.

    ``on`` picks the version in force and the parameter values on that date (default:
    today); the verdicts it gives record that date. A file's own folder is searched too,
    for the rule sets it extends or requires. Each call reads the files afresh; hold a
    :class:`Library` to reuse them.
    """
    roots: list[str | Path | Traversable] = list(folders)
    if _is_path(id_or_path) and Path(id_or_path).parent.is_dir():
        roots = with_folder(roots, Path(id_or_path).parent)
    return Library(roots).load(id_or_path, on=on, version=version)
