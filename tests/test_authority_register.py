"""The register of authorities (rulesets/authorities/): dated entries, successors, errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.loading.authorities import load_authorities, shipped_authorities_folder

REG = er.Library().authorities()


def test_the_register_ships_with_the_rule_sets() -> None:
    assert shipped_authorities_folder().is_dir()
    assert "bcd-138-district-hau-loc" in REG and "ubnd-province-kon-tum" in REG


def test_an_authority_is_itself_while_it_exists_and_its_successor_after() -> None:
    assert REG.authority_on("bcd-138-district-hau-loc", date(2025, 6, 30)).id == (
        "bcd-138-district-hau-loc"
    )
    assert REG.authority_on("bcd-138-district-hau-loc", date(2025, 7, 1)).id == (
        "bcd-138-province-thanh-hoa"
    )
    assert (
        REG.authority_on("ubnd-province-kon-tum", date(2025, 6, 30)).id == "ubnd-province-kon-tum"
    )
    assert REG.authority_on("ubnd-province-kon-tum", date(2025, 7, 1)).id == (
        "ubnd-province-quang-ngai"
    )
    assert [e.id for e in REG.chain("ubnd-province-dong-nai")] == [
        "ubnd-province-dong-nai",
        "ubnd-province-dong-nai-2025",
    ]


def test_an_authority_with_no_successor_is_not_found_after_its_end_in_both_languages() -> None:
    with pytest.raises(er.NotFoundError) as info:
        REG.authority_on("chairman-ubnd-district-nhu-xuan", date(2025, 7, 1))
    assert "2025-06-30" in info.value.message
    assert info.value.message_vi is not None and "30/06/2025" in info.value.message_vi
    assert REG.authority_on("chairman-ubnd-district-nhu-xuan", date(2025, 6, 30)).to == date(
        2025, 6, 30
    )


def test_a_successor_does_not_exist_before_it_begins() -> None:
    with pytest.raises(er.NotFoundError) as info:
        REG.authority_on("ubnd-province-quang-ngai", date(2025, 6, 30))
    assert info.value.message_vi is not None and "chưa tồn tại" in info.value.message_vi


def test_an_unknown_id_is_not_found() -> None:
    with pytest.raises(er.NotFoundError) as info:
        REG.get("ubnd-province-atlantis")
    assert info.value.message_vi is not None


def test_every_entry_has_a_vietnamese_and_english_name_and_an_area() -> None:
    for entry in REG:
        assert entry.name.vi and entry.name.en and entry.area.vi and entry.area.en


ONE = """\
authorities:
  - id: a
    name: {vi: A, en: A}
    level: district
    area: {vi: X, en: X}
    to: 2025-06-30
    successor: b
  - id: b
    name: {vi: B, en: B}
    level: province
    area: {vi: Y, en: Y}
    from: 2025-07-01
"""


def _load(tmp_path: Path, text: str) -> er.RuleSetError:
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(er.RuleSetError) as info:
        load_authorities([tmp_path], shipped=False)
    return info.value


def test_a_host_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(ONE, encoding="utf-8")
    reg = load_authorities([tmp_path], shipped=False)
    assert reg.ids() == ["a", "b"] and reg.files["a"].endswith("x.yaml")
    assert reg.authority_on("a", date(2026, 1, 1)).id == "b"


@pytest.mark.parametrize(
    ("old", "new", "line", "vi"),
    [
        ("successor: b", "successor: c", 7, "không có cơ quan 'c'"),
        ("from: 2025-07-01", "from: 2025-07-02", 7, "không tồn tại vào ngày 01/07/2025"),
        ("to: 2025-06-30", "from: 2025-07-01\n    to: 2025-06-30", 7, "trước ngày bắt đầu"),
        ("  - id: b", "  - id: a", 8, "đã được khai báo"),
        ("  - id: a", "  - id: A_1", 2, "viết thường"),
        ("    level: district", "    levels: district", 2, None),
    ],
)
def test_errors_name_the_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, vi: str | None
) -> None:
    err = _load(tmp_path, ONE.replace(old, new, 1))
    assert err.file is not None and err.file.endswith("x.yaml")
    assert err.line == line
    if vi is not None:
        assert err.message_vi is not None and vi in err.message_vi


def test_a_successor_needs_an_end_date(tmp_path: Path) -> None:
    err = _load(tmp_path, ONE.replace("    to: 2025-06-30\n", "", 1))
    assert err.message_vi is not None and "chấm dứt" in err.message_vi
