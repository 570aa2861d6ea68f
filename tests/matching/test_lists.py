"""The match list pages in SQL (50 a page) and the manual match form finds its volunteer by number
or name instead of listing every volunteer of the municipality."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.factories import make_match, make_municipality, make_user
from tests.families.test_query_count import counting_queries
from tests.matching.factories import household, volunteer
from tests.support import Login, csrf_token, login_as
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.matching.models import Match, MatchSource, MatchStatus
from volunteer_hub.matching.queries import PER_PAGE

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _matches(municipality, count, *, organisation=None, status=MatchStatus.ACTIVE, start=0):
    """``count`` matches of as many volunteers with one household, the n-th proposed n minutes in."""
    h = household(municipality)
    for n in range(start, start + count):
        v = volunteer(municipality, organisation=organisation, first_name=f"Vol{n:03d}", last_name="Listed")
        make_match(
            h,
            v,
            scheme="friend_buddy",
            status=status,
            started_on=dt.date(2026, 1, 10) if status != MatchStatus.PROPOSED else None,
            proposed_at=START + dt.timedelta(minutes=n),
        )


def _rows(html):
    return re.findall(r"Vol(\d{3}) Listed", html)


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def test_the_match_list_shows_fifty_a_page_and_keeps_the_status_in_the_page_links(app, glostrup):
    coordinator = glostrup.coordinator_login
    with app.app_context():
        municipality = glostrup.municipality
        _matches(municipality, 60)
        _matches(municipality, 3, status=MatchStatus.PROPOSED, start=100)
        db.session.commit()
    client = _client(app, coordinator)
    first = client.get("/matching/?status=active").get_data(as_text=True)
    assert PER_PAGE == 50 and len(_rows(first)) == 50
    assert _rows(first)[0] == "059" and "60 match" in first  # newest first, the total shown
    assert "Side 1 af 2" in first and "/matching/?side=2&amp;status=active" in first
    second = client.get("/matching/?status=active&side=2").get_data(as_text=True)
    assert sorted(_rows(second)) == [f"{n:03d}" for n in range(10)]
    assert "Side 2 af 2" in second and "/matching/?side=1&amp;status=active" in second
    everything = client.get("/matching/?status=all").get_data(as_text=True)
    assert "63 match" in everything
    open_ = client.get("/matching/").get_data(as_text=True)  # open by default: active and proposed
    assert "63 match" in open_ and "side=2&amp;status=open" in open_


@pytest.mark.parametrize("side", ["99", "0", "-1", "abc", "²", "99999999999999999999"])
def test_a_page_past_the_end_or_malformed_shows_a_page_not_an_error(app, glostrup, side):
    coordinator = glostrup.coordinator_login
    with app.app_context():
        municipality = glostrup.municipality
        _matches(municipality, 55)
        db.session.commit()
    response = _client(app, coordinator).get(f"/matching/?side={side}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = 5 if side == "99" else 50  # past the end: the last page; malformed: the first
    assert len(_rows(html)) == expected


def test_the_match_list_issues_the_same_queries_for_5_and_120_matches(app, glostrup):
    coordinator = glostrup.coordinator_login
    with app.app_context():
        municipality = glostrup.municipality
        _matches(municipality, 5)
        db.session.commit()
        engine = db.engine
    client = _client(app, coordinator)

    def count(path):
        with counting_queries(engine) as statements:
            response = client.get(path)
        assert response.status_code == 200
        return len(statements)

    few = count("/matching/?status=all")
    with app.app_context():
        _matches(glostrup.municipality, 115, start=5)
        db.session.commit()
    assert count("/matching/?status=all") == few
    assert count("/matching/?status=all&side=3") == few


def test_a_partner_coordinator_sees_only_their_volunteers_matches_on_every_page(app, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        red_cross = glostrup.red_cross
        partner = Login(make_user(municipality, Role.PARTNER_COORDINATOR, organisation=red_cross))
        _matches(municipality, 55, organisation=red_cross)
        _matches(municipality, 30, organisation=glostrup.refugee_council, start=100)
        _matches(municipality, 5, start=200)  # independent volunteers
        db.session.commit()
    client = _client(app, partner)
    first = client.get("/matching/").get_data(as_text=True)
    second = client.get("/matching/?side=2").get_data(as_text=True)
    assert "55 match" in first and "Side 1 af 2" in first
    shown = _rows(first) + _rows(second)
    assert sorted(shown) == [f"{n:03d}" for n in range(55)]  # only Red Cross's, each once


# --- the manual match form ---------------------------------------------------------------------


@pytest.fixture
def manual(app, glostrup):
    coordinator = glostrup.coordinator_login
    with app.app_context():
        municipality = glostrup.municipality
        h = household(municipality, name="Manual-Haile family")
        senait = volunteer(municipality, first_name="Senait", last_name="Tesfay", ref="V0101")
        anna = volunteer(municipality, first_name="Anna", last_name="Berg", ref="V0102")
        annette = volunteer(municipality, first_name="Annette", last_name="Holm", ref="V0103")
        albertslund = make_municipality("0165", "Albertslund Kommune")
        volunteer(albertslund, first_name="Zebulon", last_name="Other", ref="V0104")
        db.session.commit()
        ids = {"household": h.id, "senait": senait.id, "anna": anna.id, "annette": annette.id}
    client = _client(app, coordinator)
    return client, f"/familier/{ids['household']}/manuel", ids


def _post(client, url, **fields):
    return client.post(url, data={"csrf_token": csrf_token(client, url), "scheme": "friend_buddy", **fields})


def _match_count():
    return db.session.execute(select(func.count()).select_from(Match)).scalar()


def test_the_manual_form_has_a_text_field_not_a_list_of_every_volunteer(manual):
    client, url, _ = manual
    html = client.get(url).get_data(as_text=True)
    assert '<select class="form-select" id="volunteer"' not in html and "Senait" not in html
    assert 'type="text"' in html and 'id="volunteer"' in html
    assert "Den frivilliges nummer eller navn" in html and 'aria-describedby="volunteer-hint"' in html


def test_the_manual_form_matches_the_volunteer_named_by_number_in_any_case(app, manual):
    client, url, ids = manual
    response = _post(client, url, volunteer=" v0101 ")
    assert response.status_code == 302 and "/matching/" in response.headers["Location"]
    with app.app_context():
        match = db.session.execute(select(Match)).scalar_one()
        assert match.volunteer_id == ids["senait"] and match.household_id == ids["household"]
        assert match.status == MatchStatus.APPROVED and match.source == MatchSource.MANUAL


def test_the_manual_form_matches_the_one_volunteer_named(app, manual):
    client, url, ids = manual
    assert _post(client, url, volunteer="senait tesfay").status_code == 302
    with app.app_context():
        assert db.session.execute(select(Match.volunteer_id)).scalar_one() == ids["senait"]


def test_the_manual_form_lets_the_user_choose_when_several_match(app, manual):
    client, url, ids = manual
    response = _post(client, url, volunteer="Ann")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Flere frivillige passer" in html and 'href="#chosen"' in html  # in the error summary
    assert f'id="chosen" name="chosen" value="{ids["anna"]}"' in html
    assert f'value="{ids["annette"]}"' in html and "Annette Holm (V0103)" in html
    assert 'aria-describedby="chosen-error"' in html and 'value="Ann"' in html
    with app.app_context():
        assert _match_count() == 0
    chosen = _post(client, url, volunteer="Ann", chosen=str(ids["annette"]))
    assert chosen.status_code == 302
    with app.app_context():
        assert db.session.execute(select(Match.volunteer_id)).scalar_one() == ids["annette"]


def test_a_chosen_id_outside_the_candidates_picks_nobody(app, manual):
    client, url, ids = manual
    response = _post(client, url, volunteer="Ann", chosen=str(ids["senait"]))  # Senait is not an "Ann"
    assert response.status_code == 400 and "Flere frivillige passer" in response.get_data(as_text=True)
    with app.app_context():
        assert _match_count() == 0


@pytest.mark.parametrize("text", ["Zebulon", "V0104", "V9999"])
def test_the_manual_form_says_clearly_when_nobody_matches(app, manual, text):
    client, url, _ = manual
    response = _post(client, url, volunteer=text)  # another municipality's volunteer is nobody here
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ingen frivillig har det nummer eller navn." in html and 'href="#volunteer"' in html
    assert 'aria-describedby="volunteer-hint volunteer-error"' in html and 'aria-invalid="true"' in html
    with app.app_context():
        assert _match_count() == 0


def test_the_manual_form_still_needs_a_volunteer_and_a_valid_token(app, manual):
    client, url, _ = manual
    empty = _post(client, url, volunteer="")
    assert empty.status_code == 400
    assert "Skriv den frivilliges nummer eller navn." in empty.get_data(as_text=True)
    no_token = client.post(url, data={"volunteer": "V0101", "scheme": "friend_buddy"})
    assert no_token.status_code == 400
    with app.app_context():
        assert _match_count() == 0


def test_the_candidates_are_offered_at_once_when_the_form_fails_for_another_reason(app, manual):
    """No scheme chosen and a name that fits two volunteers: both errors on the first answer,
    and a choice made from the list stays made while the other error is fixed."""
    client, url, ids = manual
    form = {"csrf_token": csrf_token(client, url), "volunteer": "Ann", "scheme": ""}
    html = client.post(url, data=form).get_data(as_text=True)
    assert "Flere frivillige passer" in html and "Annette Holm (V0103)" in html
    assert 'href="#scheme"' in html  # the scheme's error is there too
    html = client.post(url, data={**form, "chosen": str(ids["annette"])}).get_data(as_text=True)
    assert "Flere frivillige passer" not in html and 'href="#scheme"' in html
    assert f'name="chosen" value="{ids["annette"]}" checked>' in html
    assert f'name="chosen" value="{ids["anna"]}">' in html
    with app.app_context():
        assert _match_count() == 0
    assert _post(client, url, volunteer="Ann", chosen=str(ids["annette"])).status_code == 302
