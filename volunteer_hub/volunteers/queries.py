"""Read-only queries for coordinators: the filtered volunteer list and expiring certificates.

Every query is narrowed to what the user may see (their municipality; a partner coordinator
only their organisation) and loads a page's list fields in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Date, Select, and_, case, exists, false, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from volunteer_hub.auth.models import User
from volunteer_hub.core.navigation import DASHBOARD_ROWS
from volunteer_hub.core.paging import Page, page_count
from volunteer_hub.core.roles import Role
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    RegistrationSource,
    Volunteer,
    VolunteerAttribute,
    VolunteerLanguage,
    VolunteerStatus,
    add_months,
)

PER_PAGE = 25
LIST_ORDER = (func.lower(Volunteer.last_name), func.lower(Volunteer.first_name), Volunteer.id)
NO_ORGANISATION = "none"


@dataclass(frozen=True)
class VolunteerFilters:
    """The coordinator list's filters; empty strings mean "any"."""

    status: str = ""
    organisation: str = ""  # an organisation id, or "none" for independent volunteers
    language: str = ""
    skill: str = ""
    scheme: str = ""
    availability: str = ""
    certificate: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args: Any) -> VolunteerFilters:
        return cls(**{name: (args.get(name) or "").strip()[:100] for name in cls.__dataclass_fields__})

    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def visible_volunteers(user: User) -> Select[tuple[Volunteer]]:
    """Volunteers ``user`` may see: their municipality's; a partner's own organisation's only."""
    statement = select(Volunteer).where(
        Volunteer.municipality_id == user.municipality_id, Volunteer.erased_at.is_(None)
    )
    if user.role == Role.PARTNER_COORDINATOR:
        statement = statement.where(Volunteer.organisation_id == user.organisation_id)
    elif user.role == Role.VOLUNTEER:
        statement = statement.where(Volunteer.user_id == user.id)
    return statement


def _has_attribute(kind: AttributeKind, code: str) -> Any:
    return exists().where(
        VolunteerAttribute.volunteer_id == Volunteer.id,
        VolunteerAttribute.kind == kind,
        VolunteerAttribute.code == code,
    )


def _apply_filters(statement: Select[Any], filters: VolunteerFilters) -> Select[Any]:
    if filters.status in set(VolunteerStatus):
        statement = statement.where(Volunteer.status == filters.status)
    if filters.organisation == NO_ORGANISATION:
        statement = statement.where(Volunteer.organisation_id.is_(None))
    elif filters.organisation.isdigit():
        organisation_id = parse_id(filters.organisation)  # None: no organisation has that id
        statement = statement.where(
            Volunteer.organisation_id == organisation_id if organisation_id is not None else false()
        )
    if filters.language:
        statement = statement.where(
            exists().where(
                VolunteerLanguage.volunteer_id == Volunteer.id, VolunteerLanguage.code == filters.language
            )
        )
    for kind, code in (
        (AttributeKind.SKILL, filters.skill),
        (AttributeKind.SCHEME, filters.scheme),
        (AttributeKind.AVAILABILITY, filters.availability),
    ):
        if code:
            statement = statement.where(_has_attribute(kind, code))
    if filters.certificate in set(ChildCertificateState):
        statement = statement.where(Volunteer.child_certificate_state == filters.certificate)
    for word in filters.q.split()[:5]:
        statement = statement.where(
            or_(
                Volunteer.first_name.icontains(word, autoescape=True),
                Volunteer.last_name.icontains(word, autoescape=True),
                Volunteer.email.icontains(word, autoescape=True),
            )
        )
    return statement


def filtered_volunteers(user: User, filters: VolunteerFilters) -> Select[tuple[Volunteer]]:
    """The volunteers ``user`` may see, filtered, in the list's order (last name, first name, id)."""
    return _apply_filters(visible_volunteers(user), filters).order_by(*LIST_ORDER)


def list_volunteers(
    user: User, filters: VolunteerFilters, page: int = 1, per_page: int = PER_PAGE
) -> Page[Volunteer]:
    """One page of the volunteers ``user`` may see, filtered; three queries whatever the page size.

    The page's rows carry the filtered total (``count(*) OVER ()``), so the filters are evaluated
    once, not once for a count and again for the page. Only a page beyond the last one costs a
    count and a second try (it shows the last page, as before).
    """
    statement = _apply_filters(visible_volunteers(user), filters)
    page = max(1, page)
    rows = _page_rows(statement, page, per_page)
    if rows:
        total = rows[0][1]
    elif page == 1:
        total = 0
    else:
        total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
        last = page_count(total, per_page)
        if page > last:
            page = last
            rows = _page_rows(statement, page, per_page)
    items = [volunteer for volunteer, _total in rows]
    languages, schemes = _list_columns([v.id for v in items])
    return Page(items=items, total=total, page=page, per_page=per_page, languages=languages, schemes=schemes)


def _page_rows(statement: Select[Any], page: int, per_page: int) -> list[Any]:
    """``(volunteer, total)`` rows of one page.

    The filtered total is counted over narrow rows (the id and the sort keys), which are sorted
    and cut to the page before the page's full rows and organisations are joined to them, so a
    list of every volunteer in a big municipality never carries all their columns through the sort.
    """
    # MATERIALIZED: the page is computed once, then joined. As a plain subquery, a planner that
    # still believes a grown table small (statistics not yet taken after an import) nests it
    # inside a loop over every volunteer: 1,000 volunteers then took minutes instead of 0.1 s.
    page_ids = (
        statement.with_only_columns(Volunteer.id, func.count().over().label("total"))
        .order_by(*LIST_ORDER)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .cte("page_ids")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    return list(
        db.session.execute(
            select(Volunteer, page_ids.c.total)
            .join(page_ids, page_ids.c.id == Volunteer.id)
            .options(joinedload(Volunteer.organisation))
            .order_by(*LIST_ORDER)
        ).all()
    )


def _list_columns(ids: list[int]) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[str]]]:
    """The list's languages (code, level) and schemes of the volunteers ``ids``, in entry order.

    One query (languages UNION ALL schemes) of plain rows: no ORM objects for the other attributes.
    """
    languages: dict[int, list[tuple[str, str]]] = {}
    schemes: dict[int, list[str]] = {}
    if not ids:
        return languages, schemes
    rows = union_all(
        select(
            VolunteerLanguage.volunteer_id,
            literal("language").label("kind"),
            VolunteerLanguage.code,
            VolunteerLanguage.level,
            VolunteerLanguage.id,
        ).where(VolunteerLanguage.volunteer_id.in_(ids)),
        select(
            VolunteerAttribute.volunteer_id,
            literal("scheme").label("kind"),
            VolunteerAttribute.code,
            null(),
            VolunteerAttribute.id,
        ).where(VolunteerAttribute.volunteer_id.in_(ids), VolunteerAttribute.kind == AttributeKind.SCHEME),
    ).subquery()
    for volunteer_id, kind, code, level in db.session.execute(
        select(rows.c[0], rows.c[1], rows.c[2], rows.c[3]).order_by(rows.c[1], rows.c[4])
    ):
        if kind == "language":
            languages.setdefault(volunteer_id, []).append((code, level))
        else:
            schemes.setdefault(volunteer_id, []).append(code)
    return languages, schemes


def _received_between(on: dt.date, last: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The received dates whose certificate expires from ``on`` to ``last``, as an inclusive range.

    ``add_months`` never goes back in time as the received date moves forward, so the dates that
    expire in the window are one unbroken range. Its ends lie within a few days of the month
    arithmetic's estimate (the clamping of the 29th to 31st moves them) and are found by stepping.
    """
    day = dt.timedelta(days=1)
    first = add_months(on, -months)
    while add_months(first - day, months) >= on:
        first -= day
    while add_months(first, months) < on:
        first += day
    final = add_months(last, -months)
    while add_months(final + day, months) <= last:
        final += day
    while add_months(final, months) > last:
        final -= day
    return first, final


def _by_expiry(first: dt.date, final: dt.date, months: int) -> Any:
    """A sort key for received dates from ``first`` to ``final`` that orders them as their expiry does.

    Received dates order as their expiry dates, except that the last days of a month can share
    one expiry (with 24 months, 29 February 2024 and 28 February 2024 both expire on 28 February
    2026); those days sort as the first of them, so ties go to the volunteer id, as on the list.
    """
    received = Volunteer.child_certificate_received_on
    first_with_expiry: dict[dt.date, dt.date] = {}
    same_expiry = []
    day = first
    while day <= final:
        expires = add_months(day, months)
        if expires in first_with_expiry:
            same_expiry.append((received == day, literal(first_with_expiry[expires], Date)))
        else:
            first_with_expiry[expires] = day
        day += dt.timedelta(days=1)
    return case(*same_expiry, else_=received) if same_expiry else received


def _expiring(user: User, on: dt.date, within_days: int) -> tuple[Select[tuple[Volunteer]], Any, int]:
    """Active volunteers ``user`` may see whose certificate stops counting within ``within_days``
    of ``on``; the sort key (expiry, then id) and the validity in months."""
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    first, final = _received_between(on, on + dt.timedelta(days=within_days), months)
    statement = visible_volunteers(user).where(
        Volunteer.child_certificate_state == ChildCertificateState.RECEIVED_OK,
        Volunteer.child_certificate_received_on.between(first, final),
        Volunteer.status.not_in([VolunteerStatus.WITHDRAWN, VolunteerStatus.REJECTED]),
    )
    return statement, _by_expiry(first, final, months), months


def list_expiring_certificates(
    user: User, on: dt.date, within_days: int = 30
) -> list[tuple[Volunteer, dt.date]]:
    """Active volunteers whose child certificate stops counting within ``within_days`` of ``on``,
    with the day it stops, soonest first."""
    statement, by_expiry, months = _expiring(user, on, within_days)
    volunteers = (
        db.session.execute(
            statement.options(joinedload(Volunteer.organisation)).order_by(by_expiry, Volunteer.id)
        )
        .scalars()
        .all()
    )
    return [(v, add_months(v.child_certificate_received_on, months)) for v in volunteers]


@dataclass(frozen=True)
class ExpiringRow:
    """A volunteer on the dashboard's list of expiring child certificates (plain data)."""

    id: int
    name: str
    organisation_name: str | None
    expires_on: dt.date


@dataclass(frozen=True)
class StaffBoard:
    """The dashboard's volunteer section: the most urgent expiring certificates, their number,
    and the applications awaiting a decision."""

    expiring: list[ExpiringRow]
    expiring_total: int
    awaiting: int


def staff_board(user: User, today: dt.date) -> StaffBoard:
    """``StaffBoard`` for ``user`` (a partner sees their organisation's volunteers only).

    Two queries whatever the municipality's size: the ``DASHBOARD_ROWS`` most urgent expiring
    certificates carrying their total (``count(*) OVER ()``), and the applications awaiting a decision.
    """
    statement, by_expiry, months = _expiring(user, today, 30)
    rows = db.session.execute(
        statement.outerjoin(Volunteer.organisation)
        .with_only_columns(
            Volunteer.id,
            Volunteer.first_name,
            Volunteer.last_name,
            Organisation.name,
            Volunteer.child_certificate_received_on,
            func.count().over(),
        )
        .order_by(by_expiry, Volunteer.id)
        .limit(DASHBOARD_ROWS)
    ).all()
    expiring = [
        ExpiringRow(id_, f"{first} {last}".strip(), organisation, add_months(received, months))
        for id_, first, last, organisation, received, _total in rows
    ]
    return StaffBoard(expiring, rows[0][-1] if rows else 0, count_awaiting_decision(user))


def count_awaiting_decision(user: User) -> int:
    """Applications a coordinator can decide on now: pending, with the e-mail confirmed if from the web."""
    return db.session.execute(
        select(func.count()).select_from(
            visible_volunteers(user)
            .where(
                Volunteer.status == VolunteerStatus.PENDING,
                or_(
                    Volunteer.source != RegistrationSource.WEB,
                    and_(
                        Volunteer.source == RegistrationSource.WEB, Volunteer.email_verified_at.is_not(None)
                    ),
                ),
            )
            .subquery()
        )
    ).scalar_one()


def actor_names(user_ids: set[int]) -> dict[int, str]:
    """Names of the users who acted, for a history table, in one query."""
    if not user_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
