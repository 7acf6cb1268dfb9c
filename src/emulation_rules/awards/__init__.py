"""Awards and recognition: eligibility rounds, quota allocation with reasons, proposals
and the deciding authority's decision over them (one cap for all), the printable
allocation and decision, the typical-unit recognition procedure, its dossier and its
results report.

Everything a host uses is importable from here: ``from emulation_rules.awards import
allocate, recognise, Candidate, ...``.
"""

from emulation_rules.awards.allocation import RuleSetLoader, allocate
from emulation_rules.awards.candidates import Candidate, CandidateKind, read_candidates
from emulation_rules.awards.decision import (
    UNIT_SEPARATOR,
    Decision,
    Proposal,
    UnitRef,
    decide,
    propose,
)
from emulation_rules.awards.dossier import (
    DocumentSpec,
    Dossier,
    DossierCheck,
    DossierDocument,
    DossierIssue,
    IssueKind,
    check_dossier,
    parse_dossier,
)
from emulation_rules.awards.outcomes import (
    Allocation,
    AllocationOutcome,
    CandidateAllocation,
    FormStep,
    FormSummary,
    Tally,
)
from emulation_rules.awards.plan_catalogue import AllocationCatalogue
from emulation_rules.awards.plan_format import (
    Admission,
    AllocationPlanSpec,
    FormSpec,
    Order,
    RankKey,
    RoundSpec,
    TieBreak,
)
from emulation_rules.awards.plan_loading import (
    AllocationPlan,
    AllocationRound,
    load_allocation_file,
    parse_allocation_plan,
)
from emulation_rules.awards.printing import (
    PrintedAllocation,
    allocation_html,
    allocation_markdown,
    decision_html,
    decision_markdown,
    print_allocation,
    print_decision,
)
from emulation_rules.awards.recognition import (
    OUTCOME_TEXT,
    Authority,
    CriteriaSetRef,
    Cycle,
    CycleSpec,
    MonthDay,
    Procedure,
    ProcedureSpec,
    Recognition,
    RecognitionOutcome,
    load_procedure,
    parse_procedure,
    recognise,
    shipped_procedures_folder,
)
from emulation_rules.awards.recording import award_counts, record_allocation, record_decision
from emulation_rules.awards.report import (
    ReportGroup,
    ReportPrerequisite,
    ReportRow,
    ReportValue,
    ResultsReport,
    build_report,
    report_markdown,
    to_markdown,
)
from emulation_rules.awards.report_html import report_html, to_html

__all__ = [
    "OUTCOME_TEXT",
    "UNIT_SEPARATOR",
    "Admission",
    "Allocation",
    "AllocationCatalogue",
    "AllocationOutcome",
    "AllocationPlan",
    "AllocationPlanSpec",
    "AllocationRound",
    "Authority",
    "Candidate",
    "CandidateAllocation",
    "CandidateKind",
    "CriteriaSetRef",
    "Cycle",
    "CycleSpec",
    "Decision",
    "DocumentSpec",
    "Dossier",
    "DossierCheck",
    "DossierDocument",
    "DossierIssue",
    "FormSpec",
    "FormStep",
    "FormSummary",
    "IssueKind",
    "MonthDay",
    "Order",
    "PrintedAllocation",
    "Procedure",
    "ProcedureSpec",
    "Proposal",
    "RankKey",
    "Recognition",
    "RecognitionOutcome",
    "ReportGroup",
    "ReportPrerequisite",
    "ReportRow",
    "ReportValue",
    "ResultsReport",
    "RoundSpec",
    "RuleSetLoader",
    "Tally",
    "TieBreak",
    "UnitRef",
    "allocate",
    "allocation_html",
    "allocation_markdown",
    "award_counts",
    "build_report",
    "check_dossier",
    "decide",
    "decision_html",
    "decision_markdown",
    "load_allocation_file",
    "load_procedure",
    "parse_allocation_plan",
    "parse_dossier",
    "parse_procedure",
    "print_allocation",
    "print_decision",
    "propose",
    "read_candidates",
    "recognise",
    "record_allocation",
    "record_decision",
    "report_html",
    "report_markdown",
    "shipped_procedures_folder",
    "to_html",
    "to_markdown",
]
