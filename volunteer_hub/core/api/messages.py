"""The API's error texts in the caller's language: ``Accept-Language`` chooses English or Danish.

Services already write their refusals (409) with ``_()``; what is left are the fixed texts of
problem details and the validation messages marshmallow writes in English. Those are
translated here, the ones with numbers or choices in them by pattern, so that one answer is in
one language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DEFAULT_API_LANGUAGE = "en"

# Marshmallow's and webargs' fixed messages (and our fields'), for the catalogue.
FIXED = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Unknown field.": _l("Unknown field."),
    "Field may not be null.": _l("Field may not be null."),
    "Invalid input type.": _l("Invalid input type."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid datetime."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid mapping type."),
    "Invalid JSON body.": _l("Invalid JSON body."),
    "Must not contain control characters.": _l("Must not contain control characters."),
    "Must be on one line.": _l("Must be on one line."),
    "Must not be blank.": _l("Must not be blank."),
}

_PATTERNS: tuple[tuple[re.Pattern[str], Callable[..., str]], ...] = (
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), lambda **k: _("Must be one of: %(choices)s.", **k)),
    (
        re.compile(
            r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$"
        ),  # noqa: E501
        lambda **k: _("Must be at least %(min)s and at most %(max)s.", **k),
    ),
    (
        re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$"),
        lambda **k: _("Must be at least %(min)s.", **k),
    ),
    (
        re.compile(r"^Must be less than or equal to (?P<max>\S+)\.$"),
        lambda **k: _("Must be at most %(max)s.", **k),
    ),
    (
        re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"),
        lambda **k: _("Longer than the maximum length, %(max)s.", **k),
    ),
    (
        re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"),
        lambda **k: _("Shorter than the minimum length, %(min)s.", **k),
    ),
)


def api_language() -> str:
    """The language the caller's ``Accept-Language`` prefers among the interface's; else English."""
    languages = current_app.config["INTERFACE_LANGUAGES"]
    chosen = request.accept_languages.best_match(languages, default=DEFAULT_API_LANGUAGE)
    return chosen or DEFAULT_API_LANGUAGE


def translate_message(message: str) -> str:
    """A validation message in the request's language (unchanged when it is not a known one)."""
    if message in FIXED:
        return str(FIXED[message])
    for pattern, render in _PATTERNS:
        found = pattern.match(message)
        if found:
            return render(**found.groupdict())
    return str(_(message))
