"""One throttle for every check of a password or a code: sign-in, second factor, recovery code,
re-authentication (and any future password change).

Failures are rows in the database (``FailedLogin``), so every process and every server counts
the same ones. They are counted per account *and* client address: after ``LOGIN_MAX_FAILURES``
failures from one address, that address waits before its next try, twice as long after each
further failure (``base * 2**extra``, at most ``max``). Nothing locks the account: its owner,
from another address, signs in as usual. Against many addresses at once a second, account-wide
delay starts after four times as many failures and never exceeds a minute, so it slows a spread
attack without shutting the owner out. One address failing on many accounts (``LOGIN_CLIENT_MAX_FAILURES``
within an hour) waits the same doubling way. When an account reaches ``LOGIN_MAX_FAILURES`` failures
its owner gets an e-mail (once per counting period).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_request_context, request
from sqlalchemy import and_, case, delete, func, select

from volunteer_hub.auth.models import FailedLogin, User
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db

# Defaults of the settings below (each can be set in the app's configuration).
DEFAULTS = {
    "LOGIN_FAILURE_MEMORY_SECONDS": 24 * 3600,  # how long a failure counts
    "LOGIN_DELAY_BASE_SECONDS": 30,  # the first wait after LOGIN_MAX_FAILURES failures
    "LOGIN_DELAY_MAX_SECONDS": 3600,  # the longest wait for one address
    "LOGIN_ACCOUNT_DELAY_MAX_SECONDS": 60,  # the longest account-wide wait (the owner's too)
    "LOGIN_CLIENT_MAX_FAILURES": 30,  # failures from one address on any accounts within an hour
}


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_key(email: str) -> str:
    """Failures are counted per address without storing the address itself: a keyed hash, so
    that the table cannot be read back by hashing a list of known addresses."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()


def client_key() -> str:
    """A keyed hash of the client's address (behind ProxyFix, the real client's)."""
    address = (request.remote_addr if has_request_context() else None) or "-"
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """Whether a check may run now, and if not, in how many seconds."""

    allowed: bool
    retry_after_seconds: int = 0

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite aggregates lose the type decorator
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _wait(count: int, free: int, base: int, cap: int, last: dt.datetime | None, now: dt.datetime) -> int:
    if count < free or last is None:
        return 0
    delay = min(base * 2 ** min(count - free, 30), cap)
    return max(0, int((last + dt.timedelta(seconds=delay) - now).total_seconds()) + 1)


def _counts(key: str) -> tuple[int, dt.datetime | None, int, dt.datetime | None]:
    """(failures from this client, its last one, failures from anywhere, the last one)."""
    since = utcnow() - dt.timedelta(seconds=_setting("LOGIN_FAILURE_MEMORY_SECONDS"))
    mine = FailedLogin.client_key == client_key()
    pair_count, pair_last, count, last = db.session.execute(
        select(
            func.count(case((mine, 1))),
            func.max(case((mine, FailedLogin.attempted_at))),
            func.count(FailedLogin.id),
            func.max(FailedLogin.attempted_at),
        ).where(and_(FailedLogin.email_key == key, FailedLogin.attempted_at > since))
    ).one()
    return pair_count, _aware(pair_last), count, _aware(last)


def _client_counts() -> tuple[int, dt.datetime | None]:
    """(failures from this client against any account in the last hour, the last one)."""
    since = utcnow() - dt.timedelta(hours=1)
    count, last = db.session.execute(
        select(func.count(FailedLogin.id), func.max(FailedLogin.attempted_at)).where(
            FailedLogin.client_key == client_key(), FailedLogin.attempted_at > since
        )
    ).one()
    return count, _aware(last)


def check(email: str) -> Verdict:
    """May this client check a password or code for ``email`` now?"""
    pair_count, pair_last, count, last = _counts(email_key(email))
    client_count, client_last = _client_counts()
    now = utcnow()
    free = current_app.config["LOGIN_MAX_FAILURES"]
    wait = max(
        # One address trying many accounts (password spraying): the same doubling wait, counted
        # in the database, so it holds across processes with or without Redis.
        _wait(
            client_count,
            _setting("LOGIN_CLIENT_MAX_FAILURES"),
            _setting("LOGIN_DELAY_BASE_SECONDS"),
            _setting("LOGIN_DELAY_MAX_SECONDS"),
            client_last,
            now,
        ),
        _wait(
            pair_count,
            free,
            _setting("LOGIN_DELAY_BASE_SECONDS"),
            _setting("LOGIN_DELAY_MAX_SECONDS"),
            pair_last,
            now,
        ),
        _wait(count, 4 * free, 1, _setting("LOGIN_ACCOUNT_DELAY_MAX_SECONDS"), last, now),
    )
    return Verdict(allowed=wait == 0, retry_after_seconds=wait)


def record_failure(
    email: str, owner: User | None = None, notify: Callable[[User, int], None] | None = None
) -> None:
    """Count a failed check against ``email`` from this client (flush only).

    When the account's failures reach ``LOGIN_MAX_FAILURES``, ``notify(owner, count)`` tells its owner.
    """
    key = email_key(email)
    db.session.add(FailedLogin(email_key=key, client_key=client_key()))
    db.session.flush()
    if owner is None or notify is None:
        return
    _pair, _last, count, _at = _counts(key)
    if count == current_app.config["LOGIN_MAX_FAILURES"]:
        notify(owner, count)


def clear(email: str) -> None:
    """A successful check forgets this client's failures (not those of other addresses)."""
    db.session.execute(
        delete(FailedLogin).where(
            FailedLogin.email_key == email_key(email), FailedLogin.client_key == client_key()
        )
    )
