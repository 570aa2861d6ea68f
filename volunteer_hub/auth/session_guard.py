"""Session freshness: staff idle timeout and recent re-authentication for sensitive actions."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from volunteer_hub.core.api.problems import is_api_request

F = TypeVar("F", bound=Callable[..., Any])

AUTH_AT = "vh_auth_at"
# Set on views that need a recent sign-in, so tests can list them from app.url_map.
RECENT_AUTH_ATTR = "_vh_recent_authentication"
SEEN_AT = "vh_seen_at"
# The last request's time is written to the session at most this often: a signed cookie on
# every answer costs time, and the idle timeout is counted in minutes.
SEEN_RESOLUTION_SECONDS = 30


def mark_authenticated() -> None:
    """Call right after a successful sign-in or re-authentication."""
    now = int(time.time())
    session[AUTH_AT] = now
    session[SEEN_AT] = now


def enforce_idle_timeout() -> Any:
    """before_request hook: sign staff out after a period without requests."""
    if is_api_request():  # API calls carry a token, not a session that could sit idle
        return None
    if not current_user.is_authenticated or not current_user.is_staff:
        return None
    now = int(time.time())
    seen = session.get(SEEN_AT, 0)
    if now - seen > current_app.config["STAFF_IDLE_TIMEOUT_SECONDS"]:
        logout_user()
        session.clear()
        flash(_("You were signed out after a period without activity. Please sign in again."), "info")
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return redirect(url_for("auth.login"))
    if request.endpoint != "static" and now - seen >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None


def is_recently_authenticated() -> bool:
    age = int(time.time()) - session.get(AUTH_AT, 0)
    return age <= current_app.config["REAUTH_MAX_AGE_SECONDS"]


def recent_authentication_required(view: F) -> F:
    """Ask for the password (and second factor) again before exports and role changes."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_recently_authenticated():
            target = request.full_path.rstrip("?") if request.method == "GET" else request.referrer or "/"
            return redirect(url_for("auth.reauthenticate", next=target))
        return view(*args, **kwargs)

    setattr(wrapper, RECENT_AUTH_ATTR, True)
    return wrapper  # type: ignore[return-value]
