"""P7 housing warnings and the P14 Danish-without-work warning: raised and cleared."""

from __future__ import annotations

import datetime as dt

import pytest

from volunteer_hub.families.leisure import OfferFacts, suggest_offers
from volunteer_hub.families.services.housing import housed_before_arrival
from volunteer_hub.families.warnings import (
    WarningKind,
    housing_warnings,
    is_danish_without_work,
)

D = dt.date


@pytest.mark.parametrize(
    ("sector", "status", "warned"),
    [
        ("hotel", "offered", True),
        ("hostel", "permanent", True),
        ("converted_municipal_building", "temporary", True),
        ("public_acute_list", "permanent", False),
        ("private_room", "offered", False),
        (None, "searching", False),
    ],
)
def test_family_with_children_in_temporary_housing_is_warned(sector, status, warned):
    kinds = [w.kind for w in housing_warnings(1, True, sector, status, False)]
    assert (WarningKind.CHILDREN_IN_TEMPORARY_HOUSING in kinds) is warned


def test_no_temporary_housing_warning_without_children():
    assert housing_warnings(1, False, "hotel", "temporary", False) == []


def test_flagged_shared_unit_warns_every_occupant_and_clears_when_unflagged():
    assert [w.kind for w in housing_warnings(1, False, "shared_housing", "permanent", True)] == [
        WarningKind.SHARED_UNIT_FLAGGED
    ]
    assert housing_warnings(1, False, "shared_housing", "permanent", False) == []


def _danish(**overrides):
    values = dict(
        birth_year=1990,
        class_start_on=D(2026, 10, 1),
        class_ended_on=None,
        employed=False,
        internship_status=None,
        today=D(2026, 11, 27),
    )
    values.update(overrides)
    return is_danish_without_work(**values)


def test_danish_classes_without_work_raise_a_warning():
    assert _danish()


@pytest.mark.parametrize(
    "overrides",
    [
        {"employed": True},
        {"internship_status": "accepted"},
        {"internship_status": "started"},
        {"class_start_on": D(2026, 12, 1)},  # not started yet
        {"class_start_on": None},
        {"class_ended_on": D(2026, 11, 27)},  # ended today
        {"birth_year": 1950},  # past working age
    ],
)
def test_danish_warning_clears_with_work_or_when_no_class_runs(overrides):
    assert not _danish(**overrides)


@pytest.mark.parametrize("status", ["offered", "declined", "ended"])
def test_an_internship_not_accepted_or_running_is_not_work_alongside(status):
    assert _danish(internship_status=status)


def test_housed_before_arrival_counts_the_day_of_arrival():
    assert housed_before_arrival(D(2026, 8, 31), D(2026, 9, 1)) is True
    assert housed_before_arrival(D(2026, 9, 1), D(2026, 9, 1)) is True
    assert housed_before_arrival(D(2026, 9, 2), D(2026, 9, 1)) is False
    assert housed_before_arrival(None, D(2026, 9, 1)) is False
    assert housed_before_arrival(None, None) is None


def test_leisure_offers_are_suggested_by_shared_interests_and_ages():
    offers = [
        OfferFacts(1, "Swimming club", frozenset({"swimming"}), 6, 17, True),
        OfferFacts(2, "Football club", frozenset({"football", "running"}), 5, 16, False),
        OfferFacts(3, "Senior chess", frozenset({"chess"}), 60, None, True),
        OfferFacts(4, "Music school", frozenset({"music", "singing"}), 4, 25, True),
    ]
    found = suggest_offers({"football", "running", "swimming", "chess"}, [38, 9, 3], offers)
    # chess only serves people over 60; football serves two of the wishes so it comes first
    assert [s.offer_id for s in found] == [2, 1]
    assert found[0].shared_interests == ("football", "running")
    assert found[0].fitting_ages == (9,)
