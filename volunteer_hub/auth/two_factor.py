"""Two-factor sign-in for staff: TOTP enrolment, codes used once, recovery codes."""

from __future__ import annotations

import hashlib
import secrets
import time

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from volunteer_hub.audit.services import record
from volunteer_hub.auth import totp
from volunteer_hub.auth.models import RecoveryCode, User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db

RECOVERY_CODE_COUNT = 10


def is_required_for(user: User) -> bool:
    """Staff must use a second factor when the configuration says so (always in production)."""
    return bool(current_app.config.get("STAFF_TWO_FACTOR_REQUIRED")) and user.is_staff


def is_enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None


def start_enrolment(user: User) -> str:
    """Give the user a new, not yet confirmed secret; returns it for the authenticator app."""
    if is_enrolled(user):
        raise ValueError("two-factor sign-in is already set up")
    user.totp_secret = totp.new_secret()
    return user.totp_secret


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def confirm_enrolment(user: User, code: str, now: float | None = None) -> list[str] | None:
    """Enable two-factor sign-in when ``code`` matches the new secret; returns recovery codes."""
    if user.totp_secret is None or is_enrolled(user):
        return None
    step = totp.matching_step(user.totp_secret, code, now or time.time(), None)
    if step is None:
        return None
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    record("auth.two_factor_enabled", actor=user, municipality_id=user.municipality_id, obj=user)
    return codes


def _claim_step(user: User, step: int) -> bool:
    """Use up time step ``step`` for ``user`` by compare-and-set; False when it (or a later one) is
    already used, also by a request running at the same moment."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def _claim_recovery_code(code_id: int) -> bool:
    """Spend a recovery code by compare-and-set (``WHERE used_at IS NULL``)."""
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1  # type: ignore[attr-defined]


def verify_second_factor(user: User, code: str, now: float | None = None) -> bool:
    """Accept a current TOTP code (once per time step) or an unused recovery code.

    Each is spent with a conditional UPDATE whose row count decides, so two requests sending the
    same code at the same moment cannot both pass.
    """
    if not is_enrolled(user) or user.totp_secret is None:
        return False
    step = totp.matching_step(user.totp_secret, code, now or time.time(), user.totp_last_step)
    if step is not None:
        return _claim_step(user, step)
    recovery_id = db.session.execute(
        select(RecoveryCode.id).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
    ).scalar_one_or_none()
    if recovery_id is None or not _claim_recovery_code(recovery_id):
        return False
    record("auth.recovery_code_used", actor=user, municipality_id=user.municipality_id, obj=user)
    return True
