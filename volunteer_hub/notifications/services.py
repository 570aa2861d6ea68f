"""Queueing e-mail in the outbox and sending it over SMTP with retries.

``queue_email`` adds a row to the caller's transaction: the message exists exactly when
the change that caused it was committed. ``send_due_messages`` claims due rows (with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers never take the same row),
sends each over SMTP and records the outcome; a failed send is retried with exponential
backoff and marked failed after the last attempt. Delivery is at least once, with the
Message-ID fixed at queueing time (see ``send_due_messages``).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, text

from volunteer_hub.audit.services import record
from volunteer_hub.core.languages import babel_locale
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.tenancy.contact import sender_for

logger = logging.getLogger(__name__)


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
    """Lock the next due message; rows another worker holds are skipped, not waited for.

    The lock is the claim: it lasts until this transaction ends, and PostgreSQL ends it
    for us when the worker dies. A worker that hangs while holding it (a frozen VM, a lost
    network) is cut off by ``idle_in_transaction_session_timeout`` after
    OUTBOX_CLAIM_TIMEOUT_SECONDS, so no row stays claimed for longer than that.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        seconds = int(current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
        db.session.execute(text(f"SET LOCAL idle_in_transaction_session_timeout = '{seconds}s'"))
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


def _deliver(email: EmailMessage) -> None:
    """Hand ``email`` to the SMTP server; returns once the server has accepted the data."""
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_STARTTLS"]:
            # Verify the server's certificate: smtplib's default context does not.
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
    finally:
        _quit_quietly(smtp)


def _quit_quietly(smtp: smtplib.SMTP) -> None:
    # Once the server has answered the data it has the message: a QUIT that fails must not
    # turn a delivered message into a "retry" and so into a second copy.
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _error_code(exc: BaseException) -> str:
    # Only the exception type and SMTP code: an SMTP error may quote the address.
    code = f" {exc.smtp_code}" if isinstance(exc, smtplib.SMTPResponseException) else ""
    return (type(exc).__name__ + code)[:300]


def send_due_messages(limit: int = 50, should_stop: Callable[[], bool] | None = None) -> dict[str, int]:
    """Send up to ``limit`` due messages, one locked row and one commit at a time.

    The row stays locked while it is being sent, so a second worker skips it. Delivery is
    at least once: a worker that dies after the SMTP server accepted a message but before
    its "sent" was committed leaves the row pending, and it is sent again with the same
    Message-ID, by which the receiving side can recognise the copy. ``should_stop`` is
    asked between messages (a worker told to stop finishes the message it is sending).
    A message that cannot even be built is marked failed at once; any other error is
    retried with backoff, so one bad message never stops the queue behind it.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0}
    tried: set[int] = set()  # one attempt per message per call, whatever the backoff
    sender = current_app.config["MAIL_SENDER"]
    for _ in range(limit):
        if should_stop is not None and should_stop():
            break
        message = _claim_next(tried)
        if message is None:
            break
        tried.add(message.id)
        message.attempts += 1
        outcome = _attempt(message, sender)
        counts[outcome] += 1
        db.session.commit()
    db.session.commit()
    return counts


def _attempt(message: OutboxMessage, sender: str) -> str:
    """Try to send one claimed message and record the outcome on the row."""
    try:
        email = build_email(message, sender_for(message.municipality_id, sender))
    except (ValueError, TypeError) as exc:  # e.g. a line break in a header: never sendable
        message.last_error = _error_code(exc)
        message.status = OutboxStatus.FAILED
        return "failed"
    try:
        _deliver(email)
    except Exception as exc:  # noqa: BLE001 - one message's failure must not stop the queue
        if not isinstance(exc, OSError | smtplib.SMTPException):
            logger.warning("outbox message %s: unexpected %s", message.id, type(exc).__name__)
        message.last_error = _error_code(exc)
        if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            message.status = OutboxStatus.FAILED
            return "failed"
        message.next_attempt_at = utcnow() + _backoff(message.attempts)
        return "retry"
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    for hook in current_app.extensions.get("vh_outbox_after_send", []):
        hook(message)  # e.g. drop a one-time secret from the stored body
    return "sent"


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
    return list(db.session.execute(statement.order_by(OutboxMessage.id.desc()).limit(limit)).scalars())


def mask_address(address: str) -> str:
    """``person@example.dk`` as ``p•••@example.dk``: enough to tell messages apart, not to harvest."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"
