"""The lifecycle of a campaign as a diagram: Mermaid (``stateDiagram-v2``) or DOT text
(no graphviz binary needed to produce either).

States read as their names (a phase's or review's title in the plan, the fixed states'
words) in Vietnamese (default) or English (the ids); edges as the steps' words. Given an
instance's ``current`` state, that state is highlighted (Mermaid ``classDef current``,
DOT a filled bold box).
"""

from __future__ import annotations

import re

from emulation_rules.campaigns.definition import CANCELLED, CLOSED, DRAFT, CampaignDefinition
from emulation_rules.campaigns.lifecycle import lifecycle_of
from emulation_rules.campaigns.wording import state_text
from emulation_rules.errors import CampaignError

_SAFE = re.compile(r"[^A-Za-z0-9_]")
HIGHLIGHT = "#ffd54f"
"""The fill colour of the current state."""


def _edges(definition: CampaignDefinition, lang: str) -> list[tuple[str, str, str]]:
    """(source, dest, label) of every state-changing transition, grouped for reading."""
    lifecycle = lifecycle_of(definition)
    seen: dict[tuple[str, str], list[str]] = {}
    for (trigger, source), edge in lifecycle.edges.items():
        dest = edge.dest
        if dest is None or (dest == CANCELLED and source != DRAFT):
            continue
        label = trigger if lang == "en" else lifecycle.steps[trigger].label.vi
        labels = seen.setdefault((source, dest), [])
        if label not in labels:
            labels.append(label)
    return [(s, d, " / ".join(ts)) for (s, d), ts in seen.items()]


def _node(name: str) -> str:
    return _SAFE.sub("_", name)


def _name(definition: CampaignDefinition, state: str, lang: str) -> str:
    text = state_text(definition, state).vi if lang == "vi" else state
    return text.replace('"', "'")


def _check(definition: CampaignDefinition, current: str | None) -> None:
    if current is not None and current not in definition.states:
        raise CampaignError(
            f"{definition.id} has no state {current!r}",
            message_vi=f"{definition.id} không có trạng thái {current!r}",
        )


def to_mermaid(
    definition: CampaignDefinition, *, lang: str = "vi", current: str | None = None
) -> str:
    """A Mermaid state diagram (``current``: the state to highlight). ``cancelled`` is
    reachable from every state before ``closed``; one edge from ``draft`` stands for all
    of them, with a note."""
    _check(definition, current)
    lines = ["stateDiagram-v2", f"    [*] --> {_node(DRAFT)}"]
    for name in definition.states:
        lines.append(f'    state "{_name(definition, name, lang)}" as {_node(name)}')
    for source, dest, label in _edges(definition, lang):
        lines.append(f"    {_node(source)} --> {_node(dest)}: {label}")
    lines.append(f"    {CLOSED} --> [*]")
    lines.append(f"    {CANCELLED} --> [*]")
    note = (
        "có thể hủy ở mọi trạng thái trước khi kết thúc"
        if lang == "vi"
        else "cancel is possible from every state before closed"
    )
    lines.append(f"    note right of {CANCELLED}: {note}")
    if current is not None:
        lines.append(f"    classDef current fill:{HIGHLIGHT},stroke:#e65100,stroke-width:3px")
        lines.append(f"    class {_node(current)} current")
    return "\n".join(lines) + "\n"


def to_dot(definition: CampaignDefinition, *, lang: str = "vi", current: str | None = None) -> str:
    """A DOT digraph of the lifecycle (``current``: the state to highlight)."""
    _check(definition, current)
    lines = [f'digraph "{definition.id}" {{', "    rankdir=LR;", "    node [shape=box];"]
    for name in definition.states:
        style = f', style="filled,bold", fillcolor="{HIGHLIGHT}"' if name == current else ""
        lines.append(f'    {_node(name)} [label="{_name(definition, name, lang)}"{style}];')
    for source, dest, label in _edges(definition, lang):
        lines.append(f'    {_node(source)} -> {_node(dest)} [label="{label}"];')
    note = (
        "hủy được từ mọi trạng thái trước khi kết thúc"
        if lang == "vi"
        else ("from every state before closed")
    )
    lines.append(f'    {CANCELLED} [xlabel="{note}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
