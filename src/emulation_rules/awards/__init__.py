"""Awards and recognition: eligibility rounds, quota allocation with reasons, the
typical-unit recognition procedure, its dossier and its results report.

Everything a host uses is importable from here: ``from emulation_rules.awards import
allocate, recognise, Candidate, ...``.
"""

from emulation_rules.awards.allocation import RuleSetLoader, allocate
from emulation_rules.awards.candidates import Candidate, CandidateKind, read_candidates
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
from emulation_rules.awards.report import (
    ReportGroup,
    ReportPrerequisite,
    ReportRow,
    ReportValue,
    ResultsReport,
    build_report,
    report_html,
    report_markdown,
    to_html,
    to_markdown,
)

__all__ = [
    "OUTCOME_TEXT",
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
    "Procedure",
    "ProcedureSpec",
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
    "allocate",
    "build_report",
    "check_dossier",
    "load_allocation_file",
    "load_procedure",
    "parse_allocation_plan",
    "parse_dossier",
    "parse_procedure",
    "read_candidates",
    "recognise",
    "report_html",
    "report_markdown",
    "shipped_procedures_folder",
    "to_html",
    "to_markdown",
]
