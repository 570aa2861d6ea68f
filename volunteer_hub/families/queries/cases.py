"""The case list: searched, filtered, sorted and paged in SQL; only the page's households are loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    case,
    false,
    func,
    or_,
    select,
)

from volunteer_hub.core.paging import Page, page_count
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import (
    DUE_SOON_DAYS,
    WELCOME_LETTER_DAYS,
    Deadline,
    DeadlineState,
    latest_arrival_due_by,
)
from volunteer_hub.families.models import (
    Household,
)
from volunteer_hub.families.queries.conditions import (
    _has_danish_warning,
    _has_housing_warning,
    _letter_sent,
    case_deadlines,
    case_row_load_options,
    case_warnings,
)
from volunteer_hub.families.warnings import (
    CaseWarning,
)


@dataclass(frozen=True)
class CaseHousehold:
    """What the case list shows of a household."""

    id: int
    name: str
    ref: str
    contact_name: str
    registered_on: dt.date
    adults: int
    children: int


@dataclass(frozen=True)
class CaseRow:
    household: CaseHousehold
    deadlines: list[Deadline]
    next_open: Deadline | None
    next_state: DeadlineState | None
    warnings: list[CaseWarning]
    first_arrival_on: dt.date | None


CASE_FILTERS = ("all", "attention", "overdue", "waiting", "warnings")
CASE_SORTS = ("deadline", "ref", "name", "arrival", "registered")
CASES_PER_PAGE = 50
# Where the app keeps the function (municipality id, today) -> query of the ids of the households
# waiting for a volunteer; the matching package registers it, as only it knows who waits.
WAITING_IDS_EXTENSION = "vh_waiting_household_ids"


def case_row(household: Household, today: dt.date) -> CaseRow:
    """A household's row in the case list: its next open deadline and its warnings."""
    deadlines = case_deadlines(household)
    next_open = next((d for d in deadlines if d.done_on is None), None)
    return CaseRow(
        household=CaseHousehold(
            household.id,
            household.name,
            household.ref,
            household.contact_name,
            household.registered_on,
            len(household.adults),
            len(household.children),
        ),
        deadlines=deadlines,
        next_open=next_open,
        next_state=next_open.state(today) if next_open else None,
        warnings=case_warnings(household, today),
        first_arrival_on=household.first_arrival_on,
    )


def list_cases(
    municipality_id: int,
    today: dt.date,
    *,
    text: str = "",
    show: str = "all",
    sort: str = "deadline",
    page: int = 1,
    waiting_ids: Select[Any] | None = None,
    per_page: int = CASES_PER_PAGE,
) -> Page[CaseRow]:
    """One page of the case list, searched, filtered and sorted (filters and sorts outside the
    lists fall back to showing all, by deadline); a page past the end gives the last page.

    ``waiting_ids`` selects the ids of the households waiting for a volunteer, for the "waiting"
    filter (the matching package knows who waits); without it nobody is shown as waiting.
    """
    sort = sort if sort in CASE_SORTS else "deadline"
    # The arrival that drives the next open deadline: the first arrival while the welcome letter
    # is open (no adult arrives before it), otherwise the earliest adult still owed an offer
    # (both kept in the household's row, see ``volunteer_hub.maintained``).
    next_due_arrival = case((~_letter_sent(), Household.earliest_arrival_on), else_=Household.first_owed_on)
    statement = select(Household.id).where(Household.municipality_id == municipality_id)
    if text:
        needle = text.lower()
        statement = statement.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (Household.ref, Household.name, Household.contact_name)
                )
            )
        )
    soon = latest_arrival_due_by(today + dt.timedelta(days=DUE_SOON_DAYS), WELCOME_LETTER_DAYS)
    if show == "attention":
        statement = statement.where(next_due_arrival <= soon)
    elif show == "overdue":
        statement = statement.where(
            next_due_arrival <= latest_arrival_due_by(today - dt.timedelta(days=1), WELCOME_LETTER_DAYS)
        )
    elif show == "warnings":
        statement = statement.where(or_(_has_housing_warning(), _has_danish_warning(today)))
    elif show == "waiting":
        statement = statement.where(Household.id.in_(waiting_ids) if waiting_ids is not None else false())
    order = {
        "ref": [],
        "name": [func.lower(Household.name)],
        "arrival": [Household.earliest_arrival_on.nulls_last()],
        "registered": [Household.registered_on],
        "deadline": [next_due_arrival.nulls_last()],
    }[sort]
    # The page and the total in one pass; a page past the end is asked again as the last page.
    paged = statement.add_columns(func.count().over()).order_by(*order, Household.ref).limit(per_page)
    number = max(1, page)
    found = db.session.execute(paged.offset((number - 1) * per_page)).all()
    if found:
        total = found[0][-1]
    else:
        total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
        if total and number > page_count(total, per_page):
            number = page_count(total, per_page)
            found = db.session.execute(paged.offset((number - 1) * per_page)).all()
    ids = [row[0] for row in found]
    households = (
        {
            h.id: h
            for h in db.session.execute(
                select(Household).where(Household.id.in_(ids)).options(*case_row_load_options())
            ).scalars()
        }
        if ids
        else {}
    )
    return Page([case_row(households[i], today) for i in ids], total, number, per_page)
