"""axe-core finds nothing on the API keys page: empty, with errors, with a new key, with a list."""

from __future__ import annotations

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_user
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

pytestmark = pytest.mark.browser


def test_api_keys_page_is_accessible_and_shows_a_new_key_once(app, live_server, page):
    with app.app_context():
        make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email="mc@glostrup.dk")
        db.session.commit()
    page.goto(f"{live_server}/login")
    page.fill("#email", "mc@glostrup.dk")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="API-nøgler").click()
    assert page.get_by_role("heading", level=1).inner_text() == "API-nøgler"
    assert_accessible(page)

    page.get_by_label("Læse data").uncheck()
    page.get_by_role("button", name="Opret nøgle").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)

    page.fill("#name", "Sagssystem")
    page.get_by_label("Læse data").check()
    page.get_by_role("button", name="Opret nøgle").click()
    secret = page.locator(".alert-success code").inner_text()
    assert secret.startswith("vhk_")
    assert_accessible(page)

    page.goto(f"{live_server}/api-noegler/")  # shown once: never again on the page
    assert secret not in page.content()
    assert page.get_by_role("cell", name="Sagssystem", exact=True).is_visible()
    page.get_by_role("button", name="Tilbagekald Sagssystem").click()
    assert page.get_by_text("er tilbagekaldt").is_visible()
    assert_accessible(page)
