"""The volunteer figures counted in SQL: registered, approved at the end, child certificates,
and the volunteers available per language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.sql_days import danish_date, danish_day_start
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Member, MemberKind
from volunteer_hub.matching.models import Match
from volunteer_hub.reports.counts import CERTIFICATE_WARNING_DAYS, QuarterCounts
from volunteer_hub.reports.data import APPROVED_STATUSES, CONVERSATIONAL_RANK, LEVEL_RANK
from volunteer_hub.reports.periods import Quarter, months_before
from volunteer_hub.reports.sql.scope import Scope, active_on, as_text
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
)
from volunteer_hub.volunteers.services.transitions import STATUS_EVENT_ACTIONS

CHILD_AGE_LIMIT = 15  # children under 15 need a volunteer with a child certificate
IMPORTED = ("volunteer.imported", "volunteer.demo_created")
STATUS_ACTIONS = sorted(STATUS_EVENT_ACTIONS)

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
SPOKEN_WELL = tuple(level for level, rank in LEVEL_RANK.items() if rank >= CONVERSATIONAL_RANK)


def _statuses(scope: Scope, days: tuple[date, date], working: Any) -> Any:
    """(volunteer_id, status on each of ``days`` (the later first), capacity, certificate state,
    received on, works with children) of the counted volunteers registered by the later day with
    at least one status change by then; ``status`` from the audit events of the approval state
    machine, None on a day the volunteer was not yet registered or had no change yet (pending).

    An event counts from the day it happened in Denmark; an import from the volunteer's
    ``registered_on`` (the import describes a volunteer who already had that status). Several
    changes on one day: the later one wins. Both days are read in one pass over the events:
    ranked newest first, separately before and after the earlier day.

    The events are picked by their action alone (the status events, an indexed column with
    statistics), not by object type, action pattern and a value inside the JSON: PostgreSQL
    multiplied those three filters' shares as if unrelated and, with 2,000,000 page views in the
    trail, expected 7 events instead of 20,000, then joined them to the volunteers working with
    children in a nested loop (5 s, against 0.13 s now).
    """
    end, earlier = days
    to_status = AuditEvent.details["to_status"].as_string()
    event_day = sa.case((AuditEvent.action.in_(IMPORTED), Volunteer.registered_on),
                        else_=danish_date(AuditEvent.occurred_at))  # fmt: skip
    order = (event_day.desc(), AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    by_earlier = sa.case((_counts_by(earlier), 1), else_=0)
    changes = (
        select(
            Volunteer.id.label("volunteer_id"),
            to_status.label("to_status"),  # each event's JSON read once
            by_earlier.label("by_earlier"),
            (Volunteer.registered_on <= earlier).label("registered_by_earlier"),
            Volunteer.capacity,
            as_text(Volunteer.child_certificate_state).label("certificate_state"),
            Volunteer.child_certificate_received_on.label("received_on"),
            working.c.volunteer_id.is_not(None).label("works_with_children"),
            sa.func.row_number()
            .over(partition_by=(AuditEvent.object_id, by_earlier), order_by=order)
            .label("newest"),
        )
        .join(Volunteer, Volunteer.id == AuditEvent.object_id)
        .outerjoin(working, working.c.volunteer_id == Volunteer.id)
        .where(
            AuditEvent.municipality_id == scope.municipality_id,
            AuditEvent.action.in_(STATUS_ACTIONS),
            _counts_by(end),
            *_counted(scope, end),
        )
        .subquery()
    )
    newest = changes.c.newest == 1
    then = sa.and_(newest, changes.c.by_earlier == 1)
    status_on_earlier = sa.func.max(
        sa.case((sa.and_(then, changes.c.registered_by_earlier), changes.c.to_status))
    )
    status_on_end = sa.func.coalesce(
        sa.func.max(sa.case((sa.and_(newest, changes.c.by_earlier == 0), changes.c.to_status))),
        sa.func.max(sa.case((then, changes.c.to_status))),
    )
    per_volunteer = (
        select(
            changes.c.volunteer_id,
            status_on_end.label("status_on_end"),
            status_on_earlier.label("status_on_earlier"),
            sa.func.max(changes.c.capacity).label("capacity"),
            sa.func.max(changes.c.certificate_state).label("certificate_state"),
            sa.func.max(changes.c.received_on).label("received_on"),
            sa.func.max(sa.case((changes.c.works_with_children, 1), else_=0)).label("works_with_children"),
        )
        .where(newest)
        .group_by(changes.c.volunteer_id)
        .subquery()
    )
    return select(
        per_volunteer.c.volunteer_id,
        sa.case(REPORT_STATUS, value=per_volunteer.c.status_on_end).label("status_on_end"),
        sa.case(REPORT_STATUS, value=per_volunteer.c.status_on_earlier).label("status_on_earlier"),
        per_volunteer.c.capacity,
        per_volunteer.c.certificate_state,
        per_volunteer.c.received_on,
        per_volunteer.c.works_with_children,
    ).cte("statuses")


def _counts_by(day: date) -> Any:
    """``event_day <= day`` of ``_statuses``, with the moment Denmark's next day begins in place
    of each event's own Danish day (the same test, without a time-zone conversion per event)."""
    return sa.case(
        (AuditEvent.action.in_(IMPORTED), Volunteer.registered_on <= day),
        else_=AuditEvent.occurred_at < danish_day_start(day + timedelta(days=1)),
    )


def _counted(scope: Scope, day: date) -> list[Any]:
    """The counted volunteers registered by ``day``."""
    conditions = [Volunteer.municipality_id == scope.municipality_id, Volunteer.registered_on <= day]
    if scope.organisation_id is not None:
        conditions.append(Volunteer.organisation_id == scope.organisation_id)
    return conditions


def _working_with_children(scope: Scope) -> Any:
    """(volunteer_id) of the volunteers who offer child_culture, or who on the report's end have
    a family_buddy match with a household with a child under 15 in that year (ages by birth
    year); each volunteer once."""
    end = scope.report_end
    child_culture = select(VolunteerAttribute.volunteer_id).where(
        VolunteerAttribute.kind == AttributeKind.SCHEME, VolunteerAttribute.code == "child_culture"
    )
    young_child = sa.exists().where(
        Member.household_id == Match.household_id,
        Member.kind == MemberKind.CHILD,
        Member.birth_year > end.year - CHILD_AGE_LIMIT,
    )
    buddies = select(Match.volunteer_id).where(
        Match.municipality_id == scope.municipality_id,
        Match.scheme == "family_buddy",
        active_on(end),
        young_child,
    )
    return sa.union(child_culture, buddies).subquery()


def _valid_on(statuses: Any, day: date, valid_months: int) -> Any:
    """A certificate without remarks, received at most ``valid_months`` months before ``day``."""
    return sa.and_(
        statuses.c.certificate_state == ChildCertificateState.RECEIVED_OK.value,
        statuses.c.received_on >= months_before(day, valid_months),
        statuses.c.received_on <= day,
    )


def _count(condition: Any) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def count_volunteers(
    scope: Scope, quarters: tuple[Quarter, Quarter], valid_months: int, counts: list[QuarterCounts]
) -> None:
    """Registered, approved at the end, child certificates and availability of the reported
    quarter and the one before (``quarters`` and ``counts`` in that order).

    One statement: the totals in the row without a language, then one row per language, each
    with a column per quarter, so the statuses of both quarters' ends are worked out once.
    """
    ends = (quarters[0].end, quarters[1].end)
    statuses = _statuses(scope, ends, _working_with_children(scope))
    on_end = (statuses.c.status_on_end, statuses.c.status_on_earlier)
    columns = []
    for status, end in zip(on_end, ends, strict=True):
        approved = status.in_(sorted(APPROVED_STATUSES))
        counted = sa.and_(approved, statuses.c.works_with_children == 1)
        valid_at_end = _valid_on(statuses, end, valid_months)
        valid_later = _valid_on(statuses, end + timedelta(days=CERTIFICATE_WARNING_DAYS), valid_months)
        columns += [
            _count(approved),
            _count(counted),
            _count(sa.and_(counted, valid_at_end, valid_later)),
            _count(sa.and_(counted, valid_at_end, sa.not_(valid_later))),
        ]
    totals = select(sa.null().label("code"), *columns).select_from(statuses)
    available: list[dict[str, int]] = [{}, {}]
    for code, *figures in plain_rows(db.session, sa.union_all(totals, _available(scope, ends, statuses))):
        for quarter_counts, free, (approved_at_end, working, valid, expiring) in zip(
            counts, available, (figures[:4], figures[4:]), strict=True
        ):
            if code is not None:
                if approved_at_end:  # a language appears where somebody speaks it
                    free[code] = approved_at_end
                continue
            quarter_counts.approved_at_end = approved_at_end
            quarter_counts.working_with_children = working
            quarter_counts.certificates_valid, quarter_counts.certificates_expiring = valid, expiring
    registered = select(
        *(_count(Volunteer.registered_on.between(quarter.start, quarter.end)) for quarter in quarters)
    ).where(*_counted(scope, ends[0]), Volunteer.registered_on >= quarters[1].start)
    figures = db.session.connection().execute(registered).one()
    for quarter_counts, free, n_registered in zip(counts, available, figures, strict=True):
        quarter_counts.volunteers_available = free
        quarter_counts.registered = n_registered


def _available(scope: Scope, ends: tuple[date, date], statuses: Any) -> Any:
    """Per language spoken at least conversationally: approved volunteers with free capacity at
    each of ``ends`` (matches for any organisation fill a volunteer's capacity); in the shape of
    the totals row."""
    busy = (
        select(
            Match.volunteer_id,
            *(_count(active_on(end)).label(f"matches_{n}") for n, end in enumerate(ends)),
        )
        .where(
            Match.municipality_id == scope.municipality_id,
            Match.started_on <= max(ends),
            sa.or_(Match.ended_on.is_(None), Match.ended_on > min(ends)),
        )
        .group_by(Match.volunteer_id)
        .subquery()
    )
    zero = sa.literal(0)
    free = [
        _count(sa.and_(status == "approved", statuses.c.capacity > sa.func.coalesce(matches, 0)))
        for status, matches in zip(
            (statuses.c.status_on_end, statuses.c.status_on_earlier),
            (busy.c.matches_0, busy.c.matches_1),
            strict=True,
        )
    ]
    return (
        select(VolunteerLanguage.code, free[0], zero, zero, zero, free[1], zero, zero, zero)
        .select_from(statuses)
        .join(VolunteerLanguage, VolunteerLanguage.volunteer_id == statuses.c.volunteer_id)
        .outerjoin(busy, busy.c.volunteer_id == statuses.c.volunteer_id)
        .where(
            sa.or_(statuses.c.status_on_end == "approved", statuses.c.status_on_earlier == "approved"),
            as_text(VolunteerLanguage.level).in_(SPOKEN_WELL),
        )
        .group_by(VolunteerLanguage.code)
    )
