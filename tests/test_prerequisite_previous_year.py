"""Prerequisite 2 (selection in the first quarter) reads the previous year's classification;
the assessment year's is the documented alternative (issue 17, point 5)."""

from __future__ import annotations

from datetime import date

import emulation_rules as er

RS = er.Library().load("typical-prerequisites", on=date(2025, 3, 1))
BASE = {"assessment_year": 2025, "safe_standard_achieved": True, "safe_standard_year": 2024}


def test_the_previous_years_class_decides_by_default() -> None:
    assert RS.parameters["selection_reads_previous_year"] is True
    v = RS.evaluate({**BASE, "movement_class_previous_year": "average", "movement_class": "good"})
    assert v.status is er.Status.NOT_ELIGIBLE and v.not_met == ("2",)
    v = RS.evaluate({**BASE, "movement_class_previous_year": "good", "movement_class": "average"})
    assert v.status is er.Status.ELIGIBLE
    # in the first quarter the assessment year's class is not known: not needed
    assert RS.evaluate({**BASE, "movement_class_previous_year": "good"}).status is (
        er.Status.ELIGIBLE
    )
    v = RS.evaluate({**BASE, "movement_class": "good"})
    assert v.status is er.Status.UNDETERMINED
    assert v.criteria[1].missing == ("movement_class_previous_year",)


def test_the_assessment_year_reading_is_a_parameter() -> None:
    alt = RS.with_parameters({"selection_reads_previous_year": False})
    v = alt.evaluate({**BASE, "movement_class_previous_year": "average", "movement_class": "good"})
    assert v.status is er.Status.ELIGIBLE
    v = alt.evaluate({**BASE, "movement_class_previous_year": "good", "movement_class": "average"})
    assert v.status is er.Status.NOT_ELIGIBLE
