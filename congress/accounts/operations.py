"""Accounts' writes: each function is one transaction, its mail queued in it (the outbox)
and sent by a job after the commit."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from congress.accounts import mails
from congress.accounts.models import User
from congress.accounts.rules import (
    confirm,
    hash_password,
    normalise_email,
    set_password,
    user_by_email,
)
from congress.db import LANGUAGES
from congress.extensions import db


def sign_up(email: str, name: str, password: str, language: str) -> tuple[User, bool]:
    """A new, unconfirmed account, or the one that already uses ``email``; True if new.

    The owner of a new account is sent the confirmation link, the owner of an existing
    one a note that someone tried to sign up with their address: the page answers the
    same either way. The password is hashed either way, so that a taken address
    answers no faster than a free one.
    """
    password_hash = hash_password(password)
    existing = user_by_email(email)
    if existing is not None:
        mails.send_account_exists(existing)
        db.session.commit()
        return existing, False
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=password_hash,
        language=language if language in LANGUAGES else "en",
        is_admin=False,
    )
    db.session.add(user)
    try:
        # The confirmation link names the account: it needs its id.
        db.session.flush()
        mails.send_confirmation(user)
        db.session.commit()
    except IntegrityError:
        # A double-clicked form: the first request created the account and mailed it.
        db.session.rollback()
        return user_by_email(email), False
    return user, True


def resend_confirmation(user: User) -> None:
    """Send the confirmation link again (a new one: the first may have expired)."""
    mails.send_confirmation(user)
    db.session.commit()


def request_password_reset(user: User) -> None:
    mails.send_password_reset(user)
    db.session.commit()


def end_sessions(user: User) -> None:
    """Raise the account's session version (not committed): every session and remember
    cookie signed in before stops working, on every device.

    Raised in the database, so that two requests ending sessions at once both count.
    """
    user.session_version = User.session_version + 1


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user``: signing out does (a copy of this browser's cookies,
    taken before, must not sign anyone in after), and so does an administrator's
    "sign out everywhere" (a lost phone, a shared computer)."""
    end_sessions(user)
    db.session.commit()


def confirm_email(user: User) -> bool:
    """Mark the address confirmed; False when it already was."""
    if not confirm(user):
        return False
    db.session.commit()
    return True


def reset_password(user: User, password: str) -> None:
    """Set a new password from a reset link, end every session, and tell the owner."""
    set_password(user, password)
    end_sessions(user)
    # The link reached the mailbox: that proves the address as well as a confirmation.
    confirm(user)
    mails.send_password_changed(user)
    db.session.commit()


def change_password(user: User, password: str) -> None:
    """A new password ends every session signed in with the old one; the view signs the
    person who changed it in again, in this browser only."""
    set_password(user, password)
    end_sessions(user)
    mails.send_password_changed(user)
    db.session.commit()


def update_profile(user: User, *, name: str, language: str) -> None:
    user.name = name
    user.language = language
    db.session.commit()


def create_or_promote_admin(email: str, password: str | None) -> tuple[User, bool]:
    """Make ``email`` a confirmed site administrator; True when the account is new.

    An existing account keeps its password unless one is given.
    """
    user = user_by_email(email)
    created = user is None
    if user is None:
        if not password:
            raise ValueError("a new account needs a password")
        user = User(
            email=normalise_email(email),
            name="",
            password_hash=hash_password(password),
            language="en",
        )
        db.session.add(user)
    elif password:
        set_password(user, password)
        end_sessions(user)
    user.is_admin = True
    confirm(user)
    db.session.commit()
    return user, created
