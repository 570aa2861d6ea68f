"""P2: the welcome letter is made in the household's letter language and recording it completes the item."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
import sqlalchemy as sa

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_household, make_municipality, make_user
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families import welcome
from volunteer_hub.families.models import Household, ReceptionStepKind
from volunteer_hub.families.services.reception import step_of
from volunteer_hub.letters.models import LetterRecord


def _setup(app, **household):
    with app.app_context():
        municipality = make_municipality()
        coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR, email="mette@glostrup.dk")
        home = make_household(municipality, **household)
        db.session.commit()
        return coordinator.id, home.id


def _login(app, client, user_id):
    with app.app_context():
        login_as(client, db.session.get(User, user_id))


def test_letter_language_falls_back_to_english_only_when_no_letter_exists_in_it(ctx):
    municipality = make_municipality()
    tigrinya = make_household(municipality, languages=[("ti", "native")], letter_language="ti")
    sorani = make_household(municipality, ref="F2", languages=[("ckb", "native")], letter_language="ckb")
    assert welcome.letter_language_for(tigrinya) == "ti"
    assert welcome.letter_language_for(sorani) == "en"


def test_recording_the_letter_completes_the_reception_item_and_freezes_the_letter(app, client):
    coordinator, household_id = _setup(app, languages=[("ar", "native")], letter_language="ar")
    _login(app, client, coordinator)
    path = f"/familier/{household_id}/velkomstbrev"
    page = client.get(path).get_data(as_text=True)
    assert "Endnu ikke gennemlæst af en modersmålstaler" in page  # Arabic is not reviewed by default
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    with app.app_context():
        household = db.session.get(Household, household_id)
        step = step_of(household, ReceptionStepKind.WELCOME_LETTER)
        assert step is not None and step.done_by == "Test Person"
        letter = db.session.execute(sa.select(LetterRecord)).scalar_one()
        assert (letter.object_type, letter.object_id, letter.language) == ("household", household_id, "ar")
        actions = db.session.execute(sa.select(AuditEvent.action)).scalars().all()
        assert "family.welcome_letter_sent" in actions


def test_welcome_letter_pdf_is_in_the_letter_language(app, client):
    coordinator, household_id = _setup(app, languages=[("uk", "native")], letter_language="uk")
    _login(app, client, coordinator)
    response = client.get(f"/familier/{household_id}/velkomstbrev.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    assert "Senait" in text
    assert any("\u0400" <= ch <= "\u04ff" for ch in text), "the Ukrainian letter has Cyrillic text"


def test_partner_coordinator_cannot_reach_the_welcome_letter(app, client):
    _coordinator, household_id = _setup(app)
    with app.app_context():
        partner = make_user(make_municipality(), Role.PARTNER_COORDINATOR, email="p@rk.dk")
        db.session.commit()
        partner_id = partner.id
    _login(app, client, partner_id)
    for suffix in ("", "/brev", ".pdf"):
        assert client.get(f"/familier/{household_id}/velkomstbrev{suffix}").status_code == 404


@pytest.mark.browser
def test_welcome_letter_page_is_accessible(app, live_server, page):
    _coordinator, household_id = _setup(app, arrival=dt.date.today() - dt.timedelta(days=20))
    page.goto(f"{live_server}/login")
    page.fill("#email", "mette@glostrup.dk")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server}/familier/{household_id}/velkomstbrev")
    assert_accessible(page)
    page.get_by_role("button", name="Registrér brevet som sendt i dag").click()
    assert page.locator(".alert-success").first.is_visible()
    assert_accessible(page)
