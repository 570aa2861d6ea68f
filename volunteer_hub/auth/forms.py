"""Sign-in and password-reset forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Email, EqualTo, Length

from volunteer_hub.auth.passwords import MIN_PASSWORD_LENGTH, password_problem


def _optional_int(value: object) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address in the form name@example.dk.")),
            Length(max=254),
        ],
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("The password must be at least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
    )

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem is not None and len(field.data or "") >= MIN_PASSWORD_LENGTH:
            raise ValidationError(problem)


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=20)],
    )


class ReauthenticateForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)]
    )
    code = StringField(_l("Code from your authenticator app"), validators=[Length(max=20)])


STAFF_ROLE_CHOICES = [
    ("municipal_coordinator", _l("municipal coordinator")),
    ("partner_coordinator", _l("partner coordinator")),
    ("admin", _l("administrator")),
]


class InviteUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Enter the e-mail address.")),
            Email(_l("Enter an e-mail address in the form name@example.dk.")),
            Length(max=254),
        ],
    )
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    # Choices are checked by the service against the administrator's own municipality.
    organisation_id = SelectField(_l("Partner organisation"), coerce=_optional_int, validate_choice=False)

    def validate_organisation_id(self, field: SelectField) -> None:
        if self.role.data == "partner_coordinator" and not field.data:
            raise ValidationError(_l("A partner coordinator must belong to an organisation."))


class ChangeRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=STAFF_ROLE_CHOICES)
    # Choices are checked by the service against the administrator's own municipality.
    organisation_id = SelectField(_l("Partner organisation"), coerce=_optional_int, validate_choice=False)

    validate_organisation_id = InviteUserForm.validate_organisation_id
