"""A library pointed at a host's folder (issue 16, points 8 and 10): stray YAML files are
skipped with a warning naming them, the not-in-force error says which dates work, and the
per-date cache of compiled rule sets is bounded."""

from __future__ import annotations

import shutil
import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest

import emulation_rules as er
from support import ON, RULESETS


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULESETS, target)
    (target / "app-config.yaml").write_text("database: {host: localhost}\nport: 5432\n")
    (target / "notes.yml").write_text("- một\n- hai\n", encoding="utf-8")
    return target


def test_a_stray_yaml_file_is_skipped_with_a_warning_naming_it(folder: Path) -> None:
    lib = er.Library([folder], shipped=False)
    with pytest.warns(er.NotARuleSetWarning) as caught:
        rs = lib.load("demo-commune", on=ON)
    assert rs.id == "demo-commune"
    messages = sorted(str(w.message) for w in caught)
    assert any("app-config.yaml: skipped: not a rule set" in m for m in messages)
    assert any("notes.yml: skipped" in m for m in messages)
    # the shipped rule sets load beside the host's folder too
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", er.NotARuleSetWarning)
        assert er.Library([folder]).load("typical-commune", on=date(2025, 6, 1)).criteria


def test_a_file_that_declares_a_rule_set_but_is_malformed_is_still_an_error(
    folder: Path,
) -> None:
    (folder / "broken.yaml").write_text("id: broken\ncriteria: 5\n")
    with (
        warnings.catch_warnings(),
        pytest.raises(er.RuleSetError, match=r"broken\.yaml"),
    ):
        warnings.simplefilter("ignore", er.NotARuleSetWarning)
        er.Library([folder], shipped=False).load("demo-commune", on=ON)


def test_a_stray_file_loaded_by_path_is_an_error(folder: Path) -> None:
    with pytest.raises(er.RuleSetError, match=r"app-config\.yaml"):
        er.Library([folder], shipped=False).load(folder / "app-config.yaml", on=ON)


def test_the_not_in_force_error_suggests_a_date_that_works() -> None:
    lib = er.Library()
    with pytest.raises(er.NotFoundError) as caught:
        lib.load("special-campaign-targets-binh-luong", on=date(2026, 12, 3))
    message = str(caught.value)
    assert "in force: 2024.1: 2024-08-19–2025-08-19" in message
    assert "e.g. on=2025-08-19" in message
    assert lib.load("special-campaign-targets-binh-luong", on=date(2025, 8, 19)).criteria


def test_the_cache_of_compiled_rule_sets_is_bounded() -> None:
    lib = er.Library([RULESETS], shipped=False, max_compiled=3)
    first = lib.load("demo-commune", on=ON)
    assert lib.load("demo-commune", on=ON) is first  # kept
    for day in range(1, 6):
        lib.load("demo-commune", on=ON + timedelta(days=day))
    assert len(lib._compiled) == 3
    again = lib.load("demo-commune", on=ON)
    assert again is not first and again.evaluate({}) == first.evaluate({})


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_a_bad_cache_size_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="max_compiled"):
        er.Library(max_compiled=bad)  # type: ignore[arg-type]


def test_the_date_may_be_an_iso_text_and_anything_else_is_a_clear_error() -> None:
    lib = er.Library([RULESETS], shipped=False)
    assert lib.load("demo-commune", on=ON.isoformat()) is lib.load("demo-commune", on=ON)
    with pytest.raises(er.FormatError, match="expected a date YYYY-MM-DD"):
        lib.load("demo-commune", on="31-12-2024")
    with pytest.raises(TypeError, match="on must be a date"):
        lib.load("demo-commune", on=20241231)  # type: ignore[arg-type]
