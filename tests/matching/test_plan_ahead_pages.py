"""The plan page with announced households, waiting days and the fairness marks (issues 21, 23)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.factories import make_household
from tests.matching.factories import TODAY, household, volunteer
from tests.support import csrf_token, login_as
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match


def test_the_plan_page_shows_announced_households_apart_and_approves_them_for_arrival(app, glostrup):
    arrival = TODAY + dt.timedelta(days=12)
    with app.app_context():
        municipality = glostrup.municipality
        here = household(municipality, name="Here-Haile family", registered_on=TODAY - dt.timedelta(days=40))
        coming = make_household(
            municipality,
            arrival=arrival,
            name="Coming-Tesfay family",
            languages=[("ti", "native")],
            schemes=["friend_buddy"],
            registered_on=TODAY - dt.timedelta(days=3),
            consent_on=TODAY - dt.timedelta(days=3),
        )
        volunteer(municipality, first_name="Selam", ref="V0201")
        volunteer(municipality, first_name="Yonas", ref="V0202")
        db.session.commit()
        coming_id = coming.id
        here_name = here.name
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)

    page = client.get("/matching/plan").get_data(as_text=True)  # plan ahead is the default
    announced = page[page.index('id="plan-announced"') :]
    assert "Coming-Tesfay family" in announced and "ankommer om 12 dage" in announced
    now = page[page.index('id="plan-now"') : page.index('id="plan-announced"')]
    assert here_name in now and re.search(r'class="vh-waiting-days"[^>]*>40<', now)

    today_only = client.get("/matching/plan?planlaeg=today").get_data(as_text=True)
    assert "Coming-Tesfay family" not in today_only and 'id="plan-announced"' not in today_only

    pair = {"household_id": coming_id, "volunteer_id": _planned_volunteer(page, coming_id)}
    answer = client.post(
        "/matching/plan/godkend", data={"csrf_token": csrf_token(client), **pair, "scheme": "friend_buddy"}
    )
    assert answer.status_code == 302
    followed = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Parret starter ved husstandens ankomst, {arrival.isoformat()}" in followed
    with app.app_context():
        match = db.session.execute(select(Match).where(Match.household_id == coming_id)).scalar_one()
        assert match.started_on == arrival


def _planned_volunteer(page: str, household_id: int) -> str:
    """The volunteer id in the approve form of ``household_id``'s proposed pair."""
    marker = f'name="household_id" value="{household_id}"><input type="hidden" name="volunteer_id" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_plan_ahead_keeps_places_for_expected_families_unless_the_coordinator_unticks_it(app, glostrup):
    with app.app_context():
        household(glostrup.municipality, name="Here-Haile family")
        volunteer(glostrup.municipality, first_name="Selam", ref="V0301")
        db.session.commit()
    client = app.test_client()
    login_as(client, glostrup.coordinator_login)
    box = re.compile(r'<input[^>]*id="hold"[^>]*>')

    first = client.get("/matching/plan").get_data(as_text=True)
    assert "checked" in box.search(first).group(0)  # the default: plan ahead, keeping places
    assert "hold=1" in first  # and an approval keeps the setting

    # The settings form sent without the box: the coordinator unticked it, and it stays so.
    unticked = client.get("/matching/plan?planlaeg=ahead&prioritet=best_fit").get_data(as_text=True)
    assert "checked" not in box.search(unticked).group(0)
    assert "hold=0" in unticked and "hold=1" not in unticked
    after_approval = client.get("/matching/plan?planlaeg=ahead&prioritet=best_fit&hold=0").get_data(
        as_text=True
    )
    assert "checked" not in box.search(after_approval).group(0)
