"""In Chromium on a phone: the family answers in Arabic (right to left) and Tigrinya; each choice is
recorded once, audited, shown to the coordinator and the volunteer; axe finds nothing on any page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.answers.helpers import approved_match, events
from tests.browser import assert_accessible
from tests.factories import PASSWORD
from tests.letters.glyphs import missing_glyphs_in_page, require_tools
from tests.support import GLOSTRUP_COORDINATOR
from volunteer_hub.answers.labels import family_choice_label
from volunteer_hub.answers.models import FamilyAnswer
from volunteer_hub.answers.services import choice_from_slug
from volunteer_hub.core.languages import _f, family_language
from volunteer_hub.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fontconfig():
    require_tools("fc-list")


def _texts(language: str) -> dict[str, str]:
    with family_language(language):
        return {
            "met": family_choice_label(choice_from_slug("met")),
            "housing": family_choice_label(choice_from_slug("help-housing")),
            "send": _f("Yes, send my answer"),
            "thanks": _f("Thank you. We have received your answer."),
            "back": _f("Back to your volunteer's card"),
        }


def _sign_in(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server}/**")


def _answer_on_the_phone(page, live_server: str, token: str, text: dict[str, str], language: str) -> None:
    page.goto(f"{live_server}/k/{token}")
    direction = "rtl" if language == "ar" else "ltr"
    assert page.locator("html").get_attribute("dir") == direction
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    assert missing_glyphs_in_page(page) == []
    assert_accessible(page)

    page.get_by_role("link", name=text["met"]).click()
    page.get_by_role("button", name=text["send"]).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=text["send"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == text["thanks"]
    assert_accessible(page)
    page.go_back()  # the confirmation again: sending it twice records one answer
    page.get_by_role("button", name=text["send"]).click()
    page.get_by_role("heading", level=1, name=text["thanks"]).wait_for()

    page.get_by_role("link", name=text["back"]).click()
    page.get_by_role("link", name=text["housing"]).click()
    page.fill("#message", "Vi mangler en større lejlighed")
    page.select_option("#message_language", "da")
    page.get_by_role("button", name=text["send"]).click()
    page.get_by_role("heading", level=1, name=text["thanks"]).wait_for()


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_a_family_answers_on_a_phone_and_coordinator_and_volunteer_see_it(
    app, live_server, phone_page, page, glostrup, language
):
    with app.app_context():
        made = approved_match(glostrup, language=language)
        volunteer_email = f"ingrid-{language}@example.dk"
    with app.test_request_context():
        text = _texts(language)
    _answer_on_the_phone(phone_page, live_server, made.token, text, language)

    with app.app_context():
        answers = db.session.execute(sa.select(FamilyAnswer).order_by(FamilyAnswer.id)).scalars().all()
        assert [(a.kind.value, a.topic and a.topic.value) for a in answers] == [
            ("met", None),
            ("help", "housing"),
        ]
        assert all(a.match_id == made.match_id for a in answers)
        assert len(events("family_answer.recorded")) == 2
        housing_id = answers[1].id

    _sign_in(page, live_server, GLOSTRUP_COORDINATOR)
    page.goto(f"{live_server}/")
    section = page.locator("table[aria-labelledby='family-answers-heading']")
    assert "Beder om hjælp: Bolig" in section.inner_text()
    assert_accessible(page)
    page.goto(f"{live_server}/familiesvar/{housing_id}")
    assert page.locator("blockquote[lang='da']").inner_text() == "Vi mangler en større lejlighed"
    assert_accessible(page)
    page.goto(f"{live_server}/matching/{made.match_id}")
    assert "Familien bekræfter, at de har mødtes: Ja" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("button", name="Log ud").click()

    _sign_in(page, live_server, volunteer_email)
    page.goto(f"{live_server}/min-side/match/{made.match_id}")
    assert "Familien har bekræftet, at I har mødt hinanden" in page.inner_text("main")
    assert "lejlighed" not in page.content() and "Bolig" not in page.inner_text("main")
    assert_accessible(page)
