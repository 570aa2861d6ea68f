"""The plain data a letter is made from: the interface other domains fill in, and its JSON form.

Households and matches build these dataclasses; the letters package never reads their
tables. ``to_json``/``from_json`` give the frozen snapshots stored with sent letters and
private links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from volunteer_hub.core.languages import _lf, is_family_language

# FORMATS.md schemes, as a family reads them (family catalogue).
SCHEME_DESCRIPTIONS: dict[str, Any] = {
    "family_buddy": _lf("Follow a family: a volunteer spends time with your family."),
    "friend_buddy": _lf("Follow a friend: a volunteer becomes your friend and spends time with you."),
    "contact_person": _lf("Contact person: a volunteer helps you with questions about daily life."),
    "leisure_intro": _lf("Leisure: a volunteer helps you find sports and other leisure activities."),
    "child_culture": _lf("Children and school: a volunteer helps your children with school and daycare."),
}


def _check_language(language: str) -> None:
    if not is_family_language(language):
        raise ValueError(f"{language!r} is not a family language")


@dataclass(frozen=True)
class WelcomeLetterData:
    """The mayor's welcome letter to one household (P2)."""

    municipality_id: int
    municipality_name: str
    mayor_name: str
    signature_line: str  # empty: "Mayor of <municipality>" in the letter's language
    household_name: str
    contact_first_name: str
    language: str
    date: dt.date

    def __post_init__(self) -> None:
        _check_language(self.language)

    def placeholders(self) -> dict[str, str]:
        return {
            "contact_first_name": self.contact_first_name,
            "household_name": self.household_name,
            "municipality_name": self.municipality_name,
            "mayor_name": self.mayor_name,
        }

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "date": self.date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WelcomeLetterData:
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"])})


@dataclass(frozen=True)
class ContactCardData:
    """The volunteer's contact card a household receives when a match is approved."""

    municipality_id: int
    municipality_name: str
    household_name: str
    language: str
    volunteer_first_name: str
    volunteer_phone: str
    volunteer_email: str
    volunteer_languages: list[str]  # FORMATS.md codes, shown by name in the card's language
    volunteer_intro: str  # the volunteer's own words
    scheme: str  # FORMATS.md scheme code
    date: dt.date
    next_steps: str = ""  # an extra note, already in the family's language; empty: none
    volunteer_intro_language: str = ""  # language code of volunteer_intro, when known
    volunteer_gender: str = ""  # FORMATS.md gender code ("f", "m", "x"); the card's grammar follows it

    def __post_init__(self) -> None:
        _check_language(self.language)
        if self.scheme not in SCHEME_DESCRIPTIONS:
            raise ValueError(f"unknown scheme {self.scheme!r}")

    def placeholders(self) -> dict[str, str]:
        return {
            "household_name": self.household_name,
            "volunteer_first_name": self.volunteer_first_name,
            "municipality_name": self.municipality_name,
        }

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "date": self.date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContactCardData:
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"])})


def sample_welcome_letter(
    municipality_id: int, municipality_name: str, mayor_name: str, signature_line: str, language: str
) -> WelcomeLetterData:
    """Invented data for previews and tests."""
    return WelcomeLetterData(
        municipality_id=municipality_id,
        municipality_name=municipality_name,
        mayor_name=mayor_name,
        signature_line=signature_line,
        household_name="Familien Haile",
        contact_first_name="Amanuel",
        language=language,
        date=dt.date.today(),
    )


def sample_contact_card(municipality_id: int, municipality_name: str, language: str) -> ContactCardData:
    """Invented data for previews and tests."""
    return ContactCardData(
        municipality_id=municipality_id,
        municipality_name=municipality_name,
        household_name="Familien Haile",
        language=language,
        volunteer_first_name="Mette",
        volunteer_phone="+45 12 34 56 78",
        volunteer_email="mette.frivillig@example.dk",
        volunteer_languages=["da", "en", "ti"],
        volunteer_intro="Jeg er pensioneret lærer. Jeg cykler og laver gerne mad sammen med andre.",
        volunteer_intro_language="da",
        scheme="family_buddy",
        date=dt.date.today(),
    )
