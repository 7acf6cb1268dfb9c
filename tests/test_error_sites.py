"""Every error the library makes carries its Vietnamese: both static checks (the one of
``error_sites``, which also follows error factories, and the one of ``error_sites_check``,
which also knows the error classes a module defines) over the whole of ``src/``."""

from __future__ import annotations

from pathlib import Path

from error_sites import SRC, untranslated_sites
from error_sites_check import unbilingual_raises

PENDING: frozenset[str] = frozenset()
"""Packages still being translated (empty once every package is done)."""


def _packages() -> list[Path]:
    folders = [p for p in sorted(SRC.iterdir()) if p.is_dir() and p.name not in PENDING]
    return [p for p in folders if p.name != "__pycache__"] + sorted(SRC.glob("*.py"))


def test_every_error_made_anywhere_carries_its_vietnamese() -> None:
    packages = _packages()
    assert untranslated_sites(packages) == []
    assert unbilingual_raises(packages) == []
