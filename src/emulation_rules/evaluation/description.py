"""A compiled rule set as plain JSON data, the parts every reader of it shares: what
``emulation-rules show --format json`` and the web API's rule-set definition both start
from (each adds what its reader needs)."""

from __future__ import annotations

from typing import Any

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.converter import converter

__all__ = ["criterion_head", "ruleset_head"]


def ruleset_head(rs: RuleSet) -> dict[str, Any]:
    """Id, version, sha256, title, source, effective period and the units it applies to."""
    d = rs.definition
    return {
        "id": d.id,
        "version": d.version,
        "sha256": d.sha256,
        "title": converter.unstructure(d.title),
        "source": converter.unstructure(d.source),
        "effective": converter.unstructure(d.effective),
        "applies_to": [k.value for k in d.applies_to],
    }


def criterion_head(c: CheckedCriterion) -> dict[str, Any]:
    """A criterion's id, number, group, title and text."""
    return {
        "id": c.id,
        "number": c.spec.number,
        "group": c.spec.group,
        "title": converter.unstructure(c.spec.title),
        "text": converter.unstructure(c.spec.text),
    }
