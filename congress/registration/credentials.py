"""Credentials letters (notes verbales): checking that an upload is a PDF, and keeping it.

The type is judged from the bytes, never from the file's name or the browser's
word for it. Files live under ``instance/credentials/``, outside ``static/``,
by a generated name; only views that check who is asking hand them out.

A letter is written whole or not at all: into a temporary file in the same folder,
flushed to the disk, then renamed to its name (a rename within a folder is atomic).
A full disk or a folder the app may not write to leaves no file behind, and the
focal point reads why beside the field (:class:`NotStored`), while the operation
that asked rolls its change back.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer

from congress.registration.rules import RegistrationError

log = logging.getLogger(__name__)

_HEADER = re.compile(rb"%PDF-[12]\.\d")
_STARTXREF = re.compile(rb"startxref\s+\d+\s+%%EOF\s*$")
# Readers accept trailing bytes after %%EOF; look for the trailer in the last kilobyte.
_TAIL = 1024


class NotAPdf(ValueError):
    """The upload is not a credentials letter we can keep; ``message`` says why."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class NotStored(RegistrationError):
    """The letter could not be written to the disk; nothing of it was kept."""

    field = "credentials"


# Faults of the disk, by what the focal point can do about them.
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS}


def _not_stored(error: OSError) -> NotStored:
    if error.errno in _FULL:
        message = _l(
            "The letter could not be kept: the server's disk is full. Nothing was saved. "
            "Please try again later; if it happens again, tell the organisers."
        )
    elif error.errno in _REFUSED:
        message = _l(
            "The letter could not be kept: the server is not allowed to write it. "
            "Nothing was saved. Please tell the organisers."
        )
    else:
        message = _l(
            "The letter could not be kept because of a fault on the server. "
            "Nothing was saved. Please try again."
        )
    return NotStored(message)


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
    """Write ``data`` under a new generated name and return that name.

    Raises :class:`NotStored` when the disk fails; no file, whole or partial, remains.
    """
    return _write(data, folder())


def _write(data: bytes, directory: Path) -> str:
    name = f"{secrets.token_hex(16)}.pdf"
    target = directory / name
    temporary: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        # Owner-only permissions from the start (mkstemp's 0600), like the secret key.
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".partial")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, target)
        temporary = None
        _sync(directory)
    except OSError as error:
        log.error("credentials letter not stored (%s); nothing kept", error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        # The rename happened but could not be made durable: the letter is not kept.
        target.unlink(missing_ok=True)
        raise _not_stored(error) from error
    return name


def _sync(path: Path) -> None:
    """Make the folder's new entry durable, so that a crash cannot forget the rename."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def path_of(name: str) -> Path:
    return folder() / name


def discard(name: str | None) -> None:
    if name:
        path_of(name).unlink(missing_ok=True)


# --- Pending uploads ----------------------------------------------------------------
#
# A browser never refills a file input. When a form with a letter fails on another
# field, the letter already received waits in ``instance/pending-credentials/`` and the
# form carries a signed token naming it (and its owner) in a hidden field; the next
# attempt uses it unless another file is chosen. Files left by forms never sent again
# are removed once older than PENDING_MAX_AGE, whenever a letter is set aside.

PENDING_MAX_AGE = timedelta(hours=24)
_PENDING_NAME = re.compile(r"[0-9a-f]{32}\.pdf")


@dataclass(frozen=True)
class Pending:
    """A letter received with a form that failed: its token, stored name and original name."""

    token: str
    stored: str
    filename: str

    def letter(self) -> tuple[bytes, str] | None:
        """The letter's bytes and name, or None if it has gone meanwhile."""
        try:
            data = (pending_folder() / self.stored).read_bytes()
            check_pdf(data)
        except (OSError, NotAPdf):
            return None
        return data, self.filename


def pending_folder() -> Path:
    return Path(current_app.instance_path) / "pending-credentials"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="pending-credentials")


def keep_pending(data: bytes, filename: str, owner_id: int) -> Pending | None:
    """Set a letter aside for the form's next attempt; None if the disk refuses it."""
    remove_stale_pending()
    try:
        stored = _write(data, pending_folder())
    except NotStored:
        return None
    name = clean_filename(filename)
    token = _signer().dumps({"file": stored, "name": name, "owner": owner_id})
    return Pending(token, stored, name)


def read_pending(token: str | None, owner_id: int) -> Pending | None:
    """The letter ``token`` names, if the token is ours, recent and the owner's, and it exists."""
    if not token:
        return None
    try:
        value = _signer().loads(token, max_age=int(PENDING_MAX_AGE.total_seconds()))
    except BadData:
        return None
    if not isinstance(value, dict) or value.get("owner") != owner_id:
        return None
    stored, name = value.get("file"), value.get("name")
    if not isinstance(stored, str) or not _PENDING_NAME.fullmatch(stored):
        return None
    if not isinstance(name, str) or not (pending_folder() / stored).is_file():
        return None
    return Pending(token, stored, name)


def discard_pending(pending: Pending | None) -> None:
    if pending is not None:
        (pending_folder() / pending.stored).unlink(missing_ok=True)


def remove_stale_pending(now: datetime | None = None) -> list[str]:
    """Remove letters set aside longer ago than PENDING_MAX_AGE; return their names."""
    cutoff = (now or datetime.now(UTC)) - PENDING_MAX_AGE
    removed = []
    directory = pending_folder()
    if not directory.is_dir():
        return removed
    for path in directory.iterdir():
        try:
            if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff:
                path.unlink(missing_ok=True)
                removed.append(path.name)
        except OSError as error:
            log.warning("stale pending letter %s not removed (%s)", path.name, error)
    return sorted(removed)
