"""The first API endpoints: the caller's account, the partner organisations, the audit trail;
and the OpenAPI document that describes them."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.api.conftest import bearer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.auth.models import User
from volunteer_hub.extensions import db


def test_me_describes_the_tokens_owner(client, staff):
    partner = client.get("/api/v1/me", headers=bearer(staff.secrets["partner"])).get_json()
    assert partner == {
        "id": staff.ids["partner"],
        "name": "Test Person",
        "role": "partner_coordinator",
        "municipality_code": "0161",
        "organisation": {"id": staff.red_cross_id, "name": "Røde Kors Glostrup"},
    }
    assert client.get("/api/v1/me", headers=bearer(staff.secrets["admin"])).get_json()["organisation"] is None


def test_staff_change_their_display_name_and_the_change_is_audited_without_it(app, client, staff):
    response = client.patch(
        "/api/v1/me", json={"name": "  Anne Admin  "}, headers=bearer(staff.secrets["admin"])
    )
    assert response.status_code == 200 and response.get_json()["name"] == "Anne Admin"
    with app.app_context():
        assert db.session.get(User, staff.ids["admin"]).name == "Anne Admin"
        event = db.session.execute(
            sa.select(AuditEvent).where(AuditEvent.action == "user.name_changed")
        ).scalar_one()
        assert event.details == {} and event.object_id == staff.ids["admin"]
    for bad in ("", "   ", "Anne\nBcc: x@example.com", "A\x07", "x" * 121):
        refused = client.patch("/api/v1/me", json={"name": bad}, headers=bearer(staff.secrets["admin"]))
        assert refused.status_code == 422, bad


def test_organisations_are_the_callers_municipalitys_only(client, staff):
    names = [
        o["name"] for o in client.get("/api/v1/organisations", headers=bearer(staff.secrets["partner"])).json
    ]
    assert names == ["Dansk Flygtningehjælp Frivillignetværk Glostrup", "Røde Kors Glostrup"]
    other = client.get("/api/v1/organisations", headers=bearer(staff.secrets["other_admin"])).json
    assert [o["name"] for o in other] == ["Røde Kors Albertslund"]


def test_audit_events_for_administrators_of_the_records_municipality(client, staff):
    url = "/api/v1/audit-events?object_type=user_account&object_id={}&page_size=1"
    page = client.get(url.format(staff.ids["partner"]), headers=bearer(staff.secrets["admin"])).get_json()
    assert page["total"] == 1 and page["page"] == 1 and page["page_size"] == 1
    assert page["items"][0]["action"] == "user.created" and page["items"][0]["details"] == {
        "role": "partner_coordinator"
    }
    # Another municipality's administrator sees no history of this municipality's records.
    other = client.get(
        url.format(staff.ids["partner"]), headers=bearer(staff.secrets["other_admin"])
    ).get_json()
    assert other == {"items": [], "total": 0, "page": 1, "page_size": 1}
    beyond = client.get(
        url.format(staff.ids["partner"]) + "&page=999", headers=bearer(staff.secrets["admin"])
    )
    assert beyond.get_json()["items"] == [] and beyond.get_json()["total"] == 1
    refused = client.get(url.format(staff.ids["partner"]), headers=bearer(staff.secrets["coordinator"]))
    assert refused.status_code == 403


def test_the_openapi_document_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["security"] == [{"bearerAuth": []}]
    documented = {
        (path, method.upper())
        for path, ops in document["paths"].items()
        for method in ops
        if method != "parameters"  # path parameters, shared by the path's operations
    }
    routed = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api-docs.openapi_json"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed
    errors = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(errors) == ["application/problem+json"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert "default" in operation["responses"]


def test_a_deactivated_organisation_is_listed_as_not_active(app, client, staff):
    from volunteer_hub.tenancy.models import Organisation
    from volunteer_hub.tenancy.services import set_organisation_active

    with app.app_context():
        red_cross = db.session.execute(
            sa.select(Organisation).where(Organisation.name == "Røde Kors Glostrup")
        ).scalar_one()
        set_organisation_active(red_cross, False, actor=None)
        db.session.commit()
    listed = client.get("/api/v1/organisations", headers=bearer(staff.secrets["partner"])).json
    assert {o["name"]: o["is_active"] for o in listed} == {
        "Dansk Flygtningehjælp Frivillignetværk Glostrup": True,
        "Røde Kors Glostrup": False,
    }
