"""Case warnings (P7, P14) as pure functions of plain values.

* Children in temporary housing (P7): a household with children placed in a hotel or hostel,
  or in any housing whose status is temporary.
* Flagged shared unit (P7): the household lives in a shared unit whose mix of occupants a
  coordinator has flagged.
* Danish without work (P14): an adult of working age whose Danish classes are running while
  they have neither a job nor an accepted or started internship.

Statuses and sectors are compared by their string values (the model enums are StrEnums).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from volunteer_hub.families.deadlines import is_working_age

TEMPORARY_SECTORS = frozenset({"hotel", "hostel"})
TEMPORARY_STATUS = "temporary"
# An internship counts as work activity once the adult has accepted it.
ACTIVE_INTERNSHIP_STATUSES = frozenset({"accepted", "started"})


class WarningKind(enum.StrEnum):
    CHILDREN_IN_TEMPORARY_HOUSING = "children_in_temporary_housing"
    SHARED_UNIT_FLAGGED = "shared_unit_flagged"
    DANISH_WITHOUT_WORK = "danish_without_work"


@dataclass(frozen=True)
class CaseWarning:
    kind: WarningKind
    household_id: int
    member_id: int | None = None


def is_temporary_housing(sector: str | None, status: str | None) -> bool:
    """Hotel and hostel are temporary by nature; other sectors when their status says so."""
    return sector in TEMPORARY_SECTORS or status == TEMPORARY_STATUS


def housing_warnings(
    household_id: int,
    has_children: bool,
    sector: str | None,
    status: str | None,
    shared_unit_flagged: bool,
) -> list[CaseWarning]:
    """P7 warnings for one household's housing."""
    warnings = []
    if has_children and is_temporary_housing(sector, status):
        warnings.append(CaseWarning(WarningKind.CHILDREN_IN_TEMPORARY_HOUSING, household_id))
    if shared_unit_flagged:
        warnings.append(CaseWarning(WarningKind.SHARED_UNIT_FLAGGED, household_id))
    return warnings


def is_class_running(start_on: dt.date | None, ended_on: dt.date | None, today: dt.date) -> bool:
    """Classes run from their start date until (not including) the day they ended."""
    return start_on is not None and start_on <= today and (ended_on is None or ended_on > today)


def has_work_activity(employed: bool, internship_status: str | None) -> bool:
    return employed or internship_status in ACTIVE_INTERNSHIP_STATUSES


def is_danish_without_work(
    *,
    birth_year: int | None,
    class_start_on: dt.date | None,
    class_ended_on: dt.date | None,
    employed: bool,
    internship_status: str | None,
    today: dt.date,
) -> bool:
    """P14: Danish teaching must run in parallel with work or an employment effort."""
    return (
        is_working_age(birth_year, today)
        and is_class_running(class_start_on, class_ended_on, today)
        and not has_work_activity(employed, internship_status)
    )
