"""Registering a household and editing its details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, FieldList, Form, FormField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Optional, ValidationError

from volunteer_hub import vocab
from volunteer_hub.families.fields import (
    LocalDateField,
    LocalIntegerField,
    LocalSelectField,
    MultiCheckboxField,
    max_length,
    number_range,
)
from volunteer_hub.families.forms.base import MAX_LANGUAGE_ROWS, MAX_MEMBER_ROWS, VersionedForm, text_of
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import ArrivalRoute, ConsentScope, MemberKind
from volunteer_hub.families.services.households import HouseholdData, MemberData
from volunteer_hub.phones import normalise_phone
from volunteer_hub.postcodes import is_valid_postcode


class LanguageRow(Form):
    language = LocalSelectField(_l("Language"), validators=[Optional()])
    level = LocalSelectField(_l("Level"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [("", str(_l("Choose language")))] + vocab.choices(vocab.LANGUAGES)
        self.level.choices = [("", str(_l("Choose level")))] + vocab.choices(vocab.LEVELS)


class HouseholdFields(VersionedForm):
    ref = StringField(_l("Reference"), validators=[Optional(), max_length(40)])
    name = StringField(
        _l("Name of the household"),
        validators=[
            DataRequired(_l("Enter how the household is referred to, e.g. the Haile family.")),
            max_length(120),
        ],
    )
    contact_name = StringField(
        _l("Contact person"),
        validators=[
            DataRequired(_l("Enter the name of the person a volunteer should contact.")),
            max_length(120),
        ],
    )
    phone = TelField(_l("Phone"), validators=[Optional(), max_length(40)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Email(_l("Enter an e-mail address in the form name@example.dk.")),
            max_length(254),
        ],
    )
    postcode = StringField(
        _l("Postcode"), validators=[DataRequired(_l("Enter the postcode.")), max_length(4)]
    )
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    languages = FieldList(
        FormField(LanguageRow), min_entries=MAX_LANGUAGE_ROWS, max_entries=MAX_LANGUAGE_ROWS
    )
    letter_language = LocalSelectField(_l("Language of letters"), validators=[Optional()])
    interpreter_needed = BooleanField(_l("An interpreter is needed"))
    interests = MultiCheckboxField(_l("Leisure interests and wishes"))
    schemes = MultiCheckboxField(_l("Schemes the household wants"))
    availability = MultiCheckboxField(_l("When the household can meet"))
    volunteer_gender = LocalSelectField(_l("Preferred gender of the volunteer"), validators=[Optional()])
    consent_on = LocalDateField(_l("Consent given on"), validators=[Optional()])
    consent_scope = LocalSelectField(_l("What the household agreed to share"), validators=[Optional()])
    registered_on = LocalDateField(_l("Asked for a volunteer on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(4000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.letter_language.choices = [("", str(_l("The household's best language")))] + vocab.choices(
            vocab.LANGUAGES
        )
        self.interests.choices = vocab.choices(vocab.INTERESTS)
        self.schemes.choices = vocab.choices(vocab.SCHEMES)
        self.availability.choices = vocab.choices(vocab.AVAILABILITY)
        self.volunteer_gender.choices = [("", str(_l("No preference")))] + vocab.choices(vocab.GENDERS)
        self.consent_scope.choices = enum_choices(ConsentScope, blank=_l("Not given yet"))

    def validate_phone(self, field: Any) -> None:
        if text_of(field.data) and normalise_phone(field.data) is None:
            raise ValidationError(
                _l("Enter a Danish phone number (8 digits) or an international one starting with +.")
            )

    def validate_postcode(self, field: Any) -> None:
        if not is_valid_postcode(text_of(field.data)):
            raise ValidationError(_l("Enter a Danish postcode of 4 digits, e.g. 2600."))

    def validate_languages(self, field: Any) -> None:
        seen = set()
        for row in field.entries:
            code, level = row.form.language.data, row.form.level.data
            if code and not level:
                raise ValidationError(_l("Choose a level for every language chosen."))
            if level and not code:
                raise ValidationError(_l("Choose the language for every level chosen."))
            if code in seen:
                raise ValidationError(_l("Each language can be listed only once."))
            if code:
                seen.add(code)
        if not seen:
            raise ValidationError(_l("Choose at least one language the household speaks."))

    def cross_field_problems(self) -> list[tuple[Any, Any]]:
        if self.consent_on.data and not self.consent_scope.data:
            return [(self.consent_scope, _l("Choose what the household agreed to share."))]
        if self.consent_scope.data and not self.consent_on.data and not self.consent_on.errors:
            return [
                (self.consent_on, _l("Enter the date of the consent, or choose that it is not given yet."))
            ]
        return []

    def household_data(self, default_registered_on: dt.date) -> HouseholdData:
        return HouseholdData(
            ref=text_of(self.ref.data),
            name=text_of(self.name.data),
            contact_name=text_of(self.contact_name.data),
            phone=normalise_phone(self.phone.data or "") or "",
            email=text_of(self.email.data).lower(),
            postcode=text_of(self.postcode.data),
            address=text_of(self.address.data),
            languages=[
                (row.form.language.data, row.form.level.data)
                for row in self.languages.entries
                if row.form.language.data
            ],
            letter_language=self.letter_language.data or "",
            interpreter_needed=bool(self.interpreter_needed.data),
            interests=list(self.interests.data or []),
            schemes=list(self.schemes.data or []),
            availability=list(self.availability.data or []),
            volunteer_gender=self.volunteer_gender.data or None,
            consent_on=self.consent_on.data,
            consent_scope=ConsentScope(self.consent_scope.data) if self.consent_scope.data else None,
            registered_on=self.registered_on.data or default_registered_on,
            notes=text_of(self.notes.data),
        )

    def fill_from(self, household: Any) -> None:
        """Show ``household`` in the form (GET of the edit page)."""
        for name in (
            "ref",
            "name",
            "contact_name",
            "email",
            "postcode",
            "address",
            "letter_language",
            "interpreter_needed",
            "consent_on",
            "registered_on",
            "notes",
        ):
            getattr(self, name).data = getattr(household, name)
        from volunteer_hub.phones import display_phone

        self.phone.data = display_phone(household.phone)
        self.interests.data = list(household.interests or [])
        self.schemes.data = household.scheme_codes
        self.availability.data = list(household.availability or [])
        self.volunteer_gender.data = household.volunteer_gender or ""
        self.consent_scope.data = household.consent_scope.value if household.consent_scope else ""
        for row, language in zip(self.languages.entries, household.languages, strict=False):
            row.form.language.data = language.language
            row.form.level.data = language.level
        self.version.data = str(household.version_id)


class MemberRow(Form):
    """One person on the registration form; a row without a name is ignored."""

    name = StringField(_l("Name"), validators=[Optional(), max_length(120)])
    kind = LocalSelectField(_l("Adult or child"), validators=[Optional()])
    birth_year = LocalIntegerField(_l("Birth year"), validators=[Optional(), number_range(1900, 2100)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_choices(MemberKind)


class RegisterHouseholdForm(HouseholdFields):
    arrival_on = LocalDateField(
        _l("Arrival in the municipality"),
        validators=[DataRequired(_l("Enter the date the household arrived, as YYYY-MM-DD."))],
    )
    members = FieldList(FormField(MemberRow), min_entries=MAX_MEMBER_ROWS, max_entries=MAX_MEMBER_ROWS)

    def validate_members(self, field: Any) -> None:
        named = [row.form for row in field.entries if text_of(row.form.name.data)]
        if not any(row.kind.data == MemberKind.ADULT.value for row in named):
            raise ValidationError(_l("Enter at least one adult: a name and Adult in one of the rows."))

    def member_data(self) -> list[MemberData]:
        return [
            MemberData(
                kind=MemberKind(row.form.kind.data),
                name=text_of(row.form.name.data),
                birth_year=row.form.birth_year.data,
                arrival_on=self.arrival_on.data,
                arrival_route=ArrivalRoute.ASYLUM,
            )
            for row in self.members.entries
            if text_of(row.form.name.data)
        ]
