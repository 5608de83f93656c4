"""The mails of the account pages, each in the language the person chose.

Each function queues its mail in ``db.session`` (the outbox); the caller's commit
sends it, by a job, so that the page never waits on a mail server or fails with it.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from congress.accounts import rules
from congress.accounts.models import User
from congress.accounts.rules import TokenPurpose
from congress.mail import send_mail


def _valid_for(name: str) -> timedelta:
    return timedelta(seconds=rules.setting(name))


def send_confirmation(user: User) -> None:
    send_mail(
        user.email,
        user.language,
        _l("Confirm your email address"),
        "confirm_email",
        user=user,
        token=rules.make_token(user, TokenPurpose.CONFIRM_EMAIL),
        valid_for=_valid_for("CONFIRM_EMAIL_MAX_AGE"),
    )


def send_account_exists(user: User) -> None:
    """Someone signed up with an address that has an account: tell its owner, not them."""
    confirm_token = (
        rules.make_token(user, TokenPurpose.CONFIRM_EMAIL)
        if user.email_confirmed_at is None
        else None
    )
    send_mail(
        user.email,
        user.language,
        _l("You already have an account"),
        "account_exists",
        user=user,
        confirm_token=confirm_token,
        valid_for=_valid_for("CONFIRM_EMAIL_MAX_AGE"),
    )


def send_password_reset(user: User) -> None:
    send_mail(
        user.email,
        user.language,
        _l("Choose a new password"),
        "reset_password",
        user=user,
        token=rules.make_token(user, TokenPurpose.RESET_PASSWORD),
        valid_for=_valid_for("RESET_PASSWORD_MAX_AGE"),
    )


def send_password_changed(user: User) -> None:
    send_mail(
        user.email,
        user.language,
        _l("Your password was changed"),
        "password_changed",
        user=user,
    )
