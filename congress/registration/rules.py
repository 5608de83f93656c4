"""The rules of registration and accreditation, as plain functions.

Views parse the request and call these; tests call them without one. Each
function that changes something is one transaction: it commits, or it rolls
everything back (rows and files) and raises a :class:`RegistrationError` whose
message the view shows beside the field it names.

Who may change a delegation's list is the views' question (the delegation's own
focal point); who may move it through the workflow depends on the move, so
:func:`transition` asks it itself. The audit log names the signed-in user.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import cache

from babel import Locale
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from congress.accounts.auth import can_organise, is_focal_point
from congress.archive.models import Congress
from congress.audit.log import record
from congress.db import LANGUAGES, utcnow
from congress.extensions import db
from congress.i18n.collation import collated
from congress.i18n.content import localized_text
from congress.i18n.countries import country_name
from congress.mail import send_mail
from congress.registration import credentials
from congress.registration.labels import STATUSES
from congress.registration.models import (
    Category,
    CategoryQuota,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    DelegationTransition,
    Title,
)

log = logging.getLogger(__name__)

Status = DelegationStatus


def N_(message: str) -> str:
    """Mark a msgid for extraction, translated later in the recipient's language."""
    return message


# --- Errors -----------------------------------------------------------------


class RegistrationError(Exception):
    """A rule said no. ``message`` is for the user; ``field`` names the form field it is about."""

    field: str | None = None

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if field is not None:
            self.field = field


class RegistrationClosed(RegistrationError):
    pass


class CategoryClosed(RegistrationError):
    field = "category"


class CountryTaken(RegistrationError):
    field = "country_code"


class EmailTaken(RegistrationError):
    field = "email"


class QuotaReached(RegistrationError):
    pass


class NotEditable(RegistrationError):
    pass


class TransitionRefused(RegistrationError):
    pass


class SavingFailed(RegistrationError):
    """The database failed mid-way; nothing was kept and the user may simply try again."""


# --- The registration window and the categories ------------------------------


@dataclass(frozen=True)
class Window:
    """Where a congress's registration stands at an instant."""

    state: str  # "unscheduled", "not_yet_open", "open" or "closed"
    opens_at: datetime | None
    closes_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def registration_window(congress: Congress, now: datetime | None = None) -> Window:
    """Open from ``registration_opens_at`` until ``registration_closes_at`` (excluded).

    Without an opening instant registration is not scheduled; without a closing
    one it stays open.
    """
    now = now or utcnow()
    opens, closes = congress.registration_opens_at, congress.registration_closes_at
    if opens is None:
        state = "unscheduled"
    elif now < opens:
        state = "not_yet_open"
    elif closes is not None and now >= closes:
        state = "closed"
    else:
        state = "open"
    return Window(state, opens, closes)


@dataclass(frozen=True)
class Quota:
    is_open: bool = True
    max_delegates: int | None = None


def quotas(congress: Congress) -> dict[Category, Quota]:
    """Each category's openness and size at ``congress``: a missing row means open, no maximum."""
    rows = db.session.scalars(select(CategoryQuota).where(CategoryQuota.congress_id == congress.id))
    found = {row.category: Quota(row.is_open, row.max_delegates) for row in rows}
    return {category: found.get(category, Quota()) for category in Category}


def open_categories(congress: Congress) -> list[Category]:
    return [category for category, quota in quotas(congress).items() if quota.is_open]


# ISO 3166-1 codes CLDR names, without its regions, groupings and reserved codes.
_NOT_ISO = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "XK",
    "ZZ",
}


@cache
def country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_ISO)


def country_choices(lang: str, on: date | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` for every country, in the order of a list in ``lang``."""
    names = [(code, country_name(code, lang, on)) for code in country_codes()]
    return collated(names, key=lambda pair: pair[1], lang=lang)


def delegation_name(delegation: Delegation, lang: str) -> str:
    """The country's name in ``lang`` as it was at the congress, or the organisation's name."""
    if delegation.country_code:
        return country_name(delegation.country_code, lang, delegation.congress.start_date)
    return delegation.organisation_name or ""


def active_members(delegation: Delegation) -> list[Delegate]:
    return [d for d in delegation.delegates if not d.withdrawn]


# --- Transactions ---------------------------------------------------------------


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


# --- Delegations --------------------------------------------------------------


@dataclass
class DelegationDetails:
    category: Category
    country_code: str | None = None
    organisation_name: str | None = None


def _check_window(congress: Congress, now: datetime | None = None) -> None:
    window = registration_window(congress, now)
    if not window.is_open:
        raise RegistrationClosed(_l("Registration for this congress is not open."))


def _country_taken(congress: Congress, code: str | None) -> CountryTaken | None:
    if not code:
        return None
    exists = db.session.scalar(
        select(Delegation.id).where(
            Delegation.congress_id == congress.id, Delegation.country_code == code
        )
    )
    if exists is None:
        return None
    return CountryTaken(_l("This country's delegation is already registered for this congress."))


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
    _check_window(congress, now)
    if details.category not in open_categories(congress):
        raise CategoryClosed(_l("This category is not open for registration."))
    country_code = organisation_name = None
    if details.category is Category.STATE:
        country_code = details.country_code
        if country_code not in country_codes():
            raise RegistrationError(_l("Choose the country."), field="country_code")
        taken = _country_taken(congress, country_code)
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
        _raise_if_taken(failure, lambda: _country_taken(congress, country_code))
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


def members_editable(delegation: Delegation, now: datetime | None = None) -> bool:
    """Until accreditation (and while registration is open) the focal point edits the list."""
    return (
        delegation.status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED)
        and registration_window(delegation.congress, now).is_open
    )


def _check_not_final(delegation: Delegation) -> None:
    if delegation.status is Status.ACCREDITED:
        raise NotEditable(_l("The delegation is accredited: its list can no longer be changed."))
    if delegation.status is Status.WITHDRAWN:
        raise NotEditable(_l("The delegation was withdrawn: its list can no longer be changed."))


def _check_editable(delegation: Delegation, now: datetime | None = None) -> None:
    _check_not_final(delegation)
    _check_window(delegation.congress, now)


def replace_credentials(delegation: Delegation, letter: tuple[bytes, str]) -> None:
    """Keep a new credentials letter for the delegation; the previous file is deleted."""
    old = None
    with _saving() as written:
        locked = _lock(delegation)
        _check_editable(locked)
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


# --- Delegates ------------------------------------------------------------------


@dataclass
class DelegateDetails:
    given_names: str
    family_name: str
    role: DelegateRole
    email: str
    title: Title = Title.NONE
    function: str = ""
    preferred_language: str = "en"
    public_consent: bool = False
    accessibility_needs: str = ""

    def normalised(self) -> DelegateDetails:
        return DelegateDetails(
            given_names=self.given_names.strip(),
            family_name=self.family_name.strip(),
            role=self.role,
            # One registration per address, however it is spelt.
            email=self.email.strip().lower(),
            title=self.title,
            function=(self.function or "").strip(),
            preferred_language=(
                self.preferred_language if self.preferred_language in LANGUAGES else "en"
            ),
            public_consent=bool(self.public_consent),
            accessibility_needs=(self.accessibility_needs or "").strip(),
        )

    def values(self) -> dict:
        return {
            "title": self.title.value,
            "given_names": self.given_names,
            "family_name": self.family_name,
            "function": self.function,
            "role": self.role.value,
            "email": self.email,
            "preferred_language": self.preferred_language,
            "public_consent": self.public_consent,
            "accessibility_needs": self.accessibility_needs,
        }


def delegate_values(delegate: Delegate) -> dict:
    """A member's details as plain values: for the audit log and to fill the member form."""
    return {
        "title": delegate.title.value,
        "given_names": delegate.given_names,
        "family_name": delegate.family_name,
        "function": delegate.function,
        "role": delegate.role.value,
        "email": delegate.email,
        "preferred_language": delegate.preferred_language,
        "public_consent": delegate.public_consent,
        "accessibility_needs": delegate.accessibility_needs,
        "withdrawn": delegate.withdrawn,
    }


def _email_taken(congress_id: int, email: str, except_id: int | None = None) -> EmailTaken | None:
    query = select(Delegate.id).where(Delegate.congress_id == congress_id, Delegate.email == email)
    if except_id is not None:
        query = query.where(Delegate.id != except_id)
    if db.session.scalar(query) is None:
        return None
    return EmailTaken(_l("This email address is already registered for this congress."))


def _check_room(delegation: Delegation, adding: int = 1) -> None:
    """Refuse if ``adding`` more members would pass the category's maximum.

    Call it with the delegation locked, so that the count cannot change before commit.
    """
    limit = quotas(delegation.congress)[delegation.category].max_delegates
    if limit is None:
        return
    count = db.session.scalar(
        select(func.count())
        .select_from(Delegate)
        .where(Delegate.delegation_id == delegation.id, Delegate.withdrawn.is_(False))
    )
    if count + adding > limit:
        raise QuotaReached(
            _l(
                "The delegation already has %(count)d members, the most its category allows.",
                count=count,
            )
        )


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
            _check_editable(locked)
            taken = _email_taken(locked.congress_id, details.email)
            if taken:
                raise taken
            _check_room(locked)
            delegate = Delegate(
                delegation=locked, congress_id=locked.congress_id, **asdict(details)
            )
            db.session.add(delegate)
            db.session.flush()
            record("delegate.add", delegate, congress_id=locked.congress_id, after=details.values())
    except SavingFailed as failure:
        _raise_if_taken(failure, lambda: _email_taken(delegation.congress_id, details.email))
        raise
    return delegate


def update_delegate(delegate: Delegate, details: DelegateDetails) -> Delegate:
    details = details.normalised()
    congress_id = delegate.congress_id
    try:
        with _saving():
            locked = _lock(delegate.delegation)
            _check_editable(locked)
            taken = _email_taken(congress_id, details.email, except_id=delegate.id)
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
            failure, lambda: _email_taken(congress_id, details.email, except_id=delegate.id)
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
        _check_not_final(locked)
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
        _check_editable(locked)
        if delegate.withdrawn:
            _check_room(locked)
            delegate.withdrawn = False
            record(
                "delegate.reinstate",
                delegate,
                congress_id=delegate.congress_id,
                before={"withdrawn": True},
                after={"withdrawn": False},
            )


# --- The workflow ---------------------------------------------------------------

FOCAL_POINT = "focal point"
ORGANISER = "organiser"

# (from, to): who may make the move.
MOVES = {
    (Status.DRAFT, Status.SUBMITTED): FOCAL_POINT,
    (Status.REJECTED, Status.SUBMITTED): FOCAL_POINT,
    (Status.SUBMITTED, Status.ACCREDITED): ORGANISER,
    (Status.SUBMITTED, Status.REJECTED): ORGANISER,
    (Status.DRAFT, Status.WITHDRAWN): FOCAL_POINT,
    (Status.SUBMITTED, Status.WITHDRAWN): FOCAL_POINT,
    (Status.REJECTED, Status.WITHDRAWN): FOCAL_POINT,
}

_ACTIONS = {
    Status.SUBMITTED: "delegation.submit",
    Status.ACCREDITED: "delegation.accredit",
    Status.REJECTED: "delegation.reject",
    Status.WITHDRAWN: "delegation.withdraw",
}

_SUBJECTS = {
    Status.SUBMITTED: N_("Your delegation to the congress has been submitted: %(delegation)s"),
    Status.ACCREDITED: N_("Your delegation to the congress is accredited: %(delegation)s"),
    Status.REJECTED: N_("Your delegation to the congress was not accredited: %(delegation)s"),
    Status.WITHDRAWN: N_("Your delegation to the congress is withdrawn: %(delegation)s"),
}


def _may(actor, delegation: Delegation, who: str) -> bool:
    if who == FOCAL_POINT:
        return is_focal_point(actor, delegation)
    return can_organise(actor, delegation.congress)


def moves_for(delegation: Delegation, actor) -> list[Status]:
    """The statuses ``actor`` may move the delegation to now."""
    return [
        to
        for (from_, to), who in MOVES.items()
        if from_ is delegation.status and _may(actor, delegation, who)
    ]


def _check_complete(delegation: Delegation) -> None:
    """What a delegation needs before organisers review it."""
    _check_window(delegation.congress)
    if not delegation.credentials_file:
        raise RegistrationError(
            _l("Upload the credentials letter before submitting."), field="credentials"
        )
    members = db.session.scalar(
        select(func.count())
        .select_from(Delegate)
        .where(Delegate.delegation_id == delegation.id, Delegate.withdrawn.is_(False))
    )
    if members == 0:
        raise RegistrationError(_l("Add at least one member before submitting."))
    limit = quotas(delegation.congress)[delegation.category].max_delegates
    if limit is not None and members > limit:
        raise QuotaReached(
            _l(
                "The delegation has %(count)d members; its category allows %(max)d."
                " Withdraw members before submitting.",
                count=members,
                max=limit,
            )
        )


@dataclass
class Outcome:
    """What :func:`transition` did: the step recorded, and the addresses mail could not reach."""

    step: DelegationTransition
    undelivered: list[str] = field(default_factory=list)


def transition(delegation: Delegation, to: Status, actor, reason: str | None = None) -> Outcome:
    """Move the delegation to ``to`` if ``actor`` may, record it, and tell the people concerned.

    The focal point is mailed every move in their language; accreditation also
    mails each member still on the list their personal link. Mail goes out only
    once the move is committed.
    """
    reason = (reason or "").strip() or None
    with _saving():
        locked = _lock(delegation)
        current = locked.status
        who = MOVES.get((current, to))
        if who is None or not _may(actor, locked, who):
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
            _check_complete(locked)
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
    return Outcome(step, _announce(locked, step))


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
    # The move is already committed: a mail server that fails must not undo it or hide it.
    try:
        send_mail(to, lang, subject, template, **context)
    except (smtplib.SMTPException, OSError):
        log.exception("registration: mail to %s failed", to)
        undelivered.append(to)
