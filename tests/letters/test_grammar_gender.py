"""Issue 20, item 10: family texts about the volunteer follow the volunteer's gender where the
family language's grammar needs it, and coordinators see whether a card's language was reviewed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from tests.matching.factories import household, volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.core.languages import GENDER_CONTEXTS, babel_locale
from volunteer_hub.extensions import db
from volunteer_hub.letters.data import sample_contact_card
from volunteer_hub.letters.links import card_delivery, link_card
from volunteer_hub.letters.models import FamilyLink, LetterKind
from volunteer_hub.letters.rendering import render_contact_card_html
from volunteer_hub.letters.texts import GENDER_VARIANTS, PLACEHOLDER, default_letter_text
from volunteer_hub.matching.models import Match
from volunteer_hub.volunteers.models import Gender

TRANSLATIONS = Path(__file__).resolve().parents[2] / "volunteer_hub" / "translations"
# Languages whose contact card changes for a woman volunteer (nouns, verbs, adjectives or ezafe).
GENDERED = ("ar", "ti", "uk", "so", "ps", "ku")
# Persian and Dari have no grammatical gender; Danish and English none in these texts.
UNGENDERED = ("da", "en", "fa", "prs")


def _card(language: str, gender: str) -> str:
    return default_letter_text(LetterKind.CONTACT_CARD, language, gender).body


def test_arabic_card_for_a_woman_volunteer_uses_feminine_forms(ctx):
    woman, man = _card("ar", "f"), _card("ar", "m")
    assert "متطوعة" in woman and "ستتواصل" in woman and "وليست موظفةً" in woman
    assert "سيتواصل" in man and "متطوع وليس موظفًا" in man
    assert default_letter_text(LetterKind.CONTACT_CARD, "ar", "f").title == "متطوعتكم"


@pytest.mark.parametrize("language", GENDERED)
def test_gendered_languages_give_a_woman_volunteer_her_own_card(ctx, language):
    assert _card(language, "f") != _card(language, "m")


@pytest.mark.parametrize("language", UNGENDERED)
def test_languages_without_gender_keep_one_text(ctx, language):
    assert _card(language, "f") == _card(language, "m") == _card(language, "x")


def test_unknown_or_third_gender_gets_the_neutral_text(ctx):
    assert _card("ar", "x") == _card("ar", "") == default_letter_text(LetterKind.CONTACT_CARD, "ar").body


@pytest.mark.parametrize("language", GENDERED)
def test_every_variant_is_a_real_translation_with_the_same_placeholders(language):
    path = TRANSLATIONS / babel_locale(language) / "LC_MESSAGES" / "family.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=babel_locale(language))
    variants = [m for m in catalog if m.context in GENDER_CONTEXTS.values()]
    assert variants, f"no gender variants in {path.name} for {language}"
    for message in variants:
        assert message.id in GENDER_VARIANTS  # marked for `make family-messages`, so never dropped
        assert message.string and not message.fuzzy
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(message.id))
        assert any("not yet reviewed" in comment for comment in message.auto_comments)


def test_the_rendered_card_labels_the_volunteers_words_in_her_grammar(ctx, glostrup):
    card = dataclasses.replace(
        sample_contact_card(glostrup.municipality.id, "Glostrup Kommune", "ar"), volunteer_gender="f"
    )
    html = render_contact_card_html(card)
    assert "بكلمات المتطوعة نفسها" in html and "ستتواصل" in html
    as_man = render_contact_card_html(dataclasses.replace(card, volunteer_gender="m"))
    assert "بكلمات المتطوع نفسه" in as_man and "سيتواصل" in as_man


def test_approved_match_freezes_the_card_in_the_volunteers_grammar_and_shows_review_status(app, glostrup):
    with app.app_context():
        h = household(
            glostrup.municipality,
            name="Grammar-Hassan family",
            languages=[("ar", "native")],
            letter_language="ar",
            email="hassan@example.dk",
        )
        volunteer(
            glostrup.municipality,
            first_name="Amira",
            gender=Gender.F,
            languages={"da": "native", "ar": "fluent"},
            ref="V0401",
        )
        db.session.commit()
        household_id = h.id
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    data = {"csrf_token": csrf_token(client), "volunteer": "V0401", "scheme": "friend_buddy"}
    assert client.post(f"/familier/{household_id}/manuel", data=data).status_code == 302
    with app.app_context():
        match_id = db.session.execute(select(Match.id)).scalar_one()
        link = db.session.execute(select(FamilyLink)).scalar_one()
        _, text = link_card(link)
        assert "ستتواصل" in text.body and "متطوعة" in text.body
        assert card_delivery("match", match_id).email is not None
    page = client.get(f"/matching/{match_id}").get_data(as_text=True)
    assert "Endnu ikke gennemlæst af en modersmålstaler" in page  # Arabic is not reviewed by default
    case = client.get(f"/familier/{household_id}").get_data(as_text=True)
    assert "Endnu ikke gennemlæst af en modersmålstaler" in case


def test_the_household_form_says_which_letter_languages_are_not_reviewed(app, glostrup):
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get("/familier/ny").get_data(as_text=True)
    assert "Endnu ikke gennemlæst af en modersmålstaler: arabisk, persisk (farsi)" in page


def test_editing_a_gendered_card_text_warns_that_one_text_serves_every_volunteer(app, glostrup):
    client = app.test_client()
    login_as(client, glostrup.admin_login)
    arabic = client.get("/breve/tekster/contact_card/ar").get_data(as_text=True)
    assert "ændrer standardteksten sig efter den frivilliges køn" in arabic
    persian = client.get("/breve/tekster/contact_card/fa").get_data(as_text=True)
    assert "ændrer standardteksten sig efter den frivilliges køn" not in persian


def test_the_family_email_speaks_of_a_woman_volunteer_in_her_grammar(ctx, glostrup):
    from volunteer_hub.letters.links import create_family_link, queue_family_link_email

    card = dataclasses.replace(
        sample_contact_card(glostrup.municipality.id, "Glostrup Kommune", "ar"), volunteer_gender="f"
    )
    link, token = create_family_link(card, object_type="match", object_id=1, actor=None)
    message = queue_family_link_email(link, token, to="family@example.dk")
    assert message.subject == "متطوعتكم من Glostrup Kommune" and "متطوعةً" in message.body
    man = dataclasses.replace(card, volunteer_gender="m")
    link, token = create_family_link(man, object_type="match", object_id=2, actor=None)
    assert (
        queue_family_link_email(link, token, to="family@example.dk").subject == "متطوعكم من Glostrup Kommune"
    )
