"""The rules of letters of invitation: who may ask, what a request holds, what may follow.

Nothing here writes. :mod:`congress.invitations.operations` asks these functions inside its
transactions; the views ask them which buttons to show.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from congress.i18n.countries import is_country
from congress.invitations.models import InvitationLetter, LetterStatus
from congress.registration.models import Delegate, Delegation, DelegationStatus


class LetterError(Exception):
    """A rule said no. ``message`` is for the user; ``field`` names the form field it is about."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PassportDetails:
    """What a request holds, as the passport writes it."""

    passport_number: str
    nationality: str
    date_of_birth: date


# Letters and digits of a passport's machine-readable zone; national numbers run from 6 to 9
# characters, the margin is for the few that print more.
PASSPORT_NUMBER = re.compile(r"[A-Z0-9]{5,20}")
EARLIEST_BIRTH = date(1900, 1, 1)


def passport_number(text: str) -> str:
    """The number without the spaces and hyphens some passports print inside it, in capitals."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def check_passport_number(number: str) -> None:
    if not PASSPORT_NUMBER.fullmatch(number):
        raise LetterError(
            _l(
                "Give the passport number as its data page prints it: 5 to 20 letters A to Z"
                " and digits."
            ),
            field="passport_number",
        )


def check_nationality(code: str, congress_start: date) -> None:
    if not is_country(code, on=congress_start):
        raise LetterError(_l("Choose the nationality the passport gives."), field="nationality")


def check_date_of_birth(day: date, today: date) -> None:
    if day >= today:
        raise LetterError(_l("The date of birth must be in the past."), field="date_of_birth")
    if day < EARLIEST_BIRTH:
        raise LetterError(_l("Check the year of birth."), field="date_of_birth")


def check_details(details: PassportDetails, today: date, congress_start: date) -> None:
    check_passport_number(details.passport_number)
    check_nationality(details.nationality, congress_start)
    check_date_of_birth(details.date_of_birth, today)


def may_ask(delegation: Delegation, delegate: Delegate) -> bool:
    """A member still on the list of a delegation neither withdrawn nor rejected."""
    return not delegate.withdrawn and delegation.status not in (
        DelegationStatus.WITHDRAWN,
        DelegationStatus.REJECTED,
    )


def check_may_ask(delegation: Delegation, delegate: Delegate, letter: InvitationLetter | None):
    if not may_ask(delegation, delegate):
        raise LetterError(
            _l("A letter can be asked for only for a member of a delegation still registered.")
        )
    if letter is not None and letter.erased:
        raise LetterError(_l("The passport details of this request were erased."))
    if letter is not None and not may_change(letter):
        raise LetterError(_l("This letter is issued: its details can no longer change."))


def may_change(letter: InvitationLetter) -> bool:
    """The focal point may correct a request until it is decided, and after a refusal."""
    return letter.status in (LetterStatus.REQUESTED, LetterStatus.REFUSED) and not letter.erased


def approval_refused(letter: InvitationLetter) -> str:
    """Why the letter cannot be approved now; empty when it can."""
    if letter.status is not LetterStatus.REQUESTED:
        return str(_l("Only a letter asked for and not yet decided can be approved."))
    if letter.erased:
        return str(_l("The passport details of this request were erased."))
    delegate = letter.delegate
    if delegate.withdrawn:
        return str(_l("This member was withdrawn from the delegation."))
    if delegate.delegation.status is not DelegationStatus.ACCREDITED:
        return str(_l("A letter is issued only to a member of an accredited delegation."))
    return ""


def refusal_refused(letter: InvitationLetter) -> str:
    if letter.status is not LetterStatus.REQUESTED:
        return str(_l("Only a letter asked for and not yet decided can be refused."))
    return ""


def withdrawal_refused(letter: InvitationLetter) -> str:
    if letter.status is not LetterStatus.APPROVED:
        return str(_l("Only an issued letter can be withdrawn."))
    return ""


def may_draw(letter: InvitationLetter) -> bool:
    """An issued letter, still valid, whose passport details are still kept."""
    return letter.status is LetterStatus.APPROVED and not letter.erased


# --- References -------------------------------------------------------------------

# Crockford's base 32: no I, L, O or U, so a reference read aloud or typed is read right.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
REFERENCE = re.compile(rf"[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}")


def new_reference() -> str:
    """16 random characters (80 bits) in four groups: none can be guessed or counted on to."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))


def read_reference(text: str) -> str | None:
    """A reference as typed (any case, spaces, O for 0) in its printed form, or None."""
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_READ_AS)
    if len(code) != 16 or any(c not in ALPHABET for c in code):
        return None
    return "-".join(code[i : i + 4] for i in range(0, 16, 4))
