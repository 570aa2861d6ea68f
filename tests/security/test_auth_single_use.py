"""Issue 18, finding 3: a single-use secret works once, also for two requests at the same moment.

Each test lets two real clients, on their own PostgreSQL connections, post the same TOTP code,
recovery code or reset link. A barrier holds both requests right after they have read the
secret's state and before they spend it, so without a compare-and-set both would win (the
pen-test's 4 of 4). With one, exactly one wins.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import PASSWORD, make_municipality, make_user
from tests.support import csrf_token
from volunteer_hub.auth import services, totp, two_factor
from volunteer_hub.auth.models import PasswordResetToken, RecoveryCode, User
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db

pytestmark = pytest.mark.pg_only

EMAIL = "race@glostrup.dk"


def _race(requests: list[Callable[[], Any]]) -> list[Any]:
    """Run the requests in threads at once; their answers in order."""
    answers: list[Any] = [None] * len(requests)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            answers[index] = requests[index]()
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return answers


def _hold_both_after(monkeypatch, module: Any, name: str, barrier: threading.Barrier, nth: int = 1) -> None:
    """Make ``module.name`` wait at ``barrier`` on its ``nth`` call in each thread."""
    original = getattr(module, name)
    calls = threading.local()

    def held(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        calls.n = getattr(calls, "n", 0) + 1
        if calls.n == nth:
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, held)


@pytest.fixture
def enrolled(pg_app):
    """A coordinator with two-factor sign-in set up and one recovery code; (secret, user id)."""
    pg_app.config["STAFF_TWO_FACTOR_REQUIRED"] = True
    with pg_app.app_context():
        user = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email=EMAIL)
        user.totp_secret = totp.new_secret()
        user.totp_enabled_at = utcnow()
        db.session.add(RecoveryCode(user_id=user.id, code_hash=two_factor._hash("abcd1234-ef567890")))
        db.session.commit()
        secret, user_id = user.totp_secret, user.id
    yield secret, user_id
    pg_app.config["STAFF_TWO_FACTOR_REQUIRED"] = False


def _past_the_password(app) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD})
    assert answer.headers["Location"] == "/login/code"
    return client


def _send_code(client, code: str) -> Callable[[], int]:
    token = csrf_token(client, "/login/code")
    return lambda: client.post("/login/code", data={"csrf_token": token, "code": code}).status_code


def test_the_same_totp_code_signs_in_only_one_of_two_racing_sessions(pg_app, enrolled, monkeypatch):
    secret, _user_id = enrolled
    clients = [_past_the_password(pg_app) for _ in range(2)]
    code = totp.code_at(secret, totp.time_step(time.time()))
    sends = [_send_code(client, code) for client in clients]
    _hold_both_after(monkeypatch, totp, "matching_step", threading.Barrier(2, timeout=20))
    answers = _race(sends)
    assert sorted(answers) == [302, 400], answers
    signed_in = [client.get("/").status_code == 200 for client in clients]
    assert signed_in.count(True) == 1


def test_the_same_recovery_code_signs_in_only_one_of_two_racing_sessions(pg_app, enrolled, monkeypatch):
    clients = [_past_the_password(pg_app) for _ in range(2)]
    sends = [_send_code(client, "abcd1234-ef567890") for client in clients]
    _hold_both_after(monkeypatch, totp, "matching_step", threading.Barrier(2, timeout=20))
    answers = _race(sends)
    assert sorted(answers) == [302, 400], answers
    with pg_app.app_context():
        assert db.session.execute(db.select(RecoveryCode.used_at)).scalar_one() is not None


def test_the_same_reset_link_changes_the_password_only_once(pg_app, monkeypatch):
    issued: list[str] = []
    with pg_app.app_context():
        user = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email=EMAIL)
        services.issue_password_link(user, lambda token: issued.append(token) or token, "password_reset")
        db.session.commit()
        user_id = user.id
    path = f"/password/reset/{issued[0]}"
    posts = []
    for new_password in ("first new passphrase 91", "second new passphrase 37"):
        client = pg_app.test_client()
        token = csrf_token(client, path)
        data = {"csrf_token": token, "password": new_password, "confirm": new_password}
        posts.append(lambda client=client, data=data: client.post(path, data=data).status_code)
    # Both requests have found the link unused (the view's check and the service's) before either spends it.
    _hold_both_after(monkeypatch, services, "find_valid_reset_token", threading.Barrier(2, timeout=20), nth=2)
    answers = _race(posts)
    assert sorted(answers) == [302, 404], answers
    with pg_app.app_context():
        user = db.session.get(User, user_id)
        matches = [
            services.check_password(user, p) for p in ("first new passphrase 91", "second new passphrase 37")
        ]
        assert matches.count(True) == 1
        assert db.session.execute(db.select(PasswordResetToken.used_at)).scalar_one() is not None
