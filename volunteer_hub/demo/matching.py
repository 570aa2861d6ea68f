"""Demo matches for ``flask seed-demo``: active and ended matches, a proposal, and the signals.

Runs after the volunteer and family seeders and uses their people (it adds no households).
Deterministic (the matcher ranks the same data the same way on a given day) and idempotent
(a household that has any match is left alone, so a second run adds nothing). The story:

- the demo volunteer V0001 follows a Ukrainian household, with meetings logged, so the
  volunteer login has a match with a contact card and a meeting log;
- the only Tigrinya speaker with a child certificate (V0064) follows an Eritrean family, so
  the Eritrean family F0007, which asks for child culture, has nobody: the plan page shows
  "no eligible volunteer", a recruitment signal;
- four more active matches (one without contact for 44 days, one with an overdue check-in),
  two ended ones, and one proposal waiting for the Red Cross coordinator's approval.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select

from volunteer_hub.auth.models import User
from volunteer_hub.core.clock import local_today
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.matching import followup, services, workflow
from volunteer_hub.matching.models import EndReason, Match, MatchSource, MeetingKind
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.volunteers.models import Volunteer

COORDINATOR_EMAIL = "koordinator@glostrup.demo"
RESERVED = ("V0001", "V0064")
# (household ref, days since the match started, days ago meetings were logged, days since it ended, why)
FROM_SUGGESTIONS: list[tuple[str, int, tuple[int, ...], int | None, EndReason | None]] = [
    ("F0005", 75, (70, 40, 20), None, None),
    ("F0017", 48, (44,), None, None),  # no contact for 44 days: flagged on the dashboard
    ("F0023", 20, (), None, None),  # approved, not met yet; the 2-week check-in is overdue
    ("F0029", 9, (), None, None),
    ("F0006", 260, (250, 200, 120), 40, EndReason.COMPLETED),
    ("F0022", 45, (40,), 10, EndReason.DID_NOT_WORK_OUT),
]
PROPOSAL_CANDIDATES = ("F0018", "F0016", "F0002", "F0027", "F0021", "F0020")
ERITREAN = ("F0008", "F0009", "F0010", "F0011", "F0012")  # not F0007: the recruitment signal
UKRAINIAN = ("F0024", "F0019", "F0020", "F0021", "F0022", "F0023")


def seed_matches(municipality: Municipality) -> None:
    """Add the demo matches, meetings and proposal to households that have no match yet."""
    today = local_today()
    actor = db.session.execute(
        select(User).where(User.email == COORDINATOR_EMAIL).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    households = {h.ref: h for h in services.load_households(municipality.id, with_schemes_only=False)}
    volunteers = {
        v.ref: v
        for v in db.session.execute(
            select(Volunteer).where(Volunteer.municipality_id == municipality.id)
        ).scalars()
    }
    matched = set(
        db.session.execute(
            select(Match.household_id).where(Match.municipality_id == municipality.id)
        ).scalars()
    )

    def fresh(ref: str) -> Household | None:
        household = households.get(ref)
        return household if household is not None and household.id not in matched else None

    # The demo volunteer's own match, with meetings logged (so "Min side" has something to show).
    demo_volunteer = volunteers.get("V0001")
    if demo_volunteer is not None and all(fresh(ref) for ref in UKRAINIAN if ref in households):
        match = _first_fit(
            [households[r] for r in UKRAINIAN if r in households], demo_volunteer, today, 35, actor
        )
        user = db.session.get(User, demo_volunteer.user_id) if demo_volunteer.user_id else None
        _meetings(match, (30, 12), today, user)
    # The only Tigrinya speaker with a child certificate gets a family: F0031 then has nobody.
    if "V0064" in volunteers and all(fresh(ref) for ref in ERITREAN if ref in households):
        _first_fit(
            [households[r] for r in ERITREAN if r in households], volunteers["V0064"], today, 60, actor
        )
    for ref, started_days, meeting_days, ended_days, reason in FROM_SUGGESTIONS:
        household = fresh(ref)
        if household is None or not household.scheme_codes:
            continue
        start = max(today - dt.timedelta(days=started_days), household.consent_on or today)
        match = None
        for scheme in household.scheme_codes:
            rows = services.suggestions_for(household, scheme, start, "da", top=0)
            choice = next((row.volunteer for row in rows if row.volunteer.ref not in RESERVED), None)
            match = _approve(household, choice, scheme, start, actor) if choice is not None else None
            if match is not None:
                break
        if match is None:
            continue
        _meetings(match, meeting_days, today, None)
        first = match.check_ins[0]
        if meeting_days and first.due_on <= today:
            followup.complete_check_in(first, actor=actor, on=first.due_on)
        if ended_days is not None and reason is not None:
            workflow.end_match(match, reason, actor=actor, on=today - dt.timedelta(days=ended_days))
    _proposal(households, matched, today, actor)
    db.session.flush()


def _first_fit(
    households: list[Household], volunteer: Volunteer, today: dt.date, days: int, actor: Any
) -> None:
    """Match ``volunteer`` with the first household and scheme the rules allow, about ``days`` ago."""
    for household in households:
        for scheme in household.scheme_codes:
            start = max(
                today - dt.timedelta(days=days), household.consent_on or today, household.registered_on
            )
            if start <= today and not services.why_not(household, scheme, volunteer, start):
                match = _approve(household, volunteer, scheme, start, actor)
                if match is not None:
                    return match
    return None


def _meetings(match: Match | None, days_ago: tuple[int, ...], today: dt.date, actor: Any) -> None:
    if match is None:
        return
    for days, kind in zip(days_ago, itertools.cycle(MeetingKind), strict=False):
        on = today - dt.timedelta(days=days)
        if match.started_on is not None and on >= match.started_on:
            followup.log_meeting(match, actor=actor, on=on, minutes=60 + 30 * (days % 3), kind=kind)


def _approve(household: Household, volunteer: Volunteer, scheme: str, on: dt.date, actor: Any) -> Any:
    """Propose and approve on ``on``, or leave nothing behind when the rules refuse it."""
    try:
        with db.session.begin_nested():
            match = workflow.propose_match(
                household, volunteer, scheme, actor=actor, source=MatchSource.SUGGESTION, on=on
            )
            return workflow.approve_match(match, actor=actor, on=on)
    except workflow.MatchError:
        return None


def _proposal(households: dict[str, Household], matched: set[int], today: dt.date, actor: Any) -> None:
    """A proposal for a Red Cross volunteer, waiting for the partner coordinator's approval."""
    candidates = [households[ref] for ref in PROPOSAL_CANDIDATES if ref in households]
    if any(h.id in matched for h in candidates):
        return
    for household in candidates:
        for scheme in household.scheme_codes:
            for row in services.suggestions_for(household, scheme, today, "da", top=0):
                organisation = row.volunteer.organisation
                if (
                    row.volunteer.ref in RESERVED
                    or organisation is None
                    or organisation.name != "Røde Kors Glostrup"
                ):
                    continue
                workflow.propose_match(
                    household, row.volunteer, scheme, actor=actor, source=MatchSource.SUGGESTION
                )
                return
