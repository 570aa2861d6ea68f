"""One form per step of the public registration wizard, and the password a volunteer chooses at the end."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from volunteer_hub.auth.services import MIN_PASSWORD_LENGTH
from volunteer_hub.volunteers.forms import fields
from volunteer_hub.volunteers.validation import clean_email


class ContactForm(fields.PersonChecks, FlaskForm):
    first_name = fields.first_name()
    last_name = fields.last_name()
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address can be at most 254 characters.")),
        ],
    )
    phone = fields.phone()
    postcode = fields.postcode()
    birth_year = fields.birth_year()
    gender = fields.gender()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gender.choices = fields.gender_choices()

    def validate_email(self, field: Field) -> None:
        fields.check(field, clean_email)


class OrganisationForm(FlaskForm):
    organisation = fields.organisation()

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = fields.organisation_choices(organisations)


@fields.add_language_fields
class LanguagesForm(fields.LanguageFields, FlaskForm):
    pass


class SkillsForm(FlaskForm):
    skills = fields.skills()
    interests = fields.interests()


class HelpForm(fields.PersonChecks, FlaskForm):
    schemes = fields.schemes()
    availability = fields.availability()
    capacity = fields.capacity()


class AboutForm(FlaskForm):
    about = fields.about()
    language = fields.language()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = fields.language_choices()


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
        self.child_scheme_names = fields.child_scheme_names()

    def validate_child_certificate(self, field: Field) -> None:
        if self.needs_child_consent and not field.data:
            raise ValidationError(
                _(
                    "The ways you chose to help can involve children under 15: tick the box to "
                    "consent to a child certificate, or go back and choose other ways to help."
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
