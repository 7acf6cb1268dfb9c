"""Errors in Vietnamese and English: both messages carried, ``str()`` by a per-context
setting (``er.error_language``, else ``EMULATION_RULES_LANG``), ``text_in`` by choice."""

from __future__ import annotations

import copy
import json
import pickle
import re
import threading
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from emulation_rules.errors import Bilingual, Problem

EXAMPLES = Path(__file__).parent.parent / "examples"
EVIDENCE = json.loads((EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8"))

# ASCII words a Vietnamese message may hold besides fact ids: values as written in JSON
# and the date pattern; anything else in plain ASCII letters is an English word leaking.
ALLOWED_ASCII = {"true", "false", "null", "YYYY-MM-DD", "JSON"}


def english_leaks(text: str, ids: set[str]) -> list[str]:
    """Words of ``text`` written in plain ASCII letters (no diacritics) that are neither an
    id in ``ids``, a quoted value, nor allowed: English leaking into Vietnamese."""
    text = re.sub(r"'[^']*'", "", text)  # quoted values are the host's own
    words = [
        w.strip(".")
        for w in re.findall(r"[\w\-.]+", text)
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-.]*", w)
    ]
    vietnamese_ascii = {
        "ban",
        "bo",
        "can",
        "cho",
        "co",
        "con",
        "dung",
        "gia",
        "hay",
        "hoac",
        "khi",
        "la",
        "mot",
        "nam",
        "ngay",
        "phai",
        "sau",
        "so",
        "tai",
        "theo",
        "thi",
        "tin",
        "tri",
        "tu",
        "va",
        "xa",
        "vi",
        "to",
        "tinh",
        "da",
        "an",
        "chi",
        "trong",
        "tren",
        "minh",
        "thanh",
    }  # words spelled without diacritics in Vietnamese too
    return [
        w
        for w in words
        if w not in ids
        and w not in ALLOWED_ASCII
        and w.lower() not in vietnamese_ascii
        and not w.isupper()  # codes such as QĐ, BCA
    ]


def evidence_error(rs: er.RuleSet, changes: dict[str, Any]) -> er.EvidenceError:
    with pytest.raises(er.EvidenceError) as info:
        rs.evaluate({**EVIDENCE, **changes})
    return info.value


@pytest.fixture(scope="module")
def commune() -> er.RuleSet:
    return er.load("typical-commune", on=__import__("datetime").date(2025, 6, 1))


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
        "party_committee_resolution_date: expected a date YYYY-MM-DD, got '31/02/2024'",
        "party_committee_resolution_date: cần một ngày theo dạng YYYY-MM-DD, "
        "nhận được '31/02/2024'",
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
    assert not english_leaks(problem.message_vi or "", set(commune.facts))


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
    with pytest.raises(ValueError, match="vi or en"), er.error_language("fr"):  # type: ignore[arg-type]
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
