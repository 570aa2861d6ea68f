"""Family cases: households, their members, reception, housing, work, and the registers.

Seeds one household in each municipality (two adults and a child in A, one adult in B),
built through the domain's services, with a marker in every field of the case: the
household's name, contact person, phone, e-mail, address and notes, each member's name,
the job-centre contact, the child's school, daycare, PPR and family-section contacts, and
the housing address. A's household lives in a shared unit of A's register. Each
municipality has a workplace, a shared unit and a leisure offer in its registers.

Who sees a case: only municipal coordinators and administrators of the household's own
municipality (DOMAIN "Privacy"). Case routes are declared ``signed_in`` and answer 404 to
everyone else, so a partner coordinator or volunteer cannot even learn that a case number
exists. Partner coordinators never see case data, not even of their own volunteers' families
(the contact card arrives with matching).
"""

from __future__ import annotations

import datetime as dt

from tests.security.harness import (
    MUNICIPAL_STAFF,
    SIGNED_IN,
    Owner,
    RecordParam,
    Route,
    World,
    municipal_staff,
    same_municipality,
)
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    ArrivalRoute,
    ConsentScope,
    HousingSector,
    HousingStatus,
    LeisureKind,
    MemberKind,
    WorkSector,
)
from volunteer_hub.families.services.households import HouseholdData, MemberData, create_household
from volunteer_hub.families.services.housing import HousingData, update_housing
from volunteer_hub.families.services.members import ChildDetailsData, update_adult, update_child
from volunteer_hub.families.services.registers import (
    LeisureOfferData,
    SharedUnitData,
    WorkplaceData,
    save_leisure_offer,
    save_shared_unit,
    save_workplace,
)

ORDER = 20

PARAMS = {
    "household_id": RecordParam("household", municipal_staff),
    "member_id": RecordParam("member", municipal_staff),
    "workplace_id": RecordParam("workplace", municipal_staff),
    "unit_id": RecordParam("shared_unit", municipal_staff),
    "offer_id": RecordParam("leisure_offer", municipal_staff),
}


class _Marks:
    """Markers in one municipality's case data and registers: only its municipal staff see them."""

    def __init__(self, world: World, municipality: str) -> None:
        self.world, self.owner = world, Owner(municipality)

    def __call__(self, key: str, value: str | None = None) -> str:
        value = self.world.marker(key) if value is None else value
        return self.world.add_canary(value, key, self.owner, CARD_FIELDS.get(key, municipal_staff))

    def phone(self, key: str) -> str:
        stored, written = self.world.phone_marker()
        self(key, written)
        return self(key, stored)


# The household's contact card (contact person's first name, phone) goes to the volunteers it
# is matched with and their partner coordinators (DOMAIN: "sees only the contact card of a
# household matched with them"). The matching domain matches municipality A's household with a
# volunteer of every organisation of A and with A's volunteer viewer, so in this world every
# signed-in user of the household's municipality may see those two fields, and nobody else.
CARD_FIELDS = {"household.contact_name": same_municipality, "household.phone": same_municipality}


def _registers(world: World, municipality: str) -> int:
    municipality_id = world.municipality_ids[municipality]
    owner, mark = Owner(municipality), _Marks(world, municipality)
    workplace = save_workplace(
        None,
        WorkplaceData(
            name=mark("workplace.name"),
            sector=WorkSector.RETAIL,
            open_places=2,
            address=mark("workplace.address"),
            contact=mark("workplace.contact"),
        ),
        municipality_id=municipality_id,
        actor=None,
    )
    world.add_record("workplace", workplace.id, owner)
    unit = save_shared_unit(
        None,
        SharedUnitData(name=mark("shared_unit.name"), address=mark("shared_unit.address")),
        municipality_id=municipality_id,
        actor=None,
    )
    world.add_record("shared_unit", unit.id, owner)
    offer = save_leisure_offer(
        None,
        LeisureOfferData(
            name=mark("leisure_offer.name"),
            kind=LeisureKind.SPORTS_CLUB,
            address=mark("leisure_offer.address"),
            min_age=6,
            max_age=99,
            interests=["football"],
        ),
        municipality_id=municipality_id,
        actor=None,
    )
    world.add_record("leisure_offer", offer.id, owner)
    return unit.id


def _household(world: World, municipality: str, unit_id: int, *, with_child: bool) -> None:
    owner, mark = Owner(municipality), _Marks(world, municipality)
    arrival = dt.date.today() - dt.timedelta(days=12)  # letter and internship due in 2 days: on the overview
    members = [
        MemberData(MemberKind.ADULT, mark("member.name"), arrival, ArrivalRoute.ASYLUM, 1988),
    ]
    if with_child:
        members += [
            MemberData(MemberKind.ADULT, mark("member.name"), arrival, ArrivalRoute.ASYLUM, 1990),
            MemberData(MemberKind.CHILD, mark("member.name"), arrival, ArrivalRoute.ASYLUM, 2016),
        ]
    household = create_household(
        world.municipality_ids[municipality],
        HouseholdData(
            name=mark("household.name"),
            contact_name=mark("household.contact_name"),
            postcode="2600",
            registered_on=arrival,
            languages=[("ar", "native"), ("en", "basic")],
            phone=mark.phone("household.phone"),
            email=mark("household.email", world.email_marker()),
            address=mark("household.address"),
            interests=["football"],
            schemes=["family_buddy"],
            availability=["weekend"],
            consent_on=arrival,
            consent_scope=ConsentScope.CONTACT_CARD,
            notes=mark("household.notes"),
        ),
        members,
        actor=None,
    )
    world.add_record("household", household.id, owner)
    for member in household.members:
        world.add_record("member", member.id, owner)
        if member.kind == MemberKind.ADULT:
            update_adult(
                household,
                member,
                MemberData(MemberKind.ADULT, member.name, member.arrival_on, member.arrival_route,
                           member.birth_year, job_centre_contact=mark("member.job_centre_contact")),
                internship=None,
                danish=None,
                expected_version=household.version_id,
                actor=None,
            )  # fmt: skip
        else:
            update_child(
                household,
                member,
                MemberData(MemberKind.CHILD, member.name, member.arrival_on, member.arrival_route,
                           member.birth_year),
                ChildDetailsData(
                    school=mark("child.school"),
                    school_class="2.A",
                    daycare=mark("child.daycare"),
                    ppr_contact=mark("child.ppr_contact"),
                    family_section_contact=mark("child.family_section_contact"),
                ),
                expected_version=household.version_id,
                actor=None,
            )  # fmt: skip
    update_housing(
        household,
        HousingData(
            status=HousingStatus.TEMPORARY,
            sector=HousingSector.SHARED_HOUSING,
            address=mark("housing.address"),
            found_on=arrival,
            shared_unit_id=unit_id,
        ),
        expected_version=household.version_id,
        actor=None,
    )


def seed(world: World) -> None:
    for municipality in ("A", "B"):
        unit_id = _registers(world, municipality)
        _household(world, municipality, unit_id, with_child=municipality == "A")
    db.session.flush()


ROUTES = [
    # Case routes: declared signed_in; everyone but municipal staff of the municipality gets 404.
    Route("families.list_cases", MUNICIPAL_STAFF),
    Route("families.new_case", MUNICIPAL_STAFF, ok={"GET": (200,), "POST": (400,)}),
    Route("families.case", SIGNED_IN),
    Route("families.edit_case", SIGNED_IN, ok={"GET": (200,), "POST": (400,)}),
    Route("families.add_member_view", SIGNED_IN, ok={"GET": (200,), "POST": (400,)}),
    Route("families.edit_member", SIGNED_IN, ok={"GET": (200,), "POST": (400,)}),
    Route(
        "families.remove_member_view",
        SIGNED_IN,
        ok={"POST": (302,)},
        note="without the form's version: back to the member's page with a message",
    ),
    Route("families.leisure", SIGNED_IN),
    Route("families.housing", SIGNED_IN, ok={"GET": (200,), "POST": (400,)}),
    Route(
        "families.reception",
        SIGNED_IN,
        ok={"GET": (200,), "POST": (409,)},
        note="every field is optional; a form without the case's version is refused as stale",
    ),
    Route("families.health_check", SIGNED_IN, ok={"POST": (400,)}),
    Route("families.welcome_letter", SIGNED_IN, ok={"GET": (200,), "POST": (302,)}),
    Route("families.welcome_letter_page", SIGNED_IN),
    Route("families.welcome_letter_pdf", SIGNED_IN),
    # The registers
    Route("families.registers_index", MUNICIPAL_STAFF),
    Route("families.workplaces", MUNICIPAL_STAFF),
    Route("families.workplace", MUNICIPAL_STAFF, ok={"GET": (200,), "POST": (400,)}),
    Route("families.shared_units", MUNICIPAL_STAFF),
    Route("families.shared_unit", MUNICIPAL_STAFF, ok={"GET": (200,), "POST": (400,)}),
    Route("families.leisure_offers", MUNICIPAL_STAFF),
    Route("families.leisure_offer", MUNICIPAL_STAFF, ok={"GET": (200,), "POST": (400,)}),
]

# Values the forms need to be accepted, so extra fields and payloads reach the saving code:
# a real phone number (the seeded ones are markers), one language per row, one adult.
_ONE_LANGUAGE = {f"languages-{row}-{part}": "" for row in (1, 2, 3) for part in ("language", "level")}
FORM_VALUES = {
    "families.new_case": {
        "postcode": "2600",
        "phone": "+4552123456",
        **_ONE_LANGUAGE,
        "languages-0-language": "ar",
        "languages-0-level": "native",
        **{f"members-{row}-name": "" for row in range(1, 8)},
        **{f"members-{row}-birth_year": "" for row in range(1, 8)},
        "members-0-kind": "adult",
        "members-0-birth_year": "1990",
    },
    "families.edit_case": {"phone": "+4552123456", **_ONE_LANGUAGE},
    "families.add_member_view": {"birth_year": "2015"},
    "families.edit_member": {"programme": "1", "module": "1", "birth_year": "1990"},
}
