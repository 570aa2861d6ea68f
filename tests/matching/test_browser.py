"""A coordinator matches a waiting household in a real browser; the volunteer then sees the match.

axe-core checks the suggestion page (with a "why not?" answer), the plan page, the match page
and the volunteer's pages.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_user
from tests.matching.factories import household, volunteer
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match, MatchStatus
from volunteer_hub.notifications.models import OutboxMessage

pytestmark = pytest.mark.browser


def _sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_coordinator_reads_the_reasons_approves_and_the_volunteer_sees_the_match(app, live_server, page):
    with app.app_context():
        glostrup = make_municipality()
        make_user(glostrup, email="mette@glostrup.dk", name="Mette Koordinator")
        h = household(glostrup, name="Haile family", email="haile@example.dk", interests=["football"])
        household(glostrup, name="Tesfay family", schemes=["child_culture"], children_birth_years=(2020,))
        senait = volunteer(
            glostrup,
            first_name="Senait",
            email="senait@example.dk",
            with_account=True,
            interests=["football"],
        )
        volunteer(glostrup, first_name="Anna", languages={"da": "native"})
        db.session.commit()
        household_id, senait_email = h.id, senait.email

    _sign_in(page, live_server, "mette@glostrup.dk")
    page.goto(f"{live_server}/familier/{household_id}")
    page.get_by_role("link", name="Se foreslåede frivillige og match").click()
    assert page.get_by_role("heading", name="Forslag til frivillige: Haile family").is_visible()
    assert page.get_by_text("Begge taler tigrinya").first.is_visible()
    assert page.get_by_role("rowheader", name="Sprog").first.is_visible()
    assert_accessible(page)

    page.get_by_label("Den frivilliges nummer eller navn").fill("Anna")
    page.get_by_role("button", name="Hvorfor ikke?").click()
    assert page.get_by_role("heading", name="Hvorfor ikke Anna?").is_visible()
    assert_accessible(page)

    page.goto(f"{live_server}/matching/plan?prioritet=nobody_waits")
    assert page.get_by_role("heading", name="Matchplan").is_visible()
    assert page.get_by_text("ingen egnet frivillig").is_visible()  # the Tesfay family: a recruitment signal
    assert_accessible(page)

    page.goto(f"{live_server}/familier/{household_id}/forslag")
    page.get_by_role("button", name="Godkend dette match").first.click()
    assert page.get_by_text("Matchet er godkendt").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}/familier/{household_id}/manuel")
    page.get_by_role("button", name="Godkend matchet").click()  # nothing chosen: errors, accessible
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Den frivilliges nummer eller navn").fill("Zebulon")
    page.get_by_role("button", name="Godkend matchet").click()  # nobody: the field's error
    assert page.get_by_text("Ingen frivillig har det nummer eller navn.").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Den frivilliges nummer eller navn").fill("a")  # Senait and Anna: choose one
    page.get_by_role("button", name="Godkend matchet").click()
    assert page.get_by_role("group", name="Frivillige, der passer").is_visible()
    page.get_by_label("Anna Jensen").check()
    assert_accessible(page)
    page.goto(f"{live_server}/")
    assert page.get_by_role("heading", name="Match: hvad skal gøres").is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    _sign_in(page, live_server, senait_email)
    page.get_by_role("link", name="Min side").click()
    page.get_by_role("link", name="Senait: Følg en ven").click()
    assert page.get_by_text("52 12 34 56").is_visible()
    assert page.get_by_role("heading", name="Registrér et møde").is_visible()
    assert_accessible(page)

    with app.app_context():
        match = db.session.execute(select(Match)).scalar_one()
        assert match.status == MatchStatus.APPROVED
        to_family = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.recipient == "haile@example.dk")
        ).scalar_one()
        assert to_family.language == "ti" and to_family.template == "family_contact_link"
