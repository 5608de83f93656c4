"""The rules of registration and accreditation: decisions, as plain functions.

Nothing here writes: the functions read what they need and answer, or raise a
:class:`RegistrationError` naming the field it is about.
:mod:`congress.registration.operations` asks them inside its transactions, views ask
them to show what may be done (the registration window, the moves a user may make).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from congress.congresses.models import Congress
from congress.congresses.rules import is_organiser
from congress.db import LANGUAGES, utcnow
from congress.extensions import db
from congress.i18n.countries import country_name
from congress.registration.models import (
    Category,
    CategoryQuota,
    Delegate,
    DelegateRole,
    Delegation,
    DelegationStatus,
    Title,
)

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


def delegation_name(delegation: Delegation, lang: str) -> str:
    """The country's name in ``lang`` as it was at the congress, or the organisation's name."""
    if delegation.country_code:
        return country_name(delegation.country_code, lang, delegation.congress.start_date)
    return delegation.organisation_name or ""


def active_members(delegation: Delegation) -> list[Delegate]:
    return [d for d in delegation.delegates if not d.withdrawn]


# --- Transactions ---------------------------------------------------------------


# --- Delegations --------------------------------------------------------------


def check_window(congress: Congress, now: datetime | None = None) -> None:
    window = registration_window(congress, now)
    if not window.is_open:
        raise RegistrationClosed(_l("Registration for this congress is not open."))


def country_taken(congress: Congress, code: str | None) -> CountryTaken | None:
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


def members_editable(delegation: Delegation, now: datetime | None = None) -> bool:
    """Until accreditation (and while registration is open) the focal point edits the list."""
    return (
        delegation.status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED)
        and registration_window(delegation.congress, now).is_open
    )


def check_not_final(delegation: Delegation) -> None:
    if delegation.status is Status.ACCREDITED:
        raise NotEditable(_l("The delegation is accredited: its list can no longer be changed."))
    if delegation.status is Status.WITHDRAWN:
        raise NotEditable(_l("The delegation was withdrawn: its list can no longer be changed."))


def check_editable(delegation: Delegation, now: datetime | None = None) -> None:
    check_not_final(delegation)
    check_window(delegation.congress, now)


# --- Delegates ------------------------------------------------------------------


def email_taken(congress_id: int, email: str, except_id: int | None = None) -> EmailTaken | None:
    query = select(Delegate.id).where(Delegate.congress_id == congress_id, Delegate.email == email)
    if except_id is not None:
        query = query.where(Delegate.id != except_id)
    if db.session.scalar(query) is None:
        return None
    return EmailTaken(_l("This email address is already registered for this congress."))


def check_room(delegation: Delegation, adding: int = 1) -> None:
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
    # Reopening: back to draft, for the focal point to change and submit again.
    (Status.WITHDRAWN, Status.DRAFT): ORGANISER,
    (Status.REJECTED, Status.DRAFT): ORGANISER,
}


def is_focal_point(user, delegation: Delegation) -> bool:
    """The delegation's own focal point; organisers of its congress are not focal points."""
    return bool(user and user.is_authenticated and delegation.focal_point_id == user.id)


def can_see_delegation(user, delegation: Delegation) -> bool:
    return is_focal_point(user, delegation) or is_organiser(user, delegation.congress)


def may_move(actor, delegation: Delegation, who: str) -> bool:
    if who == FOCAL_POINT:
        return is_focal_point(actor, delegation)
    return is_organiser(actor, delegation.congress)


def moves_for(delegation: Delegation, actor) -> list[Status]:
    """The statuses ``actor`` may move the delegation to now."""
    return [
        to
        for (from_, to), who in MOVES.items()
        if from_ is delegation.status and may_move(actor, delegation, who)
    ]


FOCAL_POINT_MAIL = "focal point"
MEMBER_MAIL = "member"


def mailed_at(delegation: Delegation, to: Status) -> list[tuple[str, str, str]]:
    """Who the move to ``to`` mails, as ``(name, email, why)``: what a confirmation names.

    The focal point hears of every move; at accreditation each member still on the list is
    sent their personal link too (:func:`congress.registration.operations.transition`).
    """
    found = []
    focal_point = delegation.focal_point
    if focal_point is not None:
        found.append((focal_point.name or focal_point.email, focal_point.email, FOCAL_POINT_MAIL))
    if to is Status.ACCREDITED:
        found.extend((d.full_name, d.email, MEMBER_MAIL) for d in active_members(delegation))
    return found


# Checks of areas above this one that a submission must also pass (the members'
# photographs, congress.badges): each takes the delegation and raises RegistrationError.
SUBMISSION_CHECKS: list[Callable[[Delegation], None]] = []


def check_complete(delegation: Delegation) -> None:
    """What a delegation needs before organisers review it."""
    check_window(delegation.congress)
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
    for check in SUBMISSION_CHECKS:
        check(delegation)


@dataclass
class DelegationDetails:
    category: Category
    country_code: str | None = None
    organisation_name: str | None = None


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


# --- The focal point's task list ----------------------------------------------------

COMPLETED = "completed"
INCOMPLETE = "incomplete"
CANNOT_START = "cannot_start"

# The steps of a registration, in the order the delegation page lists them.
TASKS = ("details", "members", "credentials", "submit")


@dataclass(frozen=True)
class Task:
    key: str  # one of TASKS
    state: str  # COMPLETED, INCOMPLETE or CANNOT_START


def members_complete(delegation: Delegation) -> bool:
    """At least one member on the list, and no more than the category allows."""
    count = len(active_members(delegation))
    limit = quotas(delegation.congress)[delegation.category].max_delegates
    return count > 0 and (limit is None or count <= limit)


def tasks(delegation: Delegation, now: datetime | None = None) -> list[Task]:
    """Where each step of the registration stands, for the focal point's task list.

    The details are given at registration. Members and the letter are complete once
    there; submitting can start only when both are, while registration is open and the
    delegation is a draft or was rejected (sent back to be corrected); it is complete
    once submitted, and stays so when accredited.
    """
    members = COMPLETED if members_complete(delegation) else INCOMPLETE
    letter = COMPLETED if delegation.credentials_file else INCOMPLETE
    if delegation.status in (Status.SUBMITTED, Status.ACCREDITED):
        submit = COMPLETED
    elif (
        delegation.status in (Status.DRAFT, Status.REJECTED)
        and members == letter == COMPLETED
        and registration_window(delegation.congress, now).is_open
    ):
        submit = INCOMPLETE
    else:
        submit = CANNOT_START
    states = (COMPLETED, members, letter, submit)
    return [Task(key, state) for key, state in zip(TASKS, states, strict=True)]


def may_submit(delegation: Delegation, user, now: datetime | None = None) -> bool:
    """Whether ``user`` sees the submit button: the focal point, with every step done."""
    return (
        Status.SUBMITTED in moves_for(delegation, user)
        and tasks(delegation, now)[-1].state == INCOMPLETE
    )
