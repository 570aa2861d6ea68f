"""Database factories for the matching services' tests: real rows through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.families.support import make_household
from tests.volunteers.helpers import make_volunteer
from volunteer_hub.extensions import db
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.models import Household
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import (
    AttributeKind,
    ChildCertificateState,
    Volunteer,
    VolunteerAttribute,
    VolunteerStatus,
)

TODAY = local_today()
_refs = itertools.count(1)


def volunteer(
    municipality: Municipality,
    *,
    capacity: int = 1,
    certificate_on: dt.date | None = None,
    certificate_state: ChildCertificateState | None = None,
    ref: str | None = None,
    interests: list[str] | None = None,
    **fields: Any,
) -> Volunteer:
    """An approved volunteer speaking Danish and Tigrinya, offering every scheme but contact person."""
    fields.setdefault("status", VolunteerStatus.APPROVED)
    fields.setdefault("languages", {"da": "native", "ti": "fluent"})
    fields.setdefault("schemes", ["family_buddy", "friend_buddy", "child_culture", "leisure_intro"])
    fields.setdefault("availability", ["weekend", "weekday_evening"])
    v = make_volunteer(municipality, **fields)
    v.capacity = capacity
    if interests is not None:
        kept = [a for a in v.attributes if a.kind != AttributeKind.INTEREST or a.code in interests]
        have = {a.code for a in kept if a.kind == AttributeKind.INTEREST}
        v.attributes = kept + [
            VolunteerAttribute(kind=AttributeKind.INTEREST, code=code)
            for code in interests
            if code not in have
        ]
    if ref:
        v.ref = ref
    if certificate_on is not None:
        v.child_certificate_state = certificate_state or ChildCertificateState.RECEIVED_OK
        v.child_certificate_received_on = certificate_on
    db.session.flush()
    return v


def household(municipality: Municipality, **overrides: Any) -> Household:
    """A consenting Tigrinya-speaking household (no children) asking for a friend buddy."""
    overrides.setdefault("ref", f"F{next(_refs) + 9000:04d}")
    overrides.setdefault("languages", [("ti", "native"), ("ar", "conversational")])
    overrides.setdefault("schemes", ["friend_buddy"])
    overrides.setdefault("registered_on", TODAY - dt.timedelta(days=40))
    overrides.setdefault("consent_on", TODAY - dt.timedelta(days=40))
    return make_household(municipality, arrival=TODAY - dt.timedelta(days=45), **overrides)
