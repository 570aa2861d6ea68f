"""A fresh installation starts from the command line: `flask municipality create|list` and
`flask users create-admin`; bad input is refused with a message, exit 1, and writes nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.support import csrf_token
from tests.tenancy.formats_file import write_volunteers_file
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.official import official_municipalities
from volunteer_hub.volunteers.models import Volunteer


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(sa.select(AuditEvent.action).order_by(AuditEvent.id)).scalars())


def test_the_official_list_has_the_98_municipalities_with_four_digit_codes():
    municipalities = official_municipalities()
    assert len(municipalities) == 98
    assert all(re.fullmatch(r"\d{4}", code) for code in municipalities)
    assert municipalities["0161"] == "Glostrup"
    assert municipalities["0101"] == "København" and municipalities["0860"] == "Hjørring"


def test_create_makes_the_municipality_once_and_audits_it(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    assert first.exit_code == 0, first.output
    assert "Created municipality 0161 Glostrup" in first.output
    again = runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    assert again.exit_code == 0 and "already exists" in again.output
    assert count(app, Municipality) == 1
    assert actions(app) == ["municipality.created"]
    listed = runner.invoke(args=["municipality", "list"])
    assert listed.output == "0161\tGlostrup\n"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("161", "not a kommunekode"),
        ("01611", "not a kommunekode"),
        ("abcd", "not a kommunekode"),
        ("0999", "not one of the 98 official kommunekoder"),
        ("0411", "not one of the 98 official kommunekoder"),  # Christiansø is no municipality
    ],
)
def test_create_refuses_a_code_that_is_not_an_official_kommunekode(app, code, message):
    result = app.test_cli_runner().invoke(args=["municipality", "create", "--code", code, "--name", "X"])
    assert result.exit_code == 1 and message in result.output
    assert count(app, Municipality) == 0 and actions(app) == []


def test_create_refuses_an_existing_code_under_another_name_and_an_empty_name(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    other = runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Albertslund"])
    assert other.exit_code == 1 and "already exists as 'Glostrup'" in other.output
    empty = runner.invoke(args=["municipality", "create", "--code", "0165", "--name", "  "])
    assert empty.exit_code == 1 and "--name Albertslund" in empty.output
    assert count(app, Municipality) == 1


def test_create_admin_prints_a_link_that_lets_the_administrator_choose_a_password(app, client):
    runner = app.test_cli_runner()
    runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    result = runner.invoke(
        args=["users", "create-admin", "--municipality", "0161"]
        + ["--email", "Anne@Glostrup.dk", "--name", "Anne"]
    )
    assert result.exit_code == 0, result.output
    link = re.search(r"http://\S+(/password/reset/\S+)", result.output).group(1)
    assert "within 60 minutes" in result.output
    with app.app_context():
        user = db.session.execute(sa.select(User)).scalar_one()
        assert (user.email, user.name, user.role) == ("anne@glostrup.dk", "Anne", Role.ADMIN)
        # The same link is e-mailed to the administrator.
        assert link in db.session.execute(sa.select(OutboxMessage.body)).scalar_one()
    assert "user.created" in actions(app) and "user.admin_created" in actions(app)
    token = csrf_token(client, link)
    password = "et langt og hemmeligt kodeord"
    chosen = client.post(link, data={"csrf_token": token, "password": password, "confirm": password})
    assert chosen.status_code == 302
    assert client.get(link).status_code == 404  # the link works once
    token = csrf_token(client, "/login")
    credentials = {"email": "anne@glostrup.dk", "password": password}
    signed_in = client.post("/login", data={"csrf_token": token, **credentials})
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"


def test_create_admin_refuses_an_unknown_municipality_a_bad_address_and_an_existing_account(app):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["users", "create-admin", "--municipality", "0161", "--email", "a@b.dk"])
    assert unknown.exit_code == 1 and "create it first" in unknown.output
    runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    bad = runner.invoke(args=["users", "create-admin", "--municipality", "0161", "--email", "not-an-address"])
    assert bad.exit_code == 1 and "is not an e-mail address" in bad.output
    assert count(app, User) == 0
    runner.invoke(args=["users", "create-admin", "--municipality", "0161", "--email", "a@b.dk"])
    again = runner.invoke(args=["users", "create-admin", "--municipality", "0161", "--email", "A@B.dk"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert count(app, User) == 1 and count(app, OutboxMessage) == 1


def test_municipality_create_then_import_volunteers_works_on_a_fresh_database(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["municipality", "create", "--code", "0161", "--name", "Glostrup"])
    path = write_volunteers_file(tmp_path / "volunteers.csv")
    result = runner.invoke(args=["import", "volunteers", str(path)])
    assert result.exit_code == 0, result.output
    assert count(app, Volunteer) == 2
