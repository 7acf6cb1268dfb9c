"""A monitor's state as plain data: the helpers that copy it and carry decimals through
JSON (as text) and back."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from emulation_rules.model.ruleset import FactSpec, FactType

STATE_FORMAT = 1
"""The version of :meth:`~emulation_rules.monitor.Monitor.save`'s output."""


def copy_data(data: Any) -> Any:
    """A deep copy of plain data (dicts, lists, scalars); tuples become lists."""
    if isinstance(data, dict):
        return {k: copy_data(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [copy_data(v) for v in data]
    return data


def plain_evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence as JSON-ready data: decimals as text."""
    return {k: str(v) if isinstance(v, Decimal) else copy_data(v) for k, v in evidence.items()}


def evidence_from_plain(facts: Mapping[str, FactSpec], data: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence back from :func:`plain_evidence`: decimal and percentage facts as decimals."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        spec = facts.get(name)
        decimal = spec is not None and spec.type in (FactType.PERCENTAGE, FactType.DECIMAL)
        out[name] = Decimal(value) if decimal and isinstance(value, str) else copy_data(value)
    return out
