"""The case list at scale: 50 households a page, the search and filters kept across pages."""

from __future__ import annotations

import datetime as dt
import re

from tests.factories import make_household, make_municipality, make_user
from tests.support import Login, login_as
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/familier/\d+">(Family \d+)</a>', page)


def test_the_case_list_shows_50_households_a_page_and_keeps_its_filters(app, client):
    with app.app_context():
        glostrup = make_municipality()
        coordinator = Login(make_user(glostrup, Role.MUNICIPAL_COORDINATOR))
        today = local_today()
        for n in range(60):
            make_household(glostrup, name=f"Family {n:02d}", arrival=today - dt.timedelta(days=n))
        db.session.commit()
    login_as(client, coordinator)
    first = client.get("/familier/?q=Family&sorter=name").get_data(as_text=True)
    assert "60 husstande" in first and _names(first) == [f"Family {n:02d}" for n in range(50)]
    assert "Side 1 af 2" in first and "side=2" in first and "q=Family" in first and "sorter=name" in first
    second = client.get("/familier/?q=Family&sorter=name&side=2").get_data(as_text=True)
    assert _names(second) == [f"Family {n:02d}" for n in range(50, 60)]
    past_the_end = client.get("/familier/?q=Family&sorter=name&side=9").get_data(as_text=True)
    assert _names(past_the_end) == _names(second)  # the last page, as the other lists do
    assert _names(client.get("/familier/?q=Family&sorter=name&side=abc").get_data(as_text=True)) == _names(
        first
    )


def test_a_new_household_is_in_the_list_at_once(app, client):
    """The list's rows are kept per data version: registering a household shows it immediately."""
    with app.app_context():
        glostrup = make_municipality()
        coordinator = Login(make_user(glostrup, Role.MUNICIPAL_COORDINATOR))
        make_household(glostrup, name="Family 01", arrival=local_today())
        db.session.commit()
    login_as(client, coordinator)
    assert _names(client.get("/familier/").get_data(as_text=True)) == ["Family 01"]
    with app.app_context():
        make_household(make_municipality(), name="Family 02", arrival=local_today())
        db.session.commit()
    assert sorted(_names(client.get("/familier/?sorter=name").get_data(as_text=True))) == [
        "Family 01",
        "Family 02",
    ]
