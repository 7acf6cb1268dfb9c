"""Hypothesis strategies and laws for testing rule sets (the ``testing`` extra).

``evidence(ruleset)`` derives evidence from a loaded rule set's fact declarations;
``satisfying=True`` builds evidence meeting every criterion and ``violating=id`` evidence
failing that criterion only. ``emulation_rules.testing.laws`` holds one-line assertions.
"""

from __future__ import annotations

from emulation_rules.testing import laws
from emulation_rules.testing.strategies import boundary_values, evidence, repair

__all__ = ["boundary_values", "evidence", "laws", "repair"]
