"""Laws a host can assert in one line each, with evidence from ``testing.evidence``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulation_rules.evaluation.ruleset import RuleSet
from emulation_rules.expr import typed as t
from emulation_rules.loading.definition import CheckedCriterion
from emulation_rules.model.converter import from_json, to_json
from emulation_rules.model.kinds import kind
from emulation_rules.model.ruleset import Direction, FactSpec, PolicyKind
from emulation_rules.model.verdict import CriterionStatus, Status, Verdict

_MET, _NOT_MET = CriterionStatus.MET, CriterionStatus.NOT_MET


def assert_deterministic(ruleset: RuleSet, evidence: Mapping[str, Any]) -> None:
    """Evaluating twice gives equal verdicts, and the fast and explained paths agree."""
    for explain in (False, True):
        first = ruleset.evaluate(dict(evidence), explain=explain)
        again = ruleset.evaluate(dict(evidence), explain=explain)
        assert again == first, f"two evaluations differ (explain={explain})"
        assert to_json(again) == to_json(first)
    brief, full = ruleset.evaluate(dict(evidence)), ruleset.evaluate(dict(evidence), explain=True)
    assert _statuses(brief) == _statuses(full), "the fast and explained paths disagree"
    assert (brief.status, brief.level, brief.points) == (full.status, full.level, full.points)


def assert_json_round_trip(ruleset: RuleSet, evidence: Mapping[str, Any]) -> None:
    """A verdict survives ``to_json``/``from_json`` exactly, with and without explanations."""
    for explain in (False, True):
        verdict = ruleset.evaluate(dict(evidence), explain=explain)
        text = to_json(verdict)
        back = from_json(text, Verdict)
        assert back == verdict, "the verdict read back from JSON differs"
        assert to_json(back) == text, "the JSON of the verdict read back differs"


def assert_missing_never_met(
    ruleset: RuleSet, evidence: Mapping[str, Any], *, strict: bool = False
) -> None:
    """Removing a fact a criterion requires never leaves that criterion met, unless the
    fact is declared ``optional``.

    A criterion *requires* the facts its condition reads outside any disjunction (``or``,
    ``not (… and …)``, the branches of ``if``): Kleene logic rightly meets ``a or b`` with
    ``a`` true and ``b`` missing. ``strict=True`` checks every fact the criterion reads.
    """
    facts = ruleset.facts
    for name in evidence:
        if name not in facts or facts[name].optional:
            continue
        less = {k: v for k, v in evidence.items() if k != name}
        verdict = ruleset.evaluate(less)
        for crit, result in zip(ruleset.criteria, verdict.criteria, strict=True):
            reads = crit.facts if strict else required_facts(crit)
            if name in reads:
                assert result.status is not _MET, (
                    f"criterion {crit.id} is met without the fact {name!r} it reads"
                )


def assert_monotonic(ruleset: RuleSet, evidence: Mapping[str, Any]) -> None:
    """Improving a fact in its declared ``better`` direction never turns a met criterion
    into not met, nor an eligible unit into a not eligible one."""
    base = ruleset.evaluate(dict(evidence))
    for name, spec in ruleset.facts.items():
        if spec.better is None or evidence.get(name) is None:
            continue
        for better in _improvements(spec, evidence[name], ruleset):
            verdict = ruleset.evaluate({**evidence, name: better})
            for before, after in zip(base.criteria, verdict.criteria, strict=True):
                if before.status is _MET:
                    assert after.status is not _NOT_MET, (
                        f"criterion {before.id} went from met to not met when {name} "
                        f"improved from {evidence[name]!r} to {better!r}"
                    )
            if base.status is Status.ELIGIBLE:
                assert verdict.status is not Status.NOT_ELIGIBLE, (
                    f"eligible became not eligible when {name} improved to {better!r}"
                )


def assert_satisfying(ruleset: RuleSet, evidence: Mapping[str, Any]) -> None:
    """Every criterion is met and the unit is eligible."""
    verdict = ruleset.evaluate(dict(evidence))
    not_met = [c.id for c in verdict.criteria if c.status is not _MET]
    assert not not_met, f"criteria not met: {not_met}"
    assert verdict.status is Status.ELIGIBLE, f"status is {verdict.status.value}"


def assert_violating_only(ruleset: RuleSet, evidence: Mapping[str, Any], criterion_id: str) -> None:
    """``criterion_id`` is not met, every other criterion (and prerequisite) is met."""
    verdict = ruleset.evaluate(dict(evidence))
    assert verdict.criterion(criterion_id).status is _NOT_MET, f"{criterion_id} is not violated"
    others = [c.id for c in verdict.criteria if c.id != criterion_id and c.status is not _MET]
    assert not others, f"other criteria not met: {others}"
    failed = [p.name for p in verdict.prerequisites if p.status is not Status.ELIGIBLE]
    assert not failed, f"prerequisites not eligible: {failed}"


def kept_criteria(base: RuleSet, overlay: RuleSet) -> frozenset[str]:
    """The criteria ``overlay`` keeps from ``base``: same id, same condition and lets
    (their parameters may differ: an overlay may tighten them)."""
    ours = {c.id: c.spec for c in overlay.criteria}
    return frozenset(
        c.id
        for c in base.criteria
        if c.id in ours and (ours[c.id].condition, ours[c.id].let) == (c.spec.condition, c.spec.let)
    )


def assert_refines(base: RuleSet, overlay: RuleSet, evidence: Mapping[str, Any]) -> None:
    """An overlay that only adds criteria or tightens parameters never accepts what its
    base rejects: every criterion it keeps (:func:`kept_criteria`) that the base finds
    not met, the overlay finds not met too, and then (under an ``all`` policy) the
    overlay's unit is not eligible. Criteria the overlay replaces are its own business.
    ``evidence`` is the overlay's; the base reads the facts it knows."""
    own = {k: v for k, v in evidence.items() if k in base.facts}
    before = base.evaluate(own)
    after = overlay.evaluate(dict(evidence))
    statuses = {c.id: c.status for c in after.criteria}
    kept = kept_criteria(base, overlay)
    rejected = [c.id for c in before.criteria if c.id in kept and c.status is _NOT_MET]
    for cid in rejected:
        assert statuses[cid] is _NOT_MET, (
            f"{overlay.id} accepts criterion {cid} ({statuses[cid].value}), which its base "
            f"{base.id} finds not met: a parameter was loosened"
        )
    if rejected and overlay.definition.policy.kind is PolicyKind.ALL:
        assert after.status is Status.NOT_ELIGIBLE, (
            f"{overlay.id} finds the unit {after.status.value} though {base.id} rejects "
            f"criteria it keeps: {rejected}"
        )


def required_facts(crit: CheckedCriterion) -> frozenset[str]:
    """The facts without which ``crit`` cannot be met (read outside any disjunction)."""
    lets = dict(crit.lets)
    out: set[str] = set()

    def strong(node: t.Expr, positive: bool) -> None:
        match node:
            case t.And(items=items) if positive:
                for item in items:
                    strong(item, positive)
            case t.Or(items=items) if not positive:
                for item in items:
                    strong(item, positive)
            case t.And() | t.Or():
                return
            case t.Not(operand=operand):
                strong(operand, not positive)
            case _:
                value(node)

    def value(node: t.Expr) -> None:
        match node:
            case t.FactRef(name=name):
                out.add(name)
            case t.LocalRef(name=name) if name in lets:
                value(lets[name])
            case t.Cond(cond=cond):
                strong(cond, True)
            case t.And() | t.Or() | t.Not():
                strong(node, True)
            case t.Aggregate(iterable=iterable):
                value(iterable)
            case _:
                for child in t.children(node):
                    value(child)

    strong(crit.condition, True)
    return frozenset(out)


def _statuses(verdict: Verdict) -> list[tuple[str, CriterionStatus, tuple[str, ...]]]:
    return [(c.id, c.status, c.missing) for c in verdict.criteria]


def _improvements(spec: FactSpec, value: Any, ruleset: RuleSet) -> list[Any]:
    """Values better than ``value`` in the fact's ``better`` direction, within bounds."""
    up = spec.better is Direction.HIGHER
    return kind(spec.type).improvements(spec, value, up, ruleset.enumerations)


__all__ = [
    "assert_deterministic",
    "assert_json_round_trip",
    "assert_missing_never_met",
    "assert_monotonic",
    "assert_refines",
    "assert_satisfying",
    "assert_violating_only",
    "kept_criteria",
    "required_facts",
]
