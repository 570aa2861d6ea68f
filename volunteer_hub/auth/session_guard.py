"""Session freshness: staff idle timeout and recent re-authentication for sensitive actions.

A form posted with a stale sign-in is not lost (issue 23): its fields, except the CSRF token and
any password, are kept in the session under a random nonce, and the confirmation page posts the
password back to the form's own path, which checks it (throttled like sign-in) and then carries out
the kept form as if it had just been sent.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.datastructures import ImmutableMultiDict

from volunteer_hub.auth import services, two_factor
from volunteer_hub.auth.forms import ReauthenticateForm
from volunteer_hub.core.api.problems import is_api_request
from volunteer_hub.core.redirects import is_safe_target
from volunteer_hub.core.transaction import keep_writes_on_error

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


PENDING_FORMS = "vh_reauth_forms"
RESUME_FIELD = "vh_resume"
PENDING_FORM_SECONDS = 15 * 60
_MAX_KEPT_CHARACTERS = 2000  # the session is a cookie: a larger form is not kept


def _path() -> str:
    return request.full_path.rstrip("?")


def _keep_posted_form() -> str | None:
    """Keep the posted fields (not the CSRF token, no password) under a new nonce, or None."""
    fields = [
        [name, value]
        for name, values in request.form.lists()
        if name not in ("csrf_token", RESUME_FIELD) and "password" not in name.lower()
        for value in values
    ]
    if request.files or sum(len(n) + len(v) for n, v in fields) > _MAX_KEPT_CHARACTERS:
        return None
    now = int(time.time())
    kept = {
        nonce: entry
        for nonce, entry in dict(session.get(PENDING_FORMS, {})).items()
        if now - entry.get("at", 0) <= PENDING_FORM_SECONDS
    }
    while len(kept) >= 3:
        kept.pop(next(iter(kept)))
    nonce = secrets.token_urlsafe(16)
    kept[nonce] = {"path": _path(), "fields": fields, "at": now}
    session[PENDING_FORMS] = kept
    return nonce


def _referring_page() -> str | None:
    """The Referer as a local path when it is a page of this site (same host), else None."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_safe_target(path) else None


def pending_form_target(nonce: str | None) -> str | None:
    """The path a kept form was posted to, while it is kept and fresh; else None."""
    entry = dict(session.get(PENDING_FORMS, {})).get(nonce or "")
    if not entry or int(time.time()) - entry.get("at", 0) > PENDING_FORM_SECONDS:
        return None
    path = entry.get("path")
    return path if is_safe_target(path) else None


def _confirm_and_replay(nonce: str, view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Check the password posted from the confirmation page; if right, run ``view`` on the kept form."""
    user = current_user._get_current_object()
    form = ReauthenticateForm()
    needs_code = two_factor.is_enrolled(user)
    status = 400
    if form.validate_on_submit():
        result = services.confirm_identity(
            user, form.password.data or "", form.code.data, needs_code=needs_code
        )
        if result.user is not None:
            mark_authenticated()
            kept = dict(session.get(PENDING_FORMS, {}))
            entry = kept.pop(nonce)
            session[PENDING_FORMS] = kept
            fields = [(name, value) for name, value in entry["fields"]]
            fields.append(("csrf_token", request.form.get("csrf_token", "")))
            request.form = ImmutableMultiDict(fields)  # the view reads the kept form as if just posted
            return view(*args, **kwargs)
        keep_writes_on_error()  # the failed attempt is counted although the answer is 400
        if result.throttled:
            minutes = max(1, -(-result.retry_after_seconds // 60))
            form.form_errors.append(
                _("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=minutes)
            )
            status = 429
        else:
            form.form_errors.append(_("The password or the code is wrong."))
    return render_template(
        "auth/reauthenticate.html", form=form, needs_code=needs_code, action=_path(), resume=nonce
    ), status


def recent_authentication_required(view: F) -> F:
    """Ask for the password (and second factor) again before exports and role changes.

    A GET is sent back to its page after the confirmation; a POST is kept and carried out once the
    password is confirmed (see the module's docstring).
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_recently_authenticated():
            return view(*args, **kwargs)
        if request.method == "GET":
            return redirect(url_for("auth.reauthenticate", next=_path()))
        resume = request.form.get(RESUME_FIELD)
        if resume and pending_form_target(resume) == _path():
            return _confirm_and_replay(resume, view, *args, **kwargs)
        nonce = _keep_posted_form()
        if nonce is not None:
            return redirect(url_for("auth.reauthenticate", resume=nonce))
        # A form too large to keep: at least back to the page it was on (this site's, as a path).
        return redirect(url_for("auth.reauthenticate", next=_referring_page()))

    setattr(wrapper, RECENT_AUTH_ATTR, True)
    return wrapper  # type: ignore[return-value]
