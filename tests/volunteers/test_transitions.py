"""The status state machine: every allowed move works, every other move is refused.

Each allowed move writes an audit event (ids and codes only) and queues an e-mail to the
volunteer in their language; a refused move changes nothing and sends nothing.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import make_municipality, make_organisation, make_user, make_volunteer
from volunteer_hub.audit.models import AuditEvent
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers import services
from volunteer_hub.volunteers.models import RegistrationSource, VolunteerStatus

S = VolunteerStatus
ALLOWED = {
    "approve": {S.PENDING, S.NEEDS_INFORMATION},
    "reject": {S.PENDING, S.NEEDS_INFORMATION},
    "request_information": {S.PENDING},
    "resubmit": {S.NEEDS_INFORMATION},
    "pause": {S.APPROVED},
    "resume": {S.PAUSED},
    "suspend": {S.APPROVED},
    "reinstate": {S.SUSPENDED},
    "withdraw": set(S) - {S.WITHDRAWN},
}
TARGET = {
    "approve": S.APPROVED,
    "reject": S.REJECTED,
    "request_information": S.NEEDS_INFORMATION,
    "resubmit": S.PENDING,
    "pause": S.PAUSED,
    "resume": S.APPROVED,
    "suspend": S.SUSPENDED,
    "reinstate": S.APPROVED,
    "withdraw": S.WITHDRAWN,
}
BY_VOLUNTEER_ONLY = {"withdraw", "resubmit"}
CASES = [(name, status) for name in ALLOWED for status in S]


def _setup(status: VolunteerStatus, **kwargs):
    municipality = make_municipality()
    coordinator = make_user(municipality, Role.MUNICIPAL_COORDINATOR)
    volunteer = make_volunteer(municipality, status=status, with_account=True, **kwargs)
    db.session.commit()
    return municipality, coordinator, volunteer


def _counts():
    return (
        db.session.execute(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "volunteer")
        ).scalar_one(),
        db.session.execute(sa.select(sa.func.count(OutboxMessage.id))).scalar_one(),
    )


def test_the_table_in_the_service_is_the_one_this_test_checks():
    assert {name: set(t.sources) for name, t in services.TRANSITIONS.items()} == ALLOWED
    assert {name: t.target for name, t in services.TRANSITIONS.items()} == TARGET


@pytest.mark.parametrize(("name", "status"), [c for c in CASES if c[1] in ALLOWED[c[0]]])
def test_allowed_move_changes_status_audits_and_emails_the_volunteer(ctx, name, status):
    _municipality, coordinator, volunteer = _setup(status)
    actor = volunteer.user if name in BY_VOLUNTEER_ONLY else coordinator
    services.move(volunteer, name, actor, reason="Vi mangler en reference.")
    db.session.commit()

    assert volunteer.status == TARGET[name]
    event = db.session.execute(
        sa.select(AuditEvent).where(
            AuditEvent.action == f"volunteer.{name}", AuditEvent.object_id == volunteer.id
        )
    ).scalar_one()
    assert event.actor_user_id == actor.id
    assert event.details == {"from_status": status.value, "to_status": TARGET[name].value}
    [message] = db.session.execute(sa.select(OutboxMessage)).scalars().all()
    assert message.recipient == volunteer.email
    assert message.template == services.TRANSITIONS[name].template
    assert message.language == "da"
    if services.TRANSITIONS[name].needs_reason:
        assert "Vi mangler en reference." in message.body
        assert volunteer.status_reason == "Vi mangler en reference."
    else:
        assert volunteer.status_reason is None


@pytest.mark.parametrize(("name", "status"), [c for c in CASES if c[1] not in ALLOWED[c[0]]])
def test_illegal_move_is_refused_and_changes_nothing(ctx, name, status):
    _municipality, coordinator, volunteer = _setup(status)
    actor = volunteer.user if name in BY_VOLUNTEER_ONLY else coordinator
    before = _counts()
    with pytest.raises(services.TransitionError) as refused:
        services.move(volunteer, name, actor, reason="En grund")
    db.session.rollback()
    assert "not possible" in str(refused.value) or "ikke muligt" in str(refused.value)
    db.session.refresh(volunteer)
    assert volunteer.status == status
    assert _counts() == before


@pytest.mark.parametrize("name", ["approve", "reject", "request_information", "suspend"])
def test_the_volunteer_cannot_decide_on_their_own_application(ctx, name):
    _municipality, _coordinator, volunteer = _setup(S.APPROVED if name == "suspend" else S.PENDING)
    with pytest.raises(services.NotPermittedError):
        services.move(volunteer, name, volunteer.user, reason="x")


@pytest.mark.parametrize("name", ["withdraw", "resubmit"])
def test_only_the_volunteer_withdraws_or_resubmits(ctx, name):
    _municipality, coordinator, volunteer = _setup(S.NEEDS_INFORMATION)
    with pytest.raises(services.NotPermittedError):
        services.move(volunteer, name, coordinator)
    assert volunteer.status == S.NEEDS_INFORMATION


def test_pause_and_resume_by_the_volunteer_and_by_a_coordinator(ctx):
    _municipality, coordinator, volunteer = _setup(S.APPROVED)
    services.pause(volunteer, volunteer.user)
    services.resume(volunteer, coordinator)
    services.pause(volunteer, coordinator)
    services.resume(volunteer, volunteer.user)
    assert volunteer.status == S.APPROVED


def test_another_volunteer_cannot_pause_someone_else(ctx):
    municipality, _coordinator, volunteer = _setup(S.APPROVED)
    other = make_volunteer(municipality, status=S.APPROVED, with_account=True)
    with pytest.raises(services.NotPermittedError):
        services.pause(volunteer, other.user)


def test_partner_coordinator_acts_only_on_their_own_organisations_volunteers(ctx):
    municipality = make_municipality()
    red_cross = make_organisation(municipality, "Røde Kors Glostrup")
    sports = make_organisation(municipality, "Glostrup Idrætsforening")
    partner = make_user(municipality, Role.PARTNER_COORDINATOR, organisation=red_cross)
    own = make_volunteer(municipality, organisation=red_cross)
    foreign = make_volunteer(municipality, organisation=sports)
    independent = make_volunteer(municipality)
    services.approve(own, partner)
    for volunteer in (foreign, independent):
        with pytest.raises(services.NotPermittedError):
            services.approve(volunteer, partner)
        assert volunteer.status == S.PENDING


def test_coordinator_of_another_municipality_is_refused(ctx):
    _municipality, _coordinator, volunteer = _setup(S.PENDING)
    elsewhere = make_user(make_municipality("0165", "Albertslund Kommune"), Role.MUNICIPAL_COORDINATOR)
    with pytest.raises(services.NotPermittedError):
        services.approve(volunteer, elsewhere)


@pytest.mark.parametrize("name", ["reject", "request_information", "suspend"])
def test_decisions_with_a_reason_need_one(ctx, name):
    _municipality, coordinator, volunteer = _setup(S.APPROVED if name == "suspend" else S.PENDING)
    with pytest.raises(services.TransitionError, match="reason|grund|begrundelse"):
        services.move(volunteer, name, coordinator, reason="   ")


def test_web_application_counts_only_once_the_email_is_confirmed(ctx):
    municipality, coordinator, volunteer = _setup(S.PENDING, verified=False)
    with pytest.raises(services.TransitionError, match="e-mail"):
        services.approve(volunteer, coordinator)
    imported = make_volunteer(municipality, source=RegistrationSource.IMPORT, verified=False)
    services.approve(imported, coordinator)
    assert imported.status == S.APPROVED


def test_email_goes_out_in_the_volunteers_language(ctx):
    _municipality, coordinator, volunteer = _setup(S.PENDING, language="en")
    services.approve(volunteer, coordinator)
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert message.language == "en"
    assert message.subject == "You are approved as a volunteer"


def test_danish_email_is_in_danish(ctx):
    _municipality, coordinator, volunteer = _setup(S.PENDING)
    services.reject(volunteer, coordinator, "Vi har nok frivillige i dit område.")
    message = db.session.execute(sa.select(OutboxMessage)).scalar_one()
    assert message.subject == "Din ansøgning som frivillig"
    assert "Vi har nok frivillige i dit område." in message.body


def test_editing_the_profile_sends_an_application_awaiting_information_back(ctx):
    _municipality, coordinator, volunteer = _setup(S.PENDING)
    services.request_more_information(volunteer, coordinator, "Fortæl om din erfaring med børn.")
    profile = services.Profile(
        first_name="Anna",
        last_name="Jensen",
        phone="+4520304050",
        postcode="2600",
        birth_year=1980,
        gender="f",
        organisation_id=None,
        languages={"da": "native"},
        schemes=["family_buddy"],
        availability=["weekend"],
        about="Jeg har været spejderleder i 10 år.",
    )
    services.update_profile(volunteer, volunteer.user, profile)
    assert volunteer.status == S.PENDING
    actions = [e.action for e in db.session.execute(sa.select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert actions[-3:] == [
        "volunteer.request_information",
        "volunteer.profile_updated",
        "volunteer.resubmit",
    ]
