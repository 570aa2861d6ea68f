"""A match's page and its transitions, check-ins, leisure outcome and the household's printed card."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub.core.access import MUNICIPAL_STAFF, STAFF, roles_required
from volunteer_hub.core.clock import local_today
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.families.access import record_case_read
from volunteer_hub.families.card import render_contact_card
from volunteer_hub.matching import followup, forms, queries, workflow
from volunteer_hub.matching.access import get_match_or_404
from volunteer_hub.matching.models import RUNNING_STATUSES, CheckIn, MatchStatus
from volunteer_hub.matching.views import bp
from volunteer_hub.matching.views.common import (
    approved_text,
    card_notes,
    current,
    done,
    refused,
    render_audited,
)

# --- matches -------------------------------------------------------------------------------------


@bp.route("/matching/")
@roles_required(*STAFF)
def index() -> Any:
    status = queries.status_filter(request.args.get("status"))
    page = queries.page_of_matches(current(), status=status, page=parse_id(request.args.get("side")) or 1)
    record_case_read(*(m.household_id for m in page.items), for_user=current())  # names the households
    return render_template("matching/index.html", page=page, status=status)  # "status": the filter


def _offer_choices(match: Any) -> list[tuple[str, str]]:
    from volunteer_hub.families.services.registers import list_leisure_offers

    return [("", _("None chosen"))] + [
        (str(o.id), o.name) for o in list_leisure_offers(match.municipality_id)
    ]


def _render_match(match: Any, status: int = 200, **form_overrides: Any) -> Any:
    """The match's page (shown, or again after a refused form): it shows the household."""
    from volunteer_hub.letters.links import card_delivery
    from volunteer_hub.letters.services import list_letters_sent

    delivery = card_delivery("match", match.id)
    leisure = form_overrides.get("leisure") or forms.LeisureOutcomeForm(
        data={
            "leisure_offer": str(match.leisure_offer_id or ""),
            "first_visit_on": match.first_visit_on,
            "membership_on": match.membership_on,
            "still_taking_part": {True: "yes", False: "no"}.get(match.still_taking_part_at_3_months, ""),
        }
    )
    leisure.leisure_offer.choices = _offer_choices(match)
    record_case_read(match.household_id, for_user=current(), municipality_id=match.municipality_id)
    return render_audited(
        "matching/detail.html",
        status,
        match=match,
        end_form=form_overrides.get("end") or forms.EndMatchForm(),
        check_in_form=forms.CheckInForm(data={"done_on": local_today()}),
        leisure_form=leisure,
        action_form=forms.ActionForm(),
        reject_form=forms.RejectPairForm(),
        letters=list_letters_sent("match", match.id),
        card_delivery=delivery,
        # The page words an e-mailed card itself (with the e-mail's status): only the advice then;
        # none once the match has ended (its link is closed).
        card_notes=card_notes(match, delivery)[1 if delivery.email else 0 :]
        if delivery and match.status != MatchStatus.ENDED
        else [],
        can_see_case=current_user.role in MUNICIPAL_STAFF,
        # A partner coordinator sees the household's contact card only, never the case.
        card=render_contact_card(match.household)
        if current_user.role not in MUNICIPAL_STAFF and match.status != MatchStatus.ENDED
        else None,
    )


@bp.route("/matching/<int:match_id>")
@roles_required(*STAFF)
def detail(match_id: int) -> Any:
    return _render_match(get_match_or_404(match_id, for_user=current()))


@bp.route("/matching/<int:match_id>/kontaktkort.pdf")
@roles_required(*MUNICIPAL_STAFF)
def contact_card_pdf(match_id: int) -> Any:
    """The volunteer's contact card as sent to the household, to print for a household without e-mail."""
    from volunteer_hub.letters.links import share_contact_card
    from volunteer_hub.letters.rendering import render_contact_card_pdf
    from volunteer_hub.letters.services import list_letters_sent, recorded_letter

    match = get_match_or_404(match_id, for_user=current())
    letters = list_letters_sent("match", match.id)
    if not letters:
        abort(404)
    data, text = recorded_letter(letters[0])
    # A printed card of a running match carries its own private link and its QR code (issue 22).
    url = None
    if match.status in RUNNING_STATUSES:
        url = share_contact_card(data, object_type="match", object_id=match.id, actor=current()).url
    pdf = render_contact_card_pdf(data, text=text, link_url=url)  # type: ignore[arg-type]
    record_case_read(match.household_id, for_user=current())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="contact-card-{match.id}.pdf"'},
    )


@bp.route("/matching/<int:match_id>/godkend", methods=["POST"])
@roles_required(*STAFF)
def approve(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        workflow.approve_match(match, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.detail", match_id=match_id)
    return done(approved_text(match), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/aktiver", methods=["POST"])
@roles_required(*STAFF)
def activate(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        workflow.activate_match(match, actor=current())
    except workflow.MatchError as error:
        return refused(error, "matching.detail", match_id=match_id)
    return done(_("The match is active."), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/afslut", methods=["POST"])
@roles_required(*STAFF)
def end(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    form = forms.EndMatchForm()
    if not form.validate_on_submit():
        return _render_match(match, 400, end=form)
    try:
        workflow.end_match(
            match, form.end_reason(), actor=current(), note=form.note.data or "", on=form.ended_on.data
        )
    except workflow.MatchError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_match(get_match_or_404(match_id, for_user=current()), 400, end=form)
    return done(
        _("The match has ended. The household's private link is closed."),
        "matching.detail",
        match_id=match_id,
    )


@bp.route("/matching/<int:match_id>/afvis", methods=["POST"])
@roles_required(*STAFF)
def reject(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    form = forms.RejectPairForm()
    if not form.validate_on_submit():
        return refused(ValueError(_("Write why the pair is rejected.")), "matching.detail", match_id=match_id)
    try:
        workflow.reject_pair(
            match.household, match.volunteer, match.scheme, form.reason.data, actor=current()
        )
    except workflow.MatchError as error:
        return refused(error, "matching.detail", match_id=match_id)
    return done(
        _("The pair is rejected and will not be proposed again."), "matching.detail", match_id=match_id
    )


@bp.route("/matching/<int:match_id>/opfoelgning/<int:check_in_id>", methods=["POST"])
@roles_required(*STAFF)
def check_in(match_id: int, check_in_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    item = db.session.get(CheckIn, check_in_id)
    form = forms.CheckInForm()
    if item is None or item.match_id != match.id:
        abort(404)
    if not form.validate_on_submit():
        return refused(ValueError(_("Enter the date of the check-in.")), "matching.detail", match_id=match_id)
    try:
        followup.complete_check_in(item, actor=current(), on=form.done_on.data, note=form.note.data or "")
    except workflow.MatchError as error:
        return refused(error, "matching.detail", match_id=match_id)
    return done(_("The check-in is recorded."), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/fritid", methods=["POST"])
@roles_required(*STAFF)
def leisure_outcome(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=current())
    form = forms.LeisureOutcomeForm()
    form.leisure_offer.choices = _offer_choices(match)
    if not form.validate_on_submit():
        return _render_match(match, 400, leisure=form)
    try:
        followup.record_leisure_outcome(
            match,
            actor=current(),
            leisure_offer_id=form.offer_id(),
            first_visit_on=form.first_visit_on.data,
            membership_on=form.membership_on.data,
            still_taking_part=form.taking_part(),
        )
    except workflow.MatchError as error:
        return refused(error, "matching.detail", match_id=match_id)
    return done(_("Where the introduction led is recorded."), "matching.detail", match_id=match_id)
