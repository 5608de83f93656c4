"""The forms of the account pages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from congress.accounts import rules
from congress.i18n import LANGUAGE_NAMES

# Each language named in itself, as in the language switcher.
LANGUAGE_CHOICES = [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


def email_address(form, field) -> None:
    if field.data and not rules.looks_like_email(field.data):
        raise ValidationError(_("Enter an email address such as name@example.org."))


def new_password(form, field) -> None:
    minimum = rules.setting("PASSWORD_MIN_LENGTH")
    if len(field.data or "") < minimum:
        raise ValidationError(
            _("Use at least %(count)d characters for your password.", count=minimum)
        )
    if len(field.data) > rules.PASSWORD_MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(count)d characters.", count=rules.PASSWORD_MAX_LENGTH)
        )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        validators=[InputRequired(_l("Enter your email address.")), email_address],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Choose a password.")), new_password],
        render_kw={"autocomplete": "new-password"},
    )
    repeated = PasswordField(
        _l("Password again"),
        validators=[
            InputRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, repeated


def _name_field() -> StringField:
    return StringField(
        _l("Your name"),
        validators=[InputRequired(_l("Enter your name.")), Length(max=200)],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "name"},
    )


def _language_field() -> SelectField:
    return SelectField(
        _l("Language of the mails we send you"), choices=LANGUAGE_CHOICES, default="en"
    )


class SignUpForm(FlaskForm):
    name = _name_field()
    email = _email_field()
    password, password_again = _new_password_fields()
    language = _language_field()


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class EmailForm(FlaskForm):
    """Asks for an address: a password reset, or the confirmation link again."""

    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_again = _new_password_fields()


class ProfileForm(FlaskForm):
    name = _name_field()
    language = _language_field()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, password_again = _new_password_fields()


class FindAccountForm(FlaskForm):
    """An administrator looks an account up by its address (a GET: it changes nothing)."""

    class Meta:
        csrf = False

    email = _email_field()


class SignOutEverywhereForm(FlaskForm):
    """The confirmation of "sign out everywhere", naming the account it is about."""

    email = HiddenField()
