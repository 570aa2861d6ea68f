"""A deactivated organisation keeps its history and takes no new volunteers: not by import, not
by a volunteer's own profile, while its volunteers stay in it (issue 19)."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_user, make_volunteer
from tests.support import Login, login_as
from tests.volunteers.test_import import ROWS, run_import, write_csv
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.services import set_organisation_active
from volunteer_hub.volunteers.models import Volunteer

VENLIGBOERNE = "Venligboerne Glostrup"  # ROWS[2]'s organisation


def _deactivate(app, glostrup, name: str) -> int:
    from volunteer_hub.tenancy.services import ensure_organisation

    with app.app_context():
        organisation = ensure_organisation(glostrup.municipality, name)
        set_organisation_active(organisation, False, actor=None)
        db.session.commit()
        return organisation.id


def test_an_import_adds_no_new_volunteer_to_a_deactivated_organisation(app, tmp_path, glostrup):
    _deactivate(app, glostrup, VENLIGBOERNE)
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS))
    assert code == 1
    assert f"row 4, column organisation: {VENLIGBOERNE} is deactivated" in output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Volunteer)) == 0


def test_a_volunteer_already_there_is_updated_by_import_and_stays(app, tmp_path, glostrup):
    assert run_import(app, write_csv(tmp_path / "v.csv", ROWS))[0] == 0
    organisation_id = _deactivate(app, glostrup, VENLIGBOERNE)
    code, output = run_import(app, write_csv(tmp_path / "v.csv", ROWS))
    assert code == 0, output
    with app.app_context():
        olena = db.session.execute(sa.select(Volunteer).where(Volunteer.ref == "V0003")).scalar_one()
        assert olena.organisation_id == organisation_id


def test_the_profile_offers_a_deactivated_organisation_only_to_its_own_volunteers(app, client, glostrup):
    organisation_id = _deactivate(app, glostrup, "Lukket Forening")
    with app.app_context():
        outsider = make_volunteer(glostrup.municipality, first_name="Outsider")
        outsider.user_id = make_user(glostrup.municipality, Role.VOLUNTEER).id
        member = make_volunteer(glostrup.municipality, first_name="Member")
        member.organisation_id = organisation_id
        member.user_id = make_user(glostrup.municipality, Role.VOLUNTEER).id
        db.session.commit()
        logins = {v.first_name: Login(v.user) for v in (outsider, member)}
    login_as(client, logins["Outsider"])
    assert "Lukket Forening" not in client.get("/min-side/profil").get_data(as_text=True)
    login_as(client, logins["Member"])
    assert "Lukket Forening" in client.get("/min-side/profil").get_data(as_text=True)
