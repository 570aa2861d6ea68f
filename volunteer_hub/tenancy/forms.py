"""Administrators' forms: the municipality's settings and a partner organisation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


class SettingsForm(FlaskForm):
    department_name = StringField(_l("Department"), validators=[Optional(), Length(max=200)])
    postal_address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    contact_email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Email(_l("Enter an e-mail address in the form name@example.dk.")),
            Length(max=254),
        ],
    )
    opening_hours = TextAreaField(_l("Opening hours"), validators=[Optional(), Length(max=300)])
    directions = StringField(_l("Directions or map link"), validators=[Optional(), Length(max=300)])
    email_sender_name = StringField(_l("Sender name on e-mails"), validators=[Optional(), Length(max=100)])


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the organisation's name.")), Length(max=120)]
    )
    description = StringField(_l("Description"), validators=[Optional(), Length(max=300)])
