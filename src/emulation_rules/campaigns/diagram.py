"""The lifecycle of a campaign as a diagram: Mermaid (``stateDiagram-v2``) or DOT text
(no graphviz binary needed to produce either)."""

from __future__ import annotations

import re

from emulation_rules.campaigns.definition import CampaignDefinition
from emulation_rules.campaigns.lifecycle import CANCELLED, DRAFT

_SAFE = re.compile(r"[^A-Za-z0-9_]")


def _edges(definition: CampaignDefinition) -> list[tuple[str, str, str]]:
    """(source, dest, trigger) of every state-changing transition, grouped for reading."""
    seen: dict[tuple[str, str], list[str]] = {}
    for t in definition.lifecycle.transitions:
        dest = t["dest"]
        if dest is None:
            continue
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        for source in sources:
            if dest == CANCELLED and source != DRAFT:
                continue
            triggers = seen.setdefault((source, dest), [])
            if t["trigger"] not in triggers:
                triggers.append(t["trigger"])
    return [(s, d, " / ".join(ts)) for (s, d), ts in seen.items()]


def _node(name: str) -> str:
    return _SAFE.sub("_", name)


def to_mermaid(definition: CampaignDefinition) -> str:
    """A Mermaid state diagram. ``cancelled`` is reachable from every state before
    ``closed``; one edge from ``draft`` stands for all of them, with a note."""
    lines = ["stateDiagram-v2", f"    [*] --> {_node(DRAFT)}"]
    for name in definition.lifecycle.states:
        lines.append(f'    state "{name}" as {_node(name)}')
    for source, dest, label in _edges(definition):
        lines.append(f"    {_node(source)} --> {_node(dest)}: {label}")
    lines.append("    closed --> [*]")
    lines.append("    cancelled --> [*]")
    lines.append("    note right of cancelled: cancel is possible from every state before closed")
    return "\n".join(lines) + "\n"


def to_dot(definition: CampaignDefinition) -> str:
    """A DOT digraph of the lifecycle."""
    lines = [f'digraph "{definition.id}" {{', "    rankdir=LR;", "    node [shape=box];"]
    for name in definition.lifecycle.states:
        lines.append(f'    {_node(name)} [label="{name}"];')
    for source, dest, label in _edges(definition):
        lines.append(f'    {_node(source)} -> {_node(dest)} [label="{label}"];')
    lines.append('    cancelled [style=dashed, xlabel="from every state before closed"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
