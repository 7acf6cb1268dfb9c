"""``emulation-rules serve``: the library over HTTP (a JSON API under ``/v1`` and a
self-assessment page at ``/``), for hosts in any language.

Needs the ``web`` extra (``pip install "emulation-rules[web]"``: Starlette and uvicorn);
importing this package without it raises :class:`ImportError` naming the extra. See
docs/serve.md.
"""

from __future__ import annotations

try:
    import starlette  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        'emulation_rules.web needs the web extra: pip install "emulation-rules[web]"'
    ) from exc

from emulation_rules.web.app import create_app
from emulation_rules.web.limits import Limits
from emulation_rules.web.openapi import openapi_document
from emulation_rules.web.problems import problem_document

__all__ = ["Limits", "create_app", "openapi_document", "problem_document"]
