"""Optimistic locking of family cases.

Every edit form carries the household's ``version_id`` as it was when the form was shown.
A save whose version is no longer current is refused (``StaleCaseError``) before anything
changes; a race that slips past that check (two saves at the same moment) is caught by
SQLAlchemy's ``version_id_col`` as ``StaleDataError`` and mapped to the same refusal. Every
case edit bumps the household's version, whichever table it changes, so two coordinators
editing different parts of one case still see each other's changes before saving.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household

STALE_MESSAGE = _l(
    "Someone else saved changes to this case while you were editing it. Your changes have not "
    "been saved. Open the case again to see the new version, then make your changes again."
)


class StaleCaseError(Exception):
    """The case changed since the form was shown; nothing was saved."""

    def __init__(self) -> None:
        super().__init__(str(STALE_MESSAGE))


def check_version(household: Household, expected_version: int | None) -> None:
    """Refuse the edit when the form was made from an older version of the case."""
    if expected_version is None or expected_version != household.version_id:
        raise StaleCaseError()


def touch(household: Household) -> None:
    """Mark the case changed, so its version moves on even when only a child row changed."""
    household.updated_at = utcnow()


@contextmanager
def saving_case() -> Iterator[None]:
    """Run a case edit and flush it, so a concurrent save surfaces here as ``StaleCaseError``
    (the request commits after the answer; a refusal rolls the edit back now)."""
    try:
        yield
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        raise StaleCaseError() from exc
    except StaleCaseError:
        db.session.rollback()
        raise
