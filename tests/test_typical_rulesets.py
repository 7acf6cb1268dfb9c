"""The shipped typical-unit rule sets: typical-prerequisites, typical-commune (Annex I,
34 criteria) and typical-organisation (Annex II, 14 criteria) of Decision 9475/QĐ-BCA-V05
(also cited as 9745), as quoted in Plan 99/KH-BCĐ of Hậu Lộc.

Both sides of every criterion's threshold are YAML cases in ``rulesets/cases/`` (a unit
that meets everything, the example files, changed only in the facts of that criterion; the
other criteria stay met), run by the pytest plugin and ``emulation-rules test``. Here: what
cases cannot say (explanations, prerequisites, examples, texts and their sources).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.model.ruleset import Direction, FactType

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCES = ROOT / "docs" / "sources"
ON = date(2024, 12, 31)
MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


@pytest.fixture(scope="module")
def lib() -> er.Library:
    return er.Library()


@pytest.fixture(scope="module")
def commune(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-commune", on=ON)


@pytest.fixture(scope="module")
def organisation(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-organisation", on=ON)


@pytest.fixture(scope="module")
def prerequisites(lib: er.Library) -> er.RuleSet:
    return lib.load("typical-prerequisites", on=ON)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def changed(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied; a value of ``...`` removes the fact."""
    out = dict(base)
    for key, value in changes.items():
        if value is ...:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def check_only(
    rs: er.RuleSet, evidence: dict[str, Any], criterion: str, expected: er.CriterionStatus
) -> er.Verdict:
    """Evaluate with and without explanations; ``criterion`` has ``expected`` status and
    every other criterion is met. Returns the explained verdict."""
    verdicts = [rs.evaluate(evidence), rs.evaluate(evidence, explain=True)]
    for verdict in verdicts:
        statuses = {c.id: c.status for c in verdict.criteria}
        assert statuses[criterion] is expected, verdict.criterion(criterion).reason.en
        others = {cid: s for cid, s in statuses.items() if cid != criterion and s is not MET}
        assert others == {}, [verdict.criterion(c).reason.en for c in others]
        if expected is MET:
            assert verdict.status is er.Status.ELIGIBLE, verdict.reason.en
        elif expected is NOT_MET:
            assert verdict.status is er.Status.NOT_ELIGIBLE, verdict.reason.en
        else:
            assert verdict.status is er.Status.UNDETERMINED, verdict.reason.en
    assert verdicts[0].status is verdicts[1].status
    return verdicts[1]


# ---------------------------------------------------------------------------------------
# typical-commune: one or more cases per criterion, on both sides of each threshold
# ---------------------------------------------------------------------------------------
def test_commune_18_explains_the_threshold(commune: er.RuleSet) -> None:
    evidence = changed(
        example("commune-all-met.json"),
        {"crimes_social_order_previous_year": 40, "crimes_social_order": 39},
    )
    verdict = check_only(commune, evidence, "18", NOT_MET)
    explanation = verdict.criterion("18").explanation
    assert explanation is not None
    needed = {(n.fact, n.op, n.value) for n in explanation.needed}
    assert ("crimes_social_order", "<=", 38) in needed
    assert "tối đa 38 vụ" in verdict.criterion("18").reason.vi


def test_commune_29_three_of_two_hundred_is_exactly_one_and_a_half_percent(
    commune: er.RuleSet,
) -> None:
    evidence = changed(
        example("commune-all-met.json"),
        {"amnestied_or_released_persons": 200, "amnestied_or_released_reoffenders": 3},
    )
    verdict = check_only(commune, evidence, "29", NOT_MET)
    # fewer than 3 reoffenders is at most 2: whole persons, in the words the text reads
    assert "tức không quá 2 người." in verdict.criterion("29").reason.vi


# ---------------------------------------------------------------------------------------
# typical-organisation
# ---------------------------------------------------------------------------------------
def test_enterprise_only_tax_rule(organisation: er.RuleSet) -> None:
    school = example("school.json")
    enterprise = example("enterprise.json")
    assert "taxes_paid" not in school
    assert organisation.evaluate(school).status is er.Status.ELIGIBLE
    unpaid = changed(enterprise, {"taxes_paid": False})
    assert organisation.evaluate(unpaid).not_met == ("12",)
    as_school = changed(unpaid, {"organisation_kind": "school"})
    assert organisation.evaluate(as_school).status is er.Status.ELIGIBLE


# ---------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "file"),
    [("typical-commune", "commune-all-met.json"), ("typical-organisation", "enterprise.json")],
)
def test_prerequisite_failing_makes_the_unit_not_eligible(
    lib: er.Library, rule_set: str, file: str
) -> None:
    rs = lib.load(rule_set, on=ON)
    evidence = changed(example(file), {"safe_standard_achieved": False})
    verdict = rs.evaluate(evidence)
    assert verdict.not_met == ()  # every criterion is met ...
    assert verdict.status is er.Status.NOT_ELIGIBLE  # ... but the prerequisite is not
    assert "typical-prerequisites" in verdict.reason.vi
    assert "typical-prerequisites" in verdict.reason.en
    assert "điều kiện lựa chọn" in verdict.reason.vi
    (pre,) = verdict.prerequisites
    assert pre.name == "prerequisites"
    assert pre.status is er.Status.NOT_ELIGIBLE
    assert pre.failed == ("1",)


def test_prerequisite_movement_class_average_fails_both(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(
        changed(
            example("commune-all-met.json"),
            {"movement_class": "average", "movement_class_previous_year": "average"},
        )
    )
    assert verdict.not_met == ("15",)
    assert verdict.prerequisites[0].failed == ("2",)
    assert "typical-prerequisites" in verdict.reason.en


# ---------------------------------------------------------------------------------------
# Missing evidence
# ---------------------------------------------------------------------------------------
def test_missing_record_field_is_named(commune: er.RuleSet) -> None:
    orgs = [dict(o) for o in example("commune-all-met.json")["socio_political_organisations"]]
    del orgs[1]["rating"]
    evidence = changed(example("commune-all-met.json"), {"socio_political_organisations": orgs})
    verdict = check_only(commune, evidence, "6", UNKNOWN)
    assert "socio_political_organisations[1].rating" in verdict.criterion("6").missing


def test_missing_assessment_year_leaves_the_prerequisite_and_criterion_2_open(
    commune: er.RuleSet,
) -> None:
    verdict = commune.evaluate(changed(example("commune-all-met.json"), {"assessment_year": ...}))
    assert verdict.unknown == ("2",)
    assert verdict.status is er.Status.UNDETERMINED
    assert verdict.prerequisites[0].status is er.Status.UNDETERMINED
    assert "assessment_year" in verdict.prerequisites[0].missing


# ---------------------------------------------------------------------------------------
# The examples
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "file", "status", "not_met", "unknown"),
    [
        ("typical-commune", "commune-all-met.json", er.Status.ELIGIBLE, (), ()),
        ("typical-commune", "commune-fails-18-19.json", er.Status.NOT_ELIGIBLE, ("18", "19"), ()),
        ("typical-commune", "commune-missing-evidence.json", er.Status.UNDETERMINED, (), None),
        ("typical-organisation", "enterprise.json", er.Status.ELIGIBLE, (), ()),
        ("typical-organisation", "school.json", er.Status.ELIGIBLE, (), ()),
    ],
)
def test_examples(
    lib: er.Library,
    rule_set: str,
    file: str,
    status: er.Status,
    not_met: tuple[str, ...],
    unknown: tuple[str, ...] | None,
) -> None:
    evidence = example(file)
    assert isinstance(evidence.get("unit_id"), str)
    verdict = lib.load(rule_set, on=ON).evaluate(evidence, explain=True)
    assert verdict.status is status, verdict.reason.en
    assert verdict.not_met == not_met
    if unknown is not None:
        assert verdict.unknown == unknown
    else:
        assert verdict.unknown
    assert verdict.unit == evidence["unit_id"]
    assert all(p.status is er.Status.ELIGIBLE for p in verdict.prerequisites)


def test_example_files_are_utf8_with_diacritics() -> None:
    text = (EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8")
    assert "Hòa Bình" in text and "Hoàn thành tốt nhiệm vụ" in text


# ---------------------------------------------------------------------------------------
# Shape: counts, groups, source record, texts, parameters
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "ranges"),
    [
        (
            "typical-commune",
            {"leadership": (1, 7), "movement": (8, 14), "security": (15, 24), "police": (25, 34)},
        ),
        (
            "typical-organisation",
            {"leadership": (1, 8), "security": (9, 10), "organisation": (11, 14)},
        ),
    ],
)
def test_criteria_count_order_and_groups(
    lib: er.Library, rule_set: str, ranges: dict[str, tuple[int, int]]
) -> None:
    rs = lib.load(rule_set, on=ON)
    total = max(hi for _, hi in ranges.values())
    assert len(rs.criteria) == total
    assert [c.spec.number for c in rs.criteria] == list(range(1, total + 1))
    assert [c.id for c in rs.criteria] == [str(n) for n in range(1, total + 1)]
    assert [g.id for g in rs.definition.groups] == list(ranges)
    assert [g.number for g in rs.definition.groups] == list(range(1, len(ranges) + 1))
    for c in rs.criteria:
        lo, hi = ranges[c.spec.group]
        assert lo <= c.spec.number <= hi, c.id


@pytest.mark.parametrize(
    ("rule_set", "part", "applies_to"),
    [
        ("typical-commune", "Phụ lục I", ["commune"]),
        ("typical-organisation", "Phụ lục II", ["organisation", "agency", "enterprise", "school"]),
    ],
)
def test_source_record_keeps_both_numbers(
    lib: er.Library, rule_set: str, part: str, applies_to: list[str]
) -> None:
    rs = lib.load(rule_set, on=ON)
    d = rs.definition
    source = d.source
    assert source.document == "9475/QĐ-BCA-V05"
    assert source.also_cited_as == ("9745/QĐ-BCA-V05",)
    assert source.date == date(2022, 12, 28)
    assert source.issuer == "Bộ trưởng Bộ Công an"
    assert source.part == part
    assert source.quoted_in == "Kế hoạch 99/KH-BCĐ ngày 09/4/2024 của Ban Chỉ đạo 138 huyện Hậu Lộc"
    assert source.note is not None and "9475" in source.note and "9745" in source.note
    assert d.effective.from_ == date(2022, 12, 28)
    assert [k.value for k in d.applies_to] == applies_to
    assert [p.definition.id for p in d.prerequisites] == ["typical-prerequisites"]
    for c in rs.criteria:
        assert c.citation.document == "9475/QĐ-BCA-V05"
        assert c.citation.also_cited_as == ("9745/QĐ-BCA-V05",)
        assert c.citation.part == f"{part}, tiêu chí {c.spec.number}"


def test_prerequisites_source_and_scope(prerequisites: er.RuleSet) -> None:
    d = prerequisites.definition
    assert d.source.document == "99/KH-BCĐ"
    assert d.source.part == "Mục II.2"
    assert [k.value for k in d.applies_to] == [
        "commune",
        "organisation",
        "agency",
        "enterprise",
        "school",
    ]
    assert prerequisites.parameters["safe_standard_year_window"] == 1


def _transcription(path: Path) -> dict[str, tuple[str, str]]:
    """Criterion number → (vi, en) of a docs/sources transcription."""
    out: dict[str, tuple[str, str]] = {}
    current = None
    vi = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"## Tiêu chí (\d+) — ", line)
        if heading:
            current = heading.group(1)
        elif current and line.startswith("- Text (vi): "):
            vi = line.removeprefix("- Text (vi): ").strip()
        elif current and line.startswith("- Text (en): "):
            out[current] = (vi, line.removeprefix("- Text (en): ").strip())
    return out


@pytest.mark.parametrize(
    ("rule_set", "source_file"),
    [
        ("typical-commune", "qd-9475-annex-I-commune.md"),
        ("typical-organisation", "qd-9475-annex-II-organisation.md"),
    ],
)
def test_official_text_is_the_transcription_word_for_word(
    lib: er.Library, rule_set: str, source_file: str
) -> None:
    texts = _transcription(SOURCES / source_file)
    rs = lib.load(rule_set, on=ON)
    assert len(texts) == len(rs.criteria)
    for c in rs.criteria:
        assert c.spec.text.vi == texts[c.id][0], c.id
        assert c.spec.text.en, c.id


VIETNAMESE = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.I
)


@pytest.mark.parametrize(
    "rule_set", ["typical-prerequisites", "typical-commune", "typical-organisation"]
)
def test_bilingual_labels_and_cited_parameters(lib: er.Library, rule_set: str) -> None:
    rs = lib.load(rule_set, on=ON)
    d = rs.definition
    texts = [d.title, d.description]
    texts += [f.label for f in d.facts.values()]
    texts += [p.label for p in d.parameters.values()]
    texts += [g.title for g in d.groups]
    for c in rs.criteria:
        texts.append(c.spec.title)
        if c.spec.note is not None:
            texts.append(c.spec.note)
        if c.spec.explain is not None:
            texts.append(c.spec.explain)
    for t in texts:
        assert t.vi.strip() and t.en.strip(), t
        assert VIETNAMESE.search(t.vi), t.vi  # Vietnamese with its diacritics
    for name, p in d.parameters.items():
        assert p.source.part, name
        readers = [c for c in rs.criteria if name in c.parameters]
        assert readers, f"parameter {name} is not read by any criterion"
        if rule_set != "typical-prerequisites":
            cited = {int(n) for n in re.findall(r"tiêu chí (\d+)", p.source.part)}
            assert cited & {c.spec.number for c in readers}, name
            assert p.source.also_cited_as == ("9745/QĐ-BCA-V05",), name


@pytest.mark.parametrize(
    ("rule_set", "name", "value"),
    [
        ("typical-commune", "crime_reduction_min", "0.05"),
        ("typical-commune", "drug_addicts_band", "10"),
        ("typical-commune", "drug_addicts_reduction_rate_min", "0.20"),
        ("typical-commune", "drug_addicts_reduction_persons_min", "2"),
        ("typical-commune", "reoffending_rate_under", "0.015"),
        ("typical-commune", "commendations_min", "2"),
        ("typical-commune", "certificates_of_merit_min", "1"),
        ("typical-commune", "plan_deadline_quarter", "1"),
        ("typical-commune", "citizen_reception_months_min", "12"),
        ("typical-commune", "coordination_briefing_months_min", "12"),
        ("typical-commune", "residential_units_inspected_share", "1"),
        ("typical-organisation", "guards_trained_share", "1"),
        ("typical-organisation", "social_welfare_activities_min", "2"),
    ],
)
def test_numbers_of_the_text_are_parameters(
    lib: er.Library, rule_set: str, name: str, value: str
) -> None:
    assert Decimal(lib.load(rule_set, on=ON).parameters[name]) == Decimal(value)


@pytest.mark.parametrize(
    ("rule_set", "file"),
    [
        ("typical-commune", "commune-all-met.json"),
        ("typical-organisation", "enterprise.json"),
        ("typical-organisation", "school.json"),
    ],
)
def test_improving_a_fact_in_its_better_direction_keeps_the_unit_eligible(
    lib: er.Library, rule_set: str, file: str
) -> None:
    rs = lib.load(rule_set, on=ON)
    base = example(file)
    improved = 0
    for name, spec in rs.facts.items():
        if spec.better is None or name not in base:
            continue
        if spec.type is FactType.ENUM:
            assert spec.enum is not None
            value: Any = rs.enumerations[spec.enum].levels[0].id
        elif spec.better is Direction.LOWER:
            value = 0
        else:
            value = base[name] + 7 if spec.max is None else spec.max
        verdict = rs.evaluate(changed(base, {name: value}))
        assert verdict.status is er.Status.ELIGIBLE, (name, value, verdict.reason.en)
        improved += 1
    assert improved >= 10
