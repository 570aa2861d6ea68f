"""The volunteer's own pages on a phone, and the coordinator's pages in English: axe finds nothing."""

from __future__ import annotations

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_organisation, make_user, make_volunteer
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import VolunteerStatus

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()


def test_own_pages_are_accessible_on_a_phone_errors_included(app, live_server, phone_page):
    with app.app_context():
        municipality = make_municipality()
        make_volunteer(
            municipality, status=VolunteerStatus.APPROVED, with_account=True, email="selma@example.dk"
        )
        db.session.commit()
    p = phone_page
    _sign_in(p, live_server, "selma@example.dk")
    p.goto(f"{live_server}/min-side")
    assert_accessible(p)
    p.get_by_role("button", name="Sæt på pause").click()
    assert "på pause" in p.locator("main").inner_text()
    assert_accessible(p)
    p.get_by_role("link", name="Ret din profil").click()
    assert_accessible(p)
    p.fill("#postcode", "0000")
    p.get_by_role("button", name="Gem").click()
    assert p.locator("#error-summary").is_visible()
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(p)
    p.goto(f"{live_server}/min-side/slet")
    assert_accessible(p)


def test_coordinator_pages_in_english_are_accessible(app, live_server, page):
    with app.app_context():
        municipality = make_municipality()
        organisation = make_organisation(municipality)
        make_user(
            municipality, Role.PARTNER_COORDINATOR, email="partner@example.dk", organisation=organisation
        )
        volunteer_id = make_volunteer(  # consented: the certificate form is shown (issue 20)
            municipality,
            organisation=organisation,
            status=VolunteerStatus.APPROVED,
            child_certificate_consent_at=utcnow(),
        ).id
        db.session.commit()
    page.goto(f"{live_server}/sprog/en?next=/login")
    _sign_in(page, live_server, "partner@example.dk")
    page.goto(f"{live_server}/frivillige?language=da")
    assert page.get_by_role("heading", level=1).inner_text() == "Volunteers"
    assert_accessible(page)
    page.goto(f"{live_server}/frivillige/{volunteer_id}")
    page.get_by_role("button", name="Save the certificate").click()  # state stays; no date for "received"
    assert_accessible(page)
    page.select_option("#certificate-state", "received_ok")
    page.get_by_role("button", name="Save the certificate").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
