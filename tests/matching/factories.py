"""The matching tests' people: tests.factories' volunteers and households with the matcher's defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tests.factories import make_household, make_volunteer
from volunteer_hub.core.clock import local_today
from volunteer_hub.families.models import Household
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import ChildCertificateState, Volunteer, VolunteerStatus

TODAY = local_today()
_refs = itertools.count(1)


def volunteer(
    municipality: Municipality,
    *,
    certificate_on: dt.date | None = None,
    certificate_state: ChildCertificateState | None = None,
    **fields: Any,
) -> Volunteer:
    """An approved volunteer speaking Danish and Tigrinya, offering every scheme but contact person
    (with a child certificate received on ``certificate_on``, if given)."""
    fields.setdefault("status", VolunteerStatus.APPROVED)
    fields.setdefault("languages", {"da": "native", "ti": "fluent"})
    fields.setdefault("schemes", ["family_buddy", "friend_buddy", "child_culture", "leisure_intro"])
    fields.setdefault("availability", ["weekend", "weekday_evening"])
    if certificate_on is not None:
        fields["child_certificate_state"] = certificate_state or ChildCertificateState.RECEIVED_OK
        fields["child_certificate_received_on"] = certificate_on
    return make_volunteer(municipality, **fields)


def household(municipality: Municipality, **overrides: Any) -> Household:
    """A consenting Tigrinya-speaking household (no children) asking for a friend buddy."""
    overrides.setdefault("ref", f"F{next(_refs) + 9000:04d}")
    overrides.setdefault("languages", [("ti", "native"), ("ar", "conversational")])
    overrides.setdefault("schemes", ["friend_buddy"])
    overrides.setdefault("registered_on", TODAY - dt.timedelta(days=40))
    overrides.setdefault("consent_on", TODAY - dt.timedelta(days=40))
    return make_household(municipality, arrival=TODAY - dt.timedelta(days=45), **overrides)
