"""The Python example of docs/recognition.md runs as written, and the page's claims about
the data hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "recognition.md").read_text(encoding="utf-8")


def test_python_example_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE, re.S)
    assert blocks
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "docs/recognition.md", "exec"), {})  # our own page
    out = capsys.readouterr().out
    assert "Không công nhận (năm 2024, Ban Chỉ đạo 138 huyện Hậu Lộc)" in out


def test_screenshot_is_shipped() -> None:
    png = ROOT / "docs" / "report-example.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
