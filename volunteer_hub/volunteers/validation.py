"""Checks shared by the registration forms and the importer: phone, postcode, birth year, e-mail.

Each check returns the cleaned value or raises ``InvalidValueError`` with a message that says
what is wrong, in the interface language (or Danish outside a request).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _

POSTCODE_FILE = Path(__file__).resolve().parent.parent / "data" / "dk_postcodes.csv"
MIN_AGE = 15
MAX_AGE = 100


class InvalidValueError(ValueError):
    """A value a person typed that cannot be used; ``str()`` is the message to show."""


@lru_cache(maxsize=1)
def danish_postcodes() -> dict[str, str]:
    """Postcode → post town, from the bundled GeoNames list (see data/README.md)."""
    with POSTCODE_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["postcode"]: row["name"] for row in csv.DictReader(handle)}


def clean_postcode(value: str, *, restore_leading_zero: bool = False) -> str:
    """A real Danish four-digit postcode, e.g. ``2600``.

    ``restore_leading_zero`` is for spreadsheets, which turn 0800 into the number 800.
    """
    value = (value or "").strip()
    if restore_leading_zero and len(value) == 3 and value.isdigit():
        value = "0" + value
    if not (len(value) == 4 and value.isdigit()):
        raise InvalidValueError(_("Enter a Danish postcode of four digits, e.g. 2600."))
    if value not in danish_postcodes():
        raise InvalidValueError(_("%(postcode)s is not a Danish postcode.", postcode=value))
    return value


def postcode_town(postcode: str | None) -> str:
    """The post town of ``postcode``, or an empty string."""
    return danish_postcodes().get(postcode or "", "")


def clean_phone(value: str) -> str:
    """A phone number in E.164 form: Danish without a prefix, any other country with +CC."""
    value = (value or "").strip()
    try:
        number = phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException as exc:
        raise InvalidValueError(
            _("Enter a phone number: 8 digits for a Danish number, or + and the country code.")
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidValueError(
            _(
                "%(phone)s is not a valid phone number. Danish numbers have 8 digits; "
                "others start with + and the country code.",
                phone=value,
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str | None) -> str:
    """An E.164 number as people write it (Danish numbers without +45)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "DK")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 45:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_birth_year(value: str | int, today: dt.date | None = None) -> int:
    """A birth year that makes the volunteer between 15 and 100 years old."""
    today = today or dt.date.today()
    text = str(value).strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit()):  # isdigit alone accepts "²"
        raise InvalidValueError(_("Enter the year you were born with four digits, e.g. 1985."))
    year = int(text)
    if not today.year - MAX_AGE <= year <= today.year - MIN_AGE:
        raise InvalidValueError(
            _(
                "The birth year must be between %(first)s and %(last)s: volunteers are 15 or older.",
                first=today.year - MAX_AGE,
                last=today.year - MIN_AGE,
            )
        )
    return year


def clean_email(value: str) -> str:
    """A syntactically valid e-mail address, lower-cased (no DNS lookup)."""
    value = (value or "").strip()
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidValueError(_("Enter an e-mail address in the form name@example.dk.")) from exc
    return result.normalized.lower()


def needs_child_certificate_consent(schemes: Iterable[str]) -> bool:
    """Whether a volunteer offering ``schemes`` must consent to a child certificate (børneattest).

    Asked whenever a scheme *can* involve children under 15, as the matcher's rule 4 may then
    demand a certificate; it never depends on a particular family. The schemes are rule 4's own
    list, which the matching domain hands to the app (config ``CHILD_CONTACT_SCHEMES``): the
    volunteers' floor cannot import the matcher.
    """
    return not child_contact_schemes().isdisjoint(schemes)


def child_contact_schemes() -> frozenset[str]:
    """The schemes that can involve children under 15 (matching rule 4's list, via the app config)."""
    return frozenset(current_app.config["CHILD_CONTACT_SCHEMES"])
