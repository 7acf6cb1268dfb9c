"""emulation-rules: Vietnamese public-security emulation campaigns and their recognition
criteria as declarative, explainable rule sets.

>>> from datetime import date
>>> import emulation_rules as er
>>> rs = er.Library().load("typical-commune", on=date(2024, 12, 31))
>>> evidence = {"crimes_social_order": 40, "crimes_social_order_previous_year": 41}
>>> verdict = rs.evaluate(evidence, explain=True)
>>> verdict.status  # criterion 18 is not met, whatever the facts not given
<Status.NOT_ELIGIBLE: 'not_eligible'>
>>> verdict.criterion("18").status
<CriterionStatus.NOT_MET: 'not_met'>
>>> [(n.fact, n.op, n.value) for n in verdict.criterion("18").explanation.needed]
[('crimes_social_order', '<=', 38)]

Run by tests/test_docs_examples.py, with every example of README.md and docs/.
"""

from emulation_rules.api import Library, load
from emulation_rules.errors import (
    ArgumentError,
    CampaignError,
    CaseFileError,
    ConcurrencyError,
    EmulationRulesError,
    EmulationRulesWarning,
    EngineFallbackWarning,
    ErrorLanguage,
    EvaluationError,
    EventError,
    EvidenceError,
    ExpressionError,
    FormatError,
    MonitorError,
    NotARuleSetWarning,
    NotFoundError,
    Problem,
    RuleSetError,
    StoreError,
    TransitionRefused,
    UnknownCriterionError,
    VerdictMismatchError,
    WriteError,
    current_error_language,
    error_language,
)
from emulation_rules.evaluation.batch import ErrorPolicy, UnitResult
from emulation_rules.evaluation.impact import impact
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.expr.runtime import NONE, UNKNOWN
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model import (
    CriterionResult,
    CriterionStatus,
    Status,
    Verdict,
    VerdictDiff,
    converter,
    from_json,
    to_json,
)
from emulation_rules.model.impact import (
    CriterionImpact,
    CriterionStatusChange,
    ImpactReport,
    ParameterChange,
    StatusChange,
    UnitChange,
    UnitError,
)

__version__ = "0.1.0"

__all__ = [
    "NONE",
    "UNKNOWN",
    "ArgumentError",
    "CampaignError",
    "CaseFileError",
    "CheckedCriterion",
    "ConcurrencyError",
    "CriterionImpact",
    "CriterionResult",
    "CriterionStatus",
    "CriterionStatusChange",
    "EmulationRulesError",
    "EmulationRulesWarning",
    "EngineFallbackWarning",
    "ErrorLanguage",
    "ErrorPolicy",
    "EvaluationError",
    "EventError",
    "EvidenceError",
    "ExpressionError",
    "FormatError",
    "ImpactReport",
    "Library",
    "MonitorError",
    "NotARuleSetWarning",
    "NotFoundError",
    "ParameterChange",
    "Problem",
    "RuleSet",
    "RuleSetError",
    "Status",
    "StatusChange",
    "StoreError",
    "TransitionRefused",
    "UnitChange",
    "UnitError",
    "UnitResult",
    "UnknownCriterionError",
    "Verdict",
    "VerdictDiff",
    "VerdictMismatchError",
    "WriteError",
    "converter",
    "current_error_language",
    "error_language",
    "from_json",
    "impact",
    "load",
    "to_json",
]
