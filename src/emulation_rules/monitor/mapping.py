"""Which events feed which facts: the declarative mapping of a monitor (data, in
``rulesets/monitor/*.yaml``), its file format and its checks.

Each fact of a targets rule set is computed from the events of the phase by one of a few
aggregates (count, distinct, latest, sum of latest, all, records, monthly records,
grouped records) over one event kind, optionally filtered. The mapping names the rule
sets it serves; :func:`mapping_for` finds the one for a rule set. Loading errors name the
file, the line and the field; :meth:`MonitorMapping.check_against` refuses a rule set
with a fact no event feeds, or a fact whose type the aggregate cannot give.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, get_args, get_origin

import attrs

from emulation_rules.errors import Bilingual, MonitorError, NotFoundError, PathPart, RuleSetError
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.loading.catalogue import folder_roots, shipped_folder, top_level_yaml
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import SourceDoc, parse_yaml, read_source
from emulation_rules.model.common import Text
from emulation_rules.model.kinds import BOOLEAN, DATE_KIND, INTEGER, RECORDS, kind
from emulation_rules.model.ruleset import FactSpec, FactType
from emulation_rules.monitor.events import EVENT_FIELDS, EventKind, payload_fields


class Aggregate(enum.Enum):
    """How a fact is computed from the events of its kind."""

    COUNT = "count"
    """How many events (that pass ``where``); unknown if ``where`` reads a field an event
    did not record."""
    DISTINCT = "distinct"
    """How many distinct values ``field`` took (the items of a list field)."""
    LATEST = "latest"
    """The ``field`` of the latest event (by date, then by arrival)."""
    SUM_LATEST = "sum_latest"
    """The sum, over the values of ``by``, of the latest ``field``."""
    ALL = "all"
    """Whether every event passes ``where`` (true when there is none)."""
    RECORDS = "records"
    """A list: the latest event of each ``key``, its ``fields`` copied."""
    MONTHLY = "monthly"
    """A list: one record per key (from ``keys``) and calendar month of the phase, each
    field counting the events of that key and month."""
    GROUPED = "grouped"
    """A list: one record per key (from ``keys``), each field counting that key's events."""


LIST_AGGREGATES = frozenset({Aggregate.RECORDS, Aggregate.MONTHLY, Aggregate.GROUPED})
INTEGER_AGGREGATES = frozenset({Aggregate.COUNT, Aggregate.DISTINCT, Aggregate.SUM_LATEST})


class Scope(enum.Enum):
    """Which events a fact counts: those of the phase, or of the campaign up to the end
    of the phase."""

    PHASE = "phase"
    CAMPAIGN = "campaign"


@attrs.frozen
class Filter:
    """Which events count: those whose ``field`` is true; or equals ``equals``; or is at
    least the level ``at_least`` of the enumeration ``enum`` (of the rule set)."""

    field: str
    equals: str | None = None
    at_least: str | None = None
    enum: str | None = None


@attrs.frozen
class KeySource:
    """The events whose ``field`` lists the keys of a monthly or grouped fact (the roster's
    teams, its villages), over the phase or the campaign so far."""

    kind: str
    field: str
    scope: Scope = Scope.PHASE


@attrs.frozen
class RecordField:
    """A field of the records of a list fact: a count of events of kind ``count`` (that
    pass ``where``, attributed by their ``key`` field), or the payload ``field`` copied."""

    count: str | None = None
    where: Filter | None = None
    key: str = "team"
    field: str | None = None


@attrs.frozen
class FactMapping:
    """How one fact is computed (the file's ``facts.<name>``)."""

    aggregate: Aggregate
    kind: str | None = None
    field: str | None = None
    where: Filter | None = None
    by: str | None = None
    scope: Scope = Scope.PHASE
    key: str | None = None
    keys: KeySource | None = None
    key_field: str | None = None
    month_field: str | None = None
    fields: dict[str, RecordField] = attrs.field(factory=dict)
    closing_alert: Text | None = None
    ending_alert: Text | None = None


@attrs.frozen
class MappingSpec:
    """A mapping file as written."""

    id: str
    title: Text
    rulesets: tuple[str, ...]
    phase_start: str
    phase_end: str
    deadline_near_days: int
    facts: dict[str, FactMapping]
    note: Text | None = None


CLOSING_ALERT_NAMES = frozenset({"team", "unit", "month", "criterion"})
"""The placeholders of a monthly fact's ``closing_alert`` (a month closed short)."""
ENDING_ALERT_NAMES = CLOSING_ALERT_NAMES | {"last_day", "days"}
"""The placeholders of its ``ending_alert`` (a month about to close short)."""


@attrs.frozen(eq=False)
class MonitorMapping:
    """A checked mapping: every kind and field it names exists."""

    spec: MappingSpec
    file: str

    @property
    def id(self) -> str:
        """The mapping's id."""
        return self.spec.id

    @property
    def facts(self) -> dict[str, FactMapping]:
        """The fact mappings by fact name."""
        return self.spec.facts

    def serves(self, ruleset: RuleSet) -> bool:
        """Whether the mapping names this rule set (or the one it extends)."""
        ids = self.spec.rulesets
        return ruleset.id in ids or (ruleset.definition.extends or "") in ids

    def check_against(self, ruleset: RuleSet) -> None:
        """Refuse a rule set with a fact no event feeds, or a fact of a type its
        aggregate cannot give (``MonitorError`` whose path names the fact)."""
        facts = ruleset.facts
        enums = ruleset.enumerations
        for name in (self.spec.phase_start, self.spec.phase_end):
            spec = facts.get(name)
            if spec is None or kind(spec.type) is not DATE_KIND:
                raise MonitorError(
                    f"{self.file}: {ruleset.id} has no date fact {name!r} for the phase",
                    path=("phase_start" if name == self.spec.phase_start else "phase_end",),
                    message_vi=f"{self.file}: bộ tiêu chí {ruleset.id} không có số liệu ngày "
                    f"{name!r} cho đợt",
                )
        unmapped = [n for n in facts if n not in self.spec.facts and n not in self._phase_facts()]
        if unmapped:
            listed = ", ".join(sorted(unmapped))
            raise MonitorError(
                f"{self.file}: no event feeds the fact(s) {listed} of "
                f"{ruleset.id}; map them in the monitor's mapping",
                path=("facts", sorted(unmapped)[0]),
                message_vi=f"{self.file}: không có sự kiện nào cung cấp số liệu {listed} của "
                f"bộ tiêu chí {ruleset.id}; hãy khai báo chúng trong tệp ánh xạ của hệ thống "
                "theo dõi",
            )
        for name, spec in facts.items():
            mapping = self.spec.facts.get(name)
            if mapping is not None:
                _check_type(self.file, name, spec, mapping, enums)

    def _phase_facts(self) -> set[str]:
        return {self.spec.phase_start, self.spec.phase_end}


def _check_type(
    file: str, name: str, spec: FactSpec, mapping: FactMapping, enums: Mapping[str, Any]
) -> None:
    def fail(en: str, vi: str) -> MonitorError:
        return MonitorError(
            f"{file}: fact {name}: {en}",
            path=("facts", name),
            message_vi=f"{file}: số liệu {name}: {vi}",
        )

    agg = mapping.aggregate
    fkind = kind(spec.type)
    if agg in INTEGER_AGGREGATES and fkind is not INTEGER:
        raise fail(
            f"{agg.value} gives a whole number, the fact is {spec.type.value}",
            f"{agg.value} cho một số nguyên, số liệu lại có kiểu {spec.type.value}",
        )
    if agg is Aggregate.ALL and fkind is not BOOLEAN:
        raise fail(
            f"all gives true or false, the fact is {spec.type.value}",
            f"all cho giá trị đúng/sai, số liệu lại có kiểu {spec.type.value}",
        )
    if agg in LIST_AGGREGATES:
        if fkind is not RECORDS or spec.fields is None:
            raise fail(
                f"{agg.value} gives a list of records, the fact is {spec.type.value}",
                f"{agg.value} cho một danh sách bản ghi, số liệu lại có kiểu {spec.type.value}",
            )
        given = set(mapping.fields) | {mapping.key_field, mapping.month_field} - {None}
        missing = set(spec.fields) - given
        extra = given - set(spec.fields)
        if missing or extra:
            fields, gives = ", ".join(spec.fields), ", ".join(sorted(str(g) for g in given))
            raise fail(
                f"the records' fields are {fields}; the mapping gives {gives}",
                f"các trường của bản ghi là {fields}; tệp ánh xạ lại cho {gives}",
            )
    if agg is Aggregate.LATEST:
        assert mapping.kind is not None and mapping.field is not None
        ftype = payload_fields(EventKind(mapping.kind))[mapping.field]
        if not _compatible(spec.type, ftype):
            raise fail(
                f"{mapping.kind}.{mapping.field} cannot give a {spec.type.value}",
                f"{mapping.kind}.{mapping.field} không thể cho giá trị kiểu {spec.type.value}",
            )
    for where in _filters(mapping):
        if where.enum is not None:
            enum = enums.get(where.enum)
            if enum is None:
                raise fail(
                    f"the rule set has no enumeration {where.enum!r}",
                    f"bộ tiêu chí không có thang bậc {where.enum!r}",
                )
            if where.at_least not in {level.id for level in enum.levels}:
                raise fail(
                    f"{where.enum} has no level {where.at_least!r}",
                    f"thang bậc {where.enum} không có mức {where.at_least!r}",
                )


def _filters(mapping: FactMapping) -> Iterable[Filter]:
    if mapping.where is not None:
        yield mapping.where
    for f in mapping.fields.values():
        if f.where is not None:
            yield f.where


def _compatible(fact_type: FactType, field_type: Any) -> bool:
    return _base_type(field_type) in kind(fact_type).payload_types


def _base_type(ftype: Any) -> Any:
    args = [a for a in get_args(ftype) if a is not type(None)]
    if get_origin(ftype) is not None and len(args) == 1 and get_origin(ftype) is not tuple:
        return args[0]
    return ftype


# -- loading ----------------------------------------------------------------------------------
def parse_mapping(text: str, file: str) -> MonitorMapping:
    """Parse and check the text of a mapping file reported as ``file``."""
    doc = parse_yaml(text, file)
    spec: MappingSpec = structure_spec(doc, MappingSpec)
    _Checker(spec, doc).run()
    return MonitorMapping(spec, file)


def load_mapping(path: str | Path) -> MonitorMapping:
    """Read and check one mapping file."""
    return parse_mapping(read_source(Path(path), str(path)), str(path))


def shipped_mappings_folder() -> Traversable:
    """The ``rulesets/monitor/`` folder shipped with the library."""
    return shipped_folder().joinpath("monitor")


def mapping_for(
    ruleset: RuleSet, folders: Iterable[str | Path | Traversable] = ()
) -> MonitorMapping:
    """The mapping that serves ``ruleset``: a host's own (``folders``) first, then the
    shipped ones. ``NotFoundError`` if none does."""
    roots = [*folder_roots(folders, None), ("rulesets/monitor", shipped_mappings_folder())]
    for name, text in top_level_yaml(roots):
        mapping = parse_mapping(text, name)
        if mapping.serves(ruleset):
            return mapping
    raise NotFoundError(
        f"no monitor mapping serves rule set {ruleset.id} (in rulesets/monitor/ or the "
        "folders given)",
        message_vi=f"không có tệp ánh xạ nào của hệ thống theo dõi phục vụ bộ tiêu chí "
        f"{ruleset.id} (trong rulesets/monitor/ hoặc các thư mục đã cho)",
    )


_ONLY_MONTHLY = Bilingual(
    "only a monthly fact has months", "chỉ số liệu theo tháng mới có tháng (months)"
)


class _Checker:
    def __init__(self, spec: MappingSpec, doc: SourceDoc) -> None:
        self.spec = spec
        self.doc = doc

    def error(self, message: Bilingual, path: tuple[PathPart, ...]) -> RuleSetError:
        return self.doc.error(message, path)

    def run(self) -> None:
        if self.spec.deadline_near_days < 0:
            raise self.error(
                Bilingual("must not be negative", "không được là số âm"), ("deadline_near_days",)
            )
        if not self.spec.rulesets:
            raise self.error(
                Bilingual(
                    "name the rule sets the mapping serves",
                    "hãy nêu các bộ tiêu chí mà tệp ánh xạ phục vụ",
                ),
                ("rulesets",),
            )
        for name, mapping in self.spec.facts.items():
            self._fact(name, mapping, ("facts", name))

    def _kind(self, kind: str | None, path: tuple[PathPart, ...]) -> EventKind:
        if kind is None:
            raise self.error(Bilingual("name the event kind", "hãy nêu loại sự kiện"), path)
        try:
            return EventKind(kind)
        except ValueError:
            kinds = ", ".join(k.value for k in EventKind)
            raise self.error(
                Bilingual(
                    f"unknown event kind {kind!r} (kinds: {kinds})",
                    f"loại sự kiện {kind!r} không xác định (các loại: {kinds})",
                ),
                path,
            ) from None

    def _field(self, kind: EventKind, field: str | None, path: tuple[PathPart, ...]) -> Any:
        if field is None:
            raise self.error(Bilingual("name the field", "hãy nêu trường dữ liệu"), path)
        fields = payload_fields(kind)
        if field in EVENT_FIELDS:
            return str
        if field not in fields:
            listed = ", ".join(fields)
            raise self.error(
                Bilingual(
                    f"a {kind.value} event has no field {field!r} (fields: team, {listed})",
                    f"sự kiện loại {kind.value} không có trường {field!r} "
                    f"(các trường: team, {listed})",
                ),
                path,
            )
        return fields[field]

    def _filter(self, kind: EventKind, where: Filter, path: tuple[PathPart, ...]) -> None:
        ftype = self._field(kind, where.field, (*path, "field"))
        if where.at_least is not None:
            if where.enum is None or where.equals is not None:
                raise self.error(
                    Bilingual(
                        "at_least needs enum (and no equals)",
                        "at_least cần đi kèm enum (và không có equals)",
                    ),
                    path,
                )
        elif where.enum is not None:
            raise self.error(
                Bilingual("enum goes with at_least", "enum chỉ dùng cùng at_least"), (*path, "enum")
            )
        elif where.equals is None and _base_type(ftype) is not bool:
            raise self.error(
                Bilingual(
                    f"{kind.value}.{where.field} is not true/false: give equals or at_least",
                    f"{kind.value}.{where.field} không phải giá trị đúng/sai: "
                    "hãy dùng equals hoặc at_least",
                ),
                path,
            )

    def _fact(self, name: str, m: FactMapping, path: tuple[PathPart, ...]) -> None:
        agg = m.aggregate
        if agg in (Aggregate.MONTHLY, Aggregate.GROUPED):
            self._keyed(m, path)
            return
        if m.closing_alert or m.ending_alert or m.month_field is not None:
            raise self.error(_ONLY_MONTHLY, path)
        if m.keys is not None or m.key_field is not None:
            raise self.error(
                Bilingual(
                    "only a monthly or grouped fact has keys",
                    "chỉ số liệu theo tháng hoặc theo nhóm mới có khóa (keys)",
                ),
                path,
            )
        kind = self._kind(m.kind, (*path, "kind"))
        if m.where is not None:
            self._filter(kind, m.where, (*path, "where"))
        if agg in (Aggregate.DISTINCT, Aggregate.LATEST, Aggregate.SUM_LATEST):
            self._field(kind, m.field, (*path, "field"))
        if agg is Aggregate.SUM_LATEST:
            self._field(kind, m.by, (*path, "by"))
        if agg is Aggregate.ALL and m.where is None:
            raise self.error(Bilingual("all needs where", "all cần có where"), path)
        if agg is Aggregate.RECORDS:
            self._field(kind, m.key, (*path, "key"))
            if not m.fields:
                raise self.error(
                    Bilingual("records needs fields", "records cần có fields"), (*path, "fields")
                )
            for fname, f in m.fields.items():
                if f.field is None or f.count is not None:
                    raise self.error(
                        Bilingual(
                            "a record field copies a payload field",
                            "mỗi trường của bản ghi lấy từ một trường của sự kiện",
                        ),
                        (*path, fname),
                    )
                self._field(kind, f.field, (*path, "fields", fname, "field"))
        elif m.fields:
            raise self.error(
                Bilingual(f"{agg.value} takes no fields", f"{agg.value} không nhận fields"),
                (*path, "fields"),
            )

    def _template(self, template: Text, known: frozenset[str], path: tuple[PathPart, ...]) -> None:
        for lang, text in (("vi", template.vi), ("en", template.en)):
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            unknown = sorted(names - known)
            if unknown:
                shown, names_known = ", ".join(unknown), ", ".join(sorted(known))
                raise self.error(
                    Bilingual(
                        f"unknown placeholder(s) {shown} (known: {names_known})",
                        f"chỗ điền không xác định: {shown} (các chỗ điền được: {names_known})",
                    ),
                    (*path, lang),
                )

    def _months(self, m: FactMapping, path: tuple[PathPart, ...]) -> None:
        """A monthly fact: the phase's months, the month field, the alert templates."""
        if m.scope is not Scope.PHASE:
            raise self.error(
                Bilingual("the months are those of the phase", "các tháng phải là tháng của đợt"),
                (*path, "scope"),
            )
        if m.month_field is None:
            raise self.error(
                Bilingual(
                    "name the record field of the month",
                    "hãy nêu trường của bản ghi chứa tháng",
                ),
                (*path, "month_field"),
            )
        for name, template, known in (
            ("closing_alert", m.closing_alert, CLOSING_ALERT_NAMES),
            ("ending_alert", m.ending_alert, ENDING_ALERT_NAMES),
        ):
            if template is not None:
                self._template(template, known, (*path, name))

    def _keyed(self, m: FactMapping, path: tuple[PathPart, ...]) -> None:
        if m.keys is None:
            raise self.error(
                Bilingual(
                    "name the events that list the keys", "hãy nêu loại sự kiện liệt kê các khóa"
                ),
                (*path, "keys"),
            )
        keys_kind = self._kind(m.keys.kind, (*path, "keys", "kind"))
        self._field(keys_kind, m.keys.field, (*path, "keys", "field"))
        if m.key_field is None:
            raise self.error(
                Bilingual(
                    "name the record field that holds the key",
                    "hãy nêu trường của bản ghi chứa khóa",
                ),
                (*path, "key_field"),
            )
        if m.aggregate is Aggregate.MONTHLY:
            self._months(m, path)
        elif m.closing_alert or m.ending_alert or m.month_field is not None:
            raise self.error(_ONLY_MONTHLY, path)
        if not m.fields:
            raise self.error(
                Bilingual("give the counted fields", "hãy nêu các trường được đếm"),
                (*path, "fields"),
            )
        for fname, f in m.fields.items():
            here = (*path, "fields", fname)
            if f.field is not None or f.count is None:
                raise self.error(
                    Bilingual(
                        "a field of a monthly or grouped fact counts events",
                        "mỗi trường của số liệu theo tháng hoặc theo nhóm phải đếm sự kiện",
                    ),
                    here,
                )
            kind = self._kind(f.count, (*here, "count"))
            self._field(kind, f.key, (*here, "key"))
            if f.where is not None:
                self._filter(kind, f.where, (*here, "where"))
