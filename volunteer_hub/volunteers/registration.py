"""The public registration wizard: one topic per page, a check page, then e-mail confirmation.

Answers are kept server-side in a draft (see drafts.py); each step is validated when it is
saved, and a step cannot be reached before the ones before it are filled in.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from volunteer_hub.core.access import public
from volunteer_hub.extensions import db
from volunteer_hub.tenancy.models import Municipality
from volunteer_hub.tenancy.services import get_municipality_by_code, list_organisations
from volunteer_hub.volunteers import drafts, forms, services, signup
from volunteer_hub.volunteers.drafts import ALL_STEPS, STEP_SLUGS
from volunteer_hub.volunteers.views import bp

SESSION_KEY = "vh_registration"


def _municipality() -> Municipality:
    municipality = get_municipality_by_code(current_app.config["VOLUNTEER_REGISTRATION_MUNICIPALITY"])
    if municipality is None:
        abort(404)
    return municipality


def _current_draft() -> Any:
    return drafts.find_draft(session.get(SESSION_KEY))


def _make_form(slug: str, municipality: Municipality, data: dict[str, Any]) -> Any:
    """The step's form: posted values on POST, else the saved answers."""
    saved = data.get(slug)
    kwargs: dict[str, Any] = {} if request.method == "POST" or saved is None else {"data": saved}
    if slug == "kontakt":
        return forms.ContactForm(**kwargs)
    if slug == "organisation":
        active = list_organisations(municipality.id, active_only=True)  # a deactivated one takes no one new
        return forms.OrganisationForm(organisations=active, **kwargs)
    if slug == "sprog":
        form = forms.LanguagesForm()
        if request.method != "POST" and saved:
            form.fill_languages(saved["languages"])
        return form
    if slug == "kompetencer":
        return forms.SkillsForm(**kwargs)
    if slug == "indsats":
        return forms.HelpForm(**kwargs)
    if slug == "om-dig":
        return (
            forms.AboutForm(**kwargs) if saved else forms.AboutForm(language=forms.current_language_default())
        )
    return forms.ConsentForm(needs_child_consent=drafts.needs_child_consent(data), **kwargs)


def _answers(slug: str, form: Any) -> dict[str, Any]:
    if slug == "sprog":
        return {"languages": form.language_levels()}
    return {name: value for name, value in form.data.items() if name != "csrf_token"}


@bp.route("/bliv-frivillig")
@public
def register_start() -> Any:
    if current_user.is_authenticated and current_user.role == "volunteer":
        return redirect(url_for("volunteers.me"))
    return render_template("volunteers/register/start.html", municipality=_municipality())


@bp.route("/bliv-frivillig/trin/<slug>", methods=["GET", "POST"])
@public
def register_step(slug: str) -> Any:
    if slug not in STEP_SLUGS:
        abort(404)
    municipality = _municipality()
    draft = _current_draft()
    data = draft.data if draft is not None else {}
    first_open = drafts.first_incomplete(data)
    if first_open is not None and STEP_SLUGS.index(slug) > STEP_SLUGS.index(first_open):
        return redirect(url_for("volunteers.register_step", slug=first_open))
    form = _make_form(slug, municipality, data)
    if form.validate_on_submit():
        if draft is None:
            draft, session[SESSION_KEY] = drafts.start_draft(municipality.id)
        drafts.save_step(draft, slug, _answers(slug, form))
        if request.args.get("retur") == "tjek" or slug == STEP_SLUGS[-1]:
            following = drafts.first_incomplete(draft.data)  # a change may open a later step again
        else:
            following = STEP_SLUGS[STEP_SLUGS.index(slug) + 1]
        if following is None:
            return redirect(url_for("volunteers.register_check"))
        return redirect(url_for("volunteers.register_step", slug=following))
    return _render_step(slug, form, data, municipality), 400 if form.errors else 200


def _render_step(slug: str, form: Any, data: dict[str, Any], municipality: Municipality) -> str:
    index = STEP_SLUGS.index(slug)
    return render_template(
        f"volunteers/register/{slug}.html",
        form=form,
        step=ALL_STEPS[index],
        step_number=index + 1,
        steps=ALL_STEPS,
        completed={s for s in STEP_SLUGS if drafts.is_step_complete(data, s)},
        back_url=url_for("volunteers.register_step", slug=STEP_SLUGS[index - 1]) if index else None,
        returning=request.args.get("retur") == "tjek",
        municipality=municipality,
    )


@bp.route("/bliv-frivillig/tjek", methods=["GET", "POST"])
@public
def register_check() -> Any:
    municipality = _municipality()
    draft = _current_draft()
    if draft is None:
        return redirect(url_for("volunteers.register_step", slug=STEP_SLUGS[0]))
    first_open = drafts.first_incomplete(draft.data)
    if first_open is not None:
        return redirect(url_for("volunteers.register_step", slug=first_open))
    form = forms.SubmitForm()
    email, profile, consents = drafts.to_registration(draft.data)
    if form.validate_on_submit():
        try:
            signup.submit_registration(municipality, email, profile, consents)
        except services.VolunteerError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            drafts.discard_draft(draft)
            session.pop(SESSION_KEY, None)
            return redirect(url_for("volunteers.register_done"))
    organisations = {o.id: o.name for o in list_organisations(municipality.id)}
    return render_template(
        "volunteers/register/tjek.html",
        form=form,
        step=drafts.CHECK,
        step_number=len(ALL_STEPS),
        steps=ALL_STEPS,
        completed=set(STEP_SLUGS),
        back_url=url_for("volunteers.register_step", slug=STEP_SLUGS[-1]),
        email=email,
        profile=profile,
        consents=consents,
        organisation_name=organisations.get(profile.organisation_id) if profile.organisation_id else None,
    ), 400 if form.form_errors else 200


@bp.route("/bliv-frivillig/tak")
@public
def register_done() -> Any:
    return render_template("volunteers/register/done.html")


@bp.route("/bliv-frivillig/bekraeft/<token>", methods=["GET", "POST"])
@public
def verify_email(token: str) -> Any:
    volunteer = signup.find_volunteer_by_verification_token(token)
    if volunteer is None:
        return render_template("volunteers/register/link_invalid.html"), 404
    form = forms.ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = signup.verify_email(volunteer, form.password.data or "", token)
        except services.VolunteerError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            login_user(user)
            flash(
                _("Your e-mail address is confirmed, and your application is now with the coordinators."),
                "success",
            )
            return redirect(url_for("volunteers.me"))
    return render_template("volunteers/register/verify.html", form=form, volunteer=volunteer), (
        400 if form.errors or form.form_errors else 200
    )
