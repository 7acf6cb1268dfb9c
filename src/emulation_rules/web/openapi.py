"""The OpenAPI 3.1 document of the API, its schemas generated from the attrs classes the
library writes (:class:`~emulation_rules.model.Verdict`, the awards'
:class:`~emulation_rules.awards.Allocation`, the problem document): the same classes
cattrs turns into JSON, so the document cannot drift from the answers."""

from __future__ import annotations

import enum
import types
import typing
from collections import abc
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from emulation_rules.awards import Allocation
from emulation_rules.model import Verdict
from emulation_rules.web.problems import ProblemDocument

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    Decimal: {"type": ["string", "number"]},
    date: {"type": "string", "format": "date"},
    datetime: {"type": "string", "format": "date-time"},
    type(None): {"type": "null"},
}


def type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a value of type ``tp`` as the library's converter writes it;
    attrs classes go to ``defs`` (``#/components/schemas/…``)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any or isinstance(tp, typing.TypeVar):
        return {}
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [type_schema(a, defs) for a in args]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (tuple, list, set, frozenset) or tp in (tuple, list):
        return _array(args, defs)
    if origin in (dict, abc.Mapping):
        value = type_schema(args[1], defs) if args else {}
        return {"type": "object", "additionalProperties": value}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if isinstance(tp, type) and attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = class_schema(tp, defs)
        return {"$ref": f"#/components/schemas/{name}"}
    return {}  # a type the converter writes by a hook of its own: any JSON value


def _array(args: tuple[Any, ...], defs: dict[str, Any]) -> dict[str, Any]:
    if (len(args) == 2 and args[1] is Ellipsis) or len(args) == 1:
        return {"type": "array", "items": type_schema(args[0], defs)}
    if args:
        return {"type": "array", "prefixItems": [type_schema(a, defs) for a in args]}
    return {"type": "array"}


def class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an attrs class as its JSON object (a trailing ``_`` dropped from
    a field's name, as the converter does)."""
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if field.name.startswith("_"):
            continue
        key = field.name[:-1] if field.name.endswith("_") else field.name
        props[key] = type_schema(hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    if cls.__doc__:
        out["description"] = " ".join(cls.__doc__.split())
    return out


@attrs.frozen
class ExplainRequest:
    """The body of ``POST /v1/explain``: a stored verdict (its brief or compact form) and
    the unit's evidence it was made from."""

    verdict: dict[str, Any]
    evidence: dict[str, Any]


@attrs.frozen
class BatchLine:
    """One line of a batch's answer: the unit's position and key, and its verdict or the
    problem its evidence raised (a last line with only ``problem`` when time ran out)."""

    index: int | None
    key: str | int | None
    verdict: Verdict | None = None
    problem: ProblemDocument | None = None


def component_schemas() -> dict[str, Any]:
    """The schemas of the API's answers, by class name."""
    defs: dict[str, Any] = {}
    for cls in (Verdict, Allocation, ProblemDocument, ExplainRequest, BatchLine):
        type_schema(cls, defs)
    return defs


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


_JSON = "application/json"
_ERRORS = {
    str(status): {
        "description": text,
        "content": {"application/problem+json": {"schema": _ref("ProblemDocument")}},
    }
    for status, text in (
        (400, "malformed request"),
        (404, "unknown rule set, campaign, round or version"),
        (413, "body or batch over the limit"),
        (422, "invalid evidence, or a verdict that does not match"),
        (503, "time limit reached"),
    )
}


def _param(name: str, text: str, schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": text,
        "schema": schema,
    }


_ON = _param("on", "the date (default: today)", {"type": "string", "format": "date"})
_LANG = _param("lang", "language of messages", {"enum": ["vi", "en"], "default": "vi"})
_RULESET = _param("ruleset", "a rule-set id", {"type": "string"}, "path")
_CAMPAIGN = _param("campaign", "a campaign id", {"type": "string"}, "path")
_EXPLAIN = _param("explain", "explain each criterion", {"type": "boolean", "default": False})
_FORM = _param(
    "form",
    "the verdict's JSON form",
    {"enum": ["expanded", "compact", "brief"], "default": "expanded"},
)


def _ok(media: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"200": {"description": text, "content": {media: {"schema": schema}}}, **_ERRORS}


def _body(media: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"required": True, "description": text, "content": {media: {"schema": schema}}}


def _paths() -> dict[str, Any]:
    obj = {"type": "object"}
    evidence = _body(_JSON, obj, "the unit's evidence (see the rule set's /schema)")
    return {
        "/v1/rulesets": {
            "get": {
                "summary": "rule sets and their versions on a date",
                "parameters": [_ON],
                "responses": _ok(_JSON, obj, "rule sets"),
            }
        },
        "/v1/rulesets/{ruleset}": {
            "get": {
                "summary": "a rule set's definition",
                "parameters": [_RULESET, _ON],
                "responses": _ok(_JSON, obj, "the definition"),
            }
        },
        "/v1/rulesets/{ruleset}/parameters": {
            "get": {
                "summary": "a rule set's parameters and their values on a date",
                "parameters": [_RULESET, _ON],
                "responses": _ok(_JSON, obj, "the parameters"),
            }
        },
        "/v1/rulesets/{ruleset}/schema": {
            "get": {
                "summary": "the JSON Schema of a rule set's evidence",
                "parameters": [_RULESET, _ON],
                "responses": _ok("application/schema+json", obj, "a JSON Schema"),
            }
        },
        "/v1/rulesets/{ruleset}/evaluate": {
            "post": {
                "summary": "evaluate one unit",
                "parameters": [_RULESET, _ON, _EXPLAIN, _FORM, _LANG],
                "requestBody": evidence,
                "responses": _ok(_JSON, _ref("Verdict"), "the verdict"),
            }
        },
    }


def _more_paths() -> dict[str, Any]:
    obj = {"type": "object"}
    evidence = _body(_JSON, obj, "the unit's evidence (see the rule set's /schema)")
    return {
        "/v1/rulesets/{ruleset}/batch": {
            "post": {
                "summary": "evaluate units: JSON Lines in, JSON Lines out (streamed)",
                "parameters": [_RULESET, _ON, _EXPLAIN, _FORM, _LANG],
                "requestBody": _body("application/x-ndjson", {"type": "string"}, "one unit a line"),
                "responses": _ok("application/x-ndjson", _ref("BatchLine"), "one result a line"),
            }
        },
        "/v1/rulesets/{ruleset}/report": {
            "post": {
                "summary": "the printable report of one unit",
                "parameters": [_RULESET, _ON, _LANG],
                "requestBody": evidence,
                "responses": _ok("text/html", {"type": "string"}, "an HTML page"),
            }
        },
        "/v1/explain": {
            "post": {
                "summary": "a stored brief verdict explained again",
                "parameters": [_LANG],
                "requestBody": _body(_JSON, _ref("ExplainRequest"), "verdict and evidence"),
                "responses": _ok(_JSON, _ref("Verdict"), "the explained verdict"),
            }
        },
        "/v1/campaigns": {
            "get": {"summary": "campaign plans", "responses": _ok(_JSON, obj, "campaigns")}
        },
        "/v1/campaigns/{campaign}": {
            "get": {
                "summary": "a campaign's phases and deadlines on a date",
                "parameters": [_CAMPAIGN, _ON],
                "responses": _ok(_JSON, obj, "the campaign"),
            }
        },
        "/v1/campaigns/{campaign}/rounds/{round}/allocate": {
            "post": {
                "summary": "allocate a round's awards among candidates",
                "parameters": [
                    _CAMPAIGN,
                    _param("round", "a round id", {"type": "string"}, "path"),
                    _ON,
                    _LANG,
                ],
                "requestBody": _body(
                    "application/x-ndjson",
                    {"type": "string"},
                    "one candidate a line: id, kind, name, evidence",
                ),
                "responses": _ok(_JSON, _ref("Allocation"), "the allocation"),
            }
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API (served at ``/v1/openapi.json``)."""
    from emulation_rules import __version__

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "emulation-rules",
            "version": __version__,
            "description": "Vietnamese public-security emulation criteria as rule sets: "
            "evaluate units, explain verdicts, print reports, allocate awards.",
        },
        "paths": {**_paths(), **_more_paths()},
        "components": {"schemas": component_schemas()},
    }
