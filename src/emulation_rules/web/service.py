"""What every route shares: the library and catalogues the server was started with, its
limits, and the reading of a request's common parameters (``on``, ``lang``, flags, ids).

No value from a request reaches the file system: rule sets, campaigns and examples are
looked up by id among those the server has, never by path."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import attrs
from starlette.requests import Request
from starlette.responses import Response

from emulation_rules.api import Library
from emulation_rules.awards import AllocationCatalogue
from emulation_rules.campaigns import CampaignCatalogue
from emulation_rules.errors import Bilingual, ErrorLanguage, FormatError, NotFoundError
from emulation_rules.formatting import date_text
from emulation_rules.web.limits import Limits, time_up

T = TypeVar("T")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def shipped_examples() -> Traversable | None:
    """The ``examples/`` folder shipped with the library (in the wheel, or the checkout's)."""
    packaged = resources.files("emulation_rules").joinpath("examples")
    if packaged.is_dir():
        return packaged
    for parent in Path(__file__).resolve().parents:
        if (parent / "examples").is_dir() and (parent / "pyproject.toml").is_file():
            return parent / "examples"
    return None


@attrs.frozen
class Service:
    """The server's world: one library (compiled rule sets kept for reuse), the campaign
    plans and allocation plans, the shipped examples by name, and the limits."""

    library: Library
    campaigns: CampaignCatalogue
    allocations: AllocationCatalogue
    limits: Limits
    examples: dict[str, bytes]

    @classmethod
    def make(cls, folders: tuple[Path, ...], limits: Limits) -> Service:
        """The service of the shipped rule sets and ``folders`` of the host's own."""
        campaigns = CampaignCatalogue()
        return cls(
            library=Library(folders),
            campaigns=campaigns,
            allocations=AllocationCatalogue(campaigns=campaigns),
            limits=limits,
            examples=_read_examples(),
        )


def _read_examples() -> dict[str, bytes]:
    folder = shipped_examples()
    if folder is None:
        return {}
    return {
        f.name.removesuffix(".json"): f.read_bytes()
        for f in folder.iterdir()
        if f.name.endswith(".json") and f.is_file()
    }


def service(request: Request) -> Service:
    """The service of the app serving ``request``."""
    svc: Service = request.app.state.service
    return svc


def lang(request: Request) -> ErrorLanguage:
    """The ``lang`` parameter (``vi`` by default; ``en``)."""
    value = request.query_params.get("lang", "vi")
    if value not in ("vi", "en"):
        raise FormatError(
            Bilingual(
                f"lang is vi or en, not {value!r}", f"lang là vi hoặc en, không phải {value!r}"
            ),
            path=("lang",),
        )
    return "vi" if value == "vi" else "en"


def on(request: Request) -> date:
    """The ``on`` parameter (an ISO date, ``2024-12-31``; today by default)."""
    value = request.query_params.get("on")
    return date.today() if value is None else parse_day(value, ("on",))


def parse_day(value: str, path: tuple[str, ...]) -> date:
    """An ISO date (``2024-12-31``) of a request, or a FormatError at ``path``."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    example = date(2024, 12, 31)
    name = path[-1]
    raise FormatError(
        Bilingual(
            f"{name} is a date written {example.isoformat()}, not {value[:40]!r}",
            f"{name} là một ngày viết dạng {example.isoformat()} "
            f"(ngày {date_text(example, 'vi')}), không phải {value[:40]!r}",
        ),
        path=path,
    )


def flag(request: Request, name: str) -> bool:
    """A yes/no parameter: ``true``/``false`` (also ``1``/``0``); false when absent."""
    value = request.query_params.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise FormatError(
            Bilingual(
                f"{name} is true or false, not {value[:40]!r}",
                f"{name} là true hoặc false, không phải {value[:40]!r}",
            ),
            path=(name,),
        )
    return value in ("true", "1")


def choice(request: Request, name: str, options: tuple[str, ...]) -> str:
    """A parameter with a few allowed values (the first by default)."""
    value = request.query_params.get(name, options[0])
    if value not in options:
        allowed = ", ".join(options)
        raise FormatError(
            Bilingual(
                f"{name} is one of {allowed}, not {value[:40]!r}",
                f"{name} là một trong các giá trị {allowed}, không phải {value[:40]!r}",
            ),
            path=(name,),
        )
    return value


def known_id(value: str, known: list[str], what: tuple[str, str]) -> str:
    """``value`` when it is one of ``known`` ids, else a NotFoundError naming them."""
    if _ID.fullmatch(value) and value in known:
        return value
    listed = ", ".join(known) or "-"
    raise NotFoundError(
        Bilingual(
            f"no {what[0]} {value[:80]!r} (known: {listed})",
            f"không có {what[1]} {value[:80]!r} (hiện có: {listed})",
        )
    )


def ruleset_id(request: Request, value: str | None = None) -> str:
    """The rule-set id of the request's path (or ``value``), one the library has."""
    raw = request.path_params["ruleset"] if value is None else value
    ids = service(request).library.catalogue.ids()
    return known_id(raw, ids, ("rule set", "bộ tiêu chí"))


async def work(request: Request, job: Callable[[], T]) -> T:
    """Run ``job`` (blocking work) in a worker thread within the request's time limit."""
    limit = service(request).limits.time_limit
    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(job, abandon_on_cancel=True)
    except TimeoutError:
        raise time_up(limit) from None


def json_response(text: str, status: int = 200) -> Response:
    """A response of JSON text already written (the library's own writer)."""
    return Response(text, status_code=status, media_type="application/json")


def dumps(data: Any) -> str:
    """JSON text of plain data (Vietnamese kept as is)."""
    return json.dumps(data, ensure_ascii=False, default=str)
