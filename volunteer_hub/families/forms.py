"""Forms for family cases. Each form turns its input into a service's data class; none writes
to a model directly (no populate_obj). Every case edit form carries the case's version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    StringField,
    TelField,
    TextAreaField,
)
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
from volunteer_hub.families.labels import enum_choices
from volunteer_hub.families.models import (
    ArrivalRoute,
    ConsentScope,
    HealthCheckStatus,
    HousingSector,
    HousingStatus,
    InternshipStatus,
    LeisureKind,
    MemberKind,
    WorkSector,
)
from volunteer_hub.families.services.households import HouseholdData, MemberData
from volunteer_hub.families.services.housing import HousingData
from volunteer_hub.families.services.members import ChildDetailsData, DanishClassData, InternshipData
from volunteer_hub.families.services.registers import LeisureOfferData, SharedUnitData, WorkplaceData
from volunteer_hub.phones import normalise_phone
from volunteer_hub.postcodes import is_valid_postcode

MAX_LANGUAGE_ROWS = 4
MAX_MEMBER_ROWS = 8


def optional_int(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


def _text(value: str | None) -> str:
    return (value or "").strip()


class CheckedForm(FlaskForm):
    """A form with checks across fields, run after the fields' own validators.

    (WTForms' ``Optional()`` stops a field's validator chain when it is empty, so a rule like
    "an internship needs an offer date" cannot live in ``validate_offered_on``.)
    """

    def cross_field_problems(self) -> list[tuple[Any, Any]]:
        return []

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field, message in self.cross_field_problems():
            field.errors = [*field.errors, message]
            valid = False
        return valid


class VersionedForm(CheckedForm):
    """A case edit form: ``version`` is the case's version when the form was shown."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        raw = self.version.data
        return int(raw) if raw and str(raw).isdigit() else None


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
        if _text(field.data) and normalise_phone(field.data) is None:
            raise ValidationError(
                _l("Enter a Danish phone number (8 digits) or an international one starting with +.")
            )

    def validate_postcode(self, field: Any) -> None:
        if not is_valid_postcode(_text(field.data)):
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
            ref=_text(self.ref.data),
            name=_text(self.name.data),
            contact_name=_text(self.contact_name.data),
            phone=normalise_phone(self.phone.data or "") or "",
            email=_text(self.email.data).lower(),
            postcode=_text(self.postcode.data),
            address=_text(self.address.data),
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
            notes=_text(self.notes.data),
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
        named = [row.form for row in field.entries if _text(row.form.name.data)]
        if not any(row.kind.data == MemberKind.ADULT.value for row in named):
            raise ValidationError(_l("Enter at least one adult: a name and Adult in one of the rows."))

    def member_data(self) -> list[MemberData]:
        return [
            MemberData(
                kind=MemberKind(row.form.kind.data),
                name=_text(row.form.name.data),
                birth_year=row.form.birth_year.data,
                arrival_on=self.arrival_on.data,
                arrival_route=ArrivalRoute.ASYLUM,
            )
            for row in self.members.entries
            if _text(row.form.name.data)
        ]


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
            name=_text(self.name.data),
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
        data.job_centre_contact = _text(self.job_centre_contact.data)
        return data

    def _has_internship(self) -> bool:
        return bool(
            self.offered_on.data
            or self.offered_on.raw_data
            and self.offered_on.raw_data[0]
            or self.workplace_id.data
            or _text(self.workplace_name.data)
        )

    def cross_field_problems(self) -> list[tuple[Any, Any]]:
        problems: list[tuple[Any, Any]] = []
        if self._has_internship():
            if not self.offered_on.data and not self.offered_on.errors:
                problems.append((self.offered_on, _l("Enter the date the internship was offered.")))
            if not (self.workplace_id.data or _text(self.workplace_name.data)):
                problems.append(
                    (self.workplace_name, _l("Choose a workplace from the register or write its name."))
                )
            if not self.sector.data and not self.workplace_id.data:
                problems.append((self.sector, _l("Choose the internship's sector.")))
        if _text(self.language_school.data):
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
            workplace_name=_text(self.workplace_name.data),
            sector=sector,
            offered_on=self.offered_on.data,
            starts_on=self.starts_on.data,
            status=InternshipStatus(self.internship_status.data or InternshipStatus.OFFERED.value),
        )

    def danish_data(self) -> DanishClassData | None:
        if not _text(self.language_school.data):
            return None
        return DanishClassData(
            language_school=_text(self.language_school.data),
            programme=self.programme.data,
            module=self.module.data,
            start_on=self.class_start_on.data,
            ended_on=self.class_ended_on.data,
            schedule=_text(self.schedule.data),
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
            school=_text(self.school.data),
            school_class=_text(self.school_class.data),
            reception_class=bool(self.reception_class.data),
            daycare=_text(self.daycare.data),
            ppr_contact=_text(self.ppr_contact.data),
            family_section_contact=_text(self.family_section_contact.data),
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
    sector = LocalSelectField(_l("Sector"), validators=[Optional()])
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
            address=_text(self.address.data),
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
            name=_text(self.name.data),
            sector=WorkSector(self.sector.data),
            open_places=self.open_places.data or 0,
            labour_shortage=bool(self.labour_shortage.data),
            address=_text(self.address.data),
            contact=_text(self.contact.data),
        )


class SharedUnitForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter a name for the unit.")), max_length(120)]
    )
    address = StringField(_l("Address"), validators=[Optional(), max_length(200)])
    mix_flagged = BooleanField(_l("The mix of occupants needs attention"))

    def data_object(self) -> SharedUnitData:
        return SharedUnitData(name=_text(self.name.data), address=_text(self.address.data))


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
            name=_text(self.name.data),
            kind=LeisureKind(self.kind.data),
            address=_text(self.address.data),
            min_age=self.min_age.data,
            max_age=self.max_age.data,
            interests=list(self.interests.data or []),
            leisure_pass=bool(self.leisure_pass.data),
        )
