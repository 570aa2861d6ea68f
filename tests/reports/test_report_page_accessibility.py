"""axe-core finds nothing on the report page, in Danish and English, for each kind of viewer."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import assert_accessible
from tests.support import PASSWORD, make_municipality, make_user
from volunteer_hub.auth.models import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation

pytestmark = pytest.mark.browser

Q3 = "/reports/quarterly?year=2026&quarter=3"


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/")


def _make(app, role, email, organisation_id=None):
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
        make_user(make_municipality(), role, email=email, organisation=organisation, name="Mette Koordinator")
        db.session.commit()


@pytest.mark.parametrize("language", ["da", "en"])
def test_report_page_is_accessible_before_and_after_finalising(app, live_server, page, glostrup, language):
    _make(app, Role.MUNICIPAL_COORDINATOR, "koordinator@glostrup.dk")
    _sign_in(page, live_server, "koordinator@glostrup.dk")
    page.goto(f"{live_server}/sprog/{language}?next={quote(Q3, safe='')}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("svg[role=img]").count() == 3
    assert_accessible(page)
    heading = "Kvartalsrapport for partnerskabet" if language == "da" else "Quarterly partnership report"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    button = (
        "Godkend rapporten for 3. kvartal 2026 endeligt"
        if language == "da"
        else "Finalise the report for Q3 2026"
    )
    page.get_by_role("button", name=button).click()
    assert page.locator(".alert-success").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}{Q3}&version=draft")
    assert_accessible(page)


def test_partner_report_page_is_accessible(app, live_server, page, glostrup):
    _make(app, Role.PARTNER_COORDINATOR, "rodekors@glostrup.dk", glostrup["rk"])
    _sign_in(page, live_server, "rodekors@glostrup.dk")
    page.goto(f"{live_server}{Q3}")
    assert "Røde Kors Glostrup" in page.locator("main").inner_text()
    assert_accessible(page)


def test_report_page_works_on_a_phone(app, live_server, phone_page, glostrup):
    _make(app, Role.ADMIN, "admin@glostrup.dk")
    _sign_in(phone_page, live_server, "admin@glostrup.dk")
    phone_page.goto(f"{live_server}{Q3}")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert_accessible(phone_page)
