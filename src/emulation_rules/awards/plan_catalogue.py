"""The allocation plans of some folders (shipped and a host's own), by campaign id."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path

from emulation_rules.awards.plan_loading import (
    AllocationPlan,
    AllocationRound,
    parse_allocation_plan,
)
from emulation_rules.campaigns.loading import CampaignCatalogue, shipped_campaigns_folder
from emulation_rules.errors import (
    NotFoundError,
    RuleSetError,
)
from emulation_rules.loading.catalogue import folder_roots, top_level_yaml

__all__ = [
    "AllocationCatalogue",
    "shipped_allocations_folder",
]


def shipped_allocations_folder() -> Traversable:
    """The ``rulesets/campaigns/awards/`` folder shipped with the library."""
    return shipped_campaigns_folder().joinpath("awards")


class AllocationCatalogue:
    """The allocation plans of some folders, by campaign id: the shipped ones
    (``rulesets/campaigns/awards/``) and a host's own. ``campaigns`` is the campaign
    catalogue their campaigns are looked up in (by default the shipped plans). Files are
    read once, on first use."""

    def __init__(
        self,
        folders: Iterable[str | Path | Traversable] = (),
        *,
        shipped: bool = True,
        campaigns: CampaignCatalogue | None = None,
    ) -> None:
        shipped_root = ("rulesets/campaigns/awards", shipped_allocations_folder())
        self._roots = folder_roots(folders, shipped_root if shipped else None)
        self._campaigns = campaigns if campaigns is not None else CampaignCatalogue()
        self._plans: dict[str, AllocationPlan] | None = None

    def _scan(self) -> dict[str, AllocationPlan]:
        if self._plans is not None:
            return self._plans
        found: dict[str, AllocationPlan] = {}
        for name, text in top_level_yaml(self._roots):
            plan = parse_allocation_plan(text, name, self._campaigns)
            other = found.get(plan.id)
            if other is not None:
                raise RuleSetError(
                    f"the awards of campaign {plan.id} are also allocated in {other.file}",
                    message_vi=f"khen thưởng của phong trào {plan.id} đã được phân bổ trong "
                    f"{other.file}",
                    file=name,
                    path=("campaign",),
                )
            found[plan.id] = plan
        self._plans = found
        return found

    def ids(self) -> list[str]:
        """The ids of the campaigns with an allocation plan, sorted."""
        return sorted(self._scan())

    def get(self, campaign_id: str) -> AllocationPlan:
        """The allocation plan of a campaign (``NotFoundError`` names the known ones)."""
        found = self._scan()
        plan = found.get(campaign_id)
        if plan is None:
            raise NotFoundError(
                f"no award allocation for campaign {campaign_id!r} "
                f"(known: {', '.join(sorted(found)) or 'none'})",
                message_vi=f"chưa có kế hoạch phân bổ khen thưởng cho phong trào "
                f"{campaign_id!r} (có: {', '.join(sorted(found)) or 'không có'})",
            )
        return plan

    def round(self, campaign_id: str, round_id: str) -> AllocationRound:
        """One round of a campaign's allocation plan."""
        return self.get(campaign_id).round(round_id)
