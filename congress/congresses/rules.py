"""Decisions about a congress alone: who organises it."""

from __future__ import annotations

from typing import Any

from congress.congresses.models import Congress


def is_organiser(user: Any, congress: Congress) -> bool:
    """Site administrators and the congress's own organisers.

    ``user`` is an account or Flask-Login's anonymous user; this layer sits below
    accounts and reads only what every account has.
    """
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_admin or is_appointed(user, congress))


def is_appointed(user: Any, congress: Congress) -> bool:
    """Appointed an organiser of ``congress`` (an administrator need not be)."""
    return any(c.id == congress.id for c in user.organised_congresses)


def organises_any(user: Any) -> bool:
    """An organiser of some congress (or an administrator): pages about no one congress."""
    return bool(user and user.is_authenticated and (user.is_admin or user.organised_congresses))
