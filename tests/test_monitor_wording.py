"""Every alert the monitor raises on the shipped example events, of every kind, reads as
an officer writes: in Vietnamese no fact id, no English word, no ``None``, no ≥/≤, no
ISO date; in English no ``None``."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from emulation_rules.monitor import Alert, AlertKind, Monitor
from monitor_support import PHASE_1_END, campaign, example_events, ruleset

ID = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENGLISH = re.compile(
    r"\b(None|True|False|not given|unknown|met|Missing|at least|at most|of|the|team|month|"
    r"phase|deadline|target)\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def alerts() -> list[Alert]:
    m = Monitor(campaign(), ruleset(), engine="python")
    m.ingest_many(example_events())
    m.advance(PHASE_1_END + timedelta(days=1))
    return list(m.alerts)


def test_the_example_raises_an_alert_of_every_kind(alerts: list[Alert]) -> None:
    assert {a.kind for a in alerts} == set(AlertKind)


def test_every_alert_reads_in_vietnamese_and_english(alerts: list[Alert]) -> None:
    ids = set(ruleset().facts) | set(ruleset().definition.parameters)
    for a in alerts:
        vi, en = a.text.vi, a.text.en
        at = f"{a.kind.value} {a.criterion} {a.on}"
        assert not ID.search(vi), f"{at}: id in {vi!r}"
        assert not set(re.findall(r"\w+", vi)) & ids, f"{at}: id in {vi!r}"
        assert not ENGLISH.search(vi), f"{at}: English in {vi!r}"
        assert not re.search(r"[≥≤]", vi), f"{at}: symbol in {vi!r}"
        assert not ISO_DATE.search(vi), f"{at}: ISO date in {vi!r}"
        assert "None" not in en and vi != en, f"{at}: {en!r}"
