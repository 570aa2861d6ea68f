"""The policy's 14-day deadlines as pure functions of dates and ``today``.

Whose arrival date drives each deadline:

* Welcome letter (P2): the household's FIRST arrival, i.e. the earliest arrival date of any
  member. A family member who arrives later through family reunification does not start a
  new welcome-letter deadline: the household was already welcomed.
* Introduction internship (P8): per ADULT, from that adult's OWN arrival date. A
  family-reunified adult who arrives months later gets a deadline of their own, 14 days after
  they arrive. Only adults of working age on the day they arrive who are not already
  employed are owed an offer; an adult recorded as employed has no internship deadline.

Nothing here touches Flask or the database, so every boundary is tested directly.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

WELCOME_LETTER_DAYS = 14
INTERNSHIP_DAYS = 14
DUE_SOON_DAYS = 3
# Working age for the internship rule: the age reached in the year (only birth years are kept).
WORKING_AGE_FROM = 18
WORKING_AGE_TO = 64


class DeadlineKind(enum.StrEnum):
    WELCOME_LETTER = "welcome_letter"
    INTERNSHIP = "internship"


class DeadlineState(enum.StrEnum):
    DONE = "done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"  # due today or within DUE_SOON_DAYS days
    UPCOMING = "upcoming"


def welcome_letter_due_on(first_arrival_on: dt.date) -> dt.date:
    """P2: the welcome letter is due 14 days after the household's first arrival."""
    return first_arrival_on + dt.timedelta(days=WELCOME_LETTER_DAYS)


def internship_due_on(adult_arrival_on: dt.date) -> dt.date:
    """P8: an internship offer is due 14 days after this adult's own arrival."""
    return adult_arrival_on + dt.timedelta(days=INTERNSHIP_DAYS)


def latest_arrival_due_by(due_by: dt.date, days: int) -> dt.date:
    """The latest arrival whose deadline, ``days`` after arrival, falls on or before ``due_by``:
    the arrival date SQL compares with to find deadlines due by then."""
    return due_by - dt.timedelta(days=days)


def is_working_age(birth_year: int | None, on: dt.date) -> bool:
    """True when the age reached in ``on``'s year is 18–64; an unknown birth year counts as
    working age, so nobody is silently left without an offer."""
    if birth_year is None:
        return True
    return WORKING_AGE_FROM <= on.year - birth_year <= WORKING_AGE_TO


def days_left(due_on: dt.date, today: dt.date) -> int:
    """Days until ``due_on``: 0 when due today, negative when overdue."""
    return (due_on - today).days


def deadline_state(
    due_on: dt.date, today: dt.date, done_on: dt.date | None = None, soon_days: int = DUE_SOON_DAYS
) -> DeadlineState:
    """Where a deadline stands on ``today``; a completed item is DONE however late it was."""
    if done_on is not None:
        return DeadlineState.DONE
    left = days_left(due_on, today)
    if left < 0:
        return DeadlineState.OVERDUE
    if left <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.UPCOMING


@dataclass(frozen=True)
class AdultFacts:
    """What the internship rule needs to know about one adult."""

    member_id: int
    arrival_on: dt.date
    birth_year: int | None
    employed: bool
    internship_offered_on: dt.date | None


@dataclass(frozen=True)
class Deadline:
    """One deadline of one household (``member_id`` set for an adult's internship)."""

    kind: DeadlineKind
    household_id: int
    member_id: int | None
    due_on: dt.date
    done_on: dt.date | None

    def state(self, today: dt.date, soon_days: int = DUE_SOON_DAYS) -> DeadlineState:
        return deadline_state(self.due_on, today, self.done_on, soon_days)

    def days_left(self, today: dt.date) -> int:
        return days_left(self.due_on, today)


def household_deadlines(
    household_id: int,
    arrival_dates: Iterable[dt.date],
    welcome_letter_sent_on: dt.date | None,
    adults: Iterable[AdultFacts],
) -> list[Deadline]:
    """Every policy deadline of one household, done or not, ordered by due date."""
    deadlines: list[Deadline] = []
    arrivals = list(arrival_dates)
    if arrivals:
        deadlines.append(
            Deadline(
                DeadlineKind.WELCOME_LETTER,
                household_id,
                None,
                welcome_letter_due_on(min(arrivals)),
                welcome_letter_sent_on,
            )
        )
    for adult in adults:
        if adult.employed or not is_working_age(adult.birth_year, adult.arrival_on):
            continue
        deadlines.append(
            Deadline(
                DeadlineKind.INTERNSHIP,
                household_id,
                adult.member_id,
                internship_due_on(adult.arrival_on),
                adult.internship_offered_on,
            )
        )
    return sorted(deadlines, key=lambda d: (d.due_on, d.kind, d.member_id or 0))


def needing_attention(
    deadlines: Iterable[Deadline], today: dt.date, soon_days: int = DUE_SOON_DAYS
) -> list[Deadline]:
    """Open deadlines that are overdue or due within ``soon_days`` days, most urgent first.

    Completed items are never listed, however late they were done.
    """
    wanted = {DeadlineState.OVERDUE, DeadlineState.DUE_SOON}
    return sorted(
        (d for d in deadlines if d.state(today, soon_days) in wanted),
        key=lambda d: (d.due_on, d.kind, d.household_id, d.member_id or 0),
    )
