"""The family's confirmation form (labels and messages in the family's language, in the template)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length, Optional

from volunteer_hub.answers.services import INTERPRETER_LANGUAGES, MESSAGE_MAX
from volunteer_hub.core.languages import FAMILY_LANGUAGES, _lf


class AnswerForm(FlaskForm):
    """One tap chose the answer (in the URL); this confirms it, with an optional message."""

    message = TextAreaField(
        validators=[Optional(), Length(max=MESSAGE_MAX, message=_lf("Please write at most 1000 characters."))]
    )
    # Checked by ``record_answer``: an unknown message language is stored as "not named", and the
    # interpreter's language only matters (and must be one offered) for the interpreter choice.
    message_language = SelectField(
        choices=[("", ""), *((code, code) for code in FAMILY_LANGUAGES)], validate_choice=False
    )
    interpreter_language = SelectField(
        choices=[(code, code) for code in INTERPRETER_LANGUAGES], validate_choice=False
    )


class HandledForm(FlaskForm):
    """A coordinator marks an answer as handled (CSRF only)."""
