"""Argument types and input shared by the command-line modules."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from emulation_rules.errors import EmulationRulesError
from emulation_rules.model.converter import parse_json_exact


class UsageError(EmulationRulesError):
    """Bad input on the command line (a file that cannot be read or does not parse, a bad
    date): ``main()`` prints it on one line and exits 2."""


def read_input(path: str) -> tuple[str, str]:
    """The name to quote a file by and its text: a file named on the command line, or
    ``-`` for standard input. A file that cannot be read, or is not UTF-8, is a
    :class:`UsageError` naming it."""
    if path == "-":
        return "stdin", sys.stdin.read()
    try:
        return path, Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def iso_date(text: str) -> date:
    """An argparse ``type``: a date written ``YYYY-MM-DD``; anything else is a usage error
    (exit 2) that argparse reports with the option's name."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def parse_json(text: str, where: str) -> Any:
    """Parse JSON exactly (decimals stay decimal, NaN and Infinity refused); a
    :class:`UsageError` names ``where``, the line and the column."""
    try:
        return parse_json_exact(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{where}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}") from None
    except ValueError as exc:
        raise UsageError(f"{where}: malformed JSON: {exc}") from None
