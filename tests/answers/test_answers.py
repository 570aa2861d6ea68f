"""A family answers on its private link: recorded once against the match, audited, limited, refused
when the link is closed, and read by the coordinator (audited) and the volunteer (only "we have met")."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.answers.helpers import approved_match, events
from tests.support import login_as
from volunteer_hub.answers.models import AnswerKind, FamilyAnswer, HelpTopic
from volunteer_hub.answers.services import ANSWERS_PER_LINK_PER_DAY
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.letters.models import FamilyLink

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _csrf(page: str) -> str:
    found = CSRF_FIELD.search(page)
    assert found, "no CSRF field"
    return found.group(1) or found.group(2)


def _answer(client, token: str, choice: str, **fields: str):
    page = client.get(f"/k/{token}/svar/{choice}")
    assert page.status_code == 200
    return client.post(
        f"/k/{token}/svar/{choice}", data={"csrf_token": _csrf(page.get_data(as_text=True)), **fields}
    )


def _answers() -> list[FamilyAnswer]:
    return list(db.session.execute(sa.select(FamilyAnswer).order_by(FamilyAnswer.id)).scalars())


def test_the_card_page_offers_every_choice_in_the_familys_language_with_an_icon(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="ti")
    page = client.get(f"/k/{made.token}").get_data(as_text=True)
    assert "ተራኺብና ኢና" in page  # "We have met"
    assert "ቆጸራ ሕክምና" in page  # "Health appointment"
    for slug in ("met", "no_contact", "another_volunteer", "help-housing", "help-health_appointment",
                 "help-other", "interpreter"):  # fmt: skip
        assert f'href="/k/{made.token}/svar/{slug}"' in page
    assert page.count('<svg class="vh-answer-icon"') >= 12


def test_a_choice_confirmed_is_recorded_once_against_the_match_and_audited(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="ar")
    response = _answer(client, made.token, "help-housing", message="نحتاج شقة أكبر", message_language="ar")
    assert response.status_code == 302 and response.location.endswith(f"/k/{made.token}/svar/tak")
    thanks = client.get(response.location).get_data(as_text=True)
    assert "شكرًا لكم" in thanks and '<html lang="ar" dir="rtl">' in thanks
    again = _answer(client, made.token, "help-housing", message="نحتاج شقة أكبر", message_language="ar")
    assert again.status_code == 302  # a second tap or a reload: thanked, not recorded again
    with app.app_context():
        (answer,) = _answers()
        assert (answer.match_id, answer.household_id) == (made.match_id, made.household_id)
        assert (answer.kind, answer.topic) == (AnswerKind.HELP, HelpTopic.HOUSING)
        assert (answer.message, answer.message_language) == ("نحتاج شقة أكبر", "ar")
        (event,) = events("family_answer.recorded")
        assert event.details["kind"] == "help" and event.details["topic"] == "housing"
        assert "شقة" not in str(event.details)  # the audit trail never carries the family's words


def test_an_answer_without_the_forms_csrf_token_is_refused(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
    assert client.post(f"/k/{made.token}/svar/met", data={}).status_code == 400
    with app.app_context():
        assert _answers() == []


def test_the_interpreter_choice_records_the_language_asked_for(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup, language="ti")
    assert _answer(client, made.token, "interpreter", interpreter_language="ti").status_code == 302
    with app.app_context():
        (answer,) = _answers()
        assert (answer.kind, answer.interpreter_language) == (AnswerKind.INTERPRETER, "ti")


def test_an_expired_or_revoked_link_takes_no_answer(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
        page = client.get(f"/k/{made.token}/svar/no_contact").get_data(as_text=True)
        link = links.find_family_link(made.token)
        link.expires_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    response = client.post(f"/k/{made.token}/svar/no_contact", data={"csrf_token": _csrf(page)})
    assert response.status_code == 410
    assert client.get(f"/k/{made.token}/svar/no_contact").status_code == 410
    assert client.get("/k/" + "x" * 43 + "/svar/met").status_code == 404
    with app.app_context():
        assert _answers() == []
        assert len(events("family_answer.refused")) == 2


def test_a_link_gives_at_most_so_many_answers_a_day(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
    for n in range(ANSWERS_PER_LINK_PER_DAY):
        assert _answer(client, made.token, "help-other", message=f"note {n}").status_code == 302
    response = _answer(client, made.token, "help-other", message="one more")
    assert response.status_code == 429
    with app.app_context():
        assert len(_answers()) == ANSWERS_PER_LINK_PER_DAY


def test_the_coordinator_sees_the_answer_oldest_first_and_reading_the_message_is_audited(
    app, client, glostrup
):
    with app.app_context():
        first = approved_match(glostrup, language="ar")
        second = approved_match(glostrup, language="ti")
    _answer(client, second.token, "another_volunteer")
    _answer(client, first.token, "no_contact", message="لم يتصل أحد", message_language="ar")
    _answer(client, first.token, "met")  # not on the list: nothing to act on
    with app.app_context():
        older = db.session.execute(
            sa.select(FamilyAnswer).where(FamilyAnswer.kind == "another_volunteer")
        ).scalar_one()
        older.answered_at = utcnow() - dt.timedelta(days=3)
        db.session.commit()
        reads_before = len(events("family.viewed"))
    login_as(client, glostrup.coordinator_login)
    overview = client.get("/").get_data(as_text=True)
    section = overview[overview.index('id="family-answers-heading"') :]
    assert section.index("Vil gerne have en anden frivillig") < section.index(
        "Ingen har kontaktet familien endnu"
    )
    assert "لم يتصل أحد" not in overview  # the message only on the answer's own page
    with app.app_context():
        answer = db.session.execute(
            sa.select(FamilyAnswer).where(FamilyAnswer.kind == "no_contact")
        ).scalar_one()
        answer_id = answer.id
    page = client.get(f"/familiesvar/{answer_id}").get_data(as_text=True)
    assert 'lang="ar" dir="auto">لم يتصل أحد</blockquote>' in page
    assert "arabisk" in page.lower()
    with app.app_context():
        reads = events("family.viewed")[reads_before:]
        assert any(
            e.object_id == first.household_id and e.details.get("endpoint") == "answers.detail" for e in reads
        )


def test_the_volunteer_sees_that_the_family_confirmed_meeting_and_nothing_else(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
    _answer(client, made.token, "help-health_appointment", message="private words")
    login_as(client, made.volunteer_login)
    page = client.get(f"/min-side/match/{made.match_id}").get_data(as_text=True)
    assert "Familien har bekræftet" not in page and "private words" not in page
    client.get("/logout")
    with client.session_transaction() as session:
        session.clear()
    _answer(client, made.token, "met")
    login_as(client, made.volunteer_login)
    page = client.get(f"/min-side/match/{made.match_id}").get_data(as_text=True)
    assert "Familien har bekræftet, at I har mødt hinanden" in page
    assert "private words" not in page and "Tid hos læge" not in page


def test_a_link_that_is_not_a_matchs_takes_no_answer(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
        link = links.find_family_link(made.token)
        link.object_type = "sample"
        db.session.commit()
    assert client.get(f"/k/{made.token}/svar/met").status_code == 410
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(FamilyLink)).scalar_one() >= 1


def test_a_handled_answer_leaves_the_overview_and_the_trail_says_who_handled_it(app, client, glostrup):
    with app.app_context():
        made = approved_match(glostrup)
    _answer(client, made.token, "another_volunteer")
    login_as(client, glostrup.coordinator_login)
    assert "Vil gerne have en anden frivillig" in client.get("/").get_data(as_text=True)
    with app.app_context():
        (answer,) = _answers()
        answer_id = answer.id
    page = client.get(f"/familiesvar/{answer_id}").get_data(as_text=True)
    response = client.post(f"/familiesvar/{answer_id}/handled", data={"csrf_token": _csrf(page)})
    assert response.status_code == 302
    assert "Vil gerne have en anden frivillig" not in client.get("/").get_data(as_text=True)
    with app.app_context():
        (event,) = events("family_answer.handled")
        assert event.actor_user_id == glostrup.coordinator_login.id and event.object_id == answer_id
        assert _answers()[0].handled_at is not None
