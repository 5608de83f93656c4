"""The rules of statements and session documents, as plain functions views and tests call."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from congress.congresses.rules import is_organiser
from congress.i18n.countries import country_name
from congress.registration.models import Delegate, Delegation
from congress.registration.rules import can_see_delegation
from congress.statements.models import DelegationStatement, StatementStatus

# The languages a statement is delivered or sent in: the UN's six and Portuguese.
LANGUAGES = ("en", "fr", "es", "pt", "ar", "ru", "zh")
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_PDF_PAGES = 200
MAX_TEXT = 100_000

STATUS_LABELS = {
    StatementStatus.SUBMITTED: _l("submitted, not published"),
    StatementStatus.PUBLISHED: _l("published"),
    StatementStatus.REJECTED: _l("not published"),
}


class StatementError(ValueError):
    """What is wrong, field by field, in the reader's language."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Pdf:
    """A PDF that passed the checks, and the text taken from it."""

    data: bytes
    text: str


def read_pdf(data: bytes) -> Pdf:
    """Check a file by its content: a PDF pypdf can read, of a sane size; take its text.

    Raises :class:`StatementError` on ``file`` with the reason.
    """
    from pypdf import PdfReader

    if not data:
        raise StatementError({"file": _("The file is empty.")})
    if len(data) > MAX_PDF_BYTES:
        raise StatementError({"file": _("The file is larger than 10 MB.")})
    if not data.startswith(b"%PDF-"):
        raise StatementError({"file": _("This file is not a PDF.")})
    # pypdf reports what it repairs through logging: a damaged file is for the message below.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise StatementError({"file": _("This PDF is protected by a password.")})
        if len(reader.pages) > MAX_PDF_PAGES:
            raise StatementError({"file": _("This PDF has more than 200 pages.")})
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except StatementError:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file
        raise StatementError({"file": _("This PDF cannot be read: it may be damaged.")}) from error
    finally:
        logger.setLevel(level)
    return Pdf(data, " ".join(text.split())[:MAX_TEXT])


def may_read(user, statement: DelegationStatement) -> bool:
    """Published: everyone; otherwise the delegation's focal point and the organisers."""
    return statement.published or can_see_delegation(user, statement.delegation)


def may_review(user, statement: DelegationStatement) -> bool:
    return is_organiser(user, statement.congress)


def may_add_text(user, statement: DelegationStatement) -> bool:
    """The delegation's focal point and the organisers."""
    return can_see_delegation(user, statement.delegation)


def needs_review_again(user, statement: DelegationStatement) -> bool:
    """A text the focal point adds to a published statement is read before it is public."""
    return statement.published and not is_organiser(user, statement.congress)


def speakers(delegation: Delegation) -> list[Delegate]:
    """Who may be named as the speaker: the delegation's members who did not withdraw."""
    return [d for d in delegation.delegates if not d.withdrawn]


def check_submission(
    delegation: Delegation,
    *,
    session_ids: set[int],
    session_id: int | None,
    speaker_id: int | None,
    language: str,
) -> dict[str, str]:
    """The errors of a new statement's session, speaker and language, by field."""
    errors: dict[str, str] = {}
    if session_id not in session_ids:
        errors["session_id"] = _("Choose a session of this congress.")
    if speaker_id not in {d.id for d in speakers(delegation)}:
        errors["speaker_id"] = _("Choose the speaker among the members of the delegation.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language it was delivered in.")
    return errors


def check_text(text: str, pdf: Pdf | None, field: str = "text") -> dict[str, str]:
    if pdf is None and not text.strip():
        return {field: _("Type the text of the statement, or attach its PDF.")}
    if len(text) > MAX_TEXT:
        return {field: _("The text is longer than 100,000 characters.")}
    return {}


def delegation_name_on(delegation: Delegation, lang: str, on) -> str:
    """A State's UN name in ``lang`` on the day (of the session), or the organisation's name."""
    if delegation.country_code:
        return country_name(delegation.country_code, lang, on)
    return delegation.organisation_name or ""


def statement_day(statement: DelegationStatement):
    """The day at the venue the statement was delivered: its session's."""
    return statement.session.starts_at.astimezone(statement.congress.zone).date()
