"""YAML → checked model: strict parsing with line numbers, ``extends``/``requires``, the
shipped catalogue and host folders, JSON Schemas."""

from emulation_rules.loading.authorities import AuthorityRegister, load_authorities
from emulation_rules.loading.catalogue import Catalogue, shipped_folder
from emulation_rules.loading.definition import CheckedCriterion, RuleSetDefinition

__all__ = [
    "AuthorityRegister",
    "Catalogue",
    "CheckedCriterion",
    "RuleSetDefinition",
    "load_authorities",
    "shipped_folder",
]
