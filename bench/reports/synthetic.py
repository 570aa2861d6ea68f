"""A synthetic municipality of plain report facts, the same for every run (seeded random)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from volunteer_hub.reports.counts import SCHEMES
from volunteer_hub.reports.data import (
    AdultFact,
    HouseholdFact,
    MatchFact,
    MeetingFact,
    ReportInput,
    SchemeRequest,
    StatusChange,
    VolunteerFact,
)

AS_OF = date(2026, 11, 27)
FIRST = date(2023, 1, 1)
LANGUAGES = ("da", "en", "ar", "fa", "prs", "ti", "so", "uk", "ru", "ps", "ku", "tr", "ur", "am")
LEVELS = ("basic", "conversational", "fluent", "native")
ORGANISATIONS = (None, 1, 2, 3, 4)


def _day(rng: random.Random, start: date = FIRST, end: date = AS_OF) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def municipality(volunteers: int, households: int, matches: int, seed: int = 7) -> ReportInput:
    """``volunteers``, ``households`` and ``matches`` facts, with adults and meetings in proportion."""
    rng = random.Random(seed)
    volunteer_facts = []
    for i in range(volunteers):
        registered = _day(rng)
        history = [StatusChange(registered, "pending")]
        if rng.random() < 0.85:
            approved = min(registered + timedelta(days=rng.randrange(1, 30)), AS_OF)
            history.append(StatusChange(approved, "approved"))
            if rng.random() < 0.1:
                history.append(StatusChange(_day(rng, approved), "paused"))
        left = _day(rng, registered) if rng.random() < 0.1 else None
        spoken = rng.sample(LANGUAGES, rng.randrange(1, 4))
        volunteer_facts.append(VolunteerFact(
            i, rng.choice(ORGANISATIONS), registered, tuple(history),
            {code: rng.choice(LEVELS) for code in spoken}, rng.randrange(1, 4), rng.random() < 0.4,
            _day(rng, date(2022, 1, 1)) if rng.random() < 0.7 else None, rng.random() < 0.02, left,
        ))  # fmt: skip
    household_facts, adult_facts = [], []
    for i in range(households):
        arrival = _day(rng)
        registered = min(arrival + timedelta(days=rng.randrange(0, 20)), AS_OF)
        requests = tuple(SchemeRequest(s) for s in rng.sample(SCHEMES, rng.randrange(1, 3)))
        adults = rng.randrange(1, 4)
        household_facts.append(HouseholdFact(
            i, registered, arrival, adults, rng.randrange(0, 5), rng.choice(LANGUAGES), requests,
            arrival + timedelta(days=rng.randrange(0, 30)) if rng.random() < 0.9 else None,
            rng.choice((True, False, None)),
        ))  # fmt: skip
        for _ in range(adults):
            offered = arrival + timedelta(days=rng.randrange(0, 40)) if rng.random() < 0.8 else None
            adult_facts.append(AdultFact(i, arrival, rng.random() < 0.1, offered, rng.random() < 0.95))
    match_facts, meeting_facts = [], []
    for i in range(matches):
        household = household_facts[rng.randrange(households)]
        volunteer = volunteer_facts[rng.randrange(volunteers)]
        started = _day(rng, household.registered_on)
        ended = started + timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.6 else None
        match_facts.append(MatchFact(
            i, household.id, volunteer.id, volunteer.organisation_id, rng.choice(SCHEMES), started,
            ended if ended is None or ended <= AS_OF else None,
        ))  # fmt: skip
        for _ in range(rng.randrange(0, 5)):
            meeting_facts.append(MeetingFact(i, _day(rng, started), rng.choice((30, 45, 60, 90, 120))))
    return ReportInput(AS_OF, tuple(volunteer_facts), tuple(household_facts), tuple(adult_facts),
                       tuple(match_facts), tuple(meeting_facts))  # fmt: skip
