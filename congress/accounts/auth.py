"""Who may do what: the rules every view asks before it acts.

Views call these functions rather than testing roles themselves, so that one
rule serves pages, API and tests alike.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from congress.accounts.models import User
from congress.archive.models import Congress
from congress.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def can_organise(user, congress: Congress) -> bool:
    """Site administrators and the congress's own organisers."""
    return bool(user and user.is_authenticated and user.organises(congress))


def is_focal_point(user, delegation) -> bool:
    """The delegation's own focal point; organisers of its congress are not focal points."""
    return bool(user and user.is_authenticated and delegation.focal_point_id == user.id)


def can_see_delegation(user, delegation) -> bool:
    return is_focal_point(user, delegation) or can_organise(user, delegation.congress)


def require(allowed: bool) -> None:
    """404 rather than 403 for the signed-out and the unrelated, so that ids leak nothing."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed:
        abort(404)


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        require(bool(current_user.is_authenticated and current_user.is_admin))
        return view(*args, **kwargs)

    return wrapped
