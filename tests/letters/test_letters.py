"""Administrators edit letter texts in versions, set signature and review flags; letters are reproducible."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.letters import rendering, services
from volunteer_hub.letters.data import ContactCardData, WelcomeLetterData, sample_contact_card
from volunteer_hub.letters.models import LetterKind, LetterSettings, LetterTemplate
from volunteer_hub.letters.texts import placeholder_problems

UNREVIEWED_DA = "Endnu ikke gennemlæst af en modersmålstaler"


def _admin(app, client, role: Role = Role.ADMIN, code: str = "0161") -> int:
    with app.app_context():
        user = make_user(
            make_municipality(code, f"Kommune {code}" if code != "0161" else "Glostrup Kommune"), role
        )
        db.session.commit()
        login_as(client, user)
        return user.id


def _welcome(
    municipality_id: int, language: str = "da", household: str = "Familien Haile"
) -> WelcomeLetterData:
    return WelcomeLetterData(
        municipality_id=municipality_id,
        municipality_name="Glostrup Kommune",
        mayor_name="Hanne Demo",
        signature_line="",
        household_name=household,
        contact_first_name="Amanuel",
        language=language,
        date=dt.date(2026, 11, 27),
    )


def test_a_letter_sent_with_version_one_is_reproduced_after_version_two_exists(ctx):
    municipality = make_municipality()
    services.save_letter_template(
        municipality.id,
        LetterKind.WELCOME_LETTER,
        "da",
        title="Velkommen, {contact_first_name}",
        body="Første udgave.",
        actor=None,
    )
    data = _welcome(municipality.id)
    sent = services.record_letter_sent(data, object_type="household", object_id=11, actor=None)
    services.save_letter_template(
        municipality.id,
        LetterKind.WELCOME_LETTER,
        "da",
        title="Velkommen igen",
        body="Anden udgave.",
        actor=None,
    )
    db.session.commit()

    assert services.current_letter_text(municipality.id, LetterKind.WELCOME_LETTER, "da").version == 2
    again_data, again_text = services.recorded_letter(sent)
    html = rendering.render_welcome_letter_html(again_data, text=again_text)
    assert "Første udgave." in html and "Anden udgave." not in html
    assert "Velkommen, <bdi>Amanuel</bdi>" in html and "27. november 2026" in html
    assert again_text.version == 1 and sent.template_id is not None
    assert [r.id for r in services.list_letters_sent("household", 11)] == [sent.id]
    event = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "letters.letter_sent")
    ).scalar_one()
    assert event.details == {
        "kind": "welcome_letter",
        "language": "da",
        "target_type": "household",
        "target_id": 11,
        "template_version": 1,
    }


def test_without_an_edited_text_the_letter_comes_from_the_catalogue_in_its_language(ctx):
    municipality = make_municipality()
    html = rendering.render_welcome_letter_html(_welcome(municipality.id, "uk"))
    assert '<html lang="uk" dir="ltr">' in html
    assert "Ласкаво просимо до <bdi>Glostrup Kommune</bdi>" in html
    assert "Мер, Glostrup Kommune" in html  # default signature line in the letter's language


def test_names_in_letters_are_escaped_and_isolated(ctx):
    municipality = make_municipality()
    html = rendering.render_welcome_letter_html(
        _welcome(municipality.id, "ar", household="<script>x</script>")
    )
    assert "<script>x" not in html and "<bdi>&lt;script&gt;x&lt;/script&gt;</bdi>" in html
    assert '<html lang="ar" dir="rtl">' in html


def test_contact_card_keeps_phone_and_email_left_to_right_and_names_languages_in_the_card_language(ctx):
    municipality = make_municipality()
    html = rendering.render_contact_card_html(sample_contact_card(municipality.id, municipality.name, "ar"))
    assert 'dir="ltr" class="vh-ltr">mette.frivillig@example.dk</a>' in html
    assert "الدانمركية والإنجليزية والتغرينية" in html  # Danish, English and Tigrinya, in Arabic
    assert '<dd lang="da" dir="auto">Jeg er pensioneret lærer.' in html


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Hej {contact_first_name}", []),
        ("Hej {volunteer_first_name}", ["{volunteer_first_name}"]),
        ("Hej {contact_first_name.__class__}", ["{contact_first_name.__class__}"]),
        ("Hej {", ["{ }"]),
    ],
)
def test_only_documented_placeholders_are_accepted(text, problems):
    assert placeholder_problems(LetterKind.WELCOME_LETTER, text) == problems


def test_data_round_trips_through_json_for_snapshots():
    card = ContactCardData(
        municipality_id=1,
        municipality_name="M",
        household_name="H",
        language="ti",
        volunteer_first_name="V",
        volunteer_phone="1",
        volunteer_email="e@x.dk",
        volunteer_languages=["da"],
        volunteer_intro="",
        scheme="child_culture",
        date=dt.date(2026, 1, 2),
    )
    assert ContactCardData.from_json(card.to_json()) == card
    with pytest.raises(ValueError):
        ContactCardData(**{**card.to_json(), "date": card.date, "language": "xx"})


def test_administrator_edits_a_text_and_a_wrong_placeholder_is_explained(app, client):
    _admin(app, client)
    path = "/breve/tekster/welcome_letter/ar"
    page = client.get(path).get_data(as_text=True)
    [title_input] = re.findall(r'<input[^>]*id="title"[^>]*>', page)
    assert 'lang="ar"' in title_input and 'dir="rtl"' in title_input
    assert "مرحبًا بكم في {municipality_name}" in title_input
    token = csrf_token(client, path)
    bad = client.post(path, data={"csrf_token": token, "title": "مرحبًا", "body": "نص {mayor} هنا"})
    assert bad.status_code == 400
    assert "Ukendt pladsholder: {mayor}. Du kan bruge: {contact_first_name}" in bad.get_data(as_text=True)
    good = client.post(
        path, data={"csrf_token": token, "title": "مرحبًا {contact_first_name}", "body": "نص جديد."}
    )
    assert good.status_code == 302 and good.headers["Location"].endswith(
        "/breve/forhaandsvisning/welcome_letter/ar"
    )
    preview = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "نص جديد." in preview and UNREVIEWED_DA in preview
    with app.app_context():
        [template] = db.session.execute(sa.select(LetterTemplate)).scalars()
        assert (template.kind, template.language, template.version) == (LetterKind.WELCOME_LETTER, "ar", 1)


def test_administrator_sets_the_mayor_and_the_welcome_letter_is_signed_with_it(app, client):
    admin_id = _admin(app, client)
    token = csrf_token(client, "/breve/indstillinger")
    response = client.post(
        "/breve/indstillinger", data={"csrf_token": token, "mayor_name": "Hanne Demo", "signature_line": ""}
    )
    assert response.status_code == 302
    with app.app_context():
        municipality = db.session.get(User, admin_id).municipality
        data = services.welcome_letter_data(
            municipality, household_name="H", contact_first_name="A", language="ps"
        )
        html = rendering.render_welcome_letter_html(data)
        assert "<bdi>Hanne Demo</bdi><br>د Glostrup Kommune ښاروال" in html
    empty = client.post(
        "/breve/indstillinger", data={"csrf_token": token, "mayor_name": "", "signature_line": ""}
    )
    assert empty.status_code == 400 and "Skriv borgmesterens navn." in empty.get_data(as_text=True)


def test_review_flag_is_per_municipality_and_audited(app, client):
    admin_id = _admin(app, client)
    index = client.get("/breve").get_data(as_text=True)
    assert index.count(UNREVIEWED_DA) == 8  # every family language but Danish and English
    token = csrf_token(client, "/breve")
    assert (
        client.post("/breve/sprog/ti/gennemlaest", data={"csrf_token": token, "reviewed": "1"}).status_code
        == 302
    )
    assert client.get("/breve").get_data(as_text=True).count(UNREVIEWED_DA) == 7
    assert UNREVIEWED_DA not in client.get("/breve/forhaandsvisning/contact_card/ti").get_data(as_text=True)
    assert (
        client.post("/breve/sprog/xx/gennemlaest", data={"csrf_token": token, "reviewed": "1"}).status_code
        == 400
    )
    with app.app_context():
        other = make_municipality("0165", "Albertslund Kommune")
        assert services.is_language_reviewed(other.id, "ti") is False
        assert services.is_language_reviewed(db.session.get(User, admin_id).municipality_id, "ti") is True
        event = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "letters.language_review_set")
        ).scalar_one()
        assert event.details == {"language": "ti", "reviewed": True} and event.actor_user_id == admin_id


@pytest.mark.parametrize("role", [Role.MUNICIPAL_COORDINATOR, Role.PARTNER_COORDINATOR, Role.VOLUNTEER])
def test_only_administrators_edit_letters(app, client, role):
    _admin(app, client, role)
    for path in (
        "/breve",
        "/breve/indstillinger",
        "/breve/tekster/welcome_letter/da",
        "/breve/forhaandsvisning/contact_card/ar",
    ):
        assert client.get(path).status_code == 403


def test_preview_as_pdf_and_as_a_page(app, client):
    _admin(app, client)
    pdf = client.get("/breve/forhaandsvisning/contact_card/ti.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    page = client.get("/breve/forhaandsvisning/welcome_letter/prs/side").get_data(as_text=True)
    assert '<html lang="prs" dir="rtl">' in page and "شاروال" in page
    assert client.get("/breve/forhaandsvisning/other/da").status_code == 404
    assert client.get("/breve/forhaandsvisning/welcome_letter/xx").status_code == 404


def test_administrator_makes_a_test_link_that_shows_the_sample_card(app, client):
    _admin(app, client)
    token = csrf_token(client, "/breve/forhaandsvisning/contact_card/so")
    page = client.post("/breve/forhaandsvisning/contact_card/so/link", data={"csrf_token": token})
    [path] = set(re.findall(r'href="http://127\.0\.0\.1:5000(/k/[\w-]+)"', page.get_data(as_text=True)))
    card = client.get(path)
    assert card.status_code == 200 and "Mutadawacaaga" in card.get_data(as_text=True)


def test_demo_data_signs_glostrups_letters_and_is_idempotent(ctx):
    from volunteer_hub.demo import seed_demo

    seed_demo()
    seed_demo()
    db.session.commit()
    [settings] = db.session.execute(sa.select(LetterSettings)).scalars()
    assert settings.mayor_name == "Hanne Demo Borgmester"
