"""Housing (P6, P7): a household's housing record and the figure "housed before arrival"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.audit.services import record
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import check_version, touch
from volunteer_hub.families.models import Household, Housing, HousingSector, HousingStatus, SharedUnit
from volunteer_hub.families.services.households import CaseError


@dataclass
class HousingData:
    status: HousingStatus
    sector: HousingSector | None = None
    address: str = ""
    found_on: dt.date | None = None
    shared_unit_id: int | None = None


def housed_before_arrival(found_on: dt.date | None, first_arrival_on: dt.date | None) -> bool | None:
    """P6: was a home found on or before the household's first arrival? None: no arrival known."""
    if first_arrival_on is None:
        return None
    return found_on is not None and found_on <= first_arrival_on


@dataclass(frozen=True)
class HousedFigure:
    housed_before_arrival: int
    households: int

    @property
    def percent(self) -> int | None:
        if not self.households:
            return None
        return round(100 * self.housed_before_arrival / self.households)


def housed_before_arrival_figure(households: Iterable[Household]) -> HousedFigure:
    """Across households with a known arrival: how many were housed by the day they arrived."""
    housed = total = 0
    for household in households:
        found_on = household.housing.found_on if household.housing else None
        answer = housed_before_arrival(found_on, household.first_arrival_on)
        if answer is None:
            continue
        total += 1
        housed += int(answer)
    return HousedFigure(housed, total)


def update_housing(
    household: Household, data: HousingData, *, expected_version: int | None, actor: Any
) -> Housing:
    """Record the household's housing: sector, address, status, date found and shared unit."""
    check_version(household, expected_version)
    if data.status != HousingStatus.SEARCHING and data.found_on is None:
        raise CaseError("found_on", _l("Enter the date the housing was found."))
    if data.status == HousingStatus.SEARCHING and data.found_on is not None:
        raise CaseError("found_on", _l("Leave the date empty while a home is still being searched for."))
    if data.shared_unit_id is not None:
        unit = db.session.get(SharedUnit, data.shared_unit_id)
        if unit is None or unit.municipality_id != household.municipality_id:
            raise CaseError("shared_unit_id", _l("Choose a shared unit from the list."))
    housing = household.housing or Housing()
    housing.status = data.status
    housing.sector = data.sector
    housing.address = data.address
    housing.found_on = data.found_on
    housing.shared_unit_id = data.shared_unit_id
    household.housing = housing
    touch(household)
    db.session.flush()
    record(
        "family.housing_updated",
        actor=actor,
        municipality_id=household.municipality_id,
        obj=household,
        status=data.status.value,
        sector=data.sector.value if data.sector else None,
        shared_unit_id=data.shared_unit_id,
    )
    return housing
