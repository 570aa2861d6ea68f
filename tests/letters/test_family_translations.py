"""Every text a family receives is translated, not fuzzy, into every family language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from volunteer_hub.core.languages import (
    BABEL_LOCALES,
    FAMILY_LANGUAGES,
    RIGHT_TO_LEFT,
    SOURCE_LANGUAGE,
    _f,
    babel_locale,
    family_language,
    language_name,
    text_direction,
)
from volunteer_hub.letters.models import LetterKind
from volunteer_hub.letters.texts import default_letter_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "volunteer_hub" / "translations"
METHODS = [
    ("volunteer_hub/**.py", "python"),
    ("volunteer_hub/templates/**.html", "jinja2"),
    ("volunteer_hub/templates/**.txt", "jinja2"),
]
PLACEHOLDERS = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
TRANSLATED = [code for code in FAMILY_LANGUAGES if code != SOURCE_LANGUAGE]


def _family_messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords={"_f": None, "_lf": None, "_fg": (2,)}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_family_texts_are_found_where_families_see_them():
    messages = _family_messages()
    # Page chrome, letter, card, link pages and the e-mail: one text from each.
    for expected in (
        "Skip to the content",
        "Kind regards",
        "In the volunteer's own words",
        "This link no longer works",
        "Your volunteer from %(municipality)s",
        "Welcome to {municipality_name}",
    ):
        assert expected in messages


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_family_text_is_translated_and_not_fuzzy(language):
    path = TRANSLATIONS / babel_locale(language) / "LC_MESSAGES" / "family.po"
    assert path.exists(), f"no family catalogue for {language}: run `make family-messages`"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=babel_locale(language))
    problems = []
    for message_id in sorted(_family_messages()):
        entry = catalog.get(message_id)
        if entry is None or not entry.string:
            problems.append(f"missing: {message_id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message_id!r}")
        elif sorted(PLACEHOLDERS.findall(entry.string)) != sorted(PLACEHOLDERS.findall(message_id)):
            problems.append(f"placeholders differ: {message_id!r}")
    assert problems == [], f"translate in {path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_gives_each_language_its_own_letter(ctx, language):
    english = default_letter_text(LetterKind.WELCOME_LETTER, "en")
    translated = default_letter_text(LetterKind.WELCOME_LETTER, language)
    assert translated.body != english.body, "the family catalogue is not compiled: run `make translations`"
    with family_language(language):
        assert _f("Kind regards") != "Kind regards"


def test_every_family_language_has_a_babel_locale_direction_and_dari_is_not_persian(ctx):
    for code in FAMILY_LANGUAGES:
        assert Locale.parse(BABEL_LOCALES[code])  # a real CLDR locale
    assert babel_locale("prs") == "fa_AF"
    assert {code for code in FAMILY_LANGUAGES if text_direction(code) == "rtl"} == {"ar", "fa", "prs", "ps"}
    assert RIGHT_TO_LEFT == {"ar", "fa", "prs", "ps"}
    assert language_name("prs", "prs") == "دری"
    assert language_name("ti", "ti") == "ትግርኛ"
    with pytest.raises(ValueError), family_language("xx"):
        pass
