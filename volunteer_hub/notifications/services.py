"""Queueing e-mail in the outbox and sending it over SMTP with retries.

``queue_email`` adds a row to the caller's transaction: the message exists exactly when
the change that caused it was committed. ``send_due_messages`` claims due rows (with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers never take the same row),
sends each over SMTP and records the outcome; a failed send is retried with exponential
backoff and marked failed after the last attempt.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select

from volunteer_hub.audit.services import record
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters.languages import babel_locale
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus


def queue_email(
    *,
    municipality_id: int,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
) -> OutboxMessage:
    """Render ``emails/<template>`` in ``language`` and add it to the outbox (flush only).

    ``language`` is a FORMATS.md code; family languages Babel lacks (Dari, ``prs``) are
    rendered with their Babel locale, and the row keeps the code.
    """
    with force_locale(babel_locale(language)):
        subject = render_template(f"emails/{template}.subject.txt", **context).strip()
        body = render_template(f"emails/{template}.txt", **context)
    message = OutboxMessage(
        municipality_id=municipality_id,
        message_id=f"<{uuid.uuid4()}@volunteer-hub>",
        template=template,
        language=language,
        recipient=to,
        subject=subject,
        body=body,
    )
    db.session.add(message)
    db.session.flush()
    return message


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The MIME message for an outbox row; the same row always gives the same Message-ID."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = formatdate(localtime=False)
    email.set_content(message.body)
    email["Content-Language"] = message.language  # after set_content, which drops Content-* headers
    return email


def _backoff(attempts: int) -> dt.timedelta:
    base = current_app.config["OUTBOX_BACKOFF_SECONDS"]
    return dt.timedelta(seconds=base * (2 ** max(attempts - 1, 0)))


def _claim_next(skip: set[int]) -> OutboxMessage | None:
    """Lock the next due message; rows another worker holds are skipped, not waited for."""
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= utcnow(),
            OutboxMessage.id.not_in(skip),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(all_tenants=True)
    )
    return db.session.execute(statement).scalar_one_or_none()


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(build_email(message, config["MAIL_SENDER"]))


def send_due_messages(limit: int = 50) -> dict[str, int]:
    """Send up to ``limit`` due messages, one locked row and one commit at a time.

    The row stays locked while it is being sent, so a second worker skips it; a worker
    killed mid-send leaves the row pending and it is sent again with the same Message-ID.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    tried: set[int] = set()  # one attempt per message per call, whatever the backoff
    for _ in range(limit):
        message = _claim_next(tried)
        if message is None:
            break
        tried.add(message.id)
        message.attempts += 1
        try:
            _deliver(message)
        except (OSError, smtplib.SMTPException) as exc:
            # Only the exception type and code: an SMTP error may quote the address.
            message.last_error = type(exc).__name__ + (
                f" {exc.smtp_code}" if isinstance(exc, smtplib.SMTPResponseException) else ""
            )
            if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
                message.status = OutboxStatus.FAILED
                counts["failed"] += 1
            else:
                message.next_attempt_at = utcnow() + _backoff(message.attempts)
                counts["retry"] += 1
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            for hook in current_app.extensions.get("vh_outbox_after_send", []):
                hook(message)  # e.g. drop a one-time secret from the stored body
            counts["sent"] += 1
        db.session.commit()
    db.session.commit()
    return counts


def resend(message: OutboxMessage) -> None:
    """Put a failed message back in the queue with the same Message-ID."""
    if message.status != OutboxStatus.FAILED:
        raise ValueError("only a failed message can be resent")
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()


def resend_failed_message(message: OutboxMessage, *, actor: Any) -> None:
    """A coordinator sends a failed message again (same Message-ID); audited."""
    resend(message)
    db.session.flush()
    record(
        "outbox.resent",
        actor=actor,
        municipality_id=message.municipality_id,
        obj=message,
        template=message.template,
        language=message.language,
    )


def list_outbox(
    municipality_id: int,
    *,
    status: OutboxStatus | None = None,
    recipient: str | None = None,
    limit: int = 200,
) -> list[OutboxMessage]:
    """The municipality's outgoing messages, newest first; the record of what went to whom."""
    statement = select(OutboxMessage).where(OutboxMessage.municipality_id == municipality_id)
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    if recipient:
        statement = statement.where(sa.func.lower(OutboxMessage.recipient) == recipient.strip().lower())
    return list(
        db.session.execute(statement.order_by(OutboxMessage.id.desc()).limit(limit)).scalars()
    )


def mask_address(address: str) -> str:
    """``person@example.dk`` as ``p•••@example.dk``: enough to tell messages apart, not to harvest."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"
