"""The languages families receive letters in, their Babel locales, direction and the family domain.

FORMATS.md language codes are the public identifiers everywhere (``prs`` for Dari). Babel has
no ``prs`` locale, so one table maps each code to the Babel locale whose catalogue, dates and
plural rules it uses; nothing else in the code should know that mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from flask_babel import Domain, force_locale

from volunteer_hub import vocab

# FORMATS.md code -> Babel locale (and catalogue directory under volunteer_hub/translations).
BABEL_LOCALES: dict[str, str] = {
    "da": "da",
    "en": "en",
    "ar": "ar",
    "fa": "fa",
    "prs": "fa_AF",
    "ps": "ps",
    "ti": "ti",
    "so": "so",
    "uk": "uk",
    "ku": "ku",
}
FAMILY_LANGUAGES: tuple[str, ...] = tuple(BABEL_LOCALES)
# English is the source language of the family catalogue (msgids are English).
SOURCE_LANGUAGE = "en"
# Languages whose texts count as reviewed until an administrator says otherwise.
REVIEWED_BY_DEFAULT = frozenset({"da", "en"})
RIGHT_TO_LEFT = frozenset({"ar", "fa", "prs", "ps"})

# Each language's name for itself, shown next to choices so a reader finds their own.
ENDONYMS: dict[str, str] = {
    "da": "Dansk",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "prs": "دری",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "so": "Soomaali",
    "uk": "Українська",
    "ku": "Kurmancî",
}

FAMILY_DOMAIN = Domain(domain="family")


def _f(message: str, **variables: object) -> str:
    """Translate a family-facing text into the current family language (see ``family_language``)."""
    return FAMILY_DOMAIN.gettext(message, **variables)


def _lf(message: str, **variables: object) -> object:
    """Lazy ``_f`` for module-level texts."""
    return FAMILY_DOMAIN.lazy_gettext(message, **variables)


# A family text about the volunteer, per the volunteer's gender, for languages whose grammar needs
# it (Arabic verbs and adjectives, Ukrainian nouns...): the catalogue's msgctxt per gender code. The
# neutral text (no context) is the masculine or common form; it serves "m", "x" and unknown.
GENDER_CONTEXTS: dict[str, str] = {"f": "volunteer is a woman"}


def _fv(context: str, message: str) -> str:
    """Marks a gendered variant (msgctxt ``context``) for ``make family-messages``; returns ``message``."""
    return message


def _fg(gender: str | None, message: str, **variables: object) -> str:
    """``_f`` for a text about the volunteer: the variant for ``gender`` where the family language
    has one (msgctxt ``GENDER_CONTEXTS``), else the neutral text."""
    context = GENDER_CONTEXTS.get(gender or "")
    if context is not None:
        variant = FAMILY_DOMAIN.get_translations().upgettext(context, message)
        if variant != message:  # untranslated variants come back as the English msgid
            return variant % variables if variables else variant
    return _f(message, **variables)


def is_family_language(code: str | None) -> bool:
    return code in BABEL_LOCALES


def babel_locale(code: str) -> str:
    """The Babel locale for a FORMATS.md language code (``prs`` -> ``fa_AF``); other codes unchanged."""
    return BABEL_LOCALES.get(code, code)


def text_direction(code: str) -> str:
    """``rtl`` for Arabic-script languages, else ``ltr``."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


@contextmanager
def family_language(code: str) -> Iterator[None]:
    """Render family texts (``_f``), dates and lists in ``code`` while the block runs."""
    if not is_family_language(code):
        raise ValueError(f"{code!r} is not a family language")
    with force_locale(babel_locale(code)):
        yield


def language_name(code: str, in_language: str) -> str:
    """The name of language ``code`` written in ``in_language``, as inside a sentence.

    In Danish and English, the one vocabulary's name (``vocab.in_sentence``: "persisk (farsi)", never
    CLDR's "persisk" beside it); in other languages CLDR's, and Dari from our catalogue.
    """
    if in_language in ("da", "en") and code in vocab.LANGUAGES:
        return vocab.in_sentence(vocab.LANGUAGES, code, in_language)
    if code == "prs":
        with family_language(in_language):
            return _f("Dari")
    names = Locale.parse(babel_locale(in_language)).languages
    return names.get(code) or Locale.parse("en").languages.get(code) or code


def interface_language_name(code: str) -> str:
    """The name of language ``code`` in the staff interface's current language: the one vocabulary's
    label (``vocab.LANGUAGES``), so a language has one name on every page (Sorani is ``ckb``)."""
    return vocab.label(vocab.LANGUAGES, code)


def format_letter_date(value: dt.date, language: str) -> str:
    """A date as written in a letter in ``language``, e.g. ``27. november 2026``."""
    return format_date(value, format="long", locale=babel_locale(language))


def format_language_list(codes: list[str], language: str) -> str:
    """``["da", "ti"]`` as ``Danish and Tigrinya`` in ``language``, with that language's separators."""
    names = [language_name(code, language) for code in codes]
    if not names:
        return ""
    return format_list(names, locale=babel_locale(language))
