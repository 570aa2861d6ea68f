"""Refuse input no database column can hold, before any view or query sees it.

PostgreSQL text cannot contain NUL characters: a NUL typed into any form field or query
string would otherwise reach the driver and become a 500 (SQLite would store it). No
field of this platform has a use for NUL, so every request carrying one is refused with
400 here, once for all forms and every JSON body, as is JSON nested too deep to parse.
(The API's SafeText fields also refuse other control characters, naming the field.)
"""

from __future__ import annotations

from typing import Any

from flask import abort, request


def _carries_nul(pairs: Any) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def _json_carries_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_carries_nul(k) or _json_carries_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_carries_nul(item) for item in value)
    return False


def refuse_unstorable_input() -> Any:
    """before_request hook: 400 for a NUL character in the URL, query string, form or JSON body."""
    if "\x00" in request.path or _carries_nul(request.args.items(multi=True)):
        abort(400)
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        if _carries_nul(request.form.items(multi=True)):
            abort(400)
        if any("\x00" in (upload.filename or "") for upload in request.files.values()):
            abort(400)
    if request.is_json:
        try:
            if _json_carries_nul(request.get_json(silent=True)):
                abort(400)
        except RecursionError:  # JSON nested thousands deep: refused, not a crash
            abort(400)
    return None
