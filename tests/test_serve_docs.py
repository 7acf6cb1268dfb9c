"""The curl commands of docs/serve.md run as written against a real ``serve`` process
(from the checkout, for their ``@examples/…`` files), and answer what the page says."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from serve_support import ROOT, serving

pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
CURL = shutil.which("curl")
PAGE = ROOT / "docs" / "serve.md"
DOC_BASE = "http://localhost:8000"


def curl_commands() -> list[str]:
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [line for b in blocks for line in b.splitlines() if line.startswith("curl ")]


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving() as url:
        yield url


def _answer(out: bytes) -> Any:
    text = out.decode("utf-8")
    if text.lstrip().startswith("{") and "\n{" in text.strip():
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def test_the_page_has_curl_commands_for_each_kind_of_call() -> None:
    commands = curl_commands()
    assert len(commands) >= 6
    assert all(DOC_BASE in c for c in commands)


@pytest.mark.skipif(CURL is None, reason="no curl on PATH")
@pytest.mark.parametrize("command", curl_commands())
def test_each_curl_command_of_the_page_runs(base: str, command: str) -> None:
    args = shlex.split(command.replace(DOC_BASE, base))
    args = [*args[:1], "-w", "\n%{http_code}", *args[1:]]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition(b"\n")
    answer = _answer(body)
    if '"forty"' in command:  # the page's problem document example
        assert status == b"422"
        assert answer["problems"][0]["path"] == "crimes_social_order"
        assert "cần một số nguyên" in answer["detail_vi"]
        assert answer["detail_en"] in PAGE.read_text(encoding="utf-8")
    else:
        assert status == b"200", answer
