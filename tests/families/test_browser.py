"""A coordinator registers a family in a real browser, fills in the case, and sees what is overdue.

axe-core checks every page visited, the error state included.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_user
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

pytestmark = pytest.mark.browser


def _iso(day: dt.date) -> str:
    return day.isoformat()


def test_coordinator_registers_a_family_fills_the_case_and_sees_overdue_items(app, live_server, page):
    with app.app_context():
        glostrup = make_municipality()
        make_user(glostrup, Role.MUNICIPAL_COORDINATOR, email="mette@glostrup.dk", name="Mette Koordinator")
        db.session.commit()
    today = local_today()
    arrival = today - dt.timedelta(days=16)  # both 14-day deadlines are two days overdue

    page.goto(f"{live_server}/login")
    assert_accessible(page)
    page.fill("#email", "mette@glostrup.dk")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Familier").click()
    assert_accessible(page)
    page.get_by_role("link", name="Registrér en husstand").click()
    assert_accessible(page)

    # An empty form shows every problem, linked to its field.
    page.get_by_role("button", name="Registrér husstanden").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#postcode").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.fill("#arrival_on", _iso(arrival))
    for row, (name, kind, year) in enumerate(
        [
            ("Senait Haile", "adult", "1990"),
            ("Yonas Haile", "adult", "1986"),
            ("Yara Haile", "child", "2016"),
            ("Noah Haile", "child", "2022"),
        ]
    ):
        page.fill(f"#members-{row}-name", name)
        page.select_option(f"#members-{row}-kind", kind)
        page.fill(f"#members-{row}-birth_year", year)
    page.fill("#name", "Haile family")
    page.fill("#contact_name", "Senait Haile")
    page.fill("#phone", "52 12 34 56")
    page.fill("#postcode", "2600")
    page.fill("#address", "Hovedvejen 12")
    page.select_option("#languages-0-language", "ti")
    page.select_option("#languages-0-level", "native")
    page.select_option("#languages-1-language", "ar")
    page.select_option("#languages-1-level", "conversational")
    page.get_by_label("Følg en familie").check()
    page.get_by_label("Fodbold").check()
    page.get_by_label("Svømning").check()
    page.get_by_label("Weekend").check()
    page.fill("#consent_on", _iso(arrival))
    page.select_option("#consent_scope", "contact_card")
    page.get_by_role("button", name="Registrér husstanden").click()

    assert page.get_by_role("heading", level=1).inner_text().startswith("Haile family")
    assert page.get_by_text("Forfalden med 2 dage").count() == 3  # letter + two internships
    assert_accessible(page)
    case_url = page.url

    # Reception: the guided tour and the health-check offer; the welcome letter is still missing.
    page.get_by_role("link", name="Opdatér tjeklisten for modtagelsen").click()
    assert_accessible(page)
    page.fill("#guided_tour_on", _iso(today - dt.timedelta(days=3)))
    page.fill("#guided_tour_by", "Frivillig fra Røde Kors")
    page.get_by_role("button", name="Gem tjeklisten").click()
    assert_accessible(page)
    page.get_by_role("link", name="Modtagelse", exact=True).click()
    assert_accessible(page)
    page.select_option("#health-status", "offered")
    page.fill("#health-on", _iso(today - dt.timedelta(days=2)))
    page.get_by_role("button", name="Gem lægetjekkets status").click()
    # The answer to a submitted form may still be on its way: wait for the message, then look.
    page.get_by_text("Lægetjekkets status er gemt.").wait_for()
    assert page.get_by_text("Lægetjekkets status er gemt.").is_visible()
    assert_accessible(page)

    # Housing: a hotel while searching for a flat (a family with children: a P7 warning).
    page.get_by_role("link", name="Opdatér boligen").click()
    assert_accessible(page)
    page.select_option("#status", "temporary")
    page.select_option("#sector", "hotel")
    page.fill("#address", "Hotel ved Glostrup station")
    page.fill("#found_on", _iso(arrival))
    page.get_by_role("button", name="Gem boligen").click()
    page.get_by_text("Familie med børn i midlertidig bolig").first.wait_for()
    assert page.get_by_text("Familie med børn i midlertidig bolig").first.is_visible()
    assert_accessible(page)

    # Work and language: Yonas is offered an internship, Senait starts Danish without work.
    page.get_by_role("link", name="Yonas Haile").first.click()
    assert_accessible(page)
    page.fill("#workplace_name", "Plejecenter Glostrup")
    page.select_option("#sector", "care")
    page.fill("#offered_on", _iso(today - dt.timedelta(days=1)))
    page.select_option("#internship_status", "offered")
    page.get_by_role("button", name="Gem").click()
    assert_accessible(page)
    page.get_by_role("link", name="Senait Haile").first.click()
    assert_accessible(page)
    page.fill("#language_school", "Sprogcenter Vestegnen")
    page.select_option("#programme", "2")
    page.select_option("#module", "1")
    page.fill("#class_start_on", _iso(today - dt.timedelta(days=5)))
    page.fill("#schedule", "Man og ons 9–12")
    page.get_by_role("button", name="Gem").click()
    assert_accessible(page)
    page.get_by_role("link", name="Yara Haile").first.click()
    assert_accessible(page)
    page.fill("#school", "Nordvangskolen")
    page.fill("#school_class", "4.b")
    page.fill("#ppr_contact", "PPR Glostrup, Hanne")
    page.get_by_role("button", name="Gem").click()

    page.goto(case_url)
    assert page.get_by_text("Forfalden med 2 dage").count() == 2  # Yonas's offer is recorded
    danish_warning = "Danskundervisning uden arbejde eller praktik ved siden af: Senait Haile"
    assert page.get_by_text(danish_warning).is_visible()
    assert page.get_by_role("cell", name="Nordvangskolen, 4.b").is_visible()
    assert_accessible(page)

    # The overview shows what is overdue.
    page.get_by_role("link", name="Overblik", exact=True).click()
    letters = page.locator("table[aria-labelledby='letters-heading']")
    assert "Haile family (F0001)" in letters.inner_text() and "Forfalden med 2 dage" in letters.inner_text()
    internships = page.locator("table[aria-labelledby='internships-heading']")
    assert "Senait Haile" in internships.inner_text() and "Yonas Haile" not in internships.inner_text()
    housing_warnings = page.locator("h3#housing-warnings-heading + ul").inner_text()
    assert "Familie med børn i midlertidig bolig" in housing_warnings
    assert "Senait Haile" in page.locator("h3#danish-warnings-heading + ul").inner_text()
    assert_accessible(page)
