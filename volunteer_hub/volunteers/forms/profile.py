"""The volunteer's own profile form."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from volunteer_hub.volunteers.forms import fields


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

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gender.choices = fields.gender_choices()
        self.organisation.choices = fields.organisation_choices(organisations)
        self.language.choices = fields.language_choices()
