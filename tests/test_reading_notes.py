"""The readings a careful reader disputes are stated in the rule sets' notes, each with the
other reading's effect (issue 17, point 7)."""

from __future__ import annotations

from datetime import date

import pytest

import emulation_rules as er

LIB = er.Library()


@pytest.mark.parametrize(
    ("ruleset", "criterion", "vi", "en"),
    [
        ("special-campaign-targets-binh-luong", "4.2c", "Cách đọc khác (tập", "collective"),
        ("special-campaign-targets-dong-nai", "4.2b", "Cách đọc khác", "prorated"),
        ("special-campaign-targets-hai-phong", "4.5", "Cách đọc khác", "only widens"),
    ],
)
def test_the_note_states_the_other_reading_and_its_effect(
    ruleset: str, criterion: str, vi: str, en: str
) -> None:
    d = LIB.load(ruleset, on=date(2025, 2, 4)).definition
    (c,) = [c for c in d.criteria if c.id == criterion]
    note = c.spec.note
    assert note is not None
    note_vi, note_en = note.vi.replace("\n", " "), note.en.replace("\n", " ")
    assert vi in note_vi and en in note_en
    assert "whereas under this rule set's reading" in note_en
    assert "còn theo cách đọc của bộ quy tắc" in note_vi
