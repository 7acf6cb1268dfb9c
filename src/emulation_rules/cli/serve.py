"""The ``emulation-rules serve`` command: the JSON API and the self-assessment page over
HTTP (docs/serve.md). Needs the ``web`` extra; without it the command exits 2 saying how
to install it."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from emulation_rules.cli.args import UsageError, positive_int
from emulation_rules.errors import Bilingual

_MISSING = Bilingual(
    'serve needs the web extra: pip install "emulation-rules[web]"',
    'lệnh serve cần gói bổ sung web: pip install "emulation-rules[web]"',
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``serve`` command to ``subparsers``."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help="serve the JSON API (/v1) and the self-assessment page (/) over HTTP"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: localhost)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0: any free one)")
    p.add_argument(
        "--rulesets",
        nargs="+",
        default=[],
        metavar="DIR",
        help="folders of your own rule sets, beside the shipped ones",
    )
    p.add_argument("--max-body", type=positive_int, default=1_000_000, metavar="BYTES")
    p.add_argument("--max-batch", type=positive_int, default=10_000, metavar="UNITS")
    p.add_argument("--time-limit", type=float, default=10.0, metavar="SECONDS")
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="an origin allowed to call from a browser (repeatable; default: CORS off)",
    )
    return p


def web_available() -> bool:
    """Whether the ``web`` extra (Starlette and uvicorn) is installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("starlette", "uvicorn"))


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the exit code."""
    if not web_available():
        raise UsageError(_MISSING)
    import uvicorn

    from emulation_rules.web import Limits, create_app

    if not 0 < args.time_limit <= 3600:
        raise UsageError(
            Bilingual(
                "--time-limit is a number of seconds above 0, at most 3600",
                "--time-limit là số giây lớn hơn 0, tối đa 3600",
            )
        )
    limits = Limits(
        max_body_bytes=args.max_body,
        max_batch_units=args.max_batch,
        time_limit=args.time_limit,
        cors_origins=tuple(args.cors_origin),
    )
    folders = [*args.folder, *args.rulesets]
    for folder in folders:
        if not Path(folder).is_dir():
            raise UsageError(
                Bilingual(f"{folder}: not a folder", f"{folder}: không phải là thư mục")
            )
    app = create_app(folders, limits)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    return 0
