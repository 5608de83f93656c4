"""Forms of photographs, the badge desk, the doors and the organisers' settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, IntegerField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from congress.badges.rules import MAX_PIXELS, Crop
from congress.registration.labels import CATEGORIES
from congress.security.inputs import NumberWithin

# No side of an accepted photograph is longer than its whole pixel budget.
MAX_SIDE = MAX_PIXELS


class PhotoForm(FlaskForm):
    photo = FileField(
        _l("Photograph"),
        description=_l(
            "A recent passport-style photograph, JPEG or PNG, 8 MB at most. It is cropped to "
            "35 × 45 mm; choose the part to keep below, or leave it centred."
        ),
        validators=[FileRequired(_l("Choose a photograph to upload."))],
    )
    # The part to keep, in the image's pixels; the page's script fills them in, and the
    # server fits them to the passport ratio whatever they say.
    crop_left = IntegerField(_l("Left edge"), validators=[Optional(), NumberWithin(0, MAX_SIDE)])
    crop_top = IntegerField(_l("Top edge"), validators=[Optional(), NumberWithin(0, MAX_SIDE)])
    crop_width = IntegerField(_l("Width"), validators=[Optional(), NumberWithin(1, MAX_SIDE)])

    def crop(self) -> Crop | None:
        if self.crop_width.data is None:
            return None
        return Crop(self.crop_left.data or 0, self.crop_top.data or 0, self.crop_width.data)


class SettingsForm(FlaskForm):
    photo_required_categories = SelectMultipleField(
        _l("Photographs required before submission"),
        choices=[SelectChoice(c.value, label) for c, label in CATEGORIES.items()],
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=True,
    )
    erase_on = DateField(
        _l("Erase photographs and entries on"),
        description=_l("A day after the congress. Leave it empty to erase them by hand."),
        validators=[Optional()],
    )


class CodeForm(FlaskForm):
    code = StringField(_l("Badge code"))
