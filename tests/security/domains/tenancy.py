"""Running the municipality (issue 19): its settings and its partner organisations, administrators only.

The organisations themselves are seeded by the platform domain; this file names them as records,
so the organisation pages are called for the own and the other municipality's organisations.
"""

from __future__ import annotations

from tests.security.domains.platform import ORGANISATIONS
from tests.security.harness import ADMIN, Owner, RecordParam, Route, World, administrators

PARAMS = {
    "organisation_id": RecordParam("organisation", administrators),
}

ROUTES = [
    Route("tenancy.settings", ADMIN),
    Route("tenancy.organisations", ADMIN),
    Route("tenancy.edit_organisation", ADMIN),
    Route("tenancy.toggle_organisation", ADMIN),
]


def seed(world: World) -> None:
    for organisation, municipality in ORGANISATIONS.items():
        owner = Owner(municipality, organisation)
        world.add_record("organisation", world.organisation_ids[organisation], owner)
