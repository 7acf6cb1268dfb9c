"""YAML test cases: the format, its errors (file, line, field), the runner's comparison,
rule coverage (statuses and branches of `if`), and the `emulation-rules test` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.cli.main import main
from emulation_rules.errors import CaseFileError
from emulation_rules.testing import (
    CaseRunner,
    RuleCoverage,
    find_case_files,
    load_case_file,
    parse_cases,
)
from support import ON, RULESETS

HEAD = f"ruleset: demo-functions\non: {ON.isoformat()}\ncases:\n"


def cases(text: str, base: Path | None = None) -> list[er.testing.Case]:
    return parse_cases(HEAD + text, "cases/demo.yaml", base=base)


def error(text: str) -> CaseFileError:
    with pytest.raises(CaseFileError) as info:
        cases(text)
    return info.value


@pytest.fixture(scope="module")
def runner() -> CaseRunner:
    return CaseRunner(er.Library([RULESETS], shipped=False))


def test_extends_inherits_evidence_and_applies_changes() -> None:
    first, second = cases(
        "- name: a\n  evidence: {score: 5, share: 60}\n  expect: {status: eligible}\n"
        "- name: b\n  extends: a\n  evidence: {score: 2}\n  without: [share]\n"
        "  expect: {criteria: {conditional: unknown}}\n"
    )
    assert first.evidence == {"score": 5, "share": 60}
    assert second.evidence == {"score": 2}
    assert (second.ruleset, second.on, second.line) == ("demo-functions", ON, 7)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("- name: a\n  expect: {status: eligible}\n  evdence: {}\n", 6, "unknown key"),
        ("- name: a\n  expect: {status: elegible}\n", 5, "elegible"),
        ("- name: a\n  expect: {}\n", 5, "expects nothing"),
        ("- name: a\n  extends: z\n  expect: {status: eligible}\n", 5, "not a case above"),
        ("- name: a\n  without: [x]\n  expect: {status: eligible}\n", 5, "cannot remove 'x'"),
        (
            "- name: a\n  expect: {status: eligible}\n- name: a\n  expect: {status: eligible}\n",
            6,
            "another case is named",
        ),
        (
            "- name: a\n  evidence_file: nowhere.json\n  expect: {status: eligible}\n",
            5,
            "cannot read",
        ),
        ("- name: a\n  expect: {status: eligible\n", 5, "malformed YAML"),
    ],
)
def test_errors_name_the_file_and_the_line(text: str, line: int, message: str) -> None:
    exc = error(text)
    assert exc.file == "cases/demo.yaml"
    assert exc.line is not None and abs(exc.line - line) <= 1, (exc.line, str(exc))
    assert message in str(exc)
    assert isinstance(exc, er.RuleSetError) and isinstance(exc, er.EmulationRulesError)


def test_no_date_is_an_error() -> None:
    with pytest.raises(CaseFileError, match="no evaluation date"):
        parse_cases(
            "ruleset: demo-functions\ncases:\n- name: a\n  expect: {status: eligible}\n", "x"
        )


def test_on_is_a_key_not_a_boolean() -> None:
    # YAML 1.1 reads a bare `on` as true; in our files it is the evaluation date's key
    (case,) = cases("- name: a\n  expect: {status: eligible}\n")
    assert case.on == ON


def test_runner_reports_the_differing_criteria_with_their_reasons(runner: CaseRunner) -> None:
    (case,) = cases(
        "- name: a\n  evidence: {share: 40, score: 6.5}\n"
        "  expect: {criteria: {conditional: met, nosuch: met}, missing: {conditional: [share]}}\n"
    )
    result = runner.run(case)
    assert not result.passed
    subjects = {d.subject: d for d in result.differences}
    got = subjects["criterion conditional"]
    assert (got.expected, got.actual) == ("met", "not_met")
    assert got.reason is not None and got.reason.vi and got.reason.en
    assert subjects["criterion nosuch"].actual == "no such criterion"
    assert subjects["criterion conditional missing"].actual == "nothing"
    assert "expected met, got not_met" in got.render()


def test_runner_turns_bad_evidence_into_a_failed_case(runner: CaseRunner) -> None:
    (case,) = cases("- name: a\n  evidence: {score: -1}\n  expect: {status: eligible}\n")
    result = runner.run(case)
    assert not result.passed and result.error is not None
    assert "EvidenceError" in result.error and "score" in result.error


def test_coverage_counts_statuses_and_both_branches_of_if(runner: CaseRunner) -> None:
    coverage = RuleCoverage()
    rs = runner.library.load("demo-functions", on=ON)
    for evidence in ({"share": 60, "score": 3}, {"share": 40, "score": 6.5}):
        coverage.evaluate(rs, evidence)
    (report,) = coverage.report()
    (branch,) = [b for b in report.branches if b.criterion == "conditional"]
    assert branch.then_taken and branch.else_taken and not branch.decided_by
    cond = next(c for c in report.criteria if c.id == "conditional")
    assert cond.seen == {er.CriterionStatus.MET, er.CriterionStatus.NOT_MET}
    assert cond.never == (er.CriterionStatus.UNKNOWN,)
    coverage.evaluate(rs, {})
    (report,) = coverage.report()
    assert next(c for c in report.criteria if c.id == "conditional").never == ()
    assert report.evaluations == 3


def test_one_branch_only_is_a_gap(runner: CaseRunner) -> None:
    coverage = RuleCoverage()
    coverage.evaluate(runner.library.load("demo-functions", on=ON), {"share": 60, "score": 3})
    (report,) = coverage.report()
    assert any("else branch never taken" in g for g in report.gaps())
    assert report.percent < 100


def test_an_if_decided_by_a_parameter_is_not_counted() -> None:
    rs = er.Library().load("typical-commune", on=ON)
    coverage = RuleCoverage()
    coverage.evaluate(rs, {})
    (report,) = coverage.report()
    by_crit = {b.criterion: b for b in report.branches}
    assert by_crit["18"].decided_by == ("crime_contained_means_no_increase",)
    assert by_crit["18"].counted == 0
    assert by_crit["19"].decided_by == () and by_crit["19"].counted == 2


def test_include_reruns_another_files_cases_on_this_rule_set(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        HEAD
        + "- name: a\n  evidence: {share: 60}\n  expect: {criteria: {conditional: unknown}}\n"
        + "- name: b\n  evidence: {share: 60}\n  expect: {criteria: {chain: unknown}}\n",
        encoding="utf-8",
    )
    (tmp_path / "local.yaml").write_text(
        "ruleset: demo-other\non: 2024-06-01\ninclude:\n- file: base.yaml\n"
        "  evidence: {score: 4}\n  skip_criteria: [chain]\n",
        encoding="utf-8",
    )
    (case,) = load_case_file(tmp_path / "local.yaml")
    assert case.name == "a [base.yaml]" and case.ruleset == "demo-other"
    assert case.evidence == {"share": 60, "score": 4}


def test_find_case_files(tmp_path: Path) -> None:
    (tmp_path / "cases").mkdir()
    for name in ("cases/a.yaml", "b.cases.yaml", "rules.yaml"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in find_case_files([tmp_path])]
    assert found == ["b.cases.yaml", "cases/a.yaml"]
    with pytest.raises(CaseFileError):
        find_case_files([tmp_path / "nowhere"])


def test_case_files_beside_rule_sets_are_not_rule_sets(tmp_path: Path) -> None:
    source = (RULESETS / "demo-functions.yaml").read_text(encoding="utf-8")
    (tmp_path / "demo-functions.yaml").write_text(source, encoding="utf-8")
    (tmp_path / "demo-functions.cases.yaml").write_text(
        HEAD + "- name: a\n  evidence: {share: 60, score: 3}\n"
        "  expect: {criteria: {conditional: met}}\n",
        encoding="utf-8",
    )
    lib = er.Library([tmp_path], shipped=False)
    assert "demo-functions" in lib.catalogue.ids()


# -- the command -----------------------------------------------------------------------------
def _write_cases(tmp_path: Path, expect_conditional: str) -> Path:
    folder = tmp_path / "rules"
    (folder / "cases").mkdir(parents=True)
    (folder / "demo-functions.yaml").write_text(
        (RULESETS / "demo-functions.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "cases" / "demo.yaml").write_text(
        HEAD
        + "- name: share 60%, score 3\n  evidence: {share: 60, score: 3}\n"
        + f"  expect: {{criteria: {{conditional: {expect_conditional}}}}}\n",
        encoding="utf-8",
    )
    return folder


def test_cli_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_cases(tmp_path, "met")
    assert main(["test", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "PASS" in out and "1 passed, 0 failed" in out


def test_cli_fails_with_the_differing_criterion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _write_cases(tmp_path, "not_met")
    assert main(["test", str(folder), "--lang", "vi"]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "criterion conditional: expected not_met, got met" in out
    assert "demo.yaml:4" in out
    assert "0 passed, 1 failed" in out


def test_cli_coverage_and_fail_under(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_cases(tmp_path, "met")
    assert main(["test", str(folder), "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "Rule coverage" in out and "demo-functions 1" in out
    assert "else branch never taken" in out
    assert main(["test", str(folder), "--fail-under", "100"]) == 1
    assert "under 100.0%" in capsys.readouterr().out


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _write_cases(tmp_path, "not_met")
    assert main(["test", str(folder), "--format", "json", "--coverage"]) == 1
    data = json.loads(capsys.readouterr().out)
    (case,) = data["cases"]
    assert case["passed"] is False
    assert case["differences"][0]["subject"] == "criterion conditional"
    assert data["coverage"][0]["ruleset"] == "demo-functions"


@pytest.mark.parametrize(
    ("content", "message"),
    [("cases: [\n", "malformed YAML"), ("cases:\n- name: a\n", "expect")],
)
def test_cli_bad_case_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tmp_path / "bad.cases.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(tmp_path / "bad.cases.yaml")])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("emulation-rules: error: ") and "bad.cases.yaml" in err
    assert message in err and "Traceback" not in err


def test_cli_no_case_files_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["test", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "no case files" in capsys.readouterr().err
