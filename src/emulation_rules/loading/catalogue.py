"""Finding rule sets: the shipped ones (inside the package) and a host's own folders.

A :class:`Catalogue` reads the YAML files of its folders once, the first time a rule set
is looked up by id (a file loaded by path that extends or requires nothing reads only
itself and the enumerations), and checks a rule set the first time it is asked for. It
holds no state shared with any other catalogue: two catalogues (two hosts, two tests, two
threads) never see each other's files or caches.

Folder layout: rule sets are ``*.yaml`` files anywhere below the folder, except in
``enumerations/`` (shared enumerations), ``campaigns/``, ``cases/`` (test cases),
``schema/``, ``recognition/`` and ``monitor/`` (monitor mappings), and except test-case
files named ``*.cases.yaml``. A YAML file that does not declare itself a rule set (a
mapping with ``id`` and ``criteria`` or ``extends``) is skipped with a
:class:`~emulation_rules.errors.NotARuleSetWarning` naming it.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterable, Iterator
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePath

import attrs

from emulation_rules.errors import Bilingual, NotARuleSetWarning, NotFoundError, RuleSetError
from emulation_rules.formatting import date_text
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.loading.resolve import read_enumerations, read_ruleset, resolve
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml, read_source
from emulation_rules.model.ruleset import EnumerationSpec, RuleSetSpec

SKIPPED_FOLDERS = frozenset(
    {"enumerations", "campaigns", "cases", "schema", "recognition", "monitor", "authorities"}
)
YAML_SUFFIXES = (".yaml", ".yml")
"""The names of YAML files: what tells a path from an id wherever one or the other is taken."""
CASE_FILE_SUFFIXES = (".cases.yaml", ".cases.yml")
"""Test-case files may sit beside rule sets under these names (or in a ``cases/`` folder)."""


def is_yaml_name(name: str | PurePath) -> bool:
    """Whether ``name`` (a file name, a path, or an id given where a path may be) names a
    YAML file: ``*.yaml`` or ``*.yml``."""
    return str(name).endswith(YAML_SUFFIXES)


def declares_ruleset(data: object) -> bool:
    """Whether a YAML file's data declares itself a rule set: a mapping with ``id`` and
    ``criteria`` or ``extends``. Any other YAML file in a library's folder (a host's
    configuration beside its rules) is skipped with a :class:`NotARuleSetWarning`."""
    return isinstance(data, dict) and "id" in data and ("criteria" in data or "extends" in data)


def is_case_file_name(name: str) -> bool:
    """Whether a file name is a test-case file's (``*.cases.yaml``), not a rule set's."""
    return name.endswith(CASE_FILE_SUFFIXES)


def shipped_folder() -> Traversable:
    """The ``rulesets/`` folder shipped with the library (inside the wheel, or the source
    checkout's ``rulesets/`` when the package runs from a source tree)."""
    packaged = resources.files("emulation_rules").joinpath("rulesets")
    if packaged.is_dir():
        return packaged
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "rulesets"
        if candidate.is_dir() and (parent / "pyproject.toml").is_file():
            return candidate
    return packaged


@attrs.frozen
class Entry:
    """A rule-set file found in a folder: its spec and where it came from."""

    spec: RuleSetSpec
    doc: SourceDoc


def _walk(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for child in sorted(folder.iterdir(), key=lambda c: c.name):
        rel = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name not in SKIPPED_FOLDERS and not child.name.startswith("."):
                yield from _walk(child, rel + "/")
        elif is_yaml_name(child.name) and not is_case_file_name(child.name):
            yield rel, child


def folder_roots(
    folders: Iterable[str | Path | Traversable], shipped: tuple[str, Traversable] | None
) -> list[tuple[str, Traversable]]:
    """The folders to read, each with the label its files are reported under: the shipped
    one first (if any), then the host's; a folder that does not exist is NotFoundError."""
    roots: list[tuple[str, Traversable]] = [shipped] if shipped else []
    for folder in folders:
        trav = Path(folder) if isinstance(folder, str | Path) else folder
        if not trav.is_dir():
            raise NotFoundError(
                f"no such folder: {folder}", message_vi=f"không tìm thấy thư mục {folder}"
            )
        roots.append((str(folder), trav))
    return roots


def with_folder(
    folders: Iterable[str | Path | Traversable], folder: str | Path
) -> list[str | Path | Traversable]:
    """``folders`` with ``folder`` added, unless it is one of them already or lies inside
    the shipped folder (which every catalogue reads: adding it again would define its
    rule sets twice)."""
    out = list(folders)
    resolved = Path(folder).resolve()
    known = {Path(str(f)).resolve() for f in out if isinstance(f, str | Path)}
    if resolved not in known and not resolved.is_relative_to(Path(str(shipped_folder())).resolve()):
        out.append(folder)
    return out


def top_level_yaml(roots: Iterable[tuple[str, Traversable]]) -> Iterator[tuple[str, str]]:
    """(reported name, text) of each YAML file at the top level of each root, sorted by
    name within a root; roots that are not folders are passed over."""
    for label, root in roots:
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir(), key=lambda c: c.name):
            if is_yaml_name(child.name) and child.is_file():
                yield f"{label}/{child.name}", read_source(child, f"{label}/{child.name}")


class Catalogue:
    """The rule sets of some folders, by id and version.

    ``Catalogue()`` holds the shipped rule sets; ``Catalogue(["my/rules"])`` adds a host's
    folder (its rule sets may extend or require shipped ones); ``shipped=False`` leaves the
    shipped rule sets out (the shipped enumerations stay: they are the shared vocabulary).
    """

    def __init__(
        self, folders: Iterable[str | Path | Traversable] = (), *, shipped: bool = True
    ) -> None:
        self._roots = folder_roots(folders, ("rulesets", shipped_folder()) if shipped else None)
        self._shipped = shipped
        self._lock = threading.RLock()
        self._entries: dict[str, list[Entry]] | None = None
        self._enums: dict[str, EnumerationSpec] | None = None
        self._definitions: dict[tuple[str, str], RuleSetDefinition] = {}
        self._resolving: set[tuple[str, str]] = set()

    # -- scanning --------------------------------------------------------------
    def _scan(self) -> None:
        """Read every file of the folders: needed whenever a rule set is looked up by id
        (which file holds it, which versions it has, whether two files define the same
        version). Loading a file by path reads only the files it needs."""
        if self._entries is not None:
            return
        self._scan_enumerations()
        entries: dict[str, list[Entry]] = {}
        for label, root in self._roots:
            for rel, file in _walk(root):
                name = f"{label}/{rel}"
                doc = parse_yaml(read_source(file, name), name)
                if not declares_ruleset(doc.data):
                    warnings.warn(
                        NotARuleSetWarning(
                            f"{name}: skipped: not a rule set (a rule-set file is a mapping "
                            "with `id` and `criteria` or `extends`)"
                        ),
                        stacklevel=2,
                    )
                    continue
                spec = read_ruleset(doc)
                versions = entries.setdefault(spec.id, [])
                for other in versions:
                    if other.spec.version == spec.version:
                        raise doc.error(
                            Bilingual(
                                f"rule set {spec.id} version {spec.version} is also defined in "
                                f"{other.doc.file}",
                                f"bộ tiêu chí {spec.id} phiên bản {spec.version} cũng được khai "
                                f"báo trong {other.doc.file}",
                            ),
                            ("version",),
                        )
                versions.append(Entry(spec, doc))
        self._entries = entries

    def _scan_enumerations(self) -> dict[str, EnumerationSpec]:
        """Read the ``enumerations/`` folders (the shipped one always): a file or two."""
        if self._enums is not None:
            return self._enums
        enums: dict[str, EnumerationSpec] = {}
        enum_files: dict[str, str] = {}
        enum_roots = (
            self._roots if self._shipped else [("rulesets", shipped_folder()), *self._roots]
        )
        for label, root in enum_roots:
            enum_dir = root.joinpath("enumerations")
            if enum_dir.is_dir():
                for rel, file in _walk(enum_dir):
                    name = f"{label}/enumerations/{rel}"
                    doc = parse_yaml(read_source(file, name), name)
                    for eid, enum_spec in read_enumerations(doc).items():
                        if eid in enums and enums[eid] != enum_spec:
                            raise doc.error(
                                Bilingual(
                                    f"enumeration {eid!r} is also declared in {enum_files[eid]}",
                                    f"danh mục {eid!r} cũng được khai báo trong {enum_files[eid]}",
                                ),
                                ("enumerations", eid),
                            )
                        enums[eid] = enum_spec
                        enum_files[eid] = name
        self._enums = enums
        return enums

    @property
    def enumerations(self) -> dict[str, EnumerationSpec]:
        """The shared enumerations, by id."""
        with self._lock:
            return dict(self._scan_enumerations())

    def ids(self) -> list[str]:
        """The ids of every rule set, sorted."""
        with self._lock:
            self._scan()
            assert self._entries is not None
            return sorted(self._entries)

    def entries(self, ruleset_id: str) -> list[Entry]:
        """Every version of a rule set, oldest effective date first."""
        with self._lock:
            self._scan()
            assert self._entries is not None
            found = self._entries.get(ruleset_id)
            if not found:
                known = ", ".join(sorted(self._entries))
                raise NotFoundError(
                    f"no rule set {ruleset_id!r} (known: {known or 'none'})",
                    message_vi=f"không có bộ tiêu chí {ruleset_id!r} "
                    f"(các bộ tiêu chí hiện có: {known or 'không có'})",
                )
            return sorted(found, key=lambda e: e.spec.effective.from_)

    def select(
        self, ruleset_id: str, *, version: str | None = None, on: date | None = None
    ) -> Entry:
        """The entry of ``ruleset_id``: the given version, or the one in force ``on`` that
        date (the latest version when no date is given)."""
        candidates = self.entries(ruleset_id)
        if version is not None:
            for entry in candidates:
                if entry.spec.version == version:
                    return entry
            versions = ", ".join(e.spec.version for e in candidates)
            raise NotFoundError(
                f"rule set {ruleset_id!r} has no version {version!r} (versions: {versions})",
                message_vi=f"bộ tiêu chí {ruleset_id!r} không có phiên bản {version!r} "
                f"(các phiên bản: {versions})",
            )
        if on is None:
            return candidates[-1]
        in_force = [e for e in candidates if e.spec.effective.covers(on)]
        if not in_force:
            raise _not_in_force(ruleset_id, on, candidates)
        return in_force[-1]

    # -- checking --------------------------------------------------------------
    def definition(
        self, ruleset_id: str, *, version: str | None = None, on: date | None = None
    ) -> RuleSetDefinition:
        """The checked rule set ``ruleset_id`` (see :meth:`select`)."""
        with self._lock:
            entry = self.select(ruleset_id, version=version, on=on)
            return self._check(entry)

    def check_file(self, path: str | Path, *, read_all: bool = False) -> RuleSetDefinition:
        """Check a rule-set file that need not be in the catalogue's folders (it may extend
        or require the catalogue's rule sets). Reads that file and the enumerations; the
        folders' rule sets are read only if it extends or requires one, or with
        ``read_all`` (which reports every broken file and every version defined twice, as
        a validation does)."""
        p = Path(path)
        doc = parse_yaml(read_source(p, str(path)), str(path))
        spec = read_ruleset(doc)
        with self._lock:
            if read_all:
                self._scan()
            return self._check(Entry(spec, doc))

    def _check(self, entry: Entry) -> RuleSetDefinition:
        key = (entry.spec.id, entry.spec.version)
        cached = self._definitions.get(key)
        if cached is not None and cached.file == entry.doc.file:
            return cached
        if key in self._resolving:
            raise entry.doc.error(
                Bilingual(
                    f"rule set {key[0]} extends or requires itself",
                    f"bộ tiêu chí {key[0]} kế thừa hoặc yêu cầu chính nó",
                ),
                ("extends",),
            )
        self._resolving.add(key)
        try:
            definition = resolve(entry.spec, entry.doc, self.enumerations, self._lookup)
        finally:
            self._resolving.discard(key)
        self._definitions[key] = definition
        return definition

    def _lookup(self, ruleset_id: str, version: str | None, on: date | None) -> RuleSetDefinition:
        try:
            return self.definition(ruleset_id, version=version, on=on)
        except NotFoundError as exc:
            raise RuleSetError(exc.bilingual()) from None


def _not_in_force(ruleset_id: str, on: date, candidates: list[Entry]) -> NotFoundError:
    """The error for a rule set with no version in force ``on``: it names the periods in
    force and a date to pass."""
    periods = ", ".join(
        f"{e.spec.version}: {e.spec.effective.from_}–{e.spec.effective.until or '…'}"
        for e in candidates
    )
    periods_vi = ", ".join(
        f"{e.spec.version}: từ {date_text(e.spec.effective.from_, 'vi')}"
        + (f" đến {date_text(e.spec.effective.until, 'vi')}" if e.spec.effective.until else "")
        for e in candidates
    )
    last = candidates[-1].spec.effective
    hint = last.until if last.until is not None and last.until < on else last.from_
    return NotFoundError(
        f"rule set {ruleset_id!r} is not in force on {on} (in force: {periods}); "
        f"pass a date in one of these periods, e.g. on={hint.isoformat()}",
        message_vi=f"bộ tiêu chí {ruleset_id!r} không có hiệu lực vào ngày "
        f"{date_text(on, 'vi')} (thời gian có hiệu lực: {periods_vi}); hãy chọn một ngày "
        f"trong các khoảng này, ví dụ ngày {date_text(hint, 'vi')}",
    )
