"""Forms of the organisers' pages on adoptions and endorsements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from congress.declarations.models import CommitmentKind
from congress.security.inputs import DateWithinYears


class CommitmentForm(FlaskForm):
    # Choices are the countries in the page's language, set by the view.
    country_code = SelectField(
        _l("Government"), validators=[InputRequired(message=_l("Choose a government."))]
    )
    kind = RadioField(
        _l("Commitment"),
        choices=[
            SelectChoice(CommitmentKind.ADOPTED.value, _l("Adopted it at the congress")),
            SelectChoice(CommitmentKind.ENDORSED.value, _l("Endorsed it later")),
        ],
        default=CommitmentKind.ADOPTED.value,
        validators=[InputRequired(message=_l("Choose adopted or endorsed."))],
    )
    on = DateField(_l("Date"), validators=[Optional(), DateWithinYears()])
    through_delegation = BooleanField(_l("Through its delegation to this congress"))
    note = TextAreaField(
        _l("Note (source, reservations)"), validators=[Optional(), Length(max=2000)]
    )


class RemoveForm(FlaskForm):
    """A button that only carries the CSRF token."""
