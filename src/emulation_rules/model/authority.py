"""Authorities as dated data: who decides, over which area, from when until when, and
who takes over after the 01/7/2025 reorganisation (two-level local government: districts
abolished, provinces merged).

The register is read from ``rulesets/authorities/*.yaml`` by
:mod:`emulation_rules.loading.authorities`; these classes are what the shared converter
structures each entry into (files spell ``from``, the class ``from_``).
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from emulation_rules.model.common import Citation, Text


class AuthorityLevel(enum.Enum):
    """The level an authority sits at."""

    NATIONAL = "national"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    ECONOMIC_ZONE = "economic_zone"


@attrs.frozen
class AuthorityEntry:
    """One authority of the register.

    ``from_``/``to`` bound its existence (inclusive; ``None``: not bounded in the data);
    ``successor`` is the register id of the authority that takes over its powers from the
    day after ``to`` (``None``: no one does, e.g. a district chairman's Giấy khen);
    ``competence`` says what it decides, quoting its source; ``assumption`` is set when an
    entry (typically a successor) is this data's reading rather than a cited text.
    """

    id: str
    name: Text
    level: AuthorityLevel
    area: Text
    from_: date | None = None
    to: date | None = None
    successor: str | None = None
    competence: Text | None = None
    assumption: Text | None = None
    source: Citation | None = None
    note: Text | None = None

    def exists_on(self, day: date) -> bool:
        """Whether the authority exists on ``day``."""
        return (self.from_ is None or self.from_ <= day) and (self.to is None or day <= self.to)


@attrs.frozen
class AuthorityFile:
    """The file format of ``rulesets/authorities/*.yaml``."""

    authorities: tuple[AuthorityEntry, ...]
    area: Text | None = None
    note: Text | None = None
