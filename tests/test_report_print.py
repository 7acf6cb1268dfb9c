"""The printed results report in a real browser: a commune with every criterion met
prints on at most four A4 pages, each carrying the unit's name and its page number
(headless Chromium's print-to-PDF; skipped when no Chromium is on the machine)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zlib
from datetime import date
from pathlib import Path

import pytest

import emulation_rules as er
from emulation_rules.awards.report_html import css_string, report_html

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BROWSER = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)


def _stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    data = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
    return zlib.decompress(data) if b"/FlateDecode" in head else data


def _cmap(data: bytes) -> dict[bytes, str]:
    """A ToUnicode map: glyph code (hex) to text."""
    out: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[src.upper()] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        ranges = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
        for lo, hi, dst in ranges:
            for k in range(int(lo, 16), int(hi, 16) + 1):
                out[f"{k:0{len(lo)}X}".encode()] = chr(int(dst, 16) + k - int(lo, 16))
    return out


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page of a PDF Chromium printed (Flate streams, fonts with
    ToUnicode maps, text in hex strings): enough to find a phrase on each page."""
    objs = {int(n): body for n, body in _OBJ.findall(pdf)}
    maps: dict[int, dict[bytes, str]] = {}

    def font_map(num: int) -> dict[bytes, str]:
        if num not in maps:
            ref = re.search(rb"/ToUnicode (\d+) 0 R", objs[num])
            maps[num] = _cmap(_stream(objs[int(ref.group(1))])) if ref else {}
        return maps[num]

    texts = []
    for body in objs.values():
        if not re.match(rb"<<\s*/Type /Page\b(?!s)", body):
            continue
        fonts = {name: int(num) for name, num in re.findall(rb"/(F\d+) (\d+) 0 R", body)}
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        data = _stream(objs[int(contents.group(1))]) if contents else b""
        current: dict[bytes, str] = {}
        out: list[str] = []
        for tok in re.finditer(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]*)>", data):
            if tok.group(1):
                current = font_map(fonts[tok.group(1)]) if tok.group(1) in fonts else {}
                continue
            code = tok.group(2).upper()
            width = len(next(iter(current))) if current else 2
            out += [current.get(code[i : i + width], "") for i in range(0, len(code), width)]
        texts.append("".join(out))
    return texts


def print_pdf(html: str, tmp_path: Path) -> bytes:
    """``html`` printed to PDF by headless Chromium (no browser header or footer)."""
    assert BROWSER is not None
    page, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return pdf.read_bytes()


def _report(lang: str = "vi") -> tuple[str, str]:
    rs = er.Library().load("typical-commune", on=date(2024, 12, 31))
    evidence = json.loads((EXAMPLES / "commune-all-met.json").read_text(encoding="utf-8"))
    verdict = rs.evaluate(evidence, explain=True)
    assert verdict.status is er.Status.ELIGIBLE and len(verdict.met) == 34
    return report_html(verdict, rs, lang=lang), evidence["unit_id"]


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine to print with")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_fully_met_commune_prints_on_four_pages_each_named_and_numbered(
    lang: str, tmp_path: Path
) -> None:
    html, unit = _report(lang)
    pdf = print_pdf(html, tmp_path)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert 2 <= pages <= 4  # it was 11 before the compact layout
    texts = page_texts(pdf)
    assert len(texts) == pages
    squeeze = re.compile(r"\s+")
    name = squeeze.sub("", unit)
    word = "Trang" if lang == "vi" else "Page"
    for number, text in enumerate(texts, start=1):
        flat = squeeze.sub("", text)
        assert name in flat, f"page {number} lacks the unit's name"
        of = f"{word}{number}/{pages}" if lang == "vi" else f"{word}{number}of{pages}"
        assert of in flat, f"page {number} lacks its number"
    # the summary comes first: the count of criteria met is on page 1
    assert squeeze.sub("", "Đạt 34/34" if lang == "vi" else "34 of 34") in squeeze.sub("", texts[0])


def test_the_footer_names_the_unit_in_a_css_string_that_cannot_escape() -> None:
    html, unit = _report()
    assert f"content: {css_string(unit)};" in html
    assert css_string('a"b\\c</style>') == '"a\\22 b\\5c c\\3c /style\\3e "'
    style = html[html.index("<style>") : html.index("</style>")]
    assert 'counter(page) "/" counter(pages)' in style


def test_short_rows_are_kept_whole_long_ones_may_split() -> None:
    html, _ = _report()
    found = re.findall(r'<tr class="([a-z_ ]+)" id="criterion-(\d+)"', html)
    classes = {cid: cls for cls, cid in found}
    assert len(classes) == 34
    assert classes["16"] == "met"  # one short line: kept whole
    assert classes["10"] == "met long"  # ten facts: may split across pages
    assert "tr { break-inside: avoid; }" in html and "tr.long { break-inside: auto; }" in html
