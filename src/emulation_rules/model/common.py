"""Small shared value classes: bilingual text and citations."""

from __future__ import annotations

from datetime import date

import attrs


@attrs.frozen
class Text:
    """A text in Vietnamese and English; Vietnamese comes first."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``vi`` or ``en``)."""
        return self.en if lang == "en" else self.vi


@attrs.frozen
class OfficialText:
    """The official wording of a criterion: Vietnamese, with an optional English version."""

    vi: str
    en: str | None = None


@attrs.frozen
class Citation:
    """Where a rule, a parameter or a value comes from.

    ``document`` is the number of the legal text (``9475/QĐ-BCA-V05``), ``part`` the annex,
    article or section (``Phụ lục I, Tiêu chí 18``); ``also_cited_as`` records other numbers
    the same text is printed or cited under, and ``note`` how a discrepancy was read.
    """

    document: str
    date: date | None = None
    issuer: str | None = None
    title: str | None = None
    part: str | None = None
    also_cited_as: tuple[str, ...] = ()
    quoted_in: str | None = None
    note: str | None = None

    def render(self) -> str:
        """One line, as an officer would cite it."""
        parts = [self.document]
        if self.date is not None:
            parts.append(f"ngày {self.date.day:02d}/{self.date.month:02d}/{self.date.year}")
        if self.issuer:
            parts.append(f"({self.issuer})")
        out = " ".join(parts)
        if self.part:
            out += f", {self.part}"
        return out
