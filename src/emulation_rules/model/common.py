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


DOCUMENT_KINDS = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "CV": "Công văn",
    "QĐi": "Quy định",
}
"""The kind of a legal text by the code in its number (``9475/QĐ-BCA-V05``: Quyết định)."""


def document_kind(document: str) -> str:
    """``Quyết định`` for ``9475/QĐ-BCA-V05``, ``Kế hoạch`` for ``…/KH-BCĐ`` or ``KH-UBND``;
    empty when the number has no known code, or already names its kind."""
    if document.startswith(tuple(DOCUMENT_KINDS.values())):
        return ""
    for part in document.replace("/", " ").split():
        code = part.split("-", 1)[0]
        if code in DOCUMENT_KINDS and "-" in part:
            return DOCUMENT_KINDS[code]
    return ""


@attrs.frozen
class PrintedAs:
    """Another number the same source prints for the document, and where it prints it
    (``9745`` in ``phần II`` / ``part II``)."""

    number: str
    where: Text


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
    printed_elsewhere: tuple[PrintedAs, ...] = ()

    def render(self, lang: str = "vi") -> str:
        """One line, as an officer would cite it: the kind of text first (``Quyết định số
        9475/QĐ-BCA-V05 ngày 28/12/2022``), read from the number's code (:func:`document_kind`).
        Where the source prints another number too (``printed_elsewhere``), both are shown:
        ``9475/QĐ-BCA-V05 (in ở phần II là 9745)`` in vi, ``(printed 9745 in part II)`` in en."""
        kind = document_kind(self.document)
        number = "số " if "/" in self.document else ""
        parts = [f"{kind} {number}{self.document}" if kind else self.document]
        for other in self.printed_elsewhere:
            if lang == "en":
                parts.append(f"(printed {other.number} in {other.where.en})")
            else:
                parts.append(f"(in ở {other.where.vi} là {other.number})")
        if self.date is not None:
            parts.append(f"ngày {self.date.day:02d}/{self.date.month:02d}/{self.date.year}")
        if self.issuer:
            parts.append(f"({self.issuer})")
        out = " ".join(parts)
        if self.part:
            out += f", {self.part}"
        return out
