"""Issue 18, finding 10: new passwords are not among the most common or trivially repetitive, and a
successful reset ends every other reset link of the account.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_municipality, make_user
from tests.security.test_auth_links_at_rest import _profile
from tests.support import csrf_token
from volunteer_hub.auth import services
from volunteer_hub.auth.models import User
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.volunteers import signup
from volunteer_hub.volunteers.services import Consents, VolunteerError

WEAK = ["aaaaaaaaaaaa", "abcabcabcabc", "123456789012", "password1234", "qwerty123456", "iloveyou2026!"]


def _links(app, count: int) -> tuple[int, list[str]]:
    tokens: list[str] = []
    with app.app_context():
        user = make_user(make_municipality(), Role.MUNICIPAL_COORDINATOR, email="mette@glostrup.dk")
        for _ in range(count):
            services.issue_password_link(user, lambda token: tokens.append(token) or token, "password_reset")
        db.session.commit()
        return user.id, tokens


def _reset(client, token: str, password: str):
    path = f"/password/reset/{token}"
    form = {"csrf_token": csrf_token(client, path), "password": password, "confirm": password}
    return client.post(path, data=form)


@pytest.mark.parametrize("weak", WEAK)
def test_a_reset_refuses_a_common_or_repetitive_password(app, client, weak):
    user_id, [token] = _links(app, 1)
    answer = _reset(client, token, weak)
    assert answer.status_code == 400
    assert "sværere at gætte" in answer.get_data(as_text=True)
    with app.app_context():
        assert services.check_password(db.session.get(User, user_id), PASSWORD)


def test_a_successful_reset_ends_every_other_reset_link(app, client):
    _user_id, tokens = _links(app, 3)
    assert _reset(client, tokens[1], "a long and rare passphrase").status_code == 302
    for other in (tokens[0], tokens[2]):
        assert client.get(f"/password/reset/{other}").status_code == 404


@pytest.mark.parametrize("weak", WEAK)
def test_a_volunteer_cannot_choose_a_common_or_repetitive_password(app, weak):
    with app.app_context():
        profile = _profile()
        volunteer = signup.submit_registration(
            make_municipality(), "maja@example.dk", profile, Consents(True, True, True)
        )
        with pytest.raises(VolunteerError, match="sværere at gætte|harder to guess"):
            signup.verify_email(volunteer, weak)
        assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == 0
        db.session.rollback()


def test_a_long_uncommon_password_is_accepted(app, client):
    _user_id, [token] = _links(app, 1)
    assert _reset(client, token, "Glostrup station at 7 in the rain").status_code == 302
