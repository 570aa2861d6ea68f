"""User accounts, failed sign-in records, password-reset and e-mail verification tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from volunteer_hub.core.roles import Role
from volunteer_hub.db import TenantMixin, TimestampMixin, str_enum, utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation

STAFF_ROLES = frozenset({Role.PARTNER_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.ADMIN})


class User(UserMixin, TenantMixin, TimestampMixin, db.Model):
    """A person who signs in. Families never have accounts."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Bumped at logout and password change: every session cookie issued before stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[dt.datetime | None]
    # Two-factor sign-in (TOTP). The secret is set at enrolment and confirmed by a first code.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None]  # the last time step used: a code works once

    municipality: Mapped[Municipality] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "role != 'partner_coordinator' OR organisation_id IS NOT NULL",
            name="partner_coordinator_has_organisation",
        ),
    )

    def get_id(self) -> str:
        """Flask-Login's session id: the user id and the session version together."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # used by Flask-Login to refuse disabled accounts
        return self.is_active_account

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class FailedLogin(db.Model):
    """One failed password or code check, keyed by hashes of the account's e-mail and of the
    client's address, for throttling (auth/throttle.py).

    Kept in the database so that every app instance counts the same failures.
    """

    __tablename__ = "failed_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    # A keyed hash of the client's address; None for rows from before the per-client throttle.
    client_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class PasswordResetToken(db.Model):
    """A single-use, expiring password-reset token; only its SHA-256 is stored."""

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use recovery code for two-factor sign-in; only its SHA-256 is stored."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[dt.datetime | None]


class EmailVerificationToken(db.Model):
    """A single-use, expiring link token that confirms a volunteer's e-mail address.

    Random and opaque (it carries neither the address nor the volunteer); only its SHA-256 is
    stored. The volunteer table is named, not imported: accounts sit below volunteers.
    """

    __tablename__ = "email_verification_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(sa.ForeignKey("volunteer.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<EmailVerificationToken {self.id} volunteer={self.volunteer_id}>"
