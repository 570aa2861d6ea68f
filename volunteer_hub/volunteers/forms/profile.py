"""The volunteer's own profile form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field
from wtforms.validators import ValidationError

from volunteer_hub.volunteers.forms import fields
from volunteer_hub.volunteers.validation import needs_child_certificate_consent


@fields.add_language_fields
class ProfileForm(fields.LanguageFields, fields.PersonChecks, FlaskForm):
    """Everything a volunteer may change about themselves (not the e-mail: it is their sign-in)."""

    first_name = fields.first_name()
    last_name = fields.last_name()
    phone = fields.phone()
    postcode = fields.postcode()
    birth_year = fields.birth_year()
    gender = fields.gender()
    organisation = fields.organisation()
    skills = fields.skills()
    interests = fields.interests()
    schemes = fields.schemes()
    availability = fields.availability()
    capacity = fields.capacity()
    about = fields.about()
    language = fields.language()
    child_certificate = BooleanField(
        _l("I consent to my organisation requesting a child certificate (børneattest) about me."),
    )

    def __init__(
        self, *args: Any, organisations: list[Any], has_certificate_consent: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_certificate_consent = has_certificate_consent
        self.child_scheme_names = fields.child_scheme_names()
        self.gender.choices = fields.gender_choices()
        self.organisation.choices = fields.organisation_choices(organisations)
        self.language.choices = fields.language_choices()

    def validate_child_certificate(self, field: Field) -> None:
        if (
            not self.has_certificate_consent
            and needs_child_certificate_consent(self.schemes.data or [])
            and not field.data
        ):
            raise ValidationError(
                _l(
                    "The ways you chose to help can involve children under 15: tick the box to "
                    "consent to a child certificate, or choose other ways to help."
                )
            )
