"""Administrators' pages for letters: signature settings, texts per language, review flags, previews."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from volunteer_hub import vocab
from volunteer_hub.core.access import roles_required
from volunteer_hub.core.languages import (
    ENDONYMS,
    FAMILY_LANGUAGES,
    RIGHT_TO_LEFT,
    _f,
    _fg,
    family_language,
    interface_language_name,
    text_direction,
)
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.core.roles import Role
from volunteer_hub.letters import links, rendering, services
from volunteer_hub.letters.data import sample_contact_card, sample_welcome_letter
from volunteer_hub.letters.forms import LanguageReviewForm, LetterSettingsForm, LetterTemplateForm
from volunteer_hub.letters.models import LetterKind
from volunteer_hub.letters.texts import PLACEHOLDERS, has_gender_variants
from volunteer_hub.tenancy.tasks import add_missing_setting_check

bp = Blueprint("letters", __name__, url_prefix="/breve")

KIND_LABELS = {
    LetterKind.WELCOME_LETTER: _l("Welcome letter"),
    LetterKind.CONTACT_CARD: _l("Volunteer contact card"),
}
PLACEHOLDER_HELP = {
    "contact_first_name": _l("the first name of the household's contact person"),
    "household_name": _l("the household's name"),
    "municipality_name": _l("the municipality's name"),
    "mayor_name": _l("the mayor's name (from the letter settings)"),
    "volunteer_first_name": _l("the volunteer's first name"),
}


def _kind_and_language(kind: str, language: str) -> tuple[LetterKind, str]:
    if kind not in LetterKind._value2member_map_ or language not in FAMILY_LANGUAGES:
        abort(404)
    return LetterKind(kind), language


def _sample(kind: LetterKind, language: str) -> Any:
    municipality = current_user.municipality
    if kind == LetterKind.CONTACT_CARD:
        return sample_contact_card(municipality.id, municipality.name, language)
    settings = services.get_letter_settings(municipality.id)
    return sample_welcome_letter(
        municipality.id, municipality.name, settings.mayor_name, settings.signature_line, language
    )


@bp.route("")
@roles_required(Role.ADMIN)
def index() -> Any:
    municipality_id = current_user.municipality_id
    return render_template(
        "letters/index.html",
        settings=services.get_letter_settings(municipality_id),
        reviews=services.language_reviews(municipality_id),
        versions=services.template_versions(municipality_id),
        kinds=list(LetterKind),
        kind_labels=KIND_LABELS,
    )


@bp.route("/indstillinger", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> Any:
    current = services.get_letter_settings(current_user.municipality_id)
    form = LetterSettingsForm(
        data={"mayor_name": current.mayor_name, "signature_line": current.signature_line}
    )
    if form.validate_on_submit():
        services.update_letter_settings(
            current_user.municipality_id,
            mayor_name=form.mayor_name.data or "",
            signature_line=form.signature_line.data or "",
            actor=current_user,
        )
        flash(_("The letter settings are saved."), "success")
        return redirect(url_for("letters.index"))
    return render_template("letters/settings.html", form=form), 400 if form.errors else 200


@bp.route("/tekster/<kind>/<language>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_template(kind: str, language: str) -> Any:
    letter_kind, language = _kind_and_language(kind, language)
    current = services.current_letter_text(current_user.municipality_id, letter_kind, language)
    form = LetterTemplateForm(data={"title": current.title, "body": current.body})
    for field in (form.title, form.body):
        field.render_kw = {"lang": language, "dir": text_direction(language)}
    if form.validate_on_submit():
        try:
            services.save_letter_template(
                current_user.municipality_id,
                letter_kind,
                language,
                title=form.title.data or "",
                body=form.body.data or "",
                actor=current_user,
            )
        except services.TemplateError as error:
            form.body.errors.append(
                _(
                    "Unknown placeholder: %(names)s. You can use: %(allowed)s.",
                    names=", ".join(error.problems),
                    allowed=", ".join("{" + name + "}" for name in PLACEHOLDERS[letter_kind]),
                )
            )
        else:
            flash(_("The text is saved as a new version."), "success")
            return redirect(url_for("letters.preview", kind=kind, language=language))
    return render_template(
        "letters/edit_template.html",
        form=form,
        kind=letter_kind,
        language=language,
        current=current,
        kind_labels=KIND_LABELS,
        placeholders=PLACEHOLDERS[letter_kind],
        placeholder_help=PLACEHOLDER_HELP,
        # An edited text is one text for every volunteer: the catalogue's gender variants no longer apply.
        gendered=has_gender_variants(letter_kind, language),
    ), 400 if form.errors else 200


@bp.route("/sprog/<language>/gennemlaest", methods=["POST"])
@roles_required(Role.ADMIN)
def set_review(language: str) -> Any:
    form = LanguageReviewForm()
    if language not in FAMILY_LANGUAGES or not form.validate_on_submit():
        abort(400)
    services.set_language_reviewed(
        current_user.municipality_id, language, form.reviewed.data == "1", actor=current_user
    )
    flash(_("The review status is saved."), "success")
    return redirect(url_for("letters.index"))


@bp.route("/forhaandsvisning/<kind>/<language>")
@roles_required(Role.ADMIN)
def preview(kind: str, language: str) -> Any:
    letter_kind, language = _kind_and_language(kind, language)
    data = _sample(letter_kind, language)
    with family_language(language):
        view = (
            rendering.welcome_letter_view(data)
            if letter_kind == LetterKind.WELCOME_LETTER
            else rendering.contact_card_view(data)
        )
        # Rendered by our own autoescaping template, apart, because it is in the family's language.
        html = render_template("letters/_letter.html", letter=view, heading_level=2)
        letter_html = Markup(html)  # noqa: S704  # nosec B704 - autoescaped template output
    return render_template(
        "letters/preview.html",
        kind=letter_kind,
        language=language,
        letter_html=letter_html,
        kind_labels=KIND_LABELS,
        mayor_missing=not services.get_letter_settings(current_user.municipality_id).mayor_name,
    )


@bp.route("/forhaandsvisning/<kind>/<language>/side")
@roles_required(Role.ADMIN)
def preview_page(kind: str, language: str) -> Any:
    letter_kind, language = _kind_and_language(kind, language)
    data = _sample(letter_kind, language)
    if letter_kind == LetterKind.WELCOME_LETTER:
        return rendering.render_welcome_letter_html(data)
    return rendering.render_contact_card_html(data)


@bp.route("/forhaandsvisning/<kind>/<language>.pdf")
@roles_required(Role.ADMIN)
def preview_pdf(kind: str, language: str) -> Any:
    letter_kind, language = _kind_and_language(kind, language)
    data = _sample(letter_kind, language)
    pdf = (
        rendering.render_welcome_letter_pdf(data)
        if letter_kind == LetterKind.WELCOME_LETTER
        else rendering.render_contact_card_pdf(data)
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{letter_kind.value}-{language}.pdf"'},
    )


@bp.route("/forhaandsvisning/contact_card/<language>/link", methods=["POST"])
@roles_required(Role.ADMIN)
def preview_link(language: str) -> Any:
    """A private link to the sample card, so an administrator sees what a family sees."""
    _kind_and_language(LetterKind.CONTACT_CARD.value, language)  # CSRF is checked for every POST
    _link, token = links.create_family_link(
        _sample(LetterKind.CONTACT_CARD, language), object_type="sample", object_id=0, actor=current_user
    )
    return render_template("letters/preview_link.html", url=links.link_url(token), language=language)


def _language_reviewed(code: str) -> bool:
    if not current_user.is_authenticated:
        return True
    return services.is_language_reviewed(current_user.municipality_id, code)


def register(app: Flask) -> None:
    """Menu entry, template helpers, and the outbox hook for private links."""
    add_nav_item(app, "letters.index", _l("Letters"), [Role.ADMIN])
    app.add_template_global(_f, "_f")
    app.add_template_global(_fg, "_fg")
    app.add_template_global(_language_reviewed, "family_language_reviewed")
    app.add_template_global(interface_language_name, "language_label")
    # Inside a sentence ("Skrevet på tigrinya"): Danish language names are lower case.
    app.add_template_global(lambda code: vocab.in_sentence(vocab.LANGUAGES, code), "language_in_sentence")
    app.add_template_global(ENDONYMS.get, "language_endonym")
    app.add_template_global(RIGHT_TO_LEFT, "rtl_languages")
    app.add_template_global(FAMILY_LANGUAGES, "family_language_codes")
    app.extensions.setdefault("vh_outbox_after_send", []).append(links.redact_sent_link)
    add_missing_setting_check(app, _missing_signature)


def _missing_signature(municipality_id: int) -> list[tuple[str, str]]:
    """The welcome letter's signature (the mayor's name and title), when either is still empty."""
    settings = services.get_letter_settings(municipality_id)
    if settings.mayor_name and settings.signature_line:
        return []
    return [(_("The mayor's name and title on the welcome letter"), "letters.settings")]
