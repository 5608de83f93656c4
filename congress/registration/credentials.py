"""Credentials letters (notes verbales): checking that an upload is a PDF, and keeping it.

The type is judged from the bytes, never from the file's name or the browser's
word for it. Files live under ``instance/credentials/``, outside ``static/``,
by a generated name; only views that check who is asking hand them out.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from pathlib import Path
from typing import BinaryIO

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+\d+\s+%%EOF\s*$")
# Readers accept trailing bytes after %%EOF; look for the trailer in the last kilobyte.
_TAIL = 1024


class NotAPdf(ValueError):
    """The upload is not a credentials letter we can keep; ``message`` says why."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def max_bytes() -> int:
    return int(current_app.config["CREDENTIALS_MAX_BYTES"])


def read_pdf(stream: BinaryIO, limit: int) -> bytes:
    """The bytes of an uploaded PDF, or :class:`NotAPdf` if too large or not a PDF."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise NotAPdf(_l("The file is larger than %(size)s.", size=size_in_words(limit)))
    check_pdf(data)
    return data


def size_in_words(size: int) -> str:
    """ "5 MiB", "512 KiB": the unit that keeps the number readable."""
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1), locale=get_locale())} {unit}"
    return f"{size} B"


def check_pdf(data: bytes) -> None:
    """Raise :class:`NotAPdf` unless ``data`` has a PDF's header, objects and trailer."""
    if not data:
        raise NotAPdf(_l("The file is empty."))
    if not _HEADER.match(data):
        raise NotAPdf(_l("The file is not a PDF document."))
    if b" obj" not in data or not _STARTXREF.search(data[-_TAIL:]):
        raise NotAPdf(_l("The PDF document is incomplete or damaged."))


def clean_filename(filename: str | None) -> str:
    """The name the file had on the focal point's computer, safe to send back in a header."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if not name:
        name = "credentials.pdf"
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name[-255:]


def folder() -> Path:
    return Path(current_app.instance_path) / "credentials"


def store(data: bytes) -> str:
    """Write ``data`` under a new generated name and return that name."""
    folder().mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.pdf"
    path = folder() / name
    # "x": never overwrite; owner-only permissions, like the secret key.
    with open(path, "xb") as f:
        f.write(data)
    path.chmod(0o600)
    return name


def path_of(name: str) -> Path:
    return folder() / name


def discard(name: str | None) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)
