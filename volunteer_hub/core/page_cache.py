"""Whole staff pages kept per data version, so a page read again before anything changed is
neither queried nor rendered again (issue 9's load goals).

A view calls ``render_cached(kind, render)`` after it has authorised the request; ``render()``
returns the page's HTML. What is kept and reused:

- The key: the municipality's data version (``core.derived``: every commit that changes case
  data gives a new one), the path with its query, the interface language, today's date in
  Denmark, and the signed-in user's fingerprint (id, role, organisation, name, e-mail, session
  version, last change of the account). A staff page is only ever served again to the same
  user, at the same address, with the same data: nothing is shared between users, so nothing
  can leak. A public page (the registration start) is the same for every visitor.
- Per request: the CSRF token. The page is rendered with a placeholder in the token's place
  (the same for every request, a keyed hash of the secret key, so no user input can forge it),
  and each answer carries the request's own token: the signature of the raw token in this
  user's session, which Flask-WTF checks on submit. That signature is made once per raw token
  and process (``_signed_csrf_token``) while tokens do not expire (``WTF_CSRF_TIME_LIMIT =
  None``, this platform's setting); with a time limit, each answer is signed anew.
- The audit trail: events the render recorded (``family.viewed`` on a case page; a page kept
  here is a GET, which only reads, so these are events of reading) are recorded again, for
  this request's user, on every answer served from the cache, by
  ``audit.services.append_read_events`` (on PostgreSQL, with asynchronous commit: see there).
- Pending flash messages, a form POST, or a volunteer's own pages: rendered as usual.

The kept pages live in the derived-data store, as UTF-8 bytes (an answer is bytes: nothing is
encoded again per request): each process's LRU (``PAGE_CACHE_ENTRIES`` per kind) and, when
``DERIVED_CACHE_REDIS_URL`` is set, Redis for ``PAGE_CACHE_REDIS_TTL`` seconds (sealed with HMAC
like every derived value). Set ``PAGE_CACHE = False`` to render every time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import URLSafeTimedSerializer

from volunteer_hub.core import derived

CAPTURE_KEY = "vh_page_audit_capture"
# Set on a request answered from the cache without writing through the database session.
NOTHING_WRITTEN_KEY = "vh_page_nothing_written"


def _placeholder() -> str:
    return _placeholder_for(current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=8)
def _placeholder_for(secret: str) -> str:
    digest = hmac.new(secret.encode(), b"volunteer-hub page csrf placeholder", hashlib.sha256).hexdigest()
    return "vh-csrf-" + digest[:40]


# Signed CSRF tokens by (signing key, raw token in the session): a kept page shown again needs
# the same signature Flask-WTF would make, and making it was about 5% of such an answer's CPU.
_SIGNED_TOKENS: OrderedDict[tuple[str, str], str] = OrderedDict()
_SIGNED_TOKENS_KEPT = 4096


def _signed_csrf_token() -> str:
    """This request's CSRF token, as ``flask_wtf.csrf.generate_csrf`` gives it (and leaves it in
    ``g`` for the rest of the request). A token signed before for the same raw token is reused
    when tokens do not expire; a token is only ever valid with its own session's raw token, so
    reusing a signature reveals nothing new."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    if field in g or config.get("WTF_CSRF_TIME_LIMIT", 3600) is not None or not isinstance(raw, str):
        return generate_csrf()
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    key = (secret, raw)
    token = _SIGNED_TOKENS.get(key)
    if token is None:
        token = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)
        _SIGNED_TOKENS[key] = token
        if len(_SIGNED_TOKENS) > _SIGNED_TOKENS_KEPT:
            _SIGNED_TOKENS.popitem(last=False)
    setattr(g, field, token)
    return token


def _fingerprint(user: Any) -> tuple[Any, ...]:
    updated = getattr(user, "updated_at", None)
    return (
        user.id,
        str(user.role),
        user.organisation_id,
        user.name,
        user.email,
        user.session_version,
        bool(user.totp_secret),
        updated.isoformat() if updated else None,
    )


def _visitor() -> tuple[Any, tuple[Any, ...] | None] | None:
    """(user or None, fingerprint) when this request may use a kept page, else None."""
    if not current_app.config.get("PAGE_CACHE", True) or request.method != "GET" or session.get("_flashes"):
        return None
    if not current_user.is_authenticated:
        return None, None  # a public page: the same for every visitor
    if not current_user.is_staff:  # a volunteer's own pages are small, and show drafts
        return None
    user = current_user._get_current_object()
    return user, _fingerprint(user)


def render_cached(kind: str, render: Callable[[], str], *, municipality_id: int | None = None) -> str | bytes:
    """The HTML of ``render()``, or the HTML it gave before under the same key (module text), as
    UTF-8 bytes when it is a kept page. ``municipality_id``: whose data the page shows, if not
    the signed-in user's own."""
    visitor = _visitor()
    if municipality_id is None and visitor is not None and visitor[0] is not None:
        municipality_id = visitor[0].municipality_id
    if visitor is None or municipality_id is None:
        return render()
    from volunteer_hub.families.dates import local_today
    from volunteer_hub.web import select_locale

    user, fingerprint = visitor
    params = (request.full_path, select_locale(), local_today().isoformat(), fingerprint)
    html, events = derived.cached(
        "page:" + kind,
        municipality_id,
        params,
        lambda: _render_with_placeholder(render),
        capacity=current_app.config.get("PAGE_CACHE_ENTRIES", 256),
        shared_ttl=current_app.config.get("PAGE_CACHE_REDIS_TTL", 600),
    )
    if getattr(g, CAPTURE_KEY, None) is None:  # served from the cache: the render's events again
        if not _replay(events, user):
            setattr(g, NOTHING_WRITTEN_KEY, True)
    else:
        delattr(g, CAPTURE_KEY)
    if isinstance(html, str):  # kept in Redis by a release that kept text
        html = html.encode()
    return html.replace(_placeholder().encode(), _signed_csrf_token().encode())


def _render_with_placeholder(render: Callable[[], str]) -> tuple[bytes, tuple[dict[str, Any], ...]]:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.pop(field, None)
    setattr(g, field, _placeholder())
    events: list[dict[str, Any]] = []
    setattr(g, CAPTURE_KEY, events)
    try:
        html = render()
    finally:
        g.pop(field, None)
        if token is not None:
            setattr(g, field, token)
    return html.encode(), tuple(events)


def capture(event: dict[str, Any]) -> None:
    """Called by ``audit.services.record``: remember an event recorded while a page renders."""
    events = g.get(CAPTURE_KEY)
    if events is not None:
        events.append(event)


def _replay(events: tuple[dict[str, Any], ...], user: Any) -> bool:
    """The render's audit events again, for this request's user (the columns
    ``audit.services.record`` would have written), in one statement. True when they were
    written into the session's transaction, which the view must commit."""
    if not events:
        return False
    from volunteer_hub.audit.services import append_read_events
    from volunteer_hub.db import utcnow

    now = utcnow()
    return append_read_events(
        [
            {
                "occurred_at": now,
                "actor_user_id": getattr(user, "id", None),
                "municipality_id": event["municipality_id"],
                "action": event["action"],
                "object_type": event["object_type"],
                "object_id": event["object_id"],
                "details": event["details"],
            }
            for event in events
        ]
    )


def cached_and_committed(kind: str, render: Callable[[], str]) -> str | bytes:
    """``render_cached``, then commit: the audit events of the view (or of its replay) are kept.
    A kept page whose events were committed on their own (PostgreSQL) leaves nothing to commit."""
    from volunteer_hub.extensions import db

    html = render_cached(kind, render)
    session = db.session()
    if g.pop(NOTHING_WRITTEN_KEY, False) and not (session.new or session.dirty or session.deleted):
        return html
    session.commit()
    return html
