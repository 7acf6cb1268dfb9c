"""Testing rule sets: YAML test cases, rule coverage, Hypothesis strategies and laws.

* ``load_case_file`` / ``CaseRunner``: OpenFisca-style YAML cases beside rule sets (no
  Python needed to write them), run by ``emulation-rules test`` and the pytest plugin;
* ``RuleCoverage``: which criteria were seen met, not met and unknown, and which
  branches of ``if`` expressions were taken;
* ``evidence(ruleset)`` (needs the ``testing`` extra, i.e. Hypothesis): evidence derived
  from a rule set's fact declarations; ``satisfying=True`` meets every criterion,
  ``violating=id`` fails that criterion only; ``boundary_values``;
* ``laws``: one-line assertions (determinism, JSON round trip, monotonicity, missing
  never met, refinement, satisfying, violating only);
* ``rule_set_properties(folder)``: a pytest test class property-testing every rule set
  of a folder with all the laws.

Importing this package does not import Hypothesis; the strategies, the laws and
``rule_set_properties`` do, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulation_rules.testing.casefile import Case, find_case_files, load_case_file, parse_cases
from emulation_rules.testing.coverage import RuleCoverage, RuleSetCoverage, render_coverage
from emulation_rules.testing.runner import (
    CaseResult,
    CaseRunner,
    Difference,
    library_for,
    render_results,
)

if TYPE_CHECKING:
    from emulation_rules.testing import laws
    from emulation_rules.testing.properties import rule_set_properties
    from emulation_rules.testing.strategies import boundary_values, evidence, repair

_LAZY = {
    "laws": ("emulation_rules.testing.laws", None),
    "evidence": ("emulation_rules.testing.strategies", "evidence"),
    "boundary_values": ("emulation_rules.testing.strategies", "boundary_values"),
    "repair": ("emulation_rules.testing.strategies", "repair"),
    "rule_set_properties": ("emulation_rules.testing.properties", "rule_set_properties"),
}


def __getattr__(name: str) -> Any:
    """Import the Hypothesis-based parts on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attr is None else getattr(module, attr)


__all__ = [
    "Case",
    "CaseResult",
    "CaseRunner",
    "Difference",
    "RuleCoverage",
    "RuleSetCoverage",
    "boundary_values",
    "evidence",
    "find_case_files",
    "laws",
    "library_for",
    "load_case_file",
    "parse_cases",
    "render_coverage",
    "render_results",
    "repair",
    "rule_set_properties",
]
