"""Form fields whose error messages are in our catalogue (WTForms ships no Danish messages)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class LocalDateField(DateField):
    """An HTML date input; a value that is not a date says how to write one."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Enter a date as YYYY-MM-DD, e.g. 2026-11-27."))) from exc


class LocalIntegerField(IntegerField):
    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Enter a whole number."))) from exc


class LocalSelectField(SelectField):
    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(str(_l("Choose one of the options in the list."))) from exc


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset by the families macros)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as exc:
            raise ValidationError(str(_l("Choose only among the options shown."))) from exc


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Use at most %(max)d characters."))


def number_range(low: int, high: int) -> NumberRange:
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))
