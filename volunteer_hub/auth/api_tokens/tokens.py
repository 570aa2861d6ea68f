"""Personal API tokens: issue, list, revoke, and check a presented secret.

A token is ``vhk_`` followed by 43 random URL-safe characters (256 bits). Only its
SHA-256 is stored: a stolen database gives no usable token, and because the secret is
random and long, an unsalted fast hash is enough (there is nothing to guess).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort
from sqlalchemy import or_, select, update

from volunteer_hub.audit.services import record
from volunteer_hub.auth.api_tokens.models import ApiToken
from volunteer_hub.auth.models import User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db

SCOPES = ("read", "write")
SECRET_PREFIX = "vhk_"  # noqa: S105 - the public marker in front of every secret
DISPLAY_PREFIX_LENGTH = 12  # "vhk_" and 8 random characters: enough to tell tokens apart
# last_used_at is written at most this often per token, so busy clients do not turn every
# read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenProblem(enum.StrEnum):
    """Why a presented secret does not authenticate."""

    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"
    OWNER_DISABLED = "owner_disabled"


@dataclass(frozen=True)
class IssuedToken:
    """A new token and its secret, which is shown once and never stored."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def can_hold_tokens(user: User) -> bool:
    """Only active staff accounts (coordinators and administrators) use the API."""
    return user.is_staff and user.is_active_account


def create_token(
    owner: User, *, name: str, scopes: Iterable[str], expires_at: dt.datetime | None = None
) -> IssuedToken:
    """Issue a token for ``owner`` (flush only) and audit it; the secret is in the result only."""
    chosen = sorted(set(scopes))
    if not can_hold_tokens(owner):
        raise ValueError("not_staff")
    if not chosen or not set(chosen) <= set(SCOPES):
        raise ValueError("scopes")
    name = name.strip()
    if not name:
        raise ValueError("name")
    if expires_at is not None and expires_at <= utcnow():
        raise ValueError("expires_at")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        municipality_id=owner.municipality_id,
        user_id=owner.id,
        name=name,
        prefix=secret[:DISPLAY_PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        scopes=" ".join(chosen),
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    record(
        "api_token.created",
        actor=owner,
        municipality_id=owner.municipality_id,
        obj=token,
        scopes=token.scopes,
        expires=expires_at is not None,
    )
    return IssuedToken(token=token, secret=secret)


def revoke_token(token: ApiToken, *, actor: User) -> bool:
    """Revoke ``token`` for good and audit it; False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record("api_token.revoked", actor=actor, municipality_id=token.municipality_id, obj=token)
    return True


def list_tokens_for(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked ones too, so the history stays visible)."""
    return list(
        db.session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).scalars()
    )


def get_own_token_or_404(token_id: int, *, for_user: User) -> ApiToken:
    """One of ``for_user``'s own tokens, or 404 (another person's token is not found)."""
    token = db.session.execute(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == for_user.id)
    ).scalar_one_or_none()
    if token is None:
        abort(404)
    return token


def check_secret(secret: str, now: dt.datetime | None = None) -> tuple[ApiToken | None, TokenProblem | None]:
    """The token a presented secret belongs to, or why it does not authenticate.

    Runs before the request has a tenant, so it looks across municipalities on purpose:
    the secret itself says whose it is.
    """
    now = now or utcnow()
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if token is None:
        return None, TokenProblem.UNKNOWN
    if token.revoked_at is not None:
        return None, TokenProblem.REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return None, TokenProblem.EXPIRED
    if not can_hold_tokens(token.user):
        return None, TokenProblem.OWNER_DISABLED
    return token, None


def note_use(token: ApiToken, now: dt.datetime | None = None) -> bool:
    """Record that ``token`` was used, at most once per LAST_USED_RESOLUTION; True if written.

    The conditional UPDATE keeps concurrent requests (or app instances) from writing the
    same minute twice.
    """
    now = now or utcnow()
    cutoff = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return False
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token.id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= cutoff),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)
