"""``emulation-rules serve``: the JSON API through the in-process client (Starlette's
TestClient): answers equal the library's, every error a problem document."""

from __future__ import annotations

import json
import warnings
from datetime import date
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra (starlette) is not installed")
pytest.importorskip("httpx", reason="the test client needs httpx")

import emulation_rules as er
from serve_support import COMMUNE_EXAMPLES, EXAMPLES, ON, example

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from emulation_rules.web import Limits, create_app, openapi_document

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LIB = er.Library()
DAY = date(2024, 12, 31)
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=True)


def _body(name: str) -> bytes:
    return (EXAMPLES / f"{name}.json").read_bytes()


def _problem(resp: Any, status: int) -> dict[str, Any]:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    doc: dict[str, Any] = resp.json()
    assert doc["status"] == status
    for key in ("type", "title", "detail", "detail_en", "detail_vi"):
        assert isinstance(doc[key], str) and doc[key], key
    return doc


def test_the_rule_sets_on_a_date_name_the_version_in_force(client: TestClient) -> None:
    data = client.get(f"/v1/rulesets?on={ON}").json()
    ids = [r["id"] for r in data["rulesets"]]
    assert ids == LIB.catalogue.ids()
    commune = next(r for r in data["rulesets"] if r["id"] == "typical-commune")
    assert commune["in_force"] == LIB.load("typical-commune", on=DAY).version


def test_definition_parameters_and_schema_are_the_rule_sets(client: TestClient) -> None:
    rs = LIB.load("typical-commune", on=DAY)
    d = client.get(f"/v1/rulesets/typical-commune?on={ON}").json()
    assert (d["id"], d["version"], d["sha256"]) == (rs.id, rs.version, rs.sha256)
    assert [c["id"] for c in d["criteria"]] == [c.id for c in rs.criteria]
    params = client.get(f"/v1/rulesets/typical-commune/parameters?on={ON}").json()
    assert set(params) == set(rs.parameters)
    schema = client.get(f"/v1/rulesets/typical-commune/schema?on={ON}")
    assert schema.headers["content-type"].startswith("application/schema+json")
    assert schema.json() == json.loads(json.dumps(rs.evidence_schema()))


@pytest.mark.parametrize("name", COMMUNE_EXAMPLES)
@pytest.mark.parametrize("form", ["expanded", "compact", "brief"])
@pytest.mark.parametrize("explain", [False, True])
def test_one_unit_is_the_librarys_verdict(
    client: TestClient, name: str, form: Any, explain: bool
) -> None:
    rs = LIB.load("typical-commune", on=DAY)
    expected = LIB.to_json(rs.evaluate(example(name), explain=explain), form=form)
    url = f"/v1/rulesets/typical-commune/evaluate?on={ON}&form={form}&explain={explain}"
    resp = client.post(url, content=_body(name))
    assert resp.status_code == 200, resp.text
    assert resp.json() == json.loads(expected)


def test_the_verdict_fits_the_openapi_schema_made_from_the_attrs_classes(
    client: TestClient,
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc = client.get("/v1/openapi.json").json()
    assert doc == json.loads(json.dumps(openapi_document()))
    comps = doc["components"]
    for explain in (False, True):
        url = f"/v1/rulesets/typical-commune/evaluate?on={ON}&explain={explain}"
        verdict = client.post(url, content=_body("commune-fails-18-19")).json()
        jsonschema.validate(verdict, {**comps["schemas"]["Verdict"], "components": comps})
    bad = client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=b'{"x": 1}')
    jsonschema.validate(bad.json(), {**comps["schemas"]["ProblemDocument"], "components": comps})
    # a field the classes do not have is not in the schema: the document is generated
    assert "status" in comps["schemas"]["Verdict"]["properties"]
    assert "nonsense" not in comps["schemas"]["Verdict"]["properties"]


def test_bad_evidence_lists_every_bad_value_with_its_path_in_both_languages(
    client: TestClient,
) -> None:
    body = json.dumps({"crimes_social_order": "x", "bogus": 1, "drug_addicts": -1}).encode()
    resp = client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}&lang=en", content=body)
    doc = _problem(resp, 422)
    paths = sorted(p["path"] for p in doc["problems"])
    assert paths == ["bogus", "crimes_social_order", "drug_addicts"]
    assert all(p["message"] and p["message_vi"] for p in doc["problems"])
    assert doc["detail"] == doc["detail_en"] != doc["detail_vi"]
    assert all(p["pointer"].startswith("/") for p in doc["problems"])
    vi = client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=body).json()
    assert vi["detail"] == vi["detail_vi"]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/rulesets/no-such-set",
        "/v1/rulesets/..%2F..%2Fetc%2Fpasswd/schema",
        "/v1/rulesets/typical-commune.yaml/schema",
        "/v1/rulesets/%2Fetc%2Fpasswd",
        "/v1/campaigns/no-such-campaign",
        "/v1/examples/..%2Fpyproject",
        "/v1/nothing",
    ],
)
def test_unknown_ids_and_paths_are_404_and_never_reach_the_file_system(
    client: TestClient, path: str
) -> None:
    _problem(client.get(path), 404)


def test_an_unknown_version_or_a_bad_date_or_lang_is_refused(client: TestClient) -> None:
    _problem(client.get("/v1/rulesets/typical-commune?version=1999.9"), 404)
    doc = _problem(client.get("/v1/rulesets/typical-commune?on=31/12/2024"), 400)
    assert doc["problems"][0]["path"] == "on"
    _problem(client.get("/v1/rulesets/typical-commune?on=2024-02-30"), 400)
    _problem(client.post("/v1/rulesets/typical-commune/evaluate?lang=fr", content=b"{}"), 400)
    _problem(client.post("/v1/rulesets/typical-commune/evaluate?form=x", content=b"{}"), 400)
    _problem(client.post("/v1/rulesets/typical-commune/evaluate?explain=maybe", content=b"{}"), 400)
    _problem(client.get("/v1/rulesets/typical-commune/evaluate"), 405)


MALFORMED: list[bytes] = [
    b"",
    b"{",
    b"[1, 2",
    b"null",
    b"42",
    b'"text"',
    b"[]",
    b"[{}]",
    b"\xff\xfe\x00",
    b'{"crimes_social_order": 1e999999}',
    b'{"crimes_social_order": NaN}',
    b'{"a": 1, "a": 2}',
    b'{"crimes_social_order": 12345678901234567890123456789012345678901234567890}',
    b"[" * 5000 + b"]" * 5000,
    b'{"unit_id": ' + b"[" * 40 + b"]" * 40 + b"}",
    b'{"unit_id": {"x": 1}}',
    b'{"assessment_year": true}',
    b'{"movement_class": "nonsense"}',
    b'{"crimes_social_order": "\\ud800"}',
]


@pytest.mark.parametrize("body", MALFORMED, ids=range(len(MALFORMED)))
@pytest.mark.parametrize("route", ["evaluate", "report", "batch", "explain", "allocate"])
def test_malformed_bodies_are_problems_never_500(
    client: TestClient, body: bytes, route: str
) -> None:
    url = {
        "evaluate": f"/v1/rulesets/typical-commune/evaluate?on={ON}",
        "report": f"/v1/rulesets/typical-commune/report?on={ON}",
        "batch": f"/v1/rulesets/typical-commune/batch?on={ON}",
        "explain": "/v1/explain",
        "allocate": "/v1/campaigns/special-campaign-binh-luong/rounds/interim/allocate",
    }[route]
    resp = client.post(url, content=body)
    if resp.status_code == 200:  # a batch answers per line; a blank batch is empty
        assert route == "batch"
        for line in resp.text.splitlines():
            assert "problem" in json.loads(line)
        return
    assert resp.status_code in (400, 404, 413, 422), resp.text
    _problem(resp, resp.status_code)


def test_the_body_size_limit_is_413_on_both_sides_of_it() -> None:
    body = _body("commune-fails-18-19")
    at = TestClient(create_app(limits=Limits(max_body_bytes=len(body))))
    assert at.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=body).is_success
    under = TestClient(create_app(limits=Limits(max_body_bytes=len(body) - 1)))
    resp = under.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=body)
    doc = _problem(resp, 413)
    assert "giới hạn" in doc["detail_vi"]


def test_a_body_sent_in_chunks_without_a_length_is_still_limited() -> None:
    client = TestClient(create_app(limits=Limits(max_body_bytes=100)))

    def chunks() -> Any:
        yield b'{"unit_id": "'
        yield b"x" * 200
        yield b'"}'

    resp = client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=chunks())
    _problem(resp, 413)


def test_the_json_depth_limit_on_both_sides_of_it() -> None:
    client = TestClient(create_app(limits=Limits(max_json_depth=3)))
    url = "/v1/explain"
    ok = client.post(url, content=b'{"verdict": {"ruleset": {}}, "evidence": {}}')
    assert ok.status_code != 400 or "levels" not in ok.json()["detail_en"]
    deep = client.post(url, content=b'{"verdict": {"ruleset": {"id": []}}, "evidence": {}}')
    doc = _problem(deep, 400)
    assert "3 levels" in doc["detail_en"] and "3 cấp" in doc["detail_vi"]


def _jsonl(*names: str) -> bytes:
    return b"".join(json.dumps(example(n), ensure_ascii=False).encode() + b"\n" for n in names)


def test_a_batch_streams_one_line_a_unit_in_order_bad_units_as_problems(
    client: TestClient,
) -> None:
    body = _jsonl(*COMMUNE_EXAMPLES) + b'{"bogus": 1}\n\n'
    resp = client.post(f"/v1/rulesets/typical-commune/batch?on={ON}&form=brief", content=body)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in resp.text.splitlines()]
    assert [line["index"] for line in lines] == [0, 1, 2, 3]
    rs = LIB.load("typical-commune", on=DAY)
    for line, name in zip(lines, COMMUNE_EXAMPLES, strict=False):
        assert line["verdict"] == json.loads(LIB.to_json(rs.evaluate(example(name)), form="brief"))
    assert lines[3]["problem"]["status"] == 422
    assert lines[3]["problem"]["problems"][0]["path"] == "bogus"


def test_a_batch_with_a_line_that_is_not_json_is_refused_naming_the_line(
    client: TestClient,
) -> None:
    body = _jsonl("commune-all-met") + b"{oops\n"
    doc = _problem(client.post(f"/v1/rulesets/typical-commune/batch?on={ON}", content=body), 400)
    assert doc["problems"][0]["path"] == "line 2"


def test_the_batch_length_limit_on_both_sides_of_it() -> None:
    client = TestClient(create_app(limits=Limits(max_batch_units=2)))
    url = f"/v1/rulesets/typical-commune/batch?on={ON}"
    assert client.post(url, content=_jsonl("commune-all-met", "commune-all-met")).is_success
    _problem(client.post(url, content=_jsonl(*COMMUNE_EXAMPLES)), 413)


def test_the_time_limit_is_a_503_problem_not_a_hung_request() -> None:
    client = TestClient(create_app(limits=Limits(time_limit=1e-9)))
    resp = client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=b"{}")
    doc = _problem(resp, 503)
    assert "giây" in doc["detail_vi"]


def test_a_stored_brief_verdict_is_explained_again(client: TestClient) -> None:
    rs = LIB.load("typical-commune", on=DAY)
    ev = example("commune-fails-18-19")
    brief = json.loads(LIB.to_json(rs.evaluate(ev), form="brief"))
    resp = client.post("/v1/explain", json={"verdict": brief, "evidence": ev})
    assert resp.status_code == 200, resp.text
    assert resp.json() == json.loads(LIB.to_json(rs.evaluate(ev, explain=True)))
    other = {**ev, "crimes_social_order": 0}
    _problem(client.post("/v1/explain", json={"verdict": brief, "evidence": other}), 422)
    path_id = {**brief, "ruleset": {**brief["ruleset"], "id": "../rulesets/typical-commune.yaml"}}
    _problem(client.post("/v1/explain", json={"verdict": path_id, "evidence": ev}), 404)


def test_the_report_is_the_librarys_html(client: TestClient) -> None:
    rs = LIB.load("typical-commune", on=DAY)
    ev = example("commune-fails-18-19")
    expected = er.awards.report_html(rs.evaluate(ev, explain=True), rs, lang="en")
    resp = client.post(f"/v1/rulesets/typical-commune/report?on={ON}&lang=en", json=ev)
    assert resp.headers["content-type"].startswith("text/html")
    assert resp.text == expected


def test_a_campaigns_phases_and_deadlines_on_a_date(client: TestClient) -> None:
    ids = [c["id"] for c in client.get("/v1/campaigns").json()["campaigns"]]
    assert "special-campaign-binh-luong" in ids
    day = client.get("/v1/campaigns/special-campaign-binh-luong?on=2025-08-01").json()
    assert day["phase"] == "phase-2"
    assert [p["id"] for p in day["phases"]][:2] == ["phase-1", "phase-2"]
    assert isinstance(day["deadlines"], list)
    before = client.get("/v1/campaigns/special-campaign-binh-luong?on=2024-12-01").json()
    assert before["phase"] == "phase-1"


def test_a_round_is_allocated_as_the_library_allocates_it(client: TestClient) -> None:
    from emulation_rules.awards import AllocationCatalogue, allocate, read_candidates
    from emulation_rules.model import to_json

    text = (EXAMPLES / "candidates-binh-luong-interim.jsonl").read_text(encoding="utf-8")
    plan = AllocationCatalogue().round("special-campaign-binh-luong", "interim")
    expected = to_json(allocate(plan, read_candidates(text.splitlines(), "x"), library=LIB))
    url = "/v1/campaigns/special-campaign-binh-luong/rounds/interim/allocate"
    resp = client.post(url, content=text.encode())
    assert resp.status_code == 200, resp.text
    assert resp.json() == json.loads(expected)
    _problem(client.post(url.replace("interim", "nope"), content=text.encode()), 404)


def test_cors_is_off_unless_origins_are_given(client: TestClient) -> None:
    headers = {"Origin": "https://portal.example", "Access-Control-Request-Method": "POST"}
    resp = client.options("/v1/rulesets/typical-commune/evaluate", headers=headers)
    assert "access-control-allow-origin" not in resp.headers
    allowed = TestClient(create_app(limits=Limits(cors_origins=("https://portal.example",))))
    resp = allowed.options("/v1/rulesets/typical-commune/evaluate", headers=headers)
    assert resp.headers["access-control-allow-origin"] == "https://portal.example"


@pytest.mark.parametrize("number", [b"1e999999", b"-1e999999", b"1e-999999"])
def test_a_number_with_a_huge_exponent_is_refused_at_once(
    client: TestClient, number: bytes
) -> None:
    # the library would spend half a minute making a million-digit integer of 1e999999
    body = b'{"crimes_social_order": ' + number + b"}"
    doc = _problem(client.post(f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=body), 400)
    assert "10^100" in doc["detail_en"]
    ok = client.post(
        f"/v1/rulesets/typical-commune/evaluate?on={ON}", content=b'{"crimes_social_order": 1e2}'
    )
    assert ok.status_code == 200
