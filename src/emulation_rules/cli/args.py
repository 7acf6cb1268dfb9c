"""Argument types and input shared by the command-line modules."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from emulation_rules.errors import (
    Bilingual,
    EmulationRulesError,
    ErrorLanguage,
    current_error_language,
)
from emulation_rules.fileio import os_reason
from emulation_rules.jsontext import loads
from emulation_rules.model.kinds.base import parse_iso_date


class UsageError(EmulationRulesError):
    """Bad input on the command line (a file that cannot be read or is not UTF-8, a bad
    date): ``main()`` prints it on one line and exits 2. JSON that does not parse is a
    :class:`~emulation_rules.errors.FormatError`, printed the same way."""


def _cannot_read(path: str, exc: OSError) -> Bilingual:
    """``cannot read <path>: <reason>``, in both languages."""
    reason = os_reason(exc)
    return Bilingual(f"cannot read {path}: {reason}", f"không đọc được {path}: {reason.vi}")


def _not_utf8(name: str) -> Bilingual:
    return Bilingual(f"{name} is not UTF-8 text", f"{name} không phải văn bản UTF-8")


def read_input(path: str) -> tuple[str, str]:
    """The name to quote a file by and its text: a file named on the command line, or
    ``-`` for standard input. A file that cannot be read, or is not UTF-8, is a
    :class:`UsageError` naming it."""
    if path == "-":
        try:
            return "stdin", sys.stdin.read()
        except UnicodeDecodeError:
            raise UsageError(_not_utf8("stdin")) from None
    try:
        return path, Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(_cannot_read(path, exc)) from None
    except UnicodeDecodeError:
        raise UsageError(_not_utf8(path)) from None


def read_lines(path: str, *, blank: bool = False) -> tuple[str, Iterator[tuple[int, str]]]:
    """The name to quote a file by and its lines, numbered from 1, read as a stream (one
    line in memory at a time): a file named on the command line, or ``-`` for standard
    input. Blank lines are left out unless ``blank``; each line keeps its end of line.
    A file that cannot be opened is a :class:`UsageError` at once; bytes that are not
    UTF-8 are one when the lines reach them."""
    if path == "-":
        return "stdin", _numbered(sys.stdin, "stdin", blank)
    try:
        stream = Path(path).open(encoding="utf-8")  # noqa: SIM115 - closed by _numbered
    except OSError as exc:
        raise UsageError(_cannot_read(path, exc)) from None
    return path, _numbered(stream, path, blank, close=True)


def _numbered(
    stream: TextIO, name: str, blank: bool, *, close: bool = False
) -> Iterator[tuple[int, str]]:
    try:
        for n, line in enumerate(stream, start=1):
            if blank or line.strip():
                yield n, line
    except UnicodeDecodeError:
        raise UsageError(_not_utf8(name)) from None
    finally:
        if close:
            stream.close()


def positive_int(text: str) -> int:
    """An argparse ``type``: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a whole number >= 1: {text!r}")
    return n


def iso_date(text: str) -> date:
    """An argparse ``type``: a date written ``YYYY-MM-DD`` or as Vietnamese documents
    write it, ``dd/mm/yyyy`` (``31/12/2024``, ``9/4/2024``); anything else is a usage
    error (exit 2) that argparse reports with the option's name."""
    day = parse_iso_date(text.strip())
    if day is None:
        match = _DMY.fullmatch(text.strip())
        if match is not None:
            try:
                day = date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                day = None
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD or dd/mm/yyyy: {text!r}") from None
    return day


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_json(text: str, where: str, *, line: int | None = None) -> Any:
    """Parse JSON by the library's one reader, :func:`emulation_rules.jsontext.loads`
    (decimals exact; NaN, Infinity, duplicate keys, deep nesting, huge integers and lone
    surrogates refused; a byte order mark dropped). Bad text is a
    :class:`~emulation_rules.errors.FormatError` naming ``where`` (and ``line``, for one
    line of a JSON Lines file), the line, the column or the path. A line's own end of
    line is not part of it (an error at its end is placed on it, not on the next line)."""
    if line is not None:
        text = text.rstrip("\r\n")
    return loads(text, where=where, line=line)


# -- usage errors in Vietnamese --------------------------------------------------------

_ARGPARSE_VI: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), vi)
    for pattern, vi in (
        (r"argument (?P<a>[^:]+): (?P<rest>.*)", "tham số {a}: {rest}"),
        (r"the following arguments are required: (?P<a>.*)", "thiếu tham số bắt buộc: {a}"),
        (r"unrecognized arguments: (?P<a>.*)", "không có tùy chọn hoặc tham số này: {a}"),
        (
            r"invalid choice: (?P<v>.*) \(choose from (?P<c>.*)\)",
            "lựa chọn không hợp lệ: {v} (chọn một trong: {c})",
        ),
        (r"invalid (?P<t>\S+) value: (?P<v>.*)", "giá trị không hợp lệ: {v}"),
        (r"expected one argument", "cần một giá trị"),
        (r"expected at most one argument", "cần nhiều nhất một giá trị"),
        (r"expected at least one argument", "cần ít nhất một giá trị"),
        (r"expected (?P<n>\d+) arguments?", "cần {n} giá trị"),
        (
            r"ambiguous option: (?P<o>\S+) could match (?P<m>.*)",
            "tùy chọn {o} không rõ ràng, có thể là: {m}",
        ),
        (r"not allowed with argument (?P<a>.*)", "không được dùng cùng với {a}"),
        (r"one of the arguments (?P<a>.*) is required", "cần một trong các tham số {a}"),
        (r"ignored explicit argument (?P<a>.*)", "tùy chọn này không nhận giá trị {a}"),
        (r"unexpected option string: (?P<a>.*)", "tùy chọn không mong đợi: {a}"),
        (
            r"not a date YYYY-MM-DD or dd/mm/yyyy: (?P<v>.*)",
            "không phải một ngày theo dạng YYYY-MM-DD hoặc dd/mm/yyyy: {v}",
        ),
        (r"not a whole number >= 1: (?P<v>.*)", "không phải một số nguyên từ 1 trở lên: {v}"),
        (r"not a year from 2000 to 2100: (?P<v>.*)", "không phải một năm từ 2000 đến 2100: {v}"),
    )
)


def usage_text_vi(message: str) -> str:
    """An argparse error message (``argument --on: not a date …``, ``unrecognized
    arguments: --x``) in Vietnamese; option names and values as given. A message argparse
    words in a way not known here reads ``tham số không hợp lệ: <message>``."""
    for pattern, vi in _ARGPARSE_VI:
        match = pattern.fullmatch(message)
        if match is not None:
            parts = match.groupdict()
            if "rest" in parts:
                parts["rest"] = usage_text_vi(parts["rest"])
            return vi.format(**parts)
    return f"tham số không hợp lệ: {message}"


def error_language_of(argv: Sequence[str]) -> ErrorLanguage:
    """The language of the command line's errors, known before it is parsed: ``--lang vi``
    or ``--lang=vi`` (``en`` likewise) where given, else the environment's
    (:func:`~emulation_rules.errors.current_error_language`)."""
    lang: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    if lang in ("vi", "en"):
        return "vi" if lang == "vi" else "en"
    return current_error_language()


class Parser(argparse.ArgumentParser):
    """The command line's argument parser: a usage error (unknown option, missing
    argument, bad date) exits 2 as argparse's does; in the error language ``vi``
    (``--lang vi``, or ``EMULATION_RULES_LANG=vi``, set around parsing) it prints one line
    in Vietnamese instead of the English usage and message. Subcommands' parsers are of
    this class too."""

    def error(self, message: str) -> NoReturn:
        """Exit 2 with the message (in Vietnamese in the error language ``vi``)."""
        if current_error_language() != "vi":
            super().error(message)
        self.exit(2, f"{self.prog}: error: {usage_text_vi(message)}\n")
