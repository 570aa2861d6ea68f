"""Letters as an HTML page and as a printable A4 PDF (WeasyPrint), always in the letter's language.

``render_*_html`` returns a complete HTML document (``<html lang dir>``) and ``render_*_pdf``
prints the same document. Without ``text`` the municipality's current template (or the
catalogue default) is used; pass a stored ``LetterText`` to reproduce a letter exactly.
"""

from __future__ import annotations

import os
from typing import Any

from flask import current_app, render_template

from volunteer_hub.core.languages import (
    _f,
    family_language,
    format_language_list,
    format_letter_date,
    text_direction,
)
from volunteer_hub.letters.data import SCHEME_DESCRIPTIONS, ContactCardData, WelcomeLetterData
from volunteer_hub.letters.models import LetterKind
from volunteer_hub.letters.qr import qr_data_uri
from volunteer_hub.letters.texts import LetterText, fill_in, fill_in_paragraphs, fill_in_plain

LETTER_STYLESHEET = "css/letters.css"


def _text_for(
    kind: LetterKind, data: WelcomeLetterData | ContactCardData, text: LetterText | None
) -> LetterText:
    if text is not None:
        return text
    from volunteer_hub.letters.services import current_letter_text

    gender = data.volunteer_gender if isinstance(data, ContactCardData) else None
    return current_letter_text(data.municipality_id, kind, data.language, gender)


def _common(kind: LetterKind, data: WelcomeLetterData | ContactCardData, text: LetterText) -> dict[str, Any]:
    values = data.placeholders()
    return {
        "kind": kind.value,
        "lang": data.language,
        "dir": text_direction(data.language),
        "municipality_name": data.municipality_name,
        "municipality_id": data.municipality_id,  # the contact block (tenancy.contact)
        "recipient": data.household_name,
        "date": format_letter_date(data.date, data.language),
        "title": fill_in(text.title, values),
        "title_plain": fill_in_plain(text.title, values),
        "paragraphs": fill_in_paragraphs(text.body, values),
    }


def welcome_letter_view(data: WelcomeLetterData, text: LetterText | None = None) -> dict[str, Any]:
    """What the welcome letter templates show. Call inside ``family_language(data.language)``."""
    view = _common(LetterKind.WELCOME_LETTER, data, _text_for(LetterKind.WELCOME_LETTER, data, text))
    view["mayor_name"] = data.mayor_name
    view["signature_line"] = data.signature_line or _f(
        "Mayor of %(municipality)s", municipality=data.municipality_name
    )
    return view


def contact_card_view(
    data: ContactCardData, text: LetterText | None = None, link_url: str | None = None
) -> dict[str, Any]:
    """What the contact card templates show. Call inside ``family_language(data.language)``."""
    view = _common(LetterKind.CONTACT_CARD, data, _text_for(LetterKind.CONTACT_CARD, data, text))
    view.update(
        volunteer_first_name=data.volunteer_first_name,
        volunteer_phone=data.volunteer_phone,
        volunteer_phone_uri="tel:" + "".join(c for c in data.volunteer_phone if c.isdigit() or c == "+"),
        volunteer_email=data.volunteer_email,
        volunteer_languages=format_language_list(list(data.volunteer_languages), data.language),
        volunteer_intro=data.volunteer_intro,
        volunteer_intro_language=data.volunteer_intro_language,
        volunteer_gender=data.volunteer_gender,
        scheme=str(SCHEME_DESCRIPTIONS[data.scheme]),
        next_steps=data.next_steps,
        link_url=link_url,
        link_qr=qr_data_uri(link_url) if link_url else None,
    )
    return view


def _document(letter: dict[str, Any], *, for_print: bool) -> str:
    href = None if for_print else f"{current_app.static_url_path}/{LETTER_STYLESHEET}"
    return render_template("letters/document.html", letter=letter, stylesheet_href=href)


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    static = current_app.static_folder or ""
    stylesheet = CSS(filename=os.path.join(static, LETTER_STYLESHEET))
    return HTML(string=html, base_url=static).write_pdf(stylesheets=[stylesheet])


def render_welcome_letter_html(data: WelcomeLetterData, *, text: LetterText | None = None) -> str:
    """The welcome letter as a complete HTML page in the letter's language."""
    with family_language(data.language):
        return _document(welcome_letter_view(data, text), for_print=False)


def render_welcome_letter_pdf(data: WelcomeLetterData, *, text: LetterText | None = None) -> bytes:
    """The welcome letter as an A4 PDF in the letter's language."""
    with family_language(data.language):
        return _pdf(_document(welcome_letter_view(data, text), for_print=True))


def render_contact_card_html(
    data: ContactCardData, *, text: LetterText | None = None, link_url: str | None = None
) -> str:
    """The contact card as a complete HTML page; ``link_url`` adds the private link to it."""
    with family_language(data.language):
        return _document(contact_card_view(data, text, link_url), for_print=False)


def render_contact_card_pdf(
    data: ContactCardData, *, text: LetterText | None = None, link_url: str | None = None
) -> bytes:
    """The contact card as an A4 PDF letter for the coordinator to hand over."""
    with family_language(data.language):
        return _pdf(_document(contact_card_view(data, text, link_url), for_print=True))
