"""The outbox page: what was sent to whom, in which language, and resending what failed.

Municipal staff only: outbox rows belong to no partner organisation, so a partner
coordinator could not be limited to their own people. Even for municipal staff the list
masks addresses (p•••@example.dk): it is a bulk view over every volunteer and family the
municipality wrote to. A coordinator who knows a person's address can filter by it to
confirm what went to that person; the page never lists addresses in full or shows bodies,
which may carry a family's private link, nor subjects, which may carry a name: it names the
kind of message (notifications/titles.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from volunteer_hub.core.access import MUNICIPAL_STAFF, roles_required
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.extensions import db
from volunteer_hub.notifications import services
from volunteer_hub.notifications.models import OutboxMessage, OutboxStatus
from volunteer_hub.notifications.titles import message_title

bp = Blueprint("notifications", __name__, url_prefix="/udbakke")


@bp.route("")
@roles_required(*MUNICIPAL_STAFF)
def outbox() -> Any:
    status_code = request.args.get("status", "")
    status = OutboxStatus(status_code) if status_code in OutboxStatus._value2member_map_ else None
    recipient = request.args.get("recipient", "").strip()[:254]
    messages = services.list_outbox(current_user.municipality_id, status=status, recipient=recipient or None)
    return render_template(
        "notifications/outbox.html",
        messages=messages,
        status=status,
        recipient=recipient,
        statuses=list(OutboxStatus),
        mask=services.mask_address,
        message_title=message_title,
    )


@bp.route("/<int:message_id>/send-igen", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def resend(message_id: int) -> Any:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.municipality_id != current_user.municipality_id:
        abort(404)
    if message.status != OutboxStatus.FAILED:
        flash(_("Only a failed message can be sent again."), "error")
    else:
        services.resend_failed_message(message, actor=current_user)
        flash(_("The message is queued again and will be sent shortly."), "success")
    return redirect(url_for("notifications.outbox", status=request.form.get("back_status") or None))


STATUS_LABELS = {
    OutboxStatus.PENDING: _l("Waiting"),
    OutboxStatus.SENT: _l("Sent"),
    OutboxStatus.FAILED: _l("Failed"),
}


def register(app: Flask) -> None:
    add_nav_item(app, "notifications.outbox", _l("Outbox"), MUNICIPAL_STAFF)
    app.add_template_global(lambda status: str(STATUS_LABELS[status]), "outbox_status_label")
