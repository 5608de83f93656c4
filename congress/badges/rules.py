"""Decisions about photographs, badges and entries: plain functions, no writes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import warnings
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from congress.badges.models import Badge, BadgeSettings
from congress.extensions import db
from congress.registration.models import Delegate, Delegation
from congress.registration.rules import SUBMISSION_CHECKS, RegistrationError, active_members

# The passport photograph: 35 mm wide, 45 mm high.
RATIO = 35 / 45
# Stored at 700 × 900 pixels: 500 dpi at 35 × 45 mm, sharp on any badge printer.
STORED_SIZE = (700, 900)
MAX_BYTES = 8 * 1024 * 1024
# Past this many pixels an image is refused before it is decoded (a decompression bomb).
MAX_PIXELS = 40_000_000
MIN_SIZE = (210, 270)
FORMATS = {"JPEG", "PNG"}


class PhotoError(ValueError):
    """A photograph we refuse, with the message for the person who sent it."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Crop:
    """The part of the image kept, in the image's own pixels: left, top, width."""

    left: int
    top: int
    width: int


def centred_crop(width: int, height: int) -> Crop:
    """The largest 35:45 rectangle in the middle of the image."""
    if width / height > RATIO:
        w = round(height * RATIO)
        return Crop((width - w) // 2, 0, w)
    h = round(width / RATIO)
    return Crop(0, (height - h) // 2, width)


def fitted_crop(width: int, height: int, crop: Crop | None) -> Crop:
    """The crop asked for, kept inside the image at the passport ratio; centred otherwise."""
    if crop is None or crop.width <= 0:
        return centred_crop(width, height)
    w = min(crop.width, width, round(height * RATIO))
    h = round(w / RATIO)
    left = min(max(crop.left, 0), width - w)
    top = min(max(crop.top, 0), height - h)
    return Crop(left, top, w)


def prepared_photo(data: bytes, crop: Crop | None = None) -> bytes:
    """The photograph as we keep it: a JPEG of :data:`STORED_SIZE`, cropped, with no metadata.

    The content decides what the file is, not its name or type. Re-encoding drops EXIF
    (places, devices, dates) and anything hidden after the image.
    """
    if len(data) > MAX_BYTES:
        raise PhotoError(_l("The photograph is larger than 8 MB. Send a smaller file."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise PhotoError(_l("The photograph must be a JPEG or PNG image."))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(_l("The photograph has too many pixels (40 million at most)."))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_l("The photograph has too many pixels (40 million at most).")) from None
    except UnidentifiedImageError:
        raise PhotoError(_l("The photograph must be a JPEG or PNG image.")) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(_l("The photograph could not be read: the file is damaged.")) from None
    # A phone's picture stands upright only once its orientation tag is applied.
    image = ImageOps.exif_transpose(image)
    if image.width < MIN_SIZE[0] or image.height < MIN_SIZE[1]:
        raise PhotoError(_l("The photograph is too small: 210 × 270 pixels at least."))
    box = fitted_crop(image.width, image.height, crop)
    height = round(box.width / RATIO)
    image = image.convert("RGB").crop((box.left, box.top, box.left + box.width, box.top + height))
    image = image.resize(STORED_SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def settings_of(congress_id: int) -> BadgeSettings:
    return db.session.get(BadgeSettings, congress_id) or BadgeSettings(
        congress_id=congress_id, photo_required_categories=[]
    )


def members_without_photo(delegation: Delegation) -> list[Delegate]:
    """Active members with no photograph, when the delegation's category requires them."""
    required = settings_of(delegation.congress_id).photo_required_categories or []
    if delegation.category.value not in required:
        return []
    return [d for d in active_members(delegation) if getattr(d, "photo", None) is None]


def check_photos(delegation: Delegation) -> None:
    """Registration's submission asks this: every member's photograph, where required."""
    missing = members_without_photo(delegation)
    if missing:
        raise RegistrationError(
            _l(
                "Upload a photograph of every member before submitting: %(names)s.",
                names=", ".join(d.full_name for d in missing),
            ),
            field="photos",
        )


# -- Tokens -------------------------------------------------------------------------------
#
# The QR code holds "CB1." and 26 characters of an HMAC of the badge's random nonce under the
# app's secret key: nothing in it names the person or the congress. The database keeps the
# token's SHA-256, found by an index; a revoked badge keeps its row and so reads "revoked".

TOKEN_PREFIX = "CB1."


def badge_token(badge: Badge) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"badge:{badge.nonce}".encode(), hashlib.sha256).digest()
    return TOKEN_PREFIX + base64.b32encode(mac[:16]).decode().rstrip("=")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().upper().encode()).hexdigest()


def normalised_token(text: str) -> str:
    """What a person typed or a camera read, as tokens are written: upper case, no spaces."""
    return "".join(text.split()).upper()


def answer(badge: Badge | None) -> str:
    """What the door says of a code: ``valid``, ``revoked`` or ``unknown``."""
    if badge is None:
        return "unknown"
    if badge.revoked_at is not None or badge.delegate.withdrawn:
        return "revoked"
    return "valid"


def current_badge(delegate: Delegate) -> Badge | None:
    for badge in getattr(delegate, "badges", []):
        if badge.revoked_at is None:
            return badge
    return None


# A submission passes the photographs' check once this module is loaded (by the app factory).
if check_photos not in SUBMISSION_CHECKS:
    SUBMISSION_CHECKS.append(check_photos)
