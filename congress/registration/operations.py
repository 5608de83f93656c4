"""Registration's writes: each function is one transaction, its mail queued in it.

Each function locks the rows it counts, asks :mod:`congress.registration.rules`
whether the change may be made, writes it with its audit entry and commits; or it
rolls everything back (rows and files) and raises a
:class:`~congress.registration.rules.RegistrationError` whose message the view shows
beside the field it names. The audit log names the signed-in user.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from congress.audit.log import record
from congress.congresses.models import Congress
from congress.db import utcnow
from congress.extensions import db
from congress.i18n.content import localized_text
from congress.i18n.countries import is_country
from congress.mail import send_mail
from congress.registration import credentials
from congress.registration.labels import STATUSES
from congress.registration.models import (
    Category,
    Delegate,
    Delegation,
    DelegationTransition,
)
from congress.registration.rules import (
    MOVES,
    N_,
    CategoryClosed,
    DelegateDetails,
    DelegationDetails,
    RegistrationError,
    SavingFailed,
    Status,
    TransitionRefused,
    active_members,
    check_complete,
    check_editable,
    check_not_final,
    check_room,
    check_window,
    country_taken,
    delegate_values,
    delegation_name,
    email_taken,
    may_move,
    open_categories,
)

log = logging.getLogger(__name__)


@contextmanager
def _saving() -> Iterator[list[str]]:
    """Commit the block's changes, or undo every one of them, files included.

    The block appends the names of the credentials files it writes to the list
    it is given, so that a rollback removes them too.
    """
    written: list[str] = []
    try:
        yield written
        db.session.commit()
    except BaseException as error:
        db.session.rollback()
        for name in written:
            credentials.discard(name)
        if isinstance(error, DBAPIError):
            if not isinstance(error, IntegrityError):
                log.exception("registration: the database failed; everything was rolled back")
            raise SavingFailed(
                _l("Your changes could not be saved. Nothing was changed: please try again.")
            ) from error
        raise


def _lock(delegation: Delegation) -> Delegation:
    """Hold the delegation's row until the transaction ends, and read it afresh.

    PostgreSQL takes a row lock (``SELECT … FOR UPDATE``). SQLite ignores that
    clause, so the row is also written at once: that begins SQLite's write
    transaction, which admits one writer at a time, before anything is counted.
    """
    locked = db.session.scalars(
        select(Delegation)
        .where(Delegation.id == delegation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    locked.updated_at = utcnow()
    db.session.flush()
    return locked


def _raise_if_taken(error: SavingFailed, check) -> None:
    """After a unique constraint fired, raise the friendly error ``check`` finds, if any."""
    if isinstance(error.__cause__, IntegrityError):
        taken = check()
        if taken is not None:
            raise taken from error.__cause__


def register_delegation(
    congress: Congress,
    focal_point,
    details: DelegationDetails,
    letter: tuple[bytes, str] | None = None,
    now: datetime | None = None,
) -> Delegation:
    """Register a delegation in draft, with its focal point and perhaps its credentials letter.

    ``letter`` is ``(pdf_bytes, original_filename)``, already checked by
    :func:`congress.registration.credentials.read_pdf`.
    """
    check_window(congress, now)
    if details.category not in open_categories(congress):
        raise CategoryClosed(_l("This category is not open for registration."))
    country_code = organisation_name = None
    if details.category is Category.STATE:
        country_code = details.country_code
        # A State that did not exist on the congress's first day is not offered either.
        if not is_country(country_code, on=congress.start_date):
            raise RegistrationError(_l("Choose the country."), field="country_code")
        taken = country_taken(congress, country_code)
        if taken:
            raise taken
    else:
        organisation_name = (details.organisation_name or "").strip()
        if not organisation_name:
            raise RegistrationError(
                _l("Give the name of the organisation."), field="organisation_name"
            )
    try:
        with _saving() as written:
            delegation = Delegation(
                congress=congress,
                category=details.category,
                country_code=country_code,
                organisation_name=organisation_name,
                focal_point=focal_point,
                status=Status.DRAFT,
            )
            db.session.add(delegation)
            if letter is not None:
                delegation.credentials_file = credentials.store(letter[0])
                written.append(delegation.credentials_file)
                delegation.credentials_filename = credentials.clean_filename(letter[1])
            db.session.flush()
            record(
                "delegation.register",
                delegation,
                congress_id=congress.id,
                after=_delegation_values(delegation),
            )
    except SavingFailed as failure:
        _raise_if_taken(failure, lambda: country_taken(congress, country_code))
        raise
    return delegation


def _delegation_values(delegation: Delegation) -> dict:
    return {
        "category": delegation.category.value,
        "country_code": delegation.country_code,
        "organisation_name": delegation.organisation_name,
        "status": delegation.status.value,
        "credentials_filename": delegation.credentials_filename,
    }


def replace_credentials(delegation: Delegation, letter: tuple[bytes, str]) -> None:
    """Keep a new credentials letter for the delegation; the previous file is deleted."""
    old = None
    with _saving() as written:
        locked = _lock(delegation)
        check_editable(locked)
        old = locked.credentials_file
        locked.credentials_file = credentials.store(letter[0])
        written.append(locked.credentials_file)
        locked.credentials_filename = credentials.clean_filename(letter[1])
        record(
            "delegation.credentials",
            locked,
            congress_id=locked.congress_id,
            after={"credentials_filename": locked.credentials_filename},
        )
    # Only once the new name is committed may the old file go.
    credentials.discard(old)


def add_delegate(delegation: Delegation, details: DelegateDetails) -> Delegate:
    """Add a member, within the category's maximum even when others add at the same moment.

    The delegation's row is locked, the members counted, the member inserted and
    the transaction committed: simultaneous additions queue on the lock, and each
    counts what the previous one committed.
    """
    details = details.normalised()
    try:
        with _saving():
            locked = _lock(delegation)
            check_editable(locked)
            taken = email_taken(locked.congress_id, details.email)
            if taken:
                raise taken
            check_room(locked)
            delegate = Delegate(
                delegation=locked, congress_id=locked.congress_id, **asdict(details)
            )
            db.session.add(delegate)
            db.session.flush()
            record("delegate.add", delegate, congress_id=locked.congress_id, after=details.values())
    except SavingFailed as failure:
        _raise_if_taken(failure, lambda: email_taken(delegation.congress_id, details.email))
        raise
    return delegate


def update_delegate(delegate: Delegate, details: DelegateDetails) -> Delegate:
    details = details.normalised()
    congress_id = delegate.congress_id
    try:
        with _saving():
            locked = _lock(delegate.delegation)
            check_editable(locked)
            taken = email_taken(congress_id, details.email, except_id=delegate.id)
            if taken:
                raise taken
            before = delegate_values(delegate)
            for name, value in asdict(details).items():
                setattr(delegate, name, value)
            record(
                "delegate.edit",
                delegate,
                congress_id=congress_id,
                before=before,
                after=delegate_values(delegate),
            )
    except SavingFailed as failure:
        _raise_if_taken(
            failure, lambda: email_taken(congress_id, details.email, except_id=delegate.id)
        )
        raise
    return delegate


def withdraw_delegate(delegate: Delegate) -> None:
    """Take a member off the list; the row stays, so the address stays registered.

    Unlike additions, a withdrawal is accepted after registration closes: people
    fall ill whatever the deadline.
    """
    with _saving():
        locked = _lock(delegate.delegation)
        check_not_final(locked)
        delegate.withdrawn = True
        record(
            "delegate.withdraw",
            delegate,
            congress_id=delegate.congress_id,
            before={"withdrawn": False},
            after={"withdrawn": True},
        )


def reinstate_delegate(delegate: Delegate) -> None:
    """Put a withdrawn member back on the list, within the category's maximum."""
    with _saving():
        locked = _lock(delegate.delegation)
        check_editable(locked)
        if delegate.withdrawn:
            check_room(locked)
            delegate.withdrawn = False
            record(
                "delegate.reinstate",
                delegate,
                congress_id=delegate.congress_id,
                before={"withdrawn": True},
                after={"withdrawn": False},
            )


_ACTIONS = {
    Status.SUBMITTED: "delegation.submit",
    Status.ACCREDITED: "delegation.accredit",
    Status.REJECTED: "delegation.reject",
    Status.WITHDRAWN: "delegation.withdraw",
    Status.DRAFT: "delegation.reopen",
}


_SUBJECTS = {
    Status.SUBMITTED: N_("Your delegation to the congress has been submitted: %(delegation)s"),
    Status.ACCREDITED: N_("Your delegation to the congress is accredited: %(delegation)s"),
    Status.REJECTED: N_("Your delegation to the congress was not accredited: %(delegation)s"),
    Status.WITHDRAWN: N_("Your delegation to the congress is withdrawn: %(delegation)s"),
    Status.DRAFT: N_("Your delegation to the congress is reopened: %(delegation)s"),
}


@dataclass
class Outcome:
    """What :func:`transition` did: the step recorded, and the addresses mail could not reach."""

    step: DelegationTransition
    undelivered: list[str] = field(default_factory=list)


def transition(delegation: Delegation, to: Status, actor, reason: str | None = None) -> Outcome:
    """Move the delegation to ``to`` if ``actor`` may, record it, and tell the people concerned.

    The focal point is mailed every move in their language; accreditation also
    mails each member still on the list their personal link. The mails are queued in
    the outbox with the move, and a job sends them once it is committed.
    """
    reason = (reason or "").strip() or None
    with _saving():
        locked = _lock(delegation)
        current = locked.status
        who = MOVES.get((current, to))
        if who is None or not may_move(actor, locked, who):
            raise TransitionRefused(
                _l(
                    "This delegation cannot go from “%(current)s” to “%(next)s”.",
                    current=STATUSES[current],
                    next=STATUSES[to],
                )
            )
        if to is Status.REJECTED and not reason:
            raise RegistrationError(_l("Give the reason for the rejection."), field="reason")
        if to is Status.SUBMITTED:
            check_complete(locked)
        locked.status = to
        locked.rejection_reason = reason if to is Status.REJECTED else None
        step = DelegationTransition(
            delegation=locked,
            actor_id=getattr(actor, "id", None),
            at=utcnow(),
            from_status=current,
            to_status=to,
            reason=reason,
        )
        db.session.add(step)
        record(
            _ACTIONS[to],
            locked,
            congress_id=locked.congress_id,
            before={"status": current.value},
            after={"status": to.value, "reason": reason},
        )
        undelivered = _announce(locked, step)
    return Outcome(step, undelivered)


def _announce(delegation: Delegation, step: DelegationTransition) -> list[str]:
    """Mail the focal point (and, at accreditation, each member); return who was not reached."""
    undelivered: list[str] = []
    congress = delegation.congress
    focal_point = delegation.focal_point
    if focal_point is not None:
        lang = focal_point.language
        name = delegation_name(delegation, lang)
        _send(
            undelivered,
            congress_id=congress.id,
            to=focal_point.email,
            lang=lang,
            subject=_SUBJECTS[step.to_status],
            template="delegation_status",
            subject_values={"delegation": name},
            user=focal_point,
            delegation_name=name,
            congress_name=localized_text(congress, "name", lang),
            status=step.to_status.value,
            reason=step.reason,
            link=url_for(
                "registration.delegation",
                delegation_id=delegation.id,
                lang=lang,
                _external=True,
            ),
        )
    if step.to_status is Status.ACCREDITED:
        for delegate in active_members(delegation):
            lang = delegate.preferred_language
            _send(
                undelivered,
                congress_id=congress.id,
                to=delegate.email,
                lang=lang,
                subject=N_("Your accreditation and personal agenda: %(congress)s"),
                template="delegation_accredited_delegate",
                subject_values={"congress": localized_text(congress, "name", lang)},
                delegate=delegate,
                delegation_name=delegation_name(delegation, lang),
                congress_name=localized_text(congress, "name", lang),
                link=url_for(
                    "programme.delegate_agenda", token=delegate.token, lang=lang, _external=True
                ),
            )
    return undelivered


def _send(undelivered: list[str], *, to: str, lang: str, subject: str, template: str, **context):
    # Queued in the outbox: a mail server that fails later is retried and shown on the
    # outbox page; the move stands whatever becomes of the mail.
    try:
        send_mail(to, lang, subject, template, **context)
    except (smtplib.SMTPException, OSError):
        log.exception("registration: mail to %s failed", to)
        undelivered.append(to)
