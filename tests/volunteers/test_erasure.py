"""Self-service export and erasure: after deletion no personal value of the volunteer is left in any
table, and the counts reports rely on are unchanged."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_organisation, make_user
from tests.support import csrf_token, login_as
from volunteer_hub.auth.models import User
from volunteer_hub.auth.services import authenticate, request_password_reset
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import services, signup
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
)

PERSONAL = {
    "first_name": "Zainab",
    "last_name": "Oyelaran-Kristiansen",
    "email": "zainab.unique@example.dk",
    "about": "Mit hemmelige yndlingsord er pelikan",
    "reason": "Ring venligst til Søren om referencen",
}
PHONE_FORMS = ["+4528765432", "28765432", "28 76 54 32"]


def _profile(organisation_id):
    return services.Profile(
        first_name=PERSONAL["first_name"],
        last_name=PERSONAL["last_name"],
        phone="+4528765432",
        postcode="2605",
        birth_year=1977,
        gender="f",
        organisation_id=organisation_id,
        languages={"da": "native", "so": "fluent"},
        skills=["paperwork"],
        interests=["chess"],
        schemes=["family_buddy", "child_culture"],
        availability=["weekend"],
        capacity=2,
        about=PERSONAL["about"],
        language="da",
    )


@pytest.fixture
def registered(app):
    """A volunteer who went through the whole journey, leaving traces in many tables."""
    with app.app_context():
        municipality = make_municipality()
        organisation = make_organisation(municipality, "Røde Kors Glostrup")
        coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
        other = signup.submit_registration(
            municipality,
            "other@example.dk",
            _profile(organisation.id).__class__(
                **{
                    **_profile(organisation.id).__dict__,
                    "first_name": "Karl",
                    "last_name": "Nielsen",
                    "about": "",
                    "phone": "+4540404040",
                }
            ),
            services.Consents(True, True, True),
        )
        volunteer = signup.submit_registration(
            municipality, PERSONAL["email"], _profile(organisation.id), services.Consents(True, True, True)
        )
        user = signup.verify_email(volunteer, "en lang adgangskode")
        services.request_more_information(volunteer, coordinator, PERSONAL["reason"])
        services.update_profile(volunteer, user, _profile(organisation.id))
        services.approve(volunteer, coordinator)
        services.record_child_certificate(
            volunteer,
            coordinator,
            ChildCertificateState.RECEIVED_WITH_REMARKS,
            services.today(),
            organisation.id,
        )
        authenticate(PERSONAL["email"], "wrong password")  # a failed sign-in keyed by the address
        request_password_reset(PERSONAL["email"], lambda token: f"http://x/{token}")
        db.session.commit()
        return {"volunteer": volunteer.id, "user": user.id, "other": other.id}


def _report_counts():
    """What the quarterly report counts about volunteers, independent of who they are."""

    def grouped(*columns):
        return sorted(db.session.execute(sa.select(*columns, sa.func.count()).group_by(*columns)).all())

    return {
        "volunteers": db.session.execute(sa.select(sa.func.count(Volunteer.id))).scalar(),
        "by_registered_on": grouped(Volunteer.registered_on),
        "by_organisation": grouped(Volunteer.organisation_id),
        "by_capacity": grouped(Volunteer.capacity),
        "schemes": sorted(
            db.session.execute(
                sa.select(VolunteerAttribute.code, sa.func.count())
                .where(VolunteerAttribute.kind == AttributeKind.SCHEME)
                .group_by(VolunteerAttribute.code)
            ).all()
        ),
    }


def _identifying_rows(volunteer_id):
    """What could single the erased volunteer out: languages, skills, interests, availability."""
    languages = db.session.execute(
        sa.select(sa.func.count()).where(VolunteerLanguage.volunteer_id == volunteer_id)
    ).scalar()
    attributes = db.session.execute(
        sa.select(VolunteerAttribute.kind).where(VolunteerAttribute.volunteer_id == volunteer_id)
    ).scalars()
    return languages, sorted({kind.value for kind in attributes})


def _personal_values_left() -> list[str]:
    needles = [v.lower() for v in PERSONAL.values()] + [p.lower() for p in PHONE_FORMS]
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                text = json.dumps(value, default=str, ensure_ascii=False).lower() if value is not None else ""
                found += [f"{table.name}.{column}: {n}" for n in needles if n in text]
    return found


def _sign_in(app, client, user_id):
    with app.app_context():
        login_as(client, db.session.get(User, user_id))


def test_the_export_holds_everything_about_the_volunteer(app, client, registered):
    _sign_in(app, client, registered["user"])
    response = client.get("/min-side/data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    person = data["volunteer"]
    assert (person["first_name"], person["email"], person["phone"]) == (
        PERSONAL["first_name"],
        PERSONAL["email"],
        "+4528765432",
    )
    # Codes with their labels in the volunteer's language (Danish here), beside them.
    assert person["languages"] == [
        {"code": "da", "label": "Dansk", "level": {"code": "native", "label": "Modersmål"}},
        {"code": "so", "label": "Somali", "level": {"code": "fluent", "label": "Flydende"}},
    ]
    assert [s["code"] for s in person["schemes"]] == ["family_buddy", "child_culture"]
    assert person["schemes"][0]["label"] != "family_buddy"
    assert person["consents"]["data_processing_version"] == "2026-11"
    assert person["child_certificate"]["state"]["code"] == "received_with_remarks"
    assert data["account"]["email"] == PERSONAL["email"]
    actions = [e["action"]["code"] for e in data["history"]]
    assert actions[:2] == ["volunteer.registered", "volunteer.email_verified"]
    assert len(data["emails"]) >= 4
    # The machine-readable part (art. 20): codes only, as the volunteer gave them.
    assert data["portable"]["languages"] == {"da": "native", "so": "fluent"}
    assert data["portable"]["schemes"] == ["family_buddy", "child_culture"]
    assert "Karl" not in response.get_data(as_text=True)  # nobody else's data


def test_deleting_the_account_leaves_no_personal_value_in_any_table_and_keeps_the_counts(
    app, client, registered
):
    with app.app_context():
        assert _personal_values_left()  # the scan does find them before
        before = _report_counts()
    _sign_in(app, client, registered["user"])
    page = client.get("/min-side/slet")
    assert page.status_code == 200
    response = client.post("/min-side/slet", data={"csrf_token": csrf_token(client, "/min-side/slet")})
    assert response.headers["Location"].endswith("/login")

    with app.app_context():
        assert _personal_values_left() == []
        assert _report_counts() == before
        assert _identifying_rows(registered["volunteer"]) == (0, ["scheme"])
        volunteer = db.session.get(Volunteer, registered["volunteer"])
        assert volunteer.data_consent_at is None and volunteer.email_verified_at is None
        assert volunteer.is_erased and volunteer.status.value == "withdrawn"
        assert volunteer.child_certificate_state == ChildCertificateState.NOT_REQUESTED
        user = db.session.get(User, registered["user"])
        assert not user.is_active_account
        actions = (
            db.session.execute(
                sa.select(sa.text("action"))
                .select_from(sa.text("audit_event"))
                .where(sa.text("object_id = :id")),
                {"id": registered["volunteer"]},
            )
            .scalars()
            .all()
        )
        assert "volunteer.erased" in actions
        other = db.session.get(Volunteer, registered["other"])
        assert other.first_name == "Karl" and other.phone == "+4540404040"  # nobody else is touched
    # The session is gone and the account cannot sign in again.
    assert client.get("/min-side").status_code == 302
    with app.app_context():
        assert authenticate(PERSONAL["email"], "en lang adgangskode").user is None


def test_only_the_volunteer_can_erase_themselves(app, registered):
    from volunteer_hub.volunteers.privacy import erase_volunteer

    with app.app_context():
        coordinator = db.session.execute(
            sa.select(User).where(User.role == Role.MUNICIPAL_COORDINATOR)
        ).scalar_one()
        with pytest.raises(services.NotPermittedError):
            erase_volunteer(db.session.get(Volunteer, registered["volunteer"]), coordinator)
