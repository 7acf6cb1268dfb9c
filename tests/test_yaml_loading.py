"""Reading rule-set YAML strictly: duplicate and unknown keys, missing required keys and
citations, malformed YAML, all as RuleSetError naming the file and the line; floats read
as exact decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.loading.yamlsource import parse_yaml
from support import RULESETS, line_of, load_text, minimal, write

# -- YAML → data ------------------------------------------------------------------


def test_floats_become_exact_decimals() -> None:
    doc = parse_yaml("a: 0.7\nb: .5\nc: 1_000.25\nd: 63.0\ne: -0.1\nf: 7\n", "f.yaml")
    assert doc.data == {
        "a": Decimal("0.7"),
        "b": Decimal("0.5"),
        "c": Decimal("1000.25"),
        "d": Decimal("63.0"),
        "e": Decimal("-0.1"),
        "f": 7,
    }
    assert all(type(v) is Decimal for k, v in doc.data.items() if k != "f")
    assert type(doc.data["f"]) is int
    # 0.7 read as a binary float would not be 7/10
    assert doc.data["a"] * 90 == 63


def test_dates_and_texts() -> None:
    doc = parse_yaml('a: 2024-03-31\nb: "2024-03-31"\nc: 5%\nd: "18"\n', "f.yaml")
    assert doc.data == {"a": date(2024, 3, 31), "b": "2024-03-31", "c": "5%", "d": "18"}


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    with pytest.raises(er.RuleSetError, match=r"not a (finite )?number") as info:
        parse_yaml(f"x: 1\ny: {value}\n", "f.yaml")
    assert info.value.file == "f.yaml" and info.value.line == 2


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", 3),
        ("a:\n  x: 1\n  y: 2\n  x: 3\n", 4),
        ("a: {x: 1, x: 2}\n", 1),
        ("a:\n  - {x: 1}\n  - {y: 1, y: 2}\n", 3),
    ],
)
def test_duplicate_keys_are_errors_at_the_second_key(text: str, line: int) -> None:
    with pytest.raises(er.RuleSetError, match="duplicate key") as info:
        parse_yaml(text, "dup.yaml")
    assert info.value.file == "dup.yaml"
    assert info.value.line == line


def test_merge_keys_are_refused() -> None:
    with pytest.raises(er.RuleSetError, match="merge keys") as info:
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n", "m.yaml")
    assert info.value.line == 3


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: [1, 2\nb: 3\n", 2),
        ("a: b: c\n", 1),
        ("a: 1\n\tb: 2\n", 2),
        ("a:\n  - x\n y: 1\n", 3),
        ('a: "unclosed\n', 2),
    ],
)
def test_malformed_yaml_names_file_and_line(text: str, line: int) -> None:
    with pytest.raises(er.RuleSetError, match="malformed YAML") as info:
        parse_yaml(text, "bad.yaml")
    assert info.value.file == "bad.yaml"
    assert info.value.line == line
    assert str(info.value).startswith(f"bad.yaml:{line}: malformed YAML")


def test_empty_file() -> None:
    with pytest.raises(er.RuleSetError, match="empty"):
        parse_yaml("# only a comment\n", "e.yaml")


def test_lines_of_paths() -> None:
    text = "a: 1\nb:\n  c:\n    - x\n    - y\n"
    doc = parse_yaml(text, "l.yaml")
    assert doc.line_of(("a",)) == 1
    assert doc.line_of(("b", "c", 1)) == 5
    assert doc.line_of(("b", "c", 7)) == 3  # nearest ancestor


# -- a rule-set file → RuleSetError with file and line -------------------------------


def load_error(tmp_path: Path, text: str) -> er.RuleSetError:
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, text)
    exc = info.value
    assert exc.file is not None and exc.file.endswith("rules.yaml")
    assert exc.line is not None
    return exc


def test_minimal_rule_set_loads(tmp_path: Path) -> None:
    rs = load_text(tmp_path, minimal())
    assert rs.id == "t-min" and rs.version == "1"


def test_the_test_rule_sets_all_load(library: er.Library) -> None:
    ids = {
        "demo-commune",
        "demo-prerequisites",
        "demo-overlay",
        "demo-at-least",
        "demo-points",
        "demo-functions",
        "demo-division",
        "demo-versioned",
    }
    assert ids <= set(library.catalogue.ids())
    for ruleset_id in sorted(ids):
        assert library.load(ruleset_id, on=date(2024, 6, 1)).id == ruleset_id


def test_duplicate_key_in_a_rule_set(tmp_path: Path) -> None:
    text = minimal().replace('version: "1"\n', 'version: "1"\nversion: "2"\n')
    exc = load_error(tmp_path, text)
    assert "duplicate key 'version'" in exc.message
    assert exc.line == line_of(text, 'version: "2"')


@pytest.mark.parametrize(
    ("old", "new", "where", "path"),
    [
        ("applies_to:", "bogus: 1\napplies_to:", "bogus: 1", "bogus"),
        (
            "  flag: {type: bool,",
            "  flag: {colour: red, type: bool,",
            "flag: {colour",
            "facts.flag.colour",
        ),
        ("    number: 1\n", "    number: 1\n    weight: 3\n", "weight: 3", "criteria[0].weight"),
        (
            "source: {document: TEST-MIN/QĐ, part: Điều 1}",
            "source: {document: TEST-MIN/QĐ, part: Điều 1, page: 3}",
            "source: {document",
            "source.page",
        ),
    ],
)
def test_unknown_keys_are_errors(tmp_path: Path, old: str, new: str, where: str, path: str) -> None:
    text = minimal().replace(old, new, 1)
    assert text != minimal()
    exc = load_error(tmp_path, text)
    assert "unknown key" in exc.message
    assert exc.line == line_of(text, where)
    assert path in str(exc)


@pytest.mark.parametrize(
    ("old", "new", "path", "where"),
    [
        ("applies_to: [commune]\n", "", "applies_to", "id:"),
        (
            "title: {vi: Một, en: One}",
            "title: {vi: Một}",
            "criteria[0].title.en",
            "title: {vi: Một}",
        ),
        ("    group: g\n", "", "criteria[0].group", "  - id: C1"),
        (
            "source: {document: TEST-MIN/QĐ, part: Điều 1}",
            "source: {part: Điều 1}",
            "source.document",
            "source: {part",
        ),
    ],
)
def test_missing_required_keys(tmp_path: Path, old: str, new: str, path: str, where: str) -> None:
    text = minimal().replace(old, new, 1)
    assert text != minimal()
    exc = load_error(tmp_path, text)
    assert "required key is missing" in exc.message
    assert path in str(exc)
    assert exc.line == line_of(text, where)


def test_parameter_without_citation_is_an_error(tmp_path: Path) -> None:
    text = minimal(
        parameters="""\
  uncited:
    type: integer
    label: {vi: Không nguồn, en: Uncited}
    value: 4"""
    )
    exc = load_error(tmp_path, text)
    assert "parameters.uncited.source" in str(exc)
    assert "required key is missing" in exc.message
    assert exc.line == line_of(text, "uncited:")


def test_several_shape_problems_are_listed_together(tmp_path: Path) -> None:
    text = minimal(tail="colour: red\nsize: 3\n")
    exc = load_error(tmp_path, text)
    assert "colour" in str(exc) and "size" in str(exc)
    assert f"line {line_of(text, 'size: 3')}" in str(exc)


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        ("  - id: C1", "  - id: 18", 'write it in quotes: "18"'),
        ('version: "1"', "version: 1", 'write it in quotes: "1"'),
        ("flag: {type: bool", "flag: {type: boolean", "'boolean' is not one of"),
        ("applies_to: [commune]", "applies_to: [village]", "'village' is not one of"),
        ("    number: 1", "    number: one", "expected a whole number"),
        ("effective: {from: 2023-01-01}", "effective: {from: soon}", "expected a date"),
    ],
)
def test_wrong_shapes_say_what_was_expected(
    tmp_path: Path, old: str, new: str, fragment: str
) -> None:
    text = minimal().replace(old, new, 1)
    assert text != minimal()
    exc = load_error(tmp_path, text)
    assert fragment in exc.message
    assert exc.line == line_of(text, new.strip().split("\n")[0])


@pytest.mark.parametrize(
    ("text_args", "fragment", "where"),
    [
        (
            {"facts": "  Bad_Name: {type: bool, label: {vi: X, en: X}}"},
            "lower_snake_case",
            "Bad_Name",
        ),
        ({"facts": "  and: {type: bool, label: {vi: X, en: X}}"}, "not a keyword", "  and:"),
        ({"facts": "  e: {type: enum, label: {vi: X, en: X}}"}, "needs `enum:`", "  e: {"),
        (
            {"facts": "  e: {type: enum, enum: nope, label: {vi: X, en: X}}"},
            "unknown enumeration 'nope'",
            "  e: {",
        ),
        ({"facts": "  l: {type: list, label: {vi: X, en: X}}"}, "needs `fields:`", "  l: {"),
        (
            {"facts": "  s: {type: string, min: 1, label: {vi: X, en: X}}"},
            "only for integer and decimal facts",
            "  s: {",
        ),
        (
            {"facts": "  n: {type: integer, min: 5, max: 1, label: {vi: X, en: X}}"},
            "min is greater than max",
            "  n: {",
        ),
        (
            {
                "parameters": "  count_a: {type: integer, label: {vi: X, en: X}, "
                "source: {document: D}, value: 1}"
            },
            "has the name of a fact",
            "  count_a: {type: integer, label: {vi: X",
        ),
        (
            {
                "parameters": "  p: {type: percentage, label: {vi: X, en: X}, "
                "source: {document: D}, value: 150%}"
            },
            "cannot be over 100%",
            "  p: {",
        ),
        (
            {
                "parameters": "  p: {type: percentage, label: {vi: X, en: X}, "
                "source: {document: D}, value: 0.5}"
            },
            "written with %",
            "  p: {",
        ),
        (
            {"parameters": "  p: {type: integer, label: {vi: X, en: X}, source: {document: D}}"},
            "exactly one of `value:` or `values:`",
            "  p: {",
        ),
        (
            {
                "parameters": "  p: {type: integer, label: {vi: X, en: X}, source: {document: D}, "
                "values: [{from: 2023-01-01, value: 1}, {from: 2023-01-01, value: 2}]}"
            },
            "two values start on the same date",
            "  p: {",
        ),
        (
            {
                "parameters": "  p: {type: enum, enum: task_rating, label: {vi: X, en: X}, "
                "source: {document: D}, value: goood}"
            },
            "expected a level of task_rating",
            "  p: {",
        ),
    ],
)
def test_declaration_errors(
    tmp_path: Path, text_args: dict[str, str], fragment: str, where: str
) -> None:
    text = minimal(**text_args)
    exc = load_error(tmp_path, text)
    assert fragment in exc.message
    assert exc.line == line_of(text, where)


@pytest.mark.parametrize(
    ("criteria", "fragment", "where"),
    [
        (
            "  - {id: C1, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag}",
            "duplicate criterion id 'C1'",
            "  - {id: C1, number: 2",
        ),
        (
            "  - {id: C2, number: 1, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag}",
            "has the number 1 of criterion 'C1'",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: nope, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag}",
            "unknown group 'nope'",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            'condition: "  "}',
            "the condition is empty",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag, let: {count_a: '1'}}",
            "hides a fact",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            'condition: flag, explain: {vi: "{nope}", en: x}}',
            "unknown placeholder {nope}",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            'condition: flag, explain: {vi: "{flag", en: x}}',
            "malformed template",
            "  - {id: C2",
        ),
        (
            "  - {id: C2, number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag, points: 3}",
            "only for a points policy",
            "  - {id: C2",
        ),
        (
            "  - {id: 'C 2', number: 2, group: g, title: {vi: X, en: X}, text: {vi: X}, "
            "condition: flag}",
            "a criterion id must be",
            "  - {id: 'C 2'",
        ),
    ],
)
def test_criterion_errors_name_the_criterion(
    tmp_path: Path, criteria: str, fragment: str, where: str
) -> None:
    text = minimal(criteria=criteria)
    exc = load_error(tmp_path, text)
    assert fragment in exc.message
    assert exc.line == line_of(text, where)
    assert exc.criterion is not None


def test_effective_period_must_be_ordered(tmp_path: Path) -> None:
    text = minimal().replace(
        "effective: {from: 2023-01-01}", "effective: {from: 2023-01-01, until: 2022-12-31}"
    )
    exc = load_error(tmp_path, text)
    assert "until is before" in exc.message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "- 1\n- 2\n")
    with pytest.raises(er.RuleSetError, match="mapping") as info:
        er.Library([RULESETS], shipped=False).load(path)
    assert info.value.file is not None and info.value.file.endswith("list.yaml")


def test_a_broken_file_in_a_folder_is_reported_with_its_name(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", minimal())
    write(tmp_path, "broken.yaml", minimal(id="t-broken").replace("criteria:", "criteria: ["))
    with pytest.raises(er.RuleSetError) as info:
        er.Library([tmp_path], shipped=False).load("t-min")
    assert info.value.file is not None and info.value.file.endswith("broken.yaml")


def test_folders_skip_cases_campaign_schema_and_hidden(tmp_path: Path) -> None:
    write(tmp_path / "sub", "rules.yaml", minimal())
    for skipped in ("cases", "campaigns", "schema", ".hidden"):
        write(tmp_path / skipped, "junk.yaml", "not: [valid\n")
    lib = er.Library([tmp_path], shipped=False)
    assert "t-min" in lib.catalogue.ids()


def test_same_id_and_version_twice_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", minimal())
    write(tmp_path, "b.yaml", minimal())
    with pytest.raises(er.RuleSetError, match="also defined in") as info:
        er.Library([tmp_path], shipped=False).catalogue.ids()
    assert info.value.file is not None


def test_a_file_loaded_by_path_reads_only_the_files_it_needs(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", minimal())
    write(tmp_path, "broken.yaml", minimal(id="t-broken").replace("criteria:", "criteria: ["))
    # extends and requires nothing: the broken file beside it is not read
    assert er.load(good, on=date(2024, 6, 1)).id == "t-min"
    # looking a rule set up by id reads every file, and reports the broken one
    with pytest.raises(er.RuleSetError) as info:
        er.load("t-min", on=date(2024, 6, 1), folders=[tmp_path])
    assert info.value.file is not None and info.value.file.endswith("broken.yaml")
    # so does a file that extends another
    child = write(tmp_path / "child", "child.yaml", minimal(id="t-child", head="extends: t-min\n"))
    with pytest.raises(er.RuleSetError) as info:
        er.load(child, on=date(2024, 6, 1), folders=[tmp_path])
    assert info.value.file is not None and info.value.file.endswith("broken.yaml")


def test_host_enumerations_and_aliases(tmp_path: Path) -> None:
    write(
        tmp_path / "enumerations",
        "grades.yaml",
        """\
enumerations:
  grade:
    title: {vi: Hạng, en: Grade}
    levels:
      - {id: a_grade, vi: Hạng A, en: Grade A}
      - {id: b_grade, vi: Hạng B, en: Grade B}
    aliases: {"HA": a_grade}
""",
    )
    write(
        tmp_path,
        "rules.yaml",
        minimal(
            "grade_of >= b_grade and g2 == grade.a_grade",
            facts="  grade_of: {type: enum, enum: grade, label: {vi: H, en: G}}\n"
            "  g2: {type: enum, enum: grade, label: {vi: H, en: G}}",
        ),
    )
    rs = er.Library([tmp_path], shipped=False).load("t-min")
    for spelling in ("HA", "a_grade", "Hạng A", "grade a"):
        assert rs.evaluate({"grade_of": "b_grade", "g2": spelling}).status is er.Status.ELIGIBLE
    with pytest.raises(er.EvidenceError):
        rs.evaluate({"g2": "Hạng C"})


def test_conflicting_enumeration_is_an_error(tmp_path: Path) -> None:
    write(
        tmp_path / "enumerations",
        "clash.yaml",
        """\
enumerations:
  task_rating:
    title: {vi: Khác, en: Other}
    levels:
      - {id: high, vi: Cao, en: High}
      - {id: low, vi: Thấp, en: Low}
""",
    )
    write(tmp_path, "rules.yaml", minimal("flag"))
    with pytest.raises(er.RuleSetError, match="task_rating"):
        er.Library([tmp_path], shipped=False).load("t-min")


# -- regressions (bugs found by this suite) and known defects ----------------------


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "!!int abc", "!!bool maybe"])
def test_impossible_scalars_are_rule_set_errors(value: str) -> None:
    with pytest.raises(er.RuleSetError) as info:
        parse_yaml(f"id: x\neffective:\n  from: {value}\n", "dates.yaml")
    assert info.value.line == 3


def test_a_timestamp_is_not_a_date(tmp_path: Path) -> None:
    write(
        tmp_path,
        "rules.yaml",
        minimal().replace(
            "effective: {from: 2023-01-01}", "effective: {from: 2023-01-01 10:00:00}"
        ),
    )
    with pytest.raises(er.RuleSetError):
        er.Library([tmp_path], shipped=False).load("t-min", on=date(2024, 1, 1))


@pytest.mark.parametrize(
    "levels",
    [
        "      - {id: a_grade, vi: Hạng A, en: Grade A}\n"
        "      - {id: b_grade, vi: Hạng B, en: Grade B}\n"
        '    aliases: {"b_grade": a_grade}\n',
        "      - {id: a_grade, vi: Hạng A, en: Grade A}\n"
        "      - {id: b_grade, vi: Hạng B, en: Grade B}\n"
        '    aliases: {"Grade B": a_grade}\n',
        "      - {id: a_grade, vi: Hạng, en: Grade A}\n"
        "      - {id: b_grade, vi: Hạng, en: Grade B}\n",
    ],
    ids=["alias-is-a-level-id", "alias-is-a-label", "two-levels-one-label"],
)
def test_ambiguous_level_spellings_are_refused(tmp_path: Path, levels: str) -> None:
    write(
        tmp_path / "enumerations",
        "grades.yaml",
        "enumerations:\n  grade:\n    title: {vi: Hạng, en: Grade}\n    levels:\n" + levels,
    )
    write(
        tmp_path,
        "rules.yaml",
        minimal(
            "g == grade.b_grade", facts="  g: {type: enum, enum: grade, label: {vi: H, en: G}}"
        ),
    )
    with pytest.raises(er.RuleSetError, match="grade"):
        er.Library([tmp_path], shipped=False).load("t-min", on=date(2024, 1, 1))
