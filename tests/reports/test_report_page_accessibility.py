"""axe-core finds nothing on the report page, in Danish and English, for each kind of viewer."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_user
from tests.support import GLOSTRUP_ADMIN, GLOSTRUP_COORDINATOR
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

pytestmark = pytest.mark.browser

Q3 = "/reports/quarterly?year=2026&quarter=3"


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/")


def _make_partner(app, email, glostrup):
    with app.app_context():
        make_user(
            glostrup.municipality,
            Role.PARTNER_COORDINATOR,
            email=email,
            organisation=glostrup.red_cross,
            name="Mette Koordinator",
        )
        db.session.commit()


@pytest.mark.parametrize("language", ["da", "en"])
def test_report_page_is_accessible_before_and_after_finalising(app, live_server, page, glostrup, language):
    _sign_in(page, live_server, GLOSTRUP_COORDINATOR)
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
    _make_partner(app, "rodekors@glostrup.dk", glostrup)
    _sign_in(page, live_server, "rodekors@glostrup.dk")
    page.goto(f"{live_server}{Q3}")
    assert "Røde Kors Glostrup" in page.locator("main").inner_text()
    assert_accessible(page)


def test_report_page_works_on_a_phone(app, live_server, phone_page, glostrup):
    _sign_in(phone_page, live_server, GLOSTRUP_ADMIN)
    phone_page.goto(f"{live_server}{Q3}")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert_accessible(phone_page)
