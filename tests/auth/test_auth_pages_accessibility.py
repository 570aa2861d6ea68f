"""axe-core finds nothing on the two-factor, re-authentication and user administration pages."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_user
from volunteer_hub.auth import totp
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_two_factor_setup_and_code_pages_are_accessible(app, live_server, page):
    with app.app_context():
        make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email="staff@glostrup.dk")
        db.session.commit()
    app.config["STAFF_TWO_FACTOR_REQUIRED"] = True
    try:
        _sign_in(page, live_server, "staff@glostrup.dk")
        assert page.url.endswith("/login/setup-code")
        assert_accessible(page)
        page.fill("#code", "123")
        page.get_by_role("button", name="Slå totrinslogin til").click()
        assert page.locator("#error-summary").is_visible()
        assert_accessible(page)
        secret = re.search(r"[A-Z2-7]{32}", page.locator(".vh-secret").inner_text()).group(0)
        page.fill("#code", totp.code_at(secret, totp.time_step(time.time())))
        page.get_by_role("button", name="Slå totrinslogin til").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Dine gendannelseskoder"
        assert_accessible(page)
        page.get_by_role("button", name="Log ud").click()
        _sign_in(page, live_server, "staff@glostrup.dk")
        assert page.url.endswith("/login/code")
        assert_accessible(page)
    finally:
        app.config["STAFF_TWO_FACTOR_REQUIRED"] = False


def test_user_administration_pages_are_accessible(app, live_server, page):
    with app.app_context():
        municipality = make_municipality()
        make_user(municipality, Role.ADMIN, email="admin@glostrup.dk", name="Anne Admin")
        other = make_user(municipality, Role.PARTNER_COORDINATOR, email="p@rk.dk", name="Peter")
        db.session.commit()
        other_id = other.id
    _sign_in(page, live_server, "admin@glostrup.dk")
    page.goto(f"{live_server}/admin/users/")
    assert_accessible(page)
    page.get_by_role("button", name="Opret konto").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/admin/users/{other_id}")
    assert_accessible(page)
    page.goto(f"{live_server}/login/confirm?next=/")
    assert_accessible(page)
