"""Who is calling the API: the owner of a bearer token, never the browser's session.

``authenticate_api_request`` runs before the tenancy scope and the route policy, so an API
request is scoped and authorised exactly as a page request is, with the token's owner as
the current user. Because the session cookie is ignored on /api/, a page on another site
cannot make a signed-in browser change anything through the API: that is why API routes
are exempt from CSRF tokens, and why they may be.
"""

from __future__ import annotations

from typing import Any

from flask import g, request
from flask_login import AnonymousUserMixin

from volunteer_hub.auth.api_tokens import tokens
from volunteer_hub.core.api.problems import (
    INSUFFICIENT_SCOPE,
    INVALID_TOKEN,
    is_api_request,
    problem_response,
)
from volunteer_hub.core.transaction import commit_hook_bookkeeping
from volunteer_hub.db import utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_REASONS = {
    tokens.TokenProblem.UNKNOWN: "The token is not known. Check that it was copied whole.",
    tokens.TokenProblem.REVOKED: "The token has been revoked. Create a new one at /api-noegler/.",
    tokens.TokenProblem.EXPIRED: "The token has expired. Create a new one at /api-noegler/.",
    tokens.TokenProblem.OWNER_DISABLED: "The token's owner can no longer use the API.",
}


def _invalid(detail: str) -> Any:
    return problem_response(
        401,
        detail,
        title="Invalid token",
        type_=INVALID_TOKEN,
        headers={"WWW-Authenticate": 'Bearer realm="volunteer-hub", error="invalid_token"'},
    )


def authenticate_api_request() -> Any:
    """before_request hook: on /api/, make the bearer token's owner the current user."""
    if not is_api_request():
        return None
    # Flask-Login reads g._login_user before it looks at the session: setting it here means
    # the session cookie is never consulted for an API request.
    g._login_user = AnonymousUserMixin()
    header = request.headers.get("Authorization")
    if header is None:
        return None  # the route policy answers 401 where a token is needed
    scheme, _sep, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        return _invalid("Send the token as 'Authorization: Bearer <token>'.")
    now = utcnow()
    token, reason = tokens.check_secret(secret, now)
    if token is None:
        assert reason is not None
        return _invalid(_REASONS[reason])
    needed = "read" if request.method in SAFE_METHODS else "write"
    if request.endpoint is not None and needed not in token.scope_set:
        return problem_response(
            403,
            f"This token lacks the '{needed}' scope this request needs.",
            title="Insufficient scope",
            type_=INSUFFICIENT_SCOPE,
            headers={
                "WWW-Authenticate": f'Bearer realm="volunteer-hub", error="insufficient_scope", '
                f'scope="{needed}"'
            },
        )
    if tokens.note_use(token, now):
        commit_hook_bookkeeping()  # the token's last use is kept whatever the view answers
    g._login_user = token.user
    g.api_token = token
    return None
