"""Demo matches for ``flask seed-demo``: active and ended matches, a proposal, and the signals.

Runs after the volunteer and family seeders. Deterministic (the matcher ranks the same data
the same way on a given day) and idempotent (a household that has any match is left alone, so
a second run adds nothing). Two households are added for the story the demo tells:

- F0031, a Tigrinya-speaking family with young children asking for child culture: the only
  Tigrinya speaker with a child certificate (V0064) is busy with another family, so the plan
  page shows "no eligible volunteer", a recruitment signal;
- F0032, a Ukrainian woman asking for a friend buddy, matched with the demo volunteer V0001 so
  the volunteer login has a match with a contact card and a meeting log.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select

from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.families.dates import local_today
from volunteer_hub.families.models import (
    ArrivalRoute,
    ChildDetails,
    ConsentScope,
    Household,
    HouseholdLanguage,
    HouseholdScheme,
    Member,
    MemberKind,
)
from volunteer_hub.matching import services, workflow
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
    ("F0024", 240, (230, 150), 25, EndReason.MOVED_AWAY),
    ("F0022", 45, (40,), 10, EndReason.DID_NOT_WORK_OUT),
]
PROPOSAL_CANDIDATES = ("F0018", "F0016", "F0002", "F0027", "F0021", "F0020")
ERITREAN = ("F0007", "F0008", "F0009", "F0010", "F0011", "F0012")


def seed_matches(municipality: Municipality, organisations: dict[str, Any]) -> list[tuple[str, str]]:
    """The demo seeder registered in ``vh_demo_seeders``; adds no logins."""
    today = local_today()
    actor = db.session.execute(
        select(User).where(User.email == COORDINATOR_EMAIL).execution_options(all_tenants=True)
    ).scalar_one_or_none()
    _story_households(municipality, today)
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
    if (olena := fresh("F0032")) and demo_volunteer is not None:
        match = _approve(olena, demo_volunteer, "friend_buddy", today - dt.timedelta(days=35), actor)
        user = db.session.get(User, demo_volunteer.user_id) if demo_volunteer.user_id else None
        _meetings(match, (30, 12), today, user)
    # The only Tigrinya speaker with a child certificate gets a family: F0031 then has nobody.
    if "V0064" in volunteers and all(fresh(ref) for ref in ERITREAN):
        _first_fit([households[ref] for ref in ERITREAN], volunteers["V0064"], today, 60, actor)
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
            workflow.complete_check_in(first, actor=actor, on=first.due_on)
        if ended_days is not None and reason is not None:
            workflow.end_match(match, reason, actor=actor, on=today - dt.timedelta(days=ended_days))
    _proposal(households, matched, today, actor)
    db.session.flush()
    return []


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
                if _approve(household, volunteer, scheme, start, actor) is not None:
                    return


def _meetings(match: Match | None, days_ago: tuple[int, ...], today: dt.date, actor: Any) -> None:
    if match is None:
        return
    for days, kind in zip(days_ago, itertools.cycle(MeetingKind), strict=False):
        on = today - dt.timedelta(days=days)
        if match.started_on is not None and on >= match.started_on:
            workflow.log_meeting(match, actor=actor, on=on, minutes=60 + 30 * (days % 3), kind=kind)


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


def _story_households(municipality: Municipality, today: dt.date) -> None:
    existing = set(
        db.session.execute(
            select(Household.ref).where(Household.municipality_id == municipality.id)
        ).scalars()
    )
    if "F0031" not in existing:
        arrival = today - dt.timedelta(days=70)
        household = _household(
            municipality,
            "F0031",
            "Tesfamariam family",
            "Rahel Tesfamariam",
            arrival,
            [("ti", "native")],
            ["child_culture"],
            ["music", "football"],
        )
        household.members += [
            _member(MemberKind.ADULT, "Rahel Tesfamariam", today.year - 31, arrival),
            _member(MemberKind.ADULT, "Samuel Tesfamariam", today.year - 35, arrival),
            _member(MemberKind.CHILD, "Lidya Tesfamariam", today.year - 4, arrival),
            _member(MemberKind.CHILD, "Natan Tesfamariam", today.year - 7, arrival),
        ]
        db.session.add(household)
    if "F0032" not in existing:
        arrival = today - dt.timedelta(days=110)
        household = _household(
            municipality,
            "F0032",
            "Olena Hrytsenko",
            "Olena Hrytsenko",
            arrival,
            [("uk", "native"), ("ru", "fluent")],
            ["friend_buddy"],
            ["cycling", "cooking", "reading"],
        )
        household.members.append(_member(MemberKind.ADULT, "Olena Hrytsenko", today.year - 29, arrival))
        db.session.add(household)
    db.session.flush()


def _household(
    municipality: Municipality,
    ref: str,
    name: str,
    contact: str,
    arrival: dt.date,
    languages: list[tuple[str, str]],
    schemes: list[str],
    interests: list[str],
) -> Household:
    household = Household(
        municipality_id=municipality.id,
        ref=ref,
        name=name,
        contact_name=contact,
        phone="+4552990" + ref[-3:],
        email=f"{ref.lower()}@example.dk",
        postcode="2600",
        address="Stationsparken 7",
        letter_language=languages[0][0],
        interests=interests,
        availability=["weekday_evening", "weekend"],
        consent_on=arrival + dt.timedelta(days=2),
        consent_scope=ConsentScope.CONTACT_CARD,
        registered_on=arrival + dt.timedelta(days=2),
    )
    household.languages = [
        HouseholdLanguage(language=code, level=level, position=pos)
        for pos, (code, level) in enumerate(languages)
    ]
    household.schemes = [HouseholdScheme(scheme=code) for code in schemes]
    return household


def _member(kind: MemberKind, name: str, birth_year: int, arrival: dt.date) -> Member:
    member = Member(
        kind=kind, name=name, birth_year=birth_year, arrival_on=arrival, arrival_route=ArrivalRoute.ASYLUM
    )
    if kind == MemberKind.CHILD:
        member.child_details = ChildDetails()
    return member
