"""Private links: only the hash is stored, the card is in the family's language, closed links say nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from tests.factories import make_municipality, make_user
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters import links
from volunteer_hub.letters.data import sample_contact_card
from volunteer_hub.letters.models import FamilyLink
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.notifications.services import send_due_messages

SECRETS = ("Mette", "+45 12 34 56 78", "mette.frivillig@example.dk", "Familien Haile", "pensioneret")


def _link(language: str = "ar", **kwargs):
    municipality = make_municipality()
    card = sample_contact_card(municipality.id, municipality.name, language)
    link, token = links.create_family_link(card, object_type="match", object_id=7, actor=None, **kwargs)
    db.session.commit()
    return link, token


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.execute(sa.select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_only_the_tokens_hash_is_stored(app):
    with app.app_context():
        link, token = _link()
        stored = db.session.execute(sa.text("SELECT token_hash FROM family_link")).scalar_one()
        assert stored == hashlib.sha256(token.encode()).hexdigest()
        everything = json.dumps(
            [list(row) for row in db.session.execute(sa.text("SELECT * FROM family_link"))], default=str
        )
        assert token not in everything
        assert len(token) >= 40  # 256 random bits, URL-safe


def test_family_opens_the_card_in_arabic_and_the_opening_is_audited_without_personal_data(app, client):
    with app.app_context():
        link, token = _link("ar")
        link_id = link.id
    response = client.get(f"/k/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert "متطوعكم" in page  # "Your volunteer"
    assert '<a href="tel:+4512345678" dir="ltr" class="vh-ltr">+45 12 34 56 78</a>' in page
    assert "<bdi>Mette</bdi>" in page
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    client.get(f"/k/{token}")
    with app.app_context():
        link = db.session.get(FamilyLink, link_id)
        assert link.open_count == 2 and link.last_opened_at is not None
        opened = _events("family_link.opened")
        assert len(opened) == 2 and opened[0].object_id == link_id and opened[0].actor_user_id is None
        details = json.dumps([event.details for event in opened], ensure_ascii=False)
        assert not any(secret in details for secret in SECRETS)
        assert token not in details


def test_the_card_is_the_frozen_snapshot_not_todays_template(app, client):
    from volunteer_hub.letters.models import LetterKind
    from volunteer_hub.letters.services import save_letter_template

    with app.app_context():
        link, token = _link("da")
        save_letter_template(
            link.municipality_id,
            LetterKind.CONTACT_CARD,
            "da",
            title="Ny overskrift",
            body="Ny tekst til {volunteer_first_name}.",
            actor=None,
        )
        db.session.commit()
    page = client.get(f"/k/{token}").get_data(as_text=True)
    assert "Din frivillige" in page and "Ny overskrift" not in page


def test_expired_link_shows_a_clear_page_in_the_familys_language_and_nothing_else(app, client):
    with app.app_context():
        link, token = _link("ti")
        link.expires_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
        link_id = link.id
    response = client.get(f"/k/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert '<html lang="ti" dir="ltr">' in page
    assert "እዚ ሊንክ ደጊም ኣይሰርሕን እዩ" in page  # "This link no longer works"
    assert not any(secret in page for secret in SECRETS)
    assert "Glostrup" not in page
    with app.app_context():
        assert [e.details["status"] for e in _events("family_link.refused")] == ["expired"]
        assert db.session.get(FamilyLink, link_id).open_count == 0


def test_revoked_link_is_gone_and_forgets_the_card(app, client):
    with app.app_context():
        link, token = _link("fa")
        links.revoke_family_link(link, actor=None)
        db.session.commit()
        assert link.snapshot == {}
    response = client.get(f"/k/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert '<html lang="fa" dir="rtl">' in page
    assert "این پیوند دیگر کار نمی‌کند" in page
    assert not any(secret in page for secret in SECRETS)
    assert client.get(f"/k/{token}/pdf").status_code == 410


def test_unknown_and_malformed_tokens_get_the_same_page_in_every_family_language(app, client):
    with app.app_context():
        _link()
    pages = []
    for token in ("x" * 43, "not a token", "ab", "' OR 1=1 --"):
        response = client.get(f"/k/{token}")
        assert response.status_code == 404
        pages.append(response.get_data(as_text=True))
    assert len(set(pages)) == 1
    assert "Linket virker ikke" in pages[0] and "This link does not work" in pages[0]
    assert '<html lang="da" dir="ltr">' in pages[0] and '<section lang="en" dir="ltr"' in pages[0]
    assert '<section lang="ar" dir="rtl"' in pages[0]  # issue 20: all ten family languages


def test_family_can_download_the_card_as_pdf(app, client):
    with app.app_context():
        _created, token = _link("ti")
    response = client.get(f"/k/{token}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    with app.app_context():
        assert [e.details["format"] for e in _events("family_link.opened")] == ["pdf"]


def test_municipal_coordinator_closes_a_link_once(app, client):
    with app.app_context():
        link, token = _link()
        coordinator = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR)
        db.session.commit()
        link_id, coordinator_id = link.id, coordinator.id
        login_as(client, coordinator)
    listing = client.get("/familielinks").get_data(as_text=True)
    assert "Familien Haile" in listing and "Endnu ikke gennemlæst af en modersmålstaler" in listing
    response = client.post(f"/familielinks/{link_id}/luk", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get(f"/k/{token}").status_code == 410
    again = client.post(
        f"/familielinks/{link_id}/luk", data={"csrf_token": csrf_token(client)}, follow_redirects=True
    )
    assert "Linket var allerede lukket." in again.get_data(as_text=True)
    with app.app_context():
        revoked = _events("family_link.revoked")
        assert len(revoked) == 1 and revoked[0].actor_user_id == coordinator_id


def test_other_municipality_and_partner_coordinators_cannot_close_a_link(app, client):
    with app.app_context():
        link, token = _link()
        other = make_municipality("0165", "Albertslund Kommune")
        outsider = make_user(other, Role.MUNICIPAL_COORDINATOR)
        partner = make_user(make_municipality(), Role.PARTNER_COORDINATOR)
        db.session.commit()
        link_id = link.id
        login_as(client, outsider)
    assert (
        client.post(f"/familielinks/{link_id}/luk", data={"csrf_token": csrf_token(client)}).status_code
        == 404
    )
    assert "Familien Haile" not in client.get("/familielinks").get_data(as_text=True)
    with app.app_context():
        login_as(client, db.session.merge(partner))
    assert (
        client.post(f"/familielinks/{link_id}/luk", data={"csrf_token": csrf_token(client)}).status_code
        == 403
    )
    assert client.get("/familielinks").status_code == 403
    assert client.get(f"/k/{token}").status_code == 200


def test_the_link_goes_out_by_email_in_the_familys_language_and_the_stored_copy_forgets_the_token(
    app, client, smtp_sink
):
    with app.app_context():
        municipality = make_municipality()
        card = sample_contact_card(municipality.id, municipality.name, "prs")
        shared = links.share_contact_card(
            card, object_type="match", object_id=3, actor=None, email="familie@example.dk"
        )
        db.session.commit()
        assert shared.url.endswith(f"/k/{shared.token}") and shared.email.language == "prs"
        assert send_due_messages()["sent"] == 1
        stored = db.session.execute(sa.select(OutboxMessage)).scalar_one()
        assert shared.token not in stored.body and links.REDACTED in stored.body
        assert stored.language == "prs" and stored.status.value == "sent"
    [mail] = smtp_sink.to("familie@example.dk")
    assert mail["Subject"] == "رضاکار شما از Glostrup Kommune"
    assert mail["Content-Language"] == "prs"
    body = mail.get_content()
    assert shared.url in body and "سلام،" in body
    path = shared.url.split("127.0.0.1:5000", 1)[1]
    assert client.get(path).status_code == 200


def test_ending_a_match_closes_all_its_links(app):
    with app.app_context():
        first, _token = _link()
        card = sample_contact_card(first.municipality_id, "Glostrup Kommune", "so")
        links.create_family_link(card, object_type="match", object_id=7, actor=None)
        links.create_family_link(card, object_type="match", object_id=8, actor=None)
        assert links.revoke_links_for("match", 7, actor=None) == 2
        db.session.commit()
        statuses = {
            (link.object_id, link.status().value)
            for link in db.session.execute(sa.select(FamilyLink)).scalars()
        }
        assert statuses == {(7, "revoked"), (8, "active")}


def test_expired_links_forget_the_card_they_showed(app):
    with app.app_context():
        old, _token = _link("uk")
        fresh, _other = _link("uk")
        old.expires_at = utcnow() - dt.timedelta(days=1)
        db.session.commit()
        old_id, fresh_id = old.id, fresh.id
    result = app.test_cli_runner().invoke(args=["letters", "forget-expired-links"])
    assert result.exit_code == 0 and "forgotten=1" in result.output
    with app.app_context():
        assert db.session.get(FamilyLink, old_id).snapshot == {}
        assert db.session.get(FamilyLink, fresh_id).snapshot["data"]["volunteer_first_name"] == "Mette"
        assert len(_events("family_link.forgotten")) == 1
    again = app.test_cli_runner().invoke(args=["letters", "forget-expired-links"])
    assert again.output.strip() == "forgotten=0"


def test_unknown_link_page_stays_danish_and_english_whatever_the_interface_language(client):
    client.get("/sprog/en?next=/login")
    page = client.get("/k/" + "B" * 43).get_data(as_text=True)
    assert "Gå til indholdet" in page and "Linket virker ikke" in page and "This link does not work" in page
