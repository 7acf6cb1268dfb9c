"""``emulation-rules serve`` as a real process on a free port (started, asked with
urllib, stopped), and the command's refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import emulation_rules as er
from emulation_rules.cli import main as cli
from emulation_rules.cli import serve as serve_cli
from serve_support import COMMUNE_EXAMPLES, EXAMPLES, ON, example, request, serving

LIB = er.Library()


def test_without_the_web_extra_serve_exits_2_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve_cli, "web_available", lambda: False)
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert 'pip install "emulation-rules[web]"' in err
    monkeypatch.setenv("EMULATION_RULES_LANG", "vi")
    with pytest.raises(SystemExit):
        cli.main(["serve"])
    assert "cần gói bổ sung web" in capsys.readouterr().err


def test_serve_refuses_a_rulesets_folder_that_does_not_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
    with pytest.raises(SystemExit) as exc:
        cli.main(["serve", "--rulesets", "/no/such/folder"])
    assert exc.value.code == 2
    assert "/no/such/folder" in capsys.readouterr().err


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")
    with serving() as url:
        yield url


def test_a_real_server_answers_as_the_library(base: str) -> None:
    rs = LIB.load("typical-commune", on=ON)
    for name in COMMUNE_EXAMPLES:
        body = (EXAMPLES / f"{name}.json").read_bytes()
        status, ctype, out = request(
            f"{base}/v1/rulesets/typical-commune/evaluate?on={ON}&explain=true", body
        )
        assert status == 200 and ctype.startswith("application/json")
        assert json.loads(out) == json.loads(LIB.to_json(rs.evaluate(example(name), explain=True)))


def test_a_real_server_streams_a_batch_and_answers_problems(base: str) -> None:
    body = b"".join(
        json.dumps(example(n), ensure_ascii=False).encode() + b"\n" for n in COMMUNE_EXAMPLES
    )
    status, ctype, out = request(
        f"{base}/v1/rulesets/typical-commune/batch?on={ON}&form=brief", body, "application/x-ndjson"
    )
    assert status == 200 and ctype.startswith("application/x-ndjson")
    assert [json.loads(line)["index"] for line in out.splitlines()] == [0, 1, 2]
    status, ctype, out = request(f"{base}/v1/rulesets/typical-commune/evaluate", b"{")
    assert status == 400 and ctype.startswith("application/problem+json")
    assert json.loads(out)["status"] == 400
    status, _, _ = request(f"{base}/v1/rulesets/..%2F..%2Fetc%2Fpasswd")
    assert status == 404


def test_the_server_listens_on_localhost_by_default() -> None:
    args = cli.build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_the_web_package_without_its_extra_is_an_import_error_naming_the_extra() -> None:
    import subprocess
    import sys

    from serve_support import ROOT

    code = (
        "import sys; sys.modules['starlette'] = None\n"
        "try:\n    import emulation_rules.web\n"
        "except ImportError as e:\n    print(e)\n"
        "import emulation_rules, emulation_rules.cli.main\n"  # the rest imports without it
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert 'pip install "emulation-rules[web]"' in out.stdout
