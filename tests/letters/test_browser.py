"""In Chromium: the family's card in Arabic and Tigrinya, direction, fonts, no missing glyph, axe clean."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import assert_accessible
from tests.factories import PASSWORD, make_municipality, make_user
from tests.letters.glyphs import ARABIC, ETHIOPIC, browser_fonts, missing_glyphs_in_page, require_tools
from volunteer_hub.core.languages import RIGHT_TO_LEFT
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.letters.data import sample_contact_card
from volunteer_hub.notifications.models import OutboxStatus
from volunteer_hub.notifications.services import queue_email

pytestmark = pytest.mark.browser

SCRIPT = {
    "ar": (ARABIC, "Noto Naskh Arabic"),
    "prs": (ARABIC, "Noto Naskh Arabic"),
    "ti": (ETHIOPIC, "Noto Sans Ethiopic"),
}


@pytest.fixture(autouse=True)
def _fontconfig():
    require_tools("fc-list")


def _card_link(app, language: str) -> str:
    with app.app_context():
        municipality = make_municipality()
        card = sample_contact_card(municipality.id, municipality.name, language)
        _link, token = links.create_family_link(card, object_type="match", object_id=1, actor=None)
        db.session.commit()
    return f"/k/{token}"


def _edge_offsets(page, selector: str) -> tuple[float, float]:
    """Distance of an element's box from its card's left and right inner edges."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector).getBoundingClientRect();
            const card = document.querySelector('.vh-card');
            const box = card.getBoundingClientRect(), style = getComputedStyle(card);
            const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
            const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
            return [el.left - left, right - el.right];
        }""",
        selector,
    )


@pytest.mark.parametrize("language", ["ar", "ti", "prs"])
def test_contact_card_link_on_a_phone_has_the_right_direction_script_and_no_missing_glyph(
    app, live_server, phone_page, language
):
    page = phone_page
    page.goto(live_server + _card_link(app, language))
    assert page.locator("html").get_attribute("lang") == language
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    assert page.locator("html").get_attribute("dir") == direction
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == direction

    # The CSS stack for the language starts with the Noto font for its script ...
    pattern, noto = SCRIPT[language]
    stack = page.evaluate("getComputedStyle(document.querySelector('.vh-letter-title')).fontFamily")
    assert stack.startswith(f'"{noto}"'), stack
    # ... and Chromium really drew the script with it (platform fonts per element, DevTools protocol).
    drawn = browser_fonts(page)
    script_elements = [(text, fonts) for text, fonts in drawn if pattern.search(text)]
    assert len(script_elements) > 10
    assert all(noto in fonts for _text, fonts in script_elements), script_elements
    # Every character on the page was drawn with a font that has a glyph for it.
    assert missing_glyphs_in_page(page) == []

    # Phone number and e-mail stay left to right; in Arabic they sit at the right, mirrored.
    email = page.locator("a[href^='mailto:']")
    assert email.inner_text() == "mette.frivillig@example.dk"
    assert email.evaluate("el => getComputedStyle(el).direction") == "ltr"
    from_left, from_right = _edge_offsets(page, "a[href^='mailto:']")
    if direction == "rtl":
        assert from_right < 2 < from_left
    else:
        assert from_left < 2 < from_right

    assert page.evaluate("document.documentElement.scrollWidth") <= 390, (
        "the card scrolls sideways on a phone"
    )
    assert_accessible(page)


def test_the_glyph_check_sees_a_character_no_font_has(page):
    page.set_content('<html lang="en"><body><p>ab\u0378c</p></body></html>')
    [problem] = missing_glyphs_in_page(page)
    assert "U+0378" in problem


def test_closed_link_page_in_arabic_and_unknown_link_page_are_accessible(app, live_server, page):
    path = _card_link(app, "ar")
    with app.app_context():
        link = links.find_family_link(path.rsplit("/", 1)[1])
        link.expires_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    page.goto(live_server + path)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "لم يعد هذا الرابط يعمل"
    assert missing_glyphs_in_page(page) == []
    assert_accessible(page)
    page.goto(live_server + "/k/" + "A" * 43)
    assert "Linket virker ikke" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server}/")


def test_administrator_pages_for_letters_links_and_outbox_are_accessible_and_resend_works(
    app, live_server, page, smtp_sink
):
    with app.app_context():
        municipality = make_municipality()
        make_user(municipality, Role.ADMIN, email="admin@example.dk")
        message = queue_email(
            municipality_id=municipality.id,
            to="family@example.dk",
            template="password_reset",
            language="da",
            context={"name": "N", "url": "u", "minutes": 1},
        )
        message.status = OutboxStatus.FAILED
        message.attempts = 8
        db.session.commit()
    _card_link(app, "ps")
    _sign_in(page, live_server, "admin@example.dk")

    for path in (
        "/breve",
        "/breve/tekster/contact_card/fa",
        "/breve/forhaandsvisning/welcome_letter/ar",
        "/familielinks",
    ):
        page.goto(live_server + path)
        assert_accessible(page)
    assert (
        page.locator(".vh-tag--unreviewed").first.inner_text()
        == "Endnu ikke gennemlæst af en modersmålstaler"
    )

    page.goto(live_server + "/breve/forhaandsvisning/welcome_letter/ti/side")
    assert page.locator("html").get_attribute("lang") == "ti"
    assert missing_glyphs_in_page(page) == []
    assert_accessible(page)

    page.goto(live_server + "/udbakke?status=failed")
    assert_accessible(page)
    page.get_by_role("button", name="Send igen").click()
    assert "sat i kø igen" in page.locator(".alert").inner_text()
    assert_accessible(page)
    from volunteer_hub.notifications.services import send_due_messages

    with app.app_context():
        assert send_due_messages()["sent"] == 1
    assert len(smtp_sink.to("family@example.dk")) == 1
