"""Shared fixtures: one Library of the shipped and test rule sets for the whole session
(a Library is immutable once a rule set is compiled, and safe to share)."""

from __future__ import annotations

import pytest

import emulation_rules as er
from support import ON, RULESETS

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def library() -> er.Library:
    return er.Library([RULESETS], shipped=False)


@pytest.fixture(scope="session")
def commune(library: er.Library) -> er.RuleSet:
    """demo-commune as in force on 2024-06-01 (5% reduction)."""
    return library.load("demo-commune", on=ON)


@pytest.fixture(scope="session")
def functions(library: er.Library) -> er.RuleSet:
    return library.load("demo-functions", on=ON)


@pytest.fixture(scope="session")
def overlay(library: er.Library) -> er.RuleSet:
    return library.load("demo-overlay", on=ON)


@pytest.fixture(scope="session")
def points(library: er.Library) -> er.RuleSet:
    return library.load("demo-points", on=ON)


@pytest.fixture(scope="session")
def at_least(library: er.Library) -> er.RuleSet:
    return library.load("demo-at-least", on=ON)


@pytest.fixture(scope="session")
def division(library: er.Library) -> er.RuleSet:
    return library.load("demo-division", on=ON)
