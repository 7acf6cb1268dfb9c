"""Batches that use the machine: a RuleSet pickles (and is compiled again where it lands),
and ``evaluate_many(workers=N)`` runs a process pool with verdicts in input order, the
same errors as one process, and a bounded read-ahead."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import pickletools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import emulation_rules as er
from support import ELIGIBLE, ROOT

EXAMPLES = ROOT / "examples"
ON = date(2024, 12, 31)


@pytest.fixture(scope="module")
def typical() -> er.RuleSet:
    """The shipped typical-commune (it requires typical-prerequisites)."""
    return er.Library().load("typical-commune", on=ON)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def communes(n: int) -> list[dict[str, Any]]:
    """n variants of the example commune, some failing, some with a missing fact."""
    base = example("commune-all-met.json")
    out = []
    for i in range(n):
        unit = {**base, "unit_id": f"Xã {i}", "crimes_social_order": 33 + i % 9}
        if i % 5 == 0:
            del unit["drug_addicts"]
        out.append(unit)
    return out


# -- pickling ------------------------------------------------------------------------------


def test_a_pickled_ruleset_gives_identical_verdicts(typical: er.RuleSet) -> None:
    copy = pickle.loads(pickle.dumps(typical))
    assert copy is not typical
    assert (copy.id, copy.version, copy.sha256, copy.on) == (
        typical.id,
        typical.version,
        typical.sha256,
        typical.on,
    )
    assert [p.id for p in copy.prerequisites] == ["typical-prerequisites"]
    units = [example(f"commune-{n}.json") for n in ("all-met", "fails-18-19", "missing-evidence")]
    for unit in units:
        for explain in (False, True):
            assert copy.evaluate(unit, explain=explain) == typical.evaluate(unit, explain=explain)
    statuses = {typical.evaluate(u).status for u in units}
    assert len(statuses) > 1  # the units do not all give the same verdict


def test_a_ruleset_of_a_host_folder_pickles() -> None:
    lib = er.Library([EXAMPLES / "local-rulesets"])
    rs = lib.load("typical-commune-phu-loc", on=ON)
    copy = pickle.loads(pickle.dumps(rs))
    unit = example("commune-all-met.json")
    assert copy.sha256 == rs.sha256
    assert copy.evaluate(unit, explain=True) == rs.evaluate(unit, explain=True)


# -- evaluate_many in a pool ------------------------------------------------------------------


def test_a_pool_gives_the_verdicts_of_one_process_in_order(typical: er.RuleSet) -> None:
    units = communes(23)
    for explain in (False, True):
        alone = list(typical.evaluate_many(units, explain=explain))
        pooled = list(typical.evaluate_many(units, explain=explain, workers=2, chunk_size=3))
        assert pooled == alone
        assert [v.unit for v in pooled] == [f"Xã {i}" for i in range(23)]  # type: ignore[union-attr]
    assert len({v.status for v in alone}) > 1  # type: ignore[union-attr]


def test_a_pool_started_by_spawn(commune: er.RuleSet) -> None:
    units = [{**ELIGIBLE, "unit_id": f"Xã {i}", "crimes": 35 + i} for i in range(6)]
    context = multiprocessing.get_context("spawn")
    pooled = list(commune.evaluate_many(units, workers=2, chunk_size=2, mp_context=context))
    assert pooled == list(commune.evaluate_many(units))


def test_errors_in_workers_are_returned_in_place(commune: er.RuleSet, division: er.RuleSet) -> None:
    units = [{"crimes": 1}, {"crimes": "x"}, [], {"crimez": 1}, {"crimes": 2}]
    out = list(commune.evaluate_many(units, errors="return", workers=2, chunk_size=2))
    assert [type(o).__name__ for o in out] == [
        "Verdict",
        "EvidenceError",
        "EvidenceError",
        "EvidenceError",
        "Verdict",
    ]
    assert [p.path for p in out[1].problems] == [(1, "crimes")]  # type: ignore[union-attr]
    assert [p.path for p in out[2].problems] == [(2,)]  # type: ignore[union-attr]
    assert [p.path for p in out[3].problems] == [(3, "crimez")]  # type: ignore[union-attr]
    sums = [{"part": 1, "total": t, "items": [{"v": 1}]} for t in (2, 0, 2)]
    out = list(division.evaluate_many(sums, errors="return", workers=2, chunk_size=1))
    assert isinstance(out[1], er.EvaluationError) and out[1].criterion == "ratio"
    assert isinstance(out[0], er.Verdict) and isinstance(out[2], er.Verdict)


def test_the_first_bad_unit_raises_at_its_position(commune: er.RuleSet) -> None:
    units = [{"crimes": i} for i in range(7)] + [{"crimes": -1, "unit_id": "bad"}, {"crimes": 3}]
    batch = commune.evaluate_many(units, workers=2, chunk_size=3)
    assert all(isinstance(next(batch), er.Verdict) for _ in range(7))
    with pytest.raises(er.EvidenceError) as info:
        next(batch)
    assert info.value.problems[0].path == (7, "crimes")
    assert info.value.unit == "bad"


def test_an_error_of_the_input_comes_after_the_units_before_it(commune: er.RuleSet) -> None:
    def units() -> Iterator[dict[str, Any]]:
        for i in range(5):
            yield {"crimes": i}
        raise OSError("disk gone")

    batch = commune.evaluate_many(units(), workers=2, chunk_size=2)
    assert sum(isinstance(next(batch), er.Verdict) for _ in range(5)) == 5
    with pytest.raises(OSError, match="disk gone"):
        next(batch)


def test_a_pool_reads_a_bounded_number_of_units_ahead(commune: er.RuleSet) -> None:
    consumed = []

    def units() -> Iterator[dict[str, Any]]:
        for i in range(10_000):
            consumed.append(i)
            yield {"crimes": i % 50}

    batch = commune.evaluate_many(units(), workers=2, chunk_size=4)
    assert consumed == []
    next(batch)
    assert 4 <= len(consumed) <= 2 * 2 * 4  # two chunks a worker in flight, no more
    for _ in range(20):
        next(batch)
    assert len(consumed) <= 21 + 2 * 2 * 4
    batch.close()  # shuts the pool down


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 0}, "workers: must be a whole number >= 1"),
        ({"workers": -2}, "workers: must be a whole number >= 1"),
        ({"workers": True}, "workers: must be a whole number >= 1"),
        ({"workers": 1.5}, "workers: must be a whole number >= 1"),
        ({"chunk_size": 0}, "chunk_size: must be a whole number >= 1"),
        ({"chunk_size": None}, "chunk_size: must be a whole number >= 1"),
        ({"errors": "ignore"}, "errors: must be"),
    ],
)
def test_bad_batch_arguments_are_refused_at_once(
    commune: er.RuleSet, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        commune.evaluate_many([{}], **options)  # before anything is iterated


def test_verdicts_come_back_from_workers_as_constructor_calls(typical: er.RuleSet) -> None:
    """The worker's pickler rebuilds verdicts by their constructors (faster than attrs'
    __setstate__); the result is equal, explained or not."""
    import io

    from emulation_rules.evaluation import batch

    assert batch._constructor_fields(er.Verdict) is not None
    units = communes(4)
    for explain in (False, True):
        out = [(True, typical.evaluate(u, explain=explain)) for u in units]
        buffer = io.BytesIO()
        batch._Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(out)
        opcodes = {op.name for op, _, _ in pickletools.genops(buffer.getvalue())}
        assert "BUILD" not in opcodes  # no object restored through __setstate__
        assert "BUILD" in {op.name for op, _, _ in pickletools.genops(pickle.dumps(out))}
        assert pickle.loads(buffer.getvalue()) == out


def _exit_abruptly(ruleset: er.RuleSet, item: int) -> int:
    if item == 3:
        os._exit(1)  # a worker killed mid-chunk (out of memory, a signal)
    return item


def test_a_worker_that_dies_is_an_evaluation_error(commune: er.RuleSet) -> None:
    from emulation_rules.evaluation.batch import ordered_map

    assert list(ordered_map(commune, _exit_abruptly, range(3), workers=2)) == [0, 1, 2]
    results = ordered_map(commune, _exit_abruptly, range(6), workers=2, chunk_size=2)
    with pytest.raises(er.EvaluationError, match="worker process of the pool stopped"):
        list(results)  # (the units before it may or may not come first: a race)


def test_explained_verdicts_from_workers_can_be_stored_compact(typical: er.RuleSet) -> None:
    """A verdict back from a worker keeps the values it was explained from."""
    evidence = json.loads(
        (Path(__file__).parent.parent / "examples" / "commune-missing-evidence.json").read_text(
            encoding="utf-8"
        )
    )
    local = typical.evaluate(evidence, explain=True)
    (pooled,) = list(typical.evaluate_many([evidence], explain=True, workers=2))
    assert isinstance(pooled, er.Verdict)
    assert pooled == local
    assert er.to_json(pooled, form="compact") == er.to_json(local, form="compact")
