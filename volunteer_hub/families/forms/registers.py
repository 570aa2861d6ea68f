"""The registers: internship workplaces, shared units and leisure offers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from volunteer_hub import vocab
from volunteer_hub.families.fields import (
    LocalIntegerField,
    LocalSelectField,
    MultiCheckboxField,
    max_length,
    number_range,
)
from volunteer_hub.families.forms.base import text_of
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import LeisureKind, WorkSector
from volunteer_hub.families.services.registers import LeisureOfferData, SharedUnitData, WorkplaceData


class WorkplaceForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the workplace's name.")), max_length(120)]
    )
    sector = LocalSelectField(_l("Sector"))
    open_places = LocalIntegerField(
        _l("Open internship places"),
        default=0,
        validators=[Optional(), number_range(0, 999)],
    )
    labour_shortage = BooleanField(_l("The sector is short of labour"))
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    contact = StringField(_l("Contact at the workplace"), validators=[Optional(), max_length(200)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = enum_choices(WorkSector)

    def data_object(self) -> WorkplaceData:
        return WorkplaceData(
            name=text_of(self.name.data),
            sector=WorkSector(self.sector.data),
            open_places=self.open_places.data or 0,
            labour_shortage=bool(self.labour_shortage.data),
            address=text_of(self.address.data),
            contact=text_of(self.contact.data),
        )


class SharedUnitForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter a name for the unit.")), max_length(120)]
    )
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    mix_flagged = BooleanField(_l("The mix of occupants needs attention"))

    def data_object(self) -> SharedUnitData:
        return SharedUnitData(name=text_of(self.name.data), address=text_of(self.address.data))


class LeisureOfferForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the offer's name.")), max_length(120)])
    kind = LocalSelectField(_l("Kind"))
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    min_age = LocalIntegerField(_l("From age"), validators=[Optional(), number_range(0, 120)])
    max_age = LocalIntegerField(_l("To age"), validators=[Optional(), number_range(0, 120)])
    interests = MultiCheckboxField(_l("Interests it serves"))
    leisure_pass = BooleanField(_l("A leisure pass or subsidy can pay for membership"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_choices(LeisureKind)
        self.interests.choices = vocab.choices(vocab.INTERESTS)

    def validate_max_age(self, field: Any) -> None:
        if field.data is not None and self.min_age.data is not None and field.data < self.min_age.data:
            raise ValidationError(_l("The highest age cannot be lower than the lowest age."))

    def data_object(self) -> LeisureOfferData:
        return LeisureOfferData(
            name=text_of(self.name.data),
            kind=LeisureKind(self.kind.data),
            address=text_of(self.address.data),
            min_age=self.min_age.data,
            max_age=self.max_age.data,
            interests=list(self.interests.data or []),
            leisure_pass=bool(self.leisure_pass.data),
        )
