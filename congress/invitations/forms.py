"""The forms of letters of invitation. Labels and messages are lazy: built at import time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length

from congress.db import utcnow
from congress.invitations.rules import (
    LetterError,
    PassportDetails,
    check_date_of_birth,
    check_passport_number,
    passport_number,
)


class LetterForm(FlaskForm):
    """A form whose rule errors land beside the field they are about."""

    def show(self, error: LetterError) -> None:
        if error.field and error.field in self:
            self[error.field].errors = [*self[error.field].errors, error.message]
        else:
            self.form_errors.append(error.message)


def _as_validation(check, *args) -> None:
    """A rule's refusal as the message WTForms shows beside the field."""
    try:
        check(*args)
    except LetterError as error:
        raise ValidationError(error.message) from error


class BirthDateField(DateField):
    """A date of birth; what is not a date is said so in our words, beside the field."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(
                _l("Give the date of birth as the passport gives it: day, month and year.")
            ) from error


class RequestForm(LetterForm):
    passport_number = StringField(
        _l("Passport number"),
        description=_l("As the passport's data page prints it."),
        validators=[
            InputRequired(_l("Give the passport number.")),
            Length(max=40),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    nationality = SelectField(
        _l("Nationality"),
        description=_l("The State that issued the passport."),
        validators=[InputRequired(_l("Choose the nationality the passport gives."))],
        default="",
    )
    date_of_birth = BirthDateField(
        _l("Date of birth"),
        validators=[InputRequired(_l("Give the date of birth."))],
        render_kw={"type": "date", "autocomplete": "off"},
    )

    def validate_passport_number(self, field) -> None:
        _as_validation(check_passport_number, passport_number(field.data))

    def validate_date_of_birth(self, field) -> None:
        if field.data is not None:
            _as_validation(check_date_of_birth, field.data, utcnow().date())

    def set_countries(self, countries: list[tuple[str, str]]) -> None:
        self.nationality.choices = [SelectChoice("", _l("Choose a nationality"))] + [
            SelectChoice(code, name) for code, name in countries
        ]

    def fill(self, letter) -> None:
        """Show the request's details (on GET, never over what was typed)."""
        self.process(
            data={
                "passport_number": letter.passport_number,
                "nationality": letter.nationality,
                "date_of_birth": letter.date_of_birth,
            }
        )

    def details(self) -> PassportDetails:
        return PassportDetails(
            passport_number=passport_number(self.passport_number.data),
            nationality=self.nationality.data,
            date_of_birth=self.date_of_birth.data,
        )


class RefusalForm(LetterForm):
    reason = TextAreaField(
        _l("Reason for the refusal"),
        description=_l("The focal point reads it."),
        validators=[InputRequired(_l("Give the reason for the refusal.")), Length(max=2000)],
    )


class ReferenceForm(FlaskForm):
    """The reference an embassy types, read from the query string: it changes nothing."""

    class Meta:
        csrf = False

    reference = StringField(
        _l("Reference"),
        description=_l("As printed on the letter, for example 7KQ3-M9XD-4F2A-HB8R."),
        validators=[InputRequired(_l("Give the reference printed on the letter.")), Length(max=40)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
