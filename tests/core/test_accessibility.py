"""axe-core finds nothing on the public pages, in Danish and English, errors included."""

from __future__ import annotations

import pytest

from tests.browser import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["da", "en"])
def test_login_page_and_its_error_state_are_accessible(live_server, page, language):
    page.goto(f"{live_server}/sprog/{language}?next=/login")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)

    page.get_by_role("button", name="Log ind" if language == "da" else "Sign in").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert "email-error" in page.locator("#email").get_attribute("aria-describedby")
    assert_accessible(page)

    page.fill("#email", "nobody@example.dk")
    page.fill("#password", "wrong password")
    page.get_by_role("button", name="Log ind" if language == "da" else "Sign in").click()
    assert summary.is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["da", "en"])
def test_accessibility_statement_is_accessible(live_server, page, language):
    page.goto(f"{live_server}/sprog/{language}?next=/tilgaengelighed")
    heading = "Tilgængelighedserklæring" if language == "da" else "Accessibility statement"  # issue 20
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert_accessible(page)


def test_login_page_works_on_a_phone(live_server, phone_page):
    phone_page.goto(f"{live_server}/login")
    assert phone_page.locator("#email").is_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    assert_accessible(phone_page)
