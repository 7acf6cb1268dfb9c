"""The limits a public service needs: body size, batch length, JSON depth and time per
request. Requests past them are refused with a problem document (413, or 503 for time),
never half-served."""

from __future__ import annotations

import time
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
from starlette.requests import Request

from emulation_rules.errors import Bilingual, FormatError
from emulation_rules.formatting import number_text
from emulation_rules.jsontext import loads


class TooLargeError(FormatError):
    """A request past a size limit (its body, or its batch): a 413 problem."""


class TimeLimitError(FormatError):
    """A request that ran past the time limit: a 503 problem."""


@attrs.frozen
class Limits:
    """What one request may ask of the server.

    ``max_body_bytes``: a single JSON body (evidence, verdict, candidates);
    ``max_batch_bytes``: a JSON Lines batch; ``max_batch_units``: units in one batch;
    ``max_json_depth``: nesting of any JSON body; ``time_limit``: seconds of work per
    request (a batch stops with a last problem line); ``cors_origins``: origins allowed
    to call from a browser (none: CORS off)."""

    max_body_bytes: int = 1_000_000
    max_batch_bytes: int = 50_000_000
    max_batch_units: int = 10_000
    max_json_depth: int = 32
    time_limit: float = 10.0
    cors_origins: tuple[str, ...] = ()

    def deadline(self) -> float:
        """The monotonic time a request started now must be done by."""
        return time.monotonic() + self.time_limit


def too_large(what_en: str, what_vi: str, limit: int, unit_en: str, unit_vi: str) -> TooLargeError:
    """The error of a request past a size limit."""
    n_en, n_vi = number_text(limit, "en"), number_text(limit, "vi")
    return TooLargeError(
        Bilingual(
            f"{what_en} is over the limit of {n_en} {unit_en}",
            f"{what_vi} vượt quá giới hạn {n_vi} {unit_vi}",
        )
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, refused (413) past ``limit`` bytes, whether or not it says its
    length in advance."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large("the request body", "nội dung yêu cầu", limit, "bytes", "byte")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large("the request body", "nội dung yêu cầu", limit, "bytes", "byte")
        chunks.append(chunk)
    return b"".join(chunks)


MAX_EXPONENT = 100
"""The largest power of ten a number in a request may have (``1e100``): a number like
``1e999999`` is refused before the library turns it into a million-digit integer."""


def json_depth(data: Any) -> int:
    """How deep ``data`` nests (a scalar is 0, ``[]`` is 1), without recursion; a number
    past :data:`MAX_EXPONENT` either way is a FormatError."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if (
            isinstance(value, Decimal)
            and value.is_finite()
            and value
            and (abs(value.adjusted()) > MAX_EXPONENT)
        ):
            raise FormatError(
                Bilingual(
                    f"a number is out of range (beyond 10^{MAX_EXPONENT})",
                    f"có số vượt quá phạm vi cho phép (quá 10^{MAX_EXPONENT})",
                ),
                where="request",
            )
        if isinstance(value, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            children: Iterable[Any] = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth) for child in children)
    return deepest


def parse_json(raw: bytes, limits: Limits, *, line: int | None = None) -> Any:
    """One JSON text of a request, read as the library reads JSON (exact numbers, no
    duplicate keys) and refused when nested deeper than ``limits.max_json_depth``."""
    data = loads(raw, where="request", line=line)
    try:
        depth = json_depth(data)
    except FormatError as exc:
        raise FormatError(
            exc.message, where="request", line=line, message_vi=exc.message_vi
        ) from None
    if depth > limits.max_json_depth:
        n = limits.max_json_depth
        raise FormatError(
            Bilingual(
                f"the JSON is nested more than {n} levels deep",
                f"dữ liệu JSON lồng nhau quá {n} cấp",
            ),
            where="request",
            line=line,
        )
    return data


def over_time(deadline: float) -> bool:
    """Whether the request's time is up."""
    return time.monotonic() > deadline


def time_up(limit: float) -> TimeLimitError:
    """The error of a request that ran out of time."""
    seconds = Decimal(str(limit))
    return TimeLimitError(
        Bilingual(
            f"the request took longer than the limit of {number_text(seconds, 'en')} seconds",
            f"yêu cầu chạy quá thời gian giới hạn {number_text(seconds, 'vi')} giây",
        )
    )
