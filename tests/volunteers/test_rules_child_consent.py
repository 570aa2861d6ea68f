"""Issue 20, item 1: the sign-up's certificate consent and the matcher's rule 4 agree.

Follow-a-family can bring a volunteer into regular contact with children under 15, so the
sign-up asks for consent to a child certificate for it as it does for child culture, and a
coordinator cannot record a certificate about a volunteer who never consented.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_user, make_volunteer
from tests.support import csrf_token, login_as
from tests.volunteers.test_registration import fill_all_steps, post_step
from tests.volunteers.test_rules_danish_pages import english_in
from volunteer_hub import vocab
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.matching.engine.config import CHILD_CONTACT_SCHEMES
from volunteer_hub.matching.engine.rules import requires_child_certificate
from volunteer_hub.matching.engine.types import Household
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import ChildCertificateState, RegistrationSource, VolunteerStatus
from volunteer_hub.volunteers.signup import submit_registration
from volunteer_hub.volunteers.validation import needs_child_certificate_consent


def _household(children_ages: tuple[int, ...]) -> Household:
    return Household(
        ref="F1",
        postcode="2600",
        languages={"da": "native"},
        schemes=tuple(vocab.SCHEMES),
        children_ages=children_ages,
        consent_on=dt.date(2026, 1, 1),
    )


@pytest.mark.parametrize("scheme", sorted(vocab.SCHEMES))
def test_the_sign_up_asks_for_consent_for_every_scheme_the_matcher_may_demand_a_certificate_for(ctx, scheme):
    may_need_certificate = requires_child_certificate(_household((3, 9)), scheme)
    assert needs_child_certificate_consent([scheme]) is may_need_certificate
    assert needs_child_certificate_consent([scheme]) is (scheme in CHILD_CONTACT_SCHEMES)


def test_follow_a_family_needs_a_certificate_only_with_a_child_under_15():
    assert requires_child_certificate(_household((14,)), "family_buddy")
    assert not requires_child_certificate(_household((15, 17)), "family_buddy")
    assert requires_child_certificate(_household(()), "child_culture")
    assert not requires_child_certificate(_household((3,)), "friend_buddy")


def test_a_family_buddy_must_consent_and_is_told_why_in_plain_danish(client, glostrup):
    for slug, data in [
        (
            "kontakt",
            {
                "first_name": "Maja",
                "last_name": "Holm",
                "email": "maja@example.dk",
                "phone": "20304050",
                "postcode": "2600",
                "birth_year": "1990",
                "gender": "f",
            },
        ),
        ("organisation", {"organisation": str(glostrup.red_cross_id)}),
        ("sprog", {"lang_da": "native"}),
        ("kompetencer", {"skills": ["cooking"], "interests": ["football"]}),
        ("indsats", {"schemes": ["family_buddy"], "availability": ["weekend"], "capacity": "1"}),
        ("om-dig", {"about": "", "language": "da"}),
    ]:
        assert post_step(client, slug, data).status_code == 302, slug
    page = client.get("/bliv-frivillig/trin/samtykke").get_data(as_text=True)
    assert "(valgfrit)" not in page
    assert "Følg en familie" in page and "børn under 15 år" in page
    assert english_in(page) == []
    refused = post_step(client, "samtykke", {"data_processing": "y", "conduct": "y"})
    assert refused.status_code == 400
    assert "børneattest" in refused.get_data(as_text=True)
    accepted = post_step(
        client, "samtykke", {"data_processing": "y", "conduct": "y", "child_certificate": "y"}
    )
    assert accepted.headers["Location"].endswith("/bliv-frivillig/tjek")


def test_a_friend_buddy_may_leave_the_certificate_consent_out(client, glostrup):
    fill_all_steps(client, glostrup.red_cross_id, schemes=("friend_buddy",), child_consent=False)
    assert client.get("/bliv-frivillig/tjek").status_code == 200


def test_the_service_refuses_a_family_buddy_without_consent(ctx, glostrup):
    profile = services.Profile(
        first_name="Maja",
        last_name="Holm",
        phone=None,
        postcode="2600",
        birth_year=1990,
        gender="f",
        organisation_id=None,
        languages={"da": "native"},
        schemes=["family_buddy"],
    )
    consents = services.Consents(data_processing=True, conduct=True, child_certificate=False)
    with pytest.raises(services.VolunteerError):
        submit_registration(glostrup.municipality, "maja@example.dk", profile, consents)


def test_no_certificate_is_recorded_for_a_volunteer_who_never_consented(ctx, glostrup):
    volunteer = make_volunteer(glostrup.municipality, status=VolunteerStatus.APPROVED)
    with pytest.raises(services.VolunteerError, match="samtykke"):
        services.record_child_certificate(
            volunteer, glostrup.coordinator, ChildCertificateState.RECEIVED_OK, dt.date(2026, 11, 1), None
        )
    assert volunteer.child_certificate_state == ChildCertificateState.NOT_REQUESTED
    # Marking it "not requested" stays possible, and so does recording it once consent is given.
    services.record_child_certificate(
        volunteer, glostrup.coordinator, ChildCertificateState.NOT_REQUESTED, None, None
    )
    volunteer.child_certificate_consent_at = utcnow()
    services.record_child_certificate(
        volunteer, glostrup.coordinator, ChildCertificateState.RECEIVED_OK, dt.date(2026, 11, 1), None
    )
    assert volunteer.child_certificate_state == ChildCertificateState.RECEIVED_OK


def test_an_imported_volunteer_counts_as_consenting_because_the_organisation_vouches(ctx, glostrup):
    volunteer = make_volunteer(
        glostrup.municipality, status=VolunteerStatus.APPROVED, source=RegistrationSource.IMPORT
    )
    services.record_child_certificate(
        volunteer, glostrup.coordinator, ChildCertificateState.REQUESTED, None, None
    )
    assert volunteer.child_certificate_state == ChildCertificateState.REQUESTED


def test_the_page_refuses_the_certificate_and_says_why_in_danish(app, client, glostrup):
    with app.app_context():
        volunteer = make_volunteer(glostrup.municipality, status=VolunteerStatus.APPROVED)
        coordinator = make_user(glostrup.municipality, Role.MUNICIPAL_COORDINATOR)
        db.session.commit()
        login_as(client, coordinator)
        url = f"/frivillige/{volunteer.id}"
    response = client.post(
        f"{url}/boerneattest",
        data={
            "certificate-csrf_token": csrf_token(client, url),
            "certificate-state": "received_ok",
            "certificate-received_on": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert "så der kan hverken bestilles eller registreres en" in response.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert 'name="certificate-state"' not in page  # no form that can only be refused
    assert "når den frivillige har givet samtykke til den på sin side" in page


def test_a_volunteer_who_never_consented_gives_consent_on_their_profile(app, client, glostrup):
    from tests.volunteers.test_self_service import PROFILE, _get, _volunteer

    volunteer_id = _volunteer(app, client)
    form_page = client.get("/min-side/profil").get_data(as_text=True)
    assert 'name="child_certificate"' in form_page
    data = {"csrf_token": csrf_token(client, "/min-side/profil"), **PROFILE, "schemes": ["family_buddy"]}
    refused = client.post("/min-side/profil", data=data)
    assert refused.status_code == 400
    assert "sæt kryds for at give samtykke til en børneattest" in refused.get_data(as_text=True)
    assert _get(app, volunteer_id)[0].child_certificate_consent_at is None
    saved = client.post("/min-side/profil", data={**data, "child_certificate": "y"})
    assert saved.status_code == 302
    volunteer = _get(app, volunteer_id)[0]
    assert volunteer.child_certificate_consent_at is not None and volunteer.schemes == ["family_buddy"]
    assert 'name="child_certificate"' not in client.get("/min-side/profil").get_data(as_text=True)
