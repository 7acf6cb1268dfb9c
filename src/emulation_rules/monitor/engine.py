"""The engines that run the generated alerting rules: durable-rules in a worker process
(:class:`DurableEngine`), or the same conditions in plain Python
(:class:`~emulation_rules.monitor.rules.PythonMatcher`).

The host process never imports durable-rules. :class:`DurableEngine` starts
``worker.py`` as a separate Python process (``-P``: the script's folder is not put on
``sys.path``) and exchanges one JSON object per line with it. The monitor's state lives
in the host process: the worker only matches signals against rules and keeps nothing
between requests. When the worker dies (a crash in durable-rules' C code, a kill) or
answers with an error (an action's exception), the request is sent again to a fresh
worker; if that fails too, the Python matcher answers it, the failure is recorded in
:attr:`DurableEngine.failures`, and the next request tries a fresh worker again (after
``max_failures`` requests in a row answered that way, the worker is given up). No signal
is lost and the host process is never at risk.
"""

from __future__ import annotations

import collections
import contextlib
import importlib.util
import json
import queue
import subprocess
import sys
import threading
import uuid
import warnings
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from emulation_rules.errors import EngineFallbackWarning, MonitorError
from emulation_rules.monitor.rules import (
    GeneratedRule,
    PythonMatcher,
    durable_definition,
)
from emulation_rules.monitor.signals import Message

WORKER = Path(__file__).with_name("worker.py")
INSTALL_HINT = 'install the extra: pip install "emulation-rules[streaming]"'
INSTALL_HINT_VI = 'cài thêm gói tùy chọn: pip install "emulation-rules[streaming]"'


class Matcher(Protocol):
    """What the monitor needs of an engine."""

    name: str

    def match(self, messages: Sequence[Message]) -> list[list[str]]:
        """For each message, the names of the rules it satisfies, in rule order."""
        ...

    def close(self) -> None:
        """Release the engine's resources."""
        ...


def durable_available() -> bool:
    """Whether durable-rules can be found (without importing it here)."""
    return importlib.util.find_spec("durable") is not None


def make_engine(
    rules: Sequence[GeneratedRule], engine: str = "auto", *, faults: bool = False
) -> Matcher:
    """``"durable"``: durable-rules in a worker (``MonitorError`` if it is not
    installed or cannot be loaded); ``"python"``: the in-process matcher; ``"auto"``:
    durable-rules when installed, else Python — and Python too, with an
    :class:`~emulation_rules.errors.EngineFallbackWarning`, when it is installed but its
    worker cannot load it (CPython 3.13) or does not start."""
    if engine == "python":
        return PythonMatcher(rules)
    if engine not in ("auto", "durable"):
        raise MonitorError(
            f"unknown engine {engine!r} (auto, durable, python)",
            path=("engine",),
            message_vi=f"không có bộ máy {engine!r} (auto, durable, python)",
        )
    if not durable_available():
        if engine == "durable":
            raise MonitorError(
                f"durable-rules is not installed: {INSTALL_HINT}",
                path=("engine",),
                message_vi=f"chưa cài đặt durable-rules: {INSTALL_HINT_VI}",
            )
        return PythonMatcher(rules)
    if engine == "durable":
        return DurableEngine(rules, faults=faults)
    try:
        return DurableEngine(rules, faults=faults)
    except MonitorError as exc:
        warnings.warn(
            EngineFallbackWarning(f"{exc.message}; the alerting rules run in Python"),
            stacklevel=3,
        )
        return PythonMatcher(rules)


class _WorkerFailure(Exception):
    pass


class _Worker:
    """One worker process and the threads reading its output."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-P", str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="ascii",
            errors="replace",
        )
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: collections.deque[str] = collections.deque(maxlen=20)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.proc.stderr,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                self.replies.put(json.loads(line))
            except ValueError:
                self.stderr.append(f"unreadable reply: {line[:200]}")
        self.replies.put(None)

    def _drain(self, stream: IO[str]) -> None:
        for line in stream:
            self.stderr.append(line.rstrip())

    def request(self, data: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(data) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise _WorkerFailure(f"the worker is gone ({exc}){self._tail()}") from None
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            raise _WorkerFailure(f"the worker did not answer within {timeout:g} s") from None
        if reply is None:
            code = self.proc.wait()
            raise _WorkerFailure(f"the worker exited with code {code}{self._tail()}")
        return reply

    def _tail(self) -> str:
        lines = [line for line in self.stderr if line.strip()]
        return f"; its last output: {lines[-1][:300]}" if lines else ""

    def stop(self) -> None:
        with contextlib.suppress(_WorkerFailure):
            if self.proc.poll() is None:
                self.request({"op": "stop"}, timeout=2.0)
        _kill(self.proc)


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


class DurableEngine:
    """The generated rules on durable-rules, in a worker process of its own."""

    name = "durable"

    def __init__(
        self,
        rules: Sequence[GeneratedRule],
        *,
        timeout: float = 60.0,
        max_failures: int = 3,
        faults: bool = False,
    ) -> None:
        self.rules = tuple(rules)
        self.ruleset_name = f"emulation_rules_monitor_{uuid.uuid4().hex}"
        self.definition = durable_definition(self.rules)
        self.timeout = timeout
        self.max_failures = max_failures
        self.faults = faults
        self.fallback = PythonMatcher(self.rules)
        self.failures: list[str] = []
        """What went wrong, oldest first (a crashed worker, an action's exception)."""
        self.restarts = 0
        self.version: str | None = None
        self._worker: _Worker | None = None
        self._failed_in_a_row = 0
        self._closed = False
        self._finalizer = weakref.finalize(self, DurableEngine._stop_worker, [None])
        try:
            self._start()
        except _WorkerFailure as exc:
            raise MonitorError(
                f"the durable-rules worker did not start: {exc}",
                message_vi=f"tiến trình durable-rules không khởi động được: {exc}",
            ) from None

    @staticmethod
    def _stop_worker(holder: list[_Worker | None]) -> None:
        worker = holder[0]
        if worker is not None:
            worker.stop()

    def _start(self) -> _Worker:
        try:
            worker = _Worker()
        except OSError as exc:
            raise _WorkerFailure(f"cannot start {sys.executable}: {exc}") from None
        try:
            reply = worker.request(
                {
                    "op": "init",
                    "name": self.ruleset_name,
                    "rules": self.definition,
                    "faults": self.faults,
                },
                self.timeout,
            )
        except _WorkerFailure:
            _kill(worker.proc)
            raise
        if not reply.get("ok"):
            worker.stop()
            if reply.get("missing"):
                raise MonitorError(
                    f"durable-rules is installed but cannot be loaded ({reply.get('error')}); "
                    "it loads on CPython 3.11 and 3.12, not 3.13",
                    path=("engine",),
                    message_vi="durable-rules đã được cài nhưng không nạp được "
                    f"({reply.get('error')}); gói này chạy trên CPython 3.11 và 3.12, "
                    "không chạy trên 3.13",
                )
            raise _WorkerFailure(f"the worker refused the rules: {reply.get('error')}")
        self.version = str(reply.get("version"))
        self._worker = worker
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, DurableEngine._stop_worker, [worker])
        return worker

    @property
    def pid(self) -> int | None:
        """The worker's process id (``None`` when none is running)."""
        return self._worker.proc.pid if self._worker is not None else None

    @property
    def gave_up(self) -> bool:
        """Whether the worker was given up after repeated failures (Python answers)."""
        return self._failed_in_a_row >= self.max_failures

    def match(self, messages: Sequence[Message]) -> list[list[str]]:
        """For each message, the rules it satisfies. Never raises for a worker failure."""
        if self._closed:
            raise MonitorError(
                "the monitor's engine is closed",
                message_vi="bộ máy của hệ thống theo dõi đã đóng",
            )
        if not messages:
            return []
        if not self.gave_up:
            for _ in range(2):
                try:
                    worker = self._worker if self._worker is not None else self._restart()
                    reply = worker.request(
                        {"op": "match", "messages": list(messages)}, self.timeout
                    )
                    if not reply.get("ok"):
                        raise _WorkerFailure(str(reply.get("error")))
                    self._failed_in_a_row = 0
                    return [list(names) for names in reply["fired"]]
                except _WorkerFailure as exc:
                    self.failures.append(str(exc))
                    self._discard()
        self._failed_in_a_row += 1
        self.failures.append(f"{len(messages)} signal(s) matched by the Python matcher instead")
        return self.fallback.match(messages)

    def _restart(self) -> _Worker:
        self.restarts += 1
        return self._start()

    def _discard(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            _kill(worker.proc)

    def close(self) -> None:
        """Stop the worker."""
        self._closed = True
        worker, self._worker = self._worker, None
        self._finalizer.detach()
        if worker is not None:
            worker.stop()
