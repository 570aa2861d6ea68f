"""Child certificates: valid for CHILD_CERTIFICATE_VALID_MONTHS from receipt, never with remarks,
and coordinators see the ones expiring within 30 days."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_municipality, make_organisation, make_user, make_volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import queries, services
from volunteer_hub.volunteers.models import ChildCertificateState, Volunteer, VolunteerStatus, add_months

OK = ChildCertificateState.RECEIVED_OK


def _with_certificate(state, received_on, **kwargs) -> Volunteer:
    return Volunteer(child_certificate_state=state, child_certificate_received_on=received_on, **kwargs)


@pytest.mark.parametrize(
    ("state", "received", "as_of", "valid"),
    [
        (OK, dt.date(2024, 3, 31), dt.date(2026, 3, 31), True),  # the last day counts
        (OK, dt.date(2024, 3, 31), dt.date(2026, 4, 1), False),
        (OK, dt.date(2024, 2, 29), dt.date(2026, 2, 28), True),  # leap day + 24 months
        (OK, dt.date(2024, 2, 29), dt.date(2026, 3, 1), False),
        (OK, dt.date(2026, 5, 1), dt.date(2026, 4, 30), False),  # not received yet on that day
        (ChildCertificateState.RECEIVED_WITH_REMARKS, dt.date(2026, 1, 1), dt.date(2026, 2, 1), False),
        (ChildCertificateState.REQUESTED, None, dt.date(2026, 2, 1), False),
        (ChildCertificateState.NOT_REQUESTED, None, dt.date(2026, 2, 1), False),
    ],
)
def test_validity_of_a_child_certificate(state, received, as_of, valid):
    assert _with_certificate(state, received).has_valid_child_certificate(as_of, valid_months=24) is valid


def test_validity_follows_the_configured_number_of_months(ctx):
    volunteer = _with_certificate(OK, dt.date(2025, 1, 15))
    assert volunteer.has_valid_child_certificate(dt.date(2026, 6, 1))  # default 24 months
    ctx.config["CHILD_CERTIFICATE_VALID_MONTHS"] = 12
    try:
        assert not volunteer.has_valid_child_certificate(dt.date(2026, 6, 1))
    finally:
        ctx.config["CHILD_CERTIFICATE_VALID_MONTHS"] = 24


def test_add_months_keeps_the_end_of_the_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 12, 15), -24) == dt.date(2022, 12, 15)


def test_coordinators_see_certificates_expiring_within_30_days(ctx):
    municipality = make_municipality()
    red_cross = make_organisation(municipality)
    today = dt.date(2026, 11, 27)

    def volunteer(name, received, state=OK, status=VolunteerStatus.APPROVED, organisation=None):
        return make_volunteer(
            municipality,
            first_name=name,
            status=status,
            organisation=organisation,
            child_certificate_state=state,
            child_certificate_received_on=received,
        )

    volunteer("Tomorrow", add_months(today, -24) + dt.timedelta(days=1), organisation=red_cross)
    volunteer("Today", add_months(today, -24))
    volunteer("In30", add_months(today, -24) + dt.timedelta(days=30))
    volunteer("In31", add_months(today, -24) + dt.timedelta(days=31))
    volunteer("Expired", add_months(today, -24) - dt.timedelta(days=1))
    volunteer(
        "Remarks", add_months(today, -24) + dt.timedelta(days=3), ChildCertificateState.RECEIVED_WITH_REMARKS
    )
    volunteer("Withdrawn", add_months(today, -24) + dt.timedelta(days=3), status=VolunteerStatus.WITHDRAWN)
    coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    partner = make_user(municipality, Role.PARTNER_COORDINATOR, organisation=red_cross)

    expiring = queries.list_expiring_certificates(coordinator, today)
    assert [(v.first_name, expires) for v, expires in expiring] == [
        ("Today", today),
        ("Tomorrow", today + dt.timedelta(days=1)),
        ("In30", today + dt.timedelta(days=30)),
    ]
    assert [v.first_name for v, _ in queries.list_expiring_certificates(partner, today)] == ["Tomorrow"]


def test_the_overview_orders_certificates_by_expiry_then_volunteer_even_at_a_month_end(ctx):
    municipality = make_municipality()
    red_cross = make_organisation(municipality)

    def volunteer(name, received, organisation=None):
        return make_volunteer(
            municipality,
            first_name=name,
            status=VolunteerStatus.APPROVED,
            organisation=organisation,
            child_certificate_state=OK,
            child_certificate_received_on=received,
        ).id

    # 29 and 28 February 2024 both expire on 28 February 2026 (24 months): the lower id comes first
    leap_day = volunteer("LeapDay", dt.date(2024, 2, 29), organisation=red_cross)
    day_before = volunteer("DayBefore", dt.date(2024, 2, 28))
    volunteer("Earlier", dt.date(2024, 2, 27), organisation=red_cross)
    volunteer("March", dt.date(2024, 3, 1))
    volunteer("TooLate", dt.date(2024, 3, 23))
    make_volunteer(municipality, first_name="Waiting")  # pending, e-mail confirmed
    make_volunteer(municipality, first_name="Unconfirmed", verified=False)
    coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    partner = make_user(municipality, Role.PARTNER_COORDINATOR, organisation=red_cross)
    on = dt.date(2026, 2, 20)

    board = queries.staff_board(coordinator, on)
    assert [(row.name, row.expires_on) for row in board.expiring] == [
        ("Earlier Jensen", dt.date(2026, 2, 27)),
        ("LeapDay Jensen", dt.date(2026, 2, 28)),
        ("DayBefore Jensen", dt.date(2026, 2, 28)),
        ("March Jensen", dt.date(2026, 3, 1)),
    ]
    assert leap_day < day_before
    assert [row.organisation_name for row in board.expiring] == [red_cross.name, red_cross.name, None, None]
    assert (board.expiring_total, board.awaiting) == (4, 1)
    assert [
        (v.first_name, expires) for v, expires in queries.list_expiring_certificates(coordinator, on)
    ] == [(row.name.split()[0], row.expires_on) for row in board.expiring]

    partners = queries.staff_board(partner, on)
    assert [row.name for row in partners.expiring] == ["Earlier Jensen", "LeapDay Jensen"]
    assert (partners.expiring_total, partners.awaiting) == (2, 0)


def test_the_overview_page_lists_expiring_certificates(app, client):
    with app.app_context():
        municipality = make_municipality()
        make_volunteer(
            municipality,
            first_name="Udløber",
            status=VolunteerStatus.APPROVED,
            child_certificate_state=OK,
            child_certificate_received_on=add_months(services.today(), -24) + dt.timedelta(days=10),
        )
        make_volunteer(
            municipality,
            first_name="Gyldig",
            status=VolunteerStatus.APPROVED,
            child_certificate_state=OK,
            child_certificate_received_on=services.today() - dt.timedelta(days=30),
        )
        login_as(client, make_user(municipality, Role.MUNICIPAL_COORDINATOR))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Børneattester, der udløber inden for 30 dage" in page
    assert "Udløber Jensen" in page and "Gyldig Jensen" not in page


def test_the_overview_shows_the_ten_most_urgent_certificates_and_how_many_expire(app, client):
    with app.app_context():
        municipality = make_municipality()
        for days in range(12):
            make_volunteer(
                municipality,
                first_name=f"Frivillig{days:02d}",
                status=VolunteerStatus.APPROVED,
                child_certificate_state=OK,
                child_certificate_received_on=add_months(services.today(), -24) + dt.timedelta(days=days),
            )
        login_as(client, make_user(municipality, Role.MUNICIPAL_COORDINATOR))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "De 10 mest presserende af 12 vises." in page
    assert "Frivillig09" in page and "Frivillig10" not in page and "Frivillig11" not in page


def test_a_coordinator_records_a_certificate_and_is_the_assessor(app, client):
    with app.app_context():
        municipality = make_municipality()
        red_cross = make_organisation(municipality)
        volunteer = make_volunteer(
            municipality, organisation=red_cross, child_certificate_consent_at=utcnow()
        )  # consented at sign-up: without it nothing is recorded (issue 20)
        coordinator = make_user(
            municipality, Role.PARTNER_COORDINATOR, organisation=red_cross, name="Pia Partner"
        )
        db.session.commit()
        login_as(client, coordinator)
        ids = volunteer.id, red_cross.id, coordinator.id
    url = f"/frivillige/{ids[0]}"
    token = csrf_token(client, url)
    missing_date = client.post(
        f"{url}/boerneattest",
        data={
            "certificate-csrf_token": token,
            "certificate-state": "received_ok",
            "certificate-organisation": str(ids[1]),
        },
    )
    assert missing_date.status_code == 400
    assert "Indtast datoen, hvor attesten blev modtaget" in missing_date.get_data(as_text=True)
    future = client.post(
        f"{url}/boerneattest",
        data={
            "certificate-csrf_token": token,
            "certificate-state": "received_ok",
            "certificate-received_on": "2999-01-01",
            "certificate-organisation": str(ids[1]),
        },
    )
    assert future.status_code == 400
    response = client.post(
        f"{url}/boerneattest",
        data={
            "certificate-csrf_token": token,
            "certificate-state": "received_with_remarks",
            "certificate-received_on": "2026-01-05",
            "certificate-organisation": str(ids[1]),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Volunteer, ids[0])
        assert saved.child_certificate_state == ChildCertificateState.RECEIVED_WITH_REMARKS
        assert saved.child_certificate_received_on == dt.date(2026, 1, 5)
        assert saved.child_certificate_assessed_by_id == ids[2]
        assert saved.child_certificate_organisation_id == ids[1]
        assert not saved.has_valid_child_certificate(dt.date(2026, 2, 1))
    page = client.get(url).get_data(as_text=True)
    assert "modtaget med anmærkninger" in page and "Vurderet af Pia Partner." in page
