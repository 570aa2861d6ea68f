"""The report page, its downloads and finalising: who sees what, and finalised figures stay put."""

from __future__ import annotations

import dataclasses
import html
import re
import time
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_municipality, make_organisation, make_user
from tests.reports.dataset import RK
from tests.support import csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.reports.data import StatusChange, VolunteerFact
from volunteer_hub.reports.models import FinalisedReport
from volunteer_hub.reports.periods import Quarter
from volunteer_hub.reports.provider import today_in_denmark
from volunteer_hub.tenancy.models import Organisation

Q3 = "/reports/quarterly?year=2026&quarter=3"


def _signed_in(app, client, role, organisation_id=None):
    """A new user of Glostrup with ``role``, signed in on ``client``."""
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
        user = make_user(make_municipality(), role, organisation=organisation)
        db.session.commit()
        login_as(client, user)
    with client.session_transaction() as session:
        # Signed in a while ago: not idle, but too long ago for exports without confirming.
        session["vh_auth_at"] = int(time.time()) - app.config["REAUTH_MAX_AGE_SECONDS"] - 1


def _fresh_authentication(client):
    with client.session_transaction() as session:
        session["vh_auth_at"] = int(time.time())


def _table(page: str, table_id: str) -> list[list[str]]:
    body = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row] for row in cells]


def test_municipal_coordinator_sees_the_whole_municipality_with_charts_beside_tables(app, client, glostrup):
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    response = client.get(Q3)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert glostrup.provider.calls[-1][1:] == (date(2026, 4, 1), date(2026, 9, 30), None)
    assert _table(html, "matches-table")[1] == ["Følg en familie", "2", "2", "1"]
    assert _table(html, "volunteers-table")[1] == ["Frivillige registreret", "1", "3"]
    assert ["Tigrinya", "3", "1"] in _table(html, "language-gap-table")
    assert _table(html, "deadlines-table")[1] == ["Velkomstbreve", "4", "2", "1", "1"]
    assert html.count('role="img"') == 3 and html.count("<desc") == 3
    assert 'aria-labelledby="matches-chart-title matches-chart-desc"' in html
    assert "style=" not in html and "<script" not in html  # the CSP forbids both
    assert "<5" not in html  # municipal staff see exact figures


def test_empty_provider_until_the_data_domains_arrive_reports_zeros(app, client):
    _signed_in(app, client, Role.ADMIN)
    response = client.get("/reports/quarterly")  # default: the last completed quarter
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expected = Quarter.of(today_in_denmark()).previous()
    assert f"{expected.quarter}. kvartal {expected.year}" in html
    assert _table(html, "volunteers-table")[1][1:] == ["0", "0"]
    assert "Ingen husstand ventede" in html


def test_partner_coordinator_gets_their_own_organisation_only(app, client, glostrup):
    _signed_in(app, client, Role.PARTNER_COORDINATOR, glostrup.red_cross_id)
    html = client.get(Q3).get_data(as_text=True)
    assert "Røde Kors Glostrup" in html
    assert glostrup.provider.calls[-1][3] == glostrup.red_cross_id
    assert _table(html, "matches-table")[1] == ["Følg en familie", "<5", "<5", "0"]  # 1, 2, 0
    assert 'id="deadlines-table"' not in html  # the municipality's own figures
    assert 'name="organisation"' not in html.split("</form>")[0]  # no organisation to choose
    own = client.get(f"{Q3}&organisation={glostrup.red_cross_id}")
    assert own.status_code == 200


@pytest.mark.parametrize("guess", ["dfh", "", "all", "0", "-1", "999999", "²", "99999999999999999999"])
def test_partner_coordinator_cannot_guess_another_report(app, client, glostrup, guess):
    _signed_in(app, client, Role.PARTNER_COORDINATOR, glostrup.red_cross_id)
    value = str(glostrup.refugee_council_id) if guess == "dfh" else guess
    assert client.get(f"{Q3}&organisation={value}").status_code == 404
    _fresh_authentication(client)
    assert (
        client.get(f"/reports/quarterly/export/csv?year=2026&quarter=3&organisation={value}").status_code
        == 404
    )
    token = csrf_token(client, Q3)
    form = {"csrf_token": token, "year": "2026", "quarter": "3", "organisation": value}
    refused = client.post("/reports/quarterly/finalise", data=form)
    assert refused.status_code == 403  # partners never finalise


def test_organisation_of_another_municipality_is_not_found(app, client, glostrup):
    with app.app_context():
        elsewhere = make_organisation(
            make_municipality("0165", "Albertslund Kommune"), "Røde Kors Albertslund"
        )
        db.session.commit()
        other_id = elsewhere.id
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    assert client.get(f"{Q3}&organisation={other_id}").status_code == 404
    assert client.get(f"{Q3}&organisation={glostrup.refugee_council_id}").status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999"])
def test_an_organisation_id_no_column_can_hold_is_not_found(app, client, glostrup, value):
    """Not a server error: "²" is a digit to str.isdigit but not to int(), and an id past the
    INTEGER range makes the database refuse the query."""
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    assert client.get(f"{Q3}&organisation={value}").status_code == 404
    token = csrf_token(client, Q3)
    form = {"csrf_token": token, "year": "2026", "quarter": "3", "organisation": value}
    assert client.post("/reports/quarterly/finalise", data=form).status_code == 404


@pytest.mark.parametrize("query", ["year=2026&quarter=5", "year=abc&quarter=1", "year=1999&quarter=4",
                                   "year=2026", f"year={date.today().year + 1}&quarter=1", "year=²&quarter=1",
                                   "year=99999999999999999999&quarter=1"])  # fmt: skip
def test_a_quarter_that_cannot_be_reported_is_not_found(app, client, query):
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    assert client.get(f"/reports/quarterly?{query}").status_code == 404


def test_downloads_need_a_recent_sign_in_and_are_audited(app, client, glostrup):
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    path = f"/reports/quarterly/export/csv?year=2026&quarter=3&organisation={glostrup.red_cross_id}"
    response = client.get(path)
    assert response.status_code == 302 and "/login/confirm" in response.headers["Location"]
    _fresh_authentication(client)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert ";volunteers.registered;<5" in response.get_data(as_text=True)  # partner-facing: 2 is hidden
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        assert client.get(path.replace("/csv", f"/{fmt}")).data.startswith(magic)
    assert client.get(path.replace("/csv", "/json")).status_code == 404
    with app.app_context():
        events = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "report.exported"))
            .scalars()
            .all()
        )
        assert [e.details["format"] for e in events] == ["csv", "xlsx", "pdf"]
        assert events[0].details == {"year": 2026, "quarter": 3, "organisation_id": glostrup.red_cross_id,
                                     "format": "csv", "version": "draft"}  # fmt: skip


def test_finalised_report_keeps_its_figures_and_the_draft_lists_what_changed(app, client, glostrup):
    _signed_in(app, client, Role.MUNICIPAL_COORDINATOR)
    assert "Godkend rapporten for 3. kvartal 2026 endeligt" in client.get(Q3).get_data(as_text=True)
    token = csrf_token(client, Q3)
    form = {"csrf_token": token, "year": "2026", "quarter": "3", "organisation": ""}
    response = client.post("/reports/quarterly/finalise", data=form)
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.execute(select(FinalisedReport)).scalar_one()
        figures = stored.figures
        assert (stored.year, stored.quarter, stored.organisation_id) == (2026, 3, None)
        assert figures["volunteers"]["registered"] == 3
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "report.finalised")
        ).scalar_one()
        assert event.object_id == stored.id and event.details["quarter"] == 3
    # the data changes afterwards: one more volunteer registered in Q3
    provider = glostrup.provider
    late = VolunteerFact(11, None, date(2026, 8, 1), (StatusChange(date(2026, 8, 1), "pending"),))
    provider.data = dataclasses.replace(provider.data, volunteers=provider.data.volunteers + (late,))
    page = client.get(Q3).get_data(as_text=True)
    assert _table(page, "volunteers-table")[1] == [
        "Frivillige registreret",
        "1",
        "3",
    ]  # still the finalised 3
    assert "3 tal er ændret i data" in page  # registered, and its current value and change in the summary
    draft = client.get(f"{Q3}&version=draft").get_data(as_text=True)
    assert _table(draft, "volunteers-table")[1] == ["Frivillige registreret", "1", "4"]
    assert "Frivillige registreret: dette kvartal" in draft  # the change in the summary figures too
    changes = re.search(
        r"<h2>Ændringer, siden rapporten blev endeligt godkendt</h2>(.*?)</table>", draft, re.S
    )
    assert (
        '<th scope="row">Frivillige registreret</th><td class="vh-num">3</td><td class="vh-num">4</td>'
        in (changes.group(1))
    )
    with app.app_context():
        assert db.session.execute(select(FinalisedReport)).scalar_one().figures == figures
    # downloads offer both versions
    _fresh_authentication(client)
    base = "/reports/quarterly/export/csv?year=2026&quarter=3&organisation="
    assert ";volunteers.registered;3" in client.get(f"{base}&version=finalised").get_data(as_text=True)
    assert ";volunteers.registered;4" in client.get(f"{base}&version=draft").get_data(as_text=True)
    # finalising again is refused, and nothing is added
    again = client.post("/reports/quarterly/finalise", data=form, follow_redirects=True)
    assert "Rapporten er allerede endeligt godkendt." in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.execute(select(FinalisedReport)).scalars().all()) == 1


def test_a_quarter_not_over_cannot_be_finalised(app, client, glostrup):
    _signed_in(app, client, Role.ADMIN)
    current = Quarter.of(today_in_denmark())
    path = f"/reports/quarterly?year={current.year}&quarter={current.quarter}"
    assert "endeligt</button>" not in client.get(path).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, path), "year": current.year, "quarter": current.quarter}
    response = client.post("/reports/quarterly/finalise", data=form, follow_redirects=True)
    assert "Kvartalet er ikke slut endnu, så rapporten kan ikke godkendes endeligt." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.execute(select(FinalisedReport)).first() is None


def test_partner_sees_the_finalised_report_of_their_organisation(app, client, glostrup):
    _signed_in(app, client, Role.ADMIN)
    form = {
        "csrf_token": csrf_token(client, Q3),
        "year": "2026",
        "quarter": "3",
        "organisation": glostrup.red_cross_id,
    }
    assert client.post("/reports/quarterly/finalise", data=form).status_code == 302
    partner_client = app.test_client()
    _signed_in(app, partner_client, Role.PARTNER_COORDINATOR, glostrup.red_cross_id)
    html = partner_client.get(Q3).get_data(as_text=True)
    assert "Endeligt godkendt" in html and "Ingen tal er ændret i data" in html
    assert "endeligt</button>" not in html
    assert RK.name in html
