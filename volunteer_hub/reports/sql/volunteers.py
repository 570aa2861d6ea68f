"""The volunteer figures counted in SQL: registered, approved at the end, child certificates,
and the volunteers available per language."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select

from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.db import plain_rows
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Member, MemberKind
from volunteer_hub.matching.models import Match
from volunteer_hub.reports.counts import CERTIFICATE_WARNING_DAYS, QuarterCounts
from volunteer_hub.reports.data import APPROVED_STATUSES, CONVERSATIONAL_RANK, LEVEL_RANK
from volunteer_hub.reports.periods import Quarter, months_before
from volunteer_hub.reports.sql.dates import danish_date
from volunteer_hub.reports.sql.scope import Scope, active_on, as_text
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
)

CHILD_AGE_LIMIT = 15  # children under 15 need a volunteer with a child certificate
IMPORTED = ("volunteer.imported", "volunteer.demo_created")

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


def _statuses(scope: Scope, day: date, working: Any) -> Any:
    """(volunteer_id, status, capacity, certificate state, received on, works with children) of
    the counted volunteers registered by ``day`` with at least one status change by then (the
    others are pending); ``status`` from the audit events of the approval state machine.

    An event counts from the day it happened in Denmark; an import from the volunteer's
    ``registered_on`` (the import describes a volunteer who already had that status). Several
    changes on one day: the later one wins.
    """
    to_status = AuditEvent.details["to_status"].as_string()
    event_day = sa.case((AuditEvent.action.in_(IMPORTED), Volunteer.registered_on),
                        else_=danish_date(AuditEvent.occurred_at))  # fmt: skip
    order = (event_day.desc(), AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    changes = (
        select(
            Volunteer.id.label("volunteer_id"),
            to_status.label("to_status"),  # each event's JSON read once
            Volunteer.capacity,
            as_text(Volunteer.child_certificate_state).label("certificate_state"),
            Volunteer.child_certificate_received_on.label("received_on"),
            working.c.volunteer_id.is_not(None).label("works_with_children"),
            sa.func.row_number().over(partition_by=AuditEvent.object_id, order_by=order).label("newest"),
        )
        .join(Volunteer, Volunteer.id == AuditEvent.object_id)
        .outerjoin(working, working.c.volunteer_id == Volunteer.id)
        .where(
            AuditEvent.municipality_id == scope.municipality_id,
            AuditEvent.object_type == "volunteer",
            AuditEvent.action.like("volunteer.%"),
            to_status.in_(list(REPORT_STATUS)),
            event_day <= day,
            *_counted(scope, day),
        )
        .subquery()
    )
    return (
        select(
            changes.c.volunteer_id,
            sa.case(REPORT_STATUS, value=changes.c.to_status).label("status"),
            changes.c.capacity,
            changes.c.certificate_state,
            changes.c.received_on,
            changes.c.works_with_children,
        )
        .where(changes.c.newest == 1)
        .cte("statuses")
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


def count_volunteers(scope: Scope, quarter: Quarter, valid_months: int, counts: QuarterCounts) -> None:
    """Registered, approved at the end, child certificates and availability of one quarter.

    One statement: the totals in the row without a language, then one row per language, so the
    statuses are worked out once.
    """
    end = quarter.end
    statuses = _statuses(scope, end, _working_with_children(scope))
    approved = statuses.c.status.in_(sorted(APPROVED_STATUSES))
    counted = sa.and_(approved, statuses.c.works_with_children)
    valid_at_end = _valid_on(statuses, end, valid_months)
    valid_later = _valid_on(statuses, end + timedelta(days=CERTIFICATE_WARNING_DAYS), valid_months)
    totals = select(
        sa.null().label("code"),
        sa.func.count(sa.case((approved, 1))),
        sa.func.count(sa.case((counted, 1))),
        sa.func.count(sa.case((sa.and_(counted, valid_at_end, valid_later), 1))),
        sa.func.count(sa.case((sa.and_(counted, valid_at_end, sa.not_(valid_later)), 1))),
    ).select_from(statuses)
    available: dict[str, int] = {}
    for code, approved_at_end, working, valid, expiring in plain_rows(
        db.session, sa.union_all(totals, _available(scope, end, statuses))
    ):
        if code is not None:
            available[code] = approved_at_end
            continue
        counts.approved_at_end = approved_at_end
        counts.working_with_children = working
        counts.certificates_valid, counts.certificates_expiring = valid, expiring
    counts.volunteers_available = available
    counts.registered = db.session.connection().execute(
        select(sa.func.count()).where(*_counted(scope, end), Volunteer.registered_on >= quarter.start)
    ).scalar_one()


def _available(scope: Scope, end: date, statuses: Any) -> Any:
    """Per language spoken at least conversationally: approved volunteers with free capacity at
    ``end`` (matches for any organisation fill a volunteer's capacity); in the shape of the
    totals row."""
    busy = (
        select(Match.volunteer_id, sa.func.count().label("matches"))
        .where(Match.municipality_id == scope.municipality_id, active_on(end))
        .group_by(Match.volunteer_id)
        .subquery()
    )
    zero = sa.literal(0)
    return (
        select(VolunteerLanguage.code, sa.func.count(), zero, zero, zero)
        .select_from(statuses)
        .join(VolunteerLanguage, VolunteerLanguage.volunteer_id == statuses.c.volunteer_id)
        .outerjoin(busy, busy.c.volunteer_id == statuses.c.volunteer_id)
        .where(
            statuses.c.status == "approved",
            as_text(VolunteerLanguage.level).in_(SPOKEN_WELL),
            statuses.c.capacity > sa.func.coalesce(busy.c.matches, 0),
        )
        .group_by(VolunteerLanguage.code)
    )
