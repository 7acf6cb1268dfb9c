"""What the officer has to do after an evaluation ("Việc cần làm"): the data to supply
(the facts missing, named by their labels, with the criteria waiting for them) and, per
criterion not met, what would pass it and how much is short (the "Cần: …" part of its
reason: ``Số vụ … không quá 38 vụ (đang vượt 2 vụ)``).

The CLI's ``evaluate`` prints it after the criteria; the printed results report has it
too. A unit with every criterion met has nothing to do (an empty list).
"""

from __future__ import annotations

from collections.abc import Mapping

from emulation_rules.evaluation.wording import lower_first, missing_names
from emulation_rules.model.common import Text
from emulation_rules.model.ruleset import CRITERIA_WORDS, FactSpec, ItemWords
from emulation_rules.model.verdict import CriterionStatus, Verdict

__all__ = ["TO_DO_HEADING", "to_do"]

TO_DO_HEADING = Text("Việc cần làm", "To do")
"""The heading of the list."""

_NEEDED = {"vi": " Cần: ", "en": " Needed: "}


def _fact_name(name: str, facts: Mapping[str, FactSpec], lang: str) -> str:
    """A missing fact by its label (a record field, ``teams[2].good_deeds``, by its field's
    and its record's labels)."""
    if lang == "vi":
        return missing_names([name], facts, "vi")[0]
    head, sep, rest = name.partition("[")
    spec = facts.get(head)
    if spec is None:
        return name
    if not sep:
        return spec.label.en
    index, _, field = rest.partition("].")
    sub = (spec.fields or {}).get(field)
    item = int(index) + 1 if index.isdigit() else index
    return f"{sub.label.en if sub is not None else field} (item {item} of “{spec.label.en}”)"


def _supply(
    verdict: Verdict, facts: Mapping[str, FactSpec], words: ItemWords, lang: str
) -> list[str]:
    """One line per missing fact, in the order the criteria need them."""
    waiting: dict[str, list[str]] = {}
    for c in verdict.criteria:
        for name in c.missing:
            waiting.setdefault(name, []).append(c.id)
    lines = []
    for name, ids in waiting.items():
        which = f"{words.plural.get(lang)} {', '.join(ids)}"
        if lang == "vi":
            lines.append(f"Bổ sung số liệu: {_fact_name(name, facts, lang)} (cho {which}).")
        else:
            lines.append(f"Supply: {_fact_name(name, facts, lang)} (for {which}).")
    return lines


def _short(verdict: Verdict, titles: Mapping[str, Text], words: ItemWords, lang: str) -> list[str]:
    """One line per criterion not met: what would pass it, or (without a requirement on
    single facts) a pointer to its reason."""
    lines = []
    for c in verdict.criteria:
        if c.status is not CriterionStatus.NOT_MET:
            continue
        head = f"{words.name.get(lang)} {c.id}"
        if c.id in titles:
            head += f" ({titles[c.id].get(lang)})"
        _, sep, needed = c.reason.get(lang).partition(_NEEDED[lang])
        if sep:
            what = lower_first(needed.rstrip(".")) if lang == "vi" else needed.rstrip(".")
            lines.append(f"{head}: cần {what}." if lang == "vi" else f"{head}: needed {what}.")
        else:
            lines.append(
                f"{head}: chưa đạt, khắc phục theo lý do đã nêu."
                if lang == "vi"
                else f"{head}: not met, see its reason."
            )
    return lines


def to_do(
    verdict: Verdict,
    facts: Mapping[str, FactSpec],
    *,
    lang: str = "vi",
    titles: Mapping[str, Text] | None = None,
    words: ItemWords = CRITERIA_WORDS,
) -> list[str]:
    """What the officer has to do for ``verdict``, one sentence a line: the data to
    supply (``facts``: the rule set's, for their labels), then what each criterion not
    met needs (``titles``: the criteria's titles by id, to name them). Empty when every
    criterion is met."""
    return _supply(verdict, facts, words, lang) + _short(verdict, titles or {}, words, lang)
