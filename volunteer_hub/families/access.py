"""Who may see a family case, and fetch-and-authorise helpers for case routes.

Only municipal coordinators and administrators of the household's own municipality see a
case. Everyone else gets 404 on case routes, so not even a case's existence is revealed.
Partner coordinators and volunteers see only the contact card of a household matched with
them, on the match's page (see ``card.py`` and ``matching.views``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from volunteer_hub.audit.services import record_reads
from volunteer_hub.core.access import MUNICIPAL_STAFF, has_role, signed_in
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household, Member

F = TypeVar("F", bound=Callable[..., Any])


def can_see_cases(user: Any) -> bool:
    """True for municipal coordinators and administrators (of their own municipality)."""
    return has_role(user, MUNICIPAL_STAFF)


def case_route(view: F) -> F:
    """Policy for routes under one case: signed in, and 404 unless the user may see cases.

    Declared as ``signed_in`` for the route-policy check; the 404 (instead of 403) keeps a
    partner coordinator or volunteer from learning which case numbers exist.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not can_see_cases(current_user):
            abort(404)
        return view(*args, **kwargs)

    return signed_in(wrapper)  # type: ignore[return-value]


def get_household_or_404(household_id: int, *, for_user: Any, load: Sequence[Any] = ()) -> Household:
    """The household if ``for_user`` may see it, else 404. Records nothing: the view that shows
    the household's data records that it did (``record_case_read``)."""
    if not can_see_cases(for_user):
        abort(404)
    household = db.session.execute(
        select(Household)
        .where(Household.id == household_id, Household.municipality_id == for_user.municipality_id)
        .options(*load)
    ).scalar_one_or_none()
    if household is None:
        abort(404)
    return household


def record_case_read(*household_ids: int, for_user: Any, municipality_id: int | None = None) -> None:
    """Write ``family.viewed`` (with the page's endpoint) for each household whose personal
    data this answer shows to ``for_user``: every page, PDF and API answer that shows a
    household calls it once, and commits. ``municipality_id``: the households' municipality,
    when it is not the user's own."""
    record_reads(
        "family.viewed",
        actor=for_user,
        municipality_id=municipality_id if municipality_id is not None else for_user.municipality_id,
        object_type="household",
        object_ids=household_ids,
        endpoint=request.endpoint,
    )


def get_member_or_404(household: Household, member_id: int) -> Member:
    """A member of ``household`` (never of another household), else 404."""
    member = db.session.execute(
        select(Member)
        .where(Member.id == member_id, Member.household_id == household.id)
        .options(
            selectinload(Member.internship),
            selectinload(Member.danish_class),
            selectinload(Member.child_details),
        )
    ).scalar_one_or_none()
    if member is None:
        abort(404)
    return member
