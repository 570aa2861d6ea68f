"""Private links: a family opens its contact card without an account.

The raw token is returned once by ``create_family_link`` and never stored: the database
keeps only its SHA-256, so a copy of the database opens no card. A link shows the frozen
snapshot taken when it was made, expires after ``FAMILY_LINK_VALID_DAYS`` and can be revoked.
The only place the raw token lives is the outbox e-mail that carries it, and the outbox
replaces it with a marker once the e-mail is delivered (``redact_sent_link``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.core.languages import format_letter_date
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters.data import ContactCardData
from volunteer_hub.letters.models import FamilyLink, FamilyLinkPurpose, FamilyLinkStatus, LetterKind
from volunteer_hub.letters.texts import LetterText
from volunteer_hub.notifications.models import OutboxMessage

LINK_PREFIX = "/k"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,100}")
FAMILY_LINK_EMAIL = "family_contact_link"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def link_url(token: str) -> str:
    """The absolute URL of a private link, from the configured address (never the Host header)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + f"{LINK_PREFIX}/{token}"


def create_family_link(
    data: ContactCardData,
    *,
    object_type: str,
    object_id: int,
    actor: Any,
    text: LetterText | None = None,
    valid_days: int | None = None,
) -> tuple[FamilyLink, str]:
    """Make a private contact-card link for ``(object_type, object_id)``; return it and its raw token.

    The raw token is shown or sent once and cannot be recovered later.
    """
    from volunteer_hub.letters.services import current_letter_text

    text = text or current_letter_text(
        data.municipality_id, LetterKind.CONTACT_CARD, data.language, data.volunteer_gender
    )
    days = valid_days if valid_days is not None else current_app.config["FAMILY_LINK_VALID_DAYS"]
    token = secrets.token_urlsafe(32)
    link = FamilyLink(
        municipality_id=data.municipality_id,
        token_hash=hash_token(token),
        purpose=FamilyLinkPurpose.CONTACT_CARD,
        object_type=object_type,
        object_id=object_id,
        language=data.language,
        snapshot={"data": data.to_json(), "text": text.to_json()},
        created_by_user_id=getattr(actor, "id", None),
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    record(
        "family_link.created",
        actor=actor,
        municipality_id=link.municipality_id,
        obj=link,
        purpose=link.purpose.value,
        language=link.language,
        target_type=object_type,
        target_id=object_id,
        valid_days=days,
    )
    return link, token


def find_family_link(token: str) -> FamilyLink | None:
    """The link a raw token belongs to, whatever its status; None for anything unknown."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return db.session.execute(
        select(FamilyLink)
        .where(FamilyLink.token_hash == hash_token(token))
        .execution_options(all_tenants=True)
    ).scalar_one_or_none()


def open_family_link(link: FamilyLink, *, as_pdf: bool = False) -> FamilyLinkStatus:
    """A family opens a link (page or PDF): count it and audit it (no personal data); return its status."""
    status = link.status()
    if status == FamilyLinkStatus.ACTIVE:
        link.open_count = FamilyLink.open_count + 1  # atomic in SQL: two phones may open at once
        link.last_opened_at = utcnow()
        db.session.flush()
        action = "family_link.opened"
    else:
        action = "family_link.refused"
    record(
        action,
        actor=None,
        municipality_id=link.municipality_id,
        obj=link,
        purpose=link.purpose.value,
        language=link.language,
        status=status.value,
        format="pdf" if as_pdf else "page",
    )
    return status


def link_card(link: FamilyLink) -> tuple[ContactCardData, LetterText]:
    """The card data and text frozen in an active link."""
    return ContactCardData.from_json(link.snapshot["data"]), LetterText.from_json(link.snapshot["text"])


def link_expiry_text(link: FamilyLink) -> str:
    """The link's last day, written in the family's language."""
    return format_letter_date(link.expires_at.astimezone(_copenhagen()).date(), link.language)


def _copenhagen() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/Copenhagen")


class LinkAlreadyRevokedError(ValueError):
    """Revoking a link twice is refused, so the audit trail shows one revocation."""


def revoke_family_link(link: FamilyLink, *, actor: Any) -> None:
    """Close a link for good and forget what it showed."""
    if link.revoked_at is not None:
        raise LinkAlreadyRevokedError("the link is already revoked")
    link.revoked_at = utcnow()
    link.revoked_by_user_id = getattr(actor, "id", None)
    link.snapshot = {}
    db.session.flush()
    record(
        "family_link.revoked",
        actor=actor,
        municipality_id=link.municipality_id,
        obj=link,
        purpose=link.purpose.value,
    )


def revoke_links_for(object_type: str, object_id: int, *, actor: Any) -> int:
    """Revoke every open link of one record (e.g. when a match ends); return how many."""
    links = db.session.execute(
        select(FamilyLink).where(
            FamilyLink.object_type == object_type,
            FamilyLink.object_id == object_id,
            FamilyLink.revoked_at.is_(None),
        )
    ).scalars()
    count = 0
    for link in links:
        revoke_family_link(link, actor=actor)
        count += 1
    return count


def forget_expired_links(now: dt.datetime | None = None) -> int:
    """Empty what expired links showed (all municipalities): nothing may show it again. Returns how many."""
    now = now or utcnow()
    expired = db.session.execute(
        select(FamilyLink)
        .where(FamilyLink.expires_at <= now, FamilyLink.revoked_at.is_(None))
        .execution_options(all_tenants=True)
    ).scalars()
    count = 0
    for link in expired:
        if link.snapshot:
            link.snapshot = {}
            record("family_link.forgotten", actor=None, municipality_id=link.municipality_id, obj=link)
            count += 1
    db.session.flush()
    return count


def list_family_links(municipality_id: int, limit: int = 200) -> list[FamilyLink]:
    """The municipality's links, newest first."""
    return list(
        db.session.execute(
            select(FamilyLink)
            .where(FamilyLink.municipality_id == municipality_id)
            .order_by(FamilyLink.created_at.desc(), FamilyLink.id.desc())
            .limit(limit)
        ).scalars()
    )


def get_family_link_or_404(link_id: int, *, for_user: Any) -> FamilyLink:
    """A link of the user's own municipality, else 404 (municipal staff only: see the route)."""
    link = db.session.get(FamilyLink, link_id)
    if link is None or link.municipality_id != for_user.municipality_id:
        abort(404)
    return link


def queue_family_link_email(link: FamilyLink, token: str, *, to: str) -> OutboxMessage:
    """Queue the e-mail that carries a private link, in the family's language (same transaction)."""
    from volunteer_hub.notifications.services import queue_email

    card = ContactCardData.from_json(link.snapshot["data"])
    return queue_email(
        municipality_id=link.municipality_id,
        to=to,
        template=FAMILY_LINK_EMAIL,
        language=link.language,
        context={
            "url": link_url(token),
            "expires": link_expiry_text(link),
            "municipality_name": card.municipality_name,
            "volunteer_gender": card.volunteer_gender,  # the e-mail's grammar follows it (_fg)
        },
    )


@dataclass(frozen=True)
class SharedCard:
    """What ``share_contact_card`` made: the link, its raw token (once), its URL, the e-mail if any."""

    link: FamilyLink
    token: str
    url: str
    email: OutboxMessage | None


def share_contact_card(
    data: ContactCardData, *, object_type: str, object_id: int, actor: Any, email: str | None = None
) -> SharedCard:
    """Make a private link for a contact card and, if the household has an e-mail, send it there."""
    link, token = create_family_link(data, object_type=object_type, object_id=object_id, actor=actor)
    message = queue_family_link_email(link, token, to=email) if email else None
    if message is not None:
        link.email_message_id = message.id
        db.session.flush()
    return SharedCard(link=link, token=token, url=link_url(token), email=message)


@dataclass(frozen=True)
class CardDelivery:
    """What became of a record's newest contact card: its language, and the e-mail if one was queued."""

    language: str
    email: OutboxMessage | None
    created_at: dt.datetime


def card_delivery(object_type: str, object_id: int) -> CardDelivery | None:
    """How the newest private link of ``(object_type, object_id)`` reached the household; None: no card."""
    link = db.session.execute(
        select(FamilyLink)
        .where(FamilyLink.object_type == object_type, FamilyLink.object_id == object_id)
        .order_by(FamilyLink.created_at.desc(), FamilyLink.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if link is None:
        return None
    email = db.session.get(OutboxMessage, link.email_message_id) if link.email_message_id else None
    return CardDelivery(language=link.language, email=email, created_at=link.created_at)


REDACTED = "[private link removed after delivery]"
_LINK_IN_TEXT = re.compile(re.escape(LINK_PREFIX) + r"/[A-Za-z0-9_-]{20,100}")


def redact_sent_link(message: OutboxMessage) -> None:
    """Outbox hook: once a family-link e-mail is delivered, drop the raw token from its stored body."""
    if message.template == FAMILY_LINK_EMAIL:
        message.body = _LINK_IN_TEXT.sub(f"{LINK_PREFIX}/{REDACTED}", message.body)
