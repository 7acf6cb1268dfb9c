"""YAML text → plain data, with the line of every key and item, strictly.

PyYAML's safe composer parses; this module builds the values itself so that
duplicate keys are errors (PyYAML keeps the last one silently), floats become exact
decimals (``0.7`` is ``Decimal("0.7")``, never a binary float), and every value's path
maps to its line for error messages.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import yaml

from emulation_rules.errors import NotFoundError, PathPart, RuleSetError

Path = tuple[PathPart, ...]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's composer when PyYAML was built with it (several times faster), else Python's."""


@attrs.frozen
class SourceDoc:
    """A parsed file: its data, the name it is reported under, and the line of each path."""

    data: Any
    file: str
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for n in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:n]))
            if line is not None:
                return line
        return None

    def error(self, message: str, path: Path, *, criterion: str | None = None) -> RuleSetError:
        """A RuleSetError located at ``path`` in this file."""
        return RuleSetError(
            message, path=path, file=self.file, line=self.line_of(path), criterion=criterion
        )


def read_source(source: Any, name: str) -> str:
    """The text of a data file (a path or a packaged resource) reported as ``name``:
    NotFoundError when it cannot be read, RuleSetError when it is not UTF-8."""
    try:
        text: str = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotFoundError(f"cannot read {name}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RuleSetError("the file is not UTF-8 text", file=name) from None
    return text


def parse_yaml(text: str, file: str) -> SourceDoc:
    """Parse YAML text; raise RuleSetError (with file and line) when it is malformed."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise RuleSetError(f"malformed YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise RuleSetError(f"malformed YAML: {exc}", file=file) from None
    lines: dict[Path, int] = {}
    if node is None:
        raise RuleSetError("the file is empty", file=file, line=1)
    builder = _Builder(file, lines)
    data = builder.build(node, ())
    return SourceDoc(data, file, lines)


class _Builder:
    def __init__(self, file: str, lines: dict[Path, int]) -> None:
        self.file = file
        self.lines = lines
        self.loader = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._error("YAML merge keys (<<) are not supported", key_node)
                if key_node.tag == "tag:yaml.org,2002:bool" and isinstance(key_node.value, str):
                    key: Any = key_node.value  # `on:`, `yes:` are names here, not booleans
                else:
                    key = self.scalar(key_node, path)
                if not isinstance(key, str | int):
                    raise self._error(f"a key must be a name, not {key!r}", key_node)
                key = str(key)
                if key in out:
                    raise self._error(f"duplicate key {key!r}", key_node)
                child = (*path, key)
                self.lines[child] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: Path) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self._error("expected a single value here", node)
        if node.tag == "tag:yaml.org,2002:float":
            try:
                value = Decimal(str(node.value).replace("_", ""))
            except InvalidOperation:
                raise self._error(f"not a number: {node.value!r}", node) from None
            if not value.is_finite():
                raise self._error(f"not a finite number: {node.value!r}", node)
            return value
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError) as exc:
            raise self._error(f"invalid value {node.value!r}: {exc}", node) from None

    def _error(self, message: str, node: yaml.Node) -> RuleSetError:
        return RuleSetError(message, file=self.file, line=node.start_mark.line + 1)
