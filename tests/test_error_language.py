"""Errors in Vietnamese and English: both messages carried, ``str()`` by a per-context
setting (``er.error_language``, else ``EMULATION_RULES_LANG``), ``text_in`` by choice."""

from __future__ import annotations

import copy
import json
import pickle
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.errors import Bilingual, Problem
from emulation_rules.jsontext import loads

EXAMPLES = Path(__file__).parent.parent / "examples"
EVIDENCE = json.loads((EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8"))

# ASCII words a Vietnamese message may hold besides fact ids: values as written in JSON
# and the date pattern; anything else in plain ASCII letters is an English word leaking.
ALLOWED_ASCII = {"true", "false", "null", "YYYY-MM-DD", "JSON", "NaN", "Infinity"}


ENGLISH = {
    "a",
    "an",
    "and",
    "are",
    "at",
    "by",
    "criterion",
    "day",
    "does",
    "evidence",
    "expected",
    "got",
    "in",
    "is",
    "it",
    "item",
    "line",
    "more",
    "no",
    "not",
    "of",
    "on",
    "or",
    "stored",
    "the",
    "this",
    "unit",
    "was",
    "with",
}  # words of the English messages; none belongs in a Vietnamese one


def english_leaks(text: str, ids: set[str], english: str = "") -> list[str]:
    """Words of the Vietnamese ``text`` that are English: common English words, or words
    of its English counterpart ``english``, other than ids in ``ids``, quoted values and
    JSON spellings (ids and values are the host's own)."""
    text = re.sub(r"'[^']*'", "", text)
    english = re.sub(r"'[^']*'", "", english)
    vocabulary = ENGLISH | {w.lower() for w in re.findall(r"[A-Za-z]{3,}", english)}
    words = re.findall(r"[\w\-]+", text)
    return [w for w in words if w.lower() in vocabulary and w not in ids and w not in ALLOWED_ASCII]


def evidence_error(rs: er.RuleSet, changes: dict[str, Any]) -> er.EvidenceError:
    with pytest.raises(er.EvidenceError) as info:
        rs.evaluate({**EVIDENCE, **changes})
    return info.value


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return er.load("typical-commune", on=date(2025, 6, 1))


BAD_VALUES = [
    (
        {"crimes_social_order": -1},
        "crimes_social_order: expected a whole number ≥ 0, got -1",
        "crimes_social_order: cần một số nguyên từ 0 trở lên, nhận được -1",
    ),
    (
        {"crimes_social_order": 2.5},
        "crimes_social_order: expected a whole number ≥ 0, got 2.5",
        "crimes_social_order: cần một số nguyên từ 0 trở lên, nhận được 2,5",
    ),
    (
        {"citizen_reception_months_held": 13},
        "citizen_reception_months_held: expected a whole number from 0 to 12, got 13",
        "citizen_reception_months_held: cần một số nguyên từ 0 đến 12, nhận được 13",
    ),
    (
        {"citizen_reception_schedule_posted": "yes"},
        "citizen_reception_schedule_posted: expected true or false, got 'yes'",
        "citizen_reception_schedule_posted: cần giá trị true (có) hoặc false (không), "
        "nhận được 'yes'",
    ),
    (
        {"party_committee_resolution_date": "31/02/2024"},
        "party_committee_resolution_date: expected a date YYYY-MM-DD or 'none', got '31/02/2024'",
        "party_committee_resolution_date: cần một ngày theo dạng YYYY-MM-DD hoặc "
        "'none' (không có), nhận được '31/02/2024'",
    ),
    (
        {"crimes_social_ordr": 3},
        "crimes_social_ordr: unknown fact (not read by typical-commune); "
        "did you mean 'crimes_social_order'?",
        "crimes_social_ordr: tên dữ liệu không có trong bộ tiêu chí này; có phải là "
        "'crimes_social_order' (Số vụ phạm tội về trật tự xã hội trên địa bàn trong năm "
        "đánh giá) không?",
    ),
]


@pytest.mark.parametrize(("changes", "en", "vi"), BAD_VALUES)
def test_evidence_problems_read_in_both_languages(
    commune: er.RuleSet, changes: dict[str, Any], en: str, vi: str
) -> None:
    exc = evidence_error(commune, changes)
    unit = EVIDENCE["unit_id"]
    assert exc.text_in("en") == f"unit {unit}: {en}"
    assert exc.text_in("vi") == f"đơn vị {unit}: {vi}"
    (problem,) = exc.problems
    assert (str(problem.path[0]) + ": " + problem.message) == en  # English as it was
    with er.error_language("vi"):
        assert str(exc) == f"đơn vị {unit}: {vi}"
        assert str(problem) == vi
    with er.error_language("en"):
        assert str(exc) == f"unit {unit}: {en}"
    assert exc.translated
    assert not english_leaks(problem.message_vi or "", set(commune.facts), problem.message)


def test_level_and_record_problems_name_the_vietnamese_labels(commune: er.RuleSet) -> None:
    exc = evidence_error(
        commune, {"movement_class": "best", "socio_political_organisations": [{"x": 1}, 3]}
    )
    vi = exc.text_in("vi")
    assert "cần một trong các mức của danh mục" in vi and "nhận được 'best'" in vi
    assert "trường không xác định" in vi and "cần một mục (một đối tượng JSON), nhận được 3" in vi
    assert exc.text_in("en").count("expected") >= 2


def test_str_follows_the_environment_when_no_language_is_set(
    commune: er.RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    exc = evidence_error(commune, {"crimes_social_order": -1})
    monkeypatch.delenv("EMULATION_RULES_LANG", raising=False)
    assert er.current_error_language() == "en" and "expected" in str(exc)
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    assert er.current_error_language() == "vi" and "cần một số nguyên" in str(exc)
    with er.error_language("en"):  # the context wins over the environment
        assert "expected" in str(exc)
    monkeypatch.setenv("EMULATION_RULES_LANG", "fr")
    assert er.current_error_language() == "en"
    refused = pytest.raises(ValueError, match="lang: must be one of 'vi', 'en'")
    with refused, er.error_language("fr"):  # type: ignore[arg-type]
        pass  # pragma: no cover


def test_each_thread_reads_errors_in_its_own_language(commune: er.RuleSet) -> None:
    exc = evidence_error(commune, {"crimes_social_order": -1})
    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {}

    def read(lang: er.ErrorLanguage) -> None:
        with er.error_language(lang):
            barrier.wait()  # both threads are inside their block at once
            first = str(exc)
            barrier.wait()
            seen[lang] = [first, str(exc)]

    threads = [threading.Thread(target=read, args=(lang,)) for lang in ("vi", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all("cần một số nguyên" in s for s in seen["vi"])
    assert all("expected a whole number" in s for s in seen["en"])
    assert er.current_error_language() in ("vi", "en")  # this thread untouched


def test_untranslated_errors_read_in_english_in_full() -> None:
    exc = er.RuleSetError("bad", file="a.yaml", line=1, criterion="C1")
    assert not exc.translated
    assert exc.text_in("vi") == exc.text_in("en") == "a.yaml:1: criterion C1: bad"
    mixed = er.EvidenceError(
        [Problem(("x",), "bad", message_vi="sai"), Problem(("y",), "worse")], unit="Xã A"
    )
    assert mixed.text_in("vi") == "unit Xã A: x: bad; y: worse"
    done = er.RuleSetError("bad", file="a.yaml", line=1, criterion="C1", message_vi="sai")
    assert done.text_in("vi") == "a.yaml:1: tiêu chí C1: sai"
    assert (
        er.ExpressionError(
            "unknown name 'x'", offset=3, text="x > 1", message_vi="không có tên 'x'"
        ).text_in("vi")
        == "không có tên 'x' (trong `x > 1`, ký tự thứ 4)"
    )


@pytest.mark.parametrize(
    "error",
    [
        er.EvidenceError([Problem(("x",), Bilingual("bad", "sai"))], unit="Xã A"),
        er.RuleSetError("bad", file="a.yaml", line=1, criterion="C1", message_vi="sai"),
        er.NotFoundError(Bilingual("no rule set 'x'", "không có bộ tiêu chí 'x'")),
        er.FormatError("bad JSON", where="a.json", line=2, message_vi="JSON sai"),
        er.EventError([Problem(("date",), "bad", message_vi="sai")], where="events.jsonl:2"),
    ],
)
def test_copies_and_pickles_keep_both_messages(error: er.EmulationRulesError) -> None:
    assert error.translated
    for again in (copy.copy(error), copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
        assert type(again) is type(error)
        assert again.text_in("vi") == error.text_in("vi") != error.text_in("en")
        assert again.text_in("en") == error.text_in("en")
        assert vars(again) == vars(error)
    assert type(error.message) is str and type(error.args[0]) is str  # plain English


def test_a_problem_keeps_its_vietnamese_when_moved_and_compares_by_english() -> None:
    problem = Problem(("x",), Bilingual("bad", "sai"))
    assert type(problem.message) is str and problem.message_vi == "sai"
    moved = problem.moved(3)
    assert moved.path == (3, "x") and moved.message_vi == "sai"
    assert problem == Problem(("x",), "bad")  # equal by path and English message
    assert pickle.loads(pickle.dumps(problem)).message_vi == "sai"
    text = Bilingual("bad", "sai")
    assert pickle.loads(pickle.dumps(text)).vi == "sai"


def test_batch_errors_keep_their_vietnamese(commune: er.RuleSet) -> None:
    units = [EVIDENCE, {**EVIDENCE, "crimes_social_order": -1}]
    results = list(commune.evaluate_many(units, errors="return"))
    error = results[1]
    assert isinstance(error, er.EvidenceError)
    assert error.problems[0].path == (1, "crimes_social_order")
    assert "cần một số nguyên từ 0 trở lên" in error.text_in("vi")


# -- errors an officer meets most: rule sets, JSON, stored verdicts, campaigns, the CLI ----


def test_rule_sets_not_found_or_not_in_force_read_in_vietnamese() -> None:
    lib = er.Library()
    with pytest.raises(er.NotFoundError) as missing:
        lib.load("no-such-rules")
    assert missing.value.text_in("en").startswith("no rule set 'no-such-rules' (known: ")
    assert missing.value.text_in("vi").startswith(
        "không có bộ tiêu chí 'no-such-rules' (các bộ tiêu chí hiện có: "
    )
    with pytest.raises(er.NotFoundError) as version:
        lib.load("typical-commune", version="9")
    assert version.value.text_in("vi").startswith(
        "bộ tiêu chí 'typical-commune' không có phiên bản '9' (các phiên bản: "
    )
    with pytest.raises(er.NotFoundError) as early:
        lib.load("typical-commune", on=date(2001, 1, 2))
    en, vi = early.value.text_in("en"), early.value.text_in("vi")
    assert "is not in force on 2001-01-02" in en and "e.g. on=" in en
    assert "không có hiệu lực vào ngày 02/01/2001 (thời gian có hiệu lực: " in vi
    assert re.search(r"hãy chọn một ngày trong các khoảng này, ví dụ ngày \d\d/\d\d/\d{4}$", vi)
    assert not re.search(r"\d{4}-\d\d-\d\d", vi)  # dates as Vietnamese write them
    with er.error_language("vi"):
        assert str(early.value) == vi


@pytest.mark.parametrize(
    ("text", "vi"),
    [
        ('{"a": 1,}', "JSON không đúng cú pháp: "),
        ('{"a" 1}', "JSON không đúng cú pháp: thiếu dấu hai chấm (:)"),
        ('{"a": }', "JSON không đúng cú pháp: thiếu một giá trị"),
        ('{"a": 1} x', "JSON không đúng cú pháp: có phần thừa sau giá trị JSON"),
        ('{"a": "b', "JSON không đúng cú pháp: chuỗi chưa có dấu ngoặc kép đóng"),
        ('{"a": 1, "a": 2}', "tên trường 'a' xuất hiện hai lần trong cùng một đối tượng"),
        ('{"a": NaN}', "JSON không đúng cú pháp: NaN không phải là số JSON cho phép"),
        ("[" * 101 + "]" * 101, "JSON không đúng cú pháp: lồng nhau quá 100 cấp"),
    ],
)
def test_malformed_json_reads_in_vietnamese(text: str, vi: str) -> None:
    with pytest.raises(er.FormatError) as info:
        loads(text, where="u.json")
    exc = info.value
    assert exc.text_in("en").startswith("u.json") and "malformed JSON: " in exc.text_in("en")
    assert exc.translated and vi in exc.text_in("vi")
    assert exc.text_in("vi").startswith("u.json")
    assert not english_leaks(exc.message_vi or "", set(), exc.message)


def test_stored_verdict_mismatches_read_in_vietnamese() -> None:
    lib = er.Library()
    commune = lib.load("typical-commune", on=date(2025, 6, 1))
    stored = er.to_json(commune.evaluate(EVIDENCE), form="compact")
    later = lib.load("typical-commune", on=date(2025, 7, 1))
    with pytest.raises(er.VerdictMismatchError) as dated:
        later.read_verdict(stored)
    assert "load it with on=2025-06-01" in dated.value.text_in("en")
    assert dated.value.text_in("vi") == (
        "kết quả này được đánh giá ngày 01/06/2025 theo các tham số có hiệu lực lúc đó; bộ "
        "tiêu chí đang dùng được nạp cho ngày 01/07/2025: hãy nạp lại bộ tiêu chí cho ngày "
        "01/06/2025"
    )
    fails = json.loads((EXAMPLES / "commune-fails-18-19.json").read_text(encoding="utf-8"))
    verdict = commune.evaluate(EVIDENCE)
    with pytest.raises(er.VerdictMismatchError) as changed:
        commune.explain(verdict, fails | {"unit_id": verdict.unit})
    en, vi = changed.value.text_in("en"), changed.value.text_in("vi")
    assert "criterion 18: not_met (stored met)" in en
    assert "tiêu chí 18: không đạt (đã lưu: đạt)" in vi
    assert "kết quả chung: không đủ điều kiện (đã lưu: đủ điều kiện)" in vi
    assert not english_leaks(vi, {"sha256"}, en)


def test_an_authority_that_no_longer_exists_reads_in_vietnamese() -> None:
    from emulation_rules.campaigns import Campaign, CampaignCatalogue

    c = Campaign.new(
        CampaignCatalogue().get("special-campaign-binh-luong"), "xa", on=date(2024, 9, 20)
    )
    c.issue(on=date(2024, 9, 20), by="BCĐ ANTT xã")
    c.launch(on=date(2024, 9, 25), by="BCĐ ANTT xã")
    c.advance(to=date(2025, 8, 21))
    c.submit_report("final-report", on=date(2025, 8, 22))
    c.decide_awards("province-merit-final", collectives=30, individuals=30, on=date(2025, 8, 23))
    with pytest.raises(er.TransitionRefused) as info:
        c.decide_awards("district-commendation", collectives=3, individuals=3, on=date(2025, 8, 24))
    exc = info.value
    assert exc.guard == "authority"
    assert exc.message.endswith("no longer exists after 2025-06-30")
    assert exc.message_vi is not None
    assert exc.message_vi.endswith("không còn tồn tại sau ngày 30/06/2025")
    assert exc.message_vi.startswith("Chủ tịch Ủy ban nhân dân")
    with er.error_language("vi"):
        assert str(exc) == f"triggers.decide_awards: {exc.message_vi}"
    assert not english_leaks(exc.message_vi, set(), exc.message)


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    from emulation_rules.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(list(argv))
    return int(str(info.value.code)), capsys.readouterr().err


def test_the_cli_prints_errors_in_the_language_given_by_lang(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EMULATION_RULES_LANG", raising=False)
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps({**EVIDENCE, "crimes_social_order": -1}), encoding="utf-8")
    args = ("evaluate", "typical-commune", str(unit), "--on", "2025-06-01")
    code, err = run_cli(capsys, *args, "--lang", "vi")
    assert code == 2
    assert err == (
        f"emulation-rules: error: {unit}: crimes_social_order: cần một số nguyên từ 0 trở "
        "lên, nhận được -1\n"
    )
    code, err = run_cli(capsys, *args, "--lang", "en")
    assert err.endswith("crimes_social_order: expected a whole number ≥ 0, got -1\n")
    code, err = run_cli(capsys, *args)  # no --lang: the environment's, English by default
    assert err.endswith("expected a whole number ≥ 0, got -1\n")
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    code, err = run_cli(capsys, *args)
    assert err.endswith("cần một số nguyên từ 0 trở lên, nhận được -1\n")
    broken = tmp_path / "broken.json"
    broken.write_text('{"crimes_social_order": 1,}', encoding="utf-8")
    code, err = run_cli(capsys, "evaluate", "typical-commune", str(broken), "--lang=vi")
    assert code == 2 and "JSON không đúng cú pháp" in err
    code, err = run_cli(capsys, "evaluate", "no-such-rules", str(unit), "--lang", "vi")
    assert code == 2 and "không có bộ tiêu chí 'no-such-rules'" in err

    missing = tmp_path / "missing.json"
    code, err = run_cli(capsys, "evaluate", "typical-commune", str(missing), "--lang", "vi")
    assert code == 2 and err.endswith(f"không đọc được {missing}: không có tệp này\n")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"unit_id": "Xã"}'.encode("latin-1"))
    code, err = run_cli(capsys, "evaluate", "typical-commune", str(latin), "--lang", "vi")
    assert code == 2 and err.endswith(f"{latin} không phải văn bản UTF-8\n")


def test_rules_that_cannot_be_computed_read_in_vietnamese() -> None:
    from emulation_rules.expr import runtime as rt

    with pytest.raises(er.EvaluationError) as zero:
        rt.divide(12345, 0, "29")
    assert zero.value.text_in("en") == "criteria.29: division by zero (12345 / 0)"
    assert zero.value.text_in("vi") == "tiêu chí 29: không tính được: chia cho 0 (12.345 / 0)"
    empty = rt.empty_error("min", "7")
    assert empty.text_in("en") == "criteria.7: min() over an empty list has no value"
    assert empty.text_in("vi") == "tiêu chí 7: không tính được min() vì danh sách không có mục nào"
    assert pickle.loads(pickle.dumps(empty)).text_in("vi") == empty.text_in("vi")


def test_monitor_events_read_in_vietnamese() -> None:
    from emulation_rules.monitor.events import parse_event

    with pytest.raises(er.EventError) as info:
        parse_event({"kind": "parade", "unit": 5, "date": "1/2/2025", "colour": 1}, where="e:3")
    exc = info.value
    assert exc.translated
    en, vi = exc.text_in("en"), exc.text_in("vi")
    assert en.startswith("e:3: colour: unknown key (kind, unit, date, team, payload); kind: ")
    assert "unit: expected the unit's id (a text), got 5" in en
    assert vi.startswith("e:3: colour: trường không xác định (các trường: kind, unit, date, ")
    assert "kind: loại sự kiện 'parade' không xác định (các loại: " in vi
    assert "unit: cần mã đơn vị (một giá trị văn bản), nhận được 5" in vi
    assert "date: cần một ngày theo dạng YYYY-MM-DD, nhận được '1/2/2025'" in vi
    kinds = {k.strip() for k in vi.split("(các loại: ")[1].split(")")[0].split(",")}
    assert not english_leaks(vi, kinds | {"kind", "unit", "date", "team", "payload", "colour"}, en)
    from emulation_rules.monitor.events import EventKind

    for kind in EventKind:
        event = {"kind": kind.value, "unit": "Xã A", "date": "2025-02-01", "payload": 3}
        with pytest.raises(er.EventError) as payload:
            parse_event({**event, "team": "Đội 1"})
        found = {p.path: p for p in payload.value.problems}
        assert found[("payload",)].message == "expected an object, got 3"
        assert found[("payload",)].message_vi == "cần một đối tượng JSON, nhận được 3"
