"""How a quota (cap) reads, and whose it is.

A cap reads as the plan words it: "không quá 20" ("at most 20"); no cap reads "không
giới hạn số lượng" ("no limit"), never a symbol. A cap set by an authority above the unit
that runs the allocation (the province chairman's Bằng khen in a commune's plan) is that
authority's, over every proposal it receives: :func:`cap_scope_note` says so, so a
commune-level run never reads as the decision.
"""

from __future__ import annotations

import re

from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.spec import AwardRoundSpec, Level, QuotaSpec
from emulation_rules.model.common import Text

__all__ = ["authority_level", "cap_scope_note", "cap_text", "quota_text"]

_LEVEL_WORDS = {
    Level.COMMUNE: Text("xã", "commune"),
    Level.DISTRICT: Text("huyện", "district"),
    Level.PROVINCE: Text("tỉnh", "province"),
}
_RANK = {Level.COMMUNE: 0, Level.ECONOMIC_ZONE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2}
_AREA = re.compile(r"\b(tỉnh|huyện|xã)\b")


def cap_text(quota: int | None, lang: str) -> str:
    """One kind's cap: ``không quá 20`` / ``at most 20``; none: ``không giới hạn số lượng``
    / ``no limit``."""
    if quota is None:
        return "không giới hạn số lượng" if lang == "vi" else "no limit"
    return f"không quá {quota}" if lang == "vi" else f"at most {quota}"


def quota_text(quota: QuotaSpec | None, lang: str) -> str:
    """A round's cap of both kinds, as the plan words it: ``không quá 20 tập thể và 20 cá
    nhân``; no cap at all: ``không giới hạn số lượng``."""
    if quota is None or (quota.collectives is None and quota.individuals is None):
        return cap_text(None, lang)
    parts: list[str] = []
    for n, vi, en in (
        (quota.collectives, "tập thể", "collectives"),
        (quota.individuals, "cá nhân", "individuals"),
    ):
        if n is None:
            parts.append(f"{vi} không giới hạn" if lang == "vi" else f"{en} without limit")
        else:
            parts.append(f"{n} {vi}" if lang == "vi" else f"{n} {en}")
    if lang == "vi":
        head = "không quá " if quota.collectives is not None else ""
        return head + " và ".join(parts)
    return ("at most " if quota.collectives is not None else "") + " and ".join(parts)


def authority_level(authority: Text) -> Level | None:
    """The level of an authority read from its Vietnamese name (``… tỉnh Thanh Hóa`` →
    province), or None when its name names no area."""
    found = _AREA.search(authority.vi)
    if found is None:
        return None
    return {"tỉnh": Level.PROVINCE, "huyện": Level.DISTRICT, "xã": Level.COMMUNE}[found.group(1)]


def cap_scope_note(campaign: CampaignDefinition, award: AwardRoundSpec) -> Text | None:
    """For a capped award round whose authority is above the campaign's unit, the sentence
    saying the cap is that authority's, over its whole area, and that the unit only
    proposes; None otherwise."""
    if award.quota is None:
        return None
    level = campaign.spec.level
    above = authority_level(award.authority)
    if above is None or level not in _RANK or _RANK[above] <= _RANK[level]:
        return None
    area, unit = _LEVEL_WORDS[above], _LEVEL_WORDS[level]
    cap_vi, cap_en = quota_text(award.quota, "vi"), quota_text(award.quota, "en")
    return Text(
        f"Số lượng {cap_vi} là của {award.authority.vi}, áp dụng cho toàn {area.vi}; "
        f"{unit.vi} chỉ đề nghị. Danh sách dưới đây là đề nghị của {unit.vi}, chưa phải quyết "
        f"định khen thưởng: {award.authority.vi} quyết định trên mọi đề nghị gửi lên.",
        f"The cap of {cap_en} belongs to the {award.authority.en}, for the whole "
        f"{area.en}; the {unit.en} only proposes. The list below is the {unit.en}'s "
        f"proposal, not the award decision: the {award.authority.en} decides over every "
        "proposal received.",
    )
