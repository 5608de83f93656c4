"""Forms of statements (the focal point's and organisers') and of session documents."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from congress.db import LANGUAGES as SITE_LANGUAGES
from congress.security.inputs import NumberWithin
from congress.statements.models import DocumentKind

DOCUMENT_KINDS = {
    DocumentKind.CONCEPT_NOTE: _l("Concept note"),
    DocumentKind.PRESENTATION: _l("Presentation"),
    DocumentKind.REPORT: _l("Report"),
}


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class TextForm(FlaskForm):
    """The statement in one language: typed in, or its PDF."""

    language = SelectField(_l("Language of this text"), choices=[], validate_choice=False)
    text = TextAreaField(
        _l("Text"),
        description=_l("Type or paste the text, or attach the PDF below (or both)."),
        validators=[Optional()],
    )
    file = FileField(_l("PDF of the statement"), description=_l("A PDF, 10 MB at most."))
    # A PDF received with an attempt that failed on another field (registration.credentials).
    pending_file = HiddenField()


class StatementForm(TextForm):
    session_id = SelectField(_l("Session"), choices=[], coerce=_int_or_none, validate_choice=False)
    speaker_id = SelectField(
        _l("Speaker"),
        choices=[],
        validate_choice=False,
        coerce=_int_or_none,
        description=_l("A member of the delegation."),
    )
    language = SelectField(_l("Language it was delivered in"), choices=[], validate_choice=False)
    other_language = SelectField(
        _l("The same statement in another language (optional)"), choices=[], validate_choice=False
    )
    other_text = TextAreaField(_l("Text in that language"), validators=[Optional()])
    other_file = FileField(_l("PDF in that language"))
    pending_other_file = HiddenField()


class PublishForm(FlaskForm):
    position = IntegerField(
        _l("Order delivered in the session"),
        description=_l("1 for the first statement delivered in the session."),
        validators=[InputRequired(_l("Give the order it was delivered in.")), NumberWithin(1, 999)],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=2000)])


class DocumentForm(FlaskForm):
    kind = RadioField(
        _l("Kind"),
        choices=[SelectChoice(k.value, label) for k, label in DOCUMENT_KINDS.items()],
        validators=[InputRequired(_l("Choose the kind of document."))],
    )
    language = SelectField(_l("Language of the file"), choices=[], validate_choice=False)
    file = FileField(_l("PDF"), description=_l("A PDF, 10 MB at most."))
    pending_file = HiddenField()
    title_en, title_fr, title_es, title_pt, title_ar, title_zh, title_ru = (
        StringField(_l("Title"), [Optional(), Length(max=300)], render_kw={"lang": lang})
        for lang in SITE_LANGUAGES
    )

    def titles(self) -> dict[str, str]:
        return {
            lang: (getattr(self, f"title_{lang}").data or "").strip()
            for lang in SITE_LANGUAGES
            if (getattr(self, f"title_{lang}").data or "").strip()
        }
