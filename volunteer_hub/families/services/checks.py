"""Dates and quantities a family case can hold: one check per rule, shared by every way in.

The services call these before they change anything, so the case forms, the import and any API
that writes through the services refuse the same impossible data with the same message. Each
check raises ``CaseError`` addressed to the field it concerns (the forms show it beside the
field; the importer turns it into a row problem).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l

from volunteer_hub.core.clock import local_today

OLDEST_AGE = 120


class CaseError(ValueError):
    """A rule the input breaks, tied to the field it concerns."""

    def __init__(self, field_name: str, message: Any) -> None:
        super().__init__(str(message))
        self.field_name = field_name
        self.message = message


def check_birth_year(
    birth_year: int | None, *, today: dt.date | None = None, field: str = "birth_year"
) -> None:
    """A birth year no later than this year and no more than 120 years ago (empty is allowed)."""
    if birth_year is None:
        return
    this_year = (today or local_today()).year
    if birth_year > this_year:
        raise CaseError(
            field, _l("The birth year cannot be later than this year (%(year)s).", year=this_year)
        )
    if birth_year < this_year - OLDEST_AGE:
        raise CaseError(field, _l("The birth year cannot be before %(year)s.", year=this_year - OLDEST_AGE))


def check_member(data: Any, *, today: dt.date | None = None, field: str = "birth_year") -> None:
    """A member's own dates (``MemberData``): the birth year is possible."""
    check_birth_year(data.birth_year, today=today, field=field)


def check_done_on(
    done_on: dt.date, first_arrival_on: dt.date | None, *, field: str, today: dt.date | None = None
) -> None:
    """Something done for the household (a reception step, a health-check step): not in the
    future, and not before the household's first member arrived."""
    if done_on > (today or local_today()):
        raise CaseError(field, _l("The date cannot be in the future."))
    if first_arrival_on is not None and done_on < first_arrival_on:
        raise CaseError(
            field,
            _l(
                "The date cannot be before the household arrived (%(date)s).",
                date=first_arrival_on.isoformat(),
            ),
        )


def check_internship(
    offered_on: dt.date, starts_on: dt.date | None, workplace: Any, previous_workplace_id: int | None
) -> None:
    """An internship starts on or after its offer, at a workplace that has a free place (unless the
    adult already had their place there)."""
    if starts_on is not None and starts_on < offered_on:
        raise CaseError("starts_on", _l("The internship cannot start before it was offered."))
    if workplace is not None and workplace.id != previous_workplace_id and workplace.open_places <= 0:
        raise CaseError(
            "workplace_id",
            _l(
                "%(name)s has no free internship places. Choose another workplace, or raise its "
                "number of free places in the register first.",
                name=workplace.name,
            ),
        )


def check_danish_class(start_on: dt.date | None, ended_on: dt.date | None) -> None:
    """Danish classes end on or after they started."""
    if start_on is not None and ended_on is not None and ended_on < start_on:
        raise CaseError("class_ended_on", _l("The classes cannot end before they started."))
