"""The single rule of issue 13, enforced by Hypothesis: nothing that reaches the library
from outside raises anything but an ``EmulationRulesError`` subclass (API), and the CLI
exits 0, 1 or 2 with one line and no traceback.

The public entry points get hostile input: evidence (deep nesting, huge integers, lone
surrogates, NaN and infinities, bytes, keys that are not texts), JSON texts and JSON
Lines (the same, plus a byte order mark, duplicate keys, non-UTF-8 bytes, truncation),
candidates, monitor events and saved states, rule-set text through a ``Library`` on a
folder, ``from_json`` of every public type, and ``main()`` on files of such bytes.

Two profiles. By default each property runs a few dozen examples (seconds in all, for
CI). ``EMULATION_RULES_FUZZ_EXAMPLES=100000`` runs that many examples in all, shared
among the properties by weight (the scheduled/opt-in run); the count of examples run is
printed at the end of the module (``pytest -s``)::

    EMULATION_RULES_FUZZ_EXAMPLES=100000 pytest -s tests/test_entry_points_fuzz.py
"""

from __future__ import annotations

import collections
import contextlib
import functools
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import emulation_rules as er
from emulation_rules import awards, campaigns, model, monitor
from emulation_rules.awards import read_candidates
from emulation_rules.campaigns import Campaign, CampaignCatalogue, state_from_json
from emulation_rules.campaigns.state import state_to_data
from emulation_rules.cli.main import main
from emulation_rules.errors import EmulationRulesError
from emulation_rules.jsontext import loads
from emulation_rules.monitor import EventKind, Monitor, parse_event
from emulation_rules.monitor.events import payload_fields
from support import RULESETS, minimal

ROOT = Path(__file__).resolve().parents[1]
DEMO = RULESETS / "demo-commune.yaml"
CAMPAIGN = "special-campaign-binh-luong"
TARGETS = "special-campaign-targets-binh-luong"
EVENTS = ROOT / "examples" / "events-binh-luong-phase-1.jsonl"
CANDIDATES = ROOT / "examples" / "candidates-binh-luong-interim.jsonl"

# -- profiles ----------------------------------------------------------------------------------
TOTAL = int(os.environ.get("EMULATION_RULES_FUZZ_EXAMPLES", "0") or 0)
WEIGHTS = {  # shares of the total; the command line and rule-set files cost most per example
    "evidence": 30,
    "json": 25,
    "from_json": 14,
    "campaign_state": 4,
    "candidates": 8,
    "events": 8,
    "state": 4,
    "ruleset": 3,
    "cli": 4,
}
QUICK = {"evidence": 60, "json": 60, "from_json": 60, "candidates": 30, "events": 40}
RUN: collections.Counter[str] = collections.Counter()
UNTYPED: collections.Counter[str] = collections.Counter()


def profile(name: str) -> settings:
    """The quick CI profile (a few dozen examples, derandomised), or a share of
    ``EMULATION_RULES_FUZZ_EXAMPLES`` by weight."""
    if TOTAL:
        share = max(1, TOTAL * WEIGHTS[name] // sum(WEIGHTS.values()))
        return settings(
            max_examples=share,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    return settings(
        max_examples=QUICK.get(name, 15),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(autouse=True)
def _progress() -> Iterator[None]:
    yield
    if TOTAL:  # the running count, so that a run cut short still says how far it got
        print(f"\nentry-point fuzz so far: {sum(RUN.values())} examples", file=sys.stderr)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if TOTAL:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(RUN.items()))
        print(
            f"\nentry-point fuzz: {sum(RUN.values())} examples run ({counts}); "
            f"untyped exceptions: {sum(UNTYPED.values())} {dict(UNTYPED)} "
            "(a failing example counts again each time Hypothesis shrinks it)",
            file=sys.stderr,
        )


def count(name: str) -> None:
    """Count an example of a property (every 1,000th is reported in the big profile)."""
    RUN[name] += 1
    if TOTAL and sum(RUN.values()) % 1000 == 0:
        print(f"entry-point fuzz: {sum(RUN.values())} examples so far", file=sys.stderr)


def typed_only(call: Callable[[], Any]) -> None:
    """Run ``call``; a library error is an answer, anything else fails the property."""
    try:
        call()
    except EmulationRulesError as exc:
        str(exc)  # its message can be built
    except BaseException as exc:  # pragma: no cover - a failure: counted, then shown
        UNTYPED[type(exc).__name__] += 1
        if isinstance(exc, RecursionError):
            raise AssertionError("RecursionError escaped") from exc
        raise


# -- hostile values ------------------------------------------------------------------------------
SURROGATES = st.sampled_from(["\ud800", "\udfff", "\udc80", "a\ud83d", "\ude00b"])


@functools.cache  # built once (100,000 levels take a while); never changed (see _replace)
def _nest(depth: int, kind: str) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value] if kind == "list" else {"a": value}
    return value


def _nest_text(depth: int, kind: str) -> str:
    if kind == "list":
        return "[" * depth + "1" + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


DEPTHS = st.sampled_from([5, 99, 100, 101, 1000, 100_000])
HUGE_INTS = st.sampled_from([(1, 4300), (1, 5000), (-1, 5000), (1, 15), (1, 18), (-1, 0)]).map(
    lambda sign_digits: sign_digits[0] * 10 ** sign_digits[1] + 1
)  # built when drawn: Hypothesis cannot show an integer of over 4,300 digits
TEXTS = st.one_of(
    st.text(max_size=12),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), SURROGATES, st.text(max_size=4)),
    st.sampled_from(
        [
            "",
            " ",
            "2024-06-01",
            "2024-02-30",
            "2024-06-01T10:00",
            "NaN",
            "Infinity",
            "1e999999999",
            "9" * 5000,
            "Xã Phú Lộc",
            "Xa\u0303 Phu\u0301 Lô\u0323c",  # the same name in NFD
            "Hoàn thành tốt nhiệm vụ",
            "good",
            "\ufeff",
            "\x00",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_INTS,
    st.floats(),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308]),
    st.decimals(),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E+999999")]),
    TEXTS,
    st.binary(max_size=8),
    st.just(date(2024, 6, 1)),
)
KEYS = st.one_of(TEXTS, st.integers(), st.none(), st.booleans(), st.just((1, 2)))


def values(keys: st.SearchStrategy[Any] = KEYS) -> st.SearchStrategy[Any]:
    """Hostile JSON-ish values: scalars, lists, tuples, dicts (keys of any kind), deep
    nesting."""
    tree = st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.tuples(inner, inner),
            st.dictionaries(keys, inner, max_size=4),
        ),
        max_leaves=10,
    )
    deep = st.builds(_nest, DEPTHS, st.sampled_from(["list", "dict"]))
    return st.one_of(tree, tree, tree, deep)


VALUES = values()


@st.composite
def mutated(draw: st.DrawFn, base: Any, leaves: st.SearchStrategy[Any] = VALUES) -> Any:
    """A copy of JSON-ready ``base`` with one to three values (anywhere) replaced or added."""
    data = json.loads(json.dumps(base, default=str))
    kept = list(_containers(data))  # alive to the end, so that no drawn value reuses an id
    own = {id(node) for node in kept}
    for _ in range(draw(st.integers(1, 3))):
        data = _replace(draw, data, leaves, own)
    return data


def _containers(data: Any) -> Iterator[Any]:
    if isinstance(data, dict | list):
        yield data
        for sub in data.values() if isinstance(data, dict) else data:
            yield from _containers(sub)


def _replace(draw: st.DrawFn, node: Any, leaves: st.SearchStrategy[Any], own: set[int]) -> Any:
    """Replace ``node`` or a value inside it; only the copy's own containers are changed,
    never a value drawn (the deep ones are shared)."""
    if id(node) not in own or not node or draw(st.integers(0, 3)) == 0:
        return draw(leaves)
    if isinstance(node, dict):
        key = draw(st.sampled_from(list(node)) | KEYS)
        old = node.get(key) if isinstance(key, str) else None
        node[key] = _replace(draw, old, leaves, own)
        return node
    i = draw(st.integers(0, len(node) - 1))
    node[i] = _replace(draw, node[i], leaves, own)
    return node


# -- hostile JSON texts --------------------------------------------------------------------------
TOKENS = st.sampled_from(
    [
        "NaN",
        "-Infinity",
        "9" * 5000,
        "-" + "1" * 4301,
        "1e999999999999999999999",
        '"\\ud800"',
        '"\\udfff\\ud800"',
        '{"a": 1, "a": 2}',
        "\ufeff",
        "[" * 101,
        "]",
        "}",
        '"',
        ",",
        "\\",
        "\x00",
        "\ud800",
    ]
)


def _dumps(value: Any, ascii_only: bool) -> str:
    try:
        return json.dumps(value, ensure_ascii=ascii_only, default=str)
    except (ValueError, TypeError, RecursionError):  # a key json.dumps refuses; deep values
        return "[" * 100_000


@st.composite
def json_texts(draw: st.DrawFn, base: Any = None) -> str:
    """A JSON text: hostile data dumped, a valid base mutated as data or as text, deep
    brackets, and texts spliced with hostile tokens, a BOM or cut short."""
    choice = draw(st.integers(0, 5))
    if choice == 0 or (base is None and choice < 3):
        text = _dumps(draw(VALUES), draw(st.booleans()))
    elif choice < 3:
        text = _dumps(draw(mutated(base)), draw(st.booleans()))
    elif choice == 3:
        text = _nest_text(draw(DEPTHS), draw(st.sampled_from(["list", "dict"])))
    else:
        text = _dumps(base if base is not None else draw(VALUES), draw(st.booleans()))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(TOKENS) + text[at:]
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return text


@st.composite
def file_bytes(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> bytes:
    """A text as a file's bytes, sometimes with bytes that are not UTF-8 spliced in."""
    raw = draw(texts).encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(raw)))
        bad = draw(
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80\x80"])
        )
        raw = raw[:at] + bad + raw[at:]
    return raw


def _jsonl(lines: list[str]) -> str:
    return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


# -- the library's objects ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(library: er.Library) -> er.RuleSet:
    return library.load("demo-commune", on=date(2024, 6, 1))


@pytest.fixture(scope="module")
def binh_luong() -> tuple[Any, er.RuleSet]:
    definition = CampaignCatalogue().get(CAMPAIGN)
    return definition, er.Library().load(TARGETS, on=date(2024, 8, 19))


@pytest.fixture(scope="module")
def saved_state(binh_luong: tuple[Any, er.RuleSet]) -> dict[str, Any]:
    definition, ruleset = binh_luong
    with Monitor(definition, ruleset, engine="python") as m:
        lines = EVENTS.read_text(encoding="utf-8").splitlines()
        m.ingest_many(parse_event(json.loads(line)) for line in lines[:40])
        return m.save()


def _public_attrs_types() -> list[type]:
    out: dict[str, type] = {}
    for module in (er, model, campaigns, awards, monitor):
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj):
                out[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [out[k] for k in sorted(out)]


PUBLIC_TYPES = _public_attrs_types()


# -- the properties ------------------------------------------------------------------------------
@st.composite
def evidence(draw: st.DrawFn, facts: list[str]) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(VALUES)
    keys = st.sampled_from([*facts, "unit_id"]) | KEYS
    return draw(st.dictionaries(keys, VALUES, max_size=6))


@given(data=st.data())
@profile("evidence")
def test_evaluate_raises_only_library_errors(demo: er.RuleSet, data: st.DataObject) -> None:
    count("evidence")
    ev = data.draw(evidence(sorted(demo.facts)))
    explain = data.draw(st.booleans())
    typed_only(lambda: demo.evaluate(ev, explain=explain))


@given(text=json_texts({"crimes": 1, "unit_id": "Xã A", "teams": [{"team": "T", "good_deeds": 1}]}))
@profile("json")
def test_json_reader_raises_only_library_errors(demo: er.RuleSet, text: str) -> None:
    count("json")

    def read_and_evaluate() -> None:
        demo.evaluate(loads(text, where="unit.json"))

    typed_only(read_and_evaluate)


@given(data=st.data())
@profile("from_json")
def test_from_json_of_every_public_type_raises_only_library_errors(
    demo: er.RuleSet, saved_state: dict[str, Any], data: st.DataObject
) -> None:
    count("from_json")
    cls = data.draw(st.sampled_from(PUBLIC_TYPES))
    bases = {
        er.Verdict: er.converter.unstructure(demo.evaluate({"crimes": 1}, explain=True)),
        monitor.MonitorState: saved_state["state"],
    }
    text = data.draw(json_texts(bases.get(cls)))
    raw = text.encode("utf-8", "surrogatepass") if data.draw(st.booleans()) else text
    typed_only(lambda: er.from_json(raw, cls))


@given(data=st.data())
@profile("campaign_state")
def test_campaign_state_from_json_raises_only_library_errors(
    binh_luong: tuple[Any, er.RuleSet], data: st.DataObject
) -> None:
    count("campaign_state")
    definition, _ = binh_luong
    campaign = Campaign.new(definition, "bl", on=date(2024, 9, 20))
    campaign.issue(on=date(2024, 9, 20))
    text = data.draw(json_texts(state_to_data(campaign.to_state())))

    def read() -> None:
        state_from_json(text)
        campaigns.Campaign.from_json(definition, text)

    typed_only(read)


@given(data=st.data())
@profile("candidates")
def test_read_candidates_raises_only_library_errors(data: st.DataObject) -> None:
    count("candidates")
    base = [json.loads(line) for line in CANDIDATES.read_text(encoding="utf-8").splitlines()[:3]]
    lines = [data.draw(json_texts(b)) for b in base]
    typed_only(lambda: read_candidates(_jsonl(lines), "c.jsonl"))


@st.composite
def events(draw: st.DrawFn) -> Any:
    kind = draw(st.sampled_from([k.value for k in EventKind]))
    base: dict[str, Any] = {
        "kind": kind,
        "unit": "Xã Bình Lương",
        "date": draw(st.sampled_from(["2024-08-19", "2024-09-02", "2024-12-31", "2025-03-01"])),
        "team": "Tổ bảo vệ ANTT thôn 1",
        "payload": dict.fromkeys(payload_fields(EventKind(kind)), 1),
    }
    return draw(mutated(base))


@given(data=st.data())
@profile("events")
def test_events_raise_only_library_errors(
    binh_luong: tuple[Any, er.RuleSet], data: st.DataObject
) -> None:
    count("events")
    definition, ruleset = binh_luong
    event = data.draw(events() | VALUES)
    typed_only(lambda: parse_event(event, where="events.jsonl:1"))
    with Monitor(definition, ruleset, engine="python") as m:
        typed_only(lambda: m.ingest(event, where="events.jsonl:1"))
        typed_only(lambda: m.advance(date(2025, 3, 1)))


@given(data=st.data())
@profile("state")
def test_saved_state_raises_only_library_errors(
    binh_luong: tuple[Any, er.RuleSet], saved_state: dict[str, Any], data: st.DataObject
) -> None:
    count("state")
    definition, ruleset = binh_luong
    state = data.draw(mutated(saved_state) | VALUES)

    def restore() -> None:
        with Monitor.restore(state, definition, ruleset, engine="python") as m:
            m.ingest_many([])
            m.advance(date(2025, 3, 1))

    typed_only(restore)


YAML_TOKENS = st.sampled_from(
    [
        "\n&a [1, 1]\n",
        "\nb: &b [x, x, x, x, x, x]\nc: &c [*b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c]\n",
        "[" * 200,
        "{" * 100_000,
        " 9" + "9" * 5000,
        ' "\\ud800"',
        " .nan",
        " !!python/object:os.system ls",
        "\nid: twice\n",
        "\t",
        "\ufeff",
        ": :",
        "*undefined",
        "\n- ",
        " 2024-02-30",
    ]
)


@st.composite
def ruleset_bytes(draw: st.DrawFn) -> bytes:
    text = minimal()
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(YAML_TOKENS | TEXTS) + text[at:]
    return draw(file_bytes(st.just(text)))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@given(raw=ruleset_bytes())
@profile("ruleset")
def test_ruleset_text_raises_only_library_errors(folder: Path, raw: bytes) -> None:
    count("ruleset")
    rules = folder / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "t-min.yaml").write_bytes(raw)

    def load() -> None:
        lib = er.Library([rules])
        lib.definitions()
        lib.load("t-min", on=date(2024, 1, 1))

    typed_only(load)


# -- the command line ------------------------------------------------------------------------------
def _cli(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` with a real UTF-8 standard output (strict, as a terminal or a pipe
    encodes) and a standard error that escapes what it cannot encode (as Python's does)."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException as exc:  # pragma: no cover - a traceback: counted, then shown
            UNTYPED[type(exc).__name__] += 1
            raise
        stdout.flush()
        stderr.flush()
    return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def _commands(folder: Path) -> dict[str, tuple[str, list[str]]]:
    """Per command: the file it reads and its arguments."""
    f = str(folder)
    return {
        "evaluate-json": (
            "unit.json",
            ["evaluate", str(DEMO), f"{f}/unit.json", "--on", "2024-06-01"],
        ),
        "evaluate-jsonl": (
            "units.jsonl",
            ["evaluate", str(DEMO), f"{f}/units.jsonl", "--on", "2024-06-01", "--format", "json"],
        ),
        "validate": ("t-min.yaml", ["validate", f"{f}/t-min.yaml"]),
        "monitor": (
            "events.jsonl",
            ["monitor", CAMPAIGN, f"{f}/events.jsonl", "--engine", "python"],
        ),
        "resume": (
            "state.json",
            ["monitor", CAMPAIGN, str(EVENTS), "--resume", f"{f}/state.json", "--engine", "python"],
        ),
        "awards": (
            "c.jsonl",
            ["awards", "allocate", CAMPAIGN, "--round", "interim", f"{f}/c.jsonl"],
        ),
        "campaign-log": ("c.db", ["campaign", "log", "bl", "--db", f"{f}/c.db"]),
    }


@st.composite
def cli_inputs(draw: st.DrawFn, saved: dict[str, Any]) -> tuple[str, bytes]:
    command = draw(st.sampled_from(sorted(_commands(Path()))))
    if command == "evaluate-json":
        texts = json_texts({"crimes": 1, "unit_id": "Xã A"})
    elif command in ("evaluate-jsonl", "monitor", "awards"):
        base = {
            "evaluate-jsonl": {"crimes": 1, "unit_id": "Xã A"},
            "monitor": json.loads(EVENTS.read_text(encoding="utf-8").splitlines()[0]),
            "awards": json.loads(CANDIDATES.read_text(encoding="utf-8").splitlines()[0]),
        }[command]
        texts = st.lists(json_texts(base), min_size=1, max_size=3).map(_jsonl)
    elif command == "validate":
        return command, draw(ruleset_bytes())
    elif command == "resume":
        texts = json_texts(saved)
    else:
        texts = st.binary(max_size=64).map(lambda b: b.decode("latin-1"))
    return command, draw(file_bytes(texts))


@given(data=st.data())
@profile("cli")
def test_cli_exits_0_1_or_2_with_one_line(
    folder: Path, saved_state: dict[str, Any], data: st.DataObject
) -> None:
    count("cli")
    here = folder / "cli"
    here.mkdir(exist_ok=True)
    command, raw = data.draw(cli_inputs(saved_state))
    name, argv = _commands(here)[command]
    (here / name).write_bytes(raw)
    code, _, err = _cli(argv)
    assert code in (0, 1, 2), (command, code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if not line.startswith("emulation-rules: note")]
        assert len(lines) == 1, err
