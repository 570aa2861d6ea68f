"""One member: adding, an adult's work and Danish classes, a child's school and contacts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Optional, ValidationError

from volunteer_hub.families.fields import (
    LocalDateField,
    LocalIntegerField,
    LocalSelectField,
    max_length,
    number_range,
)
from volunteer_hub.families.forms.base import VersionedForm, optional_int, text_of
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import ArrivalRoute, InternshipStatus, MemberKind, WorkSector
from volunteer_hub.families.services.households import MemberData
from volunteer_hub.families.services.members import ChildDetailsData, DanishClassData, InternshipData


class MemberBasics(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the person's name.")), max_length(120)])
    birth_year = LocalIntegerField(
        _l("Birth year"),
        validators=[Optional(), number_range(1900, 2100)],
    )
    arrival_on = LocalDateField(
        _l("Arrival in the municipality"),
        validators=[DataRequired(_l("Enter the date the person arrived, as YYYY-MM-DD."))],
    )
    arrival_route = LocalSelectField(_l("How the person came"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.arrival_route.choices = enum_choices(ArrivalRoute)

    def member_data(self, kind: MemberKind) -> MemberData:
        return MemberData(
            kind=kind,
            name=text_of(self.name.data),
            birth_year=self.birth_year.data,
            arrival_on=self.arrival_on.data,
            arrival_route=ArrivalRoute(self.arrival_route.data),
        )

    def fill_basics(self, member: Any, version: int) -> None:
        self.name.data = member.name
        self.birth_year.data = member.birth_year
        self.arrival_on.data = member.arrival_on
        self.arrival_route.data = member.arrival_route.value
        self.version.data = str(version)


class AddMemberForm(MemberBasics):
    kind = LocalSelectField(_l("Adult or child"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = enum_choices(MemberKind)


class AdultForm(MemberBasics):
    employed = BooleanField(_l("Already in a job"))
    job_centre_contact = StringField(_l("Job centre contact"), validators=[Optional(), max_length(200)])
    workplace_id = LocalSelectField(
        _l("Workplace from the register"), coerce=optional_int, validators=[Optional()]
    )
    workplace_name = StringField(
        _l("Workplace (if not in the register)"), validators=[Optional(), max_length(120)]
    )
    sector = LocalSelectField(_l("Sector"), validators=[Optional()])
    offered_on = LocalDateField(_l("Internship offered on"), validators=[Optional()])
    starts_on = LocalDateField(_l("Internship starts on"), validators=[Optional()])
    internship_status = LocalSelectField(_l("Internship status"), validators=[Optional()])
    language_school = StringField(_l("Language school"), validators=[Optional(), max_length(120)])
    programme = LocalSelectField(_l("Danish programme"), coerce=optional_int, validators=[Optional()])
    module = LocalSelectField(_l("Module"), coerce=optional_int, validators=[Optional()])
    class_start_on = LocalDateField(_l("Classes started on"), validators=[Optional()])
    class_ended_on = LocalDateField(_l("Classes ended on"), validators=[Optional()])
    schedule = StringField(_l("Schedule"), validators=[Optional(), max_length(120)])

    def __init__(self, *args: Any, workplaces: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.workplace_id.choices = [("", str(_l("None chosen")))] + [
            (str(w.id), f"{w.name} ({w.open_places})") for w in workplaces
        ]
        self.sector.choices = enum_choices(WorkSector, blank=_l("Choose sector"))
        self.internship_status.choices = enum_choices(InternshipStatus)
        self.programme.choices = [("", str(_l("Choose programme")))] + [
            (str(n), str(_l("Danish education %(n)s", n=n))) for n in (1, 2, 3)
        ]
        self.module.choices = [("", str(_l("Choose module")))] + [
            (str(n), str(_l("Module %(n)s", n=n))) for n in range(1, 7)
        ]

    def member_data(self, kind: MemberKind = MemberKind.ADULT) -> MemberData:
        data = super().member_data(kind)
        data.employed = bool(self.employed.data)
        data.job_centre_contact = text_of(self.job_centre_contact.data)
        return data

    def _has_internship(self) -> bool:
        return bool(
            self.offered_on.data
            or self.offered_on.raw_data
            and self.offered_on.raw_data[0]
            or self.workplace_id.data
            or text_of(self.workplace_name.data)
        )

    def cross_field_problems(self) -> list[tuple[Any, Any]]:
        problems: list[tuple[Any, Any]] = []
        if self._has_internship():
            if not self.offered_on.data and not self.offered_on.errors:
                problems.append((self.offered_on, _l("Enter the date the internship was offered.")))
            if not (self.workplace_id.data or text_of(self.workplace_name.data)):
                problems.append(
                    (self.workplace_name, _l("Choose a workplace from the register or write its name."))
                )
            if not self.sector.data and not self.workplace_id.data:
                problems.append((self.sector, _l("Choose the internship's sector.")))
        if text_of(self.language_school.data):
            if not self.programme.data:
                problems.append((self.programme, _l("Choose the Danish programme (1, 2 or 3).")))
            if not self.module.data:
                problems.append((self.module, _l("Choose the module (1 to 6).")))
        elif self.programme.data or self.module.data or self.class_start_on.data:
            problems.append((self.language_school, _l("Enter the language school.")))
        return problems

    def validate_class_ended_on(self, field: Any) -> None:
        if field.data and self.class_start_on.data and field.data < self.class_start_on.data:
            raise ValidationError(_l("The classes cannot end before they started."))

    def internship_data(self, workplace_sector: WorkSector | None) -> InternshipData | None:
        if not self._has_internship():
            return None
        sector = WorkSector(self.sector.data) if self.sector.data else workplace_sector or WorkSector.OTHER
        return InternshipData(
            workplace_id=self.workplace_id.data,
            workplace_name=text_of(self.workplace_name.data),
            sector=sector,
            offered_on=self.offered_on.data,
            starts_on=self.starts_on.data,
            status=InternshipStatus(self.internship_status.data or InternshipStatus.OFFERED.value),
        )

    def danish_data(self) -> DanishClassData | None:
        if not text_of(self.language_school.data):
            return None
        return DanishClassData(
            language_school=text_of(self.language_school.data),
            programme=self.programme.data,
            module=self.module.data,
            start_on=self.class_start_on.data,
            ended_on=self.class_ended_on.data,
            schedule=text_of(self.schedule.data),
        )

    def fill_from(self, member: Any, version: int) -> None:
        self.fill_basics(member, version)
        self.employed.data = member.employed
        self.job_centre_contact.data = member.job_centre_contact
        offer = member.internship
        if offer is not None:
            self.workplace_id.data = offer.workplace_id
            self.workplace_name.data = "" if offer.workplace_id else offer.workplace_name
            self.sector.data = offer.sector.value
            self.offered_on.data = offer.offered_on
            self.starts_on.data = offer.starts_on
            self.internship_status.data = offer.status.value
        course = member.danish_class
        if course is not None:
            self.language_school.data = course.language_school
            self.programme.data = course.programme
            self.module.data = course.module
            self.class_start_on.data = course.start_on
            self.class_ended_on.data = course.ended_on
            self.schedule.data = course.schedule


class ChildForm(MemberBasics):
    school = StringField(_l("School"), validators=[Optional(), max_length(120)])
    school_class = StringField(_l("Class"), validators=[Optional(), max_length(40)])
    reception_class = BooleanField(_l("In a reception class"))
    daycare = StringField(_l("Daycare"), validators=[Optional(), max_length(120)])
    ppr_contact = StringField(_l("PPR contact"), validators=[Optional(), max_length(200)])
    family_section_contact = StringField(
        _l("Family section contact"), validators=[Optional(), max_length(200)]
    )

    def details_data(self) -> ChildDetailsData:
        return ChildDetailsData(
            school=text_of(self.school.data),
            school_class=text_of(self.school_class.data),
            reception_class=bool(self.reception_class.data),
            daycare=text_of(self.daycare.data),
            ppr_contact=text_of(self.ppr_contact.data),
            family_section_contact=text_of(self.family_section_contact.data),
        )

    def fill_from(self, member: Any, version: int) -> None:
        self.fill_basics(member, version)
        details = member.child_details
        if details is not None:
            for name in (
                "school",
                "school_class",
                "reception_class",
                "daycare",
                "ppr_contact",
                "family_section_contact",
            ):
                getattr(self, name).data = getattr(details, name)


class RemoveMemberForm(VersionedForm):
    """The button that removes a member registered by mistake."""
