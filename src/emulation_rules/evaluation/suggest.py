"""Suggestions ("did you mean …?") for unknown facts, in microseconds.

:class:`Suggester` answers exactly what ``difflib.get_close_matches(word, names, n=1)``
answers (the same name, or none), without comparing the word with every name: the names
are indexed once per rule set (by length, and by which characters they hold how many
times), and a name is compared in full only when its upper bounds (difflib's own
``real_quick_ratio`` and ``quick_ratio``, computed here from the index) say it could
still beat the best match found so far. Answers are remembered per word (a host whose
export misspells a fact sends the same word unit after unit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

CUTOFF = 0.6
"""difflib's default: a name must be at least this similar to be suggested."""

_MEMO_LIMIT = 4096


def _levels(word: str, bits: dict[str, int], width: int) -> int:
    """The characters of ``word`` as one bit mask: its ``j``-th block of ``width`` bits
    holds the characters found more than ``j`` times (characters outside ``bits`` are left
    out). Two words' masks ANDed have as many bits set as the words have characters in
    common, counted with multiplicity (what difflib's ``quick_ratio`` counts)."""
    mask = 0
    for char, count in Counter(word).items():
        bit = bits.get(char)
        if bit is not None:
            for j in range(count):
                mask |= bit << (j * width)
    return mask


def _common_subsequence(name: str, positions: dict[str, int], length: int) -> int:
    """The length of the longest common subsequence of ``name`` and the word whose
    characters are at the bit ``positions`` (bit-parallel, Hyyrö 2004): a bound on the
    matches difflib's ``ratio`` finds, whose matching blocks are a common subsequence."""
    full = (1 << length) - 1
    v = full
    for char in name:
        u = v & positions.get(char, 0)
        v = ((v + u) | (v - u)) & full
    return length - v.bit_count()


def _ratio(matches: int, total: int) -> float:
    """difflib's ``_calculate_ratio``."""
    return 2.0 * matches / total if total else 1.0


class Suggester:
    """The closest of some names to a word, as ``difflib.get_close_matches(word, names,
    n=1)`` picks it. Safe to share between threads (the memo only ever gains entries that
    any thread would compute alike)."""

    def __init__(self, names: Iterable[str]) -> None:
        unique = sorted(set(names))
        alphabet = sorted({c for name in unique for c in name})
        self._bits = {c: 1 << i for i, c in enumerate(alphabet)}
        self._width = len(alphabet)
        by_length: dict[int, list[tuple[str, int]]] = {}
        for name in unique:
            by_length.setdefault(len(name), []).append(
                (name, _levels(name, self._bits, self._width))
            )
        self._by_length = by_length
        self._memo: dict[str, str | None] = {}

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_memo": {}}

    def suggest(self, word: str) -> str | None:
        """The name closest to ``word`` with a similarity of at least 0.6, or ``None``."""
        memo = self._memo
        if word in memo:
            return memo[word]
        found = self._search(word)
        if len(memo) < _MEMO_LIMIT:
            memo[word] = found
        return found

    def _search(self, word: str) -> str | None:
        lw = len(word)
        levels = _levels(word, self._bits, self._width)
        matcher = SequenceMatcher(None, "", word)  # b = the word, as difflib sets it
        positions: dict[str, int] = {}
        for i, char in enumerate(word):
            positions[char] = positions.get(char, 0) | 1 << i
        # lengths ordered by their bound real_quick_ratio, the highest first
        lengths = sorted(self._by_length, key=lambda lx: _ratio(min(lw, lx), lw + lx), reverse=True)
        best_score, best_name = -1.0, ""
        for lx in lengths:
            bound = _ratio(min(lw, lx), lw + lx)
            if bound < CUTOFF or bound < best_score:
                break
            floor = max(CUTOFF, best_score)
            for name, name_levels in self._by_length[lx]:
                if _ratio((levels & name_levels).bit_count(), lw + lx) < floor:
                    continue
                if _ratio(_common_subsequence(name, positions, lw), lw + lx) < floor:
                    continue
                matcher.set_seq1(name)
                score = matcher.ratio()
                if score >= CUTOFF and (score, name) > (best_score, best_name):
                    best_score, best_name = score, name
        return best_name if best_score >= CUTOFF else None
