"""What erasing a volunteer means for their matches, contact cards and private links.

A volunteer who deletes their account stops volunteering: their open matches end
("volunteer stopped"), the families' private links close (which empties what they showed),
and the contact-card letters kept for reproduction lose the volunteer's name, phone, e-mail
and introduction. The matches themselves stay, without personal data, for the reports' counts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from volunteer_hub.extensions import db
from volunteer_hub.letters.links import revoke_links_for
from volunteer_hub.letters.models import LetterRecord
from volunteer_hub.matching.models import EndReason, Match
from volunteer_hub.matching.workflow import OPEN_STATUSES, end_match

PERSONAL_CARD_FIELDS = ("volunteer_first_name", "volunteer_phone", "volunteer_email", "volunteer_intro")


def forget_volunteer(volunteer_id: int, *, actor: Any) -> None:
    """End the volunteer's open matches and scrub their details from letters and links (flush only)."""
    matches = list(db.session.execute(select(Match).where(Match.volunteer_id == volunteer_id)).scalars())
    for match in matches:
        if match.status in OPEN_STATUSES:
            end_match(match, EndReason.VOLUNTEER_STOPPED, actor=actor)
        else:
            revoke_links_for("match", match.id, actor=actor)
    if not matches:
        return
    letters = db.session.execute(
        select(LetterRecord).where(
            LetterRecord.object_type == "match", LetterRecord.object_id.in_([m.id for m in matches])
        )
    ).scalars()
    for letter in letters:
        snapshot = dict(letter.snapshot)
        data = dict(snapshot.get("data", {}))
        for field in PERSONAL_CARD_FIELDS:
            if field in data:
                data[field] = ""
        snapshot["data"] = data
        letter.snapshot = snapshot  # a new dict, so the JSON column is written
    db.session.flush()
