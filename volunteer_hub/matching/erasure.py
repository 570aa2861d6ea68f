"""A volunteer's matches in their export, and what erasing the volunteer means for them.

Export: every match with its meetings (and their notes), its follow-ups, the rejected pairs,
the contact cards and the private links that gave a family the volunteer's details.

Erasure: the volunteer stops volunteering, so open matches end ("volunteer stopped") and the
families' private links close (which empties what they showed). Every free text written by or
about the volunteer goes: meeting notes, follow-up notes, a match's end note and language
override reason, the reasons pairs were rejected; the contact-card letters kept for
reproduction and the e-mails that carried a card or link lose the volunteer's name, phone,
e-mail and introduction. The matches stay with their dates, schemes, households and meeting
dates and lengths, which the reports count.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Flask
from sqlalchemy import select, update

from volunteer_hub import vocab
from volunteer_hub.extensions import db
from volunteer_hub.letters.links import revoke_links_for
from volunteer_hub.letters.models import FamilyLink, LetterRecord
from volunteer_hub.matching.labels import (
    CHECK_IN_LABELS,
    END_REASON_LABELS,
    MEETING_KIND_LABELS,
    status_label,
)
from volunteer_hub.matching.models import CheckIn, EndReason, Match, Meeting, RejectedPair
from volunteer_hub.matching.workflow import OPEN_STATUSES, end_match
from volunteer_hub.notifications.models import OutboxMessage
from volunteer_hub.volunteers.models import Volunteer
from volunteer_hub.volunteers.privacy import scrub_json, scrub_text
from volunteer_hub.volunteers.privacy_export import iso

PERSONAL_CARD_FIELDS = ("volunteer_first_name", "volunteer_phone", "volunteer_email", "volunteer_intro")


def register(app: Flask) -> None:
    """Add the matches to every volunteer's export and to their erasure."""
    from volunteer_hub.volunteers.privacy import add_erasure_step, add_export_section

    add_erasure_step(app, forget_volunteer)
    add_export_section(app, "matches", export_matches)
    add_export_section(app, "rejected_pairs", export_rejected_pairs)
    add_export_section(app, "contact_cards", export_contact_cards)


# --- export --------------------------------------------------------------------------------------


def _matches(volunteer_id: int) -> list[Match]:
    return list(
        db.session.execute(
            select(Match).where(Match.volunteer_id == volunteer_id).order_by(Match.id)
        ).scalars()
    )


def _label(labels: dict[Any, Any], code: Any) -> dict[str, str] | None:
    if code is None:
        return None
    return {"code": str(code), "label": str(labels.get(code, code))}


def export_matches(volunteer: Volunteer) -> list[dict[str, Any]]:
    """Each match of the volunteer: status, scheme, dates, meetings with notes, follow-ups.

    Nothing of the household: it is the family's data, not the volunteer's (and a proposal the
    volunteer never heard of must not name a family to them)."""
    return [
        {
            "id": match.id,
            "scheme": {"code": match.scheme, "label": vocab.label("scheme", match.scheme)},
            "status": {"code": match.status.value, "label": status_label(match.status)},
            "proposed_at": iso(match.proposed_at),
            "approved_at": iso(match.approved_at),
            "started_on": iso(match.started_on),
            "ended_on": iso(match.ended_on),
            "end_reason": _label(END_REASON_LABELS, match.end_reason),
            "end_note": match.end_note,
            "language_override_reason": match.override_reason,
            "meetings": [
                {
                    "on": iso(m.on),
                    "minutes": m.minutes,
                    "kind": _label(MEETING_KIND_LABELS, m.kind),
                    "note": m.note,
                    "logged_at": iso(m.created_at),
                }
                for m in sorted(match.meetings, key=lambda m: (m.on, m.id))
            ],
            "follow_ups": [
                {
                    "kind": _label(CHECK_IN_LABELS, c.kind),
                    "due_on": iso(c.due_on),
                    "done_on": iso(c.done_on),
                    "note": c.note,
                }
                for c in match.check_ins
            ],
        }
        for match in _matches(volunteer.id)
    ]


def export_rejected_pairs(volunteer: Volunteer) -> list[dict[str, Any]]:
    """The pairs a coordinator rejected, with the reason written about them."""
    rows = db.session.execute(
        select(RejectedPair).where(RejectedPair.volunteer_id == volunteer.id).order_by(RejectedPair.id)
    ).scalars()
    return [
        {
            "scheme": {"code": r.scheme, "label": vocab.label("scheme", r.scheme)},
            "rejected_at": iso(r.rejected_at),
            "reason": r.reason,
        }
        for r in rows
    ]


def export_contact_cards(volunteer: Volunteer) -> dict[str, Any]:
    """What families were given about the volunteer: printed cards and private links."""
    ids = [m.id for m in _matches(volunteer.id)]
    if not ids:
        return {"letters": [], "private_links": []}
    letters = db.session.execute(
        select(LetterRecord)
        .where(LetterRecord.object_type == "match", LetterRecord.object_id.in_(ids))
        .order_by(LetterRecord.id)
    ).scalars()
    links = db.session.execute(
        select(FamilyLink)
        .where(FamilyLink.object_type == "match", FamilyLink.object_id.in_(ids))
        .order_by(FamilyLink.id)
    ).scalars()
    return {
        "letters": [
            {
                "match": r.object_id,
                "sent_at": iso(r.sent_at),
                "language": r.language,
                "about_you": _card_fields(r.snapshot),
            }
            for r in letters
        ],
        "private_links": [
            {
                "match": link.object_id,
                "created_at": iso(link.created_at),
                "expires_at": iso(link.expires_at),
                "revoked_at": iso(link.revoked_at),
                "times_opened": link.open_count,
                "last_opened_at": iso(link.last_opened_at),
                "about_you": _card_fields(link.snapshot),
            }
            for link in links
        ],
    }


def _card_fields(snapshot: dict[str, Any] | None) -> dict[str, Any]:
    data = (snapshot or {}).get("data") or {}
    return {field: data[field] for field in PERSONAL_CARD_FIELDS if field in data}


# --- erasure -------------------------------------------------------------------------------------


def forget_volunteer(volunteer_id: int, *, actor: Any, personal: Sequence[str] = ()) -> None:
    """End the volunteer's open matches, and empty every text by or about them (flush only)."""
    matches = _matches(volunteer_id)
    for match in matches:
        if match.status in OPEN_STATUSES:
            end_match(match, EndReason.VOLUNTEER_STOPPED, actor=actor)
        else:
            revoke_links_for("match", match.id, actor=actor)
    db.session.execute(
        update(RejectedPair)
        .where(RejectedPair.volunteer_id == volunteer_id)
        .values(reason="")
        .execution_options(synchronize_session="fetch")
    )
    if not matches:
        return
    ids = [m.id for m in matches]
    for match in matches:
        match.end_note = ""
        match.override_reason = None
    for model in (Meeting, CheckIn):
        db.session.execute(
            update(model)
            .where(model.match_id.in_(ids))
            .values(note="")
            .execution_options(synchronize_session="fetch")
        )
    letters = db.session.execute(
        select(LetterRecord).where(LetterRecord.object_type == "match", LetterRecord.object_id.in_(ids))
    ).scalars()
    for letter in letters:
        snapshot = dict(letter.snapshot)
        data = dict(snapshot.get("data", {}))
        for field in PERSONAL_CARD_FIELDS:
            if field in data:
                data[field] = ""
        snapshot["data"] = data
        letter.snapshot = scrub_json(snapshot, list(personal))  # a new dict: the JSON column is written
    _scrub_link_emails(ids, list(personal))
    db.session.flush()


def _scrub_link_emails(match_ids: list[int], personal: list[str]) -> None:
    """The e-mails that carried a family the card or link: their name and details go too."""
    links = list(
        db.session.execute(
            select(FamilyLink).where(FamilyLink.object_type == "match", FamilyLink.object_id.in_(match_ids))
        ).scalars()
    )
    for link in links:
        if link.snapshot:
            link.snapshot = scrub_json(link.snapshot, personal)  # type: ignore[assignment]
    message_ids = [link.email_message_id for link in links if link.email_message_id is not None]
    if not message_ids or not personal:
        return
    messages = db.session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids))).scalars()
    for message in messages:
        message.subject = scrub_text(message.subject, personal) or "-"
        message.body = scrub_text(message.body, personal) or ""
