"""Every household's schemes in one municipality as plain rows, for the matcher's pool."""

from __future__ import annotations

from sqlalchemy import select

from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, HouseholdScheme


def schemes_by_household(municipality_id: int) -> dict[int, list[str]]:
    """Every household's schemes (codes, in the order they were asked for) in one municipality,
    as plain rows: the matcher's pool runs over all of them."""
    schemes: dict[int, list[str]] = {}
    for household_id, scheme in plain_rows(
        db.session,
        select(HouseholdScheme.household_id, HouseholdScheme.scheme)
        .join(Household, Household.id == HouseholdScheme.household_id)
        .where(Household.municipality_id == municipality_id)
        .order_by(HouseholdScheme.id),
    ):
        schemes.setdefault(household_id, []).append(scheme)
    return schemes
