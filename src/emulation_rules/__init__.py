"""emulation-rules: Vietnamese public-security emulation campaigns and their recognition
criteria as declarative, explainable rule sets.

>>> import emulation_rules as er
>>> rs = er.load("typical-commune")              # doctest: +SKIP
>>> verdict = rs.evaluate({"crimes": 40, ...})   # doctest: +SKIP
"""

from emulation_rules.api import Library, load
from emulation_rules.errors import (
    CampaignError,
    CaseFileError,
    ConcurrencyError,
    EmulationRulesError,
    EmulationRulesWarning,
    EngineFallbackWarning,
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
    VerdictMismatchError,
    WriteError,
)
from emulation_rules.evaluation.batch import ErrorPolicy, UnitResult
from emulation_rules.evaluation.impact import impact
from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.expr.runtime import UNKNOWN
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
    "UNKNOWN",
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
    "Verdict",
    "VerdictDiff",
    "VerdictMismatchError",
    "WriteError",
    "converter",
    "from_json",
    "impact",
    "load",
    "to_json",
]
