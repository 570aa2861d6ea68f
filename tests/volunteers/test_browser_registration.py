"""Acceptance: a volunteer registers on a phone through every step, confirms the e-mail caught by a
real SMTP server, and a coordinator approves them; axe finds nothing on any page, errors included."""

from __future__ import annotations

import re

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_organisation, make_user
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import send_due_messages

pytestmark = pytest.mark.browser

EMAIL = "amira.haddad@example.dk"
COORDINATOR = "koordinator@example.dk"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{page.url} scrolls sideways"


def _continue(page) -> None:
    page.get_by_role("button", name="Fortsæt").click()


def _errors_are_shown_and_accessible(page, field_id: str) -> None:
    assert page.locator("#error-summary").is_visible()
    assert page.title().startswith("Fejl: ")
    assert page.locator(f"#error-summary a[href='#{field_id}']").count() >= 1
    assert page.locator(f"#{field_id}-error").count() == 1 or page.locator(f"#{field_id}").count() == 1
    assert_accessible(page)


def _step(page, number: int, heading: str) -> None:
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator(".step-subheading").inner_text() == f"Trin {number} af 8"
    assert f"Trin {number} af 8" in page.title()
    assert page.locator("[aria-current='step']").count() == 1
    _fits_the_phone(page)
    assert_accessible(page)


def _tick(page, label: str) -> None:
    """Tick a checkbox by clicking its label, as a person on a phone would."""
    page.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    assert page.get_by_label(label, exact=True).is_checked()


def test_register_confirm_and_approve(app, live_server, phone_page, page, smtp_sink):
    with app.app_context():
        glostrup = make_municipality()
        red_cross = make_organisation(glostrup, "Røde Kors Glostrup")
        make_organisation(glostrup, "Venligboerne Glostrup")
        make_user(glostrup, Role.MUNICIPAL_COORDINATOR, email=COORDINATOR, name="Mette Koordinator")
        db.session.commit()
        red_cross_id = red_cross.id

    p = phone_page
    p.goto(f"{live_server}/bliv-frivillig")
    assert_accessible(p)
    _fits_the_phone(p)
    p.get_by_role("link", name="Start tilmeldingen").click()

    # 1. Contact details: empty, then a bad postcode, then right.
    _step(p, 1, "Dine kontaktoplysninger")
    _continue(p)
    _errors_are_shown_and_accessible(p, "first_name")
    p.fill("#first_name", "Amira")
    p.fill("#last_name", "Haddad")
    p.fill("#email", EMAIL)
    p.fill("#phone", "2233 4455")
    p.fill("#postcode", "9999")
    p.fill("#birth_year", "1988")
    p.locator("label[for='gender']").click()
    _continue(p)
    _errors_are_shown_and_accessible(p, "postcode")
    assert "9999 er ikke et dansk postnummer." in p.locator("#postcode-error").inner_text()
    assert p.locator("#first_name").input_value() == "Amira"  # answers are kept
    p.fill("#postcode", "2600")
    _continue(p)

    # 2. Organisation.
    _step(p, 2, "Din organisation")
    _continue(p)
    _errors_are_shown_and_accessible(p, "organisation")
    p.locator("label", has_text="Røde Kors Glostrup").click()
    _continue(p)

    # 3. Languages: Danish shown, Arabic under "Andre sprog".
    _step(p, 3, "De sprog, du taler")
    _continue(p)
    _errors_are_shown_and_accessible(p, "lang_da")
    p.select_option("#lang_da", "fluent")
    p.locator("summary", has_text="Andre sprog").click()
    p.select_option("#lang_ar", "native")
    assert_accessible(p)
    _continue(p)

    # 4. Skills and interests (optional).
    _step(p, 4, "Dine kompetencer og interesser")
    _tick(p, "Breve og papirer")
    _tick(p, "Skak")
    _continue(p)

    # 5. How to help.
    _step(p, 5, "Sådan vil du hjælpe")
    p.fill("#capacity", "0")
    _continue(p)
    _errors_are_shown_and_accessible(p, "schemes")
    _tick(p, "Følg en familie")
    _tick(p, "Børnekultur og skole/daginstitution")
    _tick(p, "Hverdage om aftenen")
    p.fill("#capacity", "2")
    _continue(p)

    # 6. About you: too long, then right; e-mails in Danish.
    _step(p, 6, "Om dig")
    assert p.locator("#about").get_attribute("maxlength") == "2000"
    p.evaluate("document.querySelector('#about').removeAttribute('maxlength')")  # the server checks too
    p.fill("#about", "x" * 2001)
    _continue(p)
    _errors_are_shown_and_accessible(p, "about")
    p.fill("#about", "Jeg er sygeplejerske og taler arabisk.")
    _continue(p)

    # 7. Consents: child culture needs the child-certificate consent.
    _step(p, 7, "Samtykke")
    _continue(p)
    _errors_are_shown_and_accessible(p, "data_processing")
    assert p.locator("#child_certificate-error").is_visible()
    for box in ("data_processing", "conduct", "child_certificate"):
        p.locator(f"label[for='{box}']").click()
        assert p.locator(f"#{box}").is_checked()
    _continue(p)

    # 8. Check the answers, change one, send.
    _step(p, 8, "Tjek dine svar")
    assert "Arabisk (modersmål)" in p.locator("table").inner_text()
    p.get_by_role("link", name="Ret telefon").click()
    _step(p, 1, "Dine kontaktoplysninger")
    p.fill("#phone", "22 33 44 66")
    _continue(p)
    _step(p, 8, "Tjek dine svar")
    assert "22 33 44 66" in p.locator("table").inner_text()
    p.get_by_role("button", name="Send ansøgningen").click()
    assert p.get_by_role("heading", level=1).inner_text() == "Tak: din ansøgning er sendt"
    assert_accessible(p)

    # The confirmation e-mail goes through the outbox to the SMTP server.
    with app.app_context():
        assert send_due_messages()["sent"] == 1
    [message] = smtp_sink.to(EMAIL)
    assert message["Subject"] == "Bekræft din e-mailadresse til Volunteer Hub"
    link = re.search(r"https?://\S+(/bliv-frivillig/bekraeft/\S+)", message.get_content()).group(1)

    p.goto(live_server + link)
    assert_accessible(p)
    p.fill("#password", "kort")
    p.fill("#confirm", "kort")
    p.get_by_role("button", name="Bekræft og opret min konto").click()
    _errors_are_shown_and_accessible(p, "password")
    p.fill("#password", "en god lang adgangskode")
    p.fill("#confirm", "en god lang adgangskode")
    p.get_by_role("button", name="Bekræft og opret min konto").click()
    assert p.get_by_role("heading", level=1).inner_text() == "Min side"
    assert "afventer godkendelse" in p.locator("main").inner_text()
    _fits_the_phone(p)
    assert_accessible(p)

    # A coordinator (desktop) approves the application.
    page.goto(f"{live_server}/login")
    page.fill("#email", COORDINATOR)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    assert_accessible(page)  # the overview, with the volunteers section
    page.goto(f"{live_server}/frivillige?status=pending&organisation={red_cross_id}")
    assert_accessible(page)
    page.get_by_role("link", name="Amira Haddad").click()
    assert_accessible(page)
    page.get_by_role("button", name="Afvis").click()  # a rejection needs a reason
    _errors_are_shown_and_accessible(page, "reject-reason")
    page.goto(page.url.split("/status/")[0])
    page.get_by_role("button", name="Godkend").click()
    assert "godkendt" in page.locator(".font-lead").inner_text()
    assert_accessible(page)

    with app.app_context():
        send_due_messages()
    subjects = [m["Subject"] for m in smtp_sink.to(EMAIL)]
    assert subjects[-1] == "Du er godkendt som frivillig"
    p.reload()
    assert "Du er godkendt." in p.locator("main").inner_text()


def test_registration_in_english_is_accessible(live_server, phone_page, app):
    with app.app_context():
        make_municipality()
        db.session.commit()
    p = phone_page
    p.goto(f"{live_server}/sprog/en?next=/bliv-frivillig/trin/kontakt")
    assert p.locator("html").get_attribute("lang") == "en"
    assert p.locator(".step-subheading").inner_text() == "Step 1 of 8"
    p.get_by_role("button", name="Continue").click()
    assert p.locator("#error-summary").is_visible()
    assert "Enter your first name." in p.locator("#first_name-error").inner_text()
    _fits_the_phone(p)
    assert_accessible(p)
