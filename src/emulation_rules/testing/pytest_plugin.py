"""The pytest plugin of emulation-rules (registered through the ``pytest11`` entry point,
so installing the library is enough).

* YAML case files (``cases/*.yaml``, ``*.cases.yaml``) under the paths pytest collects
  become test items, one per case; a failure lists the differing criteria with their
  reasons. Turn collection off with ``emulation_rules_cases = false`` in the ini file.
* ``--rule-coverage`` prints the rule coverage of the cases (and of evaluations recorded
  through the ``rule_coverage`` fixture) at the end; ``--rule-coverage-fail-under=100``
  fails the run when a rule set is under.
* Fixtures: ``rule_library`` (a Library with the folders of the ini option
  ``emulation_rules_folders``), ``rule_coverage`` (the session's RuleCoverage).

This module imports neither Hypothesis nor anything heavy: a host without the
``testing`` extra keeps a working pytest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulation_rules.api import Library
from emulation_rules.errors import EmulationRulesError
from emulation_rules.testing.casefile import Case, is_case_file, load_case_file
from emulation_rules.testing.coverage import RuleCoverage, render_coverage
from emulation_rules.testing.runner import CaseResult, CaseRunner, library_for, rule_set_folders

_STATE = pytest.StashKey["_State"]()


class _State:
    """Per-session state: libraries by folder set (compiled once), and the coverage."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.coverage = RuleCoverage()
        self.libraries: dict[tuple[Path, ...], Library] = {}

    def folders(self) -> list[Path]:
        return [Path(str(p)) for p in self.config.getini("emulation_rules_folders")]

    def library(self, case_file: Path) -> Library:
        key = tuple(rule_set_folders([case_file], self.folders()))
        found = self.libraries.get(key)
        if found is None:
            found = self.libraries[key] = Library(key)
        return found


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options and ini values of the plugin."""
    group = parser.getgroup("emulation-rules", "emulation-rules rule sets")
    group.addoption(
        "--rule-coverage",
        action="store_true",
        help="report which criteria were seen met, not met and unknown, and which "
        "branches of `if` expressions were taken",
    )
    group.addoption(
        "--rule-coverage-fail-under",
        type=float,
        metavar="PERCENT",
        help="fail when a rule set's rule coverage is under PERCENT",
    )
    parser.addini(
        "emulation_rules_folders",
        type="paths",
        help="folders of your own rule sets (for YAML cases and the rule_library fixture)",
    )
    parser.addini(
        "emulation_rules_cases",
        type="bool",
        default=True,
        help="collect YAML test cases (cases/*.yaml, *.cases.yaml); default true",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Create the session state."""
    config.stash[_STATE] = _State(config)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect YAML case files."""
    if is_case_file(file_path) and parent.config.getini("emulation_rules_cases"):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A YAML case file: one item per case (included cases too)."""

    def collect(self) -> Iterator[CaseItem]:
        """The cases of the file; a malformed file is a collection error naming the line."""
        try:
            cases = load_case_file(self.path)
        except EmulationRulesError as exc:
            raise self.CollectError(str(exc)) from None
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseFailed(Exception):
    """A case whose verdict differs from what it expects."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.case.name)
        self.result = result


class CaseItem(pytest.Item):
    """One YAML case, run against its rule set."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Evaluate the case; raise CaseFailed with the differences."""
        state = self.config.stash[_STATE]
        runner = CaseRunner(state.library(self.path), state.coverage)
        result = runner.run(self.case)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        """The differences, one line each, with the criteria's reasons."""
        if isinstance(excinfo.value, CaseFailed):
            result = excinfo.value.result
            lines = [f"case {result.case.name!r} ({result.case.where}) on {result.case.ruleset}"]
            if result.error is not None:
                lines.append(f"  {result.error}")
            lines.extend(f"  {d.render()}" for d in result.differences)
            return "\n".join(lines)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Where the case is written."""
        line = None if self.case.line is None else self.case.line - 1
        return self.path, line, f"case: {self.case.name}"


@pytest.fixture(scope="session")
def rule_coverage(request: pytest.FixtureRequest) -> RuleCoverage:
    """The session's rule coverage: ``rule_coverage.evaluate(ruleset, evidence)`` records
    an evaluation; ``--rule-coverage`` reports it with the YAML cases'."""
    return request.config.stash[_STATE].coverage


@pytest.fixture(scope="session")
def rule_library(request: pytest.FixtureRequest) -> Library:
    """A Library with the shipped rule sets and the ``emulation_rules_folders`` ones."""
    return library_for([], request.config.stash[_STATE].folders())


def _under(config: pytest.Config) -> list[str]:
    limit = config.getoption("rule_coverage_fail_under")
    if limit is None:
        return []
    report = config.stash[_STATE].coverage.report()
    return [
        f"rule coverage of {r.ruleset} {r.version} is {r.percent:.1f}%, under {limit}%"
        for r in report
        if r.percent + 1e-9 < limit
    ]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Print the rule coverage when asked."""
    if not (config.getoption("rule_coverage") or config.getoption("rule_coverage_fail_under")):
        return
    report = config.stash[_STATE].coverage.report()
    terminalreporter.section("rule coverage")
    terminalreporter.write_line(render_coverage(report) if report else "no rule set evaluated")
    for line in _under(config):
        terminalreporter.write_line(line)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when the coverage is under ``--rule-coverage-fail-under``."""
    if exitstatus == 0 and _under(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
