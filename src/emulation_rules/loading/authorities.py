"""The register of authorities (``rulesets/authorities/*.yaml``): one entry per body that
decides, proposes or receives in a plan, with its area, the dates it exists and its
successor after the 01/7/2025 reorganisation.

>>> import emulation_rules as er
>>> from datetime import date
>>> reg = er.Library().authorities()
>>> reg.get("bcd-138-district-hau-loc").to
datetime.date(2025, 6, 30)
>>> reg.authority_on("bcd-138-district-hau-loc", date(2025, 12, 31)).id
'bcd-138-province-thanh-hoa'

Errors name the file and the line (:class:`RuleSetError`) or the id and the date
(:class:`NotFoundError`), in English and Vietnamese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs

from emulation_rules.errors import Bilingual, NotFoundError
from emulation_rules.formatting import date_text
from emulation_rules.loading.catalogue import folder_roots, shipped_folder, top_level_yaml
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml
from emulation_rules.model.authority import AuthorityEntry, AuthorityFile

_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MAX_CHAIN = 16


def shipped_authorities_folder() -> Traversable:
    """The ``rulesets/authorities/`` folder shipped with the library."""
    return shipped_folder().joinpath("authorities")


@attrs.frozen
class AuthorityRegister:
    """The checked register (immutable): entries by id, and the file each came from."""

    entries: dict[str, AuthorityEntry]
    files: dict[str, str]

    def ids(self) -> list[str]:
        """The ids of the register, sorted."""
        return sorted(self.entries)

    def __iter__(self) -> Iterator[AuthorityEntry]:
        return iter(self.entries[i] for i in self.ids())

    def __contains__(self, authority_id: object) -> bool:
        return authority_id in self.entries

    def get(self, authority_id: str) -> AuthorityEntry:
        """The entry ``authority_id``; NotFoundError when the register has none."""
        entry = self.entries.get(authority_id)
        if entry is None:
            raise NotFoundError(
                f"no authority {authority_id!r} in the register (rulesets/authorities/)",
                path=("authority",),
                message_vi=f"sổ cơ quan (rulesets/authorities/) không có cơ quan {authority_id!r}",
            )
        return entry

    def authority_on(self, authority_id: str, day: date) -> AuthorityEntry:
        """The authority that holds ``authority_id``'s powers on ``day``: the entry itself
        while it exists, else its successor (followed as far as needed). NotFoundError when
        it did not exist yet on ``day``, or ended with no successor."""
        entry = self.get(authority_id)
        for _ in range(_MAX_CHAIN):
            if entry.exists_on(day):
                return entry
            if entry.from_ is not None and day < entry.from_:
                raise _not_yet(entry, day)
            if entry.successor is None:
                raise _ended(entry, day)
            entry = self.get(entry.successor)
        raise _ended(entry, day)  # pragma: no cover - the loader refuses cycles

    def chain(self, authority_id: str) -> tuple[AuthorityEntry, ...]:
        """``authority_id`` and its successors, in order."""
        out = [self.get(authority_id)]
        while out[-1].successor is not None and len(out) < _MAX_CHAIN:
            out.append(self.get(out[-1].successor))
        return tuple(out)


def _not_yet(entry: AuthorityEntry, day: date) -> NotFoundError:
    start = entry.from_ or day
    return NotFoundError(
        f"{entry.name.en} ({entry.id}) did not exist yet on {date_text(day, 'en')} "
        f"(it exists from {date_text(start, 'en')})",
        path=("authority",),
        message_vi=f"{entry.name.vi} ({entry.id}) chưa tồn tại vào ngày {date_text(day, 'vi')} "
        f"(tồn tại từ ngày {date_text(start, 'vi')})",
    )


def _ended(entry: AuthorityEntry, day: date) -> NotFoundError:
    end = entry.to or day
    return NotFoundError(
        f"{entry.name.en} ({entry.id}) no longer exists on {date_text(day, 'en')} (it ended "
        f"on {date_text(end, 'en')}) and no authority took over its powers",
        path=("authority",),
        message_vi=f"{entry.name.vi} ({entry.id}) không còn tồn tại vào ngày "
        f"{date_text(day, 'vi')} (đã chấm dứt sau ngày {date_text(end, 'vi')}) và không có "
        "cơ quan kế thừa thẩm quyền",
    )


def load_authorities(
    folders: Iterable[str | Path | Traversable] = (), *, shipped: bool = True
) -> AuthorityRegister:
    """Read and check the register: the shipped ``rulesets/authorities/`` and a host's
    own folders (each a folder of YAML files). RuleSetError names the file and line."""
    shipped_root = ("rulesets/authorities", shipped_authorities_folder()) if shipped else None
    entries: dict[str, AuthorityEntry] = {}
    files: dict[str, str] = {}
    docs: dict[str, tuple[SourceDoc, int]] = {}
    for name, text in top_level_yaml(folder_roots(folders, shipped_root)):
        doc = parse_yaml(text, name)
        spec: AuthorityFile = structure_spec(doc, AuthorityFile)
        for i, entry in enumerate(spec.authorities):
            _check_entry(doc, i, entry, files)
            entries[entry.id] = entry
            files[entry.id] = name
            docs[entry.id] = (doc, i)
    for authority_id, (doc, i) in docs.items():
        _check_successor(doc, i, entries[authority_id], entries)
    return AuthorityRegister(entries, files)


def _check_entry(doc: SourceDoc, i: int, entry: AuthorityEntry, files: dict[str, str]) -> None:
    here = ("authorities", i)
    if not _ID_RE.match(entry.id):
        raise doc.error(
            Bilingual(
                f"authority id {entry.id!r} must be lower-case-with-dashes",
                f"mã cơ quan {entry.id!r} phải viết thường, nối bằng dấu gạch ngang",
            ),
            (*here, "id"),
        )
    if entry.id in files:
        raise doc.error(
            Bilingual(
                f"authority {entry.id!r} is also defined in {files[entry.id]}",
                f"cơ quan {entry.id!r} đã được khai báo trong {files[entry.id]}",
            ),
            (*here, "id"),
        )
    if entry.from_ is not None and entry.to is not None and entry.to < entry.from_:
        raise doc.error(
            Bilingual(
                f"'to' ({date_text(entry.to, 'en')}) is before 'from' "
                f"({date_text(entry.from_, 'en')})",
                f"ngày kết thúc ({date_text(entry.to, 'vi')}) trước ngày bắt đầu "
                f"({date_text(entry.from_, 'vi')})",
            ),
            (*here, "to"),
        )
    if entry.successor is not None and entry.to is None:
        raise doc.error(
            Bilingual(
                "a successor needs the date the authority ends ('to')",
                "có cơ quan kế thừa thì phải ghi ngày cơ quan này chấm dứt ('to')",
            ),
            (*here, "successor"),
        )


def _check_successor(
    doc: SourceDoc, i: int, entry: AuthorityEntry, entries: dict[str, AuthorityEntry]
) -> None:
    if entry.successor is None or entry.to is None:
        return
    here = ("authorities", i, "successor")
    after = entries.get(entry.successor)
    if after is None:
        raise doc.error(
            Bilingual(
                f"no authority {entry.successor!r} in the register",
                f"sổ cơ quan không có cơ quan {entry.successor!r}",
            ),
            here,
        )
    next_day = entry.to + timedelta(days=1)
    if not after.exists_on(next_day):
        raise doc.error(
            Bilingual(
                f"the successor {after.id!r} does not exist on {date_text(next_day, 'en')}, "
                "the day after this authority ends",
                f"cơ quan kế thừa {after.id!r} không tồn tại vào ngày "
                f"{date_text(next_day, 'vi')}, ngày sau khi cơ quan này chấm dứt",
            ),
            here,
        )
