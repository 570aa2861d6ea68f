"""Administrators' forms: letter settings, a letter text, and the native-speaker review flag."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length


class LetterSettingsForm(FlaskForm):
    mayor_name = StringField(
        _l("The mayor's name"),
        validators=[DataRequired(_l("Enter the mayor's name.")), Length(max=120)],
    )
    signature_line = StringField(_l("Signature line"), validators=[Length(max=200)])


class LetterTemplateForm(FlaskForm):
    title = StringField(
        _l("Heading"),
        validators=[
            DataRequired(_l("Enter the letter's heading.")),
            Length(max=200, message=_l("The heading can be at most %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[
            DataRequired(_l("Enter the letter's text.")),
            Length(max=10000, message=_l("The text can be at most %(max)d characters.")),
        ],
    )


class LanguageReviewForm(FlaskForm):
    reviewed = HiddenField(validators=[AnyOf(["0", "1"])])
