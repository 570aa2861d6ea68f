"""The plain facts the quarterly report is computed from (no Flask, no database).

A ``ReportDataProvider`` (see ``provider.py``) copies model rows into these frozen dataclasses;
``quarterly.compute_quarterly`` reads nothing else. Every date is a calendar date in the
municipality's time zone (Europe/Copenhagen). Each class says exactly what its fields mean,
because the figures are only as right as the facts the provider hands over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

VOLUNTEER_STATUSES: tuple[str, ...] = ("pending", "approved", "paused", "rejected", "withdrawn")
"""The volunteer statuses of the approval state machine (same codes as the matcher)."""

APPROVED_STATUSES: frozenset[str] = frozenset({"approved", "paused"})
"""Statuses that count as "approved (incl. paused)" for ``approved_at_end``."""

LEVELS: tuple[str, ...] = ("basic", "conversational", "fluent", "native")
"""Language levels, weakest first (FORMATS.md vocabulary)."""

LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS, start=1)}
CONVERSATIONAL_RANK = LEVEL_RANK["conversational"]


@dataclass(frozen=True, slots=True)
class StatusChange:
    """From day ``on`` (inclusive) the volunteer's status is ``status``, until the next change."""

    on: date
    status: str


@dataclass(frozen=True, slots=True)
class VolunteerFact:
    """One volunteer.

    - ``organisation_id``: the partner organisation the volunteer belongs to (None: independent).
      Volunteers count in an organisation's report when this is that organisation.
    - ``registered_on``: the day the volunteer registered (FORMATS.md ``registered_on``).
    - ``status_history``: every status the volunteer has had, each with the day it took effect,
      the first one normally on ``registered_on`` (e.g. ``pending``) and one entry per later
      transition (approved, paused, approved, withdrawn...). The provider builds it from the
      audit events of the approval state machine (or a status-history table); a volunteer
      imported with a status gets one entry ``(registered_on, status)``. Several changes on one
      day: the one listed last wins. The status on day d is the last change on or before d;
      before ``registered_on`` or before the first change the volunteer has no status (None).
      This is how "approved (incl. paused) at ``end``" is known for a quarter in the past.
    - ``left_on``: the first day the volunteer is gone (withdrew, or their account was closed);
      from that day the status counts as ``withdrawn`` whatever the history says.
    - ``languages``: language code -> level (``native`` ... ``basic``), as today.
    - ``capacity``: how many households or persons at once (FORMATS.md ``capacity``).
    - ``works_with_children``: the volunteer is in regular contact with children under 15
      (offers ``child_culture``, or has a ``family_buddy`` match with a child under 15), as the
      provider knows it on the report's ``end`` (the child-certificate figures count these).
    - ``certificate_received_on``: the day the newest child certificate (børneattest) was
      received; ``certificate_with_remarks``: that certificate has remarks (never counts as
      valid, whatever its date).
    """

    id: int
    organisation_id: int | None
    registered_on: date
    status_history: tuple[StatusChange, ...] = ()
    languages: Mapping[str, str] = field(default_factory=dict)
    capacity: int = 1
    works_with_children: bool = False
    certificate_received_on: date | None = None
    certificate_with_remarks: bool = False
    left_on: date | None = None

    def __post_init__(self) -> None:
        history = self.status_history
        if type(history) is not tuple or len(history) > 1:
            # A stable sort keeps the given order of changes made on the same day. (A tuple of
            # one change is kept as it is: a provider may share one between many facts.)
            history = tuple(sorted(history, key=lambda change: change.on))
            object.__setattr__(self, "status_history", history)
        for change in history:
            if change.status not in VOLUNTEER_STATUSES:
                raise ValueError(f"volunteer {self.id}: unknown status {change.status!r}")

    def status_on(self, day: date) -> str | None:
        """The volunteer's status on ``day``, or None when they were not registered yet."""
        if day < self.registered_on:
            return None
        if self.left_on is not None and self.left_on <= day:
            return "withdrawn"
        status = None
        for change in self.status_history:
            if change.on > day:
                break
            status = change.status
        return status


@dataclass(frozen=True, slots=True)
class SchemeRequest:
    """A household asks for a volunteer in ``scheme``.

    ``requested_on``: the first day of the request (None: the household's ``registered_on``).
    ``withdrawn_on``: the first day the household no longer asks for it (the scheme was removed
    or the case closed); None while the household still wants it. A request is *waiting* on day
    d when it is in effect on d and the household has no match in the scheme active on d; a
    request whose match has ended is waiting again unless the provider sets ``withdrawn_on``.
    """

    scheme: str
    requested_on: date | None = None
    withdrawn_on: date | None = None


@dataclass(frozen=True, slots=True)
class HouseholdFact:
    """One household (a single person is a household of one).

    - ``registered_on``: the day the household asked for a volunteer (FORMATS.md).
    - ``arrival_on``: the household's arrival in the municipality (its first member's); the
      welcome letter's 14-day deadline counts from it (policy P2). Members who arrive later by
      family reunification appear as their own ``AdultFact`` with their own arrival day.
    - ``adults``, ``children``: the numbers of adults and children (persons reached =
      adults + children).
    - ``best_language``: the household's language at the highest level (``best_language()``
      below computes it from a ``{code: level}`` mapping); None when none is recorded.
    - ``requests``: the schemes the household asks for, with when.
    - ``welcome_letter_sent_on``: the day the mayor's welcome letter was sent (None: not yet).
    - ``housed_before_arrival``: housing was found before arrival (policy P6): True / False, or
      None while no housing is recorded.
    """

    id: int
    registered_on: date
    arrival_on: date | None = None
    adults: int = 1
    children: int = 0
    best_language: str | None = None
    requests: tuple[SchemeRequest, ...] = ()
    welcome_letter_sent_on: date | None = None
    housed_before_arrival: bool | None = None

    def __post_init__(self) -> None:
        if self.adults < 0 or self.children < 0:
            raise ValueError(f"household {self.id}: adults and children cannot be negative")


@dataclass(frozen=True, slots=True)
class AdultFact:
    """One adult of a household, for the introduction-internship deadline (policy P8).

    ``arrival_on`` is the adult's own arrival; ``working_age`` False or ``employed`` True (in a
    job on arrival) means no internship is due. ``internship_offered_on``: the day an
    introduction internship was offered (None: not yet).
    """

    household_id: int
    arrival_on: date | None
    employed: bool = False
    internship_offered_on: date | None = None
    working_age: bool = True


@dataclass(frozen=True, slots=True)
class MatchFact:
    """A match a coordinator approved (or imported): proposals and rejected pairs are not matches.

    ``organisation_id`` is the volunteer's organisation when the match was made (None:
    independent); an organisation's report counts the matches with its id. The match is
    active on day d when ``started_on <= d`` and (``ended_on`` is None or ``ended_on > d``).
    """

    id: int
    household_id: int
    volunteer_id: int
    organisation_id: int | None
    scheme: str
    started_on: date
    ended_on: date | None = None


@dataclass(frozen=True, slots=True)
class MeetingFact:
    """A meeting the volunteer logged for a match: its day and length in minutes."""

    match_id: int
    on: date
    minutes: int = 0


@dataclass(frozen=True, slots=True)
class OrganisationRef:
    """The organisation an organisation report is for."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ReportInput:
    """Everything the report reads, for one municipality.

    ``as_of`` is the day the facts describe (today, for live data); facts dated after it do not
    exist yet. The provider returns the whole municipality, whatever organisation the report is
    for: the core needs every match (a household's first match ever, a volunteer's free
    capacity) and every waiting household, and applies the organisation itself. Facts dated
    after the report's end may be included; they are ignored.
    """

    as_of: date
    volunteers: tuple[VolunteerFact, ...] = ()
    households: tuple[HouseholdFact, ...] = ()
    adults: tuple[AdultFact, ...] = ()
    matches: tuple[MatchFact, ...] = ()
    meetings: tuple[MeetingFact, ...] = ()


def best_language(languages: Mapping[str, str]) -> str | None:
    """The language spoken at the highest level; a tie goes to the language listed first."""
    best: str | None = None
    best_rank = 0
    for code, level in languages.items():
        rank = LEVEL_RANK.get(level, 0)
        if rank > best_rank:
            best, best_rank = code, rank
    return best
