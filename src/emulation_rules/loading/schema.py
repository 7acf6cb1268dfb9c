"""JSON Schemas: of the rule-set file format (generated from the attrs classes that read
it, so the two cannot drift apart) and of each rule set's evidence input."""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.model.kinds import fact_schema
from emulation_rules.model.ruleset import (
    EnumerationFile,
    EnumerationSpec,
    FactSpec,
    RuleSetSpec,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any:
        return {}
    if origin in (types.UnionType, typing.Union):
        options = [_type_schema(a, defs) for a in args if a is not type(None)]
        nullable = type(None) in args
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [schema, {"type": "null"}]} if nullable else schema
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1], defs)}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is date:
        return {"type": "string", "format": "date"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if attrs.has(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _class_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        key = field.name[:-1] if field.name.endswith("_") else field.name
        schema = _type_schema(hints[field.name], defs)
        props[key] = schema
        if field.default is attrs.NOTHING:
            required.append(key)
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    if cls.__doc__:
        out["description"] = " ".join(cls.__doc__.split())
    return out


def format_schema(cls: type = RuleSetSpec) -> dict[str, Any]:
    """The JSON Schema of a file format: rule sets (default) or enumeration files."""
    defs: dict[str, Any] = {}
    root = _class_schema(cls, defs)
    title = "emulation-rules rule set" if cls is RuleSetSpec else "emulation-rules enumerations"
    return {"$schema": SCHEMA_DIALECT, "title": title, **root, "$defs": defs}


def ruleset_format_schema() -> dict[str, Any]:
    """The JSON Schema of rule-set files."""
    return format_schema(RuleSetSpec)


def enumeration_format_schema() -> dict[str, Any]:
    """The JSON Schema of shared enumeration files."""
    return format_schema(EnumerationFile)


def evidence_schema(
    ruleset_id: str,
    version: str,
    facts: Mapping[str, FactSpec],
    enums: Mapping[str, EnumerationSpec],
) -> dict[str, Any]:
    """The JSON Schema of the evidence a rule set reads. Every fact is optional (a
    missing fact makes criteria unknown, it is not an error); unknown keys are errors."""
    props: dict[str, Any] = {
        "unit_id": {"type": "string", "title": "Mã đơn vị", "description": "The unit's id"}
    }
    for name, spec in facts.items():
        props[name] = fact_schema(spec, enums)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": f"Evidence for {ruleset_id} {version}",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
