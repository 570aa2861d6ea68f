"""Issue 20, item 9: Ukrainian families under the special act (særloven) are not recorded as asylum."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import adult, household_data
from tests.support import login_as
from volunteer_hub.extensions import db
from volunteer_hub.families.models import ArrivalRoute, Household, Member
from volunteer_hub.families.services.households import create_household

COLUMNS = "ref name contact_name postcode arrival_on languages adults children_ages schemes consent_on"
COLUMNS += " arrival_route"
HEADER = ",".join(COLUMNS.split())


def _import(app, tmp_path, *rows: str):
    path = tmp_path / "families.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import", "families", str(path)])


def test_import_records_the_temporary_protection_route_for_every_member(app, tmp_path, glostrup):
    result = _import(
        app,
        tmp_path,
        "F0101,Kovalenko family,Olena Kovalenko,2600,2026-10-01,uk:native,2,6,family_buddy,2026-10-02,"
        "temporary_protection",
        "F0102,Haile family,Senait Haile,2600,2026-10-01,ti:native,1,,family_buddy,2026-10-02,",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        routes = {
            ref: {m.arrival_route for m in members}
            for ref, members in (
                (h.ref, h.members)
                for h in db.session.execute(select(Household).execution_options(all_tenants=True)).scalars()
            )
        }
    assert routes == {"F0101": {ArrivalRoute.TEMPORARY_PROTECTION}, "F0102": {ArrivalRoute.ASYLUM}}


def test_import_refuses_an_unknown_route_and_writes_nothing(app, tmp_path, glostrup):
    result = _import(
        app,
        tmp_path,
        "F0103,Test family,Test Person,2600,2026-10-01,uk:native,1,,family_buddy,2026-10-02,refugee",
    )
    assert (
        result.exit_code == 1 and "arrival_route" in result.output and "temporary_protection" in result.output
    )
    with app.app_context():
        assert db.session.execute(select(Member).execution_options(all_tenants=True)).first() is None


def test_case_page_and_member_form_name_the_special_act_route_in_danish(app, glostrup):
    with app.app_context():
        household = create_household(
            glostrup.municipality.id,
            household_data(name="Kovalenko family", languages=[("uk", "native")]),
            [adult("Olena Kovalenko", glostrup_arrival(), route=ArrivalRoute.TEMPORARY_PROTECTION)],
            actor=None,
        )
        db.session.commit()
        household_id = household.id
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    page = client.get(f"/familier/{household_id}").get_data(as_text=True)
    assert "Midlertidig opholdstilladelse (særloven for Ukraine)" in page and "Asyl" not in page


def glostrup_arrival():
    import datetime as dt

    return dt.date(2026, 11, 1)
