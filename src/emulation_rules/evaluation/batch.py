"""Evaluating many units: one after another in this process, or in a pool of processes.

A :class:`~emulation_rules.evaluation.ruleset.RuleSet` pickles as its checked definition,
so each worker of a :class:`~concurrent.futures.ProcessPoolExecutor` compiles it once (the
pool's initializer) and then evaluates chunks of units. Results come back in input order;
at most ``2 × workers`` chunks are read ahead of the last result handed out, so memory
stays flat on an endless iterator of units.
"""

from __future__ import annotations

import io
import pickle
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs

from emulation_rules.errors import (
    EmulationRulesError,
    EvaluationError,
    EvidenceError,
    require_choice,
    require_whole,
)
from emulation_rules.model.verdict import Verdict
from emulation_rules.text import nfc

if TYPE_CHECKING:
    from emulation_rules.evaluation.ruleset import RuleSet

T = TypeVar("T")
R = TypeVar("R")

UnitOutcome = Verdict | EmulationRulesError
"""What one unit gives: its verdict, or the error its evidence (or evaluation) raised."""

ErrorPolicy = Literal["raise", "return"]
"""What :meth:`RuleSet.evaluate_many` does with a bad unit: raise its error (located at
the unit's position), or yield it in the unit's place and go on."""


@attrs.frozen
class UnitResult:
    """One unit of a batch (:meth:`RuleSet.evaluate_each`): its position, its key (its
    ``unit_id`` when the evidence gives a text, else its position), and its verdict or the
    error its evidence raised (exactly one of the two)."""

    index: int
    key: str | int
    verdict: Verdict | None = None
    error: EmulationRulesError | None = None

    @property
    def ok(self) -> bool:
        """Whether the unit was evaluated (its verdict is set)."""
        return self.verdict is not None


DEFAULT_CHUNK_SIZE = 64
"""Units sent to a worker at a time (large enough that the round trip is amortised)."""

# The one process-wide value: the rule set of a pool's worker process, set once by the
# pool's initializer in that process (a worker serves one pool, and never the host).
_WORKER: dict[str, RuleSet] = {}


def check_batch_arguments(errors: object, workers: int | None, chunk_size: int) -> None:
    """Refuse bad arguments of :meth:`RuleSet.evaluate_many` with an ``ArgumentError``
    (also a ``ValueError``)."""
    require_choice("errors", errors, ("raise", "return"))
    require_whole("workers", workers, minimum=1, none=True)
    require_whole("chunk_size", chunk_size, minimum=1)


def outcome(ruleset: RuleSet, evidence: Any, explain: bool = False) -> UnitOutcome:
    """One unit's verdict, or the library error it raised (not located in the batch)."""
    try:
        return ruleset.evaluate(evidence, explain=explain)
    except EmulationRulesError as exc:
        return exc


def keyed_outcome(
    ruleset: RuleSet, evidence: Any, explain: bool = False
) -> tuple[str | None, UnitOutcome]:
    """One unit's outcome and its ``unit_id`` (in NFC), when the evidence gives a text."""
    result = outcome(ruleset, evidence, explain)
    if isinstance(result, Verdict):
        return result.unit, result
    if isinstance(result, EvidenceError) and result.unit is not None:
        return result.unit, result
    unit = evidence.get("unit_id") if isinstance(evidence, Mapping) else None
    return (nfc(unit) if isinstance(unit, str) else None), result


def evaluate_each(
    ruleset: RuleSet,
    units: Iterable[Any],
    *,
    explain: bool = False,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mp_context: BaseContext | None = None,
) -> Iterator[UnitResult]:
    """:meth:`RuleSet.evaluate_each` (see there); arguments checked before anything runs."""
    check_batch_arguments("return", workers, chunk_size)
    task = partial(keyed_outcome, explain=explain)
    results = ordered_map(
        ruleset, task, units, workers=workers, chunk_size=chunk_size, mp_context=mp_context
    )
    return _keyed(results)


def _keyed(results: Iterator[tuple[str | None, UnitOutcome]]) -> Iterator[UnitResult]:
    for i, (unit, result) in enumerate(results):
        key: str | int = i if unit is None else unit
        if isinstance(result, Verdict):
            yield UnitResult(i, key, verdict=result)
        else:
            yield UnitResult(i, key, error=result)


def outcomes(
    ruleset: RuleSet,
    units: Iterable[Any],
    *,
    explain: bool = False,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mp_context: BaseContext | None = None,
) -> Iterator[UnitOutcome]:
    """Every unit's :func:`outcome`, lazily and in input order (see :func:`ordered_map`)."""
    task = partial(outcome, explain=explain)
    return ordered_map(
        ruleset, task, units, workers=workers, chunk_size=chunk_size, mp_context=mp_context
    )


def ordered_map(
    ruleset: RuleSet,
    task: Callable[[RuleSet, T], R],
    items: Iterable[T],
    *,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mp_context: BaseContext | None = None,
) -> Iterator[R]:
    """``task(ruleset, item)`` for every item, lazily and in input order: in this process
    when ``workers`` is ``None`` or 1, else in a pool of ``workers`` processes, each with
    its own copy of the rule set (``task`` must pickle: a module-level function, or a
    ``functools.partial`` of one). An exception raised by ``items`` itself is raised after
    the results of the items before it; one raised by ``task`` where its result would be."""
    if workers is None or workers == 1:
        return (task(ruleset, item) for item in items)
    return _pooled(ruleset, task, items, workers, chunk_size, mp_context)


def evaluate_many(
    ruleset: RuleSet,
    units: Iterable[Any],
    *,
    explain: bool = False,
    errors: ErrorPolicy = "raise",
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    mp_context: BaseContext | None = None,
) -> Generator[UnitOutcome, None, None]:
    """:meth:`RuleSet.evaluate_many` (see there); arguments checked before anything runs."""
    check_batch_arguments(errors, workers, chunk_size)
    results = outcomes(
        ruleset,
        units,
        explain=explain,
        workers=workers,
        chunk_size=chunk_size,
        mp_context=mp_context,
    )
    return _located(results, errors)


def _located(
    results: Iterator[UnitOutcome], errors: ErrorPolicy
) -> Generator[UnitOutcome, None, None]:
    for i, result in enumerate(results):
        if isinstance(result, Verdict):
            yield result
            continue
        if isinstance(result, EvidenceError):
            located = EvidenceError([p.moved(i) for p in result.problems], unit=result.unit)
            if errors == "raise":
                raise located from None
            yield located
            continue
        if errors == "raise":
            raise result
        yield result


class _Chunks(Generic[T]):
    """Cuts an iterator of items into lists; an exception of the iterator is kept (to be
    raised once the items before it are done) and ends the chunks."""

    def __init__(self, items: Iterable[T], size: int) -> None:
        self._items = iter(items)
        self._size = size
        self._done = False
        self.error: Exception | None = None

    def next(self) -> list[T] | None:
        if self._done:
            return None
        chunk: list[T] = []
        try:
            while len(chunk) < self._size:
                chunk.append(next(self._items))
        except StopIteration:
            self._done = True
        except Exception as exc:  # raised by the host's iterator: given back in order
            self._done = True
            self.error = exc
        return chunk or None


def _pooled(
    ruleset: RuleSet,
    task: Callable[[RuleSet, T], R],
    items: Iterable[T],
    workers: int,
    chunk_size: int,
    mp_context: BaseContext | None,
) -> Iterator[R]:
    chunks: _Chunks[T] = _Chunks(items, chunk_size)
    pending: deque[Future[bytes]] = deque()
    pool = ProcessPoolExecutor(
        workers, mp_context=mp_context, initializer=_start_worker, initargs=(ruleset,)
    )
    try:
        while True:
            while len(pending) < 2 * workers and (chunk := chunks.next()) is not None:
                pending.append(pool.submit(_run_chunk, task, chunk))
            if not pending:
                break
            for ok, result in _results(pending.popleft()):
                if not ok:
                    raise result
                yield result
        if chunks.error is not None:
            raise chunks.error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _results(future: Future[bytes]) -> list[tuple[bool, Any]]:
    try:
        results: list[tuple[bool, Any]] = pickle.loads(future.result())
        return results
    except BrokenProcessPool:
        raise EvaluationError(
            "a worker process of the pool stopped abruptly (killed, or out of memory?)",
            message_vi="một tiến trình xử lý song song dừng đột ngột (bị buộc dừng hoặc hết "
            "bộ nhớ?)",
        ) from None


def _start_worker(ruleset: RuleSet) -> None:
    _WORKER["ruleset"] = ruleset


def _run_chunk(task: Callable[[RuleSet, T], R], chunk: list[T]) -> bytes:
    """``(True, result)`` per item; ``(False, exception)`` ends the chunk, as it would end
    the loop in one process (the items before it keep their results). Pickled here, by
    :class:`_Pickler`."""
    ruleset = _WORKER["ruleset"]
    out: list[tuple[bool, Any]] = []
    for item in chunk:
        try:
            out.append((True, task(ruleset, item)))
        except Exception as exc:
            out.append((False, exc))
            break
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(out)
    return buffer.getvalue()


def _constructor_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of an attrs class of the model whose constructor takes exactly its
    fields, unchanged (no converter, no post-init, no pickling of its own); else None."""
    if not cls.__module__.startswith("emulation_rules.model") or not attrs.has(cls):
        return None
    if any(n in cls.__dict__ for n in ("__reduce__", "__reduce_ex__", "__attrs_post_init__")):
        return None
    fields = attrs.fields(cls)
    if all(f.init and f.converter is None and f.alias == f.name for f in fields):
        return tuple(f.name for f in fields)
    return None


class _Pickler(pickle.Pickler):
    """Pickles the model's attrs classes (verdicts, criteria, explanations, texts) as
    constructor calls: unpickled faster than by attrs' ``__setstate__`` (a brief verdict
    of typical-commune ≈1.5× faster, the main process's largest share per unit)."""

    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        super().__init__(file, protocol=protocol)
        self._fields: dict[type, tuple[str, ...] | None] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        try:
            names = self._fields[cls]
        except KeyError:
            names = self._fields[cls] = _constructor_fields(cls)
        if names is None:
            return NotImplemented
        if cls is Verdict:  # its state keeps the values an explained verdict came from
            state = obj.__getstate__()
            return cls, tuple([state[name] for name in names])
        return cls, tuple([getattr(obj, name) for name in names])


__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "UnitOutcome",
    "evaluate_many",
    "ordered_map",
    "outcome",
    "outcomes",
]
