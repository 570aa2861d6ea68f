"""The dashboard and the case list issue the same number of SQL queries for 10 and 1,000 households."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from sqlalchemy import event

from tests.factories import adult, make_household, make_municipality, make_user
from tests.support import Login, login_as
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.models import (
    ArrivalRoute,
    DanishClass,
    Household,
    HouseholdScheme,
    Housing,
    HousingSector,
    HousingStatus,
    InternshipOffer,
    InternshipStatus,
    Member,
    MemberKind,
    ReceptionStepKind,
    WorkSector,
)
from volunteer_hub.families.services.housing import HousingData, update_housing
from volunteer_hub.families.services.members import DanishClassData, InternshipData, update_adult
from volunteer_hub.families.services.reception import StepData, offer_health_check, update_reception_checklist
from volunteer_hub.families.services.registers import SharedUnitData, save_shared_unit, set_shared_unit_flag


def _bulk_households(municipality_id: int, start: int, count: int, unit_id: int) -> None:
    """``_add_households``' cases written as rows at once (the services would take minutes)."""
    today = local_today()
    households = []
    for n in range(start, start + count):
        households.append(
            Household(
                municipality_id=municipality_id,
                ref=f"B{n:05d}",
                name=f"Family {n}",
                contact_name="Senait Haile",
                postcode="2600",
                letter_language="ti",
                registered_on=today,
                consent_on=today,
                version_id=1,
                schemes=[HouseholdScheme(scheme="family_buddy")],
                housing=Housing(
                    sector=HousingSector.SHARED_HOUSING,
                    status=HousingStatus.TEMPORARY,
                    found_on=today,
                    shared_unit_id=unit_id,
                ),
                members=[
                    Member(
                        kind=MemberKind.ADULT,
                        name=name,
                        birth_year=1988,
                        arrival_on=today - dt.timedelta(days=n % 20),
                        arrival_route=ArrivalRoute.ASYLUM,
                    )
                    for name in ("Senait Haile", "Adult 2")
                ]
                + [
                    Member(
                        kind=MemberKind.CHILD,
                        name=f"Child {k}",
                        birth_year=today.year - age,
                        arrival_on=today - dt.timedelta(days=n % 20),
                        arrival_route=ArrivalRoute.ASYLUM,
                    )
                    for k, age in ((1, 4), (2, 12))
                ],
            )
        )
    db.session.add_all(households)
    db.session.flush()
    for household in households:
        first = household.members[0]
        first.internship = InternshipOffer(
            workplace_name="Plejecenter",
            sector=WorkSector.CARE,
            offered_on=first.arrival_on,
            status=InternshipStatus.OFFERED,
        )
        first.danish_class = DanishClass(
            language_school="Sprogcenter",
            programme=1,
            module=2,
            start_on=first.arrival_on - dt.timedelta(days=1),
        )
    db.session.commit()


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
    # The reads: the audit events the views write for the cases they show are counted by the audit's tests.
    reads = [s for s in statements if not s.startswith("INSERT INTO audit_event")]
    return len(reads), response.get_data(as_text=True), reads


def test_dashboard_and_case_list_query_counts_do_not_grow_with_households(app, client):
    with app.app_context():
        glostrup = make_municipality()
        coordinator = Login(make_user(glostrup, Role.MUNICIPAL_COORDINATOR))
        unit = save_shared_unit(
            None, SharedUnitData("Bofællesskabet"), municipality_id=glostrup.id, actor=None
        )
        set_shared_unit_flag(unit, True, today=local_today(), actor=None)
        _add_households(glostrup, 1, 10, unit)
    login_as(client, coordinator)
    few = {
        path: _queries(app, client, path)
        for path in (
            "/",
            "/familier/",
            "/familier/?vis=warnings&sorter=name",
            "/familier/?q=family&sorter=arrival",
            "/familier/?vis=waiting&sorter=registered",
        )
    }
    with app.app_context():
        _bulk_households(make_municipality().id, 11, 990, _unit().id)
    many = {path: _queries(app, client, path) for path in few}
    for path in few:
        assert few[path][0] == many[path][0], (path, few[path][0], many[path][0])
        print(f"{path}: {many[path][0]} queries for 10 and for 1,000 households")
    # the dashboard shows the first 10 of each list, and how many there are: 2,000 housing
    # warnings (two per household), 1,000 Danish-without-work warnings
    assert "De første 10 af 2000 vises." in many["/"][1] and "De første 10 af 1000 vises." in many["/"][1]
    assert "De første 10 af 20 vises." in few["/"][1] and "af 1000 vises" not in few["/"][1]
    assert "1000 husstande" in many["/familier/?vis=waiting&sorter=registered"][1]
    assert "1000 husstande" in many["/familier/?vis=warnings&sorter=name"][1]
    assert many["/familier/?vis=warnings&sorter=name"][1].count('<a href="/familier/') >= 50


def _unit():
    from sqlalchemy import select

    from volunteer_hub.families.models import SharedUnit

    return db.session.execute(select(SharedUnit)).scalar_one()
