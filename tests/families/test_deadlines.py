"""P2 and P8 deadlines: whose arrival counts, and the boundary days of overdue and due soon."""

from __future__ import annotations

import datetime as dt

import pytest

from volunteer_hub.families.deadlines import (
    AdultFacts,
    DeadlineKind,
    DeadlineState,
    deadline_state,
    household_deadlines,
    internship_due_on,
    is_working_age,
    needing_attention,
    welcome_letter_due_on,
)

D = dt.date


def test_welcome_letter_is_due_fourteen_days_after_arrival():
    assert welcome_letter_due_on(D(2026, 11, 1)) == D(2026, 11, 15)
    # across a month and a year end
    assert welcome_letter_due_on(D(2026, 12, 25)) == D(2027, 1, 8)


def test_internship_is_due_fourteen_days_after_the_adults_own_arrival():
    assert internship_due_on(D(2026, 2, 20)) == D(2026, 3, 6)


@pytest.mark.parametrize(
    ("due_on", "state"),
    [
        (D(2026, 11, 26), DeadlineState.OVERDUE),  # overdue by one day
        (D(2026, 11, 27), DeadlineState.DUE_SOON),  # due today
        (D(2026, 11, 30), DeadlineState.DUE_SOON),  # due in 3 days
        (D(2026, 12, 1), DeadlineState.UPCOMING),  # due in 4 days
    ],
)
def test_deadline_states_at_the_boundary_days(due_on, state):
    assert deadline_state(due_on, today=D(2026, 11, 27)) == state


def test_a_completed_item_is_done_even_if_it_was_late():
    assert deadline_state(D(2026, 11, 1), D(2026, 11, 27), done_on=D(2026, 11, 20)) == DeadlineState.DONE


def _adult(member_id, arrival, *, birth_year=1990, employed=False, offered=None):
    return AdultFacts(member_id, arrival, birth_year, employed, offered)


def test_welcome_letter_counts_from_the_first_arrival_in_the_household():
    deadlines = household_deadlines(
        7, [D(2026, 9, 1), D(2026, 11, 20)], None, [_adult(1, D(2026, 9, 1)), _adult(2, D(2026, 11, 20))]
    )
    letters = [d for d in deadlines if d.kind == DeadlineKind.WELCOME_LETTER]
    assert len(letters) == 1
    assert letters[0].due_on == D(2026, 9, 15)


def test_family_reunified_adult_arriving_later_gets_own_internship_deadline():
    deadlines = household_deadlines(
        7,
        [D(2026, 9, 1), D(2026, 11, 20)],
        D(2026, 9, 10),
        [_adult(1, D(2026, 9, 1), offered=D(2026, 9, 12)), _adult(2, D(2026, 11, 20))],
    )
    internships = {d.member_id: d for d in deadlines if d.kind == DeadlineKind.INTERNSHIP}
    assert internships[1].due_on == D(2026, 9, 15)
    assert internships[1].done_on == D(2026, 9, 12)
    assert internships[2].due_on == D(2026, 12, 4)
    assert internships[2].done_on is None


def test_employed_adults_and_adults_outside_working_age_have_no_internship_deadline():
    deadlines = household_deadlines(
        7,
        [D(2026, 11, 1)],
        None,
        [
            _adult(1, D(2026, 11, 1), employed=True),
            _adult(2, D(2026, 11, 1), birth_year=1950),  # 76 in 2026
            _adult(3, D(2026, 11, 1), birth_year=2009),  # 17 in 2026
            _adult(4, D(2026, 11, 1), birth_year=2008),  # 18 in 2026
            _adult(5, D(2026, 11, 1), birth_year=1962),  # 64 in 2026
            _adult(6, D(2026, 11, 1), birth_year=None),  # unknown: offered, to be safe
        ],
    )
    assert sorted(d.member_id for d in deadlines if d.kind == DeadlineKind.INTERNSHIP) == [4, 5, 6]


def test_working_age_boundaries():
    on = D(2026, 6, 1)
    assert not is_working_age(2009, on)
    assert is_working_age(2008, on)
    assert is_working_age(1962, on)
    assert not is_working_age(1961, on)


def test_needing_attention_lists_overdue_and_due_within_three_days_but_not_done_or_later():
    today = D(2026, 11, 27)
    # arrivals chosen so the letters fall due on the boundary days
    cases = {
        1: (D(2026, 11, 12), None),  # due 26 Nov: overdue by 1 day
        2: (D(2026, 11, 13), None),  # due today
        3: (D(2026, 11, 16), None),  # due in 3 days
        4: (D(2026, 11, 17), None),  # due in 4 days: not yet
        5: (D(2026, 11, 1), D(2026, 11, 20)),  # done (late): not listed
    }
    deadlines = []
    for household_id, (arrival, sent) in cases.items():
        deadlines += household_deadlines(household_id, [arrival], sent, [])
    listed = needing_attention(deadlines, today)
    assert [d.household_id for d in listed] == [1, 2, 3]
    assert [d.days_left(today) for d in listed] == [-1, 0, 3]
    assert [d.state(today) for d in listed] == [
        DeadlineState.OVERDUE,
        DeadlineState.DUE_SOON,
        DeadlineState.DUE_SOON,
    ]


def test_a_household_without_members_has_no_deadlines():
    assert household_deadlines(1, [], None, []) == []
