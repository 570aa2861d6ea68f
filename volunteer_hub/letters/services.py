"""Letter settings, template versions, language reviews and the record of letters sent.

Services flush and write audit events; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from volunteer_hub.audit.services import record
from volunteer_hub.core.languages import FAMILY_LANGUAGES, REVIEWED_BY_DEFAULT, is_family_language
from volunteer_hub.db import utcnow
from volunteer_hub.extensions import db
from volunteer_hub.letters.data import ContactCardData, WelcomeLetterData
from volunteer_hub.letters.models import (
    FamilyLanguageReview,
    LetterKind,
    LetterRecord,
    LetterSettings,
    LetterTemplate,
)
from volunteer_hub.letters.texts import LetterText, default_letter_text, placeholder_problems
from volunteer_hub.tenancy.models import Municipality

# --- Settings ------------------------------------------------------------------------


def get_letter_settings(municipality_id: int) -> LetterSettings:
    """The municipality's letter settings; an unsaved blank row when none exist yet."""
    settings = db.session.execute(
        select(LetterSettings).where(LetterSettings.municipality_id == municipality_id)
    ).scalar_one_or_none()
    return settings or LetterSettings(municipality_id=municipality_id, mayor_name="", signature_line="")


def update_letter_settings(
    municipality_id: int, *, mayor_name: str, signature_line: str, actor: Any
) -> LetterSettings:
    """Set who signs the welcome letter and how."""
    settings = get_letter_settings(municipality_id)
    settings.mayor_name = mayor_name.strip()
    settings.signature_line = signature_line.strip()
    db.session.add(settings)
    db.session.flush()
    record("letters.settings_changed", actor=actor, municipality_id=municipality_id, obj=settings)
    return settings


def welcome_letter_data(
    municipality: Municipality,
    *,
    household_name: str,
    contact_first_name: str,
    language: str,
    date: dt.date | None = None,
) -> WelcomeLetterData:
    """The welcome letter's data for one household, signed as the municipality's settings say."""
    settings = get_letter_settings(municipality.id)
    return WelcomeLetterData(
        municipality_id=municipality.id,
        municipality_name=municipality.name,
        mayor_name=settings.mayor_name,
        signature_line=settings.signature_line,
        household_name=household_name,
        contact_first_name=contact_first_name,
        language=language,
        date=date or dt.date.today(),
    )


# --- Templates -----------------------------------------------------------------------


def get_current_template(municipality_id: int, kind: LetterKind, language: str) -> LetterTemplate | None:
    """The newest edited version, or None when the catalogue default applies."""
    return db.session.execute(
        select(LetterTemplate)
        .where(
            LetterTemplate.municipality_id == municipality_id,
            LetterTemplate.kind == kind,
            LetterTemplate.language == language,
        )
        .order_by(LetterTemplate.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def current_letter_text(
    municipality_id: int, kind: LetterKind, language: str, gender: str | None = None
) -> LetterText:
    """The text a letter gets now: the newest edited version, else the catalogue default (whose
    contact card follows the volunteer's ``gender`` where the language's grammar needs it)."""
    template = get_current_template(municipality_id, kind, language)
    if template is None:
        return default_letter_text(kind, language, gender)
    return LetterText(
        title=template.title, body=template.body, template_id=template.id, version=template.version
    )


def template_versions(municipality_id: int) -> dict[tuple[LetterKind, str], int]:
    """The newest version number per (kind, language) that has been edited."""
    rows = db.session.execute(
        select(LetterTemplate.kind, LetterTemplate.language, func.max(LetterTemplate.version))
        .where(LetterTemplate.municipality_id == municipality_id)
        .group_by(LetterTemplate.kind, LetterTemplate.language)
    ).all()
    return {(kind, language): version for kind, language, version in rows}


class TemplateError(ValueError):
    """A template text that cannot be saved; ``problems`` lists the offending placeholders."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def save_letter_template(
    municipality_id: int, kind: LetterKind, language: str, *, title: str, body: str, actor: Any
) -> LetterTemplate:
    """Store an edited text as the next version; earlier versions stay for reproduction."""
    if not is_family_language(language):
        raise ValueError(f"{language!r} is not a family language")
    problems = placeholder_problems(kind, title) + placeholder_problems(kind, body)
    if problems:
        raise TemplateError(list(dict.fromkeys(problems)))
    current = get_current_template(municipality_id, kind, language)
    template = LetterTemplate(
        municipality_id=municipality_id,
        kind=kind,
        language=language,
        version=(current.version if current else 0) + 1,
        title=title.strip(),
        body=body.strip().replace("\r\n", "\n"),
        created_by_user_id=getattr(actor, "id", None),
    )
    db.session.add(template)
    db.session.flush()
    record(
        "letters.template_saved",
        actor=actor,
        municipality_id=municipality_id,
        obj=template,
        kind=kind.value,
        language=language,
        version=template.version,
    )
    return template


# --- Native-speaker review -----------------------------------------------------------


def language_reviews(municipality_id: int) -> dict[str, bool]:
    """Per family language: has a native speaker reviewed its texts (for this municipality)?"""
    stored = dict(
        db.session.execute(
            select(FamilyLanguageReview.language, FamilyLanguageReview.reviewed).where(
                FamilyLanguageReview.municipality_id == municipality_id
            )
        ).all()
    )
    return {code: stored.get(code, code in REVIEWED_BY_DEFAULT) for code in FAMILY_LANGUAGES}


def is_language_reviewed(municipality_id: int, language: str) -> bool:
    return language_reviews(municipality_id).get(language, False)


def set_language_reviewed(
    municipality_id: int, language: str, reviewed: bool, *, actor: Any
) -> FamilyLanguageReview:
    """An administrator records that a native speaker has (or has not) reviewed a language."""
    if not is_family_language(language):
        raise ValueError(f"{language!r} is not a family language")
    row = db.session.execute(
        select(FamilyLanguageReview).where(
            FamilyLanguageReview.municipality_id == municipality_id, FamilyLanguageReview.language == language
        )
    ).scalar_one_or_none()
    if row is None:
        row = FamilyLanguageReview(municipality_id=municipality_id, language=language)
        db.session.add(row)
    row.reviewed = reviewed
    row.changed_at = utcnow()
    row.changed_by_user_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        "letters.language_review_set",
        actor=actor,
        municipality_id=municipality_id,
        obj=row,
        language=language,
        reviewed=reviewed,
    )
    return row


def _gender(data: WelcomeLetterData | ContactCardData) -> str | None:
    return data.volunteer_gender if isinstance(data, ContactCardData) else None


# --- Letters sent --------------------------------------------------------------------


def record_letter_sent(
    data: WelcomeLetterData | ContactCardData,
    *,
    object_type: str,
    object_id: int,
    actor: Any,
    text: LetterText | None = None,
) -> LetterRecord:
    """Record that a letter was sent or handed over, freezing its data and text for reproduction.

    For the welcome letter, call this from the household service that completes the
    reception item (P2), in the same transaction.
    """
    kind = LetterKind.WELCOME_LETTER if isinstance(data, WelcomeLetterData) else LetterKind.CONTACT_CARD
    text = text or current_letter_text(data.municipality_id, kind, data.language, _gender(data))
    letter = LetterRecord(
        municipality_id=data.municipality_id,
        kind=kind,
        language=data.language,
        object_type=object_type,
        object_id=object_id,
        template_id=text.template_id,
        snapshot={"data": data.to_json(), "text": text.to_json()},
        sent_by_user_id=getattr(actor, "id", None),
    )
    db.session.add(letter)
    db.session.flush()
    record(
        "letters.letter_sent",
        actor=actor,
        municipality_id=data.municipality_id,
        obj=letter,
        kind=kind.value,
        language=data.language,
        target_type=object_type,
        target_id=object_id,
        template_version=text.version,
    )
    return letter


def list_letters_sent(object_type: str, object_id: int) -> list[LetterRecord]:
    """Letters recorded for one record (e.g. a household), newest first."""
    return list(
        db.session.execute(
            select(LetterRecord)
            .where(LetterRecord.object_type == object_type, LetterRecord.object_id == object_id)
            .order_by(LetterRecord.sent_at.desc(), LetterRecord.id.desc())
        ).scalars()
    )


def recorded_letter(letter: LetterRecord) -> tuple[WelcomeLetterData | ContactCardData, LetterText]:
    """The data and text a recorded letter was made from, to render it again exactly."""
    data_class = WelcomeLetterData if letter.kind == LetterKind.WELCOME_LETTER else ContactCardData
    return data_class.from_json(letter.snapshot["data"]), LetterText.from_json(letter.snapshot["text"])
