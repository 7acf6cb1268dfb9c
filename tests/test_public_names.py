"""Every error and warning class a host may catch is importable from the package itself."""

from __future__ import annotations

import inspect

import emulation_rules as er
from emulation_rules import errors


def test_every_error_and_warning_is_exported_from_the_package() -> None:
    classes = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj)
        and obj.__module__ == errors.__name__
        and issubclass(obj, er.EmulationRulesError | er.EmulationRulesWarning)
    }
    assert classes, "no error classes found"
    missing = sorted(name for name in classes if name not in er.__all__)
    assert not missing, f"not exported from emulation_rules: {missing}"
    for name in classes:
        assert getattr(er, name) is getattr(errors, name)


SUBPACKAGES = ["awards", "campaigns", "evaluation", "model", "monitor", "testing", "web"]


def _exported(package: str) -> dict[str, object]:
    import importlib

    try:
        module = importlib.import_module(f"emulation_rules.{package}")
    except ImportError:  # an optional extra not installed
        return {}
    return {name: getattr(module, name) for name in getattr(module, "__all__", ())}


def test_the_awards_package_exports_what_a_host_uses() -> None:
    from emulation_rules import awards

    for name in ("allocate", "recognise", "Candidate", "CandidateKind", "AllocationOutcome"):
        assert name in awards.__all__, name
    for name in ("RecognitionOutcome", "check_dossier", "build_report", "load_procedure"):
        assert name in awards.__all__, name


def test_one_name_one_concept_across_the_public_packages() -> None:
    """No two different classes share a public name (there were two ``Outcome`` enums)."""
    seen: dict[str, object] = {name: getattr(er, name) for name in er.__all__}
    for package in SUBPACKAGES:
        for name, obj in _exported(package).items():
            if inspect.isclass(obj) and name in seen and inspect.isclass(seen[name]):
                assert seen[name] is obj, f"{name} names two classes"
            seen.setdefault(name, obj)
    assert "Outcome" not in seen


def test_a_candidate_of_an_unknown_kind_is_refused_saying_what_is_accepted() -> None:
    import pytest

    from emulation_rules.awards import Candidate, CandidateKind

    assert Candidate("to-1", "collective").kind is CandidateKind.COLLECTIVE  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one of 'collective', 'individual', got 'tập thể'"):
        Candidate("to-1", "tập thể")  # type: ignore[arg-type]


def test_criteria_have_public_titles(tmp_path: object) -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from support import ON, RULESETS

    rs = er.Library([RULESETS], shipped=False).load("demo-commune", on=ON)
    crit = rs.criterion("18")
    assert crit is rs.criterion(18) or crit.number == 18
    assert crit.title.vi and crit.title.en and crit.group
    assert "CheckedCriterion" in er.__all__ and isinstance(crit, er.CheckedCriterion)
