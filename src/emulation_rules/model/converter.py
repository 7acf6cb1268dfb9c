"""The library's cattrs converter, and the translation of its structuring errors into
paths (``criteria[3].condition``) that loading and evidence errors can name.

Files spell ``from`` and ``as``; the classes ``from_`` and ``as_``. Decimals are written
as strings, dates as ISO strings, sets of texts as sorted lists; unknown keys are errors.

The converter the library reads and writes with (``converter``, exported as
``er.converter``) is frozen: registering a hook on it raises ``TypeError``, so that no host
changes how the library reads rule sets or writes verdicts for everyone else in the
process. A host that needs its own hooks extends a copy: ``converter.copy()`` (or
:func:`make_converter`, or the one each :class:`~emulation_rules.Library` holds as
``Library.converter``) is an ordinary converter with the library's hooks, shared with
no one.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from emulation_rules.errors import Bilingual, EmulationRulesError, FormatError, PathPart, brief
from emulation_rules.jsontext import loads
from emulation_rules.model.compact import Form, check_form, compact_data, is_compact
from emulation_rules.model.kinds.base import parse_iso_date, show_vi
from emulation_rules.model.verdict import Verdict, deferred_of

T = TypeVar("T")


def _expected(en: str, vi: str, value: Any) -> ValueError:
    """A ``ValueError`` whose message (``args[0]``) is ``expected <en>, got <value>`` with
    its Vietnamese ``cần <vi>, nhận được <value>``: :func:`structuring_problems` keeps it."""
    return ValueError(
        Bilingual(f"expected {en}, got {brief(value)}", f"cần {vi}, nhận được {show_vi(value)}")
    )


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, datetime):
        raise ValueError(
            Bilingual(
                f"expected a date YYYY-MM-DD, not a time of day ({value})",
                f"cần một ngày theo dạng YYYY-MM-DD, không kèm giờ ({value})",
            )
        )
    if isinstance(value, date):
        return value
    day = parse_iso_date(value) if isinstance(value, str) else None
    if day is not None:
        return day
    raise _expected("a date YYYY-MM-DD", "một ngày theo dạng YYYY-MM-DD", value)


def _structure_str(value: Any, _: type) -> str:
    if isinstance(value, str):
        return value
    raise _expected("a text", "một giá trị văn bản", value)


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _expected("a whole number", "một số nguyên", value)


def _structure_bool(value: Any, _: type) -> bool:
    if isinstance(value, bool):
        return value
    raise _expected("true or false", "giá trị true (có) hoặc false (không)", value)


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str) and not isinstance(value, bool):
        try:  # a float by its shortest text, as evidence reads it
            number = Decimal(repr(value) if isinstance(value, float) else value)
        except (ArithmeticError, ValueError):
            raise _expected("a decimal number", "một số thập phân", value) from None
    else:
        raise _expected("a decimal number", "một số thập phân", value)
    if not number.is_finite():
        raise _expected("a finite decimal number", "một số thập phân hữu hạn", value)
    return number


def _structure_any(value: Any, _: type) -> Any:
    return value


def _structure_scalar(value: Any, _: Any) -> Any:
    if value is None or isinstance(value, int | str):
        return value
    raise _expected(
        "a number, a text, true/false or null",
        "một số, một giá trị văn bản, true/false hoặc null",
        value,
    )


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:  # a list or a mapping is no member; the enumeration would show it in its message
        if not isinstance(value, list | dict | tuple):
            return cls(value)
    except ValueError:
        pass
    choices = ", ".join(str(m.value) for m in cls)
    raise ValueError(
        Bilingual(
            f"{brief(value)} is not one of: {choices}",
            f"{show_vi(value)} không phải một trong các giá trị: "
            + ", ".join(repr(str(m.value)) for m in cls),
        )
    )


class LibraryConverter(cattrs.Converter):
    """A cattrs converter with the library's hooks, which can be frozen: a frozen one
    refuses new hooks (``TypeError``); its :meth:`copy` is not frozen."""

    _frozen = False

    def freeze(self) -> None:
        """Refuse any hook registered from now on."""
        self._frozen = True

    def _refuse(self) -> None:
        if self._frozen:
            raise TypeError(
                "the library's default converter is frozen (a hook here would change the "
                "library for everyone): register hooks on a copy, converter.copy(), "
                "or on a Library's own converter, Library.converter"
            )

    def register_structure_hook(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_structure_hook(*args, **kwargs)

    def register_structure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_structure_hook_func(*args, **kwargs)

    def register_structure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_structure_hook_factory(*args, **kwargs)

    def register_unstructure_hook(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_unstructure_hook(*args, **kwargs)

    def register_unstructure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_unstructure_hook_func(*args, **kwargs)

    def register_unstructure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse()
        return super().register_unstructure_hook_factory(*args, **kwargs)


def make_converter() -> LibraryConverter:
    """A new converter with the library's hooks, not frozen: for a host to extend without
    changing the library's own (``to_json``/``from_json`` and loading keep theirs)."""
    conv = LibraryConverter(forbid_extra_keys=True, omit_if_default=False)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Decimal, _structure_decimal)
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
    # the factories take the converter they run in (cattrs passes it), so that a copy's
    # own hooks reach the fields of the classes it structures
    conv.register_structure_hook_factory(attrs.has, _structure_factory)
    conv.register_unstructure_hook_factory(attrs.has, _unstructure_factory)
    conv.register_structure_hook_factory(lambda t: t is Verdict, verdict_hook_factory(None))
    return conv


CompactReader = Callable[[Mapping[str, Any]], Verdict]


def verdict_hook_factory(read_compact: CompactReader | None) -> Any:
    """The structure hook factory of :class:`Verdict`: the expanded form as any attrs
    class; the compact form through ``read_compact`` (a library's, which finds the rule
    set that made the verdict), or refused with a message saying how to read it."""

    def factory(cls: type, conv: cattrs.Converter) -> Any:
        expanded = _structure_factory(cls, conv)

        def structure_verdict(data: Any, _: type) -> Verdict:
            if is_compact(data):
                if read_compact is None:
                    raise FormatError(
                        "a compact verdict is read with the rule set that made it: "
                        "Library.from_json(text, Verdict) or RuleSet.read_verdict(text)",
                        message_vi="kết quả ở dạng rút gọn phải được đọc bằng chính bộ tiêu chí "
                        "đã đánh giá ra nó: Library.from_json(text, Verdict) hoặc "
                        "RuleSet.read_verdict(text)",
                    )
                return read_compact(data)
            verdict: Verdict = expanded(data, cls)
            return verdict

        return structure_verdict

    return factory


def _renames(cls: type) -> dict[str, Any]:
    return {
        a.name: override(rename=a.name[:-1])
        for a in attrs.fields(cls)
        if a.name.endswith("_") and not a.name.startswith("_")
    }


def _structure_factory(cls: type, conv: cattrs.Converter) -> Any:
    return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **_renames(cls))


OMITTED_WHEN_EMPTY = frozenset({"printed_elsewhere", "none"})
"""Fields added after rule sets were fingerprinted: left out of the written form while
empty, so that a rule set that does not use them keeps its sha256."""


def _unstructure_factory(cls: type, conv: cattrs.Converter) -> Any:
    overrides: dict[str, Any] = _renames(cls)
    for a in attrs.fields(cls):
        if a.name in OMITTED_WHEN_EMPTY:
            overrides[a.name] = override(omit_if_default=True)
    return make_dict_unstructure_fn(cls, conv, **overrides)


def _frozen_converter() -> LibraryConverter:
    conv = make_converter()
    conv.freeze()
    return conv


converter = _frozen_converter()
"""The library's converter: ``converter.structure(data, Verdict)``,
``converter.unstructure(verdict)``. Frozen (new hooks raise ``TypeError``; extend
``converter.copy()`` instead); safe to share across threads."""


def to_json(
    obj: Any,
    *,
    indent: int | None = None,
    form: Form = "expanded",
    using: cattrs.Converter | None = None,
) -> str:
    """Serialise an attrs object (a verdict, a spec) to JSON text, keys in class order.

    A :class:`~emulation_rules.model.verdict.Verdict` has three forms:
    ``"expanded"`` (the default: a self-contained document, every text written out),
    ``"compact"`` (for storage: what differs per unit, the rest restored from the rule
    set on reading; see :mod:`emulation_rules.model.compact`) and ``"brief"`` (compact
    without the explanations). ``using`` is the converter to use (a
    :class:`~emulation_rules.Library`'s own); the library's default otherwise."""
    if form == "expanded" and indent is None and obj.__class__ is Verdict:
        conv = using or converter
        deferred = deferred_of(obj)
        texts = deferred.criterion_texts() if deferred is not None and conv is converter else None
        if texts is not None:
            return _spliced(obj, texts)
    return json.dumps(to_data(obj, form=form, using=using), ensure_ascii=False, indent=indent)


_EMPTY = '"criteria": []'


def _spliced(verdict: Verdict, texts: tuple[str, ...]) -> str:
    """The expanded JSON text of a verdict whose criteria's texts are known: the verdict
    without its criteria, written, and their texts put in place of the empty list (the
    fields before ``criteria`` hold no unescaped ``"criteria": []``), byte for byte what
    ``json.dumps(converter.unstructure(verdict))`` writes."""
    head = json.dumps(converter.unstructure(attrs.evolve(verdict, criteria=())), ensure_ascii=False)
    at = head.index(_EMPTY)
    return f'{head[:at]}"criteria": [{", ".join(texts)}]{head[at + len(_EMPTY) :]}'


def to_data(obj: Any, *, form: Form = "expanded", using: cattrs.Converter | None = None) -> Any:
    """What :func:`to_json` writes, as JSON-ready data (dicts, lists, texts, numbers):
    for a host that stores it in a JSON column itself."""
    check_form(form)
    conv = using or converter
    if form == "expanded":
        return conv.unstructure(obj)
    if not isinstance(obj, Verdict):
        raise ValueError(f"only a Verdict has a {form} form, not a {type(obj).__name__}")
    return compact_data(obj, conv, brief=form == "brief")


def from_json(
    text: str | bytes,
    cls: type[T],
    *,
    where: str | None = None,
    using: cattrs.Converter | None = None,
) -> T:
    """Read an object of ``cls`` back from :func:`to_json` output.

    Text that is not such output (malformed JSON, a missing or unknown key, a value of
    the wrong type) is a :class:`~emulation_rules.errors.FormatError` naming ``where``
    (the file, when given) and the path to the first bad value (``criteria[0].status``);
    the JSON is read by :func:`emulation_rules.jsontext.loads` (exact decimals, no
    duplicate keys, bounded nesting). ``using`` is the converter to use (a
    :class:`~emulation_rules.Library`'s own); the library's default otherwise."""
    data = loads(text, where=where)
    return structure(data, cls, where=where, using=using)


def structure(
    data: Any,
    cls: type[T],
    *,
    where: str | None = None,
    using: cattrs.Converter | None = None,
) -> T:
    """``converter.structure(data, cls)`` for data from outside: anything it refuses is a
    :class:`~emulation_rules.errors.FormatError` naming the path to the first bad value
    (and how many more there are)."""
    name = getattr(cls, "__name__", "value")
    name_vi = _NAMES_VI.get(name, f"dữ liệu kiểu {name}")
    if attrs.has(cls) and not isinstance(data, Mapping):
        raise FormatError(
            f"not a {name}: expected a JSON object, got {_kind(data)}",
            where=where,
            message_vi=f"không đọc được {name_vi}: cần một đối tượng JSON, nhận được "
            f"{_kind(data).vi}",
        )
    try:
        return (using or converter).structure(data, cls)
    except EmulationRulesError as exc:  # our own (a compact verdict's checks): as raised
        if isinstance(exc, FormatError) and where and exc.where is None:
            raise exc._evolve(where=where) from None
        raise
    except Exception as exc:  # cattrs raises several kinds (groups, Key/Type/AttributeError)
        problems = list(structuring_problems(exc))
        path, message = problems[0] if problems else ((), _other(exc))
        message_vi = message.vi if isinstance(message, Bilingual) else message
        n = len(problems) - 1
        more = f" (and {n} more)" if n > 0 else ""
        more_vi = f" (và {n} lỗi khác)" if n > 0 else ""
        raise FormatError(
            f"not a {name}: {message}{more}",
            path=path,
            where=where,
            message_vi=f"không đọc được {name_vi}: {message_vi}{more_vi}",
        ) from None


_NAMES_VI = {
    "Verdict": "kết quả đánh giá",
    "CriterionResult": "kết quả tiêu chí",
    "PrerequisiteResult": "kết quả điều kiện lựa chọn",
    "RuleSetRef": "tham chiếu bộ tiêu chí",
    "date": "ngày",
}
"""Vietnamese names of the types read from JSON most often (others: ``dữ liệu kiểu X``)."""


def _kind(data: Any) -> Bilingual:
    """What a JSON value is, in words: ``a list``, ``a text``, ``null``."""
    kinds = {
        bool: ("true or false", "giá trị true/false"),
        int: ("a number", "một số"),
        Decimal: ("a number", "một số"),
        float: ("a number", "một số"),
        str: ("a text", "một giá trị văn bản"),
        list: ("a list", "một danh sách"),
        type(None): ("null", "null"),
    }
    en, vi = kinds.get(type(data), (f"a {type(data).__name__}", f"kiểu {type(data).__name__}"))
    return Bilingual(en, vi)


def _other(exc: BaseException) -> Bilingual:
    """The message of an error structuring raised that names no path, in both languages."""
    if isinstance(exc, EmulationRulesError):
        return Bilingual(exc.text_in("en"), exc.text_in("vi"))
    first = exc.args[0] if exc.args else None
    if isinstance(first, Bilingual):
        return first
    return Bilingual(_cut(str(exc), 200), "giá trị không hợp lệ")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


_UNKNOWN_KEY = Bilingual("unknown key (not part of the format)", "khóa không thuộc định dạng này")
_MISSING_KEY = Bilingual("required key is missing", "thiếu khóa bắt buộc")


def structuring_problems(
    exc: BaseException, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], Bilingual]]:
    """Flatten a cattrs structuring error into (path, message) pairs, each message a
    :class:`~emulation_rules.errors.Bilingual` text (English and Vietnamese)."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=str):
            yield (*path, key), _UNKNOWN_KEY
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
                        yield sub_path, _MISSING_KEY
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
    message: Bilingual
    if isinstance(exc, KeyError):
        message = _MISSING_KEY
    elif isinstance(exc, AttributeError | TypeError):  # a list or a scalar where a mapping was due
        message = Bilingual(f"a value of the wrong kind ({_cut(str(exc), 80)})", "giá trị sai kiểu")
    else:
        message = _other(exc)
    yield path, message
