"""The names an expression may use, as the type checker sees them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from emulation_rules.expr.types import EnumType, Type


@attrs.frozen
class Scope:
    """The names an expression may use.

    ``facts`` and ``parameters`` map names to types; ``locals`` are the values a criterion
    computed before this expression; ``enumerations`` are the shared enumerations, by id.
    ``parameter_values`` gives, for a number parameter, every value it takes in any dated
    version of the rule set: a division by an expression that is zero for one of them is
    refused at load.
    """

    facts: Mapping[str, Type]
    parameters: Mapping[str, Type]
    enumerations: Mapping[str, EnumType]
    locals: Mapping[str, Type] = attrs.field(factory=dict)
    parameter_values: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict)
    none_facts: frozenset[str] = frozenset()
    """The date facts declaring ``none:`` (known to have none): ``exists()`` reads them."""
