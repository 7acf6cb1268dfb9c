"""YAML text → plain data, with the line of every key and item, strictly and within bounds.

PyYAML's safe parser reads the text into events; this module builds the values itself,
in one pass and without recursion, so that:

- duplicate keys are errors (PyYAML keeps the last one silently);
- floats become exact decimals (``0.7`` is ``Decimal("0.7")``, never a binary float);
- every value's path maps to its line for error messages;
- only plain values, lists and mappings are read: any other tag (``!!python/object``,
  ``!!binary``, ``!!set``, ``!custom``) is refused;
- a hostile file costs milliseconds, not gigabytes: an aliased value (``*name``) is built
  once and shared, and the file is refused when it is larger than
  :data:`MAX_DOCUMENT_SIZE`, holds more than :data:`MAX_NODES` values (a value reached
  through an alias counted each time it is used, so a "billion laughs" file stops
  early), nests deeper than :data:`MAX_DEPTH`, or holds an integer of more than
  :data:`MAX_INT_DIGITS` digits.

Every refusal is a :class:`~emulation_rules.errors.RuleSetError` naming the file and,
when known, the line. Every YAML file the library reads (rule sets, enumerations,
campaigns, allocation plans, recognition procedures, monitor mappings, test cases)
goes through :func:`parse_yaml`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import yaml

from emulation_rules.errors import Bilingual, NotFoundError, PathPart, RuleSetError, brief
from emulation_rules.fileio import os_reason
from emulation_rules.formatting import number_text
from emulation_rules.loading.yamlwords import malformed, problem_vi
from emulation_rules.text import nfc

Path = tuple[PathPart, ...]

MAX_DOCUMENT_SIZE = 4 * 1024 * 1024
"""The largest YAML file read, in bytes (and the longest text, in characters): 4 MiB.
The largest shipped rule set is about 120 KB."""

MAX_NODES = 100_000
"""The most values (mappings, lists, keys and plain values) one file may hold, a value
reached through an alias counted each time it is used (with all the values inside it).
The largest shipped rule set holds about 3,300."""

MAX_DEPTH = 100
"""The deepest nesting of lists and mappings read (no format of the library needs 10)."""

MAX_INT_DIGITS = 4300
"""The longest integer read, in digits (Python's own limit for converting text)."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (several times faster), else Python's."""

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (f"{_TAG}{n}" for n in ("str", "int", "float", "bool", "null"))
_TIMESTAMP, _MERGE, _VALUE = f"{_TAG}timestamp", f"{_TAG}merge", f"{_TAG}value"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _VALUE})
_SEQ_TAGS = frozenset({None, "!", f"{_TAG}seq"})
_MAP_TAGS = frozenset({None, "!", f"{_TAG}map"})
_INT_LIMIT = 10**MAX_INT_DIGITS
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = (
    yaml.SafeLoader.yaml_implicit_resolvers
)
_WILDCARD = tuple(_RESOLVERS.get(None, ()))
_PLAIN_TAGS = {
    first: (*resolvers, *_WILDCARD) for first, resolvers in _RESOLVERS.items() if first is not None
}
"""The implicit tags of a plain scalar by its first character (PyYAML's SafeLoader's)."""
_SINGLE = Bilingual("expected a single value here", "ở đây cần một giá trị đơn")
_LONE_SURROGATE = Bilingual(
    "the text holds a lone surrogate (it is not Unicode)",
    "văn bản chứa một ký tự thay thế đơn lẻ (không phải Unicode hợp lệ)",
)
_BOM = "\ufeff"
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters a double-quoted text could hold through escapes (``"\\e"``)."""
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""What YAML refuses in a file's text (PyYAML's ``Reader.NON_PRINTABLE``)."""


@attrs.frozen
class SourceDoc:
    """A parsed file: its data, the name it is reported under, and the line of each path.

    A value reached through an alias is the same object as the anchored one, and only
    the alias's own path has a line (paths below it use it, as their nearest ancestor)."""

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

    def error(
        self, message: Bilingual, path: Path, *, criterion: str | None = None
    ) -> RuleSetError:
        """A RuleSetError located at ``path`` in this file (``message`` a :class:`Bilingual`
        text, so that the error reads in Vietnamese too)."""
        return RuleSetError(
            message, path=path, file=self.file, line=self.line_of(path), criterion=criterion
        )


def read_source(source: Any, name: str) -> str:
    """The text of a data file (a path or a packaged resource) reported as ``name``:
    NotFoundError when it cannot be read, RuleSetError when it is larger than
    :data:`MAX_DOCUMENT_SIZE` or not UTF-8 (naming the line of the first bad byte). A
    UTF-8 byte order mark at the start is dropped."""
    try:
        with source.open("rb") as stream:
            raw: bytes = stream.read(MAX_DOCUMENT_SIZE + 1)
    except OSError as exc:
        reason = os_reason(exc)
        raise NotFoundError(
            f"cannot read {name}: {reason}", message_vi=f"không đọc được tệp {name}: {reason.vi}"
        ) from None
    return _decode(raw, name)


def _decode(raw: bytes, name: str) -> str:
    if len(raw) > MAX_DOCUMENT_SIZE:
        raise RuleSetError(_too_large(), file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = f"{raw[exc.start]:#04x}"
        raise RuleSetError(
            Bilingual(
                f"the file is not UTF-8 text (byte {exc.start + 1} is {byte}); save it as UTF-8",
                f"tệp không phải văn bản UTF-8 (byte thứ {exc.start + 1} là {byte}); hãy lưu "
                "lại theo mã UTF-8",
            ),
            file=name,
            line=raw.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.removeprefix(_BOM)


def _too_large() -> Bilingual:
    size = MAX_DOCUMENT_SIZE // (1024 * 1024)
    return Bilingual(
        f"the file is larger than {size} MiB, the most a YAML file may hold",
        f"tệp lớn hơn {size} MiB, mức tối đa của một tệp YAML",
    )


def parse_yaml(text: str | bytes, file: str) -> SourceDoc:
    """Parse YAML text (or UTF-8 bytes); raise RuleSetError (with file and line) when it is
    malformed, uses a tag other than plain values, lists and mappings, or passes the
    bounds above.

    A UTF-8 byte order mark at the start is dropped; texts are put in Unicode NFC."""
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text), file)
    if not isinstance(text, str):
        raise RuleSetError(
            Bilingual(
                f"expected YAML text, got {type(text).__name__}",
                f"cần văn bản YAML, nhận được {type(text).__name__}",
            ),
            file=file,
        )
    if len(text) > MAX_DOCUMENT_SIZE:
        raise RuleSetError(_too_large(), file=file)
    text = text.removeprefix(_BOM)
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise RuleSetError(
            malformed(_LONE_SURROGATE),
            file=file,
            line=_line_at(text, bad.start()),
        )
    text = nfc(text)  # one spelling per name (and two spellings of one key are duplicates)
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context
        message = malformed(Bilingual(problem, problem_vi(problem))) if problem else malformed()
        raise RuleSetError(message, file=file, line=line) from None
    except yaml.reader.ReaderError as exc:
        found = _UNPRINTABLE.search(text)
        where = found.start() if found is not None else None
        char = found.group() if found is not None else exc.character
        what = f"U+{ord(char):04X}" if isinstance(char, str) else f"#x{char:04x}"
        raise RuleSetError(
            malformed(
                Bilingual(
                    f"the character {what} is not allowed (no control characters)",
                    f"không được dùng ký tự {what} (không dùng ký tự điều khiển)",
                )
            ),
            file=file,
            line=_line_at(text, where) if where is not None else None,
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__  # one line
        raise RuleSetError(malformed(Bilingual(first, problem_vi(first))), file=file) from None
    if not builder.done:
        raise RuleSetError(Bilingual("the file is empty", "tệp trống"), file=file, line=1)
    return SourceDoc(builder.root, file, builder.lines)


def _resolve(text: str, plain: bool) -> str:
    """The tag of an untagged scalar, as PyYAML's SafeLoader resolves it."""
    if plain:
        for tag, pattern in _PLAIN_TAGS.get(text[:1], _WILDCARD):
            if pattern.match(text):
                return tag
    return _STR


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else None


def _tag_name(tag: str) -> str:
    return f"!!{tag.removeprefix(_TAG)}" if tag.startswith(_TAG) else tag


class _Collection:
    """A mapping or list being built: where it sits, and the key waiting for a value."""

    __slots__ = ("anchor", "count_at_start", "key", "path", "value")

    def __init__(
        self, value: dict[str, Any] | list[Any], path: Path, anchor: str | None, count: int
    ):
        self.value = value
        self.path = path
        self.anchor = anchor
        self.count_at_start = count
        self.key: str | None = None


class _Builder:
    """Builds the data from the parser's events, one at a time, with an explicit stack."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        self.loader = yaml.SafeLoader("")  # its scalar constructors and tag resolver
        self.stack: list[_Collection] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # value, number of values in it
        self.building: set[str] = set()  # anchors of collections not yet complete
        self.count = 0
        self.documents = 0
        self.root: Any = None
        self.done = False

    def feed(self, event: yaml.Event) -> None:
        """Take one parser event."""
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._scalar(event)  # type: ignore[arg-type]
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self._end()
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            self._start(event)  # type: ignore[arg-type]
        elif kind is yaml.AliasEvent:
            self._alias(event)  # type: ignore[arg-type]
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise self._error(
                    malformed(
                        Bilingual(
                            "a file holds one YAML document", "mỗi tệp chỉ chứa một tài liệu YAML"
                        )
                    ),
                    event,
                )

    def _end(self) -> None:
        done = self.stack.pop()
        if done.anchor is not None:
            self.anchors[done.anchor] = (done.value, self.count - done.count_at_start + 1)
            self.building.discard(done.anchor)
        self._place(done.value)

    # -- values ----------------------------------------------------------------------
    def _path(self, event: yaml.Event) -> Path:
        """The path of a new value (a mapping's value or a list's item), line recorded."""
        if not self.stack:
            path: Path = ()
        else:
            top = self.stack[-1]
            if isinstance(top.value, list):
                path = (*top.path, len(top.value))
            else:
                assert top.key is not None
                path = (*top.path, top.key)
        self.lines.setdefault(path, _line(event) or 0)
        return path

    def _awaits_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].value, dict)
            and (self.stack[-1].key is None)
        )

    def _place(self, value: Any) -> None:
        """Put a finished value where it belongs: the root, a list's item, a mapping's value."""
        if not self.stack:
            self.root, self.done = value, True
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None

    def _counted(self, n: int, event: yaml.Event) -> None:
        self.count += n
        if self.count > MAX_NODES:
            raise self._error(
                Bilingual(
                    f"the file holds more than {MAX_NODES:,} values (a value reached through an "
                    "alias is counted each time it is used)",
                    f"tệp chứa quá {number_text(MAX_NODES, 'vi')} giá trị (một giá trị dùng lại "
                    "qua bí danh được tính mỗi lần dùng)",
                ),
                event,
            )

    def _start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        if self._awaits_key():
            raise self._error(_SINGLE, event)
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            raise self._tag_error(event.tag, event)
        if len(self.stack) >= MAX_DEPTH:
            raise self._error(
                Bilingual(
                    f"the data is nested more than {MAX_DEPTH} levels deep",
                    f"dữ liệu lồng nhau quá {MAX_DEPTH} cấp",
                ),
                event,
            )
        self._counted(1, event)
        path = self._path(event)
        if event.anchor is not None:
            self._anchor(event.anchor, event)
            self.building.add(event.anchor)
        value: dict[str, Any] | list[Any] = {} if is_map else []
        self.stack.append(_Collection(value, path, event.anchor, self.count))

    def _anchor(self, name: str, event: yaml.Event) -> None:
        if name in self.anchors or name in self.building:
            raise self._error(
                Bilingual(
                    f"the anchor &{name} is defined twice", f"neo &{name} được khai báo hai lần"
                ),
                event,
            )

    def _alias(self, event: yaml.AliasEvent) -> None:
        name = event.anchor
        if name in self.building:
            raise self._error(
                Bilingual(
                    f"the alias *{name} is used inside its own value",
                    f"bí danh *{name} được dùng bên trong chính giá trị của nó",
                ),
                event,
            )
        if name not in self.anchors:
            raise self._error(
                Bilingual(
                    f"the alias *{name} has no anchor &{name} before it",
                    f"bí danh *{name} không có neo &{name} nào đứng trước",
                ),
                event,
            )
        value, size = self.anchors[name]
        self._counted(size, event)
        if self._awaits_key():
            self._key(value, event)
        else:
            self._path(event)
            self._place(value)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        self._counted(1, event)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolve(event.value, event.implicit[0])
        if self._awaits_key():
            if tag == _MERGE:
                raise self._error(
                    Bilingual(
                        "YAML merge keys (<<) are not supported",
                        "không hỗ trợ khóa gộp YAML (<<)",
                    ),
                    event,
                )
            # `on:`, `yes:` are names here, not booleans
            key = event.value if tag == _BOOL else self._construct(tag, event)
            if event.anchor is not None:
                self._anchor(event.anchor, event)
                self.anchors[event.anchor] = (key, 1)
            self._key(key, event)
            return
        value = self._construct(tag, event)
        if event.anchor is not None:
            self._anchor(event.anchor, event)
            self.anchors[event.anchor] = (value, 1)
        self._path(event)
        self._place(value)

    def _key(self, key: Any, event: yaml.Event) -> None:
        if isinstance(key, dict | list):
            raise self._error(_SINGLE, event)
        if not isinstance(key, str | int) or isinstance(key, bool):
            raise self._error(
                Bilingual(
                    f"a key must be a name, not {brief(key)}",
                    f"khóa phải là một tên, không phải {brief(key)}",
                ),
                event,
            )
        top = self.stack[-1]
        key = str(key)
        if key in top.value:
            raise self._error(
                Bilingual(f"duplicate key {brief(key)}", f"khóa {brief(key)} bị lặp lại"), event
            )
        top.key = key
        self.lines[(*top.path, key)] = _line(event) or 0

    def _construct(self, tag: str, event: yaml.ScalarEvent) -> Any:
        text: str = event.value
        if tag in (_STR, _VALUE):
            return self._text(text, event)
        if tag == _FLOAT:
            return self._float(text, event)
        if tag not in _SCALAR_TAGS:
            raise self._tag_error(tag, event)
        if tag == _INT:
            if len(text) > MAX_INT_DIGITS:
                digits = sum(c.isdigit() for c in text)
                if digits > MAX_INT_DIGITS:
                    raise self._error(
                        Bilingual(
                            f"an integer of {digits} digits (at most {MAX_INT_DIGITS} are read)",
                            f"số nguyên có {digits} chữ số (chỉ đọc tối đa {MAX_INT_DIGITS} "
                            "chữ số)",
                        ),
                        event,
                    )
            if text.isdigit() and text.isascii() and (text[0] != "0" or text == "0"):
                return int(text)  # the common case, without the constructor's detours
        if tag == _TIMESTAMP and not self.loader.timestamp_regexp.match(text):
            raise self._error(
                Bilingual(f"not a date: {brief(text)}", f"không phải là ngày: {brief(text)}"), event
            )
        node = yaml.ScalarNode(tag, text, None, None, event.style)
        try:
            value = self.loader.yaml_constructors[tag](self.loader, node)
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or ""
            raise self._error(_invalid(text, problem), event) from None
        except (
            yaml.YAMLError,
            ArithmeticError,
            LookupError,
            ValueError,
            TypeError,
            AttributeError,
        ) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise self._error(_invalid(text, reason), event) from None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
            raise self._error(
                Bilingual(
                    f"an integer of more than {MAX_INT_DIGITS} digits",
                    f"số nguyên có hơn {MAX_INT_DIGITS} chữ số",
                ),
                event,
            )
        return value

    def _text(self, text: str, event: yaml.ScalarEvent) -> str:
        """A text (refusing what a double-quoted one's escapes wrote and a file may not hold)."""
        if event.style == '"':  # escapes can write what the file may not hold
            if _SURROGATE.search(text):
                raise self._error(_LONE_SURROGATE, event)
            found = _CONTROL.search(text)
            if found is not None:
                what = f"U+{ord(found.group()):04X}"
                raise self._error(
                    Bilingual(
                        f"the text holds the control character {what}",
                        f"văn bản chứa ký tự điều khiển {what}",
                    ),
                    event,
                )
        return text

    def _float(self, text: str, event: yaml.ScalarEvent) -> Decimal:
        """A number with a point, as an exact decimal."""
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            raise self._error(
                Bilingual(f"not a number: {brief(text)}", f"không phải là số: {brief(text)}"),
                event,
            ) from None
        if not number.is_finite():
            raise self._error(
                Bilingual(
                    f"not a finite number: {brief(text)}",
                    f"không phải là số hữu hạn: {brief(text)}",
                ),
                event,
            )
        if len(text) > MAX_INT_DIGITS or abs(number.adjusted()) > MAX_INT_DIGITS:
            raise self._error(
                Bilingual(
                    f"the number {brief(text)} is out of range",
                    f"số {brief(text)} nằm ngoài phạm vi cho phép",
                ),
                event,
            )
        return number

    def _tag_error(self, tag: str | None, event: yaml.Event) -> RuleSetError:
        name = _tag_name(tag or "?")
        return self._error(
            Bilingual(
                f"the YAML tag {name} is not allowed: only plain values, lists and mappings "
                "are read",
                f"không được dùng thẻ YAML {name}: chỉ đọc giá trị thường, danh sách và ánh xạ "
                "(khóa: giá trị)",
            ),
            event,
        )

    def _error(self, message: Bilingual, event: yaml.Event) -> RuleSetError:
        return RuleSetError(message, file=self.file, line=_line(event))


def _invalid(text: str, reason: str) -> Bilingual:
    """``invalid value <text>: <the parser's reason>``, in both languages."""
    return Bilingual(
        f"invalid value {brief(text)}: {reason}",
        f"giá trị {brief(text)} không hợp lệ: {problem_vi(reason)}",
    )
