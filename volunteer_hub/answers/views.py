"""The family's answers: confirm a choice on the private link (no account), and staff's pages.

Family routes live under the link (``/k/<token>/svar/...``), answer in the link's language and
refuse, as the card does, an unknown (404) or closed (410) link. Staff read one answer (its
message is the family's personal data: the read is audited) and mark it as handled.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from volunteer_hub.answers import labels, services
from volunteer_hub.answers.forms import AnswerForm, HandledForm
from volunteer_hub.core.access import MUNICIPAL_STAFF, public, roles_required
from volunteer_hub.core.languages import ENDONYMS, family_language, text_direction
from volunteer_hub.core.transaction import keep_writes_on_error
from volunteer_hub.families.access import record_case_read
from volunteer_hub.letters import link_views, links
from volunteer_hub.letters.models import FamilyLink, FamilyLinkStatus

bp = Blueprint("answers", __name__)


def _family_page(template: str, link: FamilyLink, status: int = 200, **context: Any) -> Response:
    with family_language(link.language):
        html = render_template(
            template, family_lang=link.language, family_dir=text_direction(link.language), **context
        )
    return Response(html, status=status, mimetype="text/html", headers=link_views.PRIVATE_HEADERS)


def _active_link(token: str) -> tuple[FamilyLink | None, Response | None]:
    link = links.find_family_link(token)
    if link is None:
        return None, link_views._unknown()
    if link.status() != FamilyLinkStatus.ACTIVE or services.match_of_link(link) is None:
        keep_writes_on_error()  # the refused answer is audited although the page answers 410
        services.record_refusal(link)
        return None, link_views._gone(link)
    return link, None


@bp.route(f"{links.LINK_PREFIX}/<token>/svar/<choice>", methods=["GET", "POST"])
@public
def answer(token: str, choice: str) -> Any:
    link, refusal = _active_link(token)
    if link is None:
        return refusal
    picked = services.choice_from_slug(choice)
    if picked is None:
        abort(404)
    form = AnswerForm(data={"interpreter_language": link.language if link.language != "da" else "en"})
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                services.record_answer(
                    link,
                    picked,
                    message=form.message.data or "",
                    message_language=form.message_language.data or "",
                    interpreter_language=form.interpreter_language.data,
                )
            except services.TooManyAnswersError:
                status = 429
            except services.UnknownLanguageError:
                form.interpreter_language.errors = [""]
            else:
                return redirect(url_for("answers.thanks", token=token))
    return _family_page(
        "answers/confirm.html", link, status, form=form, choice=picked, token=token,
        too_many=status == 429, endonyms=ENDONYMS,
    )  # fmt: skip


@bp.route(f"{links.LINK_PREFIX}/<token>/svar/tak")
@public
def thanks(token: str) -> Any:
    link, refusal = _active_link(token)
    if link is None:
        return refusal
    return _family_page("answers/thanks.html", link, token=token)


@bp.route("/familiesvar/<int:answer_id>")
@roles_required(*MUNICIPAL_STAFF)
def detail(answer_id: int) -> Any:
    answer = services.get_answer_or_404(answer_id, for_user=current_user)
    record_case_read(answer.household_id, for_user=current_user)  # the message is the family's data
    return render_template("answers/detail.html", answer=answer, form=HandledForm(), endonyms=ENDONYMS)


@bp.route("/familiesvar/<int:answer_id>/handled", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def handled(answer_id: int) -> Any:
    answer = services.get_answer_or_404(answer_id, for_user=current_user)
    if not HandledForm().validate_on_submit():
        abort(400)
    try:
        services.mark_answer_handled(answer, actor=current_user)
    except services.AlreadyHandledError:
        flash(_("The answer was already marked as handled."), "info")
    else:
        flash(_("The answer is marked as handled."), "success")
    return redirect(url_for("home.index"))


def register(app: Flask) -> None:
    """The overview's list, the volunteer's confirmation, the outbox hook and template helpers."""
    from volunteer_hub.answers.board import answers_board, match_answers
    from volunteer_hub.answers.models import FamilyAnswer
    from volunteer_hub.answers.reminders import redact_sent_reminder
    from volunteer_hub.core.navigation import add_dashboard_board
    from volunteer_hub.matching.queries import add_contact_source

    # The list is a part of the families section (the slot its template leaves, as matching's waiting list).
    add_dashboard_board(app, "answers", MUNICIPAL_STAFF, answers_board)
    # "We have met" is contact, as a logged meeting is.
    add_contact_source(app, services.met_answers, FamilyAnswer)
    app.jinja_env.globals.setdefault("family_dashboard_parts", []).append("answers/_dashboard.html")
    app.extensions.setdefault("vh_outbox_after_send", []).append(redact_sent_reminder)
    app.jinja_env.globals.update(
        vh_answer_label=labels.staff_answer_label,
        vh_family_choice=labels.family_choice_label,
        vh_answer_choices=services.CHOICES,
        vh_family_confirmed_met_on=services.family_confirmed_met_on,
        vh_match_answers=match_answers,
    )
