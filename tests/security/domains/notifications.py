"""The outbox page (/udbakke): what was sent to whom, and resending what failed.

Seeds one failed message in each municipality whose recipient, subject and body are
markers. The page is for municipal staff of the municipality only, and even they never see
a full address, a subject or a body in the list (addresses are masked; bodies may carry a
family's private link), so those markers may be seen by nobody.
"""

from __future__ import annotations

from tests.security.harness import MUNICIPAL_STAFF, Owner, RecordParam, Route, World, municipal_staff, nobody
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus

ORDER = 40

PARAMS = {
    "message_id": RecordParam("outbox_message", municipal_staff),
}


def seed(world: World) -> None:
    for municipality in ("A", "B"):
        owner = Owner(municipality)
        message = OutboxMessage(
            municipality_id=world.municipality_ids[municipality],
            message_id=f"<security-{municipality}@volunteer-hub>",
            template="volunteer_approved",
            language="da",
            recipient=world.add_canary(world.email_marker(), "outbox.recipient", owner, nobody),
            subject=world.add_canary(world.marker("outbox.subject"), "outbox.subject", owner, nobody),
            body=world.add_canary(world.marker("outbox.body"), "outbox.body", owner, nobody),
            status=OutboxStatus.FAILED,
            attempts=5,
            last_error="SMTPRecipientsRefused",
        )
        db.session.add(message)
        db.session.flush()
        world.add_record("outbox_message", message.id, owner)


ROUTES = [
    Route("notifications.outbox", MUNICIPAL_STAFF, query={"status": ["", "failed"]}),
    Route(
        "notifications.resend",
        MUNICIPAL_STAFF,
        ok={"POST": (302,)},
        writes=("outbox_message.status",),
        note="a message no longer failed is not resent; the page says so",
    ),
]
