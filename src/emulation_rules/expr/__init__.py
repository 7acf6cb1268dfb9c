"""The expression language of rule conditions: lexer, parser, type checker, compiler.

This layer knows nothing of rule sets, campaigns or awards; see docs/expressions.md.
"""

from emulation_rules.expr.checker import Scope, check_text, referenced
from emulation_rules.expr.parser import parse
from emulation_rules.expr.runtime import NONE, UNKNOWN
from emulation_rules.expr.types import EnumType, Type

__all__ = ["NONE", "UNKNOWN", "EnumType", "Scope", "Type", "check_text", "parse", "referenced"]
