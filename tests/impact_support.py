"""Shared by the tests of a rule change and its impact: the shipped typical-commune, and
communes built from examples/commune-all-met.json with the crimes of two years varied."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ALL_MET = json.loads((ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8"))
DAY = date(2024, 12, 31)
PHU_LOC = ROOT / "examples" / "local-rulesets" / "typical-commune-phu-loc.yaml"


def crime_units() -> Iterator[dict[str, Any]]:
    """The all-met commune with the crimes of the two years varied (everything else met)."""
    for previous in (0, 1, 12, 20, 25, 40, 100, 250):
        for crimes in range(0, previous + 2):
            yield {
                **ALL_MET,
                "unit_id": f"Xã {previous}-{crimes}",
                "crimes_social_order_previous_year": previous,
                "crimes_social_order": crimes,
            }


def between_5_and_8(unit: dict[str, Any]) -> bool:
    """The criterion's text read by hand: met at 5% and not at 8% (crimes ≤ previous ×
    (1 − reduction)), i.e. the reduction lies in [5%, 8%)."""
    previous = Decimal(unit["crimes_social_order_previous_year"])
    crimes = unit["crimes_social_order"]
    return crimes <= previous * Decimal("0.95") and not crimes <= previous * Decimal("0.92")
