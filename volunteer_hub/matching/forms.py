"""Forms of the matching pages. They only parse input; services decide (no populate_obj)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from volunteer_hub.families.fields import (
    LocalDateField,
    LocalIntegerField,
    LocalSelectField,
    max_length,
    number_range,
)
from volunteer_hub.matching.labels import END_REASON_LABELS, MEETING_KIND_LABELS
from volunteer_hub.matching.models import EndReason, MeetingKind

REASON_REQUIRED = _l("Write the reason.")


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") and str(value).isdigit() else None


class ActionForm(FlaskForm):
    """A button that needs nothing but the CSRF token."""


class PairForm(FlaskForm):
    """A (household, volunteer, scheme) chosen from a suggestion or the plan."""

    household_id = HiddenField()
    volunteer_id = HiddenField()
    scheme = HiddenField()

    def ids(self) -> tuple[int | None, int | None]:
        return _int(self.household_id.data), _int(self.volunteer_id.data)


class RejectPairForm(PairForm):
    reason = TextAreaField(
        _l("Why is this pair rejected?"),
        validators=[DataRequired(message=REASON_REQUIRED), max_length(2000)],
    )


class ManualMatchForm(FlaskForm):
    """The volunteer is named by number (any case) or name; when several fit, ``chosen`` picks one
    of them (its choices are the volunteers found, set by the view)."""

    volunteer = StringField(
        _l("Volunteer's number or name"),
        validators=[InputRequired(message=_l("Enter the volunteer's number or name.")), max_length(100)],
    )
    chosen = RadioField(_l("Volunteers who fit"), validators=[Optional()], choices=[], validate_choice=False)
    scheme = LocalSelectField(_l("Scheme"), validators=[InputRequired(message=_l("Choose a scheme."))])
    override_language = BooleanField(_l("Override the language rule (they share no language)"))
    override_reason = TextAreaField(
        _l("Why match them without a shared language?"), validators=[Optional(), max_length(2000)]
    )


class EndMatchForm(FlaskForm):
    reason = LocalSelectField(
        _l("Why does the match end?"),
        choices=[(r.value, label) for r, label in END_REASON_LABELS.items() if r != EndReason.REJECTED],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(_l("Note (required for another reason)"), validators=[Optional(), max_length(2000)])
    ended_on = LocalDateField(_l("Ended on"), validators=[Optional()])

    def end_reason(self) -> EndReason:
        return EndReason(self.reason.data)


class CheckInForm(FlaskForm):
    done_on = LocalDateField(_l("Done on"), validators=[InputRequired(message=_l("Enter the date."))])
    note = StringField(_l("Short note"), validators=[Optional(), max_length(500)])


TAKING_PART_CHOICES = [("", _l("Not known yet")), ("yes", _l("Yes")), ("no", _l("No"))]


class LeisureOutcomeForm(FlaskForm):
    leisure_offer = LocalSelectField(_l("Leisure offer"), validators=[Optional()])
    first_visit_on = LocalDateField(_l("First visit on"), validators=[Optional()])
    membership_on = LocalDateField(_l("Member since"), validators=[Optional()])
    still_taking_part = LocalSelectField(
        _l("Still taking part after 3 months?"), choices=TAKING_PART_CHOICES, validators=[Optional()]
    )

    def offer_id(self) -> int | None:
        return _int(self.leisure_offer.data)

    def taking_part(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.still_taking_part.data or "")


class MeetingForm(FlaskForm):
    on = LocalDateField(_l("Date of the meeting"), validators=[InputRequired(message=_l("Enter the date."))])
    minutes = LocalIntegerField(
        _l("Length in minutes"),
        validators=[InputRequired(message=_l("Enter the length in minutes.")), number_range(1, 1440)],
    )
    kind = LocalSelectField(
        _l("Kind of meeting"),
        choices=[(k.value, label) for k, label in MEETING_KIND_LABELS.items()],
        validators=[InputRequired(message=_l("Choose the kind of meeting."))],
    )
    note = StringField(_l("Short note (no personal details)"), validators=[Optional(), max_length(500)])

    def meeting_kind(self) -> MeetingKind:
        return MeetingKind(self.kind.data)
