"""Every error the API returns: `{"error": {"code": <stable code>, "message": <for a person>}}`.

No traceback ever reaches a client: an unexpected error is logged on the server with a
reference and answered 500 with that reference.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from idpilot.api.entra.errors import IdentityProviderError, UnmappedRoleError
from idpilot.api.responses import InertJSONResponse
from idpilot.copilot.grounding import GroundingError
from idpilot.copilot.inert import inert_text
from idpilot.copilot.promptbooks import PromptbookError, UnknownPromptbookError
from idpilot.errors import IdpilotError, PromptError, SettingError, StoreError
from idpilot.kql.errors import KqlQueryError
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.state.feedback import FeedbackError, UnknownAnswerError
from idpilot.state.quota import QuotaExceededError
from idpilot.state.sessions import UnknownSessionError
from idpilot.state.tokens import TokenError, UnknownTokenError

log = logging.getLogger("idpilot.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "quota_exceeded",
    500: "internal",
    503: "unavailable",
}
_MAX_PROBLEMS = 5

# A remote query's failure as an HTTP status: the caller's query (400), the server's settings
# (503), the service's time limit (504), throttling (503); the rest is the service refusing or
# failing the server's request (502).
_REMOTE_STATUS = {
    RemoteErrorKind.bad_query: 400,
    RemoteErrorKind.not_configured: 503,
    RemoteErrorKind.throttled: 503,
    RemoteErrorKind.timeout: 504,
}


class ApiError(Exception):
    """An error answered with `status` and the error document (plus any `headers`)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


def error_document(code: str, message: str, **details: Any) -> dict[str, Any]:
    """The error body: `{"error": {"code", "message", ...details}}`."""
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({key: value for key, value in details.items() if value is not None})
    return {"error": body}


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **details: Any
) -> InertJSONResponse:
    """An error response in the API's shape."""
    return InertJSONResponse(
        error_document(code, message, **details), status_code=status, headers=headers
    )


def from_idpilot_error(error: IdpilotError) -> ApiError:
    """The API error for an error meant for a person (its message kept, a stable code)."""
    if isinstance(error, QuotaExceededError):
        return ApiError(429, "quota_exceeded", str(error), {"Retry-After": str(error.retry_after)})
    if isinstance(error, TokenError) and error.problem is not None:
        return ApiError(
            401, error.problem.value, str(error), {"WWW-Authenticate": 'Bearer realm="idpilot"'}
        )
    if isinstance(error, UnmappedRoleError):
        return ApiError(403, "no_mapped_role", str(error))
    if isinstance(error, IdentityProviderError):
        return ApiError(503, "identity_provider", f"Entra ID sign-in is unavailable: {error}")
    if isinstance(error, KqlQueryError):
        return ApiError(400, "kql_query", str(error))
    if isinstance(error, RemoteQueryError):
        return ApiError(_REMOTE_STATUS.get(error.kind, 502), "remote_query", str(error))
    if isinstance(error, PromptError):
        return ApiError(400, "prompt", str(error))
    if isinstance(error, GroundingError):
        return ApiError(500, "ungrounded_answer", str(error))
    if isinstance(error, StoreError | SettingError):
        return ApiError(503, "store" if isinstance(error, StoreError) else "setting", str(error))
    if isinstance(
        error,
        UnknownTokenError | UnknownAnswerError | UnknownSessionError | UnknownPromptbookError,
    ):
        return ApiError(404, "not_found", str(error))
    if isinstance(error, FeedbackError | PromptbookError):
        return ApiError(422, "invalid_request", str(error))
    if isinstance(error, TokenError):
        return ApiError(400, "token", str(error))
    return ApiError(400, "request", str(error))


def _validation_message(error: RequestValidationError) -> tuple[int, str, str]:
    """Status, code and message for a request that does not fit its model (the values sent
    are never repeated: they may be anything)."""
    problems = list(error.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return 400, "bad_json", "The request body is not valid JSON."
    parts = []
    for problem in problems[:_MAX_PROBLEMS]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
        parts.append(f"{where or 'body'}: {problem.get('msg', 'invalid')}")
    more = len(problems) - _MAX_PROBLEMS
    suffix = f" (and {more} more)" if more > 0 else ""
    return 422, "invalid_request", inert_text("; ".join(parts) + suffix)


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error in the API's shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> InertJSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(IdpilotError)
    async def _user_error(request: Request, error: IdpilotError) -> InertJSONResponse:
        mapped = from_idpilot_error(error)
        return error_response(mapped.status, mapped.code, mapped.message, mapped.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> InertJSONResponse:
        status, code, message = _validation_message(error)
        return error_response(status, code, message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> InertJSONResponse:
        code = getattr(error, "code", None) or _HTTP_CODES.get(error.status_code, "http_error")
        message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
        if error.status_code == 404:
            message = "No such route: see /docs for the API's routes."
        headers = dict(error.headers or {})
        return error_response(
            error.status_code, code, message, headers, limit=getattr(error, "limit", None)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> InertJSONResponse:
        reference = uuid.uuid4().hex[:12]
        log.error(
            "unexpected error %s on %s %s",
            reference,
            request.method,
            request.url.path,
            exc_info=error,
        )
        return error_response(
            500,
            "internal",
            f"An unexpected error occurred; the server log has the details (reference "
            f"{reference}).",
        )
