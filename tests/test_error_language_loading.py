"""Loading and expression errors read in Vietnamese and in English (issue 16, point 4).

For a sample of each kind of error a rule-set file can have (malformed YAML, a key unknown
or missing, a value of the wrong type, an expression that does not parse or type-check, an
unknown name or a misspelt level with a suggestion, a bad ``extends``/``requires``, a bad
parameter), ``text_in("vi")`` is Vietnamese (diacritics, no English words outside names
and quoted values) with the file and line kept, and ``text_in("en")`` is the English as
before. An AST check (tests/error_sites.py) finds no place in ``expr`` and ``loading``
that makes an error without its Vietnamese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.error_text import join, message_of, suggest
from emulation_rules.errors import Bilingual, did_you_mean
from emulation_rules.fileio import os_reason
from emulation_rules.loading.reform import parse_setting, with_parameters
from emulation_rules.loading.shapewords import shape_message
from emulation_rules.loading.yamlsource import parse_yaml
from emulation_rules.loading.yamlwords import problem_vi
from error_sites import iter_packages, untranslated_sites
from support import RULESETS, load_text, minimal, write

VI_MARK = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)

ENGLISH = {
    "expected",
    "unknown",
    "got",
    "missing",
    "found",
    "must",
    "needs",
    "cannot",
    "is",
    "are",
    "the",
    "not",
    "of",
    "and",
    "or",
    "did",
    "you",
    "mean",
    "required",
    "key",
    "line",
    "criterion",
    "expression",
    "character",
    "malformed",
    "duplicate",
    "invalid",
    "number",
    "whole",
    "text",
    "with",
    "in",
    "at",
    "no",
    "rule",
    "set",
    "but",
    "only",
}
"""Words of the English messages; none may stand in a Vietnamese one."""

_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|«[^»]*»")


_NAMED = re.compile(r"\S*[/._\[=-]\S*")
"""A file path, a key path (``criteria[0].number``) or a name with ``_``: not words."""


def english_words(text: str) -> set[str]:
    """The English words of ``text`` outside quoted names and values, paths and names."""
    bare = _NAMED.sub(" ", _QUOTED.sub(" ", text))
    return {w for w in re.findall(r"[A-Za-z]+", bare) if w.lower() in ENGLISH}


def assert_vietnamese(text: str) -> None:
    assert VI_MARK.search(text), text
    assert english_words(text) == set(), text


def assert_english(text: str) -> None:
    assert not VI_MARK.search(_QUOTED.sub(" ", text)), text
    assert english_words(text), text


def load_error(tmp_path: Path, text: str) -> er.RuleSetError:
    with pytest.raises(er.RuleSetError) as info:
        load_text(tmp_path, text)
    return info.value


PARAMETER = """\
  other:
    type: integer
    label: {vi: Khác, en: Other}
    source: {document: D}
    value: abc"""

CASES = {
    "malformed YAML": ("a: b: c\n", "mapping values are not allowed", "không được có giá trị"),
    "unknown key": (minimal(tail="colour: red"), "unknown key", "khóa không thuộc định dạng"),
    "missing key": (
        minimal().replace("applies_to: [commune]\n", ""),
        "required key is missing",
        "thiếu khóa bắt buộc",
    ),
    "wrong type": (
        minimal().replace("number: 1\n    group", "number: abc\n    group"),
        "expected a whole number, got 'abc'",
        "cần một số nguyên, nhận được 'abc'",
    ),
    "parse error": (minimal("count_a <= "), "ends too early", "kết thúc quá sớm"),
    "type error": (
        minimal("flag + 1 > 0"),
        "`+` needs a number, but `flag` is a bool",
        "phép `+` cần giá trị kiểu số, nhưng `flag` có kiểu đúng/sai",
    ),
    "unknown name": (
        minimal("count_b <= limit"),
        "unknown name `count_b`; did you mean `count_a`?",
        "không có tên `count_b`; có phải là `count_a` không?",
    ),
    "misspelt level": (
        minimal("rating >= goood"),
        "did you mean `good`?",
        "không phải là một mức của danh mục task_rating",
    ),
    "bad extends": (
        minimal(head="extends: nope"),
        "cannot extend 'nope': no rule set 'nope'",
        "không kế thừa được bộ tiêu chí 'nope': không có bộ tiêu chí 'nope'",
    ),
    "bad requires": (
        minimal(head="requires: [{ruleset: nope, as: other, label: {vi: X, en: X}}]"),
        "cannot require 'nope'",
        "không yêu cầu được bộ tiêu chí 'nope'",
    ),
    "bad parameter": (
        minimal(parameters=PARAMETER),
        "expected a whole number, got 'abc'",
        "cần một số nguyên, nhận được 'abc'",
    ),
    "two values of a parameter on one date": (
        minimal(
            parameters="  other:\n    type: integer\n    label: {vi: K, en: O}\n"
            "    source: {document: D}\n    values:\n"
            "      - {from: 2023-01-01, value: 1}\n      - {from: 2023-01-01, value: 2}"
        ),
        "two values start on the same date",
        "hai giá trị bắt đầu cùng một ngày",
    ),
    "bad name": (
        minimal(facts="  Bad: {type: bool, label: {vi: X, en: X}}"),
        "fact name 'Bad' must be lower_snake_case",
        "tên dữ kiện 'Bad' phải viết bằng chữ thường",
    ),
    "bad template": (
        minimal(criteria="    explain: {vi: 'Có {nope}', en: 'Has {nope}'}").replace(
            "    text: {vi: Tiêu chí một.}\n", "    text: {vi: Tiêu chí một.}\n"
        ),
        "unknown placeholder {nope}",
        "không có chỗ điền {nope}",
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_a_loading_error_reads_in_each_language(tmp_path: Path, kind: str) -> None:
    text, english, vietnamese = CASES[kind]
    exc = load_error(tmp_path, text)
    en, vi = exc.text_in("en"), exc.text_in("vi")
    assert english in en
    assert vietnamese in vi
    assert_english(en)
    assert_vietnamese(vi)
    assert exc.translated
    # the place (file:line) is kept in both languages
    assert exc.file is not None and exc.line is not None
    place = f"{exc.file}:{exc.line}: "
    assert en.startswith(place) and vi.startswith(place)
    # str() follows the error language
    with er.error_language("vi"):
        assert str(exc) == vi
    with er.error_language("en"):
        assert str(exc) == en


def test_the_bad_template_case_is_the_explain_template(tmp_path: Path) -> None:
    # guard of the sample above: the criterion's explain line is where the error points
    exc = load_error(tmp_path, CASES["bad template"][0])
    assert exc.path[-1] == "explain" and exc.criterion == "C1"


def test_an_expression_error_keeps_criterion_and_offset_in_both(tmp_path: Path) -> None:
    exc = load_error(tmp_path, minimal("count_b <= limit"))
    assert isinstance(exc, er.ExpressionError)
    assert "criterion C1: " in exc.text_in("en")
    assert "tiêu chí C1: " in exc.text_in("vi")
    assert exc.text_in("en").endswith("(in `count_b <= limit` at character 1)")
    assert exc.text_in("vi").endswith("(trong `count_b <= limit`, ký tự thứ 1)")


def test_several_shape_problems_are_listed_in_each_language(tmp_path: Path) -> None:
    text = minimal(tail="colour: red\nsize: big")
    exc = load_error(tmp_path, text)
    assert "(also: line " in exc.text_in("en")
    assert "(ngoài ra: dòng " in exc.text_in("vi")
    assert_vietnamese(exc.text_in("vi"))


def test_an_unquoted_number_for_a_text_gets_the_hint_in_both(tmp_path: Path) -> None:
    exc = load_error(tmp_path, minimal(version="1").replace('version: "1"', "version: 1"))
    assert 'write it in quotes: "1"' in exc.text_in("en")
    assert 'hãy viết trong dấu ngoặc kép: "1"' in exc.text_in("vi")


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [
        ("a:\n  - b\n c: d\n", "không tìm thấy khóa"),
        ("a: [1, 2\n", "thiếu dấu phẩy (,) hoặc dấu đóng ngoặc (])"),
        ("a: 'x\n", "tệp kết thúc khi một giá trị còn dở dang"),
        ("a: 1\na: 2\n", "khóa 'a' bị lặp lại"),
        ("a: !!python/object:os.system x\n", "không được dùng thẻ YAML !!python/object:os.system"),
        ("a: *nope\n", "bí danh *nope không có neo &nope nào đứng trước"),
        ("", "tệp trống"),
    ],
)
def test_yaml_errors_in_vietnamese(text: str, vietnamese: str) -> None:
    with pytest.raises(er.RuleSetError) as info:
        parse_yaml(text, "x.yaml")
    vi = info.value.text_in("vi")
    assert vietnamese in vi
    assert vi.startswith("x.yaml")
    assert_vietnamese(vi)
    assert_english(info.value.text_in("en"))


def test_a_yaml_complaint_not_known_is_quoted() -> None:
    assert problem_vi("something new") == "trình đọc YAML báo «something new»"
    assert problem_vi("expected <block end>, but found '<scalar>'") == (
        "cần <block end>, nhưng gặp '<scalar>'"
    )


def test_a_file_that_cannot_be_read_says_why_in_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(er.NotFoundError) as info:
        er.Library([RULESETS], shipped=False).load(tmp_path / "absent.yaml")
    assert_vietnamese(info.value.text_in("vi"))


def test_shape_messages_known_and_unknown() -> None:
    assert shape_message("required key is missing").vi == "thiếu khóa bắt buộc"
    assert shape_message("expected true or false, got 3").vi == (
        "cần true (có) hoặc false (không), nhận được 3"
    )
    made = Bilingual("x", "y")
    assert shape_message(made) is made  # a converter message that carries its Vietnamese
    odd = shape_message("something else")
    assert odd == "something else" and "something else" in odd.vi


def test_setting_a_parameter_errors_read_in_vietnamese() -> None:
    with pytest.raises(er.RuleSetError) as info:
        parse_setting("no-equals-sign")
    assert (
        info.value.text_in("vi") == "cần viết theo dạng THAM_SỐ=GIÁ_TRỊ, nhận được 'no-equals-sign'"
    )
    base = er.Library([RULESETS], shipped=False).catalogue.definition("demo-commune")
    with pytest.raises(er.RuleSetError) as info:
        with_parameters(base, {"min_crime_reductio": "8%"})
    vi = info.value.text_in("vi")
    assert "không có tham số này; có phải là 'min_crime_reduction' không?" in vi
    assert_vietnamese(vi)
    with pytest.raises(er.RuleSetError) as info:
        with_parameters(base, {"min_crime_reduction": "8"})
    vi = info.value.text_in("vi")
    assert "cần một tỷ lệ phần trăm viết kèm dấu %" in vi and "(tham số kiểu percentage)" in vi


def test_the_helpers_build_both_languages_once() -> None:
    assert did_you_mean(None) == "" and did_you_mean(None).vi == ""
    hint = did_you_mean("good", quote="`")
    assert (str(hint), hint.vi) == ("; did you mean `good`?", "; có phải là `good` không?")
    assert did_you_mean("x", quote="'").vi == "; có phải là 'x' không?"
    assert suggest("goood", ["good", "done"]).vi == "; có phải là `good` không?"
    assert suggest("zzz", ["good"]) == ""
    both = join(Bilingual("a ", "b "), "`x`", hint)
    assert str(both) == "a `x`; did you mean `good`?"
    assert both.vi == "b `x`; có phải là `good` không?"
    assert message_of(ValueError(Bilingual("e", "v"))).vi == "v"  # type: ignore[attr-defined]
    assert message_of(ValueError("plain")) == "plain"
    reason = os_reason(FileNotFoundError(2, "No such file or directory"))
    assert (str(reason), reason.vi) == (
        "No such file or directory",
        "không có tệp này",
    )


def test_every_error_made_in_expr_and_loading_carries_vietnamese() -> None:
    assert untranslated_sites(iter_packages("expr", "loading")) == []


def test_the_site_check_finds_an_untranslated_error(tmp_path: Path) -> None:
    module = write(
        tmp_path,
        "bad.py",
        "from emulation_rules.errors import Bilingual, RuleSetError, Problem\n"
        "OK = Bilingual('a', 'b')\n"
        "def f(doc, x):\n"
        "    if x == 1:\n"
        "        raise RuleSetError('english only')\n"
        "    if x == 2:\n"
        "        raise doc.error(f'english {x}', ())\n"
        "    if x == 3:\n"
        "        return Problem((), 'english only')\n"
        "    if x == 4:\n"
        "        raise RuleSetError('en', message_vi='vi')\n"
        "    if x == 5:\n"
        "        raise RuleSetError(Bilingual('en', 'vi'))\n"
        "    if x == 6:\n"
        "        raise doc.error(OK, ())\n"
        "    message = Bilingual('en', 'vi')\n"
        "    raise RuleSetError(message)\n",
    )
    found = untranslated_sites([module])
    assert [line.split(":")[-2] for line in found] == ["5", "7", "9"]
