"""A small Glostrup whose every report figure is counted by hand in the tests (Q2 and Q3 2026).

Organisations: RK = Røde Kors (10), DFH = Dansk Flygtningehjælp (20), None = independent.
Q2 2026 = 2026-04-01..2026-06-30; Q3 2026 = 2026-07-01..2026-09-30. Each fact's comment says
why it is there; tests/reports/test_quarterly.py counts the figures from these comments.
"""

from __future__ import annotations

from datetime import date as d

from volunteer_hub.reports.data import (
    AdultFact,
    HouseholdFact,
    MatchFact,
    MeetingFact,
    OrganisationRef,
    ReportInput,
    SchemeRequest,
    StatusChange,
    VolunteerFact,
)

RK = OrganisationRef(10, "Røde Kors Glostrup")
DFH = OrganisationRef(20, "Dansk Flygtningehjælp Frivillignetværk Glostrup")


def _history(*changes: tuple[d, str]) -> tuple[StatusChange, ...]:
    return tuple(StatusChange(on, status) for on, status in changes)


VOLUNTEERS = (
    # V1 RK: approved since Q1, free at Q3 end (M1 ended on 09-30); ti native, da fluent; cert valid.
    VolunteerFact(1, 10, d(2026, 3, 10), _history((d(2026, 3, 10), "pending"), (d(2026, 3, 20), "approved")),
                  {"ti": "native", "da": "fluent"}, 1, True, d(2025, 1, 15)),
    # V2 RK: registered on Q3's first day; capacity 2, one match at end (free); cert expiring.
    VolunteerFact(2, 10, d(2026, 7, 1), _history((d(2026, 7, 5), "approved"), (d(2026, 7, 1), "pending")),
                  {"ar": "native"}, 2, True, d(2024, 10, 15)),
    # V3 RK: registered on Q3's last day, still pending (works with children but not counted).
    VolunteerFact(3, 10, d(2026, 9, 30), _history((d(2026, 9, 30), "pending")), {"ti": "fluent"}, 1, True),
    # V4 RK: paused on 09-01: approved at end (incl. paused) but not available; cert with remarks.
    VolunteerFact(4, 10, d(2026, 2, 1),
                  _history((d(2026, 2, 1), "pending"), (d(2026, 2, 10), "approved"),
                           (d(2026, 9, 1), "paused")),
                  {"fa": "conversational"}, 1, True, d(2026, 1, 1), certificate_with_remarks=True),
    # V5 RK: left on 08-15 (approved at Q2 end, not at Q3 end).
    VolunteerFact(5, 10, d(2026, 1, 5), _history((d(2026, 1, 5), "pending"), (d(2026, 1, 10), "approved")),
                  {"ar": "fluent"}, 1, False, left_on=d(2026, 8, 15)),
    # V6 DFH: registered in Q2, approved 06-01; full at Q3 end (M6); works with children, no cert.
    VolunteerFact(6, 20, d(2026, 5, 20), _history((d(2026, 5, 20), "pending"), (d(2026, 6, 1), "approved")),
                  {"ti": "conversational", "so": "basic"}, 1, True),
    # V7 independent: registered in Q3, approved only after the quarter (10-02).
    VolunteerFact(7, None, d(2026, 8, 8), _history((d(2026, 8, 8), "pending"), (d(2026, 10, 2), "approved")),
                  {"ti": "native"}, 1, False),
    # V8 DFH: withdrawn on Q2's last day (so not approved at Q2 end).
    VolunteerFact(8, 20, d(2025, 12, 31),
                  _history((d(2025, 12, 31), "pending"), (d(2026, 1, 2), "approved"),
                           (d(2026, 6, 30), "withdrawn")),
                  {"so": "native"}, 1, False),
    # V9 RK: approved since 2025, full at Q3 end (M2); works with children, cert valid.
    VolunteerFact(9, 10, d(2025, 11, 1), _history((d(2025, 11, 1), "pending"), (d(2025, 11, 10), "approved")),
                  {"ar": "fluent"}, 1, True, d(2024, 11, 20)),
    # V10 DFH: approved, free; so fluent counts, ti basic does not.
    VolunteerFact(10, 20, d(2026, 1, 1), _history((d(2026, 1, 1), "approved")),
                  {"so": "fluent", "ti": "basic"}, 1, False),
)  # fmt: skip

HOUSEHOLDS = (
    # H1: registered Q2, first match M1 on 07-01 (11 days); waiting again at Q3 end; letter on time.
    HouseholdFact(1, d(2026, 6, 20), d(2026, 6, 18), 2, 3, "ti", (SchemeRequest("family_buddy"),),
                  welcome_letter_sent_on=d(2026, 7, 2), housed_before_arrival=True),
    # H2: first match M2 on 05-10 (20 days); both schemes matched at Q3 end; letter late in Q2.
    HouseholdFact(2, d(2026, 4, 20), d(2026, 4, 15), 1, 2, "ar",
                  (SchemeRequest("child_culture"), SchemeRequest("family_buddy")),
                  welcome_letter_sent_on=d(2026, 5, 5), housed_before_arrival=False),
    # H3: first match M3 on 09-30 (29 days); leisure_intro still waiting; letter open; housing unknown.
    HouseholdFact(3, d(2026, 9, 1), d(2026, 8, 25), 1, 0, "fa",
                  (SchemeRequest("friend_buddy"), SchemeRequest("leisure_intro"))),
    # H4: matched in Q1 (M4 ended 07-01); request withdrawn on 07-01.
    HouseholdFact(4, d(2026, 3, 1), d(2026, 2, 20), 2, 0, "so",
                  (SchemeRequest("family_buddy", withdrawn_on=d(2026, 7, 1)),),
                  welcome_letter_sent_on=d(2026, 3, 1)),
    # H5: first match M5 on 06-20 (19 days); waiting again at Q3 end; letter sent after Q2.
    HouseholdFact(5, d(2026, 6, 1), d(2026, 6, 1), 1, 0, "ar", (SchemeRequest("contact_person"),),
                  welcome_letter_sent_on=d(2026, 7, 10), housed_before_arrival=True),
    # H6: matched in Q1 (M7 ended 06-30): waiting at Q2 end and Q3 end.
    HouseholdFact(6, d(2026, 1, 10), d(2026, 1, 5), 3, 1, "ti", (SchemeRequest("leisure_intro"),),
                  welcome_letter_sent_on=d(2026, 1, 12)),
    # H7: first match M8 on 04-02 (13 days); request withdrawn 06-15; letter on time in Q2.
    HouseholdFact(7, d(2026, 3, 20), d(2026, 3, 18), 1, 1, "so",
                  (SchemeRequest("family_buddy", withdrawn_on=d(2026, 6, 15)),),
                  welcome_letter_sent_on=d(2026, 3, 25)),
    # H8: only match M9 lasted zero days (first match 08-10, 9 days; never reached); waiting.
    HouseholdFact(8, d(2026, 8, 1), d(2026, 7, 25), 2, 4, "ti", (SchemeRequest("contact_person"),),
                  welcome_letter_sent_on=d(2026, 8, 8), housed_before_arrival=False),
    # H9: registered on Q3's last day, never matched: waiting (Dari).
    HouseholdFact(9, d(2026, 9, 30), d(2026, 9, 29), 1, 0, "prs", (SchemeRequest("family_buddy"),),
                  housed_before_arrival=True),
    # H10: registered after Q3 (not waiting at Q3 end); arrived in Q3; letter late.
    HouseholdFact(10, d(2026, 10, 5), d(2026, 9, 10), 1, 0, "ti", (SchemeRequest("family_buddy"),),
                  welcome_letter_sent_on=d(2026, 9, 28)),
)  # fmt: skip

ADULTS = (
    AdultFact(1, d(2026, 6, 18), internship_offered_on=d(2026, 7, 1)),  # A1: deadline 07-02, on time
    AdultFact(1, d(2026, 6, 18), employed=True),  # A2: in a job, not due
    AdultFact(3, d(2026, 8, 25), internship_offered_on=d(2026, 9, 15)),  # A3: deadline 09-08, late
    AdultFact(8, d(2026, 7, 25)),  # A4: deadline 08-08, open
    AdultFact(8, d(2026, 9, 20)),  # A5: family-reunified later, deadline 10-04 (Q4)
    AdultFact(8, d(2026, 7, 25), working_age=False),  # A6: not of working age
    AdultFact(9, d(2026, 9, 29)),  # A7: deadline 10-13 (Q4)
    AdultFact(5, d(2026, 6, 1), internship_offered_on=d(2026, 6, 10)),  # A8: Q2, on time
    AdultFact(2, d(2026, 4, 15), internship_offered_on=d(2026, 10, 1)),  # A9: Q2, open at Q2 end
)

MATCHES = (
    MatchFact(1, 1, 1, 10, "family_buddy", d(2026, 7, 1), d(2026, 9, 30)),  # M1: Q3's first to last day
    MatchFact(2, 2, 9, 10, "child_culture", d(2026, 5, 10)),  # M2: ongoing since Q2
    MatchFact(3, 3, 2, 10, "friend_buddy", d(2026, 9, 30)),  # M3: starts on Q3's last day
    MatchFact(4, 4, 4, 10, "family_buddy", d(2026, 3, 15), d(2026, 7, 1)),  # M4: ends on Q3's first day
    MatchFact(5, 5, 5, 10, "contact_person", d(2026, 6, 20), d(2026, 8, 15)),  # M5: ends when V5 leaves
    MatchFact(6, 2, 6, 20, "family_buddy", d(2026, 7, 15)),  # M6: H2's second match
    MatchFact(7, 6, 8, 20, "leisure_intro", d(2026, 2, 1), d(2026, 6, 30)),  # M7: ends on Q2's last day
    MatchFact(8, 7, 1, 10, "family_buddy", d(2026, 4, 2), d(2026, 6, 15)),  # M8: Q2 only
    MatchFact(9, 8, 6, 20, "contact_person", d(2026, 8, 10), d(2026, 8, 10)),  # M9: zero days
)

MEETINGS = (
    MeetingFact(1, d(2026, 7, 10), 90),
    MeetingFact(1, d(2026, 9, 30), 60),
    MeetingFact(2, d(2026, 6, 30), 120),  # Q2
    MeetingFact(2, d(2026, 7, 1), 45),
    MeetingFact(6, d(2026, 8, 1), 30),  # DFH
    MeetingFact(5, d(2026, 10, 1), 60),  # Q4
)

GLOSTRUP = ReportInput(
    as_of=d(2026, 11, 27),
    volunteers=VOLUNTEERS,
    households=HOUSEHOLDS,
    adults=ADULTS,
    matches=MATCHES,
    meetings=MEETINGS,
)
