"""Issue 20, item 9: words that were wrong or not translated, as users read them on the pages."""

from __future__ import annotations

import datetime as dt

from tests.factories import make_household
from tests.support import login_as
from volunteer_hub import vocab
from volunteer_hub.core.languages import FAMILY_LANGUAGES, interface_language_name, language_name
from volunteer_hub.extensions import db
from volunteer_hub.notifications.services import queue_email


def test_english_accessibility_page_has_an_english_heading(client):
    client.get("/sprog/en")
    page = client.get("/tilgaengelighed").get_data(as_text=True)
    assert "<h1>Accessibility statement</h1>" in page and "Tilgængelighedserklæring" not in page
    client.get("/sprog/da")
    assert "Tilgængelighedserklæring" in client.get("/tilgaengelighed").get_data(as_text=True)


def test_unknown_link_page_speaks_every_family_language(client):
    response = client.get("/k/" + "x" * 43)
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    for code in FAMILY_LANGUAGES:
        assert f'lang="{code}"' in page, code
    assert "Цей" in page or "посилання" in page  # Ukrainian
    assert "الرابط" in page  # Arabic


def test_outbox_names_each_message_in_words_not_template_ids(app, glostrup):
    """Named by its kind ("Familiens kontaktkort og link"), not by its stored subject, which can
    carry a person's name (the security suite's canaries hold the outbox to that)."""
    with app.app_context():
        message = queue_email(
            municipality_id=glostrup.municipality.id,
            to="someone@example.dk",
            template="family_contact_link",
            language="da",
            context={
                "url": "https://example.dk/k/abc",
                "expires": "1. januar 2027",
                "municipality_name": "Glostrup",
            },
        )
        subject = message.subject
        db.session.commit()
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get("/udbakke").get_data(as_text=True)
    assert "Familiens kontaktkort og link" in page
    assert subject not in page
    assert "family_contact_link" not in page


def test_household_list_counts_one_adult_and_one_child_in_the_singular(app, glostrup):
    with app.app_context():
        make_household(
            glostrup.municipality, adults=1, children_birth_years=(2019,), name="Plural-Haile family"
        )
        db.session.commit()
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get("/familier/").get_data(as_text=True)
    assert "1 voksen, 1 barn" in page
    assert "1 voksne" not in page and "1 børn" not in page


def test_housing_sector_is_not_called_branche(app, glostrup):
    from volunteer_hub.families.models import HousingSector, HousingStatus
    from volunteer_hub.families.services.housing import HousingData, update_housing

    with app.app_context():
        household = make_household(glostrup.municipality, name="Housing-Haile family")
        update_housing(
            household,
            HousingData(
                status=HousingStatus.TEMPORARY, sector=HousingSector.HOTEL, found_on=dt.date(2026, 11, 1)
            ),
            expected_version=household.version_id,
            actor=None,
        )
        db.session.commit()
        household_id = household.id
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get(f"/familier/{household_id}").get_data(as_text=True)
    housing = page.split('id="housing"')[1].split("</section>")[0]
    assert "Hotel" in housing and "Branche" not in housing and "Boligsektor" in housing
    edit = client.get(f"/familier/{household_id}/bolig").get_data(as_text=True)
    assert "Branche" not in edit


def test_one_name_per_language_in_the_interface_and_the_vocabulary(app):
    with app.test_request_context():
        for code in ("fa", "ckb", "ku", "prs", "ti"):
            assert interface_language_name(code) == vocab.label(vocab.LANGUAGES, code), code
        assert language_name("fa", "da") == vocab.in_sentence(vocab.LANGUAGES, "fa", "da")
        assert language_name("ckb", "en") == vocab.in_sentence(vocab.LANGUAGES, "ckb", "en")


def test_danish_language_names_are_lower_case_in_running_text(app):
    with app.test_request_context():
        assert vocab.in_sentence(vocab.LANGUAGES, "ti", "da") == "tigrinya"
        assert language_name("ti", "da") == "tigrinya"
        assert dt  # (dates unused)


def test_why_not_names_a_suspended_volunteers_status_in_danish(app, glostrup):
    from tests.matching.factories import household, volunteer
    from volunteer_hub.volunteers.models import VolunteerStatus

    with app.app_context():
        h = household(glostrup.municipality, name="Status-Haile family")
        v = volunteer(
            glostrup.municipality, first_name="Birte", status=VolunteerStatus.SUSPENDED, ref="V0501"
        )
        db.session.commit()
        household_id, volunteer_id = h.id, v.id
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get(
        f"/familier/{household_id}/forslag?ordning=friend_buddy&hvorfor_ikke={volunteer_id}"
    ).get_data(as_text=True)
    assert "(status: suspenderet)" in page and "suspended" not in page


def test_family_answers_name_the_interpreter_language_in_lower_case(app):
    from volunteer_hub.answers.labels import staff_answer_label
    from volunteer_hub.answers.models import AnswerKind, FamilyAnswer

    with app.test_request_context():
        answer = FamilyAnswer(kind=AnswerKind.INTERPRETER, interpreter_language="ti")
        assert staff_answer_label(answer) == "Beder om at blive ringet op med tolk på tigrinya"
