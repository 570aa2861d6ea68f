"""RFC 9457 problem details: every error on an API route is ``application/problem+json``.

Kept free of heavy imports, because the page-side hooks (route policy, idle timeout,
error handler) ask ``is_api_request()`` on every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, json, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from volunteer_hub.core.api.messages import translate_message

API_PREFIX = "/api/"
PROBLEM_CONTENT_TYPE = "application/problem+json"

# Problem types beyond a bare status ("about:blank" means: the status says it all).
VALIDATION_ERROR = "urn:volunteer-hub:problem:validation-error"
INVALID_TOKEN = "urn:volunteer-hub:problem:invalid-token"  # noqa: S105 - a problem type, not a secret
INSUFFICIENT_SCOPE = "urn:volunteer-hub:problem:insufficient-scope"

# Headers of an HTTP error that an API client needs (405 lists the allowed methods, 429 says when).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

_DETAILS = {
    400: _l("The request could not be understood."),
    401: _l("This API needs a personal API token: send it as 'Authorization: Bearer <token>'."),
    403: _l("Your role does not allow this request."),
    404: _l("Nothing exists at this address, or you may not see it."),
    405: _l("This method is not allowed here; the Allow header lists those that are."),
    409: _l("The request conflicts with the current state of the record."),
    422: _l("Some values are missing or not valid; 'errors' says which and why."),
    429: _l("Too many requests. Wait before trying again."),
    500: _l("Something went wrong on our side. The error has been logged."),
}


def is_api_request() -> bool:
    """True when the current request is for the JSON API (``/api/...``)."""
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem-details response: type, title, status, detail and, for validation, errors.

    ``detail`` and the messages in ``errors`` are in the request's language (the API's is chosen
    by ``Accept-Language``, ``core.api.messages``), which ``Content-Language`` names.
    """
    body: dict[str, Any] = {
        "type": type_,
        "title": title or _phrase(status),
        "status": status,
        "detail": str(detail or _DETAILS.get(status, _phrase(status))),
    }
    if errors:
        body["errors"] = {name: [translate_message(m) for m in texts] for name, texts in errors.items()}
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    locale = get_locale()
    if locale is not None:
        response.headers["Content-Language"] = str(locale)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_for_exception(error: HTTPException) -> Response:
    """Turn any HTTP error (including webargs validation errors) into problem details."""
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name in _KEPT_HEADERS}
    data = getattr(error, "data", None) or {}
    headers.update(data.get("headers") or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="volunteer-hub"')
    messages = data.get("messages") or data.get("errors")
    if messages:
        return problem_response(
            status,
            type_=VALIDATION_ERROR if status in (400, 422) else "about:blank",
            errors=flatten_errors(messages),
            headers=headers,
        )
    # Only our own short messages reach the client; a 500 never shows what broke.
    detail = data.get("message") if status < 500 else None
    return problem_response(status, detail, headers=headers)


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow/webargs messages as ``{"field": [...], "nested.field": [...]}``.

    webargs nests them under the request location (``json``, ``query``); that level is
    dropped, since a field name is unique within one operation.
    """
    if isinstance(messages, Mapping) and not prefix and set(messages) <= _LOCATIONS:
        flat: dict[str, list[str]] = {}
        for inner in messages.values():
            flat.update(flatten_errors(inner, prefix))
        return flat
    if isinstance(messages, Mapping):
        flat = {}
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(item, str) for item in messages):
        return {prefix or "_request": [str(item) for item in messages]}
    return {prefix or "_request": [str(messages)]}


_LOCATIONS = {"json", "query", "querystring", "form", "headers", "cookies", "files", "view_args", "path"}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
