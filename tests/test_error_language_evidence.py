"""Every kind of error a host or an officer meets (bad evidence, bad JSON, a stored verdict
that does not fit, a bad command line) reads in Vietnamese with ``text_in("vi")`` (or
under ``--lang vi``) and in English with ``text_in("en")``; and every library error made
in model/, evaluation/, testing/, cli/ and the top-level modules carries its Vietnamese
(checked on the source, by :mod:`error_sites`)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.cli.args import usage_text_vi
from emulation_rules.errors import Bilingual
from emulation_rules.fileio import write_text_atomic
from emulation_rules.jsontext import loads
from emulation_rules.model.converter import from_json
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import FactType
from emulation_rules.model.verdict import Verdict
from emulation_rules.testing import load_case_file
from error_sites import untranslated_sites

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "emulation_rules"
EVIDENCE = {
    **json.loads((ROOT / "examples" / "commune-all-met.json").read_text(encoding="utf-8")),
    "unit_id": "HB-2024",  # ASCII: the English message quotes it as is
}

# Words of the English messages that must never appear in a Vietnamese one (quoted
# values, fact ids and JSON spellings aside).
ENGLISH = {
    "expected",
    "got",
    "unknown",
    "must",
    "not",
    "is",
    "the",
    "of",
    "or",
    "and",
    "a",
    "an",
    "number",
    "whole",
    "text",
    "percentage",
    "level",
    "record",
    "field",
    "key",
    "missing",
    "required",
    "unit",
    "line",
    "cannot",
    "invalid",
    "argument",
    "arguments",
    "unrecognized",
    "following",
    "date",
    "did",
    "mean",
    "more",
    "true",
    "false",
}
JSON_WORDS = {"true", "false", "null", "JSON", "YYYY-MM-DD", "UTF-8"}
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")


def english_words(text: str, ids: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Words of a Vietnamese ``text`` that are English (quoted values, ids, paths and JSON
    spellings aside)."""
    text = re.sub(r"'[^']*'|`[^`]*`|“[^”]*”|\([^)]*\)", " ", text)
    words = re.findall(r"[A-Za-z_][\w\-.]*", text)
    leaks = []
    for word in words:
        if word in ids or word in JSON_WORDS or "_" in word or "." in word:
            continue
        if word.lower() in ENGLISH:
            leaks.append(word)
    return leaks


def assert_vietnamese(exc: er.EmulationRulesError, ids: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """The error reads in Vietnamese (diacritics, no English word) and in English."""
    vi, en = exc.text_in("vi"), exc.text_in("en")
    assert exc.translated, en
    assert VIETNAMESE.search(vi), vi
    assert not english_words(vi, ids), (vi, english_words(vi, ids))
    assert not VIETNAMESE.search(en), en
    assert vi != en
    return vi


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return er.load("typical-commune", on=date(2025, 6, 1))


@pytest.fixture(scope="module")
def targets() -> er.RuleSet:
    return er.load("special-campaign-targets", on=date(2025, 6, 1))


def evidence_error(rs: er.RuleSet, evidence: Any) -> er.EmulationRulesError:
    with pytest.raises(er.EmulationRulesError) as info:
        rs.evaluate(evidence)
    return info.value


# -- evidence -----------------------------------------------------------------------------

COMMUNE_CASES = [
    ("negative count", {"crimes_social_order": -1}, "cần một số nguyên từ 0 trở lên", "-1"),
    ("count over its max", {"citizen_reception_months_held": 13}, "từ 0 đến 12", "13"),
    ("fraction for a count", {"crimes_social_order": 2.5}, "số nguyên", "2,5"),
    ("text for a count", {"crimes_social_order": "abc"}, "nhận được 'abc'", "'abc'"),
    ("number for yes/no", {"citizen_reception_schedule_posted": 1}, "true (có)", "1"),
    ("bad date", {"party_committee_resolution_date": "31/02/2024"}, "YYYY-MM-DD", "31/02/2024"),
    ("unknown level", {"movement_class": "best"}, "danh mục", "'best'"),
    ("record of the wrong type", {"socio_political_organisations": [3]}, "một mục", "3"),
    ("unknown field", {"socio_political_organisations": [{"x": 1}]}, "trường", "x"),
    ("unknown fact", {"crimes_social_ordr": 3}, "có phải là 'crimes_social_order'", "ordr"),
    ("unit id not a text", {"unit_id": 12}, "cần một giá trị văn bản", "12"),
]


@pytest.mark.parametrize(
    ("changes", "vi_part", "value"),
    [case[1:] for case in COMMUNE_CASES],
    ids=[case[0] for case in COMMUNE_CASES],
)
def test_evidence_errors_read_in_vietnamese(
    commune: er.RuleSet, changes: dict[str, Any], vi_part: str, value: str
) -> None:
    exc = evidence_error(commune, {**EVIDENCE, **changes})
    vi = assert_vietnamese(exc, set(commune.facts))
    assert vi_part in vi and value in vi
    assert "expected" in exc.text_in("en") or "unknown" in exc.text_in("en")


@pytest.mark.parametrize(
    ("value", "shown"), [(120, "120"), (100.5, "100,5"), (-1, "-1"), ("90%", "'90%'")]
)
def test_a_percentage_out_of_range_reads_in_vietnamese(
    targets: er.RuleSet, value: Any, shown: str
) -> None:
    exc = evidence_error(targets, {"unit_id": "XA-1", "population_info_share": value})
    vi = assert_vietnamese(exc, set(targets.facts))
    assert "cần một tỷ lệ phần trăm từ 0 đến 100, nhận được " + shown in vi
    assert "expected a percentage from 0 to 100" in exc.text_in("en")


def test_a_percentage_at_its_bounds_is_no_error(targets: er.RuleSet) -> None:
    for value in (0, 100, 99.5):
        targets.evaluate({"unit_id": "XA-1", "population_info_share": value})


def test_evidence_that_is_not_a_mapping_reads_in_vietnamese(commune: er.RuleSet) -> None:
    vi = assert_vietnamese(evidence_error(commune, [1, 2]))
    assert "dữ liệu phải là" in vi


def test_every_problem_of_a_listing_error_is_translated(commune: er.RuleSet) -> None:
    exc = evidence_error(
        commune, {**EVIDENCE, "crimes_social_order": -1, "movement_class": 3, "zz": 1}
    )
    assert isinstance(exc, er.EvidenceError) and len(exc.problems) == 3
    assert all(p.message_vi for p in exc.problems)
    assert_vietnamese(exc, set(commune.facts) | {"zz"})


# -- JSON and stored verdicts ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['{"so_vu": 1,}', '{"so_vu": NaN}', '{"so_vu": 1, "so_vu": 2}', "[" * 5000, b"\xff{}"],
)
def test_malformed_json_reads_in_vietnamese(text: str | bytes) -> None:
    with pytest.raises(er.FormatError) as info:
        loads(text, where="unit.json")
    assert_vietnamese(info.value)


def test_json_of_the_wrong_python_type_reads_in_vietnamese() -> None:
    with pytest.raises(er.FormatError) as info:
        loads(12, where="x")  # type: ignore[arg-type]
    assert "cần một văn bản JSON" in assert_vietnamese(info.value)


@pytest.fixture(scope="module")
def verdict_data(commune: er.RuleSet) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(er.Library().to_json(commune.evaluate(EVIDENCE)))
    return data


@pytest.mark.parametrize(
    ("change", "path", "vi_part"),
    [
        (lambda d: d["criteria"][0].update(status="maybe"), "criteria[0].status", "'maybe'"),
        (lambda d: d.update(evaluated_on="31/12/2024"), "evaluated_on", "YYYY-MM-DD"),
        (lambda d: d.update(evaluated_on=20241231), "evaluated_on", "YYYY-MM-DD"),
        (lambda d: d["ruleset"].update(id=7), "ruleset.id", "cần một giá trị văn bản"),
        (lambda d: d.update(extra=1), "extra", "khóa không thuộc định dạng này"),
        (lambda d: d.pop("status"), "status", "thiếu khóa bắt buộc"),
        (lambda d: d.update(criteria=3), "criteria", "không đọc được kết quả đánh giá"),
    ],
)
def test_cattrs_structuring_errors_name_the_path_in_vietnamese(
    verdict_data: dict[str, Any], change: Any, path: str, vi_part: str
) -> None:
    data = json.loads(json.dumps(verdict_data))
    change(data)
    with pytest.raises(er.FormatError) as info:
        from_json(json.dumps(data), Verdict, where="v.json")
    vi = assert_vietnamese(info.value)
    assert vi.startswith(f"v.json: {path}: không đọc được kết quả đánh giá: "), vi
    assert vi_part in vi
    assert info.value.text_in("en").startswith(f"v.json: {path}: not a Verdict: ")


def test_a_verdict_that_is_not_an_object_reads_in_vietnamese() -> None:
    with pytest.raises(er.FormatError) as info:
        from_json("[1]", Verdict)
    assert assert_vietnamese(info.value) == (
        "không đọc được kết quả đánh giá: cần một đối tượng JSON, nhận được một danh sách"
    )


@pytest.mark.parametrize(
    ("change", "vi_part"),
    [
        (lambda d: d.update(bogus=1), "khóa không thuộc dạng rút gọn"),
        (lambda d: d.pop("not_met"), "thiếu khóa bắt buộc"),
        (lambda d: d.update(not_met=["Z9"]), "không phải tiêu chí của bộ tiêu chí này"),
        (lambda d: d.update(unit=5), "cần một giá trị văn bản hoặc null"),
        (lambda d: d.update(unknown=[]), "mã tiêu chí"),
        (lambda d: d.update(status="not_met"), "đã bị sửa đổi"),
    ],
)
def test_a_bad_compact_verdict_reads_in_vietnamese(
    commune: er.RuleSet, change: Any, vi_part: str
) -> None:
    data = json.loads(er.Library().to_json(commune.evaluate(EVIDENCE), form="compact"))
    change(data)
    with pytest.raises(er.FormatError) as info:
        commune.read_verdict(json.dumps(data))
    assert vi_part in assert_vietnamese(info.value, set(data))


# -- files ---------------------------------------------------------------------------------


def test_a_file_that_cannot_be_written_reads_in_vietnamese(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(er.WriteError) as info:
        write_text_atomic(blocker / "out.txt", "text")
    vi = info.value.text_in("vi")
    assert "không ghi được" in vi and "tệp vẫn giữ nguyên như trước" in vi
    assert "cannot write" in info.value.text_in("en")
    with pytest.raises(er.WriteError) as info:
        write_text_atomic(tmp_path / "a.txt", "\udcff")
    assert "không mã hóa được" in info.value.text_in("vi")


@pytest.mark.parametrize(
    ("text", "vi_part"),
    [
        ("cases: []\n", "tệp không có ca kiểm thử nào"),
        (
            "ruleset: typical-commune\non: 2025-06-01\ncases:\n"
            "  - name: a\n    expect: {status: eligible}\n"
            "  - name: a\n    expect: {status: eligible}\n",
            "đã có một ca kiểm thử khác tên 'a'",
        ),
        ("cases:\n  - name: a\n    expect: {status: eligible}\n", "chưa có bộ tiêu chí"),
        (
            "ruleset: x\ncases:\n  - name: a\n    expect: {status: eligible}\n",
            "chưa có ngày đánh giá",
        ),
        (
            "ruleset: x\non: 2025-06-01\ncases:\n  - name: a\n    expect: {}\n",
            "không nêu kết quả mong đợi",
        ),
    ],
)
def test_case_file_errors_read_in_vietnamese(tmp_path: Path, text: str, vi_part: str) -> None:
    path = tmp_path / "x.cases.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(er.CaseFileError) as info:
        load_case_file(path)
    assert vi_part in info.value.text_in("vi")
    assert VIETNAMESE.search(info.value.text_in("vi"))
    assert not VIETNAMESE.search(info.value.text_in("en"))


def test_a_rule_set_value_of_the_wrong_type_carries_its_vietnamese() -> None:
    cases = [
        (FactType.INTEGER, "x", "cần một số nguyên, nhận được 'x'"),
        (FactType.PERCENTAGE, "5", "cần một tỷ lệ phần trăm viết kèm dấu %"),
        (FactType.PERCENTAGE, "120%", "không được vượt quá 100%"),
        (FactType.BOOL, "yes", "cần giá trị true (có) hoặc false (không), nhận được 'yes'"),
        (FactType.STRING, 3, "cần một giá trị văn bản, nhận được 3"),
    ]
    for fact_type, raw, vi in cases:
        with pytest.raises(ValueError) as info:
            kind(fact_type).parse(raw)
        message = info.value.args[0]
        assert isinstance(message, Bilingual) and vi in message.vi, (fact_type, message)
        assert str(info.value) == str.__str__(message)  # the English as it was


# -- the command line ----------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    from emulation_rules.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(list(argv))
    return int(str(info.value.code)), capsys.readouterr().err


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(EVIDENCE), encoding="utf-8")
    return path


USAGE_CASES = [
    (
        ["--on", "31/31/2024"],
        "tham số --on: không phải một ngày theo dạng YYYY-MM-DD hoặc dd/mm/yyyy: '31/31/2024'",
    ),
    (["--on", "2024-13-01"], "tham số --on: không phải một ngày theo dạng YYYY-MM-DD"),
    (["--bogus"], "không có tùy chọn hoặc tham số này: --bogus"),
    (["--format", "pdf"], "tham số --format: lựa chọn không hợp lệ: 'pdf' (chọn một trong:"),
    (["--workers", "0"], "tham số --workers: không phải một số nguyên từ 1 trở lên: '0'"),
    (["--on"], "tham số --on: cần một giá trị"),
]


@pytest.mark.parametrize(("extra", "vi"), USAGE_CASES)
def test_usage_errors_read_in_vietnamese_under_lang_vi(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    unit: Path,
    extra: list[str],
    vi: str,
) -> None:
    monkeypatch.delenv("EMULATION_RULES_LANG", raising=False)
    args = ["evaluate", "typical-commune", str(unit), *extra]
    code, err = run_cli(capsys, *args[:3], "--lang", "vi", *args[3:])
    assert code == 2
    assert err.count("\n") == 1 and vi in err, err  # one line, no English usage
    assert not english_words(err.split(": ", 1)[1].replace("error:", ""))
    code, err = run_cli(capsys, *args)  # English by default: argparse's own text
    assert code == 2 and "usage: " in err and "error: " in err and not VIETNAMESE.search(err)
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    code, err = run_cli(capsys, *args)
    assert code == 2 and vi in err
    code, err = run_cli(capsys, *args[:3], "--lang=en", *args[3:])  # --lang wins
    assert code == 2 and "usage: " in err and not VIETNAMESE.search(err)


def test_missing_arguments_and_unknown_commands_read_in_vietnamese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    code, err = run_cli(capsys, "evaluate")
    assert code == 2 and "thiếu tham số bắt buộc: ruleset, evidence" in err
    code, err = run_cli(capsys, "evalute")
    assert code == 2 and "tham số COMMAND: lựa chọn không hợp lệ: 'evalute'" in err


def test_the_cli_prints_vietnamese_evidence_errors_and_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EMULATION_RULES_LANG", raising=False)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**EVIDENCE, "crimes_social_order": "abc"}), encoding="utf-8")
    code, err = run_cli(capsys, "evaluate", "typical-commune", str(path), "--lang", "vi")
    assert code == 2 and err.count("\n") == 1
    assert "crimes_social_order: cần một số nguyên từ 0 trở lên, nhận được 'abc'" in err


def test_a_bad_verdict_file_for_diff_reads_in_vietnamese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, verdict_data: dict[str, Any]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(verdict_data), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**verdict_data, "evaluated_on": "x"}), encoding="utf-8")
    code, err = run_cli(capsys, "diff", str(good), str(bad), "--lang", "vi")
    assert code == 2 and "evaluated_on: không đọc được kết quả đánh giá" in err


def test_an_unknown_argparse_message_still_reads_in_vietnamese() -> None:
    assert usage_text_vi("argument --x: expected 2 arguments") == "tham số --x: cần 2 giá trị"
    assert usage_text_vi("something new").startswith("tham số không hợp lệ: ")


# -- the source ------------------------------------------------------------------------------

PACKAGES = [SRC / "model", SRC / "evaluation", SRC / "testing", SRC / "cli"] + [
    SRC / name
    for name in ("api.py", "fileio.py", "formatting.py", "jsontext.py", "pages.py", "text.py")
]


def test_every_library_error_made_in_these_packages_carries_its_vietnamese() -> None:
    assert untranslated_sites(PACKAGES) == []


def test_the_check_finds_an_english_only_error(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from emulation_rules.errors import Bilingual, FormatError, Problem\n"
        "class MyError(FormatError): ...\n"
        "def bad(x):\n"
        "    raise FormatError('english only', path=('a',))\n"
        "def bad_problem():\n"
        "    return Problem(('a',), 'english only')\n"
        "def bad_subclass():\n"
        "    raise MyError('english', message_vi=None)\n"
        "def good(exc):\n"
        "    m = Bilingual('a', 'b')\n"
        "    raise FormatError('x', message_vi='y') if exc else FormatError(m)\n"
        "def good_param(message: Bilingual):\n"
        "    return Problem(('a',), message)\n"
        "def re_raise(exc):\n"
        "    raise exc._evolve(where='x')\n",
        encoding="utf-8",
    )
    found = untranslated_sites([sample])
    assert [line.split(":")[1] for line in found] == ["4", "6", "8"]


def test_did_you_mean_is_worded_once_in_both_languages() -> None:
    from emulation_rules.errors import did_you_mean

    hint = did_you_mean("crimes", label_vi="Số vụ")
    assert (str(hint), hint.vi) == (
        "; did you mean 'crimes'?",
        "; có phải là 'crimes' (Số vụ) không?",
    )
    code = did_you_mean("x_y", quote="`")
    assert (str(code), code.vi) == ("; did you mean `x_y`?", "; có phải là `x_y` không?")
    assert (str(did_you_mean(None)), did_you_mean("").vi) == ("", "")
