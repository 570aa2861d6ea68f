"""Volunteers' reference numbers in one format: ``V`` and at least four digits (``V0023``).

Imported volunteers bring their ``ref`` from the partner's file (FORMATS.md: e.g. ``V0042``); the
demo and the web sign-up number on from the highest such reference in the municipality, so a
coordinator never sees ``V0023`` beside ``W000081``.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import Volunteer

REF_PATTERN = re.compile(r"^V(\d+)$")


def next_volunteer_ref(municipality_id: int) -> str:
    """The next free reference after the highest ``V<digits>`` in use in the municipality."""
    refs = db.session.execute(
        select(Volunteer.ref)
        .where(Volunteer.municipality_id == municipality_id, Volunteer.ref.like("V%"))
        .execution_options(all_tenants=True)
    ).scalars()
    numbers = [int(m.group(1)) for ref in refs if (m := REF_PATTERN.match(ref))]
    return f"V{(max(numbers, default=0) + 1):04d}"


def assign_volunteer_ref(volunteer: Volunteer, attempts: int = 5) -> str:
    """Give a flushed volunteer the next free reference. Two sign-ups at the same moment compute
    the same number; the unique constraint refuses the second, which takes the next one."""
    for _ in range(attempts):
        ref = next_volunteer_ref(volunteer.municipality_id)
        try:
            with db.session.begin_nested():
                volunteer.ref = ref
                db.session.flush()
        except IntegrityError:
            continue
        return ref
    raise RuntimeError("no free volunteer reference after several attempts")
