"""Optimistic locking on PostgreSQL: of two coordinators saving the same case, the second is refused."""

from __future__ import annotations

import threading
import time

import pytest

from tests.factories import household_data, make_household, make_municipality
from volunteer_hub.extensions import db
from volunteer_hub.families.locking import StaleCaseError, saving_case
from volunteer_hub.families.models import Household, HousingStatus
from volunteer_hub.families.services.households import update_household
from volunteer_hub.families.services.housing import HousingData, update_housing

pytestmark = pytest.mark.pg_only


def _new_case(app) -> int:
    with app.app_context():
        household = make_household(make_municipality())
        db.session.commit()
        return household.id


def _save_name(household: Household, name: str, version: int) -> None:
    with saving_case():
        update_household(household, household_data(name=name), expected_version=version, actor=None)
    db.session.commit()  # as the request does once it has answered


def test_two_sessions_load_the_same_case_and_the_second_save_is_refused(pg_app):
    household_id = _new_case(pg_app)
    with pg_app.app_context():  # coordinator A opens the case
        mine = db.session.get(Household, household_id)
        my_version = mine.version_id
        with pg_app.app_context():  # coordinator B opens it too, and saves first
            theirs = db.session.get(Household, household_id)
            assert theirs.version_id == my_version
            _save_name(theirs, "Saved by B", theirs.version_id)
        # A's form carries the version A loaded, which is also what A's session still holds:
        # only the database can tell that B got there first.
        with pytest.raises(StaleCaseError) as refused:
            _save_name(mine, "Saved by A", my_version)
        assert "Nogen har gemt ændringer i sagen" in str(refused.value)
    with pg_app.app_context():
        stored = db.session.get(Household, household_id)
        assert stored.name == "Saved by B"
        assert stored.version_id == my_version + 1


def test_a_save_racing_another_on_the_same_row_waits_and_is_then_refused(pg_app):
    household_id = _new_case(pg_app)
    both_loaded = threading.Barrier(2, timeout=10)
    a_flushed = threading.Event()
    outcome: dict[str, object] = {}

    def coordinator_a() -> None:
        with pg_app.app_context():
            household = db.session.get(Household, household_id)
            version = household.version_id
            both_loaded.wait()
            update_household(
                household, household_data(name="Saved by A"), expected_version=version, actor=None
            )
            a_flushed.set()  # A now holds the row lock, uncommitted
            time.sleep(0.5)  # B's UPDATE is blocked meanwhile
            db.session.commit()
            outcome["a"] = "saved"

    def coordinator_b() -> None:
        with pg_app.app_context():
            household = db.session.get(Household, household_id)
            version = household.version_id
            both_loaded.wait()
            a_flushed.wait(timeout=10)
            try:
                with saving_case():
                    update_housing(
                        household, HousingData(HousingStatus.SEARCHING), expected_version=version, actor=None
                    )
                outcome["b"] = "saved"
            except StaleCaseError:
                outcome["b"] = "refused"

    threads = [threading.Thread(target=coordinator_a), threading.Thread(target=coordinator_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert outcome == {"a": "saved", "b": "refused"}
    with pg_app.app_context():
        stored = db.session.get(Household, household_id)
        assert stored.name == "Saved by A"
        assert stored.housing is None  # B's housing change was rolled back, not half-applied
