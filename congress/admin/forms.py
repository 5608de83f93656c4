"""Forms of the administration: congress editions, organisers, registration settings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from congress.accounts.forms import LANGUAGE_CHOICES, email_address
from congress.admin import rules
from congress.admin.queries import CategorySetting
from congress.congresses.localtime import NonexistentLocalTime, to_utc
from congress.congresses.models import CongressStatus
from congress.db import LANGUAGES
from congress.i18n.countries import country_choices, is_country
from congress.registration.labels import CATEGORIES
from congress.registration.models import Category
from congress.security.inputs import DateWithinYears, NumberWithin

STATUS_LABELS = {
    CongressStatus.UPCOMING: _l("Upcoming"),
    CongressStatus.REGISTRATION_OPEN: _l("Registration open"),
    CongressStatus.ARCHIVED: _l("Archived"),
}

# The registration pages' words, so that one translation serves both.
CATEGORY_LABELS = CATEGORIES


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _status_field() -> SelectField:
    return SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
        default=CongressStatus.UPCOMING.value,
    )


class CongressForm(FlaskForm):
    """A congress edition. The name and city in each language are ``name_en``, ``city_fr``…"""

    slug = StringField(
        _l("Short name in addresses"),
        validators=[
            InputRequired(_l("Choose the short name used in addresses.")),
            Length(max=80),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Use lower-case letters, digits and hyphens, such as rio-2008."),
            ),
        ],
        filters=[_strip],
    )
    ordinal = IntegerField(
        _l("Number of the congress in the series"),
        validators=[Optional(), NumberWithin(1, 100)],
    )
    original_language = SelectField(
        _l("Language the texts were written in"), choices=LANGUAGE_CHOICES, default="en"
    )
    country_code = SelectField(
        _l("Host country"), validators=[InputRequired(_l("Choose the host country."))]
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)], filters=[_strip])
    timezone = StringField(
        _l("Time zone"),
        validators=[InputRequired(_l("Enter the time zone of the host city."))],
        filters=[_strip],
    )
    start_date = DateField(
        _l("First day"), validators=[InputRequired(_l("Enter the first day.")), DateWithinYears()]
    )
    end_date = DateField(
        _l("Last day"), validators=[InputRequired(_l("Enter the last day.")), DateWithinYears()]
    )
    status = _status_field()

    def __init__(self, *args, lang: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [SelectChoice("", "")] + [
            SelectChoice(code, name) for code, name in country_choices(lang)
        ]

    def validate_country_code(self, field) -> None:
        # The list holds every State of any date: the host must have existed on the first day.
        if field.data and self.start_date.data and not is_country(field.data, self.start_date.data):
            raise ValidationError(_("This country was not a State on the congress's first day."))

    def validate_timezone(self, field) -> None:
        if field.data and not rules.is_time_zone(field.data):
            raise ValidationError(
                _(
                    "%(zone)s is not an IANA time zone. Use a name such as America/Sao_Paulo.",
                    zone=field.data,
                )
            )

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("The last day cannot come before the first day."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        original = self.original_language.data
        if original not in LANGUAGES:
            # Not one of the choices: the field says so already, and names no text field.
            return False
        for kind in ("name", "city"):
            field = self[f"{kind}_{original}"]
            if not (field.data or "").strip():
                field.errors = [
                    *field.errors,
                    _("Required in the language the texts were written in."),
                ]
                valid = False
        return valid

    def translated(self, kind: str) -> dict[str, str]:
        return rules.translated({lang: self[f"{kind}_{lang}"].data for lang in LANGUAGES})


# Names and cities per language, labelled with each language's own name.
for _choice in LANGUAGE_CHOICES:
    setattr(
        CongressForm,
        f"name_{_choice.value}",
        StringField(_choice.label, validators=[Length(max=300)], filters=[_strip]),
    )
    setattr(
        CongressForm,
        f"city_{_choice.value}",
        StringField(_choice.label, validators=[Length(max=100)], filters=[_strip]),
    )


class AppointOrganiserForm(FlaskForm):
    email = EmailField(
        _l("Email address of their account"),
        validators=[InputRequired(_l("Enter the email address of an account.")), email_address],
        filters=[_strip],
    )


class RegistrationSettingsForm(FlaskForm):
    """The registration window in the congress's local time, its status, and each category.

    Category fields are ``open_<category>`` and ``max_<category>`` (``open_state``…).
    """

    opens_at = DateTimeLocalField(
        _l("Registration opens"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional(), DateWithinYears()],
    )
    closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional(), DateWithinYears()],
    )
    status = _status_field()

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.opens_at_utc = None
        self.closes_at_utc = None

    def _to_utc(self, field):
        try:
            return to_utc(field.data, self.zone).instant
        except NonexistentLocalTime:
            raise ValidationError(
                _(
                    "This time does not exist in %(zone)s: the clocks move forward then.",
                    zone=self.zone.key,
                )
            ) from None

    def validate_opens_at(self, field) -> None:
        if field.data:
            self.opens_at_utc = self._to_utc(field)

    def validate_closes_at(self, field) -> None:
        if field.data:
            self.closes_at_utc = self._to_utc(field)
            if self.opens_at.data and field.data <= self.opens_at.data:
                raise ValidationError(_("Registration must close after it opens."))

    def category_fields(self):
        """(category, open field, maximum field) in the order of a list of participants."""
        return [(c, self[f"open_{c.value}"], self[f"max_{c.value}"]) for c in Category]

    def category_settings(self) -> list[CategorySetting]:
        return [
            CategorySetting(c, bool(open_field.data), max_field.data)
            for c, open_field, max_field in self.category_fields()
        ]


for _category in Category:
    setattr(RegistrationSettingsForm, f"open_{_category.value}", BooleanField(_l("Open")))
    setattr(
        RegistrationSettingsForm,
        f"max_{_category.value}",
        IntegerField(
            _l("Largest delegation"),
            validators=[
                Optional(),
                NumberWithin(1, 10_000, message=_l("Enter a number from 1 to 10,000.")),
            ],
        ),
    )
