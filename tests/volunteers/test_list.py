"""The coordinator's volunteer list: filters, search, pagination, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.factories import make_municipality, make_organisation, make_volunteer
from tests.support import login_as, recorded_statements
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db
from volunteer_hub.volunteers.models import ChildCertificateState, VolunteerStatus


def _rows(html: str) -> list[str]:
    return re.findall(r'<a href="/frivillige/\d+">([^<]+)</a>', html)


@pytest.fixture
def coordinator_client(client, glostrup):
    """The client, with Glostrup's coordinator signed in."""
    login_as(client, glostrup.coordinator_login)
    return client


def _seed(app, n: int) -> None:
    with app.app_context():
        municipality = make_municipality()
        organisations = [make_organisation(municipality, f"Forening {i}") for i in range(3)]
        for i in range(n):
            make_volunteer(
                municipality,
                organisation=organisations[i % 3],
                first_name=f"Person{i:03d}",
                languages={"da": "native", "ar": "basic", "en": "fluent"},
                schemes=["family_buddy", "leisure_intro"],
                skills=["homework_help", "cooking"],
                status=VolunteerStatus.APPROVED,
            )
        db.session.commit()


def test_query_count_is_equal_for_5_and_50_volunteers(app, coordinator_client):
    counts = []
    for n, shown in ((5, 5), (45, 25)):  # 5 volunteers, then 50 in total (a full page of 25)
        _seed(app, n)
        coordinator_client.get("/frivillige")  # warm up: the signed-in user, the CSRF session
        with recorded_statements(app) as plain:
            response = coordinator_client.get("/frivillige")
        assert len(_rows(response.get_data(as_text=True))) == shown
        with recorded_statements(app) as filtered:
            response = coordinator_client.get("/frivillige?scheme=family_buddy&language=ar&skill=cooking")
        assert len(_rows(response.get_data(as_text=True))) == shown
        counts.append((len(plain), len(filtered)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 8, counts  # user, count, page, languages, attributes, organisations


def test_filters_narrow_the_list(app, coordinator_client):
    with app.app_context():
        municipality = make_municipality()
        red_cross = make_organisation(municipality, "Røde Kors Glostrup")
        make_volunteer(
            municipality,
            first_name="Tigist",
            languages={"ti": "native", "da": "fluent"},
            schemes=["child_culture"],
            status=VolunteerStatus.APPROVED,
            organisation=red_cross,
            child_certificate_state=ChildCertificateState.RECEIVED_OK,
            child_certificate_received_on=dt.date(2026, 1, 5),
        )
        make_volunteer(
            municipality,
            first_name="Bo",
            skills=["bike_repair"],
            availability=["weekday_evening"],
            status=VolunteerStatus.PAUSED,
        )
        make_volunteer(municipality, first_name="Carla", email="carla.cykel@example.dk")
        db.session.commit()
        red_cross_id = red_cross.id

    def names(query: str) -> list[str]:
        return [
            n.strip() for n in _rows(coordinator_client.get(f"/frivillige?{query}").get_data(as_text=True))
        ]

    assert names("language=ti") == ["Tigist Jensen"]
    assert names("scheme=child_culture") == ["Tigist Jensen"]
    assert names("certificate=received_ok") == ["Tigist Jensen"]
    assert names(f"organisation={red_cross_id}") == ["Tigist Jensen"]
    assert sorted(names("organisation=none")) == ["Bo Jensen", "Carla Jensen"]
    assert names("status=paused") == ["Bo Jensen"]
    assert names("skill=bike_repair") == ["Bo Jensen"]
    assert names("availability=weekday_evening") == ["Bo Jensen"]
    assert names("q=cykel") == ["Carla Jensen"]  # by e-mail
    assert names("q=tigist+jensen") == ["Tigist Jensen"]  # by full name
    assert names("q=100%25") == []  # a LIKE wildcard is searched for literally


def test_list_is_paginated(app, coordinator_client):
    _seed(app, 30)
    first = _rows(coordinator_client.get("/frivillige").get_data(as_text=True))
    second_page = coordinator_client.get("/frivillige?side=2").get_data(as_text=True)
    second = _rows(second_page)
    assert len(first) == 25 and len(second) == 5
    assert not set(first) & set(second)
    assert "Side 2 af 2" in second_page or "Page 2 of 2" in second_page


def test_erased_volunteers_are_not_listed(app, coordinator_client):
    with app.app_context():
        from volunteer_hub.volunteers.privacy import erase_volunteer

        volunteer = make_volunteer(make_municipality(), first_name="Ellen", with_account=True)
        erase_volunteer(volunteer, db.session.get(User, volunteer.user_id))
        db.session.commit()
    assert _rows(coordinator_client.get("/frivillige").get_data(as_text=True)) == []


@pytest.mark.parametrize(
    "query",
    ["organisation=99999999999999999999", "organisation=²", "side=²", "side=99999999999999999999"],
)
def test_filter_and_page_values_no_column_can_hold_are_not_an_error(app, coordinator_client, query):
    """An organisation id past the INTEGER range matches nobody; a page that is no number is page 1."""
    _seed(app, 3)
    response = coordinator_client.get(f"/frivillige?{query}")
    assert response.status_code == 200
    expected = 0 if query.startswith("organisation") else 3
    assert len(_rows(response.get_data(as_text=True))) == expected
