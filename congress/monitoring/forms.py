"""The monitors' forms: a follow-up record, and appointing a monitor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, Optional

from congress.archive.models import Reliability
from congress.db import LANGUAGES
from congress.monitoring.labels import KINDS, RELIABILITY
from congress.security.inputs import DateWithinYears


class RecordForm(FlaskForm):
    """A follow-up record; the view sets the country, document, area and organisation choices."""

    country_code = SelectField(
        _l("Government"), validators=[InputRequired(message=_l("Choose a government."))]
    )
    document_id = SelectField(
        _l("Commitment"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose the outcome document."))],
    )
    area = SelectField(_l("Area of action"), validators=[Optional()])
    on = DateField(
        _l("Date"),
        validators=[InputRequired(message=_l("Give the date it happened.")), DateWithinYears()],
    )
    kind = SelectField(
        _l("What happened"),
        choices=[SelectChoice(k.value, label) for k, label in KINDS.items()],
        validators=[InputRequired()],
    )
    original_language = SelectField(_l("Language of the text"), validators=[InputRequired()])
    text_en = TextAreaField(_l("Text in English"), validators=[Optional(), Length(max=2000)])
    text_fr = TextAreaField(_l("Text in French"), validators=[Optional(), Length(max=2000)])
    text_es = TextAreaField(_l("Text in Spanish"), validators=[Optional(), Length(max=2000)])
    text_pt = TextAreaField(_l("Text in Portuguese"), validators=[Optional(), Length(max=2000)])
    text_ar = TextAreaField(_l("Text in Arabic"), validators=[Optional(), Length(max=2000)])
    text_zh = TextAreaField(_l("Text in Chinese"), validators=[Optional(), Length(max=2000)])
    text_ru = TextAreaField(_l("Text in Russian"), validators=[Optional(), Length(max=2000)])
    source = StringField(
        _l("Source"),
        validators=[InputRequired(message=_l("Every record names its source.")), Length(max=300)],
    )
    source_url = StringField(
        _l("Address of the source"),
        validators=[
            Optional(),
            URL(message=_l("Give the address of the page that states it (https://…).")),
            Length(max=500),
        ],
    )
    reliability = SelectField(
        _l("Reliability"),
        choices=[SelectChoice(r.value, label) for r, label in RELIABILITY.items()],
        default=Reliability.VERIFIED.value,
    )
    organisation = SelectField(_l("For the organisation"), validators=[InputRequired()])

    def texts(self) -> dict[str, str]:
        return {
            lang: self[f"text_{lang}"].data.strip()
            for lang in LANGUAGES
            if (self[f"text_{lang}"].data or "").strip()
        }


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is withdrawn"),
        validators=[InputRequired(message=_l("Say why.")), Length(max=2000)],
    )


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""


class MonitorForm(FlaskForm):
    email = StringField(_l("Email of the account"), validators=[InputRequired(), Length(max=254)])
    organisation = StringField(
        _l("Monitoring organisation"), validators=[InputRequired(), Length(max=200)]
    )
