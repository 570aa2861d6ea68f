"""The overview's volunteer section and the volunteer list send as many SQL queries for 1,000
volunteers as for 10: they read what they show, not the municipality."""

from __future__ import annotations

import datetime as dt

from flask import render_template
from flask_login import login_user

from tests.factories import make_municipality, make_organisation, make_user, make_volunteer
from tests.families.test_query_count import counting_queries
from tests.support import login_as
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import ChildCertificateState, VolunteerStatus, add_months

LIST = "/frivillige?language=ar&availability=weekend"


def _add_volunteers(start: int, count: int) -> None:
    """Volunteers with certificates expiring within 30 days, half of them awaiting a decision, a
    third with a partner organisation, all speaking Arabic and free at weekends."""
    municipality = make_municipality()
    red_cross = make_organisation(municipality)
    expiring_from = add_months(services.today(), -24)
    for n in range(start, start + count):
        make_volunteer(
            municipality,
            first_name=f"Frivillig{n:04d}",
            status=VolunteerStatus.PENDING if n % 2 else VolunteerStatus.APPROVED,
            organisation=red_cross if n % 3 == 0 else None,
            languages={"da": "native", "ar": "basic"},
            availability=["weekend"],
            child_certificate_state=ChildCertificateState.RECEIVED_OK,
            child_certificate_received_on=expiring_from + dt.timedelta(days=n % 30),
        )
    db.session.commit()


def _dashboard_section(app, user_id: int) -> tuple[int, str]:
    """Queries and HTML of the overview page's volunteer section, for the signed-in ``user_id``."""
    with app.test_request_context("/"):
        login_user(db.session.get(User, user_id))
        with counting_queries(db.engine) as statements:
            board = app.extensions["vh_dashboard_boards"]
            volunteers = next(entry for entry in board if entry.name == "volunteers").gather().data
            html = render_template("volunteers/_dashboard_staff.html", boards={"volunteers": volunteers})
        return len(statements), html


def _page(app, client, path: str) -> tuple[int, str]:
    with app.app_context():
        engine = db.engine
    with counting_queries(engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_volunteer_overview_and_list_query_counts_do_not_grow_with_volunteers(app, client):
    with app.app_context():
        municipality = make_municipality()
        coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR).id
        partner = make_user(
            municipality, Role.PARTNER_COORDINATOR, organisation=make_organisation(municipality)
        ).id
        _add_volunteers(1, 10)
        login_as(client, db.session.get(User, coordinator))
    few = {
        "coordinator": _dashboard_section(app, coordinator),
        "partner": _dashboard_section(app, partner),
        "list": _page(app, client, LIST),
    }
    with app.app_context():
        _add_volunteers(11, 990)
    many = {
        "coordinator": _dashboard_section(app, coordinator),
        "partner": _dashboard_section(app, partner),
        "list": _page(app, client, LIST),
        "list, page 3": _page(app, client, LIST + "&side=3"),
    }
    for name, (queries, _html) in many.items():
        assert queries == few[name.split(",")[0]][0], (name, few, many)

    # what the pages show: the ten most urgent of all expiring, the applications awaiting a decision
    assert "De 10 mest presserende af 1000 vises." in many["coordinator"][1]
    assert "500 ansøgninger venter på en beslutning" in many["coordinator"][1]
    assert "De 10 mest presserende af 333 vises." in many["partner"][1]  # their organisation's only
    assert "Frivillig0030 Jensen" in many["coordinator"][1]  # received first, expires first
    assert "Frivillig0001 Jensen" in many["list"][1] and "Frivillig0026 Jensen" not in many["list"][1]
    assert "Frivillig0051 Jensen" in many["list, page 3"][1]
