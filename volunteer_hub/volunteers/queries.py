"""Read-only queries for coordinators: the filtered volunteer list and expiring certificates.

Every query is narrowed to what the user may see (their municipality; a partner coordinator
only their organisation) and loads a page's list fields in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select, and_, exists, false, func, literal, null, or_, select, union_all
from sqlalchemy.orm import joinedload

from volunteer_hub.auth.models import Role, User
from volunteer_hub.core import derived
from volunteer_hub.core.navigation import DASHBOARD_ROWS
from volunteer_hub.core.paging import Page, page_count
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
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
    page_ids = (
        statement.with_only_columns(Volunteer.id, func.count().over().label("total"))
        .order_by(*LIST_ORDER)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
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


def list_expiring_certificates(
    user: User, on: dt.date, within_days: int = 30
) -> list[tuple[Volunteer, dt.date]]:
    """Active volunteers whose child certificate stops counting within ``within_days`` of ``on``."""
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    last = on + dt.timedelta(days=within_days)
    # Month arithmetic is done in Python; SQL narrows by received date with a few days' slack.
    earliest = add_months(on, -months) - dt.timedelta(days=4)
    latest = add_months(last, -months) + dt.timedelta(days=4)
    candidates = (
        db.session.execute(
            visible_volunteers(user)
            .where(
                Volunteer.child_certificate_state == ChildCertificateState.RECEIVED_OK,
                Volunteer.child_certificate_received_on.between(earliest, latest),
                Volunteer.status.not_in([VolunteerStatus.WITHDRAWN, VolunteerStatus.REJECTED]),
            )
            .options(joinedload(Volunteer.organisation))
        )
        .scalars()
        .all()
    )
    expiring = []
    for volunteer in candidates:
        expires = volunteer.child_certificate_expires_on(months)
        if expires is not None and on <= expires <= last:
            expiring.append((volunteer, expires))
    return sorted(expiring, key=lambda pair: (pair[1], pair[0].id))


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
    """``StaffBoard`` for ``user`` (a partner sees their organisation's volunteers only), kept
    until the municipality's data changes (core/derived.py)."""
    scope = user.organisation_id if user.role == Role.PARTNER_COORDINATOR else None
    months = current_app.config["CHILD_CERTIFICATE_VALID_MONTHS"]

    def build() -> StaffBoard:
        expiring = list_expiring_certificates(user, today)
        rows = [
            ExpiringRow(v.id, v.name, v.organisation.name if v.organisation else None, expires)
            for v, expires in expiring[:DASHBOARD_ROWS]
        ]
        return StaffBoard(rows, len(expiring), count_awaiting_decision(user))

    return derived.cached("volunteer-board", user.municipality_id, (today, scope, months), build, capacity=64)


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
