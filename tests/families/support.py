"""Helpers for family-case tests: households built through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from volunteer_hub.families.models import ArrivalRoute, Household, MemberKind
from volunteer_hub.families.services.households import HouseholdData, MemberData, create_household


def household_data(**overrides: Any) -> HouseholdData:
    values: dict[str, Any] = dict(
        name="Haile family",
        contact_name="Senait Haile",
        postcode="2600",
        registered_on=dt.date(2026, 11, 1),
        languages=[("ti", "native"), ("ar", "conversational")],
        phone="+4552123456",
        email="senait@example.dk",
        address="Hovedvejen 12",
        schemes=["family_buddy"],
        interests=["football", "swimming"],
        availability=["weekend"],
        consent_on=dt.date(2026, 11, 1),
    )
    values.update(overrides)
    from volunteer_hub.families.models import ConsentScope

    values.setdefault("consent_scope", ConsentScope.CONTACT_CARD if values["consent_on"] else None)
    return HouseholdData(**values)


def adult(name: str, arrival: dt.date, **overrides: Any) -> MemberData:
    return MemberData(
        MemberKind.ADULT,
        name,
        arrival,
        overrides.pop("route", ArrivalRoute.ASYLUM),
        overrides.pop("birth_year", 1988),
        **overrides,
    )


def child(name: str, arrival: dt.date, birth_year: int) -> MemberData:
    return MemberData(MemberKind.CHILD, name, arrival, ArrivalRoute.ASYLUM, birth_year)


def make_household(
    municipality: Any,
    *,
    arrival: dt.date = dt.date(2026, 11, 1),
    adults: int = 1,
    children_birth_years: tuple[int, ...] = (),
    actor: Any = None,
    **overrides: Any,
) -> Household:
    members = [adult(f"Adult {n}" if n > 1 else "Senait Haile", arrival) for n in range(1, adults + 1)]
    members += [child(f"Child {n}", arrival, year) for n, year in enumerate(children_birth_years, start=1)]
    return create_household(municipality.id, household_data(**overrides), members, actor=actor)


class Login:
    """What a test needs to sign a user in after the app context that made them has closed.

    (A fixture must not keep an app context open while the test client makes requests:
    Flask would reuse it, and ``g`` with the signed-in user would leak between requests.)
    """

    def __init__(self, user: Any) -> None:
        self.id = user.id
        self.municipality_id = user.municipality_id
        self._session_id = user.get_id()

    def get_id(self) -> str:
        return self._session_id
