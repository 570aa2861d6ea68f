"""Private links: the family's page at /k/<token> (no account), and the coordinators' list and revoke."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from volunteer_hub.core.access import MUNICIPAL_STAFF, public, roles_required
from volunteer_hub.core.languages import FAMILY_LANGUAGES, _f, family_language, text_direction
from volunteer_hub.core.navigation import add_nav_item
from volunteer_hub.core.transaction import keep_writes_on_error
from volunteer_hub.letters import links, rendering
from volunteer_hub.letters.models import FamilyLink, FamilyLinkStatus

bp = Blueprint("family_links", __name__)

PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


def _page(html: str | bytes, status: int, mimetype: str = "text/html") -> Response:
    return Response(html, status=status, mimetype=mimetype, headers=PRIVATE_HEADERS)


def _unknown() -> Response:
    """The same page for every unknown token, in every family language: it reveals nothing, and
    whoever holds the link finds their own language (Danish first)."""
    texts = []
    for code in FAMILY_LANGUAGES:
        with family_language(code):
            texts.append(
                {
                    "lang": code,
                    "dir": text_direction(code),
                    "title": _f("This link does not work"),
                    "text": _f(
                        "Check that you have copied the whole link. If it still does not work, "
                        "please contact the municipality."
                    ),
                }
            )
    with family_language("da"):  # the page frame (skip link) is Danish, like its lang attribute
        html = render_template("family/link_unknown.html", texts=texts, family_lang="da", family_dir="ltr")
    return _page(html, 404)


def _gone(link: FamilyLink) -> Response:
    with family_language(link.language):
        html = render_template(
            "family/link_gone.html",
            family_lang=link.language,
            family_dir=text_direction(link.language),
            municipality_id=link.municipality_id,
        )
    return _page(html, 410)


def _open(token: str, *, as_pdf: bool) -> tuple[FamilyLink | None, Response | None]:
    link = links.find_family_link(token)
    if link is None:
        return None, _unknown()
    status = links.open_family_link(link, as_pdf=as_pdf)
    if status != FamilyLinkStatus.ACTIVE:
        keep_writes_on_error()  # the refused opening is audited although the answer is 410
        return None, _gone(link)
    return link, None


@bp.route(f"{links.LINK_PREFIX}/<token>")
@public
def show(token: str) -> Any:
    link, refusal = _open(token, as_pdf=False)
    if link is None:
        return refusal
    data, text = links.link_card(link)
    with family_language(link.language):
        html = render_template(
            "family/contact_card.html",
            letter=rendering.contact_card_view(data, text),
            expires=links.link_expiry_text(link),
            pdf_url=url_for("family_links.pdf", token=token),
            token=token,  # the answers section (templates/answers) posts to the same link
            family_lang=link.language,
            family_dir=text_direction(link.language),
        )
    return _page(html, 200)


@bp.route(f"{links.LINK_PREFIX}/<token>/pdf")
@public
def pdf(token: str) -> Any:
    link, refusal = _open(token, as_pdf=True)
    if link is None:
        return refusal
    data, text = links.link_card(link)
    pdf = rendering.render_contact_card_pdf(data, text=text, link_url=links.link_url(token))
    response = _page(pdf, 200, "application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="contact.pdf"'
    return response


@bp.route("/familielinks")
@roles_required(*MUNICIPAL_STAFF)
def index() -> Any:
    return render_template(
        "family_links/index.html", links=links.list_family_links(current_user.municipality_id)
    )


@bp.route("/familielinks/<int:link_id>/luk", methods=["POST"])
@roles_required(*MUNICIPAL_STAFF)
def revoke(link_id: int) -> Any:
    link = links.get_family_link_or_404(link_id, for_user=current_user)
    try:
        links.revoke_family_link(link, actor=current_user)
    except links.LinkAlreadyRevokedError:
        flash(_("The link was already closed."), "info")
    else:
        flash(_("The link is closed. The family can no longer open it."), "success")
    return redirect(url_for("family_links.index"))


def register(app: Flask) -> None:
    add_nav_item(app, "family_links.index", _l("Private links"), MUNICIPAL_STAFF)
