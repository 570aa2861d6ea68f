"""Single-use link tokens sent by e-mail, and their removal from the stored copy once delivered.

A link token is random (``secrets.token_urlsafe``) and opaque: it carries neither an address nor
an id, so an access log or a forwarded link reveals nothing. The database keeps only its SHA-256.
The one place the raw token lives is the outbox e-mail that carries it; once that e-mail is
delivered, ``redact_sent_links`` replaces the token in the stored body (as letters/links.py does
for families' private links), so the outbox and its backups hold no working link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from flask import Flask, current_app
from sqlalchemy import select

from volunteer_hub.auth.models import EmailVerificationToken
from volunteer_hub.auth.single_use import spend_once
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage

REDACTED = "[link removed after delivery]"
# The e-mails that carry a single-use link, and the paths of those links.
LINK_TEMPLATES = frozenset({"password_reset", "account_invitation", "volunteer_verify_email"})
_LINK_IN_TEXT = re.compile(r"(/password/reset|/bliv-frivillig/bekraeft)/[A-Za-z0-9_\-.]{16,400}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def redact_sent_links(message: OutboxMessage) -> None:
    """Outbox hook: once a link e-mail is delivered, drop the raw token from its stored body."""
    if message.template in LINK_TEMPLATES:
        message.body = _LINK_IN_TEXT.sub(lambda found: f"{found.group(1)}/{REDACTED}", message.body)


def register(app: Flask) -> None:
    app.extensions.setdefault("vh_outbox_after_send", []).append(redact_sent_links)


def issue_email_verification(volunteer_id: int) -> str:
    """A new single-use token confirming the volunteer's address (flush only); returns the raw token."""
    token = secrets.token_urlsafe(32)
    valid = dt.timedelta(seconds=int(current_app.config["VOLUNTEER_VERIFY_SECONDS"]))
    db.session.add(
        EmailVerificationToken(
            volunteer_id=volunteer_id, token_hash=token_hash(token), expires_at=utcnow() + valid
        )
    )
    db.session.flush()
    return token


def find_email_verification(token: str) -> EmailVerificationToken | None:
    """The unused, unexpired verification token matching ``token``, or None."""
    if not token or len(token) > 400:
        return None
    row = db.session.execute(
        select(EmailVerificationToken).where(EmailVerificationToken.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def spend_email_verification(row: EmailVerificationToken) -> bool:
    """Use the token up by compare-and-set, and with it every other one of the volunteer's:
    False when another request spent it first."""
    return spend_once(EmailVerificationToken, row, owner=EmailVerificationToken.volunteer_id)
