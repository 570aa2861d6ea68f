"""ApiToken: a personal API token; only the SHA-256 of its secret is stored."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.auth.models import User
from volunteer_hub.db import TenantMixin, utcnow
from volunteer_hub.extensions import db


class ApiToken(TenantMixin, db.Model):
    """A coordinator's or administrator's token for the JSON API.

    The token acts with its owner's current role, municipality and organisation, limited
    by its scopes (``read``: GET; ``write``: everything else). ``prefix`` is the first
    characters of the secret, shown so the owner can tell tokens apart; the rest of the
    secret exists only in the owner's hands.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[str] = mapped_column(sa.String(40))  # space-separated, e.g. "read write"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def is_usable(self, now: dt.datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix} user={self.user_id}>"
