"""The report counted in SQL equals the report counted by the pure core from row-by-row facts.

``tests/reports/fact_loader.py`` loads a municipality's rows into the plain facts of
``reports.data`` (the way the application used to build every report); ``reports.quarterly``
counts the figures from them in Python. On a varied municipality (synthetic volunteers,
households, matches and meetings, plus status changes, letters, housing and internships on
days around the quarters' edges) every figure of ``build_report`` must be the same, for the
municipality and for single organisations, for several quarters.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from tests.reports.fact_loader import FactLoader
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.demo.scale import seed_scale
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    Household,
    Housing,
    InternshipOffer,
    Member,
    MemberKind,
    ReceptionStep,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.reports.data import OrganisationRef
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.quarterly import compute_quarterly
from volunteer_hub.reports.services import build_report
from volunteer_hub.tenancy.models import Organisation
from volunteer_hub.tenancy.services import get_municipality_by_code
from volunteer_hub.volunteers.models import Volunteer
from volunteer_hub.volunteers.services.transitions import TRANSITIONS

TODAY = dt.date(2026, 11, 20)
QUARTERS = [Quarter(2026, 4), Quarter(2026, 3), Quarter(2026, 1), Quarter(2025, 4)]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    """A UTC moment; 23:30 UTC is already the next day in Denmark."""
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=dt.UTC)


# The state machine's audit action for a move into each status (the report reads these).
_MOVE_TO = {t.target.value: f"volunteer.{t.name}" for t in reversed(TRANSITIONS.values())}


def _vary(municipality_id: int, rng: random.Random) -> None:
    """Status changes (some late in the evening, some two on one day), welcome letters, housing
    and internship offers on days near the quarters' edges."""
    edges = [q.end + dt.timedelta(days=d) for q in QUARTERS for d in (-1, 0, 1)]
    volunteers = db.session.execute(
        sa.select(Volunteer.id, Volunteer.registered_on).where(Volunteer.municipality_id == municipality_id)
    ).all()
    for volunteer_id, registered_on in rng.sample(volunteers, 60):
        for status in rng.sample(["approved", "paused", "suspended", "withdrawn", "needs_information"], 2):
            day = max(registered_on, rng.choice(edges))
            db.session.add(
                AuditEvent(action=_MOVE_TO[status], municipality_id=municipality_id,
                           object_type="volunteer", object_id=volunteer_id,
                           occurred_at=_moment(day, rng.choice([9, 23])), details={"to_status": status})
            )  # fmt: skip
    households = db.session.scalars(
        sa.select(Household).where(Household.municipality_id == municipality_id)
    ).all()
    for household in rng.sample(list(households), 80):
        arrival = rng.choice(edges) - dt.timedelta(days=rng.choice([0, 13, 14, 15]))
        db.session.add(Member(household_id=household.id, kind=MemberKind.ADULT, name="Ny",
                              birth_year=rng.choice([1950, 1990, None]), arrival_on=arrival,
                              arrival_route="asylum", employed=rng.random() < 0.2))  # fmt: skip
        done = arrival + dt.timedelta(days=rng.choice([3, 14, 15, 40]))
        if rng.random() < 0.7:
            db.session.add(ReceptionStep(household_id=household.id, kind=ReceptionStepKind.WELCOME_LETTER,
                                         done_on=done, done_by="Test"))  # fmt: skip
        if rng.random() < 0.6 and household.housing is None:
            db.session.add(Housing(household_id=household.id, address="Vej 1",
                                   found_on=arrival + dt.timedelta(days=rng.choice([-5, 0, 5]))))  # fmt: skip
    db.session.flush()
    adults = db.session.scalars(
        sa.select(Member).join(Household).where(
            Household.municipality_id == municipality_id, Member.kind == MemberKind.ADULT, Member.name == "Ny"
        )
    ).all()
    for member in rng.sample(list(adults), 40):
        offered_on = member.arrival_on + dt.timedelta(days=rng.choice([5, 14, 20]))
        db.session.add(InternshipOffer(member_id=member.id, workplace_name="Firma", sector=WorkSector.CARE,
                                       offered_on=offered_on, status="offered"))  # fmt: skip


@pytest.fixture
def varied(ctx):
    seed_scale("0161", 400, 200, 900, seed=7, today=TODAY)
    municipality_id = get_municipality_by_code("0161").id
    _vary(municipality_id, random.Random(7))
    db.session.commit()
    return municipality_id


def test_the_sql_report_has_the_figures_the_pure_core_counts_from_facts(app, varied):
    organisations = db.session.scalars(
        sa.select(Organisation).where(Organisation.municipality_id == varied).order_by(Organisation.id)
    ).all()[:2]
    months = app.config["CHILD_CERTIFICATE_VALID_MONTHS"]
    for quarter in QUARTERS:
        facts = FactLoader().load(varied, quarter.previous().start, quarter.end)
        for organisation in [None, *organisations]:
            reference = OrganisationRef(organisation.id, organisation.name) if organisation else None
            expected = compute_quarterly(
                facts, quarter.year, quarter.quarter, reference, certificate_valid_months=months
            )
            report = build_report(varied, quarter, organisation)
            report.pop("family_answers")  # issue 22: read from the database whichever way, not from facts
            assert report == expected, (quarter, organisation)
