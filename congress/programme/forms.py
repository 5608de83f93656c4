"""The organisers' forms: rooms, themes and sessions.

Texts readers see are entered once per language (``name_en`` … ``name_ru``);
the congress's original language is required, the others may stay empty.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from congress.db import LANGUAGES
from congress.programme.labels import (
    SESSION_KINDS,
    SESSION_STATUSES,
    WORKING_LANGUAGES,
    language_name,
)
from congress.security.inputs import DateWithinYears, NumberWithin

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class TranslatedForm(FlaskForm):
    """A form with texts per language: ``<prefix>_<lang>`` fields."""

    translated: tuple[str, ...] = ()

    def texts(self, prefix: str) -> dict:
        return {
            lang: getattr(self, f"{prefix}_{lang}").data.strip()
            for lang in LANGUAGES
            if (getattr(self, f"{prefix}_{lang}").data or "").strip()
        }

    def fill_texts(self, prefix: str, texts: dict | None) -> None:
        for lang in LANGUAGES:
            getattr(self, f"{prefix}_{lang}").data = (texts or {}).get(lang, "")

    def require_original(self, original_language: str, prefixes: tuple[str, ...]) -> bool:
        """The text in the congress's original language is required."""
        ok = True
        for prefix in prefixes:
            field = getattr(self, f"{prefix}_{original_language}")
            if not (field.data or "").strip():
                field.errors = [*field.errors, _("Enter the text in the congress's own language.")]
                ok = False
        return ok


def _texts(label, *, area: bool = False, max_length: int = 300):
    field = TextAreaField if area else StringField
    validators = [Optional()] if area else [Optional(), Length(max=max_length)]
    return tuple(field(label, validators, render_kw={"lang": lang}) for lang in LANGUAGES)


class RoomForm(TranslatedForm):
    (
        name_en,
        name_fr,
        name_es,
        name_pt,
        name_ar,
        name_zh,
        name_ru,
    ) = _texts(_l("Name"), max_length=200)
    capacity = IntegerField(
        _l("Capacity (seats)"),
        [
            Optional(),
            NumberWithin(1, 1_000_000, too_small=_l("Enter a number of seats above zero.")),
        ],
    )
    position = IntegerField(
        _l("Order in the timetable"), [Optional(), NumberWithin(-10_000, 10_000)]
    )


class ThemeForm(TranslatedForm):
    number = IntegerField(
        _l("Number"),
        [
            InputRequired(_l("Enter the theme's number.")),
            NumberWithin(1, 10_000, too_small=_l("Enter a number above zero.")),
        ],
    )
    (
        name_en,
        name_fr,
        name_es,
        name_pt,
        name_ar,
        name_zh,
        name_ru,
    ) = _texts(_l("Name"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# The length of SessionPerson.name: a longer name is refused here, not by the database.
PERSON_NAME_LENGTH = 200


def _each_name_fits(form, field) -> None:
    if any(
        len(" ".join(line.split())) > PERSON_NAME_LENGTH for line in (field.data or "").splitlines()
    ):
        raise ValidationError(
            _l("Each name may have at most %(max)d characters.", max=PERSON_NAME_LENGTH)
        )


def _people_lines(label):
    return TextAreaField(
        label,
        [Optional(), _each_name_fits],
        description=_l("One name per line, for people who are not delegates."),
    )


class SessionForm(TranslatedForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, label) for k, label in SESSION_KINDS.items()]
    )
    theme_id = SelectField(_l("Theme"), coerce=int, choices=[])
    (
        title_en,
        title_fr,
        title_es,
        title_pt,
        title_ar,
        title_zh,
        title_ru,
    ) = _texts(_l("Title"))
    (
        description_en,
        description_fr,
        description_es,
        description_pt,
        description_ar,
        description_zh,
        description_ru,
    ) = _texts(_l("Description"), area=True)
    starts_at = DateTimeLocalField(
        _l("Starts"),
        [InputRequired(_l("Enter the day and time the session starts.")), DateWithinYears()],
        format=LOCAL_FORMAT,
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        [InputRequired(_l("Enter the day and time the session ends.")), DateWithinYears()],
        format=LOCAL_FORMAT,
    )
    room_id = SelectField(_l("Room"), coerce=int, choices=[])
    chair_delegates = SelectMultipleField(
        _l("Chairs among the delegates"), coerce=int, render_kw={"size": 6}
    )
    chair_names = _people_lines(_l("Other chairs"))
    speaker_delegates = SelectMultipleField(
        _l("Speakers among the delegates"), coerce=int, render_kw={"size": 6}
    )
    speaker_names = _people_lines(_l("Other speakers"))
    working_languages = MultiCheckboxField(_l("Working languages"), choices=[])
    expected_attendance = IntegerField(
        _l("Expected attendance"),
        [
            Optional(),
            NumberWithin(1, 1_000_000, too_small=_l("Enter a number above zero.")),
        ],
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in SESSION_STATUSES.items()],
    )
    illustrative = BooleanField(_l("The time is not verified (illustrative)"))
    end_illustrative = BooleanField(_l("Only the end time is not verified"))
    save_anyway = BooleanField(_l("Save anyway: I have read the warnings"))
    # The warnings the organiser saw, so that accepting them accepts no other.
    accepted_warnings = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.starts_at.data and self.ends_at.data and self.ends_at.data <= self.starts_at.data:
            self.ends_at.errors = [*self.ends_at.errors, _("The session must end after it starts.")]
            ok = False
        return ok

    def names(self, field) -> list[str]:
        return [" ".join(line.split()) for line in (field.data or "").splitlines() if line.strip()]


def working_language_choices(lang: str) -> list[SelectChoice]:
    return [SelectChoice(code, language_name(code, lang)) for code in WORKING_LANGUAGES]
