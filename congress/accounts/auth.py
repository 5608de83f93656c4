"""How Flask-Login finds the signed-in account."""

from __future__ import annotations

from congress.accounts.models import User
from congress.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))
