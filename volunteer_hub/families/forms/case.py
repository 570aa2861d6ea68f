"""The reception checklist, the health check and housing of a case."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from volunteer_hub.families.fields import LocalDateField, LocalSelectField, max_length
from volunteer_hub.families.forms.base import VersionedForm, optional_int, text_of
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import HealthCheckStatus, HousingSector, HousingStatus
from volunteer_hub.families.services.housing import HousingData


class ReceptionForm(VersionedForm):
    welcome_letter_on = LocalDateField(_l("Welcome letter sent on"), validators=[Optional()])
    welcome_letter_by = StringField(_l("Sent by"), validators=[Optional(), max_length(120)])
    network_intro_on = LocalDateField(_l("Introduced to networks on"), validators=[Optional()])
    network_intro_by = StringField(_l("Introduced by"), validators=[Optional(), max_length(120)])
    guided_tour_on = LocalDateField(_l("Guided tour on"), validators=[Optional()])
    guided_tour_by = StringField(
        _l("Guided by (staff member or volunteer)"), validators=[Optional(), max_length(120)]
    )


class HealthCheckForm(VersionedForm):
    status = LocalSelectField(_l("New status"))
    on = LocalDateField(_l("Date"), validators=[DataRequired(_l("Enter the date, as YYYY-MM-DD."))])

    def __init__(self, *args: Any, allowed: list[HealthCheckStatus] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        from volunteer_hub.families.labels import label_of

        self.status.choices = [(s.value, label_of(s)) for s in allowed]


class HousingForm(VersionedForm):
    status = LocalSelectField(_l("Status"))
    sector = LocalSelectField(_l("Housing sector"), validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    found_on = LocalDateField(_l("Housing found on"), validators=[Optional()])
    shared_unit_id = LocalSelectField(_l("Shared unit"), coerce=optional_int, validators=[Optional()])

    def __init__(self, *args: Any, units: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.status.choices = enum_choices(HousingStatus)
        self.sector.choices = enum_choices(HousingSector, blank=_l("Not known yet"))
        self.shared_unit_id.choices = [("", str(_l("Not a shared unit")))] + [
            (str(u.id), u.name) for u in units
        ]

    def housing_data(self) -> HousingData:
        return HousingData(
            status=HousingStatus(self.status.data),
            sector=HousingSector(self.sector.data) if self.sector.data else None,
            address=text_of(self.address.data),
            found_on=self.found_on.data,
            shared_unit_id=self.shared_unit_id.data,
        )

    def fill_from(self, housing: Any, version: int) -> None:
        self.version.data = str(version)
        if housing is None:
            return
        self.status.data = housing.status.value
        self.sector.data = housing.sector.value if housing.sector else ""
        self.address.data = housing.address
        self.found_on.data = housing.found_on
        self.shared_unit_id.data = housing.shared_unit_id
