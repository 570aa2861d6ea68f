"""Passwords, sign-in with throttling, session revocation and password reset."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from sqlalchemy import delete, func, select

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import FailedLogin, PasswordResetToken, User
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.tenancy.models import Organisation

MIN_PASSWORD_LENGTH = 12

_hashers: dict[bool, PasswordHasher] = {}


def _hasher() -> PasswordHasher:
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _hashers:
        # The test suite uses cheap parameters; every other config uses argon2id defaults.
        _hashers[fast] = (
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else PasswordHasher()
        )
    return _hashers[fast]


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's; rehashes transparently when parameters changed."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


# A hash to verify against when the e-mail is unknown, so both answers take as long.
_DUMMY_HASH: dict[bool, str] = {}


def _dummy_verify(password: str) -> None:
    fast = bool(current_app.config.get("PASSWORD_HASH_FAST"))
    if fast not in _DUMMY_HASH:
        _DUMMY_HASH[fast] = hash_password(secrets.token_hex(16))
    try:
        _hasher().verify(_DUMMY_HASH[fast], password)
    except VerificationError:
        pass


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def _email_key(email: str) -> str:
    # Failed sign-ins are counted per address without storing the address itself.
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def create_user(
    *,
    municipality_id: int,
    email: str,
    name: str,
    password: str,
    role: Role,
    organisation_id: int | None = None,
    actor: User | None = None,
) -> User:
    """Create an account (password checked for length) and audit it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = User(
        municipality_id=municipality_id,
        email=normalise_email(email),
        name=name,
        password_hash=hash_password(password),
        role=role,
        organisation_id=organisation_id,
    )
    db.session.add(user)
    db.session.flush()
    record("user.created", actor=actor, municipality_id=municipality_id, obj=user, role=role.value)
    return user


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail, in any municipality (e-mail is unique platform-wide)."""
    return db.session.execute(
        select(User).where(User.email == normalise_email(email)).execution_options(all_tenants=True)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a sign-in attempt: a user, or why not (never which part was wrong)."""

    user: User | None
    throttled: bool = False
    retry_after_seconds: int = 0


def is_throttled(email: str) -> tuple[bool, int]:
    """Whether sign-in for this e-mail is paused after repeated failures, and for how long."""
    window = dt.timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    since = utcnow() - window
    count, oldest = db.session.execute(
        select(func.count(FailedLogin.id), func.min(FailedLogin.attempted_at)).where(
            FailedLogin.email_key == _email_key(email), FailedLogin.attempted_at > since
        )
    ).one()
    if count < current_app.config["LOGIN_MAX_FAILURES"]:
        return False, 0
    if oldest.tzinfo is None:  # SQLite aggregates lose the type decorator
        oldest = oldest.replace(tzinfo=dt.UTC)
    retry = int((oldest + window - utcnow()).total_seconds()) + 1
    return True, max(retry, 1)


def register_failure(email: str) -> None:
    """Count a failed sign-in step (password or second factor) against this e-mail."""
    db.session.add(FailedLogin(email_key=_email_key(email)))


def clear_failures(email: str) -> None:
    db.session.execute(delete(FailedLogin).where(FailedLogin.email_key == _email_key(email)))


def authenticate(email: str, password: str) -> LoginResult:
    """Check e-mail and password, counting failures; unknown e-mail and wrong password look alike."""
    throttled, retry = is_throttled(email)
    if throttled:
        return LoginResult(user=None, throttled=True, retry_after_seconds=retry)
    user = find_user_by_email(email)
    if user is None:
        _dummy_verify(password)
        ok = False
    else:
        ok = check_password(user, password) and user.is_active_account
    if not ok:
        register_failure(email)
        if user is not None:
            record("auth.login_failed", actor=None, municipality_id=user.municipality_id, obj=user)
        return LoginResult(user=None)
    assert user is not None
    return LoginResult(user=user)


def complete_login(user: User) -> None:
    """The user passed every factor: reset the failure count and record the sign-in."""
    clear_failures(user.email)
    user.last_login_at = utcnow()
    record("auth.login", actor=user, municipality_id=user.municipality_id, obj=user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie the user holds, including copies of it."""
    user.session_version += 1
    record("auth.sessions_ended", actor=user, municipality_id=user.municipality_id, obj=user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_link(user: User, reset_url_for: Callable[[str], str], template: str) -> None:
    """E-mail the user a single-use, expiring link to choose a password (flush only)."""
    token = secrets.token_urlsafe(32)
    valid = dt.timedelta(seconds=current_app.config["PASSWORD_RESET_VALID_SECONDS"])
    db.session.add(
        PasswordResetToken(user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + valid)
    )
    queue_email(
        municipality_id=user.municipality_id,
        to=user.email,
        template=template,
        language="da",
        context={
            "name": user.name,
            "url": reset_url_for(token),
            "minutes": int(valid.total_seconds() // 60),
        },
    )


def request_password_reset(email: str, reset_url_for: Callable[[str], str]) -> None:
    """E-mail a single-use reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        return
    issue_password_link(user, reset_url_for, "password_reset")
    record("auth.password_reset_requested", actor=None, municipality_id=user.municipality_id, obj=user)


def _check_organisation(role: Role, organisation_id: int | None, municipality_id: int) -> int | None:
    """The organisation id a staff role may carry: required for partner coordinators, else None."""
    if role != Role.PARTNER_COORDINATOR:
        return None
    if organisation_id is None:
        raise ValueError("organisation_required")
    found = db.session.execute(
        select(Organisation.id).where(
            Organisation.id == organisation_id, Organisation.municipality_id == municipality_id
        )
    ).scalar_one_or_none()
    if found is None:  # another municipality's organisation, or none at all
        raise ValueError("organisation_required")
    return found


def invite_staff_user(
    *,
    actor: User,
    email: str,
    name: str,
    role: Role,
    organisation_id: int | None,
    reset_url_for: Callable[[str], str],
) -> User:
    """Create a staff account in the actor's municipality and e-mail it a link to set a password."""
    if find_user_by_email(email) is not None:
        raise ValueError("email_taken")
    organisation_id = _check_organisation(role, organisation_id, actor.municipality_id)
    user = create_user(
        municipality_id=actor.municipality_id,
        email=email,
        name=name,
        password=secrets.token_urlsafe(32),  # unusable until the invitee chooses their own
        role=role,
        organisation_id=organisation_id,
        actor=actor,
    )
    issue_password_link(user, reset_url_for, "account_invitation")
    return user


def change_role(user: User, role: Role, organisation_id: int | None, *, actor: User) -> None:
    """Give ``user`` another role; their sessions end so the change applies everywhere at once."""
    if user.id == actor.id:
        raise ValueError("own_role")
    organisation_id = _check_organisation(role, organisation_id, actor.municipality_id)
    previous = user.role
    user.role = role
    user.organisation_id = organisation_id
    user.session_version += 1
    record(
        "user.role_changed",
        actor=actor,
        municipality_id=user.municipality_id,
        obj=user,
        previous=previous.value,
        role=role.value,
    )


def set_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (ending every session) or reactivate an account."""
    if user.id == actor.id:
        raise ValueError("own_account")
    user.is_active_account = active
    user.session_version += 1
    record(
        "user.activated" if active else "user.deactivated",
        actor=actor,
        municipality_id=user.municipality_id,
        obj=user,
    )


def find_valid_reset_token(token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset token matching ``token``, or None."""
    row = db.session.execute(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(token: str, new_password: str) -> User | None:
    """Set a new password with a valid token, use the token up and end all old sessions."""
    row = find_valid_reset_token(token)
    if row is None:
        return None
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    user = row.user
    row.used_at = utcnow()
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record("auth.password_reset", actor=user, municipality_id=user.municipality_id, obj=user)
    return user


def change_own_name(user: User, name: str) -> None:
    """The user changes their own display name (flush only); the name is not audited, the change is."""
    name = name.strip()
    if not name:
        raise ValueError("name")
    if name != user.name:
        user.name = name
        record("user.name_changed", actor=user, municipality_id=user.municipality_id, obj=user)
