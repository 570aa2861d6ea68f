"""The coordinator's forms: a status change, with or without a reason, and the child certificate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from volunteer_hub.volunteers.labels import certificate_label
from volunteer_hub.volunteers.models import ChildCertificateState
from volunteer_hub.volunteers.services import MAX_REASON_LENGTH


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
