"""Demo volunteers for ``flask seed-demo``: about 80 people across Glostrup's partners.

Deterministic (a fixed random seed; dates are relative to today so that some child
certificates always expire within the next 30 days) and idempotent (refs V0001..V0080 that
exist already are left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.auth.models import User
from volunteer_hub.auth.services import create_user
from volunteer_hub.core.roles import Role
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality, Organisation
from volunteer_hub.volunteers.models import (
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerStatus,
    add_months,
)
from volunteer_hub.volunteers.services import DATA_CONSENT_VERSION, Profile, apply_profile, today

DEMO_VOLUNTEER_EMAIL = "frivillig@glostrup.demo"
COUNT = 80

DANISH_WOMEN = [
    "Anna",
    "Mette",
    "Karen",
    "Lone",
    "Sofie",
    "Ida",
    "Camilla",
    "Birgitte",
    "Hanne",
    "Maria",
    "Louise",
    "Julie",
    "Signe",
    "Kirsten",
    "Helle",
    "Emma",
    "Freja",
    "Inge",
    "Lise",
    "Tove",
]
DANISH_MEN = [
    "Lars",
    "Jens",
    "Peter",
    "Søren",
    "Morten",
    "Henrik",
    "Anders",
    "Niels",
    "Thomas",
    "Mikkel",
    "Rasmus",
    "Jesper",
    "Ole",
    "Bent",
    "Frederik",
    "Mads",
    "Kasper",
    "Poul",
    "Torben",
    "Christian",
]
DANISH_SURNAMES = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Lund",
    "Holm",
    "Bak",
    "Dahl",
    "Vestergaard",
]
# (first names, surnames, native language, other languages) for volunteers with another mother tongue.
OTHER_BACKGROUNDS = [
    (
        ["Ahmad", "Fatima", "Omar", "Layla", "Yusuf"],
        ["Haddad", "Khalil", "Mansour", "Saleh"],
        "ar",
        [("da", "fluent"), ("en", "conversational")],
    ),
    (
        ["Mariam", "Reza", "Shirin"],
        ["Karimi", "Ahmadi", "Hosseini"],
        "fa",
        [("da", "fluent"), ("en", "fluent")],
    ),
    (["Farid", "Zahra"], ["Rahimi", "Noori"], "prs", [("da", "conversational"), ("fa", "fluent")]),
    (
        ["Senait", "Yonas", "Helen"],
        ["Tesfay", "Haile", "Gebremariam"],
        "ti",
        [("da", "fluent"), ("am", "conversational")],
    ),
    (
        ["Olena", "Andrii", "Iryna", "Oksana"],
        ["Kovalenko", "Shevchenko", "Bondarenko"],
        "uk",
        [("ru", "fluent"), ("da", "conversational"), ("en", "fluent")],
    ),
    (
        ["Hodan", "Abdi", "Faadumo"],
        ["Warsame", "Hassan", "Mohamed"],
        "so",
        [("da", "fluent"), ("ar", "basic"), ("en", "conversational")],
    ),
]
POSTCODES = ["2600", "2600", "2600", "2605", "2610", "2620", "2625", "2635", "2650", "2750", "2700"]
ABOUT = [
    "Jeg er pensioneret lærer og vil gerne hjælpe med lektier og dansk.",
    "Jeg kender Glostrup godt og viser gerne rundt i byen, til svømmehallen og biblioteket.",
    "Jeg har selv prøvet at flytte til et nyt land og ved, hvor meget en ven betyder.",
    "Jeg træner børnefodbold i weekenden og tager gerne nye spillere med.",
    "Jeg arbejder på hospitalet og kan hjælpe med at forstå sundhedsvæsenet.",
    "Jeg elsker at lave mad og inviterer gerne til spisning og en snak.",
    "",
]
STATUSES = (
    [VolunteerStatus.APPROVED] * 46
    + [VolunteerStatus.PENDING] * 12
    + [VolunteerStatus.NEEDS_INFORMATION] * 3
    + [VolunteerStatus.PAUSED] * 7
    + [VolunteerStatus.REJECTED] * 3
    + [VolunteerStatus.SUSPENDED] * 2
    + [VolunteerStatus.WITHDRAWN] * 7
)
SKILLS = [
    "danish_practice",
    "homework_help",
    "job_search",
    "cv_writing",
    "paperwork",
    "digital_skills",
    "healthcare_navigation",
    "housing_help",
    "childcare",
    "cooking",
    "cycling_training",
    "driving",
    "sports_coaching",
    "music",
    "arts_crafts",
    "bike_repair",
]
INTERESTS = [
    "football",
    "swimming",
    "running",
    "cycling",
    "hiking",
    "nature",
    "music",
    "singing",
    "cooking",
    "baking",
    "gardening",
    "chess",
    "board_games",
    "reading",
    "cinema",
    "handball",
    "badminton",
    "yoga",
]
SCHEMES = ["family_buddy", "friend_buddy", "contact_person", "leisure_intro", "child_culture"]
AVAILABILITY = ["weekday_daytime", "weekday_evening", "weekend"]
PARTNER_WEIGHTS = [
    ("Røde Kors Glostrup", 30),
    ("Dansk Flygtningehjælp Frivillignetværk Glostrup", 22),
    ("Venligboerne Glostrup", 18),
    ("Glostrup Idrætsforening", 12),
    (None, 18),
]


@dataclass
class DemoVolunteer:
    ref: str
    email: str
    profile: Profile
    organisation: str | None
    status: VolunteerStatus
    registered_on: dt.date
    certificate: ChildCertificateState
    certificate_on: dt.date | None


def _ascii(name: str) -> str:
    return name.lower().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")


def generate(on: dt.date) -> list[DemoVolunteer]:
    """The demo volunteers, the same list every time for a given day."""
    rng = random.Random(20261127)  # noqa: S311 - demo data, not security
    statuses = list(STATUSES)
    rng.shuffle(statuses)
    people = []
    for index in range(COUNT):
        if index % 4 == 3 and index < 4 * sum(len(b[0]) for b in OTHER_BACKGROUNDS):
            first_names, surnames, native, others = OTHER_BACKGROUNDS[(index // 4) % len(OTHER_BACKGROUNDS)]
            first, last = rng.choice(first_names), rng.choice(surnames)
            languages = {native: "native", **dict(others)}
        else:
            gender = rng.choice("fm")
            first = rng.choice(DANISH_WOMEN if gender == "f" else DANISH_MEN)
            last = rng.choice(DANISH_SURNAMES)
            languages = {"da": "native", "en": rng.choice(["fluent", "conversational", "fluent", "basic"])}
            if rng.random() < 0.25:
                languages[rng.choice(["de", "fr", "es", "ar", "uk"])] = rng.choice(
                    ["basic", "conversational"]
                )
        gender_code = rng.choice(["f", "m", "f", "m", ""])
        schemes = rng.sample(SCHEMES, rng.choice([1, 1, 2, 2, 3]))
        organisation = rng.choices([p for p, _ in PARTNER_WEIGHTS], weights=[w for _, w in PARTNER_WEIGHTS])[
            0
        ]
        registered_on = on - dt.timedelta(days=rng.randint(5, 540))
        certificate, certificate_on = ChildCertificateState.NOT_REQUESTED, None
        works_with_children = "child_culture" in schemes or "family_buddy" in schemes
        if works_with_children:
            roll = rng.random()
            if index % 12 == 1:  # a few always expire within the coming 30 days
                certificate = ChildCertificateState.RECEIVED_OK
                certificate_on = add_months(on, -24) + dt.timedelta(days=rng.randint(2, 28))
            elif roll < 0.65:
                certificate = ChildCertificateState.RECEIVED_OK
                certificate_on = on - dt.timedelta(days=rng.randint(20, 800))
            elif roll < 0.72:
                certificate = ChildCertificateState.RECEIVED_WITH_REMARKS
                certificate_on = on - dt.timedelta(days=rng.randint(20, 300))
            elif roll < 0.88:
                certificate = ChildCertificateState.REQUESTED
        ref = f"V{index + 1:04d}"
        profile = Profile(
            first_name=first,
            last_name=last,
            phone=f"+45{rng.choice('2345')}{rng.randint(0, 9999999):07d}",
            postcode=rng.choice(POSTCODES),
            birth_year=rng.randint(1950, 2005),
            gender=gender_code or None,
            organisation_id=None,
            languages=languages,
            skills=rng.sample(SKILLS, rng.randint(1, 4)),
            interests=rng.sample(INTERESTS, rng.randint(0, 4)),
            schemes=schemes,
            availability=rng.sample(AVAILABILITY, rng.randint(1, 3)),
            capacity=rng.choice([1, 1, 1, 2, 2, 3]),
            about=rng.choice(ABOUT),
            language="da" if index % 9 else "en",
        )
        email = f"{_ascii(first)}.{_ascii(last)}.{index + 1}@frivillig.demo"
        people.append(
            DemoVolunteer(
                ref, email, profile, organisation, statuses[index], registered_on, certificate, certificate_on
            )
        )
    # The demo login (V0001) is an approved Red Cross volunteer.
    people[0].status = VolunteerStatus.APPROVED
    people[0].organisation = "Røde Kors Glostrup"
    people[0].email = DEMO_VOLUNTEER_EMAIL
    return people


def seed_demo_volunteers(
    municipality: Municipality, organisations: dict[str, Organisation], password: str
) -> list[tuple[str, str]]:
    """Add the demo volunteers that are missing and the volunteer demo login; return that login."""
    existing = set(
        db.session.execute(
            select(Volunteer.ref)
            .where(Volunteer.municipality_id == municipality.id)
            .execution_options(all_tenants=True)
        ).scalars()
    )
    now = utcnow()
    for person in generate(today()):
        if person.ref in existing:
            continue
        organisation = organisations.get(person.organisation) if person.organisation else None
        person.profile.organisation_id = organisation.id if organisation else None
        volunteer = Volunteer(
            municipality_id=municipality.id,
            ref=person.ref,
            source=RegistrationSource.DEMO,
            status=person.status,
            status_changed_at=now,
            registered_on=person.registered_on,
            email=person.email,
            email_verified_at=now,
            first_name="",
            last_name="",
            data_consent_version=DATA_CONSENT_VERSION,
            data_consent_at=now,
            conduct_declared_at=now,
            child_certificate_consent_at=now
            if person.certificate != ChildCertificateState.NOT_REQUESTED
            else None,
            child_certificate_state=person.certificate,
            child_certificate_received_on=person.certificate_on,
            child_certificate_organisation_id=(
                person.profile.organisation_id
                if person.certificate != ChildCertificateState.NOT_REQUESTED
                else None
            ),
        )
        if person.status in (
            VolunteerStatus.REJECTED,
            VolunteerStatus.NEEDS_INFORMATION,
            VolunteerStatus.SUSPENDED,
        ):
            volunteer.status_reason = {
                VolunteerStatus.REJECTED: "Vi har ikke brug for flere frivillige i dit område lige nu.",
                VolunteerStatus.NEEDS_INFORMATION: "Skriv lidt mere om, hvad du gerne vil hjælpe med.",
                VolunteerStatus.SUSPENDED: "Vi har modtaget en klage, som vi skal tale med dig om.",
            }[person.status]
        apply_profile(volunteer, person.profile)
        db.session.add(volunteer)
        db.session.flush()
        record(
            "volunteer.demo_created",
            actor=None,
            municipality_id=municipality.id,
            obj=volunteer,
            to_status=volunteer.status.value,
        )
    _ensure_demo_login(municipality, password)
    return [(Role.VOLUNTEER.value, DEMO_VOLUNTEER_EMAIL)]


def _ensure_demo_login(municipality: Municipality, password: str) -> None:
    volunteer = db.session.execute(
        select(Volunteer)
        .where(Volunteer.municipality_id == municipality.id, Volunteer.ref == "V0001")
        .execution_options(all_tenants=True)
    ).scalar_one()
    if volunteer.user_id is not None or volunteer.email != DEMO_VOLUNTEER_EMAIL:
        return
    user = db.session.execute(
        select(User).where(User.email == DEMO_VOLUNTEER_EMAIL).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if user is None:
        user = create_user(
            municipality_id=municipality.id,
            email=DEMO_VOLUNTEER_EMAIL,
            name=volunteer.name,
            password=password,
            role=Role.VOLUNTEER,
            organisation_id=volunteer.organisation_id,
        )
    volunteer.user_id = user.id
    db.session.flush()


def demo_summary(volunteers: list[Any]) -> dict[str, int]:
    """Counts by status, for a quick look at what the demo contains."""
    counts: dict[str, int] = {}
    for volunteer in volunteers:
        counts[volunteer.status.value] = counts.get(volunteer.status.value, 0) + 1
    return counts
