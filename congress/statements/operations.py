"""Writing statements and session documents: one transaction each, with its audit entry
(and, for the organisers' decisions, the focal point's mail).

A PDF is written to a temporary file beside its final name and renamed into place before the
row that names it commits; if the transaction fails, the file goes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from congress.audit.log import record
from congress.db import utcnow
from congress.extensions import db
from congress.i18n.content import localize, localized_text
from congress.jobs.progress import write_atomically
from congress.mail import send_mail
from congress.programme.models import Session
from congress.registration.models import Delegation
from congress.registration.rules import N_, delegation_name
from congress.statements.models import (
    DelegationStatement,
    DocumentKind,
    SessionDocument,
    StatementStatus,
    StatementText,
)
from congress.statements.queries import file_folder, file_path
from congress.statements.rules import (
    LANGUAGES,
    Pdf,
    StatementError,
    check_submission,
    check_text,
)


def _store(pdf: Pdf | None) -> str | None:
    if pdf is None:
        return None
    folder = file_folder()
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.pdf"
    write_atomically(folder / filename, pdf.data)
    return filename


def _committed(action: Callable[[], object], files: list[str | None]):
    """Run ``action`` and commit; on failure roll back and remove the files just written."""
    try:
        result = action()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for name in files:
            if name:
                file_path(name).unlink(missing_ok=True)
        raise
    return result


def _text_row(language: str, text: str, pdf: Pdf | None, original: str | None) -> StatementText:
    filename = _store(pdf)
    # Kept as typed (its paragraphs and spacing); only the ends are trimmed.
    typed = text.strip()
    return StatementText(
        language=language,
        # Typed text first: it is what the sender chose to give; else the PDF's.
        text=typed or (pdf.text if pdf else ""),
        filename=filename,
        original_filename=(original or "statement.pdf")[:255] if pdf else None,
    )


def _values(statement: DelegationStatement) -> dict:
    return {
        "session_id": statement.session_id,
        "delegation_id": statement.delegation_id,
        "speaker_id": statement.speaker_id,
        "speaker": statement.speaker.full_name if statement.speaker else None,
        "language": statement.language,
        "status": statement.status.value,
        "position": statement.position,
        "texts": sorted(t.language for t in statement.texts),
    }


def submit_statement(
    delegation: Delegation,
    *,
    session_ids: set[int],
    session_id: int | None,
    speaker_id: int | None,
    language: str,
    text: str,
    pdf: Pdf | None,
    filename: str | None,
    other_language: str | None = None,
    other_text: str = "",
    other_pdf: Pdf | None = None,
    other_filename: str | None = None,
) -> DelegationStatement:
    """Record a delegation's statement, submitted for the organisers' review, and commit."""
    errors = check_submission(
        delegation,
        session_ids=session_ids,
        session_id=session_id,
        speaker_id=speaker_id,
        language=language,
    )
    errors.update(check_text(text, pdf))
    if other_language:
        if other_language == language:
            errors["other_language"] = _same_language()
        else:
            errors.update(check_text(other_text, other_pdf, "other_text"))
    if errors:
        raise StatementError(errors)
    texts = [_text_row(language, text, pdf, filename)]
    if other_language:
        texts.append(_text_row(other_language, other_text, other_pdf, other_filename))

    def submit() -> DelegationStatement:
        statement = DelegationStatement(
            congress_id=delegation.congress_id,
            session_id=session_id,
            delegation_id=delegation.id,
            speaker_id=speaker_id,
            language=language,
            status=StatementStatus.SUBMITTED,
            submitted_by_id=getattr(current_user, "id", None),
            texts=texts,
        )
        db.session.add(statement)
        db.session.flush()
        record(
            "statement.submit",
            statement,
            congress_id=statement.congress_id,
            after=_values(statement),
        )
        return statement

    return _committed(submit, [t.filename for t in texts])


def _same_language() -> str:
    return _("This language is the statement's own: choose another.")


def add_text(
    statement: DelegationStatement,
    *,
    language: str,
    text: str,
    pdf: Pdf | None,
    filename: str | None,
    review_again: bool = False,
) -> StatementText:
    """Add the statement in another language, or replace its text in one, and commit."""
    errors: dict[str, str] = {}
    if language not in LANGUAGES:
        errors["language"] = _("Choose the language of this text.")
    errors.update(check_text(text, pdf))
    if errors:
        raise StatementError(errors)
    row = _text_row(language, text, pdf, filename)
    old = statement.text_in(language)
    before = _values(statement)
    replaced = old.filename if old is not None and row.filename else None

    def add() -> StatementText:
        if old is not None:
            old.text = row.text
            if row.filename:
                old.filename, old.original_filename = row.filename, row.original_filename
            target = old
        else:
            statement.texts.append(row)
            target = row
        if review_again:
            statement.status = StatementStatus.SUBMITTED
            statement.published_at = None
        db.session.flush()
        record(
            "statement.text",
            statement,
            congress_id=statement.congress_id,
            before=before,
            after={**_values(statement), "language_added": language},
        )
        return target

    result = _committed(add, [row.filename])
    if replaced:
        file_path(replaced).unlink(missing_ok=True)
    return result


# What the focal point is told, by the audit entry's action.
_SUBJECTS = {
    "statement.publish": N_("Statement published: %(session)s"),
    "statement.unpublish": N_("Statement taken off the public pages: %(session)s"),
    "statement.reject": N_("Statement not published: %(session)s"),
}


def _tell_focal_point(statement: DelegationStatement, action: str) -> None:
    """Queue the mail that tells the delegation's focal point, in their language, what the
    organisers decided; it goes in the decision's transaction, so only once it commits."""
    delegation = statement.delegation
    focal_point = delegation.focal_point
    if focal_point is None:
        return
    lang = focal_point.language
    session = localize(statement.session.title, statement.session.original_language, lang).text
    congress = statement.congress
    if action == "statement.publish":
        link = url_for(
            "statements.statement",
            slug=congress.slug,
            statement_id=statement.id,
            lang=lang,
            _external=True,
        )
    else:
        link = url_for(
            "statements.delegation_statements",
            delegation_id=delegation.id,
            lang=lang,
            _external=True,
        )
    send_mail(
        focal_point.email,
        lang,
        _SUBJECTS[action],
        "statement_status",
        congress_id=congress.id,
        subject_values={"session": session},
        user=focal_point,
        action=action,
        session=session,
        # A State's statements are listed on its country's page too.
        government=delegation.country_code is not None,
        delegation_name=delegation_name(delegation, lang),
        congress_name=localized_text(congress, "name", lang),
        reason=statement.rejection_reason,
        link=link,
    )


def next_position(statement: DelegationStatement) -> int:
    """One after the last statement published in the same session."""
    last = db.session.scalar(
        select(func.max(DelegationStatement.position)).where(
            DelegationStatement.session_id == statement.session_id,
            DelegationStatement.status == StatementStatus.PUBLISHED,
        )
    )
    return (last or 0) + 1


def publish(statement: DelegationStatement, position: int) -> None:
    """Publish the statement as the ``position``-th delivered in its session, and commit."""
    before = _values(statement)

    def act() -> None:
        statement.status = StatementStatus.PUBLISHED
        statement.position = position
        statement.published_at = utcnow()
        statement.rejection_reason = None
        record(
            "statement.publish",
            statement,
            congress_id=statement.congress_id,
            before=before,
            after=_values(statement),
        )
        _tell_focal_point(statement, "statement.publish")

    _committed(act, [])


def unpublish(statement: DelegationStatement, reason: str | None, action: str) -> None:
    """Take the statement off the public pages (back to submitted, or not published)."""
    before = _values(statement)

    def act() -> None:
        back_to_review = action == "statement.unpublish"
        statement.status = StatementStatus.SUBMITTED if back_to_review else StatementStatus.REJECTED
        statement.published_at = None
        statement.rejection_reason = (reason or "").strip() or None
        record(
            action,
            statement,
            congress_id=statement.congress_id,
            before=before,
            after={**_values(statement), "reason": statement.rejection_reason},
        )
        _tell_focal_point(statement, action)

    _committed(act, [])


def add_document(
    session: Session,
    *,
    kind: DocumentKind,
    title: dict[str, str],
    original_language: str,
    language: str,
    pdf: Pdf,
    filename: str | None,
) -> SessionDocument:
    """Put up a session's document, and commit."""
    stored = _store(pdf)

    def add() -> SessionDocument:
        document = SessionDocument(
            congress_id=session.congress_id,
            session_id=session.id,
            kind=kind,
            title=title,
            original_language=original_language,
            language=language,
            filename=stored,
            original_filename=(filename or "document.pdf")[:255],
            text=pdf.text,
        )
        db.session.add(document)
        db.session.flush()
        record(
            "session_document.add",
            document,
            congress_id=session.congress_id,
            after={
                "session_id": session.id,
                "kind": kind.value,
                "title": title,
                "language": language,
            },
        )
        return document

    return _committed(add, [stored])


def remove_document(document: SessionDocument) -> None:
    filename = document.filename

    def remove() -> None:
        record(
            "session_document.remove",
            document,
            congress_id=document.congress_id,
            before={
                "session_id": document.session_id,
                "kind": document.kind.value,
                "title": document.title,
                "language": document.language,
            },
        )
        db.session.delete(document)

    _committed(remove, [])
    file_path(filename).unlink(missing_ok=True)
