"""The report's figures, each counted by hand from tests/reports/dataset.py (never by report code)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.reports.dataset import GLOSTRUP, RK
from volunteer_hub.reports.data import (
    HouseholdFact,
    MatchFact,
    OrganisationRef,
    ReportInput,
    SchemeRequest,
    StatusChange,
    VolunteerFact,
    best_language,
)
from volunteer_hub.reports.periods import Quarter, add_months
from volunteer_hub.reports.quarterly import FORMATS_KEYS, compute_quarterly


def _change(previous, current):
    return {"previous": previous, "current": current, "change": None if None in (previous, current) else (
        round(current - previous, 3) if isinstance(current, float) or isinstance(previous, float)
        else current - previous
    )}  # fmt: skip


def test_municipality_q3_2026_every_figure_counted_by_hand():
    report = compute_quarterly(GLOSTRUP, 2026, 3)
    assert report == {
        "period": {"year": 2026, "quarter": 3, "start": "2026-07-01", "end": "2026-09-30"},
        "organisation": None,
        "volunteers": {
            "registered": 3,  # V2 (07-01, first day), V3 (09-30, last day), V7 (08-08)
            "approved_at_end": 6,  # V1, V2, V4 (paused counts), V6, V9, V10; not V5 (left), V7, V8
            "active": 5,  # V1 (M1), V9 (M2), V2 (M3), V5 (M5, until 08-15), V6 (M6); not V4 (M4 ends 07-01)
        },
        "matches": {
            "started": {"family_buddy": 2, "friend_buddy": 1, "contact_person": 1},  # M1+M6, M3, M9
            "ended": {"family_buddy": 2, "contact_person": 2},  # M1 (09-30) + M4 (07-01), M5 + M9
            # M2, M3 (started on the last day), M6; M1 ended on the last day so is not active then
            "active_at_end": {"family_buddy": 1, "friend_buddy": 1, "child_culture": 1},
        },
        # H1 (M1), H2 (M2, M6), H3 (M3), H5 (M5); not H8 (M9 lasted zero days), not H4 (M4 ended 07-01)
        "reached": {"households": 4, "persons": 5 + 3 + 1 + 1, "children": 3 + 2},
        # first matches in Q3: H8 9 days, H1 11 (registered in Q2), H3 29; H2 and H5 were first matched in Q2
        "median_days_to_first_match": 11.0,
        "language_gap": [
            # waiting: H1, H6, H8 / available: V1 (free: M1 ended on the last day)
            {"language": "ti", "households_waiting": 3, "volunteers_available": 1},
            # waiting: H5 (M5 ended) / available: V2 (capacity 2, one match)
            {"language": "ar", "households_waiting": 1, "volunteers_available": 1},
            # waiting: H3 (leisure_intro) / V4 speaks fa but is paused
            {"language": "fa", "households_waiting": 1, "volunteers_available": 0},
            # H9, registered on the end day
            {"language": "prs", "households_waiting": 1, "volunteers_available": 0},
            {"language": "da", "households_waiting": 0, "volunteers_available": 1},  # V1 fluent
            # V10 (V6 speaks so only basic)
            {"language": "so", "households_waiting": 0, "volunteers_available": 1},
        ],
        "data_as_of": "2026-11-27",
        "households_first_matched": 3,  # H1, H3, H8
        "retention": {
            "reached_3_months": 1,  # M2 (05-10 + 3 months = 08-10, ongoing); M5 ended before its 09-20
            "ended_before_3_months": 3,  # M1 (3 months would be 10-01), M5, M9
            "ended_after_3_months": 1,  # M4 (06-15 reached before 07-01)
            "meetings": 4,  # M1 07-10 and 09-30, M2 07-01, M6 08-01 (not M2 06-30, M5 10-01)
            "matches_with_meetings": 3,  # M1, M2, M6
            "meeting_hours": 3.75,  # (90 + 60 + 45 + 30) / 60
        },
        "child_certificates": {
            "working_with_children": 5,  # V1, V2, V4, V6, V9 (V3 is pending)
            "valid": 2,  # V1 (2025-01-15), V9 (2024-11-20)
            "expiring": 1,  # V2: 2024-10-15 is valid on 09-30, not on 10-30
            "missing": 2,  # V4 (with remarks), V6 (none)
            "validity_months": 24,
        },
        "policy_14_days": {
            # deadlines in Q3: H1 07-02 (sent 07-02), H8 08-08 (sent 08-08), H10 09-24 (sent 09-28),
            # H3 09-08 (not sent)
            "welcome_letters": {"due": 4, "on_time": 2, "late": 1, "open": 1},
            # A1 07-02 (offered 07-01), A3 09-08 (offered 09-15), A4 08-08 (not offered)
            "internship_offers": {"due": 3, "on_time": 1, "late": 1, "open": 1},
        },
        # arrived in Q3: H3 (unknown), H8 (no), H9 (yes), H10 (unknown)
        "housing_before_arrival": {
            "arrived": 4, "housed_before_arrival": 1, "not_housed_before_arrival": 1, "unknown": 2,
            "share": 0.25,
        },
        "change_from_previous_quarter": {
            "previous_period": {"year": 2026, "quarter": 2, "start": "2026-04-01", "end": "2026-06-30"},
            "figures": {
                "volunteers.registered": _change(1, 3),  # Q2: V6
                "volunteers.approved_at_end": _change(6, 6),  # Q2: V1 V4 V5 V6 V9 V10 (V8 withdrawn 06-30)
                "volunteers.active": _change(5, 5),  # Q2: V9 V4 V5 V8 V1
                "matches.started": _change(3, 4),  # Q2: M2 M5 M8
                "matches.ended": _change(2, 4),  # Q2: M7 (06-30) M8
                "matches.active_at_end": _change(3, 3),  # Q2: M2 M4 M5
                "reached.households": _change(5, 4),  # Q2: H2 H4 H5 H6 H7
                "reached.persons": _change(3 + 2 + 1 + 4 + 2, 10),
                "reached.children": _change(2 + 0 + 0 + 1 + 1, 5),
                "households_first_matched": _change(3, 3),  # Q2: H7 13, H5 19, H2 20
                "median_days_to_first_match": _change(19.0, 11.0),
                "retention.reached_3_months": _change(2, 1),  # Q2: M4 (06-15), M7 (05-01)
                "child_certificates.valid": _change(2, 2),  # Q2: V1, V9
                "child_certificates.missing": _change(2, 2),  # Q2: V4, V6
                "policy_14_days.welcome_letters.on_time": _change(1, 2),  # Q2: H7
                "policy_14_days.welcome_letters.late": _change(1, 1),  # Q2: H2 (H5 sent after Q2: open)
                "policy_14_days.internship_offers.on_time": _change(1, 1),  # Q2: A8 (A9 open)
                "policy_14_days.internship_offers.late": _change(0, 1),
                "housing_before_arrival.share": _change(0.667, 0.25),  # Q2: H1 and H5 of H1, H2, H5
            },
        },
    }  # fmt: skip
    figures = report["change_from_previous_quarter"]["figures"]
    assert figures["housing_before_arrival.share"]["change"] == -0.417


def test_organisation_q3_2026_counts_only_its_volunteers_and_matches():
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=RK)
    assert report == {
        "period": {"year": 2026, "quarter": 3, "start": "2026-07-01", "end": "2026-09-30"},
        "organisation": "Røde Kors Glostrup",
        "volunteers": {
            "registered": 2,  # V2, V3 (V7 is independent)
            "approved_at_end": 4,  # V1, V2, V4, V9
            "active": 4,  # V1, V9, V2, V5 (V6's M6 is DFH's)
        },
        "matches": {
            "started": {"family_buddy": 1, "friend_buddy": 1},  # M1, M3
            "ended": {"family_buddy": 2, "contact_person": 1},  # M1, M4, M5 (M9 is DFH's)
            "active_at_end": {"friend_buddy": 1, "child_culture": 1},  # M3, M2
        },
        "reached": {"households": 4, "persons": 10, "children": 5},  # H1, H2 (M2), H3, H5
        "median_days_to_first_match": 20.0,  # H1 11, H3 29; H8's first match was DFH's
        "language_gap": [
            # households waiting anywhere in the municipality; volunteers: RK's V1 and V2 only
            {"language": "ti", "households_waiting": 3, "volunteers_available": 1},
            {"language": "ar", "households_waiting": 1, "volunteers_available": 1},
            {"language": "fa", "households_waiting": 1, "volunteers_available": 0},
            {"language": "prs", "households_waiting": 1, "volunteers_available": 0},
            {"language": "da", "households_waiting": 0, "volunteers_available": 1},
        ],
        "data_as_of": "2026-11-27",
        "households_first_matched": 2,
        "retention": {
            "reached_3_months": 1,  # M2
            "ended_before_3_months": 2,  # M1, M5
            "ended_after_3_months": 1,  # M4
            "meetings": 3,  # M1 twice, M2 once (M6's is DFH's)
            "matches_with_meetings": 2,
            "meeting_hours": 3.25,  # (90 + 60 + 45) / 60
        },
        "child_certificates": {
            "working_with_children": 4, "valid": 2, "expiring": 1, "missing": 1, "validity_months": 24,
        },  # V1 valid, V9 valid, V2 expiring, V4 missing (V6 is DFH's)
        "policy_14_days": None,
        "housing_before_arrival": None,
        "change_from_previous_quarter": {
            "previous_period": {"year": 2026, "quarter": 2, "start": "2026-04-01", "end": "2026-06-30"},
            "figures": {
                "volunteers.registered": _change(0, 2),
                "volunteers.approved_at_end": _change(4, 4),  # Q2: V1 V4 V5 V9
                "volunteers.active": _change(4, 4),  # Q2: V9 V4 V5 V1
                "matches.started": _change(3, 2),  # Q2: M2 M5 M8
                "matches.ended": _change(1, 3),  # Q2: M8
                "matches.active_at_end": _change(3, 2),  # Q2: M2 M4 M5
                "reached.households": _change(4, 4),  # Q2: H2 H4 H5 H7
                "reached.persons": _change(3 + 2 + 1 + 2, 10),
                "reached.children": _change(2 + 1, 5),
                "households_first_matched": _change(3, 2),  # Q2: H2, H5, H7, all first matched by RK
                "median_days_to_first_match": _change(19.0, 20.0),
                "retention.reached_3_months": _change(1, 1),  # Q2: M4
                "child_certificates.valid": _change(2, 2),
                "child_certificates.missing": _change(1, 1),
            },
        },
    }  # fmt: skip


def test_the_formats_md_part_comes_first_in_its_documented_shape():
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=RK)
    assert tuple(report)[: len(FORMATS_KEYS)] == (
        "period", "organisation", "volunteers", "matches", "reached", "median_days_to_first_match",
        "language_gap",
    )  # fmt: skip
    assert list(report["period"]) == ["year", "quarter", "start", "end"]
    assert list(report["volunteers"]) == ["registered", "approved_at_end", "active"]
    assert list(report["matches"]) == ["started", "ended", "active_at_end"]
    assert list(report["reached"]) == ["households", "persons", "children"]
    assert all(list(row) == ["language", "households_waiting", "volunteers_available"]
               for row in report["language_gap"])  # fmt: skip
    json.dumps(report)  # plain JSON types only


def test_q4_compares_with_q3_of_the_same_year():
    report = compute_quarterly(GLOSTRUP, 2026, 4)
    change = report["change_from_previous_quarter"]
    assert report["period"] == {"year": 2026, "quarter": 4, "start": "2026-10-01", "end": "2026-12-31"}
    assert change["previous_period"] == {
        "year": 2026, "quarter": 3, "start": "2026-07-01", "end": "2026-09-30",
    }  # fmt: skip
    figures = change["figures"]
    assert figures["volunteers.registered"] == _change(3, 0)  # nobody registers in Q4
    assert figures["volunteers.approved_at_end"] == _change(6, 7)  # V7 approved on 10-02
    assert figures["volunteers.active"] == _change(5, 3)  # Q4: V9 (M2), V2 (M3), V6 (M6)
    assert figures["matches.started"] == _change(4, 0)
    assert figures["matches.active_at_end"] == _change(3, 3)  # M2, M3, M6 still run on 12-31
    assert figures["reached.households"] == _change(4, 2)  # Q4: H2, H3
    assert figures["median_days_to_first_match"] == {"previous": 11.0, "current": None, "change": None}
    assert report["median_days_to_first_match"] is None


def _leap_input() -> ReportInput:
    d = date
    return ReportInput(
        as_of=d(2028, 4, 15),
        volunteers=(
            # L1: registered on the leap day; certificate valid on 03-31, not 30 days later
            VolunteerFact(1, None, d(2028, 2, 29), (StatusChange(d(2028, 2, 29), "approved"),),
                          {"uk": "native"}, 1, True, d(2026, 3, 31)),
            # L2: registered on Q4 2027's last day; certificate valid at Q4's end, expired at Q1's end
            VolunteerFact(2, None, d(2027, 12, 31), (StatusChange(d(2027, 12, 31), "approved"),),
                          {"da": "native"}, 3, True, d(2026, 2, 28)),
        ),
        households=(
            HouseholdFact(1, d(2028, 2, 28), d(2028, 2, 15), 1, 1, "uk", (SchemeRequest("family_buddy"),),
                          welcome_letter_sent_on=d(2028, 2, 29)),
            HouseholdFact(2, d(2027, 11, 1), d(2027, 10, 20), 2, 0, "da", (SchemeRequest("contact_person"),),
                          housed_before_arrival=True),
        ),
        matches=(
            MatchFact(1, 1, 2, None, "family_buddy", d(2028, 3, 1)),  # N1: 2 days after 02-28
            MatchFact(2, 2, 2, None, "contact_person", d(2027, 11, 30)),  # N2: 3 months = 2028-02-29
            MatchFact(3, 2, 2, None, "leisure_intro", d(2027, 11, 29), d(2028, 2, 29)),  # N3: exactly 3
            MatchFact(4, 2, 1, None, "friend_buddy", d(2028, 2, 29), d(2028, 3, 31)),  # N4: ends last day
            MatchFact(5, 2, 2, None, "family_buddy", d(2027, 12, 1), d(2028, 2, 29)),  # N5: one day short
        ),
    )  # fmt: skip


def test_leap_year_quarter_and_the_year_boundary_before_q1():
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    report = compute_quarterly(_leap_input(), 2028, 1)
    assert report == {
        "period": {"year": 2028, "quarter": 1, "start": "2028-01-01", "end": "2028-03-31"},
        "organisation": None,
        "volunteers": {"registered": 1, "approved_at_end": 2, "active": 2},  # L1 on 02-29; L1, L2
        "matches": {
            "started": {"family_buddy": 1, "friend_buddy": 1},  # N1, N4 (on 02-29)
            "ended": {"family_buddy": 1, "friend_buddy": 1, "leisure_intro": 1},  # N5, N4, N3
            "active_at_end": {"family_buddy": 1, "contact_person": 1},  # N1, N2 (N4 ended on 03-31)
        },
        "reached": {"households": 2, "persons": 2 + 2, "children": 1},
        "median_days_to_first_match": 2.0,  # household 1: 2028-02-28 -> 2028-03-01 crosses the leap day
        "language_gap": [  # nobody waits; L1 free (N4 ended), L2 capacity 3 with N1 and N2
            {"language": "da", "households_waiting": 0, "volunteers_available": 1},
            {"language": "uk", "households_waiting": 0, "volunteers_available": 1},
        ],
        "data_as_of": "2028-04-15",
        "households_first_matched": 1,
        "retention": {
            "reached_3_months": 2,  # N2 (ongoing on 02-29), N3 (ended on 02-29, exactly 3 months)
            "ended_before_3_months": 2,  # N4, N5 (12-01 + 3 months = 03-01)
            "ended_after_3_months": 1,  # N3
            "meetings": 0, "matches_with_meetings": 0, "meeting_hours": 0.0,
        },
        "child_certificates": {  # L1 expiring (2026-03-31 = 03-31 - 24 months), L2 expired -> missing
            "working_with_children": 2, "valid": 0, "expiring": 1, "missing": 1, "validity_months": 24,
        },
        "policy_14_days": {
            "welcome_letters": {"due": 1, "on_time": 1, "late": 0, "open": 0},  # deadline 02-29, sent 02-29
            "internship_offers": {"due": 0, "on_time": 0, "late": 0, "open": 0},
        },
        "housing_before_arrival": {  # household 1 arrived 02-15, housing unknown
            "arrived": 1, "housed_before_arrival": 0, "not_housed_before_arrival": 0, "unknown": 1,
            "share": 0.0,
        },
        "change_from_previous_quarter": {
            "previous_period": {"year": 2027, "quarter": 4, "start": "2027-10-01", "end": "2027-12-31"},
            "figures": {
                "volunteers.registered": _change(1, 1),  # Q4: L2 on 12-31
                "volunteers.approved_at_end": _change(1, 2),
                "volunteers.active": _change(1, 2),
                "matches.started": _change(3, 2),  # Q4: N2, N3, N5
                "matches.ended": _change(0, 3),
                "matches.active_at_end": _change(3, 2),  # 12-31: N2, N3, N5
                "reached.households": _change(1, 2),
                "reached.persons": _change(2, 4),
                "reached.children": _change(0, 1),
                "households_first_matched": _change(1, 1),  # Q4: household 2, 11-01 -> 11-29
                "median_days_to_first_match": _change(28.0, 2.0),
                "retention.reached_3_months": _change(0, 2),
                "child_certificates.valid": _change(1, 0),  # L2 valid at 2027-12-31 and 2028-01-30
                "child_certificates.missing": _change(0, 1),
                "policy_14_days.welcome_letters.on_time": _change(0, 1),  # Q4: household 2 never got one
                "policy_14_days.welcome_letters.late": _change(0, 0),
                "policy_14_days.internship_offers.on_time": _change(0, 0),
                "policy_14_days.internship_offers.late": _change(0, 0),
                "housing_before_arrival.share": _change(1.0, 0.0),
            },
        },
    }  # fmt: skip


def test_an_empty_municipality_reports_zeros_and_no_median():
    report = compute_quarterly(ReportInput(as_of=date(2026, 11, 27)), 2026, 3)
    assert report["volunteers"] == {"registered": 0, "approved_at_end": 0, "active": 0}
    assert report["matches"] == {"started": {}, "ended": {}, "active_at_end": {}}
    assert report["reached"] == {"households": 0, "persons": 0, "children": 0}
    assert report["median_days_to_first_match"] is None
    assert report["language_gap"] == []
    assert report["housing_before_arrival"]["share"] is None
    assert report["change_from_previous_quarter"]["figures"]["median_days_to_first_match"]["change"] is None


def test_status_on_a_day_follows_the_history_and_leaving():
    volunteer = VolunteerFact(
        1, None, date(2026, 1, 1),
        (StatusChange(date(2026, 3, 1), "paused"), StatusChange(date(2026, 1, 1), "pending"),
         StatusChange(date(2026, 2, 1), "approved"), StatusChange(date(2026, 2, 1), "rejected"),
         StatusChange(date(2026, 2, 2), "approved")),
        left_on=date(2026, 5, 1),
    )  # fmt: skip
    assert volunteer.status_on(date(2025, 12, 31)) is None  # not registered yet
    assert volunteer.status_on(date(2026, 1, 31)) == "pending"
    assert volunteer.status_on(date(2026, 2, 1)) == "rejected"  # the later of two changes that day
    assert volunteer.status_on(date(2026, 2, 2)) == "approved"
    assert volunteer.status_on(date(2026, 4, 30)) == "paused"
    assert volunteer.status_on(date(2026, 5, 1)) == "withdrawn"  # gone from left_on


def test_a_request_waits_only_while_it_is_in_effect_and_unmatched():
    end = date(2026, 9, 30)
    households = (
        HouseholdFact(1, date(2026, 1, 1), best_language="ar",
                      requests=(SchemeRequest("family_buddy", withdrawn_on=end),)),  # withdrawn on end
        HouseholdFact(2, date(2026, 1, 1), best_language="ar",
                      requests=(SchemeRequest("family_buddy", requested_on=date(2026, 10, 1)),)),  # later
        HouseholdFact(3, date(2026, 1, 1), best_language="ar",
                      requests=(SchemeRequest("family_buddy", withdrawn_on=date(2026, 10, 1)),)),  # waiting
        HouseholdFact(4, date(2026, 1, 1), best_language="ar",
                      requests=(SchemeRequest("family_buddy"),)),  # matched in another scheme only: waiting
        HouseholdFact(5, date(2026, 1, 1), best_language=None,
                      requests=(SchemeRequest("family_buddy"),)),  # no language: not in the gap
    )  # fmt: skip
    data = ReportInput(
        as_of=end,
        volunteers=(VolunteerFact(1, None, date(2026, 1, 1)),),
        households=households,
        matches=(MatchFact(1, 4, 1, None, "friend_buddy", date(2026, 2, 1)),),
    )
    gap = compute_quarterly(data, 2026, 3)["language_gap"]
    assert gap == [{"language": "ar", "households_waiting": 2, "volunteers_available": 0}]  # 3 and 4


def test_certificates_with_remarks_or_received_after_the_end_are_missing():
    d = date
    volunteers = tuple(
        VolunteerFact(i, None, d(2025, 1, 1), (StatusChange(d(2025, 1, 1), "approved"),),
                      works_with_children=True, certificate_received_on=received,
                      certificate_with_remarks=remarks)
        for i, (received, remarks) in enumerate(
            [(d(2026, 9, 1), True), (d(2026, 10, 1), False), (d(2024, 10, 31), False),
             (d(2024, 10, 30), False)],
            start=1,
        )
    )  # fmt: skip
    figures = compute_quarterly(ReportInput(as_of=d(2026, 11, 1), volunteers=volunteers), 2026, 3)
    # 2024-10-31 is still valid 30 days after the end (10-30 - 24 months = 2024-10-30): valid;
    # 2024-10-30 too (the day itself counts); remarks and after-the-end: missing
    assert figures["child_certificates"] == {
        "working_with_children": 4, "valid": 2, "expiring": 0, "missing": 2, "validity_months": 24,
    }  # fmt: skip
    shorter = compute_quarterly(
        ReportInput(as_of=d(2026, 11, 1), volunteers=volunteers), 2026, 3, certificate_valid_months=12
    )
    assert shorter["child_certificates"]["missing"] == 4  # nothing from 2024 is valid for 12 months


def test_quarters_and_their_neighbours():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 4).previous() == Quarter(2026, 3)
    assert (Quarter(2028, 1).start, Quarter(2028, 1).end) == (date(2028, 1, 1), date(2028, 3, 31))
    assert Quarter(2026, 4).end == date(2026, 12, 31)
    assert Quarter.of(date(2026, 7, 1)) == Quarter(2026, 3)
    with pytest.raises(ValueError, match="quarter must be"):
        Quarter(2026, 5)


def test_facts_that_refer_to_unloaded_records_are_refused():
    orphan = MatchFact(1, 7, 8, None, "family_buddy", date(2026, 1, 1))
    data = ReportInput(as_of=date(2026, 1, 1), matches=(orphan,))
    with pytest.raises(ValueError, match="household 7"):
        compute_quarterly(data, 2026, 1)


def test_best_language_is_the_highest_level_first_listed_on_ties():
    assert best_language({"da": "basic", "ti": "native", "ar": "native"}) == "ti"
    assert best_language({}) is None


def test_organisation_without_anything_gets_zeros_not_other_organisations_figures():
    report = compute_quarterly(GLOSTRUP, 2026, 3, organisation=OrganisationRef(99, "Venligboerne"))
    assert report["volunteers"] == {"registered": 0, "approved_at_end": 0, "active": 0}
    assert report["reached"] == {"households": 0, "persons": 0, "children": 0}
    assert report["median_days_to_first_match"] is None
    # households waiting are the municipality's; this organisation has no volunteer available
    assert [row["volunteers_available"] for row in report["language_gap"]] == [0, 0, 0, 0]
