"""The coordinator's and the volunteer's matching pages through HTTP: what they show and what they do."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.matching.factories import TODAY, household, volunteer
from tests.support import Login, csrf_token, login_as
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.extensions import db
from volunteer_hub.families.models import Household
from volunteer_hub.letters.models import FamilyLink, LetterRecord
from volunteer_hub.matching.models import Match, MatchStatus, RejectedPair
from volunteer_hub.notifications.models import OutboxMessage


@pytest.fixture
def world(app, glostrup):
    with app.app_context():
        municipality = glostrup.municipality
        h = household(municipality, name="Pages-Haile family", interests=["football", "chess"])
        senait = volunteer(municipality, first_name="Senait", with_account=True, ref="V0101")
        anna = volunteer(municipality, first_name="Anna", languages={"da": "native"}, ref="V0102")
        db.session.commit()
        ids = {"household": h.id, "senait": senait.id, "anna": anna.id}
        return ids, glostrup.coordinator_login, Login(senait.user)


def _client(app, login):
    client = app.test_client()
    login_as(client, login)
    return client


def _count(model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_suggestions_show_each_factor_with_its_contribution_and_sentence(app, world):
    ids, coordinator, _ = world
    page = _client(app, coordinator).get(f"/familier/{ids['household']}/forslag").get_data(as_text=True)
    assert "Senait" in page and "(V0102" not in page  # Anna is not eligible (and nobody lists all)
    for factor in ("Sprog", "Interesser", "Afstand"):
        assert factor in page
    assert "Begge taler tigrinya" in page  # the sentence, in Danish


def test_why_not_lists_the_failed_rules(app, world):
    ids, coordinator, _ = world
    page = _client(app, coordinator).get(
        f"/familier/{ids['household']}/forslag?ordning=friend_buddy&hvorfor_ikke={ids['anna']}"
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hvorfor ikke Anna?" in text and "Regel 3" in text


def test_why_not_finds_the_volunteer_by_number_or_name(app, world, glostrup):
    ids, coordinator, _ = world
    with app.app_context():
        volunteer(glostrup.municipality, first_name="Annette", languages={"da": "native"}, ref="V0103")
        db.session.commit()
    client = _client(app, coordinator)
    base = f"/familier/{ids['household']}/forslag?ordning=friend_buddy&hvem="
    by_number = client.get(base + "v0102").get_data(as_text=True)  # the number, in any case
    assert "Hvorfor ikke Anna?" in by_number and "Regel 3" in by_number
    several = client.get(base + "Ann").get_data(as_text=True)  # Anna and Annette: the user chooses
    assert "Flere frivillige passer" in several and "Hvorfor ikke" not in several.split("why-not-choose")[1]
    assert f"hvorfor_ikke={ids['anna']}" in several and "V0103" in several
    nobody = client.get(base + "Zebulon").get_data(as_text=True)
    assert "Ingen frivillig har det nummer eller navn." in nobody and 'value="Zebulon"' in nobody


def test_approving_a_suggestion_makes_the_match_and_sends_both_cards(app, world):
    ids, coordinator, _ = world
    client = _client(app, coordinator)
    response = client.post(
        f"/familier/{ids['household']}/forslag/godkend",
        data={"csrf_token": csrf_token(client), "volunteer_id": ids["senait"], "scheme": "friend_buddy"},
    )
    assert response.status_code == 302 and "/matching/" in response.headers["Location"]
    with app.app_context():
        match = db.session.execute(select(Match)).scalar_one()
        assert match.status == MatchStatus.APPROVED
        assert _count(OutboxMessage) == 2 and _count(FamilyLink) == 1 and _count(LetterRecord) == 1
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Senait" in detail and "godkendt" in detail
    pdf = client.get(response.headers["Location"] + "/kontaktkort.pdf")  # to print for the household
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "inline" in pdf.headers["Content-Disposition"]


def test_a_failure_in_the_middle_of_an_approval_leaves_nothing(app, world, monkeypatch):
    ids, coordinator, _ = world
    client = _client(app, coordinator)
    token = csrf_token(client)

    def broken(*args, **kwargs):
        raise RuntimeError("the letter store is down")

    monkeypatch.setattr("volunteer_hub.matching.cards.record_letter_sent", broken)
    with pytest.raises(RuntimeError):
        client.post(
            f"/familier/{ids['household']}/forslag/godkend",
            data={"csrf_token": token, "volunteer_id": ids["senait"], "scheme": "friend_buddy"},
        )
    with app.app_context():
        assert _count(Match) == 0 and _count(OutboxMessage) == 0 and _count(FamilyLink) == 0
        assert _count(AuditEvent, AuditEvent.action.like("match.%")) == 0
        assert _count(AuditEvent, AuditEvent.action == "family_link.created") == 0


def test_manual_override_needs_a_reason_and_marks_the_interpreter(app, world):
    ids, coordinator, _ = world
    client = _client(app, coordinator)
    url = f"/familier/{ids['household']}/manuel"
    data = {"csrf_token": csrf_token(client), "volunteer": "V0102", "scheme": "friend_buddy"}
    refused = client.post(url, data=data)
    assert refused.status_code == 400 and "intet fælles sprog" in refused.get_data(as_text=True).lower()
    refused = client.post(url, data={**data, "override_language": "y"})
    assert refused.status_code == 400
    done = client.post(url, data={**data, "override_language": "y", "override_reason": "Datteren tolker."})
    assert done.status_code == 302
    with app.app_context():
        match = db.session.execute(select(Match)).scalar_one()
        assert match.override_reason == "Datteren tolker." and match.status == MatchStatus.APPROVED
        assert db.session.get(Household, ids["household"]).interpreter_needed is True


def test_the_plan_page_approves_and_rejects_pair_by_pair(app, world):
    ids, coordinator, _ = world
    client = _client(app, coordinator)
    page = client.get("/matching/plan?prioritet=nobody_waits").get_data(as_text=True)
    assert "Pages-Haile family" in page and "Senait" in page
    token = csrf_token(client)
    pair = {
        "csrf_token": token,
        "household_id": ids["household"],
        "volunteer_id": ids["senait"],
        "scheme": "friend_buddy",
    }
    assert client.post("/matching/plan/afvis", data={**pair, "reason": ""}).status_code == 400
    assert client.post("/matching/plan/afvis", data={**pair, "reason": "Kender hinanden"}).status_code == 302
    with app.app_context():
        assert _count(RejectedPair) == 1
    page = client.get("/matching/plan").get_data(as_text=True)
    assert "ingen egnet frivillig" in page  # the only candidate was rejected
    assert client.post("/matching/plan/godkend", data=pair).status_code == 303  # refused: rejected pair
    with app.app_context():
        assert _count(Match) == 0


def test_ending_a_match_needs_a_note_for_another_reason(app, world):
    ids, coordinator, _ = world
    client = _client(app, coordinator)
    token = csrf_token(client)
    client.post(
        f"/familier/{ids['household']}/forslag/godkend",
        data={"csrf_token": token, "volunteer_id": ids["senait"], "scheme": "friend_buddy"},
    )
    with app.app_context():
        match_id = db.session.execute(select(Match.id)).scalar_one()
    refused = client.post(
        f"/matching/{match_id}/afslut", data={"csrf_token": token, "reason": "other", "note": ""}
    )
    assert refused.status_code == 400
    done = client.post(f"/matching/{match_id}/afslut", data={"csrf_token": token, "reason": "moved_away"})
    assert done.status_code == 302
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert match.status == MatchStatus.ENDED and match.ended_on == TODAY
        assert db.session.execute(select(FamilyLink)).scalar_one().revoked_at is not None


def test_the_volunteer_sees_the_contact_card_and_logs_a_meeting(app, world):
    ids, coordinator, senait = world
    staff = _client(app, coordinator)
    staff.post(
        f"/familier/{ids['household']}/forslag/godkend",
        data={"csrf_token": csrf_token(staff), "volunteer_id": ids["senait"], "scheme": "friend_buddy"},
    )
    with app.app_context():
        match_id = db.session.execute(select(Match.id)).scalar_one()
    client = _client(app, senait)
    page = client.get(f"/min-side/match/{match_id}").get_data(as_text=True)
    assert "52 12 34 56" in page and "Senait" in page  # the household's contact person and phone
    token = csrf_token(client)
    future = (TODAY + dt.timedelta(days=2)).isoformat()
    refused = client.post(
        f"/min-side/match/{match_id}",
        data={"csrf_token": token, "on": future, "minutes": "60", "kind": "phone"},
    )
    assert refused.status_code == 400
    done = client.post(
        f"/min-side/match/{match_id}",
        data={
            "csrf_token": token,
            "on": TODAY.isoformat(),
            "minutes": "75",
            "kind": "in_person",
            "note": "Kaffe",
        },
    )
    assert done.status_code == 302
    with app.app_context():
        match = db.session.get(Match, match_id)
        assert match.status == MatchStatus.ACTIVE and [m.minutes for m in match.meetings] == [75]


def test_the_overview_shows_matches_without_contact_and_check_ins_due(app, world):
    ids, coordinator, _ = world
    with app.app_context():
        from volunteer_hub.auth.models import User
        from volunteer_hub.matching import workflow

        actor = db.session.get(User, coordinator.id)
        h = db.session.get(Household, ids["household"])
        from volunteer_hub.volunteers.models import Volunteer

        workflow.create_manual_match(
            h,
            db.session.get(Volunteer, ids["senait"]),
            "friend_buddy",
            actor=actor,
            on=TODAY - dt.timedelta(days=35),
        )
        db.session.commit()
    page = _client(app, coordinator).get("/").get_data(as_text=True)
    section = page.split('id="matching-heading"')[1]
    stale = section.split('id="stale-heading"')[1].split('id="check-ins-heading"')[0]
    assert "Senait" in stale and "35" in stale
    assert "Efter 2 uger" in section.split('id="check-ins-heading"')[1]
