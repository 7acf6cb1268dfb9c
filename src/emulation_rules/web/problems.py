"""RFC 9457 problem documents (``application/problem+json``) from the library's errors:
``type``, ``title``, ``status``, ``detail`` in the language asked, the English and
Vietnamese messages, and every bad value with its path."""

from __future__ import annotations

from typing import Any

import attrs
from starlette.responses import JSONResponse

from emulation_rules.errors import (
    CampaignError,
    EmulationRulesError,
    ErrorLanguage,
    EvaluationError,
    EventError,
    EvidenceError,
    FormatError,
    NotFoundError,
    Problem,
    VerdictMismatchError,
    format_path,
)
from emulation_rules.web.limits import TimeLimitError, TooLargeError

PROBLEM_TYPE = "application/problem+json"

# the error class → (status, type slug, English title, Vietnamese title); the first
# class an error is an instance of wins (subclasses first)
_KINDS: tuple[tuple[type[EmulationRulesError], int, str, str, str], ...] = (
    (TooLargeError, 413, "too-large", "Request too large", "Yêu cầu quá lớn"),
    (TimeLimitError, 503, "time-limit", "Time limit reached", "Quá thời gian xử lý"),
    (FormatError, 400, "malformed", "Malformed request", "Yêu cầu sai định dạng"),
    (NotFoundError, 404, "not-found", "Not found", "Không tìm thấy"),
    (EvidenceError, 422, "invalid-evidence", "Invalid evidence", "Dữ liệu không hợp lệ"),
    (EventError, 422, "invalid-evidence", "Invalid evidence", "Dữ liệu không hợp lệ"),
    (VerdictMismatchError, 422, "verdict-mismatch", "Verdict mismatch", "Kết quả không khớp"),
    (EvaluationError, 422, "evaluation", "Cannot evaluate", "Không tính được"),
    (CampaignError, 422, "campaign", "Campaign refused", "Kế hoạch không cho phép"),
)
_OTHER = (422, "unprocessable", "Unprocessable request", "Yêu cầu không xử lý được")

HTTP_TITLES: dict[int, tuple[str, str]] = {
    404: ("Not found", "Không tìm thấy"),
    405: ("Method not allowed", "Phương thức không được phép"),
    413: ("Request too large", "Yêu cầu quá lớn"),
    500: ("Internal error", "Lỗi máy chủ"),
}


@attrs.frozen
class ProblemItem:
    """One bad value: its path (``criteria[3].status``), its JSON Pointer
    (``/criteria/3/status``) and the message in English and Vietnamese."""

    path: str
    pointer: str
    message: str
    message_vi: str | None


@attrs.frozen
class ProblemDocument:
    """An RFC 9457 problem document with the library's messages in both languages."""

    type: str
    title: str
    status: int
    detail: str
    detail_en: str
    detail_vi: str
    instance: str | None = None
    problems: tuple[ProblemItem, ...] = ()


def _item(p: Problem) -> ProblemItem:
    pointer = "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in p.path)
    return ProblemItem(format_path(p.path), pointer, p.message, p.message_vi)


def problem_document(
    error: EmulationRulesError, lang: ErrorLanguage = "vi", instance: str | None = None
) -> ProblemDocument:
    """The problem document of a library error (its status from its class: 400 malformed,
    404 not found, 413 too large, 422 invalid, 503 out of time)."""
    status, slug, title_en, title_vi = next(
        ((s, t, en, vi) for cls, s, t, en, vi in _KINDS if isinstance(error, cls)), _OTHER
    )
    listed = getattr(error, "problems", ())
    if not listed and error.path:
        listed = (Problem(error.path, error.message, message_vi=error.message_vi),)
    return ProblemDocument(
        type=f"urn:emulation-rules:problem:{slug}",
        title=title_vi if lang == "vi" else title_en,
        status=status,
        detail=error.text_in(lang),
        detail_en=error.text_in("en"),
        detail_vi=error.text_in("vi"),
        instance=instance,
        problems=tuple(_item(p) for p in listed),
    )


def http_problem(status: int, lang: ErrorLanguage, instance: str | None = None) -> ProblemDocument:
    """The problem document of a plain HTTP refusal (no route, wrong method)."""
    en, vi = HTTP_TITLES.get(status, ("Bad request", "Yêu cầu không hợp lệ"))
    return ProblemDocument(
        type="about:blank",
        title=vi if lang == "vi" else en,
        status=status,
        detail=vi if lang == "vi" else en,
        detail_en=en,
        detail_vi=vi,
        instance=instance,
    )


def problem_response(doc: ProblemDocument, headers: dict[str, str] | None = None) -> JSONResponse:
    """The HTTP response carrying ``doc``."""
    body: dict[str, Any] = attrs.asdict(doc, recurse=True)
    if doc.instance is None:
        del body["instance"]
    return JSONResponse(body, status_code=doc.status, media_type=PROBLEM_TYPE, headers=headers)
