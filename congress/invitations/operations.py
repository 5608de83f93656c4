"""Writes of letters of invitation: one transaction each, with its audit entry and its mail.

The audit log never holds passport details (it keeps that they changed, not what they
were): erasing them from the letters then erases them everywhere.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from congress.audit.log import record
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.i18n.content import localized_text
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.invitations.rules import (
    LetterError,
    PassportDetails,
    approval_refused,
    check_details,
    check_may_ask,
    new_reference,
    refusal_refused,
    withdrawal_refused,
)
from congress.mail import send_mail
from congress.registration.models import Delegate, Delegation
from congress.registration.rules import N_, delegation_name

log = logging.getLogger(__name__)

_SUBJECTS = {
    LetterStatus.APPROVED: N_("Letter of invitation issued: %(name)s"),
    LetterStatus.REFUSED: N_("Letter of invitation refused: %(name)s"),
    LetterStatus.WITHDRAWN: N_("Letter of invitation withdrawn: %(name)s"),
}


def _locked(letter: InvitationLetter) -> InvitationLetter:
    """The letter's row, held until the transaction ends and read afresh (see
    :func:`congress.registration.operations._lock`: SQLite's write lock is taken by a write)."""
    locked = db.session.scalars(
        select(InvitationLetter)
        .where(InvitationLetter.id == letter.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    db.session.execute(
        update(InvitationLetter)
        .where(InvitationLetter.id == letter.id)
        .values(status=InvitationLetter.status)
    )
    return locked


def ask_for_letter(
    delegation: Delegation,
    delegate: Delegate,
    details: PassportDetails,
    today: date | None = None,
) -> InvitationLetter:
    """Ask for the member's letter, or correct the request; a refused one is asked again."""
    check_details(details, today or utcnow().date(), delegation.congress.start_date)
    existing = db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.delegate_id == delegate.id)
    )
    try:
        if existing is None:
            check_may_ask(delegation, delegate, None)
            letter = InvitationLetter(
                congress_id=delegation.congress_id,
                delegate=delegate,
                status=LetterStatus.REQUESTED,
                passport_number=details.passport_number,
                nationality=details.nationality,
                date_of_birth=details.date_of_birth,
            )
            db.session.add(letter)
            db.session.flush()
            record(
                "invitation.request",
                letter,
                congress_id=letter.congress_id,
                after={"delegate_id": delegate.id, "nationality": details.nationality},
            )
        else:
            letter = _locked(existing)
            check_may_ask(delegation, delegate, letter)
            before = {"status": letter.status.value, "nationality": letter.nationality}
            changed = (letter.passport_number, letter.date_of_birth) != (
                details.passport_number,
                details.date_of_birth,
            )
            letter.passport_number = details.passport_number
            letter.date_of_birth = details.date_of_birth
            letter.nationality = details.nationality
            letter.status = LetterStatus.REQUESTED
            letter.refusal_reason = None
            letter.requested_at = utcnow()
            record(
                "invitation.request",
                letter,
                congress_id=letter.congress_id,
                before=before,
                after={
                    "status": letter.status.value,
                    "nationality": letter.nationality,
                    "passport_details_changed": changed,
                },
            )
        db.session.commit()
    except IntegrityError as error:
        # Two requests for the same member at once: the second finds the first.
        db.session.rollback()
        raise LetterError(
            _l("A letter was asked for this member meanwhile: look again.")
        ) from error
    except BaseException:
        db.session.rollback()
        raise
    return letter


def approve(letter: InvitationLetter) -> list[str]:
    """Issue the letter under a new reference and tell the focal point; return who was not
    reached by mail."""
    return _decide(letter, LetterStatus.APPROVED, approval_refused, "invitation.approve")


def refuse(letter: InvitationLetter, reason: str) -> list[str]:
    reason = (reason or "").strip()
    if not reason:
        raise LetterError(_l("Give the reason for the refusal."), field="reason")
    return _decide(letter, LetterStatus.REFUSED, refusal_refused, "invitation.refuse", reason)


def withdraw(letter: InvitationLetter) -> list[str]:
    """Withdraw an issued letter: its reference then reads as withdrawn."""
    return _decide(letter, LetterStatus.WITHDRAWN, withdrawal_refused, "invitation.withdraw")


def _decide(letter, to: LetterStatus, refused, action: str, reason: str | None = None):
    try:
        locked = _locked(letter)
        why = refused(locked)
        if why:
            raise LetterError(why)
        before = {"status": locked.status.value}
        now = utcnow()
        locked.status = to
        if to is LetterStatus.APPROVED:
            locked.reference = new_reference()
            locked.issued_at = locked.decided_at = now
        elif to is LetterStatus.REFUSED:
            locked.refusal_reason = reason
            locked.decided_at = now
        else:
            locked.withdrawn_at = now
        record(
            action,
            locked,
            congress_id=locked.congress_id,
            before=before,
            after={"status": to.value, "reference": locked.reference, "reason": reason},
        )
        undelivered = _tell_focal_point(locked)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return undelivered


def _tell_focal_point(letter: InvitationLetter) -> list[str]:
    delegate = letter.delegate
    delegation = delegate.delegation
    focal_point = delegation.focal_point
    if focal_point is None:
        return []
    lang = focal_point.language
    congress = letter.congress
    try:
        send_mail(
            focal_point.email,
            lang,
            _SUBJECTS[letter.status],
            "invitation_letter",
            congress_id=congress.id,
            subject_values={"name": delegate.full_name},
            user=focal_point,
            name=delegate.full_name,
            delegation_name=delegation_name(delegation, lang),
            congress_name=localized_text(congress, "name", lang),
            status=letter.status.value,
            reason=letter.refusal_reason,
            reference=letter.reference,
            link=url_for(
                "invitations.delegation_letters",
                delegation_id=delegation.id,
                lang=lang,
                _external=True,
            ),
        )
    except (smtplib.SMTPException, OSError):
        log.exception("invitations: mail to %s failed", focal_point.email)
        return [focal_point.email]
    return []


def erase_personal_data(congress: Congress) -> int:
    """Erase the passport numbers and dates of birth of the congress's letters; return how
    many letters held them.

    Each letter stays, with its status and reference, so that an embassy checking one
    issued before still reads whether it is genuine; it can no longer be drawn.
    """
    try:
        erased = db.session.execute(
            update(InvitationLetter)
            .where(
                InvitationLetter.congress_id == congress.id,
                InvitationLetter.passport_number.is_not(None),
            )
            .values(passport_number=None, date_of_birth=None)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if erased:
            record(
                "invitation.erase",
                congress,
                congress_id=congress.id,
                after={"letters": erased},
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return erased
