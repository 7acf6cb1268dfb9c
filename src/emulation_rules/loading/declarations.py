"""A rule-set file's declarations checked one by one: its shape (keys, value types), its
enumerations, the names, facts, parameters, points and policy it declares, and the
reason templates of its criteria. Each problem is a
:class:`~emulation_rules.errors.RuleSetError` at the file's line, in English and
Vietnamese. :mod:`emulation_rules.loading.resolve` puts them together."""

from __future__ import annotations

import keyword
import re
import string
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import cattrs

from emulation_rules.error_text import message_of
from emulation_rules.errors import Bilingual, PathPart, RuleSetError
from emulation_rules.expr.lexer import KEYWORDS
from emulation_rules.expr.types import EnumType
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.loading.shapewords import shape_message
from emulation_rules.loading.values import parse_value
from emulation_rules.loading.yamlsource import SourceDoc
from emulation_rules.model.common import Text
from emulation_rules.model.converter import converter, structuring_problems
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import (
    CriterionSpec,
    EnumerationFile,
    EnumerationSpec,
    FactSpec,
    FactType,
    FieldSpec,
    ParameterSpec,
    PolicyKind,
    PolicySpec,
)

NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
"""What a name (of a fact, parameter, level, let) looks like: lower_snake_case."""


def structure_spec(doc: SourceDoc, cls: type[Any]) -> Any:
    """Structure ``doc.data`` as ``cls``; all shape problems become one RuleSetError."""
    if not isinstance(doc.data, dict):
        raise doc.error(
            Bilingual(
                "the file must hold a mapping (key: value) at its top level",
                "tệp phải chứa một ánh xạ (khóa: giá trị) ở cấp ngoài cùng",
            ),
            (),
        )
    try:
        return converter.structure(doc.data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        problems = [(p, shape_message(m)) for p, m in structuring_problems(exc)]
        if not problems:
            raise doc.error(shape_message(message_of(exc)), ()) from None
        raise doc.error(_shape_problems(doc, problems), problems[0][0]) from None


def _shape_problems(
    doc: SourceDoc, problems: list[tuple[tuple[PathPart, ...], Bilingual]]
) -> Bilingual:
    """The first shape problem, and up to five more with their lines, in both languages."""
    first = problems[0][1]
    en, vi = str.__str__(first), first.vi
    if en.startswith("expected a text, got ") and en[21:].isdigit():
        digits = en[21:]
        en += f' (write it in quotes: "{digits}")'
        vi += f' (hãy viết trong dấu ngoặc kép: "{digits}")'
    if len(problems) > 1:
        more = [(doc.line_of(p), ".".join(map(str, p)), m) for p, m in problems[1:6]]
        en += " (also: " + "; ".join(f"line {n}: {at}: {m}" for n, at, m in more) + ")"
        vi += " (ngoài ra: " + "; ".join(f"dòng {n}: {at}: {m.vi}" for n, at, m in more) + ")"
    return Bilingual(en, vi)


def read_enumerations(doc: SourceDoc) -> dict[str, EnumerationSpec]:
    """The enumerations of a shared enumeration file, checked."""
    spec: EnumerationFile = structure_spec(doc, EnumerationFile)
    for eid, enum in spec.enumerations.items():
        check_enumeration(doc, ("enumerations", eid), eid, enum)
    return dict(spec.enumerations)


def check_enumeration(
    doc: SourceDoc, path: tuple[PathPart, ...], eid: str, enum: EnumerationSpec
) -> None:
    """An enumeration's id, levels, labels and aliases, checked."""
    if not NAME_RE.match(eid):
        raise doc.error(
            Bilingual(
                f"enumeration id {eid!r} must be lower_snake_case",
                f"mã danh mục {eid!r} phải viết chữ thường, nối bằng dấu gạch dưới "
                "(lower_snake_case)",
            ),
            path,
        )
    seen: set[str] = set()
    if len(enum.levels) < 2:
        raise doc.error(
            Bilingual("an enumeration needs at least two levels", "danh mục cần ít nhất hai mức"),
            (*path, "levels"),
        )
    for i, level in enumerate(enum.levels):
        if not NAME_RE.match(level.id) or level.id in KEYWORDS:
            raise doc.error(
                Bilingual(
                    f"level id {level.id!r} must be lower_snake_case and not a keyword",
                    f"mã mức {level.id!r} phải viết chữ thường, nối bằng dấu gạch dưới "
                    "(lower_snake_case) và không trùng từ khóa",
                ),
                (*path, "levels", i, "id"),
            )
        if level.id in seen:
            raise doc.error(
                Bilingual(f"duplicate level {level.id!r}", f"mức {level.id!r} bị lặp lại"),
                (*path, "levels", i, "id"),
            )
        seen.add(level.id)
    _check_spellings(doc, path, enum, seen)


def _check_spellings(
    doc: SourceDoc, path: tuple[PathPart, ...], enum: EnumerationSpec, seen: set[str]
) -> None:
    """No spelling (id, label, alias) of an enumeration names two levels."""
    spellings: dict[str, str] = {}
    for i, level in enumerate(enum.levels):
        for spelling in {level.id, level.vi, level.en}:
            key = unicodedata.normalize("NFC", spelling).strip().casefold()
            if spellings.setdefault(key, level.id) != level.id:
                other = spellings[key]
                raise doc.error(
                    Bilingual(
                        f"{spelling!r} would name both {other!r} and {level.id!r}",
                        f"{spelling!r} sẽ chỉ cả mức {other!r} lẫn mức {level.id!r}",
                    ),
                    (*path, "levels", i),
                )
    for alias, target in enum.aliases.items():
        if target not in seen:
            raise doc.error(
                Bilingual(
                    f"alias {alias!r} points to unknown level {target!r}",
                    f"tên gọi khác {alias!r} trỏ đến mức {target!r}, không có trong danh mục",
                ),
                (*path, "aliases"),
            )
        key = unicodedata.normalize("NFC", alias).strip().casefold()
        if spellings.setdefault(key, target) != target:
            raise doc.error(
                Bilingual(
                    f"alias {alias!r} is already a spelling of level {spellings[key]!r}",
                    f"tên gọi khác {alias!r} đã là một cách viết của mức {spellings[key]!r}",
                ),
                (*path, "aliases", alias),
            )


def enum_type(eid: str, spec: EnumerationSpec) -> EnumType:
    """The expression-language type of an enumeration."""
    return EnumType(eid, tuple(level.id for level in spec.levels))


class DeclarationChecks:
    """The checks of a rule set's declarations, each raising at the file's line (a mixin
    of the resolver: ``doc`` is the file checked)."""

    doc: SourceDoc

    def err(
        self, message: Bilingual, path: tuple[PathPart, ...], criterion: str | None = None
    ) -> RuleSetError:
        return self.doc.error(message, path, criterion=criterion)

    def _check_name(self, name: str, path: tuple[PathPart, ...], what: str) -> None:
        if not NAME_RE.match(name) or name in KEYWORDS or keyword.iskeyword(name):
            raise self.err(
                Bilingual(
                    f"{what} name {name!r} must be lower_snake_case letters, digits and _, "
                    "and not a keyword",
                    f"tên {_WHAT_VI.get(what, what)} {name!r} phải viết bằng chữ thường, chữ số và "
                    "dấu _ (lower_snake_case), và không trùng từ khóa",
                ),
                path,
            )

    def _check_fact(
        self,
        fact: FactSpec | FieldSpec,
        path: tuple[PathPart, ...],
        enums: Mapping[str, EnumerationSpec],
    ) -> None:
        """A fact's (or a list fact's field's) declaration, checked."""
        self._check_fact_enum(fact, path, enums)
        if isinstance(fact, FactSpec):
            self._check_fields(fact, path, enums)
            if fact.none is not None and fact.type is not FactType.DATE:
                raise self.err(
                    Bilingual(
                        f"`none:` is only for date facts, not {fact.type.value} (a count "
                        "says none with 0)",
                        f"`none:` chỉ dùng cho dữ kiện kiểu ngày, không dùng cho kiểu "
                        f"{fact.type.value} (số lượng thì ghi 0 khi không có)",
                    ),
                    (*path, "none"),
                )
        self._check_bounds(fact, path)

    def _check_fact_enum(
        self,
        fact: FactSpec | FieldSpec,
        path: tuple[PathPart, ...],
        enums: Mapping[str, EnumerationSpec],
    ) -> None:
        fkind = kind(fact.type)
        ftype = fact.type
        if fkind.needs_enum:
            if fact.enum is None:
                raise self.err(
                    Bilingual(
                        "an enum fact needs `enum:` naming its enumeration",
                        "dữ kiện kiểu enum cần `enum:` ghi tên danh mục của nó",
                    ),
                    path,
                )
            if fact.enum not in enums:
                known = ", ".join(sorted(enums))
                raise self.err(
                    Bilingual(
                        f"unknown enumeration {fact.enum!r} (known: {known})",
                        f"không có danh mục {fact.enum!r} (các danh mục đã có: {known})",
                    ),
                    (*path, "enum"),
                )
        elif fact.enum is not None:
            raise self.err(
                Bilingual(
                    f"`enum:` is only for enum facts, not {ftype.value}",
                    f"`enum:` chỉ dùng cho dữ kiện kiểu enum, không dùng cho kiểu {ftype.value}",
                ),
                (*path, "enum"),
            )

    def _check_fields(
        self,
        fact: FactSpec,
        path: tuple[PathPart, ...],
        enums: Mapping[str, EnumerationSpec],
    ) -> None:
        fkind = kind(fact.type)
        if fkind.has_fields:
            if not fact.fields:
                raise self.err(
                    Bilingual(
                        "a list fact needs `fields:`", "dữ kiện kiểu danh sách cần `fields:`"
                    ),
                    path,
                )
            for fname, field in fact.fields.items():
                fpath = (*path, "fields", fname)
                self._check_name(fname, fpath, "field")
                if kind(field.type).has_fields:
                    raise self.err(
                        Bilingual(
                            "lists of lists are not supported",
                            "không hỗ trợ danh sách lồng trong danh sách",
                        ),
                        (*fpath, "type"),
                    )
                self._check_fact(field, fpath, enums)
        elif fact.fields is not None:
            raise self.err(
                Bilingual(
                    "`fields:` is only for list facts",
                    "`fields:` chỉ dùng cho dữ kiện kiểu danh sách",
                ),
                (*path, "fields"),
            )

    def _check_bounds(self, fact: FactSpec | FieldSpec, path: tuple[PathPart, ...]) -> None:
        ftype = fact.type
        fkind = kind(ftype)
        for bound in ("min", "max"):
            value = getattr(fact, bound)
            if value is None:
                continue
            if not fkind.bounded:
                raise self.err(
                    Bilingual(
                        f"`{bound}` is only for integer and decimal facts",
                        f"`{bound}` chỉ dùng cho dữ kiện kiểu số nguyên hoặc số thập phân",
                    ),
                    (*path, bound),
                )
            try:
                parse_value(value, ftype)
            except ValueError as exc:
                raise self.err(message_of(exc), (*path, bound)) from None
        if fact.min is not None and fact.max is not None and fact.min > fact.max:
            raise self.err(Bilingual("min is greater than max", "min lớn hơn max"), (*path, "min"))

    def _check_parameter(
        self, param: ParameterSpec, path: tuple[PathPart, ...], enum_types: Mapping[str, EnumType]
    ) -> None:
        pkind = kind(param.type)
        if not pkind.single:
            raise self.err(
                Bilingual("a parameter cannot be a list", "tham số không được là danh sách"),
                (*path, "type"),
            )
        enum = None
        if pkind.needs_enum:
            if param.enum is None or param.enum not in enum_types:
                raise self.err(
                    Bilingual(
                        "an enum parameter needs `enum:` naming a known enumeration",
                        "tham số kiểu enum cần `enum:` ghi tên một danh mục đã khai báo",
                    ),
                    path,
                )
            enum = enum_types[param.enum]
        if (param.value is None) == (not param.values):
            raise self.err(
                Bilingual(
                    "a parameter needs exactly one of `value:` or `values:`",
                    "tham số cần đúng một trong hai khóa `value:` hoặc `values:`",
                ),
                path,
            )
        entries: list[tuple[Any, tuple[PathPart, ...]]] = (
            [(param.value, (*path, "value"))]
            if param.value is not None
            else [(d.value, (*path, "values", i, "value")) for i, d in enumerate(param.values)]
        )
        for raw, vpath in entries:
            try:
                parse_value(raw, param.type, enum)
            except ValueError as exc:
                raise self.err(message_of(exc), vpath) from None
        froms = [d.from_ for d in param.values]
        if len(set(froms)) != len(froms):
            raise self.err(
                Bilingual("two values start on the same date", "hai giá trị bắt đầu cùng một ngày"),
                (*path, "values"),
            )

    def _check_points(
        self, crit: CriterionSpec, where: tuple[PathPart, ...], policy: PolicySpec
    ) -> None:
        """A criterion has points under a points policy, and only there."""
        if policy.kind is PolicyKind.POINTS:
            if crit.points is None:
                raise self.err(
                    Bilingual(
                        "under a points policy every criterion needs `points`",
                        "khi chấm theo điểm, mỗi tiêu chí cần có `points`",
                    ),
                    (*where, "points"),
                    crit.id,
                )
            if (
                not isinstance(crit.points, int | Decimal)
                or isinstance(crit.points, bool)
                or crit.points < 0
            ):
                raise self.err(
                    Bilingual(
                        "points must be a number of 0 or more", "points phải là một số từ 0 trở lên"
                    ),
                    (*where, "points"),
                    crit.id,
                )
        elif crit.points is not None:
            raise self.err(
                Bilingual(
                    "`points` is only for a points policy",
                    "`points` chỉ dùng khi chấm theo điểm (kind: points)",
                ),
                (*where, "points"),
                crit.id,
            )

    def _check_policy(
        self,
        policy: PolicySpec,
        count: int,
        enums: Mapping[str, EnumType],
        criteria: list[CheckedCriterion],
    ) -> None:
        path: tuple[PathPart, ...] = ("policy",)
        if policy.kind is PolicyKind.AT_LEAST:
            if policy.at_least is None or not 1 <= policy.at_least <= count:
                raise self.err(
                    Bilingual(
                        f"at_least must be between 1 and the number of criteria ({count})",
                        f"at_least phải từ 1 đến số tiêu chí ({count})",
                    ),
                    (*path, "at_least"),
                )
        elif policy.at_least is not None:
            raise self.err(
                Bilingual(
                    "`at_least` is only for kind: at_least",
                    "`at_least` chỉ dùng với kind: at_least",
                ),
                (*path, "at_least"),
            )
        if policy.kind is PolicyKind.POINTS:
            self._check_points_policy(policy, enums, path)
        elif policy.levels or policy.enum or policy.eligible_from:
            raise self.err(
                Bilingual(
                    "levels, enum and eligible_from are only for kind: points",
                    "levels, enum và eligible_from chỉ dùng với kind: points",
                ),
                path,
            )

    def _check_points_policy(
        self, policy: PolicySpec, enums: Mapping[str, EnumType], path: tuple[PathPart, ...]
    ) -> None:
        """A points policy's enumeration, levels and threshold, checked."""
        if policy.enum is None or policy.enum not in enums:
            raise self.err(
                Bilingual(
                    "a points policy needs `enum:` naming the levels' enumeration",
                    "cách chấm theo điểm cần `enum:` ghi tên danh mục các mức",
                ),
                path,
            )
        enum = enums[policy.enum]
        if not policy.levels:
            raise self.err(
                Bilingual("a points policy needs `levels:`", "cách chấm theo điểm cần `levels:`"),
                path,
            )
        previous = None
        for i, lt in enumerate(policy.levels):
            if lt.level not in enum.levels:
                raise self.err(
                    Bilingual(
                        f"{lt.level!r} is not a level of {enum.id}",
                        f"{lt.level!r} không phải là một mức của danh mục {enum.id}",
                    ),
                    (*path, "levels", i, "level"),
                )
            if not isinstance(lt.min_points, int | Decimal) or isinstance(lt.min_points, bool):
                raise self.err(
                    Bilingual("min_points must be a number", "min_points phải là một số"),
                    (*path, "levels", i, "min_points"),
                )
            if previous is not None and lt.min_points >= previous:
                raise self.err(
                    Bilingual(
                        "levels must go from the most points down",
                        "các mức phải xếp từ nhiều điểm nhất xuống",
                    ),
                    (*path, "levels", i),
                )
            previous = lt.min_points
        if policy.eligible_from is None or policy.eligible_from not in enum.levels:
            raise self.err(
                Bilingual(
                    "a points policy needs `eligible_from:` naming a level",
                    "cách chấm theo điểm cần `eligible_from:` ghi tên một mức",
                ),
                (*path, "eligible_from"),
            )


def check_template(template: Text, names: set[str]) -> Bilingual | None:
    """The first problem of a reason template (unknown placeholder, bad braces), if any."""
    for text in (template.vi, template.en):
        try:
            list(string.Formatter().parse(text))
        except ValueError as exc:
            said = _FORMAT_VI.get(str(exc), f"«{exc}»")
            return Bilingual(f"malformed template: {exc}", f"mẫu câu không đúng cú pháp: {said}")
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is None:
                continue
            if name not in names:
                return Bilingual(
                    f"unknown placeholder {{{name}}} (facts, parameters and lets may be used)",
                    f"không có chỗ điền {{{name}}} (chỉ được dùng dữ kiện, tham số và let)",
                )
            if spec or conversion:
                return Bilingual(
                    f"placeholder {{{name}}} takes no format (values are shown as an officer "
                    "reads them)",
                    f"chỗ điền {{{name}}} không nhận định dạng (giá trị được ghi theo cách cán "
                    "bộ vẫn đọc)",
                )
    return None


_FORMAT_VI = {
    "Single '}' encountered in format string": "có dấu '}' đứng riêng lẻ",
    "Single '{' encountered in format string": "có dấu '{' đứng riêng lẻ",
    "expected '}' before end of string": "thiếu dấu '}' trước khi hết câu",
}
"""The template parser's complaints (``string.Formatter``) in Vietnamese."""


def error_message(exc: RuleSetError) -> Bilingual:
    """An error's message (without its place) in both languages (English twice when it
    has no Vietnamese)."""
    return Bilingual(exc.message, exc.message_vi if exc.message_vi is not None else exc.message)


_WHAT_VI = {
    "fact": "dữ kiện",
    "parameter": "tham số",
    "prerequisite": "bộ tiêu chí được yêu cầu",
    "field": "trường",
    "let": "let",
}
"""What a name is, in Vietnamese (for the name checks)."""


def template_names(template: Text) -> set[str]:
    """The names a (checked) reason template shows."""
    return {
        name
        for text in (template.vi, template.en)
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }
