"""What every families form shares: checks across fields, the case version, small parsers."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField

from volunteer_hub.db import parse_id

MAX_LANGUAGE_ROWS = 4
MAX_MEMBER_ROWS = 8


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


def text_of(value: str | None) -> str:
    return (value or "").strip()


class CheckedForm(FlaskForm):
    """A form with checks across fields, run after the fields' own validators.

    (WTForms' ``Optional()`` stops a field's validator chain when it is empty, so a rule like
    "an internship needs an offer date" cannot live in ``validate_offered_on``.)
    """

    def cross_field_problems(self) -> list[tuple[Any, Any]]:
        return []

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in self.cross_field_problems():
            field.errors = [*field.errors, message]
            valid = False
        return valid


class VersionedForm(CheckedForm):
    """A case edit form: ``version`` is the case's version when the form was shown."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return parse_id(str(self.version.data or ""))
