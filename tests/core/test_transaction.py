"""One place owns the transaction: a request's writes are kept only when its answer is a success or
a redirect, or when the view asked to keep its bookkeeping; an error answer or an exception keeps
nothing, and a commit that fails answers with an error, never with the success the view made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Blueprint, Flask, redirect

from tests.factories import make_household, make_municipality, make_user
from tests.support import login_as
from volunteer_hub import create_app
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.access import public
from volunteer_hub.core.roles import Role
from volunteer_hub.core.transaction import keep_writes_on_error
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality

probe = Blueprint("transaction_probe", __name__, url_prefix="/transaction-probe")


def _add_municipality(code: str) -> None:
    db.session.add(Municipality(code=code, name=f"Kommune {code}"))
    db.session.flush()


@probe.route("/saved", methods=["POST"])
@public
def saved() -> Any:
    _add_municipality("0101")
    return redirect("/")


@probe.route("/refused-form", methods=["POST"])
@public
def refused_form() -> Any:
    _add_municipality("0102")
    return "the form has errors", 400


@probe.route("/broken", methods=["POST"])
@public
def broken() -> Any:
    _add_municipality("0103")
    raise RuntimeError("a bug after the flush")


@probe.route("/counted-failure", methods=["POST"])
@public
def counted_failure() -> Any:
    _add_municipality("0104")
    keep_writes_on_error()
    return "wrong password, and the attempt is counted", 400


@probe.route("/clash", methods=["POST"])
@public
def clash() -> Any:
    # Not flushed: the duplicate code is found only by the commit after the answer was made.
    db.session.add(Municipality(code="0161", name="A second Glostrup"))
    return "saved", 200


@pytest.fixture
def probe_app(app: Flask) -> Iterator[Flask]:
    """The app on the same database, with the probe's routes, answering errors as in production."""
    probing = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PROPAGATE_EXCEPTIONS": False,
            "WTF_CSRF_ENABLED": False,  # the probe's posts carry no form
        },
    )
    probing.register_blueprint(probe)
    yield probing
    with probing.app_context():
        db.engine.dispose()


def _codes(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.execute(sa.select(Municipality.code)).scalars())


def test_a_successful_post_keeps_its_changes(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/transaction-probe/saved")
    assert response.status_code == 302
    assert "0101" in _codes(probe_app)


def test_a_form_answered_with_400_keeps_nothing_it_flushed(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/transaction-probe/refused-form")
    assert response.status_code == 400
    assert "0102" not in _codes(probe_app)


def test_an_exception_keeps_nothing_it_flushed(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/transaction-probe/broken")
    assert response.status_code == 500
    assert "0103" not in _codes(probe_app)


def test_a_view_may_keep_its_bookkeeping_while_answering_an_error(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/transaction-probe/counted-failure")
    assert response.status_code == 400
    assert "0104" in _codes(probe_app)


def test_a_commit_that_fails_answers_with_an_error_not_the_success(probe_app: Flask) -> None:
    """A constraint refusing the commit (the same thing saved twice at once) answers 409."""
    with probe_app.app_context():
        make_municipality()
        db.session.commit()
    response = probe_app.test_client().post("/transaction-probe/clash")
    assert response.status_code == 409
    assert "samme øjeblik" in response.get_data(as_text=True)
    with probe_app.app_context():
        names = db.session.execute(sa.select(Municipality.name)).scalars().all()
    assert names == ["Glostrup Kommune"]


def test_a_page_that_records_a_read_keeps_the_audit_event(app: Flask, client: Any) -> None:
    with app.app_context():
        glostrup = make_municipality()
        coordinator = make_user(glostrup, Role.MUNICIPAL_COORDINATOR)
        household_id = make_household(glostrup).id
        db.session.commit()
        login_as(client, coordinator)
    response = client.get(f"/familier/{household_id}")
    assert response.status_code == 200
    with app.app_context():
        viewed = (
            db.session.execute(
                sa.select(AuditEvent).where(
                    AuditEvent.action == "family.viewed", AuditEvent.object_id == household_id
                )
            )
            .scalars()
            .all()
        )
    assert len(viewed) == 1
