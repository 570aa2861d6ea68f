"""Issue 20, item 4: after a match is approved, the coordinator is told what really happened to the
household's contact card (e-mailed or not, in which language) and what to do about it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.matching.factories import household, volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.extensions import db
from volunteer_hub.letters.links import FAMILY_LINK_EMAIL
from volunteer_hub.matching.models import Match
from volunteer_hub.notifications.models import OutboxMessage


@pytest.fixture
def sorani_household(app, glostrup):
    """A Sorani-speaking household without e-mail (no letters exist in Sorani), and a volunteer."""
    with app.app_context():
        h = household(
            glostrup.municipality,
            name="Sorani-Ahmadi family",
            languages=[("ckb", "native")],
            letter_language="ckb",
            email="",
        )
        v = volunteer(
            glostrup.municipality,
            first_name="Rebin",
            languages={"da": "native", "ckb": "fluent"},
            ref="V0301",
        )
        db.session.commit()
        return h.id, v.id


def _manual_match(app, glostrup, household_id, volunteer_ref):
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    data = {"csrf_token": csrf_token(client), "volunteer": volunteer_ref, "scheme": "friend_buddy"}
    response = client.post(f"/familier/{household_id}/manuel", data=data, follow_redirects=True)
    assert response.status_code == 200
    return client, response.get_data(as_text=True)


def test_manual_match_without_email_says_nothing_was_sent_and_to_print_with_an_interpreter(
    app, glostrup, sorani_household
):
    household_id, _ = sorani_household
    _, page = _manual_match(app, glostrup, household_id, "V0301")
    with app.app_context():
        assert (
            db.session.execute(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.template == FAMILY_LINK_EMAIL)
            ).scalar()
            == 0
        )
    assert "på sit eget sprog" not in page
    assert "Kontaktkort sendt" not in page  # nothing was sent to the household
    assert "ingen e-mailadresse" in page and "print" in page.lower()
    assert "tolk" in page  # no letters in Sorani: go through the English card with an interpreter
    assert "på engelsk" in page and "sorani" in page  # language names lower-case in running Danish


def test_match_page_says_the_card_was_emailed_when_it_was(app, glostrup):
    with app.app_context():
        h = household(
            glostrup.municipality, name="Mail-Haile family", letter_language="ti", email="haile@example.dk"
        )
        volunteer(glostrup.municipality, first_name="Senait", ref="V0302")
        db.session.commit()
        household_id = h.id
    client, page = _manual_match(app, glostrup, household_id, "V0302")
    assert "e-mail" in page and "på tigrinya" in page and "ingen e-mailadresse" not in page
    with app.app_context():
        match_id = db.session.execute(select(Match.id)).scalar_one()
    detail = client.get(f"/matching/{match_id}").get_data(as_text=True)
    assert "sendt til husstanden som e-mail" in detail and "på tigrinya" in detail
