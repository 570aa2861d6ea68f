"""Why a household's suggestion list is empty: the hard rule that removed the last candidate.

The household's own rules come first (it consented, rule 6; it asks for the scheme, rule 2), as
no volunteer can help there; then the volunteers' rules in FORMATS.md's order, counted in the
database by one query over the suggestions' own SQL pre-filter (``candidate_conditions``): for
each rule, how many approved volunteers pass it and every rule before it. The first count that
falls to zero names the rule. The page only asks when the list is empty, so a full list costs
nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, select

from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching.engine.rules import has_consented
from volunteer_hub.matching.engine.scorer import start_day
from volunteer_hub.matching.services import matching_config
from volunteer_hub.matching.services.pool import approved_volunteers, candidate_conditions
from volunteer_hub.matching.services.rows import to_matcher_household
from volunteer_hub.volunteers.models import Volunteer


def emptying_rule(household: Household, scheme: str, as_of: dt.date) -> str | None:
    """The id of the hard rule (``engine.rules.RULES``) that leaves no candidate for ``household``
    in ``scheme`` on ``as_of``, or None when some volunteer passes every rule the database checks.

    ``household`` has its members, languages and schemes loaded (``household_load_options``).
    """
    matcher_household = to_matcher_household(household, as_of)
    if not has_consented(matcher_household, start_day(matcher_household, as_of)):
        return "consent"
    if scheme not in matcher_household.schemes:
        return "scheme"
    conditions = candidate_conditions(household, matcher_household, scheme, as_of, matching_config())
    passed, columns = [], []
    for condition in conditions.values():
        passed.append(condition)
        columns.append(func.count(case((and_(*passed), 1))))
    counts = db.session.execute(
        select(*columns).select_from(Volunteer).where(approved_volunteers(household.municipality_id))
    ).one()
    for rule, count in zip(conditions, counts, strict=True):
        if count == 0:
            return rule
    return None
