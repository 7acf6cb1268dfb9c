"""Titles and texts that state a parameter: ``{crime_reduction_min}`` in a criterion's
title, text or note is replaced by the parameter's value as a reader writes it
(``5%``, ``12 buổi``), so that an overlay changing the parameter changes its titles too.

Only number parameters (integers, decimals, percentages) with one value may be named: a
parameter whose value changes by date would make the title depend on the day, which a
checked rule set does not know. Braces around anything but a parameter are left as they
are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from emulation_rules.errors import Bilingual
from emulation_rules.formatting import number_text, with_unit
from emulation_rules.loading.values import parse_value
from emulation_rules.model.common import Text
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import ParameterSpec

__all__ = ["TitleError", "parameter_text", "with_parameters"]

_PLACE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class TitleError(ValueError):
    """A parameter a title names cannot be shown there (the message, a
    :class:`~emulation_rules.errors.Bilingual` text, says why)."""


def parameter_text(spec: ParameterSpec, lang: str) -> str:
    """The value of a number parameter with one value, as a reader writes it."""
    k = kind(spec.type)
    if not k.number_kind:
        raise TitleError(
            Bilingual(
                f"only a number parameter can be named in a title, not a {k.name}",
                f"chỉ tham số kiểu số mới được ghi vào tiêu đề, không dùng tham số kiểu {k.name}",
            )
        )
    if spec.values or spec.value is None:
        raise TitleError(
            Bilingual(
                "a parameter whose value changes by date cannot be named in a title",
                "không được ghi vào tiêu đề một tham số có giá trị thay đổi theo ngày",
            )
        )
    value = parse_value(spec.value, spec.type)
    shown = k.json_of(value, k.expr_type(spec, {}))
    text = number_text(str(shown), lang) + k.suffix
    return with_unit(text, value, spec.unit.get(lang) if spec.unit else None, lang)


def with_parameters(text: Text | None, params: Mapping[str, ParameterSpec]) -> Text | None:
    """``text`` with each ``{parameter}`` replaced by its value (TitleError for a
    parameter that cannot be shown)."""
    if text is None or "{" not in text.vi + text.en:
        return text

    def fill(lang: str) -> str:
        def one(match: re.Match[str]) -> str:
            spec = params.get(match.group(1))
            return match.group(0) if spec is None else parameter_text(spec, lang)

        return _PLACE.sub(one, text.get(lang))

    return Text(fill("vi"), fill("en"))
