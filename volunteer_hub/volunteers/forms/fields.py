"""The fields and checks the registration steps and the profile form share.

Every field is checked on the server with a message that says what is wrong.
"""

from __future__ import annotations

from typing import Any

from babel.lists import format_list
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from volunteer_hub import vocab
from volunteer_hub.db import parse_id
from volunteer_hub.volunteers.labels import interface_language, vocab_choices, vocab_label
from volunteer_hub.volunteers.validation import (
    InvalidValueError,
    child_contact_schemes,
    clean_birth_year,
    clean_phone,
    clean_postcode,
)

INDEPENDENT = "none"
MAX_ABOUT_LENGTH = 2000
MAX_CAPACITY = 10
# The languages shown first; the others are under "Other languages".
MAIN_LANGUAGES = ("da", "en")


class CodeChecklist(SelectMultipleField):
    """Checkboxes over one vocabulary of volunteer_hub.vocab, labelled in the interface language."""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        vocabulary: str,
        sort: bool = True,
        required_message: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.vocabulary = vocabulary
        self.required_message = required_message
        self.choices = vocab_choices(vocabulary, sort=sort)

    def pre_validate(self, form: Any) -> None:
        allowed = {code for code, _label in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_("Choose only from the list."))
        if self.required_message and not self.data:
            raise ValidationError(str(self.required_message))


class ChoiceRadio(RadioField):
    """Radio buttons whose choices the form sets; a tampered value gets a clear message."""

    def __init__(
        self, label: Any = None, validators: Any = None, *, required_message: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.required_message = required_message

    def pre_validate(self, form: Any) -> None:
        allowed = {str(code) for code, _label in self.choices or []}
        if self.data in (None, "", "None"):
            self.data = ""
            if self.required_message:
                raise ValidationError(str(self.required_message))
            return
        if self.data not in allowed:
            raise ValidationError(_("Choose one of the options."))


class LanguageLevelField(SelectField):
    """How well the volunteer speaks one language; empty means "not at all"."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, validate_choice=False, **kwargs)
        self.choices = [("", _("I do not speak it")), *vocab_choices("level")]

    def pre_validate(self, form: Any) -> None:
        if self.data and self.data not in vocab.LEVELS:
            raise ValidationError(_("Choose a level from the list."))


def check(field: Field, clean: Any) -> None:
    try:
        field.data = clean(field.data)
    except InvalidValueError as exc:
        raise ValidationError(str(exc)) from exc


def first_name() -> Any:
    return StringField(
        _l("First name"),
        validators=[
            DataRequired(_l("Enter your first name.")),
            Length(max=80, message=_l("The first name can be at most 80 characters.")),
        ],
    )


def last_name() -> Any:
    return StringField(
        _l("Last name"),
        validators=[
            DataRequired(_l("Enter your last name.")),
            Length(max=80, message=_l("The last name can be at most 80 characters.")),
        ],
    )


def phone() -> Any:
    return StringField(_l("Phone"), validators=[DataRequired(_l("Enter your phone number."))])


def postcode() -> Any:
    return StringField(_l("Postcode"), validators=[DataRequired(_l("Enter your postcode."))])


def birth_year() -> Any:
    return StringField(_l("Year of birth"), validators=[DataRequired(_l("Enter the year you were born."))])


def gender() -> Any:
    return ChoiceRadio(_l("Gender"), validators=[Optional()])


def organisation() -> Any:
    return ChoiceRadio(
        _l("Which organisation do you volunteer with?"),
        required_message=_l("Choose an organisation, or that you are an independent volunteer."),
    )


def skills() -> Any:
    return CodeChecklist(_l("Skills"), vocabulary="skill")


def interests() -> Any:
    return CodeChecklist(_l("Interests"), vocabulary="interest")


def schemes() -> Any:
    return CodeChecklist(
        _l("How do you want to help?"),
        vocabulary="scheme",
        sort=False,
        required_message=_l("Choose at least one way you want to help."),
    )


def availability() -> Any:
    return CodeChecklist(
        _l("When can you help?"),
        vocabulary="availability",
        sort=False,
        required_message=_l("Choose at least one time when you can help."),
    )


def capacity() -> Any:
    return StringField(
        _l("How many families or persons can you help at the same time?"),
        validators=[DataRequired(_l("Enter how many families or persons you can help at once."))],
        default="1",
    )


def about() -> Any:
    return TextAreaField(
        _l("About you"),
        validators=[
            Optional(),
            Length(max=MAX_ABOUT_LENGTH, message=_l("Write at most %(n)s characters.", n=MAX_ABOUT_LENGTH)),
        ],
    )


def language() -> Any:
    return ChoiceRadio(
        _l("Which language should we write to you in?"),
        required_message=_l("Choose the language of our e-mails."),
    )


class PersonChecks:
    """Cleaning shared by every form with contact fields."""

    def validate_phone(self, field: Field) -> None:
        check(field, clean_phone)

    def validate_postcode(self, field: Field) -> None:
        check(field, clean_postcode)

    def validate_birth_year(self, field: Field) -> None:
        check(field, clean_birth_year)

    def validate_capacity(self, field: Field) -> None:
        number = parse_id((field.data or "").strip())
        if number is None or not 1 <= number <= MAX_CAPACITY:
            raise ValidationError(_("Enter a whole number from 1 to %(n)s.", n=MAX_CAPACITY))
        field.data = number


def gender_choices() -> list[tuple[str, str]]:
    return [*vocab_choices("gender"), ("", _("I prefer not to say"))]


def language_choices() -> list[tuple[str, str]]:
    return [("da", "Dansk"), ("en", "English")]


def organisation_choices(organisations: list[Any]) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations] + [(INDEPENDENT, _("I am an independent volunteer"))]


def language_field_name(code: str) -> str:
    return f"lang_{code}"


class LanguageFields:
    """Adds one level select per language code; at least one must be chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, field in self.language_fields():
            field.label.text = vocab_label("language", code)

    def language_fields(self) -> list[tuple[str, Any]]:
        return [(code, getattr(self, language_field_name(code))) for code in vocab.LANGUAGES]

    def language_levels(self) -> dict[str, str]:
        return {code: field.data for code, field in self.language_fields() if field.data}

    def validate_lang_da(self, field: Field) -> None:
        if not self.language_levels():
            raise ValidationError(_("Choose a level for at least one language you speak."))

    def fill_languages(self, levels: dict[str, str]) -> None:
        for code, field in self.language_fields():
            field.data = levels.get(code, "")


def add_language_fields(cls: type) -> type:
    for code in vocab.LANGUAGES:
        setattr(cls, language_field_name(code), LanguageLevelField(vocab.LANGUAGES[code][0]))
    return cls


def current_language_default() -> str:
    return interface_language()


def child_scheme_names() -> str:
    """The schemes that can involve children under 15, named as the scheme checkboxes name them."""
    schemes = child_contact_schemes()
    names = [vocab.label("scheme", code) for code in vocab.SCHEMES if code in schemes]
    return format_list([f"“{name}”" for name in names], locale=str(get_locale() or "da"))
