"""Volunteers: the public registration wizard, the coordinators' pages, the volunteer's own pages.

Seeds, in every organisation the access rules tell apart, a volunteer with a marker in each
personal field (name, e-mail, phone, about, the reason a coordinator gave): A1 and A2 (with
child certificates about to expire, so the overview lists them), an independent volunteer
in A, B1 in the other municipality. The volunteer viewers of A and B get a volunteer record
of their own (approved, in A1 and B1), for the "my page" routes. One unconfirmed web
registration in A supplies the e-mail confirmation link.

Who sees a volunteer's data: the volunteer themself; municipal coordinators and
administrators of the municipality; partner coordinators of the volunteer's own
organisation only (independent volunteers: municipal staff only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tests.security.harness import (
    PUBLIC,
    STAFF,
    VOLUNTEER,
    Owner,
    RecordParam,
    Route,
    World,
    account_owner,
    any_of,
    everyone,
    organisation_staff,
)
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers import signup
from volunteer_hub.volunteers.drafts import STEP_SLUGS
from volunteer_hub.volunteers.models import (
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerStatus,
    add_months,
)
from volunteer_hub.volunteers.services import (
    DATA_CONSENT_VERSION,
    Consents,
    Profile,
    apply_profile,
    today,
)

ORDER = 10

# The volunteer, and the coordinators who manage them.
VOLUNTEER_DATA = any_of(account_owner, organisation_staff)

PARAMS = {
    "volunteer_id": RecordParam("volunteer", organisation_staff),
}

COORDINATOR_ACTIONS = ["approve", "reject", "request_information", "pause", "resume", "suspend", "reinstate"]
SELF_ACTIONS = ["pause", "resume", "withdraw"]


def _profile(world: World, organisation_id: int | None) -> tuple[Profile, str]:
    """A profile with markers, and its phone number as pages write it."""
    phone, written = world.phone_marker()
    profile = Profile(
        first_name=world.marker("volunteer.first_name"),
        last_name=world.marker("volunteer.last_name"),
        phone=phone,
        postcode="2600",
        birth_year=1980,
        gender="f",
        organisation_id=organisation_id,
        languages={"da": "native", "ar": "basic"},
        skills=["homework_help"],
        interests=["football"],
        schemes=["family_buddy", "child_culture"],
        availability=["weekend"],
        capacity=1,
        about=world.marker("volunteer.about"),
        language="da",
    )
    return profile, written


def _mark(world: World, volunteer: Volunteer, phone_written: str, owner: Owner) -> None:
    """Register every personal field of ``volunteer`` as a canary of ``owner``."""
    for field, value in (
        ("volunteer.first_name", volunteer.first_name),
        ("volunteer.last_name", volunteer.last_name),
        ("volunteer.email", volunteer.email),
        ("volunteer.phone", volunteer.phone),
        ("volunteer.phone", phone_written),
        ("volunteer.about", volunteer.about),
        ("volunteer.status_reason", volunteer.status_reason),
    ):
        if value:
            world.add_canary(value, field, owner, VOLUNTEER_DATA)


def _volunteer(
    world: World,
    municipality: str,
    organisation: str | None,
    status: VolunteerStatus,
    *,
    user_id: int | None = None,
    certificate_expires_in_days: int | None = None,
) -> Volunteer:
    """A volunteer as the importer makes one (e-mail vouched for), with markers everywhere."""
    now = utcnow()
    organisation_id = world.organisation_ids[organisation] if organisation else None
    received_on = None
    if certificate_expires_in_days is not None:
        months = 24  # CHILD_CERTIFICATE_VALID_MONTHS in the test configuration
        received_on = add_months(today() + dt.timedelta(days=certificate_expires_in_days), -months)
    email = world.email_marker()
    volunteer = Volunteer(
        municipality_id=world.municipality_ids[municipality],
        ref="S" + email.removeprefix("canary-")[:4],  # the marker's number: unique in the world
        source=RegistrationSource.IMPORT,
        status=status,
        status_changed_at=now,
        status_reason=world.marker("volunteer.status_reason")
        if status in (VolunteerStatus.NEEDS_INFORMATION, VolunteerStatus.SUSPENDED)
        else None,
        registered_on=today() - dt.timedelta(days=60),
        email=email,
        email_verified_at=now,
        user_id=user_id,
        first_name="",
        last_name="",
        data_consent_version=DATA_CONSENT_VERSION,
        data_consent_at=now,
        conduct_declared_at=now,
        child_certificate_consent_at=now,
        child_certificate_state=ChildCertificateState.RECEIVED_OK
        if received_on
        else ChildCertificateState.REQUESTED,
        child_certificate_received_on=received_on,
        child_certificate_organisation_id=organisation_id,
    )
    profile, phone_written = _profile(world, organisation_id)
    apply_profile(volunteer, profile)
    db.session.add(volunteer)
    db.session.flush()
    _mark(world, volunteer, phone_written, Owner(municipality, organisation, user_id))
    return volunteer


def seed(world: World) -> None:
    # (municipality, organisation, status, child certificate expires in days: on the overview)
    for municipality, organisation, status, expires in (
        ("A", "A1", VolunteerStatus.PENDING, 10),
        ("A", "A2", VolunteerStatus.APPROVED, 20),
        ("A", None, VolunteerStatus.SUSPENDED, None),
        ("B", "B1", VolunteerStatus.NEEDS_INFORMATION, 10),
    ):
        volunteer = _volunteer(world, municipality, organisation, status, certificate_expires_in_days=expires)
        world.add_record("volunteer", volunteer.id, Owner(municipality, organisation))

    # The volunteer viewers' own records: what "my page" shows them, and nobody else's.
    for viewers in (world.viewers, world.other_viewers):
        viewer = viewers["volunteer"]
        _volunteer(world, viewer.municipality, f"{viewer.municipality}1", VolunteerStatus.APPROVED,
                   user_id=viewer.user_id)  # fmt: skip

    # A web registration in A (the registration municipality) awaiting e-mail confirmation.
    # Its confirmation page greets the person by first name and shows the address to whoever
    # holds the e-mailed link, so those two are not markers; the rest are.
    municipality = db.session.get(Municipality, world.municipality_ids["A"])
    profile, phone_written = _profile(world, world.organisation_ids["A2"])
    profile.first_name = "Registrant"
    email = f"registrant-{world.municipality_ids['A']}@example.dk"
    registered = signup.submit_registration(municipality, email, profile, Consents(True, True, True))
    for field, value in (
        ("volunteer.last_name", profile.last_name),
        ("volunteer.phone", profile.phone),
        ("volunteer.phone", phone_written),
        ("volunteer.about", profile.about),
    ):
        world.add_canary(value, field, Owner("A", "A2"), organisation_staff)
    world.values["verify_token"] = signup.email_verification_token(registered)

    # The wizard is public: it names its municipality and lists the partner organisations to
    # choose from. So those names are public in A; B's remain its own (never on A's pages).
    world.canaries[:] = [
        replace(canary, may_see=everyone)
        if canary.field in {"municipality.name", "organisation.name"} and canary.owner.municipality == "A"
        else canary
        for canary in world.canaries
    ]


ROUTES = [
    # Registration (public)
    Route(
        "volunteers.register_start",
        PUBLIC,
        ok={"GET": (200, 302)},
        note="a signed-in volunteer is sent on to their own page",
    ),
    Route(
        "volunteers.register_step",
        PUBLIC,
        params={"slug": list(STEP_SLUGS)},
        ok={"GET": (200, 302), "POST": (302, 400)},
        note="a later step redirects to the first one not yet answered",
    ),
    Route(
        "volunteers.register_check",
        PUBLIC,
        ok={"GET": (302,), "POST": (302,)},
        note="without a draft in the session: back to the first step",
    ),
    Route("volunteers.register_done", PUBLIC),
    Route(
        "volunteers.verify_email",
        PUBLIC,
        params={"token": lambda world: world.values["verify_token"]},
        ok={"GET": (200,), "POST": (400,)},
        writes=("volunteer.user_id",),
        note="an empty form lacks the password; a valid one links the new account to the volunteer",
    ),
    # Coordinators (partner coordinators: their own organisation's volunteers only, 404 else)
    Route("volunteers.index", STAFF),
    Route("volunteers.detail", STAFF),
    Route(
        "volunteers.change_status",
        STAFF,
        params={"action": COORDINATOR_ACTIONS},
        ok={"POST": (302, 303, 400)},
        writes=("volunteer.status",),
        note="302 done, 303 not possible in the current status, 400 a reason is missing",
    ),
    Route(
        "volunteers.confirm_status",
        STAFF,
        params={"action": ["suspend", "reinstate"]},
        ok={"GET": (200, 303)},
        note="200 the confirmation page; 303 back to the volunteer when the move is not possible now",
    ),
    Route("volunteers.record_certificate", STAFF, ok={"POST": (302, 400)}),
    # The volunteer's own pages
    Route("volunteers.me", VOLUNTEER),
    Route("volunteers.edit_profile", VOLUNTEER, ok={"GET": (200,), "POST": (400,)}),
    Route(
        "volunteers.own_status",
        VOLUNTEER,
        params={"action": SELF_ACTIONS},
        ok={"POST": (302,)},
        writes=("volunteer.status",),
    ),
    Route("volunteers.export_data", VOLUNTEER),
    Route(
        "volunteers.erase",
        VOLUNTEER,
        ok={"GET": (200,), "POST": (302,)},
        writes=("volunteer.status", "outbox_message.status", "match.status"),
        note="withdraws and anonymises, ending the volunteer's matches; mail still waiting for the "
        "erased address is marked failed",
    ),
]

# The registration wizard: each step's form, then the check page's, in one session.
FLOWS = {"volunteers.register_step", "volunteers.register_check"}

# A number that passes the form's check (the seeded ones are markers, not real numbers).
FORM_VALUES = {
    "volunteers.edit_profile": {"phone": "+4520304050"},
    # One endpoint for every step of the wizard: each step takes its own fields from these.
    "volunteers.register_step": {
        "phone": "+4520304050",
        "postcode": "2600",
        "birth_year": "1980",
        "schemes": "family_buddy",
        "availability": "weekend",
        "capacity": "1",
        "data_processing": "y",
        "conduct": "y",
    },
}
