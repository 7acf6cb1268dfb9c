"""The live campaign monitor: evidence events in, indicator status and alerts out.

The grassroots force records events day by day (a tip, an incident, a good deed of a
team, a training...); a :class:`Monitor` keeps, per commune and per team, the running
indicators of the current phase of a campaign, judges the targets of its rule set with
the core evaluator, and raises :class:`Alert` s (target at risk, target missed, month
closed without a good deed, deadline near) in Vietnamese and English. Its alerting rules
are generated from the rule set and the campaign plan and run on durable-rules (the
``streaming`` extra) in a worker process, or in plain Python. See docs/monitor.md.

Importing this package never imports durable-rules: only the worker process does.
"""

from emulation_rules.monitor.aggregate import aggregate_evidence
from emulation_rules.monitor.alerts import Alert, AlertKind, TargetStatus
from emulation_rules.monitor.engine import DurableEngine, durable_available
from emulation_rules.monitor.events import (
    Event,
    EventKind,
    TrainingTopic,
    event_to_data,
    parse_event,
)
from emulation_rules.monitor.indicators import Plan, compile_plan
from emulation_rules.monitor.mapping import (
    MonitorMapping,
    load_mapping,
    mapping_for,
    parse_mapping,
)
from emulation_rules.monitor.monitor import Monitor
from emulation_rules.monitor.pace import PacePolicy
from emulation_rules.monitor.rules import GeneratedRule, PythonMatcher, generate_rules
from emulation_rules.monitor.schedule import Schedule
from emulation_rules.monitor.state import MonitorState
from emulation_rules.monitor.views import TargetIndicator, TeamIndicators, UnitIndicators

__all__ = [
    "Alert",
    "AlertKind",
    "DurableEngine",
    "Event",
    "EventKind",
    "GeneratedRule",
    "Monitor",
    "MonitorMapping",
    "MonitorState",
    "PacePolicy",
    "Plan",
    "PythonMatcher",
    "Schedule",
    "TargetIndicator",
    "TargetStatus",
    "TeamIndicators",
    "TrainingTopic",
    "UnitIndicators",
    "aggregate_evidence",
    "compile_plan",
    "durable_available",
    "event_to_data",
    "generate_rules",
    "load_mapping",
    "mapping_for",
    "parse_event",
    "parse_mapping",
]
