"""Reading campaign plans: one YAML file per plan, shipped in ``rulesets/campaigns/`` or
in a host's own folder. Errors name the file, the line and the field."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path

from emulation_rules.campaigns.definition import CampaignDefinition, check_spec
from emulation_rules.campaigns.spec import CampaignSpec
from emulation_rules.errors import NotFoundError, RuleSetError
from emulation_rules.loading.catalogue import folder_roots, shipped_folder, top_level_yaml
from emulation_rules.loading.resolve import structure_spec
from emulation_rules.loading.yamlsource import parse_yaml, read_source


def parse_campaign(text: str, file: str) -> CampaignDefinition:
    """Parse and check the text of a campaign file reported as ``file``."""
    doc = parse_yaml(text, file)
    spec: CampaignSpec = structure_spec(doc, CampaignSpec)
    return check_spec(spec, file=file, error=doc.error)


def load_campaign_file(path: str | Path) -> CampaignDefinition:
    """Read and check one campaign file."""
    return parse_campaign(read_source(Path(path), str(path)), str(path))


def shipped_campaigns_folder() -> Traversable:
    """The ``rulesets/campaigns/`` folder shipped with the library."""
    return shipped_folder().joinpath("campaigns")


class CampaignCatalogue:
    """The campaign plans of some folders, by id: the shipped ones, and a host's own
    (``CampaignCatalogue(["my/campaigns"])``). Files are read once, on first use."""

    def __init__(
        self, folders: Iterable[str | Path | Traversable] = (), *, shipped: bool = True
    ) -> None:
        shipped_root = ("rulesets/campaigns", shipped_campaigns_folder()) if shipped else None
        self._roots = folder_roots(folders, shipped_root)
        self._definitions: dict[str, CampaignDefinition] | None = None

    def _scan(self) -> dict[str, CampaignDefinition]:
        if self._definitions is not None:
            return self._definitions
        found: dict[str, CampaignDefinition] = {}
        for name, text in top_level_yaml(self._roots):
            definition = parse_campaign(text, name)
            other = found.get(definition.id)
            if other is not None:
                raise RuleSetError(
                    f"campaign {definition.id} is also defined in {other.file}",
                    message_vi=f"kế hoạch {definition.id} đã được khai báo trong {other.file}",
                    file=name,
                    path=("id",),
                )
            found[definition.id] = definition
        self._definitions = found
        return found

    def ids(self) -> list[str]:
        """The ids of every campaign, sorted."""
        return sorted(self._scan())

    def definitions(self) -> list[CampaignDefinition]:
        """Every campaign definition, by id."""
        found = self._scan()
        return [found[i] for i in sorted(found)]

    def get(self, campaign_id: str) -> CampaignDefinition:
        """The campaign with that id (``NotFoundError`` names the known ones)."""
        found = self._scan()
        definition = found.get(campaign_id)
        if definition is None:
            known = ", ".join(sorted(found)) or "none"
            raise NotFoundError(
                f"no campaign {campaign_id!r} (known: {known})",
                message_vi=f"không có kế hoạch {campaign_id!r} (các kế hoạch: {known})",
            )
        return definition
