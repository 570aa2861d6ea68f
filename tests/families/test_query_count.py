"""The dashboard and the case list issue the same number of SQL queries for 3 and 30 households."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from sqlalchemy import event

from tests.families.support import Login, adult, make_household
from tests.support import login_as, make_municipality, make_user
from volunteer_hub.auth.models import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.dates import local_today
from volunteer_hub.families.models import (
    HousingSector,
    HousingStatus,
    InternshipStatus,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.families.services.housing import HousingData, update_housing
from volunteer_hub.families.services.members import DanishClassData, InternshipData, update_adult
from volunteer_hub.families.services.reception import StepData, offer_health_check, update_reception_checklist
from volunteer_hub.families.services.registers import SharedUnitData, save_shared_unit, set_shared_unit_flag


def _add_households(glostrup, start: int, count: int, unit) -> None:
    today = local_today()
    for n in range(start, start + count):
        arrival = today - dt.timedelta(days=n % 20)
        household = make_household(
            glostrup,
            name=f"Family {n}",
            arrival=arrival,
            adults=2,
            children_birth_years=(today.year - 4, today.year - 12),
        )
        db.session.flush()
        version = lambda h=household: h.version_id  # noqa: E731
        update_reception_checklist(
            household,
            {ReceptionStepKind.GUIDED_TOUR: StepData(arrival)},
            expected_version=version(),
            actor=None,
        )
        offer_health_check(household, arrival, expected_version=version(), actor=None)
        update_housing(
            household,
            HousingData(
                HousingStatus.TEMPORARY,
                HousingSector.SHARED_HOUSING,
                "Vej 1",
                arrival,
                shared_unit_id=unit.id,
            ),
            expected_version=version(),
            actor=None,
        )
        first = household.adults[0]
        update_adult(
            household,
            first,
            adult(first.name, first.arrival_on),
            internship=InternshipData("Plejecenter", WorkSector.CARE, arrival, InternshipStatus.OFFERED),
            danish=DanishClassData("Sprogcenter", 1, 2, start_on=arrival - dt.timedelta(days=1)),
            expected_version=version(),
            actor=None,
        )
    db.session.commit()


@contextmanager
def counting_queries(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries(app, client, path: str) -> tuple[int, str]:
    with app.app_context():
        engine = db.engine
    with counting_queries(engine) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_dashboard_and_case_list_query_counts_do_not_grow_with_households(app, client):
    with app.app_context():
        glostrup = make_municipality()
        coordinator = Login(make_user(glostrup, Role.MUNICIPAL_COORDINATOR))
        unit = save_shared_unit(
            None, SharedUnitData("Bofællesskabet"), municipality_id=glostrup.id, actor=None
        )
        set_shared_unit_flag(unit, True, today=local_today(), actor=None)
        _add_households(glostrup, 1, 3, unit)
    login_as(client, coordinator)
    few = {
        path: _queries(app, client, path)
        for path in ("/", "/familier/", "/familier/?vis=warnings&sorter=name")
    }
    with app.app_context():
        _add_households(make_municipality(), 4, 27, _unit())
    many = {path: _queries(app, client, path) for path in few}
    for path in few:
        assert few[path][0] == many[path][0], (path, few[path][0], many[path][0])
        print(f"{path}: {many[path][0]} queries for 3 and for 30 households")
        if path == "/":  # the dashboard: the most urgent rows of each list, and how many there are
            assert "af 30 vises" in many[path][1] and "vises" not in few[path][1]
        else:
            assert "Family 30" in many[path][1] and "Family 30" not in few[path][1]
    # the dashboard shows the first 10 of the 30 housing warnings; the case list shows them all
    # the dashboard shows the first 10 of the 60 housing warnings (two per household) and of the 30
    # Danish-without-work warnings; the case list shows every household with a warning
    assert "De første 10 af 60 vises." in many["/"][1] and "De første 10 af 30 vises." in many["/"][1]
    assert "De første 10 af 30 vises." in many["/"][1]
    assert many["/familier/?vis=warnings&sorter=name"][1].count("Family ") >= 30


def _unit():
    from sqlalchemy import select

    from volunteer_hub.families.models import SharedUnit

    return db.session.execute(select(SharedUnit)).scalar_one()
