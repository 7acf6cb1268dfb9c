"""A changed copy of a checked rule set: some parameters given other values (a "reform",
as OpenFisca calls it), to see what an amendment would do before it is signed.

The copy is built the way an overlay file is: a spec that ``extends`` the base and
overrides the parameters, checked by the same resolver (so a value is read and checked by
its parameter's declared type exactly as in a file, and every condition is type-checked
again with it). It gets its own ``sha256`` and the version ``<base version>+reform``;
nothing of the base is changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from emulation_rules.error_text import join, message_of, suggest
from emulation_rules.errors import Bilingual, RuleSetError
from emulation_rules.loading.definition import RuleSetDefinition
from emulation_rules.loading.resolve import resolve
from emulation_rules.loading.values import parse_value
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import ParameterSpec, RuleSetSpec

__all__ = ["REFORM_SUFFIX", "parse_setting", "with_parameters"]

REFORM_SUFFIX = "+reform"
"""Added to the base's version to make the changed rule set's version (``2022.1+reform``)."""

_ASSUMED = Text(
    "Giá trị giả định để đánh giá tác động của việc sửa đổi, không phải giá trị của văn bản.",
    "A value assumed to assess the impact of an amendment, not the value of the text.",
)


def parse_setting(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` (as given to ``--set``) → the name and the value as a rule-set file
    would hold it: VALUE is read as a YAML value (``8%`` a text, ``8`` an integer,
    ``2024-12-31`` a date, ``true`` a yes/no). A text without ``=``, with an empty name,
    or whose value is not one plain value is a :class:`RuleSetError` naming it."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise RuleSetError(
            Bilingual(
                f"expected PARAMETER=VALUE, got {text!r}",
                f"cần viết theo dạng THAM_SỐ=GIÁ_TRỊ, nhận được {text!r}",
            )
        )
    if not raw.strip():
        raise RuleSetError(
            Bilingual("a value is needed after '='", "cần một giá trị sau dấu '='"),
            path=("parameters", name),
        )
    try:
        value = parse_yaml(raw, f"{name}=").data
    except RuleSetError as exc:
        raise RuleSetError(
            f"cannot read the value {raw!r}: {exc.message}",
            path=("parameters", name),
            message_vi=f"không đọc được giá trị {raw!r}: {exc.message_vi or exc.message}",
        ) from None
    if isinstance(value, dict | list):
        raise RuleSetError(
            Bilingual(
                f"expected one value, got {raw!r}", f"cần một giá trị đơn, nhận được {raw!r}"
            ),
            path=("parameters", name),
        )
    return name, value


def with_parameters(
    base: RuleSetDefinition, values: Mapping[str, Any], *, suffix: str = REFORM_SUFFIX
) -> RuleSetDefinition:
    """``base`` with the parameters of ``values`` given those values, in force on every
    date (a dated parameter gets the one value). Values are written as in a rule-set file
    (``"8%"``, ``8``, ``date(2025, 1, 1)``, ``True``, a level id).

    An unknown parameter, or a value its declared type refuses, is a
    :class:`~emulation_rules.errors.RuleSetError` whose path names the parameter
    (``parameters.crime_reduction_min``); ``values`` empty is one too (nothing changes).
    """
    if not values:
        raise RuleSetError(
            Bilingual("no parameter to change", "không có tham số nào để thay đổi"),
            path=("parameters",),
        )
    overrides = {name: _override(base, name, raw) for name, raw in values.items()}
    spec = RuleSetSpec(
        id=base.id,
        version=base.version + suffix,
        title=base.title,
        description=base.description,
        source=base.source,
        applies_to=base.applies_to,
        effective=base.effective,
        extends=base.id,
        parameters=overrides,
    )
    doc = SourceDoc(data={}, file=base.file, lines={})

    def lookup(ruleset_id: str, version: str | None, on: date | None) -> RuleSetDefinition:
        return base  # the only rule set the spec names: the one it extends

    return resolve(spec, doc, base.enumerations, lookup)


def _override(base: RuleSetDefinition, name: str, raw: Any) -> ParameterSpec:
    """The base's parameter ``name`` with the one value ``raw``, checked by its type."""
    spec = base.parameters.get(name)
    if spec is None:
        raise RuleSetError(
            join(
                Bilingual(
                    f"{base.id} {base.version} has no such parameter",
                    f"{base.id} {base.version} không có tham số này",
                ),
                _hint(base, name),
            ),
            path=("parameters", name),
        )
    enum = base.enum_types.get(spec.enum) if spec.enum else None
    try:
        parse_value(raw, spec.type, enum)
    except ValueError as exc:
        raise RuleSetError(
            join(
                message_of(exc),
                Bilingual(f" ({spec.type.value} parameter)", f" (tham số kiểu {spec.type.value})"),
            ),
            path=("parameters", name),
        ) from None
    return attrs.evolve(spec, value=raw, values=(), note=_ASSUMED)


def _hint(base: RuleSetDefinition, name: str) -> Bilingual:
    """Where an unknown parameter may be: a prerequisite's, or a near spelling."""
    for pre in base.prerequisites:
        if name in pre.definition.parameters:
            return Bilingual(
                f" (it is a parameter of its prerequisite {pre.definition.id}; only the rule "
                "set's own parameters can be changed)",
                f" (đây là tham số của bộ tiêu chí được yêu cầu {pre.definition.id}; chỉ thay "
                "đổi được tham số của chính bộ tiêu chí này)",
            )
    return suggest(name, base.parameters, quote="'")
