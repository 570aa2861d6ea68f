"""What one report counts over, and the match conditions every figure shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from volunteer_hub.matching.models import Match


@dataclass(frozen=True, slots=True)
class Scope:
    """One municipality's report, for one organisation (None: the whole municipality).

    ``report_end`` is the reported quarter's last day (the previous quarter is counted against
    it too); ``previous_start`` the first day of the quarter before.
    """

    municipality_id: int
    organisation_id: int | None
    previous_start: date
    report_end: date


def as_text(column: Any) -> Any:
    """An enum column compared as its stored string."""
    return sa.type_coerce(column, sa.String)


def active_on(day: date, match: Any = Match) -> Any:
    """FORMATS.md: active on d when ``started_on <= d`` and (no ``ended_on`` or ``ended_on > d``)."""
    return sa.and_(match.started_on <= day, sa.or_(match.ended_on.is_(None), match.ended_on > day))


def counted_matches(scope: Scope, match: Any = Match) -> list[Any]:
    """The matches of the report's scope (proposals have no start yet and are not matches)."""
    conditions = [match.municipality_id == scope.municipality_id, match.started_on.is_not(None)]
    if scope.organisation_id is not None:
        conditions.append(match.organisation_id == scope.organisation_id)
    return conditions
