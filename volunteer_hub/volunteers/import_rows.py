"""The columns of ``flask import volunteers`` (FORMATS.md) and the check of one row's cells.

Cells are read by the shared import reader; contact details, postcode and birth year are
checked by the same rules as the volunteer's own form, so a file and the form agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from volunteer_hub import vocab
from volunteer_hub.db import parse_id
from volunteer_hub.imports.reader import (
    CellError,
    Problems,
    Row,
    parse_cell,
    parse_codes,
    parse_date,
    parse_language_levels,
)
from volunteer_hub.volunteers.models import VolunteerStatus
from volunteer_hub.volunteers.services import Profile, today
from volunteer_hub.volunteers.validation import (
    InvalidValueError,
    clean_birth_year,
    clean_email,
    clean_phone,
    clean_postcode,
)

REQUIRED = ("ref", "first_name", "last_name", "email", "postcode", "languages", "schemes", "availability")
OPTIONAL = (
    "phone",
    "birth_year",
    "gender",
    "organisation",
    "skills",
    "interests",
    "capacity",
    "child_certificate_on",
    "status",
    "registered_on",
    "about",
)
LIST_COLUMNS = ("languages", "skills", "interests", "schemes", "availability")
IMPORT_STATUSES = (VolunteerStatus.PENDING, VolunteerStatus.APPROVED, VolunteerStatus.PAUSED)
REF_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
MAX_CAPACITY = 20


@dataclass
class ParsedVolunteer:
    row: int
    ref: str
    email: str
    organisation: str | None
    profile: Profile
    certificate_on: dt.date | None
    status: VolunteerStatus | None
    registered_on: dt.date | None


def _past_date(text: str) -> dt.date | None:
    if not text:
        return None
    day = parse_date(text)
    if day > today():
        raise CellError(f"{text} is in the future")
    return day


def _form_rule(clean: Callable[[str], Any]) -> Callable[[str], Any]:
    """The web form's check of a cell; an empty cell is no value."""

    def check(text: str) -> Any:
        if not text:
            return None
        try:
            return clean(text)
        except InvalidValueError as exc:
            raise CellError(str(exc)) from None

    return check


def _spreadsheet_postcode(text: str) -> str:
    return clean_postcode(text, restore_leading_zero=True)


def _codes(text: str, vocabulary: str, required: bool) -> list[str]:
    if required and not text:
        raise CellError("give at least one value, separated by |")
    return parse_codes(text, vocab.VOCABULARIES[vocabulary], vocabulary)


def _languages(text: str) -> dict[str, str]:
    if not text:
        raise CellError("give at least one language as code:level, e.g. da:native|ar:basic")
    return dict(parse_language_levels(text, vocab.LANGUAGES, vocab.LEVELS))


def _capacity(text: str) -> int:
    if not text:
        return 1
    number = parse_id(text)
    if number is None or not 1 <= number <= MAX_CAPACITY:
        raise CellError(f"{text!r} is not a whole number from 1 to {MAX_CAPACITY}")
    return number


def _status(text: str) -> VolunteerStatus | None:
    if text and text not in IMPORT_STATUSES:
        raise CellError(f"{text!r} is not one of: pending approved paused")
    return VolunteerStatus(text) if text else None


def _gender(text: str) -> str | None:
    if text.lower() not in ("", *vocab.GENDERS):
        raise CellError(f"{text!r} is not one of: f m x (or empty)")
    return text.lower() or None


def _at_most(length: int) -> Callable[[str], str]:
    def check(text: str) -> str:
        if len(text) > length:
            raise CellError(f"at most {length} characters")
        return text

    return check


def parse_row(row: Row, problems: Problems) -> ParsedVolunteer:
    """Check one row's cells; every problem is added to ``problems``."""
    cells, number = row.cells, row.number
    for column in REQUIRED:
        if column in cells and not cells[column] and column not in LIST_COLUMNS:
            problems.add(number, column, "this cell is required")
    ref = row.get("ref")
    if ref and not REF_PATTERN.match(ref):
        problems.add(number, "ref", "use at most 20 letters, digits, - or _")

    def cell(column: str, parse: Callable[..., Any], *args: Any) -> Any:
        return parse_cell(row, column, problems, parse, *args)

    def listed(column: str, vocabulary: str) -> list[str]:
        return cell(column, _codes, vocabulary, column in REQUIRED and column in cells) or []

    profile = Profile(
        first_name=cell("first_name", _at_most(80)),
        last_name=cell("last_name", _at_most(80)),
        phone=cell("phone", _form_rule(clean_phone)),
        postcode=cell("postcode", _form_rule(_spreadsheet_postcode)),
        birth_year=cell("birth_year", _form_rule(clean_birth_year)),
        gender=cell("gender", _gender),
        organisation_id=None,
        languages=(cell("languages", _languages) or {}) if "languages" in cells else {},
        skills=listed("skills", "skill"),
        interests=listed("interests", "interest"),
        schemes=listed("schemes", "scheme"),
        availability=listed("availability", "availability"),
        capacity=cell("capacity", _capacity) or 1,
        about=cell("about", _at_most(2000)),
    )
    return ParsedVolunteer(
        row=number,
        ref=ref,
        email=cell("email", _form_rule(clean_email)) or "",
        organisation=cell("organisation", _at_most(120)) or None,
        profile=profile,
        certificate_on=cell("child_certificate_on", _past_date),
        status=cell("status", _status),
        registered_on=cell("registered_on", _past_date),
    )
