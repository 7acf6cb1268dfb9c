"""Routes of the rule sets: list, definition, parameters, evidence schema, evaluation of
one unit, of a batch (JSON Lines, streamed) and the printable report."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import attrs
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse

from emulation_rules.awards import report_html
from emulation_rules.errors import (
    Bilingual,
    EmulationRulesError,
    ErrorLanguage,
    FormatError,
    Problem,
)
from emulation_rules.evaluation.description import criterion_head, ruleset_head
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.evaluation.wording import requirement_table
from emulation_rules.model.compact import Form
from emulation_rules.model.converter import converter
from emulation_rules.web import service as sv
from emulation_rules.web.limits import over_time, parse_json, read_body, time_up, too_large
from emulation_rules.web.problems import problem_document

FORMS = ("expanded", "compact", "brief")


def _summary(rs_id: str, request: Request) -> dict[str, Any]:
    lib = sv.service(request).library
    day = sv.on(request)
    entries = lib.catalogue.entries(rs_id)
    in_force = [e for e in entries if e.spec.effective.covers(day)]
    spec = (in_force or entries)[-1].spec
    return {
        "id": rs_id,
        "title": converter.unstructure(spec.title),
        "in_force": in_force[-1].spec.version if in_force else None,
        "versions": [
            {
                "version": e.spec.version,
                "effective": converter.unstructure(e.spec.effective),
                "in_force": e in in_force,
            }
            for e in entries
        ],
    }


async def list_rulesets(request: Request) -> Response:
    """``GET /v1/rulesets?on=``: every rule set, its versions and the one in force."""
    ids = sv.service(request).library.catalogue.ids
    rows = await sv.work(request, lambda: [_summary(i, request) for i in ids()])
    return sv.json_response(sv.dumps({"on": sv.on(request).isoformat(), "rulesets": rows}))


async def _load(request: Request) -> RuleSet:
    rs_id = sv.ruleset_id(request)
    day = sv.on(request)
    version = request.query_params.get("version")
    lib = sv.service(request).library
    if version is not None:
        known = [e.spec.version for e in lib.catalogue.entries(rs_id)]
        version = sv.known_id(version, known, ("version", "phiên bản"))
    return await sv.work(request, lambda: lib.load(rs_id, on=day, version=version))


def definition_json(rs: RuleSet) -> dict[str, Any]:
    """A compiled rule set as plain JSON data: what a form or a host needs of it."""
    return {
        **ruleset_head(rs),
        "on": rs.on.isoformat(),
        "groups": converter.unstructure(rs.definition.groups),
        "facts": converter.unstructure(rs.facts),
        "requires": [
            {
                "id": pre.id,
                "version": pre.version,
                "title": converter.unstructure(pre.definition.title),
            }
            for pre in rs.prerequisites
        ],
        "requirement_words": requirement_table(),
        "enumerations": converter.unstructure(rs.enumerations),
        "criteria": [
            {
                **criterion_head(c),
                "facts": list(c.facts),
                "parameters": list(c.parameters),
            }
            for c in rs.criteria
        ],
    }


async def get_ruleset(request: Request) -> Response:
    """``GET /v1/rulesets/{id}?on=&version=``: the rule set in force on that date."""
    rs = await _load(request)
    return sv.json_response(sv.dumps(definition_json(rs)))


async def get_parameters(request: Request) -> Response:
    """``GET /v1/rulesets/{id}/parameters?on=``: each parameter and its value that day."""
    rs = await _load(request)
    specs = rs.definition.parameters
    data = {
        name: {**converter.unstructure(spec), "in_force": converter.unstructure(value)}
        for name, spec in specs.items()
        for value in (rs.parameters[name],)
    }
    return sv.json_response(sv.dumps(data))


async def get_schema(request: Request) -> Response:
    """``GET /v1/rulesets/{id}/schema?on=``: the JSON Schema of the evidence."""
    rs = await _load(request)
    return Response(sv.dumps(rs.evidence_schema()), media_type="application/schema+json")


async def _evidence(request: Request) -> Any:
    limits = sv.service(request).limits
    raw = await read_body(request, limits.max_body_bytes)
    return parse_json(raw, limits)


async def evaluate(request: Request) -> Response:
    """``POST /v1/rulesets/{id}/evaluate?on=&explain=&form=``: one unit's verdict."""
    explain = sv.flag(request, "explain")
    form = cast(Form, sv.choice(request, "form", FORMS))
    sv.lang(request)  # checked: the language of the problems
    rs = await _load(request)
    evidence = await _evidence(request)
    lib = sv.service(request).library
    text = await sv.work(
        request,
        lambda: lib.to_json(rs.evaluate(evidence, explain=explain), form=form),
    )
    return sv.json_response(text)


async def report(request: Request) -> Response:
    """``POST /v1/rulesets/{id}/report?on=&lang=``: the printable report (HTML)."""
    lang = sv.lang(request)
    rs = await _load(request)
    evidence = await _evidence(request)
    html = await sv.work(
        request, lambda: report_html(rs.evaluate(evidence, explain=True), rs, lang=lang)
    )
    return HTMLResponse(html)


async def _batch_units(request: Request) -> list[Any]:
    limits = sv.service(request).limits
    raw = await read_body(request, limits.max_batch_bytes)
    lines = [(n, line) for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]
    if len(lines) > limits.max_batch_units:
        raise too_large("the batch", "lô dữ liệu", limits.max_batch_units, "units", "đơn vị")
    units: list[Any] = []
    problems: list[Problem] = []
    for n, line in lines:
        try:
            units.append(parse_json(line, limits, line=n))
        except FormatError as exc:
            problems.append(Problem((f"line {n}",), exc.message, message_vi=exc.message_vi))
    if problems:
        raise FormatError(
            Bilingual(
                f"{len(problems)} line(s) of the batch are not JSON",
                f"{len(problems)} dòng của lô dữ liệu không phải JSON",
            ),
            where="request",
            problems=problems,
        )
    return units


async def batch(request: Request) -> Response:
    """``POST /v1/rulesets/{id}/batch?on=&explain=&form=``: JSON Lines in (one unit a
    line), JSON Lines out, streamed in input order: ``{"index", "key", "verdict"}`` or
    ``{"index", "key", "problem"}``; past the time limit a last ``{"problem"}`` line."""
    explain = sv.flag(request, "explain")
    form = cast(Form, sv.choice(request, "form", FORMS))
    lang = sv.lang(request)
    rs = await _load(request)
    units = await _batch_units(request)
    svc = sv.service(request)
    deadline = svc.limits.deadline()

    def lines() -> Iterator[str]:
        for r in rs.evaluate_each(units, explain=explain):
            if over_time(deadline):
                yield _problem_line(None, None, time_up(svc.limits.time_limit), lang)
                return
            head = f'{{"index": {r.index}, "key": {sv.dumps(r.key)}, '
            if r.verdict is not None:
                yield head + f'"verdict": {svc.library.to_json(r.verdict, form=form)}}}\n'
            elif r.error is not None:
                yield _problem_line(r.index, r.key, r.error, lang)

    return StreamingResponse(lines(), media_type="application/x-ndjson")


def _problem_line(
    index: int | None, key: str | int | None, error: EmulationRulesError, lang: ErrorLanguage
) -> str:
    doc = attrs.asdict(problem_document(error, lang), recurse=True)
    return sv.dumps({"index": index, "key": key, "problem": doc}) + "\n"
