"""Every error the library makes carries its Vietnamese: the static check of
:mod:`error_sites` (error classes, the classes modules derive from them, ``Problem`` and
error factories) over the whole of ``src/``."""

from __future__ import annotations

from error_sites import SRC, untranslated_sites


def test_every_error_made_anywhere_carries_its_vietnamese() -> None:
    folders = [p for p in sorted(SRC.iterdir()) if p.is_dir() and p.name != "__pycache__"]
    assert untranslated_sites([*folders, *sorted(SRC.glob("*.py"))]) == []
