"""Registration forms. Labels and messages are lazy: they are built at import time."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    SearchField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length

from congress.db import LANGUAGES
from congress.i18n import LANGUAGE_NAMES
from congress.registration import credentials
from congress.registration.labels import CATEGORIES, ROLES, STATUSES, TITLES
from congress.registration.models import Category, DelegateRole, DelegationStatus, Title
from congress.registration.rules import (
    DelegateDetails,
    DelegationDetails,
    RegistrationError,
    delegate_values,
)

# Deliberately loose: the confirmation is that mail reaches the person, not a regular expression.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class RegistrationForm(FlaskForm):
    """A form whose rule errors land beside the field they are about."""

    def show(self, error: RegistrationError) -> None:
        if error.field and error.field in self:
            self[error.field].errors = [*self[error.field].errors, error.message]
        else:
            self.form_errors.append(error.message)


class CredentialsField(FileField):
    """The credentials letter: a PDF judged by its bytes, of bounded size."""

    letter: tuple[bytes, str] | None = None

    def pre_validate(self, form) -> None:
        self.letter = None
        if not self.data:
            return
        try:
            data = credentials.read_pdf(self.data.stream, credentials.max_bytes())
        except credentials.NotAPdf as error:
            raise ValidationError(error.message) from error
        self.letter = (data, self.data.filename or "")


class DelegationForm(RegistrationForm):
    category = SelectField(_l("Category"), validators=[InputRequired()])
    country_code = SelectField(
        _l("Country"), description=_l("For the delegation of a State."), choices=[], default=""
    )
    organisation_name = StringField(
        _l("Name of the organisation"),
        description=_l("For every category but States."),
        validators=[Length(max=300)],
    )
    credentials = CredentialsField(
        _l("Credentials letter (note verbale)"),
        description=_l("A PDF document. You may also upload it later, before submitting."),
    )
    # The signed token of a letter received with an earlier attempt that failed.
    pending_credentials = HiddenField()

    def set_choices(self, categories: list[Category], countries: list[tuple[str, str]]) -> None:
        self.category.choices = [SelectChoice(c.value, CATEGORIES[c]) for c in categories]
        self.country_code.choices = [SelectChoice("", _l("Choose a country"))] + [
            SelectChoice(code, name) for code, name in countries
        ]

    def validate_country_code(self, field) -> None:
        if self.category.data == Category.STATE.value and not field.data:
            raise ValidationError(_l("Choose the country."))

    def validate_organisation_name(self, field) -> None:
        if self.category.data != Category.STATE.value and not (field.data or "").strip():
            raise ValidationError(_l("Give the name of the organisation."))

    def details(self) -> DelegationDetails:
        category = Category(self.category.data)
        if category is Category.STATE:
            return DelegationDetails(category, country_code=self.country_code.data)
        return DelegationDetails(category, organisation_name=self.organisation_name.data)


class CredentialsForm(RegistrationForm):
    credentials = CredentialsField(
        _l("Credentials letter (note verbale)"),
        description=_l("A PDF document."),
        validators=[FileRequired(_l("Choose the PDF file of the credentials letter."))],
    )


def title_choices() -> list[SelectChoice]:
    """Nothing chosen first, then each title in the page's language, "No title" last."""
    return (
        [SelectChoice("", _l("Choose a title"))]
        + [SelectChoice(t.value, TITLES[t]) for t in Title if t is not Title.NONE]
        + [SelectChoice(Title.NONE.value, _l("No title"))]
    )


class DelegateForm(RegistrationForm):
    # Chosen each time: a default would put "H.E." before names that have no right to it.
    title = SelectField(
        _l("Title"),
        choices=title_choices(),
        default="",
        validators=[InputRequired(_l("Choose a title, or No title."))],
    )
    given_names = StringField(_l("Given names"), validators=[InputRequired(), Length(max=200)])
    family_name = StringField(_l("Family name"), validators=[InputRequired(), Length(max=200)])
    function = StringField(
        _l("Function"),
        description=_l("For example: Minister of Justice."),
        validators=[Length(max=300)],
    )
    role = SelectField(
        _l("Role in the delegation"),
        choices=[SelectChoice(r.value, ROLES[r]) for r in DelegateRole],
        default=DelegateRole.REPRESENTATIVE.value,
    )
    email = StringField(
        _l("Email"),
        description=_l("Where the personal agenda is sent once the delegation is accredited."),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    preferred_language = SelectField(
        _l("Preferred language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    )
    public_consent = BooleanField(
        _l("Appears in the public list of participants"),
        description=_l("Only with this person's consent."),
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs"),
        description=_l("Anything the organisers should arrange: access, interpretation, diet…"),
        validators=[Length(max=2000)],
    )

    def validate_email(self, field) -> None:
        if field.data and not _EMAIL.match(field.data.strip()):
            raise ValidationError(_l("Give a valid email address, such as name@example.org."))

    def fill(self, delegate) -> None:
        """Show a member's current details (on GET, never over what was typed)."""
        self.process(data=delegate_values(delegate))

    def details(self) -> DelegateDetails:
        return DelegateDetails(
            title=Title(self.title.data),
            given_names=self.given_names.data,
            family_name=self.family_name.data,
            function=self.function.data or "",
            role=DelegateRole(self.role.data),
            email=self.email.data,
            preferred_language=self.preferred_language.data,
            public_consent=self.public_consent.data,
            accessibility_needs=self.accessibility_needs.data or "",
        )


class ActionForm(RegistrationForm):
    """A button that changes something: a form only for its CSRF token."""


class RejectionForm(RegistrationForm):
    reason = TextAreaField(
        _l("Reason for the rejection"),
        description=_l("The focal point reads it."),
        validators=[InputRequired(_l("Give the reason for the rejection.")), Length(max=2000)],
    )


# The queue's orders, by the key its address carries.
QUEUE_ORDERS = {
    "waiting": _l("Longest waiting first"),
    "name": _l("Name, A to Z"),
    "recent": _l("Latest submitted first"),
    "members": _l("Most members first"),
}


class QueueFilter(Form):
    """The organisers' queue filters, read from the query string (no CSRF: it changes nothing)."""

    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("All"))]
        + [SelectChoice(s.value, STATUSES[s]) for s in DelegationStatus],
        default="",
    )
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice("", _l("All"))]
        + [SelectChoice(c.value, CATEGORIES[c]) for c in Category],
        default="",
    )
    q = SearchField(
        _l("Name"),
        description=_l("A country (in any language), an organisation or a member."),
        validators=[Length(max=200)],
    )
    sort = SelectField(
        _l("Order"),
        choices=[SelectChoice(key, label) for key, label in QUEUE_ORDERS.items()],
        default="waiting",
    )

    def chosen_sort(self) -> str:
        return self.sort.data if self.sort.data in QUEUE_ORDERS else "waiting"

    def chosen_status(self) -> DelegationStatus | None:
        return DelegationStatus(self.status.data) if self.status.data else None

    def chosen_category(self) -> Category | None:
        return Category(self.category.data) if self.category.data else None
