"""The report's facts loaded row by row from the volunteer, household and match tables.

The application counts the report in SQL (``volunteer_hub.reports.sql``). This loader is the
reference it is compared with: it copies the municipality's rows into the plain facts of
``reports.data``, from which the pure ``reports.quarterly`` counts the same figures in Python.
Plain Core selects (tuples, no ORM objects), a fixed number of queries whatever the size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import select

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.deadlines import is_working_age
from volunteer_hub.families.models import (
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Housing,
    InternshipOffer,
    Member,
    MemberKind,
    ReceptionStep,
    ReceptionStepKind,
)
from volunteer_hub.matching.models import Match, Meeting
from volunteer_hub.reports.data import (
    AdultFact,
    HouseholdFact,
    MatchFact,
    MeetingFact,
    ReportInput,
    SchemeRequest,
    StatusChange,
    VolunteerFact,
    best_language,
)
from volunteer_hub.reports.provider import collector_paused, today_in_denmark
from volunteer_hub.reports.quarterly import DEADLINE_DAYS
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
)

DANISH_TIME = ZoneInfo("Europe/Copenhagen")
RECEIVED_STATES = (ChildCertificateState.RECEIVED_OK.value, ChildCertificateState.RECEIVED_WITH_REMARKS.value)
CHILD_AGE_LIMIT = 15  # children under 15 need a volunteer with a child certificate
WITH_REMARKS = ChildCertificateState.RECEIVED_WITH_REMARKS.value
DEADLINE = dt.timedelta(days=DEADLINE_DAYS)  # the internship deadline: arrival + 14 days

# The volunteer state machine has more states than the report distinguishes: waiting for more
# information is still an application, and a suspended volunteer is not approved.
REPORT_STATUS = {
    "pending": "pending",
    "needs_information": "pending",
    "approved": "approved",
    "paused": "paused",
    "rejected": "rejected",
    "suspended": "rejected",
    "withdrawn": "withdrawn",
}


def _text(column: Any) -> Any:
    """Read an enum column as its stored string (skips building enum members for every row)."""
    return sa.type_coerce(column, sa.String)


def _local_date(moment: dt.datetime) -> date:
    return moment.astimezone(DANISH_TIME).date()


class FactLoader:
    """Builds ``ReportInput`` for one municipality from the database (read only).

    Rows are read as plain tuples (unpacked, never looked up by name), each table once, and only
    rows that can change a figure of the two quarters the report computes.
    """

    def load(
        self, municipality_id: int, start: date, end: date, organisation_id: int | None = None
    ) -> ReportInput:
        with collector_paused():  # tens of thousands of acyclic facts (see collector_paused)
            matches = self._matches(municipality_id, start, end)
            households, with_young_children, adults = self._households(municipality_id, start, end)
            return ReportInput(
                as_of=today_in_denmark(),
                volunteers=self._volunteers(municipality_id, end, matches, with_young_children),
                households=households,
                adults=adults,
                matches=tuple(matches),
                meetings=self._meetings(municipality_id, start, end),
            )

    # -- volunteers ------------------------------------------------------------------

    def _volunteers(
        self,
        municipality_id: int,
        end: date,
        matches: list[MatchFact],
        households_with_young_children: set[int],
    ) -> tuple[VolunteerFact, ...]:
        rows = plain_rows(
            db.session,
            select(
                Volunteer.id,
                Volunteer.organisation_id,
                Volunteer.registered_on,
                Volunteer.capacity,
                _text(Volunteer.child_certificate_state),
                Volunteer.child_certificate_received_on,
            ).where(Volunteer.municipality_id == municipality_id),
        )
        languages: dict[int, dict[str, str]] = {}
        for volunteer_id, code, level in plain_rows(
            db.session,
            select(VolunteerLanguage.volunteer_id, VolunteerLanguage.code, _text(VolunteerLanguage.level))
            .join(Volunteer, Volunteer.id == VolunteerLanguage.volunteer_id)
            .where(Volunteer.municipality_id == municipality_id),
        ):
            spoken = languages.get(volunteer_id)
            if spoken is None:
                spoken = languages[volunteer_id] = {}
            spoken[code] = level
        child_culture = {
            volunteer_id
            for (volunteer_id,) in plain_rows(
                db.session,
                select(VolunteerAttribute.volunteer_id)
                .join(Volunteer, Volunteer.id == VolunteerAttribute.volunteer_id)
                .where(
                    Volunteer.municipality_id == municipality_id,
                    VolunteerAttribute.kind == AttributeKind.SCHEME,
                    VolunteerAttribute.code == "child_culture",
                ),
            )
        }

        with_young_children = {
            m.volunteer_id
            for m in matches
            if m.scheme == "family_buddy"
            and m.started_on <= end
            and (m.ended_on is None or m.ended_on > end)
            and m.household_id in households_with_young_children
        }
        registered = {row[0]: row[2] for row in rows}
        history = self._status_history(municipality_id, registered)
        facts = []
        append = facts.append
        for volunteer_id, organisation_id, registered_on, capacity, state, received_on in rows:
            changes = history.get(volunteer_id)
            if changes is None:
                status_history = (StatusChange(registered_on, "pending"),)
            else:
                if changes[0].on > registered_on:
                    changes.insert(0, StatusChange(registered_on, "pending"))
                status_history = tuple(changes)
            append(
                VolunteerFact(
                    id=volunteer_id,
                    organisation_id=organisation_id,
                    registered_on=registered_on,
                    status_history=status_history,
                    languages=languages.get(volunteer_id) or {},
                    capacity=capacity,
                    works_with_children=volunteer_id in child_culture or volunteer_id in with_young_children,
                    certificate_received_on=received_on if state in RECEIVED_STATES else None,
                    certificate_with_remarks=state == WITH_REMARKS,
                )
            )
        return tuple(facts)

    def _status_history(
        self, municipality_id: int, registered: dict[int, date]
    ) -> dict[int, list[StatusChange]]:
        """Each volunteer's status changes, from the audit events of the approval state machine.

        Imported volunteers take their status from the day they registered (FORMATS.md
        ``registered_on``), since the import describes a volunteer who already had it.
        """
        history: dict[int, list[StatusChange]] = defaultdict(list)
        to_status = AuditEvent.details["to_status"].as_string()  # not every event's whole JSON
        for object_id, action, occurred_at, new_status in plain_rows(
            db.session,
            select(AuditEvent.object_id, AuditEvent.action, AuditEvent.occurred_at, to_status)
            .where(
                AuditEvent.municipality_id == municipality_id,
                AuditEvent.object_type == "volunteer",
                AuditEvent.action.like("volunteer.%"),
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id),
        ):
            status = REPORT_STATUS.get(new_status or "")
            if object_id not in registered or status is None:
                continue
            if action in ("volunteer.imported", "volunteer.demo_created"):
                on = registered[object_id]
            else:
                on = _local_date(occurred_at)
            history[object_id].append(StatusChange(on, status))
        return history

    # -- households and adults --------------------------------------------------------

    def _households(
        self, municipality_id: int, start: date, end: date
    ) -> tuple[tuple[HouseholdFact, ...], set[int], tuple[AdultFact, ...]]:
        """Every household, the ids of those with a child under 15 in ``end``'s year, and the
        adults whose internship deadline (arrival + 14 days) falls in the two quarters (no other
        adult changes a figure).

        The members are counted in SQL: one row per household, not one per person.
        """
        is_child = Member.kind == MemberKind.CHILD
        # A child born after this year is under CHILD_AGE_LIMIT in end's year (ages by birth year).
        young = sa.and_(is_child, Member.birth_year > end.year - CHILD_AGE_LIMIT)
        people = (
            select(
                Member.household_id,
                sa.func.min(Member.arrival_on).label("arrival_on"),
                sa.func.count().label("people"),
                sa.func.count(sa.case((is_child, 1))).label("children"),
                sa.func.count(sa.case((young, 1))).label("young_children"),
            )
            .join(Household, Household.id == Member.household_id)
            .where(Household.municipality_id == municipality_id)
            .group_by(Member.household_id)
            .subquery()
        )
        rows = plain_rows(
            db.session,
            select(
                Household.id,
                Household.registered_on,
                people.c.arrival_on,
                people.c.people,
                people.c.children,
                people.c.young_children,
            )
            .outerjoin(people, people.c.household_id == Household.id)
            .where(Household.municipality_id == municipality_id),
        )
        adults = tuple(
            AdultFact(
                household_id=household_id,
                arrival_on=arrival_on,
                employed=employed,
                internship_offered_on=offered_on,
                working_age=is_working_age(birth_year, arrival_on),
            )
            for household_id, arrival_on, employed, birth_year, offered_on in plain_rows(
                db.session,
                select(
                    Member.household_id,
                    Member.arrival_on,
                    Member.employed,
                    Member.birth_year,
                    InternshipOffer.offered_on,  # at most one offer per member (unique member_id)
                )
                .join(Household, Household.id == Member.household_id)
                .outerjoin(InternshipOffer, InternshipOffer.member_id == Member.id)
                .where(
                    Household.municipality_id == municipality_id,
                    Member.kind == MemberKind.ADULT,
                    Member.arrival_on >= start - DEADLINE,
                    Member.arrival_on <= end - DEADLINE,
                ),
            )
        )
        languages: dict[int, dict[str, str]] = defaultdict(dict)
        for household_id, code, level in plain_rows(
            db.session,
            select(HouseholdLanguage.household_id, HouseholdLanguage.language, HouseholdLanguage.level)
            .join(Household, Household.id == HouseholdLanguage.household_id)
            .where(Household.municipality_id == municipality_id)
            .order_by(HouseholdLanguage.position, HouseholdLanguage.id),  # listed first wins a tie
        ):
            languages[household_id][code] = str(level)
        schemes: dict[int, list[str]] = defaultdict(list)
        for household_id, scheme in plain_rows(
            db.session,
            select(HouseholdScheme.household_id, HouseholdScheme.scheme)
            .join(Household, Household.id == HouseholdScheme.household_id)
            .where(Household.municipality_id == municipality_id),
        ):
            schemes[household_id].append(scheme)
        letters = dict(
            plain_rows(
                db.session,
                select(ReceptionStep.household_id, ReceptionStep.done_on)
                .join(Household, Household.id == ReceptionStep.household_id)
                .where(
                    Household.municipality_id == municipality_id,
                    ReceptionStep.kind == ReceptionStepKind.WELCOME_LETTER,
                ),
            )
        )
        housing = dict(
            plain_rows(
                db.session,
                select(Housing.household_id, Housing.found_on)
                .join(Household, Household.id == Housing.household_id)
                .where(Household.municipality_id == municipality_id),
            )
        )
        facts = []
        with_young_children = set()
        for household_id, registered_on, arrival_on, persons, children, young_children in rows:
            if young_children:
                with_young_children.add(household_id)
            found_on = housing.get(household_id)
            facts.append(
                HouseholdFact(
                    id=household_id,
                    registered_on=registered_on,
                    arrival_on=arrival_on,
                    adults=(persons or 0) - (children or 0),
                    children=children or 0,
                    best_language=best_language(languages.get(household_id, {})),
                    requests=tuple(SchemeRequest(scheme) for scheme in schemes.get(household_id, ())),
                    welcome_letter_sent_on=letters.get(household_id),
                    housed_before_arrival=(
                        None if found_on is None or arrival_on is None else found_on <= arrival_on
                    ),
                )
            )
        return tuple(facts), with_young_children, adults

    # -- matches and meetings ---------------------------------------------------------

    def _matches(self, municipality_id: int, start: date, end: date) -> list[MatchFact]:
        """Matches that touch the two quarters, plus each household's first match ever.

        A match that ended before ``start`` counts in no figure of these quarters, except as a
        household's first match (the median days to a first match); so only those are loaded,
        which keeps years of finished matches out of every report.
        """
        started = select(Match.household_id, sa.func.min(Match.started_on).label("first_on")).where(
            Match.municipality_id == municipality_id, Match.started_on.is_not(None)
        )
        first = started.group_by(Match.household_id).subquery()
        return [
            MatchFact(*row)  # the columns in MatchFact's field order
            for row in plain_rows(
                db.session,
                select(
                    Match.id,
                    Match.household_id,
                    Match.volunteer_id,
                    Match.organisation_id,
                    Match.scheme,
                    Match.started_on,
                    Match.ended_on,
                )
                .join(first, first.c.household_id == Match.household_id)
                .where(
                    Match.municipality_id == municipality_id,
                    Match.started_on.is_not(None),
                    Match.started_on <= end,
                    sa.or_(
                        Match.ended_on.is_(None),
                        Match.ended_on >= start,
                        Match.started_on == first.c.first_on,
                    ),
                ),
            )
        ]

    def _meetings(self, municipality_id: int, start: date, end: date) -> tuple[MeetingFact, ...]:
        return tuple(
            MeetingFact(*row)  # the columns in MeetingFact's field order
            for row in plain_rows(
                db.session,
                select(Meeting.match_id, Meeting.on, Meeting.minutes)
                .join(Match, Match.id == Meeting.match_id)
                .where(Match.municipality_id == municipality_id, Meeting.on >= start, Meeting.on <= end),
            )
        )
