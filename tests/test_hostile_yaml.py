"""Hostile YAML (issue 13): alias bombs, oversized and deeply nested files, huge integers,
Python tags, control characters, lone surrogates, non-UTF-8 bytes and byte order marks.

Each is refused in milliseconds with a RuleSetError naming the file (and the line when
known), by the API, by a Library whose folder holds the file, and by the CLI (exit 2,
one line). Every YAML reader of the library goes through ``parse_yaml``; the tests of
the parser run on libyaml's parser and on PyYAML's pure-Python one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

import emulation_rules as er
from emulation_rules.cli.main import main
from emulation_rules.loading import yamlsource
from emulation_rules.loading.catalogue import shipped_folder
from emulation_rules.loading.yamlsource import (
    MAX_DEPTH,
    MAX_DOCUMENT_SIZE,
    MAX_INT_DIGITS,
    MAX_NODES,
    parse_yaml,
)
from support import minimal


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level lists the one before 9 times; under 1 KB."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    return "\n".join(lines) + "\n"


BOMB = billion_laughs()
BOMB_LINE = BOMB.count("\n") + 1 - 4  # the first alias whose value passes MAX_NODES


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a parser test on libyaml's parser (when PyYAML has it) and on Python's."""
    if request.param == "python":
        monkeypatch.setattr(yamlsource, "_LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML is built without libyaml")
    yield request.param


def refused(text: str, name: str = "hostile.yaml") -> er.RuleSetError:
    """The RuleSetError parse_yaml raises for ``text``, checked to name the file, to come
    within a second and to be one line."""
    start = time.perf_counter()
    with pytest.raises(er.RuleSetError) as info:
        parse_yaml(text, name)
    assert time.perf_counter() - start < 1.0
    assert info.value.file == name
    assert "\n" not in str(info.value) and len(str(info.value)) < 300
    return info.value


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    return code, out, err, elapsed


# -- aliases: built once, counted each time they are used --------------------------------


def test_the_bomb_is_under_a_kilobyte() -> None:
    assert len(BOMB.encode()) < 1024
    assert 100 * MAX_NODES < 9**9  # expanded, it would hold 387 million strings


def test_alias_bomb_is_refused_in_milliseconds(loader: str) -> None:
    exc = refused(BOMB, "bomb.yaml")
    assert f"more than {MAX_NODES:,} values" in exc.message
    assert exc.line == BOMB_LINE
    assert str(exc).startswith(f"bomb.yaml:{BOMB_LINE}: ")


def test_an_aliased_value_is_built_once_and_its_lines_are_not_copied(loader: str) -> None:
    # 9**5 = 59,049 strings once expanded: under the bound, so it is read, but neither
    # the values nor the line map are expanded
    start = time.perf_counter()
    doc = parse_yaml(billion_laughs(5), "five.yaml")
    assert time.perf_counter() - start < 0.5
    assert doc.data["e"][0] is doc.data["e"][8] is doc.data["d"]
    assert len(doc.lines) < 60
    assert doc.line_of(("e", 3, 2, 1)) == 5  # below an alias: the alias's own line


def test_aliases_still_work_and_name_the_line_where_they_are_used(loader: str) -> None:
    doc = parse_yaml("a: &src {title: Điều 4, url: x}\nb:\n  - *src\n  - &n 7\nc: *n\n", "f.yaml")
    assert doc.data == {
        "a": {"title": "Điều 4", "url": "x"},
        "b": [{"title": "Điều 4", "url": "x"}, 7],
        "c": 7,
    }
    assert doc.line_of(("b", 0)) == 3 and doc.line_of(("b", 0, "title")) == 3
    assert doc.line_of(("a", "url")) == 1 and doc.line_of(("c",)) == 5


def test_node_count_is_bounded_without_aliases(
    loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlsource, "MAX_NODES", 50)
    # the mapping, its key, the list and 47 items: 50 values
    parse_yaml("x: [" + ", ".join(["1"] * 47) + "]\n", "ok.yaml")
    exc = refused("x: [" + ", ".join(["1"] * 48) + "]\n")
    assert "more than 50 values" in exc.message and exc.line == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: &a [1, *a]\n", "the alias *a is used inside its own value", 1),
        ("a: 1\nb: *nowhere\n", "the alias *nowhere has no anchor &nowhere before it", 2),
        ("a: &x 1\nb: &x 2\n", "the anchor &x is defined twice", 2),
        ("a: &k [1]\n? *k\n: 2\n", "expected a single value here", 2),
    ],
    ids=["recursive", "undefined", "defined-twice", "list-as-key"],
)
def test_broken_aliases(loader: str, text: str, message: str, line: int) -> None:
    exc = refused(text)
    assert exc.message == message and exc.line == line


def test_shipped_rule_sets_using_aliases_load() -> None:
    text = (shipped_folder() / "special-campaign-targets-binh-luong.yaml").read_text("utf-8")
    assert "*bl_4_1" in text  # the file uses aliases
    doc = parse_yaml(text, "binh-luong.yaml")
    anchored = doc.data["parameters"]["incidents_supported_share"]["source"]
    users = [*doc.data["replace"], *doc.data["criteria"]]
    assert any(c.get("source") is anchored for c in users)  # built once, shared
    assert er.Library().load("special-campaign-targets-binh-luong", on=date(2025, 1, 1)).id


# -- a hostile file in a folder, and on the command line ------------------------------


def test_a_bomb_in_a_host_folder_fails_fast_and_names_itself(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(er.RuleSetError) as info:
        er.Library([tmp_path]).load("typical-commune")
    assert time.perf_counter() - start < 1.0
    assert info.value.file == f"{tmp_path}/bomb.yaml" and info.value.line == BOMB_LINE


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["validate"], "bomb.yaml"),
        (["campaign", "show"], "bomb.yaml"),
        (["test"], "bomb.cases.yaml"),
        (["show", "typical-commune", "--folder"], "bomb.yaml"),
    ],
    ids=["validate", "campaign-show", "test", "folder"],
)
def test_cli_refuses_the_bomb_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], name: str
) -> None:
    path = tmp_path / name
    path.write_text(BOMB, encoding="utf-8")
    if command[-1] == "--folder":  # a global option, given before the command
        args = ["--folder", str(tmp_path), *command[:-1]]
    else:
        args = [*command, str(path)]
    code, out, err, elapsed = run_cli(capsys, *args)
    assert code == 2 and elapsed < 1.0
    assert out == ""
    assert err.count("\n") == 1 and f"{name}:{BOMB_LINE}: " in err and "values" in err


# -- size, depth, numbers -------------------------------------------------------------


def test_a_file_over_the_size_bound_is_refused_before_parsing(tmp_path: Path) -> None:
    text = "# " + "x" * MAX_DOCUMENT_SIZE + "\na: 1\n"
    exc = refused(text, "big.yaml")
    assert "larger than 4 MiB" in exc.message
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(er.RuleSetError, match="larger than 4 MiB") as info:
        er.Library([tmp_path]).load("typical-commune")
    assert info.value.file is not None and info.value.file.endswith("big.yaml")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),
        ("a: 1\nx: " + "{k: " * 100_000 + "1" + "}" * 100_000 + "\n", 2),
        ("".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "v\n", MAX_DEPTH + 1),
        ("".join("  " * i + "-\n" for i in range(300)), MAX_DEPTH + 1),
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings", "block-lists"],
)
def test_deep_nesting_is_refused_without_recursion(loader: str, text: str, line: int) -> None:
    if loader == "python" and len(text) > 100_000:  # Python's scanner is slow on these
        text = text.replace("[" * 100_000, "[" * 200).replace("]" * 100_000, "]" * 200)
        text = text.replace("{k: " * 100_000, "{k: " * 200).replace("}" * 100_000, "}" * 200)
    exc = refused(text, "deep.yaml")
    assert exc.line == line
    assert "nested more than" in exc.message or "nesting depth" in exc.message


def test_nesting_up_to_the_bound_is_read(loader: str) -> None:
    depth = MAX_DEPTH - 1  # the top mapping is one level
    doc = parse_yaml("x: " + "[" * depth + "1" + "]" * depth + "\n", "f.yaml")
    value = doc.data["x"]
    for _ in range(depth):
        value = value[0]
    assert value == 1


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9" * 5000, "an integer of 5000 digits (at most 4300 are read)"),
        ("-" + "1_0" * 2200, "an integer of 4400 digits (at most 4300 are read)"),
        ("0x" + "f" * 20_000, f"an integer of more than {MAX_INT_DIGITS} digits"),
        ("1.5e+99999999", "the number '1.5e+99999999' is out of range"),
        ("0." + "1" * 5000, "out of range"),
    ],
    ids=["decimal", "signed-underscored", "hexadecimal", "exponent", "long-decimal"],
)
def test_huge_numbers_are_refused_in_our_words(loader: str, number: str, message: str) -> None:
    exc = refused(f"id: x\nlimit: {number}\n")
    assert message in exc.message and exc.line == 2


def test_integers_up_to_the_bound_are_read() -> None:
    assert parse_yaml(f"x: {'9' * MAX_INT_DIGITS}\n", "f.yaml").data["x"] == 10**4300 - 1


# -- tags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("x: !!python/object:os.system {}\n", "!!python/object:os.system"),
        ("x: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system"),
        ("x: !!python/tuple [1, 2]\n", "!!python/tuple"),
        ("x: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("x: !!binary aGVsbG8=\n", "!!binary"),
        ("x: !!set {a, b}\n", "!!set"),
        ("x: !!omap [a: 1]\n", "!!omap"),
        ("x: !custom {a: 1}\n", "!custom"),
    ],
)
def test_tags_other_than_plain_values_are_refused(loader: str, text: str, tag: str) -> None:
    exc = refused(text)
    assert exc.message.startswith(f"the YAML tag {tag} is not allowed") and exc.line == 1


def test_standard_tags_are_read(loader: str) -> None:
    doc = parse_yaml('a: !!str 7\nb: !!int "7"\nc: !!float 7\nd: !!bool "yes"\n', "f.yaml")
    assert doc.data == {"a": "7", "b": 7, "c": 7, "d": True}
    doc = parse_yaml("a: 010\nb: 0x1F\nc: 1_000\nd: -0\ne: 0\nf: +12\n", "f.yaml")
    assert doc.data == {"a": 8, "b": 31, "c": 1000, "d": 0, "e": 0, "f": 12}  # YAML 1.1


def test_bytes_are_read_as_utf8(loader: str) -> None:
    assert parse_yaml("\ufeffa: Thôn\n".encode(), "f.yaml").data == {"a": "Thôn"}
    with pytest.raises(er.RuleSetError, match="not UTF-8") as info:
        parse_yaml(b"a: 1\nb: \xff\n", "f.yaml")
    assert info.value.file == "f.yaml" and info.value.line == 2


# -- characters and encodings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nx: a\x07b\n", "the character U+0007 is not allowed", 2),
        ("a: 1\nb: 2\nx: '\x00'\n", "the character U+0000 is not allowed", 3),
        ('a: 1\nx: "\\e[31mred"\n', "the control character U+001B", 2),
        ('x: "\\0"\n', "the control character U+0000", 1),
        ("a: 1\nx: é\ud800\n", "lone surrogate", 2),
    ],
    ids=["bell", "nul", "escape-sequence", "escaped-nul", "lone-surrogate"],
)
def test_control_characters_and_surrogates(loader: str, text: str, message: str, line: int) -> None:
    exc = refused(text)
    assert message in exc.message and exc.line == line


def test_an_escaped_lone_surrogate_is_refused(loader: str) -> None:
    exc = refused('a: 1\nx: "\\ud800"\n')
    assert exc.line == 2


def test_a_byte_order_mark_is_dropped(loader: str, tmp_path: Path) -> None:
    assert parse_yaml("\ufeffa: 1\nb: [2]\n", "f.yaml").data == {"a": 1, "b": [2]}
    source = tmp_path / "rules.yaml"
    source.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert yamlsource.read_source(source, "rules.yaml") == "a: 1\n"


def test_a_rule_set_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_bytes(b"\xef\xbb\xbf" + minimal().encode("utf-8"))
    assert er.Library([tmp_path], shipped=False).load("t-min").id == "t-min"


@pytest.mark.parametrize("where", ["", "enumerations/", "nested/"])
def test_a_non_utf8_file_in_a_host_folder_is_named(tmp_path: Path, where: str) -> None:
    # as for any malformed file in the folder, the folder cannot be read until it is fixed
    folder = tmp_path / where
    folder.mkdir(exist_ok=True)
    (folder / "latin.yaml").write_bytes("id: x\nname: Thôn Phú\n".encode("latin-1"))
    with pytest.raises(er.RuleSetError) as info:
        er.Library([tmp_path]).load("typical-commune")
    assert info.value.file == f"{tmp_path}/{where}latin.yaml"
    assert info.value.line == 2 and "not UTF-8" in info.value.message


def test_cli_refuses_a_non_utf8_file_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: x\n\xff\xfe: 1\n")
    for args in (["validate", str(path)], ["campaign", "show", str(path)]):
        code, out, err, _ = run_cli(capsys, *args)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "latin.yaml:2: the file is not UTF-8 text" in err


# -- documents --------------------------------------------------------------------------


def test_one_document_per_file(loader: str) -> None:
    exc = refused("a: 1\n---\nb: 2\n")
    assert exc.line == 2 and "one YAML document" in exc.message
