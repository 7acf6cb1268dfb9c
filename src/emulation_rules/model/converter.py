"""The one cattrs converter of the library, and the translation of its structuring errors
into paths (``criteria[3].condition``) that loading and evidence errors can name.

Files spell ``from`` and ``as``; the classes ``from_`` and ``as_``. Decimals are written
as strings, dates as ISO strings, sets of texts as sorted lists; unknown keys are errors.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from emulation_rules.errors import PathPart
from emulation_rules.model.kinds.base import parse_iso_date

T = TypeVar("T")


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, not a time of day ({value})")
    if isinstance(value, date):
        return value
    day = parse_iso_date(value) if isinstance(value, str) else None
    if day is not None:
        return day
    raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"expected a text, got {value!r}")


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"expected a whole number, got {value!r}")


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, got {value!r}")


def _structure_any(value: Any, _: type) -> Any:
    return value


def _structure_scalar(value: Any, _: Any) -> Any:
    if value is None or isinstance(value, int | str):
        return value
    raise ValueError(f"expected a number, a text, true/false or null, got {value!r}")


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in cls)
        raise ValueError(f"{value!r} is not one of: {choices}") from None


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=False)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Any, _structure_any)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    conv.register_structure_hook(
        str | None, lambda v, _: None if v is None else _structure_str(v, str)
    )
    conv.register_structure_hook(
        int | None, lambda v, _: None if v is None else _structure_int(v, int)
    )
    conv.register_structure_hook(int | bool | str | None, _structure_scalar)
    conv.register_unstructure_hook_func(lambda t: t == set[str], sorted)  # JSON: a sorted list
    conv.register_structure_hook_factory(attrs.has, lambda cls: _structure_factory(conv, cls))
    conv.register_unstructure_hook_factory(attrs.has, lambda cls: _unstructure_factory(conv, cls))
    return conv


def _renames(cls: type) -> dict[str, Any]:
    return {
        a.name: override(rename=a.name[:-1])
        for a in attrs.fields(cls)
        if a.name.endswith("_") and not a.name.startswith("_")
    }


def _structure_factory(conv: cattrs.Converter, cls: type) -> Any:
    return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **_renames(cls))


def _unstructure_factory(conv: cattrs.Converter, cls: type) -> Any:
    return make_dict_unstructure_fn(cls, conv, **_renames(cls))


converter = _make_converter()
"""The library's converter: ``converter.structure(data, Verdict)``,
``converter.unstructure(verdict)``. Stateless once built; safe to share across threads."""


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise an attrs object (a verdict, a spec) to JSON text, keys in class order."""
    return json.dumps(converter.unstructure(obj), ensure_ascii=False, indent=indent)


def from_json(text: str, cls: type[T]) -> T:
    """Read an object of ``cls`` back from :func:`to_json` output."""
    return converter.structure(json.loads(text), cls)


def structuring_problems(
    exc: BaseException, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """Flatten a cattrs structuring error into (path, message) pairs."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield (*path, key), "unknown key (not part of the format)"
        return
    if isinstance(exc, ClassValidationError | IterableValidationError):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if name is not None:
                    sub_path = (*path, name.rstrip("_") if name.endswith("_") else name)
                    if isinstance(sub, KeyError):
                        yield sub_path, "required key is missing"
                        break
                elif index is not None:
                    sub_path = (*path, index)
            else:
                yield from structuring_problems(sub, sub_path)
        return
    if isinstance(exc, ExceptionGroup):
        for sub in exc.exceptions:
            yield from structuring_problems(sub, path)
        return
    message = str(exc)
    if isinstance(exc, KeyError):
        message = "required key is missing"
    yield path, message
