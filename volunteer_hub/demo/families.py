"""Demo family cases for Glostrup: 30 households, their reception, housing, work and classes.

Deterministic (a seeded random generator, dates relative to the day of seeding) and
idempotent (households are keyed by ``ref``, register entries by name: existing ones are
left alone). Some deadlines are overdue or due soon on the day of seeding, so the
coordinator's overview has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select

from volunteer_hub.core.clock import local_today
from volunteer_hub.demo.families_data import (
    BACKGROUNDS,
    CHILD_NAMES,
    DAYCARES,
    LEISURE_OFFERS,
    POSTCODES,
    SCHOOLS,
    SHAPES,
    SHARED_UNITS,
    STREETS,
    WORKPLACES,
)
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    ArrivalRoute,
    ChildDetails,
    ConsentScope,
    DanishClass,
    HealthCheck,
    HealthCheckStatus,
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Housing,
    HousingSector,
    HousingStatus,
    InternshipOffer,
    InternshipStatus,
    LeisureOffer,
    Member,
    MemberKind,
    ReceptionStep,
    ReceptionStepKind,
    SharedUnit,
    Workplace,
)
from volunteer_hub.families.models.household import best_language
from volunteer_hub.tenancy.models import Municipality

SEED = 161


def _ensure_by_name(model: type, municipality: Municipality, name: str, **values: Any) -> Any:
    existing = db.session.execute(
        select(model)
        .where(model.municipality_id == municipality.id, model.name == name)
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()
    if existing is None:
        existing = model(municipality_id=municipality.id, name=name, **values)
        db.session.add(existing)
    return existing


def _registers(municipality: Municipality, today: dt.date) -> tuple[list[Workplace], list[SharedUnit]]:
    workplaces = [
        _ensure_by_name(
            Workplace,
            municipality,
            name,
            sector=sector,
            open_places=places,
            labour_shortage=shortage,
            address=address,
        )
        for name, sector, places, shortage, address in WORKPLACES
    ]
    for name, kind, address, min_age, max_age, interests, leisure_pass in LEISURE_OFFERS:
        _ensure_by_name(
            LeisureOffer,
            municipality,
            name,
            kind=kind,
            address=address,
            min_age=min_age,
            max_age=max_age,
            interests=interests,
            leisure_pass=leisure_pass,
        )
    units = [
        _ensure_by_name(
            SharedUnit,
            municipality,
            name,
            address=address,
            mix_flagged=flagged,
            flagged_on=today - dt.timedelta(days=6) if flagged else None,
        )
        for name, address, flagged in SHARED_UNITS
    ]
    db.session.flush()
    return workplaces, units


def seed_families(municipality: Municipality) -> None:
    """Add the demo households and register entries that are missing."""
    today = local_today()
    rng = random.Random(SEED)
    workplaces, units = _registers(municipality, today)
    existing = set(
        db.session.execute(
            select(Household.ref)
            .where(Household.municipality_id == municipality.id)
            .execution_options(all_tenants=True)
        ).scalars()
    )
    number = 0
    for background, pool in BACKGROUNDS.items():
        for index in range(6):
            number += 1
            ref = f"F{number:04d}"
            household = _household(
                rng, municipality, background, pool, index, number, today, workplaces, units
            )
            if ref not in existing:
                household.ref = ref
                db.session.add(household)
    db.session.flush()


def _household(
    rng: random.Random,
    municipality: Municipality,
    background: str,
    pool: dict[str, Any],
    index: int,
    number: int,
    today: dt.date,
    workplaces: list[Workplace],
    units: list[SharedUnit],
) -> Household:
    """Build one household (drawing from ``rng`` even when it already exists, so the rest stay the same)."""
    adults, ages = SHAPES[(number * 7) % len(SHAPES)]
    surname = pool["families"][index]
    # Arrival spread over a year; the first few of each background are recent, for live deadlines.
    arrival = today - dt.timedelta(days=[16, 12, 3, 45, 130, 300][index] + rng.randint(0, 2))
    woman, man = pool["women"][index], pool["men"][index]
    names = [woman, man] if adults == 2 else [rng.choice([woman, man])]
    languages = pool["languages"][rng.randint(0, 1)]
    interests = rng.sample(
        [
            "football",
            "swimming",
            "cooking",
            "music",
            "reading",
            "cycling",
            "handball",
            "gardening",
            "chess",
            "dancing",
            "fitness",
            "nature",
        ],
        k=rng.randint(2, 4),
    )
    schemes = ["family_buddy"] if ages else ["friend_buddy"]
    if ages and rng.random() < 0.5:
        schemes.append("child_culture")
    if rng.random() < 0.3:
        schemes.append("leisure_intro")
    household = Household(
        municipality_id=municipality.id,
        name=f"{surname} family" if adults + len(ages) > 1 else f"{names[0]} {surname}",
        contact_name=f"{names[0]} {surname}",
        phone=f"+4552{number:02d}{rng.randint(1000, 9999)}",
        email=f"{names[0].lower()}.{number}@example.dk",
        postcode=POSTCODES[number % len(POSTCODES)],
        address=f"{STREETS[number % len(STREETS)]} {rng.randint(1, 120)}",
        letter_language=best_language(dict(languages)) or "da",
        interpreter_needed=rng.random() < 0.4,
        interests=interests,
        availability=rng.sample(["weekday_daytime", "weekday_evening", "weekend"], k=rng.randint(1, 2)),
        volunteer_gender=rng.choice([None, None, "f", "m"]),
        consent_on=arrival + dt.timedelta(days=rng.randint(0, 5)),
        consent_scope=ConsentScope.CONTACT_CARD,
        registered_on=arrival + dt.timedelta(days=rng.randint(0, 3)),
        notes="",
    )
    household.languages = [
        HouseholdLanguage(language=code, level=level, position=pos)
        for pos, (code, level) in enumerate(languages)
    ]
    household.schemes = [HouseholdScheme(scheme=code) for code in schemes]
    for position, name in enumerate(names):
        later = index == 4 and position == 1  # a spouse reunified with the family later
        household.members.append(
            Member(
                kind=MemberKind.ADULT,
                name=f"{name} {surname}",
                birth_year=today.year - rng.randint(22, 58),
                arrival_on=today - dt.timedelta(days=8) if later else arrival,
                arrival_route=ArrivalRoute.FAMILY_REUNIFICATION if later else ArrivalRoute.ASYLUM,
                employed=rng.random() < 0.15,
                job_centre_contact="Jobcenter Glostrup, integrationsteamet",
            )
        )
    for age in ages:
        child = Member(
            kind=MemberKind.CHILD,
            name=f"{rng.choice(CHILD_NAMES)} {surname}",
            birth_year=today.year - age,
            arrival_on=arrival,
            arrival_route=ArrivalRoute.ASYLUM,
        )
        child.child_details = ChildDetails(
            school=rng.choice(SCHOOLS) if 6 <= age <= 16 else "",
            school_class=f"{age - 6}.{rng.choice('abc')}" if 7 <= age <= 16 else "",
            reception_class=6 <= age <= 16 and rng.random() < 0.4,
            daycare=rng.choice(DAYCARES) if age <= 5 else "",
            ppr_contact="PPR Glostrup" if rng.random() < 0.3 else "",
            family_section_contact="Familieafsnittet, Glostrup Kommune" if rng.random() < 0.4 else "",
        )
        household.members.append(child)
    _reception(rng, household, arrival, today, index)
    _housing(rng, household, arrival, bool(ages), adults, units, index)
    _work_and_danish(rng, household, today, workplaces, index)
    return household


def _reception(
    rng: random.Random, household: Household, arrival: dt.date, today: dt.date, index: int
) -> None:
    # The two most recent arrivals of each background have no welcome letter yet: one overdue, one due soon.
    if index >= 3 or (index == 2 and rng.random() < 0.5):
        household.reception_steps.append(
            ReceptionStep(
                kind=ReceptionStepKind.WELCOME_LETTER,
                done_on=arrival + dt.timedelta(days=rng.randint(3, 13)),
                done_by="Borgmesterens sekretariat",
            )
        )
    if index >= 3:
        household.reception_steps.append(
            ReceptionStep(
                kind=ReceptionStepKind.GUIDED_TOUR,
                done_on=arrival + dt.timedelta(days=rng.randint(10, 30)),
                done_by=rng.choice(["Mette Koordinator", "Frivillig fra Røde Kors"]),
            )
        )
    status = [
        HealthCheckStatus.NOT_OFFERED,
        HealthCheckStatus.OFFERED,
        HealthCheckStatus.OFFERED,
        HealthCheckStatus.ACCEPTED,
        HealthCheckStatus.DONE,
        rng.choice([HealthCheckStatus.DONE, HealthCheckStatus.DECLINED]),
    ][index]
    if status != HealthCheckStatus.NOT_OFFERED:
        check = HealthCheck(status=status, offered_on=arrival + dt.timedelta(days=2))
        if status in (HealthCheckStatus.ACCEPTED, HealthCheckStatus.DONE):
            check.accepted_on = arrival + dt.timedelta(days=5)
        if status == HealthCheckStatus.DONE:
            check.done_on = min(today, arrival + dt.timedelta(days=40))
        if status == HealthCheckStatus.DECLINED:
            check.declined_on = arrival + dt.timedelta(days=6)
        household.health_check = check


def _housing(
    rng: random.Random,
    household: Household,
    arrival: dt.date,
    has_children: bool,
    adults: int,
    units: list[SharedUnit],
    index: int,
) -> None:
    if index == 2:
        household.housing = Housing(status=HousingStatus.SEARCHING)
        return
    if has_children and index == 1:
        # A family with children in a hotel: the P7 warning.
        household.housing = Housing(
            sector=HousingSector.HOTEL,
            status=HousingStatus.TEMPORARY,
            address="Hotel ved Glostrup station",
            found_on=arrival,
        )
        return
    if not has_children and adults == 1 and index in (0, 5):
        unit = units[0] if index == 0 else units[1]
        household.housing = Housing(
            sector=HousingSector.SHARED_HOUSING,
            status=HousingStatus.PERMANENT,
            address=unit.address,
            found_on=arrival - dt.timedelta(days=3),
            shared_unit_id=unit.id,
        )
        return
    sector = rng.choice(
        [
            HousingSector.PUBLIC_ACUTE_LIST,
            HousingSector.PUBLIC_ACUTE_LIST,
            HousingSector.PRIVATE_FLAT_OR_HOUSE,
            HousingSector.PRIVATE_ROOM,
        ]
    )
    household.housing = Housing(
        sector=sector,
        status=HousingStatus.PERMANENT,
        address=household.address,
        found_on=arrival + dt.timedelta(days=rng.randint(-20, 25)),
    )


def _work_and_danish(
    rng: random.Random, household: Household, today: dt.date, workplaces: list[Workplace], index: int
) -> None:
    for adult in household.members:
        if adult.kind != MemberKind.ADULT or adult.employed:
            continue
        days_here = (today - adult.arrival_on).days
        if index >= 3 and days_here > 14:
            place = rng.choice([w for w in workplaces if w.labour_shortage])
            status = rng.choice(
                [InternshipStatus.STARTED, InternshipStatus.ACCEPTED, InternshipStatus.OFFERED]
            )
            adult.internship = InternshipOffer(
                workplace_id=place.id,
                workplace_name=place.name,
                sector=place.sector,
                offered_on=adult.arrival_on + dt.timedelta(days=rng.randint(5, 14)),
                starts_on=adult.arrival_on + dt.timedelta(days=rng.randint(20, 35)),
                status=status,
            )
        if days_here > 30:
            adult.danish_class = DanishClass(
                language_school="Sprogcenter Vestegnen",
                programme=rng.choice([1, 2, 2, 3]),
                module=rng.randint(1, 4),
                start_on=adult.arrival_on + dt.timedelta(days=rng.randint(20, 30)),
                schedule=rng.choice(["Man, ons 9–12", "Tirs, tors 17–20", "Man–fre 8.30–11.30"]),
            )
