"""Forms: one per registration step, the volunteer's own profile form, and the coordinator's actions.

Every field is checked on the server with a message that says what is wrong. Forms never
write to models: views hand their cleaned data to a service (no populate_obj).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from volunteer_hub import vocab
from volunteer_hub.auth.services import MIN_PASSWORD_LENGTH
from volunteer_hub.db import parse_id
from volunteer_hub.volunteers.labels import certificate_label, interface_language, vocab_choices, vocab_label
from volunteer_hub.volunteers.models import ChildCertificateState
from volunteer_hub.volunteers.services import MAX_REASON_LENGTH
from volunteer_hub.volunteers.validation import (
    InvalidValueError,
    clean_birth_year,
    clean_email,
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


def _check(field: Field, clean: Any) -> None:
    try:
        field.data = clean(field.data)
    except InvalidValueError as exc:
        raise ValidationError(str(exc)) from exc


# --- fields shared by the registration steps and the profile form ---------------------------------


def _first_name() -> Any:
    return StringField(
        _l("First name"),
        validators=[
            DataRequired(_l("Enter your first name.")),
            Length(max=80, message=_l("The first name can be at most 80 characters.")),
        ],
    )


def _last_name() -> Any:
    return StringField(
        _l("Last name"),
        validators=[
            DataRequired(_l("Enter your last name.")),
            Length(max=80, message=_l("The last name can be at most 80 characters.")),
        ],
    )


def _phone() -> Any:
    return StringField(_l("Phone"), validators=[DataRequired(_l("Enter your phone number."))])


def _postcode() -> Any:
    return StringField(_l("Postcode"), validators=[DataRequired(_l("Enter your postcode."))])


def _birth_year() -> Any:
    return StringField(_l("Year of birth"), validators=[DataRequired(_l("Enter the year you were born."))])


def _gender() -> Any:
    return ChoiceRadio(_l("Gender"), validators=[Optional()])


def _organisation() -> Any:
    return ChoiceRadio(
        _l("Which organisation do you volunteer with?"),
        required_message=_l("Choose an organisation, or that you are an independent volunteer."),
    )


def _skills() -> Any:
    return CodeChecklist(_l("Skills"), vocabulary="skill")


def _interests() -> Any:
    return CodeChecklist(_l("Interests"), vocabulary="interest")


def _schemes() -> Any:
    return CodeChecklist(
        _l("How do you want to help?"),
        vocabulary="scheme",
        sort=False,
        required_message=_l("Choose at least one way you want to help."),
    )


def _availability() -> Any:
    return CodeChecklist(
        _l("When can you help?"),
        vocabulary="availability",
        sort=False,
        required_message=_l("Choose at least one time when you can help."),
    )


def _capacity() -> Any:
    return StringField(
        _l("How many families or persons can you help at the same time?"),
        validators=[DataRequired(_l("Enter how many families or persons you can help at once."))],
        default="1",
    )


def _about() -> Any:
    return TextAreaField(
        _l("About you"),
        validators=[
            Optional(),
            Length(max=MAX_ABOUT_LENGTH, message=_l("Write at most %(n)s characters.", n=MAX_ABOUT_LENGTH)),
        ],
    )


def _language() -> Any:
    return ChoiceRadio(
        _l("Which language should we write to you in?"),
        required_message=_l("Choose the language of our e-mails."),
    )


class _PersonChecks:
    """Cleaning shared by every form with contact fields."""

    def validate_phone(self, field: Field) -> None:
        _check(field, clean_phone)

    def validate_postcode(self, field: Field) -> None:
        _check(field, clean_postcode)

    def validate_birth_year(self, field: Field) -> None:
        _check(field, clean_birth_year)

    def validate_capacity(self, field: Field) -> None:
        number = parse_id((field.data or "").strip())
        if number is None or not 1 <= number <= MAX_CAPACITY:
            raise ValidationError(_("Enter a whole number from 1 to %(n)s.", n=MAX_CAPACITY))
        field.data = number


def _gender_choices() -> list[tuple[str, str]]:
    return [*vocab_choices("gender"), ("", _("I prefer not to say"))]


def _language_choices() -> list[tuple[str, str]]:
    return [("da", "Dansk"), ("en", "English")]


def organisation_choices(organisations: list[Any]) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations] + [(INDEPENDENT, _("I am an independent volunteer"))]


# --- registration steps -------------------------------------------------------------------------


class ContactForm(_PersonChecks, FlaskForm):
    first_name = _first_name()
    last_name = _last_name()
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address can be at most 254 characters.")),
        ],
    )
    phone = _phone()
    postcode = _postcode()
    birth_year = _birth_year()
    gender = _gender()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gender.choices = _gender_choices()

    def validate_email(self, field: Field) -> None:
        _check(field, clean_email)


class OrganisationForm(FlaskForm):
    organisation = _organisation()

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = organisation_choices(organisations)


def language_field_name(code: str) -> str:
    return f"lang_{code}"


class _LanguageFields:
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


def _add_language_fields(cls: type) -> type:
    for code in vocab.LANGUAGES:
        setattr(cls, language_field_name(code), LanguageLevelField(vocab.LANGUAGES[code][0]))
    return cls


@_add_language_fields
class LanguagesForm(_LanguageFields, FlaskForm):
    pass


class SkillsForm(FlaskForm):
    skills = _skills()
    interests = _interests()


class HelpForm(_PersonChecks, FlaskForm):
    schemes = _schemes()
    availability = _availability()
    capacity = _capacity()


class AboutForm(FlaskForm):
    about = _about()
    language = _language()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices()


class ConsentForm(FlaskForm):
    data_processing = BooleanField(
        _l("I consent to Volunteer Hub processing my data as described above."),
        validators=[DataRequired(_l("Tick the box to consent to the processing of your data."))],
    )
    conduct = BooleanField(
        _l(
            "I will keep what I learn about the people I help confidential, and I follow the code of conduct."
        ),
        validators=[DataRequired(_l("Tick the box to accept confidentiality and the code of conduct."))],
    )
    child_certificate = BooleanField(
        _l("I consent to my organisation requesting a child certificate (børneattest) about me."),
    )

    def __init__(self, *args: Any, needs_child_consent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_child_consent = needs_child_consent

    def validate_child_certificate(self, field: Field) -> None:
        if self.needs_child_consent and not field.data:
            raise ValidationError(
                _(
                    "You chose to help children: tick the box to consent to a child certificate, "
                    "or go back and remove that choice."
                )
            )


class SubmitForm(FlaskForm):
    """The check-your-answers page: only the CSRF token."""


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(
        _l("Choose a password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("The password must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )


# --- the volunteer's own profile ---------------------------------------------------------------


@_add_language_fields
class ProfileForm(_LanguageFields, _PersonChecks, FlaskForm):
    """Everything a volunteer may change about themselves (not the e-mail: it is their sign-in)."""

    first_name = _first_name()
    last_name = _last_name()
    phone = _phone()
    postcode = _postcode()
    birth_year = _birth_year()
    gender = _gender()
    organisation = _organisation()
    skills = _skills()
    interests = _interests()
    schemes = _schemes()
    availability = _availability()
    capacity = _capacity()
    about = _about()
    language = _language()

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gender.choices = _gender_choices()
        self.organisation.choices = organisation_choices(organisations)
        self.language.choices = _language_choices()


# --- coordinators -------------------------------------------------------------------------------


class ActionForm(FlaskForm):
    """A status change without a reason: only the CSRF token."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the volunteer sees it)"),
        validators=[
            DataRequired(_l("Write the reason the volunteer will see.")),
            Length(max=MAX_REASON_LENGTH, message=_l("Write at most %(n)s characters.", n=MAX_REASON_LENGTH)),
        ],
    )


class CertificateForm(FlaskForm):
    state = SelectField(
        _l("Child certificate"),
        validators=[DataRequired(_l("Choose a state from the list."))],
        validate_choice=False,
    )
    received_on = StringField(_l("Date received"))
    organisation = SelectField(_l("Obtained by"), validate_choice=False)

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state.choices = [(s.value, certificate_label(s)) for s in ChildCertificateState]
        self.organisation.choices = [("", _("No organisation"))] + [
            (str(o.id), o.name) for o in organisations
        ]
        self._organisation_ids = {str(o.id) for o in organisations}

    def validate_state(self, field: Field) -> None:
        if field.data not in set(ChildCertificateState):
            raise ValidationError(_("Choose a state from the list."))

    def validate_received_on(self, field: Field) -> None:
        text = (field.data or "").strip()
        received = self.state.data in (
            ChildCertificateState.RECEIVED_OK,
            ChildCertificateState.RECEIVED_WITH_REMARKS,
        )
        if not text:
            if received:
                raise ValidationError(_("Enter the date the certificate was received, as YYYY-MM-DD."))
            field.data = None
            return
        try:
            field.data = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValidationError(_("Enter the date as YYYY-MM-DD, e.g. 2026-03-31.")) from exc

    def validate_organisation(self, field: Field) -> None:
        if field.data and field.data not in self._organisation_ids:
            raise ValidationError(_("Choose an organisation from the list."))


def current_language_default() -> str:
    return interface_language()
