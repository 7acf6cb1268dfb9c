"""The worker process that owns durable-rules (run as a script, never imported by the
library: it needs only the standard library and durable-rules).

durable-rules keeps its rule sets in a process-wide C table, cannot redefine a rule set
in a process, leaks two timer threads per host, limits a rule set to 1,024 sessions and
can crash the process (see docs/monitor.md). So the monitor runs it here, one worker per
monitor, and talks to it over pipes, one JSON object per line:

- ``{"op": "init", "name": ..., "rules": {rule name: durable-rules rule}}`` registers the
  generated rule set; the reply is ``{"ok": true, "version": ...}``;
- ``{"op": "match", "messages": [...]}`` asserts each message as a fact of the one
  session ``"0"``, records which rules fired, and retracts it again; the reply is
  ``{"ok": true, "fired": [[rule names], ...]}``;
- ``{"op": "stop"}`` ends the worker.

Facts, not events: durable-rules consumes an event with the first rule that matches it
(a clock signal inside two deadline windows would raise one alert, not two), while a
fact fires every rule it satisfies. An action's exception is stored by durable-rules in
the session state rather than raised: the worker reads it back and answers
``{"ok": false, "error": ...}``, and the monitor replaces the worker.

``{"op": "init", ..., "faults": true}`` lets a message carry ``"fault": "raise"``,
``"exit"`` or ``"segfault"``: the action then fails in that way (for the tests of the
monitor's recovery; off unless asked for).
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any


class _Engine:
    def __init__(self, name: str, rules: dict[str, Any], faults: bool) -> None:
        from durable import engine as durable_engine

        self.durable = durable_engine
        self.name = name
        self.order = {rule: i for i, rule in enumerate(rules)}
        self.fired: list[str] = []
        self.faults = faults
        self.seq = 0
        definition = {rule: dict(body, run=self._action(rule)) for rule, body in rules.items()}
        self.host = durable_engine.Host()
        self.host.register_rulesets({name: definition})

    def _action(self, rule: str) -> Any:
        def run(c: Any) -> None:
            self.fired.append(rule)
            fault = c.m.fault if self.faults else None
            if fault == "raise":
                raise RuntimeError(f"fault injected in the action of {rule}")
            if fault == "exit":
                import os

                os._exit(3)
            if fault == "segfault":
                import ctypes

                ctypes.string_at(0)

        return run

    def match(self, messages: list[dict[str, Any]]) -> list[list[str]]:
        out: list[list[str]] = []
        for message in messages:
            self.seq += 1
            fact = dict(message, sid="0", id=f"signal-{self.seq}")
            self.fired = []
            try:
                state = self.host.assert_fact(self.name, fact)
            except self.durable.MessageNotHandledException:
                out.append([])
                continue
            if isinstance(state, dict) and "exception" in state:
                raise RuntimeError(f"an action failed: {str(state['exception'])[:300]}")
            out.append(sorted(self.fired, key=self.order.__getitem__))
            self.host.retract_fact(self.name, fact)
        return out


def _reply(stdout: IO[str], data: dict[str, Any]) -> None:
    stdout.write(json.dumps(data) + "\n")  # ASCII: no dependence on the locale
    stdout.flush()


def serve(stdin: IO[str], stdout: IO[str]) -> int:
    """Answer requests until ``stop`` or the end of input."""
    engine: _Engine | None = None
    for line in stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        op = request.get("op")
        try:
            if op == "init":
                engine = _Engine(request["name"], request["rules"], bool(request.get("faults")))
                from importlib.metadata import version

                _reply(stdout, {"ok": True, "version": version("durable_rules")})
            elif op == "match":
                if engine is None:
                    raise RuntimeError("match before init")
                _reply(stdout, {"ok": True, "fired": engine.match(request["messages"])})
            elif op == "stop":
                _reply(stdout, {"ok": True})
                return 0
            else:
                raise RuntimeError(f"unknown op {op!r}")
        except ImportError as exc:
            _reply(stdout, {"ok": False, "missing": True, "error": f"{exc}"})
        except Exception as exc:
            _reply(stdout, {"ok": False, "error": f"{type(exc).__name__}: {exc}"})
    return 0


if __name__ == "__main__":  # pragma: no cover - runs in the worker process
    sys.exit(serve(sys.stdin, sys.stdout))
