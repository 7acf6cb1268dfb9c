"""Routes of campaigns and awards: a campaign's phases and deadlines on a date, the
allocation of a round's awards, and a stored brief verdict explained again."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from emulation_rules.awards import allocate, read_candidates
from emulation_rules.campaigns import Campaign, CampaignDefinition
from emulation_rules.errors import Bilingual, FormatError
from emulation_rules.model import to_json
from emulation_rules.model.converter import converter
from emulation_rules.web import service as sv
from emulation_rules.web.limits import parse_json, read_body, too_large


def _definition(request: Request) -> CampaignDefinition:
    catalogue = sv.service(request).campaigns
    cid = sv.known_id(request.path_params["campaign"], catalogue.ids(), ("campaign", "kế hoạch"))
    definition = catalogue.get(cid)
    if definition.spec.cycle is not None:
        definition = definition.for_cycle(definition.spec.cycle.first_year)
    return definition


def _calendar_view(definition: CampaignDefinition, day: date) -> Campaign | None:
    """The plan as the calendar runs it: issued and launched on its own date, advanced to
    ``day`` (None when the plan starts on an issue date it does not give)."""
    issued = definition.spec.source.date or definition.phase_start(0, None)
    if issued is None:
        return None
    start = max(min(issued, day), definition.dated_window()[0])
    campaign = Campaign.new(definition, "calendar", on=start)
    if day >= issued:
        campaign.issue(on=issued)
        campaign.launch(on=issued)
        campaign.advance(to=day)
    return campaign


def campaign_view(definition: CampaignDefinition, day: date) -> dict[str, Any]:
    """A campaign on ``day``: its state, current phase, every phase and the deadlines."""
    campaign = _calendar_view(definition, day)
    phase = campaign.phase_on(day) if campaign else definition.phase_on(day)
    return {
        "campaign": definition.id,
        "title": converter.unstructure(definition.spec.title),
        "on": day.isoformat(),
        "state": campaign.state if campaign else None,
        "phase": phase.id if phase else None,
        "authority_exists": definition.authority_valid_on(day),
        "phases": converter.unstructure(definition.phases),
        "deadlines": converter.unstructure(campaign.deadlines(on=day)) if campaign else [],
    }


async def list_campaigns(request: Request) -> Response:
    """``GET /v1/campaigns``: the campaign plans the server has."""
    catalogue = sv.service(request).campaigns
    rows = await sv.work(
        request,
        lambda: [
            {"id": d.id, "title": converter.unstructure(d.spec.title)}
            for d in catalogue.definitions()
        ],
    )
    return sv.json_response(sv.dumps({"campaigns": rows}))


async def get_campaign(request: Request) -> Response:
    """``GET /v1/campaigns/{id}?on=``: phases, current phase and deadlines on a date."""
    day = sv.on(request)
    data = await sv.work(request, lambda: campaign_view(_definition(request), day))
    return sv.json_response(sv.dumps(data))


async def allocate_round(request: Request) -> Response:
    """``POST /v1/campaigns/{id}/rounds/{round}/allocate?on=``: candidates as JSON Lines
    (``{"id", "kind", "name", "evidence"}`` a line), the round's allocation as JSON."""
    svc = sv.service(request)
    plans = svc.allocations
    cid = sv.known_id(request.path_params["campaign"], plans.ids(), ("campaign", "kế hoạch"))
    plan = plans.get(cid)
    rid = sv.known_id(request.path_params["round"], plan.round_ids(), ("round", "đợt xét"))
    day = sv.on(request) if "on" in request.query_params else None
    raw = await read_body(request, svc.limits.max_batch_bytes)
    lines = raw.decode("utf-8", errors="replace").splitlines()
    if sum(1 for line in lines if line.strip()) > svc.limits.max_batch_units:
        limit = svc.limits.max_batch_units
        raise too_large("the candidates", "danh sách ứng viên", limit, "lines", "dòng")
    for n, line in enumerate(lines, 1):
        if line.strip():
            parse_json(line.encode("utf-8"), svc.limits, line=n)  # depth and syntax
    candidates = read_candidates(lines, "request")
    result = await sv.work(
        request,
        lambda: allocate(plan.round(rid), candidates, on=day, library=svc.library),
    )
    return sv.json_response(to_json(result))


async def explain(request: Request) -> Response:
    """``POST /v1/explain``: ``{"verdict": <a stored brief verdict>, "evidence": {...}}``
    → the verdict explained again by the rule set that made it (expanded form)."""
    svc = sv.service(request)
    data = parse_json(await read_body(request, svc.limits.max_body_bytes), svc.limits)
    verdict, evidence = _explain_parts(data)
    ref = verdict.get("ruleset")
    rs_id = ref.get("id") if isinstance(ref, dict) else None
    if not isinstance(rs_id, str) or not isinstance(ref, dict):
        raise FormatError(
            Bilingual("a verdict names its rule set", "kết quả phải ghi bộ tiêu chí"),
            path=("verdict", "ruleset", "id"),
        )
    rs_id = sv.ruleset_id(request, rs_id)
    version = ref.get("version")
    day = verdict.get("evaluated_on")
    if not isinstance(version, str) or not isinstance(day, str):
        raise FormatError(
            Bilingual(
                "a verdict gives its rule set's version and its date",
                "kết quả phải ghi phiên bản bộ tiêu chí và ngày đánh giá",
            ),
            path=("verdict",),
        )
    when = sv.parse_day(day, ("verdict", "evaluated_on"))

    def job() -> str:
        rs = svc.library.load(rs_id, on=when, version=version)
        return svc.library.to_json(rs.explain(rs.read_verdict(verdict), evidence))

    return sv.json_response(await sv.work(request, job))


def _explain_parts(data: Any) -> tuple[dict[str, Any], Any]:
    if not isinstance(data, dict) or not isinstance(data.get("verdict"), dict):
        raise FormatError(
            Bilingual(
                'expected {"verdict": {...}, "evidence": {...}}',
                'cần dạng {"verdict": {...}, "evidence": {...}}',
            ),
            path=("verdict",),
        )
    if "evidence" not in data:
        raise FormatError(
            Bilingual("the unit's evidence is missing", "thiếu dữ liệu của đơn vị"),
            path=("evidence",),
        )
    return data["verdict"], data["evidence"]
