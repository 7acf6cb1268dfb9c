"""The ASGI application: routes, problem documents for every error, the limits, CORS
(off unless origins are given) and the self-assessment page's static files."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from emulation_rules.errors import EmulationRulesError, ErrorLanguage
from emulation_rules.web import campaigns, rulesets
from emulation_rules.web import service as sv
from emulation_rules.web.limits import Limits
from emulation_rules.web.openapi import openapi_document
from emulation_rules.web.problems import http_problem, problem_document, problem_response


def _lang_of(request: Request) -> ErrorLanguage:
    return "en" if request.query_params.get("lang") == "en" else "vi"


async def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EmulationRulesError)
    return problem_response(problem_document(exc, _lang_of(request), request.url.path))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers) if exc.headers else None
    doc = http_problem(exc.status_code, _lang_of(request), request.url.path)
    return problem_response(doc, headers=headers)


async def _openapi(request: Request) -> Response:
    return sv.json_response(sv.dumps(openapi_document()))


async def _examples(request: Request) -> Response:
    return sv.json_response(sv.dumps(sorted(sv.service(request).examples)))


async def _example(request: Request) -> Response:
    examples = sv.service(request).examples
    name = sv.known_id(request.path_params["name"], sorted(examples), ("example", "ví dụ"))
    return Response(examples[name], media_type="application/json")


def _static() -> Path:
    return Path(str(resources.files("emulation_rules.web").joinpath("static")))


async def _page(request: Request) -> Response:
    return FileResponse(_static() / "index.html", media_type="text/html; charset=utf-8")


def routes() -> list[Route]:
    """Every route of the API (``/v1``) and the page (``/``)."""
    rs, cp = rulesets, campaigns
    return [
        Route("/", _page),
        Route("/v1/openapi.json", _openapi),
        Route("/v1/rulesets", rs.list_rulesets),
        Route("/v1/rulesets/{ruleset}", rs.get_ruleset),
        Route("/v1/rulesets/{ruleset}/parameters", rs.get_parameters),
        Route("/v1/rulesets/{ruleset}/schema", rs.get_schema),
        Route("/v1/rulesets/{ruleset}/evaluate", rs.evaluate, methods=["POST"]),
        Route("/v1/rulesets/{ruleset}/batch", rs.batch, methods=["POST"]),
        Route("/v1/rulesets/{ruleset}/report", rs.report, methods=["POST"]),
        Route("/v1/explain", cp.explain, methods=["POST"]),
        Route("/v1/campaigns", cp.list_campaigns),
        Route("/v1/campaigns/{campaign}", cp.get_campaign),
        Route(
            "/v1/campaigns/{campaign}/rounds/{round}/allocate", cp.allocate_round, methods=["POST"]
        ),
        Route("/v1/examples", _examples),
        Route("/v1/examples/{name}", _example),
    ]


def create_app(folders: Iterable[str | Path] = (), limits: Limits | None = None) -> Starlette:
    """The application serving the shipped rule sets and those of ``folders`` (a host's
    own), within ``limits`` (the defaults of :class:`Limits` when not given)."""
    limits = limits or Limits()
    middleware = []
    if limits.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(limits.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    app = Starlette(
        routes=routes(),
        middleware=middleware,
        exception_handlers={EmulationRulesError: _library_error, HTTPException: _http_error},
    )
    app.mount("/static", StaticFiles(directory=_static()), name="static")
    app.state.service = sv.Service.make(tuple(Path(f) for f in folders), limits)
    return app
