"""The matching pages: a household's suggestions, the plan, a match's page, and the volunteer's matches.

Thin views: parse, fetch and authorise, call one service (``workflow``), commit, redirect.
Municipal staff act on every match of their municipality; partner coordinators only on their
own organisation's volunteers' matches (404 otherwise); volunteers see only their own.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from volunteer_hub import vocab
from volunteer_hub.auth.models import Role
from volunteer_hub.auth.permissions import MUNICIPAL_STAFF, STAFF, roles_required
from volunteer_hub.extensions import db
from volunteer_hub.families.access import case_route, get_household_or_404
from volunteer_hub.families.dates import local_today
from volunteer_hub.families.views.common import render_and_commit
from volunteer_hub.matching import forms, queries, services, workflow
from volunteer_hub.matching.access import get_match_or_404, get_own_match_or_404
from volunteer_hub.matching.models import CheckIn, MatchSource, MatchStatus
from volunteer_hub.matching.plan import PLAN_BEST_FIT, PLAN_NOBODY_WAITS_TOO_LONG
from volunteer_hub.volunteers.models import Volunteer
from volunteer_hub.volunteers.permissions import get_own_volunteer_or_404, get_volunteer_or_404

bp = Blueprint("matching", __name__)

PRIORITIES = {"best_fit": PLAN_BEST_FIT, "nobody_waits": PLAN_NOBODY_WAITS_TOO_LONG}


def _user() -> Any:
    return current_user._get_current_object()


def _lang() -> Any:
    return services.interface_lang(get_locale())


def _done(message: str, endpoint: str, **values: Any) -> Any:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(error: Exception, endpoint: str, **values: Any) -> Any:
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for(endpoint, **values), 303)


# --- a household's suggestions ------------------------------------------------------------------


def _scheme_of(household: Any, requested: str | None) -> str | None:
    schemes = household.scheme_codes
    return requested if requested in schemes else (schemes[0] if schemes else None)


@bp.route("/familier/<int:household_id>/forslag")
@case_route
def suggestions(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=_user(), load=services.household_load_options())
    scheme = _scheme_of(household, request.args.get("ordning"))
    today = local_today()
    rows = services.suggestions_for(household, scheme, today, _lang()) if scheme else []
    why_not_id = request.args.get("hvorfor_ikke", "")
    why_not = None
    if scheme and why_not_id.isdigit():
        candidate = get_volunteer_or_404(int(why_not_id), for_user=_user())
        why_not = (candidate, services.why_not(household, scheme, candidate, today, _lang()))
    return render_and_commit(
        "matching/suggestions.html",
        household=household,
        scheme=scheme,
        rows=rows,
        why_not=why_not,
        volunteers=_volunteer_choices(household.municipality_id),
        matches=queries.household_matches(household.id),
        form=forms.RejectPairForm(),
    )


def _volunteer_choices(municipality_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Volunteer.id, Volunteer.first_name, Volunteer.last_name, Volunteer.ref)
        .where(Volunteer.municipality_id == municipality_id, Volunteer.erased_at.is_(None))
        .order_by(Volunteer.first_name, Volunteer.last_name, Volunteer.ref)
    ).all()
    return [(row.id, f"{row.first_name} {row.last_name} ({row.ref})") for row in rows]


def _pair(form: forms.PairForm, household_id: int | None = None) -> tuple[Any, Any, str]:
    """The household, volunteer and scheme a pair form names, each authorised, else 404."""
    form_household, volunteer_id = form.ids()
    household_id = household_id or form_household
    if household_id is None or volunteer_id is None or not form.validate_on_submit():
        abort(404 if household_id is None or volunteer_id is None else 400)
    household = get_household_or_404(household_id, for_user=_user(), load=services.household_load_options())
    volunteer = get_volunteer_or_404(volunteer_id, for_user=_user())
    return household, volunteer, form.scheme.data or ""


@bp.route("/familier/<int:household_id>/forslag/godkend", methods=["POST"])
@case_route
def approve_suggestion(household_id: int) -> Any:
    household, volunteer, scheme = _pair(forms.PairForm(), household_id)
    back = {"household_id": household_id, "ordning": scheme}
    try:
        match = workflow.propose_match(
            household, volunteer, scheme, actor=_user(), source=MatchSource.SUGGESTION
        )
        workflow.approve_match(match, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.suggestions", **back)
    return _done(_approved_text(), "matching.detail", match_id=match.id)


@bp.route("/familier/<int:household_id>/forslag/foreslaa", methods=["POST"])
@case_route
def propose_suggestion(household_id: int) -> Any:
    household, volunteer, scheme = _pair(forms.PairForm(), household_id)
    try:
        match = workflow.propose_match(
            household, volunteer, scheme, actor=_user(), source=MatchSource.SUGGESTION
        )
    except workflow.MatchError as error:
        return _refused(error, "matching.suggestions", household_id=household_id, ordning=scheme)
    return _done(
        _("The match is proposed. It can be approved on its page."), "matching.detail", match_id=match.id
    )


@bp.route("/familier/<int:household_id>/forslag/afvis", methods=["POST"])
@case_route
def reject_suggestion(household_id: int) -> Any:
    form = forms.RejectPairForm()
    household, volunteer, scheme = _pair(form, household_id)
    try:
        workflow.reject_pair(household, volunteer, scheme, form.reason.data, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.suggestions", household_id=household_id, ordning=scheme)
    return _done(
        _("The pair is rejected and will not be proposed again."),
        "matching.suggestions",
        household_id=household_id,
        ordning=scheme,
    )


def _approved_text() -> str:
    return _(
        "The match is approved. The volunteer gets the household's contact card by e-mail, and the "
        "household gets the volunteer's contact card in its own language."
    )


@bp.route("/familier/<int:household_id>/manuel", methods=["GET", "POST"])
@case_route
def manual(household_id: int) -> Any:
    household = get_household_or_404(household_id, for_user=_user(), load=services.household_load_options())
    form = forms.ManualMatchForm()
    form.volunteer.choices = [("", _("Choose a volunteer"))] + [
        (str(i), label) for i, label in _volunteer_choices(household.municipality_id)
    ]
    form.scheme.choices = [(s, vocab.label(vocab.SCHEMES, s)) for s in household.scheme_codes]
    status = 200
    if form.validate_on_submit():
        volunteer = get_volunteer_or_404(int(form.volunteer.data), for_user=_user())
        try:
            match = workflow.create_manual_match(
                household,
                volunteer,
                form.scheme.data,
                actor=_user(),
                override_language=form.override_language.data,
                override_reason=form.override_reason.data or "",
            )
        except workflow.MatchError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            status = 400
        else:
            return _done(_approved_text(), "matching.detail", match_id=match.id)
    elif request.method == "POST":
        status = 400
    return render_and_commit("matching/manual.html", status, household=household, form=form)


# --- the plan ------------------------------------------------------------------------------------


@bp.route("/matching/plan")
@roles_required(*MUNICIPAL_STAFF)
def plan() -> Any:
    priority = request.args.get("prioritet", "best_fit")
    priority = priority if priority in PRIORITIES else "best_fit"
    scheme = request.args.get("ordning") or None
    scheme = scheme if scheme in vocab.SCHEMES else None
    result = services.proposed_plan(
        current_user.municipality_id, local_today(), PRIORITIES[priority], scheme, _lang()
    )
    return render_template(
        "matching/plan.html", result=result, priority=priority, scheme=scheme, form=forms.RejectPairForm()
    )


@bp.route("/matching/plan/godkend", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def approve_planned() -> Any:
    household, volunteer, scheme = _pair(forms.PairForm())
    back = {"prioritet": request.args.get("prioritet", "best_fit")}
    try:
        match = workflow.propose_match(household, volunteer, scheme, actor=_user(), source=MatchSource.PLAN)
        workflow.approve_match(match, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.plan", **back)
    return _done(_approved_text(), "matching.plan", **back)


@bp.route("/matching/plan/afvis", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def reject_planned() -> Any:
    form = forms.RejectPairForm()
    household, volunteer, scheme = _pair(form)
    back = {"prioritet": request.args.get("prioritet", "best_fit")}
    try:
        workflow.reject_pair(household, volunteer, scheme, form.reason.data, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.plan", **back)
    return _done(_("The pair is rejected and will not be proposed again."), "matching.plan", **back)


# --- matches -------------------------------------------------------------------------------------


@bp.route("/matching/")
@roles_required(*STAFF)
def index() -> Any:
    status = request.args.get("status", "open")
    return render_template(
        "matching/index.html", matches=queries.list_matches(_user(), status=status), status=status
    )


def _offer_choices(match: Any) -> list[tuple[str, str]]:
    from volunteer_hub.families.services.registers import list_leisure_offers

    return [("", _("None chosen"))] + [
        (str(o.id), o.name) for o in list_leisure_offers(match.municipality_id)
    ]


def _render_match(match: Any, status: int = 200, **form_overrides: Any) -> Any:
    from volunteer_hub.letters.services import list_letters_sent

    leisure = form_overrides.get("leisure") or forms.LeisureOutcomeForm(
        data={
            "leisure_offer": str(match.leisure_offer_id or ""),
            "first_visit_on": match.first_visit_on,
            "membership_on": match.membership_on,
            "still_taking_part": {True: "yes", False: "no"}.get(match.still_taking_part_at_3_months, ""),
        }
    )
    leisure.leisure_offer.choices = _offer_choices(match)
    return render_template(
        "matching/detail.html",
        match=match,
        end_form=form_overrides.get("end") or forms.EndMatchForm(),
        check_in_form=forms.CheckInForm(data={"done_on": local_today()}),
        leisure_form=leisure,
        action_form=forms.ActionForm(),
        reject_form=forms.RejectPairForm(),
        letters=list_letters_sent("match", match.id),
        can_see_case=current_user.role in MUNICIPAL_STAFF,
    ), status


@bp.route("/matching/<int:match_id>")
@roles_required(*STAFF)
def detail(match_id: int) -> Any:
    return _render_match(get_match_or_404(match_id, for_user=_user()))


@bp.route("/matching/<int:match_id>/kontaktkort.pdf")
@roles_required(*MUNICIPAL_STAFF)
def contact_card_pdf(match_id: int) -> Any:
    """The volunteer's contact card as sent to the household, to print for a household without e-mail."""
    from volunteer_hub.letters.rendering import render_contact_card_pdf
    from volunteer_hub.letters.services import list_letters_sent, recorded_letter

    match = get_match_or_404(match_id, for_user=_user())
    letters = list_letters_sent("match", match.id)
    if not letters:
        abort(404)
    data, text = recorded_letter(letters[0])
    return Response(
        render_contact_card_pdf(data, text=text),  # type: ignore[arg-type]
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="contact-card-{match.id}.pdf"'},
    )


@bp.route("/matching/<int:match_id>/godkend", methods=["POST"])
@roles_required(*STAFF)
def approve(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        workflow.approve_match(match, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.detail", match_id=match_id)
    return _done(_approved_text(), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/aktiver", methods=["POST"])
@roles_required(*STAFF)
def activate(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        workflow.activate_match(match, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.detail", match_id=match_id)
    return _done(_("The match is active."), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/afslut", methods=["POST"])
@roles_required(*STAFF)
def end(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    form = forms.EndMatchForm()
    if not form.validate_on_submit():
        return _render_match(match, 400, end=form)
    try:
        workflow.end_match(
            match, form.end_reason(), actor=_user(), note=form.note.data or "", on=form.ended_on.data
        )
    except workflow.MatchError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _render_match(get_match_or_404(match_id, for_user=_user()), 400, end=form)
    return _done(
        _("The match has ended. The household's private link is closed."),
        "matching.detail",
        match_id=match_id,
    )


@bp.route("/matching/<int:match_id>/afvis", methods=["POST"])
@roles_required(*STAFF)
def reject(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    form = forms.RejectPairForm()
    if not form.validate_on_submit():
        return _refused(
            ValueError(_("Write why the pair is rejected.")), "matching.detail", match_id=match_id
        )
    try:
        workflow.reject_pair(match.household, match.volunteer, match.scheme, form.reason.data, actor=_user())
    except workflow.MatchError as error:
        return _refused(error, "matching.detail", match_id=match_id)
    return _done(
        _("The pair is rejected and will not be proposed again."), "matching.detail", match_id=match_id
    )


@bp.route("/matching/<int:match_id>/opfoelgning/<int:check_in_id>", methods=["POST"])
@roles_required(*STAFF)
def check_in(match_id: int, check_in_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    item = db.session.get(CheckIn, check_in_id)
    form = forms.CheckInForm()
    if item is None or item.match_id != match.id:
        abort(404)
    if not form.validate_on_submit():
        return _refused(
            ValueError(_("Enter the date of the check-in.")), "matching.detail", match_id=match_id
        )
    try:
        workflow.complete_check_in(item, actor=_user(), on=form.done_on.data, note=form.note.data or "")
    except workflow.MatchError as error:
        return _refused(error, "matching.detail", match_id=match_id)
    return _done(_("The check-in is recorded."), "matching.detail", match_id=match_id)


@bp.route("/matching/<int:match_id>/fritid", methods=["POST"])
@roles_required(*STAFF)
def leisure_outcome(match_id: int) -> Any:
    match = get_match_or_404(match_id, for_user=_user())
    form = forms.LeisureOutcomeForm()
    form.leisure_offer.choices = _offer_choices(match)
    if not form.validate_on_submit():
        return _render_match(match, 400, leisure=form)
    try:
        workflow.record_leisure_outcome(
            match,
            actor=_user(),
            leisure_offer_id=form.offer_id(),
            first_visit_on=form.first_visit_on.data,
            membership_on=form.membership_on.data,
            still_taking_part=form.taking_part(),
        )
    except workflow.MatchError as error:
        return _refused(error, "matching.detail", match_id=match_id)
    return _done(_("Where the introduction led is recorded."), "matching.detail", match_id=match_id)


# --- the volunteer's own matches -----------------------------------------------------------------


@bp.route("/min-side/match/<int:match_id>", methods=["GET", "POST"])
@roles_required(Role.VOLUNTEER)
def my_match(match_id: int) -> Any:
    from volunteer_hub.families.card import render_contact_card

    match = get_own_match_or_404(match_id, for_user=_user())
    form = forms.MeetingForm()
    status = 200
    if request.method == "GET":
        form.on.data = local_today()
    elif form.validate_on_submit():
        try:
            workflow.log_meeting(
                match,
                actor=_user(),
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
            return _done(_("The meeting is logged. Thank you!"), "matching.my_match", match_id=match_id)
    else:
        status = 400
    card = render_contact_card(match.household) if match.status != MatchStatus.ENDED else None
    return render_template("matching/my_match.html", match=match, form=form, card=card), status


def _my_matches() -> list[Any]:
    volunteer = get_own_volunteer_or_404(_user())
    return queries.volunteer_matches(volunteer.id)


def _dashboard() -> dict[str, Any]:
    user, today = _user(), local_today()
    board: dict[str, Any] = {
        "stale": queries.matches_without_contact(user, today),
        "check_ins": queries.check_ins_due(user, today),
        "proposed": queries.list_matches(user, status="proposed"),
        "today": today,
    }
    if user.role in MUNICIPAL_STAFF:
        from volunteer_hub.families.queries import list_waiting_households

        board["waiting"] = list_waiting_households(user.municipality_id, today)
    return board


def register(app: Flask) -> None:
    """Add the blueprint, its menu entries, overview section, CLI, template helpers and demo data."""
    from volunteer_hub.core.navigation import add_dashboard_section, add_nav_item
    from volunteer_hub.matching import labels
    from volunteer_hub.matching.demo import seed_matches

    app.register_blueprint(bp)
    add_nav_item(app, "matching.index", _l("Matches"), STAFF)
    add_nav_item(app, "matching.plan", _l("Matching plan"), MUNICIPAL_STAFF)
    add_dashboard_section(app, "matching/_dashboard.html", STAFF)
    app.extensions.setdefault("vh_demo_seeders", []).append(seed_matches)
    app.jinja_env.globals.update(
        vh_match_label=labels.match_label,
        vh_match_status=labels.status_label,
        vh_factor_label=labels.factor_label,
        vh_rule_label=labels.rule_label,
        vh_my_matches=_my_matches,
        vh_matching_dashboard=_dashboard,
        vh_household_matches=queries.household_matches,
    )
