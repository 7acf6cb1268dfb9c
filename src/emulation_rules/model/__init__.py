"""The data model: attrs classes for rule-set files, verdicts and citations, and the one
cattrs converter that reads and writes them."""

from emulation_rules.model.authority import AuthorityEntry, AuthorityLevel
from emulation_rules.model.common import Citation, OfficialText, Text
from emulation_rules.model.converter import converter, from_json, to_json
from emulation_rules.model.diff import (
    Changed,
    CriterionChange,
    PrerequisiteChange,
    ValueChange,
    VerdictDiff,
)
from emulation_rules.model.verdict import (
    ComparisonTrace,
    CriterionResult,
    CriterionStatus,
    Explanation,
    Needed,
    PrerequisiteResult,
    RuleSetRef,
    Status,
    ValueRead,
    Verdict,
)

__all__ = [
    "AuthorityEntry",
    "AuthorityLevel",
    "Changed",
    "Citation",
    "ComparisonTrace",
    "CriterionChange",
    "CriterionResult",
    "CriterionStatus",
    "Explanation",
    "Needed",
    "OfficialText",
    "PrerequisiteChange",
    "PrerequisiteResult",
    "RuleSetRef",
    "Status",
    "Text",
    "ValueChange",
    "ValueRead",
    "Verdict",
    "VerdictDiff",
    "converter",
    "from_json",
    "to_json",
]
