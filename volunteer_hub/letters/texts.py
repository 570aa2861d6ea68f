"""Letter texts: the catalogue defaults, the placeholders an administrator may use, and filling them in.

A letter text is a title and a body of plain paragraphs (separated by a blank line) with
placeholders such as ``{household_name}``. Only the documented names are accepted; the
values are escaped and wrapped in ``<bdi>`` so a Latin name keeps its direction inside an
Arabic sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from volunteer_hub.core.languages import _f, _fg, _fv, family_language
from volunteer_hub.letters.models import LetterKind

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Placeholders per letter kind, with what each becomes (shown to administrators).
PLACEHOLDERS: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.WELCOME_LETTER: ("contact_first_name", "household_name", "municipality_name", "mayor_name"),
    LetterKind.CONTACT_CARD: ("volunteer_first_name", "household_name", "municipality_name"),
}


@dataclass(frozen=True)
class LetterText:
    """A letter's title and body before the placeholders are filled in."""

    title: str
    body: str
    template_id: int | None = None  # None: the default text from the family catalogue
    version: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "body": self.body,
            "template_id": self.template_id,
            "version": self.version,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LetterText:
        return cls(
            title=str(data["title"]),
            body=str(data["body"]),
            template_id=data.get("template_id"),  # type: ignore[arg-type]
            version=data.get("version"),  # type: ignore[arg-type]
        )


def _default_welcome_letter() -> tuple[str, list[str]]:
    return _f("Welcome to {municipality_name}"), [
        _f("Dear {contact_first_name},"),
        _f("Welcome to {municipality_name}. We are glad that you have come to live here."),
        _f(
            "In the first weeks, the municipality will help you get started: "
            "with housing, work and Danish lessons."
        ),
        _f(
            "Adults who do not have a job will be offered an internship at a workplace. "
            "You will also get Danish lessons at a language school."
        ),
        _f(
            "We will invite you to a health check. We will also show you the town: "
            "the town hall, the sports facilities, the emergency room and the station."
        ),
        _f(
            "Many people in {municipality_name} help as volunteers. A volunteer can show you the town, "
            "practise Danish with you and join you in leisure activities."
        ),
        _f("If you have questions, please contact the municipality."),
        _f("We wish you a good start in {municipality_name}."),
    ]


def _default_contact_card(gender: str | None = None) -> tuple[str, list[str]]:
    """The card's default text; sentences about the volunteer follow the volunteer's gender (_fg)."""
    return _fg(gender, "Your volunteer"), [
        _fg(gender, "We have found a volunteer for you: {volunteer_first_name}."),
        _fg(
            gender,
            "{volunteer_first_name} is a volunteer, not an employee of the municipality. The help is free.",
        ),
        _fg(
            gender,
            "{volunteer_first_name} will contact you soon. You are also welcome to call or write first.",
        ),
        _f(
            "If something is not right, or if you no longer want a volunteer, "
            "please contact the municipality."
        ),
    ]


# The texts about the volunteer whose grammar follows a woman volunteer in some family languages,
# marked so that `make family-messages` keeps their variants (``_fg`` looks them up at run time).
GENDER_VARIANTS = (
    _fv("volunteer is a woman", "Your volunteer"),
    _fv("volunteer is a woman", "We have found a volunteer for you: {volunteer_first_name}."),
    _fv(
        "volunteer is a woman",
        "{volunteer_first_name} is a volunteer, not an employee of the municipality. The help is free.",
    ),
    _fv(
        "volunteer is a woman",
        "{volunteer_first_name} will contact you soon. You are also welcome to call or write first.",
    ),
    _fv("volunteer is a woman", "In the volunteer's own words"),
    _fv("volunteer is a woman", "Your volunteer from %(municipality)s"),
    _fv(
        "volunteer is a woman",
        "We have found a volunteer for you. Open this private link to see the volunteer's name, "
        "phone number and e-mail address:",
    ),
)

_DEFAULTS = {
    LetterKind.WELCOME_LETTER: _default_welcome_letter,
    LetterKind.CONTACT_CARD: _default_contact_card,
}


def default_letter_text(kind: LetterKind, language: str, gender: str | None = None) -> LetterText:
    """The catalogue's text for ``kind`` in ``language`` (a contact card's for a volunteer of ``gender``)."""
    with family_language(language):
        title, paragraphs = (
            _default_contact_card(gender) if kind == LetterKind.CONTACT_CARD else _DEFAULTS[kind]()
        )
    return LetterText(title=title, body="\n\n".join(paragraphs))


def has_gender_variants(kind: LetterKind, language: str) -> bool:
    """Does the catalogue's text for ``kind`` in ``language`` change for a woman volunteer?"""
    return default_letter_text(kind, language, "f") != default_letter_text(kind, language, "m")


def placeholder_problems(kind: LetterKind, text: str) -> list[str]:
    """Placeholders in ``text`` that ``kind`` does not know, and stray braces; empty when fine."""
    allowed = PLACEHOLDERS[kind]
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in allowed]
    stray = PLACEHOLDER.sub("", text)
    problems = [f"{{{name}}}" for name in dict.fromkeys(unknown)]
    if "{" in stray or "}" in stray:
        problems.append("{ }")
    return problems


def fill_in(text: str, values: dict[str, str]) -> Markup:
    """One line of letter text with its placeholders filled in, escaped, names isolated in <bdi>."""
    parts: list[Markup] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(escape(text[position : match.start()]))
        value = values.get(match.group(1))
        parts.append(escape(match.group(0)) if value is None else Markup("<bdi>%s</bdi>") % value)
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def fill_in_paragraphs(body: str, values: dict[str, str]) -> list[Markup]:
    """The body's paragraphs (split at blank lines), filled in; single line breaks become <br>."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if p.strip()]
    return [Markup("<br>").join(fill_in(line, values) for line in p.split("\n")) for p in paragraphs]


def fill_in_plain(text: str, values: dict[str, str]) -> str:
    """Placeholders filled in as plain text (for e-mail and checks)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
