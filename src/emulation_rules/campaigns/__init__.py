"""Campaign plans and their lifecycle.

Each level of government issues its own plan of a campaign (``rulesets/campaigns/``):
:class:`CampaignCatalogue` reads and checks them; a :class:`CampaignDefinition` compiles
its lifecycle once, from the table of steps (:data:`STEPS`), into a ``transitions``
machine (:func:`lifecycle_of`); :class:`Campaign` is one instance (plain
data state, restorable without replay); :class:`SqliteCampaignStore` keeps instances.
"""

from emulation_rules.campaigns.authorities import (
    AuthorityIssue,
    AuthorityRole,
    AuthorityUse,
    authority_issues,
    authority_uses,
    decider_on,
)
from emulation_rules.campaigns.campaign import Campaign
from emulation_rules.campaigns.deadlines import (
    Deadline,
    DeadlineStatus,
    TimelineEntry,
    TimelineEntryKind,
)
from emulation_rules.campaigns.definition import CampaignDefinition, last_day_on_time
from emulation_rules.campaigns.diagram import to_dot, to_mermaid
from emulation_rules.campaigns.events import (
    AwardsDecided,
    AwardsProposed,
    CampaignEvent,
    HookFailure,
    Hooks,
    PhaseChanged,
    ReportLate,
    ReportOverdue,
    ReportSubmitted,
    events_between,
)
from emulation_rules.campaigns.lifecycle import TRIGGERS, Lifecycle, Permission, lifecycle_of
from emulation_rules.campaigns.loading import (
    CampaignCatalogue,
    load_campaign_file,
    parse_campaign,
)
from emulation_rules.campaigns.spec import CampaignSpec, Level, Reading, ReviewKind
from emulation_rules.campaigns.state import (
    AwardDecision,
    CampaignState,
    Submission,
    Transition,
    state_from_json,
    state_to_json,
)
from emulation_rules.campaigns.steps import STEPS, Refusal, Step
from emulation_rules.campaigns.store import CampaignStore, SqliteCampaignStore
from emulation_rules.campaigns.wording import (
    DEADLINE_STATUS_TEXT,
    TIMELINE_KIND_TEXT,
    deadline_text,
    state_text,
)

__all__ = [
    "DEADLINE_STATUS_TEXT",
    "STEPS",
    "TIMELINE_KIND_TEXT",
    "TRIGGERS",
    "AuthorityIssue",
    "AuthorityRole",
    "AuthorityUse",
    "AwardDecision",
    "AwardsDecided",
    "AwardsProposed",
    "Campaign",
    "CampaignCatalogue",
    "CampaignDefinition",
    "CampaignEvent",
    "CampaignSpec",
    "CampaignState",
    "CampaignStore",
    "Deadline",
    "DeadlineStatus",
    "HookFailure",
    "Hooks",
    "Level",
    "Lifecycle",
    "Permission",
    "PhaseChanged",
    "Reading",
    "Refusal",
    "ReportLate",
    "ReportOverdue",
    "ReportSubmitted",
    "ReviewKind",
    "SqliteCampaignStore",
    "Step",
    "Submission",
    "TimelineEntry",
    "TimelineEntryKind",
    "Transition",
    "authority_issues",
    "authority_uses",
    "deadline_text",
    "decider_on",
    "events_between",
    "last_day_on_time",
    "lifecycle_of",
    "load_campaign_file",
    "parse_campaign",
    "state_from_json",
    "state_text",
    "state_to_json",
    "to_dot",
    "to_mermaid",
]
