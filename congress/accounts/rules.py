"""Accounts in plain functions: passwords, signed tokens, confirmation and reset.

Views call these; tests call them without a request. Nothing here tells an
unknown address from a known one to the outside: callers decide what to say.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from functools import cache
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from congress.accounts.models import User
from congress.db import utcnow
from congress.extensions import db

# Defaults of the settings this area reads; instance/config.py or CONGRESS_* override them.
DEFAULTS = {
    "PASSWORD_MIN_LENGTH": 10,
    # Seconds a link in a mail stays valid.
    "CONFIRM_EMAIL_MAX_AGE": 3 * 24 * 3600,
    "RESET_PASSWORD_MAX_AGE": 2 * 3600,
    "RATELIMIT_SIGN_IN": "10 per minute",
    "RATELIMIT_SIGN_UP": "5 per minute",
    "RATELIMIT_RESET": "5 per minute",
    # "Keep me signed in" lasts a month, not Flask-Login's year.
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    # Werkzeug's method for new password hashes. scrypt costs tens of milliseconds of CPU
    # on purpose; the tests choose a cheap one, as the hash's cost is not what they test.
    "PASSWORD_HASH_METHOD": "scrypt",
}

# Bounds the work of hashing; far above any passphrase people type.
PASSWORD_MAX_LENGTH = 200

# Enough to catch a typo; the confirmation mail proves the address.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class TokenPurpose(Enum):
    """Each purpose signs with its own salt: a link of one kind never opens another."""

    CONFIRM_EMAIL = "congress.accounts.confirm-email"
    RESET_PASSWORD = "congress.accounts.reset-password"


class TokenProblem(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"


@dataclass(frozen=True)
class TokenResult:
    user: User | None = None
    problem: TokenProblem | None = None


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


def normalise_email(email: str) -> str:
    """One account per address whatever its spelling: stripped and lower-cased."""
    return (email or "").strip().lower()


def looks_like_email(email: str) -> bool:
    return bool(_EMAIL.match(normalise_email(email))) and len(email) <= 254


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=setting("PASSWORD_HASH_METHOD"))


@cache
def _dummy_hash(method: str) -> str:
    # Checked when the address is unknown, so that refusing it takes as long as
    # refusing a wrong password.
    return generate_password_hash("not the password of anyone", method=method)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The account with this address and password, confirmed or not; None otherwise."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(setting("PASSWORD_HASH_METHOD")), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def check_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def set_password(user: User, password: str) -> None:
    """Change the password; every reset link sent before stops working."""
    user.password_hash = hash_password(password)


def confirm(user: User) -> bool:
    """Mark the address confirmed; False when it already was."""
    if user.email_confirmed_at is not None:
        return False
    user.email_confirmed_at = utcnow()
    return True


def _serializer(purpose: TokenPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.value)


def _password_fingerprint(user: User) -> str:
    # A digest, not a slice of the hash: the token's payload is signed but readable.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user: User, purpose: TokenPurpose) -> str:
    payload: dict[str, Any] = {"id": user.id, "email": user.email}
    if purpose is TokenPurpose.RESET_PASSWORD:
        payload["pw"] = _password_fingerprint(user)
    return _serializer(purpose).dumps(payload)


def read_token(token: str, purpose: TokenPurpose) -> TokenResult:
    """The user a link was made for, or why it cannot be used."""
    max_age = setting(
        "CONFIRM_EMAIL_MAX_AGE"
        if purpose is TokenPurpose.CONFIRM_EMAIL
        else "RESET_PASSWORD_MAX_AGE"
    )
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return TokenResult(problem=TokenProblem.EXPIRED)
    except BadSignature:
        return TokenResult(problem=TokenProblem.INVALID)
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        return TokenResult(problem=TokenProblem.INVALID)
    user = db.session.get(User, payload["id"])
    if user is None or user.email != payload.get("email"):
        return TokenResult(problem=TokenProblem.INVALID)
    if purpose is TokenPurpose.RESET_PASSWORD and not hmac.compare_digest(
        str(payload.get("pw", "")), _password_fingerprint(user)
    ):
        # The password changed since the link was sent: it was used, or is stale.
        return TokenResult(problem=TokenProblem.INVALID)
    return TokenResult(user=user)
