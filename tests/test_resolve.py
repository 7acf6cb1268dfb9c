"""Composition and selection: `extends` (parameter overrides, replace, drop, new criteria
and facts), `requires`, versions chosen by date, parameter values by date, and libraries
that do not see each other."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from support import ELIGIBLE, ON, RULESETS, line_of, load_text, minimal, write

MET, NOT_MET, UNKNOWN = (
    er.CriterionStatus.MET,
    er.CriterionStatus.NOT_MET,
    er.CriterionStatus.UNKNOWN,
)


# -- extends -----------------------------------------------------------------------


def test_overlay_criteria_order_replace_drop_add(overlay: er.RuleSet) -> None:
    assert [c.id for c in overlay.criteria] == ["2", "6", "18", "29", "30", "31", "40"]
    assert overlay.definition.extends == "demo-commune"
    assert overlay.criteria[-1].spec.group == "local"
    assert [g.id for g in overlay.definition.groups] == ["leadership", "security", "local"]


def test_overlay_overrides_a_parameter(overlay: er.RuleSet, commune: er.RuleSet) -> None:
    from decimal import Decimal

    assert commune.parameters["min_crime_reduction"] == Decimal("0.05")
    assert overlay.parameters["min_crime_reduction"] == Decimal("0.1")
    assert overlay.parameters["min_patrols"] == 12
    base = {"crimes_previous_year": 40}
    assert overlay.evaluate({**base, "crimes": 36}).criterion("18").status is MET
    assert overlay.evaluate({**base, "crimes": 37}).criterion("18").status is NOT_MET
    assert commune.evaluate({**base, "crimes": 37}).criterion("18").status is MET


def test_overlay_replaces_a_criterion(overlay: er.RuleSet, commune: er.RuleSet) -> None:
    assert overlay.evaluate({"tips_share": 85}).criterion("30").status is NOT_MET
    assert overlay.evaluate({"tips_share": 90}).criterion("30").status is MET
    assert commune.evaluate({"tips_share": 85}).criterion("30").status is MET
    assert overlay.definition.criterion("30").citation.document == "TEST-15/KH-BCĐ"
    assert overlay.definition.criterion("30").citation.part == "Mục II.2"


def test_inherited_criteria_keep_their_citation(overlay: er.RuleSet, commune: er.RuleSet) -> None:
    """Regression (found by this suite, fixed since): resolve._Resolver._check_criterion()
    builds the default citation of every criterion from self.spec.source, i.e. the
    overlay's source, so criterion 18 inherited unchanged from demo-commune is cited as
    'TEST-15/KH-BCĐ, Mục II, tiêu chí 18' (the provincial plan) instead of
    'TEST-9475/QĐ, Phụ lục I, tiêu chí 18'"""
    inherited = overlay.definition.criterion("18").citation
    assert inherited == commune.definition.criterion("18").citation
    verdict = overlay.evaluate({"crimes": 1, "crimes_previous_year": 40}, explain=True)
    explanation = verdict.criterion("18").explanation
    assert explanation is not None
    assert explanation.citation.document == "TEST-9475/QĐ"


def test_overlay_drops_a_criterion(overlay: er.RuleSet) -> None:
    verdict = overlay.evaluate({})
    assert "32" not in [c.id for c in verdict.criteria]
    with pytest.raises(KeyError):
        verdict.criterion("32")


def test_overlay_adds_a_fact_and_a_criterion(overlay: er.RuleSet, commune: er.RuleSet) -> None:
    assert "patrols" in overlay.facts and "patrols" not in commune.facts
    assert overlay.evaluate({"patrols": 12}).criterion("40").status is MET
    assert overlay.evaluate({"patrols": 11}).criterion("40").status is NOT_MET
    with pytest.raises(er.EvidenceError, match="patrols"):
        commune.evaluate({"patrols": 12})


def test_overlay_inherits_prerequisites_and_policy(overlay: er.RuleSet) -> None:
    unit = {k: v for k, v in ELIGIBLE.items() if k != "funding"}
    verdict = overlay.evaluate({**unit, "tips_share": 95, "patrols": 20, "crimes": 36})
    assert verdict.status is er.Status.ELIGIBLE
    assert [p.ruleset.id for p in verdict.prerequisites] == ["demo-prerequisites"]
    failing = overlay.evaluate(
        {**unit, "tips_share": 95, "patrols": 20, "crimes": 36, "safe_standard_achieved": False}
    )
    assert failing.status is er.Status.NOT_ELIGIBLE


def test_hashes_identify_content(library: er.Library, tmp_path: Path) -> None:
    commune = library.load("demo-commune", on=ON)
    overlay = library.load("demo-overlay", on=ON)
    assert commune.sha256 != overlay.sha256
    assert len(overlay.sha256) == 64 and int(overlay.sha256, 16) >= 0
    assert overlay.definition.canonical["extends"] == ["demo-commune", "2024.1", commune.sha256]
    # the same content elsewhere, with other comments and layout, hashes the same
    copy = tmp_path / "copy"
    copy.mkdir()
    text = (RULESETS / "demo-at-least.yaml").read_text(encoding="utf-8")
    write(copy, "renamed.yaml", "# another comment\n" + text.replace("\n\n", "\n"))
    original = library.load("demo-at-least", on=ON)
    moved = er.Library([copy], shipped=False).load("demo-at-least", on=ON)
    assert moved.sha256 == original.sha256
    changed = text.replace("condition: drills >= 2", "condition: drills >= 3")
    write(copy, "renamed.yaml", changed)
    assert er.Library([copy], shipped=False).load("demo-at-least", on=ON).sha256 != original.sha256


def test_the_base_hash_changes_the_overlay_hash(tmp_path: Path) -> None:
    for name in ("demo-commune.yaml", "demo-prerequisites.yaml", "demo-overlay.yaml"):
        shutil.copy(RULESETS / name, tmp_path / name)
    before = er.Library([tmp_path], shipped=False).load("demo-overlay", on=ON).sha256
    base = tmp_path / "demo-commune.yaml"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("value: 1.5%", "value: 2%"), encoding="utf-8")
    after = er.Library([tmp_path], shipped=False).load("demo-overlay", on=ON).sha256
    assert before != after


# -- extends and requires: errors ------------------------------------------------------

OVERLAY_TEXT = (RULESETS / "demo-overlay.yaml").read_text(encoding="utf-8")


def overlay_error(tmp_path: Path, old: str, new: str) -> tuple[er.RuleSetError, str]:
    text = OVERLAY_TEXT.replace(old, new, 1)
    assert text != OVERLAY_TEXT, old
    path = write(tmp_path, "overlay.yaml", text.replace("id: demo-overlay", "id: t-overlay"))
    with pytest.raises(er.RuleSetError) as info:
        er.Library([RULESETS], shipped=False).load(path, on=ON)
    assert info.value.file is not None and info.value.file.endswith("overlay.yaml")
    return info.value, text


@pytest.mark.parametrize(
    ("old", "new", "fragment", "where"),
    [
        ('drop: ["32"]', 'drop: ["99"]', "cannot drop criterion '99'", 'drop: ["99"]'),
        (
            '  - id: "30"\n    number: 30',
            '  - id: "99"\n    number: 99',
            "cannot replace criterion '99'",
            '  - id: "99"',
        ),
        (
            '  - id: "40"\n    number: 40',
            '  - id: "18"\n    number: 40',
            "duplicate criterion id '18'",
            '  - id: "18"',
        ),
        (
            '  - id: "40"\n    number: 40',
            '  - id: "40"\n    number: 18',
            "has the number 18",
            "    number: 18",
        ),
        ("  patrols:\n", "  crimes:\n", "already declared by demo-commune", "  crimes:"),
        (
            "    type: percentage\n    label: {vi: Mức giảm tội phạm tối thiểu (tỉnh)",
            "    type: decimal\n    label: {vi: Mức giảm tội phạm tối thiểu (tỉnh)",
            "an override cannot make it a decimal",
            "    type: decimal",
        ),
        ("extends: demo-commune", "extends: demo-commun", "no rule set 'demo-commun'", "extends:"),
        (
            "effective: {from: 2024-01-01}",
            "effective: {from: 2020-01-01}",
            "not in force on 2020-01-01",
            "extends:",
        ),
        (
            "  - {id: local,",
            "  - {id: security,",
            "duplicate group 'security'",
            "  - {id: security,",
        ),
    ],
)
def test_extends_errors(tmp_path: Path, old: str, new: str, fragment: str, where: str) -> None:
    exc, text = overlay_error(tmp_path, old, new)
    assert fragment in exc.message
    assert exc.line == line_of(text, where)


@pytest.mark.parametrize(
    ("head", "fragment"),
    [
        (
            "requires: [{ruleset: nope, as: other, label: {vi: X, en: X}}]",
            "cannot require 'nope'",
        ),
        (
            'requires: [{ruleset: demo-prerequisites, version: "9", as: other, '
            "label: {vi: X, en: X}}]",
            "has no version '9'",
        ),
        (
            "requires: [{ruleset: demo-prerequisites, as: flag, label: {vi: X, en: X}}]",
            "'flag' is already a fact or a parameter",
        ),
        (
            "requires: [{ruleset: demo-prerequisites, as: Bad, label: {vi: X, en: X}}]",
            "lower_snake_case",
        ),
    ],
)
def test_requires_errors(tmp_path: Path, head: str, fragment: str) -> None:
    text = minimal(head=head)
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, text)
    assert fragment in info.value.message
    assert info.value.line == line_of(text, head.split(":")[0] + ":")


def test_extending_itself_is_an_error(tmp_path: Path) -> None:
    text = minimal(head="extends: t-min")
    write(tmp_path, "self.yaml", text)
    with pytest.raises(er.RuleSetError, match="extends or requires itself") as info:
        er.Library([tmp_path], shipped=False).load("t-min", on=ON)
    assert info.value.line == line_of(text, "extends: t-min")


def test_requires_cycle_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        minimal(id="cyc-a", head="requires: [{ruleset: cyc-b, as: b_ok, label: {vi: B, en: B}}]"),
    )
    write(
        tmp_path,
        "b.yaml",
        minimal(id="cyc-b", head="requires: [{ruleset: cyc-a, as: a_ok, label: {vi: A, en: A}}]"),
    )
    with pytest.raises(er.RuleSetError, match="extends or requires itself"):
        er.Library([tmp_path], shipped=False).load("cyc-a", on=ON)


@pytest.mark.parametrize("key", ["drop: [C1]", "replace: []"])
def test_drop_and_replace_need_extends(tmp_path: Path, key: str) -> None:
    if key.startswith("replace"):
        key = (
            "replace:\n  - {id: C1, number: 1, group: g, title: {vi: X, en: X}, "
            "text: {vi: X}, condition: flag}"
        )
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, minimal(tail=key))
    assert info.value.line is not None


def test_drop_without_extends_says_extends_is_needed(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): resolve._Resolver.resolve() handles
    `drop` before checking that `drop`/`replace` need `extends`, so a rule set without
    `extends` that drops C1 gets "cannot drop criterion 'C1': None has no such
    criterion" instead of the intended 'replace and drop need extends'"""
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, minimal(tail="drop: [C1]"))
    assert "extends" in info.value.message
    assert "None" not in info.value.message


def test_two_prerequisites_cannot_share_a_name(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): resolve._Resolver.resolve() checks a
    requirement's `as` name against facts and parameters but not against the other
    prerequisites (inherited or listed), so two prerequisites may share one boolean fact
    name; the compiled code then reads only the last one's outcome under that name"""
    head = (
        "extends: demo-commune\n"
        "requires: [{ruleset: demo-at-least, as: prerequisites, label: {vi: X, en: X}}]"
    )
    text = OVERLAY_TEXT.replace("extends: demo-commune", head).replace(
        "id: demo-overlay", "id: t-overlay"
    )
    with pytest.raises(er.RuleSetError, match="prerequisites"):
        load_text(tmp_path, text)


# -- requires: the prerequisite's verdict as a boolean fact ----------------------------


def test_prerequisite_outcome_is_a_boolean_fact(tmp_path: Path) -> None:
    text = minimal(
        "pre_ok or flag",
        head="requires: [{ruleset: demo-prerequisites, as: pre_ok, label: {vi: T, en: P}}]",
    )
    rs = load_text(tmp_path, text)
    good = {"safe_standard_achieved": True, "movement_class": "Khá"}
    bad = {"safe_standard_achieved": False, "movement_class": "Khá"}
    assert rs.evaluate({**good, "flag": False}).criterion("C1").status is MET
    assert rs.evaluate({**bad, "flag": False}).criterion("C1").status is NOT_MET
    assert rs.evaluate({"flag": False}).criterion("C1").status is UNKNOWN
    # the criterion is met through `flag`, but the failing prerequisite still blocks
    blocked = rs.evaluate({**bad, "flag": True})
    assert blocked.criterion("C1").status is MET
    assert blocked.status is er.Status.NOT_ELIGIBLE
    assert "demo-prerequisites" in blocked.reason.en
    # the prerequisite's name is not a fact of the evidence
    with pytest.raises(er.EvidenceError, match="pre_ok"):
        rs.evaluate({"pre_ok": True})


def test_prerequisites_of_prerequisites(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): compiler._type_of() raises KeyError
    instead of returning None when a prerequisite's own prerequisite lacks the fact, so
    fact_slots() fails for a rule set requiring B when B requires two rule sets X and Y
    and the fact is Y's (KeyError: 'y_fact' at load, not a RuleSet)"""

    def leaf(rid: str, fact: str) -> str:
        return minimal(fact, id=rid, facts=f"  {fact}: {{type: bool, label: {{vi: X, en: X}}}}")

    write(tmp_path, "x.yaml", leaf("x-leaf", "x_fact"))
    write(tmp_path, "y.yaml", leaf("y-leaf", "y_fact"))
    write(
        tmp_path,
        "b.yaml",
        minimal(
            "flag",
            id="b-mid",
            head="requires:\n"
            "  - {ruleset: x-leaf, as: x_ok, label: {vi: X, en: X}}\n"
            "  - {ruleset: y-leaf, as: y_ok, label: {vi: Y, en: Y}}",
        ),
    )
    write(
        tmp_path,
        "a.yaml",
        minimal(
            "flag",
            id="a-top",
            head="requires: [{ruleset: b-mid, as: b_ok, label: {vi: B, en: B}}]",
        ),
    )
    rs = er.Library([tmp_path], shipped=False).load("a-top", on=ON)
    verdict = rs.evaluate({"flag": True, "x_fact": True, "y_fact": False})
    assert verdict.status is er.Status.NOT_ELIGIBLE


def test_prerequisite_with_stricter_fact_bounds(tmp_path: Path) -> None:
    """Regression (found by this suite, fixed since): when a prerequisite declares a fact
    with other bounds than the requiring rule set (here `n: integer, min: 10` vs `n:
    integer`), resolve accepts it (only the Type is compared), the prerequisite's
    validation fails, RuleSet._evaluate() swallows that EvidenceError and then zip(...,
    strict=True) of 1 prerequisite with 0 verdicts raises ValueError from evaluate({'n':
    5})"""
    write(
        tmp_path,
        "p.yaml",
        minimal(
            "n >= 10", id="p-pre", facts="  n: {type: integer, min: 10, label: {vi: N, en: N}}"
        ),
    )
    write(
        tmp_path,
        "m.yaml",
        minimal(
            "n >= 1",
            id="m-main",
            head="requires: [{ruleset: p-pre, as: p_ok, label: {vi: P, en: P}}]",
            facts="  n: {type: integer, label: {vi: N, en: N}}",
        ),
    )
    try:
        rs = er.Library([tmp_path], shipped=False).load("m-main", on=ON)
    except er.RuleSetError:
        return  # refusing the conflicting declarations at load is a fine answer
    with pytest.raises(er.EvidenceError, match="n"):
        rs.evaluate({"n": 5})


# -- versions and dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "version"),
    [
        (date(2023, 1, 1), "2023.1"),
        (date(2024, 6, 1), "2023.1"),
        (date(2024, 12, 31), "2023.1"),  # `until` is inclusive
        (date(2025, 1, 1), "2025.1"),
        (date(2031, 1, 1), "2025.1"),
    ],
)
def test_version_in_force_on_a_date(library: er.Library, on: date, version: str) -> None:
    rs = library.load("demo-versioned", on=on)
    assert rs.version == version
    assert rs.evaluate({"incidents": 0}).evaluated_on == on
    assert rs.evaluate({"incidents": 0}).ruleset.version == version


def test_no_version_in_force(library: er.Library) -> None:
    with pytest.raises(er.NotFoundError, match="not in force on 2022-12-31") as info:
        library.load("demo-versioned", on=date(2022, 12, 31))
    assert "2023.1" in str(info.value) and "2025.1" in str(info.value)


def test_explicit_version(library: er.Library) -> None:
    assert library.load("demo-versioned", version="2023.1", on=date(2025, 6, 1)).version == "2023.1"
    with pytest.raises(er.NotFoundError, match="no version '9'"):
        library.load("demo-versioned", version="9", on=ON)


def test_unknown_rule_set(library: er.Library) -> None:
    with pytest.raises(er.NotFoundError, match="no rule set 'nope'") as info:
        library.load("nope", on=ON)
    assert "demo-commune" in str(info.value)


def test_versions_differ_in_their_thresholds(library: er.Library) -> None:
    early = library.load("demo-versioned", on=date(2024, 6, 1))
    late = library.load("demo-versioned", on=date(2025, 6, 1))
    assert early.evaluate({"incidents": 3}).status is er.Status.ELIGIBLE
    assert late.evaluate({"incidents": 3}).status is er.Status.NOT_ELIGIBLE
    assert early.sha256 != late.sha256


@pytest.mark.parametrize(
    ("on", "limit", "five"),
    [
        (date(2023, 1, 1), 5, er.Status.ELIGIBLE),
        (date(2024, 6, 30), 5, er.Status.ELIGIBLE),
        (date(2024, 7, 1), 4, er.Status.NOT_ELIGIBLE),
        (date(2024, 12, 31), 4, er.Status.NOT_ELIGIBLE),
    ],
)
def test_dated_parameter_values(library: er.Library, on: date, limit: int, five: er.Status) -> None:
    rs = library.load("demo-versioned", on=on)
    assert rs.parameters == {"max_incidents": limit}
    assert rs.evaluate({"incidents": 5}).status is five


@pytest.mark.parametrize(
    ("on", "met_at"),
    [(date(2024, 12, 31), 38), (date(2025, 1, 1), 36), (date(2026, 6, 1), 36)],
)
def test_dated_percentage_in_demo_commune(library: er.Library, on: date, met_at: int) -> None:
    rs = library.load("demo-commune", on=on)
    assert rs.evaluate({"crimes_previous_year": 40, "crimes": met_at}).criterion("18").status is MET
    over = rs.evaluate({"crimes_previous_year": 40, "crimes": met_at + 1})
    assert over.criterion("18").status is NOT_MET


def test_parameter_without_value_in_force(tmp_path: Path) -> None:
    text = minimal(
        "count_a <= later",
        parameters="""\
  later:
    type: integer
    label: {vi: Sau, en: Later}
    source: {document: D}
    values:
      - {from: 2025-01-01, value: 4}""",
    )
    with pytest.raises(er.RuleSetError, match="no value in force on 2024-06-01"):
        load_text(tmp_path, text, on=date(2024, 6, 1))
    assert load_text(tmp_path, text, on=date(2025, 1, 1)).parameters["later"] == 4


def test_overlay_extends_the_version_in_force_on_its_start(tmp_path: Path) -> None:
    text = minimal(
        "incidents <= 0 or flag",
        id="t-versioned-overlay",
        head="extends: demo-versioned",
        effective="2025-03-01",
    ).replace("    number: 1\n", "    number: 7\n", 1)
    rs = load_text(tmp_path, text, on=date(2025, 6, 1))
    assert rs.definition.canonical["extends"][:2] == ["demo-versioned", "2025.1"]
    assert rs.parameters["max_incidents"] == 2
    assert [c.id for c in rs.criteria] == ["1", "C1"]


# -- libraries --------------------------------------------------------------------------


def test_a_library_compiles_once_per_date(library: er.Library) -> None:
    a = library.load("demo-commune", on=ON)
    assert library.load("demo-commune", on=ON) is a
    assert library.load("demo-commune", on=date(2025, 6, 1)) is not a


def test_libraries_side_by_side_do_not_interfere(tmp_path: Path) -> None:
    text = (RULESETS / "demo-at-least.yaml").read_text(encoding="utf-8")
    write(tmp_path, "strict.yaml", text.replace("at_least: 2}", "at_least: 3}"))
    ours = er.Library([RULESETS], shipped=False)
    theirs = er.Library([tmp_path], shipped=False)
    unit = {"drills": 2, "trained_share": 70, "incident_free": False}
    before = ours.load("demo-at-least", on=ON).evaluate(unit)
    other = theirs.load("demo-at-least", on=ON).evaluate(unit)
    after = ours.load("demo-at-least", on=ON).evaluate(unit)
    assert before.status is er.Status.ELIGIBLE and after == before
    assert other.status is er.Status.NOT_ELIGIBLE
    assert other.ruleset.sha256 != before.ruleset.sha256
    with pytest.raises(er.NotFoundError):
        theirs.load("demo-commune", on=ON)
    assert "demo-commune" in ours.catalogue.ids()


def test_a_host_file_may_extend_the_library(library: er.Library, tmp_path: Path) -> None:
    text = OVERLAY_TEXT.replace("id: demo-overlay", "id: t-host-overlay")
    rs = library.load(write(tmp_path, "host.yaml", text), on=ON)
    assert rs.id == "t-host-overlay"
    assert [c.id for c in rs.criteria] == ["2", "6", "18", "29", "30", "31", "40"]


def test_module_level_load(tmp_path: Path) -> None:
    rs = er.load("demo-at-least", on=ON, folders=[RULESETS])
    assert rs.id == "demo-at-least" and rs.on == ON
    path = write(tmp_path, "rules.yaml", minimal())
    assert er.load(path, on=ON).id == "t-min"


def test_missing_folder() -> None:
    with pytest.raises(er.NotFoundError, match="no such folder"):
        er.Library(["/nonexistent/rules"], shipped=False)


def test_missing_file(library: er.Library) -> None:
    with pytest.raises(er.NotFoundError, match="cannot read"):
        library.load(Path("/nonexistent/rules.yaml"))


def test_definitions_are_sorted_by_id(library: er.Library) -> None:
    ids = [d.id for d in library.definitions()]
    assert ids == sorted(ids)
    assert {"demo-commune", "demo-overlay", "demo-versioned"} <= set(ids)
    versioned = next(d for d in library.definitions() if d.id == "demo-versioned")
    assert versioned.version == "2025.1"  # the latest


def test_prerequisite_requirement_is_recorded(commune: er.RuleSet) -> None:
    verdict = commune.evaluate(ELIGIBLE)
    (pre,) = verdict.prerequisites
    assert pre.name == "prerequisites"
    assert pre.ruleset.id == "demo-prerequisites" and pre.ruleset.version == "1"
    assert pre.ruleset.sha256 == commune.prerequisites[0].sha256


def test_a_host_folder_beside_the_shipped_rule_sets() -> None:
    alone = er.Library([RULESETS], shipped=False)
    beside = er.Library([RULESETS])
    own = set(alone.catalogue.ids())
    assert {p.stem for p in RULESETS.glob("demo-*.yaml")} - {
        "demo-versioned-2023",
        "demo-versioned-2025",
    } <= own
    assert own <= set(beside.catalogue.ids())
    verdict = beside.load("demo-commune", on=ON).evaluate(ELIGIBLE)
    assert verdict == alone.load("demo-commune", on=ON).evaluate(ELIGIBLE)
