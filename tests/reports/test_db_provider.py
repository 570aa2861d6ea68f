"""The report computed from real database rows: each figure counted by hand from the rows below."""

from __future__ import annotations

import datetime as dt

from tests.factories import adult, child, household_data, make_match, make_municipality, make_organisation
from tests.reports.fact_loader import FactLoader as DatabaseReportProvider
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.families.models import InternshipOffer, WorkSector
from volunteer_hub.families.services.households import create_household
from volunteer_hub.matching.models import EndReason, MatchSource, MatchStatus, Meeting, MeetingKind
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.services import build_report
from volunteer_hub.volunteers.models import (
    RegistrationSource,
    Volunteer,
    VolunteerLanguage,
    VolunteerStatus,
)

D = dt.date


def _volunteer(municipality, ref, registered_on, status, languages, organisation=None):
    volunteer = Volunteer(
        municipality_id=municipality.id,
        organisation_id=organisation.id if organisation else None,
        ref=ref,
        source=RegistrationSource.IMPORT,
        status=status,
        registered_on=registered_on,
        first_name=ref,
        last_name="Test",
        email=f"{ref.lower()}@example.dk",
        postcode="2600",
        capacity=1,
    )
    volunteer.languages = [VolunteerLanguage(code=c, level=lv) for c, lv in languages.items()]
    db.session.add(volunteer)
    db.session.flush()
    return volunteer


def _status_event(volunteer, action, to_status, on):
    db.session.add(
        AuditEvent(
            action=action,
            municipality_id=volunteer.municipality_id,
            object_type="volunteer",
            object_id=volunteer.id,
            occurred_at=dt.datetime.combine(on, dt.time(10), tzinfo=dt.UTC),
            details={"to_status": to_status},
        )
    )


def test_quarter_figures_from_database_rows(ctx):
    municipality = make_municipality()
    rk = make_organisation(municipality, "Røde Kors Glostrup")
    # V1: registered 10 July, approved 15 July (Red Cross), speaks Arabic.
    v1 = _volunteer(municipality, "V1", D(2026, 7, 10), VolunteerStatus.APPROVED,
                    {"da": "native", "ar": "fluent"}, rk)
    _status_event(v1, "volunteer.web_registered", "pending", D(2026, 7, 10))
    _status_event(v1, "volunteer.approve", "approved", D(2026, 7, 15))
    # V2: imported as approved, registered 1 May, speaks Tigrinya.
    v2 = _volunteer(municipality, "V2", D(2026, 5, 1), VolunteerStatus.APPROVED, {"ti": "native"})
    _status_event(v2, "volunteer.imported", "approved", D(2026, 8, 20))
    # V3: registered 1 August, still pending (no events at all).
    _volunteer(municipality, "V3", D(2026, 8, 1), VolunteerStatus.PENDING, {"da": "native"})
    # H1: registered 20 June, arrived 15 June; one adult and two children; Tigrinya.
    h1 = create_household(
        municipality.id,
        household_data(ref="H1", registered_on=D(2026, 6, 20), languages=[("ti", "native")],
                       schemes=["family_buddy"], consent_on=D(2026, 6, 20)),
        [adult("Senait Haile", D(2026, 6, 15)), child("Child 1", D(2026, 6, 15), 2015),
         child("Child 2", D(2026, 6, 15), 2020)],
        actor=None,
    )
    # H2: registered and arrived 1 September; Arabic; asks for a contact person; no match.
    create_household(
        municipality.id,
        household_data(ref="H2", name="Hassan", contact_name="Omar Hassan", registered_on=D(2026, 9, 1),
                       languages=[("ar", "native")], schemes=["contact_person"], consent_on=D(2026, 9, 1)),
        [adult("Omar Hassan", D(2026, 9, 1))],
        actor=None,
    )
    # M1: H1 with V2, family_buddy, from the quarter's first day until its last day.
    match = make_match(h1, v2, status=MatchStatus.ENDED, source=MatchSource.IMPORT, started_on=D(2026, 7, 1),
                       ended_on=D(2026, 9, 30), end_reason=EndReason.COMPLETED)  # fmt: skip
    db.session.add(Meeting(match_id=match.id, on=D(2026, 8, 1), minutes=90, kind=MeetingKind.IN_PERSON))
    db.session.commit()

    report = build_report(municipality.id, Quarter(2026, 3), None)

    assert report["volunteers"] == {
        "registered": 2,  # V1 (10 July) and V3 (1 August); V2 registered in May
        "approved_at_end": 2,  # V1 since 15 July, V2 since it was imported (registered 1 May)
        "active": 1,  # V2 had M1 active from 1 July
    }
    assert report["matches"]["started"] == {"family_buddy": 1}
    assert report["matches"]["ended"] == {"family_buddy": 1}
    assert report["matches"]["active_at_end"].get("family_buddy", 0) == 0  # ended_on 30 Sep is not > 30 Sep
    assert report["reached"] == {"households": 1, "persons": 3, "children": 2}
    assert report["median_days_to_first_match"] == 11.0  # 20 June -> 1 July
    gap = {row["language"]: (row["households_waiting"], row["volunteers_available"])
           for row in report["language_gap"]}
    # H1 waits again after M1 ended (Tigrinya; V2 free); H2 waits (Arabic; V1 speaks it fluently).
    # Danish: no household waits in it, but V1 speaks it (V3 too, but is only pending).
    assert gap == {"ti": (1, 1), "ar": (1, 1), "da": (0, 1)}


def test_internship_deadlines_on_the_edges_of_the_two_quarters(ctx):
    """The provider reads only the adults whose deadline (arrival + 14 days) can fall in the
    reported quarter or the one before; the adults on either side of those edges count nowhere."""
    municipality = make_municipality()
    offered = {  # arrival -> internship offered on (None: not offered)
        D(2026, 3, 17): D(2026, 3, 20),  # deadline 31 March: the quarter before the previous one
        D(2026, 3, 18): D(2026, 3, 30),  # deadline 1 April, first day of Q2: on time in Q2
        D(2026, 6, 16): D(2026, 6, 30),  # deadline 30 June, last day of Q2: on time in Q2
        D(2026, 6, 17): D(2026, 7, 2),  # deadline 1 July, first day of Q3: late in Q3
        D(2026, 9, 16): D(2026, 9, 30),  # deadline 30 September, last day of Q3: on time in Q3
        D(2026, 9, 17): None,  # deadline 1 October: after the quarter
    }
    household = create_household(
        municipality.id,
        household_data(ref="H1", registered_on=D(2026, 3, 1), consent_on=D(2026, 3, 1)),
        [adult(f"Adult {n}", arrival) for n, arrival in enumerate(offered)]
        + [adult("Employed", D(2026, 9, 1), employed=True), adult("Retired", D(2026, 9, 1), birth_year=1940)],
        actor=None,
    )
    for member in household.members:
        if offered.get(member.arrival_on):
            member.internship = InternshipOffer(
                workplace_name="Glostrup Kommune",
                sector=list(WorkSector)[0],
                offered_on=offered[member.arrival_on],
            )
    db.session.commit()

    report = build_report(municipality.id, Quarter(2026, 3), None)

    assert report["policy_14_days"]["internship_offers"] == {"due": 2, "on_time": 1, "late": 1, "open": 0}
    figures = report["change_from_previous_quarter"]["figures"]
    assert figures["policy_14_days.internship_offers.on_time"] == {"previous": 2, "current": 1, "change": -1}
    assert figures["policy_14_days.internship_offers.late"] == {"previous": 0, "current": 1, "change": 1}
    previous = build_report(municipality.id, Quarter(2026, 2), None)
    assert previous["policy_14_days"]["internship_offers"] == {"due": 2, "on_time": 2, "late": 0, "open": 0}


def test_children_under_15_and_members_counted_per_household(ctx):
    """The members are counted in SQL: adults, children, first arrival, and whether a child is
    under 15 in the report's year (born 2012 is 14 in 2026: the volunteer works with children;
    born 2011 is 15: not)."""
    municipality = make_municipality()
    young = create_household(
        municipality.id,
        household_data(ref="H1", registered_on=D(2026, 5, 1), consent_on=D(2026, 5, 1)),
        [adult("Parent", D(2026, 5, 3)), child("Child", D(2026, 4, 20), 2012),
         child("Baby", D(2026, 6, 1), None)],
        actor=None,
    )
    older = create_household(
        municipality.id,
        household_data(ref="H2", registered_on=D(2026, 5, 1), consent_on=D(2026, 5, 1)),
        [adult("Parent", D(2026, 5, 3)), adult("Parent 2", D(2026, 5, 3)),
         child("Teen", D(2026, 5, 3), 2011)],
        actor=None,
    )
    volunteers = {}
    for household in (young, older):
        volunteer = _volunteer(municipality, f"V{household.id}", D(2026, 1, 5), VolunteerStatus.APPROVED, {})
        volunteers[household.id] = volunteer.id
        make_match(household, volunteer, source=MatchSource.IMPORT, started_on=D(2026, 7, 1))
    db.session.commit()

    data = DatabaseReportProvider().load(municipality.id, D(2026, 4, 1), D(2026, 9, 30))

    households = {h.id: (h.adults, h.children, h.arrival_on) for h in data.households}
    assert households == {young.id: (1, 2, D(2026, 4, 20)), older.id: (2, 1, D(2026, 5, 3))}
    works = {v.id: v.works_with_children for v in data.volunteers}
    assert works == {volunteers[young.id]: True, volunteers[older.id]: False}
