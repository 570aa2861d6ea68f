"""The form staff use to create a personal API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

EXPIRY_CHOICES = [
    ("30", _l("30 days")),
    ("90", _l("90 days")),
    ("365", _l("1 year")),
    ("never", _l("Until revoked")),
]


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the key a name, e.g. the system that will use it.")),
            Length(max=80, message=_l("The name can be at most %(max)d characters.")),
        ],
    )
    scopes = SelectMultipleField(
        _l("Access"),
        choices=[("read", _l("Read data")), ("write", _l("Change data"))],
        default=["read"],
        validators=[DataRequired(_l("Choose at least one kind of access."))],
    )
    expires_in = SelectField(_l("Valid for"), choices=EXPIRY_CHOICES, default="90")
