"""A host application's whole test file for its own rule sets (docs/testing.md).

The YAML cases in cases/ are collected by the emulation-rules pytest plugin; this class
property-tests every rule set of this folder with all the laws."""

from pathlib import Path

from emulation_rules.testing import rule_set_properties

TestLocalRuleSets = rule_set_properties(Path(__file__).parent, on="2024-12-31")
