"""Compiled rule sets: evidence validation, three-valued evaluation, explanations,
decision policies and batches."""

from emulation_rules.evaluation.ruleset import RuleSet

__all__ = ["RuleSet"]
