"""Finding 2: a database error never puts personal data or secrets in the log.

Two simultaneous invitations of one address: the second insert waits on the first one's
unique index and is refused when it commits. Before, the 500's log carried the statement's
parameters (e-mail, name, password hash, second-factor secret). Now the engine hides bound
values, and the refused write is answered 409 (nothing kept) with a log line naming the route.
The race is real: two PostgreSQL connections, the request's insert waiting on the other's lock.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from tests.support import csrf_token, login_as, make_glostrup
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

EMAIL = "ulla.hemmelig@example.dk"
NAME = "Ulla Hemmeligsen"


def _wait_for_a_lock_wait(app, timeout: float = 15.0) -> None:
    """Until some connection waits on a lock (the request's insert behind the other's)."""
    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline:
            waiting = db.session.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            ).scalar_one()
            db.session.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError("the invitation never waited on the other insert")


@pytest.mark.pg_only
def test_two_simultaneous_invitations_answer_409_and_log_nothing_personal(pg_app, caplog):
    with pg_app.app_context():
        glostrup = make_glostrup()
    client = pg_app.test_client()
    login_as(client, glostrup.admin_login)
    token = csrf_token(client)
    flushed, go = threading.Event(), threading.Event()

    def other_administrator() -> None:  # invites the same address, and commits a moment later
        with pg_app.app_context():
            make_user(glostrup.municipality, Role.MUNICIPAL_COORDINATOR, email=EMAIL, name=NAME)
            db.session.flush()
            flushed.set()
            go.wait(20)
            db.session.commit()

    answer: dict[str, object] = {}

    def this_administrator() -> None:
        answer["response"] = client.post(
            "/admin/users/",
            data={"csrf_token": token, "name": NAME, "email": EMAIL, "role": "municipal_coordinator"},
        )

    other = threading.Thread(target=other_administrator)
    other.start()
    assert flushed.wait(20)
    caplog.set_level(logging.DEBUG)
    mine = threading.Thread(target=this_administrator)
    mine.start()
    _wait_for_a_lock_wait(pg_app)
    go.set()
    other.join(20)
    mine.join(20)

    response = answer["response"]
    assert response.status_code == 409
    assert "at the same moment" in response.get_data(as_text=True) or "samme øjeblik" in response.get_data(
        as_text=True
    )
    with pg_app.app_context():
        assert len(db.session.scalars(select(User).where(User.email == EMAIL)).all()) == 1
    logged = "\n".join(
        record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
        for record in caplog.records
    )
    assert "conflicted with a simultaneous write" in logged
    for secret in (EMAIL, NAME, "$argon2", "pbkdf2", "scrypt"):
        assert secret not in logged


@pytest.mark.pg_only
def test_a_logged_database_error_names_no_value_whoever_logs_it(pg_app, caplog):
    """PostgreSQL's own detail repeats the value ("Key (email)=(...) already exists"): an error
    logged with its traceback, by the app or any library, keeps its class, SQLSTATE and
    constraint, and loses the statement, the values and the detail."""
    with pg_app.app_context():
        glostrup = make_glostrup()
        make_user(glostrup.municipality, email=EMAIL, name=NAME)
        db.session.commit()
        with pytest.raises(IntegrityError) as refused:
            make_user(glostrup.municipality, email=EMAIL, name=NAME)
            db.session.flush()
        db.session.rollback()
        assert EMAIL in str(refused.value.orig)  # what would have been logged
        caplog.set_level(logging.ERROR)
        for logger in (pg_app.logger, logging.getLogger("volunteer_hub.notifications"), logging.getLogger()):
            try:
                raise RuntimeError("the save failed") from refused.value
            except RuntimeError:
                logger.exception("Exception on /admin/users/ [POST]")
    assert len(caplog.records) == 3
    assert EMAIL not in caplog.text and NAME not in caplog.text
    assert "INSERT INTO" not in caplog.text
    assert "UniqueViolation" in caplog.text and "uq_user_account_email" in caplog.text
