"""Helpers shared by the matching views."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from volunteer_hub import vocab
from volunteer_hub.core.transaction import keep_writes_on_error
from volunteer_hub.db import parse_id
from volunteer_hub.extensions import db
from volunteer_hub.families.access import get_household_or_404
from volunteer_hub.matching import forms, services
from volunteer_hub.volunteers.models import Volunteer
from volunteer_hub.volunteers.permissions import get_volunteer_or_404
from volunteer_hub.volunteers.queries import VolunteerFilters, filtered_volunteers, visible_volunteers


def current() -> Any:
    return current_user._get_current_object()


def matcher_lang() -> Any:
    return services.interface_lang(get_locale())


def render_audited(template: str, status: int = 200, **context: Any) -> Any:
    """Render a page whose read the view audited. The audit event is kept even when the page
    answers a refused form (400): the refused change was rolled back before."""
    html = render_template(template, **context)
    keep_writes_on_error()
    return html, status


def done(message: str, endpoint: str, **values: Any) -> Any:
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def refused(error: Exception, endpoint: str, **values: Any) -> Any:
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for(endpoint, **values), 303)


def find_volunteers(text: str, limit: int = 20) -> list[Volunteer]:
    """Volunteers the signed-in user may see whose number is ``text`` (any case), else those
    whose name or e-mail contains every word of it (at most ``limit``, in the list's order)."""
    text = text.strip()[:100]
    if not text:
        return []
    visible = visible_volunteers(current()).where(Volunteer.erased_at.is_(None))
    exact = db.session.execute(visible.where(func.lower(Volunteer.ref) == text.lower()).limit(2)).scalars()
    found = list(exact)
    if len(found) == 1:
        return found
    search = filtered_volunteers(current(), VolunteerFilters(q=text)).where(Volunteer.erased_at.is_(None))
    return list(db.session.execute(search.limit(limit)).scalars())


def identify_volunteer(text: str, chosen: str | None) -> tuple[Volunteer | None, list[Volunteer]]:
    """The one volunteer ``text`` names (see ``find_volunteers``), else (None, the candidates).

    When several fit, ``chosen`` (an id from the list the user was shown) picks one of them; an
    id that is not among them picks nobody.
    """
    found = find_volunteers(text)
    if len(found) == 1:
        return found[0], []
    chosen_id = parse_id(chosen)
    picked = [v for v in found if v.id == chosen_id]
    return (picked[0], []) if picked else (None, found)


def pair_from(form: forms.PairForm, household_id: int | None = None) -> tuple[Any, Any, str]:
    """The household, volunteer and scheme a pair form names, each authorised, else 404."""
    form_household, volunteer_id = form.ids()
    household_id = household_id or form_household
    if household_id is None or volunteer_id is None or not form.validate_on_submit():
        abort(404 if household_id is None or volunteer_id is None else 400)
    household = get_household_or_404(household_id, for_user=current(), load=services.household_load_options())
    volunteer = get_volunteer_or_404(volunteer_id, for_user=current())
    return household, volunteer, form.scheme.data or ""


def card_notes(match: Any, delivery: Any) -> list[str]:
    """What became of the household's contact card (``letters.links.card_delivery``) and what the
    coordinator must do now: print it when nothing was e-mailed, use an interpreter when the card
    is not in the household's letter language."""
    if delivery is None:
        return [_("No contact card was made for the household.")]
    household = match.household
    language = vocab.in_sentence(vocab.LANGUAGES, delivery.language)
    if delivery.email is not None:
        notes = [
            _(
                "The household gets a private link to the volunteer's contact card by e-mail, in "
                "%(language)s.",
                language=language,
            )
        ]
    else:
        notes = [
            _(
                "Nothing was sent to the household, because it has no e-mail address: print the contact "
                "card (in %(language)s) on the match's page and hand it over.",
                language=language,
            )
        ]
    if household.letter_language and household.letter_language != delivery.language:
        notes.append(
            _(
                "Letters do not exist in %(wanted)s, so the card is in %(language)s: call the household "
                "with an interpreter and go through it together.",
                wanted=vocab.in_sentence(vocab.LANGUAGES, household.letter_language),
                language=language,
            )
        )
    elif household.interpreter_needed:
        notes.append(
            _("The household needs an interpreter: go through the card with them and an interpreter.")
        )
    return notes


def approved_text(match: Any) -> str:
    """The approval's message, worded from what was really queued and made (not from intentions)."""
    from volunteer_hub.letters.links import card_delivery

    volunteer_part = (
        _("The volunteer gets the household's contact card by e-mail.")
        if match.volunteer.email
        else _("The volunteer has no e-mail address: give them the household's contact card yourself.")
    )
    notes = card_notes(match, card_delivery("match", match.id))
    return " ".join([_("The match is approved."), volunteer_part, *notes])
