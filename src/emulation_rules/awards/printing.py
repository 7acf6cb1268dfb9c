"""The printable allocation and decision: Markdown and self-contained HTML an officer reads.

:func:`allocation_markdown` / :func:`allocation_html` print a unit's allocation (its
proposal); :func:`decision_markdown` / :func:`decision_html` print the authority's
decision over every proposal. Both go through one view (:class:`PrintedAllocation`): the
round's title, the date, the notes (whose cap it is), then one section per form of award
with its authority and its caps ("không quá 20"; none: "không giới hạn số lượng", never a
symbol), the candidates placed in it by rank, and last the candidates not placed, each by
name (the id only when it has none) with the reason. The HTML is printable on A4, with
inline CSS, no external asset, every text escaped, like the results report's.
"""

from __future__ import annotations

from html import escape

import attrs

from emulation_rules.awards.candidates import KIND_WORDS, CandidateKind
from emulation_rules.awards.caps import cap_text
from emulation_rules.awards.decision import Decision
from emulation_rules.awards.outcomes import Allocation, AllocationOutcome, CandidateAllocation
from emulation_rules.awards.plan_loading import AllocationRound
from emulation_rules.awards.report import check_lang
from emulation_rules.awards.report import markdown_text as _md
from emulation_rules.formatting import date_text, number_text
from emulation_rules.model.common import Text

__all__ = [
    "PrintedAllocation",
    "PrintedForm",
    "PrintedRow",
    "allocation_html",
    "allocation_markdown",
    "decision_html",
    "decision_markdown",
    "print_allocation",
    "print_decision",
]

_OUTCOME = {
    AllocationOutcome.PROPOSED: Text("Đề nghị", "Proposed"),
    AllocationOutcome.BEYOND_QUOTA: Text("Ngoài số lượng", "Beyond the cap"),
    AllocationOutcome.NOT_ELIGIBLE: Text("Không đủ điều kiện", "Not eligible"),
    AllocationOutcome.UNDETERMINED: Text("Chưa xác định", "Undetermined"),
}
_DECIDED = Text("Được khen thưởng", "Awarded")
_WORDS = {
    "proposal": Text("Danh sách đề nghị khen thưởng", "Proposed awards"),
    "decision": Text("Quyết định khen thưởng", "Award decision"),
    "unit": Text("Đơn vị đề nghị", "Proposing unit"),
    "units": Text("Các đơn vị đề nghị", "Proposing units"),
    "authority": Text("Cấp quyết định", "Decided by"),
    "judged": Text("Xét ngày", "Judged on"),
    "campaign": Text("Phong trào", "Campaign"),
    "not_placed": Text("Không được đề nghị", "Not proposed"),
    "not_awarded": Text("Không được khen thưởng", "Not awarded"),
    "rank": Text("Hạng", "Rank"),
    "name": Text("Tập thể, cá nhân", "Collective or individual"),
    "kind": Text("Loại", "Kind"),
    "outcome": Text("Kết quả", "Outcome"),
    "reason": Text("Lý do", "Reason"),
    "cap": Text("Số lượng", "Cap"),
    "eligible": Text("đủ điều kiện", "eligible"),
    "none": Text("Không có.", "None."),
}


@attrs.frozen
class PrintedRow:
    """One candidate as printed: rank (``3/27`` or empty), name, kind, outcome, reason."""

    rank: str
    name: str
    kind: str
    outcome: str
    reason: str


@attrs.frozen
class PrintedForm:
    """One form of award as printed: its award, authority, one cap line per kind, and the
    candidates placed in it by rank."""

    award: str
    authority: str
    caps: tuple[str, ...]
    rows: tuple[PrintedRow, ...]


@attrs.frozen
class PrintedAllocation:
    """The whole page in one language: title, subtitle, header lines (label, value), the
    notes, the forms, and the candidates not placed in any form."""

    lang: str
    title: str
    subtitle: str
    meta: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    forms: tuple[PrintedForm, ...]
    not_placed_head: str
    not_placed: tuple[PrintedRow, ...]


def print_allocation(
    result: Allocation,
    *,
    lang: str = "vi",
    round: AllocationRound | None = None,
    unit: str | None = None,
) -> PrintedAllocation:
    """The printable view of a unit's allocation (a proposal when its notes say the cap is
    a higher authority's). ``round`` (the :class:`AllocationRound` allocated) gives the
    round's and the campaign's titles in words, ``unit`` the unit's name; both optional."""
    check_lang(lang)
    meta = [(_WORDS["campaign"].get(lang), _campaign(result, round, lang))]
    if unit:
        meta.insert(0, (_WORDS["unit"].get(lang), unit))
    meta.append((_WORDS["judged"].get(lang), date_text(result.evaluated_on, lang)))
    return _view(result, lang, _WORDS["proposal"].get(lang), round, meta, decided=False)


def print_decision(
    decision: Decision, *, lang: str = "vi", round: AllocationRound | None = None
) -> PrintedAllocation:
    """The printable view of an authority's decision over every proposal it received."""
    check_lang(lang)
    result = decision.allocation
    meta = [
        (_WORDS["authority"].get(lang), decision.authority_name.get(lang)),
        (_WORDS["units"].get(lang), ", ".join(u.label for u in decision.units)),
        (_WORDS["campaign"].get(lang), _campaign(result, round, lang)),
        (_WORDS["judged"].get(lang), date_text(result.evaluated_on, lang)),
    ]
    return _view(result, lang, _WORDS["decision"].get(lang), round, meta, decided=True)


def _view(
    result: Allocation,
    lang: str,
    head: str,
    round: AllocationRound | None,
    meta: list[tuple[str, str]],
    *,
    decided: bool,
) -> PrintedAllocation:
    by_form: dict[str, list[CandidateAllocation]] = {f.form: [] for f in result.forms}
    rest: list[CandidateAllocation] = []
    for c in result.candidates:
        placed = c.outcome is AllocationOutcome.PROPOSED and c.form in by_form
        (by_form[c.form] if placed and c.form is not None else rest).append(c)
    first = result.forms[0].form if result.forms else None
    forms = tuple(
        PrintedForm(
            award=f.award.get(lang),
            authority=f.authority.get(lang),
            caps=tuple(_cap_line(t.kind, t.quota, t.eligible, t.proposed, lang) for t in f.tallies),
            rows=tuple(_row(c, lang, decided and f.form == first) for c in by_form[f.form]),
        )
        for f in result.forms
    )
    subtitle = (
        round.spec.title.get(lang) if round is not None else f"{result.round} ({result.review})"
    )
    return PrintedAllocation(
        lang=lang,
        title=head,
        subtitle=subtitle,
        meta=tuple(meta),
        notes=tuple(n.get(lang) for n in result.notes),
        forms=forms,
        not_placed_head=_WORDS["not_awarded" if decided else "not_placed"].get(lang),
        not_placed=tuple(_row(c, lang, False) for c in rest),
    )


def _cap_line(
    kind: CandidateKind, quota: int | None, eligible: int, proposed: int, lang: str
) -> str:
    words = KIND_WORDS[kind].get(lang)
    cap = cap_text(quota, lang)
    n_eligible, n_proposed = number_text(eligible, lang), number_text(proposed, lang)
    if lang == "vi":
        head = f"{words.capitalize()}: số lượng {cap}"
        return f"{head}; {n_eligible} đủ điều kiện, {n_proposed} được chọn"
    return f"{words.capitalize()}: {cap}; {n_eligible} eligible, {n_proposed} chosen"


def _row(c: CandidateAllocation, lang: str, decided: bool) -> PrintedRow:
    outcome = _DECIDED if decided else _OUTCOME[c.outcome]
    rank = f"{c.rank}/{c.of}" if c.rank is not None and c.of is not None else ""
    kind = "tập thể" if c.kind is CandidateKind.COLLECTIVE else "cá nhân"
    if lang != "vi":
        kind = c.kind.value
    return PrintedRow(rank, c.name or c.id, kind, outcome.get(lang), c.reason.get(lang))


def _campaign(result: Allocation, round: AllocationRound | None, lang: str) -> str:
    """The campaign's title in words when the round is at hand, else its id."""
    if round is None or round.campaign.id != result.campaign:
        return result.campaign
    return round.campaign.spec.title.get(lang)


# -- Markdown ------------------------------------------------------------------------------
def to_markdown(view: PrintedAllocation) -> str:
    """The view as GitHub-flavoured Markdown: header, notes, one table per form, the
    candidates not placed."""
    lang = view.lang
    out = [f"# {_md(view.title)}", "", f"_{_md(view.subtitle)}_", ""]
    out += [f"- **{_md(k)}:** {_md(v)}" for k, v in view.meta]
    out.append("")
    out += [f"> {_md(n)}\n" for n in view.notes]
    for f in view.forms:
        out += [f"## {_md(f.award)}", "", f"_{_md(f.authority)}_", ""]
        out += [f"- {_md(c)}" for c in f.caps]
        out += ["", *_md_table(f.rows, lang)]
    out += [f"## {_md(view.not_placed_head)}", "", *_md_table(view.not_placed, lang)]
    return "\n".join(out).rstrip("\n") + "\n"


def _md_table(rows: tuple[PrintedRow, ...], lang: str) -> list[str]:
    if not rows:
        return [_WORDS["none"].get(lang), ""]
    heads = [_WORDS[k].get(lang) for k in ("rank", "name", "kind", "outcome", "reason")]
    out = ["| " + " | ".join(heads) + " |", "|---:|---|---|---|---|"]
    out += [
        f"| {_md(r.rank)} | {_md(r.name)} | {_md(r.kind)} | **{_md(r.outcome)}** "
        f"| {_md(r.reason)} |"
        for r in rows
    ]
    return [*out, ""]


# -- HTML ----------------------------------------------------------------------------------
_CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Noto Serif", "DejaVu Serif", serif; font-size: 12pt;
  color: #111; margin: 0 auto; max-width: 1100px; padding: 24px 28px; line-height: 1.35; }
h1 { font-size: 16pt; text-align: center; text-transform: uppercase; margin: 0 0 4px; }
.subtitle { text-align: center; font-style: italic; margin: 0 0 16px; }
h2 { font-size: 13pt; margin: 20px 0 4px; border-bottom: 1px solid #444; padding-bottom: 2px; }
.authority { font-style: italic; margin: 0 0 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 12px; margin: 0 0 8px; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
.note { border: 2px solid #8a6d00; background: #fdf8e6; padding: 8px 12px; margin: 10px 0; }
ul.caps { margin: 2px 0 8px; padding-left: 1.2em; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; }
th, td { border: 1px solid #777; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e8e8e8; }
td.rank { text-align: right; width: 4.5em; white-space: nowrap; }
td.outcome { width: 8em; font-weight: bold; }
td.kind { white-space: nowrap; }
tr { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } }
""".strip()


_COLS = (
    '<colgroup><col style="width:7%"><col style="width:24%"><col style="width:9%">'
    '<col style="width:13%"><col style="width:47%"></colgroup>'
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def to_html(view: PrintedAllocation) -> str:
    """The view as one self-contained, printable HTML page (inline CSS, no external asset,
    every text escaped)."""
    lang = view.lang
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        '<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(view.title)} — {_e(view.subtitle)}</title>",
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>",
        f"<h1>{_e(view.title)}</h1>",
        f'<p class="subtitle">{_e(view.subtitle)}</p>',
        '<dl class="meta">',
        *(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in view.meta),
        "</dl>",
        *(f'<p class="note">{_e(n)}</p>' for n in view.notes),
    ]
    for f in view.forms:
        out += [f"<h2>{_e(f.award)}</h2>", f'<p class="authority">{_e(f.authority)}</p>']
        out += ['<ul class="caps">', *(f"<li>{_e(c)}</li>" for c in f.caps), "</ul>"]
        out += _html_table(f.rows, lang)
    out += [f"<h2>{_e(view.not_placed_head)}</h2>", *_html_table(view.not_placed, lang)]
    return "\n".join([*out, "</body>", "</html>"]) + "\n"


def _html_table(rows: tuple[PrintedRow, ...], lang: str) -> list[str]:
    if not rows:
        return [f"<p>{_e(_WORDS['none'].get(lang))}</p>"]
    heads = [_WORDS[k].get(lang) for k in ("rank", "name", "kind", "outcome", "reason")]
    out = ["<table>", _COLS]
    out.append("<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead>")
    out.append("<tbody>")
    out += [
        f'<tr><td class="rank">{_e(r.rank)}</td><td>{_e(r.name)}</td>'
        f'<td class="kind">{_e(r.kind)}</td>'
        f'<td class="outcome">{_e(r.outcome)}</td><td>{_e(r.reason)}</td></tr>'
        for r in rows
    ]
    return [*out, "</tbody>", "</table>"]


# -- one call each -------------------------------------------------------------------------
def allocation_markdown(
    result: Allocation,
    *,
    lang: str = "vi",
    round: AllocationRound | None = None,
    unit: str | None = None,
) -> str:
    """A unit's allocation as Markdown."""
    return to_markdown(print_allocation(result, lang=lang, round=round, unit=unit))


def allocation_html(
    result: Allocation,
    *,
    lang: str = "vi",
    round: AllocationRound | None = None,
    unit: str | None = None,
) -> str:
    """A unit's allocation as one printable HTML page."""
    return to_html(print_allocation(result, lang=lang, round=round, unit=unit))


def decision_markdown(
    decision: Decision, *, lang: str = "vi", round: AllocationRound | None = None
) -> str:
    """An authority's decision as Markdown."""
    return to_markdown(print_decision(decision, lang=lang, round=round))


def decision_html(
    decision: Decision, *, lang: str = "vi", round: AllocationRound | None = None
) -> str:
    """An authority's decision as one printable HTML page."""
    return to_html(print_decision(decision, lang=lang, round=round))
