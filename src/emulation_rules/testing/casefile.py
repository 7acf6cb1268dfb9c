"""YAML test cases beside rule sets (OpenFisca-style): read, checked and resolved.

A case file holds defaults and a list of cases::

    ruleset: typical-commune        # an id, or a path to a .yaml file (relative to this file)
    on: 2024-12-31                  # the evaluation date
    cases:
      - name: reference commune
        evidence_file: ../../examples/commune-all-met.json
        expect: {status: eligible, others: met}
      - name: "18: 39 crimes against 40 the year before"
        extends: reference commune  # its evidence, then these changes
        evidence: {crimes_social_order: 39}
        without: [drug_addicts]     # facts removed
        expect:
          status: not_eligible
          criteria: {"18": not_met}
          others: met               # every criterion not named above
    include:                        # a variant re-runs its base's cases
      - file: typical-commune.yaml
        evidence: {local_fact: 1}   # added to every included case
        skip_criteria: ["18"]       # criteria the variant replaces

Case files live in a ``cases/`` folder or are named ``*.cases.yaml``; the rule-set
catalogue passes over both. Errors name the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from emulation_rules.errors import Bilingual, CaseFileError, FormatError, PathPart, RuleSetError
from emulation_rules.fileio import os_reason
from emulation_rules.jsontext import loads
from emulation_rules.loading.catalogue import is_case_file_name, is_yaml_name
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml
from emulation_rules.model.verdict import CriterionStatus, Status


@attrs.frozen
class ExpectSpec:
    """What a case expects. Only what is written is checked."""

    status: Status | None = None
    criteria: dict[str, CriterionStatus] = attrs.field(factory=dict)
    others: CriterionStatus | None = None
    """The status of every criterion not named in ``criteria``."""
    missing: dict[str, list[str]] = attrs.field(factory=dict)
    """Per criterion, the missing facts it must list (exactly, in any order)."""
    level: str | None = None
    points: Decimal | None = None


@attrs.frozen
class CaseSpec:
    """One case as written."""

    name: str
    expect: ExpectSpec
    ruleset: str | None = None
    on: date | None = None
    version: str | None = None
    extends: str | None = None
    evidence_file: str | None = None
    evidence: dict[str, Any] = attrs.field(factory=dict)
    without: list[str] = attrs.field(factory=list)
    note: str | None = None


@attrs.frozen
class IncludeSpec:
    """Run another file's cases against this file's rule set: a local variant re-runs
    its base's cases on the criteria it keeps."""

    file: str
    evidence: dict[str, Any] = attrs.field(factory=dict)
    """Facts added to every included case (the facts the variant adds)."""
    skip_criteria: list[str] = attrs.field(factory=list)
    """Criteria the variant replaces or drops: cases naming them are not included."""
    skip_cases: list[str] = attrs.field(factory=list)
    """Cases not included, by name."""


@attrs.frozen
class CaseFileSpec:
    """A case file as written: defaults for its cases, the cases, and included files."""

    cases: list[CaseSpec] = attrs.field(factory=list)
    ruleset: str | None = None
    on: date | None = None
    version: str | None = None
    note: str | None = None
    include: list[IncludeSpec] = attrs.field(factory=list)


@attrs.frozen
class Case:
    """A case ready to run: its rule set (id or file path), date and whole evidence."""

    name: str
    ruleset: str
    on: date
    evidence: dict[str, Any]
    expect: ExpectSpec
    file: str
    line: int | None
    version: str | None = None

    @property
    def where(self) -> str:
        """``file:line`` of the case."""
        return f"{self.file}:{self.line}" if self.line is not None else self.file


def is_case_file(path: Path) -> bool:
    """Whether ``path`` is a test-case file: YAML in a ``cases/`` folder, or
    ``*.cases.yaml``."""
    if not is_yaml_name(path.name):
        return False
    return is_case_file_name(path.name) or path.parent.name == "cases"


def find_case_files(paths: Iterable[str | Path]) -> list[Path]:
    """The case files named, and those below the folders named, sorted within each
    folder. A path that does not exist is a CaseFileError."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.y*ml")) if is_case_file(p))
        elif path.is_file():
            found.append(path)
        else:
            raise CaseFileError(
                f"no such file or folder: {raw}",
                message_vi=f"không có tệp hoặc thư mục này: {raw}",
            )
    return found


def load_case_file(path: str | Path, *, _including: tuple[str, ...] = ()) -> list[Case]:
    """Read, check and resolve the cases of one file (and of the files it includes)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        reason = os_reason(exc)
        raise CaseFileError(
            f"cannot read the case file: {reason}",
            file=str(path),
            message_vi=f"không đọc được tệp ca kiểm thử: {reason.vi}",
        ) from None
    except UnicodeDecodeError:
        raise CaseFileError(
            "the case file is not UTF-8 text",
            file=str(path),
            message_vi="tệp ca kiểm thử không phải văn bản UTF-8",
        ) from None
    return parse_cases(text, str(path), base=p.parent, _including=_including or (str(path),))


def parse_cases(
    text: str, file: str, *, base: Path | None = None, _including: tuple[str, ...] = ()
) -> list[Case]:
    """The cases of a case file's text reported as ``file``; ``base`` is the folder that
    relative ``ruleset`` and ``evidence_file`` paths start from."""
    try:
        doc = parse_yaml(text, file)
        spec: CaseFileSpec = structure_spec(doc, CaseFileSpec)
    except CaseFileError:
        raise
    except RuleSetError as exc:
        raise _as_case_error(exc) from None
    folder = base or Path()
    own = list(_resolve(spec, doc, folder))
    return own + list(_included(spec, doc, folder, _including or (file,)))


def _included(
    spec: CaseFileSpec, doc: SourceDoc, base: Path, chain: tuple[str, ...]
) -> Iterator[Case]:
    for i, inc in enumerate(spec.include):
        where: tuple[PathPart, ...] = ("include", i)
        path = base / inc.file
        if str(path) in chain or len(chain) > 8:
            message = Bilingual(
                f"{inc.file} includes this file again", f"{inc.file} lại đưa vào chính tệp này"
            )
            raise _error(doc, message, (*where, "file"))
        if not path.is_file():
            message = Bilingual(
                f"no such case file: {path}", f"không có tệp ca kiểm thử này: {path}"
            )
            raise _error(doc, message, (*where, "file"))
        ruleset = _located(spec.ruleset, base)
        if ruleset is None:
            message = Bilingual(
                "an include needs the file's `ruleset`",
                "muốn đưa tệp khác vào (`include`) thì tệp này phải ghi `ruleset`",
            )
            raise _error(doc, message, where)
        skip = set(inc.skip_criteria)
        cases = load_case_file(path, _including=(*chain, str(path)))
        unknown = set(inc.skip_cases) - {c.name for c in cases}
        if unknown:
            name = sorted(unknown)[0]
            message = Bilingual(
                f"no case named {name!r} in {inc.file}",
                f"không có ca kiểm thử nào tên {name!r} trong {inc.file}",
            )
            raise _error(doc, message, (*where, "skip_cases"))
        for case in cases:
            if case.name in inc.skip_cases:
                continue
            if skip & (set(case.expect.criteria) | set(case.expect.missing)):
                continue
            yield attrs.evolve(
                case,
                name=f"{case.name} [{Path(case.file).name}]",
                ruleset=ruleset,
                version=spec.version,
                on=spec.on or case.on,
                evidence={**case.evidence, **inc.evidence},
            )


def _as_case_error(exc: RuleSetError) -> CaseFileError:
    return CaseFileError(
        exc.message, path=exc.path, file=exc.file, line=exc.line, message_vi=exc.message_vi
    )


def _resolve(spec: CaseFileSpec, doc: SourceDoc, base: Path) -> Iterator[Case]:
    if not spec.cases and not spec.include:
        raise _error(doc, _NO_CASES, ("cases",))
    seen: dict[str, Case] = {}
    for i, case in enumerate(spec.cases):
        where: tuple[PathPart, ...] = ("cases", i)
        if not case.name.strip():
            raise _error(doc, _NO_NAME, (*where, "name"))
        if case.name in seen:
            message = Bilingual(
                f"another case is named {case.name!r}",
                f"đã có một ca kiểm thử khác tên {case.name!r}",
            )
            raise _error(doc, message, (*where, "name"))
        parent: Case | None = None
        if case.extends is not None:
            parent = seen.get(case.extends)
            if parent is None:
                message = Bilingual(
                    f"extends {case.extends!r}, which is not a case above it in this file",
                    f"kế thừa {case.extends!r}, nhưng đó không phải một ca kiểm thử ở phía trên "
                    "trong tệp này",
                )
                raise _error(doc, message, (*where, "extends"))
        evidence: dict[str, Any] = dict(parent.evidence) if parent else {}
        if case.evidence_file is not None:
            evidence.update(
                _read_evidence(doc, base / case.evidence_file, (*where, "evidence_file"))
            )
        evidence.update(case.evidence)
        _remove(doc, evidence, case.without, (*where, "without"))
        ruleset = (
            _located(case.ruleset, base)
            if case.ruleset is not None
            else parent.ruleset
            if parent is not None
            else _located(spec.ruleset, base)
        )
        if ruleset is None:
            raise _error(doc, _NO_RULESET, where)
        on = case.on or (parent.on if parent else None) or spec.on
        if on is None:
            raise _error(doc, _NO_DATE, where)
        version = case.version or (parent.version if parent else None) or spec.version
        _check_expect(doc, case.expect, (*where, "expect"))
        resolved = Case(
            name=case.name,
            ruleset=ruleset,
            on=on,
            evidence=evidence,
            expect=case.expect,
            file=doc.file,
            line=doc.line_of(where),
            version=version,
        )
        seen[case.name] = resolved
        yield resolved


def _remove(
    doc: SourceDoc, evidence: dict[str, Any], names: Iterable[str], where: tuple[PathPart, ...]
) -> None:
    """Remove a case's ``without`` facts from its evidence (each must be there)."""
    for name in names:
        if name not in evidence:
            message = Bilingual(
                f"cannot remove {name!r}: the evidence does not hold it",
                f"không bỏ được {name!r}: dữ liệu không có mục này",
            )
            raise _error(doc, message, where)
        del evidence[name]


def _located(ruleset: str | None, base: Path) -> str | None:
    """A rule-set id as is; a relative ``.yaml`` path from the case file's folder."""
    if ruleset is not None and is_yaml_name(ruleset):
        return str(base / ruleset) if not Path(ruleset).is_absolute() else ruleset
    return ruleset


def _check_expect(doc: SourceDoc, expect: ExpectSpec, where: tuple[PathPart, ...]) -> None:
    if (
        expect.status is None
        and not expect.criteria
        and expect.others is None
        and not expect.missing
        and expect.level is None
        and expect.points is None
    ):
        raise _error(doc, _EXPECTS_NOTHING, where)


def _read_evidence(doc: SourceDoc, path: Path, where: tuple[PathPart, ...]) -> Mapping[str, Any]:
    try:
        data = loads(path.read_bytes(), where=str(path))
    except OSError as exc:
        reason = os_reason(exc)
        message = Bilingual(f"cannot read {path}: {reason}", f"không đọc được {path}: {reason.vi}")
        raise _error(doc, message, where) from None
    except FormatError as exc:
        message = Bilingual(
            f"{path} is not JSON text: {exc.text_in('en')}",
            f"{path} không phải văn bản JSON hợp lệ: {exc.text_in('vi')}",
        )
        raise _error(doc, message, where) from None
    if not isinstance(data, dict):
        message = Bilingual(
            f"{path} must hold one JSON object (fact: value)",
            f"{path} phải chứa đúng một đối tượng JSON (tên dữ liệu: giá trị)",
        )
        raise _error(doc, message, where)
    return data


_NO_CASES = Bilingual("the file holds no cases", "tệp không có ca kiểm thử nào")
_NO_NAME = Bilingual("a case needs a name", "ca kiểm thử phải có tên")
_NO_RULESET = Bilingual(
    "no rule set: give `ruleset` in the case or the file",
    "chưa có bộ tiêu chí: ghi `ruleset` trong ca kiểm thử hoặc trong tệp",
)
_NO_DATE = Bilingual(
    "no evaluation date: give `on` in the case or the file",
    "chưa có ngày đánh giá: ghi `on` trong ca kiểm thử hoặc trong tệp",
)
_EXPECTS_NOTHING = Bilingual(
    "the case expects nothing: give at least `status` or `criteria`",
    "ca kiểm thử không nêu kết quả mong đợi nào: ghi ít nhất `status` hoặc `criteria`",
)


def _error(doc: SourceDoc, message: Bilingual, path: tuple[PathPart, ...]) -> CaseFileError:
    return CaseFileError(message, path=path, file=doc.file, line=doc.line_of(path))


__all__ = [
    "Case",
    "CaseFileSpec",
    "CaseSpec",
    "ExpectSpec",
    "IncludeSpec",
    "find_case_files",
    "is_case_file",
    "load_case_file",
    "parse_cases",
]
