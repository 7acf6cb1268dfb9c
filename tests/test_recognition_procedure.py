"""The Hậu Lộc recognition procedure as data: cycles, dates, authorities in force."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from emulation_rules.awards.recognition import load_procedure, parse_procedure
from emulation_rules.errors import NotFoundError, RuleSetError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "rulesets" / "recognition" / "hau-loc.yaml"


def test_shipped_procedure() -> None:
    proc = load_procedure("hau-loc")
    assert proc.id == "hau-loc"
    assert proc.rulesets == ("typical-commune", "typical-organisation")
    assert proc.spec.prerequisites == "typical-prerequisites"
    assert proc.document_kinds == ("proposal", "results_report", "review_minutes")
    assert proc.spec.source.document == "99/KH-BCĐ"
    assert all(a.source.document for a in proc.spec.authorities)
    assert load_procedure(DATA).spec == proc.spec


def test_2024_authority_is_the_district_steering_committee() -> None:
    cycle = load_procedure().cycle(2024)
    assert cycle.on == date(2024, 12, 31)
    assert cycle.selection_end == date(2024, 3, 31)
    assert cycle.authority.id == "district-bcd-138"
    assert cycle.authority.level == "district"
    assert "Ban Chỉ đạo 138 huyện Hậu Lộc" in cycle.authority.recogniser.vi
    assert "Công an huyện" in cycle.authority.proposer.vi
    assert cycle.authority.assumption is None


def test_2025_recognition_after_the_reform_is_not_the_district() -> None:
    proc = load_procedure()
    cycle = proc.cycle(2025)
    assert cycle.on == date(2025, 12, 31)
    assert cycle.authority.id != "district-bcd-138"
    assert cycle.authority.level != "district"
    assert "huyện" not in cycle.authority.recogniser.vi
    assert cycle.authority.assumption is not None  # the successor is the data's assumption
    assert "GIẢ ĐỊNH" in cycle.authority.assumption.vi
    assert "ASSUMPTION" in cycle.authority.assumption.en
    # the last day of the district and the first day after it
    assert proc.authority_on(date(2025, 6, 30)).id == "district-bcd-138"
    assert proc.authority_on(date(2025, 7, 1)).id == cycle.authority.id
    assert proc.cycle(2025, date(2025, 6, 15)).authority.id == "district-bcd-138"


def test_cycle_bounds() -> None:
    proc = load_procedure()
    with pytest.raises(NotFoundError, match="no cycle 2023"):
        proc.cycle(2023)
    with pytest.raises(NotFoundError, match="outside cycle 2024"):
        proc.cycle(2024, date(2024, 3, 31))  # still the selection quarter
    with pytest.raises(NotFoundError, match="outside cycle 2024"):
        proc.cycle(2024, date(2025, 4, 1))
    assert proc.cycle(2024, date(2025, 1, 15)).authority.id == "district-bcd-138"
    with pytest.raises(NotFoundError, match="no recognising authority"):
        proc.authority_on(date(2024, 1, 1))


def test_unknown_procedure() -> None:
    with pytest.raises(NotFoundError, match="no recognition procedure 'nowhere'"):
        load_procedure("nowhere")
    with pytest.raises(NotFoundError, match="cannot read"):
        load_procedure("missing/file.yaml")


def _variant(old: str, new: str) -> str:
    text = DATA.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("valid_from: 2025-07-01", "valid_from: 2025-06-30", "overlaps 'district-bcd-138'"),
        ("recognition: {month: 12, day: 31}", "recognition: {month: 2, day: 30}", "not a day"),
        ("  - kind: review_minutes", "  - kind: proposal", "given twice"),
        ("first_year: 2024", "first_year: 2024\n  colour: red", "unknown key"),
        ("valid_until: 2025-06-30", "valid_until: 2024-01-01", "before valid_from"),
    ],
)
def test_bad_procedure_files_name_file_and_line(old: str, new: str, message: str) -> None:
    with pytest.raises(RuleSetError, match=message) as info:
        parse_procedure(_variant(old, new), "bad.yaml")
    assert info.value.file == "bad.yaml"
    assert info.value.line is not None


def test_recognition_folder_is_not_a_rule_set_folder() -> None:
    import emulation_rules as er

    ids = {d.id for d in er.Library().definitions()}
    assert "hau-loc" not in ids and "typical-commune" in ids
