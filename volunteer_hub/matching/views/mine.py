"""The volunteer's own match: the household's contact card and the meeting log."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from volunteer_hub.core.access import roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.core.roles import Role
from volunteer_hub.extensions import db
from volunteer_hub.families.access import record_case_read
from volunteer_hub.matching import followup, forms, workflow
from volunteer_hub.matching.access import get_own_match_or_404
from volunteer_hub.matching.models import MatchStatus
from volunteer_hub.matching.views import bp
from volunteer_hub.matching.views.common import (
    current,
    done,
    render_audited,
)

# --- the volunteer's own matches -----------------------------------------------------------------


@bp.route("/min-side/match/<int:match_id>", methods=["GET", "POST"])
@roles_required(Role.VOLUNTEER)
def my_match(match_id: int) -> Any:
    from volunteer_hub.families.card import render_contact_card

    match = get_own_match_or_404(match_id, for_user=current())
    form = forms.MeetingForm()
    status = 200
    if request.method == "GET":
        form.on.data = local_today()
    elif form.validate_on_submit():
        try:
            followup.log_meeting(
                match,
                actor=current(),
                on=form.on.data,
                minutes=form.minutes.data,
                kind=form.meeting_kind(),
                note=form.note.data or "",
            )
        except workflow.MatchError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 400
        else:
            return done(_("The meeting is logged. Thank you!"), "matching.my_match", match_id=match_id)
    else:
        status = 400
    card = render_contact_card(match.household) if match.status != MatchStatus.ENDED else None
    record_case_read(match.household_id, for_user=current(), municipality_id=match.municipality_id)
    return render_audited("matching/my_match.html", status, match=match, form=form, card=card)
