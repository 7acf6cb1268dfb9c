"""Argument types shared by the command-line modules."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """An argparse ``type``: a date written ``YYYY-MM-DD``; anything else is a usage error
    (exit 2) that argparse reports with the option's name."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None
