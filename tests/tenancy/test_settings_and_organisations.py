"""Administrators run their municipality in the browser: settings families need (listed as a task
while missing, shown on letters and link pages in the family's language) and partner organisations."""

from __future__ import annotations

import sqlalchemy as sa

from tests.support import csrf_token, login_as
from tests.volunteers.test_registration import CONTACT
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.letters.data import sample_contact_card, sample_welcome_letter
from volunteer_hub.tenancy.models import Municipality, Organisation

SETTINGS = {
    "department_name": "Integration, Borgerservice",
    "postal_address": "Rådhusparken 2\n2600 Glostrup",
    "phone": "+45 43 23 60 00",
    "contact_email": "integration@glostrup.dk",
    "opening_hours": "Mandag–torsdag 10–14\nFredag 10–12",
    "directions": "Bus 300S til Glostrup Station, 5 minutters gang",
    "email_sender_name": "Glostrup Kommune",
}


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def audit_actions(app) -> list[str]:
    with app.app_context():
        query = sa.select(AuditEvent.action).where(
            AuditEvent.action.startswith("municipality.") | AuditEvent.action.startswith("organisation.")
        )
        return list(db.session.execute(query.order_by(AuditEvent.id)).scalars())


def test_missing_settings_are_a_task_on_the_admins_overview_until_filled_in(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    overview = client.get("/").get_data(as_text=True)
    assert "Kommunens indstillinger" in overview and "Postadresse" in overview and "Åbningstider" in overview
    response = post(client, "/kommune/indstillinger", SETTINGS)
    assert response.status_code == 302
    overview = client.get("/").get_data(as_text=True)
    assert "Udfyld kommunens indstillinger" not in overview
    with app.app_context():
        municipality = db.session.get(Municipality, glostrup.municipality_id)
        assert municipality.postal_address == "Rådhusparken 2\n2600 Glostrup"
        assert municipality.email_sender_name == "Glostrup Kommune"
    assert audit_actions(app) == ["municipality.settings_changed"]


def test_settings_refuse_a_bad_email_and_are_for_administrators_only(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    response = post(client, "/kommune/indstillinger", {**SETTINGS, "contact_email": "ikke en adresse"})
    assert response.status_code == 400 and "navn@eksempel.dk" in response.get_data(as_text=True)
    assert audit_actions(app) == []
    login_as(client, glostrup.coordinator_login)
    assert client.get("/kommune/indstillinger").status_code == 403


def test_the_contact_block_is_on_letters_and_cards_in_the_familys_language(app, glostrup):
    from volunteer_hub.letters import rendering

    with app.app_context():
        municipality = db.session.get(Municipality, glostrup.municipality_id)
        for name, value in SETTINGS.items():
            setattr(municipality, name, value)
        db.session.commit()
        with app.test_request_context():
            card = rendering.render_contact_card_html(sample_contact_card(municipality.id, "Glostrup", "ar"))
            letter = rendering.render_welcome_letter_html(
                sample_welcome_letter(municipality.id, "Glostrup", "Borgmester", "", "da")
            )
    assert "التواصل مع البلدية" in card and "ساعات العمل" in card  # the labels in Arabic
    assert "Rådhusparken 2<br>2600 Glostrup" in card and 'href="tel:+4543236000"' in card
    assert "Kontakt kommunen" in letter and "Åbningstider" in letter and "Bus 300S" in letter


def test_an_organisation_is_created_renamed_and_deactivated_keeping_its_history(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    created = post(client, "/organisationer", {"name": "Glostrup Sprogcafé", "description": ""})
    assert created.status_code == 302
    duplicate = post(client, "/organisationer", {"name": "glostrup sprogcafé", "description": ""})
    assert duplicate.status_code == 400 and "allerede en organisation" in duplicate.get_data(as_text=True)
    with app.app_context():
        organisation_id = db.session.execute(
            sa.select(Organisation.id).where(Organisation.name == "Glostrup Sprogcafé")
        ).scalar_one()
    path = f"/organisationer/{organisation_id}"
    renamed = post(client, path, {"name": "Sprogcaféen", "description": "Hver tirsdag"})
    assert renamed.status_code == 302
    assert post(client, f"/organisationer/{organisation_id}/aktiv", {}).status_code == 302
    page = client.get("/organisationer").get_data(as_text=True)
    assert "Sprogcaféen" in page and "deaktiveret" in page
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        assert not organisation.is_active and organisation.deactivated_at is not None
    assert audit_actions(app) == ["organisation.created", "organisation.renamed", "organisation.deactivated"]
    # New volunteers can no longer choose it.
    with client.session_transaction() as session:
        session.clear()
    assert post(client, "/bliv-frivillig/trin/kontakt", CONTACT).status_code == 302
    choices = client.get("/bliv-frivillig/trin/organisation").get_data(as_text=True)
    assert "Sprogcaféen" not in choices and "Røde Kors Glostrup" in choices


def test_another_municipalitys_organisation_is_not_found(app, client, glostrup):
    from tests.factories import make_municipality, make_organisation

    with app.app_context():
        other = make_organisation(make_municipality("0165", "Albertslund"), "Albertslund Frivillige")
        db.session.commit()
        other_id = other.id
    login_as(client, glostrup.admin_login)
    assert client.get(f"/organisationer/{other_id}").status_code == 404
    assert post(client, f"/organisationer/{other_id}/aktiv", {}).status_code == 404


def test_e_mails_are_sent_in_the_municipalitys_sender_name(app, glostrup, smtp_sink):
    from volunteer_hub.notifications.services import queue_email, send_due_messages

    with app.app_context():
        db.session.get(Municipality, glostrup.municipality_id).email_sender_name = "Glostrup Kommune"
        queue_email(
            municipality_id=glostrup.municipality_id,
            to="a@example.dk",
            template="password_reset",
            language="da",
            context={"name": "A", "url": "http://x/y", "minutes": 60},
        )
        db.session.commit()
        assert send_due_messages()["sent"] == 1
    [message] = smtp_sink.to("a@example.dk")
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Glostrup Kommune", "noreply@volunteer-hub.local")


def test_the_printed_contact_card_carries_the_contact_block(app, glostrup, tmp_path):
    import shutil
    import subprocess

    import pytest

    from volunteer_hub.letters import rendering

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with app.app_context():
        municipality = db.session.get(Municipality, glostrup.municipality_id)
        for name, value in SETTINGS.items():
            setattr(municipality, name, value)
        db.session.commit()
        with app.test_request_context():
            pdf = rendering.render_contact_card_pdf(sample_contact_card(municipality.id, "Glostrup", "da"))
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Kontakt kommunen", "+45 43 23 60 00", "integration@glostrup.dk", "Fredag 10–12"):
        assert expected in text


def test_the_mayors_signature_is_part_of_the_task_until_the_letters_page_has_it(app, client, glostrup):
    login_as(client, glostrup.admin_login)
    post(client, "/kommune/indstillinger", SETTINGS)
    overview = client.get("/").get_data(as_text=True)
    assert "Borgmesterens navn og titel på velkomstbrevet" in overview
    response = post(
        client, "/breve/indstillinger", {"mayor_name": "John Engelhardt", "signature_line": "Borgmester"}
    )
    assert response.status_code == 302
    overview = client.get("/").get_data(as_text=True)
    assert "Borgmesterens navn og titel" not in overview
    assert "Kommunens indstillinger" not in overview  # nothing is missing any more
