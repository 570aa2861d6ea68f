"""Passwords, sign-in with throttling, session revocation and password reset.

The throttle is auth/throttle.py, the password rules auth/passwords.py, the single-use link tokens
and their redaction from sent e-mail auth/links.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.auth import throttle, two_factor
from volunteer_hub.auth.models import PasswordResetToken, User
from volunteer_hub.auth.passwords import MIN_PASSWORD_LENGTH, password_problem
from volunteer_hub.auth.single_use import spend_once
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import queue_email
from volunteer_hub.tenancy.models import Organisation

__all__ = ["MIN_PASSWORD_LENGTH", "password_problem"]  # re-exported for the forms that import them here

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
    """Create an account (password checked against the password rules) and audit it."""
    problem = password_problem(password)
    if problem is not None:
        raise ValueError(problem)
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


def _notify_owner_of_failures(user: User, count: int) -> None:
    """Tell the owner that wrong passwords or codes were tried: nothing is locked, but they should know."""
    queue_email(
        municipality_id=user.municipality_id,
        to=user.email,
        template="sign_in_failures",
        language="da",
        context={
            "name": user.name,
            "count": count,
            "url": current_app.config["PUBLIC_BASE_URL"].rstrip("/")
            + current_app.url_map.bind("localhost").build("auth.reset_request"),
        },
    )


def count_failure(email: str, user: User | None = None) -> None:
    """Count a failed password or code check against ``email`` from this client (flush only)."""
    throttle.record_failure(email, user, _notify_owner_of_failures)


def authenticate(email: str, password: str) -> LoginResult:
    """Check e-mail and password, counting failures; unknown e-mail and wrong password look alike."""
    verdict = throttle.check(email)
    if not verdict.allowed:
        return LoginResult(user=None, throttled=True, retry_after_seconds=verdict.retry_after_seconds)
    user = find_user_by_email(email)
    if user is None:
        _dummy_verify(password)
        ok = False
    else:
        ok = check_password(user, password) and user.is_active_account
    if not ok:
        count_failure(email, user if user is not None and user.is_active_account else None)
        if user is not None:
            record("auth.login_failed", actor=None, municipality_id=user.municipality_id, obj=user)
        return LoginResult(user=None)
    assert user is not None
    return LoginResult(user=user)


def confirm_identity(user: User, password: str, code: str | None, *, needs_code: bool) -> LoginResult:
    """Re-authentication: the password (and a second-factor code), throttled like sign-in."""
    verdict = throttle.check(user.email)
    if not verdict.allowed:
        return LoginResult(user=None, throttled=True, retry_after_seconds=verdict.retry_after_seconds)
    ok = check_password(user, password) and (
        not needs_code or two_factor.verify_second_factor(user, code or "")
    )
    if not ok:
        count_failure(user.email, user)
        return LoginResult(user=None)
    throttle.clear(user.email)
    return LoginResult(user=user)


def complete_login(user: User) -> None:
    """The user passed every factor: reset the failure count and record the sign-in."""
    throttle.clear(user.email)
    user.last_login_at = utcnow()
    record("auth.login", actor=user, municipality_id=user.municipality_id, obj=user)


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie the user holds, including copies of it."""
    user.session_version += 1
    record("auth.sessions_ended", actor=user, municipality_id=user.municipality_id, obj=user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_context(name: str, url: str) -> dict[str, object]:
    valid = dt.timedelta(seconds=current_app.config["PASSWORD_RESET_VALID_SECONDS"])
    return {"name": name, "url": url, "minutes": int(valid.total_seconds() // 60)}


def issue_password_link(user: User, reset_url_for: Callable[[str], str], template: str) -> None:
    """E-mail the user a single-use, expiring link to choose a password (flush only).

    The token is random; only its SHA-256 is stored, and the sent e-mail's stored copy loses the
    link once delivered (auth/links.py). ``template`` is ``password_reset`` or ``account_invitation``.
    """
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
        context=_link_context(user.name, reset_url_for(token)),
    )


def _same_work_as_a_link(reset_url_for: Callable[[str], str]) -> None:
    """What ``issue_password_link`` computes, for an address without an account: a token, its hash
    and the rendered e-mail, then nothing is kept or sent. So both answers cost the same."""
    token = secrets.token_urlsafe(32)
    _token_hash(token)
    with force_locale("da"):
        context = _link_context("", reset_url_for(token))
        render_template("emails/password_reset.subject.txt", **context)
        render_template("emails/password_reset.txt", **context)


def request_password_reset(email: str, reset_url_for: Callable[[str], str]) -> None:
    """E-mail a single-use reset link if the address has an account; say nothing either way,
    and do the same work either way (see ``_same_work_as_a_link``)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account:
        _same_work_as_a_link(reset_url_for)
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
        # The same neutral refusal whichever municipality the account is in (issue 18, finding 6).
        raise ValueError("email_unavailable")
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
    """Set a new password with a valid token, use the token up and end all old sessions.

    The token is spent by a compare-and-set (``UPDATE ... WHERE used_at IS NULL``): of two requests
    racing with the same link, exactly one changes the password. Every other reset link of the
    account stops working too.
    """
    problem = password_problem(new_password)
    if problem is not None:
        raise ValueError(problem)
    row = find_valid_reset_token(token)
    if row is None:
        return None
    if not spend_once(PasswordResetToken, row, owner=PasswordResetToken.user_id):
        return None
    db.session.expire(row)
    user = row.user
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    throttle.clear(user.email)
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
