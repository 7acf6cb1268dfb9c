"""The pytest plugin, run the way a host runs it: a folder with its own rule set (the
commune overlay of docs/testing.md), its YAML cases and a test file of a few lines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "local-rulesets"


@pytest.fixture
def host(pytester: pytest.Pytester) -> Path:
    folder = pytester.path / "examples" / "local-rulesets"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(EXAMPLE.parent / "commune-all-met.json", folder.parent)  # the cases read it
    pytester.makeini("[pytest]\n")  # the host's own configuration, not ours
    return folder


def test_cases_and_properties_pass(pytester: pytest.Pytester, host: Path) -> None:
    result = pytester.runpytest_subprocess(str(host), "-p", "no:cacheprovider", "--rule-coverage")
    result.assert_outcomes(passed=9)  # 5 cases, 4 property tests
    result.stdout.fnmatch_lines(["*rule coverage*", "*typical-commune-phu-loc 2024.1*"])


def test_a_wrong_expectation_shows_the_differing_criterion(
    pytester: pytest.Pytester, host: Path
) -> None:
    cases = host / "cases" / "typical-commune-phu-loc.yaml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text.replace("criteria: {'35': not_met}", "criteria: {'35': met}"), "utf-8")
    result = pytester.runpytest_subprocess(str(host / "cases"), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["*criterion 35: expected met, got not_met (Criterion 35: not met.*"]
    )


def test_a_loosened_parameter_breaks_refinement(pytester: pytest.Pytester, host: Path) -> None:
    rules = host / "typical-commune-phu-loc.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("value: 10%", "value: 1%"), "utf-8")
    test_file = host / "test_local_rulesets.py"
    text = test_file.read_text(encoding="utf-8")
    test_file.write_text(text.replace('on="2024-12-31"', 'on="2024-12-31", shrink=False'), "utf-8")
    result = pytester.runpytest_subprocess(
        str(host / "test_local_rulesets.py"), "-p", "no:cacheprovider", "-k", "refines"
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*a parameter was loosened*"])


def test_coverage_fail_under(pytester: pytest.Pytester, host: Path) -> None:
    result = pytester.runpytest_subprocess(
        str(host / "cases"), "-p", "no:cacheprovider", "--rule-coverage-fail-under=100"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*rule coverage of typical-commune-phu-loc 2024.1 is *under 100*"])


def test_a_malformed_case_file_is_a_collection_error(pytester: pytest.Pytester, host: Path) -> None:
    (host / "cases" / "broken.yaml").write_text(
        "ruleset: typical-commune\non: 2024-12-31\ncases:\n- name: a\n  expect: {}\n", "utf-8"
    )
    result = pytester.runpytest_subprocess(str(host / "cases"), "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*broken.yaml:5*expects nothing*"])
    assert result.ret == pytest.ExitCode.INTERRUPTED
